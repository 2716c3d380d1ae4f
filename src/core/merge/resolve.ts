/**
 * Conflicts in a merged notebook, as `mergeNotebooks` (or nbdime's inline
 * strategy) writes them, and their resolution one at a time: take local,
 * remote, both, or an edited text. What a merge view needs, with no view.
 *
 * A conflict is found from the notebook alone, so a notebook left by
 * `git merge` with the labbook driver opens as it is:
 * - source: lines between `<<<<<<< local`, `=======` and `>>>>>>> remote`
 *   (a side marked `(deleted)`: the cell was deleted there);
 * - outputs: the same markers as stream outputs;
 * - metadata: `metadata["nbdime-conflicts"]` with each side's changes.
 */

import { deepCopy, IJSONObject, isObject, JSONValue } from '../diff/json';
import { INotebook, IOutput } from '../diff/notebook';
import { CONFLICTS_KEY } from './merge';
import { splitLines } from './text';

export interface IFoundConflict {
  /** Index of the cell (undefined: notebook metadata). */
  cell?: number;
  field: 'source' | 'outputs' | 'metadata';
  /** The local and remote versions, as text for a view. */
  local: string;
  remote: string;
  /** A side that deleted the cell. */
  deleted?: 'local' | 'remote';
}

/** How to resolve one conflict. */
export type Resolution = 'local' | 'remote' | 'both' | { text: string };

const START = /^<{7} local( \(deleted\))?\r?\n?$/;
const MIDDLE = /^={7}\r?\n?$/;
const END = /^>{7} remote( \(deleted\))?\r?\n?$/;

/** Every conflict of a notebook, in cell order (notebook metadata last). */
export function findConflicts(nb: INotebook): IFoundConflict[] {
  const out: IFoundConflict[] = [];
  nb.cells.forEach((c, i) => {
    const s = Private.sourceBlocks(c.source);
    if (s.some(b => typeof b !== 'string')) {
      const blocks = s.filter(b => typeof b !== 'string') as Private.IBlock[];
      const deleted = blocks.find(b => b.deleted)?.deleted;
      out.push({
        cell: i,
        field: 'source',
        local: Private.side(s, 'local'),
        remote: Private.side(s, 'remote'),
        ...(deleted ? { deleted } : {})
      });
    }
    const o = Private.outputBlocks(c.outputs);
    if (o) {
      out.push({
        cell: i,
        field: 'outputs',
        local: Private.describe(o.local),
        remote: Private.describe(o.remote)
      });
    }
    const m = c.metadata?.[CONFLICTS_KEY];
    if (isObject(m)) {
      out.push({
        cell: i,
        field: 'metadata',
        local: JSON.stringify(m.local ?? [], null, 1),
        remote: JSON.stringify(m.remote ?? [], null, 1)
      });
    }
  });
  const m = nb.metadata?.[CONFLICTS_KEY];
  if (isObject(m)) {
    out.push({
      field: 'metadata',
      local: JSON.stringify(m.local ?? [], null, 1),
      remote: JSON.stringify(m.remote ?? [], null, 1)
    });
  }
  return out;
}

/**
 * A copy of the notebook with one conflict resolved. A cell deleted on the
 * chosen side is removed (so later cell indices shift down by one).
 */
export function resolveConflict(
  nb: INotebook,
  conflict: IFoundConflict,
  how: Resolution
): INotebook {
  const out = deepCopy(nb);
  if (conflict.cell === undefined) {
    out.metadata = Private.resolveMetadata(out.metadata, how);
    return out;
  }
  const cell = out.cells[conflict.cell];
  if (!cell) {
    throw new Error(`no cell ${conflict.cell + 1} in the notebook`);
  }
  switch (conflict.field) {
    case 'source': {
      if (how === conflict.deleted) {
        out.cells.splice(conflict.cell, 1);
        return out;
      }
      cell.source =
        typeof how === 'object'
          ? how.text
          : Private.side(Private.sourceBlocks(cell.source), how);
      return out;
    }
    case 'outputs': {
      const o = Private.outputBlocks(cell.outputs);
      if (o) {
        cell.outputs =
          typeof how === 'object' || how === 'both'
            ? [...o.before, ...o.local, ...o.remote, ...o.after]
            : [
                ...o.before,
                ...(how === 'local' ? o.local : o.remote),
                ...o.after
              ];
      }
      return out;
    }
    default:
      cell.metadata = Private.resolveMetadata(cell.metadata, how);
      return out;
  }
}

namespace Private {
  export interface IBlock {
    local: string;
    remote: string;
    deleted?: 'local' | 'remote';
  }

  /** A source as plain text runs and conflict blocks. */
  export function sourceBlocks(source: string): (string | IBlock)[] {
    const lines = splitLines(source);
    const out: (string | IBlock)[] = [];
    let k = 0;
    let plain = '';
    while (k < lines.length) {
      const start = START.exec(lines[k]);
      if (start) {
        // A complete block, or the line is plain text.
        let mid = k + 1;
        while (
          mid < lines.length &&
          !MIDDLE.test(lines[mid]) &&
          !START.test(lines[mid])
        ) {
          mid++;
        }
        let end = mid + 1;
        while (
          end < lines.length &&
          !END.test(lines[end]) &&
          !START.test(lines[end])
        ) {
          end++;
        }
        if (
          mid < lines.length &&
          MIDDLE.test(lines[mid]) &&
          end < lines.length &&
          END.test(lines[end])
        ) {
          if (plain) {
            out.push(plain);
            plain = '';
          }
          const endMatch = END.exec(lines[end])!;
          out.push({
            local: lines.slice(k + 1, mid).join(''),
            remote: lines.slice(mid + 1, end).join(''),
            ...(start[1] ? { deleted: 'local' as const } : {}),
            ...(endMatch[1] ? { deleted: 'remote' as const } : {})
          });
          k = end + 1;
          continue;
        }
      }
      plain += lines[k];
      k++;
    }
    if (plain) {
      out.push(plain);
    }
    return out;
  }

  /** One side's text (both: local then remote). */
  export function side(
    blocks: (string | IBlock)[],
    which: 'local' | 'remote' | 'both'
  ): string {
    return blocks
      .map(b =>
        typeof b === 'string'
          ? b
          : which === 'both'
            ? b.local + b.remote
            : b[which]
      )
      .join('');
  }

  const isMarker = (o: IOutput, re: RegExp) =>
    o.output_type === 'stream' && typeof o.text === 'string' && re.test(o.text);

  export function outputBlocks(outputs: IOutput[] | undefined) {
    if (!outputs) {
      return undefined;
    }
    const s = outputs.findIndex(o => isMarker(o, START));
    if (s < 0) {
      return undefined;
    }
    const m = outputs.findIndex((o, k) => k > s && isMarker(o, MIDDLE));
    const e = outputs.findIndex((o, k) => k > m && isMarker(o, END));
    if (m < 0 || e < 0) {
      return undefined;
    }
    return {
      before: outputs.slice(0, s),
      local: outputs.slice(s + 1, m),
      remote: outputs.slice(m + 1, e),
      after: outputs.slice(e + 1)
    };
  }

  export function describe(outputs: IOutput[]): string {
    return outputs
      .map(o => {
        if (o.output_type === 'stream') {
          return String(o.text);
        }
        if (o.output_type === 'error') {
          return `${String(o.ename)}: ${String(o.evalue)}\n`;
        }
        const data = isObject(o.data) ? o.data : {};
        const text = data['text/plain'];
        return typeof text === 'string'
          ? text + '\n'
          : `[${Object.keys(data).join(', ')}]\n`;
      })
      .join('');
  }

  /** Local: keep the values, drop the record; remote: apply its changes. */
  export function resolveMetadata(
    metadata: IJSONObject,
    how: Resolution
  ): IJSONObject {
    const record = metadata[CONFLICTS_KEY];
    const out: IJSONObject = { ...metadata };
    delete out[CONFLICTS_KEY];
    if (
      how !== 'remote' ||
      !isObject(record) ||
      !Array.isArray(record.remote)
    ) {
      return out;
    }
    for (const e of record.remote as JSONValue[]) {
      if (!isObject(e) || typeof e.key !== 'string') {
        continue;
      }
      if (e.op === 'remove') {
        delete out[e.key];
      } else if (e.value !== undefined) {
        out[e.key] = deepCopy(e.value);
      }
    }
    return out;
  }
}

/** Cells of a notebook that still hold conflicts (for a quick check). */
export function hasConflicts(nb: INotebook): boolean {
  return findConflicts(nb).length > 0;
}

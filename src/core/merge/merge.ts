/**
 * Three-way merge of notebooks: `local` and `remote` are two edits of
 * `base`. Cells are paired with the diff's alignment (content decides, ids
 * hint), each side's changes are applied where the other side left the
 * base alone, and what both changed differently is a conflict, written
 * into the merged notebook the way nbdime's inline strategy does:
 *
 * - sources: git's markers around the two versions of the changed lines
 *   (`<<<<<<< local`, `=======`, `>>>>>>> remote`);
 * - outputs: both kept, between marker outputs (or local / remote /
 *   cleared, by option);
 * - metadata (cell or notebook): the local value kept, both sides'
 *   changes recorded under `metadata["nbdime-conflicts"]` as nbdime diffs;
 * - a cell deleted on one side and changed on the other: kept, its source
 *   between markers with an empty side.
 *
 * Execution counts that conflict are cleared (or taken from one side).
 * Cell order follows the side that reordered cells (local when both did);
 * cells inserted at one place by both sides are kept, local first, once
 * when they are equal.
 */

import { alignCells } from '../diff/align';
import { deepCopy, deepEqual, IJSONObject, JSONValue } from '../diff/json';
import { ICell, INotebook, IOutput } from '../diff/notebook';
import { resolveOptions } from '../diff/options';
import { MARKERS, mergeText } from './text';

/** What to do with outputs both sides changed differently. */
export type OutputStrategy = 'inline' | 'local' | 'remote' | 'clear';

/** What to do with execution counts both sides changed differently. */
export type CountStrategy = 'clear' | 'local' | 'remote';

export interface IMergeOptions {
  /** Default `inline`: both outputs kept between marker outputs. */
  outputs?: OutputStrategy;
  /** Default `clear`. */
  executionCounts?: CountStrategy;
}

/** Where a conflict is; `cell` is its index in the merged notebook. */
export interface IMergeConflict {
  /** Index in the merged notebook's cells; absent: notebook metadata. */
  cell?: number;
  field: 'source' | 'outputs' | 'metadata' | 'cell_type' | 'deleted';
  /** For `metadata`: the key. */
  key?: string;
  /** The three versions, for a merge view (undefined: absent there). */
  base?: JSONValue;
  local?: JSONValue;
  remote?: JSONValue;
}

export interface IMergeResult {
  notebook: INotebook;
  conflicts: IMergeConflict[];
}

/** Key under which metadata conflicts are recorded (as nbdime does). */
export const CONFLICTS_KEY = 'nbdime-conflicts';

/** Merge two edits of a notebook. The inputs are not modified. */
export function mergeNotebooks(
  base: INotebook,
  local: INotebook,
  remote: INotebook,
  options: IMergeOptions = {}
): IMergeResult {
  const m = new Private.Merger(base, local, remote, {
    outputs: options.outputs ?? 'inline',
    executionCounts: options.executionCounts ?? 'clear'
  });
  return m.run();
}

namespace Private {
  type Side = 'local' | 'remote';

  /** A base cell (its index) or a cell one side inserted. */
  type Item =
    { kind: 'base'; i: number } | { kind: 'insert'; side: Side; cell: ICell };

  /** One side's alignment against the base. */
  interface ISideMap {
    /** Base index → the side's index, or -1 when deleted. */
    of: Int32Array;
    /** Whether the side reordered base cells. */
    moved: boolean;
    /** The side's cells in order: base index or -1 for inserted. */
    seq: { base: number; j: number }[];
    /** Inserted cells by anchor: the base index of the paired cell before (-1: start). */
    inserts: Map<number, number[]>;
  }

  function sideMap(base: INotebook, side: INotebook): ISideMap {
    const al = alignCells(base.cells, side.cells, resolveOptions());
    const of = new Int32Array(base.cells.length).fill(-1);
    let moved = false;
    for (const c of al.cells) {
      if (c.a !== undefined && c.b !== undefined) {
        of[c.a] = c.b;
        moved ||= !!c.moved;
      }
    }
    const baseOf = new Int32Array(side.cells.length).fill(-1);
    of.forEach((j, i) => {
      if (j >= 0) {
        baseOf[j] = i;
      }
    });
    const seq: { base: number; j: number }[] = [];
    const inserts = new Map<number, number[]>();
    let anchor = -1;
    for (let j = 0; j < side.cells.length; j++) {
      const i = baseOf[j];
      seq.push({ base: i, j });
      if (i >= 0) {
        anchor = i;
      } else {
        const list = inserts.get(anchor);
        if (list) {
          list.push(j);
        } else {
          inserts.set(anchor, [j]);
        }
      }
    }
    return { of, moved, seq, inserts };
  }

  export class Merger {
    constructor(
      private base: INotebook,
      private local: INotebook,
      private remote: INotebook,
      private options: Required<IMergeOptions>
    ) {}

    run(): IMergeResult {
      const L = sideMap(this.base, this.local);
      const R = sideMap(this.base, this.remote);
      // The order comes from the side that reordered (local when both did).
      const sSide: Side = !L.moved && R.moved ? 'remote' : 'local';
      const S = sSide === 'local' ? L : R;
      const O = sSide === 'local' ? R : L;
      const sNb = sSide === 'local' ? this.local : this.remote;
      const oNb = sSide === 'local' ? this.remote : this.local;
      const oSide: Side = sSide === 'local' ? 'remote' : 'local';
      // The skeleton's sequence, with a slot for each base cell it deleted
      // right after the base cell before it.
      const items: Item[] = [];
      const slotAfter = new Map<number, number[]>();
      const present = new Uint8Array(this.base.cells.length);
      S.seq.forEach(s => {
        if (s.base >= 0) {
          present[s.base] = 1;
        }
      });
      let prev = -1;
      for (let i = 0; i < this.base.cells.length; i++) {
        if (present[i]) {
          prev = i;
        } else {
          const list = slotAfter.get(prev) ?? [];
          list.push(i);
          slotAfter.set(prev, list);
        }
      }
      const pushBase = (i: number) => {
        items.push({ kind: 'base', i });
        for (const d of slotAfter.get(i) ?? []) {
          items.push({ kind: 'base', i: d });
        }
      };
      for (const d of slotAfter.get(-1) ?? []) {
        items.push({ kind: 'base', i: d });
      }
      for (const s of S.seq) {
        if (s.base >= 0) {
          pushBase(s.base);
        } else {
          items.push({ kind: 'insert', side: sSide, cell: sNb.cells[s.j] });
        }
      }
      // The other side's insertions, after their anchor (and, when the
      // skeleton is local, after local's own insertions there).
      const merged: Item[] = [];
      const oInsertsAt = (anchor: number): Item[] => {
        const js = O.inserts.get(anchor);
        if (!js) {
          return [];
        }
        const cells = js.map(j => oNb.cells[j]);
        const own = (S.inserts.get(anchor) ?? []).map(j => sNb.cells[j]);
        if (deepEqual(cells, own)) {
          return [];
        }
        return cells.map(cell => ({ kind: 'insert', side: oSide, cell }));
      };
      merged.push(...(sSide === 'remote' ? oInsertsAt(-1) : []));
      let pendingAnchor: number | undefined =
        sSide === 'local' ? -1 : undefined;
      for (const it of items) {
        if (it.kind === 'base' && pendingAnchor !== undefined) {
          merged.push(...oInsertsAt(pendingAnchor));
          pendingAnchor = undefined;
        }
        merged.push(it);
        if (it.kind === 'base') {
          if (sSide === 'local') {
            pendingAnchor = it.i;
          } else {
            merged.push(...oInsertsAt(it.i));
          }
        }
      }
      if (pendingAnchor !== undefined) {
        merged.push(...oInsertsAt(pendingAnchor));
      }
      // Resolve each item into cells.
      const cells: ICell[] = [];
      for (const it of merged) {
        if (it.kind === 'insert') {
          cells.push(deepCopy(it.cell));
          continue;
        }
        const b = this.base.cells[it.i];
        const jl = L.of[it.i];
        const jr = R.of[it.i];
        const cell = this.cell(
          b,
          jl >= 0 ? this.local.cells[jl] : undefined,
          jr >= 0 ? this.remote.cells[jr] : undefined,
          cells.length
        );
        if (cell) {
          cells.push(cell);
        }
      }
      const notebook = this.notebookFields(cells);
      return { notebook, conflicts: this.conflicts };
    }

    /** The merged cell, or undefined when it is deleted. */
    private cell(
      b: ICell,
      l: ICell | undefined,
      r: ICell | undefined,
      at: number
    ): ICell | undefined {
      if (!l && !r) {
        return undefined;
      }
      if (!l || !r) {
        const kept = (l ?? r)!;
        if (deepEqual(kept, b)) {
          return undefined;
        }
        // Deleted on one side, changed on the other: keep it, marked.
        const cell = deepCopy(kept);
        const empty = '';
        const text =
          kept.source.endsWith('\n') || !kept.source
            ? kept.source
            : kept.source + '\n';
        cell.source = l
          ? `${MARKERS.local}\n${text}${MARKERS.separator}\n${empty}${MARKERS.remote} (deleted)\n`
          : `${MARKERS.local} (deleted)\n${MARKERS.separator}\n${text}${MARKERS.remote}\n`;
        this.conflicts.push({
          cell: at,
          field: 'deleted',
          base: b.source,
          local: l ? l.source : undefined,
          remote: r ? r.source : undefined
        });
        return cell;
      }
      if (deepEqual(l, b)) {
        return deepCopy(r);
      }
      if (deepEqual(r, b) || deepEqual(l, r)) {
        return deepCopy(l);
      }
      const out = deepCopy(l) as ICell;
      // Cell type.
      const type = value3(b.cell_type, l.cell_type, r.cell_type);
      if (type.conflict) {
        this.conflicts.push({
          cell: at,
          field: 'cell_type',
          base: b.cell_type,
          local: l.cell_type,
          remote: r.cell_type
        });
      } else {
        out.cell_type = type.value as ICell['cell_type'];
      }
      // Source.
      const source = mergeText(b.source, l.source, r.source);
      out.source = source.text;
      if (source.conflicts.length) {
        this.conflicts.push({
          cell: at,
          field: 'source',
          base: b.source,
          local: l.source,
          remote: r.source
        });
      }
      // Outputs.
      if (out.cell_type === 'code') {
        const outputs = value3(b.outputs, l.outputs, r.outputs);
        if (!outputs.conflict) {
          out.outputs = deepCopy((outputs.value ?? []) as IOutput[]);
        } else {
          out.outputs = this.outputs(l.outputs ?? [], r.outputs ?? []);
          if (this.options.outputs === 'inline') {
            this.conflicts.push({
              cell: at,
              field: 'outputs',
              base: (b.outputs ?? []) as JSONValue,
              local: (l.outputs ?? []) as JSONValue,
              remote: (r.outputs ?? []) as JSONValue
            });
          }
        }
        const count = value3(
          b.execution_count ?? null,
          l.execution_count ?? null,
          r.execution_count ?? null
        );
        out.execution_count = count.conflict
          ? this.options.executionCounts === 'local'
            ? (l.execution_count ?? null)
            : this.options.executionCounts === 'remote'
              ? (r.execution_count ?? null)
              : null
          : ((count.value ?? null) as number | null);
      } else {
        delete out.outputs;
        delete out.execution_count;
      }
      // Metadata and the other fields, key by key.
      out.metadata = this.keys(b.metadata, l.metadata, r.metadata, at);
      const skip = [
        'cell_type',
        'source',
        'outputs',
        'execution_count',
        'metadata',
        'id'
      ];
      const rest = this.fields(b, l, r, skip);
      for (const [k, v] of Object.entries(rest)) {
        if (!skip.includes(k)) {
          if (v === undefined) {
            delete out[k];
          } else {
            out[k] = v;
          }
        }
      }
      return out;
    }

    private outputs(l: IOutput[], r: IOutput[]): IOutput[] {
      switch (this.options.outputs) {
        case 'local':
          return deepCopy(l);
        case 'remote':
          return deepCopy(r);
        case 'clear':
          return [];
        default: {
          const marker = (text: string): IOutput => ({
            output_type: 'stream',
            name: 'stderr',
            text: text + '\n'
          });
          return [
            marker(MARKERS.local),
            ...deepCopy(l),
            marker(MARKERS.separator),
            ...deepCopy(r),
            marker(MARKERS.remote)
          ];
        }
      }
    }

    /**
     * Three-way merge of a metadata object key by key; conflicting keys
     * keep the local value and are recorded under CONFLICTS_KEY.
     */
    private keys(
      b: IJSONObject,
      l: IJSONObject,
      r: IJSONObject,
      at: number | undefined
    ): IJSONObject {
      const out: IJSONObject = {};
      const localDiff: JSONValue[] = [];
      const remoteDiff: JSONValue[] = [];
      const all = [
        ...new Set([...Object.keys(l), ...Object.keys(r), ...Object.keys(b)])
      ];
      for (const k of all) {
        if (k === CONFLICTS_KEY) {
          continue;
        }
        const v = value3(b[k], l[k], r[k]);
        if (!v.conflict) {
          if (v.value !== undefined) {
            out[k] = deepCopy(v.value);
          }
          continue;
        }
        if (l[k] !== undefined) {
          out[k] = deepCopy(l[k]);
        }
        localDiff.push(keyDiff(k, b[k], l[k]));
        remoteDiff.push(keyDiff(k, b[k], r[k]));
        this.conflicts.push({
          cell: at,
          field: 'metadata',
          key: k,
          base: b[k],
          local: l[k],
          remote: r[k]
        });
      }
      if (localDiff.length) {
        out[CONFLICTS_KEY] = { local: localDiff, remote: remoteDiff };
      }
      return out;
    }

    /** Other top-level fields, three-way, local on conflict. */
    private fields(
      b: Record<string, unknown>,
      l: Record<string, unknown>,
      r: Record<string, unknown>,
      skip: string[]
    ): Record<string, JSONValue | undefined> {
      const out: Record<string, JSONValue | undefined> = {};
      for (const k of new Set([
        ...Object.keys(l),
        ...Object.keys(r),
        ...Object.keys(b)
      ])) {
        if (skip.includes(k)) {
          continue;
        }
        const v = value3(
          b[k] as JSONValue,
          l[k] as JSONValue,
          r[k] as JSONValue
        );
        out[k] = v.conflict ? (l[k] as JSONValue) : v.value;
      }
      return out;
    }

    private notebookFields(cells: ICell[]): INotebook {
      const { base: b, local: l, remote: r } = this;
      const out = deepCopy({ ...l, cells: [] }) as INotebook;
      const rest = this.fields(
        b as Record<string, unknown>,
        l as Record<string, unknown>,
        r as Record<string, unknown>,
        ['cells', 'metadata']
      );
      for (const [k, v] of Object.entries(rest)) {
        if (v === undefined) {
          delete out[k];
        } else {
          out[k] = v;
        }
      }
      out.metadata = this.keys(b.metadata, l.metadata, r.metadata, undefined);
      out.cells = cells;
      return out;
    }

    private conflicts: IMergeConflict[] = [];
  }

  /** Three-way merge of one value: one side's change, or a conflict. */
  function value3(
    b: JSONValue | undefined,
    l: JSONValue | undefined,
    r: JSONValue | undefined
  ): { value?: JSONValue; conflict: boolean } {
    if (deepEqual(l, r) || deepEqual(r, b)) {
      return { value: l, conflict: false };
    }
    if (deepEqual(l, b)) {
      return { value: r, conflict: false };
    }
    return { conflict: true };
  }

  /** An nbdime diff entry for one key. */
  function keyDiff(
    key: string,
    b: JSONValue | undefined,
    v: JSONValue | undefined
  ): JSONValue {
    if (v === undefined) {
      return { op: 'remove', key };
    }
    if (b === undefined) {
      return { op: 'add', key, value: deepCopy(v) };
    }
    return { op: 'replace', key, value: deepCopy(v) };
  }
}

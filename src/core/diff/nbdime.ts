/**
 * Export a notebook diff in nbdime's diff format, so nbdime's tools
 * (`nbdime.patch`, its web views) can read it.
 *
 * nbdime's format is a list of operations on the old notebook's JSON:
 * `add`/`remove`/`replace`/`patch` on object keys, `addrange`/
 * `removerange`/`patch` on list indices; strings (cell sources) are patched
 * as lists of lines. Keys refer to the old notebook; a moved cell becomes a
 * removal and an insertion, as nbdime has no moves.
 */

import { applyCellChanges } from './apply';
import { deepCopy, JSONValue } from './json';
import { INotebook } from './notebook';
import {
  ICellChanges,
  IKeyChange,
  INotebookDiff,
  IOutputsDiff,
  ITextDiff
} from './result';
import { newText, oldText } from './source';

/** One nbdime diff operation. */
export type NbdimeDiffEntry =
  | { op: 'add'; key: string; value: JSONValue }
  | { op: 'remove'; key: string }
  | { op: 'replace'; key: string; value: JSONValue }
  | { op: 'patch'; key: string | number; diff: NbdimeDiffEntry[] }
  | { op: 'addrange'; key: number; valuelist: JSONValue[] }
  | { op: 'removerange'; key: number; length: number };

/**
 * The diff in nbdime's format, to patch the old notebook `a` (the one the
 * diff was made from; it supplies moved cells).
 */
export function toNbdimeDiff(
  diff: INotebookDiff,
  a: INotebook
): NbdimeDiffEntry[] {
  const out: NbdimeDiffEntry[] = [];
  const cellOps: NbdimeDiffEntry[] = [];
  let aPos = 0;
  for (const e of diff.cells) {
    switch (e.kind) {
      case 'removed':
        cellOps.push({ op: 'removerange', key: e.a!, length: 1 });
        aPos = e.a! + 1;
        break;
      case 'unchanged':
        aPos = e.a! + 1;
        break;
      case 'modified': {
        const patch = Private.cellPatch(e.changes);
        if (patch.length) {
          cellOps.push({ op: 'patch', key: e.a!, diff: patch });
        }
        aPos = e.a! + 1;
        break;
      }
      case 'moved': {
        cellOps.push({ op: 'removerange', key: e.a!, length: 1 });
        const cell = applyCellChanges(a.cells[e.a!], e.changes);
        cellOps.push({ op: 'addrange', key: aPos, valuelist: [cell as any] });
        break;
      }
      case 'added':
        cellOps.push({
          op: 'addrange',
          key: aPos,
          valuelist: [deepCopy(e.cell) as any]
        });
        break;
    }
  }
  const cells = Private.sequence(cellOps);
  if (cells.length) {
    out.push({ op: 'patch', key: 'cells', diff: cells });
  }
  if (diff.notebook.metadata?.length) {
    out.push({
      op: 'patch',
      key: 'metadata',
      diff: Private.objectOps(diff.notebook.metadata)
    });
  }
  out.push(...Private.objectOps(diff.notebook.fields ?? []));
  return out;
}

namespace Private {
  export function objectOps(changes: readonly IKeyChange[]): NbdimeDiffEntry[] {
    return changes.map(c =>
      c.kind === 'removed'
        ? { op: 'remove', key: c.key }
        : {
            op: c.kind === 'added' ? 'add' : 'replace',
            key: c.key,
            value: deepCopy(c.b!)
          }
    );
  }

  export function cellPatch(
    changes: ICellChanges | undefined
  ): NbdimeDiffEntry[] {
    if (!changes) {
      return [];
    }
    const out: NbdimeDiffEntry[] = [];
    if (changes.cellType) {
      out.push({ op: 'replace', key: 'cell_type', value: changes.cellType.b });
    }
    if (changes.source) {
      out.push(stringPatch('source', changes.source));
    }
    if (changes.outputs) {
      const ops = outputOps(changes.outputs);
      if (ops.length) {
        out.push({ op: 'patch', key: 'outputs', diff: ops });
      }
    }
    if (changes.executionCount) {
      out.push({
        op: 'replace',
        key: 'execution_count',
        value: changes.executionCount.b
      });
    }
    if (changes.metadata?.length) {
      out.push({
        op: 'patch',
        key: 'metadata',
        diff: objectOps(changes.metadata)
      });
    }
    out.push(...objectOps(changes.fields ?? []));
    return out;
  }

  function outputOps(diff: IOutputsDiff): NbdimeDiffEntry[] {
    const ops: NbdimeDiffEntry[] = [];
    let aPos = 0;
    for (const c of diff.changes) {
      if (c.kind === 'unchanged') {
        aPos = c.a! + 1;
      } else if (c.kind === 'removed') {
        ops.push({ op: 'removerange', key: c.a!, length: 1 });
        aPos = c.a! + 1;
      } else if (c.kind === 'modified') {
        ops.push({
          op: 'addrange',
          key: c.a!,
          valuelist: [deepCopy(c.output!)]
        });
        ops.push({ op: 'removerange', key: c.a!, length: 1 });
        aPos = c.a! + 1;
      } else {
        ops.push({
          op: 'addrange',
          key: aPos,
          valuelist: [deepCopy(c.output!)]
        });
      }
    }
    return sequence(ops);
  }

  /**
   * A source change as nbdime line operations; keys are nbdime's line
   * indices. Falls back to replacing the whole string if nbdime would split
   * the old text differently from us.
   */
  function stringPatch(key: string, diff: ITextDiff): NbdimeDiffEntry {
    const old = oldText(diff);
    const lines = nbdimeLines(old);
    const lineAt = new Map<number, number>();
    let offset = 0;
    lines.forEach((l, i) => {
      if (!lineAt.has(offset)) {
        lineAt.set(offset, i);
      }
      offset += l.length;
    });
    if (offset !== old.length) {
      return { op: 'replace', key, value: newText(diff) };
    }
    const ops: NbdimeDiffEntry[] = [];
    let pos = 0;
    for (const s of diff.segments) {
      const start = lineAt.get(pos);
      if (start === undefined) {
        return { op: 'replace', key, value: newText(diff) };
      }
      if (s.kind === 'added') {
        ops.push({
          op: 'addrange',
          key: start,
          valuelist: nbdimeLines(s.value).filter(l => l !== '')
        });
        continue;
      }
      pos += s.value.length;
      if (s.kind === 'removed') {
        const end = lineAt.get(pos);
        if (end === undefined) {
          return { op: 'replace', key, value: newText(diff) };
        }
        ops.push({ op: 'removerange', key: start, length: end - start });
      }
    }
    return { op: 'patch', key, diff: sequence(ops) };
  }

  /** Lines as nbdime splits strings (its `splitLines`). */
  function nbdimeLines(text: string): string[] {
    return text.match(/^.*(\r\n|\r|\n|$)/gm) ?? [''];
  }

  /**
   * Sort list operations by key (insertions first at equal keys, as nbdime
   * applies an insertion before the element at its key) and merge
   * neighbours.
   */
  export function sequence(ops: NbdimeDiffEntry[]): NbdimeDiffEntry[] {
    const rank = (o: NbdimeDiffEntry) => (o.op === 'addrange' ? 0 : 1);
    const sorted = ops
      .map((o, i) => ({ o, i }))
      .sort(
        (x, y) =>
          (x.o.key as number) - (y.o.key as number) ||
          rank(x.o) - rank(y.o) ||
          x.i - y.i
      )
      .map(x => x.o);
    const out: NbdimeDiffEntry[] = [];
    for (const o of sorted) {
      const last = out[out.length - 1];
      if (
        last?.op === 'addrange' &&
        o.op === 'addrange' &&
        last.key === o.key
      ) {
        last.valuelist = last.valuelist.concat(o.valuelist);
      } else if (
        last?.op === 'removerange' &&
        o.op === 'removerange' &&
        last.key + last.length === o.key
      ) {
        last.length += o.length;
      } else {
        out.push(o);
      }
    }
    return out;
  }
}

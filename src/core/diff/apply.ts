/**
 * `applyDiff`: rebuild the new notebook from the old one and a diff.
 * For a full-fidelity diff (execution counts and volatile metadata
 * included) `applyDiff(a, diffNotebooks(a, b, full))` deep-equals `b`;
 * otherwise ignored fields keep their values from `a`.
 */

import { deepCopy, IJSONObject } from './json';
import { applyKeyChanges } from './keys';
import { ICell, INotebook } from './notebook';
import { applyOutputs } from './outputs';
import { ICellChanges, INotebookDiff } from './result';
import { applyText } from './source';

/**
 * Apply a notebook diff to the notebook it was made from.
 *
 * @throws Error when the diff does not fit the notebook
 */
export function applyDiff(a: INotebook, diff: INotebookDiff): INotebook {
  if (a.cells.length !== diff.cellCount.a) {
    throw new Error(
      `diff does not apply: it was made from a notebook with ${diff.cellCount.a} cells, this one has ${a.cells.length}`
    );
  }
  const cells = new Array<ICell | undefined>(diff.cellCount.b);
  for (const entry of diff.cells) {
    if (entry.b === undefined) {
      continue;
    }
    if (entry.b < 0 || entry.b >= cells.length || cells[entry.b]) {
      throw new Error(`diff does not apply: bad new cell index ${entry.b}`);
    }
    if (entry.kind === 'added') {
      if (!entry.cell) {
        throw new Error(
          `diff does not apply: added cell ${entry.b} has no content`
        );
      }
      cells[entry.b] = deepCopy(entry.cell);
      continue;
    }
    const old = entry.a === undefined ? undefined : a.cells[entry.a];
    if (!old) {
      throw new Error(`diff does not apply: old cell ${entry.a} is missing`);
    }
    cells[entry.b] = applyCellChanges(
      old,
      entry.changes,
      `cell ${entry.b + 1}`
    );
  }
  const missing = cells.findIndex(c => !c);
  if (missing >= 0) {
    throw new Error(
      `diff does not apply: new cell ${missing} is not described`
    );
  }
  const { cells: _old, ...rest } = a;
  const top = applyKeyChanges(rest, diff.notebook.fields) as Omit<
    INotebook,
    'cells'
  >;
  top.metadata = applyKeyChanges(
    top.metadata as IJSONObject,
    diff.notebook.metadata
  );
  return { ...top, cells: cells as ICell[] } as INotebook;
}

/** Apply the changes of one cell to a copy of it. */
export function applyCellChanges(
  cell: ICell,
  changes: ICellChanges | undefined,
  where = 'cell'
): ICell {
  const out = deepCopy(cell);
  if (!changes) {
    return out;
  }
  if (changes.cellType) {
    out.cell_type = changes.cellType.b;
  }
  if (changes.source) {
    out.source = applyText(cell.source, changes.source, `${where} source`);
  }
  if (changes.outputs) {
    out.outputs = applyOutputs(cell.outputs ?? [], changes.outputs);
  }
  if (changes.executionCount) {
    out.execution_count = changes.executionCount.b;
  }
  out.metadata = applyKeyChanges(out.metadata, changes.metadata);
  return applyKeyChanges(out, changes.fields);
}

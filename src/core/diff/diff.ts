/**
 * `diffNotebooks`: the structured diff of two notebooks (see result.ts).
 */

import { alignCells } from './align';
import { deepCopy } from './json';
import { keyChanges } from './keys';
import { ICell, INotebook } from './notebook';
import {
  IDiffOptions,
  IResolvedOptions,
  resolveOptions,
  VOLATILE_CELL_METADATA,
  VOLATILE_NOTEBOOK_METADATA
} from './options';
import { diffOutputs } from './outputs';
import {
  ICellChanges,
  ICellDiff,
  IDiffSummary,
  INotebookDiff,
  NOTEBOOK_DIFF_VERSION
} from './result';
import { diffText } from './source';

/**
 * Compare two notebooks. Execution counts and volatile metadata are ignored
 * unless the options include them.
 */
export function diffNotebooks(
  a: INotebook,
  b: INotebook,
  options: IDiffOptions = {}
): INotebookDiff {
  const opts = resolveOptions(options);
  const alignment = alignCells(a.cells, b.cells, opts);
  const coarse = [...alignment.coarse];
  const summary: IDiffSummary = {
    unchanged: 0,
    modified: 0,
    added: 0,
    removed: 0,
    moved: 0,
    notebookChanged: false,
    identical: true
  };
  const cells: ICellDiff[] = alignment.cells.map(al => {
    if (al.a === undefined) {
      summary.added++;
      return { kind: 'added', b: al.b, cell: deepCopy(b.cells[al.b!]) };
    }
    if (al.b === undefined) {
      summary.removed++;
      return { kind: 'removed', a: al.a };
    }
    const changes = cellChanges(a.cells[al.a], b.cells[al.b], opts, label =>
      coarse.push(`cell ${al.b! + 1} ${label}`)
    );
    const kind = al.moved ? 'moved' : changes ? 'modified' : 'unchanged';
    summary[kind]++;
    const entry: ICellDiff = {
      kind,
      a: al.a,
      b: al.b,
      matchedBy: al.matchedBy
    };
    if (changes) {
      entry.changes = changes;
    }
    return entry;
  });
  const notebook: INotebookDiff['notebook'] = {};
  const metadata = keyChanges(
    a.metadata,
    b.metadata,
    k => opts.includeVolatileMetadata || !VOLATILE_NOTEBOOK_METADATA.includes(k)
  );
  if (metadata.length) {
    notebook.metadata = metadata;
  }
  const fields = keyChanges(
    a as Record<string, any>,
    b as Record<string, any>,
    k => k !== 'cells' && k !== 'metadata'
  );
  if (fields.length) {
    notebook.fields = fields;
  }
  summary.notebookChanged = !!(notebook.metadata || notebook.fields);
  summary.identical =
    !summary.notebookChanged &&
    summary.modified + summary.added + summary.removed + summary.moved === 0;
  return {
    version: NOTEBOOK_DIFF_VERSION,
    options: {
      includeExecutionCounts: opts.includeExecutionCounts,
      includeVolatileMetadata: opts.includeVolatileMetadata
    },
    cellCount: { a: a.cells.length, b: b.cells.length },
    summary,
    notebook,
    cells,
    coarse
  };
}

/**
 * What changed between two paired cells; undefined when nothing compared
 * differs.
 */
export function cellChanges(
  ca: ICell,
  cb: ICell,
  options: IResolvedOptions,
  onCoarse: (label: string) => void = () => undefined
): ICellChanges | undefined {
  const changes: ICellChanges = {};
  const bounds = {
    maxEditLength: options.maxEditLength,
    timeout: options.timeout
  };
  if (ca.cell_type !== cb.cell_type) {
    changes.cellType = { a: ca.cell_type, b: cb.cell_type };
  }
  if (ca.source !== cb.source) {
    changes.source = diffText(ca.source, cb.source, bounds);
    if (changes.source.coarse) {
      onCoarse(`source: ${changes.source.coarse}`);
    }
  }
  const bothOutputs = Array.isArray(ca.outputs) && Array.isArray(cb.outputs);
  if (bothOutputs) {
    const outputs = diffOutputs(ca.outputs!, cb.outputs!, options);
    if (outputs) {
      changes.outputs = outputs;
      outputs.changes.forEach(c => {
        const notes = [
          c.text?.coarse,
          c.error?.traceback?.coarse,
          ...(c.data ?? []).map(d => d.text?.coarse)
        ];
        for (const n of notes) {
          if (n) {
            onCoarse(`output ${(c.b ?? 0) + 1}: ${n}`);
          }
        }
      });
    }
  }
  const bothCounts = 'execution_count' in ca && 'execution_count' in cb;
  if (
    bothCounts &&
    options.includeExecutionCounts &&
    ca.execution_count !== cb.execution_count
  ) {
    changes.executionCount = {
      a: ca.execution_count ?? null,
      b: cb.execution_count ?? null
    };
  }
  const metadata = keyChanges(
    ca.metadata,
    cb.metadata,
    k => options.includeVolatileMetadata || !VOLATILE_CELL_METADATA.includes(k)
  );
  if (metadata.length) {
    changes.metadata = metadata;
  }
  const fields = keyChanges(ca, cb, k => {
    switch (k) {
      case 'cell_type':
      case 'source':
      case 'metadata':
        return false;
      case 'outputs':
        return !bothOutputs;
      case 'execution_count':
        return !bothCounts && options.includeExecutionCounts;
      case 'id':
        return options.includeVolatileMetadata;
      default:
        return true;
    }
  });
  if (fields.length) {
    changes.fields = fields;
  }
  return Object.keys(changes).length ? changes : undefined;
}

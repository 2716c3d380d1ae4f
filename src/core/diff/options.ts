/**
 * What a notebook diff compares: by default execution counts and volatile
 * metadata (timings, UI state, cell ids under similarity alignment) are
 * ignored; both can be included for a full-fidelity diff.
 */

import { IJSONObject, setKey } from './json';
import { ICell, IOutput } from './notebook';

/** Options of `diffNotebooks`. */
export interface IDiffOptions {
  /** Compare execution counts (cells and execute results). Default false. */
  includeExecutionCounts?: boolean;
  /**
   * Compare volatile metadata: cell `execution` timings, `collapsed`,
   * `scrolled`, `ExecuteTime`, notebook `widgets` state, and cell ids of
   * cells aligned by content. Default false.
   */
  includeVolatileMetadata?: boolean;
  /**
   * Bound on the edit distance jsdiff explores per text (lines or words)
   * before falling back to a coarser diff. Default 2,000.
   */
  maxEditLength?: number;
  /** Time bound per text diff in ms before falling back. Default 200. */
  timeout?: number;
}

/** Options with every default filled in. */
export interface IResolvedOptions {
  includeExecutionCounts: boolean;
  includeVolatileMetadata: boolean;
  maxEditLength: number;
  timeout: number;
}

/** Cell metadata keys that change on every run or with UI state. */
export const VOLATILE_CELL_METADATA: readonly string[] = [
  'execution',
  'collapsed',
  'scrolled',
  'ExecuteTime',
  'trusted'
];

/** Notebook metadata keys that change without the user editing. */
export const VOLATILE_NOTEBOOK_METADATA: readonly string[] = ['widgets'];

/** Fill in defaults. */
export function resolveOptions(options: IDiffOptions = {}): IResolvedOptions {
  return {
    includeExecutionCounts: options.includeExecutionCounts ?? false,
    includeVolatileMetadata: options.includeVolatileMetadata ?? false,
    maxEditLength: options.maxEditLength ?? 2000,
    timeout: options.timeout ?? 200
  };
}

/** The metadata keys compared under these options. */
export function comparedKeys(
  metadata: IJSONObject,
  volatile: readonly string[],
  options: IResolvedOptions
): string[] {
  const keys = Object.keys(metadata).filter(k => metadata[k] !== undefined);
  return options.includeVolatileMetadata
    ? keys
    : keys.filter(k => !volatile.includes(k));
}

/**
 * The part of a cell that is compared under these options, as a plain
 * object (for hashing). Cell ids are left out: alignment handles them.
 */
export function comparedCell(cell: ICell, options: IResolvedOptions): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(cell)) {
    if (k === 'id') {
      continue;
    }
    if (k === 'execution_count' && !options.includeExecutionCounts) {
      continue;
    }
    if (k === 'metadata') {
      const md: Record<string, unknown> = {};
      for (const mk of comparedKeys(
        cell.metadata,
        VOLATILE_CELL_METADATA,
        options
      )) {
        setKey(md, mk, cell.metadata[mk]);
      }
      setKey(out, k, md);
    } else if (k === 'outputs') {
      setKey(
        out,
        k,
        (v as IOutput[]).map(o => comparedOutput(o, options))
      );
    } else {
      setKey(out, k, v);
    }
  }
  return out;
}

/** The part of an output that is compared under these options. */
export function comparedOutput(
  output: IOutput,
  options: IResolvedOptions
): unknown {
  if (options.includeExecutionCounts || !('execution_count' in output)) {
    return output;
  }
  const { execution_count: _ignored, ...rest } = output;
  return rest;
}

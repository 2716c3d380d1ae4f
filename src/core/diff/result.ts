/**
 * The structured result of a notebook diff: plain JSON data, rendered by
 * separate views (terminal, JupyterLab) and applicable with `applyDiff`.
 *
 * Indices are 0-based positions in the `cells` of notebook `a` (before) and
 * `b` (after). Cell entries are in display order: every cell of `b` in
 * order, with removed cells of `a` placed where they were.
 */

import { JSONValue } from './json';
import { CellType, ICell, IOutput } from './notebook';

/** Version of this result format. */
export const NOTEBOOK_DIFF_VERSION = 1;

/** How a cell changed. */
export type CellChangeKind =
  'unchanged' | 'modified' | 'added' | 'removed' | 'moved';

/** The whole diff of two notebooks. */
export interface INotebookDiff {
  version: typeof NOTEBOOK_DIFF_VERSION;
  /** The options the diff was made with. */
  options: {
    includeExecutionCounts: boolean;
    includeVolatileMetadata: boolean;
  };
  /** Cell counts of `a` and `b`. */
  cellCount: { a: number; b: number };
  summary: IDiffSummary;
  /** Changes of notebook metadata (shown collapsed) and top-level fields. */
  notebook: {
    metadata?: IKeyChange[];
    fields?: IKeyChange[];
  };
  cells: ICellDiff[];
  /**
   * Where the diff was coarsened to stay within its time bounds, in words
   * (e.g. "cell 3 source: line diff over 2,000 edits, shown as one block").
   * Empty when the diff is exact.
   */
  coarse: string[];
}

/** Counts for the summary line. */
export interface IDiffSummary {
  unchanged: number;
  modified: number;
  added: number;
  removed: number;
  moved: number;
  /** Whether notebook metadata or top-level fields changed. */
  notebookChanged: boolean;
  /** True when nothing compared differs. */
  identical: boolean;
}

/** One cell in display order. */
export interface ICellDiff {
  kind: CellChangeKind;
  /** Index in `a` (absent for added cells). */
  a?: number;
  /** Index in `b` (absent for removed cells). */
  b?: number;
  /** How the cells were paired. */
  matchedBy?: 'id' | 'content' | 'similarity';
  /** Changes inside the cell: modified cells, and moved cells that also changed. */
  changes?: ICellChanges;
  /** The whole new cell, for added cells. */
  cell?: ICell;
}

/** What changed inside a cell. */
export interface ICellChanges {
  cellType?: { a: CellType; b: CellType };
  source?: ITextDiff;
  outputs?: IOutputsDiff;
  /** Only with `includeExecutionCounts`. */
  executionCount?: { a: number | null; b: number | null };
  /** Cell metadata, by top-level key; views show it collapsed. */
  metadata?: IKeyChange[];
  /** Other cell fields: `id`, `attachments`, unknown fields. */
  fields?: IKeyChange[];
}

/** A key of an object that was added, removed or changed. */
export interface IKeyChange {
  key: string;
  kind: 'added' | 'removed' | 'changed';
  /** The old value (removed, changed). */
  a?: JSONValue;
  /** The new value (added, changed). */
  b?: JSONValue;
}

/**
 * A text diff by lines. Concatenating the values of `equal` and `removed`
 * segments gives the old text; of `equal` and `added` the new text.
 */
export interface ITextDiff {
  segments: ITextSegment[];
  /** Set when the diff was coarsened, saying how. */
  coarse?: string;
}

export interface ITextSegment {
  kind: 'equal' | 'added' | 'removed';
  /** The lines, each with its line break (the last one may lack it). */
  value: string;
  /** Number of lines. */
  count: number;
  /**
   * For a removed segment followed by an added one (and that added one):
   * the segment split into word runs, `changed` marking what differs.
   */
  words?: IWordPart[];
}

export interface IWordPart {
  text: string;
  changed: boolean;
}

/** The outputs of a cell, aligned. Present only when they differ. */
export interface IOutputsDiff {
  /** In order of the new outputs, removed ones where they were. */
  changes: IOutputChange[];
}

export interface IOutputChange {
  kind: 'unchanged' | 'modified' | 'added' | 'removed';
  a?: number;
  b?: number;
  /** `stream`, `display_data`, `execute_result`, `error`. */
  outputType: string;
  /** The whole new output, for added and modified outputs. */
  output?: IOutput;
  /** Stream text, line by line. */
  text?: ITextDiff;
  /** Rich outputs: MIME types that differ. */
  data?: IMimeChange[];
  /** Errors: name and value, and the traceback by lines. */
  error?: {
    ename?: { a: string; b: string };
    evalue?: { a: string; b: string };
    traceback?: ITextDiff;
  };
  /** Output metadata and other output fields that differ. */
  fields?: IKeyChange[];
}

/** One MIME type of a rich output that differs. */
export interface IMimeChange {
  mime: string;
  kind: 'added' | 'removed' | 'changed';
  /** Text types (and JSON, pretty-printed): a line diff. */
  text?: ITextDiff;
  /** Images: SHA-256 (hex) of the decoded bytes of each side. */
  image?: { a?: string; b?: string };
}

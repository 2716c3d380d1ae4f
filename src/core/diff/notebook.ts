/**
 * Notebooks as the diff sees them: nbformat v4 documents, read and checked
 * with clear messages, multi-line strings joined (as nbformat's own reader
 * does), every other field kept as it was.
 */

import { IJSONObject, JSONValue, isObject, setKey } from './json';

/** The three nbformat cell types. */
export type CellType = 'code' | 'markdown' | 'raw';

export const CELL_TYPES: readonly CellType[] = ['code', 'markdown', 'raw'];

/** One output of a code cell. */
export interface IOutput extends IJSONObject {
  output_type: string;
}

/** One cell. Unknown fields are kept. */
export interface ICell {
  cell_type: CellType;
  /** Cell id (nbformat 4.5+). */
  id?: string;
  /** The source, lines joined. */
  source: string;
  metadata: IJSONObject;
  /** Code cells only. */
  outputs?: IOutput[];
  /** Code cells only. */
  execution_count?: number | null;
  attachments?: IJSONObject;
  [key: string]: JSONValue | undefined;
}

/** An nbformat v4 notebook. */
export interface INotebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: IJSONObject;
  cells: ICell[];
  [key: string]: JSONValue | ICell[] | undefined;
}

/** What is wrong with a notebook file, naming the file. */
export class NotebookFormatError extends Error {
  constructor(
    /** The file (or label) the notebook came from. */
    readonly file: string,
    /** The problem, without the file name. */
    readonly problem: string
  ) {
    super(`${file}: ${problem}`);
    this.name = 'NotebookFormatError';
  }
}

/**
 * Parse the text of an `.ipynb` file.
 *
 * @param text the file's content
 * @param file the file name, used in messages
 * @throws NotebookFormatError when the text is not an nbformat v4 notebook
 */
export function parseNotebook(text: string, file: string): INotebook {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new NotebookFormatError(file, `not valid JSON (${detail})`);
  }
  return readNotebook(value, file);
}

/**
 * Check a parsed JSON value and return it as a notebook with multi-line
 * strings joined. The input is not modified.
 *
 * @throws NotebookFormatError naming the file and the first problem found
 */
export function readNotebook(value: unknown, file: string): INotebook {
  const fail = (problem: string): never => {
    throw new NotebookFormatError(file, problem);
  };
  if (!isObject(value)) {
    return fail('not a notebook: the top level is not a JSON object');
  }
  const major = value.nbformat;
  if (major === undefined) {
    return fail('not a notebook: the "nbformat" field is missing');
  }
  if (typeof major !== 'number') {
    return fail('"nbformat" is not a number');
  }
  if (major !== 4) {
    return fail(
      `nbformat ${major} is not supported (only nbformat 4); ` +
        'convert it with `jupyter nbconvert --to notebook --nbformat 4`'
    );
  }
  const minor = value.nbformat_minor;
  if (typeof minor !== 'number' || !Number.isInteger(minor) || minor < 0) {
    return fail('"nbformat_minor" is missing or not a non-negative integer');
  }
  if (!isObject(value.metadata)) {
    return fail('"metadata" is missing or not an object');
  }
  if (!Array.isArray(value.cells)) {
    return fail('"cells" is missing or not a list');
  }
  const cells = value.cells.map((cell, i) =>
    Private.readCell(cell, `cell ${i + 1}`, fail)
  );
  return { ...value, nbformat: 4, cells } as INotebook;
}

/**
 * Join a multi-line string field (a string or a list of strings).
 * Returns undefined when the value is neither.
 */
export function joinLines(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value) && value.every(v => typeof v === 'string')) {
    return value.join('');
  }
  return undefined;
}

/** Whether a MIME type carries JSON (its value is not joined). */
export function isJSONMime(mime: string): boolean {
  return mime === 'application/json' || /^application\/.+\+json$/.test(mime);
}

namespace Private {
  type Fail = (problem: string) => never;

  const OUTPUT_TYPES = ['stream', 'display_data', 'execute_result', 'error'];

  export function readCell(value: unknown, where: string, fail: Fail): ICell {
    if (!isObject(value)) {
      return fail(`${where} is not an object`);
    }
    const type = value.cell_type;
    if (typeof type !== 'string' || !CELL_TYPES.includes(type as CellType)) {
      return fail(
        `${where} has ${type === undefined ? 'no "cell_type"' : `an unknown cell_type ${JSON.stringify(type)}`} (expected code, markdown or raw)`
      );
    }
    const source = joinLines(value.source);
    if (source === undefined) {
      return fail(
        `${where}: "source" is ${value.source === undefined ? 'missing' : 'not a string or a list of strings'}`
      );
    }
    if (!isObject(value.metadata)) {
      return fail(`${where}: "metadata" is missing or not an object`);
    }
    if (value.id !== undefined && typeof value.id !== 'string') {
      return fail(`${where}: "id" is not a string`);
    }
    const cell = { ...value, source } as ICell;
    if (type === 'code') {
      if (!Array.isArray(value.outputs)) {
        return fail(`${where}: a code cell needs an "outputs" list`);
      }
      const count = value.execution_count;
      if (count !== undefined && count !== null && typeof count !== 'number') {
        return fail(`${where}: "execution_count" is not a number or null`);
      }
      cell.outputs = value.outputs.map((o, j) =>
        readOutput(o, `${where}, output ${j + 1}`, fail)
      );
    }
    if (value.attachments !== undefined) {
      if (!isObject(value.attachments)) {
        return fail(`${where}: "attachments" is not an object`);
      }
      cell.attachments = joinBundles(value.attachments);
    }
    return cell;
  }

  function readOutput(value: unknown, where: string, fail: Fail): IOutput {
    if (!isObject(value)) {
      return fail(`${where} is not an object`);
    }
    const type = value.output_type;
    if (typeof type !== 'string' || !OUTPUT_TYPES.includes(type)) {
      return fail(
        `${where} has ${type === undefined ? 'no "output_type"' : `an unknown output_type ${JSON.stringify(type)}`}`
      );
    }
    const out = { ...value } as IOutput;
    if (type === 'stream') {
      const text = joinLines(value.text);
      if (text === undefined) {
        return fail(`${where}: a stream output needs a "text" string`);
      }
      out.text = text;
    } else if (type === 'display_data' || type === 'execute_result') {
      if (!isObject(value.data)) {
        return fail(`${where}: "data" is missing or not an object`);
      }
      out.data = joinBundle(value.data);
    } else {
      if (typeof value.ename !== 'string' || typeof value.evalue !== 'string') {
        return fail(
          `${where}: an error output needs "ename" and "evalue" strings`
        );
      }
      if (
        !Array.isArray(value.traceback) ||
        !value.traceback.every(t => typeof t === 'string')
      ) {
        return fail(
          `${where}: an error output needs a "traceback" list of strings`
        );
      }
    }
    return out;
  }

  /** Join the multi-line strings of a MIME bundle. */
  function joinBundle(bundle: IJSONObject): IJSONObject {
    const out: IJSONObject = {};
    for (const [mime, v] of Object.entries(bundle)) {
      const joined = isJSONMime(mime) ? undefined : joinLines(v);
      setKey(out, mime, joined ?? v);
    }
    return out;
  }

  /** Attachments: name → MIME bundle. */
  function joinBundles(attachments: IJSONObject): IJSONObject {
    const out: IJSONObject = {};
    for (const [name, v] of Object.entries(attachments)) {
      setKey(out, name, isObject(v) ? joinBundle(v) : v);
    }
    return out;
  }
}

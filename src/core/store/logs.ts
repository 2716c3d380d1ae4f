/**
 * What user code logs besides metrics and images: texts
 * (`texts/<seq>-<writer>.json`) and data inputs (`inputs/`), append-only
 * list chunks read back in the order logged.
 */
import type { IDataInput, ILoggedText } from '../model';
import { appendChunk, readChunks } from './chunks';
import { isNum, isObj } from './context';
import type { IDamagedFile, StoreContext } from './context';
import { FORMATS } from './format';
import { StoreDamagedError } from './fs';

/** Append logged texts as one new chunk (none: nothing written). */
export function appendTexts(
  ctx: StoreContext,
  id: string,
  texts: readonly ILoggedText[]
): Promise<void> {
  return appendChunk(ctx, id, 'texts', texts);
}

/** Every logged text of an experiment, in the order logged. */
export async function loadTexts(
  ctx: StoreContext,
  id: string
): Promise<{ texts: ILoggedText[]; damaged: IDamagedFile[] }> {
  const damaged: IDamagedFile[] = [];
  const chunks = await readChunks<{ texts: unknown }>(
    ctx,
    id,
    'texts',
    FORMATS.texts,
    damaged
  );
  const texts: ILoggedText[] = [];
  for (const { value } of chunks) {
    if (Array.isArray(value.texts)) {
      for (const t of value.texts) {
        if (t && typeof t.name === 'string' && typeof t.text === 'string') {
          texts.push(t as ILoggedText);
        }
      }
    }
  }
  return { texts, damaged };
}

/** Append data inputs (`labbook.log_input`) as one new chunk (none: nothing written). */
export function appendInputs(
  ctx: StoreContext,
  id: string,
  inputs: readonly IDataInput[]
): Promise<void> {
  return appendChunk(ctx, id, 'inputs', inputs);
}

/**
 * Every data input of an experiment, in the order logged (an input
 * logged twice is listed twice). Entries without a name and a path are
 * left out; unreadable chunks are reported in `damaged`.
 */
export async function loadInputs(
  ctx: StoreContext,
  id: string
): Promise<{ inputs: IDataInput[]; damaged: IDamagedFile[] }> {
  const damaged: IDamagedFile[] = [];
  const chunks = await readChunks<{ inputs: unknown }, unknown[]>(
    ctx,
    id,
    'inputs',
    FORMATS.inputs,
    damaged,
    {
      read: (chunk, path) => {
        if (!Array.isArray(chunk.inputs)) {
          throw new StoreDamagedError(path, 'no inputs list');
        }
        return chunk.inputs as unknown[];
      }
    }
  );
  const inputs: IDataInput[] = [];
  for (const { value } of chunks) {
    for (const input of value) {
      const checked = checkInput(input);
      if (checked) {
        inputs.push(checked);
      }
    }
  }
  return { inputs, damaged };
}

/** A stored data input, or null when it has no name or path. */
export function checkInput(x: unknown): IDataInput | null {
  if (!isObj(x) || typeof x.name !== 'string' || typeof x.path !== 'string') {
    return null;
  }
  const input: IDataInput = {
    name: x.name,
    path: x.path,
    size: isNum(x.size) ? x.size : null,
    mtime: typeof x.mtime === 'string' ? x.mtime : null,
    hash: typeof x.hash === 'string' ? x.hash : null
  };
  if (typeof x.note === 'string') {
    input.note = x.note;
  }
  if (isNum(x.time)) {
    input.time = x.time;
  }
  if (typeof x.parent === 'string' || x.parent === null) {
    input.parent = x.parent;
  }
  return input;
}

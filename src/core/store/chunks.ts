/**
 * The one write path and the one read path of chunk files: growing data is
 * appended as `<folder>/<seq>-<writer>.json` files, never rewritten, and
 * read back in name order, a damaged chunk reported and the rest kept.
 */
import { mapLimit } from './maplimit';
import { FORMATS, FORMAT_VERSION, parseStoreFile } from './format';
import type { FormatName } from './format';
import type { IStoreEntry } from './fs';
import { damage, jsonNames } from './context';
import type { IDamagedFile, StoreContext } from './context';

/** Folders of list chunks and the field that holds each one's list. */
export const LIST_FIELDS = {
  history: 'records',
  texts: 'texts',
  inputs: 'inputs',
  images: 'images'
} as const;

export type ListKind = keyof typeof LIST_FIELDS;

/**
 * Write `body` (its fields after `format`, `version` and `writer`) as a new
 * chunk of folder `dir` of experiment `id`; returns the chunk's name.
 */
export async function writeChunk(
  ctx: StoreContext,
  id: string,
  dir: string,
  format: FormatName,
  body: Record<string, unknown>
): Promise<string> {
  const name = ctx.chunkName(id, dir);
  await ctx.fs.writeText(
    ctx.path(id, dir, name),
    JSON.stringify({
      format,
      version: FORMAT_VERSION,
      writer: ctx.writer,
      ...body
    })
  );
  return name;
}

/**
 * Append `items` as one new chunk of a list folder and tell listeners.
 * An empty list writes nothing.
 */
export async function appendChunk(
  ctx: StoreContext,
  id: string,
  kind: ListKind,
  items: readonly unknown[]
): Promise<void> {
  if (items.length === 0) {
    return;
  }
  await writeChunk(ctx, id, kind, FORMATS[kind], {
    [LIST_FIELDS[kind]]: items
  });
  ctx.emit({ type: kind, id });
}

export interface IReadChunksOptions<T, R> {
  /** Chunks read before, left out. */
  skip?: { has(name: string): boolean };
  /** A parsed chunk as the caller keeps it; throws to mark it damaged. */
  read?: (chunk: T, path: string) => R;
  /** The folder's listing, when started already. */
  listing?: Promise<IStoreEntry[]>;
}

/**
 * The chunk files of one folder of an experiment, in name order (the order
 * they were written, per writer). Damaged files go to `damaged`.
 */
export async function readChunks<T, R = T>(
  ctx: StoreContext,
  id: string,
  dir: string,
  format: FormatName,
  damaged: IDamagedFile[],
  options: IReadChunksOptions<T, R> = {}
): Promise<{ name: string; value: R }[]> {
  const { skip, read } = options;
  const names = jsonNames(
    await (options.listing ?? ctx.fs.list(ctx.path(id, dir)))
  ).filter(name => !skip?.has(name));
  const out = await mapLimit(names, ctx.concurrency, async name => {
    const path = ctx.path(id, dir, name);
    try {
      const chunk = parseStoreFile<T>(
        path,
        await ctx.fs.readText(path),
        format
      );
      return {
        name,
        value: read ? read(chunk, path) : (chunk as unknown as R)
      };
    } catch (error) {
      damaged.push(damage(id, path, error));
      return null;
    }
  });
  return out.filter((x): x is { name: string; value: R } => x !== null);
}

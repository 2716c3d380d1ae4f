/**
 * What every part of the store shares (`store.ts` builds one per store):
 * the file system, this writer's id, the clock, the chunk sequence, the
 * change emitter, and the path and damage helpers.
 */
import type { IStoreEntry, IStoreFS } from './fs';
import { StoreDamagedError, StorePathError } from './fs';
import { storePath } from './path';
import type { IStoreChange } from './changes';

/** A file that could not be read. */
export interface IDamagedFile {
  /** The experiment it belongs to ('' for the store itself). */
  id: string;
  path: string;
  problem: string;
}

/** Experiment, writer and snapshot ids: one safe path segment. */
export const ID_SEGMENT = /^[A-Za-z0-9_-]+$/;

export class StoreContext {
  constructor(options: StoreContext.IOptions) {
    this.fs = options.fs;
    this.writer = options.writer;
    this.now = options.now;
    this.concurrency = options.concurrency;
    this.emit = options.emit;
  }

  readonly fs: IStoreFS;
  /** This writer's id: part of every chunk name it writes. */
  readonly writer: string;
  readonly now: () => Date;
  /** Parallel reads. */
  readonly concurrency: number;
  readonly emit: (change: IStoreChange) => void;
  /** Experiments this store created (no files of this writer's yet). */
  readonly created = new Set<string>();

  /** A path in an experiment's folder. */
  path(id: string, ...rest: string[]): string {
    return storePath('experiments', segment(id), ...rest);
  }

  /** `<seq>-<writer>.json`: unique per writer, lexical order = write order. */
  chunkName(id: string, kind: string): string {
    const key = `${id}/${kind}`;
    const seq = (this._seq.get(key) ?? 0) + 1;
    this._seq.set(key, seq);
    return `${String(this._seqBase + seq).padStart(12, '0')}-${this.writer}.json`;
  }

  private _seq = new Map<string, number>();
  /** Time-based base so a reloaded tab's chunks sort after its earlier ones. */
  private _seqBase = Date.now() * 1000;
}

export namespace StoreContext {
  export interface IOptions {
    fs: IStoreFS;
    writer: string;
    now: () => Date;
    concurrency: number;
    emit: (change: IStoreChange) => void;
  }
}

/** `id` as a path segment; throws `StorePathError` when it is not an id. */
export function segment(id: string): string {
  if (!ID_SEGMENT.test(id)) {
    throw new StorePathError(id, 'not an experiment or snapshot id');
  }
  return id;
}

/** The `.json` files of a folder listing, by name. */
export function jsonNames(entries: readonly IStoreEntry[]): string[] {
  return entries
    .filter(e => e.type === 'file' && e.name.endsWith('.json'))
    .map(e => e.name)
    .sort();
}

/** A file that failed to read, as reported. */
export function damage(id: string, path: string, error: unknown): IDamagedFile {
  if (error instanceof StoreDamagedError) {
    return { id, path, problem: error.problem };
  }
  return { id, path, problem: String((error as Error)?.message ?? error) };
}

/** Shape checks the file validators share. */
export const isObj = (v: unknown): v is Record<string, any> =>
  !!v && typeof v === 'object' && !Array.isArray(v);
export const isNum = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v);

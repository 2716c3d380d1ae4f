/**
 * The file-system seam under every store backend.
 *
 * A Labbook store is a folder of plain files (see docs/store-format.md).
 * Backends differ only in how they reach those files: the Jupyter Contents
 * API in the browser, Node's `fs` in tests and on the command line. Both go
 * through this interface, so both read and write the identical layout.
 *
 * Every path given to an `IStoreFS` is relative to the store root, uses `/`
 * as separator and has already been checked by `storePath()`; backends must
 * still refuse anything that would leave the root.
 */

/** One entry of a directory listing. */
export interface IStoreEntry {
  /** Base name, no slash. */
  name: string;
  type: 'file' | 'directory';
  /** Size in bytes, when the backend knows it cheaply. */
  size?: number;
  /** Last modification time in ms since the epoch, when known. */
  mtime?: number;
}

export interface IStoreFS {
  /** A label for messages, e.g. `contents:labbook/` or `fs:/tmp/store`. */
  readonly description: string;

  /** Read a UTF-8 text file. Rejects with `StoreNotFoundError` if missing. */
  readText(path: string): Promise<string>;

  /** Read a binary file. Rejects with `StoreNotFoundError` if missing. */
  readBytes(path: string): Promise<Uint8Array>;

  /**
   * Write a whole file, creating parent folders. The write is atomic from a
   * reader's point of view: the old or the new content, never a mix.
   */
  writeText(path: string, text: string): Promise<void>;

  /** Binary counterpart of `writeText`. */
  writeBytes(path: string, data: Uint8Array): Promise<void>;

  /** List a folder. A missing folder lists as empty. */
  list(dir: string): Promise<IStoreEntry[]>;

  /** Whether a file or folder exists. */
  exists(path: string): Promise<boolean>;

  /** Remove a file, or a folder and all it holds. Missing is not an error. */
  remove(path: string): Promise<void>;
}

/** Thrown by `IStoreFS` reads of a path that does not exist. */
export class StoreNotFoundError extends Error {
  constructor(readonly path: string) {
    super(`Not found in the store: ${path}`);
    this.name = 'StoreNotFoundError';
  }
}

/** Thrown when a path would leave the store or is malformed. */
export class StorePathError extends Error {
  constructor(
    readonly path: string,
    reason: string
  ) {
    super(`Invalid store path ${JSON.stringify(path)}: ${reason}`);
    this.name = 'StorePathError';
  }
}

/**
 * A file that exists but cannot be understood: not JSON, wrong format tag,
 * a newer major version, missing required fields. Readers report it on the
 * experiment it belongs to and carry on with the rest of the store.
 */
export class StoreDamagedError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string
  ) {
    super(`Damaged store file ${path}: ${problem}`);
    this.name = 'StoreDamagedError';
  }
}

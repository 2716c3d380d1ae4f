/**
 * Notebook snapshots: each cell a content-addressed object
 * (`objects/<h2>/<sha256>.json`, shared by every snapshot and experiment),
 * each snapshot a manifest (`snapshots/<id>.json`) listing its cells'
 * hashes, or, when close to the previous one, a delta on it (a chain at
 * most `MAX_CHAIN` long).
 */
import type { ISnapshotInfo, SnapshotReason } from '../model';
import { canonicalJSON, sha256Hex } from './canonical';
import { damage, jsonNames, segment } from './context';
import type { IDamagedFile, StoreContext } from './context';
import { FORMATS, FORMAT_VERSION, parseStoreFile } from './format';
import { StoreDamagedError, StoreNotFoundError } from './fs';
import { newWriterId } from './ids';
import { mapLimit } from './maplimit';
import { storePath } from './path';

/** A nbformat v4 notebook as JSON. */
export interface INotebookJSON {
  cells: Record<string, unknown>[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
  [key: string]: unknown;
}

/** Longest chain of delta snapshots before a full cell list. */
const MAX_CHAIN = 64;

export class Snapshots {
  /** `notebookOf(id)`: the experiment's notebook path, when not given. */
  constructor(ctx: StoreContext, notebookOf: (id: string) => Promise<string>) {
    this._ctx = ctx;
    this._notebookOf = notebookOf;
  }

  /**
   * Save a snapshot of a notebook; unchanged cells are stored once.
   * `notebookPath`: the experiment's notebook, when the caller knows it
   * (spares reading the experiment; a sweep of short runs snapshots twice
   * per run).
   */
  async saveSnapshot(
    id: string,
    reason: SnapshotReason,
    notebook: INotebookJSON,
    options: { notebookPath?: string } = {}
  ): Promise<ISnapshotInfo> {
    // Taken when asked for (the notebook given is of this moment), not once
    // its cells are written: two snapshots list in the order they were taken.
    const taken = this._ctx.now();
    const notebookPath = options.notebookPath ?? (await this._notebookOf(id));
    const cells = Array.isArray(notebook.cells) ? notebook.cells : [];
    const hashes: string[] = [];
    const writes: { path: string; text: string }[] = [];
    for (const cell of cells) {
      const text = canonicalJSON(cell);
      const hash = sha256Hex(text);
      hashes.push(hash);
      if (!this._objects.has(hash)) {
        writes.push({ path: objectFile(hash), text });
      }
    }
    await mapLimit(writes, this._ctx.concurrency, async w => {
      if (!this._objects.has(w.path) && !(await this._objectStored(w.path))) {
        await this._ctx.fs.writeText(w.path, w.text);
      }
      this._objects.add(w.path);
    });
    for (const h of hashes) {
      this._objects.add(h);
    }
    const snapshotId = `${taken.toISOString().replace(/[-:.]/g, '')}-${reason}-${newWriterId().slice(0, 4)}`;
    const info: ISnapshotInfo = {
      id: snapshotId,
      experimentId: id,
      reason,
      taken: taken.toISOString(),
      notebook: notebookPath,
      cellCount: cells.length
    };
    const { cells: _cells, ...rest } = notebook;
    // A snapshot close to the previous one of this experiment is written
    // as a delta on it (cell positions that changed), a chain at most
    // MAX_CHAIN long; otherwise the full list of cell hashes.
    const last = this._lastCells.get(id);
    let cellRef: Record<string, unknown> = { cells: hashes };
    let depth = 0;
    if (last && last.depth < MAX_CHAIN) {
      const set: [number, string][] = [];
      hashes.forEach((h, i) => {
        if (last.cells[i] !== h) {
          set.push([i, h]);
        }
      });
      if (set.length * 2 < hashes.length) {
        cellRef = { base: last.snapshotId, length: hashes.length, set };
        depth = last.depth + 1;
      }
    }
    const manifest = {
      format: FORMATS.snapshot,
      version: FORMAT_VERSION,
      info,
      notebook: { ...rest, ...cellRef }
    };
    await this._ctx.fs.writeText(
      this._ctx.path(id, 'snapshots', `${snapshotId}.json`),
      JSON.stringify(manifest)
    );
    this._lastCells.set(id, { snapshotId, cells: hashes, depth });
    this._ctx.emit({ type: 'snapshot', id });
    return info;
  }

  /** Snapshots of an experiment, oldest first. */
  async listSnapshots(
    id: string
  ): Promise<{ snapshots: ISnapshotInfo[]; damaged: IDamagedFile[] }> {
    const names = await this._snapshotNames(id);
    const damaged: IDamagedFile[] = [];
    const infos = await mapLimit(names, this._ctx.concurrency, async name => {
      try {
        return await this._snapshotInfo(id, name);
      } catch (error) {
        damaged.push(damage(id, this._ctx.path(id, 'snapshots', name), error));
        return null;
      }
    });
    return { snapshots: infos.filter((i): i is ISnapshotInfo => !!i), damaged };
  }

  /**
   * The newest snapshot that can be read, or null when there is none: one
   * listing and one read (more only past damaged files), where
   * `listSnapshots` reads them all.
   */
  async lastSnapshot(id: string): Promise<ISnapshotInfo | null> {
    const names = await this._snapshotNames(id);
    for (let i = names.length - 1; i >= 0; i--) {
      try {
        return await this._snapshotInfo(id, names[i]);
      } catch {
        // damaged: the one before (listSnapshots reports it)
      }
    }
    return null;
  }

  /** The snapshot files of an experiment, oldest first. */
  private async _snapshotNames(id: string): Promise<string[]> {
    return jsonNames(await this._ctx.fs.list(this._ctx.path(id, 'snapshots')));
  }

  /** One snapshot file's info; throws when it cannot be read. */
  private async _snapshotInfo(
    id: string,
    name: string
  ): Promise<ISnapshotInfo> {
    const path = this._ctx.path(id, 'snapshots', name);
    return parseStoreFile<{ info: ISnapshotInfo }>(
      path,
      await this._ctx.fs.readText(path),
      FORMATS.snapshot
    ).info;
  }

  /** A snapshot's notebook, reassembled exactly as it was saved. */
  async loadSnapshot(id: string, snapshotId: string): Promise<INotebookJSON> {
    const { notebook, hashes } = await this._snapshotCells(id, snapshotId, 0);
    const cells = await mapLimit(hashes, this._ctx.concurrency, async hash => {
      const objectPath = objectFile(hash);
      let text: string;
      try {
        text = await this._ctx.fs.readText(objectPath);
      } catch (error) {
        if (error instanceof StoreNotFoundError) {
          throw new StoreDamagedError(objectPath, 'a snapshot cell is missing');
        }
        throw error;
      }
      if (sha256Hex(text) !== hash) {
        throw new StoreDamagedError(
          objectPath,
          'content does not match its hash'
        );
      }
      return JSON.parse(text);
    });
    const { base: _b, length: _l, set: _s, ...rest } = notebook as any;
    return { ...rest, cells };
  }

  /** A snapshot manifest and its cell hashes, following delta bases. */
  private async _snapshotCells(
    id: string,
    snapshotId: string,
    depth: number
  ): Promise<{ notebook: INotebookJSON; hashes: string[] }> {
    const path = this._ctx.path(id, 'snapshots', `${segment(snapshotId)}.json`);
    const manifest = parseStoreFile<{ notebook: any }>(
      path,
      await this._ctx.fs.readText(path),
      FORMATS.snapshot
    );
    const nb = manifest.notebook;
    const isHash = (h: unknown) =>
      typeof h === 'string' && /^[0-9a-f]{64}$/.test(h);
    if (!nb || typeof nb !== 'object') {
      throw new StoreDamagedError(path, 'no notebook');
    }
    if (Array.isArray(nb.cells)) {
      if (!nb.cells.every(isHash)) {
        throw new StoreDamagedError(path, 'bad cell list');
      }
      return { notebook: nb, hashes: nb.cells };
    }
    if (
      typeof nb.base !== 'string' ||
      !Number.isInteger(nb.length) ||
      !Array.isArray(nb.set)
    ) {
      throw new StoreDamagedError(path, 'neither a cell list nor a delta');
    }
    if (depth > MAX_CHAIN * 4) {
      throw new StoreDamagedError(
        path,
        'snapshot delta chain too long (a loop?)'
      );
    }
    const base = await this._snapshotCells(id, nb.base, depth + 1);
    const hashes = base.hashes.slice(0, nb.length);
    for (const entry of nb.set) {
      if (
        !Array.isArray(entry) ||
        !Number.isInteger(entry[0]) ||
        entry[0] < 0 ||
        entry[0] >= nb.length ||
        !isHash(entry[1])
      ) {
        throw new StoreDamagedError(path, 'bad delta entry');
      }
      hashes[entry[0]] = entry[1];
    }
    if (hashes.length !== nb.length || hashes.some(h => h === undefined)) {
      throw new StoreDamagedError(path, 'delta does not cover every cell');
    }
    return { notebook: nb, hashes };
  }

  /**
   * Whether an object file is already in the store. Its bucket folder is
   * listed once and remembered (objects never change once written), which
   * costs one request per bucket instead of one per object.
   */
  private async _objectStored(path: string): Promise<boolean> {
    const slash = path.lastIndexOf('/');
    const bucket = path.slice(0, slash);
    let names = this._buckets.get(bucket);
    if (!names) {
      // Which buckets exist at all is one listing; a missing bucket needs
      // no request of its own.
      this._bucketDirs ??= this._ctx.fs
        .list('objects')
        .then(
          entries =>
            new Set(
              entries.filter(e => e.type === 'directory').map(e => e.name)
            )
        )
        .catch(() => new Set<string>());
      const name = bucket.slice(bucket.lastIndexOf('/') + 1);
      names = this._bucketDirs.then(dirs =>
        dirs.has(name)
          ? this._ctx.fs
              .list(bucket)
              .then(entries => new Set(entries.map(e => e.name)))
              .catch(() => new Set<string>())
          : new Set<string>()
      );
      this._buckets.set(bucket, names);
    }
    return (await names).has(path.slice(slash + 1));
  }
  private _ctx: StoreContext;
  private _notebookOf: (id: string) => Promise<string>;
  /** Objects known to be stored (by path and by hash). */
  private _objects = new Set<string>();
  private _buckets = new Map<string, Promise<Set<string>>>();
  private _bucketDirs: Promise<Set<string>> | null = null;
  private _lastCells = new Map<
    string,
    { snapshotId: string; cells: string[]; depth: number }
  >();
}

function objectFile(hash: string): string {
  return storePath('objects', hash.slice(0, 2), `${hash}.json`);
}

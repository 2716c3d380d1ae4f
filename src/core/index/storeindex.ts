/**
 * The store index (issue 7): one summary per experiment (params, metric
 * last/min/max, tags, status, times) in a handful of files under `index/`,
 * so the list opens without reading every experiment folder.
 *
 * - Kept up to date incrementally: attached to a `LabbookStore`, it turns
 *   each change into an entry (metadata read again from that experiment's
 *   folder, metric summaries merged from the points just appended) and
 *   writes the entries of a second or so as one chunk
 *   `index/<seq>-<writer>.json`.
 * - Several writers: each writes only its own chunks; entries are stamped
 *   and the newest wins per experiment and part (metadata, metrics), so
 *   two tabs editing one store lose nothing and every reader folds the
 *   same files to the same index.
 * - Compacted: past `compactAfter` chunks, a writer folds the files it
 *   lists (reading only those it has not folded yet) into
 *   `index/base-<seq>-<writer>.json` and deletes exactly those files; a
 *   chunk another writer adds meanwhile is left for the next one.
 * - Repaired: a missing or damaged index is rebuilt from the folders (the
 *   damaged files are reported); experiment folders the index does not
 *   know, found with one listing, are summarised and added.
 */
import { ISignal, Signal } from '@lumino/signaling';
import { mapLimit } from '../store/maplimit';
import { storePath } from '../store/path';
import type { IMetricsAppended } from '../store/changes';
import type { IDamagedFile, IStoreChange, LabbookStore } from '../store/store';
import {
  mergeAppended,
  metaSummary,
  readMetaEntry,
  readMetricsEntry,
  summarizeFolder,
  summarizeFolders,
  experimentFolderIds,
  writersOf
} from './entries';
import { IndexFold } from './fold';
import {
  IIndexEntry,
  INDEX_DIR,
  Stamper,
  formatIndexFile,
  indexFileKind
} from './indexfile';
import { readIndexFiles, readIndexFilesSettled } from './indexfiles';
import type { IExperimentSummary } from './summary';

/** What changed in the index: these experiments, or (null) possibly all. */
/** Delay before metadata entries are written (ms): soon, a few coalesced. */
const META_FLUSH_MS = 50;

export interface IStoreIndexChange {
  ids: readonly string[] | null;
  /**
   * An entry of this index's own writer, made from a change of its store
   * (which the store's `changed` announced already); otherwise what other
   * writers wrote, or a (re)load.
   */
  own?: boolean;
}

export class StoreIndex {
  constructor(options: StoreIndex.IOptions) {
    this.store = options.store;
    this._flushMs = options.flushMs ?? 1000;
    this._compactAfter = options.compactAfter ?? 32;
    this._concurrency = options.concurrency ?? 16;
    this._stamper = new Stamper(this.store.writer, options.now);
  }

  readonly store: LabbookStore;

  /** Every experiment's summary, newest first. */
  get summaries(): readonly IExperimentSummary[] {
    return this._fold.summaries();
  }

  /** One experiment's summary, or undefined when not in the index. */
  get(id: string): IExperimentSummary | undefined {
    return this._fold.get(id);
  }

  /** Emitted when summaries change (after a load, a rebuild, or a store change). */
  get changed(): ISignal<this, IStoreIndexChange> {
    return this._changed;
  }

  /** The last error of a background flush (the entries are kept and written later), or null. */
  get lastError(): unknown {
    return this._lastError;
  }

  /**
   * Read the index: a listing of `index/` and its few files. Rebuilds it
   * from the folders when it is missing or a file is damaged (the damaged
   * files are reported). Then, unless `check` is false, compares it with
   * one listing of `experiments/` and adds or drops what differs (see
   * `checkFolders`).
   */
  async load(
    options: { check?: boolean; onProgress?: StoreIndex.ProgressCallback } = {}
  ): Promise<StoreIndex.ILoadResult> {
    const read = await readIndexFilesSettled(this.store.fs, this._concurrency);
    // A file of a newer Labbook is not ours to replace: work in memory.
    this._readOnly = read.newer;
    if (read.files.length === 0 || read.damaged.length > 0) {
      return this._rebuild(read.damaged, options.onProgress);
    }
    const fold = new IndexFold();
    for (const file of read.files) {
      file.entries.forEach(e => fold.apply(e));
    }
    this._pending.forEach(e => fold.apply(e));
    this._fold = fold;
    this._read = new Set(read.files.map(f => f.name));
    this._chunks = read.files.filter(f => f.kind === 'chunk').length;
    this._changed.emit({ ids: null });
    const damaged =
      options.check === false ? [] : (await this.checkFolders()).damaged;
    return { summaries: this.summaries, damaged, rebuilt: false };
  }

  /**
   * Fold what other writers added since the last load or refresh: one
   * listing of `index/` and only the files not read yet (a new base after
   * a compaction is read in full). Returns the experiments that changed;
   * a damaged file is reported and left for the next `load` to repair.
   */
  async refresh(): Promise<{ ids: string[]; damaged: IDamagedFile[] }> {
    // After this index's own writes and compactions, never beside them: a
    // listing taken while this tab compacts would name files it is
    // deleting, and reading them fails (a 404 in the browser's console).
    return this._serial(() => this._refresh());
  }

  private async _refresh(): Promise<{
    ids: string[];
    damaged: IDamagedFile[];
  }> {
    const read = await this._readIndex(this._read);
    const changed = new Set<string>();
    for (const file of read.files) {
      for (const entry of file.entries) {
        if (this._fold.apply(entry)) {
          changed.add(entry.id);
        }
      }
      this._read.add(file.name);
    }
    const ids = [...changed];
    if (ids.length > 0) {
      this._changed.emit({ ids });
    }
    return { ids, damaged: read.damaged };
  }

  /**
   * Rebuild the index from the experiment folders (every experiment and
   * its metric chunks are read) and replace the index files with one base.
   * Experiments with unreadable files stay in the index with `damaged`
   * set; the files are reported.
   */
  async rebuild(
    options: { onProgress?: StoreIndex.ProgressCallback } = {}
  ): Promise<StoreIndex.ILoadResult> {
    return this._rebuild([], options.onProgress);
  }

  /**
   * Compare the index with the experiment folders (one listing): folders
   * it does not know are read and added, experiments whose folder is gone
   * are dropped. Returns what changed and the damaged files of the
   * experiments read.
   */
  async checkFolders(): Promise<{
    added: string[];
    removed: string[];
    damaged: IDamagedFile[];
  }> {
    const folders = new Set(await experimentFolderIds(this.store.fs));
    const added = [...folders].filter(id => !this._fold.has(id));
    const removed = this._fold.ids().filter(id => !folders.has(id));
    for (const id of removed) {
      this._record({ id, stamp: this._stamper.next(), deleted: true }, false);
    }
    const read = await mapLimit(added, this._concurrency, id =>
      summarizeFolder(this.store, id, this._stamper.next())
    );
    const damaged: IDamagedFile[] = [];
    for (const r of read) {
      this._record(r.entry, false);
      this._synced.add(r.entry.id);
      damaged.push(...r.damaged);
    }
    if (added.length + removed.length > 0) {
      await this.flush();
    }
    return { added, removed, damaged };
  }

  /**
   * Read these experiments' metadata again now (say, running experiments
   * another tab may have ended since its index chunk was written).
   */
  async reread(ids: readonly string[]): Promise<void> {
    ids.forEach(id => this._refreshMeta(id, false));
    while (this._work.size > 0) {
      await Promise.all([...this._work]);
    }
  }

  /** Follow the store's changes (call after `load`). */
  attach(): void {
    this.store.changed.connect(this._onStoreChange, this);
  }

  /** Stop following the store's changes. */
  detach(): void {
    this.store.changed.disconnect(this._onStoreChange, this);
  }

  /**
   * Write the pending entries now, as one chunk, once the reads that
   * produce them are done; compact when there are many chunks. Rejects if
   * the write fails (the entries are kept for the next flush).
   */
  async flush(): Promise<void> {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    while (this._work.size > 0) {
      await Promise.all([...this._work]);
    }
    await this._serial(() => this._writePending());
  }

  /**
   * Fold the index files into one base and delete the files folded (only
   * those: a chunk written meanwhile stays). Skipped when a file is
   * damaged: the next `load` rebuilds.
   */
  async compact(): Promise<void> {
    await this._serial(() => this._compact());
  }

  /** Detach and drop the pending timer (call `flush` first to keep pending entries). */
  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this.detach();
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    Signal.clearData(this);
  }

  private _onStoreChange(_: LabbookStore, change: IStoreChange): void {
    switch (change.type) {
      case 'created':
        this._synced.add(change.id); // a new experiment has no metrics yet
        if (change.experiment) {
          // As written, no one has edited it yet and it has no metrics: the
          // entry a read of its folder would make, without the read.
          this._record({
            id: change.id,
            stamp: this._stamper.next(),
            summary: metaSummary(change.id, change.experiment, []),
            metrics: {},
            metricWriters: []
          });
        } else {
          this._refreshMeta(change.id);
        }
        break;
      case 'updated':
        this._refreshMeta(change.id);
        break;
      case 'deleted':
        this._synced.delete(change.id);
        this._record({
          id: change.id,
          stamp: this._stamper.next(),
          deleted: true
        });
        break;
      case 'metrics':
        this._onMetrics(change);
        break;
      default:
        break; // history, snapshots and texts are not in the summary
    }
  }

  /**
   * Read an experiment's metadata again (edits of other writers included).
   * One read at a time per experiment; changes during a read cause one more.
   * `own`: for a change of this index's store (not another writer's).
   */
  private _refreshMeta(id: string, own = true): void {
    const running = this._metaReads.get(id);
    if (running) {
      running.again = true;
      running.own &&= own;
      return;
    }
    const state = { again: false, own };
    this._metaReads.set(id, state);
    this._track(async () => {
      try {
        do {
          state.again = false;
          // Stamped before reading: a later stamp has seen at least as much.
          const entry = await readMetaEntry(
            this.store,
            id,
            this._stamper.next()
          );
          if (entry) {
            this._record(entry, state.own);
          }
        } while (state.again);
      } finally {
        this._metaReads.delete(id);
      }
    });
  }

  /**
   * Merge appended points into the metric summaries. The first time this
   * index sees an experiment's metrics it reads them in full, since its
   * summaries may miss points written without an index; the appends seen
   * meanwhile are merged after, unless the full read already held them.
   */
  private _onMetrics(change: IMetricsAppended): void {
    const id = change.id;
    const seen = this._seenChunks.get(id);
    if (change.chunk && seen?.has(change.chunk)) {
      return;
    }
    const queued = this._resyncs.get(id);
    if (queued) {
      queued.push(change);
      return;
    }
    if (this._synced.has(id) && change.series) {
      const current = this._fold.metrics(id);
      const writers = current.writers
        ? writersOf(change.chunk ? [change.chunk] : [], current.writers)
        : undefined;
      this._record({
        id,
        stamp: this._stamper.next(),
        metrics: mergeAppended(current.metrics, change),
        metricsDamaged: current.damaged,
        ...(writers ? { metricWriters: writers } : {})
      });
      return;
    }
    const pending: IMetricsAppended[] = [change];
    this._resyncs.set(id, pending);
    this._track(async () => {
      try {
        const stamp = this._stamper.next();
        const read = await readMetricsEntry(this.store, id, stamp, pending);
        this._seenChunks.set(id, read.chunks);
        this._synced.add(id);
        this._record(read.entry);
      } finally {
        this._resyncs.delete(id);
      }
    });
  }

  /**
   * Apply an entry of this writer and queue it for the next chunk. `own`:
   * made from a change of this index's store (listeners heard of it from
   * the store already), not from what another writer wrote.
   */
  private _record(entry: IIndexEntry, own = true): void {
    // One pending entry per part: a newer one replaces it before it is written.
    const part = `${entry.summary || entry.deleted ? 'meta' : ''}${entry.metrics ? 'metrics' : ''}`;
    this._pending.set(`${part}:${entry.id}`, entry);
    if (this._fold.apply(entry)) {
      this._changed.emit({ ids: [entry.id], own });
    }
    // Metadata edits (a tag, a status) are rare and what other tabs and a
    // reload must see: written at once. Metric summaries of a training
    // loop change all the time: at most one chunk per `flushMs`.
    this._schedule(part === 'meta' ? META_FLUSH_MS : this._flushMs);
  }

  private _schedule(delay = this._flushMs): void {
    if (this._disposed) {
      return;
    }
    const due = Date.now() + delay;
    if (this._timer !== null) {
      if (this._timerDue <= due) {
        return;
      }
      clearTimeout(this._timer); // a sooner write is wanted
    }
    this._timerDue = due;
    this._timer = setTimeout(() => {
      this._timer = null;
      this.flush().then(
        () => {
          this._lastError = null;
        },
        error => {
          this._lastError = error;
          this._schedule(this._flushMs * 5);
        }
      );
    }, delay);
  }

  /** Keep track of a background read so `flush` can wait for it. */
  private _track(fn: () => Promise<void>): void {
    const p: Promise<void> = fn()
      .catch(error => {
        this._lastError = error; // the next change or load tries again
      })
      .finally(() => this._work.delete(p));
    this._work.add(p);
  }

  /** Run index writes one after another. */
  private _serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this._writing.then(fn, fn);
    this._writing = next.then(
      () => undefined,
      () => undefined
    );
    return next;
  }

  private async _writePending(): Promise<void> {
    if (this._pending.size === 0 || this._readOnly) {
      return;
    }
    const written = new Map(this._pending);
    const name = `${this._stamper.next()}.json`;
    await this._write(name, [...written.values()]);
    this._read.add(name);
    for (const [key, entry] of written) {
      if (this._pending.get(key) === entry) {
        this._pending.delete(key);
      }
    }
    this._chunks++;
    if (this._chunks > this._compactAfter) {
      await this._compact();
    }
  }

  /**
   * Fold the index files into one base and delete them. The files this
   * index has read or written are folded in memory already: only the ones
   * other writers added since are read (a compaction used to read back
   * every chunk it had just written).
   */
  private async _compact(): Promise<void> {
    if (this._readOnly) {
      return;
    }
    const read = await this._readIndex(this._read);
    const chunks = read.listed.filter(n => indexFileKind(n) === 'chunk');
    if (
      read.damaged.length > 0 ||
      read.vanished ||
      (chunks.length === 0 && read.listed.length < 2)
    ) {
      return;
    }
    const changed: string[] = [];
    for (const file of read.files) {
      for (const entry of file.entries) {
        if (this._fold.apply(entry)) {
          changed.push(entry.id); // another writer's entry, new to us
        }
      }
      this._read.add(file.name);
    }
    // Every file listed is in the fold now (with this writer's entries not
    // written yet, which the base may hold early: entries are idempotent).
    const base = `base-${this._stamper.next()}.json`;
    await this._write(base, this._fold.entries());
    this._read.add(base);
    await mapLimit(read.listed, this._concurrency, name =>
      this.store.fs.remove(storePath(INDEX_DIR, name))
    );
    read.listed.forEach(name => this._read.delete(name)); // gone for good
    this._chunks = 0;
    if (changed.length > 0) {
      this._changed.emit({ ids: [...new Set(changed)] });
    }
  }

  private async _rebuild(
    indexDamage: IDamagedFile[],
    onProgress?: StoreIndex.ProgressCallback
  ): Promise<StoreIndex.ILoadResult> {
    const old = (await this.store.fs.list(INDEX_DIR)).filter(
      e => e.type === 'file' && indexFileKind(e.name)
    );
    const ids = await experimentFolderIds(this.store.fs);
    const read = await summarizeFolders(this.store, ids, {
      concurrency: this._concurrency,
      stamp: () => this._stamper.next(),
      onProgress
    });
    const fold = new IndexFold();
    const damaged = [...indexDamage];
    for (const r of read) {
      fold.apply(r.entry);
      damaged.push(...r.damaged);
    }
    if (!this._readOnly && (ids.length > 0 || old.length > 0)) {
      await this._serial(async () => {
        const base = `base-${this._stamper.next()}.json`;
        await this._write(base, fold.entries());
        this._read = new Set([base]);
        // Files listed before the folders were read say nothing newer.
        await mapLimit(old, this._concurrency, e =>
          this.store.fs.remove(storePath(INDEX_DIR, e.name))
        );
        this._chunks = 0;
      });
    }
    this._pending.forEach(e => fold.apply(e));
    this._fold = fold;
    ids.forEach(id => this._synced.add(id));
    this._changed.emit({ ids: null });
    return { summaries: this.summaries, damaged, rebuilt: true };
  }

  /** Write index file `name` with `entries`, as this writer. */
  private _write(name: string, entries: IIndexEntry[]): Promise<void> {
    return this.store.fs.writeText(
      storePath(INDEX_DIR, name),
      formatIndexFile(this.store.writer, entries)
    );
  }

  /** The index files (those in `skip` listed, not read). */
  private _readIndex(skip?: ReadonlySet<string>) {
    return readIndexFiles(this.store.fs, this._concurrency, skip);
  }

  private _fold = new IndexFold();
  /** Index files folded (or written) by this index: `refresh` skips them. */
  private _read = new Set<string>();
  private _stamper: Stamper;
  private _flushMs: number;
  private _compactAfter: number;
  private _concurrency: number;
  /** Entries of this writer not written yet, by part and id. */
  private _pending = new Map<string, IIndexEntry>();
  /** Experiments whose metric summaries this index computed from every point. */
  private _synced = new Set<string>();
  /** Metric chunks a full read included, so their change is not merged twice. */
  private _seenChunks = new Map<string, Set<string>>();
  /** Full metric reads in flight, with the appends seen meanwhile. */
  private _resyncs = new Map<string, IMetricsAppended[]>();
  private _metaReads = new Map<string, { again: boolean; own: boolean }>();
  private _work = new Set<Promise<void>>();
  private _timerDue = 0;
  private _writing: Promise<void> = Promise.resolve();
  private _timer: ReturnType<typeof setTimeout> | null = null;
  /** Chunks in `index/` as far as this writer knows. */
  private _chunks = 0;
  private _readOnly = false;
  private _disposed = false;
  private _lastError: unknown = null;
  private _changed = new Signal<this, IStoreIndexChange>(this);
}

export namespace StoreIndex {
  export interface IOptions {
    store: LabbookStore;
    /** Longest wait before pending entries are written, in ms (default 1000). */
    flushMs?: number;
    /** Compact when this writer has seen more chunks than this (default 32). */
    compactAfter?: number;
    /** Parallel reads (default 16). */
    concurrency?: number;
    /** Clock in ms since the epoch (tests). */
    now?: () => number;
  }

  /** Progress of a rebuild: experiment folders read, of `total`. */
  export type ProgressCallback = (done: number, total: number) => void;

  export interface ILoadResult {
    /** Newest first. */
    summaries: readonly IExperimentSummary[];
    /** Index files and experiment files that could not be read during this load. */
    damaged: IDamagedFile[];
    /** Whether the index was rebuilt from the folders. */
    rebuilt: boolean;
  }
}

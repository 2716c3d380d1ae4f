/**
 * The store of this JupyterLab and its index (the `ILabbookStore`
 * service): the store in the server's `storeFolder`, the index kept
 * current from this tab's writes, and a refresh now and then for what
 * other tabs and tools wrote. Capture and running experiments are the
 * recorder's; this only reads, lists and reports damage.
 */
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';
import { StoreIndex } from '../../core/index/storeindex';
import type { IExperimentSummary } from '../../core/index/summary';
import type { IStoreFS } from '../../core/store/fs';
import { LabbookStore, type IStoreChange } from '../../core/store/store';
import type { ILabbookDamage, ILabbookStore } from '../../tokens';

export class StoreService implements ILabbookStore {
  constructor(options: StoreService.IOptions) {
    this._fs = options.fs;
    this.store = new LabbookStore({ fs: options.fs });
    this.index = new StoreIndex({ store: this.store });
    this.index.changed.connect(() => this._changed.emit(), this);
    this.store.changed.connect(
      (_, change) => this._onStoreChange(change),
      this
    );
    // Other tabs and tools write to the store too: a full reload now and
    // then (not while the page is hidden). Changes made in this tab are
    // applied one experiment at a time, never by re-reading the store.
    this._poll = new Poll({
      auto: false,
      factory: () => this.refresh(),
      frequency: {
        interval: options.refreshMs ?? 60_000,
        backoff: false
      },
      standby: 'when-hidden',
      name: 'labbook:store-refresh'
    });
    // Training scripts (`python train.py` with the labbook module) write
    // index chunks as they start, log and end: one listing of index/ every
    // 2 s (only files not read yet are read) shows them live.
    this._indexPoll = new Poll({
      factory: async () => {
        if (this._listed) {
          await this.index.refresh().catch(() => undefined);
        }
      },
      frequency: { interval: options.indexRefreshMs ?? 2_000, backoff: false },
      standby: 'when-hidden',
      name: 'labbook:index-refresh'
    });
    // Best effort: what the index holds unwritten when the page goes.
    window.addEventListener('pagehide', this._onPageHide);
  }

  readonly store: LabbookStore;
  readonly index: StoreIndex;

  get experiments(): readonly IExperimentSummary[] {
    return this.index.summaries;
  }

  summary(id: string): IExperimentSummary | undefined {
    return this.index.get(id);
  }

  get damaged(): readonly ILabbookDamage[] {
    return this._damaged;
  }

  get error(): string | null {
    return this._error;
  }

  get listed(): boolean {
    return this._listed;
  }

  get loading(): { done: number; total: number } | null {
    return this._loading;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get refreshed(): ISignal<this, void> {
    return this._refreshed;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  serverPath(path: string): string {
    return this._fs.serverPath?.(path) ?? path;
  }

  /**
   * Read the index (the first time: rebuilt from the folders if missing or
   * damaged; then only what other tabs added). The periodic refresh starts
   * with the first.
   */
  async refresh(): Promise<void> {
    if (this._isDisposed) {
      return;
    }
    try {
      let damaged: ILabbookDamage[];
      if (!this._listed) {
        const result = await this.index.load({
          onProgress: (done, total) => this._onLoadProgress(done, total)
        });
        this.index.attach();
        damaged = result.damaged.map(d => ({ ...d }));
      } else {
        damaged = (await this.index.refresh()).damaged.map(d => ({ ...d }));
        damaged.push(...this._damaged.filter(d => !damaged.includes(d)));
      }
      this._listed = true;
      this._loading = null;
      this._damaged = damaged;
      this._error = null;
    } catch (error) {
      this._error = String((error as Error)?.message ?? error);
    }
    if (this._poll.state.phase === 'constructed') {
      // The next one in a minute (the poll's own start would run one now).
      void this._poll.schedule({
        interval: this._poll.frequency.interval,
        phase: 'started'
      });
    }
    this._refreshed.emit();
    this._changed.emit();
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._poll.dispose();
    this._indexPoll.dispose();
    window.removeEventListener('pagehide', this._onPageHide);
    if (this._loadingTimer !== null) {
      clearTimeout(this._loadingTimer);
    }
    void this.index.flush().finally(() => this.index.dispose());
    Signal.clearData(this);
  }

  /** Rebuild progress, told to listeners at most every 200 ms. */
  private _onLoadProgress(done: number, total: number): void {
    this._loading = { done, total };
    if (this._loadingTimer === null) {
      this._loadingTimer = setTimeout(() => {
        this._loadingTimer = null;
        if (!this._listed) {
          this._changed.emit();
        }
      }, 200);
    }
  }

  /**
   * What the list shows is the index's business (it follows the store's
   * changes); logged data and snapshots change what an open detail shows.
   */
  private _onStoreChange(change: IStoreChange): void {
    if (
      change.type === 'metrics' ||
      change.type === 'texts' ||
      change.type === 'images' ||
      change.type === 'snapshot' ||
      change.type === 'environment' ||
      change.type === 'inputs'
    ) {
      this._changed.emit();
    }
  }

  private _onPageHide = () => {
    void this.index.flush().catch(() => undefined);
  };

  private _fs: StoreService.IFS;
  private _poll: Poll;
  private _indexPoll: Poll;
  private _damaged: ILabbookDamage[] = [];
  private _error: string | null = null;
  private _isDisposed = false;
  /** The store's list was read once at least. */
  private _listed = false;
  private _loading: { done: number; total: number } | null = null;
  private _loadingTimer: ReturnType<typeof setTimeout> | null = null;
  private _changed = new Signal<this, void>(this);
  private _refreshed = new Signal<this, void>(this);
}

export namespace StoreService {
  /** A store backend; the Contents one also maps store paths to the server's. */
  export interface IFS extends IStoreFS {
    serverPath?(path: string): string;
  }

  export interface IOptions {
    fs: IFS;
    /** Between refreshes of what other tabs wrote (default a minute). */
    refreshMs?: number;
    /** Between listings of the index for other writers' chunks (default 2 s). */
    indexRefreshMs?: number;
  }
}

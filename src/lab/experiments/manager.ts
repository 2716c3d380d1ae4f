/**
 * The experiments of this JupyterLab: the store's list (kept current), the
 * capture of every open notebook, and the running experiment of each
 * notebook. The only writer of the store in this tab.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { StoreIndex } from '../../core/index/storeindex';
import type { IExperimentSummary } from '../../core/index/summary';
import { isStale } from '../../core/store/heartbeat';
import type { IExecutionRecord, IExperiment } from '../../core/model';
import { readParametersCell } from '../../core/params/parameterscell';
import type { IStoreChange, LabbookStore } from '../../core/store/store';
import { NotebookCapture } from '../capture/notebookcapture';
import type { LabbookSettings } from '../settings/settings';
import { RunningExperiment } from './runningexperiment';

/** A store file that could not be read, shown on its experiment. */
export interface IDamage {
  id: string;
  path: string;
  problem: string;
}

export class ExperimentManager implements IDisposable {
  constructor(options: ExperimentManager.IOptions) {
    this.store = options.store;
    this._settings = options.settings;
    this._version = options.version;
    this.index = new StoreIndex({ store: this.store });
    this.index.changed.connect(() => this._changed.emit(), this);
    this.store.changed.connect(
      (_, change) => this._onStoreChange(change),
      this
    );
    // Other tabs and tools write to the store too: a full reload now and
    // then (not while the page is hidden). Changes made in this tab are
    // applied one experiment at a time, never by re-reading the store.
    // Best effort: what the index holds unwritten when the page goes.
    window.addEventListener('pagehide', this._onPageHide);
    this._poll = setInterval(() => {
      if (!document.hidden) {
        void this.refresh();
      }
    }, 60_000);
    // Training scripts (`python train.py` with the labbook module) write
    // index chunks as they start, log and end: one listing of index/ every
    // 2 s (only files not read yet are read) shows them live.
    this._indexPoll = setInterval(() => {
      if (!document.hidden && this._listed && !this._indexPolling) {
        this._indexPolling = true;
        void this.index
          .refresh()
          .catch(() => undefined)
          .then(() => (this._indexPolling = false));
      }
    }, 2_000);
  }

  readonly store: LabbookStore;

  /**
   * The store's index: a summary per experiment, read from a few files
   * and kept current from this tab's writes (and other tabs' on refresh),
   * so the list never reads every experiment folder.
   */
  readonly index: StoreIndex;

  /** Experiments, newest first, as summaries. */
  get experiments(): readonly IExperimentSummary[] {
    return this.index.summaries;
  }

  /** One experiment's summary, if listed. */
  summary(id: string): IExperimentSummary | undefined {
    return this.index.get(id);
  }

  /** Experiments whose files could not be read. */
  get damaged(): readonly IDamage[] {
    return this._damaged;
  }

  /** The list or a running experiment changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The last store error (unreachable folder, …), or null. */
  get error(): string | null {
    return this._error;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Start capturing a notebook panel (done for every opened notebook). */
  track(panel: NotebookPanel): NotebookCapture {
    let capture = this._captures.get(panel);
    if (capture) {
      return capture;
    }
    capture = new NotebookCapture({
      panel,
      textLimit: this._settings.values.outputTextLimit
    });
    this._captures.set(panel, capture);
    capture.tracker.executionStarted.connect(() => {
      if (
        this._settings.values.autoStart &&
        !this._running.has(panel) &&
        !this._starting.has(panel)
      ) {
        void this.start(panel);
      }
    }, this);
    panel.context.saveState.connect((_, state) => {
      if (state === 'completed' && this._settings.values.snapshotOnSave) {
        void this._running.get(panel)?.snapshot('save');
      }
    }, this);
    panel.disposed.connect(() => {
      const running = this._running.get(panel);
      const done = running
        ? running.stop('finished', 'The notebook was closed.')
        : Promise.resolve();
      void done.then(() => capture!.dispose());
      this._captures.delete(panel);
    });
    return capture;
  }

  /** The tracked notebook panel whose DOM holds `node` (an output, say). */
  panelOf(node: Node): NotebookPanel | undefined {
    for (const panel of this._captures.keys()) {
      if (panel.node.contains(node)) {
        return panel;
      }
    }
    return undefined;
  }

  capture(panel: NotebookPanel): NotebookCapture | undefined {
    return this._captures.get(panel);
  }

  /** The running experiment of a notebook panel, if any. */
  runningFor(panel: NotebookPanel): RunningExperiment | undefined {
    return this._running.get(panel);
  }

  /** Experiments running in this tab, oldest first. */
  get running(): RunningExperiment[] {
    return [...this._running.values()].filter(r => !r.isDisposed);
  }

  /**
   * Cell executions of an experiment: counted live when it runs in this
   * tab, else as stored (null when unknown).
   */
  executionsOf(e: { id: string; executions?: number }): number | null {
    return this.runningById(e.id)?.executionCount ?? e.executions ?? null;
  }

  /** The running experiment with this id, if it runs in this tab. */
  runningById(id: string): RunningExperiment | undefined {
    for (const r of this._running.values()) {
      if (r.id === id) {
        return r;
      }
    }
    return undefined;
  }

  /**
   * Start an experiment for a notebook (one per notebook: returns the
   * running one if there is). Includes the kernel session so far.
   */
  async start(panel: NotebookPanel, name?: string): Promise<RunningExperiment> {
    const existing =
      this._running.get(panel) ?? (await this._starting.get(panel));
    if (existing && !existing.isDisposed) {
      return existing;
    }
    const starting = this._start(panel, name);
    this._starting.set(panel, starting);
    try {
      return await starting;
    } finally {
      this._starting.delete(panel);
    }
  }

  /** Stop the running experiment of a notebook. */
  async stop(panel: NotebookPanel): Promise<void> {
    await this._running.get(panel)?.stop('finished');
  }

  /**
   * Read the index (the first time: rebuilt from the folders if missing or
   * damaged; then only what other tabs added); running experiments of dead
   * tabs become interrupted.
   */
  async refresh(): Promise<void> {
    try {
      let damaged: IDamage[];
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
      await this._interruptStale();
      this._error = null;
    } catch (error) {
      this._error = String((error as Error)?.message ?? error);
    }
    this._changed.emit();
  }

  /**
   * Whether the store's list has been read (the first read of a large
   * store, or a rebuild of its index, takes seconds).
   */
  get listed(): boolean {
    return this._listed;
  }

  /**
   * While the index is rebuilt from the experiment folders (missing or
   * damaged): how many of how many folders are read; otherwise null.
   */
  get loading(): { done: number; total: number } | null {
    return this._loading;
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

  /** Running experiments no tab keeps alive any more become interrupted. */
  private async _interruptStale(): Promise<void> {
    const now = new Date();
    const staleMs = this._settings.values.staleAfterSeconds * 1000;
    const suspects = this.index.summaries.filter(
      s => s.status === 'running' && !this.runningById(s.id)
    );
    for (const s of suspects) {
      try {
        // The index has no heartbeats: read the few running ones.
        const e = await this.store.getExperiment(s.id);
        if (e.status !== 'running') {
          // Ended in another tab since that tab's index chunk was read.
          await this.index.reread([e.id]);
        } else if (isStale(e, now, staleMs)) {
          await this.store.updateExperiment(e.id, {
            status: 'interrupted',
            statusReason: Private.TAB_CLOSED,
            ended: e.heartbeat ?? e.started
          });
        }
      } catch {
        // reported by the index as damaged
      }
    }
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    clearInterval(this._poll);
    clearInterval(this._indexPoll);
    window.removeEventListener('pagehide', this._onPageHide);
    void this.index.flush().finally(() => this.index.dispose());
    for (const r of this._running.values()) {
      r.dispose();
    }
    for (const c of this._captures.values()) {
      c.dispose();
    }
    Signal.clearData(this);
  }

  private async _start(
    panel: NotebookPanel,
    name?: string
  ): Promise<RunningExperiment> {
    const capture = this.track(panel);
    await panel.context.ready;
    const path = panel.context.path;
    const base = path
      .split('/')
      .pop()!
      .replace(/\.ipynb$/i, '');
    const experiment = await this.store.createExperiment({
      name: name ?? `${base} ${Private.stamp(new Date())}`,
      notebook: path,
      kernel: capture.kernel,
      labbookVersion: this._version
    });
    const running = this._register(panel, capture, experiment);
    await running.begin();
    this._readParametersCells(panel, running);
    return running;
  }

  private _register(
    panel: NotebookPanel,
    capture: NotebookCapture,
    experiment: IExperiment,
    knownExecutions: Iterable<string> = []
  ): RunningExperiment {
    const running = new RunningExperiment({
      experiment,
      capture,
      store: this.store,
      heartbeatSeconds: this._settings.values.heartbeatSeconds,
      knownExecutions
    });
    this._running.set(panel, running);
    running.flushed.connect(() => this._changed.emit(), this);
    running.ended.connect(() => {
      if (this._running.get(panel) === running) {
        this._running.delete(panel);
      }
      this._changed.emit();
    }, this);
    return running;
  }

  /**
   * The experiment a kernel was logging into when the tab that ran it
   * went away (page closed or reloaded while a cell ran): the newest
   * experiment of this notebook, running or interrupted by its tab
   * closing, whose last kernel session is on `kernelId`. What the kernel
   * kept for it while no tab listened belongs there, not in a new one.
   */
  async experimentOfKernel(
    panel: NotebookPanel,
    kernelId: string
  ): Promise<{ experiment: IExperiment; alive: boolean } | null> {
    if (!this._listed) {
      await this.refresh(); // the list is not read yet in this tab
    }
    const path = panel.context.path;
    const now = new Date();
    const staleMs = this._settings.values.staleAfterSeconds * 1000;
    const candidates = this.index.summaries
      .filter(
        e =>
          e.notebook === path &&
          (e.status === 'running' || e.status === 'interrupted')
      )
      .slice(0, 3); // newest first
    for (const e of candidates) {
      const { records } = await this.store.loadHistory(e.id);
      const sessions = records.filter(r => r.kind === 'session');
      const last = sessions[sessions.length - 1];
      if (last?.kind === 'session' && last.kernelId === kernelId) {
        const fresh = await this.store.getExperiment(e.id);
        if (
          fresh.status === 'interrupted' &&
          fresh.statusReason !== Private.TAB_CLOSED
        ) {
          return null; // ended for another reason: not to be carried on
        }
        return {
          experiment: fresh,
          alive: fresh.status === 'running' && !isStale(fresh, now, staleMs)
        };
      }
    }
    return null;
  }

  /**
   * Carry on an experiment in this tab (see `experimentOfKernel`): it is
   * running again, with this tab's heartbeat and history.
   */
  async resume(
    panel: NotebookPanel,
    experiment: IExperiment
  ): Promise<RunningExperiment> {
    const existing = this._running.get(panel);
    if (existing && !existing.isDisposed) {
      return existing;
    }
    const capture = this.track(panel);
    const { records } = await this.store.loadHistory(experiment.id);
    const known = records.flatMap(r =>
      r.kind === 'execution' && r.status !== 'aborted' ? [r.msgId] : []
    );
    const patch = {
      status: 'running' as const,
      ended: null,
      heartbeat: new Date().toISOString(),
      statusReason: ''
    };
    await this.store.updateExperiment(experiment.id, patch);
    const running = this._register(
      panel,
      capture,
      { ...experiment, ...patch },
      known
    );
    await running.begin({ snapshot: false });
    this._changed.emit();
    return running;
  }

  /**
   * Params from cells tagged `parameters` (the papermill convention): read
   * when the experiment starts, and again from the exact source each time
   * such a cell runs. Parsed, never evaluated.
   */
  private _readParametersCells(
    panel: NotebookPanel,
    running: RunningExperiment
  ): void {
    const isParameters = (cell: { getMetadata(key: string): unknown }) => {
      const tags = cell.getMetadata('tags');
      return Array.isArray(tags) && tags.includes('parameters');
    };
    const record = (source: string) => {
      const params = readParametersCell(source);
      if (Object.keys(params).length && !running.isDisposed) {
        void this.store
          .updateExperiment(running.id, { params })
          .catch(error =>
            console.warn('Labbook could not store params', error)
          );
      }
    };
    for (const cell of panel.context.model.cells) {
      if (isParameters(cell)) {
        record(cell.sharedModel.getSource());
      }
    }
    const onRun = (_: unknown, r: IExecutionRecord) => {
      if (running.isDisposed) {
        running.capture.tracker.executionFinished.disconnect(onRun);
        return;
      }
      const cell = [...panel.context.model.cells].find(c => c.id === r.cellId);
      if (cell && isParameters(cell)) {
        record(r.source);
      }
    };
    running.capture.tracker.executionFinished.connect(onRun);
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

  private _settings: LabbookSettings;
  private _version: string;
  private _damaged: IDamage[] = [];
  private _error: string | null = null;
  private _captures = new Map<NotebookPanel, NotebookCapture>();
  private _running = new Map<NotebookPanel, RunningExperiment>();
  private _starting = new Map<NotebookPanel, Promise<RunningExperiment>>();
  private _poll: ReturnType<typeof setInterval>;
  private _indexPoll: ReturnType<typeof setInterval>;
  private _indexPolling = false;
  private _isDisposed = false;
  /** The store's list was read once at least. */
  private _listed = false;
  private _loading: { done: number; total: number } | null = null;
  private _loadingTimer: ReturnType<typeof setTimeout> | null = null;
  private _changed = new Signal<this, void>(this);
}

export namespace ExperimentManager {
  export interface IOptions {
    store: LabbookStore;
    settings: LabbookSettings;
    /** Labbook's version, recorded on each experiment. */
    version: string;
  }
}

namespace Private {
  /** Why a running experiment whose tab went away was interrupted. */
  export const TAB_CLOSED = 'The tab running it closed or lost the server.';

  /** `2026-11-24 09:41`, local time: a readable default name suffix. */
  export function stamp(d: Date): string {
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }
}

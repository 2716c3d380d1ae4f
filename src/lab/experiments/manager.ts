/**
 * The experiments of this JupyterLab: the store's list (kept current), the
 * capture of every open notebook, and the running experiment of each
 * notebook. The only writer of the store in this tab.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
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
    this.store.changed.connect(
      (_, change) => this._onStoreChange(change),
      this
    );
    // Other tabs and tools write to the store too: a full reload now and
    // then (not while the page is hidden). Changes made in this tab are
    // applied one experiment at a time, never by re-reading the store.
    this._poll = setInterval(() => {
      if (!document.hidden) {
        void this.refresh();
      }
    }, 60_000);
  }

  readonly store: LabbookStore;

  /** Experiments, newest first. */
  get experiments(): readonly IExperiment[] {
    return this._experiments;
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

  /** Reload the list; running experiments of dead tabs become interrupted. */
  async refresh(): Promise<void> {
    try {
      const { experiments, damaged } = await this.store.listExperiments();
      const now = new Date();
      const staleMs = this._settings.values.staleAfterSeconds * 1000;
      for (const e of experiments) {
        if (
          e.status === 'running' &&
          !this.runningById(e.id) &&
          isStale(e, now, staleMs)
        ) {
          const reason = 'The tab running it closed or lost the server.';
          await this.store.updateExperiment(e.id, {
            status: 'interrupted',
            statusReason: reason,
            ended: e.heartbeat ?? e.started
          });
          e.status = 'interrupted';
          e.statusReason = reason;
          e.ended = e.heartbeat ?? e.started;
        }
      }
      this._experiments = experiments;
      this._damaged = damaged.map(d => ({ ...d }));
      this._error = null;
    } catch (error) {
      this._error = String((error as Error)?.message ?? error);
    }
    this._changed.emit();
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    clearInterval(this._poll);
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
    const running = new RunningExperiment({
      experiment,
      capture,
      store: this.store,
      heartbeatSeconds: this._settings.values.heartbeatSeconds
    });
    this._running.set(panel, running);
    running.flushed.connect(() => this._changed.emit(), this);
    running.ended.connect(() => {
      if (this._running.get(panel) === running) {
        this._running.delete(panel);
      }
      this._changed.emit();
    }, this);
    await running.begin();
    this._readParametersCells(panel, running);
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
   * Keep the list current from this tab's own writes: history chunks and
   * snapshots change nothing the list shows (the running count is in
   * memory); metadata edits re-read that one experiment only. Re-reading
   * the whole store on every flush would cost a request per experiment
   * folder several times a second.
   */
  private _onStoreChange(change: IStoreChange): void {
    if (change.type === 'history') {
      return; // the running experiment's flush says so itself
    }
    if (
      change.type === 'metrics' ||
      change.type === 'texts' ||
      change.type === 'images' ||
      change.type === 'snapshot'
    ) {
      this._changed.emit(); // an open detail shows what was logged or taken
      return;
    }
    if (change.type === 'deleted') {
      this._experiments = this._experiments.filter(e => e.id !== change.id);
      this._changed.emit();
      return;
    }
    const pending = this._pendingIds;
    pending.add(change.id);
    if (pending.size > 1) {
      return; // a read is already scheduled
    }
    setTimeout(() => {
      const ids = [...pending];
      pending.clear();
      void Promise.all(
        ids.map(id =>
          this.store.getExperiment(id).then(
            e => e,
            () => null
          )
        )
      ).then(read => {
        const byId = new Map(this._experiments.map(e => [e.id, e]));
        let reload = false;
        read.forEach(e => {
          if (e) {
            byId.set(e.id, e);
          } else {
            reload = true; // unreadable now: let a full read report it
          }
        });
        this._experiments = [...byId.values()].sort((a, b) =>
          a.id < b.id ? 1 : a.id > b.id ? -1 : 0
        );
        this._changed.emit();
        if (reload) {
          this._scheduleRefresh();
        }
      });
    }, 50);
  }

  private _scheduleRefresh(): void {
    if (this._refreshTimer !== null) {
      return;
    }
    this._refreshTimer = setTimeout(() => {
      this._refreshTimer = null;
      void this.refresh();
    }, 100);
  }

  private _settings: LabbookSettings;
  private _version: string;
  private _experiments: IExperiment[] = [];
  private _damaged: IDamage[] = [];
  private _error: string | null = null;
  private _captures = new Map<NotebookPanel, NotebookCapture>();
  private _running = new Map<NotebookPanel, RunningExperiment>();
  private _starting = new Map<NotebookPanel, Promise<RunningExperiment>>();
  private _refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private _pendingIds = new Set<string>();
  private _poll: ReturnType<typeof setInterval>;
  private _isDisposed = false;
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
  /** `2026-11-24 09:41`, local time: a readable default name suffix. */
  export function stamp(d: Date): string {
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }
}

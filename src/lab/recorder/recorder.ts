/**
 * What this tab records (the `ILabbookRecorder` service): the capture of
 * every open notebook and the running experiment of each. The only writer
 * of experiments' history in this tab; the store and its list are the
 * store service's.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { isStale } from '../../core/store/heartbeat';
import type { IExecutionRecord, IExperiment } from '../../core/model';
import { readParametersCell } from '../../core/params/parameterscell';
import type { LabbookStore } from '../../core/store/store';
import type {
  ILabbookRecorder,
  ILabbookSettings,
  ILabbookStore
} from '../../tokens';
import { NotebookCapture } from '../capture/notebookcapture';
import { RunningExperiment } from './runningexperiment';

export class Recorder implements ILabbookRecorder, IDisposable {
  constructor(options: Recorder.IOptions) {
    this._stores = options.store;
    this._settings = options.settings;
    this._version = options.version;
    // Running experiments of tabs that went away end as interrupted.
    this._stores.refreshed.connect(() => void this._interruptStale(), this);
    this._settings.changed.connect(this._onSettings, this);
  }

  /** An experiment started, ended or wrote history in this tab. */
  get changed(): ISignal<this, void> {
    return this._changed;
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
    const existing = this._running.get(panel);
    if (existing && !existing.isDisposed) {
      return existing;
    }
    // Decided before any await: two calls at once start one experiment.
    let starting = this._starting.get(panel);
    if (!starting) {
      const started = this._start(panel, name);
      const done = () => {
        if (this._starting.get(panel) === started) {
          this._starting.delete(panel);
        }
      };
      started.then(done, done);
      this._starting.set(panel, started);
      starting = started;
    }
    return starting;
  }

  /** Stop the running experiment of a notebook. */
  async stop(panel: NotebookPanel): Promise<void> {
    await this._running.get(panel)?.stop('finished');
  }

  /** Running experiments no tab keeps alive any more become interrupted. */
  private async _interruptStale(): Promise<void> {
    const now = new Date();
    const staleMs = this._settings.values.staleAfterSeconds * 1000;
    const suspects = this._stores.experiments.filter(
      s => s.status === 'running' && !this.runningById(s.id)
    );
    for (const s of suspects) {
      try {
        // The index has no heartbeats: read the few running ones.
        const e = await this._store.getExperiment(s.id);
        if (e.status !== 'running') {
          // Ended in another tab since that tab's index chunk was read.
          await this._stores.index.reread([e.id]);
        } else if (isStale(e, now, staleMs)) {
          await this._store.updateExperiment(e.id, {
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
    const experiment = await this._store.createExperiment({
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
      store: this._store,
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
    this._changed.emit(); // a button, a status bar item follow it
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
    if (!this._stores.listed) {
      await this._stores.refresh(); // the list is not read yet in this tab
    }
    const path = panel.context.path;
    const now = new Date();
    const staleMs = this._settings.values.staleAfterSeconds * 1000;
    const candidates = this._stores.experiments
      .filter(
        e =>
          e.notebook === path &&
          (e.status === 'running' || e.status === 'interrupted')
      )
      .slice(0, 3); // newest first
    for (const e of candidates) {
      const { records } = await this._store.loadHistory(e.id);
      const sessions = records.filter(r => r.kind === 'session');
      const last = sessions[sessions.length - 1];
      if (last?.kind === 'session' && last.kernelId === kernelId) {
        const fresh = await this._store.getExperiment(e.id);
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
    const { records } = await this._store.loadHistory(experiment.id);
    const known = records.flatMap(r =>
      r.kind === 'execution' && r.status !== 'aborted' ? [r.msgId] : []
    );
    const patch = {
      status: 'running' as const,
      ended: null,
      heartbeat: new Date().toISOString(),
      statusReason: ''
    };
    await this._store.updateExperiment(experiment.id, patch);
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
        void this._store
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

  /** Output limits and heartbeats apply to what is recorded now, too. */
  private _onSettings(_: unknown, change: ILabbookSettings.IChange): void {
    if (change.keys.includes('outputTextLimit')) {
      for (const capture of this._captures.values()) {
        capture.tracker.textLimit = change.values.outputTextLimit;
      }
    }
    if (change.keys.includes('heartbeatSeconds')) {
      for (const running of this._running.values()) {
        running.heartbeatSeconds = change.values.heartbeatSeconds;
      }
    }
  }

  private get _store(): LabbookStore {
    return this._stores.store;
  }

  private _stores: ILabbookStore;
  private _settings: ILabbookSettings;
  private _version: string;
  private _captures = new Map<NotebookPanel, NotebookCapture>();
  private _running = new Map<NotebookPanel, RunningExperiment>();
  private _starting = new Map<NotebookPanel, Promise<RunningExperiment>>();
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

export namespace Recorder {
  export interface IOptions {
    store: ILabbookStore;
    settings: ILabbookSettings;
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

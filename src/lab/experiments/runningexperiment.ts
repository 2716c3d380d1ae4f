/**
 * One running experiment: joins a notebook's capture to the store. Every
 * finished execution and every new kernel session is appended to the
 * experiment's history at most `flushMs` after it happened; a heartbeat
 * marks the tab alive; snapshots come from the live notebook model.
 */
import type { INotebookContent } from '@jupyterlab/nbformat';
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import type {
  ExperimentStatus,
  HistoryRecord,
  IExecutionRecord,
  IExperiment,
  ISessionRecord,
  ISnapshotInfo,
  SnapshotReason
} from '../../core/model';
import type { LabbookStore } from '../../core/store/store';
import type { NotebookCapture } from '../capture/notebookcapture';

export class RunningExperiment implements IDisposable {
  constructor(options: RunningExperiment.IOptions) {
    this.experiment = options.experiment;
    this.capture = options.capture;
    this._store = options.store;
    this._flushMs = options.flushMs ?? 300;
    for (const msgId of options.knownExecutions ?? []) {
      this._executions.add(msgId);
    }
    const tracker = this.capture.tracker;
    tracker.executionFinished.connect(this._onFinished, this);
    tracker.sessionStarted.connect(this._onSession, this);
    this.capture.kernelDied.connect(
      (_, reason) => void this.stop('failed', reason),
      this
    );
    this.capture.kernelShutdown.connect(
      () => void this.stop('finished', 'The kernel was shut down.'),
      this
    );
    this._heartbeat = setInterval(
      () => void this._beat(),
      Math.max(1, options.heartbeatSeconds ?? 10) * 1000
    );
  }

  readonly experiment: IExperiment;
  readonly capture: NotebookCapture;

  get id(): string {
    return this.experiment.id;
  }

  /** Cell executions recorded so far (written or queued). */
  get executionCount(): number {
    return this._executions.size;
  }

  /** The experiment ended (stop, kernel death, notebook closed). */
  get ended(): ISignal<this, ExperimentStatus> {
    return this._ended;
  }

  /** Something was written to the store for this experiment. */
  get flushed(): ISignal<this, number> {
    return this._flushed;
  }

  /** The last write error, if the store refused a flush. */
  get lastError(): string | null {
    return this._lastError;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Begin: the current kernel session so far (the kernel's state depends
   * on it), then the start snapshot (not when resuming an experiment).
   */
  async begin(options: { snapshot?: boolean } = {}): Promise<void> {
    const records = this.capture.tracker.records;
    let first = records.length;
    for (let i = records.length - 1; i >= 0; i--) {
      if (records[i].kind === 'session') {
        first = i;
        break;
      }
    }
    for (const r of records.slice(first)) {
      if (r.kind === 'session' || r.status !== null) {
        this._queue(r);
      }
    }
    await this.flush();
    if (options.snapshot !== false) {
      await this.snapshot('start');
    }
  }

  /** Snapshot the live notebook (unsaved edits included, the file untouched). */
  async snapshot(reason: SnapshotReason): Promise<ISnapshotInfo> {
    const model = this.capture.panel.context.model;
    const notebook = model.toJSON() as INotebookContent;
    return this._store.saveSnapshot(this.id, reason, notebook as any, {
      notebookPath: this.experiment.notebook
    });
  }

  /** Write what is queued now. */
  async flush(): Promise<void> {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    if (this._writing) {
      await this._writing;
    }
    if (this._queue_.length === 0) {
      return;
    }
    const batch = this._queue_;
    this._queue_ = [];
    this._writing = this._store
      .appendHistory(this.id, batch)
      .then(() => {
        this._lastError = null;
        this._flushed.emit(batch.length);
      })
      .catch(error => {
        // Keep the records and try again with the next flush.
        this._queue_ = batch.concat(this._queue_);
        this._lastError = String((error as Error)?.message ?? error);
        console.warn(`Labbook could not write history of ${this.id}:`, error);
      })
      .finally(() => {
        this._writing = null;
      });
    await this._writing;
  }

  /** End the experiment: final flush, end snapshot, status. */
  async stop(
    status: ExperimentStatus = 'finished',
    reason?: string
  ): Promise<void> {
    if (this._stopping) {
      return this._stopping;
    }
    this._stopping = (async () => {
      clearInterval(this._heartbeat);
      this.capture.tracker.executionFinished.disconnect(this._onFinished, this);
      this.capture.tracker.sessionStarted.disconnect(this._onSession, this);
      await this.flush();
      if (!this.capture.panel.isDisposed) {
        try {
          await this.snapshot('end');
        } catch (error) {
          console.warn('Labbook: end snapshot failed', error);
        }
      }
      await this._store.updateExperiment(this.id, {
        status,
        ended: new Date().toISOString(),
        heartbeat: null,
        executions: this._executions.size,
        ...(reason ? { statusReason: reason } : {})
      });
      this._ended.emit(status);
      this.dispose();
    })();
    return this._stopping;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    clearInterval(this._heartbeat);
    if (this._timer !== null) {
      clearTimeout(this._timer);
    }
    Signal.disconnectReceiver(this);
    Signal.clearData(this);
  }

  private _onFinished(_: unknown, record: IExecutionRecord): void {
    this._queue(record);
  }

  private _onSession(_: unknown, record: ISessionRecord): void {
    this._queue(record);
  }

  private _queue(record: HistoryRecord): void {
    // Records are final when queued; copy so later edits cannot leak in.
    this._queue_.push(structuredClone(record));
    if (record.kind === 'execution' && record.status !== 'aborted') {
      // Counted once per request, as the store keeps one record per msgId.
      // An aborted request (queued behind a failed cell) never ran.
      this._executions.add(record.msgId);
    }
    if (this._timer === null) {
      this._timer = setTimeout(() => void this.flush(), this._flushMs);
    }
  }

  private async _beat(): Promise<void> {
    try {
      await this._store.updateExperiment(this.id, {
        heartbeat: new Date().toISOString()
      });
    } catch (error) {
      console.warn('Labbook heartbeat failed', error);
    }
  }

  private _store: LabbookStore;
  private _flushMs: number;
  private _queue_: HistoryRecord[] = [];
  private _executions = new Set<string>();
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _heartbeat: ReturnType<typeof setInterval>;
  private _writing: Promise<void> | null = null;
  private _stopping: Promise<void> | null = null;
  private _lastError: string | null = null;
  private _isDisposed = false;
  private _ended = new Signal<this, ExperimentStatus>(this);
  private _flushed = new Signal<this, number>(this);
}

export namespace RunningExperiment {
  export interface IOptions {
    experiment: IExperiment;
    capture: NotebookCapture;
    store: LabbookStore;
    /** Delay between a finished cell and its write (≤ 1 s). */
    flushMs?: number;
    heartbeatSeconds?: number;
    /** `msg_id`s of executions already in the store (a resumed experiment). */
    knownExecutions?: Iterable<string>;
  }
}

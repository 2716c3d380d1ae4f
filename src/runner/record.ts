/**
 * A trial recorded as an ordinary Labbook experiment, as a tab records a
 * notebook: the experiment (params, tags, a link to its sweep), the start
 * snapshot (the notebook with its injected parameters), the cell history
 * from the kernel's messages (so the flattened script and the timeline
 * work), what the kernel logs (metrics, texts, images…, through
 * `onBatch`), the end snapshot (the executed notebook, outputs included)
 * and the end status.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { ExecutionTracker } from '../core/history/tracker';
import type { IKernelMessageLike } from '../core/history/messages';
import type {
  ExperimentStatus,
  HistoryRecord,
  IExperiment,
  IMetricSeries,
  ParamValue
} from '../core/model';
import type { INotebookJSON, LabbookStore } from '../core/store/store';
import type { INotebookLike } from '../core/params/inject';
import type { IRunResult } from './execute';

export interface ISweepLink {
  /** Sweep id. */
  id: string;
  trial: string;
  attempt: number;
}

export interface ITrialInit {
  name: string;
  notebook: string;
  project?: string;
  params: { [name: string]: ParamValue };
  /** A sweep's trial. */
  sweep?: ISweepLink;
  /** A re-run of this experiment. */
  rerunOf?: string;
  kernelName: string;
  tags?: string[];
  labbookVersion?: string;
}

export class TrialRecording {
  private constructor(
    readonly store: LabbookStore,
    readonly experiment: IExperiment,
    private readonly _metricName: string | undefined,
    private readonly _summary: 'last' | 'min' | 'max'
  ) {}

  /** Create the experiment and its start snapshot. */
  static async begin(
    store: LabbookStore,
    init: ITrialInit,
    startNotebook: INotebookLike,
    metricName?: string,
    summary: 'last' | 'min' | 'max' = 'last'
  ): Promise<TrialRecording> {
    const experiment = await store.createExperiment({
      name: init.name,
      notebook: init.notebook,
      ...(init.project !== undefined ? { project: init.project } : {}),
      kernel: { name: init.kernelName, language: 'python' },
      params: init.params,
      tags: init.tags ?? (init.sweep ? ['sweep'] : []),
      ...(init.sweep ? { sweep: init.sweep } : {}),
      ...(init.rerunOf ? { rerunOf: init.rerunOf } : {}),
      heartbeat: new Date().toISOString(),
      ...(init.labbookVersion ? { labbookVersion: init.labbookVersion } : {})
    });
    const rec = new TrialRecording(store, experiment, metricName, summary);
    await store.saveSnapshot(
      experiment.id,
      'start',
      startNotebook as unknown as INotebookJSON,
      { notebookPath: init.notebook }
    );
    return rec;
  }

  get id(): string {
    return this.experiment.id;
  }

  /**
   * The sweep metric's objective from the logged batches: its last value,
   * or its lowest or highest finite one (the config's `metric.summary`).
   */
  get metric(): number | null {
    return this._summary === 'last'
      ? this._last
      : this._summary === 'min'
        ? this._min
        : this._max;
  }

  /** Follow the trial's kernel: every execution becomes history. */
  attach(kernel: Kernel.IKernelConnection): void {
    this._tracker.startSession(
      kernel.id,
      { name: kernel.name, language: 'python' },
      'start'
    );
    this._tracker.executionFinished.connect((_, r) => this._records.push(r));
    const onMessage = (
      _: unknown,
      args: { msg: KernelMessage.IMessage; direction: 'send' | 'recv' }
    ) =>
      this._tracker.handle(
        args.msg as unknown as IKernelMessageLike,
        args.direction
      );
    kernel.anyMessage.connect(onMessage);
    this._detach = () => kernel.anyMessage.disconnect(onMessage);
  }

  /** Note metric points stored for this trial (the sweep metric's). */
  noteMetrics(series: readonly Pick<IMetricSeries, 'name' | 'values'>[]): void {
    for (const s of series) {
      if (s.name !== this._metricName) {
        continue;
      }
      for (let i = 0; i < s.values.length; i++) {
        const v = s.values[i];
        this._last = Number.isFinite(v) ? v : null;
        if (Number.isFinite(v)) {
          this._min = this._min === null ? v : Math.min(this._min, v);
          this._max = this._max === null ? v : Math.max(this._max, v);
        }
      }
    }
  }

  /**
   * Write the history, the end snapshot and the status. `metric` overrides
   * the one seen in batches (e.g. read back from the store).
   */
  async end(result: IRunResult): Promise<void> {
    this._detach?.();
    this._tracker.abortPending();
    const session = this._tracker.records.find(r => r.kind === 'session');
    const history: HistoryRecord[] = [
      ...(session ? [session] : []),
      ...this._records
    ];
    if (history.length) {
      await this.store.appendHistory(this.id, history);
    }
    await this.store.saveSnapshot(
      this.id,
      'end',
      result.notebook as unknown as INotebookJSON,
      { notebookPath: this.experiment.notebook }
    );
    const status: ExperimentStatus =
      result.status === 'ok'
        ? 'finished'
        : result.status === 'cancelled'
          ? 'interrupted'
          : 'failed';
    await this.store.updateExperiment(this.id, {
      status,
      ended: result.ended,
      heartbeat: null,
      executions: this._records.length,
      ...(result.message ? { statusReason: result.message } : {})
    });
  }

  private _tracker = new ExecutionTracker();
  private _records: HistoryRecord[] = [];
  private _detach: (() => void) | null = null;
  private _last: number | null = null;
  private _min: number | null = null;
  private _max: number | null = null;
}

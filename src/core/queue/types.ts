/**
 * The run queue's files (docs/store-format.md, "The run queue"): a sweep's
 * definition, its append-only events, one claim file per attempt a worker
 * wants to run, and one lease per worker. Every writer only adds files of
 * its own (or rewrites its own lease), so tabs and workers on several
 * machines share one queue through the store with no lock.
 */
import type { ParamValue } from '../model';

/** `sweeps/<id>/sweep.json`: written once when the sweep is queued. */
export interface ISweepDefinition {
  id: string;
  name: string;
  created: string;
  /** Writer that queued it. */
  writer: string;
  /** The notebook each trial runs: a path on the Jupyter server. */
  notebook: string;
  /** Kernel name; default the notebook's. */
  kernel?: string;
  /** The metric the sweep optimises, read from each trial's metrics. */
  metric?: { name: string; goal: 'minimize' | 'maximize' };
  /** `grid`, `random`, `bayes`/`tpe`, or `list` (trials queued as given). */
  method: string;
  /** The search configuration as given (validated by its importer). */
  config?: { [key: string]: unknown };
  /** Most trials to run (queued trials beyond it are left out). */
  budget?: number;
  /** Most trials of this sweep running at once, across all workers. */
  concurrency?: number;
  /** A failed trial is queued again up to this many times. */
  maxRetries?: number;
  /** Per-trial time limit in ms. */
  timeout?: number;
  /** Project of the trials' experiments. */
  project?: string;
}

export interface IQueuedTrial {
  /** `<writer>-<n>`: unique across writers. */
  id: string;
  params: { [name: string]: ParamValue };
}

export type TrialEnd = 'done' | 'failed' | 'stopped' | 'cancelled';

export type QueueEvent =
  | { type: 'queued'; time: string; trials: IQueuedTrial[] }
  | {
      type: 'ended';
      time: string;
      trial: string;
      attempt: number;
      status: TrialEnd;
      /** The trial's experiment. */
      experiment?: string;
      /** The sweep metric's last value, when logged. */
      metric?: number | null;
      message?: string;
    }
  | { type: 'sweep'; time: string; action: 'pause' | 'resume' | 'cancel' }
  | { type: 'cancel-trial'; time: string; trial: string }
  | { type: 'retry-trial'; time: string; trial: string };

/** `sweeps/<id>/events/<seq>-<writer>.json` */
export interface IQueueEventsFile {
  writer: string;
  events: QueueEvent[];
}

/** `sweeps/<id>/claims/<trial>-<attempt>-<writer>.json` */
export interface IClaim {
  writer: string;
  trial: string;
  attempt: number;
  time: string;
  /** Where it runs: the Jupyter server's URL (never its token). */
  server?: string;
  /** When the store knows it: the file's modification time (ms). */
  mtime?: number;
}

/** `workers/<writer>.json`: rewritten by its worker at each heartbeat. */
export interface IWorkerLease {
  writer: string;
  /** Last heartbeat. */
  time: string;
  started: string;
  /** The lease expires this long after `time` (ms). */
  ttl: number;
  /** Trials it can run at once. */
  slots: number;
  host?: string;
  /** Server URLs it runs kernels on. */
  servers?: string[];
  /** It stopped on purpose (its running claims are re-queued at once). */
  stopped?: boolean;
}

export type TrialStatus =
  'queued' | 'running' | 'done' | 'failed' | 'stopped' | 'cancelled';

export interface ITrialState {
  id: string;
  /** 1-based position in queue order. */
  number: number;
  params: { [name: string]: ParamValue };
  status: TrialStatus;
  /** Current attempt (1 first). */
  attempt: number;
  /** Failed attempts so far (retry limit). */
  failures: number;
  /** Attempts re-queued because their worker's lease expired. */
  requeued: number;
  /** While running: the worker that won the claim, and its server. */
  worker?: string;
  server?: string;
  /** Set on a running trial of a cancelled sweep or a cancelled trial. */
  cancelRequested?: boolean;
  experiment?: string;
  metric?: number | null;
  message?: string;
  queued: string;
  ended?: string;
}

export type SweepStatus = 'active' | 'paused' | 'cancelled' | 'finished';

export interface ISweepState {
  sweep: ISweepDefinition;
  status: SweepStatus;
  trials: ITrialState[];
  counts: Record<TrialStatus, number>;
  /** Best trial by the sweep's metric (done trials only). */
  best?: ITrialState;
}

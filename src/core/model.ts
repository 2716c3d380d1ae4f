/**
 * The Labbook data model: plain, JSON-serialisable values shared by the
 * store, the capture, the views and the command line.
 *
 * Nothing here imports JupyterLab or the DOM. Field names are the on-disk
 * names (docs/store-format.md); readers ignore fields they do not know.
 */

/** Lifecycle of an experiment. */
export type ExperimentStatus =
  'running' | 'finished' | 'failed' | 'interrupted';

export const EXPERIMENT_STATUSES: readonly ExperimentStatus[] = [
  'running',
  'finished',
  'failed',
  'interrupted'
];

/** The kernel an experiment ran on. */
export interface IKernelInfo {
  /** Kernel spec name, e.g. `python3`. */
  name: string;
  /** `language_info.name`, e.g. `python`. */
  language: string;
  /** Human name of the kernel spec, if known. */
  displayName?: string;
}

/**
 * The current, folded state of one experiment: what the panel shows and
 * queries run against. How it is persisted (a creation record plus
 * append-only edits) is the store's business.
 */
export interface IExperiment {
  /** Sortable unique id: lexical order is creation order. */
  id: string;
  name: string;
  /** Project; defaults to the notebook's folder ('' for the root). */
  project: string;
  /** Notebook path relative to the server root. */
  notebook: string;
  tags: string[];
  /** Free text (Markdown), never rendered as live HTML unsanitised. */
  notes: string;
  status: ExperimentStatus;
  /** ISO 8601 times. */
  started: string;
  ended: string | null;
  /** Last sign of life from the tab that runs it (ISO), while running. */
  heartbeat?: string | null;
  kernel: IKernelInfo;
  /** Version of Labbook that created the experiment. */
  labbookVersion: string;
  /** Set when the experiment was ended because its kernel died, etc. */
  statusReason?: string;
  /** Number of cell executions recorded (kept current by the writer). */
  executions?: number;
  /** Parameters, by name (logged, or read from a `parameters` cell). */
  params?: { [name: string]: ParamValue | IParamSource };
  /** Starred by the user. */
  starred?: boolean;
  /** Archived runs are hidden by default and can be restored. */
  archived?: boolean;
  /** Other projects this experiment is also linked into (no copy). */
  links?: string[];
  /**
   * Set when a training script run outside a kernel (`python train.py`)
   * wrote the experiment itself, with the labbook module's script mode.
   */
  script?: IScriptInfo;
  /** A trial of a sweep: which sweep, trial and attempt (set at creation). */
  sweep?: { id: string; trial: string; attempt: number };
  /** A re-run of that experiment (its id; set at creation). */
  rerunOf?: string;
}

/** What ran a script experiment, and where (docs/store-format.md, Script runs). */
export interface IScriptInfo {
  /** Absolute path of the script; null for `python -c`. */
  path: string | null;
  /** The command line (`sys.argv`). */
  argv: string[];
  cwd?: string;
  /** The Python that ran it. */
  python?: string;
  pid?: number;
  host?: string;
}

/* ------------------------------------------------------------------ */
/* Logged values                                                        */
/* ------------------------------------------------------------------ */

/** A parameter value: any JSON value. */
export type ParamValue =
  | string
  | number
  | boolean
  | null
  | ParamValue[]
  | { [key: string]: ParamValue };

/**
 * A parameter that could not be read as a value (e.g. `lr = 1e-3 * scale`
 * in a `parameters` cell): kept as its source text.
 */
export interface IParamSource {
  source: string;
}

/** Where a parameter came from. */
export type ParamOrigin = 'logged' | 'parameters-cell';

/** Summary of one metric series: what tables, queries and the index use. */
export interface IMetricSummary {
  /** Last value logged (by step order of arrival), NaN/Infinity as null. */
  last: number | null;
  /** Minimum and maximum over finite values, null when none. */
  min: number | null;
  max: number | null;
  /** Step of the last value. */
  step: number | null;
  /** Number of points, non-finite included. */
  count: number;
}

/** One metric series: parallel arrays, NaN and infinities kept. */
export interface IMetricSeries {
  name: string;
  steps: ArrayLike<number>;
  /** Wall time of each point, ms since the epoch. */
  times: ArrayLike<number>;
  values: ArrayLike<number>;
  /**
   * Writing: the `msg_id` of the cell execution that logged these points.
   * Reading: every execution that logged points of this metric, in order.
   */
  parent?: string | null;
  parents?: string[];
}

/** A text logged by `labbook.log_text(name, text, step)`. */
export interface ILoggedText {
  name: string;
  text: string;
  step: number | null;
  /** Wall time, ms since the epoch. */
  time: number;
  /** `msg_id` of the execution that logged it. */
  parent: string | null;
  truncated?: boolean;
}

/** Image MIME types the kernel module sends and the views show. */
export const IMAGE_MIMES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp'
] as const;

export type ImageMime = (typeof IMAGE_MIMES)[number];

/**
 * An image logged by `labbook.log_image(name, image, step=…)`. Its bytes
 * are stored apart, in `parts` files of at most a few MiB each.
 */
export interface ILoggedImage {
  /** Unique id given by the kernel (hex). */
  id: string;
  name: string;
  mime: ImageMime;
  step: number | null;
  caption: string | null;
  /** Pixel size, when known (PNG). */
  width: number | null;
  height: number | null;
  /** Size of the whole image in bytes. */
  size: number;
  /** Number of byte parts. */
  parts: number;
  /** Wall time, ms since the epoch. */
  time: number;
  /** `msg_id` of the execution that logged it. */
  parent: string | null;
}

/* ------------------------------------------------------------------ */
/* Environment                                                          */
/* ------------------------------------------------------------------ */

/** What the kernel module collects at experiment start. All parts optional: collection is best effort. */
export interface IEnvironment {
  /** ISO time of collection. */
  collected: string;
  python?: { version: string; implementation: string; executable: string };
  platform?: {
    system: string;
    release: string;
    machine: string;
    description: string;
  };
  cpu?: { count: number | null; model?: string };
  memory?: { totalBytes: number | null };
  gpus?: { name: string; memoryMB?: number; driver?: string }[];
  /** Installed distributions: normalised name → version. */
  packages?: Record<string, string>;
  /** Git state of the notebook's repository; null when not in one. */
  git?: {
    root: string;
    commit: string;
    branch: string | null;
    remotes: { name: string; url: string }[];
    dirty: boolean;
    /** Uncommitted diff, bounded in size. */
    diff?: string;
    diffTruncated?: boolean;
  } | null;
  /** Parts that failed to collect, never raised to the user. */
  errors?: { part: string; message: string }[];
}

/** A data input recorded by `labbook.log_input`. */
export interface IDataInput {
  name: string;
  /** Path or URL as given. */
  path: string;
  size: number | null;
  /** Modification time, ISO, when known. */
  mtime: string | null;
  /** `sha256:<hex>`, or null when skipped. */
  hash: string | null;
  /** Why the hash is missing (size cap, URL not fetched, unreadable). */
  note?: string;
  /** Wall time it was logged, ms since the epoch (from the kernel item). */
  time?: number;
  /** `msg_id` of the execution that logged it (from the kernel item). */
  parent?: string | null;
}

/* ------------------------------------------------------------------ */
/* Cell-execution history                                              */
/* ------------------------------------------------------------------ */

/**
 * Timing keys, as JupyterLab itself records them under a cell's
 * `metadata.execution` (recordTiming), plus `queued`: when the frontend
 * sent the execute request. All ISO 8601 strings; each optional because a
 * kernel may not send every message (e.g. an aborted execution).
 */
export interface IExecutionTimes {
  queued?: string;
  'iopub.status.busy'?: string;
  'iopub.execute_input'?: string;
  'shell.execute_reply.started'?: string;
  'shell.execute_reply'?: string;
  'iopub.status.idle'?: string;
}

/** Summary of one output: enough to recognise it, never the payload. */
export interface IOutputSummary {
  /** nbformat output type. */
  type:
    | 'stream'
    | 'display_data'
    | 'execute_result'
    | 'error'
    | 'update_display_data';
  /** Stream name (`stdout`, `stderr`) for streams. */
  name?: string;
  /** Each MIME type present with the size of its payload in bytes (UTF-16 length for text). */
  mimes?: { mime: string; size: number }[];
  /** Text (stream text, `text/plain`, or the traceback's last line), cut to the configured limit. */
  text?: string;
  /** True when `text` was cut. */
  truncated?: boolean;
  /** Content hashes of image payloads, by MIME type. */
  images?: { mime: string; hash: string; size: number }[];
  /** For errors. */
  ename?: string;
  evalue?: string;
}

export type ExecutionStatus = 'ok' | 'error' | 'aborted';

/** One execution of one cell, as the kernel saw it. */
export interface IExecutionRecord {
  kind: 'execution';
  /** The kernel session this ran in (see `ISessionRecord`). */
  session: string;
  /** Position in the experiment's history, 0-based, gap-free per writer. */
  index: number;
  /** `msg_id` of the execute_request: links logged data back to this run. */
  msgId: string;
  /** nbformat cell id (from the request's metadata), or null if unknown. */
  cellId: string | null;
  /** The code exactly as sent to the kernel. */
  source: string;
  executionCount: number | null;
  times: IExecutionTimes;
  /** Milliseconds from start (busy) to end (idle), or null if unfinished. */
  duration: number | null;
  /** Null while the cell is still running. */
  status: ExecutionStatus | null;
  /**
   * For status `error`. `line`: the 1-based line of the cell (as IPython
   * ran it, after its syntax translation) whose top-level statement raised,
   * from the traceback; absent when nothing in the cell ran (a syntax
   * error) or the traceback does not say.
   */
  error?: { ename: string; evalue: string; line?: number };
  outputs: IOutputSummary[];
}

/** Marks the start of a kernel session: kernel start or restart. */
export interface ISessionRecord {
  kind: 'session';
  session: string;
  index: number;
  kernelId: string;
  kernel: IKernelInfo;
  /** ISO time the session started (or was first seen). */
  started: string;
  /** Why a new session began. `attach`: Labbook first saw a kernel already running. */
  reason: 'start' | 'restart' | 'attach';
}

export type HistoryRecord = IExecutionRecord | ISessionRecord;

/* ------------------------------------------------------------------ */
/* Snapshots                                                           */
/* ------------------------------------------------------------------ */

export type SnapshotReason = 'start' | 'end' | 'manual' | 'save';

/** A snapshot as listed: the notebook itself is loaded on demand. */
export interface ISnapshotInfo {
  id: string;
  experimentId: string;
  reason: SnapshotReason;
  /** ISO time taken. */
  taken: string;
  notebook: string;
  cellCount: number;
}

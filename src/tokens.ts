/**
 * Labbook's services, as interfaces and tokens: what another plugin (or a
 * test) can require, replace or mock one at a time. The types come from
 * `src/core` (pure data and the store) and JupyterLab; nothing here names a
 * class of `src/lab`.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import { Token } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import type { Widget } from '@lumino/widgets';
import type { ExecutionTracker } from './core/history/tracker';
import type { StoreIndex } from './core/index/storeindex';
import type { IExperimentSummary } from './core/index/summary';
import type {
  ExperimentStatus,
  IExperiment,
  IKernelInfo,
  ISnapshotInfo,
  SnapshotReason
} from './core/model';
import type { LabbookStore } from './core/store/store';

/** The Labbook side panel, for plugins that add sections to it. */
export interface ILabbookPanel extends Widget {
  addSection(widget: Widget): void;
}

export const ILabbookPanel = new Token<ILabbookPanel>(
  'labbook:ILabbookPanel',
  'The Labbook side panel; plugins add sections to it.'
);

/** Labbook's user settings (`schema/settings.json`). */
export interface ILabbookSettingsValues {
  storeFolder: string;
  autoStart: boolean;
  snapshotOnSave: boolean;
  outputTextLimit: number;
  injectKernelModule: boolean;
  heartbeatSeconds: number;
  staleAfterSeconds: number;
}

/** Labbook's settings, kept in step with the setting registry. */
export interface ILabbookSettings {
  readonly values: Readonly<ILabbookSettingsValues>;
  /** The values changed (the user edited them, or they were loaded). */
  readonly changed: ISignal<ILabbookSettings, ILabbookSettings.IChange>;
}

export namespace ILabbookSettings {
  export interface IChange {
    values: Readonly<ILabbookSettingsValues>;
    /** The settings whose value differs from before. */
    keys: readonly (keyof ILabbookSettingsValues)[];
  }
}

export const ILabbookSettings = new Token<ILabbookSettings>(
  'labbook:ILabbookSettings',
  "Labbook's settings, kept in step with the setting registry."
);

/** A store file that could not be read, shown on its experiment. */
export interface ILabbookDamage {
  id: string;
  path: string;
  problem: string;
}

/**
 * The store of this JupyterLab (the `storeFolder` of the server root) and
 * its index: what the list, the runs table, compare and the detail read.
 */
export interface ILabbookStore {
  /** The store: every read and write, and its `changed` per file kind. */
  readonly store: LabbookStore;
  /** A summary per experiment, kept current from the store's changes. */
  readonly index: StoreIndex;
  /** Experiments, newest first, as summaries. */
  readonly experiments: readonly IExperimentSummary[];
  /** One experiment's summary, if listed. */
  summary(id: string): IExperimentSummary | undefined;
  /** Experiments whose files could not be read. */
  readonly damaged: readonly ILabbookDamage[];
  /** The last store error (unreachable folder, …), or null. */
  readonly error: string | null;
  /** Whether the list has been read once. */
  readonly listed: boolean;
  /** While the index is rebuilt: how many of how many folders are read. */
  readonly loading: { done: number; total: number } | null;
  /** The path on the server of a path in the store (to open what it wrote). */
  serverPath(path: string): string;
  /** Read what other tabs wrote (the first time: the whole index). */
  refresh(): Promise<void>;
  /** Read again (or after `refresh`); the running experiments of dead tabs checked. */
  readonly refreshed: ISignal<ILabbookStore, void>;
  /** The list changed, or data logged to an experiment. */
  readonly changed: ISignal<ILabbookStore, void>;
}

export const ILabbookStore = new Token<ILabbookStore>(
  'labbook:ILabbookStore',
  "Labbook's store (experiments, history, metrics, snapshots) and its index."
);

/** The capture of one notebook panel, whether or not it is recorded. */
export interface ILabbookCapture extends IDisposable {
  readonly panel: NotebookPanel;
  readonly tracker: ExecutionTracker;
  readonly kernel: IKernelInfo;
}

/** An experiment that this tab records. */
export interface ILabbookRunning extends IDisposable {
  readonly id: string;
  readonly experiment: IExperiment;
  readonly capture: ILabbookCapture;
  /** Cell executions recorded so far. */
  readonly executionCount: number;
  /** The last write error, if the store refused a flush. */
  readonly lastError: string | null;
  readonly ended: ISignal<ILabbookRunning, ExperimentStatus>;
  snapshot(reason: SnapshotReason): Promise<ISnapshotInfo>;
  flush(): Promise<void>;
  stop(status?: ExperimentStatus, reason?: string): Promise<void>;
}

/**
 * What this tab records: the capture of every notebook, and the running
 * experiment of each. It writes to the store; it does not hand it out.
 */
export interface ILabbookRecorder {
  /** Capture a notebook panel (done for every opened notebook). */
  track(panel: NotebookPanel): ILabbookCapture;
  capture(panel: NotebookPanel): ILabbookCapture | undefined;
  /** The tracked notebook panel whose DOM holds `node` (an output, say). */
  panelOf(node: Node): NotebookPanel | undefined;
  /** Experiments running in this tab, oldest first. */
  readonly running: readonly ILabbookRunning[];
  runningFor(panel: NotebookPanel): ILabbookRunning | undefined;
  runningById(id: string): ILabbookRunning | undefined;
  /** Cell executions: counted live when it runs in this tab, else as stored. */
  executionsOf(e: { id: string; executions?: number }): number | null;
  /** Start (or return) the experiment of a notebook. */
  start(panel: NotebookPanel, name?: string): Promise<ILabbookRunning>;
  stop(panel: NotebookPanel): Promise<void>;
  /** The experiment a kernel was logging into when its tab went away. */
  experimentOfKernel(
    panel: NotebookPanel,
    kernelId: string
  ): Promise<{ experiment: IExperiment; alive: boolean } | null>;
  /** Carry on an experiment of `experimentOfKernel` in this tab. */
  resume(
    panel: NotebookPanel,
    experiment: IExperiment
  ): Promise<ILabbookRunning>;
  /** An experiment started, ended or wrote history in this tab. */
  readonly changed: ISignal<ILabbookRecorder, void>;
}

export const ILabbookRecorder = new Token<ILabbookRecorder>(
  'labbook:ILabbookRecorder',
  'Labbook recording: per-notebook capture and the running experiments of this tab.'
);

/**
 * The Labbook store: experiments in a folder of plain JSON files, through
 * any `IStoreFS` (Contents API in the browser, Node fs in tests).
 *
 * - one folder per experiment, named by its sortable id;
 * - growing data is appended as small chunk files named
 *   `<seq>-<writer>.json`, never rewritten, so two writers (two tabs) never
 *   collide and a crash leaves at most one half-written chunk;
 * - metadata edits are append-only too and folded in time order;
 * - snapshot cells are content-addressed objects shared by all snapshots.
 *
 * Damage stays local: a file that cannot be read is reported with its
 * experiment, the rest loads.
 *
 * This class is the façade: one `StoreContext` shared by the parts, each
 * kind of data in its own file (experiments, history, metrics, logs,
 * environment, images, snapshots, saved views), where the methods below
 * are documented in full.
 */
import { ISignal, Signal } from '@lumino/signaling';
import type {
  HistoryRecord,
  IDataInput,
  IEnvironment,
  IExperiment,
  ILoggedImage,
  ILoggedText,
  IMetricSeries,
  ISnapshotInfo,
  SnapshotReason
} from '../model';
import type { MetricsOverview } from '../metrics/overview';
import type { ISavedView } from '../savedviews/savedview';
import type { IStoreChange } from './changes';
import { StoreContext } from './context';
import type { IDamagedFile } from './context';
import * as environment from './environment';
import { Experiments } from './experiments';
import type { ExperimentPatch, IExperimentInit } from './experiments';
import type { IStoreFS } from './fs';
import * as history from './history';
import { newWriterId } from './ids';
import * as images from './images';
import * as logs from './logs';
import { Metrics } from './metrics';
import type { IBatchMark, IMetricsExpectation } from './metrics';
import * as savedviews from './savedviews';
import { Snapshots } from './snapshots';
import type { INotebookJSON } from './snapshots';

export type { IStoreChange } from './changes';
export type { IDamagedFile } from './context';
export type { ExperimentPatch, IExperimentInit } from './experiments';
export { PREVIEW_BUCKETS } from './metrics';
export type { IBatchMark, IMetricsExpectation } from './metrics';
export type { INotebookJSON } from './snapshots';

/** What a read returns, with the files it could not read. */
type Read<T> = Promise<T & { damaged: IDamagedFile[] }>;

export class LabbookStore {
  constructor(options: LabbookStore.IOptions) {
    this.fs = options.fs;
    this.writer = options.writer ?? newWriterId();
    const ctx = (this._ctx = new StoreContext({
      fs: this.fs,
      writer: this.writer,
      now: options.now ?? (() => new Date()),
      concurrency: options.concurrency ?? 16,
      emit: change => this._changed.emit(change)
    }));
    this._metrics = new Metrics(ctx, {
      overviewDelayMs: options.overviewDelayMs ?? 2000
    });
    this._experiments = new Experiments(ctx, id => this._metrics.ended(id));
    this._snapshots = new Snapshots(
      ctx,
      async id => (await this.getExperiment(id)).notebook
    );
  }

  readonly fs: IStoreFS;
  /** This writer's id: part of every chunk name it writes. */
  readonly writer: string;

  get changed(): ISignal<this, IStoreChange> {
    return this._changed;
  }

  /** Create a new experiment (status running unless given). */
  createExperiment(init: IExperimentInit): Promise<IExperiment> {
    return this._experiments.createExperiment(init);
  }

  /** Append a metadata edit (the heartbeat goes to its own small file). */
  updateExperiment(id: string, patch: ExperimentPatch): Promise<void> {
    return this._experiments.updateExperiment(id, patch);
  }

  /** One experiment, folded. Throws `StoreDamagedError` if its metadata is unreadable. */
  getExperiment(id: string): Promise<IExperiment> {
    return this._experiments.getExperiment(id);
  }

  /** One experiment, folded, and its unreadable files (never throws for damage). */
  readExperiment(id: string): Read<{ experiment: IExperiment | null }> {
    return this._experiments.readExperiment(id);
  }

  /** Every experiment, newest first, and the files that could not be read. */
  listExperiments(): Read<{ experiments: IExperiment[] }> {
    return this._experiments.listExperiments();
  }

  /** Remove an experiment's folder (shared snapshot objects stay). */
  async deleteExperiment(id: string): Promise<void> {
    await this._metrics.forget(id); // no overview write lands after it
    await this.fs.remove(this._ctx.path(id));
    this._changed.emit({ type: 'deleted', id });
  }

  /** Append history records as one new chunk. */
  appendHistory(id: string, records: readonly HistoryRecord[]): Promise<void> {
    return history.appendHistory(this._ctx, id, records);
  }

  /** The whole history in execution order, every writer's chunks merged. */
  loadHistory(id: string): Read<{ records: HistoryRecord[] }> {
    return history.loadHistory(this._ctx, id);
  }

  /** Append metric points as one new chunk, marked with `batch` when given. */
  appendMetrics(
    id: string,
    series: readonly IMetricSeries[],
    options: { batch?: IBatchMark } = {}
  ): Promise<void> {
    return this._metrics.appendMetrics(id, series, options);
  }

  /** Write now the metric overviews of this writer that changed. */
  flushMetricsOverviews(id?: string): Promise<void> {
    return this._metrics.flushMetricsOverviews(id);
  }

  /** Every metric of an experiment as an overview (min/max buckets). */
  loadMetricsOverview(
    id: string,
    options: { base?: MetricsOverview } = {}
  ): Read<{ overview: MetricsOverview }> {
    return this._metrics.loadMetricsOverview(id, options);
  }

  /** Every metric of an experiment as a preview (coarser overview). */
  loadMetricsPreview(
    id: string,
    expected?: IMetricsExpectation
  ): Promise<{
    overview: MetricsOverview;
    damaged: IDamagedFile[];
    preview: boolean;
  }> {
    return this._metrics.loadMetricsPreview(id, expected);
  }

  /** The highest kernel batch `seq` of `session` stored, 0 if none. */
  lastBatchSeq(id: string, session: string): Promise<number> {
    return this._metrics.lastBatchSeq(id, session);
  }

  /** Every metric series of an experiment, points in the order logged. */
  loadMetrics(
    id: string,
    options: { skip?: ReadonlySet<string> } = {}
  ): Promise<{
    series: IMetricSeries[];
    damaged: IDamagedFile[];
    chunks: string[];
  }> {
    return this._metrics.loadMetrics(id, options);
  }

  /** Append logged texts as one new chunk (none: nothing written). */
  appendTexts(id: string, texts: readonly ILoggedText[]): Promise<void> {
    return logs.appendTexts(this._ctx, id, texts);
  }

  /** Every logged text of an experiment, in the order logged. */
  loadTexts(id: string): Read<{ texts: ILoggedText[] }> {
    return logs.loadTexts(this._ctx, id);
  }

  /** Append data inputs as one new chunk (none: nothing written). */
  appendInputs(id: string, inputs: readonly IDataInput[]): Promise<void> {
    return logs.appendInputs(this._ctx, id, inputs);
  }

  /** Every data input of an experiment, in the order logged. */
  loadInputs(id: string): Read<{ inputs: IDataInput[] }> {
    return logs.loadInputs(this._ctx, id);
  }

  /** Store (replace) the environment the kernel collected. */
  saveEnvironment(id: string, env: IEnvironment): Promise<void> {
    return environment.saveEnvironment(this._ctx, id, env);
  }

  /** The stored environment, or null when none was collected. */
  loadEnvironment(id: string): Promise<IEnvironment | null> {
    return environment.loadEnvironment(this._ctx, id);
  }

  /** Store one part of a logged image's bytes. */
  putImagePart(
    id: string,
    imageId: string,
    part: number,
    bytes: Uint8Array
  ): Promise<void> {
    return images.putImagePart(this._ctx, id, imageId, part, bytes);
  }

  /** Append image records as one new chunk (none: nothing written). */
  appendImages(id: string, list: readonly ILoggedImage[]): Promise<void> {
    return images.appendImages(this._ctx, id, list);
  }

  /** Every logged image of an experiment (records only), in the order logged. */
  loadImages(id: string): Read<{ images: ILoggedImage[] }> {
    return images.loadImages(this._ctx, id);
  }

  /** The bytes of one logged image: its parts joined. */
  loadImageBytes(id: string, image: ILoggedImage): Promise<Uint8Array> {
    return images.loadImageBytes(this._ctx, id, image);
  }

  /** Save (create or replace) a view: `views/<id>.json`. */
  saveView(view: ISavedView): Promise<void> {
    return savedviews.saveView(this._ctx, view);
  }

  /** Every saved view, by name; unreadable files reported. */
  listViews(): Read<{ views: ISavedView[] }> {
    return savedviews.listViews(this._ctx);
  }

  /** Delete a saved view. */
  deleteView(id: string): Promise<void> {
    return savedviews.deleteView(this._ctx, id);
  }

  /** Save a snapshot of a notebook; unchanged cells are stored once. */
  saveSnapshot(
    id: string,
    reason: SnapshotReason,
    notebook: INotebookJSON,
    options: { notebookPath?: string } = {}
  ): Promise<ISnapshotInfo> {
    return this._snapshots.saveSnapshot(id, reason, notebook, options);
  }

  /** Snapshots of an experiment, oldest first. */
  listSnapshots(id: string): Read<{ snapshots: ISnapshotInfo[] }> {
    return this._snapshots.listSnapshots(id);
  }

  /** The newest snapshot that can be read, or null when there is none. */
  lastSnapshot(id: string): Promise<ISnapshotInfo | null> {
    return this._snapshots.lastSnapshot(id);
  }

  /** A snapshot's notebook, reassembled exactly as it was saved. */
  loadSnapshot(id: string, snapshotId: string): Promise<INotebookJSON> {
    return this._snapshots.loadSnapshot(id, snapshotId);
  }

  private _ctx: StoreContext;
  private _experiments: Experiments;
  private _metrics: Metrics;
  private _snapshots: Snapshots;
  private _changed = new Signal<this, IStoreChange>(this);
}

export namespace LabbookStore {
  export interface IOptions {
    fs: IStoreFS;
    /** Writer id (default: random). */
    writer?: string;
    /** Clock (tests). */
    now?: () => Date;
    /** Parallel reads (default 16). */
    concurrency?: number;
    /**
     * Longest wait before a changed metric overview is written (default
     * 2000 ms; `flushMetricsOverviews` writes at once).
     */
    overviewDelayMs?: number;
  }
}

/**
 * What the side panel's detail shows of one experiment, read from the store:
 * the experiment, its history, snapshots, metric lines, texts, images,
 * environment and data inputs, and the damaged files each part met. The
 * view does no I/O; it asks this and draws what `partChanged` names.
 *
 * The reads are scheduled here: opening an experiment reads every part (the
 * metrics first, from the click on); later store changes mark only the parts
 * they touch, coalesced over 500 ms, and what changes while an experiment
 * opens waits for its first read. Metric lines come from the overviews until
 * a chart needs the points, and then only new chunks are read.
 */
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import { concatF64 } from '../../../core/metrics/concat';
import type { MetricsOverview } from '../../../core/metrics/overview';
import type {
  HistoryRecord,
  IEnvironment,
  IExperiment,
  IDataInput,
  ILoggedImage,
  ILoggedText,
  IMetricSeries,
  ISnapshotInfo
} from '../../../core/model';
import type { IStoreIndexChange } from '../../../core/index/storeindex';
import { StoreDamagedError } from '../../../core/store/fs';
import type {
  ExperimentPatch,
  IDamagedFile,
  IStoreChange,
  LabbookStore
} from '../../../core/store/store';
import {
  lineOfOverview,
  lineOfSeries,
  type IChartLine
} from '../../ui/charts/chartline';
import { editList } from '../list/edits';

/** Parts of the detail, each read from its own store files. */
export const DETAIL_PARTS = [
  'experiment',
  'history',
  'snapshots',
  'metrics',
  'texts',
  'images',
  'environment'
] as const;

export type DetailPart = (typeof DETAIL_PARTS)[number];

/** What each kind of store change makes the detail read again. */
const PARTS_OF: {
  [type in IStoreChange['type']]?: readonly DetailPart[];
} = {
  created: DETAIL_PARTS,
  updated: ['experiment'],
  deleted: DETAIL_PARTS,
  history: ['history'],
  snapshot: ['snapshots'],
  metrics: ['metrics'],
  texts: ['texts'],
  images: ['images'],
  environment: ['environment'],
  inputs: ['environment']
};

/** The store reads and writes the detail makes. */
export type DetailStore = Pick<
  LabbookStore,
  | 'changed'
  | 'getExperiment'
  | 'updateExperiment'
  | 'deleteExperiment'
  | 'loadHistory'
  | 'listSnapshots'
  | 'loadMetrics'
  | 'loadMetricsOverview'
  | 'loadTexts'
  | 'loadImages'
  | 'loadImageBytes'
  | 'loadEnvironment'
  | 'loadInputs'
>;

/** Metric lines and the damaged metric files met reading them. */
export interface IMetricLines {
  lines: IChartLine[];
  damaged: IDamagedFile[];
}

export class ExperimentDetailModel {
  constructor(options: ExperimentDetailModel.IOptions) {
    this._store = options.store;
    this._reloadMs = options.reloadMs ?? 500;
    this._store.changed.connect(this._onStoreChanged, this);
    options.index?.changed.connect(this._onIndexChanged, this);
  }

  /** A part was read again (or, for `experiment`, edited here). */
  get partChanged(): ISignal<this, DetailPart> {
    return this._partChanged;
  }

  /** Another experiment is shown (or none): the view draws it afresh. */
  get currentChanged(): ISignal<this, IExperiment | null> {
    return this._currentChanged;
  }

  /** The experiment shown, as last read or edited; null for none. */
  get current(): IExperiment | null {
    return this._current;
  }

  /** The experiment being opened, until its first read ends. */
  get opening(): string | null {
    return this._opening;
  }

  /** The parts waiting to be read again. */
  get dirty(): ReadonlySet<DetailPart> {
    return this._dirty;
  }

  get history(): readonly HistoryRecord[] {
    return this._history;
  }
  get snapshots(): readonly ISnapshotInfo[] {
    return this._snapshots;
  }
  get metrics(): readonly IChartLine[] {
    return this._lines;
  }
  get texts(): readonly ILoggedText[] {
    return this._texts;
  }
  get images(): readonly ILoggedImage[] {
    return this._images;
  }
  /** The environment (null when none or unreadable) and the data inputs. */
  get environment(): IEnvironment | null {
    return this._environment;
  }
  get inputs(): readonly IDataInput[] {
    return this._inputs;
  }

  /** The damaged files each part met when last read, in part order. */
  get damaged(): IDamagedFile[] {
    return DETAIL_PARTS.flatMap(p => this._damage.get(p) ?? []);
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /**
   * Show one experiment: every part read. Resolves false when another
   * experiment (or none) was asked for meanwhile; rejects when the
   * experiment cannot be read.
   */
  async open(id: string): Promise<boolean> {
    this._opening = id;
    this._dirty.clear();
    // The metrics are read from the click on, their requests first.
    this._metricsRead = { id, read: this._loadMetrics(id) };
    this._metricsRead.read.catch(() => undefined); // handled by the read
    try {
      const e = await this._store.getExperiment(id);
      if (this._opening !== id || this._disposed) {
        return false;
      }
      this._setCurrent(e);
      await this._load(e.id, new Set(DETAIL_PARTS));
      return this._current?.id === id;
    } finally {
      if (this._opening === id) {
        this._opening = null;
        this._schedule([]); // what changed while it opened
      }
    }
  }

  /** Show no experiment. */
  close(): void {
    this._opening = null;
    this._metricsRead = null;
    if (this._current) {
      this._setCurrent(null);
    }
  }

  /** Change fields of the experiment shown (as this tab sees them). */
  async edit(patch: ExperimentPatch): Promise<void> {
    const e = this._current;
    if (!e) {
      return;
    }
    await this._store.updateExperiment(e.id, patch);
    if (this._current === e) {
      Object.assign(e, patch);
      this._partChanged.emit('experiment');
    }
  }

  /**
   * Add and remove tags or links, applied to the list as stored now (what
   * another tab added meanwhile stays). Resolves the list as written.
   */
  async editList(
    field: 'tags' | 'links',
    add: string[],
    remove: string[] = []
  ): Promise<string[] | null> {
    const e = this._current;
    if (!e) {
      return null;
    }
    const next = await editList(this._store, e.id, field, add, remove);
    if (this._current === e) {
      e[field] = next;
      this._partChanged.emit('experiment');
    }
    return next;
  }

  /** Delete the experiment shown and show none. */
  async deleteCurrent(): Promise<void> {
    const e = this._current;
    if (!e) {
      return;
    }
    await this._store.deleteExperiment(e.id);
    if (this._current === e) {
      this.close();
    }
  }

  /** The bytes of one of experiment `id`'s images. */
  loadImageBytes(id: string, image: ILoggedImage): Promise<Uint8Array> {
    return this._store.loadImageBytes(id, image);
  }

  /**
   * A chart needs the points, not the overview (smoothing, a zoom finer than
   * the overview): read every chunk once in the background, then give lines
   * of the points and keep reading only new chunks.
   */
  loadPoints(): Promise<void> {
    const cache = this._metricCache;
    if (!cache || cache.points || cache.loadingPoints) {
      return Promise.resolve();
    }
    cache.loadingPoints = true;
    return this._store
      .loadMetrics(cache.id)
      .then(fresh => {
        if (this._metricCache !== cache || this._current?.id !== cache.id) {
          return;
        }
        const points = { chunks: new Set<string>(), series: new Map() };
        Private.foldPoints(points, fresh);
        cache.points = points;
        this._lines = Private.lines(cache);
        this._partChanged.emit('metrics');
      })
      .catch(error => console.warn('Labbook: metric points not read', error))
      .finally(() => {
        cache.loadingPoints = false;
      });
  }

  /** Read parts again soon (all when none are named), changes coalesced. */
  reload(parts: readonly DetailPart[] = DETAIL_PARTS): void {
    this._schedule(parts);
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    if (this._reloadTimer !== null) {
      clearTimeout(this._reloadTimer);
      this._reloadTimer = null;
    }
    Signal.clearData(this);
  }

  private _setCurrent(e: IExperiment | null): void {
    if (this._current?.id !== e?.id) {
      this._history = [];
      this._snapshots = [];
      this._lines = [];
      this._texts = [];
      this._images = [];
      this._environment = null;
      this._inputs = [];
      this._damage.clear();
    }
    this._current = e;
    this._currentChanged.emit(e);
  }

  /**
   * Read parts again, soon, a few changes coalesced: the parts this tab
   * changed (the store says which), or all of it when another tab changed
   * the experiment (the index says so).
   */
  private _schedule(parts: readonly DetailPart[]): void {
    parts.forEach(p => this._dirty.add(p));
    // While it opens, the changes wait for its first read to end.
    if (
      this._disposed ||
      !this._current ||
      this._opening ||
      this._dirty.size === 0 ||
      this._reloadTimer !== null
    ) {
      return;
    }
    this._reloadTimer = setTimeout(() => {
      this._reloadTimer = null;
      const dirty = new Set(this._dirty);
      this._dirty.clear();
      if (this._current) {
        this._load(this._current.id, dirty).catch(error =>
          console.warn('Labbook: the detail was not read again', error)
        );
      }
    }, this._reloadMs);
  }

  /** A store change of this tab: the parts of the detail it touches. */
  private _onStoreChanged(_: unknown, change: IStoreChange): void {
    if (change.id !== (this._opening ?? this._current?.id)) {
      return;
    }
    const parts = PARTS_OF[change.type];
    if (parts) {
      this._schedule(parts);
    }
  }

  /** Index entries of other tabs (or a reload): the whole detail again. */
  private _onIndexChanged(_: unknown, change: IStoreIndexChange): void {
    const id = this._opening ?? this._current?.id;
    if (id && !change.own && (change.ids === null || change.ids.includes(id))) {
      this._schedule(DETAIL_PARTS);
    }
  }

  /**
   * Read parts of an experiment (all of them when it is opened). While it
   * runs, only what changed is read again: a session of hundreds of history
   * chunks is not read twice a second. The metrics are announced as soon
   * as they are read, not after the history and the rest.
   */
  private async _load(
    id: string,
    parts: ReadonlySet<DetailPart>
  ): Promise<void> {
    const store = this._store;
    const has = (p: DetailPart) => parts.has(p);
    let charts: Promise<IMetricLines | null> = Promise.resolve(null);
    if (has('metrics')) {
      const started = this._metricsRead;
      this._metricsRead = null;
      const read = started?.id === id ? started.read : this._loadMetrics(id);
      charts = read.then(metrics => {
        if (this._current?.id === id) {
          this._lines = metrics.lines;
          this._damage.set('metrics', metrics.damaged);
          this._partChanged.emit('metrics');
        }
        return metrics;
      });
    }
    const skip = Promise.resolve(null);
    const [fresh, history, snaps, , texts, images, env, inputs] =
      await Promise.all([
        has('experiment') ? store.getExperiment(id).catch(() => null) : skip,
        has('history') ? store.loadHistory(id) : skip,
        has('snapshots') ? store.listSnapshots(id) : skip,
        charts,
        has('texts') ? store.loadTexts(id) : skip,
        has('images') ? store.loadImages(id) : skip,
        has('environment')
          ? store.loadEnvironment(id).catch(error => error as Error)
          : skip,
        has('environment') ? store.loadInputs(id) : skip
      ]);
    if (this._current?.id !== id || this._disposed) {
      return;
    }
    // Each part's state first, then the announcements, so a view drawing
    // one part sees every damaged file of this read.
    const changed: DetailPart[] = [];
    if (fresh) {
      this._current = fresh;
    }
    if (has('experiment')) {
      changed.push('experiment');
    }
    if (texts) {
      this._texts = texts.texts;
      this._damage.set('texts', texts.damaged);
      changed.push('texts');
    }
    if (images) {
      this._images = images.images;
      this._damage.set('images', images.damaged);
      changed.push('images');
    }
    if (inputs) {
      this._environment = env instanceof Error || env === null ? null : env;
      this._inputs = inputs.inputs;
      this._damage.set('environment', [
        ...inputs.damaged,
        ...(env instanceof StoreDamagedError
          ? [{ id, path: env.path, problem: env.problem }]
          : [])
      ]);
      changed.push('environment');
    }
    if (snaps) {
      this._snapshots = snaps.snapshots;
      this._damage.set('snapshots', snaps.damaged);
      changed.push('snapshots');
    }
    if (history) {
      this._history = history.records;
      this._damage.set('history', history.damaged);
      changed.push('history');
    }
    changed.forEach(p => this._partChanged.emit(p));
  }

  /**
   * The experiment's metrics as chart lines, reading only the chunks not
   * read yet (a running experiment reloads every second or so: a long run
   * must not be read again from the start each time). First from the
   * overviews (a few hundred KB for millions of points), as points once a
   * chart asked for them (`loadPoints`).
   */
  private _loadMetrics(id: string): Promise<IMetricLines> {
    // One read at a time: two overlapping reads (a slow one under load and
    // the next reload) would both append the same new chunks.
    const next = this._metricRead.then(() => this._readNewMetrics(id));
    this._metricRead = next.then(
      () => undefined,
      () => undefined
    );
    return next;
  }

  private async _readNewMetrics(id: string): Promise<IMetricLines> {
    let cache = this._metricCache;
    if (cache?.id !== id) {
      cache = this._metricCache = {
        id,
        overview: null,
        points: null,
        loadingPoints: false
      };
    }
    let damaged;
    if (cache.points) {
      const fresh = await this._store.loadMetrics(id, {
        skip: cache.points.chunks
      });
      Private.foldPoints(cache.points, fresh);
      damaged = fresh.damaged;
    } else {
      const read = await this._store.loadMetricsOverview(id, {
        base: cache.overview ?? undefined
      });
      cache.overview = read.overview;
      damaged = read.damaged;
    }
    if (this._metricCache !== cache) {
      return { lines: [], damaged };
    }
    return { lines: Private.lines(cache), damaged };
  }

  private _store: DetailStore;
  private _reloadMs: number;
  private _disposed = false;
  private _current: IExperiment | null = null;
  /** The experiment being opened, until its first read ends. */
  private _opening: string | null = null;
  /** Parts to read again at the next reload. */
  private _dirty = new Set<DetailPart>();
  private _reloadTimer: ReturnType<typeof setTimeout> | null = null;
  private _history: readonly HistoryRecord[] = [];
  private _snapshots: readonly ISnapshotInfo[] = [];
  private _lines: readonly IChartLine[] = [];
  private _texts: readonly ILoggedText[] = [];
  private _images: readonly ILoggedImage[] = [];
  private _environment: IEnvironment | null = null;
  private _inputs: readonly IDataInput[] = [];
  /** Damaged files found by each part when last read. */
  private _damage = new Map<DetailPart, readonly IDamagedFile[]>();
  private _metricRead: Promise<void> = Promise.resolve();
  private _metricCache: Private.IMetricCache | null = null;
  /** The metrics read started by `open`, for its first read to use. */
  private _metricsRead: { id: string; read: Promise<IMetricLines> } | null =
    null;
  private _partChanged = new Signal<this, DetailPart>(this);
  private _currentChanged = new Signal<this, IExperiment | null>(this);
}

export namespace ExperimentDetailModel {
  export interface IOptions {
    store: DetailStore;
    /** The store index: entries of other tabs make the detail read again. */
    index?: { changed: ISignal<unknown, IStoreIndexChange> };
    /** Wait that coalesces the reloads of a burst of changes (500 ms). */
    reloadMs?: number;
  }
}

namespace Private {
  /** Points of an experiment's metrics, and the chunks they came from. */
  export interface IPoints {
    chunks: Set<string>;
    series: Map<string, IMetricSeries>;
  }

  /** What the detail read of the metrics of the experiment shown. */
  export interface IMetricCache {
    id: string;
    /** The overview, until the points are read. */
    overview: MetricsOverview | null;
    points: IPoints | null;
    loadingPoints: boolean;
  }

  /** Fold newly read chunks into the points read before. */
  export function foldPoints(
    points: IPoints,
    fresh: { series: IMetricSeries[]; chunks: string[] }
  ): void {
    // Damaged chunks are not among those read: they are tried again next
    // time, so their message stays.
    fresh.chunks.forEach(c => points.chunks.add(c));
    for (const s of fresh.series) {
      const old = points.series.get(s.name);
      points.series.set(
        s.name,
        old
          ? {
              name: s.name,
              steps: concatF64([old.steps, s.steps]),
              times: concatF64([old.times, s.times]),
              values: concatF64([old.values, s.values]),
              parents: [
                ...new Set([...(old.parents ?? []), ...(s.parents ?? [])])
              ]
            }
          : s
      );
    }
  }

  /** Chart lines, sorted by name: of the points when read, else of the overview. */
  export function lines(cache: IMetricCache): IChartLine[] {
    if (cache.points) {
      return [...cache.points.series.values()]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map(lineOfSeries);
    }
    return cache.overview ? cache.overview.sorted().map(lineOfOverview) : [];
  }
}

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
 */
import { ISignal, Signal } from '@lumino/signaling';
import { IMAGE_MIMES } from '../model';
import type {
  ExperimentStatus,
  HistoryRecord,
  IDataInput,
  IEnvironment,
  IExperiment,
  IKernelInfo,
  ILoggedImage,
  ILoggedText,
  IMetricSeries,
  ISnapshotInfo,
  SnapshotReason
} from '../model';
import { concatF64 } from '../metrics/concat';
import {
  AxisOverview,
  MetricsOverview,
  SeriesOverview,
  type LastPoint
} from '../metrics/overview';
import { base64ToBytes, bytesToBase64 } from '../base64';
import { canonicalJSON, sha256Hex } from './canonical';
import { FORMATS, FORMAT_VERSION, FormatName, parseStoreFile } from './format';
import {
  IStoreEntry,
  IStoreFS,
  StoreDamagedError,
  StoreNotFoundError,
  StorePathError
} from './fs';
import { newExperimentId, newWriterId } from './ids';
import { mapLimit } from './maplimit';
import { storePath } from './path';
import { savedViewProblems, type ISavedView } from '../views/savedview';

/** Fields an edit may change. */
export type ExperimentPatch = Partial<
  Pick<
    IExperiment,
    | 'name'
    | 'project'
    | 'tags'
    | 'notes'
    | 'status'
    | 'ended'
    | 'heartbeat'
    | 'statusReason'
    | 'starred'
    | 'archived'
    | 'links'
    | 'executions'
    | 'params'
  >
>;

/** Which kernel batch a chunk stores (docs/kernel-protocol.md). */
export interface IBatchMark {
  session: string;
  seq: number;
}

/**
 * Buckets per axis of a metric preview (`metrics-preview/`): between 256
 * and 512 after coarsening, enough for a chart of many lines at 1,024
 * columns with a bucket per four columns at most (see `loadMetricsPreview`).
 */
export const PREVIEW_BUCKETS = 512;

/** What the store index says of an experiment's metrics (`loadMetricsPreview`). */
export interface IMetricsExpectation {
  /** Writers of its metric chunks. */
  writers: readonly string[];
  /** Points of each metric. */
  counts: { readonly [name: string]: number };
}

/** A file that could not be read. */
export interface IDamagedFile {
  /** The experiment it belongs to ('' for the store itself). */
  id: string;
  path: string;
  problem: string;
}

export interface IStoreChange {
  type:
    | 'created'
    | 'updated'
    | 'history'
    | 'snapshot'
    | 'metrics'
    | 'texts'
    | 'environment'
    | 'inputs'
    | 'images'
    | 'views'
    | 'deleted';
  id: string;
  /**
   * For `metrics`: the points just appended, and the name of the chunk
   * that holds them, so a listener can update from them without reading
   * the experiment's metrics again.
   */
  series?: readonly IMetricSeries[];
  chunk?: string;
  /**
   * For `created`: the experiment as written (a new experiment has no
   * edits yet), so a listener need not read it back.
   */
  experiment?: Readonly<IExperiment>;
}

/** What `createExperiment` needs. */
export interface IExperimentInit extends Partial<IExperiment> {
  name: string;
  notebook: string;
  kernel: IKernelInfo;
}

/** A nbformat v4 notebook as JSON. */
export interface INotebookJSON {
  cells: Record<string, unknown>[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
  [key: string]: unknown;
}

export class LabbookStore {
  constructor(options: LabbookStore.IOptions) {
    this.fs = options.fs;
    this.writer = options.writer ?? newWriterId();
    this._now = options.now ?? (() => new Date());
    this._concurrency = options.concurrency ?? 16;
    this._overviewDelayMs = options.overviewDelayMs ?? 2000;
  }

  readonly fs: IStoreFS;
  /** This writer's id: part of every chunk name it writes. */
  readonly writer: string;

  get changed(): ISignal<this, IStoreChange> {
    return this._changed;
  }

  /** Create a new experiment (status running unless given). */
  async createExperiment(init: IExperimentInit): Promise<IExperiment> {
    await this._ensureStoreFile();
    const now = this._now();
    const id = newExperimentId(now);
    const folder = init.notebook.includes('/')
      ? init.notebook.slice(0, init.notebook.lastIndexOf('/'))
      : '';
    const experiment: IExperiment = {
      id,
      name: init.name,
      project: init.project ?? folder,
      notebook: init.notebook,
      tags: [...(init.tags ?? [])],
      notes: init.notes ?? '',
      status: init.status ?? 'running',
      started: init.started ?? now.toISOString(),
      ended: init.ended ?? null,
      heartbeat: init.heartbeat ?? now.toISOString(),
      kernel: { ...init.kernel },
      labbookVersion: init.labbookVersion ?? '0',
      ...(init.params ? { params: structuredClone(init.params) } : {}),
      ...(init.sweep ? { sweep: { ...init.sweep } } : {})
    };
    await this.fs.writeText(
      this._path(id, 'experiment.json'),
      JSON.stringify(
        { format: FORMATS.experiment, version: FORMAT_VERSION, experiment },
        null,
        1
      )
    );
    this._created.add(id);
    this._changed.emit({
      type: 'created',
      id,
      experiment: structuredClone(experiment)
    });
    return experiment;
  }

  /** Append a metadata edit (the heartbeat goes to its own small file). */
  async updateExperiment(id: string, patch: ExperimentPatch): Promise<void> {
    const { heartbeat, ...rest } = patch;
    if (
      heartbeat !== undefined &&
      heartbeat !== null &&
      Object.keys(rest).length === 0
    ) {
      await this.fs.writeText(
        this._path(id, 'heartbeat', `${this.writer}.json`),
        JSON.stringify({
          format: FORMATS.heartbeat,
          version: FORMAT_VERSION,
          writer: this.writer,
          time: heartbeat
        })
      );
      return;
    }
    const set: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) {
        set[key] = value;
      }
    }
    const edit = {
      format: FORMATS.edit,
      version: FORMAT_VERSION,
      time: this._now().toISOString(),
      writer: this.writer,
      set
    };
    await this.fs.writeText(
      this._path(id, 'edits', this._chunkName(id, 'edits')),
      JSON.stringify(edit)
    );
    this._changed.emit({ type: 'updated', id });
    if (patch.status && patch.status !== 'running') {
      // The experiment ended: its overview is written now and forgotten
      // (read back from the file if this writer appends again).
      const state = this._overviews.get(id);
      if (state) {
        await this._writeOverview(id);
        if (this._overviews.get(id) === state && !state.dirty) {
          this._overviews.delete(id);
        }
      }
    }
  }

  /** One experiment, folded. Throws `StoreDamagedError` if its metadata is unreadable. */
  async getExperiment(id: string): Promise<IExperiment> {
    const { experiment, damaged } = await this._readExperiment(id);
    if (!experiment) {
      const d = damaged[0];
      throw new StoreDamagedError(
        d?.path ?? this._path(id, 'experiment.json'),
        d?.problem ?? 'unreadable'
      );
    }
    return experiment;
  }

  /**
   * One experiment, folded, and the files of it that could not be read
   * (never throws for a damaged file: `experiment` is null when its
   * `experiment.json` is unreadable or missing).
   */
  async readExperiment(
    id: string
  ): Promise<{ experiment: IExperiment | null; damaged: IDamagedFile[] }> {
    return this._readExperiment(id);
  }

  /** Every experiment, newest first, and the files that could not be read. */
  async listExperiments(): Promise<{
    experiments: IExperiment[];
    damaged: IDamagedFile[];
  }> {
    const entries = await this.fs.list('experiments');
    const ids = entries
      .filter(e => e.type === 'directory' && Private.ID_SEGMENT.test(e.name))
      .map(e => e.name)
      .sort()
      .reverse();
    const results = await mapLimit(ids, this._concurrency, id =>
      this._readExperiment(id)
    );
    const experiments: IExperiment[] = [];
    const damaged: IDamagedFile[] = [];
    for (const r of results) {
      if (r.experiment) {
        experiments.push(r.experiment);
      }
      damaged.push(...r.damaged);
    }
    return { experiments, damaged };
  }

  /** Append history records as one new chunk. */
  async appendHistory(
    id: string,
    records: readonly HistoryRecord[]
  ): Promise<void> {
    if (records.length === 0) {
      return;
    }
    const chunk = {
      format: FORMATS.history,
      version: FORMAT_VERSION,
      writer: this.writer,
      records
    };
    await this.fs.writeText(
      this._path(id, 'history', this._chunkName(id, 'history')),
      JSON.stringify(chunk)
    );
    this._changed.emit({ type: 'history', id });
  }

  /**
   * The whole history in execution order: chunks of every writer merged,
   * duplicates dropped; unreadable chunks reported, the others loaded.
   */
  async loadHistory(
    id: string
  ): Promise<{ records: HistoryRecord[]; damaged: IDamagedFile[] }> {
    const damaged: IDamagedFile[] = [];
    const chunks = await this._readChunks<
      { records: unknown },
      HistoryRecord[]
    >(id, 'history', FORMATS.history, damaged, {
      read: (chunk, path) => {
        if (!Array.isArray(chunk.records)) {
          throw new StoreDamagedError(path, 'no records list');
        }
        return chunk.records as HistoryRecord[];
      }
    });
    return {
      records: Private.mergeHistory(chunks.map(c => c.value)),
      damaged
    };
  }

  /**
   * Append metric points as one new chunk (`metrics/<seq>-<writer>.json`).
   * Steps, times and values are little-endian Float64 arrays in base64, so
   * NaN and infinities are kept as they are and a million points read back
   * without parsing a million numbers.
   */
  async appendMetrics(
    id: string,
    series: readonly IMetricSeries[],
    options: { batch?: IBatchMark } = {}
  ): Promise<void> {
    const chunk = {
      format: FORMATS.metrics,
      version: FORMAT_VERSION,
      writer: this.writer,
      ...(options.batch ? { batch: options.batch } : {}),
      series: series.map(s => ({
        name: s.name,
        ...(s.parent ? { parent: s.parent } : {}),
        count: s.values.length,
        encoding: 'f64le-base64',
        steps: Private.encodeF64(s.steps),
        times: Private.encodeF64(s.times),
        values: Private.encodeF64(s.values)
      }))
    };
    const name = this._chunkName(id, 'metrics');
    await this.fs.writeText(
      this._path(id, 'metrics', name),
      JSON.stringify(chunk)
    );
    this._overviewAppend(id, name, series);
    this._changed.emit({ type: 'metrics', id, series, chunk: name });
  }

  /**
   * Write now the metric overviews (`metrics-overview/<writer>.json`) of
   * this writer that changed since last written: of one experiment, or of
   * all. Otherwise they are written at most every `overviewDelayMs` while
   * points are appended, and when the experiment ends.
   */
  async flushMetricsOverviews(id?: string): Promise<void> {
    const ids = id === undefined ? [...this._overviews.keys()] : [id];
    await Promise.all(ids.map(i => this._writeOverview(i)));
  }

  /**
   * Every metric of an experiment as an overview (min/max buckets by step
   * and by wall time, count, last point: see `MetricsOverview`), for charts
   * that must not wait for every point. Reads the overview files of every
   * writer and only the metric chunks none of them covers. With `base` (an
   * overview this returned before), reads no overview file and folds into
   * `base` only the chunks it does not hold yet.
   *
   * An overview file that cannot be read, or that covers a chunk another
   * overview covers too, is left out: its chunks are read instead.
   */
  async loadMetricsOverview(
    id: string,
    options: { base?: MetricsOverview } = {}
  ): Promise<{ overview: MetricsOverview; damaged: IDamagedFile[] }> {
    const damaged: IDamagedFile[] = [];
    // Listed while the overview files are read.
    const listing = this.fs.list(this._path(id, 'metrics'));
    listing.catch(() => undefined);
    let overview = options.base;
    if (!overview) {
      overview = new MetricsOverview();
      const files = await this._readChunks<any, MetricsOverview>(
        id,
        'metrics-overview',
        FORMATS.metricsOverview,
        [], // derived files: the chunks say the same
        { read: (file, path) => Private.parseOverview(file, path) }
      );
      for (const { value } of files) {
        overview.merge(value);
      }
    }
    const ov = overview;
    const chunks = await this._readChunks<{ series: unknown }, IMetricSeries[]>(
      id,
      'metrics',
      FORMATS.metrics,
      damaged,
      {
        listing,
        skip: { has: name => ov.covers(name) },
        read: (chunk, path) => Private.readMetricsChunk(chunk, path)
      }
    );
    for (const c of chunks) {
      ov.appendChunk(c.name, c.value);
    }
    return { overview: ov, damaged };
  }

  /**
   * Every metric of an experiment as a preview: an overview of at most
   * `PREVIEW_BUCKETS` buckets per axis (a fifth of a 10,000-point run's
   * overview), for a chart of many runs that draws each at a few hundred
   * pixel columns (compare). Each writer of metrics writes its preview
   * (`metrics-preview/<writer>.json`) with its overview, once one of its
   * metrics has more points than a preview's buckets (before, the
   * overview is read: it is as small).
   *
   * With `expected` (what the store index says of the experiment: the
   * writers of its metric chunks and each metric's count), reads only
   * those writers' previews, one request each, and lists nothing; when
   * they do not hold exactly the expected metrics and counts (a run still
   * logging, an index behind), or cannot be read, falls back to
   * `loadMetricsOverview` (full overviews and the chunks none covers).
   * `preview` says which was returned.
   */
  async loadMetricsPreview(
    id: string,
    expected?: IMetricsExpectation
  ): Promise<{
    overview: MetricsOverview;
    damaged: IDamagedFile[];
    preview: boolean;
  }> {
    if (expected) {
      const names = Object.keys(expected.counts);
      if (names.length === 0) {
        return { overview: new MetricsOverview(), damaged: [], preview: true };
      }
      // No metric past a preview's size: the previews would be the
      // overviews, and their writers write none.
      const previews = Private.needsPreview(names.map(n => expected.counts[n]));
      const read = (folder: string, writer: string) =>
        this._readOverviewFile(this._path(id, folder, `${writer}.json`));
      const files = await Promise.all(
        expected.writers.map(async writer => {
          if (previews) {
            try {
              return await read('metrics-preview', writer);
            } catch (error) {
              if (!(error instanceof StoreNotFoundError)) {
                return null; // damaged: the full read says which
              }
              // One of several writers whose own points fit in a preview.
            }
          }
          return read('metrics-overview', writer).catch(() => null);
        })
      );
      let overview: MetricsOverview | null = null;
      for (const file of files) {
        if (!file) {
          overview = null;
          break;
        }
        if (!overview) {
          overview = file;
        } else if (!overview.merge(file)) {
          overview = null;
          break;
        }
      }
      if (
        overview &&
        overview.series.size === names.length &&
        names.every(n => overview.series.get(n)?.count === expected.counts[n])
      ) {
        return { overview, damaged: [], preview: true };
      }
    }
    return { ...(await this.loadMetricsOverview(id)), preview: false };
  }

  /**
   * The highest kernel batch `seq` of `session` whose metrics are stored,
   * 0 if none: a tab that did not store them itself (the page was
   * reloaded mid-run) skips batches the kernel sends again. Reads only
   * the newest few chunks: batches are stored in order.
   */
  async lastBatchSeq(id: string, session: string): Promise<number> {
    const names = Private.jsonNames(
      await this.fs.list(this._path(id, 'metrics'))
    ).slice(-4);
    let last = 0;
    for (const name of names) {
      try {
        const chunk = JSON.parse(
          await this.fs.readText(this._path(id, 'metrics', name))
        );
        const b = chunk?.batch;
        if (b?.session === session && Number.isInteger(b.seq)) {
          last = Math.max(last, b.seq);
        }
      } catch {
        // a damaged chunk is reported when the metrics are read
      }
    }
    return last;
  }

  /** Every metric series of an experiment, points in the order logged. */
  async loadMetrics(
    id: string,
    options: { skip?: ReadonlySet<string> } = {}
  ): Promise<{
    series: IMetricSeries[];
    damaged: IDamagedFile[];
    /**
     * The chunks read (damaged ones are not: they are tried again): pass
     * them as `skip` to read only newer points.
     */
    chunks: string[];
  }> {
    const damaged: IDamagedFile[] = [];
    type Part = Private.IMetricPart;
    const chunks = await this._readChunks<{ series: unknown }, Part[]>(
      id,
      'metrics',
      FORMATS.metrics,
      damaged,
      {
        skip: options.skip,
        read: (chunk, path) => Private.readMetricsChunk(chunk, path)
      }
    );
    const byName = new Map<string, Part[]>();
    for (const chunk of chunks) {
      for (const part of chunk.value) {
        byName.set(part.name, [...(byName.get(part.name) ?? []), part]);
      }
    }
    const series: IMetricSeries[] = [...byName].map(([name, parts]) => ({
      name,
      steps: concatF64(parts.map(p => p.steps)),
      times: concatF64(parts.map(p => p.times)),
      values: concatF64(parts.map(p => p.values)),
      parents: [...new Set(parts.flatMap(p => (p.parent ? [p.parent] : [])))]
    }));
    series.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { series, damaged, chunks: chunks.map(c => c.name) };
  }

  /** Append logged texts as one new chunk (`texts/<seq>-<writer>.json`). */
  async appendTexts(id: string, texts: readonly ILoggedText[]): Promise<void> {
    await this.fs.writeText(
      this._path(id, 'texts', this._chunkName(id, 'texts')),
      JSON.stringify({
        format: FORMATS.texts,
        version: FORMAT_VERSION,
        writer: this.writer,
        texts
      })
    );
    this._changed.emit({ type: 'texts', id });
  }

  /** Every logged text of an experiment, in the order logged. */
  async loadTexts(
    id: string
  ): Promise<{ texts: ILoggedText[]; damaged: IDamagedFile[] }> {
    const damaged: IDamagedFile[] = [];
    const chunks = await this._readChunks<{ texts: unknown }>(
      id,
      'texts',
      FORMATS.texts,
      damaged
    );
    const texts: ILoggedText[] = [];
    for (const { value } of chunks) {
      if (Array.isArray(value.texts)) {
        for (const t of value.texts) {
          if (t && typeof t.name === 'string' && typeof t.text === 'string') {
            texts.push(t as ILoggedText);
          }
        }
      }
    }
    return { texts, damaged };
  }

  /* ---------------------------------------------------------------- */
  /* Environment and data inputs                                       */
  /* ---------------------------------------------------------------- */

  /**
   * Store the environment the kernel collected, as
   * `experiments/<id>/environment.json`. One per experiment: a later
   * collection (a kernel restart, or the frontend asking again) replaces
   * it, because the cells that ran after it ran in that environment; the
   * file is written whole, so readers see the old or the new one.
   */
  async saveEnvironment(id: string, env: IEnvironment): Promise<void> {
    await this.fs.writeText(
      this._path(id, 'environment.json'),
      JSON.stringify({
        format: FORMATS.environment,
        version: FORMAT_VERSION,
        writer: this.writer,
        environment: env
      })
    );
    this._changed.emit({ type: 'environment', id });
  }

  /**
   * The stored environment, or null when none was collected. Throws
   * `StoreDamagedError` (naming the file) when it cannot be read; a part
   * with the wrong shape is dropped and listed in `errors` instead, so
   * one odd field does not hide the rest.
   */
  async loadEnvironment(id: string): Promise<IEnvironment | null> {
    const path = this._path(id, 'environment.json');
    if (!(await this.fs.exists(path))) {
      return null; // asked first: a missing file is no error to log
    }
    let text: string;
    try {
      text = await this.fs.readText(path);
    } catch (error) {
      if (error instanceof StoreNotFoundError) {
        return null;
      }
      throw error;
    }
    const file = parseStoreFile<{ environment: unknown }>(
      path,
      text,
      FORMATS.environment
    );
    return Private.checkEnvironment(path, file.environment);
  }

  /**
   * Append data inputs (`labbook.log_input`) as one new chunk
   * (`inputs/<seq>-<writer>.json`).
   */
  async appendInputs(id: string, inputs: readonly IDataInput[]): Promise<void> {
    if (inputs.length === 0) {
      return;
    }
    await this.fs.writeText(
      this._path(id, 'inputs', this._chunkName(id, 'inputs')),
      JSON.stringify({
        format: FORMATS.inputs,
        version: FORMAT_VERSION,
        writer: this.writer,
        inputs
      })
    );
    this._changed.emit({ type: 'inputs', id });
  }

  /**
   * Every data input of an experiment, in the order logged (an input
   * logged twice is listed twice). Entries without a name and a path are
   * left out; unreadable chunks are reported in `damaged`.
   */
  async loadInputs(
    id: string
  ): Promise<{ inputs: IDataInput[]; damaged: IDamagedFile[] }> {
    const damaged: IDamagedFile[] = [];
    const chunks = await this._readChunks<{ inputs: unknown }, unknown[]>(
      id,
      'inputs',
      FORMATS.inputs,
      damaged,
      {
        read: (chunk, path) => {
          if (!Array.isArray(chunk.inputs)) {
            throw new StoreDamagedError(path, 'no inputs list');
          }
          return chunk.inputs as unknown[];
        }
      }
    );
    const inputs: IDataInput[] = [];
    for (const { value } of chunks) {
      for (const input of value) {
        const checked = Private.checkInput(input);
        if (checked) {
          inputs.push(checked);
        }
      }
    }
    return { inputs, damaged };
  }

  /* ---------------------------------------------------------------- */
  /* Images                                                             */
  /* ---------------------------------------------------------------- */

  /**
   * Store one part of a logged image's bytes
   * (`image-parts/<imageId>-<part>.bin`). Parts come before the record
   * that lists the image (`appendImages`), so a listed image is whole.
   */
  async putImagePart(
    id: string,
    imageId: string,
    part: number,
    bytes: Uint8Array
  ): Promise<void> {
    await this.fs.writeBytes(
      this._path(id, 'image-parts', Private.imagePartName(imageId, part)),
      bytes
    );
  }

  /** Append image records as one new chunk (`images/<seq>-<writer>.json`). */
  async appendImages(
    id: string,
    images: readonly ILoggedImage[]
  ): Promise<void> {
    if (images.length === 0) {
      return;
    }
    await this.fs.writeText(
      this._path(id, 'images', this._chunkName(id, 'images')),
      JSON.stringify({
        format: FORMATS.images,
        version: FORMAT_VERSION,
        writer: this.writer,
        images
      })
    );
    this._changed.emit({ type: 'images', id });
  }

  /** Every logged image of an experiment (records only), in the order logged. */
  async loadImages(
    id: string
  ): Promise<{ images: ILoggedImage[]; damaged: IDamagedFile[] }> {
    const damaged: IDamagedFile[] = [];
    const chunks = await this._readChunks<{ images: unknown }>(
      id,
      'images',
      FORMATS.images,
      damaged
    );
    const images: ILoggedImage[] = [];
    const seen = new Set<string>();
    for (const { value } of chunks) {
      for (const image of Array.isArray(value.images) ? value.images : []) {
        if (Private.isImageRecord(image) && !seen.has(image.id)) {
          seen.add(image.id);
          images.push(image);
        }
      }
    }
    return { images, damaged };
  }

  /** The bytes of one logged image: its parts joined. */
  async loadImageBytes(id: string, image: ILoggedImage): Promise<Uint8Array> {
    const parts = await mapLimit(
      Array.from({ length: image.parts }, (_, i) => i),
      4,
      part =>
        this.fs.readBytes(
          this._path(id, 'image-parts', Private.imagePartName(image.id, part))
        )
    );
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    if (out.length !== image.size) {
      throw new StoreDamagedError(
        this._path(id, 'image-parts'),
        `image ${image.name} has ${out.length} of its ${image.size} bytes`
      );
    }
    return out;
  }

  /* ---------------------------------------------------------------- */
  /* Saved views                                                        */
  /* ---------------------------------------------------------------- */

  /** Save (create or replace) a view: `views/<id>.json`. */
  async saveView(view: ISavedView): Promise<void> {
    const problems = savedViewProblems(view);
    if (problems.length) {
      throw new Error(`Invalid view: ${problems.join('; ')}`);
    }
    await this.fs.writeText(
      storePath('views', `${Private.segment(view.id)}.json`),
      JSON.stringify({
        format: FORMATS.view,
        version: FORMAT_VERSION,
        writer: this.writer,
        view
      })
    );
    this._changed.emit({ type: 'views', id: '' });
  }

  /** Every saved view, by name; unreadable files reported. */
  async listViews(): Promise<{ views: ISavedView[]; damaged: IDamagedFile[] }> {
    const names = Private.jsonNames(await this.fs.list('views'));
    const damaged: IDamagedFile[] = [];
    const views: ISavedView[] = [];
    await mapLimit(names, this._concurrency, async name => {
      const path = storePath('views', name);
      try {
        const file = parseStoreFile<{ view: unknown }>(
          path,
          await this.fs.readText(path),
          FORMATS.view
        );
        const problems = savedViewProblems(file.view);
        if (problems.length) {
          throw new StoreDamagedError(path, problems.join('; '));
        }
        views.push(file.view as ISavedView);
      } catch (error) {
        damaged.push(Private.damage('', path, error));
      }
    });
    views.sort(
      (a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1)
    );
    return { views, damaged };
  }

  /** Delete a saved view. */
  async deleteView(id: string): Promise<void> {
    await this.fs.remove(storePath('views', `${Private.segment(id)}.json`));
    this._changed.emit({ type: 'views', id: '' });
  }

  /**
   * Save a snapshot of a notebook; unchanged cells are stored once.
   * `notebookPath`: the experiment's notebook, when the caller knows it
   * (spares reading the experiment; a sweep of short runs snapshots twice
   * per run).
   */
  async saveSnapshot(
    id: string,
    reason: SnapshotReason,
    notebook: INotebookJSON,
    options: { notebookPath?: string } = {}
  ): Promise<ISnapshotInfo> {
    // Taken when asked for (the notebook given is of this moment), not once
    // its cells are written: two snapshots list in the order they were taken.
    const taken = this._now();
    const notebookPath =
      options.notebookPath ?? (await this.getExperiment(id)).notebook;
    const cells = Array.isArray(notebook.cells) ? notebook.cells : [];
    const hashes: string[] = [];
    const writes: { path: string; text: string }[] = [];
    for (const cell of cells) {
      const text = canonicalJSON(cell);
      const hash = sha256Hex(text);
      hashes.push(hash);
      if (!this._objects.has(hash)) {
        writes.push({ path: Private.objectPath(hash), text });
      }
    }
    await mapLimit(writes, this._concurrency, async w => {
      if (!this._objects.has(w.path) && !(await this._objectStored(w.path))) {
        await this.fs.writeText(w.path, w.text);
      }
      this._objects.add(w.path);
    });
    for (const h of hashes) {
      this._objects.add(h);
    }
    const snapshotId = `${taken.toISOString().replace(/[-:.]/g, '')}-${reason}-${newWriterId().slice(0, 4)}`;
    const info: ISnapshotInfo = {
      id: snapshotId,
      experimentId: id,
      reason,
      taken: taken.toISOString(),
      notebook: notebookPath,
      cellCount: cells.length
    };
    const { cells: _cells, ...rest } = notebook;
    // A snapshot close to the previous one of this experiment is written
    // as a delta on it (cell positions that changed), a chain at most
    // MAX_CHAIN long; otherwise the full list of cell hashes.
    const last = this._lastCells.get(id);
    let cellRef: Record<string, unknown> = { cells: hashes };
    let depth = 0;
    if (last && last.depth < Private.MAX_CHAIN) {
      const set: [number, string][] = [];
      hashes.forEach((h, i) => {
        if (last.cells[i] !== h) {
          set.push([i, h]);
        }
      });
      if (set.length * 2 < hashes.length) {
        cellRef = { base: last.snapshotId, length: hashes.length, set };
        depth = last.depth + 1;
      }
    }
    const manifest = {
      format: FORMATS.snapshot,
      version: FORMAT_VERSION,
      info,
      notebook: { ...rest, ...cellRef }
    };
    await this.fs.writeText(
      this._path(id, 'snapshots', `${snapshotId}.json`),
      JSON.stringify(manifest)
    );
    this._lastCells.set(id, { snapshotId, cells: hashes, depth });
    this._changed.emit({ type: 'snapshot', id });
    return info;
  }

  /** Snapshots of an experiment, oldest first. */
  async listSnapshots(
    id: string
  ): Promise<{ snapshots: ISnapshotInfo[]; damaged: IDamagedFile[] }> {
    const names = await this._snapshotNames(id);
    const damaged: IDamagedFile[] = [];
    const infos = await mapLimit(names, this._concurrency, async name => {
      try {
        return await this._snapshotInfo(id, name);
      } catch (error) {
        damaged.push(
          Private.damage(id, this._path(id, 'snapshots', name), error)
        );
        return null;
      }
    });
    return { snapshots: infos.filter((i): i is ISnapshotInfo => !!i), damaged };
  }

  /**
   * The newest snapshot that can be read, or null when there is none: one
   * listing and one read (more only past damaged files), where
   * `listSnapshots` reads them all.
   */
  async lastSnapshot(id: string): Promise<ISnapshotInfo | null> {
    const names = await this._snapshotNames(id);
    for (let i = names.length - 1; i >= 0; i--) {
      try {
        return await this._snapshotInfo(id, names[i]);
      } catch {
        // damaged: the one before (listSnapshots reports it)
      }
    }
    return null;
  }

  /** The snapshot files of an experiment, oldest first. */
  private async _snapshotNames(id: string): Promise<string[]> {
    return Private.jsonNames(await this.fs.list(this._path(id, 'snapshots')));
  }

  /** One snapshot file's info; throws when it cannot be read. */
  private async _snapshotInfo(
    id: string,
    name: string
  ): Promise<ISnapshotInfo> {
    const path = this._path(id, 'snapshots', name);
    return parseStoreFile<{ info: ISnapshotInfo }>(
      path,
      await this.fs.readText(path),
      FORMATS.snapshot
    ).info;
  }

  /** A snapshot's notebook, reassembled exactly as it was saved. */
  async loadSnapshot(id: string, snapshotId: string): Promise<INotebookJSON> {
    const { notebook, hashes } = await this._snapshotCells(id, snapshotId, 0);
    const cells = await mapLimit(hashes, this._concurrency, async hash => {
      const objectPath = Private.objectPath(hash);
      let text: string;
      try {
        text = await this.fs.readText(objectPath);
      } catch (error) {
        if (error instanceof StoreNotFoundError) {
          throw new StoreDamagedError(objectPath, 'a snapshot cell is missing');
        }
        throw error;
      }
      if (sha256Hex(text) !== hash) {
        throw new StoreDamagedError(
          objectPath,
          'content does not match its hash'
        );
      }
      return JSON.parse(text);
    });
    const { base: _b, length: _l, set: _s, ...rest } = notebook as any;
    return { ...rest, cells };
  }

  /** A snapshot manifest and its cell hashes, following delta bases. */
  private async _snapshotCells(
    id: string,
    snapshotId: string,
    depth: number
  ): Promise<{ notebook: INotebookJSON; hashes: string[] }> {
    const path = this._path(
      id,
      'snapshots',
      `${Private.segment(snapshotId)}.json`
    );
    const manifest = parseStoreFile<{ notebook: any }>(
      path,
      await this.fs.readText(path),
      FORMATS.snapshot
    );
    const nb = manifest.notebook;
    const isHash = (h: unknown) =>
      typeof h === 'string' && /^[0-9a-f]{64}$/.test(h);
    if (!nb || typeof nb !== 'object') {
      throw new StoreDamagedError(path, 'no notebook');
    }
    if (Array.isArray(nb.cells)) {
      if (!nb.cells.every(isHash)) {
        throw new StoreDamagedError(path, 'bad cell list');
      }
      return { notebook: nb, hashes: nb.cells };
    }
    if (
      typeof nb.base !== 'string' ||
      !Number.isInteger(nb.length) ||
      !Array.isArray(nb.set)
    ) {
      throw new StoreDamagedError(path, 'neither a cell list nor a delta');
    }
    if (depth > Private.MAX_CHAIN * 4) {
      throw new StoreDamagedError(
        path,
        'snapshot delta chain too long (a loop?)'
      );
    }
    const base = await this._snapshotCells(id, nb.base, depth + 1);
    const hashes = base.hashes.slice(0, nb.length);
    for (const entry of nb.set) {
      if (
        !Array.isArray(entry) ||
        !Number.isInteger(entry[0]) ||
        entry[0] < 0 ||
        entry[0] >= nb.length ||
        !isHash(entry[1])
      ) {
        throw new StoreDamagedError(path, 'bad delta entry');
      }
      hashes[entry[0]] = entry[1];
    }
    if (hashes.length !== nb.length || hashes.some(h => h === undefined)) {
      throw new StoreDamagedError(path, 'delta does not cover every cell');
    }
    return { notebook: nb, hashes };
  }

  /** Remove an experiment's folder (shared snapshot objects stay). */
  async deleteExperiment(id: string): Promise<void> {
    // No overview write may land after the folder is gone.
    const state = this._overviews.get(id);
    if (state) {
      this._overviews.delete(id);
      if (state.timer !== null) {
        clearTimeout(state.timer);
      }
      await state.written.catch(() => undefined);
    }
    await this.fs.remove(this._path(id));
    this._changed.emit({ type: 'deleted', id });
  }

  private async _readExperiment(
    id: string
  ): Promise<{ experiment: IExperiment | null; damaged: IDamagedFile[] }> {
    const damaged: IDamagedFile[] = [];
    const path = this._path(id, 'experiment.json');
    let experiment: IExperiment;
    try {
      const file = parseStoreFile<{ experiment: IExperiment }>(
        path,
        await this.fs.readText(path),
        FORMATS.experiment
      );
      experiment = Private.checkExperiment(path, id, file.experiment);
    } catch (error) {
      damaged.push(Private.damage(id, path, error));
      return { experiment: null, damaged };
    }
    const [edits, beats] = await Promise.all([
      this._readChunks<Private.IEdit>(id, 'edits', FORMATS.edit, damaged),
      this._readChunks<{ time: string }>(
        id,
        'heartbeat',
        FORMATS.heartbeat,
        damaged
      )
    ]);
    edits.sort((a, b) =>
      a.value.time < b.value.time
        ? -1
        : a.value.time > b.value.time
          ? 1
          : a.name < b.name
            ? -1
            : 1
    );
    for (const { value } of edits) {
      Private.applyEdit(experiment, value.set);
    }
    for (const { value } of beats) {
      if (
        typeof value.time === 'string' &&
        (!experiment.heartbeat || value.time > experiment.heartbeat)
      ) {
        if (experiment.status === 'running') {
          experiment.heartbeat = value.time;
        }
      }
    }
    return { experiment, damaged };
  }

  /** Fold a chunk this writer appended into its overview of the experiment. */
  private _overviewAppend(
    id: string,
    chunk: string,
    series: readonly IMetricSeries[]
  ): void {
    let state = this._overviews.get(id);
    if (!state) {
      state = {
        overview: this._readOwnOverview(id),
        dirty: false,
        timer: null,
        written: Promise.resolve()
      };
      this._overviews.set(id, state);
    }
    state.overview = state.overview.then(ov => {
      ov.appendChunk(chunk, series);
      return ov;
    });
    state.dirty = true;
    if (state.timer === null) {
      const s = state;
      s.timer = setTimeout(() => {
        s.timer = null;
        this._writeOverview(id).catch(() => undefined); // kept dirty: next time
      }, this._overviewDelayMs);
    }
  }

  /** This writer's overview file of an experiment, or an empty overview. */
  private async _readOwnOverview(id: string): Promise<MetricsOverview> {
    if (this._created.has(id)) {
      return new MetricsOverview();
    }
    const path = this._path(id, 'metrics-overview', `${this.writer}.json`);
    try {
      if (await this.fs.exists(path)) {
        return await this._readOverviewFile(path);
      }
    } catch {
      // damaged: rewritten from what this writer appends from now on
    }
    return new MetricsOverview();
  }

  /** An overview (or preview) file; throws when it cannot be read. */
  private async _readOverviewFile(path: string): Promise<MetricsOverview> {
    return Private.parseOverview(
      parseStoreFile(
        path,
        await this.fs.readText(path),
        FORMATS.metricsOverview
      ),
      path
    );
  }

  /** Write an experiment's overview if it changed (one write at a time). */
  private _writeOverview(id: string): Promise<void> {
    const state = this._overviews.get(id);
    if (!state) {
      return Promise.resolve();
    }
    if (state.timer !== null) {
      clearTimeout(state.timer);
      state.timer = null;
    }
    const write = state.written
      .catch(() => undefined)
      .then(async () => {
        if (!state.dirty || this._overviews.get(id) !== state) {
          return;
        }
        state.dirty = false;
        const ov = await state.overview;
        try {
          // Both at once (an experiment's end waits for them). Neither
          // needs the other: a reader trusts a preview only when it holds
          // what the index expects, and reads the overview otherwise. No
          // preview while every metric fits in one: it would be the same
          // file, and readers read the overview then (a sweep of short runs
          // writes two files fewer per run).
          const preview = Private.needsPreview(
            [...ov.series.values()].map(series => series.count)
          );
          await Promise.all([
            this.fs.writeText(
              this._path(id, 'metrics-overview', `${this.writer}.json`),
              Private.formatOverview(ov, this.writer)
            ),
            ...(preview
              ? [
                  this.fs.writeText(
                    this._path(id, 'metrics-preview', `${this.writer}.json`),
                    Private.formatOverview(
                      ov.coarsened(PREVIEW_BUCKETS),
                      this.writer
                    )
                  )
                ]
              : [])
          ]);
        } catch (error) {
          state.dirty = true;
          throw error;
        }
      });
    state.written = write;
    return write;
  }

  /**
   * Read the chunk files of one folder of an experiment, in name order
   * (the order they were written, per writer). `read` turns a parsed chunk
   * into what the caller keeps and may throw to mark the file damaged;
   * `skip` leaves out chunks read before. Damaged files go to `damaged`.
   */
  private async _readChunks<T, R = T>(
    id: string,
    dir: string,
    format: FormatName,
    damaged: IDamagedFile[],
    options: {
      skip?: { has(name: string): boolean };
      read?: (chunk: T, path: string) => R;
      /** The folder's listing, when started already. */
      listing?: Promise<IStoreEntry[]>;
    } = {}
  ): Promise<{ name: string; value: R }[]> {
    const { skip, read } = options;
    const names = Private.jsonNames(
      await (options.listing ?? this.fs.list(this._path(id, dir)))
    ).filter(name => !skip?.has(name));
    const out = await mapLimit(names, this._concurrency, async name => {
      const path = this._path(id, dir, name);
      try {
        const chunk = parseStoreFile<T>(
          path,
          await this.fs.readText(path),
          format
        );
        return {
          name,
          value: read ? read(chunk, path) : (chunk as unknown as R)
        };
      } catch (error) {
        damaged.push(Private.damage(id, path, error));
        return null;
      }
    });
    return out.filter((x): x is { name: string; value: R } => x !== null);
  }

  /**
   * Whether an object file is already in the store. Its bucket folder is
   * listed once and remembered (objects never change once written), which
   * costs one request per bucket instead of one per object.
   */
  private async _objectStored(path: string): Promise<boolean> {
    const slash = path.lastIndexOf('/');
    const bucket = path.slice(0, slash);
    let names = this._buckets.get(bucket);
    if (!names) {
      // Which buckets exist at all is one listing; a missing bucket needs
      // no request of its own.
      this._bucketDirs ??= this.fs
        .list('objects')
        .then(
          entries =>
            new Set(
              entries.filter(e => e.type === 'directory').map(e => e.name)
            )
        )
        .catch(() => new Set<string>());
      const name = bucket.slice(bucket.lastIndexOf('/') + 1);
      names = this._bucketDirs.then(dirs =>
        dirs.has(name)
          ? this.fs
              .list(bucket)
              .then(entries => new Set(entries.map(e => e.name)))
              .catch(() => new Set<string>())
          : new Set<string>()
      );
      this._buckets.set(bucket, names);
    }
    return (await names).has(path.slice(slash + 1));
  }

  private async _ensureStoreFile(): Promise<void> {
    if (this._storeFileChecked) {
      return;
    }
    if (!(await this.fs.exists('labbook-store.json'))) {
      await this.fs.writeText(
        'labbook-store.json',
        JSON.stringify({
          format: FORMATS.store,
          version: FORMAT_VERSION,
          about:
            'A Labbook experiment store: an open layout of plain files, described in docs/store-format.md of Labbook.'
        })
      );
    }
    this._storeFileChecked = true;
  }

  /** `<seq>-<writer>.json`: unique per writer, lexical order = write order. */
  private _chunkName(id: string, kind: string): string {
    const key = `${id}/${kind}`;
    const seq = (this._seq.get(key) ?? 0) + 1;
    this._seq.set(key, seq);
    return `${String(this._seqBase + seq).padStart(12, '0')}-${this.writer}.json`;
  }

  private _path(id: string, ...rest: string[]): string {
    return storePath('experiments', Private.segment(id), ...rest);
  }

  private _now: () => Date;
  private _concurrency: number;
  private _overviewDelayMs: number;
  /** This writer's metric overviews of the experiments it appends to. */
  private _overviews = new Map<string, Private.IOverviewState>();
  /** Experiments this store created (no overview file of ours yet). */
  private _created = new Set<string>();
  private _seq = new Map<string, number>();
  /** Time-based base so a reloaded tab's chunks sort after its earlier ones. */
  private _seqBase = Date.now() * 1000;
  private _objects = new Set<string>();
  private _buckets = new Map<string, Promise<Set<string>>>();
  private _bucketDirs: Promise<Set<string>> | null = null;
  private _lastCells = new Map<
    string,
    { snapshotId: string; cells: string[]; depth: number }
  >();
  private _storeFileChecked = false;
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

namespace Private {
  /** One series of a metrics chunk. */
  export interface IMetricPart {
    name: string;
    /** The execution that logged these points, when known. */
    parent: string | null;
    steps: Float64Array;
    times: Float64Array;
    values: Float64Array;
  }

  /** A writer's overview of one experiment's metrics, and its writing. */
  export interface IOverviewState {
    overview: Promise<MetricsOverview>;
    /** Changed since last written. */
    dirty: boolean;
    timer: ReturnType<typeof setTimeout> | null;
    /** The last write (one at a time). */
    written: Promise<void>;
  }

  /** The series of a parsed metrics chunk; throws when not readable. */
  export function readMetricsChunk(chunk: any, path: string): IMetricPart[] {
    if (!Array.isArray(chunk.series)) {
      throw new StoreDamagedError(path, 'no series list');
    }
    return chunk.series.map((s: any) => {
      if (!s || typeof s.name !== 'string' || s.encoding !== 'f64le-base64') {
        throw new StoreDamagedError(path, 'a series is not readable');
      }
      const part = {
        name: s.name,
        parent: typeof s.parent === 'string' ? s.parent : null,
        steps: decodeF64(s.steps),
        times: decodeF64(s.times),
        values: decodeF64(s.values)
      };
      const n = part.values.length;
      if (n !== s.count || part.steps.length !== n || part.times.length !== n) {
        throw new StoreDamagedError(
          path,
          `series "${s.name}" has arrays of different lengths`
        );
      }
      return part;
    });
  }

  /** A number in JSON, non-finite ones as the strings "NaN", "Infinity", "-Infinity". */
  function jsonNumber(v: number): number | string {
    return Number.isFinite(v) ? v : String(v);
  }

  function readNumber(v: unknown): number {
    if (typeof v === 'number') {
      return v;
    }
    if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') {
      return Number(v);
    }
    throw new Error('not a number');
  }

  /** The overview file of `writer` (docs/store-format.md). */
  export function formatOverview(ov: MetricsOverview, writer: string): string {
    return JSON.stringify({
      format: FORMATS.metricsOverview,
      version: FORMAT_VERSION,
      writer,
      chunks: ov.rangesOf(writer).map(r => [String(r.from), String(r.to)]),
      series: ov.sorted().map(s => ({
        name: s.name,
        count: s.count,
        last: s.last ? s.last.map(jsonNumber) : null,
        lastChunk: s.lastChunk,
        ...(s.lastParent ? { lastParent: s.lastParent } : {}),
        encoding: 'f64le-base64',
        step: { level: s.step.level, buckets: encodeF64(s.step.toArray()) },
        time: { level: s.time.level, buckets: encodeF64(s.time.toArray()) }
      }))
    });
  }

  /** An overview file's content; throws `StoreDamagedError` when malformed. */
  export function parseOverview(file: any, path: string): MetricsOverview {
    try {
      const writer = file.writer;
      if (typeof writer !== 'string' || !ID_SEGMENT.test(writer)) {
        throw new Error('no writer');
      }
      if (!Array.isArray(file.chunks) || !Array.isArray(file.series)) {
        throw new Error('no chunks or series list');
      }
      const ov = new MetricsOverview();
      for (const r of file.chunks) {
        const [from, to] = Array.isArray(r) ? r : [];
        if (!/^\d{1,16}$/.test(from) || !/^\d{1,16}$/.test(to)) {
          throw new Error('a chunk range is not two sequence numbers');
        }
        ov.ranges.push({ writer, from: Number(from), to: Number(to) });
      }
      for (const x of file.series) {
        if (
          typeof x?.name !== 'string' ||
          !Number.isInteger(x.count) ||
          x.encoding !== 'f64le-base64' ||
          ov.series.has(x.name)
        ) {
          throw new Error('a series is not readable');
        }
        const s = new SeriesOverview(x.name);
        s.count = x.count;
        if (x.last !== null) {
          if (!Array.isArray(x.last) || x.last.length !== 3) {
            throw new Error('a last point is not readable');
          }
          s.last = x.last.map(readNumber) as LastPoint;
          s.lastChunk = typeof x.lastChunk === 'string' ? x.lastChunk : '';
          s.lastParent = typeof x.lastParent === 'string' ? x.lastParent : '';
        }
        s.step = AxisOverview.fromArray(
          x.step?.level,
          decodeF64(x.step?.buckets)
        );
        s.time = AxisOverview.fromArray(
          x.time?.level,
          decodeF64(x.time?.buckets)
        );
        ov.series.set(x.name, s);
      }
      return ov;
    } catch (error) {
      throw new StoreDamagedError(
        path,
        error instanceof Error ? error.message : String(error)
      );
    }
  }

  /**
   * Whether metrics of these point counts get a preview file: not while
   * every one fits in it (the preview would be the overview). The writer
   * and the reader of previews decide by this one rule.
   */
  export function needsPreview(counts: readonly number[]): boolean {
    return counts.some(count => count > PREVIEW_BUCKETS);
  }

  /** The `.json` files of a folder listing, by name. */
  export function jsonNames(entries: readonly IStoreEntry[]): string[] {
    return entries
      .filter(e => e.type === 'file' && e.name.endsWith('.json'))
      .map(e => e.name)
      .sort();
  }

  const LITTLE_ENDIAN =
    new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

  /** Numbers as little-endian Float64s in base64. */
  export function encodeF64(values: ArrayLike<number>): string {
    if (LITTLE_ENDIAN) {
      const array =
        values instanceof Float64Array ? values : Float64Array.from(values);
      return bytesToBase64(
        new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
      );
    }
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) {
      view.setFloat64(i * 8, values[i], true);
    }
    return bytesToBase64(bytes);
  }

  export function decodeF64(text: unknown): Float64Array {
    if (typeof text !== 'string') {
      throw new Error('not base64 text');
    }
    const bytes = base64ToBytes(text);
    if (bytes.length % 8 !== 0) {
      throw new Error('not a whole number of Float64s');
    }
    if (LITTLE_ENDIAN) {
      // Its own buffer, aligned: a Float64Array can view it.
      return new Float64Array(
        bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
          ? bytes.buffer
          : bytes.slice().buffer
      );
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Float64Array(bytes.length / 8);
    for (let i = 0; i < out.length; i++) {
      out[i] = view.getFloat64(i * 8, true);
    }
    return out;
  }

  export const ID_SEGMENT = /^[A-Za-z0-9_-]+$/;

  /** Longest chain of delta snapshots before a full cell list. */
  export const MAX_CHAIN = 64;

  export interface IEdit {
    time: string;
    writer: string;
    set: Record<string, unknown>;
  }

  export function segment(id: string): string {
    if (!ID_SEGMENT.test(id)) {
      throw new StorePathError(id, 'not an experiment or snapshot id');
    }
    return id;
  }

  const IMAGE_ID = /^[A-Za-z0-9_-]{1,64}$/;

  /** File name of one part of an image; the id comes from the kernel, so it is checked. */
  export function imagePartName(imageId: string, part: number): string {
    if (!IMAGE_ID.test(imageId) || !Number.isInteger(part) || part < 0) {
      throw new StorePathError(imageId, 'not an image id');
    }
    return `${imageId}-${part}.bin`;
  }

  export function isImageRecord(x: any): x is ILoggedImage {
    return (
      !!x &&
      typeof x.id === 'string' &&
      IMAGE_ID.test(x.id) &&
      typeof x.name === 'string' &&
      (IMAGE_MIMES as readonly string[]).includes(x.mime) &&
      Number.isInteger(x.parts) &&
      x.parts > 0 &&
      Number.isInteger(x.size) &&
      x.size >= 0
    );
  }

  export function objectPath(hash: string): string {
    return storePath('objects', hash.slice(0, 2), `${hash}.json`);
  }

  const STATUSES: ExperimentStatus[] = [
    'running',
    'finished',
    'failed',
    'interrupted'
  ];

  export function checkExperiment(
    path: string,
    id: string,
    e: any
  ): IExperiment {
    if (!e || typeof e !== 'object') {
      throw new StoreDamagedError(path, 'no experiment record');
    }
    if (
      typeof e.name !== 'string' ||
      typeof e.notebook !== 'string' ||
      typeof e.started !== 'string'
    ) {
      throw new StoreDamagedError(path, 'missing name, notebook or start time');
    }
    return {
      ...e,
      id,
      project: typeof e.project === 'string' ? e.project : '',
      tags: Array.isArray(e.tags)
        ? e.tags.filter((t: unknown) => typeof t === 'string')
        : [],
      notes: typeof e.notes === 'string' ? e.notes : '',
      status: STATUSES.includes(e.status) ? e.status : 'interrupted',
      ended: typeof e.ended === 'string' ? e.ended : null,
      kernel:
        e.kernel && typeof e.kernel === 'object'
          ? e.kernel
          : { name: '', language: '' },
      labbookVersion: String(e.labbookVersion ?? '')
    };
  }

  export function applyEdit(
    e: IExperiment,
    set: Record<string, unknown>
  ): void {
    if (!set || typeof set !== 'object') {
      return;
    }
    const str = (k: string) => typeof set[k] === 'string';
    if (str('name')) {
      e.name = set.name as string;
    }
    if (str('project')) {
      e.project = set.project as string;
    }
    if (str('notes')) {
      e.notes = set.notes as string;
    }
    if (Array.isArray(set.tags)) {
      e.tags = set.tags.filter(t => typeof t === 'string');
    }
    if (STATUSES.includes(set.status as ExperimentStatus)) {
      e.status = set.status as ExperimentStatus;
    }
    if (str('ended') || set.ended === null) {
      e.ended = set.ended as string | null;
    }
    if (str('heartbeat') || set.heartbeat === null) {
      e.heartbeat = set.heartbeat as string | null;
    }
    if (str('statusReason')) {
      e.statusReason = set.statusReason as string;
    }
    if (typeof set.executions === 'number' && Number.isFinite(set.executions)) {
      e.executions = set.executions;
    }
    if (
      set.params &&
      typeof set.params === 'object' &&
      !Array.isArray(set.params)
    ) {
      // Edits add or replace parameters by name.
      e.params = {
        ...(e.params ?? {}),
        ...(set.params as IExperiment['params'])
      };
    }
    if (typeof set.starred === 'boolean') {
      e.starred = set.starred;
    }
    if (typeof set.archived === 'boolean') {
      e.archived = set.archived;
    }
    if (Array.isArray(set.links)) {
      e.links = set.links.filter(t => typeof t === 'string');
    }
  }

  const isObj = (v: unknown): v is Record<string, any> =>
    !!v && typeof v === 'object' && !Array.isArray(v);
  const isNum = (v: unknown): v is number =>
    typeof v === 'number' && Number.isFinite(v);
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');

  /**
   * An environment as read from the store: the record must be an object
   * with its collection time; each known part that does not have the
   * documented shape is dropped and named in `errors` (the diff then says
   * "not collected" with that reason). `packages: null` (no
   * importlib.metadata in that Python) reads as not collected.
   */
  export function checkEnvironment(path: string, e: unknown): IEnvironment {
    if (!isObj(e) || typeof e.collected !== 'string') {
      throw new StoreDamagedError(path, 'no environment record');
    }
    const env: IEnvironment = { ...e, collected: e.collected };
    const errors: { part: string; message: string }[] = Array.isArray(e.errors)
      ? e.errors
          .filter(
            (x: any) =>
              isObj(x) &&
              typeof x.part === 'string' &&
              typeof x.message === 'string'
          )
          .map((x: any) => ({ part: x.part, message: x.message }))
      : [];
    const bad = (part: keyof IEnvironment) => {
      delete env[part];
      errors.push({ part, message: 'unreadable in the stored file' });
    };
    const strings = (v: any, keys: string[]) =>
      Object.fromEntries(keys.map(k => [k, str(v[k])]));
    if (e.python !== undefined) {
      if (isObj(e.python)) {
        env.python = strings(e.python, [
          'version',
          'implementation',
          'executable'
        ]) as IEnvironment['python'];
      } else {
        bad('python');
      }
    }
    if (e.platform !== undefined) {
      if (isObj(e.platform)) {
        env.platform = strings(e.platform, [
          'system',
          'release',
          'machine',
          'description'
        ]) as IEnvironment['platform'];
      } else {
        bad('platform');
      }
    }
    if (e.cpu !== undefined) {
      if (isObj(e.cpu)) {
        env.cpu = { count: isNum(e.cpu.count) ? e.cpu.count : null };
        if (typeof e.cpu.model === 'string') {
          env.cpu.model = e.cpu.model;
        }
      } else {
        bad('cpu');
      }
    }
    if (e.memory !== undefined) {
      if (isObj(e.memory)) {
        env.memory = {
          totalBytes: isNum(e.memory.totalBytes) ? e.memory.totalBytes : null
        };
      } else {
        bad('memory');
      }
    }
    if (e.gpus !== undefined) {
      if (Array.isArray(e.gpus) && e.gpus.every(g => isObj(g))) {
        env.gpus = e.gpus.map((g: any) => ({
          name: str(g.name),
          ...(isNum(g.memoryMB) ? { memoryMB: g.memoryMB } : {}),
          ...(typeof g.driver === 'string' ? { driver: g.driver } : {})
        }));
      } else {
        bad('gpus');
      }
    }
    if (e.packages === null) {
      delete env.packages;
    } else if (e.packages !== undefined) {
      if (isObj(e.packages)) {
        env.packages = {};
        for (const [name, version] of Object.entries(e.packages)) {
          if (typeof version === 'string') {
            env.packages[name] = version;
          }
        }
      } else {
        bad('packages');
      }
    }
    if (e.git !== undefined && e.git !== null) {
      if (isObj(e.git) && typeof e.git.commit === 'string') {
        const g = e.git;
        env.git = {
          root: str(g.root),
          commit: g.commit,
          branch: typeof g.branch === 'string' ? g.branch : null,
          remotes: Array.isArray(g.remotes)
            ? g.remotes
                .filter((r: any) => isObj(r))
                .map((r: any) => ({ name: str(r.name), url: str(r.url) }))
            : [],
          dirty: g.dirty === true
        };
        if (typeof g.diff === 'string') {
          env.git.diff = g.diff;
        }
        if (g.diffTruncated === true) {
          env.git.diffTruncated = true;
        }
      } else {
        bad('git');
      }
    }
    if (errors.length) {
      env.errors = errors;
    } else {
      delete env.errors;
    }
    return env;
  }

  /** A stored data input, or null when it has no name or path. */
  export function checkInput(x: unknown): IDataInput | null {
    if (!isObj(x) || typeof x.name !== 'string' || typeof x.path !== 'string') {
      return null;
    }
    const input: IDataInput = {
      name: x.name,
      path: x.path,
      size: isNum(x.size) ? x.size : null,
      mtime: typeof x.mtime === 'string' ? x.mtime : null,
      hash: typeof x.hash === 'string' ? x.hash : null
    };
    if (typeof x.note === 'string') {
      input.note = x.note;
    }
    if (isNum(x.time)) {
      input.time = x.time;
    }
    if (typeof x.parent === 'string' || x.parent === null) {
      input.parent = x.parent;
    }
    return input;
  }

  export function damage(
    id: string,
    path: string,
    error: unknown
  ): IDamagedFile {
    if (error instanceof StoreDamagedError) {
      return { id, path, problem: error.problem };
    }
    return { id, path, problem: String((error as Error)?.message ?? error) };
  }

  /**
   * Merge chunks: drop duplicates (same session and msgId, or the same
   * session record), then order by session start and index.
   */
  export function mergeHistory(chunks: HistoryRecord[][]): HistoryRecord[] {
    const seen = new Set<string>();
    const all: HistoryRecord[] = [];
    const sessionStart = new Map<string, string>();
    for (const chunk of chunks) {
      for (const r of chunk) {
        if (
          !r ||
          typeof r !== 'object' ||
          typeof (r as any).session !== 'string'
        ) {
          continue;
        }
        const key =
          r.kind === 'session' ? `s:${r.session}` : `e:${r.session}:${r.msgId}`;
        if (seen.has(key)) {
          continue;
        }
        seen.add(key);
        all.push(r);
        const t = r.kind === 'session' ? r.started : r.times?.queued;
        if (typeof t === 'string') {
          const prev = sessionStart.get(r.session);
          if (r.kind === 'session' || prev === undefined || t < prev) {
            if (r.kind === 'session' || !sessionStart.has(r.session)) {
              sessionStart.set(r.session, t);
            }
          }
        }
      }
    }
    const start = (r: HistoryRecord) => sessionStart.get(r.session) ?? '';
    return all.sort((a, b) => {
      const sa = start(a);
      const sb = start(b);
      if (sa !== sb) {
        return sa < sb ? -1 : 1;
      }
      if (a.session !== b.session) {
        return a.session < b.session ? -1 : 1;
      }
      if (a.kind !== b.kind) {
        return a.kind === 'session' ? -1 : 1;
      }
      return a.index - b.index;
    });
  }
}

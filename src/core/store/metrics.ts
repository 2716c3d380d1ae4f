/**
 * Metric points and the overviews charts draw first.
 *
 * - points: `metrics/<seq>-<writer>.json` chunks, Float64 arrays in base64
 *   (`f64.ts`), a chunk marked with the kernel batch it stores;
 * - overviews: each writer's `metrics-overview/<writer>.json` (min/max
 *   buckets by step and by time, see `MetricsOverview`), kept up to date
 *   in memory as this writer appends and written at most every
 *   `overviewDelayMs` and when the experiment ends;
 * - previews: `metrics-preview/<writer>.json`, a coarser overview for
 *   charts of many runs (compare).
 */
import type { IMetricSeries } from '../model';
import { concatF64 } from '../metrics/concat';
import {
  AxisOverview,
  MetricsOverview,
  SeriesOverview,
  type LastPoint
} from '../metrics/overview';
import { readChunks, writeChunk } from './chunks';
import { ID_SEGMENT, jsonNames } from './context';
import type { IDamagedFile, StoreContext } from './context';
import { decodeF64, encodeF64, jsonNumber, readNumber } from './f64';
import { FORMATS, FORMAT_VERSION, parseStoreFile } from './format';
import { StoreDamagedError, StoreNotFoundError } from './fs';

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

export class Metrics {
  constructor(ctx: StoreContext, options: { overviewDelayMs: number }) {
    this._ctx = ctx;
    this._overviewDelayMs = options.overviewDelayMs;
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
    const name = await writeChunk(this._ctx, id, 'metrics', FORMATS.metrics, {
      ...(options.batch ? { batch: options.batch } : {}),
      series: series.map(s => ({
        name: s.name,
        ...(s.parent ? { parent: s.parent } : {}),
        count: s.values.length,
        encoding: 'f64le-base64',
        steps: encodeF64(s.steps),
        times: encodeF64(s.times),
        values: encodeF64(s.values)
      }))
    });
    this._overviewAppend(id, name, series);
    this._ctx.emit({ type: 'metrics', id, series, chunk: name });
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
    const listing = this._ctx.fs.list(this._ctx.path(id, 'metrics'));
    listing.catch(() => undefined);
    let overview = options.base;
    if (!overview) {
      overview = new MetricsOverview();
      const files = await readChunks<any, MetricsOverview>(
        this._ctx,
        id,
        'metrics-overview',
        FORMATS.metricsOverview,
        [], // derived files: the chunks say the same
        { read: (file, path) => parseOverview(file, path) }
      );
      for (const { value } of files) {
        overview.merge(value);
      }
    }
    const ov = overview;
    const chunks = await readChunks<{ series: unknown }, IMetricSeries[]>(
      this._ctx,
      id,
      'metrics',
      FORMATS.metrics,
      damaged,
      {
        listing,
        skip: { has: name => ov.covers(name) },
        read: (chunk, path) => readMetricsChunk(chunk, path)
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
      const previews = needsPreview(names.map(n => expected.counts[n]));
      const read = (folder: string, writer: string) =>
        this._readOverviewFile(this._ctx.path(id, folder, `${writer}.json`));
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
    const names = jsonNames(
      await this._ctx.fs.list(this._ctx.path(id, 'metrics'))
    ).slice(-4);
    let last = 0;
    for (const name of names) {
      try {
        const chunk = JSON.parse(
          await this._ctx.fs.readText(this._ctx.path(id, 'metrics', name))
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
    type Part = IMetricPart;
    const chunks = await readChunks<{ series: unknown }, Part[]>(
      this._ctx,
      id,
      'metrics',
      FORMATS.metrics,
      damaged,
      {
        skip: options.skip,
        read: (chunk, path) => readMetricsChunk(chunk, path)
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
  /**
   * The experiment ended: its overview is written now and forgotten (read
   * back from the file if this writer appends again).
   */
  async ended(id: string): Promise<void> {
    const state = this._overviews.get(id);
    if (state) {
      await this._writeOverview(id);
      if (this._overviews.get(id) === state && !state.dirty) {
        this._overviews.delete(id);
      }
    }
  }

  /** The experiment is being deleted: no overview write may land after it. */
  async forget(id: string): Promise<void> {
    const state = this._overviews.get(id);
    if (state) {
      this._overviews.delete(id);
      if (state.timer !== null) {
        clearTimeout(state.timer);
      }
      await state.written.catch(() => undefined);
    }
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
    if (this._ctx.created.has(id)) {
      return new MetricsOverview();
    }
    const path = this._ctx.path(
      id,
      'metrics-overview',
      `${this._ctx.writer}.json`
    );
    try {
      if (await this._ctx.fs.exists(path)) {
        return await this._readOverviewFile(path);
      }
    } catch {
      // damaged: rewritten from what this writer appends from now on
    }
    return new MetricsOverview();
  }

  /** An overview (or preview) file; throws when it cannot be read. */
  private async _readOverviewFile(path: string): Promise<MetricsOverview> {
    return parseOverview(
      parseStoreFile(
        path,
        await this._ctx.fs.readText(path),
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
          const preview = needsPreview(
            [...ov.series.values()].map(series => series.count)
          );
          await Promise.all([
            this._ctx.fs.writeText(
              this._ctx.path(
                id,
                'metrics-overview',
                `${this._ctx.writer}.json`
              ),
              formatOverview(ov, this._ctx.writer)
            ),
            ...(preview
              ? [
                  this._ctx.fs.writeText(
                    this._ctx.path(
                      id,
                      'metrics-preview',
                      `${this._ctx.writer}.json`
                    ),
                    formatOverview(
                      ov.coarsened(PREVIEW_BUCKETS),
                      this._ctx.writer
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
  private _ctx: StoreContext;
  private _overviewDelayMs: number;
  /** This writer's metric overviews of the experiments it appends to. */
  private _overviews = new Map<string, IOverviewState>();
}

/** One series of a metrics chunk. */
interface IMetricPart {
  name: string;
  /** The execution that logged these points, when known. */
  parent: string | null;
  steps: Float64Array;
  times: Float64Array;
  values: Float64Array;
}

/** A writer's overview of one experiment's metrics, and its writing. */
interface IOverviewState {
  overview: Promise<MetricsOverview>;
  /** Changed since last written. */
  dirty: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  /** The last write (one at a time). */
  written: Promise<void>;
}

/** The series of a parsed metrics chunk; throws when not readable. */
function readMetricsChunk(chunk: any, path: string): IMetricPart[] {
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

/** The overview file of `writer` (docs/store-format.md). */
function formatOverview(ov: MetricsOverview, writer: string): string {
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
function parseOverview(file: any, path: string): MetricsOverview {
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
function needsPreview(counts: readonly number[]): boolean {
  return counts.some(count => count > PREVIEW_BUCKETS);
}

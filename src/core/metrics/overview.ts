/**
 * Metric overviews: a compact min/max summary of a series, by step and by
 * wall time, that a chart can draw instead of the raw points.
 *
 * Each axis keeps buckets of one power-of-two width `2^level`: bucket `key`
 * holds the points with `key * 2^level <= x < (key + 1) * 2^level`, and
 * keeps how many there are, the x and y of its lowest and highest finite
 * values, and the x of its first non-finite value (a gap). Past
 * `MAX_BUCKETS` buckets the level goes up by one and neighbours merge, so
 * an axis never holds more than `MAX_BUCKETS` however long the series.
 * Buckets are keyed by x alone: appending in any order, or merging two
 * overviews (two writers of one experiment), gives the same buckets.
 *
 * A chart reduces each line to a min/max pair per pixel column
 * (`downsampleXY`); as long as a bucket is no wider than a column, the
 * overview's points (every bucket's min and max, and its gap) reduce to the
 * same picture as the raw points, within one pixel column.
 */
import type { MetricAxis } from './downsample';

/** Buckets an axis keeps at most (then the level goes up). */
export const MAX_BUCKETS = 2048;

/** The finest level (bucket width 2^-30): few points stay exact. */
const MIN_LEVEL = -30;

interface IBucket {
  key: number;
  /** Points in the bucket, non-finite values included. */
  n: number;
  /** Lowest finite value and its x (the first such x on ties); NaN if none. */
  minX: number;
  minY: number;
  /** Highest finite value and its x (the last such x on ties); NaN if none. */
  maxX: number;
  maxY: number;
  /** x of the first non-finite value, NaN if none. */
  gapX: number;
}

/** Values per bucket in the encoded form (`toArray`). */
export const BUCKET_FIELDS = 7;

/** The buckets of one axis (step or wall time) of one series. */
export class AxisOverview {
  /** Bucket width is `2^level` (in steps, or in ms of wall time). */
  get level(): number {
    return this._level;
  }

  /** Width of one bucket in x units. */
  get bucketWidth(): number {
    return Math.pow(2, this._level);
  }

  /** How many buckets. */
  get size(): number {
    return this._buckets.size;
  }

  /** Points counted (those with a finite x). */
  get count(): number {
    let n = 0;
    for (const b of this._buckets.values()) {
      n += b.n;
    }
    return n;
  }

  /** Every point is kept as is (no bucket holds more than two). */
  get exact(): boolean {
    for (const b of this._buckets.values()) {
      if (b.n > 2) {
        return false;
      }
    }
    return true;
  }

  /** Smallest and largest x, or null when empty. */
  get range(): [number, number] | null {
    let lo = Infinity;
    let hi = -Infinity;
    for (const b of this._buckets.values()) {
      for (const x of [b.minX, b.maxX, b.gapX]) {
        if (x < lo) {
          lo = x;
        }
        if (x > hi) {
          hi = x;
        }
      }
    }
    return lo <= hi ? [lo, hi] : null;
  }

  /**
   * Whether the buckets are fine enough to draw `[lo, hi]` over `width`
   * pixel columns: no wider than a column, or exact.
   */
  resolves(lo: number, hi: number, width: number): boolean {
    return this.bucketWidth <= (hi - lo) / Math.max(1, width) || this.exact;
  }

  /** Add one point; a point without a finite x has no place and is left out. */
  add(x: number, y: number): void {
    if (!Number.isFinite(x)) {
      return;
    }
    const key = Math.floor(x * this._scale);
    let b = this._last;
    if (b === null || b.key !== key) {
      b = this._buckets.get(key) ?? null;
      if (b === null) {
        b = {
          key,
          n: 0,
          minX: NaN,
          minY: NaN,
          maxX: NaN,
          maxY: NaN,
          gapX: NaN
        };
        this._buckets.set(key, b);
      }
      this._last = b;
    }
    b.n++;
    if (Number.isFinite(y)) {
      if (!(y >= b.minY) || (y === b.minY && x < b.minX)) {
        b.minY = y;
        b.minX = x;
      }
      if (!(y <= b.maxY) || (y === b.maxY && x > b.maxX)) {
        b.maxY = y;
        b.maxX = x;
      }
    } else if (!(x >= b.gapX)) {
      b.gapX = x;
    }
    if (this._buckets.size > MAX_BUCKETS) {
      this._coarsen(this._level + 1);
    }
  }

  /** Add points (`xs` and `ys` of the same length). */
  addAll(xs: ArrayLike<number>, ys: ArrayLike<number>): void {
    for (let i = 0; i < ys.length; i++) {
      this.add(xs[i], ys[i]);
    }
  }

  /** Fold another axis overview into this one. */
  merge(other: AxisOverview): void {
    const level = Math.max(this._level, other._level);
    this._coarsen(level);
    const shift = Math.pow(2, other._level - level);
    for (const o of other._buckets.values()) {
      const key = Math.floor(o.key * shift);
      const b = this._buckets.get(key);
      if (b) {
        Private.mergeInto(b, o);
      } else {
        this._buckets.set(key, { ...o, key });
      }
    }
    this._last = null;
    if (this._buckets.size > MAX_BUCKETS) {
      this._coarsen(this._level + 1);
    }
  }

  /**
   * The points to draw, sorted by x: each bucket's lowest and highest
   * value (one point when they are the same) and, where it had non-finite
   * values, a NaN at the x of the first. For smoothing an overview
   * (`smoothWeighted(mid, w)`): `mid` is each point's bucket mid-range
   * (NaN for a gap) and `w` the bucket's count on its first point, 0 on
   * the others, so a bucket enters the average once, with its weight.
   */
  points(): {
    x: Float64Array;
    y: Float64Array;
    mid: Float64Array;
    w: Float64Array;
  } {
    const buckets = this._sorted();
    const x: number[] = [];
    const y: number[] = [];
    const mid: number[] = [];
    const w: number[] = [];
    // x, y, the bucket's mid-range and its count (on its first point only)
    const put: [number, number, number, number][] = [];
    for (const b of buckets) {
      put.length = 0;
      if (b.n === 0) {
        continue;
      }
      if (!Number.isNaN(b.minX)) {
        const m = (b.minY + b.maxY) / 2;
        put.push([b.minX, b.minY, m, 0]);
        if (b.maxX !== b.minX || b.maxY !== b.minY) {
          put.push([b.maxX, b.maxY, m, 0]);
        }
      }
      if (!Number.isNaN(b.gapX)) {
        put.push([b.gapX, NaN, NaN, 0]);
      }
      put.sort((p, q) => p[0] - q[0]);
      const first = put.find(p => !Number.isNaN(p[1]));
      if (first) {
        first[3] = b.n;
      }
      for (const [px, py, pm, pw] of put) {
        x.push(px);
        y.push(py);
        mid.push(pm);
        w.push(pw);
      }
    }
    return {
      x: Float64Array.from(x),
      y: Float64Array.from(y),
      mid: Float64Array.from(mid),
      w: Float64Array.from(w)
    };
  }

  /** The buckets as `BUCKET_FIELDS` numbers each, sorted by key. */
  toArray(): Float64Array {
    const buckets = this._sorted();
    const out = new Float64Array(buckets.length * BUCKET_FIELDS);
    buckets.forEach((b, i) => {
      out.set([b.key, b.n, b.minX, b.minY, b.maxX, b.maxY, b.gapX], i * 7);
    });
    return out;
  }

  /** An axis overview from `toArray()`'s numbers at `level`; throws if malformed. */
  static fromArray(level: number, data: ArrayLike<number>): AxisOverview {
    if (
      !Number.isInteger(level) ||
      level < MIN_LEVEL ||
      level > 1023 ||
      data.length % BUCKET_FIELDS !== 0 ||
      data.length / BUCKET_FIELDS > MAX_BUCKETS
    ) {
      throw new Error('malformed overview buckets');
    }
    const axis = new AxisOverview();
    axis._coarsen(level);
    for (let i = 0; i < data.length; i += BUCKET_FIELDS) {
      const key = data[i];
      const n = data[i + 1];
      if (!Number.isInteger(key) || !Number.isInteger(n) || n < 1) {
        throw new Error('malformed overview buckets');
      }
      axis._buckets.set(key, {
        key,
        n,
        minX: data[i + 2],
        minY: data[i + 3],
        maxX: data[i + 4],
        maxY: data[i + 5],
        gapX: data[i + 6]
      });
    }
    return axis;
  }

  private _sorted(): IBucket[] {
    return [...this._buckets.values()].sort((a, b) => a.key - b.key);
  }

  /**
   * The same buckets coarsened until there are at most `max`: a smaller
   * overview of the same points, for a chart narrower than `max` columns
   * (a preview, see `MetricsOverview.coarsened`).
   */
  coarsened(max: number): AxisOverview {
    const copy = new AxisOverview();
    copy._level = this._level;
    copy._scale = this._scale;
    for (const [key, b] of this._buckets) {
      copy._buckets.set(key, { ...b });
    }
    copy._coarsen(copy._level, max);
    return copy;
  }

  /**
   * Go up to `level` (merging neighbours), and further while there are
   * more than `max` buckets: straight to the lowest level that has few
   * enough, not one level at a time (a series starts at the finest level,
   * 2^-30, and integer steps would otherwise merge thirty times).
   */
  private _coarsen(level: number, max = MAX_BUCKETS): void {
    this._last = null;
    let steps = Math.max(0, level - this._level);
    if (this._buckets.size > max) {
      const keys = [...this._buckets.keys()].sort((a, b) => a - b);
      const fits = (s: number) => {
        const shift = Math.pow(2, -s);
        let n = 0;
        let prev = NaN;
        for (const k of keys) {
          const key = Math.floor(k * shift);
          if (key !== prev) {
            n++;
            prev = key;
            if (n > max) {
              return false;
            }
          }
        }
        return true;
      };
      let lo = steps; // does not fit (or is the least allowed)
      let hi = Math.max(1, steps);
      while (!fits(hi)) {
        lo = hi;
        hi *= 2;
      }
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (fits(mid)) {
          hi = mid;
        } else {
          lo = mid;
        }
      }
      steps = hi;
    }
    if (steps === 0) {
      return;
    }
    const shift = Math.pow(2, -steps);
    this._level += steps;
    this._scale = Math.pow(2, -this._level);
    const merged = new Map<number, IBucket>();
    for (const b of this._buckets.values()) {
      const key = Math.floor(b.key * shift);
      const into = merged.get(key);
      if (into) {
        Private.mergeInto(into, b);
      } else {
        merged.set(key, { ...b, key });
      }
    }
    this._buckets = merged;
  }

  private _level = MIN_LEVEL;
  private _scale = Math.pow(2, -MIN_LEVEL);
  private _buckets = new Map<number, IBucket>();
  private _last: IBucket | null = null;
}

/** The last point logged: step, wall time and value. */
export type LastPoint = [step: number, time: number, value: number];

/** The overview of one metric. */
export class SeriesOverview {
  constructor(readonly name: string) {}

  /** Points logged. */
  count = 0;
  /** The last point logged (of the chunk that sorts last), or null. */
  last: LastPoint | null = null;
  /** The chunk `last` comes from ('' when unknown). */
  lastChunk = '';
  /** The cell execution (`msg_id`) that logged `last` ('' when unknown). */
  lastParent = '';
  step = new AxisOverview();
  time = new AxisOverview();

  /** The axis overview for a chart's x axis. */
  axis(axis: MetricAxis): AxisOverview {
    return axis === 'time' ? this.time : this.step;
  }

  /**
   * Add points (in the order logged) stored in chunk `chunk`, logged by
   * the cell execution `parent` when known.
   */
  append(
    steps: ArrayLike<number>,
    times: ArrayLike<number>,
    values: ArrayLike<number>,
    chunk = '',
    parent = ''
  ): void {
    const n = values.length;
    if (n === 0) {
      return;
    }
    this.count += n;
    this.step.addAll(steps, values);
    this.time.addAll(times, values);
    if (chunk >= this.lastChunk) {
      this.last = [steps[n - 1], times[n - 1], values[n - 1]];
      this.lastChunk = chunk;
      this.lastParent = parent;
    }
  }

  /** A copy with each axis at most `max` buckets (see `AxisOverview.coarsened`). */
  coarsened(max: number): SeriesOverview {
    const copy = new SeriesOverview(this.name);
    copy.count = this.count;
    copy.last = this.last;
    copy.lastChunk = this.lastChunk;
    copy.lastParent = this.lastParent;
    copy.step = this.step.coarsened(max);
    copy.time = this.time.coarsened(max);
    return copy;
  }

  /** Fold in another overview of the same metric (other chunks). */
  merge(other: SeriesOverview): void {
    this.count += other.count;
    this.step.merge(other.step);
    this.time.merge(other.time);
    if (other.last && (!this.last || other.lastChunk >= this.lastChunk)) {
      this.last = other.last;
      this.lastChunk = other.lastChunk;
      this.lastParent = other.lastParent;
    }
  }
}

/** A run of one writer's metric chunks: sequence numbers `from` to `to`. */
export interface IChunkRange {
  writer: string;
  from: number;
  to: number;
}

/** The sequence number and writer of a chunk name `<seq>-<writer>.json`. */
export function parseChunkName(
  name: string
): { seq: number; writer: string } | null {
  const m = /^(\d{1,16})-([A-Za-z0-9_-]+)\.json$/.exec(name);
  return m ? { seq: Number(m[1]), writer: m[2] } : null;
}

/**
 * Overviews of every metric of an experiment, and the metric chunks whose
 * points they hold: by name, or as runs of a writer's sequence numbers.
 */
export class MetricsOverview {
  /** Metric chunk names (`<seq>-<writer>.json`) folded in one by one. */
  readonly chunks = new Set<string>();
  /** Runs of chunks folded in as a whole (read from overview files). */
  readonly ranges: IChunkRange[] = [];
  readonly series = new Map<string, SeriesOverview>();

  /** Whether the points of chunk `name` are in. */
  covers(name: string): boolean {
    if (this.chunks.has(name)) {
      return true;
    }
    if (this.ranges.length === 0) {
      return false;
    }
    const c = parseChunkName(name);
    return (
      c !== null &&
      this.ranges.some(
        r => r.writer === c.writer && r.from <= c.seq && c.seq <= r.to
      )
    );
  }

  /** Fold in the points of one chunk (once: a chunk seen before is ignored). */
  appendChunk(
    chunk: string,
    series: readonly {
      name: string;
      steps: ArrayLike<number>;
      times: ArrayLike<number>;
      values: ArrayLike<number>;
      parent?: string | null;
    }[]
  ): boolean {
    if (this.covers(chunk)) {
      return false;
    }
    this.chunks.add(chunk);
    for (const s of series) {
      this._get(s.name).append(
        s.steps,
        s.times,
        s.values,
        chunk,
        s.parent ?? ''
      );
    }
    return true;
  }

  /**
   * Fold in another overview; false (and nothing changed) when the two
   * share a chunk.
   */
  merge(other: MetricsOverview): boolean {
    const overlap =
      [...other.chunks].some(c => this.covers(c)) ||
      [...this.chunks].some(c => other.covers(c)) ||
      other.ranges.some(a =>
        this.ranges.some(
          b => a.writer === b.writer && a.from <= b.to && b.from <= a.to
        )
      );
    if (overlap) {
      return false;
    }
    other.chunks.forEach(c => this.chunks.add(c));
    this.ranges.push(...other.ranges.map(r => ({ ...r })));
    for (const s of other.series.values()) {
      this._get(s.name).merge(s);
    }
    return true;
  }

  /**
   * The chunks of `writer` folded in, as runs of consecutive sequence
   * numbers (a writer numbers its chunks one after the other).
   */
  rangesOf(writer: string): IChunkRange[] {
    const seqs: [number, number][] = this.ranges
      .filter(r => r.writer === writer)
      .map(r => [r.from, r.to]);
    for (const name of this.chunks) {
      const c = parseChunkName(name);
      if (c?.writer === writer) {
        seqs.push([c.seq, c.seq]);
      }
    }
    seqs.sort((a, b) => a[0] - b[0]);
    const out: IChunkRange[] = [];
    for (const [from, to] of seqs) {
      const last = out[out.length - 1];
      if (last && from <= last.to + 1) {
        last.to = Math.max(last.to, to);
      } else {
        out.push({ writer, from, to });
      }
    }
    return out;
  }

  /**
   * A copy of the same chunks with every axis at most `max` buckets: what
   * a chart of many lines (compare) reads, a fraction of the full size.
   */
  coarsened(max: number): MetricsOverview {
    const copy = new MetricsOverview();
    this.chunks.forEach(c => copy.chunks.add(c));
    copy.ranges.push(...this.ranges.map(r => ({ ...r })));
    for (const [name, s] of this.series) {
      copy.series.set(name, s.coarsened(max));
    }
    return copy;
  }

  /** Metrics sorted by name. */
  sorted(): SeriesOverview[] {
    return [...this.series.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    );
  }

  private _get(name: string): SeriesOverview {
    let s = this.series.get(name);
    if (!s) {
      s = new SeriesOverview(name);
      this.series.set(name, s);
    }
    return s;
  }
}

namespace Private {
  /** Fold bucket `b` into `into` (same key). */
  export function mergeInto(into: IBucket, b: IBucket): void {
    into.n += b.n;
    if (
      !Number.isNaN(b.minX) &&
      (!(b.minY >= into.minY) || (b.minY === into.minY && b.minX < into.minX))
    ) {
      into.minY = b.minY;
      into.minX = b.minX;
    }
    if (
      !Number.isNaN(b.maxX) &&
      (!(b.maxY <= into.maxY) || (b.maxY === into.maxY && b.maxX > into.maxX))
    ) {
      into.maxY = b.maxY;
      into.maxX = b.maxX;
    }
    if (!(b.gapX >= into.gapX)) {
      into.gapX = Number.isNaN(b.gapX) ? into.gapX : b.gapX;
    }
  }
}

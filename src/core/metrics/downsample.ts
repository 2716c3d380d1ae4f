/**
 * Reducing a metric series to what a chart of a given width can show.
 */
import type { IMetricSeries } from '../model';

/** What a chart puts on its x axis: the step, or the wall time. */
export type MetricAxis = 'step' | 'time';

/** A series' points sorted by x (step or wall time), stable for ties. */
export function sortByX(
  series: IMetricSeries,
  axis: MetricAxis = 'step'
): { x: Float64Array; y: Float64Array } {
  const xs = axis === 'time' ? series.times : series.steps;
  const n = series.values.length;
  // Usually logged in order already: then no sort at all.
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) {
    sorted = xs[i - 1] <= xs[i];
  }
  if (sorted) {
    return { x: Float64Array.from(xs), y: Float64Array.from(series.values) };
  }
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => xs[a] - xs[b] || a - b
  );
  return {
    x: Float64Array.from(order, i => xs[i]),
    y: Float64Array.from(order, i => series.values[i])
  };
}

/**
 * Points to draw, from points sorted by x: all of them when few, otherwise
 * for each of `width` x buckets the first, minimum and maximum points (in
 * x order), so peaks survive. Non-finite values become null (a gap). The
 * buckets divide `range` (by default the first to the last x) evenly.
 */
export function downsampleXY(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  width: number,
  range?: readonly [number, number]
): [number[], (number | null)[]] {
  const n = y.length;
  const val = (i: number) => (Number.isFinite(y[i]) ? y[i] : null);
  if (n <= width * 3) {
    return [Array.from(x), Array.from({ length: n }, (_, i) => val(i))];
  }
  const lo = range ? range[0] : x[0];
  const span = (range ? range[1] : x[n - 1]) - lo || 1;
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  let picked: number[] = [];
  const flush = () => {
    const uniq = [...new Set(picked)].sort((a, b) => a - b);
    for (const i of uniq) {
      xs.push(x[i]);
      ys.push(val(i));
    }
  };
  let bucket = -1;
  let minI = -1;
  let maxI = -1;
  for (let i = 0; i < n; i++) {
    const b = Math.min(
      width - 1,
      Math.max(0, Math.floor(((x[i] - lo) / span) * width))
    );
    if (b !== bucket) {
      if (bucket >= 0) {
        picked.push(minI, maxI);
        flush();
      }
      bucket = b;
      picked = [i];
      minI = maxI = i;
      continue;
    }
    const v = y[i];
    if (!Number.isFinite(v)) {
      picked.push(i); // keep the gap
    } else {
      if (!Number.isFinite(y[minI]) || v < y[minI]) {
        minI = i;
      }
      if (!Number.isFinite(y[maxI]) || v > y[maxI]) {
        maxI = i;
      }
    }
  }
  if (bucket >= 0) {
    picked.push(minI, maxI);
    flush();
  }
  return [xs, ys];
}

/** `downsampleXY` of a series by step (or wall time). */
export function downsample(
  series: IMetricSeries,
  width: number,
  axis: MetricAxis = 'step'
): [number[], (number | null)[]] {
  const { x, y } = sortByX(series, axis);
  return downsampleXY(x, y, width);
}

/**
 * The x positions of a grid shared by several lines over [lo, hi]: two per
 * bucket of `width` buckets (where a bucket's first and second drawn point
 * go), ascending. With `integers` (steps) they are whole numbers, so the
 * cursor never reads a fractional step; a bucket narrower than two steps
 * then has fewer distinct positions, and duplicates are kept (two points
 * in one pixel column look the same).
 */
export function gridX(
  lo: number,
  hi: number,
  width: number,
  integers = false
): Float64Array {
  const span = hi - lo || 1;
  const out = new Float64Array(width * 2);
  for (let b = 0; b < width; b++) {
    const a = lo + (b * span) / width;
    const m = lo + ((b + 0.5) * span) / width;
    out[2 * b] = integers ? Math.round(a) : a;
    out[2 * b + 1] = integers ? Math.max(out[2 * b], Math.round(m)) : m;
  }
  return out;
}

/**
 * One line's values on the shared grid of `gridX(lo, hi, width)`: for each
 * bucket its minimum and maximum in the order they come (so peaks and the
 * line's direction survive), one value when the bucket holds one point,
 * `undefined` where it holds none (the line passes over, as uPlot draws
 * it), and null after a non-finite value (a gap). Points sorted by x.
 * Drawing many long lines this way, they share one x array: no joining,
 * and 2 × `width` points each whatever their length.
 */
export function downsampleToGrid(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  lo: number,
  hi: number,
  width: number
): (number | null | undefined)[] {
  const out: (number | null | undefined)[] = new Array(width * 2).fill(
    undefined
  );
  const span = hi - lo || 1;
  const n = y.length;
  let i = 0;
  while (i < n) {
    const b = Math.max(
      0,
      Math.min(width - 1, Math.floor(((x[i] - lo) / span) * width))
    );
    let minI = -1;
    let maxI = -1;
    let gap = false;
    for (; i < n; i++) {
      const bi = Math.max(
        0,
        Math.min(width - 1, Math.floor(((x[i] - lo) / span) * width))
      );
      if (bi !== b) {
        break;
      }
      const v = y[i];
      if (!Number.isFinite(v)) {
        gap = true;
        continue;
      }
      if (minI < 0 || v < y[minI]) {
        minI = i;
      }
      if (maxI < 0 || v > y[maxI]) {
        maxI = i;
      }
    }
    if (minI < 0) {
      out[2 * b] = null; // only non-finite values here
      continue;
    }
    const [first, second] = minI <= maxI ? [minI, maxI] : [maxI, minI];
    out[2 * b] = y[first];
    out[2 * b + 1] = gap ? null : first === second ? undefined : y[second];
  }
  return out;
}

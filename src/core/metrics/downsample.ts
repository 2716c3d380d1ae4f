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

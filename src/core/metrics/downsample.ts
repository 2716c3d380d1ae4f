/**
 * Reducing a metric series to what a chart of a given width can show.
 */
import type { IMetricSeries } from '../model';

/**
 * Points to draw: all of them when few, otherwise for each of `width`
 * step buckets the first, minimum and maximum points (in step order), so
 * peaks survive. Non-finite values become null (a gap).
 */
export function downsample(
  series: IMetricSeries,
  width: number
): [number[], (number | null)[]] {
  const n = series.values.length;
  // Usually logged in step order already: then no sort at all.
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) {
    sorted = series.steps[i - 1] <= series.steps[i];
  }
  const order: ArrayLike<number> & Iterable<number> = sorted
    ? Uint32Array.from({ length: n }, (_, i) => i)
    : [...Array(n).keys()].sort(
        (a, b) => series.steps[a] - series.steps[b] || a - b
      );
  const val = (i: number) =>
    Number.isFinite(series.values[i]) ? series.values[i] : null;
  if (n <= width * 3) {
    return [Array.from(order, i => series.steps[i]), Array.from(order, val)];
  }
  const lo = series.steps[order[0]];
  const hi = series.steps[order[n - 1]];
  const span = hi - lo || 1;
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  let bucket = -1;
  let picked: number[] = [];
  const flush = () => {
    const uniq = [...new Set(picked)].sort((a, b) => a - b);
    for (const i of uniq) {
      xs.push(series.steps[i]);
      ys.push(val(i));
    }
  };
  let minI = -1;
  let maxI = -1;
  for (const i of order) {
    const b = Math.min(
      width - 1,
      Math.floor(((series.steps[i] - lo) / span) * width)
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
    const v = series.values[i];
    if (!Number.isFinite(v)) {
      picked.push(i); // keep the gap
    } else {
      if (!Number.isFinite(series.values[minI]) || v < series.values[minI]) {
        minI = i;
      }
      if (!Number.isFinite(series.values[maxI]) || v > series.values[maxI]) {
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

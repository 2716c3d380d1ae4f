/**
 * Smoothing of a metric's values for charts: an exponential moving average
 * (debiased, as TensorBoard's smoothing slider does, so the start of the
 * curve is not pulled towards zero) and a trailing moving average.
 * Non-finite values stay gaps and do not enter the average.
 */

export type SmoothingKind = 'none' | 'ema' | 'mean';

export interface ISmoothing {
  kind: SmoothingKind;
  /**
   * For `ema`, the weight of the past in [0, 1) (0: no smoothing, 0.99:
   * very smooth); for `mean`, the window in points (≥ 1).
   */
  amount: number;
}

/** Smooth `values` (in x order); returns a new array of the same length. */
export function smooth(
  values: ArrayLike<number>,
  smoothing: ISmoothing
): Float64Array {
  if (smoothing.kind === 'ema') {
    return ema(values, smoothing.amount);
  }
  if (smoothing.kind === 'mean') {
    return movingMean(values, smoothing.amount);
  }
  return Float64Array.from(values);
}

/** Debiased exponential moving average with past weight `weight`. */
export function ema(values: ArrayLike<number>, weight: number): Float64Array {
  const w = pastWeight(weight);
  const out = new Float64Array(values.length);
  let acc = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    acc = acc * w + (1 - w) * v;
    seen++;
    out[i] = w === 0 ? v : acc / (1 - Math.pow(w, seen));
  }
  return out;
}

/** Mean of the last `window` finite values up to each point. */
export function movingMean(
  values: ArrayLike<number>,
  window: number
): Float64Array {
  const n = windowSize(window);
  const out = new Float64Array(values.length);
  const ring = new Float64Array(n);
  let count = 0;
  let head = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    if (count === n) {
      sum -= ring[head];
    } else {
      count++;
    }
    ring[head] = v;
    head = (head + 1) % n;
    sum += v;
    out[i] = sum / count;
  }
  return out;
}

/**
 * Smoothing of points that each stand for several logged points (`weights`,
 * as an overview's drawn points do): the EMA decays by `amount^weight`
 * over a point, the moving mean's window counts weights. With every weight
 * 1 it is `smooth`. Over an overview it is an approximation (a bucket's low
 * and high stand for all of its points), shown until the points are read.
 */
export function smoothWeighted(
  values: ArrayLike<number>,
  weights: ArrayLike<number>,
  smoothing: ISmoothing
): Float64Array {
  const out = new Float64Array(values.length);
  if (smoothing.kind === 'ema') {
    const w = pastWeight(smoothing.amount);
    let acc = 0;
    let seen = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const m = Math.max(0, weights[i]);
      if (!Number.isFinite(v) || m === 0) {
        out[i] = Number.isFinite(v)
          ? seen
            ? acc / (1 - Math.pow(w, seen))
            : v
          : NaN;
        continue;
      }
      const decay = Math.pow(w, m);
      acc = acc * decay + (1 - decay) * v;
      seen += m;
      out[i] = w === 0 ? v : acc / (1 - Math.pow(w, seen));
    }
    return out;
  }
  if (smoothing.kind === 'mean') {
    const window = windowSize(smoothing.amount);
    const vs: number[] = [];
    const ms: number[] = [];
    let head = 0;
    let sumW = 0;
    let sumV = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const m = Math.max(0, weights[i]);
      if (!Number.isFinite(v)) {
        out[i] = NaN;
        continue;
      }
      vs.push(v);
      ms.push(m);
      sumW += m;
      sumV += v * m;
      // Drop the oldest while what is left still fills the window.
      while (vs.length - head > 1 && sumW - ms[head] >= window) {
        sumW -= ms[head];
        sumV -= vs[head] * ms[head];
        head++;
      }
      out[i] = sumW > 0 ? sumV / sumW : v;
    }
    return out;
  }
  return Float64Array.from(values);
}

/** The EMA's weight of the past, clamped to [0, 0.9999]. */
function pastWeight(amount: number): number {
  return Math.min(Math.max(Number.isFinite(amount) ? amount : 0, 0), 0.9999);
}

/** A moving mean's window, a whole number of points ≥ 1. */
function windowSize(amount: number): number {
  return Math.max(1, Math.floor(Number.isFinite(amount) ? amount : 1));
}

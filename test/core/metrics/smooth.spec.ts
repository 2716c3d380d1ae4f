import { describe, expect, it } from 'vitest';
import { downsample, sortByX } from '../../../src/core/metrics/downsample';
import { ema, movingMean, smooth } from '../../../src/core/metrics/smooth';

describe('smoothing', () => {
  it('EMA is debiased: a constant series stays constant from the first point', () => {
    const out = ema([5, 5, 5, 5], 0.9);
    for (const v of out) {
      expect(v).toBeCloseTo(5, 12);
    }
  });

  it('EMA flattens noise and follows a step change', () => {
    const noisy = Array.from({ length: 400 }, (_, i) =>
      i < 200 ? (i % 2 ? 1 : -1) : 10 + (i % 2 ? 1 : -1)
    );
    const out = ema(noisy, 0.95);
    expect(Math.abs(out[199])).toBeLessThan(0.2);
    expect(out[399]).toBeGreaterThan(9.5);
    expect(out[399]).toBeLessThan(10.5);
  });

  it('keeps gaps where values are NaN or infinite, and averages around them', () => {
    const out = movingMean([1, NaN, 3, Infinity, 5], 2);
    expect(Array.from(out)).toEqual([1, NaN, 2, NaN, 4]);
    const e = ema([1, NaN, 1], 0.5);
    expect(e[1]).toBeNaN();
    expect(e[2]).toBeCloseTo(1, 12);
  });

  it('a moving mean over a window of 3 is the trailing mean', () => {
    expect(Array.from(movingMean([3, 6, 9, 12], 3))).toEqual([3, 4.5, 6, 9]);
  });

  it('no smoothing returns the values as they are', () => {
    expect(Array.from(smooth([1, 2], { kind: 'none', amount: 0 }))).toEqual([
      1, 2
    ]);
  });
});

describe('x axis', () => {
  it('orders points by wall time when asked, by step otherwise', () => {
    const series = {
      name: 'm',
      steps: [0, 1, 2],
      times: [30, 10, 20],
      values: [1, 2, 3]
    };
    expect(Array.from(sortByX(series, 'step').y)).toEqual([1, 2, 3]);
    const byTime = sortByX(series, 'time');
    expect(Array.from(byTime.x)).toEqual([10, 20, 30]);
    expect(Array.from(byTime.y)).toEqual([2, 3, 1]);
    expect(downsample(series, 100, 'time')).toEqual([
      [10, 20, 30],
      [2, 3, 1]
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { downsample, sortByX } from '../../../src/core/metrics/downsample';
import { AxisOverview } from '../../../src/core/metrics/overview';
import {
  ema,
  movingMean,
  smooth,
  smoothWeighted
} from '../../../src/core/metrics/smooth';

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

describe('smoothing an overview (weighted points)', () => {
  /** A deterministic noisy signal: a slow wave plus uniform noise. */
  function signal(n: number): { x: Float64Array; y: Float64Array } {
    let seed = 7;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = x.map(i => Math.sin(i / 20_000) + (rand() - 0.5));
    return { x, y };
  }

  it('is the plain smoothing when every point weighs one', () => {
    const { y } = signal(5_000);
    y[10] = NaN;
    const ones = new Float64Array(y.length).fill(1);
    for (const s of [
      { kind: 'ema', amount: 0.9 },
      { kind: 'mean', amount: 25 }
    ] as const) {
      const plain = smooth(y, s);
      const weighted = smoothWeighted(y, ones, s);
      for (let i = 0; i < y.length; i++) {
        if (Number.isNaN(plain[i])) {
          expect(weighted[i]).toBeNaN();
        } else {
          expect(weighted[i]).toBeCloseTo(plain[i], 9);
        }
      }
    }
  });

  it("follows the points' smoothed line from a million-point overview", () => {
    const n = 1_000_000;
    const { x, y } = signal(n);
    const axis = new AxisOverview();
    axis.addAll(x, y);
    const drawn = axis.points();
    expect(drawn.x.length).toBeLessThan(5_000);
    for (const s of [
      { kind: 'ema', amount: 0.999 },
      { kind: 'mean', amount: 2_000 }
    ] as const) {
      const exact = smooth(y, s);
      const approx = smoothWeighted(drawn.mid, drawn.w, s);
      // Compared where the overview has points, past the first window:
      // the wave spans 2 and the noise 1; the smoothed lines agree within
      // a few hundredths.
      let worst = 0;
      for (let i = 0; i < drawn.x.length; i++) {
        if (drawn.x[i] > 20_000) {
          worst = Math.max(worst, Math.abs(approx[i] - exact[drawn.x[i]]));
        }
      }
      expect(worst).toBeLessThan(0.05);
    }
  });
});

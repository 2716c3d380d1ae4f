import { describe, expect, it } from 'vitest';
import { downsample } from '../../../src/core/metrics/downsample';

describe('downsample', () => {
  it('keeps every point of a short series, in step order, gaps for NaN and infinities', () => {
    const [xs, ys] = downsample(
      {
        name: 'm',
        steps: [2, 0, 1, 3],
        times: [0, 0, 0, 0],
        values: [NaN, 1, 2, Infinity]
      },
      100
    );
    expect(xs).toEqual([0, 1, 2, 3]);
    expect(ys).toEqual([1, 2, null, null]);
  });

  it('reduces 1,000,000 points to a few per pixel and keeps the extremes', () => {
    const n = 1_000_000;
    const steps = Array.from({ length: n }, (_, i) => i);
    const values = steps.map(i => Math.sin(i / 1000));
    values[123_456] = 50; // a spike
    values[654_321] = -50;
    const [xs, ys] = downsample(
      { name: 'm', steps, times: steps, values },
      800
    );
    expect(xs.length).toBeLessThanOrEqual(800 * 3);
    expect(ys).toContain(50);
    expect(ys).toContain(-50);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });
});

import { describe, expect, it } from 'vitest';
import { downsampleToGrid, gridX } from '../../../src/core/metrics/downsample';

describe('downsampling lines onto a shared grid', () => {
  it('places two positions per bucket, whole numbers for steps', () => {
    expect([...gridX(0, 10, 5)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...gridX(0, 3, 2, true)]).toEqual([0, 1, 2, 2]);
    expect([...gridX(5, 5, 2)]).toEqual([5, 5.25, 5.5, 5.75]);
  });

  it('keeps each bucket’s minimum and maximum in the order they came', () => {
    // Buckets of width 2 over 0..8: [0,2) [2,4) [4,6) [6,8].
    const x = [0, 1, 2, 3, 4, 5, 6, 7];
    const y = [5, 1, 2, 9, 3, 3, 7, 0];
    expect(downsampleToGrid(x, y, 0, 8, 4)).toEqual([
      5,
      1, // max first, then min
      2,
      9,
      3,
      undefined, // one distinct extreme
      7,
      0
    ]);
  });

  it('leaves empty buckets undefined and marks non-finite values as gaps', () => {
    const out = downsampleToGrid([0, 1, 6, 7], [1, NaN, NaN, NaN], 0, 8, 4);
    expect(out).toEqual([
      1,
      null,
      undefined,
      undefined,
      undefined,
      undefined,
      null,
      undefined
    ]);
  });

  it('keeps spikes of a long line, 2 values per bucket', () => {
    const n = 100_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = x.map(i => Math.sin(i / 100));
    y[31_415] = 40;
    y[77_777] = -40;
    const out = downsampleToGrid(x, y, 0, n - 1, 500);
    expect(out).toHaveLength(1000);
    expect(out).toContain(40);
    expect(out).toContain(-40);
  });
});

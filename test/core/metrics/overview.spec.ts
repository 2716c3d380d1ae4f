import { describe, expect, it } from 'vitest';
import { downsampleXY } from '../../../src/core/metrics/downsample';
import {
  AxisOverview,
  MAX_BUCKETS,
  MetricsOverview,
  SeriesOverview
} from '../../../src/core/metrics/overview';

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function walk(n: number, seed = 1): { x: Float64Array; y: Float64Array } {
  const r = random(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let v = 0;
  for (let i = 0; i < n; i++) {
    x[i] = i;
    v += r() - 0.5;
    y[i] = v;
  }
  return { x, y };
}

function axisOf(x: ArrayLike<number>, y: ArrayLike<number>): AxisOverview {
  const a = new AxisOverview();
  a.addAll(x, y);
  return a;
}

/**
 * Per pixel column of `[lo, hi]` over `width` columns: the lowest and
 * highest finite value drawn there, and whether a gap is drawn there.
 */
function columns(
  [xs, ys]: [number[], (number | null)[]],
  lo: number,
  hi: number,
  width: number
): { min: number; max: number; gap: boolean }[] {
  const cols = Array.from({ length: width }, () => ({
    min: Infinity,
    max: -Infinity,
    gap: false
  }));
  xs.forEach((x, i) => {
    const c = Math.min(width - 1, Math.floor(((x - lo) / (hi - lo)) * width));
    const y = ys[i];
    if (y === null) {
      cols[c].gap = true;
    } else {
      cols[c].min = Math.min(cols[c].min, y);
      cols[c].max = Math.max(cols[c].max, y);
    }
  });
  return cols;
}

/** Every column of `a` is drawn by `b` within one column either side. */
function withinAPixel(
  a: ReturnType<typeof columns>,
  b: ReturnType<typeof columns>
): string[] {
  const problems: string[] = [];
  a.forEach((col, c) => {
    const near = b.slice(Math.max(0, c - 1), c + 2);
    const min = Math.min(...near.map(n => n.min));
    const max = Math.max(...near.map(n => n.max));
    if (col.min < Infinity && (col.min < min || col.max > max)) {
      problems.push(
        `column ${c}: [${col.min}, ${col.max}] not in [${min}, ${max}]`
      );
    }
    if (col.gap && !near.some(n => n.gap)) {
      problems.push(`column ${c}: gap lost`);
    }
  });
  return problems;
}

describe('AxisOverview', () => {
  it('keeps a short series exactly, gaps as NaN at their x', () => {
    const a = axisOf([0, 1, 2, 3, 4], [1, NaN, 3, Infinity, -Infinity]);
    expect(a.exact).toBe(true);
    expect(a.count).toBe(5);
    const { x, y } = a.points();
    expect([...x]).toEqual([0, 1, 2, 3, 4]);
    expect([...y]).toEqual([1, NaN, 3, NaN, NaN]);
    expect(a.resolves(0, 4, 1000)).toBe(true);
  });

  it('stays under MAX_BUCKETS with power-of-two buckets as the series grows', () => {
    const { x, y } = walk(1_000_000);
    const a = axisOf(x, y);
    expect(a.size).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(a.size).toBeGreaterThan(MAX_BUCKETS / 2);
    expect(a.count).toBe(1_000_000);
    expect(a.bucketWidth).toBe(512);
    expect(a.exact).toBe(false);
    expect(a.resolves(0, 999_999, 800)).toBe(true);
    // zoomed to a tenth: 100,000 steps over 800 columns is finer than a bucket
    expect(a.resolves(0, 100_000, 800)).toBe(false);
  });

  it('keeps a one-point spike and a one-point gap of a million points', () => {
    const { x, y } = walk(1_000_000, 7);
    y[123_457] = 1e6;
    y[654_321] = -1e6;
    y[777_777] = NaN;
    const { x: px, y: py } = axisOf(x, y).points();
    expect([...py]).toContain(1e6);
    expect([...py]).toContain(-1e6);
    expect(px[py.indexOf(1e6)]).toBe(123_457);
    expect(px[py.findIndex(Number.isNaN)]).toBe(777_777);
  });

  it('does not depend on the order points are added in', () => {
    const { x, y } = walk(50_000, 3);
    y[10] = NaN;
    y[20_000] = Infinity;
    const order = Array.from({ length: x.length }, (_, i) => i);
    const r = random(9);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const shuffled = new AxisOverview();
    for (const i of order) {
      shuffled.add(x[i], y[i]);
    }
    expect(shuffled.toArray()).toEqual(axisOf(x, y).toArray());
  });

  it('coarsens to the finest level that fits, even for far-apart clusters', () => {
    // Two clusters a billion steps apart: a level chosen from the span
    // would leave a handful of buckets; the finest that fits leaves many.
    const n = 3000;
    const x = Float64Array.from({ length: 2 * n }, (_, i) =>
      i < n ? i : 1e9 + i
    );
    const y = x.map(v => Math.sin(v));
    const a = axisOf(x, y);
    expect(a.size).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(a.size).toBeGreaterThan(MAX_BUCKETS / 2);
    expect(a.bucketWidth).toBe(4);
  });

  it('makes a coarser copy that draws the same at its own width', () => {
    const { x, y } = walk(100_000, 13);
    y[42_424] = NaN;
    const full = axisOf(x, y);
    const before = full.toArray();
    const preview = full.coarsened(512);
    expect(full.toArray()).toEqual(before); // the original is untouched
    expect(preview.size).toBeLessThanOrEqual(512);
    expect(preview.size).toBeGreaterThan(256);
    expect(preview.count).toBe(100_000);
    expect(preview.resolves(0, 99_999, 256)).toBe(true);
    expect(preview.resolves(0, 99_999, 1024)).toBe(false);
    const width = 256;
    const raw = columns(
      [[...x], [...y].map(v => (Number.isFinite(v) ? v : null))],
      0,
      99_999,
      width
    );
    const p = preview.points();
    const drawn = columns(
      [[...p.x], [...p.y].map(v => (Number.isFinite(v) ? v : null))],
      0,
      99_999,
      width
    );
    expect(withinAPixel(raw, drawn)).toEqual([]);
    // A series already small enough is copied as it is.
    const small = axisOf([0, 1, 2], [3, 4, 5]);
    expect(small.coarsened(512).toArray()).toEqual(small.toArray());
  });

  it('merges two overviews into the overview of all their points', () => {
    const { x, y } = walk(300_000, 5);
    y[150_000] = NaN;
    const whole = axisOf(x, y);
    // Uneven halves, so the two sides reach different levels.
    const a = axisOf(x.subarray(0, 1000), y.subarray(0, 1000));
    const b = axisOf(x.subarray(1000), y.subarray(1000));
    a.merge(b);
    expect(a.level).toBe(whole.level);
    expect(a.toArray()).toEqual(whole.toArray());
    // and the other way round
    const c = axisOf(x.subarray(1000), y.subarray(1000));
    c.merge(axisOf(x.subarray(0, 1000), y.subarray(0, 1000)));
    expect(c.toArray()).toEqual(whole.toArray());
  });

  it('reads back what it writes', () => {
    const { x, y } = walk(10_000, 11);
    y[5] = NaN;
    const a = axisOf(x, y);
    const b = AxisOverview.fromArray(a.level, a.toArray());
    expect(b.toArray()).toEqual(a.toArray());
    expect(b.count).toBe(10_000);
    b.add(10_000, 1); // and keeps growing from there
    expect(b.count).toBe(10_001);
    expect(() => AxisOverview.fromArray(0.5, [])).toThrow();
    expect(() => AxisOverview.fromArray(0, [1, 2, 3])).toThrow();
    expect(() =>
      AxisOverview.fromArray(0, [0.5, 1, 0, 0, 0, 0, NaN])
    ).toThrow();
  });

  for (const [what, seed, width] of [
    ['a random walk', 1, 800],
    ['a narrow chart', 2, 200],
    ['a wide chart', 3, 1000]
  ] as const) {
    it(`draws as the raw points do, within a pixel: ${what}, ${width} px`, () => {
      const n = 400_000;
      const { x, y } = walk(n, seed);
      const r = random(seed + 100);
      for (let k = 0; k < 30; k++) {
        const i = Math.floor(r() * n);
        y[i] = k % 3 === 0 ? NaN : y[i] + (r() - 0.5) * 1000; // spikes and gaps
      }
      const a = axisOf(x, y);
      expect(a.resolves(0, n - 1, width)).toBe(true);
      const p = a.points();
      const raw = columns(downsampleXY(x, y, width), 0, n - 1, width);
      const drawn = columns(
        downsampleXY(p.x, p.y, width, [0, n - 1]),
        0,
        n - 1,
        width
      );
      expect(withinAPixel(raw, drawn)).toEqual([]);
      expect(withinAPixel(drawn, raw)).toEqual([]);
    });
  }

  it('draws wall times (large x, uneven spacing) within a pixel too', () => {
    const n = 200_000;
    const { y } = walk(n, 4);
    const r = random(44);
    const x = new Float64Array(n);
    let t = Date.UTC(2026, 0, 1);
    for (let i = 0; i < n; i++) {
      t += r() < 0.001 ? 5000 : r() * 0.3; // bursts with pauses
      x[i] = t;
    }
    const a = axisOf(x, y);
    expect(a.size).toBeLessThanOrEqual(MAX_BUCKETS);
    const width = 600;
    const p = a.points();
    const raw = columns(downsampleXY(x, y, width), x[0], x[n - 1], width);
    const drawn = columns(
      downsampleXY(p.x, p.y, width, [x[0], x[n - 1]]),
      x[0],
      x[n - 1],
      width
    );
    expect(withinAPixel(raw, drawn)).toEqual([]);
    expect(withinAPixel(drawn, raw)).toEqual([]);
  });
});

describe('SeriesOverview and MetricsOverview', () => {
  it('counts every point and keeps the last one of the chunk that sorts last', () => {
    const s = new SeriesOverview('loss');
    s.append([0, 1], [10, 11], [5, 4], '0002-b.json');
    s.append([2], [12], [NaN], '0001-a.json');
    expect(s.count).toBe(3);
    expect(s.last).toEqual([1, 11, 4]);
    const t = new SeriesOverview('loss');
    t.append([3], [13], [Infinity], '0003-a.json');
    s.merge(t);
    expect(s.count).toBe(4);
    expect(s.last).toEqual([3, 13, Infinity]);
    expect(s.step.count).toBe(4);
    expect(s.time.range).toEqual([10, 13]);
  });

  it('folds each chunk once and refuses an overview that overlaps', () => {
    const part = (v: number) => [
      { name: 'b', steps: [v], times: [v], values: [v] },
      { name: 'a', steps: [v], times: [v], values: [-v] }
    ];
    const m = new MetricsOverview();
    expect(m.appendChunk('1-w.json', part(1))).toBe(true);
    expect(m.appendChunk('1-w.json', part(1))).toBe(false);
    const other = new MetricsOverview();
    other.appendChunk('2-v.json', part(2));
    expect(m.merge(other)).toBe(true);
    expect(m.sorted().map(s => [s.name, s.count])).toEqual([
      ['a', 2],
      ['b', 2]
    ]);
    expect(m.merge(other)).toBe(false);
    expect(m.sorted()[0].count).toBe(2);
    expect([...m.chunks].sort()).toEqual(['1-w.json', '2-v.json']);
  });

  it("covers runs of a writer's chunks and refuses overviews that share one", () => {
    const part = [{ name: 'm', steps: [1], times: [1], values: [1] }];
    const m = new MetricsOverview();
    m.ranges.push({ writer: 'w', from: 10, to: 20 });
    expect(m.covers('0000000000000015-w.json')).toBe(true);
    expect(m.covers('0000000000000021-w.json')).toBe(false);
    expect(m.covers('0000000000000015-v.json')).toBe(false);
    expect(m.appendChunk('0000000000000012-w.json', part)).toBe(false);
    expect(m.appendChunk('0000000000000021-w.json', part)).toBe(true);
    expect(m.appendChunk('0000000000000023-w.json', part)).toBe(true);
    expect(m.rangesOf('w')).toEqual([
      { writer: 'w', from: 10, to: 21 },
      { writer: 'w', from: 23, to: 23 }
    ]);
    const other = new MetricsOverview();
    other.ranges.push({ writer: 'w', from: 22, to: 22 });
    expect(m.merge(other)).toBe(true);
    expect(m.rangesOf('w')).toEqual([{ writer: 'w', from: 10, to: 23 }]);
    const overlapping = new MetricsOverview();
    overlapping.appendChunk('0000000000000023-w.json', part);
    expect(m.merge(overlapping)).toBe(false);
  });
});

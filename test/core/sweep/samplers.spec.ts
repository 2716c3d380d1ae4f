/**
 * Samplers as a sweep uses them: a grid in a stable order that never
 * repeats a point, random and TPE seeded (same seed and history, same
 * params), values always inside the space, TPE finding better values than
 * random search, parallel TPE suggestions kept apart, warm start.
 */
import { describe, expect, it } from 'vitest';
import {
  parseSweepConfig,
  type ISweepConfig
} from '../../../src/core/sweep/config';
import {
  gridPoints,
  suggest,
  type ITrialRecord,
  type Params
} from '../../../src/core/sweep/samplers';
import {
  objectiveValue,
  warmStartTrials
} from '../../../src/core/sweep/warmstart';

function config(c: Record<string, unknown>): ISweepConfig {
  const r = parseSweepConfig({ metric: { name: 'loss' }, ...c });
  expect(r.errors).toBeUndefined();
  return r.config!;
}

const mixed = {
  lr: { distribution: 'log_uniform', min: 1e-5, max: 1e-1 },
  batch: { distribution: 'int_uniform', min: 16, max: 128, q: 16 },
  width: { distribution: 'int_uniform', min: 1, max: 1024, log: true },
  dropout: { min: 0, max: 0.5, q: 0.05 },
  init: { distribution: 'normal', mu: 0, sigma: 0.1 },
  scale: { distribution: 'log_normal', mu: 0, sigma: 1, q: 0.5 },
  opt: { values: ['adam', 'sgd', { name: 'lamb', beta: 0.9 }] },
  epochs: { value: 3 }
};

function inSpace(p: Params): void {
  expect(Object.keys(p)).toEqual(Object.keys(mixed));
  const lr = p.lr as number;
  expect(lr).toBeGreaterThanOrEqual(1e-5);
  expect(lr).toBeLessThanOrEqual(1e-1);
  expect([16, 32, 48, 64, 80, 96, 112, 128]).toContain(p.batch);
  expect(Number.isInteger(p.width)).toBe(true);
  expect(p.width as number).toBeGreaterThanOrEqual(1);
  expect(p.width as number).toBeLessThanOrEqual(1024);
  const d = p.dropout as number;
  expect(Math.round(d / 0.05) * 0.05).toBeCloseTo(d, 12);
  expect(String(d).length).toBeLessThanOrEqual(4); // 0.35, not 0.35000000000000003
  expect(Number.isFinite(p.init)).toBe(true);
  expect((p.scale as number) % 0.5).toBe(0);
  expect(['adam', 'sgd', { name: 'lamb', beta: 0.9 }]).toContainEqual(p.opt);
  expect(p.epochs).toBe(3);
}

/** Runs a sequential sweep on an objective; returns the trials. */
function run(
  c: ISweepConfig,
  objective: (p: Params) => number,
  n: number,
  warm: ITrialRecord[] = []
): ITrialRecord[] {
  const trials: ITrialRecord[] = [];
  for (let i = 0; i < n; i++) {
    const params = suggest(c, { trials, warm });
    expect(params).not.toBeNull();
    trials.push({
      params: params!,
      state: 'complete',
      value: objective(params!)
    });
  }
  return trials;
}

const best = (ts: ITrialRecord[]) =>
  Math.min(...ts.map(t => t.value as number));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

describe('grid', () => {
  const c = config({
    method: 'grid',
    parameters: {
      a: { values: [1, 2] },
      b: { min: 0, max: 0.2, q: 0.1 },
      k: { value: 'x' }
    }
  });

  it('lists every combination, the last param fastest', () => {
    expect(gridPoints(c)).toEqual([
      { a: 1, b: 0, k: 'x' },
      { a: 1, b: 0.1, k: 'x' },
      { a: 1, b: 0.2, k: 'x' },
      { a: 2, b: 0, k: 'x' },
      { a: 2, b: 0.1, k: 'x' },
      { a: 2, b: 0.2, k: 'x' }
    ]);
  });

  it('suggests the first point not taken, whatever state it is in, then null', () => {
    const trials: ITrialRecord[] = [];
    const seen: Params[] = [];
    for (const state of [
      'complete',
      'running',
      'failed',
      'queued',
      'stopped',
      'complete'
    ] as const) {
      const p = suggest(c, { trials })!;
      seen.push(p);
      trials.push({ params: p, state, value: 1 });
    }
    expect(seen).toEqual(gridPoints(c));
    expect(suggest(c, { trials })).toBeNull();
    // A point taken out of order is skipped, not repeated.
    expect(
      suggest(c, {
        trials: [
          { params: { a: 1, b: 0, k: 'x' }, state: 'complete', value: 0 },
          { params: { a: 1, b: 0.1, k: 'x' }, state: 'running' }
        ]
      })
    ).toEqual({ a: 1, b: 0.2, k: 'x' });
  });

  it('stops at the budget', () => {
    const capped = config({ ...c, budget: 4 });
    expect(gridPoints(capped)).toHaveLength(4);
    const trials = gridPoints(capped).map(params => ({
      params,
      state: 'complete' as const,
      value: 0
    }));
    expect(suggest(capped, { trials })).toBeNull();
  });
});

describe('random', () => {
  const c = config({
    method: 'random',
    budget: 200,
    parameters: mixed,
    seed: 7
  });

  it('draws inside the space, the same for the same seed and history', () => {
    const a = run(c, () => 0, 60);
    const b = run(c, () => 0, 60);
    expect(b.map(t => t.params)).toEqual(a.map(t => t.params));
    a.forEach(t => inSpace(t.params));
    const other = run({ ...c, seed: 8 }, () => 0, 5);
    expect(other.map(t => t.params)).not.toEqual(
      a.slice(0, 5).map(t => t.params)
    );
  });

  it('follows each distribution', () => {
    const ts = run({ ...c, budget: 2000 }, () => 0, 2000);
    const col = (k: string) => ts.map(t => t.params[k] as number);
    const logLr = col('lr').map(Math.log10);
    expect(median(logLr)).toBeGreaterThan(-3.3); // log-uniform: median near 1e-3
    expect(median(logLr)).toBeLessThan(-2.7);
    const init = col('init');
    const mean = init.reduce((s, x) => s + x, 0) / init.length;
    const sd = Math.sqrt(
      init.reduce((s, x) => s + (x - mean) ** 2, 0) / init.length
    );
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(sd).toBeGreaterThan(0.09);
    expect(sd).toBeLessThan(0.11);
    // Every choice and every step of a stepped range comes up.
    expect(new Set(col('batch')).size).toBe(8);
    expect(new Set(ts.map(t => JSON.stringify(t.params.opt))).size).toBe(3);
    expect(new Set(col('dropout')).size).toBe(11);
  });

  it('returns null once the budget is spent', () => {
    const small = config({ method: 'random', budget: 3, parameters: mixed });
    const trials = run(small, () => 0, 3);
    expect(suggest(small, { trials })).toBeNull();
  });
});

describe('tpe', () => {
  const quad = { x: { min: -5, max: 10 }, y: { min: 0, max: 15 } };
  // Branin, minimum 0.397887.
  const branin = (p: Params) => {
    const x = p.x as number;
    const y = p.y as number;
    const b = 5.1 / (4 * Math.PI ** 2);
    return (
      (y - b * x * x + (5 / Math.PI) * x - 6) ** 2 +
      10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) +
      10
    );
  };

  it('is the same for the same seed and history, inside the space', () => {
    const c = config({ method: 'tpe', budget: 40, parameters: mixed, seed: 3 });
    const f = (p: Params) =>
      Math.abs(Math.log10(p.lr as number) + 3) + (p.opt === 'sgd' ? 0 : 1);
    const a = run(c, f, 25);
    const b = run(c, f, 25);
    expect(b.map(t => t.params)).toEqual(a.map(t => t.params));
    a.forEach(t => inSpace(t.params));
  });

  it('finds better values than random search (Branin, 40 trials, 15 seeds)', () => {
    const tpe: number[] = [];
    const rnd: number[] = [];
    for (let seed = 0; seed < 15; seed++) {
      tpe.push(
        best(
          run(
            config({ method: 'tpe', budget: 40, parameters: quad, seed }),
            branin,
            40
          )
        )
      );
      rnd.push(
        best(
          run(
            config({ method: 'random', budget: 40, parameters: quad, seed }),
            branin,
            40
          )
        )
      );
    }
    expect(median(tpe)).toBeLessThan(median(rnd));
    expect(median(tpe)).toBeLessThan(1.5);
  });

  it('maximises when the goal says so', () => {
    const c = config({
      method: 'tpe',
      budget: 40,
      parameters: { x: { min: 0, max: 1 } },
      metric: { name: 'acc', goal: 'maximize' }
    });
    const ts = run(c, p => p.x as number, 40);
    const late = ts.slice(20).map(t => t.params.x as number);
    expect(median(late)).toBeGreaterThan(0.75);
  });

  it('keeps parallel suggestions apart: running trials count as the worst', () => {
    const spread = (liar: boolean) => {
      let total = 0;
      for (let seed = 0; seed < 10; seed++) {
        const c = config({
          method: 'tpe',
          budget: 100,
          parameters: { x: { min: 0, max: 10 } },
          seed,
          tpe: { constantLiar: liar }
        });
        const trials = run(c, p => Math.abs((p.x as number) - 3), 20);
        const batch: number[] = [];
        for (let i = 0; i < 8; i++) {
          const p = suggest(c, { trials })!;
          trials.push({ params: p, state: 'running' });
          batch.push(p.x as number);
        }
        const m = batch.reduce((s, x) => s + x, 0) / batch.length;
        total += Math.sqrt(
          batch.reduce((s, x) => s + (x - m) ** 2, 0) / batch.length
        );
      }
      return total / 10;
    };
    expect(spread(true)).toBeGreaterThan(1.3 * spread(false));
  });

  it('starts from past experiments that fit the space (warm start)', () => {
    const c = config({
      method: 'tpe',
      budget: 20,
      parameters: { x: { min: 0, max: 10 }, k: { value: 1 } },
      seed: 1
    });
    const past = Array.from({ length: 30 }, (_, i) => ({
      status: 'finished' as const,
      params: { x: (i * 0.37) % 10, k: 2 },
      metrics: {
        loss: {
          last: Math.abs(((i * 0.37) % 10) - 7),
          min: 0,
          max: 9,
          step: 1,
          count: 2
        }
      },
      notebook: 'a.ipynb',
      project: ''
    }));
    const extra = [
      { ...past[0], status: 'failed' as const },
      { ...past[0], params: { x: 11 } }, // outside the space
      { ...past[0], params: { x: { source: '3 * a' } } },
      { ...past[0], metrics: {} }
    ];
    const warm = warmStartTrials(c, [...past, ...extra]);
    expect(warm).toHaveLength(30);
    expect(warm[0]).toEqual({ params: { x: 0 }, state: 'complete', value: 7 });
    // With 30 past runs, the first trials are TPE's, near x = 7, not random.
    const ts = run(c, p => Math.abs((p.x as number) - 7), 5, warm);
    for (const t of ts) {
      expect(Math.abs((t.params.x as number) - 7)).toBeLessThan(1.5);
    }
    expect(warmStartTrials({ ...c, warmStart: 'none' }, past)).toEqual([]);
    // The objective is the summary the config names.
    const byMin = { ...c, metric: { ...c.metric, summary: 'min' as const } };
    expect(warmStartTrials(byMin, past)[0].value).toBe(0);
    expect(
      objectiveValue(c, {
        loss: { last: null, min: 1, max: 2, step: 3, count: 4 }
      })
    ).toBeNull();
    expect(
      objectiveValue(c, { acc: { last: 1, min: 1, max: 1, step: 0, count: 1 } })
    ).toBeNull();
  });
});

/**
 * TPE against Optuna 3.1: on fixed histories, the split into good and bad
 * trials and the Parzen estimators (weights, centres, bandwidths, log
 * densities) are Optuna's. The reference is a fixture made by
 * optuna_reference.py with Debian's python3-optuna 3.1; when that is
 * installed, the fixture is also made again and must not have changed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TPE,
  parseSweepConfig,
  type ISweepConfig
} from '../../../src/core/sweep/config';
import { searchSpace } from '../../../src/core/sweep/space';
import {
  estimators,
  gamma,
  observationPairs,
  observations,
  splitObservations,
  finishedCount,
  type ITrialRecord
} from '../../../src/core/sweep/tpe';

const HERE = import.meta.dirname;
const FIXTURE = resolve(HERE, 'fixtures/optuna-3.1-tpe.json');
const SCRIPT = resolve(HERE, 'optuna_reference.py');

type Num = number | string; // 'inf', '-inf' in JSON
const num = (x: Num) =>
  typeof x === 'string' ? Number(x.replace('inf', 'Infinity')) : x;

interface IEstimatorRef {
  weights: Num[];
  params: {
    [name: string]:
      | { mus: Num[]; sigmas: Num[]; low: number; high: number }
      | { probs: Num[][] };
  };
  logPdf: Num[];
}

interface ICase {
  name: string;
  goal: 'minimize' | 'maximize';
  options: Record<string, number | boolean>;
  trials: ITrialRecord[];
  space: Record<string, unknown>;
  groups: {
    names: string[];
    nFinished: number;
    nBelow: number;
    below: number[];
    above: number[];
    points: Record<string, (number | string)[]>;
    l: IEstimatorRef;
    g: IEstimatorRef;
  }[];
}

const reference: { optuna: string; cases: ICase[] } = JSON.parse(
  readFileSync(FIXTURE, 'utf8')
);

function configOf(c: ICase): ISweepConfig {
  const r = parseSweepConfig({
    method: 'tpe',
    metric: { name: 'loss', goal: c.goal },
    parameters: c.space,
    budget: 1000,
    tpe: { multivariate: false, ...c.options }
  });
  expect(r.errors).toBeUndefined();
  return r.config!;
}

function close(actual: ArrayLike<number>, expected: Num[], tol: number) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = num(expected[i]);
    const a = actual[i];
    if (!Number.isFinite(e)) {
      expect(a).toBe(e);
    } else {
      expect(Math.abs(a - e), `[${i}] ${a} vs ${e}`).toBeLessThanOrEqual(
        tol * Math.max(1, Math.abs(e))
      );
    }
  }
}

describe('TPE matches Optuna 3.1', () => {
  it('the reference was made by Optuna 3.1', () => {
    expect(reference.optuna).toMatch(/^3\.1\./);
    expect(reference.cases.length).toBeGreaterThanOrEqual(8);
  });

  for (const c of reference.cases) {
    it(`case ${c.name}: split and Parzen estimators`, () => {
      const config = configOf(c);
      // Optuna's defaults: one estimator per param unless the case says.
      const options = { ...DEFAULT_TPE, multivariate: false, ...c.options };
      const space = searchSpace(config);
      const pairs = observationPairs(c.trials, c.goal, options.constantLiar);
      for (const g of c.groups) {
        const n = finishedCount(pairs.scores);
        expect(n).toBe(g.nFinished);
        expect(gamma(n, options)).toBe(g.nBelow);
        const split = splitObservations(pairs.scores, g.nBelow);
        expect(split.below).toEqual(g.below);
        expect(split.above).toEqual(g.above);

        const dims = g.names.map(name =>
          space.dims.find(d => d.name === name)!
        );
        const { below, above } = estimators(
          dims,
          observations(pairs, options),
          options
        );
        const points = dims.map(d =>
          Float64Array.from(g.points[d.name], v => d.toRepr(v))
        );
        for (const [mine, ref] of [
          [below, g.l],
          [above, g.g]
        ] as const) {
          close(mine.weights, ref.weights, 1e-12);
          dims.forEach((d, k) => {
            const part = mine.parts[k];
            const r = ref.params[d.name];
            if ('probs' in r) {
              expect(part.kind).toBe('categorical');
              if (part.kind === 'categorical') {
                r.probs.forEach((row, j) =>
                  close(part.probs[j], row as Num[], 1e-12)
                );
              }
            } else {
              expect(part.kind).toBe('numeric');
              if (part.kind === 'numeric') {
                expect(part.low).toBeCloseTo(r.low, 12);
                expect(part.high).toBeCloseTo(r.high, 12);
                // Equal centres may trade bandwidths (numpy's argsort is not
                // stable): compare the components as a set.
                const triples = (
                  mus: ArrayLike<number>,
                  sigmas: ArrayLike<number>,
                  w: ArrayLike<number>
                ) =>
                  Array.from({ length: mus.length }, (_, i) => [
                    mus[i],
                    sigmas[i],
                    w[i]
                  ]).sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
                const mineT = triples(part.mus, part.sigmas, mine.weights);
                const refT = triples(
                  r.mus.map(num),
                  r.sigmas.map(num),
                  ref.weights.map(num)
                );
                close(
                  mineT.map(t => t[0]),
                  refT.map(t => t[0]),
                  1e-12
                );
                close(
                  mineT.map(t => t[1]),
                  refT.map(t => t[1]),
                  1e-12
                );
                close(
                  mineT.map(t => t[2]),
                  refT.map(t => t[2]),
                  1e-12
                );
              }
            }
          });
          close(mine.logPdf(points), ref.logPdf, 1e-9);
        }
      }
    });
  }
});

const hasOptuna =
  spawnSync('/usr/bin/python3', ['-c', 'import optuna'], { stdio: 'ignore' })
    .status === 0;

describe.skipIf(!hasOptuna)('the Optuna reference', () => {
  it('is what optuna_reference.py prints today', () => {
    const r = spawnSync('/usr/bin/python3', [SCRIPT], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(reference);
  });
});

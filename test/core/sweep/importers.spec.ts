/**
 * Importing W&B sweep configs and Comet optimizer configs: what maps is
 * translated, what does not is named in the source's own terms, and a
 * config that cannot be run as its source means it imports nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  detectSource,
  importCometOptimizer,
  importSweepConfig,
  importWandbSweep
} from '../../../src/core/sweep/importers';

const paths = (xs: { path: string }[] | undefined) =>
  (xs ?? []).map(x => x.path);

describe('W&B sweep configs', () => {
  // The shape of W&B's documented sweep.yaml, as js-yaml or JSON.parse gives it.
  const wandb = {
    program: 'train.py',
    project: 'mnist',
    name: 'lr sweep',
    method: 'bayes',
    metric: { name: 'val_loss', goal: 'minimize', target: 0.1 },
    run_cap: 30,
    early_terminate: { type: 'hyperband', min_iter: 3, eta: 2 },
    parameters: {
      epochs: { value: 10 },
      optimizer: { values: ['adam', 'sgd'], probabilities: [0.7, 0.3] },
      lr: { distribution: 'log_uniform_values', min: 1e-5, max: 0.1 },
      wd: { distribution: 'log_uniform', min: -9.21034, max: -2.302585 },
      batch: { distribution: 'q_log_uniform_values', min: 16, max: 256, q: 16 },
      layers: { min: 1, max: 4 },
      dropout: { min: 0.0, max: 0.5 },
      width: { distribution: 'q_uniform', min: 32, max: 256, q: 32 },
      init: { distribution: 'normal', mu: 0, sigma: 0.02 },
      noise: { distribution: 'q_log_normal', mu: 0, sigma: 1, q: 0.1 }
    }
  };

  it('translates method, metric, parameters, run_cap and hyperband', () => {
    const r = importWandbSweep(wandb);
    expect(r.errors).toBeUndefined();
    const c = r.config!;
    expect(c).toMatchObject({
      name: 'lr sweep',
      method: 'tpe',
      metric: { name: 'val_loss', goal: 'minimize' },
      budget: 30,
      earlyStopping: { type: 'hyperband', minIter: 3, eta: 2, strict: false }
    });
    expect(c.parameters.epochs).toEqual({ value: 10 });
    expect(c.parameters.optimizer).toEqual({ values: ['adam', 'sgd'] });
    expect(c.parameters.lr).toEqual({
      distribution: 'log_uniform',
      min: 1e-5,
      max: 0.1
    });
    // log_uniform's bounds are exponents in W&B.
    const wd = c.parameters.wd as { min: number; max: number };
    expect(wd.min).toBeCloseTo(1e-4, 8);
    expect(wd.max).toBeCloseTo(0.1, 6);
    expect(c.parameters.batch).toEqual({
      distribution: 'log_uniform',
      min: 16,
      max: 256,
      q: 16
    });
    // Integer bounds mean integers, as W&B infers.
    expect(c.parameters.layers).toEqual({
      distribution: 'int_uniform',
      min: 1,
      max: 4
    });
    expect(c.parameters.dropout).toEqual({
      distribution: 'uniform',
      min: 0,
      max: 0.5
    });
    expect(c.parameters.width).toEqual({
      distribution: 'uniform',
      min: 32,
      max: 256,
      q: 32
    });
    expect(c.parameters.init).toEqual({
      distribution: 'normal',
      mu: 0,
      sigma: 0.02
    });
    expect(c.parameters.noise).toEqual({
      distribution: 'log_normal',
      mu: 0,
      sigma: 1,
      q: 0.1
    });
  });

  it('says what it ignored or substituted, by the W&B key', () => {
    const r = importWandbSweep(wandb);
    expect(paths(r.notes)).toEqual([
      'program',
      'project',
      'method',
      'metric.target',
      'parameters.optimizer.probabilities',
      'parameters.wd'
    ]);
    const text = r.notes.map(n => `${n.path}: ${n.message}`).join('\n');
    expect(text).toContain(
      'program: ignored: the notebook is what each trial runs'
    );
    expect(text).toContain(
      'method: W&B\'s "bayes" (a Gaussian process) is run as TPE'
    );
    expect(text).toContain(
      'parameters.wd: log_uniform: min and max are exponents'
    );
  });

  it('refuses what it cannot run, naming the W&B key, and imports nothing', () => {
    const r = importWandbSweep({
      ...wandb,
      method: 'bayes',
      run_cap: undefined,
      early_terminate: { type: 'envelope' },
      parameters: {
        a: { distribution: 'inv_log_uniform_values', min: 1, max: 10 },
        b: { parameters: { c: { value: 1 } } },
        d: { distribution: 'q_uniform', min: 0, max: 1, q: 0.25 }
      }
    });
    expect(r.config).toBeUndefined();
    expect(paths(r.errors)).toEqual([
      'early_terminate.type',
      'parameters.a.distribution',
      'parameters.b.parameters',
      'run_cap'
    ]);
  });

  it("reports the checker's errors under W&B's names", () => {
    const r = importWandbSweep({
      method: 'random',
      metric: { name: 'loss' },
      run_cap: 0,
      early_terminate: { type: 'hyperband', max_iter: 27 },
      parameters: { x: { distribution: 'uniform', min: 2, max: 1 } }
    });
    expect(paths(r.errors)).toEqual([
      'parameters.x.max',
      'run_cap',
      'early_terminate.s'
    ]);
  });

  it('imports a grid of values', () => {
    const r = importWandbSweep({
      method: 'grid',
      metric: { name: 'acc', goal: 'maximize' },
      parameters: { a: { values: [1, 2, 3] }, b: { value: 'x' } }
    });
    expect(r.config).toMatchObject({
      method: 'grid',
      metric: { goal: 'maximize' }
    });
  });
});

describe('Comet optimizer configs', () => {
  const comet = {
    algorithm: 'bayes',
    name: 'Optimize MNIST',
    spec: {
      metric: 'val_loss',
      objective: 'minimize',
      maxCombo: 20,
      seed: 42,
      retryLimit: 3,
      minSampleSize: 100
    },
    parameters: {
      lr: { type: 'float', min: 0.00001, max: 0.1, scalingType: 'loguniform' },
      hidden: { type: 'integer', min: 32, max: 512, scalingType: 'uniform' },
      layers: { type: 'integer', min: 1, max: 8, scalingType: 'loguniform' },
      momentum: { type: 'double', min: 0.5, max: 0.99 },
      init: { type: 'float', scalingType: 'normal', mu: 0, sigma: 0.1 },
      batch: { type: 'discrete', values: [16, 32, 64] },
      act: { type: 'categorical', values: ['relu', 'tanh'] }
    },
    trials: 1
  };

  it('translates algorithm, spec and parameters', () => {
    const r = importCometOptimizer(comet);
    expect(r.errors).toBeUndefined();
    expect(r.config).toMatchObject({
      name: 'Optimize MNIST',
      method: 'tpe',
      metric: { name: 'val_loss', goal: 'minimize' },
      budget: 20,
      seed: 42,
      retries: 3
    });
    expect(r.config!.parameters).toEqual({
      lr: { distribution: 'log_uniform', min: 0.00001, max: 0.1 },
      hidden: { distribution: 'int_uniform', min: 32, max: 512 },
      layers: { distribution: 'int_uniform', min: 1, max: 8, log: true },
      momentum: { distribution: 'uniform', min: 0.5, max: 0.99 },
      init: { distribution: 'normal', mu: 0, sigma: 0.1 },
      batch: { values: [16, 32, 64] },
      act: { values: ['relu', 'tanh'] }
    });
    expect(paths(r.notes)).toEqual(['algorithm', 'spec.minSampleSize']);
  });

  it('bins ranges into spec.gridSize points for a grid', () => {
    const r = importCometOptimizer({
      algorithm: 'grid',
      spec: { metric: 'acc', objective: 'maximize', gridSize: 5 },
      parameters: {
        lr: { type: 'float', min: 0.001, max: 0.1, scalingType: 'loguniform' },
        n: { type: 'integer', min: 1, max: 3 },
        x: { type: 'float', min: 0, max: 1 }
      }
    });
    expect(r.errors).toBeUndefined();
    const p = r.config!.parameters as Record<string, { values: number[] }>;
    expect(p.lr.values.map(v => Number(v.toPrecision(3)))).toEqual([
      0.001, 0.00316, 0.01, 0.0316, 0.1
    ]);
    expect(p.n.values).toEqual([1, 2, 3]);
    expect(p.x.values).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('refuses what it cannot run, naming the Comet key', () => {
    const r = importCometOptimizer({
      algorithm: 'random',
      spec: { metric: 'loss', maxCombo: 0 },
      parameters: {
        a: { type: 'complex' },
        b: { type: 'float', min: 0, max: 1, scalingType: 'exponential' }
      },
      trials: 3
    });
    expect(r.config).toBeUndefined();
    expect(paths(r.errors)).toEqual([
      'parameters.a.type',
      'parameters.b.scalingType',
      'trials',
      'spec.maxCombo'
    ]);
    const bad = importCometOptimizer({
      algorithm: 'hyperopt',
      spec: { metric: 'loss', maxCombo: 3 },
      parameters: { a: { type: 'discrete', values: [1] } }
    });
    expect(paths(bad.errors)).toEqual(['algorithm']);
    const checked = importCometOptimizer({
      algorithm: 'random',
      spec: { metric: 'loss', maxCombo: 5, retryLimit: -1 },
      parameters: { a: { type: 'integer', min: 3, max: 1 } }
    });
    expect(paths(checked.errors)).toEqual([
      'parameters.a.max',
      'spec.retryLimit'
    ]);
  });
});

describe('importSweepConfig', () => {
  it('tells the formats apart', () => {
    expect(detectSource({ algorithm: 'grid', spec: {}, parameters: {} })).toBe(
      'comet'
    );
    expect(detectSource({ method: 'bayes', parameters: {} })).toBe('wandb');
    expect(detectSource({ method: 'random', run_cap: 3, parameters: {} })).toBe(
      'wandb'
    );
    expect(
      detectSource({
        method: 'random',
        parameters: { a: { distribution: 'q_uniform', min: 0, max: 1 } }
      })
    ).toBe('wandb');
    expect(detectSource({ method: 'tpe', budget: 3, parameters: {} })).toBe(
      'labbook'
    );
    expect(
      detectSource({ method: 'random', parameters: { a: { min: 0, max: 1 } } })
    ).toBe('labbook');
  });

  it('imports each, or checks a Labbook config as it is', () => {
    expect(
      importSweepConfig({
        method: 'grid',
        metric: { name: 'm' },
        parameters: { a: { values: [1] } }
      }).config?.method
    ).toBe('grid');
    expect(
      importSweepConfig({
        method: 'bayes',
        run_cap: 2,
        metric: { name: 'm' },
        parameters: { a: { values: [1] } }
      }).config?.method
    ).toBe('tpe');
    expect(
      paths(
        importSweepConfig({
          method: 'tpe',
          metric: { name: 'm' },
          parameters: { a: { values: [1] } }
        }).errors
      )
    ).toEqual(['budget']);
    // A forced source wins over detection.
    expect(
      paths(
        importSweepConfig(
          {
            method: 'tpe',
            budget: 1,
            metric: { name: 'm' },
            parameters: { a: { values: [1] } }
          },
          'wandb'
        ).errors
      )
    ).toEqual(['method']);
  });
});

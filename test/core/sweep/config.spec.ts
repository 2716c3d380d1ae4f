/**
 * Sweep configs: what a user writes is checked field by field, each problem
 * named by its path, and the documented JSON Schema agrees with the checker.
 */
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatConfigErrors,
  gridValues,
  parseSweepConfig,
  tpeOptions,
  type ISweepConfigError
} from '../../../src/core/sweep/config';

const SCHEMA = JSON.parse(
  readFileSync(
    resolve(
      import.meta.dirname,
      '../../../docs/store-schemas/labbook-sweep-config.schema.json'
    ),
    'utf8'
  )
);
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(SCHEMA);

const base = {
  method: 'random',
  metric: { name: 'val_loss', goal: 'minimize' },
  parameters: {
    lr: { distribution: 'log_uniform', min: 1e-5, max: 1e-1 },
    layers: { values: [1, 2, 3] },
    batch: { distribution: 'int_uniform', min: 16, max: 128, q: 16 },
    dropout: { min: 0, max: 0.5 },
    init: { distribution: 'normal', mu: 0, sigma: 0.1 },
    optimizer: { value: 'adam' }
  },
  budget: 20
};

function paths(errors: ISweepConfigError[] | undefined): string[] {
  return (errors ?? []).map(e => e.path);
}

describe('parseSweepConfig', () => {
  it('accepts a config and fills in the defaults', () => {
    const r = parseSweepConfig(base);
    expect(r.errors).toBeUndefined();
    expect(r.config).toMatchObject({
      format: 'labbook-sweep-config',
      version: 1,
      method: 'random',
      metric: { name: 'val_loss', goal: 'minimize', summary: 'last' },
      budget: 20,
      concurrency: 1,
      seed: 0,
      retries: 0,
      warmStart: 'notebook'
    });
    expect(r.config!.parameters.dropout).toEqual({
      distribution: 'uniform',
      min: 0,
      max: 0.5
    });
    // The filled-in config is itself valid against the schema (it is what is stored).
    expect(validate(r.config)).toBe(true);
  });

  it('names the field of each problem, all at once', () => {
    const r = parseSweepConfig({
      method: 'bayes',
      metric: { name: 'loss', goal: 'lower' },
      parameters: {
        lr: { distribution: 'log_uniform', min: 0, max: 1 },
        width: { distribution: 'uniform', min: 5, max: 1 },
        n: { distribution: 'int_uniform', min: 1.5, max: 4 },
        act: { values: [] },
        extra: { distribution: 'beta', min: 0, max: 1 }
      },
      concurrency: 0,
      earlyStopping: { type: 'hyperband', eta: 1 }
    });
    expect(r.config).toBeUndefined();
    expect(paths(r.errors)).toEqual([
      'method',
      'metric.goal',
      'parameters.lr.min',
      'parameters.width.max',
      'parameters.n.min',
      'parameters.act.values',
      'parameters.extra.distribution',
      'concurrency',
      'earlyStopping.eta',
      'earlyStopping.minIter'
    ]);
    const text = formatConfigErrors(r.errors!);
    expect(text).toContain(
      'method: "bayes" is not a method: use one of grid, random, tpe'
    );
    expect(text).toContain(
      'parameters.lr.min: must be greater than 0 for log_uniform'
    );
    expect(text).toContain(
      'parameters.width.max: must be greater than min (5)'
    );
  });

  it('refuses unknown keys, naming them', () => {
    const r = parseSweepConfig({
      ...base,
      run_cap: 10,
      parameters: { lr: { min: 0, max: 1, scale: 'log' } }
    });
    expect(paths(r.errors)).toEqual(['run_cap', 'parameters.lr.scale']);
    expect(r.errors![0].message).toMatch(/not a known key/);
  });

  it('requires a budget for random and TPE, not for a grid', () => {
    const { budget: _, ...noBudget } = base;
    expect(paths(parseSweepConfig(noBudget).errors)).toEqual(['budget']);
    expect(
      paths(parseSweepConfig({ ...noBudget, method: 'tpe' }).errors)
    ).toEqual(['budget']);
    const grid = parseSweepConfig({
      method: 'grid',
      metric: { name: 'acc', goal: 'maximize' },
      parameters: { a: { values: [1, 2] }, b: { min: 0, max: 1, q: 0.25 } }
    });
    expect(grid.errors).toBeUndefined();
    expect(grid.config!.budget).toBeUndefined();
  });

  it('refuses a grid over a continuous range, naming the param', () => {
    const r = parseSweepConfig({ ...base, method: 'grid' });
    expect(paths(r.errors)).toEqual([
      'parameters.lr',
      'parameters.dropout',
      'parameters.init'
    ]);
    expect(r.errors![0].message).toMatch(
      /a grid needs values, or a range with a step/
    );
  });

  it('refuses a grid too large to queue', () => {
    const r = parseSweepConfig({
      method: 'grid',
      metric: { name: 'acc' },
      parameters: {
        a: { distribution: 'int_uniform', min: 0, max: 999 },
        b: { distribution: 'int_uniform', min: 0, max: 999 }
      }
    });
    expect(paths(r.errors)).toEqual(['parameters']);
    expect(r.errors![0].message).toContain('1,000,000 combinations');
  });

  it('quotes param names that are not identifiers in paths', () => {
    const r = parseSweepConfig({
      ...base,
      parameters: { 'model.lr': { value: 1 } }
    });
    expect(paths(r.errors)).toEqual(['parameters["model.lr"]']);
  });

  it('names a list item by index', () => {
    const r = parseSweepConfig({
      ...base,
      parameters: { a: { values: [1, 2, 1] } }
    });
    expect(paths(r.errors)).toEqual(['parameters.a.values[2]']);
    expect(r.errors![0].message).toBe('1 is listed twice');
  });

  it('says what is wrong with something that is not a config', () => {
    for (const v of [null, 3, 'grid', [base]]) {
      expect(parseSweepConfig(v).errors).toEqual([
        { path: '', message: 'a sweep config must be a JSON object' }
      ]);
    }
    expect(paths(parseSweepConfig({}).errors)).toEqual([
      'method',
      'metric',
      'parameters'
    ]);
  });

  it('reads early stopping and TPE options with their defaults', () => {
    const r = parseSweepConfig({
      ...base,
      method: 'tpe',
      earlyStopping: { type: 'hyperband', minIter: 3 },
      tpe: { nStartupTrials: 5, considerEndpoints: true }
    });
    expect(r.errors).toBeUndefined();
    expect(r.config!.earlyStopping).toEqual({
      type: 'hyperband',
      minIter: 3,
      eta: 3,
      strict: false
    });
    expect(tpeOptions(r.config!)).toMatchObject({
      nStartupTrials: 5,
      nEiCandidates: 24,
      considerEndpoints: true,
      considerMagicClip: true,
      priorWeight: 1
    });
    const m = parseSweepConfig({ ...base, earlyStopping: { type: 'median' } });
    expect(m.config!.earlyStopping).toEqual({
      type: 'median',
      minTrials: 5,
      warmupSteps: 0
    });
    const h = parseSweepConfig({
      ...base,
      earlyStopping: { type: 'hyperband', maxIter: 27, s: 3 }
    });
    expect(h.config!.earlyStopping).toEqual({
      type: 'hyperband',
      maxIter: 27,
      s: 3,
      eta: 3,
      strict: false
    });
    expect(
      paths(parseSweepConfig({ ...base, tpe: { nEiCandidates: 0 } }).errors)
    ).toEqual(['tpe.nEiCandidates']);
  });
});

describe('gridValues', () => {
  it('enumerates a stepped range without float noise', () => {
    expect(
      gridValues({ distribution: 'uniform', min: 0, max: 1, q: 0.1 })
    ).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(
      gridValues({ distribution: 'int_uniform', min: 16, max: 128, q: 16 })
    ).toEqual([16, 32, 48, 64, 80, 96, 112, 128]);
    expect(gridValues({ distribution: 'int_uniform', min: 1, max: 3 })).toEqual(
      [1, 2, 3]
    );
    expect(gridValues({ values: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(gridValues({ value: 7 })).toEqual([7]);
    expect(gridValues({ distribution: 'uniform', min: 0, max: 1 })).toBeNull();
    expect(gridValues({ distribution: 'normal', mu: 0, sigma: 1 })).toBeNull();
  });
});

describe('the JSON Schema agrees with the checker', () => {
  // Configs both must accept, and configs both must refuse. Bound checks the
  // schema cannot express (min < max, log bounds > 0) are the checker's alone.
  const good: unknown[] = [
    base,
    { ...base, method: 'grid', parameters: { a: { values: [1, 'x', null] } } },
    { ...base, method: 'tpe', tpe: { multivariate: true }, seed: 3 },
    {
      ...base,
      earlyStopping: { type: 'median', minTrials: 3, warmupSteps: 2 }
    },
    { ...base, earlyStopping: null },
    {
      ...base,
      parameters: {
        a: { distribution: 'int_uniform', min: 1, max: 1024, log: true },
        b: { distribution: 'log_normal', mu: 0, sigma: 1, q: 1 },
        c: { distribution: 'categorical', values: [[1, 2], { k: 1 }] }
      }
    }
  ];
  const bad: unknown[] = [
    { ...base, method: 'bayes' },
    { ...base, budget: 0 },
    { ...base, budget: 2.5 },
    { ...base, concurrency: -1 },
    { ...base, extra: 1 },
    { ...base, metric: { goal: 'minimize' } },
    { ...base, metric: { name: 'x', goal: 'up' } },
    { ...base, parameters: {} },
    { ...base, parameters: { '1x': { value: 1 } } },
    { ...base, parameters: { a: { values: [] } } },
    { ...base, parameters: { a: { values: [1, 1] } } },
    {
      ...base,
      parameters: { a: { distribution: 'int_uniform', min: 0.5, max: 3 } }
    },
    { ...base, parameters: { a: { distribution: 'uniform', min: 0 } } },
    { ...base, parameters: { a: { distribution: 'normal', sigma: 0 } } },
    { ...base, parameters: { a: { distribution: 'gamma' } } },
    { ...base, parameters: { a: {} } },
    { ...base, earlyStopping: { type: 'hyperband' } },
    { ...base, earlyStopping: { type: 'asha', minIter: 1 } },
    { ...base, tpe: { gamma: 0.25 } },
    { method: 'tpe', metric: { name: 'x' }, parameters: { a: { value: 1 } } }
  ];
  it.each(good.map((c, i) => [i, c]))('accepts good config %i', (_, c) => {
    expect(parseSweepConfig(c).errors).toBeUndefined();
    expect(validate(c), JSON.stringify(validate.errors)).toBe(true);
  });
  it.each(bad.map((c, i) => [i, c]))('refuses bad config %i', (_, c) => {
    expect(parseSweepConfig(c).errors?.length).toBeGreaterThan(0);
    expect(validate(c)).toBe(false);
  });
});

describe('docs/store-format.md', () => {
  it('shows a config that is valid, by the checker and the schema', () => {
    const doc = readFileSync(
      resolve(import.meta.dirname, '../../../docs/store-format.md'),
      'utf8'
    );
    const section = doc.slice(doc.indexOf('### Sweep configs'));
    const json = section.slice(
      section.indexOf('```json') + 7,
      section.indexOf('```', section.indexOf('```json') + 7)
    );
    const example = JSON.parse(json);
    expect(parseSweepConfig(example).errors).toBeUndefined();
    expect(validate(example)).toBe(true);
  });
});

/**
 * Sweep configs (`labbook-sweep-config`): what a hyperparameter search
 * tries, what it optimises and how many trials it runs. One config is what
 * the sweep dialog, `labbook.sweep({...})` in a cell and a JSON/YAML file
 * all produce; the W&B and Comet importers (`./importers`) translate into it.
 *
 * API, for the runner and the UI:
 * - `parseSweepConfig(value)` checks a parsed JSON value and returns either
 *   `{ config }` (defaults filled in) or `{ errors }`, each error naming the
 *   field by its dotted path (`parameters.lr.min`). On errors nothing may be
 *   queued: there is no partial config.
 * - `ISweepConfig` / `ISweepParam` are the checked shapes; samplers
 *   (`./samplers`) read them.
 *
 * The JSON Schema `docs/store-schemas/labbook-sweep-config.schema.json`
 * describes the same shape (a unit test keeps the two in step); this file
 * does not use it at run time, so the core stays free of a validator
 * dependency and its messages stay readable.
 *
 * Parameters:
 * - `{ value: v }` a constant, passed to every trial;
 * - `{ values: [...] }` a categorical choice (grid: each value in order);
 * - `{ distribution, ... }` a range or distribution:
 *   - `uniform` / `log_uniform` over `[min, max]` (log: `min > 0`; the
 *     bounds are values, not exponents);
 *   - `int_uniform` over the integers `min..max` (with `log: true`,
 *     log-spaced);
 *   - `normal` / `log_normal` with `mu`, `sigma` (log_normal: `exp` of a
 *     normal);
 *   - `q` on any numeric distribution rounds to multiples of `q` (from
 *     `min` for ranges), the q-steps of W&B and hyperopt; `int_uniform`'s
 *     step defaults to 1. A grid enumerates a range with a step.
 *   `min`/`max` without `distribution` mean `uniform`.
 */
import type { ParamValue } from '../model';

export const SWEEP_CONFIG_FORMAT = 'labbook-sweep-config';
export const SWEEP_CONFIG_VERSION = 1;

export type SweepMethod = 'grid' | 'random' | 'tpe';
export const SWEEP_METHODS: readonly SweepMethod[] = ['grid', 'random', 'tpe'];

export type Distribution =
  'uniform' | 'log_uniform' | 'int_uniform' | 'normal' | 'log_normal';
export const DISTRIBUTIONS: readonly Distribution[] = [
  'uniform',
  'log_uniform',
  'int_uniform',
  'normal',
  'log_normal'
];

/** A constant passed to every trial. */
export interface IConstantParam {
  value: ParamValue;
}

/** A choice among values (grid: each in order; TPE: categorical). */
export interface ICategoricalParam {
  values: ParamValue[];
}

/** A numeric range: uniform, log-uniform or integers. */
export interface IRangeParam {
  distribution: 'uniform' | 'log_uniform' | 'int_uniform';
  min: number;
  max: number;
  /** Step: values are `min + k*q` (rounded, then kept in `[min, max]`). */
  q?: number;
  /** `int_uniform` only: log-spaced integers (`min >= 1`). */
  log?: boolean;
}

/** A normal (or log-normal) prior, unbounded. */
export interface INormalParam {
  distribution: 'normal' | 'log_normal';
  mu: number;
  sigma: number;
  /** Values are rounded to multiples of `q`. */
  q?: number;
}

export type ISweepParam =
  IConstantParam | ICategoricalParam | IRangeParam | INormalParam;

export type Goal = 'minimize' | 'maximize';

/** The metric a sweep optimises. */
export interface ISweepMetric {
  /** A metric name the notebook logs (`labbook.log({name: ...})`). */
  name: string;
  goal: Goal;
  /**
   * Which of its values is the trial's objective: the last logged (the
   * default, W&B's summary), or the smallest / largest.
   */
  summary: 'last' | 'min' | 'max';
}

/** Optuna's TPESampler options, with Optuna 3.1's defaults but `multivariate`. */
export interface ITPEOptions {
  /** Random trials before TPE starts (10). */
  nStartupTrials: number;
  /** Candidates drawn from l(x) per suggestion (24). */
  nEiCandidates: number;
  /** Weight of the prior in each Parzen estimator (1). */
  priorWeight: number;
  /** Bandwidths at least (high-low)/min(100, 1+n) (true). */
  considerMagicClip: boolean;
  /** Bandwidths of the end points reach the bounds (false). */
  considerEndpoints: boolean;
  /** Count running trials as the worst value, so parallel trials differ (true). */
  constantLiar: boolean;
  /**
   * How many of the n finished trials are taken as good:
   * `min(ceil(gammaFactor * n), gammaMax)` (Optuna's default_gamma: 0.1, 25).
   */
  gammaFactor: number;
  gammaMax: number;
  /**
   * Optuna's `multivariate`: one joint estimator over all params (true),
   * or one per param (false, Optuna's default). True here: in 50-trial
   * searches it finds better values on Hartmann-6 and a noisy quadratic,
   * a little worse on Branin (`npm run bench -- tpe`, docs/search.md).
   */
  multivariate: boolean;
}

export const DEFAULT_TPE: Readonly<ITPEOptions> = {
  nStartupTrials: 10,
  nEiCandidates: 24,
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  constantLiar: true,
  gammaFactor: 0.1,
  gammaMax: 25,
  multivariate: true
};

/**
 * Hyperband early stopping as W&B's `early_terminate: {type: hyperband}`
 * means it (see `./earlystop`): brackets at `minIter * eta^k` logged values
 * of the metric (or `maxIter / eta^k`, k = 1..s); a trial whose value at
 * the last bracket it reached is worse than the `1/eta` quantile of every
 * trial's value there is stopped.
 */
export interface IHyperbandStopping {
  type: 'hyperband';
  /** First bracket, in logged values of the metric. */
  minIter?: number;
  /** Instead of `minIter`: the brackets are `maxIter / eta^k`, k = 1..s. */
  maxIter?: number;
  s?: number;
  /** Bracket multiplier (3). */
  eta: number;
  /** Check every bracket a trial reached, not only the last. */
  strict: boolean;
}

/**
 * Median stopping (Optuna's MedianPruner): once `minTrials` trials have
 * completed, a trial at step >= `warmupSteps` whose best value so far is
 * worse than the median of the completed trials' values at that step is
 * stopped.
 */
export interface IMedianStopping {
  type: 'median';
  /** Completed trials needed before any trial is stopped (5). */
  minTrials: number;
  /** Steps (the metric's `step`) before a trial can be stopped (0). */
  warmupSteps: number;
}

export type EarlyStopping = IHyperbandStopping | IMedianStopping;

export interface ISweepConfig {
  format: typeof SWEEP_CONFIG_FORMAT;
  version: number;
  name?: string;
  method: SweepMethod;
  metric: ISweepMetric;
  parameters: { [name: string]: ISweepParam };
  /**
   * Most trials to run. Required for random and TPE; a grid runs every
   * combination, or the first `budget` of them.
   */
  budget?: number;
  /** Trials run at once (1). */
  concurrency: number;
  /** Seed of every random choice (0): same seed and history, same trials. */
  seed: number;
  /** How often a failed trial is run again (0). */
  retries: number;
  earlyStopping?: EarlyStopping;
  /** TPE only; every field defaults to Optuna 3.1's. */
  tpe?: Partial<ITPEOptions>;
  /**
   * Which past experiments seed TPE: those of the same notebook (the
   * default), of the same project, or none.
   */
  warmStart: 'notebook' | 'project' | 'none';
}

/** A problem with a config, at a field. */
export interface ISweepConfigError {
  /** Dotted path of the field, e.g. `parameters.lr.min`; '' for the whole config. */
  path: string;
  message: string;
}

export type ParseResult =
  | { config: ISweepConfig; errors?: undefined }
  | { config?: undefined; errors: ISweepConfigError[] };

/** Joins a path and a key; keys that are not identifiers are quoted. */
export function fieldPath(base: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${base}[${key}]`;
  }
  const part = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
    ? key
    : `[${JSON.stringify(key)}]`;
  return base === '' || part.startsWith('[') ? base + part : `${base}.${part}`;
}

/** Formats errors one a line, e.g. for a dialog or an exception. */
export function formatConfigErrors(errors: ISweepConfigError[]): string {
  return errors
    .map(e => (e.path ? `${e.path}: ${e.message}` : e.message))
    .join('\n');
}

const TOP_KEYS = [
  'format',
  'version',
  'name',
  'method',
  'metric',
  'parameters',
  'budget',
  'concurrency',
  'seed',
  'retries',
  'earlyStopping',
  'tpe',
  'warmStart'
];

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Most combinations a grid may have: beyond, the config is refused. */
export const MAX_GRID = 100_000;

/**
 * Checks a parsed config and fills in its defaults. Never throws on bad
 * input; every problem found is listed (not only the first).
 */
export function parseSweepConfig(value: unknown): ParseResult {
  const errors: ISweepConfigError[] = [];
  const err = collector(errors);
  if (!isObject(value)) {
    return {
      errors: [{ path: '', message: 'a sweep config must be a JSON object' }]
    };
  }
  unknownKeys(value, TOP_KEYS, '', err);

  if (value.format !== undefined && value.format !== SWEEP_CONFIG_FORMAT) {
    err('format', `must be "${SWEEP_CONFIG_FORMAT}"`);
  }
  const version =
    value.version === undefined ? SWEEP_CONFIG_VERSION : value.version;
  if (version !== SWEEP_CONFIG_VERSION) {
    err(
      'version',
      `version ${JSON.stringify(version)} is not supported (this Labbook reads version ${SWEEP_CONFIG_VERSION})`
    );
  }
  if (value.name !== undefined && typeof value.name !== 'string') {
    err('name', 'must be a string');
  }

  const method = value.method;
  if (method === undefined) {
    err('method', `is required: one of ${SWEEP_METHODS.join(', ')}`);
  } else if (!SWEEP_METHODS.includes(method as SweepMethod)) {
    err(
      'method',
      `${JSON.stringify(method)} is not a method: use one of ${SWEEP_METHODS.join(', ')}`
    );
  }

  const metric = parseMetric(value.metric, err);
  const parameters = parseParameters(value.parameters, err);

  const budget = optionalInt(value.budget, 'budget', 1, err);
  if (
    budget === undefined &&
    value.budget === undefined &&
    (method === 'random' || method === 'tpe')
  ) {
    err('budget', `is required for method ${method}: the number of trials`);
  }
  const concurrency =
    optionalInt(value.concurrency, 'concurrency', 1, err) ?? 1;
  const seed = optionalInt(value.seed, 'seed', 0, err) ?? 0;
  const retries = optionalInt(value.retries, 'retries', 0, err) ?? 0;
  const earlyStopping = parseEarlyStopping(value.earlyStopping, err);
  const tpe = parseTPE(value.tpe, err);
  let warmStart: ISweepConfig['warmStart'] = 'notebook';
  if (value.warmStart !== undefined) {
    if (['notebook', 'project', 'none'].includes(value.warmStart as string)) {
      warmStart = value.warmStart as ISweepConfig['warmStart'];
    } else {
      err('warmStart', 'must be "notebook", "project" or "none"');
    }
  }

  if (method === 'grid' && parameters) {
    let combos = 1;
    for (const [name, p] of Object.entries(parameters)) {
      const n = gridSize(p);
      if (n === null) {
        err(
          fieldPath('parameters', name),
          'a grid needs values, or a range with a step (q): a continuous distribution has no grid'
        );
      } else {
        combos *= n;
      }
    }
    if (combos > MAX_GRID) {
      err(
        'parameters',
        `the grid has ${combos.toLocaleString('en-US')} combinations, more than ${MAX_GRID.toLocaleString('en-US')}: use random or tpe, or fewer values`
      );
    }
  }

  if (errors.length > 0 || !metric || !parameters) {
    return { errors };
  }
  const config: ISweepConfig = {
    format: SWEEP_CONFIG_FORMAT,
    version: SWEEP_CONFIG_VERSION,
    method: method as SweepMethod,
    metric,
    parameters,
    concurrency,
    seed,
    retries,
    warmStart
  };
  if (typeof value.name === 'string') {
    config.name = value.name;
  }
  if (budget !== undefined) {
    config.budget = budget;
  }
  if (earlyStopping) {
    config.earlyStopping = earlyStopping;
  }
  if (tpe) {
    config.tpe = tpe;
  }
  return { config };
}

/** The TPE options of a config, Optuna's defaults filled in. */
export function tpeOptions(config: ISweepConfig): ITPEOptions {
  return { ...DEFAULT_TPE, ...(config.tpe ?? {}) };
}

/** The values a grid takes for one param, in order; null when continuous. */
export function gridValues(p: ISweepParam): ParamValue[] | null {
  if ('value' in p) {
    return [p.value];
  }
  if ('values' in p) {
    return p.values;
  }
  const steps = gridSteps(p);
  if (steps === null) {
    return null;
  }
  // Log-spaced integers have no even grid either: every integer is a value.
  const out: number[] = [];
  for (let k = 0; k < steps.count; k++) {
    out.push(stepValue(steps.min, steps.step, k));
  }
  return out;
}

function gridSize(p: ISweepParam): number | null {
  if ('value' in p) {
    return 1;
  }
  if ('values' in p) {
    return p.values.length;
  }
  return gridSteps(p)?.count ?? null;
}

function gridSteps(
  p: IRangeParam | INormalParam
): { min: number; step: number; count: number } | null {
  if (!('min' in p)) {
    return null;
  }
  const step = p.q ?? (p.distribution === 'int_uniform' ? 1 : undefined);
  if (step === undefined) {
    return null;
  }
  return {
    min: p.min,
    step,
    count: Math.floor((p.max - p.min) / step + 1e-9) + 1
  };
}

/**
 * `from + k * step`, rounded to the decimals of `from` and `step`, so a
 * grid of 0.1 steps reads 0.3, not 0.30000000000000004.
 */
export function stepValue(from: number, step: number, k: number): number {
  const digits = Math.min(100, Math.max(decimalsOf(from), decimalsOf(step)));
  return Number((from + k * step).toFixed(digits));
}

/** Digits after the decimal point in the shortest form of `x`. */
function decimalsOf(x: number): number {
  const [mantissa, exponent] = x.toExponential().split('e');
  const fraction = (mantissa.split('.')[1] ?? '').length;
  return Math.max(0, fraction - Number(exponent));
}

function parseMetric(v: unknown, err: Err): ISweepMetric | null {
  if (v === undefined) {
    err(
      'metric',
      'is required: {"name": ..., "goal": "minimize" | "maximize"}'
    );
    return null;
  }
  if (!isObject(v)) {
    err('metric', 'must be an object {"name": ..., "goal": ...}');
    return null;
  }
  unknownKeys(v, ['name', 'goal', 'summary'], 'metric', err);
  let ok = true;
  if (typeof v.name !== 'string' || v.name.trim() === '') {
    err('metric.name', 'must be the name of a logged metric');
    ok = false;
  }
  const goal = v.goal ?? 'minimize';
  if (goal !== 'minimize' && goal !== 'maximize') {
    err('metric.goal', 'must be "minimize" or "maximize"');
    ok = false;
  }
  const summary = v.summary ?? 'last';
  if (summary !== 'last' && summary !== 'min' && summary !== 'max') {
    err('metric.summary', 'must be "last", "min" or "max"');
    ok = false;
  }
  return ok
    ? {
        name: v.name as string,
        goal: goal as Goal,
        summary: summary as ISweepMetric['summary']
      }
    : null;
}

function parseParameters(
  v: unknown,
  err: Err
): { [name: string]: ISweepParam } | null {
  if (v === undefined) {
    err('parameters', 'is required: an object of parameters by name');
    return null;
  }
  if (!isObject(v)) {
    err('parameters', 'must be an object of parameters by name');
    return null;
  }
  const names = Object.keys(v);
  if (names.length === 0) {
    err('parameters', 'must name at least one parameter');
    return null;
  }
  const out: { [name: string]: ISweepParam } = {};
  let ok = true;
  for (const name of names) {
    const path = fieldPath('parameters', name);
    if (!PARAM_NAME.test(name)) {
      err(path, 'a parameter name must be a Python identifier');
      ok = false;
      continue;
    }
    const p = parseParam(v[name], path, err);
    if (p) {
      out[name] = p;
    } else {
      ok = false;
    }
  }
  return ok ? out : null;
}

function parseParam(v: unknown, path: string, err: Err): ISweepParam | null {
  if (!isObject(v)) {
    err(
      path,
      'must be an object: {"value": v}, {"values": [...]}, or {"distribution": ..., ...}'
    );
    return null;
  }
  const before = countErrors(err);
  if ('value' in v) {
    unknownKeys(v, ['value'], path, err);
    if (!isParamValue(v.value)) {
      err(fieldPath(path, 'value'), 'must be a JSON value');
    }
    return countErrors(err) === before
      ? { value: v.value as ParamValue }
      : null;
  }
  if ('values' in v) {
    unknownKeys(v, ['values', 'distribution'], path, err);
    if (v.distribution !== undefined && v.distribution !== 'categorical') {
      err(
        fieldPath(path, 'distribution'),
        'with values, the distribution can only be "categorical"'
      );
    }
    if (!Array.isArray(v.values) || v.values.length === 0) {
      err(fieldPath(path, 'values'), 'must be a non-empty list');
    } else {
      v.values.forEach((x, i) => {
        if (!isParamValue(x)) {
          err(fieldPath(fieldPath(path, 'values'), i), 'must be a JSON value');
        }
      });
      const seen = new Set<string>();
      v.values.forEach((x, i) => {
        const key = JSON.stringify(x);
        if (seen.has(key)) {
          err(
            fieldPath(fieldPath(path, 'values'), i),
            `${key} is listed twice`
          );
        }
        seen.add(key);
      });
    }
    return countErrors(err) === before
      ? { values: v.values as ParamValue[] }
      : null;
  }
  const dist =
    v.distribution ?? ('min' in v || 'max' in v ? 'uniform' : undefined);
  if (dist === undefined) {
    err(
      path,
      'needs "value", "values", or a "distribution" (or "min" and "max" for a uniform range)'
    );
    return null;
  }
  if (dist === 'categorical') {
    err(fieldPath(path, 'values'), 'a categorical parameter needs values');
    return null;
  }
  if (!DISTRIBUTIONS.includes(dist as Distribution)) {
    err(
      fieldPath(path, 'distribution'),
      `${JSON.stringify(dist)} is not a distribution: use one of ${[...DISTRIBUTIONS, 'categorical'].join(', ')}`
    );
    return null;
  }
  const num = (key: string, required: boolean): number | undefined => {
    const x = v[key];
    if (x === undefined) {
      if (required) {
        err(fieldPath(path, key), `is required for ${dist}`);
      }
      return undefined;
    }
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      err(fieldPath(path, key), 'must be a finite number');
      return undefined;
    }
    return x;
  };
  if (dist === 'normal' || dist === 'log_normal') {
    unknownKeys(v, ['distribution', 'mu', 'sigma', 'q'], path, err);
    const mu = num('mu', false) ?? 0;
    const sigma = num('sigma', false) ?? 1;
    if (!(sigma > 0)) {
      err(fieldPath(path, 'sigma'), 'must be greater than 0');
    }
    const q = num('q', false);
    if (q !== undefined && !(q > 0)) {
      err(fieldPath(path, 'q'), 'must be greater than 0');
    }
    if (countErrors(err) !== before) {
      return null;
    }
    const out: INormalParam = { distribution: dist, mu, sigma };
    if (q !== undefined) {
      out.q = q;
    }
    return out;
  }
  unknownKeys(
    v,
    dist === 'int_uniform'
      ? ['distribution', 'min', 'max', 'q', 'log']
      : ['distribution', 'min', 'max', 'q'],
    path,
    err
  );
  const min = num('min', true);
  const max = num('max', true);
  const q = num('q', false);
  if (min !== undefined && max !== undefined && !(min < max)) {
    err(fieldPath(path, 'max'), `must be greater than min (${min})`);
  }
  if (dist === 'log_uniform' && min !== undefined && !(min > 0)) {
    err(
      fieldPath(path, 'min'),
      'must be greater than 0 for log_uniform (the bounds are values, not exponents)'
    );
  }
  if (q !== undefined && !(q > 0)) {
    err(fieldPath(path, 'q'), 'must be greater than 0');
  }
  if (dist === 'int_uniform') {
    for (const [key, x] of [
      ['min', min],
      ['max', max],
      ['q', q]
    ] as const) {
      if (x !== undefined && !Number.isInteger(x)) {
        err(fieldPath(path, key), 'must be an integer for int_uniform');
      }
    }
    if (v.log !== undefined && typeof v.log !== 'boolean') {
      err(fieldPath(path, 'log'), 'must be true or false');
    }
    if (v.log === true) {
      if (min !== undefined && !(min >= 1)) {
        err(
          fieldPath(path, 'min'),
          'must be at least 1 for log-spaced integers'
        );
      }
      if (q !== undefined && q !== 1) {
        err(
          fieldPath(path, 'q'),
          'log-spaced integers take no step other than 1'
        );
      }
    }
  }
  if (
    q !== undefined &&
    min !== undefined &&
    max !== undefined &&
    q > max - min &&
    min < max
  ) {
    err(fieldPath(path, 'q'), `is larger than the range (${max - min})`);
  }
  if (countErrors(err) !== before) {
    return null;
  }
  const out: IRangeParam = {
    distribution: dist as IRangeParam['distribution'],
    min: min!,
    max: max!
  };
  if (q !== undefined) {
    out.q = q;
  }
  if (dist === 'int_uniform' && v.log === true) {
    out.log = true;
  }
  return out;
}

function parseEarlyStopping(v: unknown, err: Err): EarlyStopping | undefined {
  if (v === undefined || v === null) {
    return undefined;
  }
  const path = 'earlyStopping';
  if (!isObject(v)) {
    err(path, 'must be an object {"type": "hyperband" | "median", ...}');
    return undefined;
  }
  const before = countErrors(err);
  if (v.type === 'hyperband') {
    unknownKeys(
      v,
      ['type', 'minIter', 'maxIter', 's', 'eta', 'strict'],
      path,
      err
    );
    const eta = optionalNumber(v.eta, `${path}.eta`, err) ?? 3;
    if (!(eta > 1)) {
      err(`${path}.eta`, 'must be greater than 1');
    }
    const minIter = optionalInt(v.minIter, `${path}.minIter`, 1, err);
    const maxIter = optionalInt(v.maxIter, `${path}.maxIter`, 1, err);
    const s = optionalInt(v.s, `${path}.s`, 1, err);
    if (v.minIter === undefined && v.maxIter === undefined) {
      err(`${path}.minIter`, 'is required (or maxIter with s)');
    }
    if (
      v.minIter === undefined &&
      v.maxIter !== undefined &&
      v.s === undefined
    ) {
      err(`${path}.s`, 'is required with maxIter: the number of brackets');
    }
    if (v.strict !== undefined && typeof v.strict !== 'boolean') {
      err(`${path}.strict`, 'must be true or false');
    }
    if (countErrors(err) !== before) {
      return undefined;
    }
    const out: IHyperbandStopping = {
      type: 'hyperband',
      eta,
      strict: v.strict === true
    };
    if (minIter !== undefined) {
      out.minIter = minIter;
    }
    if (maxIter !== undefined) {
      out.maxIter = maxIter;
    }
    if (s !== undefined) {
      out.s = s;
    }
    return out;
  }
  if (v.type === 'median') {
    unknownKeys(v, ['type', 'minTrials', 'warmupSteps'], path, err);
    const minTrials =
      optionalInt(v.minTrials, `${path}.minTrials`, 1, err) ?? 5;
    const warmupSteps =
      optionalInt(v.warmupSteps, `${path}.warmupSteps`, 0, err) ?? 0;
    return countErrors(err) === before
      ? { type: 'median', minTrials, warmupSteps }
      : undefined;
  }
  err(`${path}.type`, 'must be "hyperband" or "median"');
  return undefined;
}

function parseTPE(v: unknown, err: Err): Partial<ITPEOptions> | undefined {
  if (v === undefined) {
    return undefined;
  }
  if (!isObject(v)) {
    err('tpe', 'must be an object of TPE options');
    return undefined;
  }
  unknownKeys(v, Object.keys(DEFAULT_TPE), 'tpe', err);
  const out: Partial<ITPEOptions> = {};
  const ints: (keyof ITPEOptions)[] = [
    'nStartupTrials',
    'nEiCandidates',
    'gammaMax'
  ];
  const nums: (keyof ITPEOptions)[] = ['priorWeight', 'gammaFactor'];
  const bools: (keyof ITPEOptions)[] = [
    'considerMagicClip',
    'considerEndpoints',
    'constantLiar',
    'multivariate'
  ];
  for (const k of ints) {
    const x = optionalInt(
      v[k],
      `tpe.${k}`,
      k === 'nStartupTrials' ? 0 : 1,
      err
    );
    if (x !== undefined) {
      (out as any)[k] = x;
    }
  }
  for (const k of nums) {
    const x = optionalNumber(v[k], `tpe.${k}`, err);
    if (x !== undefined) {
      if (!(x > 0)) {
        err(`tpe.${k}`, 'must be greater than 0');
      } else {
        (out as any)[k] = x;
      }
    }
  }
  for (const k of bools) {
    if (v[k] !== undefined) {
      if (typeof v[k] !== 'boolean') {
        err(`tpe.${k}`, 'must be true or false');
      } else {
        (out as any)[k] = v[k];
      }
    }
  }
  return out;
}

function optionalInt(
  v: unknown,
  path: string,
  min: number,
  err: Err
): number | undefined {
  if (v === undefined) {
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    err(path, `must be an integer of at least ${min}`);
    return undefined;
  }
  return v;
}

function optionalNumber(
  v: unknown,
  path: string,
  err: Err
): number | undefined {
  if (v === undefined) {
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    err(path, 'must be a finite number');
    return undefined;
  }
  return v;
}

function unknownKeys(
  v: Record<string, unknown>,
  known: string[],
  path: string,
  err: Err
): void {
  for (const key of Object.keys(v)) {
    if (!known.includes(key)) {
      err(
        fieldPath(path, key),
        `is not a known key here (known: ${known.join(', ')})`
      );
    }
  }
}

/** Reports an error at a path; `count()` says how many so far. */
type Err = ((path: string, message: string) => void) & { count(): number };

function collector(errors: ISweepConfigError[]): Err {
  const add = (path: string, message: string) => {
    errors.push({ path, message });
  };
  return Object.assign(add, { count: () => errors.length });
}

function countErrors(err: Err): number {
  return err.count();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isParamValue(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') {
    return true;
  }
  if (typeof v === 'number') {
    return Number.isFinite(v);
  }
  if (Array.isArray(v)) {
    return v.every(isParamValue);
  }
  if (isObject(v)) {
    return Object.values(v).every(isParamValue);
  }
  return false;
}

/**
 * Importers: a W&B sweep config or a Comet optimizer config (already
 * parsed from JSON or YAML) becomes a Labbook sweep config, checked by
 * `parseSweepConfig`. What has no Labbook meaning is reported, never
 * dropped silently:
 * - `errors` (nothing is imported): a method, distribution or stopping
 *   rule Labbook cannot run as the source means it;
 * - `notes` (the config is imported without it): keys that do not change
 *   what is searched here (W&B's `program`, `project`; Comet's
 *   `minSampleSize`), or a substitution (W&B's and Comet's `bayes` run as
 *   TPE).
 * Each message names the key in the source's own terms (`run_cap`,
 * `spec.maxCombo`, `parameters.lr.distribution`).
 *
 * API: `importWandbSweep(value)`, `importCometOptimizer(value)`, and
 * `importSweepConfig(value, from?)` which tells the three formats apart
 * (`algorithm` and `spec` mean Comet; W&B's own keys or distribution
 * names mean W&B; otherwise Labbook's own format).
 */
import type { ParamValue } from '../model';
import {
  fieldPath,
  parseSweepConfig,
  type ISweepConfig,
  type ISweepConfigError
} from './config';

export type ImportResult =
  | { config: ISweepConfig; notes: ISweepConfigError[]; errors?: undefined }
  | {
      config?: undefined;
      notes: ISweepConfigError[];
      errors: ISweepConfigError[];
    };

export type ConfigSource = 'labbook' | 'wandb' | 'comet';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const WANDB_KEYS = [
  'program',
  'command',
  'entity',
  'project',
  'run_cap',
  'early_terminate',
  'description',
  'controller'
];

const WANDB_DISTRIBUTIONS = [
  'constant',
  'categorical',
  'int_uniform',
  'uniform',
  'q_uniform',
  'log_uniform',
  'log_uniform_values',
  'q_log_uniform',
  'q_log_uniform_values',
  'inv_log_uniform',
  'inv_log_uniform_values',
  'normal',
  'q_normal',
  'log_normal',
  'q_log_normal',
  'beta',
  'q_beta'
];

/** Which format a parsed config is in. */
export function detectSource(value: unknown): ConfigSource {
  if (!isObj(value)) {
    return 'labbook';
  }
  if ('algorithm' in value || 'spec' in value) {
    return 'comet';
  }
  if (value.format === 'labbook-sweep-config') {
    return 'labbook';
  }
  if (value.method === 'bayes' || WANDB_KEYS.some(k => k in value)) {
    return 'wandb';
  }
  const params = isObj(value.parameters) ? Object.values(value.parameters) : [];
  const wandbOnly = WANDB_DISTRIBUTIONS.filter(
    d =>
      ![
        'uniform',
        'log_uniform',
        'int_uniform',
        'normal',
        'log_normal',
        'categorical'
      ].includes(d)
  );
  if (
    params.some(
      p =>
        isObj(p) &&
        (wandbOnly.includes(p.distribution as string) ||
          'probabilities' in p ||
          'parameters' in p)
    )
  ) {
    return 'wandb';
  }
  return 'labbook';
}

/** Imports a config of any of the three formats (detected unless given). */
export function importSweepConfig(
  value: unknown,
  from?: ConfigSource
): ImportResult {
  const source = from ?? detectSource(value);
  if (source === 'wandb') {
    return importWandbSweep(value);
  }
  if (source === 'comet') {
    return importCometOptimizer(value);
  }
  const r = parseSweepConfig(value);
  return r.errors
    ? { errors: r.errors, notes: [] }
    : { config: r.config, notes: [] };
}

/** Collects errors and notes; `finish` checks the translated config. */
class Importer {
  readonly errors: ISweepConfigError[] = [];
  readonly notes: ISweepConfigError[] = [];
  /** Our field path prefix → the source's, for the checker's errors. */
  private readonly _paths: [string, string][] = [];

  error(path: string, message: string): void {
    this.errors.push({ path, message });
  }
  note(path: string, message: string): void {
    this.notes.push({ path, message });
  }
  mapPath(ours: string, theirs: string): void {
    this._paths.push([ours, theirs]);
  }

  finish(config: Obj): ImportResult {
    if (this.errors.length > 0) {
      return { errors: this.errors, notes: this.notes };
    }
    const r = parseSweepConfig(config);
    if (r.errors) {
      return {
        errors: r.errors.map(e => ({ ...e, path: this._translate(e.path) })),
        notes: this.notes
      };
    }
    return { config: r.config, notes: this.notes };
  }

  private _translate(path: string): string {
    let best: [string, string] | null = null;
    for (const pair of this._paths) {
      const [ours] = pair;
      if (
        (path === ours ||
          path.startsWith(ours + '.') ||
          path.startsWith(ours + '[')) &&
        (!best || ours.length > best[0].length)
      ) {
        best = pair;
      }
    }
    return best ? best[1] + path.slice(best[0].length) : path;
  }
}

// ---------------------------------------------------------------- W&B

/**
 * A W&B sweep config (https://docs.wandb.ai/guides/sweeps/sweep-config-keys):
 * method grid / random / bayes (run as TPE), metric {name, goal},
 * parameters with value / values / distribution / min / max / q / mu /
 * sigma, run_cap, early_terminate hyperband.
 */
export function importWandbSweep(value: unknown): ImportResult {
  const im = new Importer();
  if (!isObj(value)) {
    im.error(
      '',
      'a W&B sweep config must be an object (parsed from its YAML or JSON)'
    );
    return { errors: im.errors, notes: im.notes };
  }
  const out: Obj = {};
  for (const [key, v] of Object.entries(value)) {
    switch (key) {
      case 'method':
        if (v === 'bayes') {
          out.method = 'tpe';
          im.note(
            'method',
            'W&B\'s "bayes" (a Gaussian process) is run as TPE, Labbook\'s Bayesian search'
          );
        } else if (v === 'grid' || v === 'random') {
          out.method = v;
        } else {
          im.error(
            'method',
            `${JSON.stringify(v)} is not a W&B method Labbook runs: use grid, random or bayes`
          );
        }
        break;
      case 'metric':
        out.metric = wandbMetric(v, im);
        break;
      case 'parameters':
        out.parameters = wandbParameters(v, im);
        break;
      case 'run_cap':
        out.budget = v;
        im.mapPath('budget', 'run_cap');
        break;
      case 'early_terminate':
        out.earlyStopping = wandbEarlyTerminate(v, im);
        break;
      case 'name':
        out.name = v;
        break;
      case 'program':
      case 'command':
        im.note(key, 'ignored: the notebook is what each trial runs');
        break;
      case 'entity':
      case 'project':
      case 'description':
        im.note(
          key,
          'ignored: Labbook keeps sweeps in its store, by notebook and project'
        );
        break;
      default:
        im.note(key, 'not a W&B sweep key Labbook knows; ignored');
    }
  }
  im.mapPath('earlyStopping.minIter', 'early_terminate.min_iter');
  im.mapPath('earlyStopping.maxIter', 'early_terminate.max_iter');
  im.mapPath('earlyStopping', 'early_terminate');
  if (
    out.method !== 'grid' &&
    out.method !== undefined &&
    value.run_cap === undefined
  ) {
    im.error(
      'run_cap',
      `is required for a ${String(value.method)} sweep in Labbook: the number of trials (W&B would run until stopped)`
    );
  }
  return im.finish(out);
}

function wandbMetric(v: unknown, im: Importer): unknown {
  if (!isObj(v)) {
    return v;
  }
  const out: Obj = {};
  for (const [key, x] of Object.entries(v)) {
    if (key === 'name' || key === 'goal') {
      out[key] = x;
    } else if (key === 'target') {
      im.note(
        'metric.target',
        'ignored: a Labbook sweep runs its whole budget'
      );
    } else {
      im.note(
        fieldPath('metric', key),
        'not a W&B metric key Labbook knows; ignored'
      );
    }
  }
  return out;
}

function wandbParameters(v: unknown, im: Importer): unknown {
  if (!isObj(v)) {
    return v;
  }
  const out: Obj = {};
  for (const [name, p] of Object.entries(v)) {
    const path = fieldPath('parameters', name);
    const q = wandbParam(p, path, im);
    if (q !== undefined) {
      out[name] = q;
    }
  }
  return out;
}

function wandbParam(p: unknown, path: string, im: Importer): Obj | undefined {
  if (!isObj(p)) {
    im.error(
      path,
      'must be an object: {value}, {values} or {distribution, ...}'
    );
    return undefined;
  }
  if ('parameters' in p) {
    im.error(
      fieldPath(path, 'parameters'),
      'nested parameters are not supported: name each parameter at the top level'
    );
    return undefined;
  }
  for (const key of Object.keys(p)) {
    if (
      ![
        'value',
        'values',
        'distribution',
        'min',
        'max',
        'q',
        'mu',
        'sigma',
        'probabilities',
        'a',
        'b'
      ].includes(key)
    ) {
      im.note(
        fieldPath(path, key),
        'not a W&B parameter key Labbook knows; ignored'
      );
    }
  }
  const has = (k: string) => p[k] !== undefined;
  let dist = p.distribution as string | undefined;
  if (dist === undefined) {
    if (has('value')) {
      dist = 'constant';
    } else if (has('values')) {
      dist = 'categorical';
    } else if (has('min') && has('max')) {
      // W&B infers integers when both bounds are integers.
      dist =
        Number.isInteger(p.min) && Number.isInteger(p.max)
          ? 'int_uniform'
          : 'uniform';
    } else {
      im.error(path, 'needs value, values, or min and max (or a distribution)');
      return undefined;
    }
  }
  const num = (k: string, fallback: number) =>
    typeof p[k] === 'number'
      ? (p[k] as number)
      : p[k] === undefined
        ? fallback
        : p[k];
  const dpath = fieldPath(path, 'distribution');
  switch (dist) {
    case 'constant':
      return { value: p.value };
    case 'categorical':
      if ('probabilities' in p) {
        im.note(
          fieldPath(path, 'probabilities'),
          'ignored: values are drawn with equal chances'
        );
      }
      return { values: p.values };
    case 'int_uniform':
      return { distribution: 'int_uniform', min: p.min, max: p.max };
    case 'uniform':
      return { distribution: 'uniform', min: p.min, max: p.max };
    case 'q_uniform':
      return {
        distribution: 'uniform',
        min: p.min,
        max: p.max,
        q: num('q', 1)
      };
    case 'log_uniform':
    case 'q_log_uniform': {
      // W&B's bounds are natural-log exponents here.
      const lo = p.min;
      const hi = p.max;
      if (typeof lo !== 'number' || typeof hi !== 'number') {
        im.error(
          path,
          `${dist} needs numeric min and max (exponents: values are e^min..e^max)`
        );
        return undefined;
      }
      const out: Obj = {
        distribution: 'log_uniform',
        min: Math.exp(lo),
        max: Math.exp(hi)
      };
      if (dist === 'q_log_uniform') {
        out.q = num('q', 1);
      }
      im.note(
        path,
        `${dist}: min and max are exponents; the range is e^${lo}..e^${hi}`
      );
      return out;
    }
    case 'log_uniform_values':
      return { distribution: 'log_uniform', min: p.min, max: p.max };
    case 'q_log_uniform_values':
      return {
        distribution: 'log_uniform',
        min: p.min,
        max: p.max,
        q: num('q', 1)
      };
    case 'normal':
    case 'q_normal':
    case 'log_normal':
    case 'q_log_normal': {
      const out: Obj = {
        distribution: dist.endsWith('log_normal') ? 'log_normal' : 'normal',
        mu: num('mu', 0),
        sigma: num('sigma', 1)
      };
      if (dist.startsWith('q_')) {
        out.q = num('q', 1);
      }
      return out;
    }
    case 'inv_log_uniform':
    case 'inv_log_uniform_values':
    case 'beta':
    case 'q_beta':
      im.error(
        dpath,
        `${dist} is not supported: use uniform, log_uniform(_values), int_uniform, normal, log_normal or their q_ forms`
      );
      return undefined;
    default:
      im.error(dpath, `${JSON.stringify(dist)} is not a W&B distribution`);
      return undefined;
  }
}

function wandbEarlyTerminate(v: unknown, im: Importer): unknown {
  if (!isObj(v)) {
    im.error('early_terminate', 'must be an object {type: hyperband, ...}');
    return undefined;
  }
  if (v.type !== 'hyperband') {
    im.error(
      'early_terminate.type',
      `${JSON.stringify(v.type)} is not supported: W&B's early_terminate type is hyperband`
    );
    return undefined;
  }
  const out: Obj = { type: 'hyperband' };
  const keys: Record<string, string> = {
    min_iter: 'minIter',
    max_iter: 'maxIter',
    s: 's',
    eta: 'eta',
    strict: 'strict'
  };
  for (const [key, x] of Object.entries(v)) {
    if (key === 'type') {
      continue;
    }
    if (key in keys) {
      out[keys[key]] = x;
    } else {
      im.note(
        fieldPath('early_terminate', key),
        'not a hyperband key; ignored'
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------- Comet

/**
 * A Comet optimizer config (https://www.comet.com/docs/v2/api-and-sdk/python-sdk/introduction-optimizer/):
 * algorithm grid / random / bayes (run as TPE); spec with metric,
 * objective, maxCombo, seed, retryLimit, gridSize; parameters with type
 * (integer, float, double, discrete, categorical), min, max, scalingType
 * (linear, uniform, normal, loguniform, lognormal), mu, sigma, values.
 */
export function importCometOptimizer(value: unknown): ImportResult {
  const im = new Importer();
  if (!isObj(value)) {
    im.error(
      '',
      'a Comet optimizer config must be an object (parsed from its JSON)'
    );
    return { errors: im.errors, notes: im.notes };
  }
  const out: Obj = {};
  const spec = isObj(value.spec) ? value.spec : {};
  if (value.spec !== undefined && !isObj(value.spec)) {
    im.error('spec', 'must be an object');
  }
  const algorithm = value.algorithm;
  if (algorithm === 'bayes') {
    out.method = 'tpe';
    im.note(
      'algorithm',
      'Comet\'s "bayes" is run as TPE, Labbook\'s Bayesian search'
    );
  } else if (algorithm === 'grid' || algorithm === 'random') {
    out.method = algorithm;
  } else {
    im.error(
      'algorithm',
      `${JSON.stringify(algorithm)} is not a Comet algorithm Labbook runs: use grid, random or bayes`
    );
  }
  const gridSize = typeof spec.gridSize === 'number' ? spec.gridSize : 10;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'algorithm' || key === 'spec') {
      continue;
    }
    if (key === 'parameters') {
      out.parameters = cometParameters(v, algorithm === 'grid', gridSize, im);
    } else if (key === 'name') {
      out.name = v;
    } else if (key === 'trials') {
      if (v !== 1) {
        im.error(
          'trials',
          'running each combination more than once is not supported: use 1, or add a seed parameter'
        );
      }
    } else {
      im.note(key, 'not a Comet optimizer key Labbook knows; ignored');
    }
  }
  const metric: Obj = {
    name: spec.metric ?? 'loss',
    goal: spec.objective ?? 'minimize'
  };
  if (spec.metric === undefined) {
    im.note('spec.metric', 'not given: Comet\'s default "loss" is used');
  }
  out.metric = metric;
  im.mapPath('metric.name', 'spec.metric');
  im.mapPath('metric.goal', 'spec.objective');
  for (const [key, v] of Object.entries(spec)) {
    switch (key) {
      case 'metric':
      case 'objective':
      case 'gridSize':
        break;
      case 'maxCombo':
        if (v !== 0) {
          out.budget = v;
          im.mapPath('budget', 'spec.maxCombo');
        }
        break;
      case 'seed':
        out.seed = v;
        im.mapPath('seed', 'spec.seed');
        break;
      case 'retryLimit':
        out.retries = v;
        im.mapPath('retries', 'spec.retryLimit');
        break;
      case 'minSampleSize':
      case 'retryAssignLimit':
        im.note(
          fieldPath('spec', key),
          "ignored: it tunes Comet's own optimizer service"
        );
        break;
      case 'randomize':
        if (v) {
          im.note(
            'spec.randomize',
            'ignored: a Labbook grid runs in a fixed order'
          );
        }
        break;
      default:
        im.note(
          fieldPath('spec', key),
          'not a Comet spec key Labbook knows; ignored'
        );
    }
  }
  if (
    out.method !== 'grid' &&
    out.method !== undefined &&
    out.budget === undefined
  ) {
    im.error(
      'spec.maxCombo',
      `is required for a ${String(algorithm)} search in Labbook: the number of trials (0 means unlimited in Comet)`
    );
  }
  return im.finish(out);
}

function cometParameters(
  v: unknown,
  grid: boolean,
  gridSize: number,
  im: Importer
): unknown {
  if (!isObj(v)) {
    return v;
  }
  const out: Obj = {};
  for (const [name, p] of Object.entries(v)) {
    const path = fieldPath('parameters', name);
    if (!isObj(p)) {
      im.error(path, 'must be an object {type, ...}');
      continue;
    }
    for (const key of Object.keys(p)) {
      if (
        ![
          'type',
          'min',
          'max',
          'scalingType',
          'values',
          'mu',
          'sigma',
          'gridSize'
        ].includes(key)
      ) {
        im.note(
          fieldPath(path, key),
          'not a Comet parameter key Labbook knows; ignored'
        );
      }
    }
    const type = p.type;
    if (type === 'categorical' || type === 'discrete') {
      out[name] = { values: p.values };
      continue;
    }
    if (type !== 'integer' && type !== 'float' && type !== 'double') {
      im.error(
        fieldPath(path, 'type'),
        `${JSON.stringify(type)} is not a Comet parameter type: use integer, float, double, discrete or categorical`
      );
      continue;
    }
    const scaling = p.scalingType ?? 'uniform';
    const int = type === 'integer';
    if (scaling === 'normal' || scaling === 'lognormal') {
      out[name] = {
        distribution: scaling === 'normal' ? 'normal' : 'log_normal',
        mu: p.mu ?? 0,
        sigma: p.sigma ?? 1,
        ...(int ? { q: 1 } : {})
      };
      if (grid) {
        im.error(
          fieldPath(path, 'scalingType'),
          `${scaling} has no grid: use linear or loguniform in a grid search`
        );
      }
      continue;
    }
    if (
      scaling !== 'linear' &&
      scaling !== 'uniform' &&
      scaling !== 'loguniform'
    ) {
      im.error(
        fieldPath(path, 'scalingType'),
        `${JSON.stringify(scaling)} is not a Comet scaling type: use linear, uniform, loguniform, normal or lognormal`
      );
      continue;
    }
    const log = scaling === 'loguniform';
    if (grid && typeof p.min === 'number' && typeof p.max === 'number') {
      // Comet bins a range into gridSize points.
      const size = typeof p.gridSize === 'number' ? p.gridSize : gridSize;
      out[name] = { values: gridBins(p.min, p.max, size, log, int) };
      im.note(
        path,
        `a grid over ${size} points of [${p.min}, ${p.max}] (spec.gridSize)`
      );
      continue;
    }
    out[name] = int
      ? {
          distribution: 'int_uniform',
          min: p.min,
          max: p.max,
          ...(log ? { log: true } : {})
        }
      : {
          distribution: log ? 'log_uniform' : 'uniform',
          min: p.min,
          max: p.max
        };
  }
  return out;
}

/** `size` points from min to max, evenly (or log-evenly) spaced, unique. */
function gridBins(
  min: number,
  max: number,
  size: number,
  log: boolean,
  int: boolean
): ParamValue[] {
  const out: number[] = [];
  const n = Math.max(1, Math.floor(size));
  for (let i = 0; i < n; i++) {
    const t = n === 1 ? 0 : i / (n - 1);
    let x =
      log && min > 0
        ? Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min)))
        : min + t * (max - min);
    x = int ? Math.round(x) : Number(x.toPrecision(12));
    if (!out.includes(x)) {
      out.push(x);
    }
  }
  return out;
}

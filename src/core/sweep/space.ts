/**
 * The search space of a sweep config, as the samplers see it: one
 * dimension per searched parameter, each with the numeric representation
 * TPE models (Optuna's "internal repr"), the bounds of its Parzen
 * estimator, and the maps between a parameter's value and that number.
 *
 * - floats: the value; log-uniform ones are modelled on ln(value);
 * - a step (`q`) on a linear range: bounds widened by q/2, and values
 *   snapped to `min + k*q` (Optuna's stepped FloatDistribution);
 * - integers: as a range with step, or log-spaced: modelled on
 *   ln over [min - 0.5, max + 0.5], snapped by rounding (Optuna's
 *   IntDistribution(log=True));
 * - normal / log-normal priors (Optuna has none): modelled on the prior's
 *   CDF z = Φ((x - μ)/σ) in [0, 1], so random draws follow the prior and
 *   TPE's estimators live on a bounded interval;
 * - categorical: the index of the choice.
 *
 * Constants are not dimensions: every trial gets them.
 */
import type { ParamValue } from '../model';
import { type ISweepConfig, type ISweepParam, stepValue } from './config';
import { ndtr, ndtri } from './normal';

export interface INumericDim {
  name: string;
  kind: 'numeric';
  /** Bounds of the modelled variable (after log), as Optuna's Parzen bounds. */
  low: number;
  high: number;
  /** Step of the modelled variable, when it is discrete and linear. */
  q: number | null;
  /** The modelled variable is ln of the representation. */
  log: boolean;
  /** Representation of a modelled draw (exp, then snapped to the grid). */
  snap(model: number): number;
  /** Representation of a value, or NaN when it is not in the space. */
  toRepr(value: ParamValue): number;
  /** The parameter value of a representation. */
  toValue(repr: number): ParamValue;
}

export interface ICategoricalDim {
  name: string;
  kind: 'categorical';
  choices: ParamValue[];
  toRepr(value: ParamValue): number;
  toValue(repr: number): ParamValue;
}

export type Dimension = INumericDim | ICategoricalDim;

export interface ISpace {
  dims: Dimension[];
  constants: { [name: string]: ParamValue };
  /** Parameter names in config order (constants included). */
  order: string[];
}

const Z_EPS = 1e-12;

/** The space of a (checked) config. */
export function searchSpace(config: ISweepConfig): ISpace {
  const dims: Dimension[] = [];
  const constants: { [name: string]: ParamValue } = {};
  for (const [name, p] of Object.entries(config.parameters)) {
    if ('value' in p) {
      constants[name] = p.value;
    } else {
      dims.push(dimension(name, p));
    }
  }
  return { dims, constants, order: Object.keys(config.parameters) };
}

/** A canonical text for a value, to compare choices and params. */
export function valueKey(v: ParamValue): string {
  if (v === null || typeof v !== 'object') {
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) {
    return '[' + v.map(valueKey).join(',') + ']';
  }
  return (
    '{' +
    Object.keys(v)
      .sort()
      .map(k => JSON.stringify(k) + ':' + valueKey(v[k]))
      .join(',') +
    '}'
  );
}

export function dimension(name: string, p: ISweepParam): Dimension {
  if ('value' in p) {
    throw new Error(`${name} is a constant, not a dimension`);
  }
  if ('values' in p) {
    const keys = p.values.map(valueKey);
    return {
      name,
      kind: 'categorical',
      choices: p.values,
      toRepr: v => {
        const i = keys.indexOf(valueKey(v));
        return i < 0 ? NaN : i;
      },
      toValue: r => p.values[r]
    };
  }
  const isNum = (v: ParamValue): v is number =>
    typeof v === 'number' && Number.isFinite(v);
  if (!('min' in p)) {
    const log = p.distribution === 'log_normal';
    const q = p.q;
    return {
      name,
      kind: 'numeric',
      low: 0,
      high: 1,
      q: null,
      log: false,
      snap: z => Math.min(1 - Z_EPS, Math.max(Z_EPS, z)),
      toRepr: v => {
        if (!isNum(v) || (log && v <= 0)) {
          return NaN;
        }
        const x = log ? Math.log(v) : v;
        return Math.min(1 - Z_EPS, Math.max(Z_EPS, ndtr((x - p.mu) / p.sigma)));
      },
      toValue: z => {
        const x = p.mu + p.sigma * ndtri(z);
        const v = log ? Math.exp(x) : x;
        return q === undefined ? v : stepValue(0, q, Math.round(v / q));
      }
    };
  }
  const { min, max } = p;
  const tol = 1e-9 * Math.max(1, Math.abs(min), Math.abs(max));
  const inRange = (v: number) => v >= min - tol && v <= max + tol;
  if (p.distribution === 'int_uniform') {
    const isInt = (v: ParamValue): v is number =>
      isNum(v) && Number.isInteger(v) && inRange(v);
    if (p.log) {
      return {
        name,
        kind: 'numeric',
        low: Math.log(min - 0.5),
        high: Math.log(max + 0.5),
        q: null,
        log: true,
        snap: s => Math.min(max, Math.max(min, Math.round(Math.exp(s)))),
        toRepr: v => (isInt(v) ? v : NaN),
        toValue: r => r
      };
    }
    const step = p.q ?? 1;
    return {
      name,
      kind: 'numeric',
      low: min - 0.5 * step,
      high: max + 0.5 * step,
      q: step,
      log: false,
      snap: s => snapToStep(s, min, max, step),
      toRepr: v => (isInt(v) && (v - min) % step === 0 ? v : NaN),
      toValue: r => r
    };
  }
  if (p.distribution === 'log_uniform') {
    const q = p.q;
    return {
      name,
      kind: 'numeric',
      low: Math.log(min),
      high: Math.log(max),
      q: null,
      log: true,
      snap: s => {
        const v = Math.min(max, Math.max(min, Math.exp(s)));
        return q === undefined ? v : snapToStep(v, min, max, q);
      },
      toRepr: v => (isNum(v) && v > 0 && inRange(v) ? v : NaN),
      toValue: r => r
    };
  }
  const q = p.q;
  if (q !== undefined) {
    return {
      name,
      kind: 'numeric',
      low: min - 0.5 * q,
      high: max + 0.5 * q,
      q,
      log: false,
      snap: s => snapToStep(s, min, max, q),
      toRepr: v => (isNum(v) && inRange(v) ? v : NaN),
      toValue: r => r
    };
  }
  return {
    name,
    kind: 'numeric',
    low: min,
    high: max,
    q: null,
    log: false,
    snap: s => Math.min(max, Math.max(min, s)),
    toRepr: v => (isNum(v) && inRange(v) ? v : NaN),
    toValue: r => r
  };
}

/** `min + k*q` nearest to x, kept in [min, max] (Optuna's rounding). */
function snapToStep(x: number, min: number, max: number, q: number): number {
  const k = Math.round((x - min) / q);
  const kMax = Math.floor((max - min) / q + 1e-9);
  return stepValue(min, q, Math.min(kMax, Math.max(0, k)));
}

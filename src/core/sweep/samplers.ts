/**
 * What to try next in a sweep: `suggest(config, {trials, warm})` returns
 * the next trial's params, or null when the sweep has nothing left (its
 * budget reached, or every grid point taken). Pure and seeded: the same
 * config (seed included) and the same trials give the same params.
 *
 * API, for the runner:
 * - `trials`: every trial of this sweep so far, in the order they were
 *   created, queued and running ones included (with `constantLiar`, TPE
 *   counts them as the worst so parallel suggestions differ; the trial
 *   number that keys the random draws is `trials.length`). One record per
 *   trial, not per attempt: a retried trial keeps its params.
 * - `warm`: past experiments outside the sweep, as complete records (see
 *   `warmStartTrials` in `./warmstart`): TPE learns from them as if they
 *   were earlier trials (they count for the startup phase, not for the
 *   budget).
 * - `gridPoints(config)`: the whole grid, in order, to queue at once.
 *
 * Methods:
 * - grid: every combination of the params' grid values (`gridValues`), the
 *   last param varying fastest, the first not yet among `trials` (in any
 *   state);
 * - random: each param drawn independently from its distribution (uniform
 *   on the estimator's bounds: Optuna's RandomSampler);
 * - tpe: `./tpe`.
 */
import type { ParamValue } from '../model';
import { gridValues, type ISweepConfig, tpeOptions } from './config';
import { rngFor } from './random';
import { type Dimension, type ISpace, searchSpace, valueKey } from './space';
import {
  type ITrialRecord,
  observationPairs,
  observations,
  finishedCount,
  sampleTPE
} from './tpe';

export type { ITrialRecord } from './tpe';

export type Params = { [name: string]: ParamValue };

export interface ISuggestInput {
  trials: readonly ITrialRecord[];
  warm?: readonly ITrialRecord[];
}

/** The next trial's params, or null when the sweep is done. */
export function suggest(
  config: ISweepConfig,
  input: ISuggestInput
): Params | null {
  const { trials } = input;
  if (config.budget !== undefined && trials.length >= config.budget) {
    return null;
  }
  if (config.method === 'grid') {
    return nextGridPoint(config, trials);
  }
  const space = searchSpace(config);
  const number = trials.length;
  if (config.method === 'random') {
    return assemble(space, dimValues => {
      for (const dim of space.dims) {
        dimValues[dim.name] = randomValue(dim, config.seed, number);
      }
    });
  }
  const options = tpeOptions(config);
  const history = [...(input.warm ?? []), ...trials];
  const pairs = observations(
    observationPairs(history, config.metric.goal, options.constantLiar),
    options
  );
  const startup = finishedCount(pairs.scores) < options.nStartupTrials;
  return assemble(space, dimValues => {
    if (startup || space.dims.length === 0) {
      for (const dim of space.dims) {
        dimValues[dim.name] = randomValue(dim, config.seed, number);
      }
      return;
    }
    if (options.multivariate) {
      const reprs = sampleTPE(
        space.dims,
        pairs,
        options,
        rngFor(config.seed, 'tpe', number)
      );
      space.dims.forEach((dim, d) => {
        dimValues[dim.name] = dim.toValue(reprs[d]);
      });
      return;
    }
    for (const dim of space.dims) {
      const [repr] = sampleTPE(
        [dim],
        pairs,
        options,
        rngFor(config.seed, 'tpe', number, dim.name)
      );
      dimValues[dim.name] = dim.toValue(repr);
    }
  });
}

/** Params in config order: constants and drawn values. */
function assemble(space: ISpace, fill: (values: Params) => void): Params {
  const drawn: Params = {};
  fill(drawn);
  const out: Params = {};
  for (const name of space.order) {
    out[name] = name in space.constants ? space.constants[name] : drawn[name];
  }
  return out;
}

/** A value drawn uniformly on a dimension's bounds (its prior for normals). */
export function randomValue(
  dim: Dimension,
  seed: number,
  number: number
): ParamValue {
  const rng = rngFor(seed, 'random', number, dim.name);
  if (dim.kind === 'categorical') {
    return dim.choices[
      Math.min(dim.choices.length - 1, Math.floor(rng() * dim.choices.length))
    ];
  }
  const model = dim.low + rng() * (dim.high - dim.low);
  return dim.toValue(dim.snap(model));
}

/** Every grid point of a config, in order (first `budget` when it has one). */
export function gridPoints(config: ISweepConfig): Params[] {
  const axes = gridAxes(config);
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  const count = Math.min(total, config.budget ?? total);
  const out: Params[] = [];
  for (let k = 0; k < count; k++) {
    out.push(gridPoint(axes, k));
  }
  return out;
}

interface IAxis {
  name: string;
  values: ParamValue[];
}

function gridAxes(config: ISweepConfig): IAxis[] {
  return Object.entries(config.parameters).map(([name, p]) => {
    const values = gridValues(p);
    if (values === null) {
      throw new Error(`parameters.${name}: a grid needs values or a step`);
    }
    return { name, values };
  });
}

/** The k-th combination, the last axis varying fastest. */
function gridPoint(axes: IAxis[], k: number): Params {
  const out: Params = {};
  let rest = k;
  for (let a = axes.length - 1; a >= 0; a--) {
    const n = axes[a].values.length;
    out[axes[a].name] = axes[a].values[rest % n];
    rest = Math.floor(rest / n);
  }
  const ordered: Params = {};
  for (const axis of axes) {
    ordered[axis.name] = out[axis.name];
  }
  return ordered;
}

/** A canonical text of a trial's params over some names. */
export function paramsKey(params: Params, names: readonly string[]): string {
  return names
    .map(n => (n in params ? valueKey(params[n]) : '?'))
    .join('\u0000');
}

function nextGridPoint(
  config: ISweepConfig,
  trials: readonly ITrialRecord[]
): Params | null {
  const axes = gridAxes(config);
  const names = axes.map(a => a.name);
  const taken = new Set(trials.map(t => paramsKey(t.params, names)));
  const total = axes.reduce((n, a) => n * a.values.length, 1);
  for (let k = 0; k < total; k++) {
    const p = gridPoint(axes, k);
    if (!taken.has(paramsKey(p, names))) {
      return p;
    }
  }
  return null;
}

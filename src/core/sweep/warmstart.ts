/**
 * Warm start: past experiments (of the same notebook or project) that TPE
 * learns from before a sweep's own trials. An experiment counts when it
 * finished, logged the sweep's metric, and has every searched parameter
 * with a value inside the space; its objective is the metric's summary the
 * config names (last, min or max). Constants are not checked: a past run
 * with another constant is still informative about the searched params.
 */
import type { IExperimentSummary } from '../index/summary';
import type { IMetricSummary, ParamValue } from '../model';
import type { ISweepConfig } from './config';
import { searchSpace } from './space';
import type { ITrialRecord } from './tpe';

/** The subset of an index summary warm start reads. */
export type IWarmStartSource = Pick<
  IExperimentSummary,
  'status' | 'params' | 'metrics' | 'notebook' | 'project'
>;

/**
 * Complete trial records from past experiments, in the order given (pass
 * them oldest first: Optuna's weights favour recent trials). Experiments
 * that do not fit are left out.
 */
export function warmStartTrials(
  config: ISweepConfig,
  experiments: readonly IWarmStartSource[]
): ITrialRecord[] {
  if (config.warmStart === 'none') {
    return [];
  }
  const space = searchSpace(config);
  const out: ITrialRecord[] = [];
  for (const e of experiments) {
    if (e.status !== 'finished') {
      continue;
    }
    const value = objectiveValue(config, e.metrics);
    if (value === null) {
      continue;
    }
    const params: { [name: string]: ParamValue } = {};
    let fits = true;
    for (const dim of space.dims) {
      const v = e.params?.[dim.name];
      if (
        v === undefined ||
        isSource(v) ||
        Number.isNaN(dim.toRepr(v as ParamValue))
      ) {
        fits = false;
        break;
      }
      params[dim.name] = v as ParamValue;
    }
    if (fits) {
      out.push({ params, state: 'complete', value });
    }
  }
  return out;
}

/**
 * A trial's objective from its metric summaries (the index's, or a run's):
 * the config's metric, its `summary` (last, min or max); null when the
 * metric was not logged or is not a number.
 */
export function objectiveValue(
  config: ISweepConfig,
  metrics: { [name: string]: IMetricSummary } | undefined
): number | null {
  const value = metrics?.[config.metric.name]?.[config.metric.summary];
  return typeof value === 'number' && !Number.isNaN(value) ? value : null;
}

/** A parameter kept as its source text (`{source}`), not a value. */
function isSource(v: unknown): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.keys(v).length === 1 &&
    typeof (v as { source?: unknown }).source === 'string'
  );
}

/**
 * Early stopping, as pure deciders: given the sweep config, one running
 * trial and the sweep's other trials (with the values of the optimised
 * metric they logged so far, `intermediate`), say whether to stop it now.
 * The runner asks after each new value of a running trial; a trial it
 * stops is "stopped early" (state `stopped`), not failed, and TPE still
 * learns from its last value.
 *
 * - Hyperband, as W&B's `early_terminate: {type: hyperband}` computes it:
 *   brackets at `minIter·eta^k` (k = 0, 1, ...) or, with `maxIter` and `s`,
 *   at `floor(maxIter/eta^k)` for k = 1..s (those >= 1); a bracket `b` is
 *   the (b+1)-th logged value of the metric (W&B's history index).
 *   The threshold of a bracket is the value at position
 *   `floor(count/eta)` of every trial's value there, sorted best first
 *   (every trial that reached it, this one and finished ones included). A
 *   trial is stopped when its value at the last bracket it has passed is
 *   worse than that threshold. `strict` (W&B's "more aggressive"
 *   mode) checks every bracket it passed, not only the last.
 * - Median (Optuna's MedianPruner with n_min_trials 1): once `minTrials`
 *   trials are complete, a trial whose last step is at least `warmupSteps`
 *   and whose best value so far is worse than the median of the complete
 *   trials' values at that same step is stopped. A trial whose values are
 *   all NaN is stopped.
 *
 * Non-finite values are left out of Hyperband's histories (W&B filters
 * them).
 */
import type {
  Goal,
  ISweepConfig,
  IHyperbandStopping,
  IMedianStopping
} from './config';
import type { ITrialRecord } from './tpe';

export interface IStopDecision {
  stop: boolean;
  /** Why, in words, when stopped (shown with the trial). */
  reason?: string;
}

const KEEP: IStopDecision = { stop: false };

/** Whether to stop `trial` (running) now; `others` are the sweep's other trials. */
export function shouldStop(
  config: ISweepConfig,
  trial: ITrialRecord,
  others: readonly ITrialRecord[]
): IStopDecision {
  const es = config.earlyStopping;
  if (!es || (trial.state !== 'running' && trial.state !== 'queued')) {
    return KEEP;
  }
  return es.type === 'hyperband'
    ? hyperband(es, config.metric.goal, config.metric.name, trial, others)
    : medianStop(es, config.metric.goal, config.metric.name, trial, others);
}

/** W&B's brackets for a Hyperband config (positions in a metric's history). */
export function hyperbandBrackets(
  es: IHyperbandStopping,
  limit = 1e12
): number[] {
  const bands: number[] = [];
  if (es.maxIter !== undefined && es.s !== undefined) {
    let band = es.maxIter;
    for (let i = 0; i < es.s; i++) {
      band /= es.eta;
      if (band < 1) {
        break;
      }
      bands.push(Math.floor(band));
    }
    return bands.sort((a, b) => a - b);
  }
  let band = es.minIter ?? 1;
  for (let i = 0; i < 100 && band <= limit; i++) {
    bands.push(Math.floor(band));
    band *= es.eta;
  }
  return bands;
}

function history(t: ITrialRecord, sign: number): number[] {
  return (t.intermediate ?? [])
    .map(p => sign * p[1])
    .filter(v => Number.isFinite(v));
}

function hyperband(
  es: IHyperbandStopping,
  goal: Goal,
  metric: string,
  trial: ITrialRecord,
  others: readonly ITrialRecord[]
): IStopDecision {
  const sign = goal === 'maximize' ? -1 : 1;
  const mine = history(trial, sign);
  const all = [mine, ...others.map(t => history(t, sign))].filter(
    h => h.length > 0
  );
  const longest = Math.max(0, ...all.map(h => h.length));
  const bands = hyperbandBrackets(es, longest);
  const threshold = (band: number): number => {
    const values = all.filter(h => h.length > band).map(h => h[band]);
    if (values.length === 0) {
      return Infinity;
    }
    values.sort((a, b) => a - b);
    return values[Math.floor((1 / es.eta) * values.length)];
  };
  const passed = bands.filter(b => b < mine.length);
  if (passed.length === 0) {
    return KEEP;
  }
  const checks = es.strict ? passed : [passed[passed.length - 1]];
  for (const band of checks) {
    const t = threshold(band);
    if (mine[band] > t) {
      return {
        stop: true,
        reason: `hyperband: ${metric} ${sign * mine[band]} at value ${band + 1} is worse than the best 1/${es.eta} of the trials there (${sign * t})`
      };
    }
  }
  return KEEP;
}

function medianStop(
  es: IMedianStopping,
  goal: Goal,
  metric: string,
  trial: ITrialRecord,
  others: readonly ITrialRecord[]
): IStopDecision {
  const complete = others.filter(t => t.state === 'complete');
  if (complete.length === 0 || complete.length < es.minTrials) {
    return KEEP;
  }
  const iv = trial.intermediate ?? [];
  if (iv.length === 0) {
    return KEEP;
  }
  const step = Math.max(...iv.map(p => p[0]));
  if (step < es.warmupSteps) {
    return KEEP;
  }
  const finite = iv.map(p => p[1]).filter(v => !Number.isNaN(v));
  if (finite.length === 0) {
    return { stop: true, reason: `median: ${metric} is NaN at every step` };
  }
  const best = goal === 'maximize' ? Math.max(...finite) : Math.min(...finite);
  const atStep = complete
    .map(t => (t.intermediate ?? []).find(p => p[0] === step)?.[1])
    .filter((v): v is number => v !== undefined && !Number.isNaN(v));
  if (atStep.length === 0) {
    return KEEP;
  }
  const m = medianOf(atStep);
  const worse = goal === 'maximize' ? best < m : best > m;
  return worse
    ? {
        stop: true,
        reason: `median: best ${metric} so far ${best} is worse than the median ${m} of completed trials at step ${step}`
      }
    : KEEP;
}

/** The median, interpolated between the middle two (numpy's percentile 50). */
function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  const lo = Math.floor(mid);
  const hi = Math.ceil(mid);
  return s[lo] + (s[hi] - s[lo]) * (mid - lo);
}

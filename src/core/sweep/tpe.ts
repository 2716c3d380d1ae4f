/**
 * TPE as Optuna 3.1's `TPESampler` defines it (Bergstra et al. 2011;
 * Optuna's source as the reference, our own code):
 *
 * 1. Observation pairs, in trial order: a completed trial scores
 *    (-∞, sign·value); a stopped (pruned) one (-lastStep, sign·value at its
 *    last step), or (1, 0) with no values; with `constantLiar`, running and
 *    queued trials score (∞, ∞): the worst, so l(x) never centres on them
 *    and g(x) pushes the next suggestion away from them (parallel trials
 *    differ). Failed trials are left out. sign is -1 when maximising.
 * 2. Until `nStartupTrials` completed-or-stopped trials, suggest at random.
 * 3. The best γ(n) = min(ceil(gammaFactor·n), gammaMax) by (step, score)
 *    (stable) are "below"; the rest "above".
 * 4. Per parameter (or jointly, `multivariate`), a Parzen estimator l(x)
 *    from the below trials that have the parameter, g(x) from the above
 *    ones; `nEiCandidates` draws from l; the one with the largest
 *    log l(x) - log g(x) wins (the first, on ties).
 */
import type { ParamValue } from '../model';
import type { Goal, ITPEOptions } from './config';
import { ParzenEstimator, sortedOrder } from './parzen';
import type { Rng } from './random';
import type { Dimension } from './space';

/** What the samplers know of a trial. */
export interface ITrialRecord {
  params: { [name: string]: ParamValue };
  /**
   * `complete`: has an objective `value`; `stopped`: ended early (its
   * `intermediate` values count); `running` / `queued`: suggested, no
   * result yet; `failed`: ignored by TPE (a grid does not suggest it again).
   */
  state: 'complete' | 'stopped' | 'running' | 'queued' | 'failed';
  /** The objective of a complete trial (the metric's summary). */
  value?: number | null;
  /** The metric's values by step, as logged: [step, value][]. */
  intermediate?: [number, number][];
}

/** Optuna's score of a trial: compared as (step, value), smaller first. */
export interface IScore {
  step: number;
  value: number;
}

/** The trials TPE learns from, with their scores (step 1 in Optuna's terms). */
export function observationPairs(
  trials: readonly ITrialRecord[],
  goal: Goal,
  constantLiar: boolean
): { trials: ITrialRecord[]; scores: IScore[] } {
  const sign = goal === 'maximize' ? -1 : 1;
  const kept: ITrialRecord[] = [];
  const scores: IScore[] = [];
  for (const t of trials) {
    let score: IScore;
    if (t.state === 'complete') {
      if (typeof t.value !== 'number' || Number.isNaN(t.value)) {
        continue;
      }
      score = { step: -Infinity, value: sign * t.value };
    } else if (t.state === 'stopped') {
      const iv = t.intermediate ?? [];
      if (iv.length > 0) {
        let last = iv[0];
        for (const p of iv) {
          if (p[0] >= last[0]) {
            last = p;
          }
        }
        score = {
          step: -last[0],
          value: Number.isNaN(last[1]) ? Infinity : sign * last[1]
        };
      } else {
        score = { step: 1, value: 0 };
      }
    } else if (t.state === 'running' || t.state === 'queued') {
      if (!constantLiar) {
        continue;
      }
      score = { step: Infinity, value: Infinity };
    } else {
      continue;
    }
    kept.push(t);
    scores.push(score);
  }
  return { trials: kept, scores };
}

/** Optuna's default_gamma with its two constants as options. */
export function gamma(n: number, options: ITPEOptions): number {
  return Math.min(Math.ceil(options.gammaFactor * n), options.gammaMax);
}

/** Indices (ascending) of the best `nBelow` scores and of the rest. */
export function splitObservations(
  scores: readonly IScore[],
  nBelow: number
): { below: number[]; above: number[] } {
  const order = scores.every(s => s.step === -Infinity)
    ? Array.from(sortedOrder(Float64Array.from(scores, s => s.value))) // all complete: the common case, fast
    : Array.from(scores.keys()).sort((a, b) => {
        const sa = scores[a];
        const sb = scores[b];
        return (
          cmp(sa.step, sb.step) || cmp(sa.value, sb.value) || a - b // stable
        );
      });
  const below = order.slice(0, nBelow).sort((a, b) => a - b);
  const above = order.slice(nBelow).sort((a, b) => a - b);
  return { below, above };
}

function cmp(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Trials that count towards the startup phase (Optuna: not running). */
export function finishedCount(scores: readonly IScore[]): number {
  return scores.filter(s => s.step < Infinity).length;
}

/** Observation pairs with their split into below and above. */
export interface IObservations {
  trials: ITrialRecord[];
  scores: IScore[];
  below: number[];
  above: number[];
}

/** Splits observation pairs as TPE does (once per suggestion). */
export function observations(
  pairs: { trials: ITrialRecord[]; scores: IScore[] },
  options: ITPEOptions
): IObservations {
  const n = finishedCount(pairs.scores);
  return { ...pairs, ...splitObservations(pairs.scores, gamma(n, options)) };
}

/**
 * The estimators l (below) and g (above) for some dimensions; trials
 * missing one of the dimensions (or whose value is outside it) are left
 * out of both.
 */
export function estimators(
  dims: Dimension[],
  obs: IObservations,
  options: ITPEOptions
): { below: ParzenEstimator; above: ParzenEstimator } {
  const columns = (indices: number[]) => {
    const cols = dims.map(() => new Float64Array(indices.length));
    let kept = 0;
    for (const i of indices) {
      const params = obs.trials[i].params;
      let ok = true;
      for (let d = 0; d < dims.length && ok; d++) {
        const name = dims[d].name;
        const r = name in params ? dims[d].toRepr(params[name]) : NaN;
        cols[d][kept] = r;
        ok = !Number.isNaN(r);
      }
      if (ok) {
        kept++;
      }
    }
    return cols.map(c => c.slice(0, kept));
  };
  const parzen = {
    priorWeight: options.priorWeight,
    considerMagicClip: options.considerMagicClip,
    considerEndpoints: options.considerEndpoints,
    multivariate: options.multivariate
  };
  return {
    below: new ParzenEstimator(dims, columns(obs.below), parzen),
    above: new ParzenEstimator(dims, columns(obs.above), parzen)
  };
}

/**
 * Of candidate samples (one array per dimension), the one with the largest
 * log l - log g; returns its index.
 */
export function bestCandidate(
  below: ParzenEstimator,
  above: ParzenEstimator,
  samples: Float64Array[]
): number {
  const l = below.logPdf(samples);
  const g = above.logPdf(samples);
  let best = 0;
  let bestScore = -Infinity;
  for (let i = 0; i < l.length; i++) {
    const s = l[i] - g[i];
    if (s > bestScore) {
      bestScore = s;
      best = i;
    }
  }
  return best;
}

/**
 * TPE's values for some dimensions (jointly), from the split trials; `rng` draws
 * the candidates. Returns representations, one per dimension.
 */
export function sampleTPE(
  dims: Dimension[],
  obs: IObservations,
  options: ITPEOptions,
  rng: Rng
): number[] {
  const { below, above } = estimators(dims, obs, options);
  const samples = below.sample(rng, options.nEiCandidates);
  const i = bestCandidate(below, above, samples);
  return samples.map(s => s[i]);
}

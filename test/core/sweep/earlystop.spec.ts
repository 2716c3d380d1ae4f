/**
 * Early stopping: Hyperband decides as W&B's sweeps do on the scenarios of
 * its documentation and tests (rewritten here), median stopping as
 * Optuna's MedianPruner.
 */
import { describe, expect, it } from 'vitest';
import {
  parseSweepConfig,
  type ISweepConfig
} from '../../../src/core/sweep/config';
import {
  hyperbandBrackets,
  shouldStop
} from '../../../src/core/sweep/earlystop';
import type { ITrialRecord } from '../../../src/core/sweep/tpe';

function config(earlyStopping: unknown, goal = 'minimize'): ISweepConfig {
  const r = parseSweepConfig({
    method: 'grid',
    metric: { name: 'loss', goal },
    parameters: { a: { values: [1, 2, 3] } },
    earlyStopping
  });
  expect(r.errors).toBeUndefined();
  return r.config!;
}

/** A trial whose metric logged `values` at steps 0, 1, 2, ... */
function trial(state: ITrialRecord['state'], values: number[]): ITrialRecord {
  return {
    params: { a: 1 },
    state,
    intermediate: values.map((v, i) => [i, v] as [number, number])
  };
}

/** Which of the trials the decider stops, each judged against the others. */
function stopped(c: ISweepConfig, trials: ITrialRecord[]): number[] {
  return trials
    .map((t, i) =>
      shouldStop(
        c,
        t,
        trials.filter((_, j) => j !== i)
      ).stop
        ? i
        : -1
    )
    .filter(i => i >= 0);
}

describe('hyperband', () => {
  it('places brackets as W&B does', () => {
    const min = config({
      type: 'hyperband',
      minIter: 3,
      eta: 3
    }).earlyStopping!;
    expect(hyperbandBrackets(min as never, 100)).toEqual([3, 9, 27, 81]);
    const max = config({
      type: 'hyperband',
      maxIter: 81,
      eta: 3,
      s: 3
    }).earlyStopping!;
    expect(hyperbandBrackets(max as never)).toEqual([3, 9, 27]);
    const max2 = config({
      type: 'hyperband',
      maxIter: 18,
      eta: 3,
      s: 2
    }).earlyStopping!;
    expect(hyperbandBrackets(max2 as never)).toEqual([2, 6]);
  });

  it('stops the trials below the top 1/eta at their last bracket', () => {
    // max_iter 5, eta 2, s 2: brackets 1 and 2; thresholds 8 and 7.
    const c = config({ type: 'hyperband', maxIter: 5, eta: 2, s: 2 });
    const trials = [
      trial('complete', [10, 9]), // finished: never stopped
      trial('running', [10, 10]), // 10 > 8 at bracket 1: stopped
      trial('running', [10, 8, 8]), // passes bracket 1, 8 > 7 at bracket 2: stopped
      trial('running', [10, 7, 7]), // 7 is not worse than 7
      trial('complete', [10, 6, 6])
    ];
    expect(stopped(c, trials)).toEqual([1, 2]);
    const why = shouldStop(
      c,
      trials[1],
      trials.filter((_, j) => j !== 1)
    );
    expect(why.reason).toBe(
      'hyperband: loss 10 at value 2 is worse than the best 1/2 of the trials there (8)'
    );
  });

  it('judges only the last bracket passed, unless strict', () => {
    // eta 3, max_iter 9, s 2: brackets 1 and 3, thresholds 7 and 4.
    const trials = [
      trial('complete', [10, 9]),
      trial('running', [10, 10]),
      trial('running', [10, 8, 8, 3]), // failed bracket 1 but passes bracket 3
      trial('running', [10, 7, 7, 4]),
      trial('running', [10, 6, 6, 6]) // passes bracket 1, not bracket 3
    ];
    expect(
      stopped(config({ type: 'hyperband', maxIter: 9, eta: 3, s: 2 }), trials)
    ).toEqual([1, 4]);
    expect(
      stopped(
        config({ type: 'hyperband', maxIter: 9, eta: 3, s: 2, strict: true }),
        trials
      )
    ).toEqual([1, 2, 4]);
  });

  it('reads the goal: maximising flips the comparison', () => {
    const neg = (t: ITrialRecord) => ({
      ...t,
      intermediate: t.intermediate!.map(([s, v]) => [s, -v] as [number, number])
    });
    const trials = [
      trial('complete', [10, 9]),
      trial('running', [10, 10]),
      trial('running', [10, 8, 8, 3]),
      trial('running', [10, 7, 7, 4]),
      trial('running', [10, 6, 6, 6])
    ].map(neg);
    expect(
      stopped(
        config({ type: 'hyperband', maxIter: 9, eta: 3, s: 2 }, 'maximize'),
        trials
      )
    ).toEqual([1, 4]);
  });

  it('leaves a lone trial, a trial before its first bracket and NaN values alone', () => {
    const c = config({ type: 'hyperband', minIter: 3, eta: 3 });
    expect(stopped(c, [trial('running', [9, 8, 7, 6, 5])])).toEqual([]);
    const trials = [
      trial('complete', [1, 1, 1, 1]),
      trial('running', [5, 5, 5])
    ];
    expect(stopped(c, trials)).toEqual([]); // 3 values: bracket 3 not reached
    trials[1].intermediate!.push([3, 5]);
    expect(stopped(c, trials)).toEqual([1]);
    const nan = [
      trial('complete', [1, 1, 1, 1]),
      trial('running', [NaN, NaN, NaN, NaN, NaN])
    ];
    expect(stopped(c, nan)).toEqual([]);
  });
});

describe('median stopping', () => {
  const c = config({ type: 'median', minTrials: 3, warmupSteps: 2 });
  const done = [
    trial('complete', [5, 4, 3, 2]),
    trial('complete', [5, 3, 2, 1]),
    trial('complete', [6, 5, 4, 3])
  ];

  it('stops a trial whose best so far is worse than the median at its step', () => {
    // Completed values at step 2: 3, 2, 4; median 3.
    const bad = trial('running', [6, 5, 3.5]);
    expect(shouldStop(c, bad, done)).toEqual({
      stop: true,
      reason:
        'median: best loss so far 3.5 is worse than the median 3 of completed trials at step 2'
    });
    expect(shouldStop(c, trial('running', [6, 5, 3]), done).stop).toBe(false);
    // Its best value counts, not its last.
    expect(shouldStop(c, trial('running', [2, 5, 5]), done).stop).toBe(false);
  });

  it('waits for the warm-up steps and for enough completed trials', () => {
    expect(shouldStop(c, trial('running', [9, 9]), done).stop).toBe(false); // step 1 < 2
    expect(
      shouldStop(c, trial('running', [9, 9, 9]), done.slice(0, 2)).stop
    ).toBe(false);
    const withRunning = [...done.slice(0, 2), trial('running', [1, 1, 1])];
    expect(shouldStop(c, trial('running', [9, 9, 9]), withRunning).stop).toBe(
      false
    );
  });

  it('interpolates an even median, maximises, and stops an all-NaN trial', () => {
    const four = [...done, trial('complete', [1, 1, 1])]; // step 2: 1, 2, 3, 4: median 2.5
    expect(shouldStop(c, trial('running', [3, 3, 2.6]), four).stop).toBe(true);
    expect(shouldStop(c, trial('running', [3, 3, 2.5]), four).stop).toBe(false);
    const max = config(
      { type: 'median', minTrials: 3, warmupSteps: 2 },
      'maximize'
    );
    expect(shouldStop(max, trial('running', [1, 1, 2.9]), done).stop).toBe(
      true
    );
    expect(shouldStop(max, trial('running', [1, 1, 3.1]), done).stop).toBe(
      false
    );
    expect(shouldStop(c, trial('running', [NaN, NaN, NaN]), done).stop).toBe(
      true
    );
  });

  it('never stops a trial that is not running, or without early stopping', () => {
    expect(shouldStop(c, trial('complete', [9, 9, 9]), done).stop).toBe(false);
    const none = parseSweepConfig({
      method: 'grid',
      metric: { name: 'loss' },
      parameters: { a: { values: [1] } }
    }).config!;
    expect(shouldStop(none, trial('running', [9, 9, 9]), done).stop).toBe(
      false
    );
  });
});

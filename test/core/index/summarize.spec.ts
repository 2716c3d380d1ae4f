import { describe, expect, it } from 'vitest';
import {
  damagedSummary,
  emptyMetricSummary,
  mergeMetricSummary,
  summarizeExperiment,
  summarizeSeries
} from '../../../src/core/index/summarize';
import type { IExperiment } from '../../../src/core/model';

/** A deterministic pseudo-random generator (tests must not be flaky). */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

describe('summarizeSeries', () => {
  it('gives last, min, max over finite values, step of the last point and the count', () => {
    expect(summarizeSeries([3, 1, 2], [10, 11, 12])).toEqual({
      last: 2,
      min: 1,
      max: 3,
      step: 12,
      count: 3
    });
  });

  it('keeps NaN and infinities out of min/max, counts them, and makes a non-finite last null', () => {
    expect(
      summarizeSeries(
        [NaN, 5, Infinity, -Infinity, -2, NaN],
        [0, 1, 2, 3, 4, 5]
      )
    ).toEqual({ last: null, min: -2, max: 5, step: 5, count: 6 });
    expect(summarizeSeries([Infinity, NaN], [0, 1])).toEqual({
      last: null,
      min: null,
      max: null,
      step: 1,
      count: 2
    });
  });

  it('summarises an empty series as no points', () => {
    expect(summarizeSeries([], [])).toEqual(emptyMetricSummary());
  });
});

describe('mergeMetricSummary', () => {
  it('matches the summary of the whole series however it is split', () => {
    const rand = random(7);
    for (let run = 0; run < 50; run++) {
      const n = Math.floor(rand() * 40);
      const values = Array.from({ length: n }, () => {
        const r = rand();
        return r < 0.1
          ? NaN
          : r < 0.15
            ? Infinity
            : r < 0.2
              ? -Infinity
              : r * 100 - 50;
      });
      const steps = values.map((_, i) => i);
      let merged = emptyMetricSummary();
      let at = 0;
      while (at < n) {
        const end = Math.min(n, at + 1 + Math.floor(rand() * 8));
        merged = mergeMetricSummary(
          merged,
          summarizeSeries(values.slice(at, end), steps.slice(at, end))
        );
        at = end;
      }
      expect(merged).toEqual(summarizeSeries(values, steps));
    }
  });

  it('keeps the last value of the earlier points when nothing is appended', () => {
    const a = summarizeSeries([1, 2], [0, 1]);
    expect(mergeMetricSummary(a, emptyMetricSummary())).toEqual(a);
  });

  it('takes a non-finite last from the appended points', () => {
    const a = summarizeSeries([1, 2], [0, 1]);
    expect(mergeMetricSummary(a, summarizeSeries([NaN], [2]))).toEqual({
      last: null,
      min: 1,
      max: 2,
      step: 2,
      count: 3
    });
  });
});

describe('summarizeExperiment', () => {
  const experiment: IExperiment = {
    id: '20260101T000000000Z-abcdef',
    name: 'run',
    project: 'p',
    notebook: 'p/train.ipynb',
    tags: ['a'],
    notes: 'x'.repeat(500),
    status: 'finished',
    started: '2026-01-01T00:00:00.000Z',
    ended: '2026-01-01T00:01:30.000Z',
    kernel: { name: 'python3', language: 'python' },
    labbookVersion: '1',
    params: { lr: 0.1, expr: { source: '1e-3 * k' } },
    executions: 4,
    starred: true
  };

  it('keeps what the list shows, the duration and the first 200 characters of the notes', () => {
    const s = summarizeExperiment(experiment, {
      loss: summarizeSeries([1], [0])
    });
    expect(s).toMatchObject({
      id: experiment.id,
      name: 'run',
      tags: ['a'],
      status: 'finished',
      duration: 90_000,
      executions: 4,
      kernel: 'python3',
      starred: true,
      archived: false,
      links: [],
      params: { lr: 0.1, expr: { source: '1e-3 * k' } }
    });
    expect(s.notes).toHaveLength(200);
    expect(s.metrics.loss.count).toBe(1);
    expect(s.damaged).toBeUndefined();
  });

  it('measures a running experiment to its last heartbeat, and an unknown end as null', () => {
    const running = {
      ...experiment,
      status: 'running' as const,
      ended: null,
      heartbeat: '2026-01-01T00:00:10.000Z'
    };
    expect(summarizeExperiment(running).duration).toBe(10_000);
    expect(
      summarizeExperiment({ ...running, heartbeat: null }).duration
    ).toBeNull();
    expect(
      summarizeExperiment({ ...experiment, ended: 'garbage' }).duration
    ).toBeNull();
  });

  it('lists an unreadable experiment by id, with its start time from the id and the problem', () => {
    const s = damagedSummary('20260102T030405006Z-zzzzzz', 'not valid JSON');
    expect(s.started).toBe('2026-01-02T03:04:05.006Z');
    expect(s.damaged).toBe('not valid JSON');
  });
});

import type { IExperimentSummary } from '../../../src/core/index/summary';
import type { IMetricSummary } from '../../../src/core/model';

/** A finished experiment summary with `over` applied. */
export function summary(
  over: Partial<IExperimentSummary> = {}
): IExperimentSummary {
  return {
    id: '20261101T100000000Z-aaaaaa',
    name: 'run',
    project: 'p',
    links: [],
    notebook: 'p/train.ipynb',
    tags: [],
    status: 'finished',
    started: '2026-11-01T10:00:00.000Z',
    ended: '2026-11-01T10:05:00.000Z',
    duration: 300_000,
    starred: false,
    archived: false,
    executions: 10,
    kernel: 'python3',
    params: {},
    metrics: {},
    notes: '',
    ...over
  };
}

/** A metric summary whose last value is `last`. */
export function metric(
  last: number | null,
  over: Partial<IMetricSummary> = {}
): IMetricSummary {
  return { last, min: last, max: last, step: 9, count: 10, ...over };
}

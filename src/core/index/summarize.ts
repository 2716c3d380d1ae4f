/**
 * Summaries for the store index (issue 7): an experiment reduced to what
 * the list shows, and a metric series reduced to last/min/max/step/count.
 * Metric summaries merge, so appended points update a summary without
 * reading the series again.
 */
import type { SeriesOverview } from '../metrics/overview';
import type { IExperiment, IMetricSummary } from '../model';
import { experimentIdTime } from '../store/ids';
import type { IExperimentSummary } from './summary';

/** How many characters of the notes a summary keeps. */
export const SUMMARY_NOTES_LENGTH = 200;

/** The summary of an experiment, with its metric summaries when known. */
export function summarizeExperiment(
  e: IExperiment,
  metrics: { [name: string]: IMetricSummary } = {}
): IExperimentSummary {
  return {
    id: e.id,
    name: e.name,
    project: e.project,
    links: [...(e.links ?? [])],
    notebook: e.notebook,
    tags: [...e.tags],
    status: e.status,
    started: e.started,
    ended: e.ended,
    duration: Private.duration(e),
    starred: e.starred ?? false,
    archived: e.archived ?? false,
    executions: e.executions ?? 0,
    kernel: e.kernel?.name ?? '',
    params: { ...(e.params ?? {}) },
    metrics: { ...metrics },
    notes: e.notes.slice(0, SUMMARY_NOTES_LENGTH),
    ...(e.script ? { script: true } : {})
  };
}

/**
 * The summary of an experiment whose metadata cannot be read: listed, with
 * the problem, so the user sees it rather than a silently shorter list.
 */
export function damagedSummary(
  id: string,
  problem: string
): IExperimentSummary {
  return {
    id,
    name: id,
    project: '',
    links: [],
    notebook: '',
    tags: [],
    status: 'interrupted',
    started: experimentIdTime(id)?.toISOString() ?? '',
    ended: null,
    duration: null,
    starred: false,
    archived: false,
    executions: 0,
    kernel: '',
    params: {},
    metrics: {},
    notes: '',
    damaged: problem
  };
}

/** An empty metric summary (no points). */
export function emptyMetricSummary(): IMetricSummary {
  return { last: null, min: null, max: null, step: null, count: 0 };
}

/**
 * Summary of one series, points in the order logged: `last` and `step` are
 * those of the last point (null when not finite), `min`/`max` over the
 * finite values, `count` every point.
 */
export function summarizeSeries(
  values: ArrayLike<number>,
  steps: ArrayLike<number>
): IMetricSummary {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // NaN fails both comparisons; ±Infinity is excluded explicitly.
    if (v < min && v !== -Infinity) {
      min = v;
    }
    if (v > max && v !== Infinity) {
      max = v;
    }
  }
  return {
    last: n > 0 ? Private.finite(values[n - 1]) : null,
    min: min === Infinity ? null : min,
    max: max === -Infinity ? null : max,
    step: n > 0 && steps.length >= n ? Private.finite(steps[n - 1]) : null,
    count: n
  };
}

/**
 * The summary of a metric from its overview (`src/core/metrics/overview.ts`):
 * exact, since every bucket keeps its lowest and highest point.
 */
export function summarizeOverview(o: SeriesOverview): IMetricSummary {
  const { y } = o.step.points();
  const s = summarizeSeries(y, []);
  return {
    last: o.last ? Private.finite(o.last[2]) : null,
    min: s.min,
    max: s.max,
    step: o.last ? Private.finite(o.last[0]) : null,
    count: o.count
  };
}

/**
 * The summary of `a`'s points followed by `b`'s: last and step from `b`
 * when it has points, min/max over both, counts added.
 */
export function mergeMetricSummary(
  a: IMetricSummary,
  b: IMetricSummary
): IMetricSummary {
  if (b.count === 0) {
    return { ...a };
  }
  if (a.count === 0) {
    return { ...b };
  }
  return {
    last: b.last,
    min: Private.pick(a.min, b.min, Math.min),
    max: Private.pick(a.max, b.max, Math.max),
    step: b.step,
    count: a.count + b.count
  };
}

namespace Private {
  export function finite(v: number): number | null {
    return Number.isFinite(v) ? v : null;
  }

  export function pick(
    a: number | null,
    b: number | null,
    f: (x: number, y: number) => number
  ): number | null {
    return a === null ? b : b === null ? a : f(a, b);
  }

  /** Start to end, or to the last heartbeat while running; null if unknown. */
  export function duration(e: IExperiment): number | null {
    const start = Date.parse(e.started);
    const end =
      e.ended !== null
        ? Date.parse(e.ended)
        : e.status === 'running' && e.heartbeat
          ? Date.parse(e.heartbeat)
          : NaN;
    const d = end - start;
    return Number.isFinite(d) && d >= 0 ? d : null;
  }
}

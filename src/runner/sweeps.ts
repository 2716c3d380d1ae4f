/**
 * Sweeps on the run queue from a sweep config (src/core/sweep): queueing
 * one (checked first: a config with a problem names the field and queues
 * nothing), and the next suggestions for a worker, from the sweep's
 * trials and, for TPE, the past experiments of the same notebook or
 * project (warm start).
 */
import type { IExperimentSummary } from '../core/index/summary';
import type { ParamValue } from '../core/model';
import type { QueueStore } from '../core/queue/queuestore';
import type { ISweepDefinition, ISweepState } from '../core/queue/types';
import {
  formatConfigErrors,
  gridPoints,
  parseSweepConfig,
  suggest,
  warmStartTrials,
  type ISweepConfig,
  type ISweepConfigError,
  type ITrialRecord
} from '../core/sweep';

/** A config that cannot be queued: every problem with its field. */
export class SweepConfigError extends Error {
  constructor(readonly errors: ISweepConfigError[]) {
    super(formatConfigErrors(errors));
    this.name = 'SweepConfigError';
  }
}

export interface IQueueSweepOptions {
  /** The notebook each trial runs (a path on the server). */
  notebook: string;
  name?: string;
  project?: string;
  kernel?: string;
  /** Per-trial time limit (ms). */
  timeout?: number;
}

/**
 * Check `raw` and queue it: a grid with all its points, random and TPE
 * with none (workers suggest each trial when a slot is free, so every
 * suggestion sees the results before it).
 *
 * @throws SweepConfigError naming each field at fault; nothing is written
 */
export async function queueSweep(
  queue: QueueStore,
  raw: unknown,
  options: IQueueSweepOptions
): Promise<ISweepDefinition> {
  const parsed = parseSweepConfig(raw);
  if (parsed.errors) {
    throw new SweepConfigError(parsed.errors);
  }
  const config = parsed.config;
  const points = config.method === 'grid' ? gridPoints(config) : [];
  const name =
    options.name ??
    config.name ??
    `${config.method} ${options.notebook.split('/').pop()}`;
  return queue.createSweep(
    {
      name,
      notebook: options.notebook,
      ...(options.kernel ? { kernel: options.kernel } : {}),
      ...(options.project !== undefined ? { project: options.project } : {}),
      ...(options.timeout ? { timeout: options.timeout } : {}),
      method: config.method,
      metric: { name: config.metric.name, goal: config.metric.goal },
      config: config as unknown as { [key: string]: unknown },
      budget: config.method === 'grid' ? points.length : config.budget,
      concurrency: config.concurrency,
      maxRetries: config.retries
    },
    points
  );
}

/** The sweep's config, or null when it has none or it no longer checks. */
export function sweepConfig(sweep: ISweepDefinition): ISweepConfig | null {
  if (!sweep.config) {
    return null;
  }
  const parsed = parseSweepConfig(sweep.config);
  return parsed.config ?? null;
}

/**
 * Up to `count` next params for an adaptive sweep: each suggestion is
 * counted as running for the next (so parallel trials differ).
 * `experiments` are the store's summaries, for TPE's warm start.
 */
export function nextSuggestions(
  state: ISweepState,
  count: number,
  experiments: readonly IExperimentSummary[] = []
): { [name: string]: ParamValue }[] {
  const config = sweepConfig(state.sweep);
  if (!config || config.method === 'grid') {
    return [];
  }
  const trials: ITrialRecord[] = state.trials.map(t => ({
    params: t.params,
    state:
      t.status === 'done'
        ? 'complete'
        : t.status === 'stopped'
          ? 'stopped'
          : t.status === 'running'
            ? 'running'
            : t.status === 'queued'
              ? 'queued'
              : 'failed',
    ...(typeof t.metric === 'number' ? { value: t.metric } : {})
  }));
  const own = new Set(state.trials.map(t => t.experiment));
  const related = experiments.filter(
    e =>
      !own.has(e.id) &&
      (config.warmStart === 'project'
        ? e.project === (state.sweep.project ?? e.project)
        : e.notebook === state.sweep.notebook)
  );
  const warm = config.method === 'tpe' ? warmStartTrials(config, related) : [];
  const out: { [name: string]: ParamValue }[] = [];
  for (let i = 0; i < count; i++) {
    const next = suggest(config, { trials, warm });
    if (!next) {
      break;
    }
    out.push(next);
    trials.push({ params: next, state: 'queued' });
  }
  return out;
}

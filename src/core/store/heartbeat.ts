/** Telling a running experiment whose tab is gone from one that is alive. */
import type { IExperiment } from '../model';

/**
 * A `running` experiment is stale when its last heartbeat (else its start)
 * is older than `staleMs`: the tab that ran it closed or crashed.
 */
export function isStale(
  experiment: IExperiment,
  now: Date,
  staleMs: number
): boolean {
  if (experiment.status !== 'running') {
    return false;
  }
  const last = Date.parse(experiment.heartbeat ?? experiment.started);
  if (!Number.isFinite(last)) {
    return true;
  }
  return now.getTime() - last > staleMs;
}

/**
 * The queue's state is a pure fold over its files: the sweep definition,
 * every writer's events (in time order, then writer, then file order),
 * the claims and the worker leases, at a given time. Anyone who reads the
 * same files at the same time sees the same state, so no writer needs to
 * rewrite a shared file.
 *
 * - A trial is `running` while the winning claim of its current attempt
 *   belongs to a worker whose lease is alive. The winner of an attempt is
 *   the earliest claim (the store's modification time when it knows one,
 *   else the claim's own time), then the smallest writer id.
 * - A claim whose worker's lease expired (or that stopped) puts the trial
 *   back in the queue as the next attempt: the worker stopped mid-run.
 * - A failed attempt is queued again while `failures <= maxRetries`.
 */
import type {
  IClaim,
  ISweepDefinition,
  ISweepState,
  ITrialState,
  IQueueEventsFile,
  IWorkerLease,
  QueueEvent,
  TrialStatus
} from './types';

export interface IQueueFiles {
  sweep: ISweepDefinition;
  /** Event files, each with its file name (`<seq>-<writer>.json`). */
  events: { name: string; file: IQueueEventsFile }[];
  claims: IClaim[];
  workers: IWorkerLease[];
}

const TERMINAL: ReadonlySet<TrialStatus> = new Set([
  'done',
  'failed',
  'stopped',
  'cancelled'
]);

export function isTerminal(status: TrialStatus): boolean {
  return TERMINAL.has(status);
}

/** Whether the lease is alive at `now`. */
export function leaseAlive(
  lease: IWorkerLease | undefined,
  now: number
): boolean {
  if (!lease || lease.stopped) {
    return false;
  }
  const t = Date.parse(lease.time);
  return Number.isFinite(t) && now - t <= lease.ttl;
}

/** The winning claim among claims of one attempt, or undefined. */
export function winningClaim(claims: IClaim[]): IClaim | undefined {
  let best: IClaim | undefined;
  for (const c of claims) {
    if (!best || compareClaims(c, best) < 0) {
      best = c;
    }
  }
  return best;
}

function claimTime(c: IClaim): number {
  if (c.mtime !== undefined && Number.isFinite(c.mtime)) {
    return c.mtime;
  }
  const t = Date.parse(c.time);
  return Number.isFinite(t) ? t : Infinity;
}

function compareClaims(a: IClaim, b: IClaim): number {
  const d = claimTime(a) - claimTime(b);
  if (d !== 0) {
    return d;
  }
  return a.writer < b.writer ? -1 : a.writer > b.writer ? 1 : 0;
}

interface ITimedEvent {
  event: QueueEvent;
  writer: string;
  name: string;
  index: number;
}

export function foldQueue(files: IQueueFiles, now: number): ISweepState {
  const { sweep } = files;
  const maxRetries = sweep.maxRetries ?? 0;
  const ordered: ITimedEvent[] = [];
  for (const { name, file } of files.events) {
    file.events.forEach((event, index) =>
      ordered.push({ event, writer: file.writer, name, index })
    );
  }
  ordered.sort((a, b) => {
    const ta = Date.parse(a.event.time);
    const tb = Date.parse(b.event.time);
    if (ta !== tb) {
      return (ta || 0) - (tb || 0);
    }
    if (a.writer !== b.writer) {
      return a.writer < b.writer ? -1 : 1;
    }
    if (a.name !== b.name) {
      return a.name < b.name ? -1 : 1;
    }
    return a.index - b.index;
  });

  const trials = new Map<string, ITrialState>();
  let status: ISweepState['status'] = 'active';
  const budget = sweep.budget ?? Infinity;

  const requeueFailed = (t: ITrialState) => {
    t.failures++;
    if (t.failures <= maxRetries) {
      t.attempt++;
      t.status = 'queued';
    } else {
      t.status = 'failed';
    }
  };

  for (const { event } of ordered) {
    switch (event.type) {
      case 'queued':
        if (status === 'cancelled') {
          break;
        }
        for (const q of event.trials) {
          if (trials.has(q.id) || trials.size >= budget) {
            continue; // a duplicate, or beyond the budget
          }
          trials.set(q.id, {
            id: q.id,
            number: trials.size + 1,
            params: q.params,
            status: 'queued',
            attempt: 1,
            failures: 0,
            requeued: 0,
            queued: event.time
          });
        }
        break;
      case 'ended': {
        const t = trials.get(event.trial);
        if (!t || isTerminal(t.status) || event.attempt < t.attempt) {
          break; // unknown, already over, or a stale attempt
        }
        // A later attempt than we know of: its earlier ones were
        // re-queued after their worker's lease expired.
        t.requeued += event.attempt - t.attempt;
        t.attempt = event.attempt;
        t.experiment = event.experiment ?? t.experiment;
        t.metric = event.metric ?? t.metric;
        t.message = event.message;
        t.ended = event.time;
        if (event.status === 'failed') {
          requeueFailed(t);
        } else {
          t.status = event.status;
        }
        break;
      }
      case 'sweep':
        if (status === 'cancelled') {
          break;
        }
        status =
          event.action === 'cancel'
            ? 'cancelled'
            : event.action === 'pause'
              ? 'paused'
              : 'active';
        break;
      case 'cancel-trial': {
        const t = trials.get(event.trial);
        if (t && !isTerminal(t.status)) {
          t.cancelRequested = true;
        }
        break;
      }
      case 'retry-trial': {
        const t = trials.get(event.trial);
        if (t && isTerminal(t.status) && t.status !== 'done') {
          t.status = 'queued';
          t.attempt++;
          t.failures = 0;
          t.cancelRequested = false;
          t.message = undefined;
        }
        break;
      }
    }
  }

  // Claims and leases: who runs what now.
  const leases = new Map(files.workers.map(w => [w.writer, w]));
  const byAttempt = new Map<string, IClaim[]>();
  for (const c of files.claims) {
    const key = `${c.trial}\u0000${c.attempt}`;
    const list = byAttempt.get(key) ?? [];
    list.push(c);
    byAttempt.set(key, list);
  }
  for (const t of trials.values()) {
    for (;;) {
      if (t.status !== 'queued') {
        break;
      }
      const won = winningClaim(
        byAttempt.get(`${t.id}\u0000${t.attempt}`) ?? []
      );
      if (!won) {
        break;
      }
      if (leaseAlive(leases.get(won.writer), now)) {
        t.status = 'running';
        t.worker = won.writer;
        t.server = won.server;
        break;
      }
      // Its worker stopped mid-run: the next attempt is queued.
      t.attempt++;
      t.requeued++;
    }
    if (t.cancelRequested && t.status === 'queued') {
      t.status = 'cancelled';
    }
  }
  if (status === 'cancelled') {
    for (const t of trials.values()) {
      if (t.status === 'queued') {
        t.status = 'cancelled';
      } else if (t.status === 'running') {
        t.cancelRequested = true;
      }
    }
  }

  const list = [...trials.values()];
  const counts: Record<TrialStatus, number> = {
    queued: 0,
    running: 0,
    done: 0,
    failed: 0,
    stopped: 0,
    cancelled: 0
  };
  for (const t of list) {
    counts[t.status]++;
  }
  if (
    status === 'active' &&
    list.length > 0 &&
    counts.queued === 0 &&
    counts.running === 0 &&
    (sweep.budget === undefined || list.length >= budget)
  ) {
    status = 'finished';
  }
  return { sweep, status, trials: list, counts, best: bestTrial(sweep, list) };
}

/** The done trial with the best metric (ties: the earlier trial). */
export function bestTrial(
  sweep: ISweepDefinition,
  trials: ITrialState[]
): ITrialState | undefined {
  if (!sweep.metric) {
    return undefined;
  }
  const sign = sweep.metric.goal === 'maximize' ? -1 : 1;
  let best: ITrialState | undefined;
  for (const t of trials) {
    if (
      (t.status !== 'done' && t.status !== 'stopped') ||
      typeof t.metric !== 'number' ||
      !Number.isFinite(t.metric)
    ) {
      continue;
    }
    if (!best || sign * t.metric < sign * (best.metric as number)) {
      best = t;
    }
  }
  return best;
}

/**
 * The trials a worker may start now, in queue order: the sweep is active,
 * the trial queued, and the sweep's concurrency not used up.
 */
export function runnableTrials(state: ISweepState): ITrialState[] {
  if (state.status !== 'active') {
    return [];
  }
  const room = (state.sweep.concurrency ?? Infinity) - state.counts.running;
  if (room <= 0) {
    return [];
  }
  return state.trials.filter(t => t.status === 'queued').slice(0, room);
}

/**
 * A worker: takes queued trials from the store's run queue, runs each one
 * (its notebook with the trial's parameters) in a fresh kernel of one of
 * its servers, records it as an ordinary Labbook experiment linked to its
 * sweep, and writes how it ended. Used by `labbook worker` in Node and by
 * a tab. Several workers, on several machines, share one queue: a claim
 * decides who runs a trial, and a lease (rewritten every `ttl / 3`) tells
 * the others this worker is alive; when it is not, its trials go back to
 * the queue (src/core/queue/fold.ts).
 */
import { StoreIndex } from '../core/index/storeindex';
import type { ParamValue } from '../core/model';
import { injectParameters, type INotebookLike } from '../core/params/inject';
import { runnableTrials } from '../core/queue/fold';
import { QueueStore } from '../core/queue/queuestore';
import type {
  ISweepDefinition,
  ISweepState,
  ITrialState,
  TrialEnd
} from '../core/queue/types';
import type { IStoreFS } from '../core/store/fs';
import { LabbookStore } from '../core/store/store';
import { runNotebook, type IRunOptions, type IRunResult } from './execute';
import { KernelPool, type IServerSlots, type ISlot } from './kernelpool';
import { followKernel } from './follow';
import { TrialRecording } from './record';
import { nextSuggestions, sweepConfig } from './sweeps';
import type { Kernel } from '@jupyterlab/services';

export interface IWorkerOptions {
  /** The store folder (the Contents API, or a local folder). */
  fs: IStoreFS;
  /** Where trials run, with each server's slots. */
  servers: IServerSlots[];
  /** Read a sweep's notebook (a path on the servers). */
  readNotebook: (path: string) => Promise<INotebookLike>;
  /** Only this sweep's trials. */
  sweep?: string;
  /** Lease time to live (ms, default 30 s). */
  leaseTtl?: number;
  /** How often the queue is read while slots are free (ms, default 1 s). */
  pollMs?: number;
  writer?: string;
  host?: string;
  labbookVersion?: string;
  /** One line per thing that happened, for a console. */
  log?: (line: string) => void;
  /**
   * Follow what the trial's kernel logs (the `labbook` module's batches);
   * its `flush` resolves once the kernel's last batches are stored, its
   * `ready` (if any) once the first cell may run. Default `followKernel`;
   * null: only history, snapshots and status are kept.
   */
  follow?:
    | ((
        kernel: Kernel.IKernelConnection,
        recording: TrialRecording
      ) => IFollower)
    | null;
  /** Told when a trial is claimed, its first cell is sent, and it ends. */
  onTrial?: (event: {
    phase: 'claimed' | 'first-cell' | 'ended';
    sweep: string;
    trial: string;
    attempt: number;
  }) => void;
  /**
   * More trials for a sweep whose budget is not used up and whose queue is
   * empty (an adaptive search): `count` parameter sets at most.
   */
  suggest?: (
    state: ISweepState,
    count: number
  ) => Promise<{ [name: string]: ParamValue }[]>;
}

export interface IFollower {
  /** The first cell may be sent. */
  readonly ready?: Promise<void>;
  /** Wait until what the kernel sent is stored. */
  flush(): Promise<void>;
  dispose(): void;
}

/** What a worker did with one attempt. */
export interface ITrialOutcome {
  sweep: string;
  trial: string;
  attempt: number;
  status: TrialEnd;
  experiment?: string;
  metric?: number | null;
  message?: string;
  server: string;
}

export class Worker {
  constructor(options: IWorkerOptions) {
    this._options = options;
    this.queue = new QueueStore(options.fs, options.writer);
    this.store = new LabbookStore({
      fs: options.fs,
      writer: this.queue.writer
    });
    this._pool = new KernelPool(options.servers);
    this._ttl = options.leaseTtl ?? 30_000;
  }

  readonly queue: QueueStore;
  readonly store: LabbookStore;

  get writer(): string {
    return this.queue.writer;
  }

  /** Attempts ended by this worker, in order. */
  get outcomes(): readonly ITrialOutcome[] {
    return this._outcomes;
  }

  /** Trials running now. */
  get running(): number {
    return this._running.size;
  }

  /**
   * Run until `stop()`, or (with `untilIdle`) until no sweep has anything
   * queued or running for this worker.
   */
  async run(options: { untilIdle?: boolean } = {}): Promise<void> {
    const started = new Date().toISOString();
    this._lease = () =>
      this.queue.writeLease({
        started,
        ttl: this._ttl,
        slots: this._pool.size,
        ...(this._options.host ? { host: this._options.host } : {}),
        servers: this._pool.urls
      });
    await this._lease();
    this._index = new StoreIndex({ store: this.store });
    await this._index.load({ check: false });
    this._index.attach();
    let lastBeat = Date.now();
    let lastTick = 0;
    const poll = this._options.pollMs ?? 1_000;
    try {
      while (!this._stopping) {
        if (Date.now() - lastBeat > this._ttl / 3) {
          lastBeat = Date.now();
          await this._lease().catch(e => this._log(`lease not written: ${e}`));
        }
        // All slots busy: look only for cancellations, every few seconds.
        if (this._pool.free === 0 && Date.now() - lastTick < 3_000) {
          await this._sleep(poll);
          continue;
        }
        lastTick = Date.now();
        const busy = await this._tick().catch(e => {
          this._log(`queue not read: ${e instanceof Error ? e.message : e}`);
          return true;
        });
        if (options.untilIdle && !busy && this._running.size === 0) {
          break;
        }
        await this._sleep(poll);
      }
    } finally {
      await Promise.all([...this._running.values()].map(r => r.done));
      await this._index.flush().catch(() => undefined);
      this._index.dispose();
      await this.queue
        .writeLease({
          started,
          ttl: this._ttl,
          slots: this._pool.size,
          servers: this._pool.urls,
          stopped: true
        })
        .catch(() => undefined);
      this._pool.dispose();
    }
  }

  /**
   * Stop: take no more trials; with `abort`, cancel the running ones (they
   * go back to the queue for another worker, not marked failed).
   */
  stop(options: { abort?: boolean } = {}): void {
    this._stopping = true;
    if (options.abort) {
      this._aborting = true;
      for (const r of this._running.values()) {
        r.abort.abort();
      }
    }
    this._wake?.();
  }

  /** One look at the queue. Returns whether anything is queued or running. */
  private async _tick(): Promise<boolean> {
    const ids = this._options.sweep
      ? [this._options.sweep]
      : await this.queue.listSweeps();
    let busy = false;
    for (const id of ids) {
      const def = await this._definition(id);
      if (!def) {
        continue;
      }
      const state = await this.queue.readSweep(id, def);
      for (const t of state.trials) {
        const mine = this._running.get(`${id}/${t.id}`);
        if (mine && t.cancelRequested) {
          mine.cancelled = true;
          mine.abort.abort();
        }
      }
      if (state.counts.queued > 0 || state.counts.running > 0) {
        busy = true;
      }
      if (state.status !== 'active' || this._stopping) {
        continue;
      }
      await this._suggest(state);
      for (const t of runnableTrials(await this._maybeReread(state))) {
        if (this._pool.free === 0 || this._stopping) {
          return true;
        }
        if (this._running.has(`${id}/${t.id}`)) {
          continue;
        }
        const slot = this._pool.tryAcquire()!;
        const won = await this.queue.claim(id, t.id, t.attempt, slot.url);
        if (!won) {
          slot.release();
          continue;
        }
        busy = true;
        this._tell('claimed', id, t);
        this._launch(def, t, slot);
      }
    }
    return busy;
  }

  private async _maybeReread(state: ISweepState): Promise<ISweepState> {
    return this._suggested
      ? ((this._suggested = false),
        await this.queue.readSweep(state.sweep.id, state.sweep))
      : state;
  }

  /** Queue more trials of an adaptive sweep with free budget. */
  private async _suggest(state: ISweepState): Promise<void> {
    const suggest =
      this._options.suggest ??
      (async (st: ISweepState, count: number) =>
        nextSuggestions(st, count, this._index?.summaries ?? []));
    const budget = state.sweep.budget;
    if (budget === undefined || state.counts.queued > 0) {
      return;
    }
    const room = Math.min(
      budget - state.trials.length,
      this._pool.free,
      (state.sweep.concurrency ?? Infinity) - state.counts.running
    );
    if (room <= 0) {
      return;
    }
    const params = await suggest(state, room);
    if (params.length) {
      await this.queue.queueTrials(state.sweep.id, params.slice(0, room));
      this._suggested = true;
    }
  }

  private async _definition(id: string): Promise<ISweepDefinition | null> {
    const known = this._definitions.get(id);
    if (known !== undefined) {
      return known;
    }
    try {
      const def = await this.queue.readSweepDefinition(id);
      this._definitions.set(id, def);
      return def;
    } catch (e) {
      this._log(`sweep ${id} skipped: ${e instanceof Error ? e.message : e}`);
      this._definitions.set(id, null);
      return null;
    }
  }

  private _launch(def: ISweepDefinition, t: ITrialState, slot: ISlot): void {
    const key = `${def.id}/${t.id}`;
    const entry: IRunningTrial = {
      abort: new AbortController(),
      cancelled: false,
      done: Promise.resolve()
    };
    this._running.set(key, entry);
    entry.done = this._runTrial(def, t, slot, entry)
      .catch(e => this._log(`trial ${key} not recorded: ${e}`))
      .finally(() => {
        slot.release();
        this._running.delete(key);
        this._wake?.();
      });
  }

  private async _runTrial(
    def: ISweepDefinition,
    t: ITrialState,
    slot: ISlot,
    entry: IRunningTrial
  ): Promise<void> {
    const label = `${def.name} #${t.number}`;
    this._log(`${label}: attempt ${t.attempt} on ${slot.url}`);
    let ended: Omit<ITrialOutcome, 'sweep' | 'trial' | 'attempt' | 'server'>;
    try {
      const nb = await this._options.readNotebook(def.notebook);
      const start = injectParameters(nb, t.params);
      const rec = await TrialRecording.begin(
        this.store,
        {
          name: label,
          notebook: def.notebook,
          ...(def.project !== undefined ? { project: def.project } : {}),
          params: t.params,
          sweep: { id: def.id, trial: t.id, attempt: t.attempt },
          kernelName: def.kernel ?? kernelOf(nb) ?? 'python3',
          ...(this._options.labbookVersion
            ? { labbookVersion: this._options.labbookVersion }
            : {})
        },
        start,
        def.metric?.name,
        sweepConfig(def)?.metric.summary ?? 'last'
      );
      let follower: IFollower | null = null;
      const runOptions: IRunOptions = {
        serverSettings: slot.settings,
        kernelManager: slot.kernelManager,
        path: def.notebook,
        params: t.params,
        ...(def.kernel ? { kernelName: def.kernel } : {}),
        ...(def.timeout ? { timeout: def.timeout } : {}),
        signal: entry.abort.signal,
        onCell: e => {
          if (e.phase === 'start' && e.position === 0) {
            this._tell('first-cell', def.id, t);
          }
        },
        onKernel: async kernel => {
          rec.attach(kernel);
          const follow =
            this._options.follow === undefined
              ? followKernel
              : this._options.follow;
          follower = follow?.(kernel, rec) ?? null;
          await follower?.ready;
        },
        beforeShutdown: async () => {
          await follower?.flush();
        }
      };
      let result: IRunResult;
      try {
        result = await runNotebook(nb, runOptions);
      } finally {
        (follower as IFollower | null)?.dispose();
      }
      await rec.end(result);
      ended = {
        status:
          result.status === 'ok'
            ? 'done'
            : result.status === 'cancelled'
              ? 'cancelled'
              : 'failed',
        experiment: rec.id,
        metric: rec.metric,
        ...(result.message ? { message: result.message } : {})
      };
    } catch (e) {
      ended = {
        status: 'failed',
        message: e instanceof Error ? e.message : String(e)
      };
    }
    if (this._aborting && !entry.cancelled) {
      // Stopped with the worker: leave the attempt to the lease rule.
      this._log(`${label}: left for another worker`);
      return;
    }
    const outcome: ITrialOutcome = {
      sweep: def.id,
      trial: t.id,
      attempt: t.attempt,
      server: slot.url,
      ...ended
    };
    await this.queue.appendEvents(def.id, [
      {
        type: 'ended',
        time: new Date().toISOString(),
        trial: t.id,
        attempt: t.attempt,
        status: outcome.status,
        ...(outcome.experiment ? { experiment: outcome.experiment } : {}),
        ...(outcome.metric !== undefined ? { metric: outcome.metric } : {}),
        ...(outcome.message ? { message: outcome.message } : {})
      }
    ]);
    this._outcomes.push(outcome);
    this._tell('ended', def.id, t);
    await this._index?.flush().catch(() => undefined);
    this._log(
      `${label}: ${outcome.status}${outcome.metric != null ? ` (${def.metric?.name} = ${outcome.metric})` : ''}${outcome.message ? ` — ${outcome.message}` : ''}`
    );
  }

  private _sleep(ms: number): Promise<void> {
    return new Promise(resolve => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this._wake = done;
    });
  }

  private _tell(
    phase: 'claimed' | 'first-cell' | 'ended',
    sweep: string,
    t: ITrialState
  ): void {
    this._options.onTrial?.({ phase, sweep, trial: t.id, attempt: t.attempt });
  }

  private _log(line: string): void {
    this._options.log?.(line);
  }

  private _options: IWorkerOptions;
  private _pool: KernelPool;
  private _ttl: number;
  private _lease: () => Promise<void> = async () => undefined;
  private _index: StoreIndex | null = null;
  private _definitions = new Map<string, ISweepDefinition | null>();
  private _running = new Map<string, IRunningTrial>();
  private _outcomes: ITrialOutcome[] = [];
  private _stopping = false;
  private _aborting = false;
  private _suggested = false;
  private _wake: (() => void) | null = null;
}

interface IRunningTrial {
  abort: AbortController;
  cancelled: boolean;
  done: Promise<void>;
}

function kernelOf(nb: INotebookLike): string | undefined {
  const spec = (nb.metadata as { kernelspec?: { name?: unknown } } | undefined)
    ?.kernelspec;
  return typeof spec?.name === 'string' ? spec.name : undefined;
}

/**
 * Reading and writing the run queue through any `IStoreFS` (the Contents
 * API in a tab, Node's fs or the Contents API from `labbook worker`).
 * Layout (docs/store-format.md, "The run queue"):
 *
 *   sweeps/<id>/sweep.json
 *   sweeps/<id>/events/<seq>-<writer>.json
 *   sweeps/<id>/claims/<trial>-<attempt>-<writer>.json
 *   workers/<writer>.json
 *
 * Claiming is optimistic: write our claim, list the attempt's claims, and
 * run only if ours wins (`winningClaim`). A claim's trial and attempt are
 * read from the file, not its name.
 */
import {
  StoreDamagedError,
  StoreNotFoundError,
  type IStoreFS
} from '../store/fs';
import { FORMATS, FORMAT_VERSION, parseStoreFile } from '../store/format';
import { newExperimentId, newWriterId } from '../store/ids';
import { storePath } from '../store/path';
import { foldQueue, winningClaim, type IQueueFiles } from './fold';
import type {
  IClaim,
  IQueueEventsFile,
  IQueuedTrial,
  ISweepDefinition,
  ISweepState,
  IWorkerLease,
  QueueEvent
} from './types';

const ID_SEGMENT = /^[0-9A-Za-z_-]{1,80}$/;

/** A damaged queue file: reported, the rest of the sweep still folds. */
export interface IQueueProblem {
  path: string;
  problem: string;
}

export class QueueStore {
  constructor(
    readonly fs: IStoreFS,
    readonly writer: string = newWriterId(),
    private readonly _now: () => number = Date.now
  ) {
    this._seqBase = this._now() * 1000;
  }

  /** Problems met by the last reads. */
  readonly problems: IQueueProblem[] = [];

  /**
   * Queue a new sweep: its definition and (when known up front, e.g. a
   * grid) its first trials. Returns the sweep id.
   */
  async createSweep(
    def: Omit<ISweepDefinition, 'id' | 'created' | 'writer'> & { id?: string },
    trials: { [name: string]: unknown }[] = []
  ): Promise<ISweepDefinition> {
    const id = def.id ?? newExperimentId(new Date(this._now()));
    checkSegment(id, 'sweep id');
    const sweep: ISweepDefinition = {
      ...def,
      id,
      created: new Date(this._now()).toISOString(),
      writer: this.writer
    };
    await this.fs.writeText(
      storePath('sweeps', id, 'sweep.json'),
      JSON.stringify({
        format: FORMATS.sweep,
        version: FORMAT_VERSION,
        sweep
      })
    );
    if (trials.length) {
      await this.queueTrials(id, trials as IQueuedTrial['params'][]);
    }
    return sweep;
  }

  /** Add trials to a sweep (one events file). Returns their ids. */
  async queueTrials(
    sweepId: string,
    params: IQueuedTrial['params'][]
  ): Promise<string[]> {
    const trials = params.map(p => ({ id: this._trialId(), params: p }));
    await this.appendEvents(sweepId, [
      { type: 'queued', time: this._iso(), trials }
    ]);
    return trials.map(t => t.id);
  }

  /** Append events as one new file of ours. */
  async appendEvents(sweepId: string, events: QueueEvent[]): Promise<void> {
    checkSegment(sweepId, 'sweep id');
    const file: IQueueEventsFile = { writer: this.writer, events };
    await this.fs.writeText(
      storePath('sweeps', sweepId, 'events', this._chunkName()),
      JSON.stringify({
        format: FORMATS.queueEvents,
        version: FORMAT_VERSION,
        ...file
      })
    );
  }

  /** Pause, resume or cancel a sweep. */
  async control(
    sweepId: string,
    action: 'pause' | 'resume' | 'cancel'
  ): Promise<void> {
    await this.appendEvents(sweepId, [
      { type: 'sweep', time: this._iso(), action }
    ]);
  }

  /** The ids of every sweep in the store. */
  async listSweeps(): Promise<string[]> {
    const entries = await this.fs.list('sweeps');
    return entries
      .filter(e => e.type === 'directory' && ID_SEGMENT.test(e.name))
      .map(e => e.name)
      .sort();
  }

  async readSweepDefinition(sweepId: string): Promise<ISweepDefinition> {
    checkSegment(sweepId, 'sweep id');
    const path = storePath('sweeps', sweepId, 'sweep.json');
    const file = parseStoreFile<{ sweep?: ISweepDefinition }>(
      path,
      await this.fs.readText(path),
      FORMATS.sweep
    );
    const sweep = file.sweep;
    if (
      !sweep ||
      typeof sweep !== 'object' ||
      sweep.id !== sweepId ||
      typeof sweep.notebook !== 'string'
    ) {
      throw new StoreDamagedError(path, 'no sweep with this id and a notebook');
    }
    return sweep;
  }

  /** Read every file of a sweep and fold them at `now`. */
  async readSweep(
    sweepId: string,
    definition?: ISweepDefinition
  ): Promise<ISweepState> {
    return foldQueue(await this.readFiles(sweepId, definition), this._now());
  }

  async readFiles(
    sweepId: string,
    definition?: ISweepDefinition
  ): Promise<IQueueFiles> {
    this.problems.length = 0;
    const sweep = definition ?? (await this.readSweepDefinition(sweepId));
    const [events, claims, workers] = await Promise.all([
      this._readDir<IQueueEventsFile>(
        storePath('sweeps', sweepId, 'events'),
        FORMATS.queueEvents,
        checkEventsFile
      ),
      this._readDir<IClaim>(
        storePath('sweeps', sweepId, 'claims'),
        FORMATS.claim,
        checkClaim
      ),
      this.readWorkers()
    ]);
    return {
      sweep,
      events: events.map(({ name, file }) => ({ name, file })),
      claims: claims.map(({ file, mtime }) =>
        mtime !== undefined ? { ...file, mtime } : file
      ),
      workers
    };
  }

  async readWorkers(): Promise<IWorkerLease[]> {
    const leases = await this._readDir<IWorkerLease>(
      'workers',
      FORMATS.worker,
      checkLease
    );
    return leases.map(l => l.file);
  }

  /**
   * Claim an attempt of a trial. Resolves true when our claim wins: then
   * we run it. Our losing claim is left in place (it never wins later:
   * claims only ever get added after it).
   */
  async claim(
    sweepId: string,
    trial: string,
    attempt: number,
    server?: string
  ): Promise<boolean> {
    checkSegment(sweepId, 'sweep id');
    checkSegment(trial, 'trial id');
    const dir = storePath('sweeps', sweepId, 'claims');
    const mine: IClaim = {
      writer: this.writer,
      trial,
      attempt,
      time: this._iso(),
      ...(server ? { server } : {})
    };
    await this.fs.writeText(
      storePath(dir, `${trial}-${attempt}-${this.writer}.json`),
      JSON.stringify({
        format: FORMATS.claim,
        version: FORMAT_VERSION,
        ...mine
      })
    );
    const prefix = `${trial}-${attempt}-`;
    const claims = (
      await this._readDir<IClaim>(dir, FORMATS.claim, checkClaim, name =>
        name.startsWith(prefix)
      )
    )
      .map(({ file, mtime }) =>
        mtime !== undefined ? { ...file, mtime } : file
      )
      .filter(c => c.trial === trial && c.attempt === attempt);
    return winningClaim(claims)?.writer === this.writer;
  }

  /** Write (or rewrite) our worker lease. */
  async writeLease(
    lease: Omit<IWorkerLease, 'writer' | 'time'>
  ): Promise<void> {
    const full: IWorkerLease = {
      ...lease,
      writer: this.writer,
      time: this._iso()
    };
    await this.fs.writeText(
      storePath('workers', `${this.writer}.json`),
      JSON.stringify({
        format: FORMATS.worker,
        version: FORMAT_VERSION,
        ...full
      })
    );
  }

  /**
   * Read the JSON files of `dir`. Event and claim files are never
   * rewritten, so each is read once and kept; a lease is read again when
   * the listing shows it changed (or cannot tell).
   */
  private async _readDir<T>(
    dir: string,
    format: (typeof FORMATS)[keyof typeof FORMATS],
    check: (v: any) => string | null,
    filter: (name: string) => boolean = () => true
  ): Promise<{ name: string; file: T; mtime?: number }[]> {
    const immutable = format !== FORMATS.worker;
    const entries = (await this.fs.list(dir))
      .filter(
        e => e.type === 'file' && e.name.endsWith('.json') && filter(e.name)
      )
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const out = await Promise.all(
      entries.map(async e => {
        const path = storePath(dir, e.name);
        const stamp = `${e.mtime ?? ''}/${e.size ?? ''}`;
        const known = this._cache.get(path);
        if (
          known &&
          (immutable || (e.mtime !== undefined && known.stamp === stamp))
        ) {
          return known.value as {
            name: string;
            file: T;
            mtime?: number;
          } | null;
        }
        try {
          const file = parseStoreFile<T>(
            path,
            await this.fs.readText(path),
            format
          );
          const problem = check(file);
          if (problem) {
            throw new StoreDamagedError(path, problem);
          }
          const value = { name: e.name, file, mtime: e.mtime };
          this._cache.set(path, { stamp, value });
          return value;
        } catch (err) {
          if (err instanceof StoreNotFoundError) {
            return null; // removed since the listing
          }
          this.problems.push({
            path,
            problem:
              err instanceof StoreDamagedError ? err.problem : String(err)
          });
          return null;
        }
      })
    );
    return out.filter((x): x is NonNullable<typeof x> => x !== null);
  }

  private _trialId(): string {
    return `${this.writer}-${String(++this._trials).padStart(4, '0')}`;
  }

  private _chunkName(): string {
    return `${String(this._seqBase + ++this._seq).padStart(16, '0')}-${this.writer}.json`;
  }

  private _iso(): string {
    return new Date(this._now()).toISOString();
  }

  private _cache = new Map<string, { stamp: string; value: unknown }>();
  private _seq = 0;
  private _seqBase: number;
  private _trials = 0;
}

function checkSegment(id: string, what: string): void {
  if (!ID_SEGMENT.test(id)) {
    throw new Error(`Not a valid ${what}: ${JSON.stringify(id)}`);
  }
}

function checkEventsFile(v: any): string | null {
  if (typeof v.writer !== 'string' || !Array.isArray(v.events)) {
    return 'needs writer and events';
  }
  for (const e of v.events) {
    if (!e || typeof e.type !== 'string' || typeof e.time !== 'string') {
      return 'an event without type or time';
    }
    if (e.type === 'queued' && !Array.isArray(e.trials)) {
      return 'a queued event without trials';
    }
  }
  return null;
}

function checkClaim(v: any): string | null {
  return typeof v.writer === 'string' &&
    typeof v.trial === 'string' &&
    Number.isInteger(v.attempt) &&
    typeof v.time === 'string'
    ? null
    : 'needs writer, trial, attempt and time';
}

function checkLease(v: any): string | null {
  return typeof v.writer === 'string' &&
    typeof v.time === 'string' &&
    typeof v.ttl === 'number'
    ? null
    : 'needs writer, time and ttl';
}

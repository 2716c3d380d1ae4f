/**
 * Experiments: `experiment.json` written once at creation, then metadata
 * edits appended as `edits/<seq>-<writer>.json` and folded in time order,
 * and each writer's heartbeat in its own small file
 * (`heartbeat/<writer>.json`, rewritten: only the newest time matters).
 */
import type { ExperimentStatus, IExperiment, IKernelInfo } from '../model';
import { readChunks, writeChunk } from './chunks';
import { ID_SEGMENT, damage } from './context';
import type { IDamagedFile, StoreContext } from './context';
import { FORMATS, FORMAT_VERSION, parseStoreFile } from './format';
import { StoreDamagedError } from './fs';
import { newExperimentId } from './ids';
import { mapLimit } from './maplimit';

/** Fields an edit may change. */
export type ExperimentPatch = Partial<
  Pick<
    IExperiment,
    | 'name'
    | 'project'
    | 'tags'
    | 'notes'
    | 'status'
    | 'ended'
    | 'heartbeat'
    | 'statusReason'
    | 'starred'
    | 'archived'
    | 'links'
    | 'executions'
    | 'params'
  >
>;
/** What `createExperiment` needs. */
export interface IExperimentInit extends Partial<IExperiment> {
  name: string;
  notebook: string;
  kernel: IKernelInfo;
}

export class Experiments {
  /** `ended(id)` runs after an edit that ends experiment `id`. */
  constructor(ctx: StoreContext, ended: (id: string) => Promise<void>) {
    this._ctx = ctx;
    this._ended = ended;
  }

  /** Create a new experiment (status running unless given). */
  async createExperiment(init: IExperimentInit): Promise<IExperiment> {
    await this.ensureStoreFile();
    const now = this._ctx.now();
    const id = newExperimentId(now);
    const folder = init.notebook.includes('/')
      ? init.notebook.slice(0, init.notebook.lastIndexOf('/'))
      : '';
    const experiment: IExperiment = {
      id,
      name: init.name,
      project: init.project ?? folder,
      notebook: init.notebook,
      tags: [...(init.tags ?? [])],
      notes: init.notes ?? '',
      status: init.status ?? 'running',
      started: init.started ?? now.toISOString(),
      ended: init.ended ?? null,
      heartbeat: init.heartbeat ?? now.toISOString(),
      kernel: { ...init.kernel },
      labbookVersion: init.labbookVersion ?? '0',
      ...(init.params ? { params: structuredClone(init.params) } : {}),
      ...(init.sweep ? { sweep: { ...init.sweep } } : {}),
      ...(init.rerunOf ? { rerunOf: init.rerunOf } : {})
    };
    await this._ctx.fs.writeText(
      this._ctx.path(id, 'experiment.json'),
      JSON.stringify(
        { format: FORMATS.experiment, version: FORMAT_VERSION, experiment },
        null,
        1
      )
    );
    this._ctx.created.add(id);
    this._ctx.emit({
      type: 'created',
      id,
      experiment: structuredClone(experiment)
    });
    return experiment;
  }

  /** Append a metadata edit (the heartbeat goes to its own small file). */
  async updateExperiment(id: string, patch: ExperimentPatch): Promise<void> {
    const { heartbeat, ...rest } = patch;
    if (
      heartbeat !== undefined &&
      heartbeat !== null &&
      Object.keys(rest).length === 0
    ) {
      await this._ctx.fs.writeText(
        this._ctx.path(id, 'heartbeat', `${this._ctx.writer}.json`),
        JSON.stringify({
          format: FORMATS.heartbeat,
          version: FORMAT_VERSION,
          writer: this._ctx.writer,
          time: heartbeat
        })
      );
      return;
    }
    const set: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) {
        set[key] = value;
      }
    }
    await writeChunk(this._ctx, id, 'edits', FORMATS.edit, {
      time: this._ctx.now().toISOString(),
      set
    });
    this._ctx.emit({ type: 'updated', id });
    if (patch.status && patch.status !== 'running') {
      await this._ended(id); // its metric overview is written now
    }
  }

  /** One experiment, folded. Throws `StoreDamagedError` if its metadata is unreadable. */
  async getExperiment(id: string): Promise<IExperiment> {
    const { experiment, damaged } = await this._readExperiment(id);
    if (!experiment) {
      const d = damaged[0];
      throw new StoreDamagedError(
        d?.path ?? this._ctx.path(id, 'experiment.json'),
        d?.problem ?? 'unreadable'
      );
    }
    return experiment;
  }

  /**
   * One experiment, folded, and the files of it that could not be read
   * (never throws for a damaged file: `experiment` is null when its
   * `experiment.json` is unreadable or missing).
   */
  async readExperiment(
    id: string
  ): Promise<{ experiment: IExperiment | null; damaged: IDamagedFile[] }> {
    return this._readExperiment(id);
  }

  /** Every experiment, newest first, and the files that could not be read. */
  async listExperiments(): Promise<{
    experiments: IExperiment[];
    damaged: IDamagedFile[];
  }> {
    const entries = await this._ctx.fs.list('experiments');
    const ids = entries
      .filter(e => e.type === 'directory' && ID_SEGMENT.test(e.name))
      .map(e => e.name)
      .sort()
      .reverse();
    const results = await mapLimit(ids, this._ctx.concurrency, id =>
      this._readExperiment(id)
    );
    const experiments: IExperiment[] = [];
    const damaged: IDamagedFile[] = [];
    for (const r of results) {
      if (r.experiment) {
        experiments.push(r.experiment);
      }
      damaged.push(...r.damaged);
    }
    return { experiments, damaged };
  }
  private async _readExperiment(
    id: string
  ): Promise<{ experiment: IExperiment | null; damaged: IDamagedFile[] }> {
    const damaged: IDamagedFile[] = [];
    const path = this._ctx.path(id, 'experiment.json');
    let experiment: IExperiment;
    try {
      const file = parseStoreFile<{ experiment: IExperiment }>(
        path,
        await this._ctx.fs.readText(path),
        FORMATS.experiment
      );
      experiment = checkExperiment(path, id, file.experiment);
    } catch (error) {
      damaged.push(damage(id, path, error));
      return { experiment: null, damaged };
    }
    const [edits, beats] = await Promise.all([
      readChunks<IEdit>(this._ctx, id, 'edits', FORMATS.edit, damaged),
      readChunks<{ time: string }>(
        this._ctx,
        id,
        'heartbeat',
        FORMATS.heartbeat,
        damaged
      )
    ]);
    edits.sort((a, b) =>
      a.value.time < b.value.time
        ? -1
        : a.value.time > b.value.time
          ? 1
          : a.name < b.name
            ? -1
            : 1
    );
    for (const { value } of edits) {
      applyEdit(experiment, value.set);
    }
    for (const { value } of beats) {
      if (
        typeof value.time === 'string' &&
        (!experiment.heartbeat || value.time > experiment.heartbeat)
      ) {
        if (experiment.status === 'running') {
          experiment.heartbeat = value.time;
        }
      }
    }
    return { experiment, damaged };
  }

  /** Write `labbook-store.json` unless the store has one. */
  async ensureStoreFile(): Promise<void> {
    if (this._storeFileChecked) {
      return;
    }
    if (!(await this._ctx.fs.exists('labbook-store.json'))) {
      await this._ctx.fs.writeText(
        'labbook-store.json',
        JSON.stringify({
          format: FORMATS.store,
          version: FORMAT_VERSION,
          about:
            'A Labbook experiment store: an open layout of plain files, described in docs/store-format.md of Labbook.'
        })
      );
    }
    this._storeFileChecked = true;
  }

  private _ctx: StoreContext;
  private _ended: (id: string) => Promise<void>;
  private _storeFileChecked = false;
}

interface IEdit {
  time: string;
  writer: string;
  set: Record<string, unknown>;
}

const STATUSES: ExperimentStatus[] = [
  'running',
  'finished',
  'failed',
  'interrupted'
];

export function checkExperiment(path: string, id: string, e: any): IExperiment {
  if (!e || typeof e !== 'object') {
    throw new StoreDamagedError(path, 'no experiment record');
  }
  if (
    typeof e.name !== 'string' ||
    typeof e.notebook !== 'string' ||
    typeof e.started !== 'string'
  ) {
    throw new StoreDamagedError(path, 'missing name, notebook or start time');
  }
  return {
    ...e,
    id,
    project: typeof e.project === 'string' ? e.project : '',
    tags: Array.isArray(e.tags)
      ? e.tags.filter((t: unknown) => typeof t === 'string')
      : [],
    notes: typeof e.notes === 'string' ? e.notes : '',
    status: STATUSES.includes(e.status) ? e.status : 'interrupted',
    ended: typeof e.ended === 'string' ? e.ended : null,
    kernel:
      e.kernel && typeof e.kernel === 'object'
        ? e.kernel
        : { name: '', language: '' },
    labbookVersion: String(e.labbookVersion ?? '')
  };
}

export function applyEdit(e: IExperiment, set: Record<string, unknown>): void {
  if (!set || typeof set !== 'object') {
    return;
  }
  const str = (k: string) => typeof set[k] === 'string';
  if (str('name')) {
    e.name = set.name as string;
  }
  if (str('project')) {
    e.project = set.project as string;
  }
  if (str('notes')) {
    e.notes = set.notes as string;
  }
  if (Array.isArray(set.tags)) {
    e.tags = set.tags.filter(t => typeof t === 'string');
  }
  if (STATUSES.includes(set.status as ExperimentStatus)) {
    e.status = set.status as ExperimentStatus;
  }
  if (str('ended') || set.ended === null) {
    e.ended = set.ended as string | null;
  }
  if (str('heartbeat') || set.heartbeat === null) {
    e.heartbeat = set.heartbeat as string | null;
  }
  if (str('statusReason')) {
    e.statusReason = set.statusReason as string;
  }
  if (typeof set.executions === 'number' && Number.isFinite(set.executions)) {
    e.executions = set.executions;
  }
  if (
    set.params &&
    typeof set.params === 'object' &&
    !Array.isArray(set.params)
  ) {
    // Edits add or replace parameters by name.
    e.params = {
      ...(e.params ?? {}),
      ...(set.params as IExperiment['params'])
    };
  }
  if (typeof set.starred === 'boolean') {
    e.starred = set.starred;
  }
  if (typeof set.archived === 'boolean') {
    e.archived = set.archived;
  }
  if (Array.isArray(set.links)) {
    e.links = set.links.filter(t => typeof t === 'string');
  }
}

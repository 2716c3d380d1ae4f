/**
 * The files of the store index (`index/` in the store root, see
 * docs/store-format.md): entries that each set one experiment's metadata
 * summary, its metric summaries, or mark it deleted, stamped so that the
 * newest entry wins whatever order the files are read in.
 *
 * - `index/<seq>-<writer>.json`: a chunk, appended by one writer;
 * - `index/base-<seq>-<writer>.json`: a compacted base, the fold of the
 *   files it replaced.
 *
 * Both hold `{format: "labbook-index", version, writer, entries}`.
 */
import type { IMetricSummary } from '../model';
import { EXPERIMENT_STATUSES } from '../model';
import { FORMATS, FORMAT_VERSION, parseStoreFile } from '../store/format';
import { StoreDamagedError } from '../store/fs';
import type { IExperimentSummary } from './summary';

/** Metric summaries by metric name. */
export type MetricSummaries = { [name: string]: IMetricSummary };

/** The metadata part of a summary, as stored (id and metrics are elsewhere). */
export type IndexedMeta = Omit<IExperimentSummary, 'id' | 'metrics'>;

/**
 * One entry. `stamp` orders the metadata part (`summary`, or `deleted`);
 * `metricsStamp` (default `stamp`) orders the metric part (`metrics` and
 * `metricsDamaged`). For each experiment and part the greatest stamp wins.
 */
export interface IIndexEntry {
  id: string;
  stamp: string;
  /** The experiment's metadata, as read from its folder at `stamp`. */
  summary?: IndexedMeta;
  /** The experiment was deleted at `stamp`. */
  deleted?: true;
  /** Every metric of the experiment, summarised. */
  metrics?: MetricSummaries;
  metricsStamp?: string;
  /** Metric chunks that could not be read when the metrics were last read in full; null: none. */
  metricsDamaged?: string | null;
  /**
   * Writers of the experiment's metric chunks, sorted (part of the metric
   * part): which `metrics-preview/<writer>.json` files to read. Absent
   * when not known (entries of an older Labbook).
   */
  metricWriters?: string[];
}

/** The body of an index file. */
export interface IIndexFile {
  writer: string;
  entries: IIndexEntry[];
}

/** The folder of the index in the store. */
export const INDEX_DIR = 'index';

/** Whether a name in `index/` is a base, a chunk, or neither (ignored). */
export function indexFileKind(name: string): 'base' | 'chunk' | null {
  if (/^base-\d{16}-[A-Za-z0-9_-]+\.json$/.test(name)) {
    return 'base';
  }
  if (/^\d{16}-[A-Za-z0-9_-]+\.json$/.test(name)) {
    return 'chunk';
  }
  return null;
}

/**
 * Strictly increasing stamps for one writer: `<16-digit µs since the
 * epoch>-<writer>`. Lexical order is time order, then writer; a writer's
 * own stamps always grow, even if its clock steps back.
 */
export class Stamper {
  constructor(
    readonly writer: string,
    private _now: () => number = Private.preciseNow
  ) {}

  /** A new stamp, greater than every earlier one of this writer. */
  next(): string {
    this._last = Math.max(Math.floor(this._now() * 1000), this._last + 1);
    return `${String(this._last).padStart(16, '0')}-${this.writer}`;
  }

  private _last = 0;
}

/** Serialise an index file. */
export function formatIndexFile(
  writer: string,
  entries: IIndexEntry[]
): string {
  return JSON.stringify({
    format: FORMATS.index,
    version: FORMAT_VERSION,
    writer,
    entries
  });
}

/**
 * Parse and check an index file. Throws `StoreDamagedError` naming the
 * problem: not JSON, another format, a newer version, a malformed entry.
 */
export function parseIndexFile(path: string, text: string): IIndexFile {
  const file = parseStoreFile<{ writer: unknown; entries: unknown }>(
    path,
    text,
    FORMATS.index
  );
  if (typeof file.writer !== 'string' || !Array.isArray(file.entries)) {
    throw new StoreDamagedError(path, 'no writer or no entries list');
  }
  const entries = file.entries.map((raw, i) => {
    const problem = Private.checkEntry(raw);
    if (problem) {
      throw new StoreDamagedError(path, `entry ${i}: ${problem}`);
    }
    return raw as IIndexEntry;
  });
  return { writer: file.writer, entries };
}

namespace Private {
  /** Milliseconds since the epoch with the sub-millisecond part the platform gives. */
  export function preciseNow(): number {
    return typeof performance !== 'undefined' && performance.timeOrigin
      ? performance.timeOrigin + performance.now()
      : Date.now();
  }

  const STAMP = /^\d{16}-[A-Za-z0-9_-]+$/;
  const WRITER = /^[A-Za-z0-9_-]+$/;

  const isStr = (v: unknown) => typeof v === 'string';
  const isObj = (v: unknown): v is Record<string, any> =>
    !!v && typeof v === 'object' && !Array.isArray(v);
  const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const numOrNull = (v: unknown) => v === null || isNum(v);
  const strings = (v: unknown) => Array.isArray(v) && v.every(isStr);

  /** Why an entry cannot be used, or '' when it can. */
  export function checkEntry(e: unknown): string {
    if (!isObj(e) || !isStr(e.id) || e.id === '') {
      return 'no experiment id';
    }
    if (!isStr(e.stamp) || !STAMP.test(e.stamp)) {
      return 'no valid stamp';
    }
    if (e.metricsStamp !== undefined && !STAMP.test(String(e.metricsStamp))) {
      return 'invalid metricsStamp';
    }
    if (e.deleted !== undefined && e.deleted !== true) {
      return '"deleted" is not true';
    }
    if (e.summary !== undefined) {
      const problem = checkMeta(e.summary);
      if (problem) {
        return problem;
      }
    }
    if (e.metrics !== undefined) {
      if (!isObj(e.metrics)) {
        return 'metrics is not an object';
      }
      for (const [name, m] of Object.entries(e.metrics)) {
        if (
          !isObj(m) ||
          !numOrNull(m.last) ||
          !numOrNull(m.min) ||
          !numOrNull(m.max) ||
          !numOrNull(m.step) ||
          !Number.isInteger(m.count) ||
          m.count < 0
        ) {
          return `metric ${JSON.stringify(name)} is not a summary`;
        }
      }
    }
    if (
      e.metricWriters !== undefined &&
      !(
        Array.isArray(e.metricWriters) &&
        e.metricWriters.every(w => isStr(w) && WRITER.test(w))
      )
    ) {
      return 'metricWriters is not a list of writer ids';
    }
    if (
      e.metricsDamaged !== undefined &&
      e.metricsDamaged !== null &&
      !isStr(e.metricsDamaged)
    ) {
      return 'metricsDamaged is not text';
    }
    return '';
  }

  function checkMeta(s: unknown): string {
    if (!isObj(s)) {
      return 'summary is not an object';
    }
    for (const key of [
      'name',
      'project',
      'notebook',
      'started',
      'kernel',
      'notes'
    ]) {
      if (!isStr(s[key])) {
        return `summary.${key} is not text`;
      }
    }
    if (!strings(s.tags) || !strings(s.links)) {
      return 'summary tags or links are not lists of text';
    }
    if (!EXPERIMENT_STATUSES.includes(s.status)) {
      return 'summary.status is unknown';
    }
    if (s.ended !== null && !isStr(s.ended)) {
      return 'summary.ended is neither text nor null';
    }
    if (!numOrNull(s.duration) || !isNum(s.executions)) {
      return 'summary duration or executions is not a number';
    }
    if (typeof s.starred !== 'boolean' || typeof s.archived !== 'boolean') {
      return 'summary starred or archived is not true/false';
    }
    if (!isObj(s.params)) {
      return 'summary.params is not an object';
    }
    if (s.damaged !== undefined && !isStr(s.damaged)) {
      return 'summary.damaged is not text';
    }
    return '';
  }
}

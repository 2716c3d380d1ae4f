/**
 * Index entries from what the store holds: the summary of one experiment
 * folder, and the helpers that turn store reads and changes into entries.
 */
import type { IExperiment, IMetricSeries } from '../model';
import { parseChunkName } from '../metrics/overview';
import type { IMetricsAppended } from '../store/changes';
import { ID_SEGMENT } from '../store/context';
import type { IStoreFS } from '../store/fs';
import { mapLimit } from '../store/maplimit';
import { storePath } from '../store/path';
import type { IDamagedFile, LabbookStore } from '../store/store';
import type { IIndexEntry, IndexedMeta, MetricSummaries } from './indexfile';
import {
  damagedSummary,
  emptyMetricSummary,
  mergeMetricSummary,
  summarizeExperiment,
  summarizeSeries
} from './summarize';

/** Ids of the experiment folders: one listing. */
export async function experimentFolderIds(fs: IStoreFS): Promise<string[]> {
  return (await fs.list('experiments'))
    .filter(e => e.type === 'directory' && ID_SEGMENT.test(e.name))
    .map(e => e.name);
}

/** Summarise experiment folders, `onProgress` told of each one read. */
export async function summarizeFolders(
  store: LabbookStore,
  ids: readonly string[],
  options: {
    concurrency: number;
    stamp: () => string;
    onProgress?: (done: number, total: number) => void;
  }
): Promise<{ entry: IIndexEntry; damaged: IDamagedFile[] }[]> {
  let done = 0;
  options.onProgress?.(0, ids.length);
  return mapLimit(ids, options.concurrency, async id => {
    const r = await summarizeFolder(store, id, options.stamp());
    options.onProgress?.(++done, ids.length);
    return r;
  });
}

/**
 * The metadata entry of an experiment read again now (`stamp` taken
 * before the read), or null when its folder is gone.
 */
export async function readMetaEntry(
  store: LabbookStore,
  id: string,
  stamp: string
): Promise<IIndexEntry | null> {
  const { experiment, damaged } = await store.readExperiment(id);
  if (experiment || (await store.fs.exists(storePath('experiments', id)))) {
    return { id, stamp, summary: metaSummary(id, experiment, damaged) };
  }
  return null;
}

/**
 * The metrics entry of an experiment from a full read of its metrics,
 * with the appends in `pending` (seen while it read, so the array may
 * grow meanwhile) merged unless the read held their chunk already.
 */
export async function readMetricsEntry(
  store: LabbookStore,
  id: string,
  stamp: string,
  pending: readonly IMetricsAppended[]
): Promise<{ entry: IIndexEntry; chunks: Set<string> }> {
  const read = await store.loadMetrics(id);
  const chunks = new Set(read.chunks);
  let metrics = summarizeAll(read.series);
  for (const c of pending) {
    if (c.series && !(c.chunk && chunks.has(c.chunk))) {
      metrics = mergeAppended(metrics, c);
    }
  }
  const entry: IIndexEntry = {
    id,
    stamp,
    metrics,
    metricsDamaged: describeDamage(read.damaged),
    metricWriters: writersOf([
      ...read.chunks,
      ...pending.flatMap(c => (c.chunk ? [c.chunk] : []))
    ])
  };
  return { entry, chunks };
}

/** Summarise one experiment folder: metadata and every metric. */
export async function summarizeFolder(
  store: LabbookStore,
  id: string,
  stamp: string
): Promise<{ entry: IIndexEntry; damaged: IDamagedFile[] }> {
  const [meta, metrics] = await Promise.all([
    store.readExperiment(id),
    store.loadMetrics(id)
  ]);
  const entry: IIndexEntry = {
    id,
    stamp,
    summary: metaSummary(id, meta.experiment, meta.damaged),
    metrics: summarizeAll(metrics.series),
    metricWriters: writersOf(metrics.chunks)
  };
  const metricsDamaged = describeDamage(metrics.damaged);
  if (metricsDamaged) {
    entry.metricsDamaged = metricsDamaged;
  }
  return { entry, damaged: [...meta.damaged, ...metrics.damaged] };
}

/** The metadata part of a summary, with the problems of its files. */
export function metaSummary(
  id: string,
  experiment: IExperiment | null,
  damaged: IDamagedFile[]
): IndexedMeta {
  const problem = describeDamage(damaged);
  const summary = experiment
    ? summarizeExperiment(experiment)
    : damagedSummary(id, problem ?? 'experiment.json cannot be read');
  const { id: _id, metrics: _metrics, ...rest } = summary;
  return problem ? { ...rest, damaged: problem } : rest;
}

/** Damaged files as one line (paths inside the experiment folder), or null. */
export function describeDamage(damaged: IDamagedFile[]): string | null {
  if (damaged.length === 0) {
    return null;
  }
  return damaged
    .map(d => `${d.path.replace(/^experiments\/[^/]+\//, '')}: ${d.problem}`)
    .join('; ');
}

export function summarizeAll(
  series: readonly IMetricSeries[]
): MetricSummaries {
  const out: MetricSummaries = {};
  for (const s of series) {
    out[s.name] = summarizeSeries(s.values, s.steps);
  }
  return out;
}

/** The writers of metric chunks `<seq>-<writer>.json`, with `known`, sorted. */
export function writersOf(
  chunks: readonly string[],
  known: readonly string[] = []
): string[] {
  const writers = new Set(known);
  for (const name of chunks) {
    const c = parseChunkName(name);
    if (c) {
      writers.add(c.writer);
    }
  }
  return [...writers].sort();
}

/** Summaries with the points of a metrics change appended. */
export function mergeAppended(
  metrics: MetricSummaries,
  change: IMetricsAppended
): MetricSummaries {
  const out = { ...metrics };
  for (const s of change.series ?? []) {
    out[s.name] = mergeMetricSummary(
      out[s.name] ?? emptyMetricSummary(),
      summarizeSeries(s.values, s.steps)
    );
  }
  return out;
}

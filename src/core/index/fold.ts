/**
 * Index entries folded into summaries: for each experiment, the metadata
 * part (summary or deletion) with the greatest stamp and the metric part
 * with the greatest stamp win. The result does not depend on the order
 * entries are applied in, so any reader of the same files sees the same
 * index, and applying an entry twice changes nothing.
 */
import type { IIndexEntry, IndexedMeta, MetricSummaries } from './indexfile';
import type { IExperimentSummary } from './summary';

export class IndexFold {
  /** Apply one entry; true when it changed what the fold says. */
  apply(entry: IIndexEntry): boolean {
    let slot = this._slots.get(entry.id);
    if (!slot) {
      slot = {};
      this._slots.set(entry.id, slot);
    }
    let changed = false;
    if (entry.summary && (!slot.meta || entry.stamp > slot.meta.stamp)) {
      slot.meta = { stamp: entry.stamp, summary: entry.summary };
      changed = true;
    }
    if (entry.deleted && (!slot.deleted || entry.stamp > slot.deleted)) {
      slot.deleted = entry.stamp;
      changed = true;
    }
    const metricsStamp = entry.metricsStamp ?? entry.stamp;
    if (entry.metrics && (!slot.metrics || metricsStamp > slot.metrics.stamp)) {
      slot.metrics = {
        stamp: metricsStamp,
        metrics: entry.metrics,
        damaged: entry.metricsDamaged ?? null,
        writers: entry.metricWriters
      };
      changed = true;
    }
    if (changed) {
      this._cache.delete(entry.id);
      this._sorted = null;
    }
    return changed;
  }

  /** Whether the experiment is in the index (known and not deleted). */
  has(id: string): boolean {
    return Private.present(this._slots.get(id));
  }

  /** Whether the index records the experiment as deleted. */
  isDeleted(id: string): boolean {
    const slot = this._slots.get(id);
    return !!slot?.deleted && !Private.present(slot);
  }

  /** The summary of one experiment, or undefined when not in the index. */
  get(id: string): IExperimentSummary | undefined {
    const slot = this._slots.get(id);
    if (!slot || !Private.present(slot)) {
      return undefined;
    }
    let summary = this._cache.get(id);
    if (!summary) {
      summary = Private.summary(id, slot);
      this._cache.set(id, summary);
    }
    return summary;
  }

  /**
   * The metric part of an experiment: its summaries, metric damage and
   * the writers of its chunks (none when it has no metric part; undefined
   * when its part does not say).
   */
  metrics(id: string): {
    metrics: MetricSummaries;
    damaged: string | null;
    writers: string[] | undefined;
  } {
    const m = this._slots.get(id)?.metrics;
    return {
      metrics: m?.metrics ?? {},
      damaged: m?.damaged ?? null,
      writers: m ? m.writers : []
    };
  }

  /** Ids of the experiments in the index, in no particular order. */
  ids(): string[] {
    return [...this._slots]
      .filter(([, slot]) => Private.present(slot))
      .map(([id]) => id);
  }

  /** Every summary, newest first (ids are creation times). */
  summaries(): readonly IExperimentSummary[] {
    if (!this._sorted) {
      this._sorted = this.ids()
        .sort()
        .reverse()
        .map(id => this.get(id)!);
    }
    return this._sorted;
  }

  /**
   * The fold as the fewest entries that fold to the same thing: one per
   * experiment (what a compacted base holds).
   */
  entries(): IIndexEntry[] {
    const out: IIndexEntry[] = [];
    for (const [id, slot] of this._slots) {
      if (slot.deleted && !Private.present(slot)) {
        out.push({ id, stamp: slot.deleted, deleted: true });
        continue;
      }
      const entry: IIndexEntry = {
        id,
        stamp: slot.meta?.stamp ?? slot.metrics!.stamp
      };
      if (slot.meta) {
        entry.summary = slot.meta.summary;
      }
      if (slot.metrics) {
        entry.metrics = slot.metrics.metrics;
        if (slot.metrics.stamp !== entry.stamp) {
          entry.metricsStamp = slot.metrics.stamp;
        }
        if (slot.metrics.damaged !== null) {
          entry.metricsDamaged = slot.metrics.damaged;
        }
        if (slot.metrics.writers) {
          entry.metricWriters = slot.metrics.writers;
        }
      }
      out.push(entry);
    }
    return out;
  }

  private _slots = new Map<string, Private.ISlot>();
  private _cache = new Map<string, IExperimentSummary>();
  private _sorted: IExperimentSummary[] | null = null;
}

namespace Private {
  export interface ISlot {
    meta?: { stamp: string; summary: IndexedMeta };
    /** Stamp of the newest deletion. */
    deleted?: string;
    metrics?: {
      stamp: string;
      metrics: MetricSummaries;
      damaged: string | null;
      writers: string[] | undefined;
    };
  }

  /** Known, and not deleted since it was last read. */
  export function present(slot: ISlot | undefined): boolean {
    return !!slot?.meta && (!slot.deleted || slot.meta.stamp > slot.deleted);
  }

  export function summary(id: string, slot: ISlot): IExperimentSummary {
    const { damaged: metaDamaged, ...meta } = slot.meta!.summary;
    const damaged = [metaDamaged, slot.metrics?.damaged]
      .filter(d => !!d)
      .join('; ');
    return {
      id,
      ...meta,
      metrics: slot.metrics?.metrics ?? {},
      ...(damaged ? { damaged } : {}),
      ...(slot.metrics?.writers ? { metricWriters: slot.metrics.writers } : {})
    };
  }
}

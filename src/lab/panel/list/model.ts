/**
 * What the side panel's list shows and edits (issue 7): the query and its
 * matches, the selection, and the bulk edits on it. The view draws and asks
 * (dialogs, confirmations); every read of the experiments and every store
 * write is here.
 *
 * A query that cannot be read keeps the matches of the last one that could,
 * and damaged experiments are left out of a query's matches (they may miss
 * edits). Tag edits apply only what changed to the experiment as stored, so
 * two tabs tagging one experiment keep both tags.
 */
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import type { IExperimentSummary } from '../../../core/index/summary';
import type { IQueryError } from '../../../core/query/ast';
import { filterExperiments } from '../../../core/query/compile';
import { mapLimit } from '../../../core/store/maplimit';
import type { LabbookStore } from '../../../core/store/store';
import { editList } from './edits';

/** The store writes the list makes. */
export type ListStore = Pick<
  LabbookStore,
  'getExperiment' | 'updateExperiment' | 'deleteExperiment'
>;

/** Where the list's experiments come from (the manager, over the index). */
export interface IListSource {
  /** Every experiment's summary, newest first (a new array when it changed). */
  readonly experiments: readonly IExperimentSummary[];
  summary(id: string): IExperimentSummary | undefined;
}

export class ExperimentListModel {
  constructor(options: ExperimentListModel.IOptions) {
    this._source = options.source;
    this._store = options.store;
  }

  /** The selection changed (ids gone from the store are dropped too). */
  get selectionChanged(): ISignal<this, ReadonlySet<string>> {
    return this._selectionChanged;
  }

  /** The query as typed. */
  get query(): string {
    return this._query;
  }

  get showArchived(): boolean {
    return this._showArchived;
  }

  /** What is wrong with the query as typed, or null. */
  get error(): IQueryError | null {
    return this._error;
  }

  /** The experiments listed now (matching, archived shown or not), newest first. */
  get matches(): readonly IExperimentSummary[] {
    return this._matches;
  }

  /** Every experiment, matching or not. */
  get all(): readonly IExperimentSummary[] {
    return this._source.experiments;
  }

  /** Damaged experiments left out of the matches of the query. */
  get damagedLeftOut(): number {
    return this._damaged;
  }

  /** Selected experiment ids. */
  get selection(): ReadonlySet<string> {
    return this._selected;
  }

  /** The selected experiments the store still has. */
  get selected(): IExperimentSummary[] {
    return [...this._selected].flatMap(id => {
      const s = this._source.summary(id);
      return s ? [s] : [];
    });
  }

  /**
   * Set the query (and whether archived experiments show) and filter.
   * Returns whether anything was filtered (see `filter`).
   */
  setQuery(text: string, showArchived?: boolean): boolean {
    this._query = text;
    if (showArchived !== undefined) {
      this._showArchived = showArchived;
    }
    return this.filter();
  }

  /**
   * Filter the experiments again, when they, the query or "show archived"
   * changed since the last time. Returns whether anything was filtered.
   */
  filter(): boolean {
    const all = this._source.experiments;
    const text = this._query;
    const showArchived = this._showArchived;
    const key = this._filterKey;
    if (
      key &&
      key.all === all &&
      key.text === text &&
      key.showArchived === showArchived
    ) {
      return false;
    }
    this._filterKey = { all, text, showArchived };
    const base = showArchived ? all : all.filter(s => !s.archived);
    let error: IQueryError | null = null;
    if (text.trim()) {
      const result = filterExperiments(base, text);
      error = result.error;
      if (!error) {
        this._good = text;
      }
    } else {
      this._good = '';
    }
    let damaged = 0;
    if (this._good.trim()) {
      const healthy = base.filter(s => !s.damaged);
      damaged = base.length - healthy.length;
      this._matches = filterExperiments(healthy, this._good).matches;
    } else {
      this._matches = base;
    }
    this._error = error;
    this._damaged = damaged;
    // Selected experiments that are gone are no longer selected.
    const gone = [...this._selected].filter(id => !this._source.summary(id));
    if (gone.length) {
      const next = new Set(this._selected);
      gone.forEach(id => next.delete(id));
      this.setSelection(next);
    }
    return true;
  }

  /** A row's checkbox: one experiment, or with `range` the range from the last one. */
  check(id: string, on: boolean, range: boolean): void {
    const next = new Set(this._selected);
    const ids = this._matches.map(e => e.id);
    const to = ids.indexOf(id);
    const from = this._anchor === null ? -1 : ids.indexOf(this._anchor);
    if (range && from >= 0 && to >= 0) {
      const [a, b] = from < to ? [from, to] : [to, from];
      for (let i = a; i <= b; i++) {
        if (on) {
          next.add(ids[i]);
        } else {
          next.delete(ids[i]);
        }
      }
    } else if (on) {
      next.add(id);
    } else {
      next.delete(id);
    }
    this._anchor = id;
    this.setSelection(next);
  }

  /** Add every match to the selection. */
  selectAll(): void {
    this.setSelection(
      new Set([...this._selected, ...this._matches.map(e => e.id)])
    );
  }

  setSelection(ids: ReadonlySet<string>): void {
    this._selected = new Set(ids);
    if (this._selected.size === 0) {
      this._anchor = null;
    }
    this._selectionChanged.emit(this._selected);
  }

  /** The tags of these experiments, each once, sorted. */
  tagsOf(ids: readonly string[]): string[] {
    return [
      ...new Set(ids.flatMap(id => this._source.summary(id)?.tags ?? []))
    ].sort();
  }

  /** Star or unstar one experiment. */
  async toggleStar(id: string): Promise<void> {
    const e = this._source.summary(id);
    if (e) {
      await this._store.updateExperiment(id, { starred: !e.starred });
    }
  }

  /** Add tags to each, kept with the tags as stored now. */
  async addTags(
    ids: readonly string[],
    tags: readonly string[]
  ): Promise<void> {
    if (tags.length) {
      await Private.each(ids, id => editList(this._store, id, 'tags', tags));
    }
  }

  /** Remove one tag from each, other tags as stored now kept. */
  async removeTag(ids: readonly string[], tag: string): Promise<void> {
    await Private.each(ids, id => editList(this._store, id, 'tags', [], [tag]));
  }

  /** Star or archive them all, or, when all already are, unstar or restore. */
  async setFlag(
    ids: readonly string[],
    flag: 'starred' | 'archived'
  ): Promise<void> {
    const all = ids.every(id => this._source.summary(id)?.[flag]);
    await Private.each(ids, id =>
      this._store.updateExperiment(id, { [flag]: !all })
    );
  }

  /** Delete them (the caller confirmed) and drop them from the selection. */
  async delete(ids: readonly string[]): Promise<void> {
    await Private.each(ids, id => this._store.deleteExperiment(id));
    const next = new Set(this._selected);
    ids.forEach(id => next.delete(id));
    this.setSelection(next);
  }

  dispose(): void {
    Signal.clearData(this);
  }

  private _source: IListSource;
  private _store: ListStore;
  private _query = '';
  private _showArchived = false;
  /** The last query that could be read: the list shows its matches. */
  private _good = '';
  private _error: IQueryError | null = null;
  private _damaged = 0;
  private _filterKey: {
    all: readonly IExperimentSummary[];
    text: string;
    showArchived: boolean;
  } | null = null;
  private _matches: readonly IExperimentSummary[] = [];
  private _selected = new Set<string>();
  private _anchor: string | null = null;
  private _selectionChanged = new Signal<this, ReadonlySet<string>>(this);
}

export namespace ExperimentListModel {
  export interface IOptions {
    source: IListSource;
    store: ListStore;
  }
}

namespace Private {
  /** Run `fn` on each id, a few at a time; the first failure is thrown after all ran. */
  export async function each(
    ids: readonly string[],
    fn: (id: string) => Promise<unknown>
  ): Promise<void> {
    let failure: { error: unknown } | null = null;
    await mapLimit(ids, 8, id =>
      fn(id).catch(error => {
        failure ??= { error };
      })
    );
    if (failure) {
      throw (failure as { error: unknown }).error;
    }
  }
}

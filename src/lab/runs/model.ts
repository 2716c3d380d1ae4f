/**
 * The runs table's state and rows (issue 7): the query, the columns (the
 * user's, or the defaults: the params that vary across the rows shown and
 * the metrics logged), sort, grouping, collapsed groups, charts, archived,
 * the selection; the rows they give, and the saved views. Reads the index
 * through the experiments source and writes views through the saved-views
 * model; no DOM. The view draws `items` and calls these methods.
 */
import { Signal, type ISignal } from '@lumino/signaling';
import type { IExperimentSummary } from '../../core/index/summary';
import {
  defaultColumns,
  fieldReader,
  filterExperiments,
  groupSummaries,
  presentNames,
  sortSummaries,
  topSummaries,
  type FieldReader,
  type IQueryError,
  type IRowGroup
} from '../../core/query';
import { runsToCSV, runsToJSON } from '../../core/report/runsexport';
import type { ISavedView } from '../../core/savedviews/savedview';
import type { SavedViewsModel } from '../savedviews/model';

/** Most experiments compared at once. */
export const MAX_COMPARE = 50;

/** Always in the default columns; the params that vary and the metrics follow. */
export const DEFAULT_COLUMNS = [
  'name',
  'status',
  'started',
  'duration',
  'tags'
];

/** What a saved view keeps; `columns` is empty while the defaults are shown. */
export type IRunsState = Pick<
  ISavedView,
  'query' | 'columns' | 'sort' | 'groupBy' | 'charts' | 'showArchived'
>;

/** One line of the table: a group header or an experiment. */
export type RunsItem =
  | { kind: 'group'; group: IRowGroup; id: string }
  | { kind: 'row'; s: IExperimentSummary };

/** Where the rows come from: the store index, through the manager. */
export interface IRunsSource {
  readonly experiments: readonly IExperimentSummary[];
  summary(id: string): IExperimentSummary | undefined;
  readonly changed: ISignal<unknown, void>;
}

export class RunsModel {
  constructor(options: RunsModel.IOptions) {
    this._source = options.source;
    this._savedViews = options.savedViews;
    this._source.changed.connect(this._onSourceChanged, this);
    this._savedViews.changed.connect(this._onViewsChanged, this);
    this.recompute();
  }

  /** Emitted after the rows were computed again; `fromTop` when the user changed what they are. */
  get changed(): ISignal<this, RunsModel.IChange> {
    return this._changed;
  }

  /** Emitted when the index changed: call `recompute` (the view throttles it to a frame). */
  get stale(): ISignal<this, void> {
    return this._stale;
  }

  /** Emitted when the saved views or the current one changed. */
  get viewsChanged(): ISignal<this, void> {
    return this._viewsChanged;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._savedViews.dispose();
    Signal.clearData(this);
  }

  /** The table's settings as a saved view keeps them. */
  get state(): IRunsState {
    return {
      query: this._query,
      columns: this._chosen ? [...this._columns] : [],
      sort: this._sort ? { ...this._sort } : null,
      groupBy: this._groupBy,
      charts: [...this._charts],
      showArchived: this._showArchived
    };
  }

  get query(): string {
    return this._query;
  }

  /** The columns shown (the user's, or the defaults for the rows shown). */
  get columns(): readonly string[] {
    return this._columns;
  }

  /** A reader per column of `columns`. */
  get readers(): readonly FieldReader[] {
    return this._readers;
  }

  get sort(): IRunsState['sort'] {
    return this._sort;
  }

  get groupBy(): string | null {
    return this._groupBy;
  }

  get charts(): readonly string[] {
    return this._charts;
  }

  get showArchived(): boolean {
    return this._showArchived;
  }

  /** The query's error, if it cannot be read (the previous rows stay). */
  get error(): IQueryError | null {
    return this._error;
  }

  /** The rows shown: matching the query, in the current sort. */
  get rows(): readonly IExperimentSummary[] {
    return this._rows;
  }

  /** Group headers and rows, as drawn (rows of a collapsed group left out). */
  get items(): readonly RunsItem[] {
    return this._items;
  }

  /** Experiments the query runs over (archived ones only when shown). */
  get total(): number {
    return this._total;
  }

  /** Whether the store has any experiment at all. */
  get isEmpty(): boolean {
    return this._source.experiments.length === 0;
  }

  /** The param and metric names present in the store, each sorted. */
  get names(): { params: string[]; metrics: string[] } {
    // The index keeps one array until it changes: names read once per change.
    const all = this._source.experiments;
    if (all !== this._namesOf) {
      this._namesOf = all;
      this._names = presentNames(all);
    }
    return this._names;
  }

  /** The ids of the experiments ticked (still listed). */
  get selected(): ReadonlySet<string> {
    return this._selected;
  }

  isCollapsed(group: string): boolean {
    return this._collapsed.has(group);
  }

  /** Apply a state: query, columns, sort, grouping, charts, archived. */
  setState(state: Partial<IRunsState>): void {
    if (state.query !== undefined) {
      this._query = state.query;
    }
    if (state.columns) {
      this._chosen = state.columns.length > 0;
      this._columns = this._chosen
        ? [...new Set(state.columns)]
        : [...DEFAULT_COLUMNS];
      this._defaultsOf = null;
    }
    if (state.sort !== undefined) {
      this._sort = state.sort ? { ...state.sort } : null;
    }
    if (state.groupBy !== undefined) {
      this._groupBy = state.groupBy || null;
      this._collapsed.clear();
    }
    if (state.charts) {
      this._charts = [...new Set(state.charts)];
    }
    if (state.showArchived !== undefined) {
      this._showArchived = state.showArchived;
    }
    this.recompute(true);
  }

  /** A header's click: sort by `key`, ascending first, then descending. */
  toggleSort(key: string): void {
    const descending = this._sort?.key === key ? !this._sort.descending : false;
    this.setState({ sort: { key, descending } });
  }

  toggleGroup(group: string): void {
    if (this._collapsed.has(group)) {
      this._collapsed.delete(group);
    } else {
      this._collapsed.add(group);
    }
    this.recompute();
  }

  /** Tick or untick experiments (no recompute: rows stay where they are). */
  select(ids: Iterable<string>, selected: boolean): void {
    for (const id of ids) {
      if (selected) {
        this._selected.add(id);
      } else {
        this._selected.delete(id);
      }
    }
  }

  /** The top `n` rows shown by metric column `key` (highest first unless ascending). */
  top(key: string, n: number, descending: boolean): string[] {
    return topSummaries(this._rows, key, n, descending).map(s => s.id);
  }

  /** The rows shown with the columns shown, as a file to download. */
  export(kind: 'csv' | 'json'): { name: string; text: string; type: string } {
    const base =
      (this.currentView?.name ?? 'labbook-runs').replace(/[^\w.-]+/g, '-') ||
      'labbook-runs';
    return kind === 'csv'
      ? {
          name: `${base}.csv`,
          text: runsToCSV(this._rows, this._columns),
          type: 'text/csv'
        }
      : {
          name: `${base}.json`,
          text: runsToJSON(this._rows, this._columns),
          type: 'application/json'
        };
  }

  /** Filter, sort, group; `fromTop` when the user changed them. */
  recompute(fromTop = false): void {
    const all = this._source.experiments;
    const base = this._showArchived ? all : all.filter(s => !s.archived);
    const { matches, error } = filterExperiments(base, this._query);
    this._error = error;
    if (!error) {
      this._matches = matches;
    }
    // With an error the previous matches stay, refreshed from the index.
    const rows = error
      ? this._matches.map(s => this._source.summary(s.id) ?? s)
      : this._matches;
    this._rows = this._sort
      ? sortSummaries(rows, this._sort.key, this._sort.descending)
      : rows;
    const items: RunsItem[] = [];
    if (this._groupBy) {
      for (const group of groupSummaries(this._rows, this._groupBy)) {
        const id = group.missing ? '\u0000none' : group.label;
        items.push({ kind: 'group', group, id });
        if (!this._collapsed.has(id)) {
          group.rows.forEach(s => items.push({ kind: 'row', s }));
        }
      }
    } else {
      this._rows.forEach(s => items.push({ kind: 'row', s }));
    }
    this._items = items;
    if (!this._chosen && this._defaultsOf !== this._rows) {
      // The params that vary across the rows shown, and the metrics logged.
      this._defaultsOf = this._rows;
      this._columns = defaultColumns(this._rows, DEFAULT_COLUMNS);
    }
    this._readers = this._columns.map(key => {
      const r = fieldReader(key);
      return r.ok ? r.read : () => undefined;
    });
    this._total = base.length;
    // Only experiments still listed stay selected.
    for (const id of this._selected) {
      if (!this._source.summary(id)) {
        this._selected.delete(id);
      }
    }
    this._changed.emit({ fromTop });
  }

  /* ---------------------------------------------------------------- */
  /* Saved views                                                        */
  /* ---------------------------------------------------------------- */

  /** The saved views of the store, as read last. */
  get views(): readonly ISavedView[] {
    return this._savedViews.views;
  }

  /** The saved view applied last (and not deleted since), if any. */
  get currentView(): ISavedView | null {
    return this._savedViews.views.find(v => v.id === this._viewId) ?? null;
  }

  /** Read the saved views of the store again. */
  async loadViews(): Promise<void> {
    await this._savedViews.refresh();
    this._viewsChanged.emit();
  }

  /** Apply the saved view with this id (or, failing that, this name). */
  async applyView(idOrName: string): Promise<boolean> {
    let view = this._savedViews.views.find(v => v.id === idOrName);
    if (!view) {
      await this._savedViews.refresh();
      view = this._savedViews.find(idOrName);
    }
    if (!view) {
      return false;
    }
    this._viewId = view.id;
    this.setState(view);
    this._viewsChanged.emit();
    return true;
  }

  /** Show no saved view (the table keeps its settings). */
  clearView(): void {
    this._viewId = null;
    this._viewsChanged.emit();
  }

  /** Save the table's settings as a new view; throws when it cannot be written. */
  async saveView(name: string): Promise<void> {
    const view = await this._savedViews.save(name, this.state);
    this._viewId = view.id;
    this._viewsChanged.emit();
  }

  /** Write the table's settings over the current view. */
  async updateView(): Promise<void> {
    const current = this.currentView;
    if (current) {
      await this._savedViews.update(current, this.state);
      this._viewsChanged.emit();
    }
  }

  /** Delete the current view; throws when it cannot be deleted. */
  async deleteView(): Promise<void> {
    const current = this.currentView;
    if (current) {
      await this._savedViews.remove(current.id);
      this._viewId = null;
      this._viewsChanged.emit();
    }
  }

  private _onSourceChanged(): void {
    this._stale.emit();
  }

  private _onViewsChanged(): void {
    this._viewsChanged.emit();
  }

  private _source: IRunsSource;
  private _savedViews: SavedViewsModel;
  private _query = '';
  private _showArchived = false;
  private _columns: string[] = [...DEFAULT_COLUMNS];
  /** Whether the user picked the columns (else the defaults follow the rows). */
  private _chosen = false;
  private _defaultsOf: readonly IExperimentSummary[] | null = null;
  private _readers: FieldReader[] = [];
  private _sort: IRunsState['sort'] = null;
  private _groupBy: string | null = null;
  private _charts: string[] = [];
  private _collapsed = new Set<string>();
  private _selected = new Set<string>();
  private _error: IQueryError | null = null;
  private _matches: readonly IExperimentSummary[] = [];
  private _rows: readonly IExperimentSummary[] = [];
  private _items: RunsItem[] = [];
  private _total = 0;
  private _names: { params: string[]; metrics: string[] } = {
    params: [],
    metrics: []
  };
  private _namesOf: readonly IExperimentSummary[] | null = null;
  private _viewId: string | null = null;
  private _disposed = false;
  private _changed = new Signal<this, RunsModel.IChange>(this);
  private _stale = new Signal<this, void>(this);
  private _viewsChanged = new Signal<this, void>(this);
}

export namespace RunsModel {
  export interface IOptions {
    source: IRunsSource;
    savedViews: SavedViewsModel;
  }

  export interface IChange {
    /** The user changed the query, columns, sort or grouping: scroll to the top. */
    fromTop: boolean;
  }
}

/**
 * The runs table (issue 7): every experiment of the store index as one
 * fixed-height row, virtualised (only the rows in sight plus an overscan
 * exist), filtered by a query, with columns picked from the params and
 * metrics present, sorted by a header click, grouped by a param or tags
 * (collapsible group rows), rows selected for compare, the shown rows
 * exported as CSV or JSON, small metric charts above, and saved views that
 * keep all of it in the store. Loaded on demand (the plugin imports this
 * module lazily).
 *
 * Everything logged (names, tags, params, metric names) goes into the page
 * as text.
 */
import {
  Dialog,
  InputDialog,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import type { IExperimentSummary } from '../../core/index/summary';
import {
  defaultColumns,
  fieldReader,
  filterExperiments,
  groupSummaries,
  metricKey,
  paramKey,
  presentNames,
  sortSummaries,
  topSummaries,
  type FieldReader,
  type FieldValue,
  type IQueryError,
  type IRowGroup
} from '../../core/query';
import { formatNumber, fullNumber } from '../../core/format/number';
import { cellText, runsToCSV, runsToJSON } from '../../core/report/runsexport';
import { newViewId, type ISavedView } from '../../core/views/savedview';
import type { ExperimentManager } from '../experiments/manager';
import { CommandIDs, prefetchCompare } from '../commands';
import { downloadText, el, formatDuration, formatTime } from '../views/format';
import { errorText, notifyError } from '../notify';

/** Row height in pixels: every row and group header has it. */
export const ROW = 26;
const OVERSCAN = 12;
const MAX_COMPARE = 50;

/** Always in the default columns; the params that vary and the metrics follow. */
export const DEFAULT_COLUMNS = [
  'name',
  'status',
  'started',
  'duration',
  'tags'
];

/** What a saved view keeps; `columns` is empty while the defaults are shown. */
export interface IRunsState {
  query: string;
  columns: string[];
  sort: { key: string; descending: boolean } | null;
  groupBy: string | null;
  charts: string[];
  showArchived: boolean;
}

type Item =
  | { kind: 'group'; group: IRowGroup; id: string }
  | { kind: 'row'; s: IExperimentSummary };

const WIDTHS: { [key: string]: number } = {
  name: 240,
  status: 90,
  started: 165,
  ended: 165,
  duration: 90,
  tags: 180,
  notebook: 200,
  id: 220,
  notes: 200
};

const SIMPLE_COLUMNS = [
  'name',
  'status',
  'started',
  'ended',
  'duration',
  'tags',
  'notebook',
  'project',
  'executions',
  'starred',
  'archived',
  'kernel',
  'id',
  'notes'
];

export class RunsView extends Widget {
  constructor(options: RunsView.IOptions) {
    super();
    this._manager = options.manager;
    this._commands = options.commands;
    this._trans = options.trans;
    this.addClass('jp-Labbook-runs');
    this._build();
    this._manager.changed.connect(this._schedule, this);
    this._manager.store.changed.connect((_, change) => {
      if (change.type === 'views') {
        void this.loadViews();
      }
    }, this);
    this._recompute();
    void this.loadViews();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    Signal.disconnectReceiver(this);
    clearTimeout(this._typing);
    super.dispose();
  }

  /** The table's settings as a saved view keeps them. */
  get state(): IRunsState {
    return {
      query: this._query.value,
      columns: this._chosen ? [...this._columns] : [],
      sort: this._sort ? { ...this._sort } : null,
      groupBy: this._groupBy,
      charts: [...this._charts],
      showArchived: this._archived.checked
    };
  }

  /** The rows shown: matching the query, in the current sort. */
  get rows(): readonly IExperimentSummary[] {
    return this._rows;
  }

  /** The saved view applied last (and not deleted since), if any. */
  get currentView(): ISavedView | null {
    return this._views.find(v => v.id === this._viewId) ?? null;
  }

  /** Apply a state: query, columns, sort, grouping, charts, archived. */
  setState(state: Partial<IRunsState>): void {
    if (state.query !== undefined) {
      this._query.value = state.query;
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
      this._archived.checked = state.showArchived;
    }
    this._namesKey = ''; // pickers show the new choices
    this._recompute(true);
  }

  /** Read the saved views of the store into the view picker. */
  async loadViews(): Promise<void> {
    try {
      const { views } = await this._manager.store.listViews();
      this._views = views;
    } catch (error) {
      console.warn('Labbook: could not list saved views', error);
    }
    this._fillViews();
  }

  /** Apply the saved view with this id (or, failing that, this name). */
  async applyView(idOrName: string): Promise<boolean> {
    let view = this._views.find(v => v.id === idOrName);
    if (!view) {
      await this.loadViews();
      view =
        this._views.find(v => v.id === idOrName) ??
        this._views.find(v => v.name === idOrName);
    }
    if (!view) {
      Notification.warning(
        this._trans.__('No saved view named %1.', idOrName),
        { autoClose: 5000 }
      );
      return false;
    }
    this._viewId = view.id;
    this.setState(view);
    this._fillViews();
    return true;
  }

  protected onAfterAttach(): void {
    this._paint(true);
  }

  protected onAfterShow(): void {
    this._paint(true);
  }

  protected onResize(): void {
    this._paint();
  }

  /* ---------------------------------------------------------------- */
  /* Building                                                           */
  /* ---------------------------------------------------------------- */

  private _build(): void {
    const t = this._trans;

    // Query, archived, count.
    const bar = el('div', 'jp-Labbook-runsBar');
    this._query = el('input', 'jp-mod-styled jp-Labbook-runsQuery');
    this._query.type = 'search';
    this._query.spellcheck = false;
    this._query.placeholder = t.__(
      'Filter: params.lr < 0.01 and not status = "failed"'
    );
    this._query.setAttribute('aria-label', t.__('Query'));
    this._query.addEventListener('input', () => {
      clearTimeout(this._typing);
      this._typing = setTimeout(() => this._recompute(true), 150);
    });
    this._query.addEventListener('keydown', event => {
      if (event.key === 'Enter') {
        clearTimeout(this._typing);
        this._recompute(true);
      }
    });
    const archived = el('label', 'jp-Labbook-runsArchived');
    this._archived = el('input');
    this._archived.type = 'checkbox';
    this._archived.addEventListener('change', () => this._recompute(true));
    archived.append(
      this._archived,
      document.createTextNode(t.__('Show archived'))
    );
    this._count = el('span', 'jp-Labbook-runsCount');
    bar.append(this._query, archived, this._count);

    this._error = el('div', 'jp-Labbook-runsError');
    this._error.hidden = true;

    // Columns, grouping, compare, export.
    const tools = el('div', 'jp-Labbook-runsBar');
    const columns = el(
      'button',
      'jp-mod-styled jp-Labbook-runsColumnsButton',
      t.__('Columns…')
    );
    columns.addEventListener('click', () => {
      this._picker.hidden = !this._picker.hidden;
      this._fillPicker();
    });
    this._group = el('select', 'jp-mod-styled jp-Labbook-runsGroup');
    this._group.setAttribute('aria-label', t.__('Group by'));
    this._group.addEventListener('change', () =>
      this.setState({ groupBy: this._group.value || null })
    );
    this._compare = el(
      'button',
      'jp-mod-styled jp-mod-accept jp-Labbook-runsCompare'
    );
    this._compare.addEventListener('click', () =>
      this._compareIds([...this._selected])
    );
    const top = el('span', 'jp-Labbook-runsTop');
    this._topN = el('input', 'jp-mod-styled jp-Labbook-runsTopN');
    this._topN.type = 'number';
    this._topN.min = '2';
    this._topN.max = String(MAX_COMPARE);
    this._topN.value = '5';
    this._topN.setAttribute('aria-label', t.__('How many'));
    this._topMetric = el('select', 'jp-mod-styled jp-Labbook-runsTopMetric');
    this._topMetric.setAttribute('aria-label', t.__('By metric'));
    this._topDir = el('select', 'jp-mod-styled jp-Labbook-runsTopDir');
    for (const [value, label] of [
      ['desc', t.__('highest')],
      ['asc', t.__('lowest')]
    ]) {
      const o = el('option', '', label);
      o.value = value;
      this._topDir.append(o);
    }
    const topButton = el(
      'button',
      'jp-mod-styled jp-Labbook-runsTopButton',
      t.__('Compare top')
    );
    topButton.addEventListener('click', () => this._compareTop());
    top.append(
      topButton,
      this._topN,
      el('span', '', t.__('by')),
      this._topMetric,
      this._topDir
    );
    const csv = el(
      'button',
      'jp-mod-styled jp-Labbook-runsExportCSV',
      t.__('Export CSV')
    );
    csv.title = t.__('Download the rows shown, with these columns, as CSV');
    csv.addEventListener('click', () => this._export('csv'));
    const json = el(
      'button',
      'jp-mod-styled jp-Labbook-runsExportJSON',
      t.__('Export JSON')
    );
    json.title = t.__('Download the rows shown, with these columns, as JSON');
    json.addEventListener('click', () => this._export('json'));
    tools.append(
      columns,
      el('span', 'jp-Labbook-runsLabel', t.__('Group by')),
      this._group,
      this._compare,
      top,
      csv,
      json
    );

    // Saved views.
    const views = el('div', 'jp-Labbook-runsBar');
    this._viewSelect = el('select', 'jp-mod-styled jp-Labbook-runsViewSelect');
    this._viewSelect.setAttribute('aria-label', t.__('Saved views'));
    this._viewSelect.addEventListener('focus', () => void this.loadViews());
    this._viewSelect.addEventListener('change', () => {
      const id = this._viewSelect.value;
      if (id) {
        void this.applyView(id);
      } else {
        this._viewId = null;
        this._fillViews();
      }
    });
    const save = el(
      'button',
      'jp-mod-styled jp-Labbook-runsSaveView',
      t.__('Save view…')
    );
    save.addEventListener('click', () => void this._saveView());
    this._update = el(
      'button',
      'jp-mod-styled jp-Labbook-runsUpdateView',
      t.__('Update view')
    );
    this._update.addEventListener('click', () => void this._updateView());
    this._delete = el(
      'button',
      'jp-mod-styled jp-Labbook-runsDeleteView',
      t.__('Delete view')
    );
    this._delete.addEventListener('click', () => void this._deleteView());
    this._chartAdd = el('select', 'jp-mod-styled jp-Labbook-runsChartAdd');
    this._chartAdd.setAttribute('aria-label', t.__('Add a chart'));
    this._chartAdd.addEventListener('change', () => {
      const name = this._chartAdd.value;
      if (name) {
        this.setState({ charts: [...this._charts, name] });
      }
    });
    views.append(
      el('span', 'jp-Labbook-runsLabel', t.__('View')),
      this._viewSelect,
      save,
      this._update,
      this._delete,
      this._chartAdd
    );

    this._picker = el('div', 'jp-Labbook-runsPicker');
    this._picker.hidden = true;
    this._chartBox = el('div', 'jp-Labbook-runsCharts');

    // The table: a sticky header, then a spacer as tall as every row.
    this._scroller = el('div', 'jp-Labbook-runsScroller');
    this._scroller.tabIndex = 0;
    this._head = el('div', 'jp-Labbook-runsHead');
    this._spacer = el('div', 'jp-Labbook-runsSpacer');
    this._body = el('div', 'jp-Labbook-runsRows');
    this._spacer.append(this._body);
    this._empty = el('div', 'jp-Labbook-runsEmpty');
    this._scroller.append(this._head, this._spacer, this._empty);
    this._scroller.addEventListener('scroll', () => this._paint(), {
      passive: true
    });
    this._head.addEventListener('click', this._onHeadClick);
    this._body.addEventListener('click', this._onBodyClick);

    this.node.append(
      bar,
      this._error,
      tools,
      views,
      this._picker,
      this._chartBox,
      this._scroller
    );
  }

  /* ---------------------------------------------------------------- */
  /* Rows                                                               */
  /* ---------------------------------------------------------------- */

  private _schedule(): void {
    if (this._scheduled) {
      return;
    }
    this._scheduled = true;
    requestAnimationFrame(() => {
      this._scheduled = false;
      if (!this.isDisposed) {
        this._recompute();
      }
    });
  }

  /** Filter, sort, group; then draw (from the top when the user changed them). */
  private _recompute(fromTop = false): void {
    const all = this._manager.experiments;
    const base = this._archived.checked ? all : all.filter(s => !s.archived);
    const text = this._query.value;
    const { matches, error } = filterExperiments(base, text);
    this._showError(text, error);
    if (!error) {
      this._matches = matches;
    }
    // With an error the previous matches stay, refreshed from the index.
    const rows = error
      ? this._matches.map(s => this._manager.summary(s.id) ?? s)
      : this._matches;
    this._rows = this._sort
      ? sortSummaries(rows, this._sort.key, this._sort.descending)
      : rows;
    const items: Item[] = [];
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
    this._count.textContent = this._trans.__(
      '%1 of %2 experiments',
      this._rows.length,
      base.length
    );
    this._count.dataset.count = String(this._rows.length);
    this._empty.textContent =
      this._rows.length === 0
        ? all.length === 0
          ? this._trans.__('No experiments in the store yet.')
          : this._trans.__('No experiment matches.')
        : '';
    this._fillChoices();
    this._drawHead();
    this._drawCharts();
    this._updateButtons();
    if (fromTop) {
      this._scroller.scrollTop = 0;
    }
    this._paint(true);
  }

  private _showError(text: string, error: IQueryError | null): void {
    const box = this._error;
    box.hidden = !error;
    this._query.classList.toggle('jp-mod-error', !!error);
    if (!error) {
      box.replaceChildren();
      return;
    }
    const t = this._trans;
    const from = Math.min(error.from, text.length);
    const to = Math.max(from, Math.min(error.to, text.length));
    const marked = el('div', 'jp-Labbook-runsErrorQuery');
    const mark = el('mark', '', text.slice(from, to) || ' ');
    marked.append(
      document.createTextNode(text.slice(0, from)),
      mark,
      document.createTextNode(text.slice(to))
    );
    const parts: HTMLElement[] = [
      el('div', 'jp-Labbook-runsErrorMessage', error.message),
      marked
    ];
    if (error.suggestion !== undefined) {
      const fix = el(
        'button',
        'jp-mod-styled jp-Labbook-runsErrorFix',
        t.__('Replace with %1', error.suggestion)
      );
      const suggestion = error.suggestion;
      fix.addEventListener('click', () => {
        this._query.value = text.slice(0, from) + suggestion + text.slice(to);
        this._recompute(true);
        this._query.focus();
      });
      parts.push(fix);
    }
    parts.push(
      el(
        'div',
        'jp-Labbook-runsErrorKept',
        t.__('Showing the rows of the last valid query.')
      )
    );
    box.replaceChildren(...parts);
    // Select the faulty part when the user is not typing elsewhere.
    if (document.activeElement !== this._query) {
      this._query.setSelectionRange(from, to);
    }
  }

  private _drawHead(): void {
    const t = this._trans;
    const template = [
      '28px',
      ...this._columns.map(k => `${this._width(k)}px`)
    ].join(' ');
    const total = 28 + this._columns.reduce((n, k) => n + this._width(k), 0);
    this._scroller.style.setProperty('--jp-labbook-runs-columns', template);
    this._scroller.style.setProperty('--jp-labbook-runs-width', `${total}px`);
    const all = el('input', 'jp-Labbook-runsSelectAll');
    all.type = 'checkbox';
    all.title = t.__('Select every row shown');
    all.setAttribute('aria-label', all.title);
    const shown = this._rows.length;
    const picked = this._rows.filter(s => this._selected.has(s.id)).length;
    all.checked = shown > 0 && picked === shown;
    all.indeterminate = picked > 0 && picked < shown;
    all.addEventListener('change', () => {
      for (const s of this._rows) {
        if (all.checked) {
          this._selected.add(s.id);
        } else {
          this._selected.delete(s.id);
        }
      }
      this._updateButtons();
      this._drawHead();
      this._paint(true);
    });
    const cells: HTMLElement[] = [el('span', 'jp-Labbook-runsCheck')];
    cells[0].append(all);
    for (const key of this._columns) {
      const cell = el('span', 'jp-Labbook-runsHeadCell');
      cell.append(el('span', 'jp-Labbook-runsHeadLabel', this._label(key)));
      cell.dataset.key = key;
      cell.title = t.__('%1 (click to sort)', key);
      cell.setAttribute('role', 'columnheader');
      if (this._sort?.key === key) {
        const descending = this._sort.descending;
        cell.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        cell.append(
          el('span', 'jp-Labbook-runsSortMark', descending ? '▼' : '▲')
        );
      }
      cells.push(cell);
    }
    this._head.replaceChildren(...cells);
  }

  /** Draw the rows in sight (plus overscan); `force` after a data change. */
  private _paint(force = false): void {
    const n = this._items.length;
    this._spacer.style.height = `${n * ROW}px`;
    const height = Math.max(this._scroller.clientHeight - ROW, 0) || 600;
    const top = this._scroller.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    const last = Math.min(n, Math.ceil((top + height) / ROW) + OVERSCAN);
    if (!force && first === this._first && last === this._last) {
      return;
    }
    this._first = first;
    this._last = last;
    this._body.style.transform = `translateY(${first * ROW}px)`;
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const item = this._items[i];
      frag.append(
        item.kind === 'group' ? this._groupRow(item) : this._row(item.s)
      );
    }
    this._body.replaceChildren(frag);
    this._body.dataset.count = String(last - first);
  }

  private _groupRow(item: Extract<Item, { kind: 'group' }>): HTMLElement {
    const t = this._trans;
    const collapsed = this._collapsed.has(item.id);
    const row = el('div', 'jp-Labbook-runsGroupRow');
    row.dataset.group = item.id;
    row.dataset.count = String(item.group.rows.length);
    row.setAttribute('aria-expanded', String(!collapsed));
    row.append(
      el('span', 'jp-Labbook-runsGroupToggle', collapsed ? '▸' : '▾'),
      el(
        'span',
        'jp-Labbook-runsGroupLabel',
        item.group.missing
          ? t.__('(no %1)', this._groupBy ?? '')
          : `${this._groupBy} = ${item.group.label}`
      ),
      el('span', 'jp-Labbook-runsGroupCount', String(item.group.rows.length))
    );
    return row;
  }

  private _row(s: IExperimentSummary): HTMLElement {
    const row = el('div', `jp-Labbook-runsRow jp-mod-${s.status}`);
    row.dataset.id = s.id;
    if (s.archived) {
      row.classList.add('jp-mod-archived');
    }
    const selected = this._selected.has(s.id);
    row.classList.toggle('jp-mod-selected', selected);
    const check = el('span', 'jp-Labbook-runsCheck');
    const box = el('input', 'jp-Labbook-runsSelect');
    box.type = 'checkbox';
    box.checked = selected;
    box.setAttribute('aria-label', this._trans.__('Select %1', s.name));
    check.append(box);
    row.append(check);
    this._columns.forEach((key, i) => {
      const v = this._readers[i](s);
      const [text, full] = this._cell(key, v, s);
      const cell = el('span', 'jp-Labbook-runsCell', text);
      cell.dataset.key = key;
      cell.title = full;
      if (typeof v === 'number') {
        cell.classList.add('jp-mod-number');
      }
      row.append(cell);
    });
    return row;
  }

  /** A cell's shown text and its full value (the tooltip). */
  private _cell(
    key: string,
    v: FieldValue,
    s: IExperimentSummary
  ): [string, string] {
    switch (key) {
      case 'name':
        return [s.name || s.id, s.name];
      case 'started':
      case 'ended':
        return [formatTime(v as string | null), cellText(v)];
      case 'duration':
        return [formatDuration(v as number | null), cellText(v)];
      case 'starred':
        return [v ? '★' : '', cellText(v)];
      case 'archived':
        return [v ? this._trans.__('archived') : '', cellText(v)];
    }
    if (typeof v === 'number') {
      return [formatNumber(v), fullNumber(v)];
    }
    const text = cellText(v);
    return [text.length > 200 ? `${text.slice(0, 200)}…` : text, text];
  }

  private _onHeadClick = (event: MouseEvent) => {
    const cell = (event.target as HTMLElement).closest<HTMLElement>(
      '.jp-Labbook-runsHeadCell'
    );
    const key = cell?.dataset.key;
    if (!key) {
      return;
    }
    const descending = this._sort?.key === key ? !this._sort.descending : false;
    this.setState({ sort: { key, descending } });
  };

  private _onBodyClick = (event: MouseEvent) => {
    const target = event.target as HTMLElement;
    const group = target.closest<HTMLElement>('.jp-Labbook-runsGroupRow');
    if (group?.dataset.group !== undefined) {
      const id = group.dataset.group;
      if (this._collapsed.has(id)) {
        this._collapsed.delete(id);
      } else {
        this._collapsed.add(id);
      }
      this._recompute();
      return;
    }
    const row = target.closest<HTMLElement>('.jp-Labbook-runsRow');
    const id = row?.dataset.id;
    if (!row || !id) {
      return;
    }
    if (target.closest('.jp-Labbook-runsCheck')) {
      const box = row.querySelector<HTMLInputElement>(
        '.jp-Labbook-runsSelect'
      )!;
      if (target !== box) {
        box.checked = !box.checked;
      }
      if (box.checked) {
        this._selected.add(id);
      } else {
        this._selected.delete(id);
      }
      row.classList.toggle('jp-mod-selected', box.checked);
      this._updateButtons();
      this._drawHead();
      return;
    }
    void this._commands
      .execute(CommandIDs.openPanel)
      .then(() => this._commands.execute(CommandIDs.showExperiment, { id }));
  };

  /* ---------------------------------------------------------------- */
  /* Columns, grouping, charts                                          */
  /* ---------------------------------------------------------------- */

  private _label(key: string): string {
    const t = this._trans;
    const labels: { [key: string]: string } = {
      name: t.__('Name'),
      status: t.__('Status'),
      started: t.__('Started'),
      ended: t.__('Ended'),
      duration: t.__('Duration'),
      tags: t.__('Tags'),
      notebook: t.__('Notebook'),
      project: t.__('Project'),
      executions: t.__('Executions'),
      starred: t.__('Starred'),
      archived: t.__('Archived'),
      kernel: t.__('Kernel'),
      id: t.__('Id'),
      notes: t.__('Notes')
    };
    return labels[key] ?? key;
  }

  private _width(key: string): number {
    return WIDTHS[key] ?? 120;
  }

  /** Refill the pickers when the params and metrics present change. */
  private _fillChoices(): void {
    // The index keeps one array until it changes: names read once per change.
    const all = this._manager.experiments;
    if (all !== this._namesOf) {
      this._namesOf = all;
      this._names = presentNames(all);
    }
    const names = this._names;
    const key = JSON.stringify([
      names,
      this._columns,
      this._groupBy,
      this._charts
    ]);
    if (key === this._namesKey) {
      return;
    }
    this._namesKey = key;
    const t = this._trans;
    const option = (value: string, label: string) => {
      const o = el('option', '', label);
      o.value = value;
      return o;
    };

    this._group.replaceChildren(
      option('', t.__('No grouping')),
      option('tags', t.__('Tags')),
      option('status', t.__('Status')),
      ...names.params.map(p => option(paramKey(p), paramKey(p)))
    );
    if (
      this._groupBy &&
      ![...this._group.options].some(o => o.value === this._groupBy)
    ) {
      this._group.append(option(this._groupBy, this._groupBy));
    }
    this._group.value = this._groupBy ?? '';

    const metric = this._topMetric.value;
    this._topMetric.replaceChildren(
      ...names.metrics.map(m => option(metricKey(m), m))
    );
    if (metric) {
      this._topMetric.value = metric;
    }

    this._chartAdd.replaceChildren(
      option('', t.__('Add a chart…')),
      ...names.metrics
        .filter(m => !this._charts.includes(m))
        .map(m => option(m, m))
    );
    this._chartAdd.value = '';
    this._fillPicker();
  }

  /** The column picker: the columns shown (reorder, remove) and the rest to add. */
  private _fillPicker(): void {
    if (this._picker.hidden) {
      return;
    }
    const t = this._trans;
    const list = el('ol', 'jp-Labbook-runsPickerList');
    this._columns.forEach((key, i) => {
      const li = el('li', 'jp-Labbook-runsPickerItem');
      li.dataset.key = key;
      const button = (
        text: string,
        title: string,
        action: () => void,
        disabled = false
      ) => {
        const b = el('button', 'jp-mod-styled jp-mod-minimal', text);
        b.title = title;
        b.setAttribute('aria-label', title);
        b.disabled = disabled;
        b.addEventListener('click', action);
        return b;
      };
      const move = (to: number) => () => {
        const columns = [...this._columns];
        columns.splice(to, 0, ...columns.splice(i, 1));
        this.setState({ columns });
      };
      li.append(
        el('span', 'jp-Labbook-runsPickerName', key),
        button('↑', t.__('Move left'), move(i - 1), i === 0),
        button(
          '↓',
          t.__('Move right'),
          move(i + 1),
          i === this._columns.length - 1
        ),
        button(
          '✕',
          t.__('Remove column'),
          () =>
            this.setState({ columns: this._columns.filter(k => k !== key) }),
          this._columns.length === 1
        )
      );
      list.append(li);
    });
    const add = el('select', 'jp-mod-styled jp-Labbook-runsAddColumn');
    add.setAttribute('aria-label', t.__('Add a column'));
    const option = (value: string, label = value) => {
      const o = el('option', '', label);
      o.value = value;
      return o;
    };
    const free = (keys: string[]) =>
      keys.filter(k => !this._columns.includes(k));
    const groupOf = (label: string, keys: string[]) => {
      const g = el('optgroup');
      g.label = label;
      g.append(...free(keys).map(k => option(k)));
      return g;
    };
    add.append(
      option('', t.__('Add a column…')),
      groupOf(t.__('Fields'), SIMPLE_COLUMNS),
      groupOf(t.__('Params'), this._names.params.map(paramKey)),
      groupOf(
        t.__('Metrics'),
        this._names.metrics.flatMap(m => [
          metricKey(m),
          metricKey(m, 'min'),
          metricKey(m, 'max')
        ])
      )
    );
    add.addEventListener('change', () => {
      if (add.value) {
        this.setState({ columns: [...this._columns, add.value] });
      }
    });
    const reset = el(
      'button',
      'jp-mod-styled jp-Labbook-runsResetColumns',
      t.__('Default columns')
    );
    reset.title = t.__(
      'The params that vary across the rows shown and the metrics logged'
    );
    reset.addEventListener('click', () => this.setState({ columns: [] }));
    this._picker.replaceChildren(list, add, reset);
  }

  /**
   * One small chart per chosen metric: its last value for each row shown,
   * by start time (how the metric moved over the runs).
   */
  private _drawCharts(): void {
    const t = this._trans;
    const key =
      JSON.stringify(this._charts) +
      this._rows.length +
      (this._rows[0]?.id ?? '');
    if (key === this._chartsKey && this._rows === this._chartRows) {
      return;
    }
    this._chartsKey = key;
    this._chartRows = this._rows;
    const charts = this._charts.map(name => {
      const box = el('div', 'jp-Labbook-runsChart');
      box.dataset.metric = name;
      const remove = el(
        'button',
        'jp-mod-styled jp-mod-minimal jp-Labbook-runsChartRemove',
        '✕'
      );
      remove.title = t.__('Remove chart');
      remove.setAttribute('aria-label', remove.title);
      remove.addEventListener('click', () =>
        this.setState({ charts: this._charts.filter(c => c !== name) })
      );
      const head = el('div', 'jp-Labbook-runsChartHead');
      head.append(el('span', 'jp-Labbook-runsChartName', name), remove);
      const read = fieldReader(metricKey(name));
      const points: [number, number][] = [];
      if (read.ok) {
        for (const s of this._rows) {
          const v = read.read(s);
          const x = Date.parse(s.started);
          if (typeof v === 'number' && Number.isFinite(x)) {
            points.push([x, v]);
          }
        }
      }
      points.sort((a, b) => a[0] - b[0]);
      box.dataset.points = String(points.length);
      box.append(head, sparkline(points));
      if (points.length) {
        const ys = points.map(p => p[1]);
        box.append(
          el(
            'div',
            'jp-Labbook-runsChartRange',
            t.__(
              '%1 runs · %2 … %3',
              points.length,
              formatNumber(Math.min(...ys)),
              formatNumber(Math.max(...ys))
            )
          )
        );
      }
      return box;
    });
    this._chartBox.replaceChildren(...charts);
    this._chartBox.hidden = charts.length === 0;
  }

  /* ---------------------------------------------------------------- */
  /* Compare, export                                                    */
  /* ---------------------------------------------------------------- */

  private _updateButtons(): void {
    const t = this._trans;
    // Only experiments still listed count.
    for (const id of this._selected) {
      if (!this._manager.summary(id)) {
        this._selected.delete(id);
      }
    }
    const n = this._selected.size;
    this._compare.textContent = t.__('Compare (%1)', n);
    this._compare.disabled = n < 2 || n > MAX_COMPARE;
    if (!this._compare.disabled) {
      prefetchCompare(this._commands); // loads while the user reaches for it
    }
    this._compare.title =
      n > MAX_COMPARE
        ? t.__('Select at most %1 experiments to compare', MAX_COMPARE)
        : t.__('Compare the selected experiments (2 to %1)', MAX_COMPARE);
    this._compare.dataset.count = String(n);
    this._update.disabled = !this.currentView;
    this._delete.disabled = !this.currentView;
  }

  private _compareIds(ids: string[]): void {
    const t = this._trans;
    if (ids.length < 2 || ids.length > MAX_COMPARE) {
      Notification.warning(
        t.__('Pick 2 to %1 experiments to compare.', MAX_COMPARE),
        { autoClose: 5000 }
      );
      return;
    }
    if (!this._commands.hasCommand(CommandIDs.compare)) {
      Notification.warning(
        t.__('The compare view is not available in this JupyterLab.'),
        {
          autoClose: 5000
        }
      );
      return;
    }
    void this._commands.execute(CommandIDs.compare, { ids });
  }

  private _compareTop(): void {
    const key = this._topMetric.value;
    const n = Math.max(
      2,
      Math.min(MAX_COMPARE, Math.floor(Number(this._topN.value)) || 5)
    );
    if (!key) {
      Notification.warning(this._trans.__('No metric logged yet to rank by.'), {
        autoClose: 5000
      });
      return;
    }
    const top = topSummaries(this._rows, key, n, this._topDir.value !== 'asc');
    this._compareIds(top.map(s => s.id));
  }

  private _export(kind: 'csv' | 'json'): void {
    const base =
      (this.currentView?.name ?? 'labbook-runs').replace(/[^\w.-]+/g, '-') ||
      'labbook-runs';
    if (kind === 'csv') {
      downloadText(
        `${base}.csv`,
        runsToCSV(this._rows, this._columns),
        'text/csv'
      );
    } else {
      downloadText(
        `${base}.json`,
        runsToJSON(this._rows, this._columns),
        'application/json'
      );
    }
  }

  /* ---------------------------------------------------------------- */
  /* Saved views                                                        */
  /* ---------------------------------------------------------------- */

  private _fillViews(): void {
    const t = this._trans;
    const none = el('option', '', t.__('(no saved view)'));
    none.value = '';
    const options = this._views.map(v => {
      const o = el('option', '', v.name);
      o.value = v.id;
      return o;
    });
    this._viewSelect.replaceChildren(none, ...options);
    this._viewSelect.value = this.currentView ? this._viewId! : '';
    this._viewSelect.dataset.count = String(this._views.length);
    this._updateButtons();
  }

  private async _saveView(): Promise<void> {
    const t = this._trans;
    const result = await InputDialog.getText({
      title: t.__('Save view'),
      label: t.__('Name'),
      text: this.currentView?.name ?? '',
      okLabel: t.__('Save')
    });
    const name = result.value?.trim();
    if (!result.button.accept || !name) {
      return;
    }
    const now = new Date().toISOString();
    const view: ISavedView = {
      id: newViewId(),
      name,
      ...this.state,
      created: now,
      updated: now
    };
    await this._write(view);
  }

  private async _updateView(): Promise<void> {
    const current = this.currentView;
    if (current) {
      await this._write({
        ...current,
        ...this.state,
        updated: new Date().toISOString()
      });
    }
  }

  private async _write(view: ISavedView): Promise<void> {
    try {
      await this._manager.store.saveView(view);
      this._viewId = view.id;
      await this.loadViews();
    } catch (error) {
      notifyError(
        this._trans.__('Labbook could not save the view: %1', errorText(error))
      );
    }
  }

  private async _deleteView(): Promise<void> {
    const t = this._trans;
    const current = this.currentView;
    if (!current) {
      return;
    }
    const result = await showDialog({
      title: t.__('Delete view'),
      body: t.__(
        'Delete the saved view "%1"? The experiments stay.',
        current.name
      ),
      buttons: [
        Dialog.cancelButton(),
        Dialog.warnButton({ label: t.__('Delete') })
      ]
    });
    if (!result.button.accept) {
      return;
    }
    try {
      await this._manager.store.deleteView(current.id);
      this._viewId = null;
      await this.loadViews();
    } catch (error) {
      notifyError(
        t.__('Labbook could not delete the view: %1', errorText(error))
      );
    }
  }

  private _manager: ExperimentManager;
  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
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
  private _matches: readonly IExperimentSummary[] = [];
  private _rows: readonly IExperimentSummary[] = [];
  private _items: Item[] = [];
  private _names: { params: string[]; metrics: string[] } = {
    params: [],
    metrics: []
  };
  private _namesKey = '';
  private _namesOf: readonly IExperimentSummary[] | null = null;
  private _chartsKey = '';
  private _chartRows: readonly IExperimentSummary[] | null = null;
  private _views: ISavedView[] = [];
  private _viewId: string | null = null;
  private _first = -1;
  private _last = -1;
  private _scheduled = false;
  private _typing: ReturnType<typeof setTimeout> | undefined;
  private _query!: HTMLInputElement;
  private _archived!: HTMLInputElement;
  private _count!: HTMLSpanElement;
  private _error!: HTMLDivElement;
  private _group!: HTMLSelectElement;
  private _compare!: HTMLButtonElement;
  private _topN!: HTMLInputElement;
  private _topMetric!: HTMLSelectElement;
  private _topDir!: HTMLSelectElement;
  private _viewSelect!: HTMLSelectElement;
  private _update!: HTMLButtonElement;
  private _delete!: HTMLButtonElement;
  private _chartAdd!: HTMLSelectElement;
  private _picker!: HTMLDivElement;
  private _chartBox!: HTMLDivElement;
  private _scroller!: HTMLDivElement;
  private _head!: HTMLDivElement;
  private _spacer!: HTMLDivElement;
  private _body!: HTMLDivElement;
  private _empty!: HTMLDivElement;
}

export namespace RunsView {
  export interface IOptions {
    manager: ExperimentManager;
    commands: CommandRegistry;
    trans: TranslationBundle;
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/** A small line chart of `points` ([x, y], sorted by x), drawn in SVG. */
function sparkline(points: readonly [number, number][]): SVGSVGElement {
  const W = 220;
  const H = 56;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('width', String(W));
  svg.setAttribute('height', String(H));
  svg.classList.add('jp-Labbook-runsSparkline');
  if (points.length === 0) {
    return svg;
  }
  const xs = points.map(p => p[0]);
  const ys = points.map(p => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) =>
    x1 === x0 ? W / 2 : 2 + ((x - x0) / (x1 - x0)) * (W - 4);
  const sy = (y: number) =>
    y1 === y0 ? H / 2 : H - 2 - ((y - y0) / (y1 - y0)) * (H - 4);
  // At most one point per pixel column keeps a 10,000-run chart light.
  const step = Math.max(1, Math.floor(points.length / W));
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute(
    'points',
    points
      .filter((_, i) => i % step === 0 || i === points.length - 1)
      .map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
      .join(' ')
  );
  svg.append(line);
  return svg;
}

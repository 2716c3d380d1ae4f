/**
 * The runs table (issue 7): every experiment of the store index as one
 * fixed-height row, virtualised (only the rows in sight plus an overscan
 * exist), filtered by a query, with columns picked from the params and
 * metrics present (by default the params that vary and the metrics
 * logged), sorted by a header click, grouped by a param or tags
 * (collapsible group rows), rows selected for compare, the shown rows
 * exported as CSV or JSON, small metric charts above, and saved views that
 * keep all of it in the store. The state and the rows are the model's
 * (`model.ts`); this draws them. Loaded on demand (the plugin imports this
 * module lazily).
 *
 * Everything logged (names, tags, params, metric names) goes into the page
 * as text.
 */
import { Notification } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import type { IExperimentSummary } from '../../core/index/summary';
import { metricKey, paramKey } from '../../core/query';
import { CommandIDs, prefetchCompare } from '../commands';
import { errorText, notifyError } from '../ui/notify';
import { askViewName, confirmDeleteView } from '../savedviews/dialog';
import { el } from '../ui/dom';
import { downloadText } from '../ui/download';
import { renderCharts } from './charts';
import { MAX_COMPARE, RunsModel } from './model';
import { renderPicker } from './picker';
import { showQueryError } from './queryerror';
import { RunsTable } from './table';

export class RunsView extends Widget {
  constructor(options: RunsView.IOptions) {
    super();
    this.model = options.model;
    this._commands = options.commands;
    this._trans = options.trans;
    this.addClass('jp-Labbook-runs');
    this._build();
    this.model.changed.connect(
      (_, change) => this._render(change.fromTop),
      this
    );
    this.model.stale.connect(this._schedule, this);
    this.model.viewsChanged.connect(this._fillViews, this);
    this._render(false);
    void this.model.loadViews();
  }

  /** The table's state and rows; disposed with the view. */
  readonly model: RunsModel;

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    clearTimeout(this._typing);
    this.model.dispose();
    super.dispose();
  }

  /** Apply the saved view with this id (or, failing that, this name). */
  async applyView(idOrName: string): Promise<boolean> {
    const found = await this.model.applyView(idOrName);
    if (!found) {
      Notification.warning(
        this._trans.__('No saved view named %1.', idOrName),
        { autoClose: 5000 }
      );
    }
    return found;
  }

  protected onAfterAttach(): void {
    this._table.paint(true);
  }

  protected onAfterShow(): void {
    this._table.paint(true);
  }

  protected onResize(): void {
    this._table.paint();
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
      this._typing = setTimeout(() => this._setQuery(), 150);
    });
    this._query.addEventListener('keydown', event => {
      if (event.key === 'Enter') {
        clearTimeout(this._typing);
        this._setQuery();
      }
    });
    const archived = el('label', 'jp-Labbook-runsArchived');
    this._archived = el('input');
    this._archived.type = 'checkbox';
    this._archived.addEventListener('change', () =>
      this.model.setState({ showArchived: this._archived.checked })
    );
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
      this.model.setState({ groupBy: this._group.value || null })
    );
    this._compare = el(
      'button',
      'jp-mod-styled jp-mod-accept jp-Labbook-runsCompare'
    );
    this._compare.addEventListener('click', () =>
      this._compareIds([...this.model.selected])
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
    this._viewSelect.addEventListener(
      'focus',
      () => void this.model.loadViews()
    );
    this._viewSelect.addEventListener('change', () => {
      const id = this._viewSelect.value;
      if (id) {
        void this.applyView(id);
      } else {
        this.model.clearView();
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
        this.model.setState({ charts: [...this.model.charts, name] });
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

    this._table = new RunsTable({
      model: this.model,
      trans: t,
      onSelect: () => {
        this._updateButtons();
        this._table.drawHead();
      },
      onOpen: (id: string) =>
        void this._commands
          .execute(CommandIDs.openPanel)
          .then(() => this._commands.execute(CommandIDs.showExperiment, { id }))
    });

    this.node.append(
      bar,
      this._error,
      tools,
      views,
      this._picker,
      this._chartBox,
      this._table.node
    );
  }

  /* ---------------------------------------------------------------- */
  /* Rows                                                               */
  /* ---------------------------------------------------------------- */

  private _setQuery(): void {
    this._shownQuery = this._query.value;
    this.model.setState({ query: this._query.value });
  }

  /** The index changed: compute the rows again, once a frame at most. */
  private _schedule(): void {
    if (this._scheduled) {
      return;
    }
    this._scheduled = true;
    requestAnimationFrame(() => {
      this._scheduled = false;
      if (!this.isDisposed) {
        this.model.recompute();
      }
    });
  }

  /** Draw the model's rows (from the top when the user changed them). */
  private _render(fromTop: boolean): void {
    const m = this.model;
    if (m.query !== this._shownQuery) {
      // Set from a saved view or a fix, not typed: the box shows it.
      this._shownQuery = m.query;
      this._query.value = m.query;
    }
    this._archived.checked = m.showArchived;
    showQueryError(
      this._error,
      this._query,
      m.query,
      m.error,
      this._trans,
      fixed => {
        this._query.value = fixed;
        this._setQuery();
        this._query.focus();
      }
    );
    this._count.textContent = this._trans.__(
      '%1 of %2 experiments',
      m.rows.length,
      m.total
    );
    this._count.dataset.count = String(m.rows.length);
    this._table.empty.textContent =
      m.rows.length === 0
        ? m.isEmpty
          ? this._trans.__('No experiments in the store yet.')
          : this._trans.__('No experiment matches.')
        : '';
    this._fillChoices();
    this._drawCharts();
    this._updateButtons();
    this._table.draw(fromTop);
  }

  /* ---------------------------------------------------------------- */
  /* Columns, grouping, charts                                          */
  /* ---------------------------------------------------------------- */

  /** Refill the pickers when the params and metrics present change. */
  private _fillChoices(): void {
    const names = this.model.names;
    const key = JSON.stringify([
      names,
      this.model.columns,
      this.model.groupBy,
      this.model.charts
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
      this.model.groupBy &&
      ![...this._group.options].some(o => o.value === this.model.groupBy)
    ) {
      this._group.append(option(this.model.groupBy, this.model.groupBy));
    }
    this._group.value = this.model.groupBy ?? '';

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
        .filter(m => !this.model.charts.includes(m))
        .map(m => option(m, m))
    );
    this._chartAdd.value = '';
    this._fillPicker();
  }

  /** The column picker: the columns shown (reorder, remove) and the rest to add. */
  private _fillPicker(): void {
    if (!this._picker.hidden) {
      renderPicker(this._picker, this.model, this._trans);
    }
  }

  /**
   * One small chart per chosen metric: its last value for each row shown,
   * by start time (how the metric moved over the runs).
   */
  private _drawCharts(): void {
    const m = this.model;
    const key =
      JSON.stringify(m.charts) + m.rows.length + (m.rows[0]?.id ?? '');
    if (key === this._chartsKey && m.rows === this._chartRows) {
      return;
    }
    this._chartsKey = key;
    this._chartRows = m.rows;
    const charts = renderCharts(m.rows, m.charts, this._trans, name =>
      m.setState({ charts: m.charts.filter(c => c !== name) })
    );
    this._chartBox.replaceChildren(...charts);
    this._chartBox.hidden = charts.length === 0;
  }

  /* ---------------------------------------------------------------- */
  /* Compare, export                                                    */
  /* ---------------------------------------------------------------- */

  private _updateButtons(): void {
    const t = this._trans;
    const n = this.model.selected.size;
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
    this._update.disabled = !this.model.currentView;
    this._delete.disabled = !this.model.currentView;
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
    this._compareIds(this.model.top(key, n, this._topDir.value !== 'asc'));
  }

  private _export(kind: 'csv' | 'json'): void {
    const file = this.model.export(kind);
    downloadText(file.name, file.text, file.type);
  }

  /* ---------------------------------------------------------------- */
  /* Saved views                                                        */
  /* ---------------------------------------------------------------- */

  private _fillViews(): void {
    const t = this._trans;
    const none = el('option', '', t.__('(no saved view)'));
    none.value = '';
    const options = this.model.views.map(v => {
      const o = el('option', '', v.name);
      o.value = v.id;
      return o;
    });
    this._viewSelect.replaceChildren(none, ...options);
    this._viewSelect.value = this.model.currentView?.id ?? '';
    this._viewSelect.dataset.count = String(this.model.views.length);
    this._updateButtons();
  }

  private async _saveView(): Promise<void> {
    const name = await askViewName(this._trans, {
      text: this.model.currentView?.name ?? ''
    });
    if (name !== null) {
      await this._write(() => this.model.saveView(name));
    }
  }

  private async _updateView(): Promise<void> {
    await this._write(() => this.model.updateView());
  }

  private async _write(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      notifyError(
        this._trans.__('Labbook could not save the view: %1', errorText(error))
      );
    }
  }

  private async _deleteView(): Promise<void> {
    const t = this._trans;
    const current = this.model.currentView;
    if (!current || !(await confirmDeleteView(t, current.name))) {
      return;
    }
    try {
      await this.model.deleteView();
    } catch (error) {
      notifyError(
        t.__('Labbook could not delete the view: %1', errorText(error))
      );
    }
  }

  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
  private _shownQuery = '';
  private _namesKey = '';
  private _chartsKey = '';
  private _chartRows: readonly IExperimentSummary[] | null = null;
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
  private _table!: RunsTable;
}

export namespace RunsView {
  export interface IOptions {
    /** Disposed with the view. */
    model: RunsModel;
    commands: CommandRegistry;
    trans: TranslationBundle;
  }
}

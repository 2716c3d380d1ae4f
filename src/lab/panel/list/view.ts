/**
 * The experiments list of the Labbook panel (issue 7): a query box that
 * filters as you type, saved views, "show archived", a checkbox per row
 * with shift-click ranges and bulk actions. The list is virtualised (only
 * the rows in view exist), so 10,000 experiments scroll like ten.
 * Everything user-written is rendered as text.
 */
import { Notification } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';
import { Signal } from '@lumino/signaling';
import type { IExperimentSummary } from '../../../core/index/summary';
import { filterExperiments } from '../../../core/query/compile';
import type { IQueryError } from '../../../core/query/ast';
import { newViewId, type ISavedView } from '../../../core/savedviews/savedview';
import { CommandIDs, prefetchCompare } from '../../commands';
import type { ExperimentManager } from '../../experiments/manager';
import { el } from '../../ui/dom';
import { formatRunDuration } from '../../ui/format';
import { askItem, askText, confirm } from './organise';
import { splitTags } from './edits';
import { ExperimentListModel } from './model';
import { ROW_HEIGHT, renderRow } from './rows';
import { errorText, notifyError } from '../../ui/notify';

/** Height of a row in pixels (fixed: the list is virtualised). */
export { ROW_HEIGHT };
const OVERSCAN = 8;
/** Typing pauses this long before the list is filtered. */
const DEBOUNCE_MS = 150;
/** Compare takes this many experiments. */
const COMPARE_MIN = 2;
const COMPARE_MAX = 50;

export class ExperimentList implements IDisposable {
  constructor(options: ExperimentList.IOptions) {
    this._manager = options.manager;
    this._commands = options.commands;
    this._trans = options.trans;
    this._open = options.open;
    this._model =
      options.model ??
      new ExperimentListModel({
        source: this._manager,
        store: this._manager.store
      });
    this._ownsModel = !options.model;
    this._model.selectionChanged.connect(() => {
      this._updateBulk();
      this._paint(true);
    }, this);
    const t = this._trans;
    this.node = el('div', 'jp-Labbook-listPane');

    // The query box, and what is wrong with it.
    this._input = el('input', 'jp-Labbook-query jp-mod-styled');
    this._input.type = 'search';
    this._input.spellcheck = false;
    this._input.placeholder = t.__(
      'Filter, e.g. params.lr < 0.01 and tags = "baseline"'
    );
    this._input.setAttribute('aria-label', t.__('Filter experiments'));
    this._input.addEventListener('input', () => {
      this._viewSelect.value = '';
      this._schedule();
    });
    this._input.addEventListener('keydown', ev => {
      if (ev.key === 'Enter') {
        this._applyNow();
      }
    });
    this._queryError = el('div', 'jp-Labbook-queryError');
    this._queryError.hidden = true;

    // Saved views.
    this._viewSelect = el('select', 'jp-Labbook-viewSelect jp-mod-styled');
    this._viewSelect.setAttribute('aria-label', t.__('Saved view'));
    this._viewSelect.addEventListener('change', () => this._pickView());
    const saveView = this._button(
      t.__('Save view…'),
      'saveView',
      t.__('Save the query as a view every tab of this store can pick'),
      () => void this._saveView()
    );
    this._deleteView = this._button(
      t.__('Delete view'),
      'deleteView',
      t.__('Delete the picked view'),
      () => void this._removeView()
    );
    this._openRuns = this._button(
      t.__('Open in runs table'),
      'openRuns',
      t.__('Open the picked view in the runs table'),
      () => void this._openInRuns()
    );
    const views = el('div', 'jp-Labbook-viewsRow');
    views.append(this._viewSelect, saveView, this._deleteView, this._openRuns);
    this._viewProblems = el('div', 'jp-Labbook-error');
    this._viewProblems.hidden = true;

    // Archived, counts, select all.
    this._archived = el('input', 'jp-Labbook-showArchived');
    this._archived.type = 'checkbox';
    this._archived.addEventListener('change', () => this._applyNow());
    const archivedLabel = el('label', 'jp-Labbook-showArchivedLabel');
    archivedLabel.append(this._archived, t.__('Show archived'));
    this._count = el('span', 'jp-Labbook-matchCount');
    this._selectAll = this._button(
      t.__('Select all'),
      'selectAll',
      t.__('Select every experiment the query matches'),
      () => this._model.selectAll()
    );
    const options2 = el('div', 'jp-Labbook-listOptions');
    options2.append(archivedLabel, this._count, this._selectAll);
    this._notice = el('div', 'jp-Labbook-notice');
    this._notice.hidden = true;

    // Bulk actions on the selection.
    this._bulk = el('div', 'jp-Labbook-bulkBar');
    this._bulk.hidden = true;
    this._bulkCount = el('span', 'jp-Labbook-bulkCount');
    this._bulkStar = this._button('', 'bulkStar', '', () =>
      this._bulkEdit(ids => this._model.setFlag(ids, 'starred'))
    );
    this._bulkArchive = this._button('', 'bulkArchive', '', () =>
      this._bulkEdit(ids => this._model.setFlag(ids, 'archived'))
    );
    this._bulkCompare = this._button(
      t.__('Compare'),
      'bulkCompare',
      '',
      () => void this._compare()
    );
    this._bulk.append(
      this._bulkCount,
      this._button(t.__('Add tag…'), 'bulkAddTag', '', () =>
        this._bulkEdit(ids => this._addTag(ids))
      ),
      this._button(t.__('Remove tag…'), 'bulkRemoveTag', '', () =>
        this._bulkEdit(ids => this._removeTag(ids))
      ),
      this._bulkStar,
      this._bulkArchive,
      this._button(t.__('Delete…'), 'bulkDelete', '', () =>
        this._bulkEdit(ids => this._delete(ids))
      ),
      this._bulkCompare,
      this._button(
        t.__('Clear'),
        'bulkClear',
        t.__('Clear the selection'),
        () => this._model.setSelection(new Set())
      )
    );

    const toolbar = el('div', 'jp-Labbook-listToolbar');
    toolbar.append(
      this._input,
      this._queryError,
      views,
      this._viewProblems,
      options2,
      this._notice,
      this._bulk
    );

    // Store-level problems, then the virtualised rows.
    this._problems = el('div', 'jp-Labbook-listProblems');
    this._scroller = el('div', 'jp-Labbook-list');
    this._scroller.setAttribute('role', 'list');
    this._spacer = el('div', 'jp-Labbook-listSpacer');
    this._rowsNode = el('div', 'jp-Labbook-listRows');
    this._empty = el('div', 'jp-Labbook-empty');
    this._spacer.append(this._rowsNode);
    this._scroller.append(this._empty, this._spacer);
    this._scroller.addEventListener('scroll', () => this._paint(), {
      passive: true
    });
    this._rowsNode.addEventListener('click', this._onClick);
    this._rowsNode.addEventListener('keydown', this._onKey);
    this._rowsNode.addEventListener('mousedown', ev => {
      // Shift-click on a checkbox selects a range, not text.
      if (ev.shiftKey && Private.isCheck(ev.target)) {
        ev.preventDefault();
      }
    });
    this._rowsNode.addEventListener('dragstart', ev => {
      if (Private.isCheck(ev.target)) {
        ev.preventDefault();
      }
    });
    this.node.append(toolbar, this._problems, this._scroller);
    this._resize = new ResizeObserver(() => this._paint());
    this._resize.observe(this._scroller);

    this._manager.store.changed.connect((_, change) => {
      if (change.type === 'views') {
        void this._loadViews();
      }
    }, this);
    this._updateViewButtons();
    void this._loadViews();
  }

  readonly node: HTMLDivElement;

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** The query as typed. */
  get query(): string {
    return this._input.value;
  }

  /** The query, its matches, the selection and the bulk edits. */
  get model(): ExperimentListModel {
    return this._model;
  }

  /** The experiments listed now (matching, archived shown or not), newest first. */
  get matches(): readonly IExperimentSummary[] {
    return this._model.matches;
  }

  /** Selected experiment ids. */
  get selection(): ReadonlySet<string> {
    return this._model.selection;
  }

  /** Set the query (and whether archived experiments show) and filter now. */
  setQuery(text: string, showArchived?: boolean): void {
    this._input.value = text;
    if (showArchived !== undefined) {
      this._archived.checked = showArchived;
    }
    this._applyNow();
  }

  /** The store's experiments changed: filter again and repaint. */
  update(): void {
    // Views saved by other tabs are found on the periodic refreshes.
    if (Date.now() - this._viewsLoaded > 10_000) {
      void this._loadViews();
    }
    this._filter();
    this._renderProblems();
    this._paint(true);
  }

  /** Every second: running experiments' durations. */
  tick(): void {
    for (const row of this._rowsNode.children) {
      const id = (row as HTMLElement).dataset.id;
      const e = id ? this._manager.summary(id) : undefined;
      if (e?.status === 'running') {
        const node = row.querySelector('.jp-Labbook-rowDuration');
        if (node) {
          node.textContent = formatRunDuration(e);
        }
      }
    }
  }

  /** Repaint after the list became visible (its height was unknown). */
  repaint(): void {
    this._paint(true);
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    if (this._timer !== null) {
      clearTimeout(this._timer);
    }
    this._resize.disconnect();
    Signal.disconnectReceiver(this);
    if (this._ownsModel) {
      this._model.dispose();
    }
  }

  /* -------------------------------------------------------------- */
  /* Filtering                                                        */
  /* -------------------------------------------------------------- */

  private _schedule(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
    }
    this._timer = setTimeout(() => {
      this._timer = null;
      this._applyNow();
    }, DEBOUNCE_MS);
  }

  private _applyNow(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    this._filter();
    this._paint(true);
  }

  /**
   * Filter the index's summaries (the model does; this draws its error,
   * notice and counts when anything was filtered).
   */
  private _filter(): void {
    const m = this._model;
    if (!m.setQuery(this._input.value, this._archived.checked)) {
      return;
    }
    const all = m.all;
    const damaged = m.damagedLeftOut;
    this._renderError(this._input.value, m.error);
    const t = this._trans;
    this._notice.hidden = damaged === 0;
    this._notice.textContent = damaged
      ? t._n(
          '%1 damaged experiment is left out of the matches: some of its files cannot be read.',
          '%1 damaged experiments are left out of the matches: some of their files cannot be read.',
          damaged
        )
      : '';
    this._count.textContent =
      m.matches.length === all.length
        ? t._n('%1 experiment', '%1 experiments', all.length)
        : t.__('%1 of %2', m.matches.length, all.length);
    this._updateBulk();
  }

  /** The error under the box: message, the query with the range marked, the fix. */
  private _renderError(text: string, error: IQueryError | null): void {
    this._input.setAttribute('aria-invalid', error ? 'true' : 'false');
    this._input.classList.toggle('jp-mod-error', !!error);
    this._queryError.hidden = !error;
    if (!error) {
      this._queryError.replaceChildren();
      return;
    }
    const t = this._trans;
    const from = Math.max(0, Math.min(error.from, text.length));
    const to = Math.max(from, Math.min(error.to, text.length));
    const shown = el('div', 'jp-Labbook-queryText');
    const range = el(
      'span',
      'jp-Labbook-queryErrorRange',
      // An empty range (the end of the query) is shown as one space.
      text.slice(from, to) || ' '
    );
    range.dataset.from = String(from);
    range.dataset.to = String(to);
    shown.append(text.slice(0, from), range, text.slice(to));
    const parts: HTMLElement[] = [
      el('div', 'jp-Labbook-queryMessage', error.message),
      shown
    ];
    if (error.suggestion !== undefined) {
      const fixed = text.slice(0, from) + error.suggestion + text.slice(to);
      const fix = this._button(
        t.__('Use: %1', fixed),
        'querySuggestion',
        t.__('Replace “%1” with “%2”', text.slice(from, to), error.suggestion),
        () => {
          this._input.value = fixed;
          this._input.focus();
          this._applyNow();
        }
      );
      parts.push(fix);
    }
    this._queryError.replaceChildren(...parts);
  }

  /** The store's own error and damaged experiments the index does not list. */
  private _renderProblems(): void {
    const t = this._trans;
    const out: HTMLElement[] = [];
    const error = this._manager.error;
    if (error) {
      out.push(
        el(
          'div',
          'jp-Labbook-error',
          t.__('The store cannot be read: %1', error)
        )
      );
    }
    const unlisted = new Map<string, string[]>();
    for (const d of this._manager.damaged) {
      if (!this._manager.summary(d.id)) {
        unlisted.set(d.id, [
          ...(unlisted.get(d.id) ?? []),
          `${d.path}: ${d.problem}`
        ]);
      }
    }
    for (const [id, problems] of unlisted) {
      const row = el('div', 'jp-Labbook-row jp-mod-damaged');
      row.append(
        el('div', 'jp-Labbook-rowName', id),
        el('div', 'jp-Labbook-error', problems.join('\n'))
      );
      out.push(row);
    }
    this._problems.replaceChildren(...out);
  }

  /* -------------------------------------------------------------- */
  /* Rows                                                             */
  /* -------------------------------------------------------------- */

  /** Render the rows in view (all of them again when `force`). */
  private _paint(force = false): void {
    const rows = this._model.matches;
    const t = this._trans;
    const total = this._manager.experiments.length;
    this._empty.hidden = rows.length > 0;
    const loading = this._manager.loading;
    this._empty.textContent =
      !this._manager.listed && !this._manager.error
        ? loading
          ? t.__(
              'Rebuilding the store index: %1 of %2 experiments read…',
              loading.done.toLocaleString(),
              loading.total.toLocaleString()
            )
          : t.__('Reading the store…')
        : total === 0
          ? t.__(
              'No experiments yet. Start one from a notebook toolbar or the command palette.'
            )
          : t.__('No experiment matches.');
    this._spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
    const height = this._scroller.clientHeight || 800;
    const top = this._scroller.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(
      rows.length,
      Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN
    );
    if (
      !force &&
      first === this._first &&
      last === this._last &&
      rows === this._painted
    ) {
      return;
    }
    this._first = first;
    this._last = last;
    this._painted = rows;
    this._rowsNode.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    // Rows are rebuilt only when what they show changed: a flush of one
    // running experiment touches one row, not the whole list.
    const cache = new Map<string, { sig: string; row: HTMLElement }>();
    const nodes: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const e = rows[i];
      const sig = JSON.stringify([
        e.name,
        e.status,
        e.notebook,
        e.started,
        e.ended,
        e.tags,
        this._manager.executionsOf(e),
        e.damaged ?? null,
        e.starred,
        e.archived,
        this._model.selection.has(e.id)
      ]);
      const cached = this._rows.get(e.id);
      const row =
        cached && cached.sig === sig
          ? cached.row
          : renderRow(e, {
              selected: this._model.selection.has(e.id),
              executions: this._manager.executionsOf(e),
              trans: this._trans
            });
      row.dataset.index = String(i);
      cache.set(e.id, { sig, row });
      nodes.push(row);
    }
    this._rows = cache;
    const current = this._rowsNode.children;
    if (
      nodes.length !== current.length ||
      nodes.some((row, i) => current[i] !== row)
    ) {
      this._rowsNode.replaceChildren(...nodes);
    }
  }

  private _onClick = (ev: MouseEvent): void => {
    const target = ev.target as HTMLElement;
    const row = target.closest<HTMLElement>('.jp-Labbook-row[data-id]');
    const id = row?.dataset.id;
    if (!id) {
      return;
    }
    if (Private.isCheck(target)) {
      ev.stopPropagation();
      this._model.check(id, (target as HTMLInputElement).checked, ev.shiftKey);
      return;
    }
    if (target.closest('.jp-Labbook-star')) {
      ev.stopPropagation();
      void this._run(() => this._model.toggleStar(id));
      return;
    }
    this._open(id);
  };

  private _onKey = (ev: KeyboardEvent): void => {
    const target = ev.target as HTMLElement;
    if (!target.matches('.jp-Labbook-row[data-id]')) {
      return;
    }
    const id = target.dataset.id!;
    if (ev.key === 'Enter') {
      this._open(id);
    } else if (ev.key === ' ') {
      ev.preventDefault();
      this._model.check(id, !this._model.selection.has(id), ev.shiftKey);
      this._focusRow(id);
    }
  };

  private _focusRow(id: string): void {
    this._rowsNode
      .querySelector<HTMLElement>(
        `.jp-Labbook-row[data-id="${CSS.escape(id)}"]`
      )
      ?.focus();
  }

  /* -------------------------------------------------------------- */
  /* Bulk actions                                                     */
  /* -------------------------------------------------------------- */

  private _updateBulk(): void {
    const t = this._trans;
    const chosen = this._model.selected;
    const n = chosen.length;
    this._bulk.hidden = n === 0;
    this._bulkCount.textContent = t._n('%1 selected', '%1 selected', n);
    const allStarred = n > 0 && chosen.every(e => e.starred);
    this._bulkStar.textContent = allStarred ? t.__('Unstar') : t.__('Star');
    this._bulkStar.dataset.action = allStarred ? 'unstar' : 'star';
    const allArchived = n > 0 && chosen.every(e => e.archived);
    this._bulkArchive.textContent = allArchived
      ? t.__('Restore')
      : t.__('Archive');
    this._bulkArchive.dataset.action = allArchived ? 'restore' : 'archive';
    const canCompare = this._commands.hasCommand(CommandIDs.compare);
    this._bulkCompare.disabled =
      !canCompare || n < COMPARE_MIN || n > COMPARE_MAX;
    if (!this._bulkCompare.disabled) {
      prefetchCompare(this._commands); // loads while the user reaches for it
    }
    this._bulkCompare.title = canCompare
      ? t.__('Compare %1 to %2 experiments', COMPARE_MIN, COMPARE_MAX)
      : t.__('Compare is not installed');
    this._selectAll.textContent = t.__(
      'Select all %1',
      this._model.matches.length.toLocaleString()
    );
  }

  private _bulkEdit(action: (ids: string[]) => Promise<void>): void {
    const ids = this._model.selected.map(e => e.id);
    if (ids.length) {
      void this._run(() => action(ids));
    }
  }

  /** Run an edit; a failure is told, not thrown into the void. */
  private async _run(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      notifyError(
        this._trans.__(
          'Labbook could not change the experiments: %1',
          errorText(error)
        )
      );
    }
  }

  private async _addTag(ids: string[]): Promise<void> {
    const t = this._trans;
    const text = await askText({
      title: t._n('Tag %1 experiment', 'Tag %1 experiments', ids.length),
      label: t.__('Tags to add (comma separated)'),
      okLabel: t.__('Add')
    });
    await this._model.addTags(ids, text ? splitTags(text) : []);
  }

  private async _removeTag(ids: string[]): Promise<void> {
    const t = this._trans;
    const tags = this._model.tagsOf(ids);
    if (tags.length === 0) {
      Notification.info(t.__('The selected experiments have no tags.'), {
        autoClose: 4000
      });
      return;
    }
    const tag = await askItem({
      title: t._n(
        'Remove a tag from %1 experiment',
        'Remove a tag from %1 experiments',
        ids.length
      ),
      label: t.__('Tag to remove'),
      items: tags,
      okLabel: t.__('Remove')
    });
    if (tag !== null) {
      await this._model.removeTag(ids, tag);
    }
  }

  private async _delete(ids: string[]): Promise<void> {
    const t = this._trans;
    const running = ids.filter(id => this._manager.runningById(id));
    const doomed = ids.filter(id => !running.includes(id));
    if (doomed.length === 0) {
      Notification.warning(
        t.__('Stop the running experiments before deleting them.'),
        { autoClose: 6000 }
      );
      return;
    }
    const body = [
      t._n(
        'Delete %1 experiment? Its folder is removed from the store; this cannot be undone.',
        'Delete %1 experiments? Their folders are removed from the store; this cannot be undone.',
        doomed.length
      ),
      running.length
        ? t._n(
            '%1 experiment running in this tab is kept.',
            '%1 experiments running in this tab are kept.',
            running.length
          )
        : ''
    ]
      .filter(Boolean)
      .join(' ');
    const ok = await confirm(
      t,
      t._n('Delete %1 experiment', 'Delete %1 experiments', doomed.length),
      body,
      t.__('Delete')
    );
    if (!ok) {
      return;
    }
    await this._model.delete(doomed);
  }

  private async _compare(): Promise<void> {
    const ids = this._model.selected.map(e => e.id);
    if (
      this._commands.hasCommand(CommandIDs.compare) &&
      ids.length >= COMPARE_MIN &&
      ids.length <= COMPARE_MAX
    ) {
      await this._commands.execute(CommandIDs.compare, { ids });
    }
  }

  /* -------------------------------------------------------------- */
  /* Saved views                                                      */
  /* -------------------------------------------------------------- */

  private async _loadViews(): Promise<void> {
    this._viewsLoaded = Date.now();
    const t = this._trans;
    let result: Awaited<ReturnType<typeof this._manager.store.listViews>>;
    try {
      result = await this._manager.store.listViews();
    } catch {
      return; // no store yet, or unreachable: said by the list
    }
    this._views = result.views;
    const picked = this._viewSelect.value;
    const all = el('option', '', t.__('All experiments'));
    all.value = '';
    const options = this._views.map(v => {
      const option = el('option', '', v.name);
      option.value = v.id;
      return option;
    });
    this._viewSelect.replaceChildren(all, ...options);
    this._viewSelect.value = this._views.some(v => v.id === picked)
      ? picked
      : '';
    this._viewProblems.hidden = result.damaged.length === 0;
    this._viewProblems.textContent = result.damaged
      .map(d => t.__('Saved view %1 cannot be read: %2', d.path, d.problem))
      .join('\n');
    this._updateViewButtons();
  }

  private _picked(): ISavedView | undefined {
    return this._views.find(v => v.id === this._viewSelect.value);
  }

  private _pickView(): void {
    const view = this._picked();
    this.setQuery(view?.query ?? '', view?.showArchived ?? false);
    this._updateViewButtons();
  }

  private _updateViewButtons(): void {
    const picked = !!this._picked();
    this._deleteView.disabled = !picked;
    this._openRuns.hidden = !this._commands.hasCommand(CommandIDs.openRuns);
  }

  private async _saveView(): Promise<void> {
    const t = this._trans;
    const query = this._input.value.trim();
    if (query && filterExperiments([], query).error) {
      Notification.warning(t.__('Fix the query before saving it as a view.'), {
        autoClose: 5000
      });
      return;
    }
    const name = await askText({
      title: t.__('Save view'),
      label: query
        ? t.__('Name of the view of “%1”', query)
        : t.__('Name of the view of all experiments'),
      okLabel: t.__('Save')
    });
    if (name === null) {
      return;
    }
    const now = new Date().toISOString();
    const view: ISavedView = {
      id: newViewId(),
      name,
      query,
      columns: [],
      sort: null,
      groupBy: null,
      charts: [],
      showArchived: this._archived.checked,
      created: now,
      updated: now
    };
    await this._run(async () => {
      await this._manager.store.saveView(view);
      await this._loadViews();
      this._viewSelect.value = view.id;
      this._updateViewButtons();
    });
  }

  private async _removeView(): Promise<void> {
    const t = this._trans;
    const view = this._picked();
    if (!view) {
      return;
    }
    const ok = await confirm(
      t,
      t.__('Delete view'),
      t.__('Delete the saved view “%1”? The experiments stay.', view.name),
      t.__('Delete')
    );
    if (ok) {
      await this._run(() => this._manager.store.deleteView(view.id));
    }
  }

  private async _openInRuns(): Promise<void> {
    if (!this._commands.hasCommand(CommandIDs.openRuns)) {
      return;
    }
    const view = this._picked();
    await this._commands.execute(
      CommandIDs.openRuns,
      view ? { view: view.id } : {}
    );
  }

  /* -------------------------------------------------------------- */

  private _button(
    label: string,
    name: string,
    title: string,
    run: () => void
  ): HTMLButtonElement {
    const b = el('button', `jp-mod-styled jp-Labbook-${name}`, label);
    if (title) {
      b.title = title;
    }
    b.addEventListener('click', run);
    return b;
  }

  private _manager: ExperimentManager;
  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
  private _open: (id: string) => void;
  private _model: ExperimentListModel;
  private _ownsModel: boolean;
  private _input: HTMLInputElement;
  private _queryError: HTMLDivElement;
  private _viewSelect: HTMLSelectElement;
  private _deleteView: HTMLButtonElement;
  private _openRuns: HTMLButtonElement;
  private _viewProblems: HTMLDivElement;
  private _archived: HTMLInputElement;
  private _count: HTMLSpanElement;
  private _selectAll: HTMLButtonElement;
  private _notice: HTMLDivElement;
  private _bulk: HTMLDivElement;
  private _bulkCount: HTMLSpanElement;
  private _bulkStar: HTMLButtonElement;
  private _bulkArchive: HTMLButtonElement;
  private _bulkCompare: HTMLButtonElement;
  private _problems: HTMLDivElement;
  private _scroller: HTMLDivElement;
  private _spacer: HTMLDivElement;
  private _rowsNode: HTMLDivElement;
  private _empty: HTMLDivElement;
  private _resize: ResizeObserver;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _painted: readonly IExperimentSummary[] | null = null;
  private _first = -1;
  private _last = -1;
  private _rows = new Map<string, { sig: string; row: HTMLElement }>();
  private _views: ISavedView[] = [];
  private _viewsLoaded = 0;
  private _isDisposed = false;
}

export namespace ExperimentList {
  export interface IOptions {
    manager: ExperimentManager;
    commands: CommandRegistry;
    trans: TranslationBundle;
    /** Show an experiment's detail. */
    open: (id: string) => void;
    /** Query, selection and bulk edits (default: one over the manager). */
    model?: ExperimentListModel;
  }
}

namespace Private {
  export function isCheck(target: EventTarget | null): boolean {
    return (
      target instanceof HTMLElement &&
      target.classList.contains('jp-Labbook-rowCheck')
    );
  }
}

/**
 * The experiments section of the Labbook panel: the list (newest first,
 * the running ones live, filtered by a query; see `ExperimentList`) and,
 * when one is selected, its detail: star, archive, delete, editable name,
 * project and links, tags and notes (shown as sanitised Markdown), the
 * history timeline, the flattened script and the snapshots. Everything
 * user-written is rendered as text, or as Markdown through the sanitiser.
 */
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { Notification } from '@jupyterlab/apputils';
import { Message, MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { formatNumber } from '../../../core/format/number';
import { flattenHistory } from '../../../core/history/flatten';
import { StoreDamagedError } from '../../../core/store/fs';
import { concatF64 } from '../../../core/metrics/concat';
import type { MetricsOverview } from '../../../core/metrics/overview';
import type {
  HistoryRecord,
  IExperiment,
  ILoggedText,
  IMetricSeries,
  ISnapshotInfo
} from '../../../core/model';
import type { IStoreIndexChange } from '../../../core/index/storeindex';
import type {
  ExperimentPatch,
  IDamagedFile,
  IStoreChange
} from '../../../core/store/store';
import { CommandIDs } from '../../commands';
import type { ExperimentManager } from '../../experiments/manager';
import { ExperimentList } from '../list/view';
import { statusBadge } from '../../ui/badges';
import { el } from '../../ui/dom';
import { formatRunDuration, formatTime } from '../../ui/format';
import { EnvironmentSection } from './environmentsection';
import { ImageGallery } from './imagegallery';
import {
  lineOfOverview,
  lineOfSeries,
  type IChartLine
} from '../../ui/charts/chartline';
import { MetricsPanel } from './metricspanel';
import { askText, confirm, editList, splitTags } from '../list/organise';
import { TimelineView } from './timeline';
import { errorText, notifyError } from '../../ui/notify';

/** Parts of the detail, each read from its own store files. */
const ALL_PARTS = [
  'experiment',
  'history',
  'snapshots',
  'metrics',
  'texts',
  'images',
  'environment'
] as const;

type DetailPart = (typeof ALL_PARTS)[number];

/** What each kind of store change makes the detail read again. */
const PARTS_OF: {
  [type in IStoreChange['type']]?: readonly DetailPart[];
} = {
  created: ALL_PARTS,
  updated: ['experiment'],
  deleted: ALL_PARTS,
  history: ['history'],
  snapshot: ['snapshots'],
  metrics: ['metrics'],
  texts: ['texts'],
  images: ['images'],
  environment: ['environment'],
  inputs: ['environment']
};

export class ExperimentsView extends Widget {
  constructor(options: ExperimentsView.IOptions) {
    super();
    this._manager = options.manager;
    this._commands = options.commands;
    this._rendermime = options.rendermime;
    this._trans = options.trans;
    this._metrics = new MetricsPanel(
      this._trans,
      () => this._loadPoints(),
      parent => this._goToExecution(parent)
    );
    this._environment = new EnvironmentSection(this._trans);
    this.addClass('jp-Labbook-experiments');
    this._listView = new ExperimentList({
      manager: this._manager,
      commands: this._commands,
      trans: this._trans,
      open: id => void this.showExperiment(id)
    });
    this._list = this._listView.node;
    this._detail = el('div', 'jp-Labbook-detail');
    this._detail.hidden = true;
    this.node.append(this._list, this._detail);
    this._timeline = new TimelineView();
    this._timeline.jump.connect((_, r) => {
      const e = this._current;
      if (e) {
        void this._commands.execute(CommandIDs.jumpToCell, {
          notebook: e.notebook,
          cellId: r.cellId ?? ''
        });
      }
    });
    this._manager.changed.connect(this._onChanged, this);
    this._manager.store.changed.connect(this._onStoreChanged, this);
    this._manager.index.changed.connect(this._onIndexChanged, this);
    this._ticker = setInterval(() => this._tick(), 1000);
    this._renderList();
  }

  /** The list: query, saved views, selection. */
  get list(): ExperimentList {
    return this._listView;
  }

  /** The experiment shown in detail, or null for the list. */
  get selected(): string | null {
    return this._current?.id ?? null;
  }

  /** Show one experiment's detail. */
  async showExperiment(id: string | null): Promise<void> {
    if (id === null) {
      this._current = null;
      this._opening = null;
      this._detail.hidden = true;
      this._list.hidden = false;
      this._listView.update();
      this._listView.repaint();
      return;
    }
    // What changes from now on is read again once the detail is drawn.
    this._opening = id;
    this._dirty.clear();
    // The metrics are read from the click on (their requests first), the
    // chart code loaded meanwhile.
    this._metrics.prepare();
    this._metricsRead = { id, read: this._loadMetrics(id) };
    this._metricsRead.read.catch(() => undefined); // handled by the detail
    try {
      const e = await this._manager.store.getExperiment(id);
      if (this._opening !== id) {
        return; // another experiment was asked for meanwhile
      }
      this._current = e;
      this._list.hidden = true;
      this._detail.hidden = false;
      this._renderDetail(e);
      await this._loadDetail(e.id);
    } finally {
      if (this._opening === id) {
        this._opening = null;
        this._scheduleDetailReload([]); // what changed while it opened
      }
    }
  }

  dispose(): void {
    clearInterval(this._ticker);
    if (this._notesTimer !== null) {
      clearTimeout(this._notesTimer);
    }
    this._listView.dispose();
    this._timeline.dispose();
    this._metrics.dispose();
    this._gallery?.dispose();
    super.dispose();
  }

  /** The list changed: drawn again when shown (the detail has its own reloads). */
  private _onChanged(): void {
    if (!this._current) {
      this._renderList();
    }
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._listView.repaint();
  }

  private _renderList(): void {
    this._listView.update();
  }

  private _tick(): void {
    if (this._current) {
      if (this._current.status === 'running') {
        this._updateHeader(this._current);
      }
      return;
    }
    this._listView.tick();
  }

  private _renderDetail(e: IExperiment): void {
    const t = this._trans;
    const back = el(
      'button',
      'jp-Labbook-back jp-mod-styled',
      t.__('‹ All experiments')
    );
    back.addEventListener('click', () => void this.showExperiment(null));

    const name = el('input', 'jp-Labbook-name jp-mod-styled');
    name.value = e.name;
    name.setAttribute('aria-label', t.__('Experiment name'));
    name.addEventListener(
      'change',
      () => void this._edit({ name: name.value.trim() || e.name })
    );

    // Star, archive, delete.
    this._star = el('button', 'jp-mod-styled jp-Labbook-star');
    this._star.addEventListener('click', () => {
      const c = this._current;
      if (c) {
        void this._edit({ starred: !c.starred });
      }
    });
    this._archive = el('button', 'jp-mod-styled jp-Labbook-archive');
    this._archive.addEventListener('click', () => {
      const c = this._current;
      if (c) {
        void this._edit({ archived: !c.archived });
      }
    });
    const remove = el(
      'button',
      'jp-mod-styled jp-Labbook-delete',
      t.__('Delete…')
    );
    remove.addEventListener('click', () => void this._delete());
    const actions = el('div', 'jp-Labbook-buttons jp-Labbook-detailActions');
    actions.append(this._star, this._archive, remove);

    // Project and the projects it is also linked into.
    this._project = el('div', 'jp-Labbook-project');

    // Tags: only what was added or removed here is applied to the tags as
    // stored now, so a tag another tab added meanwhile stays.
    const tags = el('input', 'jp-Labbook-tagsInput jp-mod-styled');
    let shownTags = e.tags;
    tags.value = e.tags.join(', ');
    tags.placeholder = t.__('tags, comma separated');
    tags.setAttribute('aria-label', t.__('Tags'));
    tags.addEventListener('change', () => {
      const list = splitTags(tags.value);
      const add = list.filter(x => !shownTags.includes(x));
      const drop = shownTags.filter(x => !list.includes(x));
      void this._editList('tags', add, drop).then(next => {
        if (next) {
          shownTags = next;
          if (document.activeElement !== tags) {
            tags.value = next.join(', ');
          }
        }
      });
    });

    const notes = el('textarea', 'jp-Labbook-notes jp-mod-styled');
    notes.value = e.notes;
    notes.placeholder = t.__('Notes');
    notes.setAttribute('aria-label', t.__('Notes'));
    notes.addEventListener(
      'change',
      () => void this._edit({ notes: notes.value })
    );
    // The notes as Markdown, through JupyterLab's sanitiser.
    this._notesView = el('div', 'jp-Labbook-notesRendered');
    notes.addEventListener('input', () => this._scheduleNotes(notes.value));

    this._header = el('div', 'jp-Labbook-detailHeader');
    this._problems = el('div', 'jp-Labbook-error');
    this._problems.hidden = true;

    this._params = el('div', 'jp-Labbook-params');
    this._metrics.clear();
    this._texts = el('div', 'jp-Labbook-texts');
    this._gallery?.dispose();
    const gallery = (this._gallery = new ImageGallery({
      trans: t,
      load: image => this._manager.store.loadImageBytes(e.id, image)
    }));
    const historyTitle = el('h3', 'jp-Labbook-sectionTitle', t.__('History'));
    this._timelineHost = el('div', 'jp-Labbook-timelineHost');

    const scriptTitle = el(
      'h3',
      'jp-Labbook-sectionTitle',
      t.__('Flattened script')
    );
    const scriptBar = el('div', 'jp-Labbook-buttons');
    const button = (label: string, cls: string, command: string) => {
      const b = el('button', `jp-mod-styled jp-Labbook-${cls}`, label);
      b.addEventListener(
        'click',
        () => void this._commands.execute(command, { id: e.id })
      );
      return b;
    };
    scriptBar.append(
      button(t.__('Copy'), 'copyScript', CommandIDs.copyScript),
      button(t.__('Download'), 'downloadScript', CommandIDs.downloadScript),
      button(t.__('Open in editor'), 'openScript', CommandIDs.openScript)
    );
    this._script = el('div', 'jp-Labbook-script');

    const snapTitle = el('h3', 'jp-Labbook-sectionTitle', t.__('Snapshots'));
    this._snapshots = el('div', 'jp-Labbook-snapshots');

    this._detail.replaceChildren(
      back,
      name,
      actions,
      this._header,
      this._project,
      tags,
      notes,
      this._notesView,
      this._problems,
      this._params,
      this._metrics.node,
      gallery.node,
      this._texts,
      this._environment.node,
      historyTitle,
      this._timelineHost,
      snapTitle,
      this._snapshots,
      scriptTitle,
      scriptBar,
      this._script
    );
    this._moveTimeline(this._timelineHost);
    this._timeline.setRecords([]);
    this._updateHeader(e);
    this._updateOrganise(e);
    this._notesText = null;
    void this._renderNotes(e.notes);
  }

  /** Star, archive and project of the experiment shown. */
  private _updateOrganise(e: IExperiment): void {
    const t = this._trans;
    if (!this._star) {
      return;
    }
    const starred = !!e.starred;
    this._star.textContent = starred ? t.__('★ Starred') : t.__('☆ Star');
    this._star.classList.toggle('jp-mod-starred', starred);
    this._star.setAttribute('aria-pressed', String(starred));
    const archived = !!e.archived;
    this._archive.textContent = archived ? t.__('Restore') : t.__('Archive');
    this._archive.title = archived
      ? t.__('Show it in the list again')
      : t.__('Hide it from the list unless archived experiments are shown');
    this._archive.dataset.action = archived ? 'restore' : 'archive';

    const line = el('div', 'jp-Labbook-projectLine');
    line.append(
      el('span', 'jp-Labbook-projectLabel', t.__('Project:')),
      el('span', 'jp-Labbook-projectName', e.project || t.__('(none)'))
    );
    const button = (label: string, cls: string, run: () => void) => {
      const b = el('button', `jp-mod-styled jp-Labbook-${cls}`, label);
      b.addEventListener('click', run);
      return b;
    };
    line.append(
      button(t.__('Move to project…'), 'moveProject', () => {
        void askText({
          title: t.__('Move to project'),
          label: t.__('Project'),
          text: this._current?.project ?? '',
          okLabel: t.__('Move')
        }).then(project => {
          if (project !== null) {
            void this._edit({ project });
          }
        });
      }),
      button(t.__('Also link into project…'), 'linkProject', () => {
        void askText({
          title: t.__('Link into project'),
          label: t.__('Also show this experiment in project'),
          okLabel: t.__('Link')
        }).then(project => {
          if (project !== null) {
            void this._editList('links', [project]);
          }
        });
      })
    );
    const links = el('div', 'jp-Labbook-links');
    for (const link of e.links ?? []) {
      const chip = el('span', 'jp-Labbook-link');
      const unlink = el('button', 'jp-Labbook-unlink', '×');
      unlink.title = t.__('Remove the link into %1', link);
      unlink.setAttribute('aria-label', unlink.title);
      unlink.addEventListener(
        'click',
        () => void this._editList('links', [], [link])
      );
      chip.append(el('span', 'jp-Labbook-linkName', link), unlink);
      links.append(chip);
    }
    if (links.childElementCount) {
      links.prepend(el('span', 'jp-Labbook-projectLabel', t.__('Also in:')));
    }
    this._project.replaceChildren(line, links);
  }

  private _scheduleNotes(text: string): void {
    if (this._notesTimer !== null) {
      clearTimeout(this._notesTimer);
    }
    this._notesTimer = setTimeout(() => {
      this._notesTimer = null;
      void this._renderNotes(text);
    }, 300);
  }

  /** The notes as Markdown: untrusted, so JupyterLab sanitises the HTML. */
  private async _renderNotes(text: string): Promise<void> {
    if (text === this._notesText || !this._notesView) {
      return;
    }
    this._notesText = text;
    const host = this._notesView;
    host.hidden = !text.trim();
    if (host.hidden) {
      host.replaceChildren();
      return;
    }
    const renderer = this._rendermime.createRenderer('text/markdown');
    const model = this._rendermime.createModel({
      data: { 'text/markdown': text },
      trusted: false
    });
    await renderer.renderModel(model);
    if (this._notesView === host && this._notesText === text) {
      host.replaceChildren(renderer.node);
    }
  }

  /** Delete the experiment shown, once confirmed, and go back to the list. */
  private async _delete(): Promise<void> {
    const t = this._trans;
    const e = this._current;
    if (!e) {
      return;
    }
    if (this._manager.runningById(e.id)) {
      Notification.warning(t.__('Stop the experiment before deleting it.'), {
        autoClose: 6000
      });
      return;
    }
    const ok = await confirm(
      t,
      t.__('Delete experiment'),
      t.__(
        'Delete “%1”? Its folder is removed from the store; this cannot be undone.',
        e.name
      ),
      t.__('Delete')
    );
    if (!ok || this._current?.id !== e.id) {
      return;
    }
    try {
      await this._manager.store.deleteExperiment(e.id);
      await this.showExperiment(null);
    } catch (error) {
      this._failed(error);
    }
  }

  /** Add and remove tags or links from the list as stored now. */
  private async _editList(
    field: 'tags' | 'links',
    add: string[],
    remove: string[] = []
  ): Promise<string[] | null> {
    const e = this._current;
    if (!e) {
      return null;
    }
    try {
      const next = await editList(
        this._manager.store,
        e.id,
        field,
        add,
        remove
      );
      e[field] = next;
      this._updateOrganise(e);
      return next;
    } catch (error) {
      this._failed(error);
      return null;
    }
  }

  private _failed(error: unknown): void {
    notifyError(
      this._trans.__(
        'Labbook could not change the experiment: %1',
        errorText(error)
      )
    );
  }

  /**
   * Move the timeline widget into a freshly rendered host. Its previous host
   * may already be out of the document (the detail was re-rendered), which
   * `Widget.detach` refuses, so the detach messages are sent by hand.
   */
  private _moveTimeline(host: HTMLElement): void {
    const timeline = this._timeline;
    if (timeline.isAttached) {
      MessageLoop.sendMessage(timeline, Widget.Msg.BeforeDetach);
      timeline.node.remove();
      MessageLoop.sendMessage(timeline, Widget.Msg.AfterDetach);
    }
    if (host.isConnected) {
      Widget.attach(timeline, host);
    } else {
      host.append(timeline.node);
    }
  }

  private _updateHeader(e: IExperiment): void {
    if (!this._header) {
      return;
    }
    const t = this._trans;
    const count = this._manager.executionsOf(e);
    const parts = [
      statusBadge(e, t),
      el('span', 'jp-Labbook-rowNotebook', e.notebook),
      el('span', '', formatTime(e.started)),
      el('span', 'jp-Labbook-rowDuration', formatRunDuration(e)),
      el(
        'span',
        'jp-Labbook-rowCells',
        count === null ? '' : t._n('%1 execution', '%1 executions', count)
      ),
      el(
        'span',
        '',
        `${e.kernel.displayName ?? e.kernel.name} (${e.kernel.language || '?'})`
      )
    ];
    if (e.statusReason) {
      parts.push(el('span', 'jp-Labbook-reason', e.statusReason));
    }
    this._header.replaceChildren(...parts);
  }

  private async _edit(patch: ExperimentPatch): Promise<void> {
    const e = this._current;
    if (!e) {
      return;
    }
    try {
      await this._manager.store.updateExperiment(e.id, patch);
    } catch (error) {
      this._failed(error);
      return;
    }
    Object.assign(e, patch);
    this._updateOrganise(e);
  }

  /**
   * Read parts of the detail again, soon, a few changes coalesced: the
   * parts this tab changed (the store says which), or all of it when
   * another tab changed the experiment (the index says so).
   */
  private _scheduleDetailReload(
    parts: readonly DetailPart[] = ALL_PARTS
  ): void {
    parts.forEach(p => this._dirty.add(p));
    // While it opens, the changes wait for its first read to end.
    if (!this._current || this._opening || this._dirty.size === 0) {
      return;
    }
    if (this._reloadTimer !== null) {
      return;
    }
    this._reloadTimer = setTimeout(() => {
      this._reloadTimer = null;
      const dirty = new Set(this._dirty);
      this._dirty.clear();
      if (this._current) {
        void this._loadDetail(this._current.id, dirty);
      }
    }, 500);
  }

  /** A store change of this tab: the parts of the detail it touches. */
  private _onStoreChanged(_: unknown, change: IStoreChange): void {
    if (change.id !== (this._opening ?? this._current?.id)) {
      return;
    }
    const parts = PARTS_OF[change.type];
    if (parts) {
      this._scheduleDetailReload(parts);
    }
  }

  /** Index entries of other tabs (or a reload): the whole detail again. */
  private _onIndexChanged(_: unknown, change: IStoreIndexChange): void {
    const id = this._opening ?? this._current?.id;
    if (id && !change.own && (change.ids === null || change.ids.includes(id))) {
      this._scheduleDetailReload();
    }
  }

  /**
   * Read and draw parts of an experiment's detail (all of them when it is
   * opened). While it runs, only what changed is read again: a session of
   * hundreds of history chunks is not read twice a second.
   */
  private async _loadDetail(
    id: string,
    parts: ReadonlySet<DetailPart> = new Set(ALL_PARTS)
  ): Promise<void> {
    const t = this._trans;
    const store = this._manager.store;
    const has = (p: DetailPart) => parts.has(p);
    // The charts are drawn as soon as their data is read (the chart code
    // loads meanwhile), not after the history and the rest.
    let charts: Promise<{ damaged: IDamagedFile[] } | null> =
      Promise.resolve(null);
    if (has('metrics')) {
      this._metrics.prepare();
      const started = this._metricsRead;
      this._metricsRead = null;
      const read = started?.id === id ? started.read : this._loadMetrics(id);
      charts = read.then(async metrics => {
        if (this._current?.id === id) {
          await this._metrics.update(metrics.lines);
        }
        return metrics;
      });
    }
    const skip = Promise.resolve(null);
    const [fresh, history, snaps, metrics, texts, images, env, inputs] =
      await Promise.all([
        has('experiment') ? store.getExperiment(id).catch(() => null) : skip,
        has('history') ? store.loadHistory(id) : skip,
        has('snapshots') ? store.listSnapshots(id) : skip,
        charts,
        has('texts') ? store.loadTexts(id) : skip,
        has('images') ? store.loadImages(id) : skip,
        has('environment')
          ? store.loadEnvironment(id).catch(error => error as Error)
          : skip,
        has('environment') ? store.loadInputs(id) : skip
      ]);
    if (this._current?.id !== id) {
      return;
    }
    if (fresh) {
      this._current = fresh;
      this._updateHeader(fresh);
      this._updateOrganise(fresh);
    }
    if (has('experiment')) {
      this._renderParams(this._current);
    }
    if (texts) {
      this._renderTexts(texts.texts);
    }
    if (images) {
      this._gallery?.update(images.images);
    }
    if (inputs) {
      this._environment.update(
        id,
        env instanceof Error || env === null ? null : env,
        inputs.inputs
      );
    }
    // Damaged files, by part: a part read again replaces its own.
    const damage = (part: DetailPart, files: readonly IDamagedFile[]) =>
      this._damage.set(part, files);
    if (history) {
      damage('history', history.damaged);
    }
    if (snaps) {
      damage('snapshots', snaps.damaged);
    }
    if (metrics) {
      damage('metrics', metrics.damaged);
    }
    if (texts) {
      damage('texts', texts.damaged);
    }
    if (images) {
      damage('images', images.damaged);
    }
    if (inputs) {
      damage('environment', [
        ...inputs.damaged,
        ...(env instanceof StoreDamagedError
          ? [{ id, path: env.path, problem: env.problem }]
          : [])
      ]);
    }
    const problems = [...this._damage.values()]
      .flat()
      .map(d => t.__('Damaged file %1: %2', d.path, d.problem));
    this._problems.hidden = problems.length === 0;
    this._problems.textContent = problems.join('\n');
    if (snaps) {
      this._renderSnapshots(id, snaps.snapshots);
    }
    if (history) {
      this._records = history.records;
      this._timeline.setRecords(history.records);
      await this._renderScript(history.records);
    }
  }

  /**
   * Show the cell of a recorded execution (what a metric's "Go to cell"
   * does): its notebook opened or brought forward, the cell selected.
   */
  private _goToExecution(msgId: string): void {
    const e = this._current;
    const record = this._records.find(
      r => r.kind === 'execution' && r.msgId === msgId
    );
    if (!e || record?.kind !== 'execution' || !record.cellId) {
      Notification.warning(
        this._trans.__(
          'The cell that logged this is not in the recorded history.'
        ),
        { autoClose: 5000 }
      );
      return;
    }
    void this._commands.execute(CommandIDs.jumpToCell, {
      notebook: e.notebook,
      cellId: record.cellId
    });
  }

  /** Parameters as a two-column table; every value shown as text. */
  private _renderParams(e: IExperiment): void {
    const t = this._trans;
    const params = Object.entries(e.params ?? {});
    if (params.length === 0) {
      this._params.replaceChildren();
      return;
    }
    const table = el('table', 'jp-Labbook-paramTable');
    for (const [name, value] of params.sort(([a], [b]) => (a < b ? -1 : 1))) {
      const row = el('tr', '');
      const text =
        value && typeof value === 'object' && 'source' in value
          ? String((value as { source: string }).source)
          : JSON.stringify(value);
      // Numbers read short, in full on hover.
      const cell = el(
        'td',
        '',
        typeof value === 'number' ? formatNumber(value) : text
      );
      cell.title = text;
      row.append(el('th', '', name), cell);
      table.append(row);
    }
    this._params.replaceChildren(
      el('h3', 'jp-Labbook-sectionTitle', t.__('Parameters')),
      table
    );
  }

  /**
   * The experiment's metrics as chart lines, reading only the chunks not
   * read yet (a running experiment reloads every second or so: a long run
   * must not be read again from the start each time). First from the
   * overviews (a few hundred KB for millions of points), as points once a
   * chart asked for them (`_loadPoints`).
   */
  private _loadMetrics(
    id: string
  ): ReturnType<ExperimentsView['_readNewMetrics']> {
    // One read at a time: two overlapping reads (a slow one under load and
    // the next reload) would both append the same new chunks.
    const next = this._metricRead.then(() => this._readNewMetrics(id));
    this._metricRead = next.then(
      () => undefined,
      () => undefined
    );
    return next;
  }

  private async _readNewMetrics(id: string) {
    let cache = this._metricCache;
    if (cache?.id !== id) {
      cache = this._metricCache = {
        id,
        overview: null,
        points: null,
        loadingPoints: false
      };
    }
    const store = this._manager.store;
    let damaged;
    if (cache.points) {
      const fresh = await store.loadMetrics(id, { skip: cache.points.chunks });
      Private.foldPoints(cache.points, fresh);
      damaged = fresh.damaged;
    } else {
      const read = await store.loadMetricsOverview(id, {
        base: cache.overview ?? undefined
      });
      cache.overview = read.overview;
      damaged = read.damaged;
    }
    if (this._metricCache !== cache) {
      return { lines: [] as IChartLine[], damaged };
    }
    return { lines: Private.lines(cache), damaged };
  }

  /**
   * A chart needs the points, not the overview (smoothing, a zoom finer
   * than the overview): read every chunk once in the background, then draw
   * from the points and keep reading only new chunks.
   */
  private _loadPoints(): void {
    const cache = this._metricCache;
    if (!cache || cache.points || cache.loadingPoints) {
      return;
    }
    cache.loadingPoints = true;
    void this._manager.store
      .loadMetrics(cache.id)
      .then(async fresh => {
        if (this._metricCache !== cache || this._current?.id !== cache.id) {
          return;
        }
        const points = { chunks: new Set<string>(), series: new Map() };
        Private.foldPoints(points, fresh);
        cache.points = points;
        await this._metrics.update(Private.lines(cache));
      })
      .catch(error => console.warn('Labbook: metric points not read', error))
      .finally(() => {
        cache.loadingPoints = false;
      });
  }

  /** Logged texts, newest first, each shown as text. */
  private _renderTexts(texts: ILoggedText[]): void {
    const t = this._trans;
    if (texts.length === 0) {
      this._texts.replaceChildren();
      return;
    }
    const rows = [...texts]
      .reverse()
      .slice(0, 200)
      .map(x => {
        const row = el('div', 'jp-Labbook-text');
        row.append(
          el(
            'div',
            'jp-Labbook-textHead',
            x.step === null ? x.name : `${x.name} · ${t.__('step %1', x.step)}`
          ),
          el('pre', 'jp-Labbook-textBody', x.text)
        );
        return row;
      });
    this._texts.replaceChildren(
      el('h3', 'jp-Labbook-sectionTitle', t.__('Text')),
      ...rows
    );
  }

  private _renderSnapshots(id: string, snapshots: ISnapshotInfo[]): void {
    const t = this._trans;
    const rows = snapshots.map((s, i) => {
      const row = el('div', 'jp-Labbook-snapshot');
      row.dataset.snapshot = s.id;
      row.append(
        el('span', 'jp-Labbook-snapshotReason', t.__(s.reason)),
        el('span', '', formatTime(s.taken)),
        el('span', '', t._n('%1 cell', '%1 cells', s.cellCount))
      );
      const open = el(
        'button',
        'jp-mod-styled jp-Labbook-openSnapshot',
        t.__('Open')
      );
      open.addEventListener(
        'click',
        () =>
          void this._commands.execute(CommandIDs.openSnapshot, {
            id,
            snapshot: s.id
          })
      );
      const down = el(
        'button',
        'jp-mod-styled jp-Labbook-downloadSnapshot',
        t.__('Download')
      );
      down.addEventListener(
        'click',
        () =>
          void this._commands.execute(CommandIDs.downloadSnapshot, {
            id,
            snapshot: s.id
          })
      );
      row.append(open, down);
      // Compare with the snapshot before it, and with the notebook as it is now.
      const diffButton = (
        label: string,
        cls: string,
        title: string,
        run: () => void
      ) => {
        const b = el('button', `jp-mod-styled ${cls}`, label);
        b.title = title;
        b.addEventListener('click', run);
        return b;
      };
      if (i > 0) {
        row.append(
          diffButton(
            t.__('Diff previous'),
            'jp-Labbook-diffPrevious',
            t.__('Compare with the %1 snapshot', t.__(snapshots[i - 1].reason)),
            () =>
              void this._commands.execute(CommandIDs.diffSnapshots, {
                id,
                a: snapshots[i - 1].id,
                b: s.id
              })
          )
        );
      }
      // Across experiments: pick one snapshot, then diff another with it.
      const picked = this._picked;
      if (picked && !(picked.id === id && picked.snapshot === s.id)) {
        row.append(
          diffButton(
            t.__('Diff with picked'),
            'jp-Labbook-diffPicked',
            t.__('Compare with %1', picked.label),
            () =>
              void this._commands.execute(CommandIDs.diffSnapshots, {
                id: picked.id,
                a: picked.snapshot,
                idB: id,
                b: s.id
              })
          )
        );
      }
      const isPicked = picked?.id === id && picked.snapshot === s.id;
      const pick = diffButton(
        isPicked ? t.__('Picked') : t.__('Pick'),
        'jp-Labbook-pickSnapshot',
        t.__('Pick this snapshot to compare it with one of another experiment'),
        () => {
          this._picked = isPicked
            ? null
            : {
                id,
                snapshot: s.id,
                label: `${this._current?.name ?? id} · ${t.__(s.reason)}`
              };
          this._renderSnapshots(id, snapshots);
        }
      );
      pick.classList.toggle('jp-mod-active', isPicked);
      row.append(pick);
      row.append(
        diffButton(
          t.__('Diff live'),
          'jp-Labbook-diffLive',
          t.__('Compare with the notebook as it is now'),
          () =>
            void this._commands.execute(CommandIDs.diffSnapshotLive, {
              id,
              snapshot: s.id
            })
        )
      );
      return row;
    });
    this._snapshots.replaceChildren(
      ...(rows.length
        ? rows
        : [el('div', 'jp-Labbook-empty', t.__('No snapshots yet.'))])
    );
  }

  private async _renderScript(records: HistoryRecord[]): Promise<void> {
    const script = flattenHistory(records, { experiment: this._current?.name });
    if (script === this._scriptText) {
      return;
    }
    this._scriptText = script;
    this._script.dataset.script = '';
    // Highlighted through JupyterLab's Markdown renderer: a code fence longer
    // than any backtick run in the script keeps every character as code.
    const longest = Math.max(
      2,
      ...(script.match(/`+/g) ?? []).map(s => s.length)
    );
    const fence = '`'.repeat(longest + 1);
    const renderer = this._rendermime.createRenderer('text/markdown');
    const model = this._rendermime.createModel({
      data: { 'text/markdown': `${fence}python\n${script}\n${fence}` },
      trusted: false
    });
    await renderer.renderModel(model);
    this._script.replaceChildren(renderer.node);
  }

  /** The loaded history of the selected experiment. */
  get records(): readonly HistoryRecord[] {
    return this._records;
  }

  private _manager: ExperimentManager;
  private _commands: CommandRegistry;
  private _rendermime: IRenderMimeRegistry;
  private _trans: TranslationBundle;
  private _list: HTMLDivElement;
  private _detail: HTMLDivElement;
  private _header: HTMLDivElement | null = null;
  private _problems!: HTMLDivElement;
  private _listView: ExperimentList;
  private _star!: HTMLButtonElement;
  private _archive!: HTMLButtonElement;
  private _project!: HTMLDivElement;
  private _notesView: HTMLDivElement | null = null;
  private _notesText: string | null = null;
  private _notesTimer: ReturnType<typeof setTimeout> | null = null;
  private _timelineHost!: HTMLDivElement;
  private _script!: HTMLDivElement;
  private _scriptText = '';
  private _snapshots!: HTMLDivElement;
  private _timeline: TimelineView;
  private _current: IExperiment | null = null;
  private _params!: HTMLDivElement;
  private _metrics: MetricsPanel;
  private _metricRead: Promise<void> = Promise.resolve();
  private _environment: EnvironmentSection;
  private _gallery: ImageGallery | null = null;
  private _texts!: HTMLDivElement;
  private _metricCache: Private.IMetricCache | null = null;
  /** The metrics read started by a click, for the detail to draw. */
  private _metricsRead: {
    id: string;
    read: ReturnType<ExperimentsView['_loadMetrics']>;
  } | null = null;
  /** A snapshot picked to be compared with one of another experiment. */
  private _picked: { id: string; snapshot: string; label: string } | null =
    null;
  private _records: readonly HistoryRecord[] = [];
  private _reloadTimer: ReturnType<typeof setTimeout> | null = null;
  /** Parts of the detail to read again at the next reload. */
  private _dirty = new Set<DetailPart>();
  /** The experiment being opened, until its detail's first read ends. */
  private _opening: string | null = null;
  /** Damaged files found by each part of the detail when last read. */
  private _damage = new Map<DetailPart, readonly IDamagedFile[]>();
  private _ticker: ReturnType<typeof setInterval>;
}

export namespace ExperimentsView {
  export interface IOptions {
    manager: ExperimentManager;
    commands: CommandRegistry;
    rendermime: IRenderMimeRegistry;
    trans: TranslationBundle;
  }
}

namespace Private {
  /** Points of an experiment's metrics, and the chunks they came from. */
  export interface IPoints {
    chunks: Set<string>;
    series: Map<string, IMetricSeries>;
  }

  /** What the detail view read of the metrics of the experiment shown. */
  export interface IMetricCache {
    id: string;
    /** The overview, until the points are read. */
    overview: MetricsOverview | null;
    points: IPoints | null;
    loadingPoints: boolean;
  }

  /** Fold newly read chunks into the points read before. */
  export function foldPoints(
    points: IPoints,
    fresh: { series: IMetricSeries[]; chunks: string[] }
  ): void {
    // Damaged chunks are not among those read: they are tried again next
    // time, so their message stays.
    fresh.chunks.forEach(c => points.chunks.add(c));
    for (const s of fresh.series) {
      const old = points.series.get(s.name);
      points.series.set(
        s.name,
        old
          ? {
              name: s.name,
              steps: concatF64([old.steps, s.steps]),
              times: concatF64([old.times, s.times]),
              values: concatF64([old.values, s.values]),
              parents: [
                ...new Set([...(old.parents ?? []), ...(s.parents ?? [])])
              ]
            }
          : s
      );
    }
  }

  /** Chart lines, sorted by name: of the points when read, else of the overview. */
  export function lines(cache: IMetricCache): IChartLine[] {
    if (cache.points) {
      return [...cache.points.series.values()]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map(lineOfSeries);
    }
    return cache.overview ? cache.overview.sorted().map(lineOfOverview) : [];
  }
}

/**
 * The experiments section of the Labbook panel: the list (newest first,
 * the running ones live, filtered by a query; see `ExperimentList`) and,
 * when one is selected, its detail, one section per part: the header
 * (name, star, archive, delete, project and links, tags, notes), the
 * parameters, metrics, images, texts, environment, the history timeline,
 * the snapshots and the flattened script. What is shown is read by
 * `ExperimentDetailModel`; this draws what its `partChanged` names and does
 * no store I/O. Everything user-written is rendered as text, or as Markdown
 * through the sanitiser.
 */
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { Notification } from '@jupyterlab/apputils';
import { Message, MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import type { IExperiment } from '../../../core/model';
import type { ExperimentPatch } from '../../../core/store/store';
import { CommandIDs } from '../../commands';
import type { ExperimentManager } from '../../experiments/manager';
import { ExperimentList } from '../list/view';
import { confirm } from '../list/organise';
import { el } from '../../ui/dom';
import { errorText, notifyError } from '../../ui/notify';
import { EnvironmentSection } from './environmentsection';
import { DetailHeader } from './header';
import { ImageGallery } from './imagegallery';
import { MetricsPanel } from './metricspanel';
import { ExperimentDetailModel, type DetailPart } from './model';
import { ParamsSection } from './params';
import { ScriptSection } from './script';
import { SnapshotsSection } from './snapshots';
import { TextsSection } from './texts';
import { TimelineView } from './timeline';

/** What a running script run adds: all but its snapshots. */
const SCRIPT_PARTS: readonly DetailPart[] = [
  'experiment',
  'history',
  'metrics',
  'texts',
  'images',
  'environment'
];

export class ExperimentsView extends Widget {
  constructor(options: ExperimentsView.IOptions) {
    super();
    this._manager = options.manager;
    this._commands = options.commands;
    this._trans = options.trans;
    const t = this._trans;
    this._model =
      options.model ??
      new ExperimentDetailModel({
        store: this._manager.store,
        index: this._manager.index
      });
    this._ownsModel = !options.model;
    this._metrics = new MetricsPanel(
      t,
      () => void this._model.loadPoints(),
      parent => this._goToExecution(parent)
    );
    this._header = new DetailHeader({
      trans: t,
      rendermime: options.rendermime,
      current: () => this._model.current,
      executionsOf: e => this._manager.executionsOf(e),
      back: () => void this.showExperiment(null),
      edit: patch => this._edit(patch),
      editList: (field, add, remove) => this._editList(field, add, remove),
      remove: () => void this._delete()
    });
    this._params = new ParamsSection(t);
    this._texts = new TextsSection(t);
    this._environment = new EnvironmentSection(t);
    this._snapshots = new SnapshotsSection(t, this._commands);
    this._script = new ScriptSection({
      trans: t,
      commands: this._commands,
      rendermime: options.rendermime
    });
    this.addClass('jp-Labbook-experiments');
    this._listView = new ExperimentList({
      manager: this._manager,
      commands: this._commands,
      trans: t,
      open: id => void this.showExperiment(id)
    });
    this._list = this._listView.node;
    this._detail = el('div', 'jp-Labbook-detail');
    this._detail.hidden = true;
    this._problems = el('div', 'jp-Labbook-error');
    this._problems.hidden = true;
    this.node.append(this._list, this._detail);
    this._timeline = new TimelineView();
    this._timeline.jump.connect((_, r) => {
      const e = this._model.current;
      if (e) {
        void this._commands.execute(CommandIDs.jumpToCell, {
          notebook: e.notebook,
          cellId: r.cellId ?? ''
        });
      }
    });
    this._manager.changed.connect(this._onChanged, this);
    this._model.currentChanged.connect(this._onCurrentChanged, this);
    this._model.partChanged.connect(this._onPartChanged, this);
    this._ticker = setInterval(() => this._tick(), 1000);
    this._renderList();
  }

  /** The list: query, saved views, selection. */
  get list(): ExperimentList {
    return this._listView;
  }

  /** What the detail shows, read from the store. */
  get model(): ExperimentDetailModel {
    return this._model;
  }

  /** The experiment shown in detail, or null for the list. */
  get selected(): string | null {
    return this._model.current?.id ?? null;
  }

  /** The loaded history of the selected experiment. */
  get records(): ExperimentDetailModel['history'] {
    return this._model.history;
  }

  /** Show one experiment's detail. */
  async showExperiment(id: string | null): Promise<void> {
    if (id === null) {
      this._model.close();
      this._showList();
      return;
    }
    // The metrics are read from the click on (the model starts), the chart
    // code loaded meanwhile.
    this._metrics.prepare();
    await this._model.open(id);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    clearInterval(this._ticker);
    this._header.dispose();
    if (this._ownsModel) {
      this._model.dispose();
    }
    this._listView.dispose();
    this._timeline.dispose();
    this._metrics.dispose();
    this._gallery?.dispose();
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._listView.repaint();
  }

  /** The list changed: drawn again when shown (the detail has its own reloads). */
  private _onChanged(): void {
    if (!this._model.current) {
      this._renderList();
    }
  }

  private _renderList(): void {
    this._listView.update();
  }

  private _showList(): void {
    this._detail.hidden = true;
    this._list.hidden = false;
    this._listView.update();
    this._listView.repaint();
  }

  private _tick(): void {
    const e = this._model.current;
    if (e) {
      if (e.status === 'running') {
        this._header.updateMeta(e);
        // A running script run (`python train.py`) is written by its own
        // process, so this tab's store sees no change: read what it adds
        // every second while its detail is shown.
        if (e.script && !this._model.opening) {
          this._model.reload(SCRIPT_PARTS);
        }
      }
      return;
    }
    this._listView.tick();
  }

  /** Another experiment is shown: its detail drawn afresh, empty parts. */
  private _onCurrentChanged(_: unknown, e: IExperiment | null): void {
    if (!e) {
      this._showList();
      return;
    }
    this._list.hidden = true;
    this._detail.hidden = false;
    this._renderDetail(e);
  }

  private _renderDetail(e: IExperiment): void {
    const t = this._trans;
    this._metrics.clear();
    this._params.update(null);
    this._texts.node.replaceChildren();
    this._snapshots.clear();
    this._script.clear();
    this._problems.hidden = true;
    this._problems.textContent = '';
    this._gallery?.dispose();
    const id = e.id;
    const gallery = (this._gallery = new ImageGallery({
      trans: t,
      load: image => this._model.loadImageBytes(id, image)
    }));
    const historyTitle = el('h3', 'jp-Labbook-sectionTitle', t.__('History'));
    const timelineHost = el('div', 'jp-Labbook-timelineHost');
    this._detail.replaceChildren(
      ...this._header.render(e),
      this._problems,
      this._params.node,
      this._metrics.node,
      gallery.node,
      this._texts.node,
      this._environment.node,
      historyTitle,
      timelineHost,
      this._snapshots.title,
      this._snapshots.node,
      ...this._script.render(id)
    );
    this._moveTimeline(timelineHost);
    this._timeline.setRecords([]);
  }

  /** A part was read again: its section drawn, and the damaged files. */
  private _onPartChanged(_: unknown, part: DetailPart): void {
    const m = this._model;
    const e = m.current;
    if (!e) {
      return;
    }
    switch (part) {
      case 'experiment':
        this._header.updateMeta(e);
        this._header.updateOrganise(e);
        this._params.update(e);
        break;
      case 'metrics':
        void this._metrics.update([...m.metrics]);
        break;
      case 'texts':
        this._texts.update(m.texts);
        break;
      case 'images':
        this._gallery?.update(m.images);
        break;
      case 'environment':
        this._environment.update(e.id, m.environment, m.inputs);
        break;
      case 'snapshots':
        this._snapshots.update(e.id, e.name, m.snapshots);
        break;
      case 'history':
        this._timeline.setRecords([...m.history]);
        void this._script.update(m.history, e.name);
        break;
    }
    this._renderProblems();
  }

  /** Damaged files, by part: a part read again replaced its own. */
  private _renderProblems(): void {
    const t = this._trans;
    const problems = this._model.damaged.map(d =>
      t.__('Damaged file %1: %2', d.path, d.problem)
    );
    this._problems.hidden = problems.length === 0;
    this._problems.textContent = problems.join('\n');
  }

  /** Delete the experiment shown, once confirmed, and go back to the list. */
  private async _delete(): Promise<void> {
    const t = this._trans;
    const e = this._model.current;
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
    if (!ok || this._model.current?.id !== e.id) {
      return;
    }
    try {
      await this._model.deleteCurrent();
      await this.showExperiment(null);
    } catch (error) {
      this._failed(error);
    }
  }

  private async _edit(patch: ExperimentPatch): Promise<void> {
    try {
      await this._model.edit(patch);
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
    try {
      return await this._model.editList(field, add, remove);
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

  /**
   * Show the cell of a recorded execution (what a metric's "Go to cell"
   * does): its notebook opened or brought forward, the cell selected.
   */
  private _goToExecution(msgId: string): void {
    const e = this._model.current;
    const record = this._model.history.find(
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

  private _manager: ExperimentManager;
  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
  private _model: ExperimentDetailModel;
  private _ownsModel: boolean;
  private _list: HTMLDivElement;
  private _detail: HTMLDivElement;
  private _problems: HTMLDivElement;
  private _listView: ExperimentList;
  private _header: DetailHeader;
  private _params: ParamsSection;
  private _metrics: MetricsPanel;
  private _gallery: ImageGallery | null = null;
  private _texts: TextsSection;
  private _environment: EnvironmentSection;
  private _timeline: TimelineView;
  private _snapshots: SnapshotsSection;
  private _script: ScriptSection;
  private _ticker: ReturnType<typeof setInterval>;
}

export namespace ExperimentsView {
  export interface IOptions {
    manager: ExperimentManager;
    commands: CommandRegistry;
    rendermime: IRenderMimeRegistry;
    trans: TranslationBundle;
    /** What the detail shows (default: one over the manager's store and index). */
    model?: ExperimentDetailModel;
  }
}

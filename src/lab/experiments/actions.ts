/**
 * What the experiment commands do (`ICommandHandlers['experiments']`):
 * start, stop and snapshot a notebook's experiment, export its script,
 * page and snapshots, and open what the panel points at. Registered by
 * `addCommands` (src/lab/commands.ts); arguments arrive checked.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Clipboard, Notification } from '@jupyterlab/apputils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import { type INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { flattenHistory, scriptFileName } from '../../core/history/flatten';
import {
  experimentPageHTML,
  loadExperimentPageData
} from '../../core/report/experimentpage';
import type { ILabbookRecorder, ILabbookStore } from '../../tokens';
import type { CommandArguments, ICommandHandlers } from '../commands';
import { errorText, notifyError } from '../ui/notify';
import { downloadText } from '../ui/download';

type Handlers = NonNullable<ICommandHandlers['experiments']>;

export class ExperimentActions implements Handlers {
  constructor(options: ExperimentActions.IOptions) {
    this._o = options;
  }

  canStart(args: CommandArguments.INotebookArgs): boolean {
    const nb = this._notebook(args);
    return !!nb && !this._o.recorder.runningFor(nb);
  }

  async start(
    args: CommandArguments.IStartArgs
  ): Promise<{ id: string } | null> {
    const nb = this._notebook(args);
    if (!nb) {
      return null;
    }
    try {
      const running = await this._o.recorder.start(nb, args.name);
      return { id: running.id };
    } catch (error) {
      notifyError(
        `${this._o.trans.__('Labbook could not start the experiment')}: ${errorText(error)}`
      );
      throw error;
    }
  }

  isRunning(args: CommandArguments.INotebookArgs): boolean {
    const nb = this._notebook(args);
    return !!nb && !!this._o.recorder.runningFor(nb);
  }

  async stop(args: CommandArguments.INotebookArgs): Promise<void> {
    const nb = this._notebook(args);
    if (nb) {
      await this._o.recorder.stop(nb);
    }
  }

  async snapshot(
    args: CommandArguments.INotebookArgs
  ): Promise<{ id: string } | null> {
    const nb = this._notebook(args);
    const running = nb ? this._o.recorder.runningFor(nb) : undefined;
    if (!running) {
      return null;
    }
    const info = await running.snapshot('manual');
    return { id: info.id };
  }

  refresh(): Promise<void> {
    return this._o.store.refresh();
  }

  async show(args: CommandArguments.IShowArgs): Promise<void> {
    this._o.app.shell.activateById(this._o.panelId);
    await this._o.view.showExperiment(args.id);
  }

  async copyScript(args: CommandArguments.IExperimentArgs): Promise<number> {
    const { script } = await this._script(this._id(args));
    Clipboard.copyToSystem(script);
    return script.length;
  }

  async downloadScript(
    args: CommandArguments.IExperimentArgs
  ): Promise<string> {
    const { script, name } = await this._script(this._id(args));
    downloadText(name, script, 'text/x-python');
    return name;
  }

  async openScript(
    args: CommandArguments.IExperimentArgs
  ): Promise<{ id: string; path: string } | null> {
    const id = this._id(args);
    const { script, name } = await this._script(id);
    return this._writeAndOpen(
      `experiments/${id}/export/${name}`,
      script,
      'Editor'
    );
  }

  async exportHTML(
    args: CommandArguments.IExperimentArgs
  ): Promise<{ name: string; size: number }> {
    const data = await loadExperimentPageData(this._store, this._id(args));
    const html = experimentPageHTML(data);
    const name = `${data.experiment.name.replace(/[^\w.-]+/g, '-')}.html`;
    downloadText(name, html, 'text/html');
    return { name, size: html.length };
  }

  hasNotebook(args: CommandArguments.INotebookArgs): boolean {
    return !!this._notebook(args);
  }

  async insertDisplay(args: CommandArguments.INotebookArgs): Promise<void> {
    const nb = this._notebook(args);
    if (!nb) {
      return;
    }
    const { app } = this._o;
    app.shell.activateById(nb.id);
    // By widget id: "the current notebook" follows focus.
    nb.content.activeCellIndex = nb.content.widgets.length - 1;
    await app.commands.execute('notebook:insert-cell-below', {
      widgetId: nb.id
    });
    nb.content.activeCell?.model.sharedModel.setSource(
      'import labbook\nlabbook.display()'
    );
    await app.commands.execute('notebook:run-cell', { widgetId: nb.id });
  }

  async openSnapshot(
    args: CommandArguments.ISnapshotArgs
  ): Promise<{ id: string; path: string } | null> {
    const id = this._id(args);
    const { snapshot } = args;
    const notebook = await this._store.loadSnapshot(id, snapshot);
    // A view copy: every cell read-only, the snapshot itself untouched.
    const view = {
      ...notebook,
      metadata: {
        ...notebook.metadata,
        labbook: { experiment: id, snapshot, readOnly: true }
      },
      cells: notebook.cells.map(c => ({
        ...c,
        metadata: {
          ...((c.metadata as object) ?? {}),
          editable: false,
          deletable: false
        }
      }))
    };
    return this._writeAndOpen(
      `experiments/${id}/export/snapshot-${snapshot}.ipynb`,
      JSON.stringify(view, null, 1),
      this._o.snapshotFactory
    );
  }

  async downloadSnapshot(
    args: CommandArguments.ISnapshotArgs
  ): Promise<string> {
    const id = this._id(args);
    const [experiment, notebook] = await Promise.all([
      this._store.getExperiment(id),
      this._store.loadSnapshot(id, args.snapshot)
    ]);
    const base = experiment.notebook
      .split('/')
      .pop()!
      .replace(/\.ipynb$/i, '');
    const name = `${base}-${args.snapshot}.ipynb`;
    downloadText(
      name,
      JSON.stringify(notebook, null, 1),
      'application/x-ipynb+json'
    );
    return name;
  }

  async jumpToCell(args: CommandArguments.IJumpToCellArgs): Promise<boolean> {
    const { app, docManager, trans } = this._o;
    const widget =
      (docManager.findWidget(args.notebook) as NotebookPanel | undefined) ??
      (docManager.openOrReveal(args.notebook) as NotebookPanel | undefined);
    if (!widget || !(widget instanceof NotebookPanel)) {
      return false;
    }
    await widget.context.ready;
    app.shell.activateById(widget.id);
    const index = widget.content.widgets.findIndex(
      c => c.model.id === args.cellId
    );
    if (index < 0) {
      Notification.info(trans.__('That cell is no longer in the notebook.'), {
        autoClose: 4000
      });
      return false;
    }
    widget.content.activeCellIndex = index;
    await widget.content.scrollToItem(index);
    return true;
  }

  private get _store() {
    return this._o.store.store;
  }

  /** The notebook open at `path`, else the current one. */
  private _notebook(
    args: CommandArguments.INotebookArgs
  ): NotebookPanel | null {
    const { notebooks } = this._o;
    if (typeof args.path === 'string') {
      return notebooks.find(nb => nb.context.path === args.path) ?? null;
    }
    return notebooks.currentWidget;
  }

  /** The experiment named, else the one the panel shows. */
  private _id(args: CommandArguments.IExperimentArgs): string {
    const id = args.id ?? this._o.view.selected;
    if (typeof id !== 'string') {
      throw new Error(this._o.trans.__('No experiment selected.'));
    }
    return id;
  }

  private async _script(id: string) {
    const [experiment, { records }] = await Promise.all([
      this._store.getExperiment(id),
      this._store.loadHistory(id)
    ]);
    const script = flattenHistory(records, { experiment: experiment.name });
    return {
      experiment,
      script,
      name: scriptFileName(
        experiment.name,
        experiment.kernel.language || 'python'
      )
    };
  }

  /** Write a file into the store and open it with a widget factory. */
  private async _writeAndOpen(
    path: string,
    text: string,
    factory: string
  ): Promise<{ id: string; path: string } | null> {
    await this._store.fs.writeText(path, text);
    const server = this._o.store.serverPath(path);
    const widget = this._o.docManager.openOrReveal(server, factory);
    return widget ? { id: widget.id, path: server } : null;
  }

  private _o: ExperimentActions.IOptions;
}

export namespace ExperimentActions {
  export interface IOptions {
    app: JupyterFrontEnd;
    store: ILabbookStore;
    recorder: ILabbookRecorder;
    notebooks: INotebookTracker;
    docManager: IDocumentManager;
    /** The side panel's experiments view: what is selected, and showing one. */
    view: {
      readonly selected: string | null;
      showExperiment(id: string | null): Promise<void>;
    };
    /** The id of the side panel, to bring it forward. */
    panelId: string;
    /** The widget factory that opens snapshots read-only. */
    snapshotFactory: string;
    trans: TranslationBundle;
  }
}

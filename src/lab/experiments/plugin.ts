/**
 * Experiments: capture on every notebook, the store in the server's
 * `storeFolder`, start/stop from the notebook toolbar and the palette,
 * snapshots, and the experiments section of the Labbook panel.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Clipboard, ICommandPalette, Notification } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import {
  INotebookTracker,
  INotebookWidgetFactory,
  NotebookPanel,
  NotebookWidgetFactory
} from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { flattenHistory, scriptFileName } from '../../core/history/flatten';
import { LabbookStore } from '../../core/store/store';
import {
  ILabbookExperiments,
  ILabbookPanel,
  ILabbookSettings
} from '../../tokens';
import { LABBOOK_VERSION } from '../../version';
import { CommandIDs, PALETTE_CATEGORY } from '../commands';
import {
  experimentPageHTML,
  loadExperimentPageData
} from '../../core/report/experimentpage';
import { EXPERIMENT_MIME } from '../../kernel/protocol';
import { ExperimentRenderer } from '../inline/experimentrenderer';
import { KernelBridge } from '../kernel/bridge';
import { ContentsStoreFS } from '../store/contentsfs';
import { downloadText } from '../ui/download';
import { ExperimentsView } from '../panel/detail/view';
import { ExperimentManager } from './manager';
import { SNAPSHOT_FACTORY, createSnapshotFactory } from './snapshotfactory';
import { ExperimentButton } from './toolbarbutton';
import { errorText, notifyError } from '../ui/notify';

export const experimentsPlugin: JupyterFrontEndPlugin<ILabbookExperiments> = {
  id: 'jupyterlab-labbook:experiments',
  description:
    'Labbook experiments: capture, store, snapshots and the experiments list.',
  autoStart: true,
  provides: ILabbookExperiments,
  requires: [
    INotebookTracker,
    ILabbookSettings,
    ILabbookPanel,
    IRenderMimeRegistry,
    IDocumentManager
  ],
  optional: [ICommandPalette, ITranslator, INotebookWidgetFactory],
  activate: (
    app: JupyterFrontEnd,
    notebooks: INotebookTracker,
    settings: ILabbookSettings,
    panel: ILabbookPanel,
    rendermime: IRenderMimeRegistry,
    docManager: IDocumentManager,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    notebookFactory: NotebookWidgetFactory.IFactory | null
  ): ILabbookExperiments => {
    const trans = (translator ?? nullTranslator).load('labbook');
    // Snapshots open in a kernel-less, unsavable notebook view.
    let snapshotFactory = 'Notebook';
    if (notebookFactory) {
      app.docRegistry.addWidgetFactory(
        createSnapshotFactory(notebookFactory, translator ?? nullTranslator)
      );
      snapshotFactory = SNAPSHOT_FACTORY;
    }
    const fs = new ContentsStoreFS({
      contents: app.serviceManager.contents,
      root: settings.values.storeFolder || 'labbook'
    });
    const store = new LabbookStore({ fs });
    const manager = new ExperimentManager({
      store,
      settings,
      version: LABBOOK_VERSION
    });

    // Every notebook: capture, and the labbook module in its kernel.
    const follow = (nb: NotebookPanel) => {
      manager.track(nb);
      const bridge = new KernelBridge({
        panel: nb,
        manager,
        enabled: () => settings.values.injectKernelModule
      });
      nb.disposed.connect(() => bridge.dispose());
    };
    notebooks.widgetAdded.connect((_, nb) => follow(nb));
    notebooks.forEach(follow);

    // The inline experiment panel of `labbook.display()` outputs.
    rendermime.addFactory(
      {
        safe: true, // shows store data only, in a sandboxed frame
        mimeTypes: [EXPERIMENT_MIME],
        defaultRank: 0,
        createRenderer: () => new ExperimentRenderer(manager)
      },
      0
    );

    const view = new ExperimentsView({
      manager,
      commands: app.commands,
      rendermime,
      trans
    });
    panel.addSection(view);
    void app.restored.then(() => manager.refresh());

    // The notebook toolbar's start/stop button.
    app.docRegistry.addWidgetExtension('Notebook', {
      createNew: (nb: NotebookPanel) => {
        const button = new ExperimentButton({ panel: nb, manager, trans });
        nb.toolbar.insertAfter('cellType', 'labbook-experiment', button);
        return button;
      }
    });

    const current = (args: Record<string, unknown>): NotebookPanel | null => {
      if (typeof args.path === 'string') {
        return notebooks.find(nb => nb.context.path === args.path) ?? null;
      }
      return notebooks.currentWidget;
    };
    const notify = (message: string, error?: unknown) =>
      notifyError(error ? `${message}: ${errorText(error)}` : message);
    const scriptOf = async (id: string) => {
      const [experiment, { records }] = await Promise.all([
        store.getExperiment(id),
        store.loadHistory(id)
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
    };
    const id = (args: Record<string, unknown>) => {
      const value = args.id ?? view.selected;
      if (typeof value !== 'string') {
        throw new Error(trans.__('No experiment selected.'));
      }
      return value;
    };

    app.commands.addCommand(CommandIDs.startExperiment, {
      label: trans.__('Start Experiment'),
      caption: trans.__('Record this notebook as a Labbook experiment'),
      isEnabled: args => {
        const nb = current(args);
        return !!nb && !manager.runningFor(nb);
      },
      execute: async args => {
        const nb = current(args);
        if (!nb) {
          return null;
        }
        try {
          const running = await manager.start(
            nb,
            typeof args.name === 'string' ? args.name : undefined
          );
          return { id: running.id };
        } catch (error) {
          notify(trans.__('Labbook could not start the experiment'), error);
          throw error;
        }
      }
    });
    app.commands.addCommand(CommandIDs.stopExperiment, {
      label: trans.__('Stop Experiment'),
      caption: trans.__('End the running experiment of this notebook'),
      isEnabled: args => {
        const nb = current(args);
        return !!nb && !!manager.runningFor(nb);
      },
      execute: async args => {
        const nb = current(args);
        if (nb) {
          await manager.stop(nb);
        }
      }
    });
    app.commands.addCommand(CommandIDs.takeSnapshot, {
      label: trans.__('Take Notebook Snapshot'),
      caption: trans.__(
        'Snapshot the notebook as it is now (unsaved edits included) into the running experiment'
      ),
      isEnabled: args => {
        const nb = current(args);
        return !!nb && !!manager.runningFor(nb);
      },
      execute: async args => {
        const nb = current(args);
        const running = nb ? manager.runningFor(nb) : undefined;
        if (!running) {
          return null;
        }
        const info = await running.snapshot('manual');
        return { id: info.id };
      }
    });
    app.commands.addCommand(CommandIDs.refresh, {
      label: trans.__('Refresh Experiments'),
      execute: () => manager.refresh()
    });
    app.commands.addCommand(CommandIDs.showExperiment, {
      label: trans.__('Show Experiment'),
      execute: async args => {
        app.shell.activateById(panel.id);
        await view.showExperiment(typeof args.id === 'string' ? args.id : null);
      }
    });
    app.commands.addCommand(CommandIDs.copyScript, {
      label: trans.__('Copy Flattened Script'),
      execute: async args => {
        const { script } = await scriptOf(id(args));
        Clipboard.copyToSystem(script);
        return script.length;
      }
    });
    app.commands.addCommand(CommandIDs.downloadScript, {
      label: trans.__('Download Flattened Script'),
      execute: async args => {
        const { script, name } = await scriptOf(id(args));
        downloadText(name, script, 'text/x-python');
        return name;
      }
    });
    app.commands.addCommand(CommandIDs.openScript, {
      label: trans.__('Open Flattened Script in Editor'),
      execute: async args => {
        const experimentId = id(args);
        const { script, name } = await scriptOf(experimentId);
        const path = `experiments/${experimentId}/export/${name}`;
        await fs.writeText(path, script);
        const widget = docManager.openOrReveal(fs.serverPath(path), 'Editor');
        return widget ? { id: widget.id, path: fs.serverPath(path) } : null;
      }
    });
    app.commands.addCommand(CommandIDs.exportHTML, {
      label: trans.__('Export Experiment as HTML'),
      execute: async args => {
        const data = await loadExperimentPageData(manager.store, id(args));
        const html = experimentPageHTML(data);
        const name = `${data.experiment.name.replace(/[^\w.-]+/g, '-')}.html`;
        downloadText(name, html, 'text/html');
        return { name, size: html.length };
      }
    });
    app.commands.addCommand(CommandIDs.insertDisplay, {
      label: trans.__('Insert Experiment Panel'),
      caption: trans.__('Add a cell that shows the experiment in the notebook'),
      isEnabled: args => !!current(args),
      execute: async args => {
        const nb = current(args);
        if (!nb) {
          return;
        }
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
    });
    app.commands.addCommand(CommandIDs.openSnapshot, {
      label: trans.__('Open Snapshot (read-only)'),
      execute: async args => {
        const experimentId = id(args);
        const snapshot = String(args.snapshot ?? '');
        const notebook = await store.loadSnapshot(experimentId, snapshot);
        // A view copy: every cell read-only, the snapshot itself untouched.
        const view = {
          ...notebook,
          metadata: {
            ...notebook.metadata,
            labbook: { experiment: experimentId, snapshot, readOnly: true }
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
        const path = `experiments/${experimentId}/export/snapshot-${snapshot}.ipynb`;
        await fs.writeText(path, JSON.stringify(view, null, 1));
        const widget = docManager.openOrReveal(
          fs.serverPath(path),
          snapshotFactory
        );
        return widget ? { id: widget.id, path: fs.serverPath(path) } : null;
      }
    });
    app.commands.addCommand(CommandIDs.downloadSnapshot, {
      label: trans.__('Download Snapshot (.ipynb)'),
      execute: async args => {
        const experimentId = id(args);
        const snapshot = String(args.snapshot ?? '');
        const [experiment, notebook] = await Promise.all([
          store.getExperiment(experimentId),
          store.loadSnapshot(experimentId, snapshot)
        ]);
        const base = experiment.notebook
          .split('/')
          .pop()!
          .replace(/\.ipynb$/i, '');
        const name = `${base}-${snapshot}.ipynb`;
        downloadText(
          name,
          JSON.stringify(notebook, null, 1),
          'application/x-ipynb+json'
        );
        return name;
      }
    });
    app.commands.addCommand(CommandIDs.jumpToCell, {
      label: trans.__('Go to Cell'),
      execute: async args => {
        const path = String(args.notebook ?? '');
        const cellId = String(args.cellId ?? '');
        const widget =
          (docManager.findWidget(path) as NotebookPanel | undefined) ??
          (docManager.openOrReveal(path) as NotebookPanel | undefined);
        if (!widget || !(widget instanceof NotebookPanel)) {
          return false;
        }
        await widget.context.ready;
        app.shell.activateById(widget.id);
        const index = widget.content.widgets.findIndex(
          c => c.model.id === cellId
        );
        if (index < 0) {
          Notification.info(
            trans.__('That cell is no longer in the notebook.'),
            { autoClose: 4000 }
          );
          return false;
        }
        widget.content.activeCellIndex = index;
        await widget.content.scrollToItem(index);
        return true;
      }
    });

    for (const command of [
      CommandIDs.startExperiment,
      CommandIDs.stopExperiment,
      CommandIDs.takeSnapshot,
      CommandIDs.refresh,
      CommandIDs.insertDisplay
    ]) {
      palette?.addItem({ command, category: trans.__(PALETTE_CATEGORY) });
    }
    manager.changed.connect(() => {
      for (const command of [
        CommandIDs.startExperiment,
        CommandIDs.stopExperiment,
        CommandIDs.takeSnapshot
      ]) {
        app.commands.notifyCommandChanged(command);
      }
    });
    notebooks.currentChanged.connect(() => app.commands.notifyCommandChanged());
    return manager;
  }
};

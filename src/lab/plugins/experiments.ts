/**
 * `jupyterlab-labbook:experiments`: the experiments section of the Labbook
 * panel (list and detail), the read-only snapshot view, and the experiment
 * commands (start, stop, snapshot, scripts, export, go to cell).
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import {
  INotebookTracker,
  INotebookWidgetFactory,
  type NotebookWidgetFactory
} from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { ILabbookPanel, ILabbookRecorder, ILabbookStore } from '../../tokens';
import { CommandIDs, addCommands } from '../commands';
import { ExperimentActions } from '../experiments/actions';
import {
  SNAPSHOT_FACTORY,
  createSnapshotFactory
} from '../recorder/snapshotfactory';
import { ExperimentsView } from '../panel/detail/view';

export const experimentsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-labbook:experiments',
  description:
    'Labbook experiments: the list and detail in the panel, snapshots, experiment commands.',
  autoStart: true,
  requires: [
    ILabbookStore,
    ILabbookRecorder,
    ILabbookPanel,
    INotebookTracker,
    IRenderMimeRegistry,
    IDocumentManager
  ],
  optional: [ICommandPalette, ITranslator, INotebookWidgetFactory],
  activate: (
    app: JupyterFrontEnd,
    store: ILabbookStore,
    recorder: ILabbookRecorder,
    panel: ILabbookPanel,
    notebooks: INotebookTracker,
    rendermime: IRenderMimeRegistry,
    docManager: IDocumentManager,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    notebookFactory: NotebookWidgetFactory.IFactory | null
  ) => {
    const trans = (translator ?? nullTranslator).load('labbook');
    // Snapshots open in a kernel-less, unsavable notebook view.
    let snapshotFactory = 'Notebook';
    if (notebookFactory) {
      app.docRegistry.addWidgetFactory(
        createSnapshotFactory(notebookFactory, translator ?? nullTranslator)
      );
      snapshotFactory = SNAPSHOT_FACTORY;
    }

    const view = new ExperimentsView({
      store,
      recorder,
      commands: app.commands,
      rendermime,
      trans
    });
    panel.addSection(view);

    const experiments = new ExperimentActions({
      app,
      store,
      recorder,
      notebooks,
      docManager,
      view,
      panelId: panel.id,
      snapshotFactory,
      trans
    });
    addCommands(app, { experiments }, { trans, palette });
    recorder.changed.connect(() => {
      for (const command of [
        CommandIDs.startExperiment,
        CommandIDs.stopExperiment,
        CommandIDs.takeSnapshot
      ]) {
        app.commands.notifyCommandChanged(command);
      }
    });
    notebooks.currentChanged.connect(() => app.commands.notifyCommandChanged());
  }
};

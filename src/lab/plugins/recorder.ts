/**
 * `jupyterlab-labbook:recorder` → ILabbookRecorder: the capture of every
 * notebook, its running experiment, and the notebook toolbar's start/stop
 * button.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { INotebookTracker, type NotebookPanel } from '@jupyterlab/notebook';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import {
  ILabbookRecorder,
  ILabbookSettings,
  ILabbookStore
} from '../../tokens';
import { LABBOOK_VERSION } from '../../version';
import { Recorder } from '../recorder/recorder';
import { ExperimentButton } from '../recorder/toolbarbutton';

export const recorderPlugin: JupyterFrontEndPlugin<ILabbookRecorder> = {
  id: 'jupyterlab-labbook:recorder',
  description:
    'Labbook recording: cell history of every notebook, running experiments, the toolbar button.',
  autoStart: true,
  provides: ILabbookRecorder,
  requires: [ILabbookStore, ILabbookSettings, INotebookTracker],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    store: ILabbookStore,
    settings: ILabbookSettings,
    notebooks: INotebookTracker,
    translator: ITranslator | null
  ): ILabbookRecorder => {
    const trans = (translator ?? nullTranslator).load('labbook');
    const recorder = new Recorder({
      store,
      settings,
      version: LABBOOK_VERSION
    });
    notebooks.widgetAdded.connect((_, nb) => recorder.track(nb));
    notebooks.forEach(nb => recorder.track(nb));

    app.docRegistry.addWidgetExtension('Notebook', {
      createNew: (nb: NotebookPanel) => {
        const button = new ExperimentButton({ panel: nb, recorder, trans });
        nb.toolbar.insertAfter('cellType', 'labbook-experiment', button);
        return button;
      }
    });
    return recorder;
  }
};

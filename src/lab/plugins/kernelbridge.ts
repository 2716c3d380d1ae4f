/**
 * `jupyterlab-labbook:kernel-bridge`: the `labbook` module in every
 * notebook's kernel, and what it logs stored in the notebook's experiment.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { INotebookTracker, type NotebookPanel } from '@jupyterlab/notebook';
import {
  ILabbookRecorder,
  ILabbookSettings,
  ILabbookStore
} from '../../tokens';
import { KernelBridge } from '../kernel/bridge';

export const kernelBridgePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-labbook:kernel-bridge',
  description:
    'Labbook kernel bridge: the labbook Python module in kernels, and what it logs stored.',
  autoStart: true,
  requires: [
    ILabbookStore,
    ILabbookRecorder,
    ILabbookSettings,
    INotebookTracker
  ],
  activate: (
    app: JupyterFrontEnd,
    store: ILabbookStore,
    recorder: ILabbookRecorder,
    settings: ILabbookSettings,
    notebooks: INotebookTracker
  ) => {
    const follow = (panel: NotebookPanel) => {
      const bridge = new KernelBridge({
        panel,
        store: store.store,
        recorder,
        enabled: () => settings.values.injectKernelModule
      });
      panel.disposed.connect(() => bridge.dispose());
    };
    notebooks.widgetAdded.connect((_, nb) => follow(nb));
    notebooks.forEach(follow);
  }
};

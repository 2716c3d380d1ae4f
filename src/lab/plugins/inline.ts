/**
 * `jupyterlab-labbook:inline`: the inline experiment panel of
 * `labbook.display()` outputs (and the saved notebooks that hold them).
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { EXPERIMENT_MIME } from '../../kernel/protocol';
import { ILabbookRecorder, ILabbookStore } from '../../tokens';
import { ExperimentRenderer } from '../inline/experimentrenderer';

export const inlinePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-labbook:inline',
  description: 'Labbook inline experiment panel in notebook outputs.',
  autoStart: true,
  requires: [ILabbookStore, ILabbookRecorder, IRenderMimeRegistry],
  activate: (
    app: JupyterFrontEnd,
    store: ILabbookStore,
    recorder: ILabbookRecorder,
    rendermime: IRenderMimeRegistry
  ) => {
    rendermime.addFactory(
      {
        safe: true, // shows store data only, in a sandboxed frame
        mimeTypes: [EXPERIMENT_MIME],
        defaultRank: 0,
        createRenderer: () => new ExperimentRenderer({ store, recorder })
      },
      0
    );
  }
};

/**
 * `jupyterlab-labbook:panel` → ILabbookPanel: the Labbook side panel in the
 * left area, restored on reload; `labbook:open-panel` brings it forward.
 */
import {
  ILayoutRestorer,
  type JupyterFrontEnd,
  type JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { ILabbookPanel } from '../../tokens';
import { addCommands } from '../commands';
import { LabbookPanel } from '../panel/panel';

export const panelPlugin: JupyterFrontEndPlugin<ILabbookPanel> = {
  id: 'jupyterlab-labbook:panel',
  description: 'The Labbook side panel.',
  autoStart: true,
  provides: ILabbookPanel,
  optional: [ILayoutRestorer, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): ILabbookPanel => {
    const trans = (translator ?? nullTranslator).load('labbook');
    const panel = new LabbookPanel({ translator: translator ?? undefined });
    app.shell.add(panel, 'left', { rank: 850, type: 'Labbook' });
    restorer?.add(panel, 'labbook-panel');
    addCommands(
      app,
      { panel: { open: () => app.shell.activateById(panel.id) } },
      { trans, palette }
    );
    return panel;
  }
};

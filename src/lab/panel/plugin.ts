import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { ILabbookPanel } from '../../tokens';
import { CommandIDs, PALETTE_CATEGORY } from '../commands';
import { labbookIcon } from '../ui/icons';
import { LabbookPanel } from './panel';

/** The Labbook side panel in the left area, restored on reload. */
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

    app.commands.addCommand(CommandIDs.openPanel, {
      label: trans.__('Open Labbook Panel'),
      caption: trans.__('Show the Labbook experiments panel'),
      icon: labbookIcon,
      execute: () => app.shell.activateById(panel.id)
    });
    palette?.addItem({
      command: CommandIDs.openPanel,
      category: trans.__(PALETTE_CATEGORY)
    });
    return panel;
  }
};

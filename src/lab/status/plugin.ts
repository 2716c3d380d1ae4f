import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { CommandIDs } from '../commands';
import { labbookIcon } from '../icons';

/** A status bar item: what Labbook is recording; a click opens the panel. */
export const statusPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-labbook:status',
  description: 'Labbook status bar item.',
  autoStart: true,
  requires: [IStatusBar],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    statusBar: IStatusBar,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('labbook');
    const item = new Widget();
    item.addClass('jp-Labbook-status');
    labbookIcon.element({ container: item.node, tag: 'span' });
    const label = document.createElement('span');
    label.className = 'jp-Labbook-statusLabel';
    label.textContent = trans.__('Labbook');
    item.node.appendChild(label);
    item.node.title = trans.__('Open the Labbook panel');
    item.node.addEventListener('click', () => {
      void app.commands.execute(CommandIDs.openPanel);
    });
    statusBar.registerStatusItem('jupyterlab-labbook:status', {
      item,
      align: 'left',
      rank: 4
    });
  }
};

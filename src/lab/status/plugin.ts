import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { CommandIDs } from '../commands';
import { labbookIcon } from '../ui/icons';
import { ILabbookExperiments } from '../../tokens';

/** A status bar item: what Labbook is recording; a click opens the panel. */
export const statusPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-labbook:status',
  description: 'Labbook status bar item.',
  autoStart: true,
  requires: [IStatusBar],
  optional: [ITranslator, ILabbookExperiments],
  activate: (
    app: JupyterFrontEnd,
    statusBar: IStatusBar,
    translator: ITranslator | null,
    experiments: ILabbookExperiments | null
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
    // What is being recorded: the running experiments of this tab.
    const update = () => {
      const running = experiments?.running ?? [];
      item.toggleClass('jp-mod-running', running.length > 0);
      if (running.length === 0) {
        label.textContent = trans.__('Labbook');
        item.node.title = trans.__('Open the Labbook panel');
      } else if (running.length === 1) {
        const r = running[0];
        label.textContent = trans._n(
          'Recording %2 · %1 execution',
          'Recording %2 · %1 executions',
          r.executionCount,
          r.experiment.name
        );
        item.node.title = trans.__(
          'Labbook is recording "%1" (%2). Click to open the panel.',
          r.experiment.name,
          r.experiment.notebook
        );
      } else {
        label.textContent = trans.__(
          'Recording %1 experiments',
          running.length
        );
        item.node.title = running
          .map(r => `${r.experiment.name} (${r.experiment.notebook})`)
          .join('\n');
      }
    };
    experiments?.changed.connect(update);
    update();
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

/**
 * The runs table in JupyterLab: `labbook:open-runs` opens (or brings
 * forward) one main-area table of every experiment, optionally with a
 * saved view applied (`{view: id or name}`). The table's module loads on
 * first use; the layout restorer reopens it after a reload.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { ILabbookExperiments } from '../../tokens';
import { CommandIDs, PALETTE_CATEGORY } from '../commands';
import { labbookIcon } from '../ui/icons';
import type { RunsView } from './view';
import { errorText, notifyError } from '../ui/notify';

export const runsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-labbook:runs',
  description:
    'Labbook runs table: every experiment, filtered, sorted, grouped, exported; saved views.',
  autoStart: true,
  requires: [ILabbookExperiments],
  optional: [ITranslator, ICommandPalette, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    experiments: ILabbookExperiments,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null
  ) => {
    const trans = (translator ?? nullTranslator).load('labbook');
    const tracker = new WidgetTracker<MainAreaWidget<RunsView>>({
      namespace: 'labbook-runs'
    });
    let opening: Promise<MainAreaWidget<RunsView>> | null = null;

    const open = async (): Promise<MainAreaWidget<RunsView>> => {
      const current = tracker.currentWidget;
      if (current && !current.isDisposed) {
        return current;
      }
      // The table loads on first use.
      const [{ RunsView }, { RunsModel }, { SavedViewsModel }] =
        await Promise.all([
          import('./view'),
          import('./model'),
          import('../savedviews/model')
        ]);
      const content = new RunsView({
        model: new RunsModel({
          source: experiments,
          savedViews: new SavedViewsModel({ store: experiments.store })
        }),
        commands: app.commands,
        trans
      });
      const widget = new MainAreaWidget({ content });
      widget.id = 'labbook-runs';
      widget.title.label = trans.__('Labbook Runs');
      widget.title.icon = labbookIcon;
      widget.title.closable = true;
      widget.addClass('jp-Labbook-runsPanel');
      await tracker.add(widget);
      app.shell.add(widget, 'main');
      return widget;
    };

    app.commands.addCommand(CommandIDs.openRuns, {
      label: trans.__('Open Runs Table'),
      caption: trans.__(
        'Every experiment in a table: query, columns, sort, grouping, export, saved views'
      ),
      icon: args => (args.isPalette ? undefined : labbookIcon),
      execute: async args => {
        try {
          opening ??= open();
          const widget = await opening;
          opening = null;
          app.shell.activateById(widget.id);
          if (typeof args.view === 'string' && args.view) {
            await widget.content.applyView(args.view);
          }
          return { id: widget.id };
        } catch (error) {
          opening = null;
          notifyError(
            trans.__(
              'Labbook could not open the runs table: %1',
              errorText(error)
            )
          );
          return null;
        }
      }
    });
    palette?.addItem({
      command: CommandIDs.openRuns,
      category: trans.__(PALETTE_CATEGORY)
    });
    void restorer?.restore(tracker, {
      command: CommandIDs.openRuns,
      name: () => 'runs'
    });
  }
};

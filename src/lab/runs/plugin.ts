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
import { ILabbookStore } from '../../tokens';
import { CommandIDs, addCommands } from '../commands';
import { labbookIcon } from '../ui/icons';
import type { RunsView } from './view';
import { errorText, notifyError } from '../ui/notify';

export const runsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-labbook:runs',
  description:
    'Labbook runs table: every experiment, filtered, sorted, grouped, exported; saved views.',
  autoStart: true,
  requires: [ILabbookStore],
  optional: [ITranslator, ICommandPalette, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    store: ILabbookStore,
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
          source: store,
          savedViews: new SavedViewsModel({ store: store.store })
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

    addCommands(
      app,
      {
        runs: {
          open: async args => {
            try {
              opening ??= open();
              const widget = await opening;
              opening = null;
              app.shell.activateById(widget.id);
              if (args.view) {
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
        }
      },
      { trans, palette }
    );
    void restorer?.restore(tracker, {
      command: CommandIDs.openRuns,
      name: () => 'runs'
    });
  }
};

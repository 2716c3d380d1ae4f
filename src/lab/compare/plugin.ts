/**
 * Compare experiments in JupyterLab: the command `labbook:compare` with
 * `{ids: string[]}` (2 to 50 experiments, as the side panel's selection
 * passes them) opens a main-area compare view. The view and the compare
 * core load on first use.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { MainAreaWidget, Notification } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import {
  COMPARE_MAX,
  COMPARE_MIN,
  compareSelectionProblem
} from '../../core/compare/selection';
import { ILabbookStore } from '../../tokens';
import { addCommands } from '../commands';
import { labbookIcon } from '../ui/icons';
import { errorText, notifyError } from '../ui/notify';

export const comparePlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-labbook:compare',
  description: 'Labbook compare view: 2 to 50 experiments side by side.',
  autoStart: true,
  requires: [ILabbookStore],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    experiments: ILabbookStore,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('labbook');

    const compare = async ({ ids: given }: { ids: string[] }) => {
      // The same experiment twice is compared once.
      const ids = [...new Set(given)];
      const problem = compareSelectionProblem(ids.length);
      if (problem) {
        Notification.warning(
          ids.length < COMPARE_MIN
            ? trans.__(
                'Select at least %1 experiments to compare.',
                COMPARE_MIN
              )
            : trans.__(
                'Compare at most %1 experiments at a time (%2 selected).',
                COMPARE_MAX,
                ids.length
              ),
          { autoClose: 6000 }
        );
        return null;
      }
      try {
        // The reads start as soon as the model's small module is in,
        // while the view's code and the charts' still load.
        const { view: viewModule, model: modelModule } = Private.load();
        const { CompareModel } = await modelModule;
        const model = new CompareModel({
          store: experiments.store,
          ids,
          known: id => {
            const experiment = experiments.summary(id);
            if (!experiment) {
              return undefined;
            }
            const { metricWriters, metrics, status } = experiment;
            return {
              experiment,
              damaged: experiments.damaged.filter(d => d.id === id),
              // Only a run its tab ended: one still logging trails its
              // index entry by up to a second, and one interrupted (its
              // tab killed) may have points neither its index entry nor
              // its preview saw. Those are read in full.
              ...(metricWriters &&
              (status === 'finished' || status === 'failed')
                ? {
                    metrics: {
                      writers: metricWriters,
                      counts: Object.fromEntries(
                        Object.entries(metrics).map(([n, m]) => [n, m.count])
                      )
                    }
                  }
                : {})
            };
          }
        });
        model.load().catch(() => undefined); // the view shows the error
        const { CompareView } = await viewModule;
        const content = new CompareView({
          model,
          trans,
          commands: app.commands
        });
        const widget = new MainAreaWidget({ content });
        widget.id = `labbook-compare-${Date.now()}`;
        widget.title.label = trans.__('Compare %1 experiments', ids.length);
        widget.title.caption = ids.join('\n');
        widget.title.icon = labbookIcon;
        widget.title.closable = true;
        widget.addClass('jp-Labbook-comparePanel');
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
        return widget;
      } catch (error) {
        notifyError(
          trans.__('Labbook could not compare: %1', errorText(error))
        );
        return null;
      }
    };
    addCommands(
      app,
      { compare: { prefetch: () => void Private.load(), compare } },
      { trans }
    );
  }
};

namespace Private {
  let modules: {
    view: Promise<typeof import('./view')>;
    model: Promise<typeof import('./model')>;
  } | null = null;

  /** The view's, the model's and the charts' code, imported once. */
  export function load(): NonNullable<typeof modules> {
    if (!modules) {
      const view = import('./view');
      const model = import('./model');
      // Reported where they are awaited; a failed import is tried again.
      Promise.all([view, model]).catch(() => {
        modules = null;
      });
      import('../ui/charts/metricschart').catch(() => undefined); // the view awaits it
      modules = { view, model };
    }
    return modules;
  }
}

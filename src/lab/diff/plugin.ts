/**
 * Notebook diff in JupyterLab: commands that open a main-area diff of two
 * snapshots (of one experiment or of two), of a snapshot and the live
 * notebook, or of two .ipynb files selected in the file browser. The diff
 * itself is computed by src/core/diff; the view module loads on first use.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  Notification
} from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { ILabbookExperiments } from '../../tokens';
import { CommandIDs, PALETTE_CATEGORY } from '../commands';
import { labbookIcon } from '../ui/icons';
import { errorText, notifyError } from '../ui/notify';

/** One side of a comparison: a notebook as JSON, checked when compared. */
interface ISide {
  value: unknown;
  /** Names the source in error messages. */
  file: string;
  title: string;
}

export const diffPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-labbook:diff',
  description: 'Labbook notebook diff: snapshots, live notebooks and files.',
  autoStart: true,
  requires: [ILabbookExperiments, INotebookTracker],
  optional: [ITranslator, ICommandPalette, IFileBrowserFactory],
  activate: (
    app: JupyterFrontEnd,
    experiments: ILabbookExperiments,
    notebooks: INotebookTracker,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    browsers: IFileBrowserFactory | null
  ) => {
    const trans = (translator ?? nullTranslator).load('labbook');
    const store = experiments.store;
    const contents = app.serviceManager.contents;

    const snapshotSide = async (id: string, snapshot: string) => {
      const [experiment, nb, list] = await Promise.all([
        store.getExperiment(id),
        store.loadSnapshot(id, snapshot),
        store.listSnapshots(id)
      ]);
      const info = list.snapshots.find(s => s.id === snapshot);
      const label = info
        ? `${info.reason} ${info.taken.slice(0, 19).replace('T', ' ')}`
        : snapshot;
      return {
        value: nb,
        file: `${experiment.name} (${label})`,
        title: `${experiment.name} · ${label}`
      };
    };
    const fileSide = async (path: string): Promise<ISide> => {
      const open = notebooks.find(nb => nb.context.path === path);
      if (open) {
        // The live model, unsaved edits included.
        return {
          value: open.context.model.toJSON(),
          file: path,
          title: trans.__('%1 (live)', path)
        };
      }
      const model = await contents.get(path, {
        type: 'file',
        format: 'text',
        content: true
      });
      let value: unknown;
      try {
        value = JSON.parse(String(model.content));
      } catch (error) {
        throw new Error(
          `${path}: not valid JSON (${(error as Error).message})`
        );
      }
      return { value, file: path, title: path };
    };

    const show = async (a: ISide, b: ISide) => {
      // The diff core and view load on first use.
      const [{ diffNotebooks, readNotebook }, { NotebookDiffView }] =
        await Promise.all([import('../../core/diff'), import('./diffview')]);
      const nbA = readNotebook(a.value, a.file);
      const nbB = readNotebook(b.value, b.file);
      const diff = diffNotebooks(nbA, nbB);
      const content = new NotebookDiffView({
        diff,
        a: nbA,
        b: nbB,
        titleA: a.title,
        titleB: b.title,
        trans
      });
      const widget = new MainAreaWidget({ content });
      widget.id = `labbook-diff-${Date.now()}`;
      widget.title.label = trans.__(
        'Diff: %1 ↔ %2',
        short(a.title),
        short(b.title)
      );
      widget.title.caption = `${a.title}\n${b.title}`;
      widget.title.icon = labbookIcon;
      widget.title.closable = true;
      widget.addClass('jp-Labbook-diffPanel');
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      return widget;
    };
    const run = async (make: () => Promise<[ISide, ISide]>) => {
      try {
        const [a, b] = await make();
        const widget = await show(a, b);
        return { id: widget.id };
      } catch (error) {
        notifyError(
          trans.__('Labbook could not compare: %1', errorText(error))
        );
        return null;
      }
    };

    app.commands.addCommand(CommandIDs.diffSnapshots, {
      label: trans.__('Compare Two Snapshots'),
      execute: args =>
        run(async () =>
          Promise.all([
            snapshotSide(String(args.id), String(args.a)),
            snapshotSide(String(args.idB ?? args.id), String(args.b))
          ])
        )
    });
    app.commands.addCommand(CommandIDs.diffSnapshotLive, {
      label: trans.__('Compare Snapshot with the Live Notebook'),
      execute: args =>
        run(async () => {
          const a = await snapshotSide(String(args.id), String(args.snapshot));
          const experiment = await store.getExperiment(String(args.id));
          return [a, await fileSide(experiment.notebook)];
        })
    });
    const selectedNotebooks = (): string[] => {
      const browser = browsers?.tracker.currentWidget;
      if (!browser) {
        return [];
      }
      return [...browser.selectedItems()]
        .filter(i => i.type === 'notebook' || i.path.endsWith('.ipynb'))
        .map(i => i.path);
    };
    app.commands.addCommand(CommandIDs.diffFiles, {
      label: trans.__('Compare Notebooks (Labbook)'),
      isVisible: args =>
        Array.isArray(args.paths) || selectedNotebooks().length === 2,
      execute: args => {
        const paths = Array.isArray(args.paths)
          ? (args.paths as string[])
          : selectedNotebooks();
        if (paths.length !== 2) {
          Notification.warning(
            trans.__('Select exactly two notebooks to compare.')
          );
          return null;
        }
        return run(async () =>
          Promise.all([fileSide(paths[0]), fileSide(paths[1])])
        );
      }
    });
    // Merge: three notebooks merged here, or one with conflicts in it.
    const readFile = async (path: string) => {
      const { readNotebook } = await import('../../core/diff');
      return readNotebook((await fileSide(path)).value, path);
    };
    const showMerge = async (
      notebook: import('../../core/diff').INotebook,
      title: string,
      savePath: string
    ) => {
      const [{ writeNotebook }, { NotebookMergeView }] = await Promise.all([
        import('../../core/merge'),
        import('./mergeview')
      ]);
      const content = new NotebookMergeView({
        notebook,
        title,
        savePath,
        trans,
        save: async nb => {
          await contents.save(savePath, {
            type: 'file',
            format: 'text',
            content: writeNotebook(nb)
          });
        }
      });
      const widget = new MainAreaWidget({ content });
      widget.id = `labbook-merge-${Date.now()}`;
      widget.title.label = trans.__('Merge: %1', short(savePath));
      widget.title.caption = title;
      widget.title.icon = labbookIcon;
      widget.title.closable = true;
      widget.addClass('jp-Labbook-mergePanel');
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
      return { id: widget.id, conflicts: content.conflicts.length };
    };
    const mergeRun = async (make: () => Promise<unknown>) => {
      try {
        return await make();
      } catch (error) {
        notifyError(trans.__('Labbook could not merge: %1', errorText(error)));
        return null;
      }
    };
    app.commands.addCommand(CommandIDs.mergeFiles, {
      label: trans.__('Merge Three Notebooks (Labbook)'),
      describedBy: {
        args: {
          type: 'object',
          properties: {
            base: { type: 'string', description: 'the common version' },
            local: { type: 'string' },
            remote: { type: 'string' },
            output: {
              type: 'string',
              description: 'where Save writes; default <local>-merged.ipynb'
            }
          },
          required: ['base', 'local', 'remote']
        }
      },
      execute: args =>
        mergeRun(async () => {
          const [base, local, remote] = await Promise.all(
            [args.base, args.local, args.remote].map(p => readFile(String(p)))
          );
          const { mergeNotebooks } = await import('../../core/merge');
          const merged = mergeNotebooks(base, local, remote);
          const localPath = String(args.local);
          const output =
            typeof args.output === 'string' && args.output
              ? args.output
              : localPath.replace(/(\.ipynb)?$/, '-merged.ipynb');
          return showMerge(
            merged.notebook,
            `${String(args.base)} → ${localPath} + ${String(args.remote)}`,
            output
          );
        })
    });
    app.commands.addCommand(CommandIDs.resolveConflicts, {
      label: trans.__('Resolve Notebook Conflicts (Labbook)'),
      describedBy: {
        args: {
          type: 'object',
          properties: { path: { type: 'string' } },
          required: ['path']
        }
      },
      execute: args =>
        mergeRun(async () => {
          const path = String(args.path ?? '');
          const nb = await readFile(path);
          const { findConflicts } = await import('../../core/merge');
          if (!findConflicts(nb).length) {
            Notification.info(trans.__('%1 has no merge conflicts.', path));
            return null;
          }
          return showMerge(nb, path, path);
        })
    });

    app.contextMenu.addItem({
      command: CommandIDs.diffFiles,
      selector: '.jp-DirListing-item[data-isdir="false"]',
      rank: 60
    });
    palette?.addItem({
      command: CommandIDs.diffFiles,
      category: trans.__(PALETTE_CATEGORY)
    });
  }
};

function short(title: string): string {
  return title.length > 30 ? `${title.slice(0, 29)}…` : title;
}

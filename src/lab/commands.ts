/**
 * Every Labbook command in one place: its id, its arguments (an `I…Args`
 * interface and the JSON schema JupyterLab shows through `describedBy`),
 * its label, and `addCommands`, the only place a Labbook command is
 * registered. What a command does belongs to the feature that owns it: a
 * plugin passes its handlers for its group (`ICommandHandlers`), and only
 * that group is registered, so a disabled plugin leaves no dead commands.
 *
 * Arguments are checked against the schema before a handler runs: a
 * missing or mistyped argument is a clear error, never an empty string.
 * Menu entries are declared in `schema/settings.json` (`jupyter.lab.menus`);
 * JupyterLab has no schema for palette entries, so they are listed here.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { ICommandPalette } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import type {
  ReadonlyJSONObject,
  ReadonlyPartialJSONObject
} from '@lumino/coreutils';
import { labbookIcon } from './ui/icons';
import { notifyError } from './ui/notify';

/** Command ids. */
export namespace CommandIDs {
  export const openPanel = 'labbook:open-panel';
  export const startExperiment = 'labbook:start-experiment';
  export const stopExperiment = 'labbook:stop-experiment';
  export const takeSnapshot = 'labbook:take-snapshot';
  export const refresh = 'labbook:refresh';
  export const showExperiment = 'labbook:show-experiment';
  export const copyScript = 'labbook:copy-script';
  export const downloadScript = 'labbook:download-script';
  export const openScript = 'labbook:open-script';
  export const openSnapshot = 'labbook:open-snapshot';
  export const downloadSnapshot = 'labbook:download-snapshot';
  export const jumpToCell = 'labbook:jump-to-cell';
  export const diffSnapshots = 'labbook:diff-snapshots';
  export const diffSnapshotLive = 'labbook:diff-snapshot-live';
  export const diffFiles = 'labbook:diff-files';
  /** Merge view of three notebooks: args `{base, local, remote, output?}` (paths). */
  export const mergeFiles = 'labbook:merge-files';
  /** Merge view of a notebook with conflicts: args `{path}`. */
  export const resolveConflicts = 'labbook:resolve-conflicts';
  export const exportHTML = 'labbook:export-html';
  export const insertDisplay = 'labbook:insert-display';
  /** The runs table (its own plugin, when installed): args `{view?: string}`. */
  export const openRuns = 'labbook:open-runs';
  /** Compare experiments (its own plugin, when installed): args `{ids: string[]}`. */
  export const compare = 'labbook:compare';
  /**
   * Load the compare view's code now (no arguments): views call it once two
   * experiments are selected, so the click on Compare does not wait for it.
   */
  export const prefetchCompare = 'labbook:prefetch-compare';
}

/** The arguments of each command, as types and as JSON schemas. */
export namespace CommandArguments {
  /** No arguments. */
  export type INoArgs = Record<string, never>;

  /** A notebook: the one open at `path`, else the current notebook. */
  export interface INotebookArgs {
    path?: string;
  }

  export interface IStartArgs extends INotebookArgs {
    /** The experiment's name (default: the notebook's name and the time). */
    name?: string;
  }

  /** An experiment: `id`, else the one selected in the side panel. */
  export interface IExperimentArgs {
    id?: string;
  }

  /** Show an experiment in the side panel; `null` goes back to the list. */
  export interface IShowArgs {
    id: string | null;
  }

  export interface ISnapshotArgs extends IExperimentArgs {
    snapshot: string;
  }

  export interface IJumpToCellArgs {
    /** The notebook's path on the server. */
    notebook: string;
    cellId: string;
  }

  export interface IDiffSnapshotsArgs {
    id: string;
    a: string;
    /** The experiment of snapshot `b` (default: `id`). */
    idB?: string;
    b: string;
  }

  export interface IDiffSnapshotLiveArgs {
    id: string;
    snapshot: string;
  }

  export interface IDiffFilesArgs {
    /** Two notebook paths (default: the two selected in the file browser). */
    paths?: string[];
  }

  export interface IMergeFilesArgs {
    base: string;
    local: string;
    remote: string;
    /** Where Save writes (default `<local>-merged.ipynb`). */
    output?: string;
  }

  export interface IResolveConflictsArgs {
    path: string;
  }

  export interface IOpenRunsArgs {
    /** A saved view to apply, by id or name. */
    view?: string;
  }

  export interface ICompareArgs {
    ids: string[];
  }

  const string = { type: 'string' };
  const notebook = {
    path: { ...string, description: 'Notebook path (default: current)' }
  };
  const experiment = {
    id: { ...string, description: 'Experiment id (default: selected)' }
  };
  const object = (
    properties: Record<string, ReadonlyJSONObject>,
    required: string[] = []
  ): ReadonlyJSONObject => ({ type: 'object', properties, required });

  /** The `args` schema of each command (its `describedBy`). */
  export const schemas: Readonly<Record<string, ReadonlyJSONObject>> = {
    [CommandIDs.openPanel]: object({}),
    [CommandIDs.startExperiment]: object({
      ...notebook,
      name: { ...string, description: 'Experiment name' }
    }),
    [CommandIDs.stopExperiment]: object(notebook),
    [CommandIDs.takeSnapshot]: object(notebook),
    [CommandIDs.refresh]: object({}),
    [CommandIDs.showExperiment]: object(
      {
        id: {
          type: ['string', 'null'],
          description: 'Experiment id; null shows the list'
        }
      },
      ['id']
    ),
    [CommandIDs.copyScript]: object(experiment),
    [CommandIDs.downloadScript]: object(experiment),
    [CommandIDs.openScript]: object(experiment),
    [CommandIDs.exportHTML]: object(experiment),
    [CommandIDs.insertDisplay]: object(notebook),
    [CommandIDs.openSnapshot]: object(
      { ...experiment, snapshot: { ...string, description: 'Snapshot id' } },
      ['snapshot']
    ),
    [CommandIDs.downloadSnapshot]: object(
      { ...experiment, snapshot: { ...string, description: 'Snapshot id' } },
      ['snapshot']
    ),
    [CommandIDs.jumpToCell]: object(
      {
        notebook: { ...string, description: 'Notebook path' },
        cellId: { ...string, description: 'Cell id' }
      },
      ['notebook', 'cellId']
    ),
    [CommandIDs.diffSnapshots]: object(
      {
        id: { ...string, description: 'Experiment of snapshot a' },
        a: { ...string, description: 'Snapshot id' },
        idB: { ...string, description: 'Experiment of snapshot b' },
        b: { ...string, description: 'Snapshot id' }
      },
      ['id', 'a', 'b']
    ),
    [CommandIDs.diffSnapshotLive]: object(
      {
        id: { ...string, description: 'Experiment id' },
        snapshot: { ...string, description: 'Snapshot id' }
      },
      ['id', 'snapshot']
    ),
    [CommandIDs.diffFiles]: object({
      paths: {
        type: 'array',
        items: string,
        description: 'Two notebook paths (default: the selected files)'
      }
    }),
    [CommandIDs.mergeFiles]: object(
      {
        base: { ...string, description: 'the common version' },
        local: string,
        remote: string,
        output: {
          ...string,
          description: 'where Save writes; default <local>-merged.ipynb'
        }
      },
      ['base', 'local', 'remote']
    ),
    [CommandIDs.resolveConflicts]: object({ path: string }, ['path']),
    [CommandIDs.openRuns]: object({
      view: { ...string, description: 'Saved view id or name' }
    }),
    [CommandIDs.compare]: object(
      {
        ids: {
          type: 'array',
          items: string,
          description: 'Experiment ids (2 to 50)'
        }
      },
      ['ids']
    ),
    [CommandIDs.prefetchCompare]: object({})
  };

  /**
   * Check `args` against a command's schema (the subset the schemas above
   * use: required names, string / null / boolean / array-of-string types).
   * Returns the problem, or null when they fit. Unknown names are allowed
   * (JupyterLab adds its own, such as `isPalette`).
   */
  export function problem(
    id: string,
    args: ReadonlyPartialJSONObject
  ): string | null {
    const schema = schemas[id] as {
      properties: Record<string, { type: string | string[] }>;
      required: string[];
    };
    for (const name of schema.required) {
      if (args[name] === undefined) {
        return `${id} needs the argument "${name}".`;
      }
    }
    for (const [name, property] of Object.entries(schema.properties)) {
      const value = args[name];
      if (value === undefined) {
        continue;
      }
      const types = ([] as string[]).concat(property.type);
      if (!types.some(type => Private.isOfType(value, type))) {
        return `${id}: the argument "${name}" must be ${types.join(' or ')}, not ${JSON.stringify(value)}.`;
      }
    }
    return null;
  }
}

/** What each group's commands do; `args` are checked against the schema. */
export interface ICommandHandlers {
  panel?: {
    open(): void;
  };
  experiments?: {
    canStart(args: CommandArguments.INotebookArgs): boolean;
    start(args: CommandArguments.IStartArgs): Promise<unknown>;
    /** Whether the notebook has a running experiment. */
    isRunning(args: CommandArguments.INotebookArgs): boolean;
    stop(args: CommandArguments.INotebookArgs): Promise<unknown>;
    snapshot(args: CommandArguments.INotebookArgs): Promise<unknown>;
    refresh(): Promise<unknown>;
    show(args: CommandArguments.IShowArgs): Promise<unknown>;
    copyScript(args: CommandArguments.IExperimentArgs): Promise<unknown>;
    downloadScript(args: CommandArguments.IExperimentArgs): Promise<unknown>;
    openScript(args: CommandArguments.IExperimentArgs): Promise<unknown>;
    exportHTML(args: CommandArguments.IExperimentArgs): Promise<unknown>;
    hasNotebook(args: CommandArguments.INotebookArgs): boolean;
    insertDisplay(args: CommandArguments.INotebookArgs): Promise<unknown>;
    openSnapshot(args: CommandArguments.ISnapshotArgs): Promise<unknown>;
    downloadSnapshot(args: CommandArguments.ISnapshotArgs): Promise<unknown>;
    jumpToCell(args: CommandArguments.IJumpToCellArgs): Promise<unknown>;
  };
  diff?: {
    snapshots(args: CommandArguments.IDiffSnapshotsArgs): Promise<unknown>;
    snapshotLive(
      args: CommandArguments.IDiffSnapshotLiveArgs
    ): Promise<unknown>;
    /** Whether two notebooks are given or selected. */
    hasFiles(args: CommandArguments.IDiffFilesArgs): boolean;
    files(args: CommandArguments.IDiffFilesArgs): Promise<unknown>;
  };
  merge?: {
    files(args: CommandArguments.IMergeFilesArgs): Promise<unknown>;
    resolve(args: CommandArguments.IResolveConflictsArgs): Promise<unknown>;
  };
  compare?: {
    prefetch(): void;
    compare(args: CommandArguments.ICompareArgs): Promise<unknown>;
  };
  runs?: {
    open(args: CommandArguments.IOpenRunsArgs): Promise<unknown>;
  };
}

export namespace addCommands {
  export interface IOptions {
    trans: TranslationBundle;
    /** Where palette entries go, if there is a palette. */
    palette?: ICommandPalette | null;
  }
}

/**
 * Register the commands of the groups `handlers` holds (and their palette
 * entries). Returns the ids registered.
 */
export function addCommands(
  app: JupyterFrontEnd,
  handlers: ICommandHandlers,
  options: addCommands.IOptions
): string[] {
  const { trans, palette } = options;
  const ids: string[] = [];
  const add = <A>(
    id: string,
    command: Omit<CommandRegistry.ICommandOptions, 'execute' | 'isEnabled'> & {
      execute: (args: A) => unknown;
      isEnabled?: (args: A) => boolean;
      /** Listed in the command palette. */
      palette?: boolean;
    }
  ) => {
    const { execute, isEnabled, palette: inPalette, ...rest } = command;
    app.commands.addCommand(id, {
      ...rest,
      describedBy: { args: CommandArguments.schemas[id] },
      isEnabled: isEnabled
        ? args =>
            CommandArguments.problem(id, args) === null &&
            isEnabled(args as unknown as A)
        : undefined,
      execute: args => {
        const problem = CommandArguments.problem(id, args);
        if (problem) {
          notifyError(problem);
          throw new Error(problem);
        }
        return execute(args as unknown as A) as any;
      }
    });
    if (inPalette) {
      palette?.addItem({ command: id, category: trans.__('Labbook') });
    }
    ids.push(id);
  };

  const { panel, experiments, diff, merge, compare, runs } = handlers;
  if (panel) {
    add(CommandIDs.openPanel, {
      label: trans.__('Open Labbook Panel'),
      caption: trans.__('Show the Labbook experiments panel'),
      icon: labbookIcon,
      palette: true,
      execute: () => panel.open()
    });
  }
  if (experiments) {
    const e = experiments;
    add<CommandArguments.IStartArgs>(CommandIDs.startExperiment, {
      label: trans.__('Start Experiment'),
      caption: trans.__('Record this notebook as a Labbook experiment'),
      palette: true,
      isEnabled: args => e.canStart(args),
      execute: args => e.start(args)
    });
    add<CommandArguments.INotebookArgs>(CommandIDs.stopExperiment, {
      label: trans.__('Stop Experiment'),
      caption: trans.__('End the running experiment of this notebook'),
      palette: true,
      isEnabled: args => e.isRunning(args),
      execute: args => e.stop(args)
    });
    add<CommandArguments.INotebookArgs>(CommandIDs.takeSnapshot, {
      label: trans.__('Take Notebook Snapshot'),
      caption: trans.__(
        'Snapshot the notebook as it is now (unsaved edits included) into the running experiment'
      ),
      palette: true,
      isEnabled: args => e.isRunning(args),
      execute: args => e.snapshot(args)
    });
    add(CommandIDs.refresh, {
      label: trans.__('Refresh Experiments'),
      palette: true,
      execute: () => e.refresh()
    });
    add<CommandArguments.IShowArgs>(CommandIDs.showExperiment, {
      label: trans.__('Show Experiment'),
      execute: args => e.show(args)
    });
    add<CommandArguments.IExperimentArgs>(CommandIDs.copyScript, {
      label: trans.__('Copy Flattened Script'),
      execute: args => e.copyScript(args)
    });
    add<CommandArguments.IExperimentArgs>(CommandIDs.downloadScript, {
      label: trans.__('Download Flattened Script'),
      execute: args => e.downloadScript(args)
    });
    add<CommandArguments.IExperimentArgs>(CommandIDs.openScript, {
      label: trans.__('Open Flattened Script in Editor'),
      execute: args => e.openScript(args)
    });
    add<CommandArguments.IExperimentArgs>(CommandIDs.exportHTML, {
      label: trans.__('Export Experiment as HTML'),
      execute: args => e.exportHTML(args)
    });
    add<CommandArguments.INotebookArgs>(CommandIDs.insertDisplay, {
      label: trans.__('Insert Experiment Panel'),
      caption: trans.__('Add a cell that shows the experiment in the notebook'),
      palette: true,
      isEnabled: args => e.hasNotebook(args),
      execute: args => e.insertDisplay(args)
    });
    add<CommandArguments.ISnapshotArgs>(CommandIDs.openSnapshot, {
      label: trans.__('Open Snapshot (read-only)'),
      execute: args => e.openSnapshot(args)
    });
    add<CommandArguments.ISnapshotArgs>(CommandIDs.downloadSnapshot, {
      label: trans.__('Download Snapshot (.ipynb)'),
      execute: args => e.downloadSnapshot(args)
    });
    add<CommandArguments.IJumpToCellArgs>(CommandIDs.jumpToCell, {
      label: trans.__('Go to Cell'),
      execute: args => e.jumpToCell(args)
    });
  }
  if (diff) {
    add<CommandArguments.IDiffSnapshotsArgs>(CommandIDs.diffSnapshots, {
      label: trans.__('Compare Two Snapshots'),
      execute: args => diff.snapshots(args)
    });
    add<CommandArguments.IDiffSnapshotLiveArgs>(CommandIDs.diffSnapshotLive, {
      label: trans.__('Compare Snapshot with the Live Notebook'),
      execute: args => diff.snapshotLive(args)
    });
    add<CommandArguments.IDiffFilesArgs>(CommandIDs.diffFiles, {
      label: trans.__('Compare Notebooks (Labbook)'),
      palette: true,
      isVisible: args => diff.hasFiles(args as CommandArguments.IDiffFilesArgs),
      execute: args => diff.files(args)
    });
  }
  if (merge) {
    add<CommandArguments.IMergeFilesArgs>(CommandIDs.mergeFiles, {
      label: trans.__('Merge Three Notebooks (Labbook)'),
      execute: args => merge.files(args)
    });
    add<CommandArguments.IResolveConflictsArgs>(CommandIDs.resolveConflicts, {
      label: trans.__('Resolve Notebook Conflicts (Labbook)'),
      execute: args => merge.resolve(args)
    });
  }
  if (compare) {
    add(CommandIDs.prefetchCompare, {
      label: trans.__('Load the Compare View'),
      execute: () => compare.prefetch()
    });
    add<CommandArguments.ICompareArgs>(CommandIDs.compare, {
      label: trans.__('Compare Experiments'),
      caption: trans.__('Compare 2 to 50 experiments side by side'),
      execute: args => compare.compare(args)
    });
  }
  if (runs) {
    add<CommandArguments.IOpenRunsArgs>(CommandIDs.openRuns, {
      label: trans.__('Open Runs Table'),
      caption: trans.__(
        'Every experiment in a table: query, columns, sort, grouping, export, saved views'
      ),
      icon: args => (args.isPalette ? undefined : labbookIcon),
      palette: true,
      execute: args => runs.open(args)
    });
  }
  return ids;
}

/**
 * Start loading the compare view's code, once per app, when a view holds a
 * selection that can be compared (and the compare plugin is installed).
 */
export function prefetchCompare(commands: CommandRegistry): void {
  if (
    !Private.prefetched.has(commands) &&
    commands.hasCommand(CommandIDs.prefetchCompare)
  ) {
    Private.prefetched.add(commands);
    void commands.execute(CommandIDs.prefetchCompare);
  }
}

namespace Private {
  export const prefetched = new WeakSet<CommandRegistry>();

  export function isOfType(value: unknown, type: string): boolean {
    switch (type) {
      case 'null':
        return value === null;
      case 'array':
        return Array.isArray(value) && value.every(v => typeof v === 'string');
      default:
        return typeof value === type;
    }
  }
}

import type { CommandRegistry } from '@lumino/commands';

/**
 * Command ids, one place. Labels and palette entries are added by the
 * plugins that own each command.
 */
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

/** The command palette category of every Labbook command. */
export const PALETTE_CATEGORY = 'Labbook';

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
}

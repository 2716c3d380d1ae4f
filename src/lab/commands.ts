/**
 * Command ids, one place. Labels and palette entries are added by the
 * plugins that own each command.
 */
export namespace CommandIDs {
  export const openPanel = 'labbook:open-panel';
}

/** The command palette category of every Labbook command. */
export const PALETTE_CATEGORY = 'Labbook';

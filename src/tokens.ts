import { Token } from '@lumino/coreutils';
import type { Widget } from '@lumino/widgets';

/** The Labbook side panel, for plugins that add sections to it. */
export interface ILabbookPanel extends Widget {
  addSection(widget: Widget): void;
}

export const ILabbookPanel = new Token<ILabbookPanel>(
  'labbook:ILabbookPanel',
  'The Labbook side panel; plugins add sections to it.'
);

/** Labbook's user settings. */
export type ILabbookSettings =
  import('./lab/settings/settings').LabbookSettings;

export const ILabbookSettings = new Token<ILabbookSettings>(
  'labbook:ILabbookSettings',
  "Labbook's settings, kept in step with the setting registry."
);

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

/** The experiments of this JupyterLab: capture, running experiments, the store. */
export type ILabbookExperiments =
  import('./lab/experiments/manager').ExperimentManager;

export const ILabbookExperiments = new Token<ILabbookExperiments>(
  'labbook:ILabbookExperiments',
  'Labbook experiments: per-notebook capture, running experiments and the store.'
);

/**
 * Labbook's JupyterLab plugins, one file each under src/lab/plugins/, each
 * providing at most one token (src/tokens.ts).
 */
import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { comparePlugin } from './lab/compare/plugin';
import { diffPlugin } from './lab/diff/plugin';
import { experimentsPlugin } from './lab/plugins/experiments';
import { inlinePlugin } from './lab/plugins/inline';
import { kernelBridgePlugin } from './lab/plugins/kernelbridge';
import { panelPlugin } from './lab/plugins/panel';
import { recorderPlugin } from './lab/plugins/recorder';
import { settingsPlugin } from './lab/plugins/settings';
import { statusPlugin } from './lab/plugins/status';
import { storePlugin } from './lab/plugins/store';
import { runsPlugin } from './lab/runs/plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [
  settingsPlugin,
  storePlugin,
  recorderPlugin,
  kernelBridgePlugin,
  panelPlugin,
  experimentsPlugin,
  inlinePlugin,
  statusPlugin,
  diffPlugin,
  comparePlugin,
  runsPlugin
];

export default plugins;

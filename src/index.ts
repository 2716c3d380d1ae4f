import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { panelPlugin } from './lab/panel/plugin';
import { settingsPlugin } from './lab/settings/plugin';
import { statusPlugin } from './lab/status/plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [
  settingsPlugin,
  panelPlugin,
  statusPlugin
];

export default plugins;

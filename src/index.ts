import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { diffPlugin } from './lab/diff/plugin';
import { experimentsPlugin } from './lab/experiments/plugin';
import { panelPlugin } from './lab/panel/plugin';
import { runsPlugin } from './lab/runs/plugin';
import { settingsPlugin } from './lab/settings/plugin';
import { statusPlugin } from './lab/status/plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [
  settingsPlugin,
  panelPlugin,
  statusPlugin,
  experimentsPlugin,
  diffPlugin,
  runsPlugin
];

export default plugins;

/**
 * `jupyterlab-labbook:settings` → ILabbookSettings: Labbook's settings
 * (schema/settings.json, which also declares the Labbook menu), followed
 * as the user edits them.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ILabbookSettings } from '../../tokens';
import { LabbookSettings } from '../settings/settings';

export const settingsPlugin: JupyterFrontEndPlugin<ILabbookSettings> = {
  id: 'jupyterlab-labbook:settings',
  description: 'Labbook settings.',
  autoStart: true,
  provides: ILabbookSettings,
  optional: [ISettingRegistry],
  activate: async (
    app: JupyterFrontEnd,
    registry: ISettingRegistry | null
  ): Promise<ILabbookSettings> => {
    const settings = new LabbookSettings();
    if (registry) {
      try {
        settings.connect(await registry.load(settingsPlugin.id));
      } catch (reason) {
        console.warn(
          'Labbook: settings could not be loaded, using defaults.',
          reason
        );
      }
    }
    return settings;
  }
};

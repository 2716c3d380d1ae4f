import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ISignal, Signal } from '@lumino/signaling';

/** Labbook's user settings (schema/settings.json), with their defaults. */
export interface ILabbookSettingsValues {
  storeFolder: string;
  autoStart: boolean;
  snapshotOnSave: boolean;
  outputTextLimit: number;
  injectKernelModule: boolean;
  heartbeatSeconds: number;
  staleAfterSeconds: number;
}

export const DEFAULT_SETTINGS: ILabbookSettingsValues = {
  storeFolder: 'labbook',
  autoStart: false,
  snapshotOnSave: false,
  outputTextLimit: 2000,
  injectKernelModule: true,
  heartbeatSeconds: 10,
  staleAfterSeconds: 30
};

/** The current settings, kept in step with the setting registry. */
export class LabbookSettings {
  get values(): Readonly<ILabbookSettingsValues> {
    return this._values;
  }

  get changed(): ISignal<this, ILabbookSettingsValues> {
    return this._changed;
  }

  /** Follow a loaded plugin's settings. */
  connect(settings: ISettingRegistry.ISettings): void {
    const read = () => {
      this._values = {
        ...DEFAULT_SETTINGS,
        ...(settings.composite as Partial<ILabbookSettingsValues>)
      };
      this._changed.emit(this._values);
    };
    settings.changed.connect(read);
    read();
  }

  private _values: ILabbookSettingsValues = { ...DEFAULT_SETTINGS };
  private _changed = new Signal<this, ILabbookSettingsValues>(this);
}

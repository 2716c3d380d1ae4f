/**
 * Labbook's user settings: the values of `schema/settings.json` (the one
 * source of their defaults), kept in step with the setting registry.
 */
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ISignal, Signal } from '@lumino/signaling';
import schema from '../../../schema/settings.json';
import type { ILabbookSettings, ILabbookSettingsValues } from '../../tokens';

/** `{name: default}` of a schema's properties. */
function defaultsOf(
  properties: Record<string, { default: unknown }>
): ILabbookSettingsValues {
  const values: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    values[name] = property.default;
  }
  return values as unknown as ILabbookSettingsValues;
}

/** The defaults, as the schema declares them. */
export const DEFAULT_SETTINGS: Readonly<ILabbookSettingsValues> = Object.freeze(
  defaultsOf(schema.properties)
);

/** The current settings, kept in step with the setting registry. */
export class LabbookSettings implements ILabbookSettings {
  get values(): Readonly<ILabbookSettingsValues> {
    return this._values;
  }

  /** The values changed: the new values and the names of those that differ. */
  get changed(): ISignal<this, ILabbookSettings.IChange> {
    return this._changed;
  }

  /** Follow a loaded plugin's settings. */
  connect(settings: ISettingRegistry.ISettings): void {
    const read = () => this._set(settings.composite);
    settings.changed.connect(read);
    read();
  }

  /**
   * Take new values (the registry's composite): unknown keys and values of
   * the wrong type are ignored, missing ones take their default.
   */
  private _set(composite: Partial<Record<string, unknown>>): void {
    const values = { ...DEFAULT_SETTINGS } as Record<string, unknown>;
    for (const key of Object.keys(DEFAULT_SETTINGS)) {
      const value = composite[key];
      if (typeof value === typeof values[key]) {
        values[key] = value;
      }
    }
    const next = values as unknown as ILabbookSettingsValues;
    const keys = (Object.keys(next) as (keyof ILabbookSettingsValues)[]).filter(
      k => next[k] !== this._values[k]
    );
    this._values = next;
    this._changed.emit({ values: next, keys });
  }

  private _values: ILabbookSettingsValues = { ...DEFAULT_SETTINGS };
  private _changed = new Signal<this, ILabbookSettings.IChange>(this);
}

import { Signal } from '@lumino/signaling';
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { describe, expect, it } from 'vitest';
import schema from '../../../schema/settings.json';
import {
  DEFAULT_SETTINGS,
  LabbookSettings
} from '../../../src/lab/settings/settings';
import type { ILabbookSettings } from '../../../src/tokens';

/** The part of a registry's plugin settings that LabbookSettings reads. */
class FakeRegistrySettings {
  composite: Record<string, unknown> = {};
  changed = new Signal<this, void>(this);

  /** The user saves new values. */
  edit(values: Record<string, unknown>): void {
    this.composite = { ...this.composite, ...values };
    this.changed.emit();
  }
}

function connected(composite: Record<string, unknown> = {}) {
  const registry = new FakeRegistrySettings();
  registry.composite = composite;
  const settings = new LabbookSettings();
  const changes: ILabbookSettings.IChange[] = [];
  settings.changed.connect((_, change) => changes.push(change));
  settings.connect(registry as unknown as ISettingRegistry.ISettings);
  return { registry, settings, changes };
}

describe('Labbook settings', () => {
  it('takes every default from schema/settings.json, and nothing else', () => {
    const fromSchema = Object.fromEntries(
      Object.entries(schema.properties).map(([k, p]) => [k, p.default])
    );
    expect(DEFAULT_SETTINGS).toEqual(fromSchema);
    expect(DEFAULT_SETTINGS.storeFolder).toBe('labbook');
    expect(DEFAULT_SETTINGS.heartbeatSeconds).toBe(10);
  });

  it('uses the defaults before any registry answers', () => {
    expect(new LabbookSettings().values).toEqual(DEFAULT_SETTINGS);
  });

  it("follows the user's edits and says which settings changed", () => {
    const { registry, settings, changes } = connected({
      storeFolder: 'runs'
    });
    expect(settings.values.storeFolder).toBe('runs');
    expect(settings.values.outputTextLimit).toBe(2000);
    expect(changes.at(-1)?.keys).toEqual(['storeFolder']);

    registry.edit({ heartbeatSeconds: 3, outputTextLimit: 50 });
    expect(settings.values.heartbeatSeconds).toBe(3);
    expect(settings.values.outputTextLimit).toBe(50);
    expect(changes.at(-1)?.keys).toEqual([
      'outputTextLimit',
      'heartbeatSeconds'
    ]);
    expect(changes.at(-1)?.values).toBe(settings.values);

    // Saving the same values again changes nothing that anyone must apply.
    registry.edit({});
    expect(changes.at(-1)?.keys).toEqual([]);
  });

  it('ignores values of the wrong type and unknown names, keeping the default', () => {
    const { settings } = connected({
      heartbeatSeconds: 'fast',
      autoStart: 1,
      somethingElse: true
    });
    expect(settings.values.heartbeatSeconds).toBe(10);
    expect(settings.values.autoStart).toBe(false);
    expect('somethingElse' in settings.values).toBe(false);
  });
});

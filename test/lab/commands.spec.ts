import { vi } from 'vitest';

// What jsdom lacks and JupyterLab's UI packages (under the icons and the
// notifications) touch when they load.
vi.hoisted(() => {
  (globalThis as any).DragEvent ??= class extends MouseEvent {};
  window.matchMedia ??= (query: string) =>
    ({
      matches: false,
      media: query,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined
    }) as unknown as MediaQueryList;
});

import type { JupyterFrontEnd } from '@jupyterlab/application';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { describe, expect, it } from 'vitest';
import {
  CommandArguments,
  CommandIDs,
  addCommands,
  type ICommandHandlers
} from '../../src/lab/commands';

const trans = nullTranslator.load('labbook');

function app() {
  const commands = new CommandRegistry();
  return { commands } as unknown as JupyterFrontEnd & {
    commands: CommandRegistry;
  };
}

/** Handlers that record what they were called with. */
function recording() {
  const calls: [string, unknown][] = [];
  const handler = (name: string) => (args?: unknown) => {
    calls.push([name, args]);
    return Promise.resolve(name);
  };
  const experiments = new Proxy(
    {},
    {
      get: (_, name: string) =>
        name.startsWith('can') ||
        name.startsWith('is') ||
        name === 'hasNotebook'
          ? () => true
          : handler(name)
    }
  ) as NonNullable<ICommandHandlers['experiments']>;
  return { calls, experiments };
}

describe('Labbook commands', () => {
  it('registers only the groups it is given, each with its argument schema', async () => {
    const a = app();
    const { experiments } = recording();
    const ids = addCommands(a, { experiments }, { trans });
    expect(ids).toContain(CommandIDs.openSnapshot);
    expect(a.commands.hasCommand(CommandIDs.openSnapshot)).toBe(true);
    expect(a.commands.hasCommand(CommandIDs.compare)).toBe(false);
    expect(a.commands.hasCommand(CommandIDs.openRuns)).toBe(false);
    for (const id of ids) {
      const { args } = await a.commands.describedBy(id);
      expect(args, id).toEqual(CommandArguments.schemas[id]);
      expect(a.commands.label(id), id).not.toBe('');
    }
    // Every command id has a schema.
    for (const id of Object.values(CommandIDs)) {
      expect(CommandArguments.schemas[id], id).toBeTruthy();
    }
  });

  it('refuses a missing required argument with a clear error, never running with ""', async () => {
    const a = app();
    const { calls, experiments } = recording();
    addCommands(a, { experiments }, { trans });
    await expect(
      a.commands.execute(CommandIDs.openSnapshot, { id: 'e1' })
    ).rejects.toThrow('labbook:open-snapshot needs the argument "snapshot".');
    await expect(
      a.commands.execute(CommandIDs.jumpToCell, { notebook: 'a.ipynb' })
    ).rejects.toThrow('needs the argument "cellId"');
    await expect(
      a.commands.execute(CommandIDs.downloadSnapshot, {
        id: 'e1',
        snapshot: 7
      })
    ).rejects.toThrow('"snapshot" must be string, not 7');
    expect(calls).toEqual([]);

    await a.commands.execute(CommandIDs.openSnapshot, {
      id: 'e1',
      snapshot: 's2'
    });
    expect(calls).toEqual([['openSnapshot', { id: 'e1', snapshot: 's2' }]]);
  });

  it('accepts null to show the list, and the arguments JupyterLab adds', async () => {
    const a = app();
    const { calls, experiments } = recording();
    addCommands(a, { experiments }, { trans });
    await a.commands.execute(CommandIDs.showExperiment, { id: null });
    await a.commands.execute(CommandIDs.refresh, { isPalette: true });
    expect(calls.map(c => c[0])).toEqual(['show', 'refresh']);
    await expect(
      a.commands.execute(CommandIDs.showExperiment, {})
    ).rejects.toThrow('needs the argument "id"');
  });

  it('is disabled while its arguments are wrong, and asks the handler otherwise', () => {
    const a = app();
    const canStart = vi.fn(() => false);
    const { experiments } = recording();
    addCommands(
      a,
      { experiments: Object.assign(Object.create(experiments), { canStart }) },
      { trans }
    );
    expect(a.commands.isEnabled(CommandIDs.startExperiment, { path: 3 })).toBe(
      false
    );
    expect(canStart).not.toHaveBeenCalled();
    expect(
      a.commands.isEnabled(CommandIDs.startExperiment, { path: 'a.ipynb' })
    ).toBe(false);
    expect(canStart).toHaveBeenCalledWith({ path: 'a.ipynb' });
  });

  it('adds its palette entries under one category', () => {
    const a = app();
    const items: { command: string; category: string }[] = [];
    const palette = { addItem: (i: any) => items.push(i) } as any;
    addCommands(
      a,
      {
        panel: { open: () => undefined },
        runs: { open: () => Promise.resolve(null) }
      },
      { trans, palette }
    );
    expect(items).toEqual([
      { command: CommandIDs.openPanel, category: 'Labbook' },
      { command: CommandIDs.openRuns, category: 'Labbook' }
    ]);
  });
});

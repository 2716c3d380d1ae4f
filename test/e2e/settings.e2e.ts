/**
 * Issue 3 settings: an experiment that starts itself on the first
 * execution, and a snapshot on every save.
 */
import { describe, expect, it } from 'vitest';
import { useLab } from './harness/fixture';

const PANEL = '#jp-labbook-panel';

describe('experiment settings', () => {
  const f = useLab();

  it('starts an experiment on first execution and snapshots on save', async () => {
    await f.lab.setLabbookSettings({ autoStart: true, snapshotOnSave: true });
    await f.lab.open();
    const page = f.browser.page;
    const id = await f.lab.openNotebook('auto.ipynb', ['a = 1', 'a + 1']);
    await f.lab.command('labbook:open-panel');
    // Nothing recorded before the first execution.
    expect(
      await page.locator(`${PANEL} .jp-Labbook-row[data-id]`).count()
    ).toBe(0);
    expect(await f.lab.runCell(id, 0)).toBe('');
    expect(await f.lab.runCell(id, 1)).toBe('2');
    const row = page.locator(`${PANEL} .jp-Labbook-row[data-id]`);
    await row.locator('.jp-Labbook-badge.jp-mod-running').waitFor();
    await expect
      .poll(() => row.locator('.jp-Labbook-rowCells').innerText())
      .toBe('2 executions');

    // Save the notebook: the running experiment gets a "save" snapshot.
    await page.evaluate(i => {
      const app = (window as any).jupyterapp;
      app.shell.activateById(i);
      return app.commands.execute('docmanager:save');
    }, id);
    await row.click();
    await expect
      .poll(() =>
        page.locator(`${PANEL} .jp-Labbook-snapshotReason`).allInnerTexts()
      )
      .toEqual(['start', 'save']);
    expect(f.browser.errors()).toEqual([]);
  });
});

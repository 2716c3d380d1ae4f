/**
 * Issue 2: the development JupyterLab with Labbook, a real kernel, a real
 * browser.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useLab } from './harness/fixture';
import { ROOT } from './harness/server';

describe('the development JupyterLab with Labbook', () => {
  const f = useLab();

  it('loads with Labbook activated and no console errors', async () => {
    await f.lab.open();
    const plugins = await f.browser.page.evaluate(() => {
      const app = (window as any).jupyterapp;
      return app
        .listPlugins()
        .filter((id: string) => id.startsWith('jupyterlab-labbook:'))
        .map((id: string) => [id, app.isPluginActivated(id)]);
    });
    expect(plugins).toContainEqual(['jupyterlab-labbook:panel', true]);
    expect(plugins).toContainEqual(['jupyterlab-labbook:status', true]);
    expect(plugins).toContainEqual(['jupyterlab-labbook:settings', true]);
    // The Labbook status bar item is shown.
    await f.browser.page.waitForSelector(
      '#jp-main-statusbar .jp-Labbook-status'
    );
    expect(f.browser.errors()).toEqual([]);
  });

  it('runs print(1+1) on a Python kernel and shows 2', async () => {
    const id = await f.lab.openNotebook('hello.ipynb', ['']);
    const output = await f.lab.runCell(id, 0, 'print(1+1)');
    expect(output).toBe('2');
    expect(f.browser.errors()).toEqual([]);
  });

  it('opens the Labbook panel from its icon in the left bar', async () => {
    await f.lab.command('application:toggle-left-area'); // collapse whatever is open
    await f.lab.clickLabbookTab();
    await expect(
      f.browser.page
        .locator('#jp-labbook-panel .jp-Labbook-panelHeader')
        .innerText()
    ).resolves.toMatch(/labbook/i);
  });

  it('opens the Labbook panel from the command palette', async () => {
    const page = f.browser.page;
    await page.click('.jp-SideBar.jp-mod-left li[data-id="filebrowser"]');
    await page.waitForSelector('#jp-labbook-panel', { state: 'hidden' });
    await page.keyboard.press('Control+Shift+C');
    const input = page.locator('.lm-CommandPalette-input');
    await input.waitFor({ state: 'visible' });
    await input.fill('Open Labbook Panel');
    const item = page.locator('.lm-CommandPalette-item', {
      hasText: 'Open Labbook Panel'
    });
    await item.first().waitFor();
    // Listed under the "Labbook" category (the modal palette hides headers).
    const headers = await page
      .locator('.lm-CommandPalette-header')
      .allTextContents();
    expect(headers.map(h => h.trim())).toContain('Labbook');
    await item.first().click();
    await page.waitForSelector('#jp-labbook-panel:visible');
  });

  it('has a Labbook menu in the menu bar that opens the panel', async () => {
    const page = f.browser.page;
    await page.click('.jp-SideBar.jp-mod-left li[data-id="filebrowser"]');
    await page.waitForSelector('#jp-labbook-panel', { state: 'hidden' });
    await page.click('.lm-MenuBar-item:has-text("Labbook")');
    const menu = page.locator('.lm-Menu:visible');
    const labels = await menu.locator('.lm-Menu-itemLabel').allInnerTexts();
    expect(labels).toEqual(
      expect.arrayContaining([
        'Open Labbook Panel',
        'Open Runs Table',
        'Start Experiment',
        'Stop Experiment',
        'Take Notebook Snapshot',
        'Insert Experiment Panel',
        'Refresh Experiments'
      ])
    );
    await menu.locator('.lm-Menu-item:has-text("Open Labbook Panel")').click();
    await page.waitForSelector('#jp-labbook-panel:visible');
  });

  it('applies the dark theme to the Labbook panel', async () => {
    const page = f.browser.page;
    const background = () =>
      page.evaluate(() => {
        const el = document.querySelector('#jp-labbook-panel')!;
        return getComputedStyle(el).backgroundColor;
      });
    const light = await background();
    await f.lab.command('apputils:change-theme', { theme: 'JupyterLab Dark' });
    await page.waitForFunction(
      () => document.body.dataset.jpThemeLight === 'false'
    );
    await page.waitForFunction(
      before =>
        getComputedStyle(document.querySelector('#jp-labbook-panel')!)
          .backgroundColor !== before,
      light
    );
    const dark = await background();
    expect(luminance(light)).toBeGreaterThan(0.7);
    expect(luminance(dark)).toBeLessThan(0.3);

    await page.waitForSelector('#jupyterlab-splash', { state: 'detached' });
    await page.screenshot({
      path: join(ROOT, 'test-results', 'dark-theme.png')
    });
    await f.lab.command('apputils:change-theme', { theme: 'JupyterLab Light' });
    await page.waitForFunction(
      () => document.body.dataset.jpThemeLight === 'true'
    );
    expect(f.browser.errors()).toEqual([]);
  });

  it('restores the open Labbook panel after a reload', async () => {
    const page = f.browser.page;
    await f.lab.command('labbook:open-panel');
    await page.waitForSelector('#jp-labbook-panel:visible');
    // Let the layout restorer save the workspace, then reload without ?reset.
    await page.waitForTimeout(1500);
    const url = new URL(page.url());
    url.searchParams.delete('reset');
    await page.goto(url.toString());
    await f.lab.waitForApp();
    await page.waitForSelector('#jp-labbook-panel:visible');
    expect(f.browser.errors()).toEqual([]);
  });
});

/** Relative luminance (0..1) of a CSS rgb() colour. */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/**
 * README command one: `npm start` (scripts/start.mjs) prints a URL that
 * serves JupyterLab with Labbook and the demo notebook, ready to run.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IBrowser, launchBrowser } from './harness/browser';
import { ROOT, serverApi, shutdownKernels } from './harness/server';

describe('npm start', () => {
  let child: ChildProcess | undefined;
  let browser: IBrowser | undefined;
  const workspace = mkdtempSync(join(tmpdir(), 'labbook-start-'));

  let url = '';

  afterAll(async () => {
    await browser?.close();
    // Kernels first (they run in their own sessions), then npm start and
    // the server it runs (one process group).
    const m = /^(http:\/\/[^/]+)\/.*[?&]token=(\w+)/.exec(url);
    if (m) {
      await shutdownKernels(serverApi(m[1], m[2]));
    }
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise(r => child!.once('exit', r));
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise(r => setTimeout(r, 15_000))]);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone
      }
    }
    rmSync(workspace, { recursive: true, force: true });
  });

  it('prints a URL serving JupyterLab with Labbook and the demo notebook', async () => {
    const started = Date.now();
    child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], {
      cwd: ROOT,
      env: { ...process.env, LABBOOK_WORKSPACE: workspace },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so teardown reaches the server it starts.
      detached: true
    });
    let out = '';
    const stamp = (d: Buffer) =>
      String(d)
        .split('\n')
        .filter(l => l.trim())
        .map(l => `${((Date.now() - started) / 1000).toFixed(1)}s ${l}\n`)
        .join('');
    child.stderr!.on('data', d => (out += stamp(d)));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no URL in 60 s:\n${out}`)),
        60_000
      );
      child!.stdout!.on('data', d => {
        out += stamp(d);
        const m = /Labbook is ready: (http:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(
          out
        );
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child!.once('exit', code =>
        reject(new Error(`start exited (${code}):\n${out}`))
      );
    });
    // The suite built everything already, so this is the "second run".
    expect(Date.now() - started, out).toBeLessThan(10_000);

    browser = await launchBrowser();
    const page = browser.page;
    await page.goto(url);
    await page.waitForFunction(() => (window as any).jupyterapp?.restored);
    await page.evaluate(() => (window as any).jupyterapp.restored);
    // The demo notebook is open with its training loop, and Labbook is there.
    await page.waitForSelector(
      '.jp-NotebookPanel .jp-Cell .cm-content:has-text("for epoch in range(epochs)")'
    );
    await page.waitForSelector('#jp-main-statusbar .jp-Labbook-status');
    expect(browser.errors()).toEqual([]);
  });

  it('runs the demo as a new user would: a live chart inline, metrics and an image stored', async () => {
    const page = browser!.page;
    // Run ▸ Run All Cells, once the demo's kernel is up.
    await page.evaluate(async () => {
      const app = (window as any).jupyterapp;
      const nb = app.shell.currentWidget;
      await nb.sessionContext.ready;
      await app.commands.execute('notebook:run-all-cells', {
        widgetId: nb.id
      });
    });
    // labbook.display() shows the experiment in the notebook, charted as
    // the loop logs, and finished when the last cell ends it.
    const frame = page.frameLocator('.jp-Labbook-inlineFrame');
    await expect
      .poll(() => frame.locator('h1').innerText(), { timeout: 60_000 })
      .toMatch(/^demo lr=0\.1\s*finished$/);
    const loss = frame.locator('.chart', { hasText: 'loss' }).first();
    await expect(loss.locator('.muted').innerText()).resolves.toMatch(
      / · 200 points$/
    );
    await loss.locator('svg path').waitFor({ state: 'attached' });
    expect(await frame.locator('.chart .name').allInnerTexts()).toEqual(
      expect.arrayContaining(['loss', 'weight_error'])
    );
    // The figure is in the store, with its record.
    const root = join(workspace, 'labbook', 'experiments');
    const [id] = readdirSync(root);
    const images = readdirSync(join(root, id, 'images'));
    expect(images.length).toBe(1);
    const record = JSON.parse(
      readFileSync(join(root, id, 'images', images[0]), 'utf8')
    );
    expect(record.images.map((i: any) => [i.name, i.mime, i.step])).toEqual([
      ['fit', 'image/png', 200]
    ]);
    expect(browser!.errors()).toEqual([]);
  });
});

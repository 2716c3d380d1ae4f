/**
 * README command one: `npm start` (scripts/start.mjs) prints a URL that
 * serves JupyterLab with Labbook and the demo notebook, ready to run.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
});

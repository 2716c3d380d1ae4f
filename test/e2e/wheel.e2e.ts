/**
 * Issue 18, part 1: Labbook installed the way JupyterLab users install an
 * extension. The wheel `npm run build:python` makes is pip-installed (no
 * index) into a fresh virtual environment; the development JupyterLab, run
 * by that environment's Python and pointed at an empty folder instead of the
 * checkout's .cache/labextensions, finds Labbook only through the
 * environment's share/jupyter/labextensions. Uninstalling removes it.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IBrowser, launchBrowser } from './harness/browser';
import { Lab } from './harness/lab';
import { IServer, PYTHON, ROOT, startServer } from './harness/server';

function run(cmd: string, args: string[]): string {
  const result = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`
    );
  }
  return result.stdout;
}

describe('the pip-installable wheel', () => {
  const base = mkdtempSync(join(tmpdir(), 'labbook-wheel-'));
  const dist = join(base, 'dist');
  const venv = join(base, 'venv');
  const python = join(venv, 'bin', 'python');
  const installed = join(
    venv,
    'share',
    'jupyter',
    'labextensions',
    'jupyterlab-labbook'
  );
  // Where the dev server looks besides the Python's own paths: empty here.
  const noExtensions = join(base, 'no-labextensions');
  let browser: IBrowser;
  let server: IServer | undefined;
  let wheel = '';

  beforeAll(async () => {
    mkdirSync(noExtensions);
    run(process.execPath, [
      join(ROOT, 'scripts', 'build-python.mjs'),
      '--reuse',
      '--outdir',
      dist
    ]);
    wheel = readdirSync(dist).find(n => n.endsWith('-py3-none-any.whl')) ?? '';
    run(PYTHON, ['-m', 'venv', '--system-site-packages', venv]);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await browser?.close();
    rmSync(base, { recursive: true, force: true });
  });

  async function labbookPlugins(): Promise<string[]> {
    server = await startServer({
      python,
      env: { LABBOOK_LABEXTENSIONS: noExtensions }
    });
    const lab = new Lab(browser.page, server);
    await lab.open();
    return browser.page.evaluate(() =>
      (window as any).jupyterapp
        .listPlugins()
        .filter((id: string) => id.startsWith('jupyterlab-labbook:'))
    );
  }

  it('builds a wheel and an sdist named after the package version', () => {
    const version = JSON.parse(
      run(PYTHON, [
        '-c',
        'import json;print(json.dumps(json.load(open("package.json"))["version"]))'
      ])
    );
    expect(wheel).toBe(`jupyterlab_labbook-${version}-py3-none-any.whl`);
    expect(readdirSync(dist)).toContain(`jupyterlab_labbook-${version}.tar.gz`);
  });

  it('pip installs into a fresh environment, and JupyterLab finds Labbook there', async () => {
    run(python, [
      '-m',
      'pip',
      'install',
      '--no-index',
      '--no-deps',
      '--quiet',
      join(dist, wheel)
    ]);
    expect(existsSync(join(installed, 'install.json'))).toBe(true);
    expect(existsSync(join(installed, 'package.json'))).toBe(true);
    // The module for training scripts comes from the environment too.
    const where = run(python, [
      '-c',
      'import labbook; print(labbook.__file__)'
    ]);
    expect(where.trim().startsWith(venv)).toBe(true);

    const plugins = await labbookPlugins();
    expect(plugins).toContain('jupyterlab-labbook:panel');
    await new Lab(browser.page, server!).clickLabbookTab();
    await expect(
      browser.page
        .locator('#jp-labbook-panel .jp-Labbook-panelHeader')
        .innerText()
    ).resolves.toMatch(/labbook/i);
    expect(browser.errors()).toEqual([]);
    await server!.stop();
    server = undefined;
  });

  it('pip uninstall removes it', async () => {
    run(python, [
      '-m',
      'pip',
      'uninstall',
      '--yes',
      '--quiet',
      'jupyterlab-labbook'
    ]);
    expect(existsSync(installed)).toBe(false);
    expect(await labbookPlugins()).toEqual([]);
  });
});

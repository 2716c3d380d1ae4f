/**
 * Issue 18, part 2: training scripts run outside a notebook
 * (`python train.py`, the labbook module's script mode) write into the
 * server's store themselves, and the open panel shows them live, marked as
 * script runs: charts grow while the script runs, the run ends finished,
 * or failed with its traceback; scripts and a notebook logging at once
 * lose nothing.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeStoreFS } from '../../src/core/node/nodefs';
import { LabbookStore } from '../../src/core/store/store';
import { useLab } from './harness/fixture';
import { PYTHON, ROOT } from './harness/server';

const PANEL = '#jp-labbook-panel';
const PNG =
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4b40000000049454e44ae426082';

describe('training scripts outside a notebook', () => {
  const f = useLab();

  function script(name: string, lines: string[]): string {
    const path = join(f.server.root, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  }

  function run(
    path: string,
    ...args: string[]
  ): ChildProcess & {
    done: Promise<number | null>;
    stderr: () => string;
  } {
    const child = spawn(PYTHON, [path, ...args], {
      cwd: f.server.root,
      env: {
        ...process.env,
        PYTHONPATH: join(ROOT, 'src', 'kernel'),
        LABBOOK_STORE: join(f.server.root, 'labbook'),
        LABBOOK_QUIET: '1'
      },
      stdio: ['ignore', 'ignore', 'pipe']
    });
    let err = '';
    child.stderr!.on('data', d => (err += d));
    const done = new Promise<number | null>(r =>
      child.once('exit', code => r(code))
    );
    return Object.assign(child, { done, stderr: () => err });
  }

  const row = (name: string) =>
    f.browser.page
      .locator(`${PANEL} .jp-Labbook-row[data-id]`)
      .filter({ hasText: name });

  const chartPoints = () =>
    f.browser.page.evaluate(() =>
      [
        ...document.querySelectorAll(
          '#jp-labbook-panel .jp-Labbook-metricChart'
        )
      ]
        .map(n => (n as HTMLElement).dataset.points)
        .join(',')
    );

  it('shows a script run live while it logs 100,000 points and an image, then finished', async () => {
    await f.lab.open();
    await f.lab.command('labbook:open-panel');
    const go = join(f.server.root, 'go');
    const path = script('train.py', [
      'import os, time, labbook',
      'labbook.log_params({"lr": 0.01})',
      'for i in range(50000):',
      '    labbook.log("loss", 1.0 / (i + 1), step=i)',
      // Halfway, wait for the test: the chart must show the first half live.
      `while not os.path.exists(${JSON.stringify(go)}):`,
      '    time.sleep(0.05)',
      'for i in range(50000, 100000):',
      '    labbook.log("loss", 1.0 / (i + 1), step=i)',
      `labbook.log_image("sample", bytes.fromhex("${PNG}"), step=1)`
    ]);
    const proc = run(path, '--epochs', '2');
    const r = row('train.py');
    await r.locator('.jp-Labbook-badge.jp-mod-running').waitFor();
    await r.locator('.jp-Labbook-badge.jp-mod-script').waitFor();
    await r.click();
    await f.browser.page.waitForFunction(
      () =>
        (
          document.querySelector(
            '#jp-labbook-panel .jp-Labbook-metricChart'
          ) as HTMLElement | null
        )?.dataset.points === '50000',
      null,
      { timeout: 30_000 }
    );
    expect(proc.exitCode).toBe(null); // shown while the script still runs
    await expect(
      f.browser.page
        .locator(`${PANEL} .jp-Labbook-detail .jp-Labbook-badge.jp-mod-script`)
        .getAttribute('title')
    ).resolves.toContain('train.py --epochs 2');
    writeFileSync(go, '');
    expect(await proc.done, proc.stderr()).toBe(0);
    await expect.poll(chartPoints, { timeout: 30_000 }).toBe('100000');
    await f.browser.page
      .locator(`${PANEL} .jp-Labbook-detail .jp-Labbook-badge.jp-mod-finished`)
      .waitFor({ timeout: 30_000 });
    await f.browser.page
      .locator(`${PANEL} .jp-Labbook-image`)
      .waitFor({ timeout: 30_000 });
    expect(f.browser.errors()).toEqual([]);
  });

  it('ends a script that raises failed, with its traceback', async () => {
    await f.lab.command('labbook:show-experiment', { id: null });
    const path = script('broken.py', [
      'import labbook',
      'labbook.log("loss", 1.0)',
      'def step():',
      '    raise RuntimeError("loss is NaN at step 3")',
      'step()'
    ]);
    const proc = run(path);
    expect(await proc.done).not.toBe(0);
    const r = row('broken.py');
    await r
      .locator('.jp-Labbook-badge.jp-mod-failed')
      .waitFor({ timeout: 30_000 });
    await r.click();
    await expect(
      f.browser.page
        .locator(`${PANEL} .jp-Labbook-detail .jp-Labbook-reason`)
        .innerText()
    ).resolves.toBe('RuntimeError: loss is NaN at step 3');
    await expect
      .poll(() =>
        f.browser.page
          .locator(`${PANEL} .jp-Labbook-textBody`)
          .allInnerTexts()
          .then(t => t.join('\n'))
      )
      .toMatch(/in step\n[\s\S]*RuntimeError: loss is NaN at step 3/);
  });

  it('two scripts and a notebook logging at once lose nothing', async () => {
    await f.lab.command('labbook:show-experiment', { id: null });
    const nb = await f.lab.openNotebook('nb.ipynb', ['']);
    const path = script('sweep.py', [
      'import sys, time, labbook',
      'labbook.set_name(sys.argv[1])',
      'for i in range(20000):',
      '    labbook.log("x", float(i), step=i)',
      '    if i % 2000 == 0:',
      '        time.sleep(0.1)'
    ]);
    await f.lab.startCell(
      nb,
      0,
      [
        'import labbook, time',
        'for i in range(3000):',
        '    labbook.log("y", float(i), step=i)',
        '    if i % 300 == 0:',
        '        time.sleep(0.1)'
      ].join('\n')
    );
    const procs = [run(path, 'run-a'), run(path, 'run-b')];
    expect(await Promise.all(procs.map(p => p.done))).toEqual([0, 0]);
    await f.browser.page.evaluate(
      id => (window as any).__labbookRuns?.[id],
      nb
    );
    for (const name of ['run-a', 'run-b']) {
      await row(name)
        .locator('.jp-Labbook-badge.jp-mod-finished')
        .waitFor({ timeout: 30_000 });
    }
    await row('nb.ipynb').waitFor();
    // Every point, once, in the store the panel reads.
    const store = new LabbookStore({
      fs: new NodeStoreFS(join(f.server.root, 'labbook'))
    });
    const points = async (name: string, metric: string) => {
      const { experiments } = await store.listExperiments();
      const e = experiments.find(x => x.name === name || x.notebook === name)!;
      const { series } = await store.loadMetrics(e.id);
      return series
        .filter(s => s.name === metric)
        .flatMap(s => Array.from(s.steps))
        .sort((a, b) => a - b);
    };
    const range = (n: number) => Array.from({ length: n }, (_, i) => i);
    await expect.poll(() => points('nb.ipynb', 'y')).toEqual(range(3000));
    expect(await points('run-a', 'x')).toEqual(range(20000));
    expect(await points('run-b', 'x')).toEqual(range(20000));
  });
});

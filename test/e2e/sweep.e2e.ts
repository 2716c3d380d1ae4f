/**
 * Issue 7, "done when", end to end: a real notebook runs a sweep of 300
 * experiments through the kernel API (`labbook.start()` / `labbook.end()`,
 * different params each); two more runs follow, one after the notebook was
 * edited and one after a package was installed and the kernel restarted.
 * The user tags some experiments in bulk, runs the query, saves it
 * as a view, reloads the page and finds the view, then compares 5 runs:
 * differing params marked, metrics overlaid, the package difference and the
 * notebook diff of two snapshots.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeStoreFS } from '../../src/core/node/nodefs';
import { LabbookStore } from '../../src/core/store/store';
import { useLab } from './harness/fixture';

const PANEL = '#jp-labbook-panel';
const ROWS = `${PANEL} .jp-Labbook-listRows .jp-Labbook-row[data-id]`;
const VIEW = '.jp-Labbook-comparePanel:visible .jp-Labbook-compare';
const QUERY =
  '(params.lr < 0.01 or tags = "baseline") and not status = "failed"';
const RUNS = Number(process.env.LABBOOK_SWEEP_RUNS ?? 300);
const LRS = [0.001, 0.003, 0.01, 0.03, 0.1];

/** What the sweep logs for run i (the same formulas as the notebook's). */
const lrOf = (i: number) => LRS[i % 5];
const failed = (i: number) => i % 7 === 0;

describe('a sweep of 300 experiments, organised and compared', () => {
  const f = useLab();
  const store = () =>
    new LabbookStore({ fs: new NodeStoreFS(join(f.server.root, 'labbook')) });

  /** Ids of the experiments named `name`, from the store on disk. */
  const idsNamed = async (...names: string[]) => {
    const { experiments } = await store().listExperiments();
    return names.map(n => experiments.find(e => e.name === n)!.id);
  };

  it('runs the sweep, tags, queries, keeps the view across a reload and compares five runs', async () => {
    await f.lab.open();
    const page = f.browser.page;
    const id = await f.lab.openNotebook('sweep.ipynb', [
      [
        'import labbook',
        `LRS = ${JSON.stringify(LRS)}`,
        `for i in range(${RUNS}):`,
        '    lr, batch = LRS[i % 5], [16, 32, 64][i % 3]',
        '    labbook.start(f"run {i:03d}")',
        '    labbook.log_params({"lr": lr, "batch": batch, "model": "mlp"})',
        '    for step in range(20):',
        '        labbook.log({"loss": 1 / (step + 1) + lr, "val_acc": 1 - lr - 1 / (step + 2)}, step=step)',
        '    labbook.end("failed" if i % 7 == 0 else "finished")',
        'print("swept")'
      ].join('\n'),
      ''
    ]);
    const t0 = Date.now();
    // The cell ends before the store has every run: the tab catches up.
    expect(await f.lab.runCell(id, 0)).toBe('swept');
    await expect
      .poll(
        async () => {
          const { experiments } = await store().listExperiments();
          return experiments.filter(
            e => /^run \d{3}$/.test(e.name) && e.status !== 'running'
          ).length;
        },
        { timeout: 360_000, interval: 2000 }
      )
      .toBe(RUNS);
    console.log(`sweep of ${RUNS} stored after ${Date.now() - t0} ms`);

    // One more run after the notebook was edited (its snapshot differs) ...
    await f.lab.runCell(
      id,
      1,
      [
        'labbook.start("edited")',
        'labbook.log_params({"lr": 0.002, "batch": 128, "model": "mlp"})',
        'for step in range(20):',
        '    labbook.log({"loss": 0.5 / (step + 1), "val_acc": 0.9 + step / 1000}, step=step)',
        'labbook.end()'
      ].join('\n')
    );
    await expect
      .poll(
        async () => {
          const { experiments } = await store().listExperiments();
          const e = experiments.find(x => x.name === 'edited');
          return [e?.status, e?.params?.lr];
        },
        { timeout: 60_000 }
      )
      .toEqual(['finished', 0.002]);
    // ... and one after a package was installed and the kernel restarted,
    // so its environment (collected by the kernel module) has it.
    const dist = join(f.server.root, 'labbookdemo-1.2.3.dist-info');
    mkdirSync(dist, { recursive: true });
    writeFileSync(
      join(dist, 'METADATA'),
      'Metadata-Version: 2.1\nName: labbookdemo\nVersion: 1.2.3\n'
    );
    await page.evaluate(async panelId => {
      const app = (window as any).jupyterapp;
      const panel = [...app.shell.widgets('main')].find(
        (w: any) => w.id === panelId
      );
      await panel.sessionContext.session.kernel.restart();
    }, id);
    await f.lab.waitForKernelIdle(id);
    await f.lab.runCell(
      id,
      1,
      [
        'import labbook',
        'labbook.start("after install")',
        'labbook.log_params({"lr": 0.002, "batch": 256, "model": "mlp"})',
        'for step in range(20):',
        '    labbook.log({"loss": 0.4 / (step + 1), "val_acc": 0.91 + step / 1000}, step=step)',
        'labbook.end()'
      ].join('\n')
    );
    const [edited, installed] = await expect
      .poll(
        async () => {
          const { experiments } = await store().listExperiments();
          const done = experiments.filter(
            e =>
              (e.name === 'edited' || e.name === 'after install') &&
              e.status === 'finished'
          );
          return done.length;
        },
        { timeout: 60_000 }
      )
      .toBe(2)
      .then(() => idsNamed('edited', 'after install'));
    await expect
      .poll(
        async () =>
          (await store().loadEnvironment(installed))?.packages?.labbookdemo,
        { timeout: 60_000 }
      )
      .toBe('1.2.3');

    // The panel lists all 302.
    await f.lab.command('labbook:refresh');
    await f.lab.command('labbook:open-panel');
    const count = page.locator(`${PANEL} .jp-Labbook-matchCount`);
    await expect.poll(() => count.innerText()).toBe(`${RUNS + 2} experiments`);

    // Tag the first three rows of "run 0[0-9][0-9]" with lr = 0.1 as
    // baseline, in bulk.
    const query = page.locator(`${PANEL} .jp-Labbook-query`);
    await query.fill('name ~ "run 0" and params.lr = 0.1');
    const wanted = Array.from(
      { length: Math.min(100, RUNS) },
      (_, i) => i
    ).filter(i => lrOf(i) === 0.1).length;
    await expect.poll(() => count.innerText()).toBe(`${wanted} of ${RUNS + 2}`);
    const rows = page.locator(ROWS);
    for (let k = 0; k < 3; k++) {
      await rows.nth(k).locator('.jp-Labbook-rowCheck').click();
    }
    const tagged = await rows
      .locator('.jp-Labbook-rowName')
      .evaluateAll(nodes => nodes.slice(0, 3).map(n => n.textContent!));
    await page.click(`${PANEL} .jp-Labbook-bulkAddTag`);
    await page.waitForSelector('.jp-Dialog');
    await page.fill('.jp-Dialog input', 'baseline');
    await page.click('.jp-Dialog .jp-mod-accept');
    await page.waitForSelector('.jp-Dialog', { state: 'detached' });
    await expect
      .poll(async () => {
        const { experiments } = await store().listExperiments();
        return experiments
          .filter(e => e.tags.includes('baseline'))
          .map(e => e.name)
          .sort();
      })
      .toEqual([...tagged].sort());

    // The query: exactly the runs it means.
    const taggedIdx = new Set(tagged.map(n => Number(n.slice(4))));
    let expected = 2; // "edited" and "after install": lr 0.002, finished
    for (let i = 0; i < RUNS; i++) {
      if ((lrOf(i) < 0.01 || taggedIdx.has(i)) && !failed(i)) {
        expected++;
      }
    }
    await page.click(`${PANEL} .jp-Labbook-bulkClear`);
    await query.fill(QUERY);
    await expect
      .poll(() => count.innerText())
      .toBe(`${expected} of ${RUNS + 2}`);

    // Saved as a view; after a reload the view is there and means the same.
    await page.click(`${PANEL} .jp-Labbook-saveView`);
    await page.waitForSelector('.jp-Dialog');
    await page.fill('.jp-Dialog input', 'small lr or baseline');
    await page.click('.jp-Dialog .jp-mod-accept');
    await page.waitForSelector('.jp-Dialog', { state: 'detached' });
    await f.lab.reload();
    await f.lab.command('labbook:open-panel');
    await expect.poll(() => count.innerText()).toBe(`${RUNS + 2} experiments`);
    await page.waitForSelector(
      `${PANEL} .jp-Labbook-viewSelect option:nth-child(2)`,
      { state: 'attached' }
    );
    await page.selectOption(`${PANEL} .jp-Labbook-viewSelect`, {
      label: 'small lr or baseline'
    });
    await expect(page.inputValue(`${PANEL} .jp-Labbook-query`)).resolves.toBe(
      QUERY
    );
    await expect
      .poll(() => count.innerText())
      .toBe(`${expected} of ${RUNS + 2}`);

    // Compare five: the two late runs and three of the sweep.
    const [r1, r2, r3] = await idsNamed('run 001', 'run 002', 'run 003');
    await f.lab.command('labbook:compare', {
      ids: [edited, installed, r1, r2, r3]
    });
    const runs = page.locator(`${VIEW} .jp-Labbook-compareRun`);
    await expect.poll(() => runs.count()).toBe(5);
    // Params: lr and batch differ, model does not.
    const params = page.locator(`${VIEW} .jp-Labbook-compareParams tbody tr`);
    await expect
      .poll(() =>
        params.evaluateAll(trs =>
          trs.map(
            r =>
              `${(r as HTMLElement).dataset.name}:${r.classList.contains('jp-mod-differs')}`
          )
        )
      )
      .toEqual(['batch:true', 'lr:true', 'model:false']);
    // Metrics overlaid: one chart per metric, five lines each.
    const charts = page.locator(`${VIEW} .jp-Labbook-metricChart`);
    await expect.poll(() => charts.count()).toBe(2);
    await expect(
      charts.evaluateAll(cs => cs.map(c => (c as HTMLElement).dataset.lines))
    ).resolves.toEqual(['5', '5']);
    // The package installed between the two late runs.
    await expect
      .poll(() =>
        page
          .locator(
            `${VIEW} .jp-Labbook-envDiff[data-id="${installed}"] .jp-Labbook-envPackage[data-name="labbookdemo"]`
          )
          .innerText()
      )
      .toMatch(/labbookdemo.*1\.2\.3/);
    // The notebook diff of the edited run's snapshot and a sweep run's.
    const pair = page.locator(`${VIEW} .jp-Labbook-nbPair[data-id="${r1}"]`);
    await pair.locator('.jp-Labbook-nbDiff').click();
    const diff = page.locator('.jp-Labbook-diffPanel:visible .jp-Labbook-diff');
    await diff.waitFor();
    await expect(
      diff.locator('.jp-Labbook-diffSummary').innerText()
    ).resolves.toMatch(/^[12] modified/);
    expect(f.browser.errors()).toEqual([]);
  }, 540_000);
});

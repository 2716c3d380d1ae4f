/**
 * Issue 7, the runs table and saved views: 300 experiments written on disk
 * (params lr/batch/model, metrics val_acc/loss, some tagged baseline, some
 * failed, some archived, one with a hostile name) shown in the table;
 * columns added, sorted, queried, grouped, exported as CSV; a view saved,
 * found again after a reload; rows selected to compare; only a fraction of
 * the rows in the page at a time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/core/format/number';
import { NodeStoreFS } from '../../src/core/node/nodefs';
import { LabbookStore } from '../../src/core/store/store';
import { useLab } from './harness/fixture';

const XSS = '<img src=x onerror=alert(1)>';
const RUNS = '#labbook-runs';
const N = 300;

interface IRun {
  id: string;
  name: string;
  lr: number;
  batch: number;
  model: string;
  tags: string[];
  failed: boolean;
  archived: boolean;
  valAcc: number;
}

/** Run `i` of the fixture: deterministic, val_acc distinct per run. */
function spec(i: number): Omit<IRun, 'id'> {
  const tags: string[] = [];
  if (i % 7 === 0) {
    tags.push('baseline');
  }
  if (i % 11 === 0) {
    tags.push(XSS);
  }
  return {
    name: i === 42 ? XSS : `run ${i}`,
    lr: [0.001, 0.003, 0.01, 0.03, 0.1][i % 5],
    batch: [16, 32, 64][i % 3],
    model: ['mlp', 'cnn', 'resnet', 'vit'][i % 4],
    tags,
    failed: i % 13 === 0,
    archived: i % 17 === 0,
    valAcc: 0.5 + ((i * 37) % N) / 1000
  };
}

async function writeRuns(root: string): Promise<IRun[]> {
  const store = new LabbookStore({ fs: new NodeStoreFS(root) });
  const t0 = Date.parse('2026-03-01T09:00:00Z');
  const runs: IRun[] = [];
  for (let start = 0; start < N; start += 25) {
    const batch = Array.from(
      { length: Math.min(25, N - start) },
      (_, k) => start + k
    );
    runs.push(
      ...(await Promise.all(
        batch.map(async i => {
          const s = spec(i);
          const started = new Date(t0 + i * 60_000);
          const e = await store.createExperiment({
            name: s.name,
            notebook: 'runs/train.ipynb',
            kernel: { name: 'python3', language: 'python' },
            tags: s.tags,
            status: s.failed ? 'failed' : 'finished',
            started: started.toISOString(),
            ended: new Date(started.getTime() + 30_000 + i).toISOString()
          });
          await store.updateExperiment(e.id, {
            params: { lr: s.lr, batch: s.batch, model: s.model },
            ...(s.archived ? { archived: true } : {})
          });
          const steps = [0, 1, 2];
          await store.appendMetrics(e.id, [
            {
              name: 'val_acc',
              steps,
              times: steps.map(k => started.getTime() + k * 1000),
              values: [s.valAcc / 2, s.valAcc - 0.1, s.valAcc]
            },
            {
              name: 'loss',
              steps,
              times: steps.map(k => started.getTime() + k * 1000),
              values: [1, 0.5, 1 - s.valAcc]
            }
          ]);
          return { id: e.id, ...s };
        })
      ))
    );
  }
  // No index: the app rebuilds it from the folders (the panel shows how far).
  return runs;
}

describe('the runs table', () => {
  const f = useLab();

  it('shows, sorts, filters, groups, exports and saves views of 300 experiments', async () => {
    const runs = await writeRuns(join(f.server.root, 'labbook'));
    await f.lab.open();
    const page = f.browser.page;
    // A store without an index (written by an older Labbook, or the index
    // deleted): the panel says the index is being rebuilt and how far it
    // got, not "No experiments yet", then lists them.
    await f.lab.command('labbook:open-panel');
    const progress: string[] = [];
    for (let i = 0; i < 600; i++) {
      const text = await page
        .locator('#jp-labbook-panel .jp-Labbook-list .jp-Labbook-empty')
        .evaluate(e =>
          (e as HTMLElement).hidden ? '' : (e.textContent ?? '')
        );
      if (text) {
        progress.push(text);
      }
      if (await page.locator('#jp-labbook-panel .jp-Labbook-row').count()) {
        break;
      }
      await page.waitForTimeout(50);
    }
    expect(
      progress.some(p =>
        /^Rebuilding the store index: \d+ of 300 experiments read/.test(p)
      )
    ).toBe(true);
    expect(progress.some(p => /No experiments yet/.test(p))).toBe(false);
    const dialogs: string[] = [];
    page.on('dialog', d => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await f.lab.command('labbook:refresh');
    await f.lab.command('labbook:open-runs');
    const table = page.locator(RUNS);
    const count = table.locator('.jp-Labbook-runsCount');
    const shown = runs.filter(r => !r.archived);
    await expect
      .poll(() => count.getAttribute('data-count'))
      .toBe(String(shown.length));

    // Virtualised: a fraction of the rows in the page. The default columns
    // show the params that vary (all three here) and the metrics logged.
    const rowsInDom = () => table.locator('.jp-Labbook-runsRow').count();
    expect(await rowsInDom()).toBeGreaterThan(10);
    expect(await rowsInDom()).toBeLessThan(80);
    const headKeys = () =>
      table
        .locator('.jp-Labbook-runsHeadCell')
        .evaluateAll(cells => cells.map(c => (c as HTMLElement).dataset.key));
    await expect(headKeys()).resolves.toEqual([
      'name',
      'status',
      'started',
      'duration',
      'tags',
      'params.batch',
      'params.lr',
      'params.model',
      'metrics.loss',
      'metrics.val_acc'
    ]);
    // Numbers read short; the full value is on hover.
    const newest = runs.filter(r => !r.archived).at(-1)!;
    const loss = table.locator(
      `.jp-Labbook-runsRow[data-id="${newest.id}"] [data-key="metrics.loss"]`
    );
    await expect(loss.innerText()).resolves.toBe(
      formatNumber(1 - newest.valAcc)
    );
    await expect(loss.getAttribute('title')).resolves.toBe(
      String(1 - newest.valAcc)
    );
    // Scrolled to the end: the oldest experiment (run 1) is drawn, still few rows.
    await table
      .locator('.jp-Labbook-runsScroller')
      .evaluate(n => (n.scrollTop = n.scrollHeight));
    await table
      .locator(`.jp-Labbook-runsRow[data-id="${runs[1].id}"]`)
      .waitFor();
    expect(await rowsInDom()).toBeLessThan(80);

    // Columns: three removed in the picker, metrics.val_acc removed and
    // added back (at the end).
    await table.locator('.jp-Labbook-runsColumnsButton').click();
    for (const key of [
      'params.batch',
      'params.model',
      'metrics.val_acc',
      'metrics.loss'
    ]) {
      await table
        .locator(
          `.jp-Labbook-runsPickerItem[data-key="${key}"] button[aria-label="Remove column"]`
        )
        .click();
    }
    const add = table.locator('.jp-Labbook-runsAddColumn');
    await add.selectOption('metrics.val_acc');
    await expect
      .poll(headKeys)
      .toEqual([
        'name',
        'status',
        'started',
        'duration',
        'tags',
        'params.lr',
        'metrics.val_acc'
      ]);
    await table.locator('.jp-Labbook-runsColumnsButton').click();

    // Sort by val_acc, descending (second click).
    const accHead = table.locator(
      '.jp-Labbook-runsHeadCell[data-key="metrics.val_acc"]'
    );
    await accHead.click();
    await accHead.click();
    await expect(accHead.getAttribute('aria-sort')).resolves.toBe('descending');
    const best = [...shown].sort((a, b) => b.valAcc - a.valAcc)[0];
    const firstRow = table.locator('.jp-Labbook-runsRow').first();
    await expect.poll(() => firstRow.getAttribute('data-id')).toBe(best.id);
    await expect(
      firstRow.locator('[data-key="metrics.val_acc"]').getAttribute('title')
    ).resolves.toBe(String(best.valAcc));

    // A query error keeps the rows and offers the fix.
    const query = table.locator('.jp-Labbook-runsQuery');
    await query.fill('parms.lr < 0.01');
    await table.locator('.jp-Labbook-runsErrorFix').waitFor();
    await expect(
      table.locator('.jp-Labbook-runsErrorQuery mark').innerText()
    ).resolves.toBe('parms');
    expect(await count.getAttribute('data-count')).toBe(String(shown.length));
    await table.locator('.jp-Labbook-runsErrorFix').click();
    await expect(query.inputValue()).resolves.toBe('params.lr < 0.01');
    await expect
      .poll(() => table.locator('.jp-Labbook-runsError').isHidden())
      .toBe(true);

    // The query.
    const text =
      '(params.lr < 0.01 or tags = "baseline") and not status = "failed"';
    await query.fill(text);
    const matching = shown.filter(
      r => (r.lr < 0.01 || r.tags.includes('baseline')) && !r.failed
    );
    await expect
      .poll(() => count.getAttribute('data-count'))
      .toBe(String(matching.length));
    // Still sorted by val_acc.
    const bestMatch = [...matching].sort((a, b) => b.valAcc - a.valAcc)[0];
    await expect
      .poll(() => firstRow.getAttribute('data-id'))
      .toBe(bestMatch.id);

    // Group by params.model: one header per model with its count. Each
    // group is collapsed in turn so the next header comes into view.
    await table.locator('.jp-Labbook-runsGroup').selectOption('params.model');
    const expected = new Map<string, number>();
    for (const r of matching) {
      expected.set(r.model, (expected.get(r.model) ?? 0) + 1);
    }
    for (let k = 0; k < expected.size; k++) {
      const open = table.locator(
        '.jp-Labbook-runsGroupRow[aria-expanded="true"]'
      );
      await open.first().click();
    }
    const groups = await table
      .locator('.jp-Labbook-runsGroupRow')
      .evaluateAll(rows =>
        rows.map(r => [
          r.querySelector('.jp-Labbook-runsGroupLabel')!.textContent,
          Number((r as HTMLElement).dataset.count)
        ])
      );
    expect(groups).toEqual(
      [...expected.keys()]
        .sort()
        .map(m => [`params.model = ${m}`, expected.get(m)])
    );
    expect(await rowsInDom()).toBe(0);
    await table.locator('.jp-Labbook-runsGroup').selectOption('');
    await expect.poll(rowsInDom).toBeGreaterThan(10);

    // CSV export: the rows shown, in order, with the columns shown.
    const download = page.waitForEvent('download');
    await table.locator('.jp-Labbook-runsExportCSV').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('labbook-runs.csv');
    const csv = readFileSync((await file.path())!, 'utf8');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'id,name,status,started,duration,tags,params.lr,metrics.val_acc'
    );
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 2).toBe(matching.length);
    expect(lines[1].startsWith(`${bestMatch.id},`)).toBe(true);

    // A chart of val_acc over the runs shown.
    await table.locator('.jp-Labbook-runsChartAdd').selectOption('val_acc');
    const chart = table.locator('.jp-Labbook-runsChart[data-metric="val_acc"]');
    await expect
      .poll(() => chart.getAttribute('data-points'))
      .toBe(String(matching.length));

    // Save the view.
    await table.locator('.jp-Labbook-runsSaveView').click();
    const dialog = page.locator('.jp-Dialog');
    await dialog.locator('input').fill(`best ${XSS}`);
    await dialog.locator('.jp-Dialog-button.jp-mod-accept').click();
    const viewSelect = table.locator('.jp-Labbook-runsViewSelect');
    await expect.poll(() => viewSelect.getAttribute('data-count')).toBe('1');
    const viewId = await viewSelect.inputValue();
    expect(viewId).toMatch(/^v/);

    // Reload: the view is in the store; picking it restores the table.
    await f.lab.reload();
    await f.lab.command('labbook:open-runs');
    await expect
      .poll(() =>
        page
          .locator(`${RUNS} .jp-Labbook-runsViewSelect`)
          .getAttribute('data-count')
      )
      .toBe('1');
    await expect(
      page.locator(`${RUNS} .jp-Labbook-runsViewSelect option`).allInnerTexts()
    ).resolves.toEqual(['(no saved view)', `best ${XSS}`]);
    await page
      .locator(`${RUNS} .jp-Labbook-runsViewSelect`)
      .selectOption(viewId);
    await expect.poll(() => query.inputValue()).toBe(text);
    await expect
      .poll(headKeys)
      .toEqual([
        'name',
        'status',
        'started',
        'duration',
        'tags',
        'params.lr',
        'metrics.val_acc'
      ]);
    await expect(accHead.getAttribute('aria-sort')).resolves.toBe('descending');
    await expect
      .poll(() => count.getAttribute('data-count'))
      .toBe(String(matching.length));
    await expect
      .poll(() => firstRow.getAttribute('data-id'))
      .toBe(bestMatch.id);

    await expect
      .poll(() => chart.getAttribute('data-points'))
      .toBe(String(matching.length));

    // Select 5 rows: Compare is enabled and opens the compare view on them.
    const compare = table.locator('.jp-Labbook-runsCompare');
    await expect(compare.isDisabled()).resolves.toBe(true);
    const picked: string[] = [];
    for (let k = 0; k < 5; k++) {
      const row = table.locator('.jp-Labbook-runsRow').nth(k);
      picked.push((await row.getAttribute('data-id'))!);
      await row.locator('.jp-Labbook-runsSelect').check();
    }
    await expect(compare.isEnabled()).resolves.toBe(true);
    await expect(compare.innerText()).resolves.toBe('Compare (5)');
    await compare.click();
    const compared = page.locator(
      '.jp-Labbook-comparePanel:visible .jp-Labbook-compareRun'
    );
    await expect
      .poll(() =>
        compared.evaluateAll(items =>
          items.map(i => (i as HTMLElement).dataset.id)
        )
      )
      .toEqual(picked);
    // Back to the runs table.
    await f.lab.command('labbook:open-runs');

    // A row click shows the experiment in the side panel, as text.
    await query.fill(`name = ${JSON.stringify(XSS)}`);
    await expect.poll(() => count.getAttribute('data-count')).toBe('1');
    await expect(
      firstRow.locator('[data-key="name"]').innerText()
    ).resolves.toBe(XSS);
    await firstRow.locator('[data-key="status"]').click();
    await expect
      .poll(() =>
        page.locator('#jp-labbook-panel input.jp-Labbook-name').inputValue()
      )
      .toBe(XSS);
    expect(dialogs).toEqual([]);
    expect(f.browser.errors()).toEqual([]);
  });
});

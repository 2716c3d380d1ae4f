/**
 * Issue 4, first part: `import labbook` works in any Python notebook with no
 * install; what it logs lands in the store (an experiment starts by itself)
 * and shows in the panel: parameters as text, one live chart per metric.
 */
import { describe, expect, it } from 'vitest';
import { useLab } from './harness/fixture';
import { notebookJSON } from './harness/lab';

const PANEL = '#jp-labbook-panel';

describe('logging from the kernel', () => {
  const f = useLab();

  /** Show the detail of the experiment a notebook logged to. */
  const openDetailOf = async (notebook: string) => {
    await f.lab.command('labbook:open-panel');
    await f.lab.command('labbook:show-experiment', { id: null });
    await f.browser.page
      .locator(`${PANEL} .jp-Labbook-row[data-id]`)
      .filter({ hasText: notebook })
      .click();
  };

  it('stores logged params and metrics and charts them, starting an experiment', async () => {
    await f.lab.open();
    const page = f.browser.page;
    const id = await f.lab.openNotebook('log.ipynb', ['']);
    const out = await f.lab.runCell(
      id,
      0,
      [
        'import labbook, math',
        'labbook.log_params({"lr": 0.1, "layers": [64, 32], "name": "<b>mlp</b>"})',
        'for i in range(500):',
        '    labbook.log({"loss": 1 / (i + 1), "odd/metric <x>": float("nan") if i == 3 else i}, step=i)',
        'print(labbook.experiment()["experimentId"] is None)'
      ].join('\n')
    );
    expect(out).toBe('True'); // nothing was running when the cell started
    await f.lab.command('labbook:open-panel');
    const row = page.locator(`${PANEL} .jp-Labbook-row[data-id]`).first();
    await row.locator('.jp-Labbook-badge.jp-mod-running').waitFor();
    await row.click();
    // Parameters, as text.
    await page.waitForSelector(`${PANEL} .jp-Labbook-paramTable`);
    await expect(
      page.locator(`${PANEL} .jp-Labbook-paramTable tr`).allInnerTexts()
    ).resolves.toEqual(['layers\t[64,32]', 'lr\t0.1', 'name\t"<b>mlp</b>"']);
    expect(
      await page.locator(`${PANEL} .jp-Labbook-paramTable b`).count()
    ).toBe(0);
    // One chart per metric with every point.
    await page.waitForFunction(
      () =>
        [
          ...document.querySelectorAll(
            '#jp-labbook-panel .jp-Labbook-metricChart'
          )
        ]
          .map(n => (n as HTMLElement).dataset.points)
          .join(',') === '500,500'
    );
    await expect(
      page.locator(`${PANEL} .jp-Labbook-metricName`).allInnerTexts()
    ).resolves.toEqual(['loss', 'odd/metric <x>']);
    expect(
      await page.locator(`${PANEL} .jp-Labbook-metricChart canvas`).count()
    ).toBe(2);

    // Logged text, shown as text.
    await f.lab.runCell(
      id,
      0,
      'import labbook\nlabbook.log_text("notes", "<b>epoch 1</b>\\nok", step=1)'
    );
    await expect
      .poll(() => page.locator(`${PANEL} .jp-Labbook-textBody`).allInnerTexts())
      .toEqual(['<b>epoch 1</b>\nok']);
    await expect(
      page.locator(`${PANEL} .jp-Labbook-textHead`).innerText()
    ).resolves.toBe('notes · step 1');

    // The kernel knows the experiment it logs to now.
    const again = await f.lab.runCell(
      id,
      0,
      'import labbook\nprint(labbook.experiment()["experimentId"] == "' +
        (await row.getAttribute('data-id')) +
        '")'
    );
    expect(again).toBe('True');
    expect(f.browser.errors()).toEqual([]);
  });

  it('reads params from a cell tagged parameters without running it, and again when it runs', async () => {
    const page = f.browser.page;
    const nb = notebookJSON(['lr = 0.05\nepochs = 3\nscale = lr * 2', 'x = 1']);
    (nb.cells as any[])[0].metadata = { tags: ['parameters'] };
    await f.lab.writeFile('params.ipynb', nb);
    const opened = (await f.lab.command('docmanager:open', {
      path: 'params.ipynb',
      factory: 'Notebook',
      kernel: { name: 'python3' }
    })) as { id: string };
    await f.lab.waitForKernelIdle(opened.id);
    const startedId = await f.lab.startExperiment('params.ipynb');
    await f.lab.command('labbook:show-experiment', { id: startedId });
    const rows = page.locator(`${PANEL} .jp-Labbook-paramTable tr`);
    await expect
      .poll(() => rows.allInnerTexts())
      .toEqual(['epochs\t3', 'lr\t0.05', 'scale\tlr * 2']);
    // Edited and run: the source as run wins.
    await f.lab.runCell(opened.id, 0, 'lr = 0.2\nepochs = 3\nscale = lr * 2');
    await expect
      .poll(() => rows.allInnerTexts(), { timeout: 10_000 })
      .toEqual(['epochs\t3', 'lr\t0.2', 'scale\tlr * 2']);
  });

  it('shows the experiment inline with labbook.display(), in a sandboxed frame, live', async () => {
    const page = f.browser.page;
    const id = await f.lab.openNotebook('inline.ipynb', ['']);
    await f.lab.runCell(
      id,
      0,
      [
        'import labbook',
        'labbook.log_params({"name": "</script><img src=x onerror=\'parent.__pwned=1\'>"})',
        'labbook.log({"acc": 0.5}, step=0)',
        'labbook.display()'
      ].join('\n')
    );
    const frame = page.locator('.jp-Labbook-inlineFrame');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('allow-scripts');
    const inside = page.frameLocator('.jp-Labbook-inlineFrame');
    await expect(inside.locator('h1').innerText()).resolves.toMatch(/^inline /);
    await expect(inside.locator('td').first().innerText()).resolves.toBe(
      '"</script><img src=x onerror=\'parent.__pwned=1\'>"'
    );
    expect(await inside.locator('img').count()).toBe(0);
    await inside.locator('.chart path').first().waitFor({ state: 'attached' });
    // Live: more points logged after the display show up in the frame.
    await f.lab.runCell(
      id,
      1,
      'for i in range(1, 50):\n    labbook.log({"acc": i / 50}, step=i)'
    );
    await expect
      .poll(() => inside.locator('.chart .muted').first().innerText(), {
        timeout: 15_000
      })
      .toMatch(/50 points$/);
    expect(await page.evaluate(() => (window as any).__pwned)).toBe(undefined);
    expect(f.browser.errors()).toEqual([]);
  });

  it('draws a long series from its overview and reads the points for a zoom finer than it', async () => {
    const page = f.browser.page;
    const id = await f.lab.openNotebook('long.ipynb', ['']);
    await f.lab.runCell(
      id,
      0,
      [
        'import labbook, math',
        'for i in range(20_000):',
        '    labbook.log({"wave": math.sin(i / 100)}, step=i)'
      ].join('\n')
    );
    await openDetailOf('long.ipynb');
    const chart = page.locator(`${PANEL} .jp-Labbook-metricChart`);
    await expect
      .poll(() => chart.getAttribute('data-points'), { timeout: 30_000 })
      .toBe('20000');
    // 20,000 steps are 2,048 buckets at most: drawn from them.
    await expect(chart.getAttribute('data-source')).resolves.toBe('overview');
    await expect(
      page.locator(`${PANEL} .jp-Labbook-metricLast`).innerText()
    ).resolves.toMatch(/ · 20000 points$/);
    // Zoomed into a few pixels' width: finer than a bucket, so every point
    // is read and the range drawn from them.
    const box = (await chart.locator('.u-over').boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 26, box.y + box.height / 2, { steps: 3 });
    await page.mouse.up();
    await expect
      .poll(() => chart.getAttribute('data-source'), { timeout: 30_000 })
      .toBe('points');
    await expect(chart.getAttribute('data-points')).resolves.toBe('20000');
    expect(f.browser.errors()).toEqual([]);
  });

  it('smooths a long series from its overview until its points are read', async () => {
    const page = f.browser.page;
    const id = await f.lab.openNotebook('smooth.ipynb', ['']);
    await f.lab.runCell(
      id,
      0,
      [
        'import labbook, random',
        'for i in range(20_000):',
        '    labbook.log({"noisy": i / 20_000 + random.random()}, step=i)'
      ].join('\n')
    );
    await openDetailOf('smooth.ipynb');
    const chart = page.locator(
      `${PANEL} .jp-Labbook-metric[data-metric="noisy"] .jp-Labbook-metricChart`
    );
    await expect
      .poll(() => chart.getAttribute('data-points'), { timeout: 30_000 })
      .toBe('20000');
    await expect(chart.getAttribute('data-source')).resolves.toBe('overview');
    // Smoothing needs every point; until they are read (held back here),
    // the smoothed line is drawn from the overview's buckets.
    const held: (() => Promise<void>)[] = [];
    const hold = async (route: import('playwright-core').Route) => {
      held.push(() => route.continue());
    };
    await page.route(/\/api\/contents\/.*\/metrics\/[^/?]+\.json/, hold);
    const smoothing = page.locator(`${PANEL} .jp-Labbook-chartSmoothing`);
    await smoothing.selectOption('ema');
    await expect
      .poll(() => chart.getAttribute('data-smoothed'))
      .toBe('overview');
    await expect.poll(() => held.length).toBeGreaterThan(0);
    await page.unroute(/\/api\/contents\/.*\/metrics\/[^/?]+\.json/, hold);
    // (Those unroute has not let through already.)
    await Promise.all(held.map(release => release().catch(() => undefined)));
    await expect
      .poll(() => chart.getAttribute('data-smoothed'), { timeout: 30_000 })
      .toBe('points');
    await smoothing.selectOption('none');
    await expect(chart.getAttribute('data-smoothed')).resolves.toBe('');
    expect(f.browser.errors()).toEqual([]);
  });

  it('goes from a metric to the cell whose run logged it', async () => {
    const page = f.browser.page;
    const id = await f.lab.openNotebook('cells.ipynb', ['x = 1', '', '']);
    await f.lab.runCell(
      id,
      1,
      'import labbook\nfor i in range(5):\n    labbook.log({"from_cell_2": i}, step=i)'
    );
    await f.lab.runCell(id, 2, 'print("elsewhere")');
    const active = () =>
      page.evaluate(
        id =>
          [...(window as any).jupyterapp.shell.widgets('main')].find(
            (w: any) => w.id === id
          )?.content.activeCellIndex,
        id
      );
    await expect.poll(active).toBe(2);
    await openDetailOf('cells.ipynb');
    const go = page.locator(
      `${PANEL} .jp-Labbook-metric[data-metric="from_cell_2"] .jp-Labbook-metricCell`
    );
    await go.waitFor({ state: 'visible', timeout: 30_000 });
    await go.click();
    await expect.poll(active).toBe(1);
    expect(f.browser.errors()).toEqual([]);
  });
});

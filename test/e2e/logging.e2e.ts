/**
 * Issue 4, first part: `import labbook` works in any Python notebook with no
 * install; what it logs lands in the store (an experiment starts by itself)
 * and shows in the panel: parameters as text, one live chart per metric.
 */
import { describe, expect, it } from 'vitest';
import { useLab } from './harness/fixture';

const PANEL = '#jp-labbook-panel';

describe('logging from the kernel', () => {
  const f = useLab();

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
});

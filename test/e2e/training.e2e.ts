/**
 * Issue 4, "done when": a notebook training loop logs 10,000 steps of two
 * metrics, params and images; the side panel shows them while the loop
 * runs (charts with their controls, images with a step slider);
 * `labbook.display()` renders the inline panel, and again after the
 * notebook is saved, closed and reopened; with the page closed during a
 * loop and reopened, no point is missing (nor stored twice); hostile names,
 * tags and texts stay text.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeStoreFS } from '../../src/core/node/nodefs';
import { LabbookStore } from '../../src/core/store/store';
import { useLab } from './harness/fixture';
import { cssId, Lab } from './harness/lab';

const PANEL = '#jp-labbook-panel';
const XSS = '<img src=x onerror=alert(1)>';

/** Point counts of the charts in the detail, e.g. "10000,10000". */
function chartPoints(page: Lab['page']): Promise<string> {
  return page.evaluate(() =>
    [...document.querySelectorAll('#jp-labbook-panel .jp-Labbook-metricChart')]
      .map(n => (n as HTMLElement).dataset.points)
      .join(',')
  );
}

describe('a training loop, end to end', () => {
  const f = useLab();
  /** The store the app writes, read from disk. */
  const store = () =>
    new LabbookStore({ fs: new NodeStoreFS(join(f.server.root, 'labbook')) });

  it('shows metrics, params, images and hostile names live while the loop runs', async () => {
    await f.lab.open();
    const page = f.browser.page;
    const dialogs: string[] = [];
    page.on('dialog', d => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const id = await f.lab.openNotebook('train.ipynb', ['', '']);
    await f.lab.startCell(
      id,
      0,
      [
        'import labbook, time, numpy as np',
        `XSS = ${JSON.stringify(XSS)}`,
        'labbook.log_params({"lr": 0.01, "epochs": 10, "model": XSS})',
        'labbook.tags("baseline", XSS)',
        'labbook.log_text(XSS, XSS, step=0)',
        'labbook.log_input("train.ipynb", "notebook")',
        'for step in range(10_000):',
        '    labbook.log({"loss": 1 / (step + 1), XSS: step % 7}, step=step)',
        '    if step % 2500 == 0:',
        '        img = np.zeros((8, 8, 3), dtype=np.uint8)',
        '        img[:, : 1 + step // 1250] = 255',
        '        labbook.log_image("samples", img, caption=XSS, step=step)',
        '    time.sleep(0.001)',
        'print("done")'
      ].join('\n')
    );
    await f.lab.command('labbook:open-panel');
    const row = page.locator(`${PANEL} .jp-Labbook-row[data-id]`).first();
    await row.locator('.jp-Labbook-badge.jp-mod-running').waitFor();
    const experimentId = (await row.getAttribute('data-id'))!;
    await row.click();

    // While the loop runs (its output still empty after the counts were
    // read), the charts already hold some of the points.
    await expect
      .poll(
        async () => {
          const counts = (await chartPoints(page)).split(',').map(Number);
          const running = (await f.lab.cellOutput(id, 0)) === '';
          return (
            running &&
            counts.length === 2 &&
            counts.every(c => c > 0 && c < 10_000)
          );
        },
        { timeout: 30_000, interval: 100 }
      )
      .toBe(true);

    // Then all of them.
    await expect
      .poll(() => chartPoints(page), { timeout: 60_000 })
      .toBe('10000,10000');
    await expect
      .poll(() => f.lab.cellOutput(id, 0), { timeout: 30_000 })
      .toBe('done');
    // The store holds each point once.
    const { series, chunks } = await store().loadMetrics(experimentId);
    expect(
      series.map(s => [s.values.length, new Set(Array.from(s.steps)).size])
    ).toEqual([
      [10_000, 10_000],
      [10_000, 10_000]
    ]);
    // ... in about one file per second of the loop (which takes 10-15 s),
    // not one per 50 ms.
    expect(chunks.length).toBeLessThan(40);

    // Params, tags, metric names and texts: shown as text.
    await expect
      .poll(() =>
        page.locator(`${PANEL} .jp-Labbook-paramTable tr`).allInnerTexts()
      )
      .toEqual(['epochs\t10', 'lr\t0.01', `model\t${JSON.stringify(XSS)}`]);
    await expect(
      page.locator(`${PANEL} .jp-Labbook-metricName`).allInnerTexts()
    ).resolves.toEqual([XSS, 'loss']);
    await expect
      .poll(() => page.locator(`${PANEL} .jp-Labbook-textHead`).allInnerTexts())
      .toEqual([`${XSS} · step 0`]);
    await expect(
      page.locator(`${PANEL} .jp-Labbook-textBody`).innerText()
    ).resolves.toBe(XSS);
    await expect
      .poll(async () => (await store().getExperiment(experimentId)).tags)
      .toEqual(['baseline', XSS]);
    await f.lab.command('labbook:show-experiment', { id: null });
    await expect(
      page.locator(`${PANEL} .jp-Labbook-row .jp-Labbook-tag`).allInnerTexts()
    ).resolves.toEqual(['baseline', XSS]);
    await f.lab.command('labbook:show-experiment', { id: experimentId });

    // Images: one viewer, a slider over the 4 steps, the newest shown.
    const viewer = page.locator(
      `${PANEL} .jp-Labbook-imageViewer[data-image="samples"]`
    );
    await expect
      .poll(() => viewer.getAttribute('data-step'), { timeout: 15_000 })
      .toBe('7500');
    await expect(
      viewer.locator('.jp-Labbook-imageStep').innerText()
    ).resolves.toBe('step 7500 · 4/4');
    const slider = viewer.locator('.jp-Labbook-imageSlider');
    await slider.fill('0');
    await expect
      .poll(() => viewer.locator('.jp-Labbook-imageStep').innerText())
      .toBe('step 0 · 1/4');
    await expect
      .poll(() =>
        viewer
          .locator('img.jp-Labbook-image')
          .evaluate((img: HTMLImageElement) =>
            img.complete ? `${img.naturalWidth}x${img.naturalHeight}` : ''
          )
      )
      .toBe('8x8');
    await expect(
      viewer.locator('.jp-Labbook-imageCaption').innerText()
    ).resolves.toBe(XSS);

    // Chart controls: wall-time axis, log scale, smoothing, one chart.
    const controls = page.locator(`${PANEL} .jp-Labbook-chartControls`);
    await controls.locator('.jp-Labbook-chartAxis').selectOption('time');
    await controls.locator('.jp-Labbook-chartLog').check();
    await controls.locator('.jp-Labbook-chartSmoothing').selectOption('ema');
    await controls.locator('.jp-Labbook-chartLayout').selectOption('combined');
    const chart = page.locator(`${PANEL} .jp-Labbook-metricChart`);
    await expect.poll(() => chart.count()).toBe(1);
    await expect(chart.getAttribute('data-lines')).resolves.toBe('2');
    await expect(chart.getAttribute('data-axis')).resolves.toBe('time');
    await expect(chart.getAttribute('data-scale')).resolves.toBe('log');
    await expect(chart.getAttribute('data-smoothing')).resolves.toBe('ema');
    // Raw and smoothed line of each metric, named as text in the legend.
    await expect(
      chart
        .locator('.u-legend .u-series .u-label')
        .allInnerTexts()
        .then(labels => labels.slice(1)) // the x axis first
    ).resolves.toEqual([`${XSS} (raw)`, XSS, 'loss (raw)', 'loss']);

    // The kernel's environment is stored with the experiment.
    await expect
      .poll(async () => {
        const env = await store().loadEnvironment(experimentId);
        return [env?.python?.version.split('.')[0], !!env?.packages?.numpy];
      })
      .toEqual(['3', true]);

    // ... and shown in the detail, with the data input and its hash.
    await expect
      .poll(() =>
        page.locator(`${PANEL} .jp-Labbook-envTable th`).allInnerTexts()
      )
      .toEqual(expect.arrayContaining(['Python', 'Platform']));
    await expect(
      page.locator(`${PANEL} .jp-Labbook-packageList`).textContent()
    ).resolves.toMatch(/^numpy==/m);
    await expect(
      page.locator(`${PANEL} .jp-Labbook-inputTable th`).allInnerTexts()
    ).resolves.toEqual(['notebook']);
    await expect(
      page.locator(`${PANEL} .jp-Labbook-inputHash`).innerText()
    ).resolves.toMatch(/^[0-9a-f]{12}$/);

    // Nothing logged ever became live HTML.
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(f.browser.errors()).toEqual([]);
  });

  it('renders labbook.display() again after the notebook is saved, closed and reopened', async () => {
    const page = f.browser.page;
    const id = (await page.evaluate(() => {
      const app = (window as any).jupyterapp;
      return [...app.shell.widgets('main')].find(
        (w: any) => w.context?.path === 'train.ipynb'
      ).id;
    })) as string;
    // The command adds a display cell at the end and runs it.
    await f.lab.command('labbook:insert-display', { path: 'train.ipynb' });
    await expect
      .poll(() =>
        page
          .locator(`#${cssId(id)} .jp-Notebook .jp-Cell`)
          .last()
          .locator('.jp-InputArea-editor')
          .innerText()
      )
      .toBe('import labbook\nlabbook.display()');
    const frame = page.locator('.jp-Labbook-inlineFrame');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('allow-scripts');
    const inside = page.frameLocator('.jp-Labbook-inlineFrame');
    await inside.locator('.chart path').first().waitFor({ state: 'attached' });
    await expect
      .poll(() => inside.locator('.chart .muted').allInnerTexts())
      .toEqual(
        expect.arrayContaining([expect.stringMatching(/10000 points$/)])
      );

    await f.lab.command('docmanager:save');
    await f.lab.command('application:close-all');
    await f.lab.command('docmanager:open', {
      path: 'train.ipynb',
      factory: 'Notebook'
    });
    const again = page.frameLocator('.jp-Labbook-inlineFrame');
    await again.locator('.chart path').first().waitFor({
      state: 'attached',
      timeout: 30_000
    });
    await expect
      .poll(() => again.locator('.chart .muted').allInnerTexts())
      .toEqual(
        expect.arrayContaining([expect.stringMatching(/10000 points$/)])
      );
    expect(await again.locator('img').count()).toBe(0);
    expect(f.browser.errors()).toEqual([]);
  });

  it('loses no point when the page is closed during a loop and opened again', async () => {
    const first = f.browser.page;
    const id = await f.lab.openNotebook('resume.ipynb', ['']);
    const steps = 8000;
    await f.lab.startCell(
      id,
      0,
      [
        'import labbook, time',
        `for step in range(${steps}):`,
        '    labbook.log({"a": step, "b": -step}, step=step)',
        '    time.sleep(0.001)'
      ].join('\n')
    );
    await f.lab.command('labbook:open-panel');
    await f.lab.command('labbook:show-experiment', { id: null });
    const row = first.locator(`${PANEL} .jp-Labbook-row[data-id]`).first();
    await row.locator('.jp-Labbook-badge.jp-mod-running').waitFor();
    const experimentId = await row.getAttribute('data-id');
    await row.click();
    await expect
      .poll(async () => Number((await chartPoints(first)).split(',')[0]), {
        timeout: 30_000,
        interval: 100
      })
      .toBeGreaterThan(0);

    // Close the page mid-loop; a new page opens the notebook again.
    const second = await f.browser.context.newPage();
    await first.close({ runBeforeUnload: false });
    const lab = new Lab(second, f.server);
    await lab.open();
    const reopened = (await lab.command('docmanager:open', {
      path: 'resume.ipynb',
      factory: 'Notebook'
    })) as { id: string };
    await lab.waitForKernelIdle(reopened.id); // the loop has ended
    await lab.command('labbook:show-experiment', { id: experimentId });
    await expect
      .poll(() => chartPoints(second), { timeout: 60_000 })
      .toBe(`${steps},${steps}`);

    // Every step once, in the experiment the loop started in.
    const { series } = await store().loadMetrics(experimentId!);
    const stored = series.map(s => ({
      name: s.name,
      steps: new Set(Array.from(s.steps)).size,
      count: s.values.length
    }));
    expect(stored).toEqual([
      { name: 'a', steps, count: steps },
      { name: 'b', steps, count: steps }
    ]);
    const rows = await second
      .locator(`${PANEL} .jp-Labbook-row[data-id]`)
      .evaluateAll(nodes =>
        nodes.map(n => (n as HTMLElement).dataset.id).filter(Boolean)
      );
    expect(rows.filter(r => r === experimentId)).toHaveLength(1);
    expect(
      f.browser.errors().filter(e => !/WebSocket|ERR_ABORTED/.test(e.text))
    ).toEqual([]);
  });
});

/**
 * Issue 3, bad input: a kernel that dies, hostile names, a damaged store
 * file and a huge output. Each must leave a clear message and lose nothing.
 */
import { describe, expect, it } from 'vitest';
import { useLab } from './harness/fixture';

const PANEL = '#jp-labbook-panel';

async function storeFiles(
  f: ReturnType<typeof useLab>,
  dir: string
): Promise<{ name: string; path: string; size: number }[]> {
  const res = await f.server.api(`/api/contents/${encodeURI(dir)}?content=1`);
  if (res.status === 404) {
    return [];
  }
  return (await res.json()).content;
}

describe('experiments with bad input', () => {
  const f = useLab();
  let firstId = '';

  it('marks the experiment failed when its kernel dies, keeping what ran', async () => {
    await f.lab.open();
    const page = f.browser.page;
    const id = await f.lab.openNotebook('dies.ipynb', [
      'x = 1\nprint("before")',
      'import os; os._exit(1)'
    ]);
    const startedId = await f.lab.startExperiment('dies.ipynb');
    firstId = startedId;
    expect(await f.lab.runCell(id, 0)).toBe('before');
    await page.evaluate(i => {
      const app = (window as any).jupyterapp;
      const panel = [...app.shell.widgets('main')].find((w: any) => w.id === i);
      panel.content.activeCellIndex = 1;
      void app.commands.execute('notebook:run-cell', { widgetId: i });
    }, id);
    await f.lab.command('labbook:open-panel');
    const row = `${PANEL} .jp-Labbook-row[data-id="${startedId}"]`;
    await page.waitForSelector(`${row} .jp-Labbook-badge.jp-mod-failed`, {
      timeout: 30_000
    });
    // JupyterLab's own "Kernel Restarting" dialog.
    await page.click('.jp-Dialog .jp-mod-accept');
    await page.click(row);
    await expect(
      page.locator(`${PANEL} .jp-Labbook-reason`).innerText()
    ).resolves.toMatch(/kernel died/i);
    const first = page
      .locator(
        `${PANEL} .jp-Labbook-timelineRow:not(.jp-mod-session) .jp-Labbook-timelineSource`
      )
      .first();
    await expect(first.innerText()).resolves.toBe('x = 1');
  });

  it('shows names, tags and logged text as text, never as HTML', async () => {
    const page = f.browser.page;
    const hostile = '<img src=x onerror="window.__labbookPwned=1">';
    await page.fill(`${PANEL} .jp-Labbook-name`, hostile);
    await page.press(`${PANEL} .jp-Labbook-name`, 'Enter');
    await page.fill(`${PANEL} .jp-Labbook-tagsInput`, '<b>bold</b>, ok');
    await page.press(`${PANEL} .jp-Labbook-tagsInput`, 'Enter');
    await page.click(`${PANEL} .jp-Labbook-back`);
    const row = page.locator(`${PANEL} .jp-Labbook-row[data-id="${firstId}"]`);
    await expect
      .poll(() => row.locator('.jp-Labbook-rowName').innerText())
      .toBe(hostile);
    await expect
      .poll(() => row.locator('.jp-Labbook-tag').allInnerTexts())
      .toEqual(['<b>bold</b>', 'ok']);
    expect(await page.locator(`${PANEL} img, ${PANEL} b`).count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__labbookPwned)).toBe(
      undefined
    );
  });

  it('summarises a 30 MB output instead of storing it, and stays responsive', async () => {
    const page = f.browser.page;
    const id = await f.lab.openNotebook('big.ipynb', ['']);
    const startedId = await f.lab.startExperiment('big.ipynb');
    // An output JupyterLab shows as a line of text, with a 30 MB payload
    // in a MIME type it does not render: only Labbook has to handle it.
    const out = await f.lab.runCell(
      id,
      0,
      "from IPython.display import display\ndisplay({'text/plain': 'big payload', 'application/x-labbook-test': 'x' * 30_000_000}, raw=True)"
    );
    expect(out).toBe('big payload');
    const t0 = Date.now();
    await page.evaluate(() => new Promise(r => requestAnimationFrame(r)));
    expect(Date.now() - t0).toBeLessThan(2_000);
    await f.lab.command('labbook:stop-experiment', { path: 'big.ipynb' });
    const chunks = await storeFiles(
      f,
      `labbook/experiments/${startedId}/history`
    );
    expect(chunks.length).toBeGreaterThan(0);
    for (const c of chunks) {
      expect(c.size).toBeLessThan(20_000);
    }
    // The summary still says how big it was.
    const text = await Promise.all(
      chunks.map(
        async c =>
          (
            await (
              await f.server.api(
                `/api/contents/${encodeURI(c.path)}?content=1&type=file&format=text`
              )
            ).json()
          ).content
      )
    );
    expect(text.join('\n')).toMatch(
      /"mime":"application\/x-labbook-test","size":30000000/
    );
  });

  it('reports a damaged file on its own experiment and still lists the others', async () => {
    const page = f.browser.page;
    const chunks = await storeFiles(
      f,
      `labbook/experiments/${firstId}/history`
    );
    expect(chunks.length).toBeGreaterThan(0);
    // A half-written chunk: cut in the middle.
    await f.lab.writeFile(
      chunks[0].path,
      '{"format":"labbook-history","vers',
      'text'
    );
    await f.lab.command('labbook:refresh');
    await page.click(`${PANEL} .jp-Labbook-row[data-id="${firstId}"]`);
    await expect
      .poll(() =>
        page
          .locator(`${PANEL} .jp-Labbook-detail .jp-Labbook-error`)
          .innerText()
      )
      .toMatch(/Damaged file .*history.*not valid JSON/);
    await page.click(`${PANEL} .jp-Labbook-back`);
    // The other experiment is intact.
    expect(
      await page.locator(`${PANEL} .jp-Labbook-row .jp-mod-finished`).count()
    ).toBeGreaterThanOrEqual(1);
  });
});

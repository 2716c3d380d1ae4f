/**
 * Issue 3: two tabs on one notebook share the store without corrupting it.
 * Each tab writes only files named by its own writer id, so edits from both
 * survive, and a run that is alive in one tab is never marked interrupted
 * by the other.
 */
import { describe, expect, it } from 'vitest';
import { useLab } from './harness/fixture';
import { Lab } from './harness/lab';

const PANEL = '#jp-labbook-panel';

describe('two tabs on one notebook', () => {
  const f = useLab();

  it('keeps both tabs’ edits and never interrupts a live run', async () => {
    await f.lab.setLabbookSettings({
      heartbeatSeconds: 1,
      staleAfterSeconds: 4
    });
    await f.lab.open();
    const a = f.lab;
    const id = await a.openNotebook('shared.ipynb', ['n = 1', 'n += 1\nn']);
    const startedId = await a.startExperiment('shared.ipynb');
    expect(await a.runCell(id, 0)).toBe('');

    // Tab B: the same server, the same notebook.
    const b = new Lab(await f.browser.context.newPage(), f.server);
    await b.open();
    const idB = (await b.command('docmanager:open', {
      path: 'shared.ipynb'
    })) as { id: string };
    await b.waitForKernelIdle(idB.id);
    await new Promise(r => setTimeout(r, 5_000)); // past staleAfterSeconds
    await b.command('labbook:refresh');
    await b.command('labbook:open-panel');
    const rowB = `${PANEL} .jp-Labbook-row[data-id="${startedId}"]`;
    // Alive in tab A (heartbeat every second): still running, not interrupted.
    await b.page.waitForSelector(`${rowB} .jp-Labbook-badge.jp-mod-running`);

    // Both tabs edit the same experiment.
    await b.page.click(rowB);
    await b.page.fill(`${PANEL} .jp-Labbook-tagsInput`, 'from-b');
    await b.page.press(`${PANEL} .jp-Labbook-tagsInput`, 'Enter');
    await a.page.bringToFront();
    expect(await a.runCell(id, 1)).toBe('2');
    await a.command('labbook:stop-experiment', { path: 'shared.ipynb' });

    // Tab B sees A's end and keeps its own tag; the store holds both.
    await b.page.bringToFront();
    await b.command('labbook:refresh');
    await b.command('labbook:show-experiment', { id: null });
    await b.page.waitForSelector(`${rowB} .jp-Labbook-badge.jp-mod-finished`);
    await expect(
      b.page.locator(`${rowB} .jp-Labbook-tag`).allInnerTexts()
    ).resolves.toEqual(['from-b']);
    await expect(
      b.page.locator(`${rowB} .jp-Labbook-rowCells`).innerText()
    ).resolves.toBe('2 executions');
    const edits = await (
      await f.server.api(
        `/api/contents/labbook/experiments/${startedId}/edits?content=1`
      )
    ).json();
    const writers = new Set(
      edits.content.map((e: any) => e.name.replace(/^\d+-|\.json$/g, ''))
    );
    expect(writers.size).toBe(2);
    await b.page.close();
  });
});

/**
 * Capture overhead in the browser (issue 3). A 500-cell notebook of trivial
 * cells is run with "Run All" in a real JupyterLab, alternately on a server
 * with Labbook (recording an experiment) and on one without it, in one
 * Chromium page (a single renderer, nothing running in the background), in
 * ABBA order so drift hits both sides alike. A CPU profile of one recorded
 * run gives Labbook's own main-thread time per cell. Also: opening the
 * resulting long history in the panel.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IBench } from './harness';
import { launchBrowser } from '../test/e2e/harness/browser';
import { Lab } from '../test/e2e/harness/lab';
import { IServer, startServer } from '../test/e2e/harness/server';

const CELLS = 500;
const ROUNDS = 6;

export default async function (b: IBench): Promise<void> {
  const empty = mkdtempSync(join(tmpdir(), 'labbook-noext-'));
  const withLabbook = await startServer();
  const without = await startServer({
    env: { LABBOOK_LABEXTENSIONS: empty }
  });
  const browser = await launchBrowser();
  const page = browser.page;
  const cells = Array.from({ length: CELLS }, (_, i) => `x${i % 10} = ${i}`);
  let executions = 0;

  /** Load JupyterLab from `server`, open the notebook, Run All, time it. */
  const visit = async (server: IServer, profile = false) => {
    const lab = new Lab(page, server);
    await lab.open();
    const id = await lab.openNotebook('bench.ipynb', cells);
    const hasLabbook = await page.evaluate(() =>
      (window as any).jupyterapp.hasPlugin('jupyterlab-labbook:experiments')
    );
    if (hasLabbook !== (server === withLabbook)) {
      throw new Error('Labbook must be installed on one server only');
    }
    if (hasLabbook) {
      await lab.command('labbook:start-experiment', { path: 'bench.ipynb' });
    }
    const cdp = profile ? await browser.context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const ms = await page.evaluate(async panelId => {
      const app = (window as any).jupyterapp;
      const t0 = performance.now();
      await app.commands.execute('notebook:run-all-cells', {
        widgetId: panelId
      });
      return performance.now() - t0;
    }, id);
    executions += hasLabbook ? CELLS : 0;
    let labbookMs = 0;
    if (cdp) {
      const { profile: p } = (await cdp.send('Profiler.stop')) as any;
      labbookMs = selfTime(p, url => url.includes('/jupyterlab-labbook/'));
      await cdp.detach();
    }
    if (hasLabbook) {
      await lab.command('labbook:stop-experiment', { path: 'bench.ipynb' });
    }
    return { ms, labbookMs, lab };
  };

  try {
    await visit(without); // warm-up, both sides
    await visit(withLabbook);
    const tOn: number[] = [];
    const tOff: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order =
        r % 2 === 0 ? [without, withLabbook] : [withLabbook, without];
      for (const server of order) {
        const { ms } = await visit(server);
        (server === withLabbook ? tOn : tOff).push(ms);
      }
    }
    b.figure({
      name: `Run All, ${CELLS} trivial cells, Labbook recording`,
      value: median(tOn),
      unit: 'ms',
      note: `median of ${ROUNDS}: ${tOn.map(Math.round).join(', ')}`
    });
    b.figure({
      name: `Run All, ${CELLS} trivial cells, without Labbook`,
      value: median(tOff),
      unit: 'ms',
      note: `median of ${ROUNDS}: ${tOff.map(Math.round).join(', ')}`
    });
    b.ratio(
      'capture overhead, Run All 500 cells (with / without Labbook)',
      median(tOn),
      median(tOff),
      { target: 1.05, note: 'one Chromium page, ABBA rounds' }
    );

    const { ms, labbookMs, lab } = await visit(withLabbook, true);
    b.figure({
      name: "Labbook's main-thread time per executed cell (CPU profile)",
      value: labbookMs / CELLS,
      unit: 'ms',
      target: 1,
      note: `${Math.round(labbookMs)} ms of a ${Math.round(ms)} ms Run All (${((100 * labbookMs) / ms).toFixed(2)}%)`
    });

    // The newest experiment holds the profiled run's 500 executions plus
    // the kernel session before it.
    await lab.command('labbook:open-panel');
    const open = await page.evaluate(async () => {
      const row = document.querySelector<HTMLElement>(
        '#jp-labbook-panel .jp-Labbook-row[data-id]'
      )!;
      const t0 = performance.now();
      row.click();
      while (
        document.querySelectorAll('#jp-labbook-panel .jp-Labbook-timelineRow')
          .length === 0
      ) {
        await new Promise(r => requestAnimationFrame(r));
      }
      return performance.now() - t0;
    });
    b.figure({
      name: `open a recorded experiment (${executions} executions in the session) to its timeline`,
      value: open,
      unit: 'ms'
    });
  } finally {
    await browser.close();
    await withLabbook.stop();
    await without.stop();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, c) => a - c);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Self time in ms of the profile's functions whose script URL matches. */
function selfTime(profile: any, match: (url: string) => boolean): number {
  const byNode = new Map<number, number>();
  profile.samples.forEach((id: number, i: number) => {
    byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  let us = 0;
  for (const node of profile.nodes) {
    if (match(node.callFrame.url ?? '')) {
      us += byNode.get(node.id) ?? 0;
    }
  }
  return us / 1000;
}

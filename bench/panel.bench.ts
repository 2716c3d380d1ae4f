/**
 * The side panel on a big store (issue 7): 10,000 experiments and their
 * index are written into the server's store, JupyterLab is opened (the
 * Labbook panel not shown yet), then `labbook:open-panel` is run the moment
 * the app is restored and timed until rows are listed, then a query is
 * typed and timed (debounce included) until the list shows its matches;
 * and a scroll to the middle of the list until its rows are painted.
 */
import { join } from 'node:path';
import { writeExperimentFolder, writeStoreMarker } from './fixtures';
import type { IBench } from './harness';
import type { ExperimentStatus, IExperiment } from '../src/core/model';
import { StoreIndex } from '../src/core/index/storeindex';
import { NodeStoreFS } from '../src/core/node/nodefs';
import { filterExperiments } from '../src/core/query/compile';
import { newExperimentId } from '../src/core/store/ids';
import { LabbookStore } from '../src/core/store/store';
import { withLab } from './withlab';

const EXPERIMENTS = 10_000;
const QUERY =
  '(params.lr < 0.01 or tags = "baseline") and not status = "failed"';
const PANEL = '#jp-labbook-panel';

/** 10,000 experiment folders, then their index, as Labbook would leave them. */
async function writeStore(root: string): Promise<number> {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const statuses: ExperimentStatus[] = [
    'finished',
    'finished',
    'failed',
    'interrupted'
  ];
  for (let i = 0; i < EXPERIMENTS; i++) {
    const experiment: IExperiment = {
      id: newExperimentId(new Date(t0 + i * 1000)),
      name: `run ${i}`,
      project: 'sweep',
      notebook: 'sweep/train.ipynb',
      tags: i % 7 === 0 ? ['baseline', `seed-${i % 5}`] : [`seed-${i % 5}`],
      notes: i % 10 === 0 ? 'a note about this run' : '',
      status: statuses[i % statuses.length],
      started: new Date(t0 + i * 1000).toISOString(),
      ended: new Date(t0 + i * 1000 + 500).toISOString(),
      kernel: { name: 'python3', language: 'python' },
      labbookVersion: '0.1.0',
      executions: 12,
      archived: i % 50 === 0,
      params: {
        lr: (i % 100) / 1000,
        batch: 2 ** (4 + (i % 4)),
        model: `model-${i % 3}`,
        dropout: (i % 5) / 10
      }
    };
    writeExperimentFolder(root, experiment);
  }
  writeStoreMarker(root);
  const index = new StoreIndex({
    store: new LabbookStore({ fs: new NodeStoreFS(root), concurrency: 64 }),
    concurrency: 64
  });
  const { summaries } = await index.rebuild();
  const shown = summaries.filter(s => !s.archived);
  return filterExperiments(shown, QUERY).matches.length;
}

export default async (b: IBench): Promise<void> => {
  await withLab(async (lab, server) => {
    const expected = await writeStore(join(server.root, 'labbook'));
    const page = lab.page;
    await lab.open();
    const open = await page.evaluate(
      async ({ panel }) => {
        const app = (window as any).jupyterapp;
        const visible = () =>
          document.querySelector<HTMLElement>(
            `${panel} .jp-Labbook-row[data-id]`
          )?.offsetParent ?? null;
        const t0 = performance.now();
        await app.commands.execute('labbook:open-panel');
        while (!visible()) {
          await new Promise(r => requestAnimationFrame(r));
        }
        return {
          ms: performance.now() - t0,
          sinceLoad: performance.now(),
          rows: document.querySelectorAll(`${panel} .jp-Labbook-row[data-id]`)
            .length
        };
      },
      { panel: PANEL }
    );
    // The whole index may still be on its way: wait for it, untimed.
    await page.waitForFunction(
      ({ panel, n }) =>
        document
          .querySelector(`${panel} .jp-Labbook-matchCount`)
          ?.textContent?.includes(n),
      { panel: PANEL, n: String(EXPERIMENTS) },
      { timeout: 60_000 }
    );
    const query = await page.evaluate(
      async ({ panel, query, expected }) => {
        const input = document.querySelector<HTMLInputElement>(
          `${panel} .jp-Labbook-query`
        )!;
        const count = document.querySelector(
          `${panel} .jp-Labbook-matchCount`
        )!;
        const t0 = performance.now();
        // Typed at once (a paste): the debounce is part of the time.
        input.value = query;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        while (!count.textContent!.startsWith(`${expected} of`)) {
          await new Promise(r => requestAnimationFrame(r));
        }
        return performance.now() - t0;
      },
      { panel: PANEL, query: QUERY, expected }
    );
    const scroll = await page.evaluate(async panel => {
      const list = document.querySelector<HTMLElement>(
        `${panel} .jp-Labbook-list`
      )!;
      const t0 = performance.now();
      list.scrollTop = list.scrollHeight / 2;
      const target = Math.floor(list.scrollTop / 72);
      while (
        !document.querySelector(
          `${panel} .jp-Labbook-row[data-index="${target}"]`
        )
      ) {
        await new Promise(r => requestAnimationFrame(r));
      }
      await new Promise(r => requestAnimationFrame(r));
      return {
        ms: performance.now() - t0,
        rows: document.querySelectorAll(`${panel} .jp-Labbook-row[data-id]`)
          .length
      };
    }, PANEL);

    b.figure({
      name: `open the panel on ${EXPERIMENTS.toLocaleString('en')} experiments: rows listed`,
      value: open.ms,
      unit: 'ms',
      lowerIsBetter: true,
      note: `labbook:open-panel run as soon as the app is restored (the index loads meanwhile); ${open.rows} rows in the DOM; ${Math.round(open.sinceLoad)} ms after the page started loading`
    });
    b.figure({
      name: 'type a query: the list shows its matches',
      value: query,
      unit: 'ms',
      lowerIsBetter: true,
      note: `${expected.toLocaleString('en')} matches; includes the 150 ms typing debounce`
    });
    b.figure({
      name: 'the list is usable: rows listed + a query filtered',
      value: open.ms + query,
      unit: 'ms',
      target: 1000,
      lowerIsBetter: true
    });
    b.figure({
      name: 'scroll to the middle of the filtered list: rows painted',
      value: scroll.ms,
      unit: 'ms',
      lowerIsBetter: true,
      note: `${scroll.rows} rows in the DOM (virtualised)`
    });
  });
};

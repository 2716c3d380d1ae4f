/**
 * The run queue and its worker (issue 14), from Node against two real
 * Jupyter servers on loopback: trials of a ~2 s notebook on 4 slots
 * (2 per server), the store written through the first server's Contents
 * API as a tab writes it. Figures: wall time against the ideal (total
 * trial time / slots), the scheduling overhead from winning a trial's
 * claim to sending its first cell (a fresh kernel is started in between),
 * and the Contents API requests per stored trial.
 *
 * LABBOOK_BENCH_RUNNER_TRIALS sets the number of trials (default 40).
 */
import { ContentsManager, ServerConnection } from '@jupyterlab/services';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IBench } from './harness';
import type { INotebookLike } from '../src/core/params/inject';
import { QueueStore } from '../src/core/queue/queuestore';
import { ContentsStoreFS } from '../src/lab/store/contentsfs';
import { Worker } from '../src/runner/worker';
import { startServer, type IServer } from '../test/e2e/harness/server';

const TRIALS = Number(process.env.LABBOOK_BENCH_RUNNER_TRIALS ?? 40);

const NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
  cells: [
    {
      cell_type: 'code',
      id: 'p',
      metadata: { tags: ['parameters'] },
      source: 'x = 0',
      outputs: [],
      execution_count: null
    },
    {
      cell_type: 'code',
      id: 'w',
      metadata: {},
      source: 'import time\ntime.sleep(2)\nprint(x * 2)',
      outputs: [],
      execution_count: null
    }
  ]
};

export default async function (b: IBench): Promise<void> {
  const servers: IServer[] = [];
  try {
    servers.push(await startServer(), await startServer());
    for (const s of servers) {
      writeFileSync(join(s.root, 'bench.ipynb'), JSON.stringify(NOTEBOOK));
    }
    let storeRequests = 0;
    const settings = servers.map((s, i) =>
      ServerConnection.makeSettings({
        baseUrl: `${s.url}/`,
        wsUrl: `${s.url.replace(/^http/, 'ws')}/`,
        token: s.token,
        appendToken: true,
        fetch: (input: RequestInfo | URL, init?: RequestInit) => {
          const url =
            typeof input === 'string'
              ? input
              : input instanceof URL
                ? input.href
                : input.url;
          if (i === 0 && url.includes('/api/contents/labbook')) {
            storeRequests++;
          }
          return fetch(input, init);
        }
      })
    );
    const contents = new ContentsManager({ serverSettings: settings[0] });
    const fs = new ContentsStoreFS({ contents, root: 'labbook' });
    const tab = new QueueStore(fs);
    const sweep = await tab.createSweep(
      { name: 'bench', notebook: 'bench.ipynb', method: 'grid' },
      Array.from({ length: TRIALS }, (_, x) => ({ x }))
    );
    const claimed = new Map<string, number>();
    const overheads: number[] = [];
    const trialTimes: number[] = [];
    const worker = new Worker({
      fs,
      servers: settings.map(s => ({ settings: s, slots: 2 })),
      readNotebook: async path =>
        (await contents.get(path, { content: true })).content as INotebookLike,
      pollMs: 100,
      onTrial: e => {
        const now = performance.now();
        if (e.phase === 'claimed') {
          claimed.set(e.trial, now);
        } else if (e.phase === 'first-cell') {
          overheads.push(now - claimed.get(e.trial)!);
        } else {
          trialTimes.push(now - claimed.get(e.trial)!);
        }
      }
    });
    const requestsBefore = storeRequests;
    const t0 = performance.now();
    await worker.run({ untilIdle: true });
    const wall = performance.now() - t0;
    const state = await tab.readSweep(sweep.id);
    if (state.counts.done !== TRIALS) {
      throw new Error(`${state.counts.done} of ${TRIALS} trials done`);
    }
    const ideal = trialTimes.reduce((a, x) => a + x, 0) / 4;
    overheads.sort((a, c) => a - c);
    b.figure({
      name: `scheduling overhead per trial (claim won to first cell sent, kernel start included)`,
      value: overheads[Math.floor(overheads.length / 2)],
      unit: 'ms',
      target: 300,
      note: `median of ${TRIALS}; max ${Math.round(overheads[overheads.length - 1])} ms`
    });
    b.ratio(
      `${TRIALS} trials of a ~2 s notebook on 4 slots across 2 servers, wall / ideal`,
      wall,
      ideal,
      {
        target: 1.25,
        note: `wall ${Math.round(wall)} ms, ideal (sum of trial times / 4) ${Math.round(ideal)} ms`
      }
    );
    b.figure({
      name: 'store requests per stored trial (Contents API, labbook/)',
      value: (storeRequests - requestsBefore) / TRIALS,
      unit: 'requests',
      target: 10,
      note: 'claims, queue reads, lease, experiment, history, snapshots, status, index'
    });
  } finally {
    await Promise.all(servers.map(s => s.stop()));
  }
}

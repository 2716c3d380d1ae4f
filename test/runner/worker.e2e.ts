/**
 * `Worker` from Node against a real Jupyter server: a queued grid of four
 * trials run two at a time, each recorded as an experiment of the store
 * (written through the Contents API, as a tab writes it) linked to its
 * sweep; two workers sharing one queue never run a trial twice.
 */
import { ContentsManager } from '@jupyterlab/services';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreIndex } from '../../src/core/index/storeindex';
import type { INotebookLike } from '../../src/core/params/inject';
import { QueueStore } from '../../src/core/queue/queuestore';
import { LabbookStore } from '../../src/core/store/store';
import { ContentsStoreFS } from '../../src/lab/store/contentsfs';
import { serverSettings } from '../../src/runner/server';
import { queueSweep } from '../../src/runner/sweeps';
import { Worker } from '../../src/runner/worker';
import { startServer, type IServer } from '../e2e/harness/server';

let server: IServer;

const NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
  cells: [
    {
      cell_type: 'code',
      id: 'p',
      metadata: { tags: ['parameters'] },
      source: 'x = 0.0\nlabel = "default"',
      outputs: [],
      execution_count: null
    },
    {
      cell_type: 'code',
      id: 'work',
      metadata: {},
      source: [
        'import time, labbook',
        'time.sleep(0.3)',
        'loss = (x - 3) ** 2',
        'for step in range(3):',
        '    labbook.log({"loss": loss + 2 - step}, step=step)',
        'print(label, loss)'
      ].join('\n'),
      outputs: [],
      execution_count: null
    }
  ]
};

beforeAll(async () => {
  server = await startServer();
  writeFileSync(join(server.root, 'train.ipynb'), JSON.stringify(NOTEBOOK));
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

function setup() {
  const settings = serverSettings(server.url, server.token);
  const contents = new ContentsManager({ serverSettings: settings });
  const fs = new ContentsStoreFS({ contents, root: 'labbook' });
  const readNotebook = async (path: string) =>
    (await contents.get(path, { content: true })).content as INotebookLike;
  return { settings, fs, readNotebook };
}

describe('Worker', () => {
  it('runs a queued grid two at a time and records every trial as an experiment of its sweep', async () => {
    const { settings, fs, readNotebook } = setup();
    const tab = new QueueStore(fs);
    // A grid of 4 from a sweep config, two at a time.
    const sweep = await queueSweep(
      tab,
      {
        method: 'grid',
        metric: { name: 'loss', goal: 'minimize' },
        parameters: { x: { values: [1, 2, 3, 4] }, label: { value: 'run' } },
        concurrency: 2
      },
      { notebook: 'train.ipynb', name: 'grid' }
    );
    const a = new Worker({
      fs,
      servers: [{ settings, slots: 2 }],
      readNotebook,
      pollMs: 200
    });
    const b = new Worker({
      fs,
      servers: [{ settings, slots: 2 }],
      readNotebook,
      pollMs: 200
    });
    await Promise.all([a.run({ untilIdle: true }), b.run({ untilIdle: true })]);
    const outcomes = [...a.outcomes, ...b.outcomes];
    // Each trial ran once, though both workers took trials.
    expect(outcomes.map(o => o.trial).sort()).toEqual(
      (await tab.readSweep(sweep.id)).trials.map(t => t.id).sort()
    );
    expect(a.outcomes.length + b.outcomes.length).toBe(4);
    const state = await tab.readSweep(sweep.id);
    expect(state.status).toBe('finished');
    expect(state.counts.done).toBe(4);
    // The metric the sweep optimises, read from what each trial logged.
    expect(state.trials.map(t => t.metric)).toEqual(
      state.trials.map(t => (Number(t.params.x) - 3) ** 2)
    );
    expect(state.best?.params.x).toBe(3);

    // Every trial is an ordinary experiment: params, link, history, snapshots.
    const store = new LabbookStore({ fs });
    for (const t of state.trials) {
      const e = await store.getExperiment(t.experiment!);
      expect(e).toMatchObject({
        name: `grid #${t.number}`,
        notebook: 'train.ipynb',
        status: 'finished',
        params: t.params,
        sweep: { id: sweep.id, trial: t.id, attempt: 1 }
      });
      const history = await store.loadHistory(e.id);
      const codes = history.records.flatMap(r =>
        r.kind === 'execution' ? [r.source] : []
      );
      expect(codes[1]).toBe(
        `# Parameters\nx = ${t.params.x}.0\nlabel = 'run'\n`
      );
      const { overview } = await store.loadMetricsOverview(e.id);
      expect(overview.series.get('loss')?.count).toBe(3);
      const snaps = await store.listSnapshots(e.id);
      expect(snaps.snapshots.map(s => s.reason)).toEqual(['start', 'end']);
      const end = await store.loadSnapshot(e.id, snaps.snapshots[1].id);
      const loss = (Number(t.params.x) - 3) ** 2;
      expect((end.cells[2] as any).outputs).toEqual([
        {
          output_type: 'stream',
          name: 'stdout',
          text: `run ${loss.toFixed(1)}\n`
        }
      ]);
    }
    // A tab opening the store lists them from the index.
    const index = new StoreIndex({ store });
    await index.load();
    expect(index.summaries.filter(s => s.status === 'finished')).toHaveLength(
      4
    );
  });

  it('runs as `labbook worker` from the shell with no browser, until the queue is empty', async () => {
    const { fs } = setup();
    const tab = new QueueStore(fs);
    const sweep = await tab.createSweep(
      { name: 'headless', notebook: 'train.ipynb', method: 'grid' },
      [{ x: 5 }, { x: 6 }]
    );
    const cli = resolve(import.meta.dirname, '../../lib/cli.cjs');
    const child = spawn(
      process.execPath,
      [
        cli,
        'worker',
        '--server',
        server.url,
        '--token',
        server.token,
        '--concurrency',
        '2',
        '--until-idle'
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    );
    let out = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (out += d));
    const code = await new Promise<number | null>(r => child.on('exit', r));
    expect(code, out).toBe(0);
    expect(out).toMatch(/headless #1: done/);
    const state = await tab.readSweep(sweep.id);
    expect(state.counts.done).toBe(2);
    const store = new LabbookStore({ fs });
    const e = await store.getExperiment(state.trials[1].experiment!);
    expect(e).toMatchObject({ status: 'finished', params: { x: 6 } });
  });
});

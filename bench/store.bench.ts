/**
 * Store (issue 3): the Node backend listing 10,000 experiments and loading
 * a 100,000-entry history; snapshot dedup of 100 snapshots of a 200-cell
 * notebook with one cell changed between each.
 */
import { join } from 'node:path';
import { writeExperimentFolder } from './fixtures';
import type { IBench } from './harness';
import type { HistoryRecord, IExperiment } from '../src/core/model';
import { NodeStoreFS } from '../src/core/node/nodefs';
import { newExperimentId } from '../src/core/store/ids';
import { MemoryStoreFS } from '../src/core/store/memoryfs';
import { LabbookStore } from '../src/core/store/store';

const kernel = { name: 'python3', language: 'python' };

export default async (b: IBench) => {
  // 10,000 experiments written straight to disk (fixture), listed by the store.
  const root = join(b.tmpdir, 'store');
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < 10_000; i++) {
    const experiment: IExperiment = {
      id: newExperimentId(new Date(t0 + i * 1000)),
      name: `run ${i}`,
      project: 'p',
      notebook: 'p/train.ipynb',
      tags: ['a'],
      notes: '',
      status: 'finished',
      started: new Date(t0 + i * 1000).toISOString(),
      ended: new Date(t0 + i * 1000 + 500).toISOString(),
      kernel,
      labbookVersion: '0.1.0'
    };
    writeExperimentFolder(root, experiment);
  }
  const store = new LabbookStore({
    fs: new NodeStoreFS(root),
    concurrency: 64
  });
  let count = 0;
  const list = await b.time(async () => {
    count = (await store.listExperiments()).experiments.length;
  });
  b.figure({
    name: `list ${count.toLocaleString('en')} experiments (Node fs)`,
    value: list,
    unit: 'ms',
    lowerIsBetter: true
  });

  // A 100,000-entry history in 1,000 chunks of 100.
  const e = await store.createExperiment({
    name: 'long',
    notebook: 'p/train.ipynb',
    kernel
  });
  const records: HistoryRecord[] = [
    {
      kind: 'session',
      session: 's',
      index: 0,
      kernelId: 'k',
      kernel,
      started: new Date(t0).toISOString(),
      reason: 'start'
    }
  ];
  for (let i = 1; i < 100_000; i++) {
    records.push({
      kind: 'execution',
      session: 's',
      index: i,
      msgId: `m${i}`,
      cellId: `c${i % 50}`,
      source: `x = ${i}\nprint(x)`,
      executionCount: i,
      times: { queued: new Date(t0 + i).toISOString() },
      duration: 3,
      status: 'ok',
      outputs: [{ type: 'stream', name: 'stdout', text: `${i}\n` }]
    });
  }
  for (let i = 0; i < records.length; i += 100) {
    await store.appendHistory(e.id, records.slice(i, i + 100));
  }
  let loaded = 0;
  const history = await b.time(async () => {
    loaded = (await store.loadHistory(e.id)).records.length;
  });
  b.figure({
    name: `load a ${loaded.toLocaleString('en')}-entry history (1,000 chunks)`,
    value: history,
    unit: 'ms',
    lowerIsBetter: true
  });

  // Snapshot dedup.
  const fs = new MemoryStoreFS();
  const snaps = new LabbookStore({ fs });
  const x = await snaps.createExperiment({
    name: 'x',
    notebook: 'n.ipynb',
    kernel
  });
  const notebook = (changed: number) => ({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    cells: Array.from({ length: 200 }, (_, i) => ({
      cell_type: 'code',
      id: `cell-${i}`,
      metadata: {},
      execution_count: i,
      source: `loss_${i} = train(model, data, lr=${i})\nprint(loss_${i})${i === changed ? `  # edit ${changed}` : ''}`,
      outputs: [
        {
          output_type: 'stream',
          name: 'stdout',
          text: `${(1 / (i + 1)).toFixed(6)}\n`
        }
      ]
    }))
  });
  const bytes = () => [...fs.files.values()].reduce((n, d) => n + d.length, 0);
  const before = bytes();
  await snaps.saveSnapshot(x.id, 'start', notebook(-1));
  const one = bytes() - before;
  for (let k = 1; k < 100; k++) {
    await snaps.saveSnapshot(x.id, 'manual', notebook(k));
  }
  b.ratio(
    '100 snapshots of a 200-cell notebook / one snapshot (bytes)',
    bytes() - before,
    one,
    {
      target: 3,
      lowerIsBetter: true,
      note: `one snapshot ${(one / 1024).toFixed(1)} KiB`
    }
  );
};

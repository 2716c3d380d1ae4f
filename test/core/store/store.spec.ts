import { describe, expect, it } from 'vitest';
import type {
  HistoryRecord,
  IExecutionRecord,
  ISessionRecord
} from '../../../src/core/model';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';
import { isExperimentId } from '../../../src/core/store/ids';
import { INotebookJSON, LabbookStore } from '../../../src/core/store/store';
import { StorePathError } from '../../../src/core/store/fs';
import { recordReads } from './recordreads';

const kernel = { name: 'python3', language: 'python' };

function session(id: string, started: string): ISessionRecord {
  return {
    kind: 'session',
    session: id,
    index: 0,
    kernelId: 'k',
    kernel,
    started,
    reason: 'start'
  };
}

function exec(
  sessionId: string,
  index: number,
  source: string,
  queued: string
): IExecutionRecord {
  return {
    kind: 'execution',
    session: sessionId,
    index,
    msgId: `m-${sessionId}-${index}`,
    cellId: `c${index}`,
    source,
    executionCount: index,
    times: { queued },
    duration: 1,
    status: 'ok',
    outputs: []
  };
}

function notebook(n: number, changed = -1, tag = ''): INotebookJSON {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    cells: Array.from({ length: n }, (_, i) => ({
      cell_type: 'code',
      id: `cell-${i}`,
      metadata: {},
      execution_count: i,
      source: `x${i} = ${i}\n# ${'padding '.repeat(20)}${i === changed ? tag : ''}`,
      outputs: [
        {
          output_type: 'stream',
          name: 'stdout',
          text: `value ${i}\n`.repeat(5)
        }
      ]
    }))
  };
}

describe('LabbookStore', () => {
  it('creates experiments with a sortable id, project from the notebook folder, listed newest first', async () => {
    const fs = new MemoryStoreFS();
    let t = Date.parse('2026-11-24T09:00:00Z');
    const store = new LabbookStore({ fs, now: () => new Date((t += 1000)) });
    const a = await store.createExperiment({
      name: 'first',
      notebook: 'projects/mnist/train.ipynb',
      kernel
    });
    const b = await store.createExperiment({
      name: 'second',
      notebook: 'top.ipynb',
      kernel
    });
    expect(isExperimentId(a.id)).toBe(true);
    expect(a.project).toBe('projects/mnist');
    expect(b.project).toBe('');
    const { experiments, damaged } = await store.listExperiments();
    expect(experiments.map(e => e.name)).toEqual(['second', 'first']);
    expect(damaged).toEqual([]);
    expect(
      JSON.parse(await fs.readText(`experiments/${a.id}/experiment.json`))
        .version
    ).toBe(1);
  });

  it('folds edits in time order and keeps the heartbeat apart', async () => {
    const fs = new MemoryStoreFS();
    let t = Date.parse('2026-11-24T09:00:00Z');
    const now = () => new Date((t += 1000));
    const tab1 = new LabbookStore({ fs, writer: 'tab1', now });
    const tab2 = new LabbookStore({ fs, writer: 'tab2', now });
    const e = await tab1.createExperiment({
      name: 'run',
      notebook: 'n.ipynb',
      kernel
    });
    await tab1.updateExperiment(e.id, { name: 'renamed', tags: ['a'] });
    await tab2.updateExperiment(e.id, {
      tags: ['b', 'c'],
      notes: '<b>bold</b>'
    });
    await tab1.updateExperiment(e.id, {
      heartbeat: '2026-11-24T10:00:00.000Z'
    });
    let got = await tab2.getExperiment(e.id);
    expect(got).toMatchObject({
      name: 'renamed',
      tags: ['b', 'c'],
      notes: '<b>bold</b>',
      status: 'running'
    });
    expect(got.heartbeat).toBe('2026-11-24T10:00:00.000Z');
    await tab1.updateExperiment(e.id, {
      status: 'finished',
      ended: '2026-11-24T10:01:00.000Z',
      heartbeat: null
    });
    got = await tab2.getExperiment(e.id);
    expect(got.status).toBe('finished');
    expect(got.heartbeat).toBeNull();
    // Edits are appended, never rewritten.
    expect((await fs.list(`experiments/${e.id}/edits`)).length).toBe(3);
  });

  it('merges history appended concurrently by two writers, complete and in order', async () => {
    const fs = new MemoryStoreFS();
    const tab1 = new LabbookStore({ fs, writer: 'tab1' });
    const tab2 = new LabbookStore({ fs, writer: 'tab2' });
    const e = await tab1.createExperiment({
      name: 'run',
      notebook: 'n.ipynb',
      kernel
    });
    const s1: HistoryRecord[] = [session('s1', '2026-01-01T00:00:00Z')];
    const s2: HistoryRecord[] = [session('s2', '2026-01-01T01:00:00Z')];
    for (let i = 1; i <= 50; i++) {
      s1.push(
        exec(
          's1',
          i,
          `a${i}`,
          `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`
        )
      );
      s2.push(
        exec(
          's2',
          i,
          `b${i}`,
          `2026-01-01T01:00:${String(i).padStart(2, '0')}Z`
        )
      );
    }
    await Promise.all([
      ...Array.from({ length: 10 }, (_, k) =>
        tab1.appendHistory(e.id, s1.slice(k * 5 + (k ? 1 : 0), (k + 1) * 5 + 1))
      ),
      ...Array.from({ length: 10 }, (_, k) =>
        tab2.appendHistory(e.id, s2.slice(k * 5 + (k ? 1 : 0), (k + 1) * 5 + 1))
      )
    ]);
    // A record sent twice (a retried flush) counts once.
    await tab1.appendHistory(e.id, [s1[3]]);
    const { records, damaged } = await tab2.loadHistory(e.id);
    expect(damaged).toEqual([]);
    expect(
      records.map(r => (r.kind === 'session' ? `[${r.session}]` : r.source))
    ).toEqual([
      '[s1]',
      ...s1.slice(1).map(r => (r as IExecutionRecord).source),
      '[s2]',
      ...s2.slice(1).map(r => (r as IExecutionRecord).source)
    ]);
  });

  it('reports a truncated chunk as damage and still loads the other chunks', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs });
    const e = await store.createExperiment({
      name: 'run',
      notebook: 'n.ipynb',
      kernel
    });
    await store.appendHistory(e.id, [
      session('s', '2026-01-01T00:00:00Z'),
      exec('s', 1, 'a', '2026-01-01T00:00:01Z')
    ]);
    await store.appendHistory(e.id, [
      exec('s', 2, 'b', '2026-01-01T00:00:02Z')
    ]);
    await store.appendHistory(e.id, [
      exec('s', 3, 'c', '2026-01-01T00:00:03Z')
    ]);
    const names = (await fs.list(`experiments/${e.id}/history`))
      .map(x => x.name)
      .sort();
    const victim = `experiments/${e.id}/history/${names[1]}`;
    const text = await fs.readText(victim);
    await fs.writeText(victim, text.slice(0, text.length / 2));
    const { records, damaged } = await store.loadHistory(e.id);
    expect(
      records
        .filter(r => r.kind === 'execution')
        .map(r => (r as IExecutionRecord).source)
    ).toEqual(['a', 'c']);
    expect(damaged).toHaveLength(1);
    expect(damaged[0].path).toBe(victim);
    expect(damaged[0].problem).toMatch(/not valid JSON/);
  });

  it('lists other experiments when one experiment.json is damaged or from a newer Labbook', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs });
    const good = await store.createExperiment({
      name: 'good',
      notebook: 'n.ipynb',
      kernel
    });
    const bad = await store.createExperiment({
      name: 'bad',
      notebook: 'n.ipynb',
      kernel
    });
    const newer = await store.createExperiment({
      name: 'newer',
      notebook: 'n.ipynb',
      kernel
    });
    await fs.writeText(
      `experiments/${bad.id}/experiment.json`,
      '{"format": "labbook-exp'
    );
    await fs.writeText(
      `experiments/${newer.id}/experiment.json`,
      JSON.stringify({
        format: 'labbook-experiment',
        version: 7,
        experiment: {}
      })
    );
    const { experiments, damaged } = await store.listExperiments();
    expect(experiments.map(e => e.id)).toEqual([good.id]);
    expect(damaged.map(d => d.id).sort()).toEqual([bad.id, newer.id].sort());
    expect(damaged.find(d => d.id === newer.id)!.problem).toMatch(
      /newer Labbook/
    );
  });

  it('ignores unknown fields written by a later minor version', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs });
    const e = await store.createExperiment({
      name: 'x',
      notebook: 'n.ipynb',
      kernel
    });
    const path = `experiments/${e.id}/experiment.json`;
    const file = JSON.parse(await fs.readText(path));
    file.future = { anything: 1 };
    file.experiment.futureField = 'y';
    await fs.writeText(path, JSON.stringify(file));
    expect((await store.getExperiment(e.id)).name).toBe('x');
  });

  it('refuses ids that would leave the store', async () => {
    const store = new LabbookStore({ fs: new MemoryStoreFS() });
    await expect(store.getExperiment('../../etc')).rejects.toThrow(
      StorePathError
    );
    await expect(store.loadSnapshot('abc', '../x')).rejects.toThrow(
      StorePathError
    );
  });

  it('saves snapshots that load back identical', async () => {
    const store = new LabbookStore({ fs: new MemoryStoreFS() });
    const e = await store.createExperiment({
      name: 'x',
      notebook: 'n.ipynb',
      kernel
    });
    const nb = notebook(20);
    nb.cells[3].outputs = [
      {
        output_type: 'execute_result',
        data: { 'text/plain': 'ü ✓ <script>' },
        metadata: {},
        execution_count: 1
      }
    ];
    const info = await store.saveSnapshot(e.id, 'start', nb);
    expect(info).toMatchObject({
      experimentId: e.id,
      reason: 'start',
      cellCount: 20,
      notebook: 'n.ipynb'
    });
    expect(await store.loadSnapshot(e.id, info.id)).toEqual(nb);
    expect((await store.listSnapshots(e.id)).snapshots.map(s => s.id)).toEqual([
      info.id
    ]);
  });

  it('saves a snapshot without reading the experiment when told its notebook', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs });
    const e = await store.createExperiment({
      name: 'x',
      notebook: 'dir/n.ipynb',
      kernel
    });
    const { paths: read } = recordReads(fs);
    const info = await store.saveSnapshot(e.id, 'start', notebook(3), {
      notebookPath: 'dir/n.ipynb'
    });
    expect(read).toEqual([]);
    expect(info.notebook).toBe('dir/n.ipynb');
    expect(await store.loadSnapshot(e.id, info.id)).toEqual(notebook(3));
    // Without it, the experiment says which notebook.
    const other = await store.saveSnapshot(e.id, 'end', notebook(4));
    expect(other.notebook).toBe('dir/n.ipynb');
    expect(read).toContain(`experiments/${e.id}/experiment.json`);
  });

  it('stores unchanged cells once: 100 snapshots of a 200-cell notebook take at most 3x one snapshot', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs });
    const e = await store.createExperiment({
      name: 'x',
      notebook: 'n.ipynb',
      kernel
    });
    const bytes = () =>
      [...fs.files.values()].reduce((n, d) => n + d.length, 0);
    const before = bytes();
    await store.saveSnapshot(e.id, 'start', notebook(200));
    const one = bytes() - before;
    for (let k = 1; k < 100; k++) {
      await store.saveSnapshot(
        e.id,
        'manual',
        notebook(200, k % 200, `change ${k}`)
      );
    }
    const all = bytes() - before;
    expect(all / one).toBeLessThanOrEqual(3);
    // And the last one is still exactly what was saved.
    const { snapshots } = await store.listSnapshots(e.id);
    expect(
      await store.loadSnapshot(e.id, snapshots[snapshots.length - 1].id)
    ).toEqual(notebook(200, 99, 'change 99'));
    // The newest alone, without reading the 99 others; past a damaged one.
    const last = snapshots[snapshots.length - 1];
    expect(await store.lastSnapshot(e.id)).toEqual(last);
    const newest = [...fs.files.keys()]
      .filter(p => p.includes('/snapshots/'))
      .sort()
      .pop()!;
    fs.files.set(newest, new TextEncoder().encode('not json'));
    expect(await store.lastSnapshot(e.id)).toEqual(
      snapshots[snapshots.length - 2]
    );
  });

  it('lists snapshots in the order they were taken, even when an earlier one is written last', async () => {
    const fs = new MemoryStoreFS();
    let clock = Date.parse('2026-05-01T10:00:00Z');
    const store = new LabbookStore({
      fs,
      now: () => new Date((clock += 1000))
    });
    const e = await store.createExperiment({
      name: 'x',
      notebook: 'n.ipynb',
      kernel
    });
    // The start snapshot's new cells are slow to write (a loaded server).
    const writeText = fs.writeText.bind(fs);
    fs.writeText = async (path: string, text: string) => {
      if (path.startsWith('objects/')) {
        await new Promise(r => setTimeout(r, 50));
      }
      return writeText(path, text);
    };
    const start = store.saveSnapshot(e.id, 'start', notebook(5));
    const save = store.saveSnapshot(e.id, 'save', { ...notebook(0) });
    await Promise.all([start, save]);
    const { snapshots } = await store.listSnapshots(e.id);
    expect(snapshots.map(s => s.reason)).toEqual(['start', 'save']);
  });

  it('reports a snapshot whose cell object was tampered with', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs });
    const e = await store.createExperiment({
      name: 'x',
      notebook: 'n.ipynb',
      kernel
    });
    const info = await store.saveSnapshot(e.id, 'start', notebook(2));
    const object = [...fs.files.keys()].find(k => k.startsWith('objects/'))!;
    await fs.writeText(object, '{"cell_type":"code","source":"rm -rf"}');
    await expect(store.loadSnapshot(e.id, info.id)).rejects.toThrow(
      /does not match its hash/
    );
  });
});

describe('appending an empty list', () => {
  it('writes no chunk and tells no listener, for every list kind', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs });
    const e = await store.createExperiment({
      name: 'e',
      notebook: 'e.ipynb',
      kernel
    });
    const before = [...fs.files.keys()];
    const changes: string[] = [];
    store.changed.connect((_, c) => changes.push(c.type));
    await store.appendTexts(e.id, []);
    await store.appendInputs(e.id, []);
    await store.appendImages(e.id, []);
    await store.appendHistory(e.id, []);
    expect([...fs.files.keys()]).toEqual(before);
    expect(changes).toEqual([]);
    // A text still gets its chunk.
    await store.appendTexts(e.id, [
      { name: 'log', text: 'hi', step: null, time: 1, parent: null }
    ]);
    expect((await store.loadTexts(e.id)).texts.map(t => t.text)).toEqual([
      'hi'
    ]);
    expect(changes).toEqual(['texts']);
  });
});

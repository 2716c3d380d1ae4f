import { afterEach, describe, expect, it, vi } from 'vitest';
import { StoreIndex } from '../../../src/core/index/storeindex';
import { summarizeSeries } from '../../../src/core/index/summarize';
import type { IStoreEntry } from '../../../src/core/store/fs';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';
import { LabbookStore } from '../../../src/core/store/store';
import { recordReads } from '../store/recordreads';

const kernel = { name: 'python3', language: 'python' };

function indexFiles(fs: MemoryStoreFS): string[] {
  return [...fs.files.keys()].filter(p => p.startsWith('index/')).sort();
}

/**
 * One clock for every index of a test, a millisecond per reading: entries
 * made one after another are stamped in that order whatever the machine.
 */
let clock = Date.parse('2026-02-01T00:00:00Z');
const now = () => (clock += 1);

/** An index on its own store (own writer) over a shared file system. */
async function open(fs: MemoryStoreFS, writer: string, options = {}) {
  const store = new LabbookStore({ fs, writer });
  const index = new StoreIndex({ store, flushMs: 50, now, ...options });
  const loaded = await index.load();
  index.attach();
  return { store, index, loaded };
}

const opened: StoreIndex[] = [];
afterEach(() => {
  opened.splice(0).forEach(i => i.dispose());
  vi.useRealTimers();
});

describe('StoreIndex', () => {
  it('keeps metric summaries current from the appended points, equal to a full recompute', async () => {
    const fs = new MemoryStoreFS();
    const { store, index } = await open(fs, 'aaaa1111');
    opened.push(index);
    const e = await store.createExperiment({
      name: 'train',
      notebook: 'p/train.ipynb',
      kernel
    });
    await store.appendMetrics(e.id, [
      { name: 'loss', steps: [0, 1], times: [0, 0], values: [2, NaN] },
      { name: 'acc', steps: [0], times: [0], values: [0.1] }
    ]);
    await store.appendMetrics(e.id, [
      { name: 'loss', steps: [2, 3], times: [0, 0], values: [-Infinity, 0.5] }
    ]);
    await store.appendMetrics(e.id, [
      { name: 'loss', steps: [4], times: [0], values: [Infinity] }
    ]);
    await store.updateExperiment(e.id, {
      params: { lr: 0.01 },
      tags: ['x'],
      status: 'finished',
      ended: new Date().toISOString()
    });
    await index.flush();

    const { series } = await store.loadMetrics(e.id);
    const full = Object.fromEntries(
      series.map(s => [s.name, summarizeSeries(s.values, s.steps)])
    );
    expect(index.get(e.id)!.metrics).toEqual(full);
    expect(full.loss).toEqual({
      last: null,
      min: 0.5,
      max: 2,
      step: 4,
      count: 5
    });

    // Another tab opening the store reads the index, not the folders.
    const other = new StoreIndex({
      now,
      store: new LabbookStore({ fs, writer: 'cccc3333' })
    });
    const loaded = await other.load();
    expect(loaded.rebuilt).toBe(false);
    expect(loaded.summaries).toHaveLength(1);
    expect(loaded.summaries[0]).toMatchObject({
      id: e.id,
      name: 'train',
      tags: ['x'],
      status: 'finished',
      params: { lr: 0.01 },
      metrics: full
    });
  });

  it('indexes a new experiment without reading it back, as a rebuild from its folder would', async () => {
    const fs = new MemoryStoreFS();
    const { store, index } = await open(fs, 'aaaa1111');
    opened.push(index);
    const { paths: read } = recordReads(fs);
    const e = await store.createExperiment({
      name: 'sweep 7',
      notebook: 'p/sweep.ipynb',
      tags: ['t'],
      kernel
    });
    await index.flush();
    expect(read.filter(p => p.startsWith('experiments/'))).toEqual([]);
    const rebuilt = new StoreIndex({
      now,
      store: new LabbookStore({ fs, writer: 'cccc3333' })
    });
    await rebuilt.rebuild();
    expect(index.get(e.id)).toEqual(rebuilt.get(e.id));
    // An edit is still read back from the folder (other writers' edits too).
    await store.updateExperiment(e.id, { tags: ['t', 'u'] });
    await index.flush();
    expect(read).toContain(`experiments/${e.id}/experiment.json`);
    expect(index.get(e.id)!.tags).toEqual(['t', 'u']);
  });

  it('loses no update when two writers change one experiment, and a third sees both', async () => {
    const fs = new MemoryStoreFS();
    const a = await open(fs, 'aaaa1111');
    const b = await open(fs, 'bbbb2222');
    opened.push(a.index, b.index);
    const e = await a.store.createExperiment({
      name: 'shared',
      notebook: 'n.ipynb',
      kernel
    });
    await a.store.appendMetrics(e.id, [
      { name: 'loss', steps: [0], times: [0], values: [1] }
    ]);
    await a.index.flush();
    // B edits tags while A keeps logging (A's copy of the metadata is old).
    await b.store.updateExperiment(e.id, { tags: ['from-b'] });
    await b.index.flush();
    await a.store.appendMetrics(e.id, [
      { name: 'loss', steps: [1], times: [0], values: [0.5] }
    ]);
    await a.index.flush();
    // A renames: its read of the folder includes B's tags.
    await a.store.updateExperiment(e.id, { name: 'renamed by a' });
    await a.index.flush();

    const c = new StoreIndex({
      now,
      store: new LabbookStore({ fs, writer: 'cccc3333' })
    });
    const { summaries, rebuilt } = await c.load();
    expect(rebuilt).toBe(false);
    expect(summaries).toHaveLength(1);
    expect(summaries[0].name).toBe('renamed by a');
    expect(summaries[0].tags).toEqual(['from-b']);
    expect(summaries[0].metrics.loss).toMatchObject({ last: 0.5, count: 2 });
    // Each writer wrote only its own chunks.
    const writers = indexFiles(fs).map(p => p.split('-').pop());
    expect(new Set(writers)).toEqual(
      new Set(['aaaa1111.json', 'bbbb2222.json'])
    );
  });

  it('refreshes with only the files other writers added since it loaded', async () => {
    const fs = new MemoryStoreFS();
    const a = await open(fs, 'aaaa1111');
    const b = await open(fs, 'bbbb2222');
    opened.push(a.index, b.index);
    await a.store.createExperiment({
      name: 'mine',
      notebook: 'n.ipynb',
      kernel
    });
    await a.index.flush();
    const e = await b.store.createExperiment({
      name: 'theirs',
      notebook: 'n.ipynb',
      kernel
    });
    await b.index.flush();
    const { paths: reads } = recordReads(fs);
    const { ids, damaged } = await a.index.refresh();
    expect(ids).toEqual([e.id]);
    expect(damaged).toEqual([]);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatch(/-bbbb2222\.json$/);
    expect(a.index.summaries.map(s => s.name).sort()).toEqual([
      'mine',
      'theirs'
    ]);
    expect((await a.index.refresh()).ids).toEqual([]);
  });

  it('lists experiments newest first and drops deleted ones, through the store or by hand', async () => {
    const fs = new MemoryStoreFS();
    let t = Date.parse('2026-03-01T00:00:00Z');
    const store = new LabbookStore({
      fs,
      writer: 'aaaa1111',
      now: () => new Date((t += 1000))
    });
    const index = new StoreIndex({ now, store });
    opened.push(index);
    await index.load();
    index.attach();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(
        (
          await store.createExperiment({
            name: `r${i}`,
            notebook: 'n.ipynb',
            kernel
          })
        ).id
      );
    }
    await index.flush();
    expect(index.summaries.map(s => s.name)).toEqual(['r3', 'r2', 'r1', 'r0']);
    await store.deleteExperiment(ids[1]);
    await index.flush();
    expect(index.get(ids[1])).toBeUndefined();
    await fs.remove(`experiments/${ids[2]}`); // not through the store

    const reader = new StoreIndex({
      now,
      store: new LabbookStore({ fs, writer: 'cccc3333' })
    });
    const { summaries } = await reader.load();
    expect(summaries.map(s => s.name)).toEqual(['r3', 'r0']);
  });

  it('adds experiments written without an index, found by one listing of the folders', async () => {
    const fs = new MemoryStoreFS();
    const { store, index } = await open(fs, 'aaaa1111');
    opened.push(index);
    await store.createExperiment({
      name: 'indexed',
      notebook: 'n.ipynb',
      kernel
    });
    await index.flush();
    // A tool without the index writes an experiment with metrics.
    const plain = new LabbookStore({ fs, writer: 'dddd4444' });
    const e = await plain.createExperiment({
      name: 'plain',
      notebook: 'n.ipynb',
      kernel
    });
    await plain.appendMetrics(e.id, [
      { name: 'acc', steps: [0, 1], times: [0, 0], values: [0.2, 0.4] }
    ]);

    const reader = new StoreIndex({ now, store: new LabbookStore({ fs }) });
    const loaded = await reader.load();
    expect(loaded.rebuilt).toBe(false);
    expect(loaded.summaries.map(s => s.name).sort()).toEqual([
      'indexed',
      'plain'
    ]);
    expect(reader.get(e.id)!.metrics.acc).toMatchObject({
      last: 0.4,
      max: 0.4,
      count: 2
    });
    // The patch was written: the next reader finds it in the index.
    const again = new StoreIndex({ now, store: new LabbookStore({ fs }) });
    expect((await again.load({ check: false })).summaries).toHaveLength(2);
  });

  it('reads the metrics of an experiment in full the first time it sees it logging, then merges appends', async () => {
    const fs = new MemoryStoreFS();
    const first = await open(fs, 'aaaa1111');
    opened.push(first.index);
    const e = await first.store.createExperiment({
      name: 'resumed',
      notebook: 'n.ipynb',
      kernel
    });
    await first.store.appendMetrics(e.id, [
      { name: 'loss', steps: [0, 1], times: [0, 0], values: [3, 2] }
    ]);
    await first.index.flush();
    // A tool without the index logs one more point: the index is behind.
    await new LabbookStore({ fs, writer: 'bbbb2222' }).appendMetrics(e.id, [
      { name: 'loss', steps: [2], times: [0], values: [1] }
    ]);
    // A new tab resumes logging with the index loaded from its files.
    const tab = await open(fs, 'cccc3333');
    opened.push(tab.index);
    expect(tab.index.get(e.id)!.metrics.loss.count).toBe(2);
    await tab.store.appendMetrics(e.id, [
      { name: 'loss', steps: [3], times: [0], values: [0.5] }
    ]);
    await tab.store.appendMetrics(e.id, [
      { name: 'loss', steps: [4], times: [0], values: [0.25] }
    ]);
    await tab.index.flush();
    expect(tab.index.get(e.id)!.metrics.loss).toEqual({
      last: 0.25,
      min: 0.25,
      max: 3,
      step: 4,
      count: 5
    });
  });

  it('writes at most about one chunk per second while a loop logs every 100 ms', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z') });
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs, writer: 'aaaa1111' });
    const index = new StoreIndex({ now, store, flushMs: 1000 });
    opened.push(index);
    await index.load();
    index.attach();
    const e = await store.createExperiment({
      name: 'loop',
      notebook: 'n.ipynb',
      kernel
    });
    for (let step = 0; step < 50; step++) {
      await store.appendMetrics(e.id, [
        { name: 'loss', steps: [step], times: [0], values: [1 / (step + 1)] }
      ]);
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(1000);
    const chunks = indexFiles(fs);
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    expect(chunks.length).toBeLessThanOrEqual(6);
    expect(index.get(e.id)!.metrics.loss).toMatchObject({
      count: 50,
      last: 1 / 50
    });
  });

  it('compacts many chunks into a base and keeps every summary', async () => {
    const fs = new MemoryStoreFS();
    const a = await open(fs, 'aaaa1111', { compactAfter: 4 });
    const b = await open(fs, 'bbbb2222', { compactAfter: 1000 });
    opened.push(a.index, b.index);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const w = i % 2 ? a : b;
      const e = await w.store.createExperiment({
        name: `r${i}`,
        notebook: 'n.ipynb',
        kernel
      });
      ids.push(e.id);
      await w.store.appendMetrics(e.id, [
        { name: 'm', steps: [0, 1], times: [0, 0], values: [i, i + 1] }
      ]);
      await w.store.updateExperiment(e.id, { tags: [`t${i}`] });
      await w.index.flush();
    }
    await b.store.deleteExperiment(ids[0]);
    await b.index.flush();
    await a.index.compact();
    const files = indexFiles(fs);
    expect(files.filter(f => f.includes('/base-'))).toHaveLength(1);
    expect(files.length).toBeLessThan(3);

    const c = new StoreIndex({ now, store: new LabbookStore({ fs }) });
    const { summaries } = await c.load({ check: false });
    expect(summaries).toHaveLength(11);
    for (let i = 1; i < 12; i++) {
      const s = c.get(ids[i])!;
      expect(s.tags).toEqual([`t${i}`]);
      expect(s.metrics.m).toMatchObject({ last: i + 1, min: i, count: 2 });
    }
    expect(c.get(ids[0])).toBeUndefined();
  });

  it("compacts without reading back its own chunks, only other writers' new ones", async () => {
    const fs = new MemoryStoreFS();
    const a = await open(fs, 'aaaa1111', { compactAfter: 1000 });
    const b = await open(fs, 'bbbb2222', { compactAfter: 1000 });
    opened.push(a.index, b.index);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const e = await a.store.createExperiment({
        name: `r${i}`,
        notebook: 'n.ipynb',
        kernel
      });
      ids.push(e.id);
      await a.store.updateExperiment(e.id, { tags: [`a${i}`] });
      await a.index.flush();
    }
    await b.store.updateExperiment(ids[2], { tags: ['from b'] });
    await b.index.flush();
    const bChunks = indexFiles(fs).filter(f => f.endsWith('-bbbb2222.json'));
    expect(bChunks.length).toBeGreaterThan(0);
    const { paths: read, restore } = recordReads(fs);
    await a.index.compact();
    expect(read.filter(p => p.startsWith('index/')).sort()).toEqual(bChunks);
    expect(indexFiles(fs)).toHaveLength(1);
    // What b wrote is in a's base, and a's index shows it.
    expect(a.index.get(ids[2])!.tags).toEqual(['from b']);
    restore();
    const c = new StoreIndex({ now, store: new LabbookStore({ fs }) });
    await c.load({ check: false });
    expect(ids.map(id => c.get(id)!.tags)).toEqual([
      ['a0'],
      ['a1'],
      ['from b'],
      ['a3'],
      ['a4'],
      ['a5']
    ]);
  });

  it('does not delete a chunk another writer adds while it compacts', async () => {
    const fs = new MemoryStoreFS();
    const a = await open(fs, 'aaaa1111', { compactAfter: 1000 });
    opened.push(a.index);
    for (let i = 0; i < 3; i++) {
      await a.store.createExperiment({
        name: `r${i}`,
        notebook: 'n.ipynb',
        kernel
      });
      await a.index.flush();
    }
    // B's chunk lands right after A listed the index to compact it.
    const b = await open(fs, 'bbbb2222');
    opened.push(b.index);
    const list = fs.list.bind(fs);
    let injected = false;
    fs.list = async (dir: string): Promise<IStoreEntry[]> => {
      const entries = await list(dir);
      if (dir === 'index' && !injected) {
        injected = true;
        await b.store.createExperiment({
          name: 'late',
          notebook: 'n.ipynb',
          kernel
        });
        await b.index.flush();
      }
      return entries;
    };
    await a.index.compact();
    fs.list = list;
    expect(indexFiles(fs).some(f => f.endsWith('-bbbb2222.json'))).toBe(true);
    const c = new StoreIndex({ now, store: new LabbookStore({ fs }) });
    const { summaries } = await c.load({ check: false });
    expect(summaries.map(s => s.name).sort()).toEqual([
      'late',
      'r0',
      'r1',
      'r2'
    ]);
  });

  it('lists again, without a rebuild, when another writer compacts while it loads', async () => {
    const fs = new MemoryStoreFS();
    const a = await open(fs, 'aaaa1111', { compactAfter: 1000 });
    opened.push(a.index);
    for (let i = 0; i < 3; i++) {
      await a.store.createExperiment({
        name: `r${i}`,
        notebook: 'n.ipynb',
        kernel
      });
      await a.index.flush();
    }
    const list = fs.list.bind(fs);
    let compacted = false;
    fs.list = async (dir: string): Promise<IStoreEntry[]> => {
      const entries = await list(dir);
      if (dir === 'index' && !compacted) {
        compacted = true; // the chunks just listed are folded and deleted
        await a.index.compact();
      }
      return entries;
    };
    const reader = new StoreIndex({ now, store: new LabbookStore({ fs }) });
    const loaded = await reader.load({ check: false });
    fs.list = list;
    expect(compacted).toBe(true);
    expect(loaded.rebuilt).toBe(false);
    expect(loaded.damaged).toEqual([]);
    expect(loaded.summaries.map(s => s.name).sort()).toEqual([
      'r0',
      'r1',
      'r2'
    ]);
  });

  it('rejects with the error when the store cannot be reached, and leaves the index alone', async () => {
    const fs = new MemoryStoreFS();
    const a = await open(fs, 'aaaa1111');
    opened.push(a.index);
    await a.store.createExperiment({ name: 'x', notebook: 'n.ipynb', kernel });
    await a.index.flush();
    const before = indexFiles(fs);
    const readText = fs.readText.bind(fs);
    fs.readText = async () => {
      throw new Error('Server unreachable');
    };
    const reader = new StoreIndex({ now, store: new LabbookStore({ fs }) });
    await expect(reader.load()).rejects.toThrow('Server unreachable');
    fs.readText = readText;
    expect(indexFiles(fs)).toEqual(before);
  });

  it('reports rebuild progress folder by folder', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs });
    for (let i = 0; i < 3; i++) {
      await store.createExperiment({
        name: `r${i}`,
        notebook: 'n.ipynb',
        kernel
      });
    }
    const progress: string[] = [];
    await new StoreIndex({ now, store }).load({
      onProgress: (done, total) => progress.push(`${done}/${total}`)
    });
    expect(progress).toEqual(['0/3', '1/3', '2/3', '3/3']);
  });

  it("records which writers logged an experiment's metrics, through appends, a resumed tab and a rebuild", async () => {
    const fs = new MemoryStoreFS();
    const a = await open(fs, 'aaaa1111');
    opened.push(a.index);
    const e = await a.store.createExperiment({
      name: 'w',
      notebook: 'n.ipynb',
      kernel
    });
    const quiet = await a.store.createExperiment({
      name: 'no metrics',
      notebook: 'n.ipynb',
      kernel
    });
    await a.store.appendMetrics(e.id, [
      { name: 'loss', steps: [0], times: [0], values: [1] }
    ]);
    await a.index.flush();
    expect(a.index.get(e.id)!.metricWriters).toEqual(['aaaa1111']);
    // Created here, never logged to: known to have no metric writers.
    expect(a.index.get(quiet.id)!.metricWriters).toEqual([]);

    // Another tab goes on logging into it (a page reloaded mid-run).
    const b = await open(fs, 'bbbb2222');
    opened.push(b.index);
    await b.store.appendMetrics(e.id, [
      { name: 'loss', steps: [1], times: [0], values: [0.5] }
    ]);
    await b.index.flush();
    await vi.waitFor(() =>
      expect(b.index.get(e.id)!.metricWriters).toEqual(['aaaa1111', 'bbbb2222'])
    );
    await b.index.flush();
    const c = new StoreIndex({ now, store: new LabbookStore({ fs }) });
    await c.load();
    expect(c.get(e.id)!.metricWriters).toEqual(['aaaa1111', 'bbbb2222']);
    expect(c.get(e.id)!.metrics.loss.count).toBe(2);

    // Rebuilt from the folders: the same, from the chunk names.
    for (const f of indexFiles(fs)) {
      fs.files.delete(f);
    }
    const d = new StoreIndex({ now, store: new LabbookStore({ fs }) });
    expect((await d.load()).rebuilt).toBe(true);
    expect(d.get(e.id)!.metricWriters).toEqual(['aaaa1111', 'bbbb2222']);
    expect(d.get(quiet.id)!.metricWriters).toEqual([]);
  });

  it('rebuilds a damaged index from the folders and reports the damaged file', async () => {
    const fs = new MemoryStoreFS();
    const { store, index } = await open(fs, 'aaaa1111');
    opened.push(index);
    const e = await store.createExperiment({
      name: 'kept',
      notebook: 'n.ipynb',
      kernel
    });
    await store.appendMetrics(e.id, [
      { name: 'loss', steps: [0], times: [0], values: [0.3] }
    ]);
    await index.flush();
    const chunk = indexFiles(fs)[0];
    fs.files.set(chunk, new TextEncoder().encode('{"format": "labbook-ind'));

    const reader = new StoreIndex({ now, store: new LabbookStore({ fs }) });
    const loaded = await reader.load();
    expect(loaded.rebuilt).toBe(true);
    expect(loaded.damaged).toEqual([
      { id: '', path: chunk, problem: expect.stringMatching(/not valid JSON/) }
    ]);
    expect(loaded.summaries[0]).toMatchObject({
      name: 'kept',
      metrics: { loss: { last: 0.3, count: 1 } }
    });
    // The damaged file was replaced: the next load needs no rebuild.
    expect(indexFiles(fs).some(f => f === chunk)).toBe(false);
    const again = await new StoreIndex({
      now,
      store: new LabbookStore({ fs })
    }).load();
    expect(again.rebuilt).toBe(false);
    expect(again.damaged).toEqual([]);
  });

  it('rebuilds when an index file has the wrong format, and names the problem', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs });
    await store.createExperiment({ name: 'x', notebook: 'n.ipynb', kernel });
    await fs.writeText(
      'index/0000000000000001-zzzz9999.json',
      JSON.stringify({
        format: 'labbook-index',
        version: 1,
        writer: 'z',
        entries: [{ id: 'x' }]
      })
    );
    const loaded = await new StoreIndex({ now, store }).load();
    expect(loaded.rebuilt).toBe(true);
    expect(loaded.damaged[0].problem).toMatch(/entry 0: no valid stamp/);
    expect(loaded.summaries.map(s => s.name)).toEqual(['x']);
  });

  it('leaves an index file of a newer Labbook in place and works from the folders', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs });
    await store.createExperiment({ name: 'x', notebook: 'n.ipynb', kernel });
    const newer = 'index/base-0000000000000001-zzzz9999.json';
    const text = JSON.stringify({
      format: 'labbook-index',
      version: 2,
      writer: 'z',
      entries: []
    });
    await fs.writeText(newer, text);
    const index = new StoreIndex({ now, store });
    const loaded = await index.load();
    expect(loaded.rebuilt).toBe(true);
    expect(loaded.damaged[0].problem).toMatch(/newer Labbook/);
    expect(loaded.summaries).toHaveLength(1);
    expect(indexFiles(fs)).toEqual([newer]);
    expect(await fs.readText(newer)).toBe(text);
  });

  it('lists an experiment with unreadable files as damaged, with what could be read', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs, writer: 'aaaa1111' });
    const broken = await store.createExperiment({
      name: 'broken',
      notebook: 'n.ipynb',
      kernel
    });
    const partly = await store.createExperiment({
      name: 'partly',
      notebook: 'n.ipynb',
      kernel
    });
    await store.appendMetrics(partly.id, [
      { name: 'acc', steps: [0], times: [0], values: [0.9] }
    ]);
    await fs.writeText(`experiments/${broken.id}/experiment.json`, 'garbage');
    await fs.writeText(`experiments/${partly.id}/metrics/0000-bad.json`, '{');

    const index = new StoreIndex({ now, store });
    const loaded = await index.load();
    expect(loaded.rebuilt).toBe(true);
    expect(loaded.damaged.map(d => d.path).sort()).toEqual(
      [
        `experiments/${broken.id}/experiment.json`,
        `experiments/${partly.id}/metrics/0000-bad.json`
      ].sort()
    );
    const b = index.get(broken.id)!;
    expect(b.damaged).toMatch(/experiment\.json: not valid JSON/);
    expect(b.name).toBe(broken.id);
    const p = index.get(partly.id)!;
    expect(p.name).toBe('partly');
    expect(p.metrics.acc.last).toBe(0.9);
    expect(p.damaged).toMatch(/metrics\/0000-bad\.json/);
    // The damage is in the index too: a later reader still shows it.
    const reader = new StoreIndex({ now, store: new LabbookStore({ fs }) });
    await reader.load();
    expect(reader.get(broken.id)!.damaged).toMatch(/not valid JSON/);
    expect(reader.get(partly.id)!.damaged).toMatch(/0000-bad/);
  });

  it("tells listeners which experiment changed, and whether the change was its own store's", async () => {
    const fs = new MemoryStoreFS();
    const { store, index } = await open(fs, 'aaaa1111');
    opened.push(index);
    const seen: { ids: readonly string[] | null; own: boolean }[] = [];
    index.changed.connect((_, c) => seen.push({ ids: c.ids, own: !!c.own }));
    const e = await store.createExperiment({
      name: 'x',
      notebook: 'n.ipynb',
      kernel
    });
    await index.flush();
    expect(seen).toContainEqual({ ids: [e.id], own: true });
    expect(index.summaries[0].name).toBe('x');

    // Another writer renames it: read again on request, not this store's change.
    const other = new LabbookStore({ fs, writer: 'bbbb2222' });
    await other.updateExperiment(e.id, { name: 'renamed elsewhere' });
    seen.length = 0;
    await index.reread([e.id]);
    expect(seen).toEqual([{ ids: [e.id], own: false }]);
    // A folder written without an index, found by the folder check.
    const lone = await other.createExperiment({
      name: 'lone',
      notebook: 'n.ipynb',
      kernel
    });
    seen.length = 0;
    await index.checkFolders();
    expect(seen).toContainEqual({ ids: [lone.id], own: false });
    expect(seen.some(c => c.own)).toBe(false);
  });
});

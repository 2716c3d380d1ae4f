import { afterEach, describe, expect, it, vi } from 'vitest';
import { Signal } from '@lumino/signaling';
import type { IStoreIndexChange } from '../../../../src/core/index/storeindex';
import { MemoryStoreFS } from '../../../../src/core/store/memoryfs';
import { LabbookStore } from '../../../../src/core/store/store';
import {
  ExperimentDetailModel,
  type DetailPart,
  type DetailStore
} from '../../../../src/lab/panel/detail/model';
import { recordReads } from '../../../core/store/recordreads';

const kernel = { name: 'python3', language: 'python' };
/** One clock for every tab of a test: edits order as they are made. */
let tick = 0;
const now = () => new Date(Date.UTC(2026, 0, 1) + 1000 * tick++);
const text = (name: string, step: number) => ({
  name,
  text: `${name} at ${step}`,
  step,
  time: 1_700_000_000_000 + step,
  parent: null
});

async function setup(names = ['a']) {
  const fs = new MemoryStoreFS();
  const store = new LabbookStore({ fs, writer: 'tab1aaaa', now });
  const ids: string[] = [];
  for (const name of names) {
    const e = await store.createExperiment({
      name,
      notebook: `${name}.ipynb`,
      kernel
    });
    ids.push(e.id);
  }
  const index = new Signal<unknown, IStoreIndexChange>({});
  const model = new ExperimentDetailModel({
    store,
    index: { changed: index }
  });
  const parts: DetailPart[] = [];
  model.partChanged.connect((_, p) => parts.push(p));
  return { fs, store, ids, index, model, parts };
}

/** Resolves when the model next announces `part`. */
function next(model: ExperimentDetailModel, part: DetailPart): Promise<void> {
  return new Promise(resolve => {
    const on = (_: unknown, p: DetailPart) => {
      if (p === part) {
        model.partChanged.disconnect(on);
        resolve();
      }
    };
    model.partChanged.connect(on);
  });
}

/** `store` with `getExperiment(id)` held until `release()` is called. */
function holdOpen(
  store: LabbookStore,
  id: string
): { store: DetailStore; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>(resolve => (release = resolve));
  const held: DetailStore = Object.create(store);
  held.getExperiment = async (x: string) => {
    if (x === id) {
      await gate;
    }
    return store.getExperiment(x);
  };
  return { store: held, release };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ExperimentDetailModel', () => {
  it('opens an experiment with every part read and announced', async () => {
    const { store, ids, model, parts } = await setup();
    await store.appendTexts(ids[0], [text('log', 1), text('log', 2)]);
    await store.appendMetrics(ids[0], [
      { name: 'loss', steps: [0, 1, 2], times: [1, 2, 3], values: [3, 2, 1] }
    ]);
    await store.flushMetricsOverviews(ids[0]);
    await store.saveSnapshot(ids[0], 'start', {
      cells: [],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5
    });

    expect(await model.open(ids[0])).toBe(true);
    expect(model.current?.name).toBe('a');
    expect(model.opening).toBeNull();
    expect(new Set(parts)).toEqual(
      new Set([
        'experiment',
        'history',
        'snapshots',
        'metrics',
        'texts',
        'images',
        'environment'
      ])
    );
    expect(model.texts.map(x => x.step)).toEqual([1, 2]);
    expect(model.metrics.map(l => l.name)).toEqual(['loss']);
    expect(model.snapshots.map(s => s.reason)).toEqual(['start']);
    expect(model.damaged).toEqual([]);
    model.dispose();
  });

  it('shows the experiment asked for last when an earlier open ends later', async () => {
    const { store, ids } = await setup(['slow', 'quick']);
    await store.appendTexts(ids[0], [text('slow', 1)]);
    await store.appendTexts(ids[1], [text('quick', 1)]);
    const held = holdOpen(store, ids[0]);
    const model = new ExperimentDetailModel({ store: held.store });
    const shown: (string | null)[] = [];
    model.currentChanged.connect((_, e) => shown.push(e?.name ?? null));

    const first = model.open(ids[0]);
    const second = model.open(ids[1]);
    expect(await second).toBe(true);
    held.release();
    expect(await first).toBe(false);

    expect(model.current?.name).toBe('quick');
    expect(model.texts.map(x => x.name)).toEqual(['quick']);
    expect(shown).toEqual(['quick']);
    model.dispose();
  });

  it('stays on the list when it is closed while an experiment opens', async () => {
    const { store, ids } = await setup();
    const held = holdOpen(store, ids[0]);
    const model = new ExperimentDetailModel({ store: held.store });
    const opening = model.open(ids[0]);
    model.close();
    held.release();
    expect(await opening).toBe(false);
    expect(model.current).toBeNull();
    model.dispose();
  });

  it('coalesces a burst of changes into one read of the parts they touch, after 500 ms', async () => {
    vi.useFakeTimers();
    const { fs, store, ids, model, parts } = await setup();
    await model.open(ids[0]);
    parts.length = 0;
    const reads = recordReads(fs);

    await store.appendTexts(ids[0], [text('log', 1)]);
    await store.appendTexts(ids[0], [text('log', 2)]);
    await store.appendTexts(ids[0], [text('log', 3)]);
    await vi.advanceTimersByTimeAsync(499);
    expect(parts).toEqual([]);
    expect(reads.paths).toEqual([]);

    const texts = next(model, 'texts');
    await vi.advanceTimersByTimeAsync(1);
    await texts;
    reads.restore();
    expect(parts).toEqual(['texts']);
    expect(model.texts.map(x => x.step)).toEqual([1, 2, 3]);
    // Only the texts were read again: not the history, metrics or snapshots.
    expect(reads.paths.length).toBeGreaterThan(0);
    expect(reads.paths.every(p => p.includes('/texts/'))).toBe(true);
    model.dispose();
  });

  it('reads what changed while an experiment opened once its first read ends', async () => {
    vi.useFakeTimers();
    const { store, ids } = await setup(['shown', 'next']);
    const held = holdOpen(store, ids[1]);
    const model = new ExperimentDetailModel({ store: held.store });
    await model.open(ids[0]);
    const parts: DetailPart[] = [];
    model.partChanged.connect((_, p) => parts.push(p));

    const opening = model.open(ids[1]);
    // Written after the open started but before it read anything: nothing
    // is read for it while the experiment opens, however long that takes.
    await store.appendTexts(ids[1], [text('early', 1)]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(parts).toEqual([]);
    expect(model.dirty.has('texts')).toBe(true);
    held.release();
    await opening;
    await store.appendTexts(ids[1], [text('late', 2)]);

    const texts = next(model, 'texts');
    await vi.advanceTimersByTimeAsync(500);
    await texts;
    expect(model.current?.name).toBe('next');
    expect(model.texts.map(x => x.name)).toEqual(['early', 'late']);
    model.dispose();
  });

  it('reads the whole detail again for another tab, not for its own index entries', async () => {
    vi.useFakeTimers();
    const { ids, index, model, parts } = await setup();
    await model.open(ids[0]);
    parts.length = 0;

    index.emit({ ids: [ids[0]], own: true });
    index.emit({ ids: ['someone-else'] });
    await vi.advanceTimersByTimeAsync(1000);
    expect(parts).toEqual([]);

    const history = next(model, 'history');
    index.emit({ ids: [ids[0]] });
    await vi.advanceTimersByTimeAsync(500);
    await history;
    expect(new Set(parts).size).toBe(7);
    model.dispose();
  });

  it('once a chart asked for points, reads only the metric chunks written since', async () => {
    vi.useFakeTimers();
    const { fs, store, ids, model } = await setup();
    await store.appendMetrics(ids[0], [
      { name: 'loss', steps: [0, 1], times: [1, 2], values: [4, 3] }
    ]);
    await model.open(ids[0]);
    await model.loadPoints();
    const before = [...fs.files.keys()].filter(p => p.includes('/metrics/'));

    await store.appendMetrics(ids[0], [
      { name: 'loss', steps: [2], times: [3], values: [2] }
    ]);
    const reads = recordReads(fs);
    const metrics = next(model, 'metrics');
    await vi.advanceTimersByTimeAsync(500);
    await metrics;
    reads.restore();

    expect(reads.paths.some(p => before.includes(p))).toBe(false);
    expect(reads.paths.some(p => p.includes('/metrics/'))).toBe(true);
    const loss = model.metrics.find(l => l.name === 'loss');
    expect(loss?.count).toBe(3);
    expect(Array.from(loss?.series?.values ?? [])).toEqual([4, 3, 2]);
    model.dispose();
  });

  it('edits write to the store, and a tag list edit keeps what another tab added', async () => {
    const { fs, store, ids, model, parts } = await setup();
    await model.open(ids[0]);
    const other = new LabbookStore({ fs, writer: 'tab2bbbb', now });
    await other.updateExperiment(ids[0], { tags: ['theirs'] });
    parts.length = 0;

    await model.edit({ name: 'renamed', starred: true });
    await model.editList('tags', ['mine']);

    expect(parts).toEqual(['experiment', 'experiment']);
    const stored = await store.getExperiment(ids[0]);
    expect(stored.name).toBe('renamed');
    expect(stored.starred).toBe(true);
    expect(stored.tags).toEqual(['theirs', 'mine']);
    expect(model.current?.tags).toEqual(['theirs', 'mine']);
    model.dispose();
  });

  it('reports a damaged file on its part and drops it when that part reads clean', async () => {
    vi.useFakeTimers();
    const { fs, store, ids, model } = await setup();
    await store.appendTexts(ids[0], [text('log', 1)]);
    const chunk = [...fs.files.keys()].find(p => p.includes('/texts/'))!;
    fs.files.set(chunk, new TextEncoder().encode('{ not json'));

    await model.open(ids[0]);
    expect(model.damaged.map(d => d.path)).toEqual([chunk]);

    fs.files.delete(chunk);
    await store.appendTexts(ids[0], [text('log', 2)]);
    const texts = next(model, 'texts');
    await vi.advanceTimersByTimeAsync(500);
    await texts;
    expect(model.damaged).toEqual([]);
    expect(model.texts.map(x => x.step)).toEqual([2]);
    model.dispose();
  });

  it('deleting the experiment shown shows none', async () => {
    const { store, ids, model } = await setup();
    await model.open(ids[0]);
    const shown: (string | null)[] = [];
    model.currentChanged.connect((_, e) => shown.push(e?.id ?? null));
    await model.deleteCurrent();
    expect(model.current).toBeNull();
    expect(shown).toEqual([null]);
    expect((await store.listExperiments()).experiments).toEqual([]);
    model.dispose();
  });
});

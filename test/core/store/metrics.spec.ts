import { describe, expect, it } from 'vitest';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';
import { LabbookStore } from '../../../src/core/store/store';

const kernel = { name: 'python3', language: 'python' };

describe('metric series in the store', () => {
  it('keeps points in logged order across chunks and writers, NaN and infinities included', async () => {
    const fs = new MemoryStoreFS();
    const one = new LabbookStore({ fs, writer: 'aaaa1111' });
    const e = await one.createExperiment({
      name: 'm',
      notebook: 'm.ipynb',
      kernel
    });
    await one.appendMetrics(e.id, [
      { name: 'loss', steps: [0, 1], times: [10, 20], values: [1, NaN] },
      { name: 'odd/name "x"', steps: [0], times: [10], values: [Infinity] }
    ]);
    await one.appendMetrics(e.id, [
      { name: 'loss', steps: [2], times: [30], values: [-Infinity] }
    ]);
    const { series, damaged } = await one.loadMetrics(e.id);
    expect(damaged).toEqual([]);
    expect(series.map(s => s.name)).toEqual(['loss', 'odd/name "x"']);
    expect(Array.from(series[0].steps)).toEqual([0, 1, 2]);
    expect(Array.from(series[0].values)).toEqual([1, NaN, -Infinity]);
    expect(Array.from(series[0].times)).toEqual([10, 20, 30]);
    expect(Array.from(series[1].values)).toEqual([Infinity]);
  });

  it('reports a damaged chunk and keeps the others', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs });
    const e = await store.createExperiment({
      name: 'm',
      notebook: 'm.ipynb',
      kernel
    });
    await store.appendMetrics(e.id, [
      { name: 'acc', steps: [0], times: [1], values: [0.5] }
    ]);
    await fs.writeText(
      `experiments/${e.id}/metrics/0000-broken.json`,
      '{"form'
    );
    const { series, damaged } = await store.loadMetrics(e.id);
    expect(Array.from(series[0].values)).toEqual([0.5]);
    expect(damaged).toHaveLength(1);
    expect(damaged[0].path).toMatch(/metrics\/0000-broken\.json$/);
  });

  it('merges logged params by name', async () => {
    const store = new LabbookStore({ fs: new MemoryStoreFS() });
    const e = await store.createExperiment({
      name: 'p',
      notebook: 'p.ipynb',
      kernel
    });
    await store.updateExperiment(e.id, { params: { lr: 0.1, layers: [2, 3] } });
    await store.updateExperiment(e.id, { params: { lr: 0.01 } });
    expect((await store.getExperiment(e.id)).params).toEqual({
      lr: 0.01,
      layers: [2, 3]
    });
  });

  it('reads only the chunks it has not read yet', async () => {
    const store = new LabbookStore({ fs: new MemoryStoreFS() });
    const e = await store.createExperiment({
      name: 'i',
      notebook: 'i.ipynb',
      kernel
    });
    await store.appendMetrics(e.id, [
      { name: 'loss', steps: [0], times: [0], values: [1] }
    ]);
    const first = await store.loadMetrics(e.id);
    await store.appendMetrics(e.id, [
      { name: 'loss', steps: [1, 2], times: [0, 0], values: [0.5, 0.25] }
    ]);
    const next = await store.loadMetrics(e.id, {
      skip: new Set(first.chunks)
    });
    expect(next.chunks).toHaveLength(1);
    expect(Array.from(next.series[0].steps)).toEqual([1, 2]);
  });

  it('keeps logged texts in order and reports a damaged chunk', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs });
    const e = await store.createExperiment({
      name: 't',
      notebook: 't.ipynb',
      kernel
    });
    await store.appendTexts(e.id, [
      { name: 'log', text: '<b>one</b>', step: 1, time: 1, parent: null },
      { name: 'log', text: 'two', step: 2, time: 2, parent: 'm' }
    ]);
    await fs.writeText(`experiments/${e.id}/texts/0000-bad.json`, '[');
    const { texts, damaged } = await store.loadTexts(e.id);
    expect(texts.map(t => t.text)).toEqual(['<b>one</b>', 'two']);
    expect(damaged).toHaveLength(1);
  });
});

describe('kernel batch marks', () => {
  it('tell a second writer which batches of a kernel session are stored', async () => {
    const fs = new MemoryStoreFS();
    const first = new LabbookStore({ fs, writer: 'aaaa1111' });
    const e = await first.createExperiment({
      name: 'm',
      notebook: 'm.ipynb',
      kernel
    });
    const point = (step: number) => [
      { name: 'loss', steps: [step], times: [step], values: [step] }
    ];
    for (let seq = 1; seq <= 6; seq++) {
      await first.appendMetrics(e.id, point(seq), {
        batch: { session: 'k1', seq }
      });
    }
    const second = new LabbookStore({ fs, writer: 'bbbb2222' });
    expect(await second.lastBatchSeq(e.id, 'k1')).toBe(6);
    expect(await second.lastBatchSeq(e.id, 'other')).toBe(0);
  });
});

describe('the execution that logged a metric', () => {
  it('is stored with its points and read back per metric, in order', async () => {
    const store = new LabbookStore({ fs: new MemoryStoreFS() });
    const e = await store.createExperiment({
      name: 'm',
      notebook: 'm.ipynb',
      kernel
    });
    const pts = (step: number, parent: string | null) => ({
      name: 'loss',
      parent,
      steps: [step],
      times: [step],
      values: [step]
    });
    await store.appendMetrics(e.id, [pts(0, 'exec-1')]);
    await store.appendMetrics(e.id, [
      pts(1, 'exec-2'),
      { ...pts(2, null), name: 'acc' }
    ]);
    await store.appendMetrics(e.id, [pts(3, 'exec-1')]);
    const { series } = await store.loadMetrics(e.id);
    expect(series.map(s => [s.name, s.parents])).toEqual([
      ['acc', []],
      ['loss', ['exec-1', 'exec-2']]
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { applyBatch } from '../../../src/core/kernel/applybatch';
import type { IEnvironment } from '../../../src/core/model';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';
import { LabbookStore } from '../../../src/core/store/store';
import type { DecodedItem, IDecodedBatch } from '../../../src/kernel/protocol';

const kernel = { name: 'python3', language: 'python' };
const base = { parent: 'msg-1', time: 1_700_000_000_000 };

function batch(
  seq: number,
  items: DecodedItem[],
  metrics: IDecodedBatch['metrics'] = []
): IDecodedBatch {
  return { session: 's1', seq, metrics, items, skipped: 0 };
}

function imagePart(chunk: number, data: number[]): DecodedItem {
  return {
    ...base,
    kind: 'image',
    id: 'img1',
    name: 'samples',
    mime: 'image/png',
    step: 3,
    caption: 'epoch 3',
    width: 2,
    height: 1,
    size: 4,
    chunk,
    chunks: 2,
    data: Uint8Array.from(data)
  };
}

async function setup() {
  const fs = new MemoryStoreFS();
  const store = new LabbookStore({ fs, writer: 'aaaa1111' });
  const e = await store.createExperiment({
    name: 'run',
    notebook: 'train.ipynb',
    kernel,
    tags: ['baseline'],
    notes: 'first try'
  });
  return { fs, store, id: e.id };
}

describe('applyBatch: a kernel batch in the store', () => {
  it('stores every kind of logged item where the views read it', async () => {
    const { store, id } = await setup();
    const env: IEnvironment = {
      collected: '2026-12-03T07:00:00Z',
      packages: { numpy: '2.1.0' }
    };
    await applyBatch(
      store,
      id,
      batch(
        1,
        [
          {
            ...base,
            kind: 'params',
            params: { lr: 0.01 },
            reprs: { model: 'Net()' }
          },
          { ...base, kind: 'text', name: 'log', text: '<b>hi</b>', step: 1 },
          {
            ...base,
            kind: 'text',
            name: 'log',
            text: 'cut',
            step: 2,
            truncated: true
          },
          {
            ...base,
            kind: 'input',
            input: {
              name: 'data',
              path: 'data.csv',
              size: 10,
              mtime: null,
              hash: null
            }
          },
          { ...base, kind: 'tags', tags: ['sweep', 'baseline'] },
          { ...base, kind: 'note', text: 'looks good', append: true },
          { ...base, kind: 'name', name: 'renamed' },
          { ...base, kind: 'env', env }
        ],
        [
          {
            name: 'loss',
            parent: 'msg-1',
            values: Float64Array.of(1, NaN),
            steps: Float64Array.of(0, 1),
            times: Float64Array.of(10, 20)
          }
        ]
      )
    );
    const e = await store.getExperiment(id);
    expect(e.name).toBe('renamed');
    expect(e.params).toEqual({ lr: 0.01, model: { source: 'Net()' } });
    expect(e.tags).toEqual(['baseline', 'sweep']);
    expect(e.notes).toBe('first try\nlooks good');
    const { series } = await store.loadMetrics(id);
    expect(
      series.map(s => [s.name, Array.from(s.values), Array.from(s.steps)])
    ).toEqual([['loss', [1, NaN], [0, 1]]]);
    const { texts } = await store.loadTexts(id);
    expect(texts.map(t => [t.text, t.step, t.truncated ?? false])).toEqual([
      ['<b>hi</b>', 1, false],
      ['cut', 2, true]
    ]);
    const { inputs } = await store.loadInputs(id);
    expect(inputs.map(i => [i.path, i.time, i.parent])).toEqual([
      ['data.csv', base.time, 'msg-1']
    ]);
    expect((await store.loadEnvironment(id))?.packages).toEqual({
      numpy: '2.1.0'
    });
    // Marked, so a replay of this batch is recognised.
    expect(await store.lastBatchSeq(id, 's1')).toBe(1);
  });

  it('lists an image only once its last part is stored, whole', async () => {
    const { store, id } = await setup();
    await applyBatch(store, id, batch(1, [imagePart(0, [1, 2])]));
    expect((await store.loadImages(id)).images).toEqual([]);
    await applyBatch(store, id, batch(2, [imagePart(1, [3, 4])]));
    const { images } = await store.loadImages(id);
    expect(images.map(i => [i.name, i.step, i.parts])).toEqual([
      ['samples', 3, 2]
    ]);
    expect([...(await store.loadImageBytes(id, images[0]))]).toEqual([
      1, 2, 3, 4
    ]);
  });

  it('replaces the notes when the note is not appended', async () => {
    const { store, id } = await setup();
    await applyBatch(
      store,
      id,
      batch(1, [{ ...base, kind: 'note', text: 'new', append: false }])
    );
    expect((await store.getExperiment(id)).notes).toBe('new');
  });

  it('writes no text, image or input file for a batch without them', async () => {
    const { fs, store, id } = await setup();
    const before = new Set(fs.files.keys());
    await applyBatch(
      store,
      id,
      batch(
        1,
        [],
        [
          {
            name: 'acc',
            parent: null,
            values: Float64Array.of(0.5),
            steps: Float64Array.of(0),
            times: Float64Array.of(1)
          }
        ]
      )
    );
    const added = [...fs.files.keys()].filter(k => !before.has(k));
    expect(added.length).toBeGreaterThan(0);
    expect(added.filter(k => /\/(texts|images|inputs)\//.test(k))).toEqual([]);
  });

  it('hands the environment to the caller when asked, instead of saving it', async () => {
    const { store, id } = await setup();
    const seen: IEnvironment[] = [];
    const env: IEnvironment = { collected: '2026-12-03T07:00:00Z' };
    await applyBatch(store, id, batch(1, [{ ...base, kind: 'env', env }]), {
      environment: async e => {
        seen.push(e);
      }
    });
    expect(seen).toEqual([env]);
    expect(await store.loadEnvironment(id)).toBeNull();
  });

  it('rejects when a write fails, so the batch is not acknowledged', async () => {
    const { fs, store, id } = await setup();
    fs.writeText = async () => {
      throw new Error('server gone');
    };
    await expect(
      applyBatch(
        store,
        id,
        batch(1, [{ ...base, kind: 'text', name: 'log', text: 'x', step: 0 }])
      )
    ).rejects.toThrow('server gone');
  });
});

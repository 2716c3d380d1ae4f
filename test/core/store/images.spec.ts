import { describe, expect, it } from 'vitest';
import type { ILoggedImage } from '../../../src/core/model';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';
import { LabbookStore } from '../../../src/core/store/store';

const kernel = { name: 'python3', language: 'python' };

function record(
  id: string,
  bytes: Uint8Array,
  parts: number,
  step: number | null
): ILoggedImage {
  return {
    id,
    name: 'samples <img src=x>',
    mime: 'image/png',
    step,
    caption: 'c',
    width: 2,
    height: 2,
    size: bytes.length,
    parts,
    time: 1,
    parent: 'm1'
  };
}

describe('logged images in the store', () => {
  it('joins the parts of an image written by two writers, in order', async () => {
    const fs = new MemoryStoreFS();
    const a = new LabbookStore({ fs, writer: 'aaaa1111' });
    const b = new LabbookStore({ fs, writer: 'bbbb2222' });
    const e = await a.createExperiment({
      name: 'i',
      notebook: 'i.ipynb',
      kernel
    });
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
    // Tab A stored two parts, then closed; tab B got the rest on reconnect.
    await a.putImagePart(e.id, 'f00d', 0, bytes.subarray(0, 400));
    await a.putImagePart(e.id, 'f00d', 1, bytes.subarray(400, 800));
    await b.putImagePart(e.id, 'f00d', 2, bytes.subarray(800));
    await b.appendImages(e.id, [record('f00d', bytes, 3, 5)]);
    const { images, damaged } = await a.loadImages(e.id);
    expect(damaged).toEqual([]);
    expect(images.map(i => [i.id, i.name, i.step])).toEqual([
      ['f00d', 'samples <img src=x>', 5]
    ]);
    expect(Array.from(await a.loadImageBytes(e.id, images[0]))).toEqual(
      Array.from(bytes)
    );
  });

  it('says which image is short of bytes instead of showing a broken one', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs });
    const e = await store.createExperiment({
      name: 'i',
      notebook: 'i.ipynb',
      kernel
    });
    const bytes = new Uint8Array(10);
    await store.putImagePart(e.id, 'beef', 0, bytes.subarray(0, 4));
    await store.putImagePart(e.id, 'beef', 1, bytes.subarray(0, 4));
    await store.appendImages(e.id, [record('beef', bytes, 2, null)]);
    const { images } = await store.loadImages(e.id);
    await expect(store.loadImageBytes(e.id, images[0])).rejects.toThrow(
      /8 of its 10 bytes/
    );
  });

  it('refuses image ids that would leave the folder and skips bad records', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs });
    const e = await store.createExperiment({
      name: 'i',
      notebook: 'i.ipynb',
      kernel
    });
    await expect(
      store.putImagePart(e.id, '../../x', 0, new Uint8Array(1))
    ).rejects.toThrow(/not an image id/);
    const good = record('c0ffee', new Uint8Array(1), 1, 1);
    await store.appendImages(e.id, [
      good,
      { ...good, id: '../up' },
      { ...good, id: 'svg1', mime: 'image/svg+xml' as any }
    ]);
    const { images } = await store.loadImages(e.id);
    expect(images.map(i => i.id)).toEqual(['c0ffee']);
  });
});

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeStoreFS } from '../../../src/core/node/nodefs';
import { StoreNotFoundError, StorePathError } from '../../../src/core/store/fs';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';
import { LabbookStore } from '../../../src/core/store/store';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'labbook-nodefs-'));
  dirs.push(d);
  return d;
}
afterEach(() =>
  dirs.splice(0).forEach(d => rmSync(d, { recursive: true, force: true }))
);

function listFiles(root: string, prefix = ''): string[] {
  return readdirSync(join(root, prefix), { withFileTypes: true }).flatMap(e =>
    e.isDirectory()
      ? listFiles(root, join(prefix, e.name))
      : [join(prefix, e.name)]
  );
}

describe('NodeStoreFS', () => {
  it('writes, reads, lists and removes inside its root', async () => {
    const root = tmp();
    const fs = new NodeStoreFS(root);
    await fs.writeText('a/b/c.json', '{"x":1}');
    expect(await fs.readText('a/b/c.json')).toBe('{"x":1}');
    expect(await fs.list('a')).toEqual([{ name: 'b', type: 'directory' }]);
    expect(await fs.list('missing')).toEqual([]);
    await expect(fs.readText('nope.json')).rejects.toThrow(StoreNotFoundError);
    await fs.remove('a');
    expect(await fs.exists('a/b/c.json')).toBe(false);
  });

  it('refuses paths that leave the root', async () => {
    const fs = new NodeStoreFS(tmp());
    await expect(fs.writeText('../escape.txt', 'x')).rejects.toThrow(
      StorePathError
    );
    await expect(fs.readText('/etc/passwd')).rejects.toThrow(StorePathError);
  });

  it('hides temporary files of interrupted atomic writes from listings', async () => {
    const root = tmp();
    const fs = new NodeStoreFS(root);
    await fs.writeText('d/x.json', '1');
    writeFileSync(join(root, 'd', 'y.json.123.abc.tmp'), 'half');
    expect((await fs.list('d')).map(e => e.name)).toEqual(['x.json']);
  });

  it('holds the identical layout the memory backend holds', async () => {
    const root = tmp();
    const write = async (store: LabbookStore) => {
      const e = await store.createExperiment({
        name: 'same',
        notebook: 'f/n.ipynb',
        kernel: { name: 'python3', language: 'python' }
      });
      await store.updateExperiment(e.id, { tags: ['t'] });
      await store.saveSnapshot(e.id, 'start', {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [{ cell_type: 'raw', source: 'x', metadata: {} }]
      });
      return e.id;
    };
    const clock = () => new Date('2026-11-24T09:00:00Z');
    const mem = new MemoryStoreFS();
    const id1 = await write(
      new LabbookStore({ fs: mem, writer: 'w', now: clock })
    );
    const id2 = await write(
      new LabbookStore({ fs: new NodeStoreFS(root), writer: 'w', now: clock })
    );
    const norm = (paths: string[], id: string) =>
      paths
        .map(p =>
          p
            .replace(id, 'ID')
            .replace(/\d{12,}-/, 'SEQ-')
            .replace(/-start-\w{4}/, '-start-R')
        )
        .sort();
    expect(norm(listFiles(root), id2)).toEqual(
      norm([...mem.files.keys()], id1)
    );
  });
});

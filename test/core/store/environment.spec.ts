import { describe, expect, it } from 'vitest';
import type { IEnvironment } from '../../../src/core/model';
import { StoreDamagedError } from '../../../src/core/store/fs';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';
import { IStoreChange, LabbookStore } from '../../../src/core/store/store';

const kernel = { name: 'python3', language: 'python' };

function environment(numpy: string): IEnvironment {
  return {
    collected: '2026-03-01T10:00:00.000Z',
    python: {
      version: '3.11.2',
      implementation: 'CPython',
      executable: '/usr/bin/python3'
    },
    platform: {
      system: 'Linux',
      release: '6.1.0-18-amd64',
      machine: 'x86_64',
      description: 'Linux-6.1.0-18-amd64-x86_64-with-glibc2.36'
    },
    cpu: { count: 8, model: 'AMD Ryzen 7 5800U' },
    memory: { totalBytes: 16_000_000_000 },
    packages: { numpy, ipykernel: '6.29.3' },
    git: {
      root: '/home/ada/proj',
      commit: 'a'.repeat(40),
      branch: 'main',
      remotes: [{ name: 'origin', url: 'https://example.com/p.git' }],
      dirty: true,
      diff: 'diff --git a/x b/x\n+<script>"x"</script>\n'
    }
  };
}

async function setup() {
  const fs = new MemoryStoreFS();
  const store = new LabbookStore({ fs, writer: 'aaaa1111' });
  const e = await store.createExperiment({
    name: 'env',
    notebook: 'env.ipynb',
    kernel
  });
  const changes: IStoreChange[] = [];
  store.changed.connect((_, c) => changes.push(c));
  return { fs, store, id: e.id, changes };
}

describe('environment in the store', () => {
  it('loads back what was saved; null before any collection', async () => {
    const { store, id, changes } = await setup();
    expect(await store.loadEnvironment(id)).toBeNull();
    await store.saveEnvironment(id, environment('1.26.4'));
    expect(await store.loadEnvironment(id)).toEqual(environment('1.26.4'));
    expect(changes).toEqual([{ type: 'environment', id }]);
  });

  it('keeps the latest collection (a restart after an upgrade)', async () => {
    const { store, id } = await setup();
    await store.saveEnvironment(id, environment('1.26.4'));
    await store.saveEnvironment(id, environment('2.0.0'));
    expect((await store.loadEnvironment(id))?.packages?.numpy).toBe('2.0.0');
  });

  it('reports a half-written or too-new file as damaged, naming it', async () => {
    const { fs, store, id } = await setup();
    const path = `experiments/${id}/environment.json`;
    await fs.writeText(path, '{"format": "labbook-envi');
    const error = await store.loadEnvironment(id).catch(e => e);
    expect(error).toBeInstanceOf(StoreDamagedError);
    expect(error.path).toBe(path);
    expect(error.message).toMatch(/not valid JSON/);

    await fs.writeText(
      path,
      JSON.stringify({ format: 'labbook-environment', version: 2 })
    );
    await expect(store.loadEnvironment(id)).rejects.toThrow(/newer Labbook/);

    await fs.writeText(
      path,
      JSON.stringify({ format: 'labbook-environment', version: 1 })
    );
    await expect(store.loadEnvironment(id)).rejects.toThrow(
      /no environment record/
    );
  });

  it('drops a part with the wrong shape and says so, keeping the others', async () => {
    const { fs, store, id } = await setup();
    const env: any = environment('1.26.4');
    env.git = 'main';
    env.packages = { numpy: '1.26.4', broken: 3 };
    await fs.writeText(
      `experiments/${id}/environment.json`,
      JSON.stringify({
        format: 'labbook-environment',
        version: 1,
        writer: 'aaaa1111',
        environment: env
      })
    );
    const loaded = await store.loadEnvironment(id);
    expect(loaded?.git).toBeUndefined();
    expect(loaded?.packages).toEqual({ numpy: '1.26.4' });
    expect(loaded?.python?.version).toBe('3.11.2');
    expect(loaded?.errors).toEqual([
      { part: 'git', message: 'unreadable in the stored file' }
    ]);
  });

  it('reads packages: null (no importlib.metadata) as not collected and git: null as not a repository', async () => {
    const { store, id } = await setup();
    const env: any = { ...environment('1'), packages: null, git: null };
    await store.saveEnvironment(id, env);
    const loaded = await store.loadEnvironment(id);
    expect(loaded && 'packages' in loaded).toBe(false);
    expect(loaded?.git).toBeNull();
  });
});

describe('data inputs in the store', () => {
  it('appends inputs from two writers and loads them in order, skipping entries without a path', async () => {
    const { fs, store, id, changes } = await setup();
    await store.appendInputs(id, [
      {
        name: 'train',
        path: 'data/train.csv',
        size: 3,
        mtime: '2026-03-01T09:00:00Z',
        hash: 'sha256:' + 'b'.repeat(64),
        time: 5,
        parent: 'msg-1'
      }
    ]);
    await store.appendInputs(id, []); // nothing written
    await store.appendInputs(id, [
      {
        name: 'remote <b>',
        path: 's3://bucket/x',
        size: null,
        mtime: null,
        hash: null,
        note: 'URL not fetched'
      }
    ]);
    await fs.writeText(
      `experiments/${id}/inputs/999999999999999-zzzz9999.json`,
      JSON.stringify({
        format: 'labbook-inputs',
        version: 1,
        writer: 'zzzz9999',
        inputs: [{ name: 'no path' }, { name: 'x', path: 'x', size: 'big' }]
      })
    );
    const { inputs, damaged } = await store.loadInputs(id);
    expect(damaged).toEqual([]);
    expect(inputs.map(i => i.name)).toEqual(['train', 'remote <b>', 'x']);
    expect(inputs[0].parent).toBe('msg-1');
    expect(inputs[1].note).toBe('URL not fetched');
    expect(inputs[2].size).toBeNull();
    expect(changes.map(c => c.type)).toEqual(['inputs', 'inputs']);
  });

  it('reports a damaged chunk and keeps the others', async () => {
    const { fs, store, id } = await setup();
    await store.appendInputs(id, [
      { name: 'a', path: 'a', size: 1, mtime: null, hash: null }
    ]);
    await fs.writeText(`experiments/${id}/inputs/0000-bad.json`, '');
    await fs.writeText(
      `experiments/${id}/inputs/0001-bad.json`,
      JSON.stringify({ format: 'labbook-inputs', version: 1, inputs: {} })
    );
    const { inputs, damaged } = await store.loadInputs(id);
    expect(inputs.map(i => i.name)).toEqual(['a']);
    expect(damaged.map(d => d.problem)).toEqual([
      'the file is empty',
      'no inputs list'
    ]);
  });
});

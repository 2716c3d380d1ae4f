/**
 * The documented JSON Schemas (docs/store-schemas/) describe every file the
 * store writes: a store is filled through the Node backend and each file is
 * checked against the schema its folder calls for.
 */
import Ajv from 'ajv';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreIndex } from '../../../src/core/index/storeindex';
import { NodeStoreFS } from '../../../src/core/node/nodefs';
import { LabbookStore } from '../../../src/core/store/store';

const QUEUE_SCHEMAS = [
  'labbook-sweep.schema.json',
  'labbook-queue-events.schema.json',
  'labbook-claim.schema.json',
  'labbook-worker.schema.json'
];

const SCHEMAS = resolve(import.meta.dirname, '../../../docs/store-schemas');

function loadAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const name of readdirSync(SCHEMAS)) {
    ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, name), 'utf8')), name);
  }
  return ajv;
}

function schemaFor(path: string): string | null {
  if (path.split('/')[2] === 'image-parts') {
    return null; // image bytes, not JSON
  }
  if (path === 'labbook-store.json') {
    return 'labbook-store.schema.json';
  }
  if (path.startsWith('objects/')) {
    return 'labbook-object.schema.json';
  }
  if (path.startsWith('views/')) {
    return 'labbook-view.schema.json';
  }
  if (path.startsWith('index/')) {
    return 'labbook-index.schema.json';
  }
  if (path.endsWith('/experiment.json')) {
    return 'labbook-experiment.schema.json';
  }
  if (path.endsWith('/environment.json')) {
    return 'labbook-environment.schema.json';
  }
  const folder = path.split('/')[2];
  const byFolder: Record<string, string> = {
    edits: 'labbook-edit.schema.json',
    heartbeat: 'labbook-heartbeat.schema.json',
    history: 'labbook-history.schema.json',
    snapshots: 'labbook-snapshot.schema.json',
    metrics: 'labbook-metrics.schema.json',
    'metrics-overview': 'labbook-metrics-overview.schema.json',
    'metrics-preview': 'labbook-metrics-overview.schema.json',
    texts: 'labbook-texts.schema.json',
    inputs: 'labbook-inputs.schema.json',
    images: 'labbook-images.schema.json'
  };
  if (!byFolder[folder]) {
    throw new Error(`no schema documented for ${path}`);
  }
  return byFolder[folder];
}

function walk(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap(name => {
    const full = join(dir, name);
    return statSync(full).isDirectory()
      ? walk(full, root)
      : [relative(root, full).split('\\').join('/')];
  });
}

describe('store JSON Schemas', () => {
  const root = mkdtempSync(join(tmpdir(), 'labbook-schemas-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('validate every file a full experiment writes', async () => {
    const store = new LabbookStore({ fs: new NodeStoreFS(root) });
    const index = new StoreIndex({ store, compactAfter: 3 });
    await index.load();
    index.attach();
    const e = await store.createExperiment({
      name: 'train <b>odd</b> "name"',
      notebook: 'work/train.ipynb',
      kernel: { name: 'python3', language: 'python', displayName: 'Python 3' },
      labbookVersion: '0.1.0'
    });
    await store.updateExperiment(e.id, { heartbeat: new Date().toISOString() });
    await index.flush();
    await store.updateExperiment(e.id, { tags: ['a', 'b'], notes: 'n' });
    await index.flush();
    await store.appendHistory(e.id, [
      {
        kind: 'session',
        session: 's1',
        index: 0,
        kernelId: 'k1',
        kernel: { name: 'python3', language: 'python' },
        started: new Date().toISOString(),
        reason: 'start'
      },
      {
        kind: 'execution',
        session: 's1',
        index: 1,
        msgId: 'm1',
        cellId: 'c1',
        source: '1/0',
        executionCount: 1,
        times: { queued: new Date().toISOString() },
        duration: 3,
        status: 'error',
        error: { ename: 'ZeroDivisionError', evalue: 'division by zero' },
        outputs: [
          {
            type: 'error',
            ename: 'ZeroDivisionError',
            evalue: 'division by zero'
          },
          {
            type: 'display_data',
            mimes: [{ mime: 'image/png', size: 10 }],
            images: [{ mime: 'image/png', hash: 'sha256:ab', size: 10 }]
          }
        ]
      }
    ]);
    const notebook = (n: number) => ({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: Array.from({ length: 10 }, (_, i) => ({
        cell_type: 'code',
        id: `c${i}`,
        metadata: {},
        execution_count: null,
        outputs: [],
        source: i === 0 ? `x = ${n}` : `y${i} = ${i}`
      }))
    });
    await store.appendMetrics(e.id, [
      { name: 'loss', steps: [0, 1], times: [1, 2], values: [0.5, NaN] }
    ]);
    await store.appendMetrics(e.id, [
      { name: 'loss', steps: [2], times: [3], values: [-Infinity] },
      { name: 'acc', steps: [2], times: [3], values: [0.25] }
    ]);
    await store.flushMetricsOverviews();
    await index.flush();
    await store.updateExperiment(e.id, { params: { lr: 0.1, layers: [2] } });
    await index.flush();
    await index.compact(); // a base
    const gone = await store.createExperiment({
      name: 'deleted',
      notebook: 'n.ipynb',
      kernel: { name: 'python3', language: 'python' }
    });
    await store.deleteExperiment(gone.id);
    await store.appendTexts(e.id, [
      { name: 'log', text: 'hello', step: null, time: 1, parent: null }
    ]);
    // The environment as the kernel module sends it (collect_environment).
    await store.saveEnvironment(e.id, {
      collected: '2026-03-01T10:00:00.123456Z',
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
      memory: { totalBytes: 16_482_000_896 },
      gpus: [{ name: 'NVIDIA A100-SXM4-40GB', memoryMB: 40960, driver: '535' }],
      packages: { numpy: '1.26.4', 'scikit-learn': '1.4.1.post1' },
      git: {
        root: '/home/ada/proj',
        commit: '0123456789abcdef0123456789abcdef01234567',
        branch: null,
        remotes: [{ name: 'origin', url: 'https://example.com/p.git' }],
        dirty: true,
        diff: 'diff --git a/x b/x\n',
        diffTruncated: true
      },
      errors: [{ part: 'gpus', message: 'TimeoutExpired: nvidia-smi' }]
    });
    await store.appendInputs(e.id, [
      {
        name: 'train',
        path: 'data/train.csv',
        size: 3,
        mtime: '2026-03-01T09:00:00Z',
        hash: 'sha256:' + 'ba78'.repeat(16),
        time: 1,
        parent: 'm1'
      },
      {
        name: 'remote',
        path: 's3://bucket/x',
        size: null,
        mtime: null,
        hash: null,
        note: 'URL not fetched'
      }
    ]);
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);
    await store.putImagePart(e.id, 'abc123', 0, png.subarray(0, 6));
    await store.putImagePart(e.id, 'abc123', 1, png.subarray(6));
    await store.appendImages(e.id, [
      {
        id: 'abc123',
        name: 'samples',
        mime: 'image/png',
        step: 3,
        caption: null,
        width: null,
        height: null,
        size: png.length,
        parts: 2,
        time: 1,
        parent: 'm1'
      }
    ]);
    await store.saveView({
      id: 'v1',
      name: 'lr sweep <b>',
      query:
        '(params.lr < 0.01 or tags = "baseline") and not status = "failed"',
      columns: ['params.lr', 'metrics.loss.min'],
      sort: { key: 'metrics.loss.min', descending: false },
      groupBy: 'tags',
      charts: ['loss'],
      showArchived: false,
      created: new Date().toISOString(),
      updated: new Date().toISOString()
    });
    await store.saveSnapshot(e.id, 'start', notebook(1));
    await store.saveSnapshot(e.id, 'end', notebook(2)); // a delta
    await store.updateExperiment(e.id, {
      status: 'finished',
      ended: new Date().toISOString(),
      heartbeat: null,
      executions: 1
    });
    await index.flush(); // a chunk with a deletion
    index.dispose();
    const indexFiles = walk(root).filter(f => f.startsWith('index/'));
    expect(indexFiles.some(f => f.startsWith('index/base-'))).toBe(true);
    expect(indexFiles.some(f => /^index\/\d/.test(f))).toBe(true);

    const ajv = loadAjv();
    const files = walk(root);
    const seen = new Set<string>();
    for (const file of files) {
      const schema = schemaFor(file);
      if (schema === null) {
        continue;
      }
      seen.add(schema);
      const valid = ajv.validate(
        schema,
        JSON.parse(readFileSync(join(root, file), 'utf8'))
      );
      expect(valid, `${file}: ${ajv.errorsText()}`).toBe(true);
    }
    // Every kind of file was written, so every schema was exercised. The
    // sweep config is a part of a sweep's file, not a file: its schema is
    // checked in test/core/sweep/config.spec.ts; the run queue's files in
    // test/core/queue/schemas.spec.ts.
    const parts = [
      'common.schema.json',
      'labbook-sweep-config.schema.json',
      ...QUEUE_SCHEMAS
    ];
    expect([...seen].sort()).toEqual(
      readdirSync(SCHEMAS)
        .filter(n => !parts.includes(n))
        .sort()
    );
    const manifests = files.filter(f => f.includes('/snapshots/'));
    const bodies = manifests.map(f =>
      JSON.parse(readFileSync(join(root, f), 'utf8'))
    );
    expect(bodies.some(b => Array.isArray(b.notebook.cells))).toBe(true);
    expect(bodies.some(b => typeof b.notebook.base === 'string')).toBe(true);
  });

  it('reject a file that breaks the layout', () => {
    const ajv = loadAjv();
    expect(
      ajv.validate('labbook-history.schema.json', {
        format: 'labbook-history',
        version: 1,
        writer: 'abcd1234',
        records: [{ kind: 'execution', source: 42 }]
      })
    ).toBe(false);
    expect(
      ajv.validate('labbook-experiment.schema.json', {
        format: 'labbook-experiment',
        version: 1,
        experiment: { id: '../../etc' }
      })
    ).toBe(false);
    expect(
      ajv.validate('labbook-environment.schema.json', {
        format: 'labbook-environment',
        version: 1,
        writer: 'abcd1234',
        environment: { collected: 'now', packages: { numpy: 1 } }
      })
    ).toBe(false);
    expect(
      ajv.validate('labbook-inputs.schema.json', {
        format: 'labbook-inputs',
        version: 1,
        writer: 'abcd1234',
        inputs: [{ name: 'x', path: 'x', size: -1, mtime: null, hash: 'md5' }]
      })
    ).toBe(false);
    expect(
      ajv.validate('labbook-index.schema.json', {
        format: 'labbook-index',
        version: 1,
        writer: 'abcd1234',
        entries: [
          {
            id: '20260101T000000000Z-abcdef',
            stamp: '1767225600000000-abcd1234',
            metrics: {
              loss: { last: 'NaN', min: 0, max: 1, step: 0, count: 1 }
            }
          }
        ]
      })
    ).toBe(false);
  });
});

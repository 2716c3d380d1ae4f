/** The queue's files match the JSON Schemas documented in docs/store-schemas/. */
import Ajv from 'ajv';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QueueStore } from '../../../src/core/queue/queuestore';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';

const SCHEMAS = resolve(import.meta.dirname, '../../../docs/store-schemas');

describe('queue JSON Schemas', () => {
  it('validate every file a sweep, its workers and its trials write', async () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const name of readdirSync(SCHEMAS)) {
      ajv.addSchema(
        JSON.parse(readFileSync(join(SCHEMAS, name), 'utf8')),
        name
      );
    }
    const fs = new MemoryStoreFS();
    const q = new QueueStore(fs, 'worker01');
    const sweep = await q.createSweep(
      {
        name: 'lr',
        notebook: 'work/train.ipynb',
        method: 'grid',
        metric: { name: 'loss', goal: 'minimize' },
        config: { parameters: { lr: { values: [0.1, 0.01] } } },
        concurrency: 2,
        maxRetries: 1
      },
      [{ lr: 0.1 }, { lr: 0.01 }]
    );
    await q.writeLease({
      started: new Date().toISOString(),
      ttl: 30_000,
      slots: 2,
      host: 'h',
      servers: ['http://127.0.0.1:8888/']
    });
    const [t1] = (await q.readSweep(sweep.id)).trials;
    await q.claim(sweep.id, t1.id, 1, 'http://127.0.0.1:8888/');
    const time = new Date().toISOString();
    await q.appendEvents(sweep.id, [
      {
        type: 'ended',
        time,
        trial: t1.id,
        attempt: 1,
        status: 'done',
        metric: 0.25,
        experiment: '20261203T070000000Z-abcdef'
      },
      { type: 'cancel-trial', time, trial: t1.id },
      { type: 'retry-trial', time, trial: t1.id }
    ]);
    await q.control(sweep.id, 'pause');
    const schemaFor = (path: string) =>
      path.startsWith('workers/')
        ? 'labbook-worker.schema.json'
        : path.endsWith('/sweep.json')
          ? 'labbook-sweep.schema.json'
          : path.includes('/claims/')
            ? 'labbook-claim.schema.json'
            : 'labbook-queue-events.schema.json';
    const checked: string[] = [];
    for (const [path, bytes] of fs.files) {
      const validate = ajv.getSchema(schemaFor(path))!;
      const ok = validate(JSON.parse(new TextDecoder().decode(bytes)));
      expect(ok ? null : { path, errors: validate.errors }).toBeNull();
      checked.push(schemaFor(path));
    }
    expect(new Set(checked).size).toBe(4);
  });
});

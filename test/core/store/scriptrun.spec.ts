/**
 * Issue 18: a training script run outside a kernel (`python train.py`)
 * writes its experiment with the labbook module's script mode; the
 * TypeScript store and its index read it back as any tab's experiment.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flattenHistory } from '../../../src/core/history/flatten';
import { StoreIndex } from '../../../src/core/index/storeindex';
import { NodeStoreFS } from '../../../src/core/node/nodefs';
import { LabbookStore } from '../../../src/core/store/store';

const SRC = resolve(import.meta.dirname, '../../../src/kernel');
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4b40000000049454e44ae426082',
  'hex'
);

describe('a script run written by the labbook module, read by the store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'labbook-scriptrun-'));
  const storeDir = join(dir, 'labbook');

  function runScript(name: string, body: string): void {
    writeFileSync(join(dir, name), body);
    const result = spawnSync('/usr/bin/python3', [name, '--epochs', '3'], {
      cwd: dir,
      env: {
        ...process.env,
        PYTHONPATH: SRC,
        LABBOOK_STORE: storeDir,
        LABBOOK_QUIET: '1'
      },
      encoding: 'utf8',
      timeout: 60_000
    });
    if (name === 'train.py') {
      expect(result.status, result.stderr).toBe(0);
    }
  }

  beforeAll(() => {
    runScript(
      'train.py',
      [
        'import labbook',
        'labbook.log_params({"lr": 0.01, "arch": "mlp"})',
        'labbook.tags("script")',
        'for i in range(5000):',
        '    labbook.log({"loss": 1 / (i + 1), "acc": i / 5000}, step=i)',
        'labbook.log_text("note", "<img src=x onerror=alert(1)>")',
        `labbook.log_image("sample", bytes.fromhex("${PNG.toString('hex')}"), step=1)`,
        ''
      ].join('\n')
    );
    runScript(
      'broken.py',
      'import labbook\nlabbook.log("loss", 2.0)\nraise ValueError("bad batch")\n'
    );
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists both runs with their status, the failed one with its reason', async () => {
    const store = new LabbookStore({ fs: new NodeStoreFS(storeDir) });
    const { experiments, damaged } = await store.listExperiments();
    expect(damaged).toEqual([]);
    const byName = new Map(experiments.map(e => [e.name, e]));
    const train = byName.get('train.py')!;
    expect(train.status).toBe('finished');
    expect(train.notebook).toBe('train.py');
    expect(train.params).toEqual({ lr: 0.01, arch: 'mlp' });
    expect(train.tags).toEqual(['script']);
    expect(train.script?.argv).toEqual(['train.py', '--epochs', '3']);
    const broken = byName.get('broken.py')!;
    expect(broken.status).toBe('failed');
    expect(broken.statusReason).toBe('ValueError: bad batch');
    const { texts } = await store.loadTexts(broken.id);
    expect(texts.find(t => t.name === 'traceback')?.text).toMatch(
      /ValueError: bad batch/
    );
  });

  it('reads every metric point, the text, the image and the environment', async () => {
    const store = new LabbookStore({ fs: new NodeStoreFS(storeDir) });
    const { experiments } = await store.listExperiments();
    const id = experiments.find(e => e.name === 'train.py')!.id;
    const { series, damaged } = await store.loadMetrics(id);
    expect(damaged).toEqual([]);
    const loss = series.filter(s => s.name === 'loss');
    const steps = loss.flatMap(s => Array.from(s.steps));
    const values = loss.flatMap(s => Array.from(s.values));
    expect(steps).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(values[4999]).toBe(1 / 5000);
    const { texts } = await store.loadTexts(id);
    expect(texts[0].text).toBe('<img src=x onerror=alert(1)>');
    const { images } = await store.loadImages(id);
    expect(images).toHaveLength(1);
    expect(Buffer.from(await store.loadImageBytes(id, images[0]))).toEqual(PNG);
    const env = await store.loadEnvironment(id);
    expect(env?.python?.executable).toBe('/usr/bin/python3');
  });

  it('flattens the run to its command line and source', async () => {
    const store = new LabbookStore({ fs: new NodeStoreFS(storeDir) });
    const { experiments } = await store.listExperiments();
    const id = experiments.find(e => e.name === 'train.py')!.id;
    const { records } = await store.loadHistory(id);
    const script = flattenHistory(records);
    expect(script).toContain("sys.argv = ['train.py', '--epochs', '3']");
    expect(script).toContain('labbook.log_params({"lr": 0.01, "arch": "mlp"})');
  });

  it('is in the store index, with its metric summaries', async () => {
    const store = new LabbookStore({ fs: new NodeStoreFS(storeDir) });
    const index = new StoreIndex({ store });
    await index.load();
    const train = index.summaries.find(s => s.name === 'train.py')!;
    expect(train.status).toBe('finished');
    expect(train.tags).toEqual(['script']);
    expect(train.metrics.loss).toEqual({
      last: 1 / 5000,
      min: 1 / 5000,
      max: 1,
      step: 4999,
      count: 5000
    });
    expect(index.summaries.find(s => s.name === 'broken.py')?.status).toBe(
      'failed'
    );
    // Marked as a script run, as written and when rebuilt from the folders.
    expect(train.script).toBe(true);
    await index.rebuild();
    expect(index.summaries.map(s => s.script)).toEqual([true, true]);
  });
});

/**
 * Store index (issue 7): 10,000 experiments with 20 params and 10 metrics
 * each on the Node backend. The full rebuild from the folders; loading the
 * compacted index (the files read, their bytes); the same load with every
 * file passed through the Contents API's JSON model as the browser gets
 * it; and a load before compaction (a base and 32 chunks).
 */
import { join } from 'node:path';
import { writeExperimentFolder } from './fixtures';
import type { IBench } from './harness';
import type { IExperiment, ParamValue } from '../src/core/model';
import { StoreIndex } from '../src/core/index/storeindex';
import { NodeStoreFS } from '../src/core/node/nodefs';
import type { IStoreEntry, IStoreFS } from '../src/core/store/fs';
import { newExperimentId } from '../src/core/store/ids';
import { LabbookStore } from '../src/core/store/store';

const EXPERIMENTS = 10_000;
const kernel = { name: 'python3', language: 'python' };

/**
 * Counts requests. With `models`, a file read returns the content of the
 * Contents API's JSON model for that path, parsed as the browser parses the
 * response (the server's encoding is done beforehand, not timed).
 */
class CountingFS implements IStoreFS {
  constructor(
    private _fs: IStoreFS,
    private _models?: Map<string, string>
  ) {}
  reads = 0;
  lists = 0;
  bytes = 0;
  get description() {
    return this._fs.description;
  }
  async readText(path: string): Promise<string> {
    this.reads++;
    const model = this._models?.get(path);
    const text = model
      ? JSON.parse(model).content
      : await this._fs.readText(path);
    this.bytes += text.length;
    return text;
  }
  readBytes(path: string) {
    return this._fs.readBytes(path);
  }
  writeText(path: string, text: string) {
    return this._fs.writeText(path, text);
  }
  writeBytes(path: string, data: Uint8Array) {
    return this._fs.writeBytes(path, data);
  }
  async list(dir: string): Promise<IStoreEntry[]> {
    this.lists++;
    return this._fs.list(dir);
  }
  exists(path: string) {
    return this._fs.exists(path);
  }
  remove(path: string) {
    return this._fs.remove(path);
  }
}

function writeFixture(root: string): void {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const steps = Array.from({ length: 50 }, (_, i) => i);
  for (let i = 0; i < EXPERIMENTS; i++) {
    const params: Record<string, ParamValue> = {};
    for (let p = 0; p < 20; p++) {
      params[`param_${p}`] =
        p % 3 === 0 ? `value-${i % 7}` : (i * 0.001 + p) / 3;
    }
    const experiment: IExperiment = {
      id: newExperimentId(new Date(t0 + i * 1000)),
      name: `run ${i}`,
      project: 'p',
      notebook: 'p/train.ipynb',
      tags: ['sweep', `lr-${i % 5}`],
      notes: i % 10 === 0 ? 'a note about this run' : '',
      status: 'finished',
      started: new Date(t0 + i * 1000).toISOString(),
      ended: new Date(t0 + i * 1000 + 500).toISOString(),
      kernel,
      labbookVersion: '0.1.0',
      executions: 12,
      params
    };
    const series = Array.from({ length: 10 }, (_, m) => ({
      name: `metric_${m}`,
      steps,
      times: steps.map(s => t0 + s),
      values: steps.map(s => Math.sin(i + m + s) / (s + 1))
    }));
    writeExperimentFolder(root, experiment, series, i);
  }
}

export default async (b: IBench) => {
  const root = join(b.tmpdir, 'store');
  writeFixture(root);
  const disk = new NodeStoreFS(root);
  const open = (fs: IStoreFS, writer?: string) =>
    new StoreIndex({
      store: new LabbookStore({ fs, writer, concurrency: 64 }),
      concurrency: 64
    });

  // No index yet: the first load rebuilds it from every folder.
  const counted = new CountingFS(disk);
  let rebuilt = false;
  const rebuild = await b.time(async () => {
    rebuilt = (await open(counted).load()).rebuilt;
  });
  b.figure({
    name: `rebuild the index of ${EXPERIMENTS.toLocaleString('en')} experiments from the folders (Node fs)`,
    value: rebuild,
    unit: 'ms',
    lowerIsBetter: true,
    note: `${counted.reads.toLocaleString('en')} files read, ${counted.lists.toLocaleString('en')} listings${rebuilt ? '' : ' (NOT rebuilt?)'}`
  });

  // The Contents API's model of each index file, as the server sends it.
  const models = new Map<string, string>();
  let indexBytes = 0;
  for (const e of await disk.list('index')) {
    const path = `index/${e.name}`;
    const content = await disk.readText(path);
    indexBytes += new TextEncoder().encode(content).length;
    models.set(
      path,
      JSON.stringify({
        name: e.name,
        path,
        type: 'file',
        format: 'text',
        mimetype: 'application/json',
        writable: true,
        content
      })
    );
  }
  b.figure({
    name: 'index size (one compacted base)',
    value: indexBytes / 1024 / 1024,
    unit: 'MB',
    note: `${Math.round(indexBytes / EXPERIMENTS)} bytes per experiment (20 params, 10 metrics)`
  });

  // Opening the panel: the compacted index, checked against one listing.
  let requests = '';
  let count = 0;
  const load = await b.median(async () => {
    const fs = new CountingFS(disk);
    count = (await open(fs).load()).summaries.length;
    requests = `${fs.reads} file read(s), ${fs.lists} listing(s)`;
  }, 5);
  b.figure({
    name: `load the index of ${count.toLocaleString('en')} experiments (Node fs)`,
    value: load,
    unit: 'ms',
    target: 1000,
    lowerIsBetter: true,
    note: requests
  });

  const unchecked = await b.median(async () => {
    await open(new CountingFS(disk)).load({ check: false });
  }, 5);
  b.figure({
    name: 'the same load without the folder check (list first, check after)',
    value: unchecked,
    unit: 'ms',
    target: 1000,
    lowerIsBetter: true
  });

  const contents = await b.median(async () => {
    await open(new CountingFS(disk, models)).load();
  }, 5);
  b.figure({
    name: 'the same load, the index read from Contents API models',
    value: contents,
    unit: 'ms',
    target: 1000,
    lowerIsBetter: true,
    note: 'browser-side decoding; not in it: the HTTP transfer and the server listing 10,000 folders'
  });

  // Before compaction: a base and 32 chunks of another writer.
  const writer = open(disk, 'bench0001');
  await writer.load({ check: false });
  writer.attach();
  const ids = (await disk.list('experiments')).map(e => e.name).slice(0, 32);
  for (const id of ids) {
    await writer.store.updateExperiment(id, { tags: ['edited'] });
    await writer.flush();
  }
  writer.dispose();
  let files = 0;
  const chunked = await b.median(async () => {
    const fs = new CountingFS(disk);
    await open(fs).load({ check: false });
    files = fs.reads;
  }, 5);
  b.figure({
    name: `load the index from ${files} files (a base and 32 chunks, no folder check)`,
    value: chunked,
    unit: 'ms',
    target: 1000,
    lowerIsBetter: true
  });
};

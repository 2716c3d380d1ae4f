import { describe, expect, it } from 'vitest';
import type { Contents } from '@jupyterlab/services';
import { ContentsStoreFS } from '../../../src/lab/store/contentsfs';

/**
 * A Contents API over a map of paths, answering each request after the
 * test lets it (`release`), so overlapping requests can be arranged.
 */
class FakeContents {
  files = new Map<string, string>();
  dirs = new Set<string>(['']);
  requests: string[] = [];
  held: { request: string; resolve: () => void }[] = [];
  hold = false;

  private _wait(): Promise<void> {
    if (!this.hold) {
      return Promise.resolve();
    }
    const request = this.requests[this.requests.length - 1];
    return new Promise(resolve => this.held.push({ request, resolve }));
  }

  /** Answer the held requests that start with `prefix`. */
  release(prefix = ''): void {
    const now = this.held.filter(h => h.request.startsWith(prefix));
    this.held = this.held.filter(h => !now.includes(h));
    now.forEach(h => h.resolve());
  }

  async get(path: string): Promise<Partial<Contents.IModel>> {
    this.requests.push(`GET ${path}`);
    await this._wait();
    if (this.files.has(path)) {
      return { type: 'file', name: path, content: this.files.get(path) };
    }
    if (!this.dirs.has(path)) {
      throw Object.assign(new Error('404'), { response: { status: 404 } });
    }
    const prefix = path ? `${path}/` : '';
    const children = [
      ...[...this.dirs].map(d => ({ d, type: 'directory' })),
      ...[...this.files.keys()].map(d => ({ d, type: 'file' }))
    ]
      .filter(
        ({ d }) =>
          d.startsWith(prefix) && d && !d.slice(prefix.length).includes('/')
      )
      .map(({ d, type }) => ({ name: d.slice(prefix.length), path: d, type }));
    return { type: 'directory', name: path, content: children };
  }

  async save(path: string, model: Partial<Contents.IModel>) {
    this.requests.push(`PUT ${path}`);
    await this._wait();
    if (model.type === 'directory') {
      this.dirs.add(path);
    } else {
      this.files.set(path, String(model.content));
    }
    return { path };
  }

  async delete(path: string): Promise<void> {
    this.requests.push(`DELETE ${path}`);
    await this._wait();
    this.files.delete(path);
    this.dirs.delete(path);
  }
}

function open(fake = new FakeContents()): {
  fake: FakeContents;
  fs: ContentsStoreFS;
} {
  const fs = new ContentsStoreFS({
    contents: fake as unknown as Contents.IManager,
    root: 'labbook'
  });
  return { fake, fs };
}

const tick = () => new Promise(r => setTimeout(r, 0));

describe('ContentsStoreFS', () => {
  it('sends one listing of a folder that several reads list at once', async () => {
    const { fake, fs } = open();
    await fs.writeText('experiments/e1/experiment.json', '{}');
    await fs.writeText('experiments/e1/edits/a.json', '{"a":1}');
    const other = open(fake).fs; // a fresh tab: knows no folder yet
    fake.requests = [];
    const [edits, beats, metrics] = await Promise.all([
      other.list('experiments/e1/edits'),
      other.list('experiments/e1/heartbeat'),
      other.list('experiments/e1/metrics')
    ]);
    expect(edits.map(e => e.name)).toEqual(['a.json']);
    expect(beats).toEqual([]);
    expect(metrics).toEqual([]);
    const listings = fake.requests.filter(
      r => r === 'GET labbook/experiments/e1'
    );
    expect(listings).toHaveLength(1);
  });

  it('never answers a listing asked after a write with one sent before it', async () => {
    const { fake, fs } = open();
    await fs.writeText('index/a.json', '1');
    fake.hold = true;
    const before = fs.list('index'); // sent, not answered yet
    await tick();
    const write = fs.writeText('index/b.json', '2');
    await tick();
    fake.release('PUT'); // the write lands while the listing is out
    await write;
    const after = fs.list('index');
    await tick();
    fake.release('GET');
    await tick();
    fake.release('GET');
    expect((await before).map(e => e.name)).toEqual(['a.json', 'b.json']);
    expect((await after).map(e => e.name)).toEqual(['a.json', 'b.json']);
    // Two listings were sent: the second was not the first one shared.
    expect(fake.requests.filter(r => r === 'GET labbook/index')).toHaveLength(
      2
    );
  });
});

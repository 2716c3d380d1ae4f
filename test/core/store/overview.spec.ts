import { describe, expect, it } from 'vitest';
import { AxisOverview } from '../../../src/core/metrics/overview';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';
import { LabbookStore } from '../../../src/core/store/store';
import { recordReads } from './recordreads';

const kernel = { name: 'python3', language: 'python' };

/** `n` points of `loss` from step `from`, and one of `acc`. */
function batch(from: number, n: number) {
  const steps = Array.from({ length: n }, (_, i) => from + i);
  return [
    {
      name: 'loss',
      steps,
      times: steps.map(s => 1e12 + s * 3),
      values: steps.map(s => (s % 1000 === 999 ? NaN : Math.sin(s / 100)))
    },
    { name: 'acc', steps: [from], times: [1e12 + from * 3], values: [from] }
  ];
}

function overviewFiles(fs: MemoryStoreFS): string[] {
  return [...fs.files.keys()].filter(p => p.includes('/metrics-overview/'));
}

async function setup(writer = 'aaaa1111') {
  const fs = new MemoryStoreFS();
  const store = new LabbookStore({ fs, writer, overviewDelayMs: 60_000 });
  const e = await store.createExperiment({
    name: 'm',
    notebook: 'm.ipynb',
    kernel
  });
  return { fs, store, id: e.id };
}

describe('metric overviews in the store', () => {
  it('are written by the appending writer on flush and read instead of the chunks', async () => {
    const { fs, store, id } = await setup();
    for (let i = 0; i < 5; i++) {
      await store.appendMetrics(id, batch(i * 20_000, 20_000));
    }
    expect(overviewFiles(fs)).toEqual([]); // not before the delay or a flush
    await store.flushMetricsOverviews();
    expect(overviewFiles(fs)).toEqual([
      `experiments/${id}/metrics-overview/aaaa1111.json`
    ]);
    const file = JSON.parse(await fs.readText(overviewFiles(fs)[0]));
    expect(file.chunks).toHaveLength(1); // one run of consecutive chunks
    expect(file.series.map((s: any) => [s.name, s.count])).toEqual([
      ['acc', 5],
      ['loss', 100_000]
    ]);

    // A reader that reads no metric chunk at all: break them all.
    const reader = new LabbookStore({ fs, writer: 'bbbb2222' });
    const full = await reader.loadMetrics(id);
    const { paths: read } = recordReads(fs);
    const { overview, damaged } = await reader.loadMetricsOverview(id);
    expect(damaged).toEqual([]);
    expect(read.filter(p => p.includes('/metrics/'))).toEqual([]);
    const loss = overview.series.get('loss')!;
    expect(loss.count).toBe(100_000);
    expect(loss.last).toEqual([99_999, 1e12 + 99_999 * 3, NaN]);
    const raw = new AxisOverview();
    const s = full.series.find(x => x.name === 'loss')!;
    raw.addAll(s.steps, s.values);
    expect(loss.step.toArray()).toEqual(raw.toArray());
    expect(overview.series.get('acc')!.last).toEqual([
      80_000,
      1e12 + 240_000,
      80_000
    ]);
  });

  it('fold chunks no overview covers: appended since, other writers, old stores', async () => {
    const { fs, store, id } = await setup();
    await store.appendMetrics(id, batch(0, 100));
    await store.flushMetricsOverviews();
    await store.appendMetrics(id, batch(100, 100)); // not in the file yet
    const other = new LabbookStore({ fs, writer: 'cccc3333' });
    await other.appendMetrics(id, batch(200, 100)); // its overview not flushed
    const { overview } = await new LabbookStore({ fs }).loadMetricsOverview(id);
    expect(overview.series.get('loss')!.count).toBe(300);
    expect(overview.series.get('loss')!.last![0]).toBe(299);
    // an old store: no overview at all
    for (const p of overviewFiles(fs)) {
      fs.files.delete(p);
    }
    const old = await new LabbookStore({ fs }).loadMetricsOverview(id);
    expect(old.overview.series.get('loss')!.count).toBe(300);
    expect(old.overview.series.get('acc')!.count).toBe(3);
  });

  it('fold only new chunks into a base, each once', async () => {
    const { store, id } = await setup();
    await store.appendMetrics(id, batch(0, 10));
    const first = await store.loadMetricsOverview(id);
    expect(first.overview.series.get('loss')!.count).toBe(10);
    await store.appendMetrics(id, batch(10, 10));
    await store.flushMetricsOverviews(); // its file is not read again
    const next = await store.loadMetricsOverview(id, { base: first.overview });
    expect(next.overview).toBe(first.overview);
    expect(next.overview.series.get('loss')!.count).toBe(20);
    await store.loadMetricsOverview(id, { base: first.overview });
    expect(next.overview.series.get('loss')!.count).toBe(20);
  });

  it('is written when the experiment ends, and continued by the same writer later', async () => {
    const { fs, store, id } = await setup();
    await store.appendMetrics(id, batch(0, 10));
    await store.updateExperiment(id, { status: 'finished' });
    expect(overviewFiles(fs)).toHaveLength(1);
    // the same writer again (a new store object): its file is continued;
    // its chunk numbers start from its own start time (a later millisecond)
    await new Promise(r => setTimeout(r, 5));
    const again = new LabbookStore({
      fs,
      writer: 'aaaa1111',
      overviewDelayMs: 60_000
    });
    await again.appendMetrics(id, batch(10, 10));
    await again.flushMetricsOverviews(id);
    const file = JSON.parse(await fs.readText(overviewFiles(fs)[0]));
    expect(file.series.find((s: any) => s.name === 'loss').count).toBe(20);
    expect(file.chunks).toHaveLength(2);
    const { overview } = await new LabbookStore({ fs }).loadMetricsOverview(id);
    expect(overview.series.get('loss')!.count).toBe(20);
  });

  it('is written at most every overviewDelayMs while points come', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({
      fs,
      writer: 'aaaa1111',
      overviewDelayMs: 50
    });
    const e = await store.createExperiment({
      name: 'm',
      notebook: 'm.ipynb',
      kernel
    });
    let writes = 0;
    const writeText = fs.writeText.bind(fs);
    fs.writeText = async (path: string, text: string) => {
      writes += path.includes('/metrics-overview/') ? 1 : 0;
      return writeText(path, text);
    };
    for (let i = 0; i < 10; i++) {
      await store.appendMetrics(e.id, batch(i * 10, 10));
    }
    await new Promise(r => setTimeout(r, 150));
    expect(writes).toBe(1);
    const { overview } = await store.loadMetricsOverview(e.id);
    expect(overview.series.get('loss')!.count).toBe(100);
  });

  it('a damaged or overlapping overview file is left out and its chunks read', async () => {
    const { fs, store, id } = await setup();
    await store.appendMetrics(id, batch(0, 50));
    await store.flushMetricsOverviews();
    const [path] = overviewFiles(fs);
    // a copy under another writer's name covers the same chunks
    fs.files.set(path.replace('aaaa1111', 'dddd4444'), fs.files.get(path)!);
    const twice = await new LabbookStore({ fs }).loadMetricsOverview(id);
    expect(twice.overview.series.get('loss')!.count).toBe(50);
    await fs.writeText(path, '{"format": "labbook-metrics-overview", "vers');
    const { overview, damaged } = await new LabbookStore({
      fs
    }).loadMetricsOverview(id);
    expect(damaged).toEqual([]);
    expect(overview.series.get('loss')!.count).toBe(50);
  });

  it('no overview is written after the experiment is deleted', async () => {
    const { fs, store, id } = await setup();
    await store.appendMetrics(id, batch(0, 5));
    await store.deleteExperiment(id);
    await store.flushMetricsOverviews();
    expect([...fs.files.keys()].filter(p => p.includes(id))).toEqual([]);
  });
});

describe('metric previews in the store', () => {
  /** Count the reads and listings a store makes. */
  function spy(fs: MemoryStoreFS) {
    const calls: string[] = [];
    const readText = fs.readText.bind(fs);
    const list = fs.list.bind(fs);
    fs.readText = async (path: string) => {
      calls.push(`read ${path}`);
      return readText(path);
    };
    fs.list = async (dir: string) => {
      calls.push(`list ${dir}`);
      return list(dir);
    };
    return calls;
  }

  it('are written with the overviews, coarser, and read one file per writer when the index says what to expect', async () => {
    const { fs, store, id } = await setup();
    for (let i = 0; i < 3; i++) {
      await store.appendMetrics(id, batch(i * 20_000, 20_000));
    }
    await store.flushMetricsOverviews();
    const reader = new LabbookStore({ fs, writer: 'bbbb2222' });
    const full = await reader.loadMetricsOverview(id);
    const calls = spy(fs);
    const expected = {
      writers: ['aaaa1111'],
      counts: { loss: 60_000, acc: 3 }
    };
    const { overview, preview, damaged } = await reader.loadMetricsPreview(
      id,
      expected
    );
    expect(preview).toBe(true);
    expect(damaged).toEqual([]);
    expect(calls).toEqual([
      `read experiments/${id}/metrics-preview/aaaa1111.json`
    ]);
    const loss = overview.series.get('loss')!;
    const fullLoss = full.overview.series.get('loss')!;
    expect(loss.count).toBe(60_000);
    expect(loss.last).toEqual(fullLoss.last);
    expect(loss.step.size).toBeLessThanOrEqual(512);
    expect(loss.time.size).toBeLessThanOrEqual(512);
    expect(fullLoss.step.size).toBeGreaterThan(1024);
    // The same points: the full overview coarsened the same way.
    expect(loss.step.toArray()).toEqual(fullLoss.step.coarsened(512).toArray());

    // An experiment without metrics costs no request at all.
    calls.length = 0;
    const none = await reader.loadMetricsPreview(id, {
      writers: [],
      counts: {}
    });
    expect(none.overview.series.size).toBe(0);
    expect(calls).toEqual([]);
  });

  it('are not written while every metric fits in one: the overview is read instead, one file', async () => {
    const { fs, store, id } = await setup();
    await store.appendMetrics(id, batch(0, 512));
    await store.flushMetricsOverviews();
    const files = () =>
      [...fs.files.keys()].filter(p => p.includes(`${id}/metrics-`));
    expect(files()).toEqual([
      `experiments/${id}/metrics-overview/aaaa1111.json`
    ]);
    const reader = new LabbookStore({ fs, writer: 'bbbb2222' });
    const full = await reader.loadMetricsOverview(id);
    const calls = spy(fs);
    const small = await reader.loadMetricsPreview(id, {
      writers: ['aaaa1111'],
      counts: { loss: 512, acc: 1 }
    });
    expect(small.preview).toBe(true);
    expect(calls).toEqual([
      `read experiments/${id}/metrics-overview/aaaa1111.json`
    ]);
    expect(small.overview.series.get('loss')!.step.toArray()).toEqual(
      full.overview.series.get('loss')!.step.toArray()
    );
    // One point more and the preview is written.
    await store.appendMetrics(id, batch(512, 1));
    await store.flushMetricsOverviews();
    expect(files()).toContain(
      `experiments/${id}/metrics-preview/aaaa1111.json`
    );
  });

  it("keep the cell execution that logged each metric's last point", async () => {
    const { fs, store, id } = await setup();
    const point = (step: number, parent: string) => [
      { name: 'loss', steps: [step], times: [step], values: [step], parent }
    ];
    await store.appendMetrics(id, point(0, 'msg-a'));
    await store.appendMetrics(id, point(1, 'msg-b'));
    await store.flushMetricsOverviews();
    const reader = new LabbookStore({ fs, writer: 'bbbb2222' });
    const full = await reader.loadMetricsOverview(id);
    expect(full.overview.series.get('loss')!.lastParent).toBe('msg-b');
    const preview = await reader.loadMetricsPreview(id, {
      writers: ['aaaa1111'],
      counts: { loss: 2 }
    });
    expect(preview.preview).toBe(true);
    expect(preview.overview.series.get('loss')!.lastParent).toBe('msg-b');
  });

  it('fall back to the full read when they are behind, missing or not expected', async () => {
    const { fs, store, id } = await setup();
    await store.appendMetrics(id, batch(0, 5_000));
    await store.flushMetricsOverviews();
    // Points appended since: the preview (and overview) are behind.
    await store.appendMetrics(id, batch(5_000, 5_000));
    const reader = new LabbookStore({ fs, writer: 'bbbb2222' });
    const expected = {
      writers: ['aaaa1111'],
      counts: { loss: 10_000, acc: 2 }
    };
    const behind = await reader.loadMetricsPreview(id, expected);
    expect(behind.preview).toBe(false);
    expect(behind.overview.series.get('loss')!.count).toBe(10_000);

    // An index that is behind is caught the same way.
    await store.flushMetricsOverviews();
    const stale = await reader.loadMetricsPreview(id, {
      writers: ['aaaa1111'],
      counts: { loss: 5_000, acc: 1 }
    });
    expect(stale.preview).toBe(false);
    expect(stale.overview.series.get('loss')!.count).toBe(10_000);

    // Up to date: the preview.
    expect((await reader.loadMetricsPreview(id, expected)).preview).toBe(true);

    // A damaged preview, or no expectation: the full read.
    const path = `experiments/${id}/metrics-preview/aaaa1111.json`;
    fs.files.set(path, new TextEncoder().encode('{"broken'));
    const damaged = await reader.loadMetricsPreview(id, expected);
    expect(damaged.preview).toBe(false);
    expect(damaged.overview.series.get('loss')!.count).toBe(10_000);
    expect((await reader.loadMetricsPreview(id)).preview).toBe(false);
    // A missing one (a writer whose own points fit writes none): that
    // writer's overview, if it holds what the index expects.
    fs.files.delete(path);
    const calls = spy(fs);
    const missing = await reader.loadMetricsPreview(id, expected);
    expect(missing.preview).toBe(true);
    expect(missing.overview.series.get('loss')!.count).toBe(10_000);
    expect(calls).toEqual([
      `read ${path}`,
      `read experiments/${id}/metrics-overview/aaaa1111.json`
    ]);
    fs.files.delete(`experiments/${id}/metrics-overview/aaaa1111.json`);
    expect((await reader.loadMetricsPreview(id, expected)).preview).toBe(false);
    // A writer the index names whose preview is not there.
    await store.flushMetricsOverviews();
    const more = await reader.loadMetricsPreview(id, {
      writers: ['aaaa1111', 'cccc3333'],
      counts: expected.counts
    });
    expect(more.preview).toBe(false);
    expect(more.overview.series.get('acc')!.count).toBe(2);
  });
});

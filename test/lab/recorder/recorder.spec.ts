import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';
import { Recorder } from '../../../src/lab/recorder/recorder';
import { StoreService } from '../../../src/lab/store/service';
import { FakePanel, editableSettings, runCell } from './fakes';

const disposers: (() => void)[] = [];
afterEach(() => {
  disposers.splice(0).forEach(d => d());
});

function recorder(settings: Record<string, unknown> = {}) {
  const store = new StoreService({ fs: new MemoryStoreFS() });
  const edit = editableSettings(settings);
  const r = new Recorder({
    store,
    settings: edit.settings,
    version: '9.9.9'
  });
  let changes = 0;
  r.changed.connect(() => changes++);
  disposers.push(() => {
    r.dispose();
    store.dispose();
  });
  return { recorder: r, store, edit, changes: () => changes };
}

describe('the recorder', () => {
  it('starts one experiment per notebook, named after it, with a start snapshot', async () => {
    const { recorder: r, store, changes } = recorder();
    const panel = new FakePanel('models/train.ipynb');
    const [a, b] = await Promise.all([
      r.start(panel.asPanel),
      r.start(panel.asPanel)
    ]);
    expect(b).toBe(a);
    expect(r.runningFor(panel.asPanel)).toBe(a);
    expect(r.running).toEqual([a]);
    const e = await store.store.getExperiment(a.id);
    expect(e.status).toBe('running');
    expect(e.notebook).toBe('models/train.ipynb');
    expect(e.name).toMatch(/^train \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(e.labbookVersion).toBe('9.9.9');
    const { snapshots } = await store.store.listSnapshots(a.id);
    expect(snapshots.map(s => s.reason)).toEqual(['start']);
    expect(changes()).toBeGreaterThan(0);

    await r.stop(panel.asPanel);
    expect(r.runningFor(panel.asPanel)).toBeUndefined();
    expect((await store.store.getExperiment(a.id)).status).toBe('finished');
  });

  it('ends the experiment of a notebook that is closed', async () => {
    const { recorder: r, store } = recorder();
    const panel = new FakePanel('a.ipynb');
    const running = await r.start(panel.asPanel, 'named run');
    panel.close();
    await vi.waitFor(async () => {
      const e = await store.store.getExperiment(running.id);
      expect(e.status).toBe('finished');
      expect(e.statusReason).toBe('The notebook was closed.');
    });
    expect(r.running).toEqual([]);
    expect((await store.store.getExperiment(running.id)).name).toBe(
      'named run'
    );
  });

  it('on refresh, marks running experiments of closed tabs interrupted, not its own', async () => {
    const { recorder: r, store } = recorder({ staleAfterSeconds: 30 });
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const orphan = await store.store.createExperiment({
      name: 'tab closed',
      notebook: 'b.ipynb',
      kernel: { name: 'python3', language: 'python' },
      started: hourAgo,
      heartbeat: hourAgo
    });
    const panel = new FakePanel('a.ipynb');
    const mine = await r.start(panel.asPanel);
    await store.refresh();
    await vi.waitFor(async () => {
      const e = await store.store.getExperiment(orphan.id);
      expect(e.status).toBe('interrupted');
      expect(e.ended).toBe(hourAgo);
    });
    expect((await store.store.getExperiment(mine.id)).status).toBe('running');
    expect(store.summary(orphan.id)?.status).toBe('interrupted');
  });

  it('applies edited output and heartbeat settings to what it records now', async () => {
    const { recorder: r, edit } = recorder({
      outputTextLimit: 100,
      heartbeatSeconds: 10
    });
    const panel = new FakePanel('a.ipynb');
    const capture = r.track(panel.asPanel);
    const running = await r.start(panel.asPanel);
    expect(capture.tracker.textLimit).toBe(100);
    expect((running as any).heartbeatSeconds).toBe(10);
    edit.edit({ outputTextLimit: 5, heartbeatSeconds: 3 });
    expect(capture.tracker.textLimit).toBe(5);
    expect((running as any).heartbeatSeconds).toBe(3);

    // The next output is cut at the new limit.
    runCell(capture.tracker, 'print("abcdefghij")', {
      count: 1,
      t: 0,
      outputs: [['stream', { name: 'stdout', text: 'abcdefghij\n' }]]
    });
    const last = capture.tracker.records.at(-1)!;
    expect(last.kind === 'execution' && last.outputs[0].text).toBe('abcde');
  });

  it('starts an experiment on the first cell run when autoStart is on', async () => {
    const { recorder: r, edit } = recorder({ autoStart: false });
    const panel = new FakePanel('a.ipynb');
    const capture = r.track(panel.asPanel);
    runCell(capture.tracker, 'x = 1', { count: 1, t: 0 });
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(r.running).toEqual([]);

    edit.edit({ autoStart: true });
    runCell(capture.tracker, 'x = 2', { count: 2, t: 100 });
    await vi.waitFor(() => expect(r.running).toHaveLength(1));
    expect(r.executionsOf({ id: r.running[0].id })).toBeGreaterThanOrEqual(1);
  });
});

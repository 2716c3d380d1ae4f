import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';
import { LabbookStore } from '../../../src/core/store/store';
import { RunningExperiment } from '../../../src/lab/recorder/runningexperiment';
import { FakePanel, fakeCapture, runCell } from './fakes';

const T0 = new Date('2026-03-01T10:00:00.000Z');

async function started(
  options: { heartbeatSeconds?: number; flushMs?: number } = {}
) {
  const store = new LabbookStore({ fs: new MemoryStoreFS() });
  const experiment = await store.createExperiment({
    name: 'train',
    notebook: 'train.ipynb',
    kernel: { name: 'python3', language: 'python' }
  });
  const panel = new FakePanel('train.ipynb', ['import numpy', 'fit()']);
  const capture = fakeCapture(panel);
  const running = new RunningExperiment({
    experiment,
    capture,
    store,
    ...options
  });
  const stored = () => store.getExperiment(experiment.id);
  const executions = async () =>
    (await store.loadHistory(experiment.id)).records.filter(
      r => r.kind === 'execution'
    );
  return { store, running, capture, panel, stored, executions };
}

describe('a running experiment', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes a finished cell to the history within flushMs, one batch for cells that finish together', async () => {
    const { running, capture, executions } = await started({ flushMs: 300 });
    runCell(capture.tracker, 'import numpy', { count: 1, t: 0 });
    runCell(capture.tracker, 'fit()', { count: 2, t: 20 });
    expect(running.executionCount).toBe(2);
    await vi.advanceTimersByTimeAsync(250);
    expect(await executions()).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(60);
    expect((await executions()).map(r => r.source)).toEqual([
      'import numpy',
      'fit()'
    ]);
    running.dispose();
  });

  it('beats every heartbeatSeconds, and follows a changed interval at once', async () => {
    const { running, stored } = await started({ heartbeatSeconds: 10 });
    await vi.advanceTimersByTimeAsync(9_000);
    const before = (await stored()).heartbeat;
    await vi.advanceTimersByTimeAsync(1_100);
    const first = (await stored()).heartbeat;
    expect(first).not.toBe(before);
    expect(Date.parse(first!)).toBe(T0.getTime() + 10_000);

    // At 10.1 s: the next beat 2 s from now, not at 20 s.
    running.heartbeatSeconds = 2;
    expect(running.heartbeatSeconds).toBe(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(Date.parse((await stored()).heartbeat!)).toBe(T0.getTime() + 12_100);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(Date.parse((await stored()).heartbeat!)).toBe(T0.getTime() + 14_100);
    running.dispose();
  });

  it('keeps beating while the page is hidden (other tabs would take it for closed)', async () => {
    const { running, stored } = await started({ heartbeatSeconds: 5 });
    Object.defineProperty(document, 'visibilityState', {
      value: 'hidden',
      configurable: true
    });
    document.dispatchEvent(new Event('visibilitychange'));
    try {
      await vi.advanceTimersByTimeAsync(60_000);
      expect(Date.parse((await stored()).heartbeat!)).toBe(
        T0.getTime() + 60_000
      );
    } finally {
      Object.defineProperty(document, 'visibilityState', {
        value: 'visible',
        configurable: true
      });
      document.dispatchEvent(new Event('visibilitychange'));
      running.dispose();
    }
  });

  it('stops: last cells flushed, end snapshot, finished, and no heartbeat after', async () => {
    const { running, capture, stored, executions, store } = await started({
      heartbeatSeconds: 1
    });
    const ended: string[] = [];
    running.ended.connect((_, status) => ended.push(status));
    runCell(capture.tracker, 'fit()', { count: 1, t: 0 });
    await running.stop('finished');
    const e = await stored();
    expect(e.status).toBe('finished');
    expect(e.heartbeat).toBeNull();
    expect(e.executions).toBe(1);
    expect(await executions()).toHaveLength(1);
    const { snapshots } = await store.listSnapshots(e.id);
    expect(snapshots.map(s => s.reason)).toEqual(['end']);
    expect(ended).toEqual(['finished']);
    expect(running.isDisposed).toBe(true);

    await vi.advanceTimersByTimeAsync(10_000);
    expect((await stored()).heartbeat).toBeNull();
  });

  it('ends as failed, with the reason, when the kernel dies', async () => {
    const { running, capture, stored } = await started();
    capture.kernelDied.emit('The kernel died (exit code 137).');
    await vi.waitFor(() => expect(running.isDisposed).toBe(true));
    const e = await stored();
    expect(e.status).toBe('failed');
    expect(e.statusReason).toBe('The kernel died (exit code 137).');
  });

  it('keeps cells the store refused and writes them with the next flush', async () => {
    const { running, capture, store, executions } = await started({
      flushMs: 100
    });
    const append = store.appendHistory.bind(store);
    let refuse = true;
    store.appendHistory = async (...args) => {
      if (refuse) {
        throw new Error('server gone');
      }
      return append(...args);
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    runCell(capture.tracker, 'fit()', { count: 1, t: 0 });
    await vi.advanceTimersByTimeAsync(150);
    expect(running.lastError).toBe('server gone');
    refuse = false;
    await running.flush();
    expect(running.lastError).toBeNull();
    expect((await executions()).map(r => r.source)).toEqual(['fit()']);
    warn.mockRestore();
    running.dispose();
  });
});

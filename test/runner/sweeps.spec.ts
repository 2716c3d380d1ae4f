import { describe, expect, it } from 'vitest';
import { QueueStore } from '../../src/core/queue/queuestore';
import { MemoryStoreFS } from '../../src/core/store/memoryfs';
import {
  SweepConfigError,
  nextSuggestions,
  queueSweep
} from '../../src/runner/sweeps';

describe('sweeps on the queue', () => {
  it('queues a grid from its config with every point', async () => {
    const q = new QueueStore(new MemoryStoreFS(), 'tab00001');
    const sweep = await queueSweep(
      q,
      {
        method: 'grid',
        metric: { name: 'loss', goal: 'minimize' },
        parameters: {
          lr: { values: [0.1, 0.01] },
          depth: { values: [2, 4] },
          seed: { value: 1 }
        },
        concurrency: 2,
        retries: 1
      },
      { notebook: 'work/train.ipynb' }
    );
    expect(sweep).toMatchObject({
      name: 'grid train.ipynb',
      method: 'grid',
      budget: 4,
      concurrency: 2,
      maxRetries: 1
    });
    const state = await q.readSweep(sweep.id);
    expect(state.trials.map(t => t.params)).toEqual([
      { lr: 0.1, depth: 2, seed: 1 },
      { lr: 0.1, depth: 4, seed: 1 },
      { lr: 0.01, depth: 2, seed: 1 },
      { lr: 0.01, depth: 4, seed: 1 }
    ]);
  });

  it('names every field at fault and queues nothing', async () => {
    const fs = new MemoryStoreFS();
    const q = new QueueStore(fs, 'tab00001');
    const bad = queueSweep(
      q,
      {
        method: 'random',
        metric: { name: 'loss', goal: 'lower' },
        parameters: { lr: { distribution: 'log_uniform', min: 0, max: 1 } }
      },
      { notebook: 'n.ipynb' }
    );
    await expect(bad).rejects.toThrow(SweepConfigError);
    await expect(bad).rejects.toThrow(/metric\.goal/);
    await expect(bad).rejects.toThrow(/parameters\.lr\.min/);
    expect(fs.files.size).toBe(0);
  });

  it('suggests distinct, repeatable trials for a random sweep up to its budget', async () => {
    const q = new QueueStore(new MemoryStoreFS(), 'tab00001');
    const sweep = await queueSweep(
      q,
      {
        method: 'random',
        metric: { name: 'loss', goal: 'minimize' },
        parameters: {
          lr: { distribution: 'log_uniform', min: 1e-4, max: 1e-1 }
        },
        budget: 3,
        seed: 7
      },
      { notebook: 'n.ipynb' }
    );
    const state = await q.readSweep(sweep.id);
    expect(state.trials).toEqual([]);
    const first = nextSuggestions(state, 5);
    expect(first).toHaveLength(3);
    expect(new Set(first.map(p => p.lr)).size).toBe(3);
    for (const p of first) {
      expect(p.lr as number).toBeGreaterThanOrEqual(1e-4);
      expect(p.lr as number).toBeLessThanOrEqual(1e-1);
    }
    expect(nextSuggestions(state, 5)).toEqual(first);
    await q.queueTrials(sweep.id, first);
    expect(nextSuggestions(await q.readSweep(sweep.id), 5)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { runnableTrials } from '../../../src/core/queue/fold';
import { QueueStore } from '../../../src/core/queue/queuestore';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';

/** One store, several writers, one clock the test moves. */
function setup() {
  const fs = new MemoryStoreFS();
  let now = Date.parse('2026-12-03T07:00:00Z');
  const clock = () => now;
  const writer = (id: string) => new QueueStore(fs, id, clock);
  return {
    fs,
    writer,
    advance: (ms: number) => (now += ms),
    lease: (q: QueueStore) =>
      q.writeLease({
        started: new Date(now).toISOString(),
        ttl: 30_000,
        slots: 2
      })
  };
}

const grid = [{ lr: 0.1 }, { lr: 0.01 }, { lr: 0.001 }];

describe('run queue', () => {
  it('queues a sweep that every writer reads back the same', async () => {
    const { writer } = setup();
    const tab = writer('tab00001');
    const sweep = await tab.createSweep(
      {
        name: 'lr',
        notebook: 'train.ipynb',
        method: 'grid',
        metric: { name: 'loss', goal: 'minimize' }
      },
      grid
    );
    const seen = await writer('worker01').readSweep(sweep.id);
    expect(seen.status).toBe('active');
    expect(seen.trials.map(t => [t.number, t.params, t.status])).toEqual([
      [1, { lr: 0.1 }, 'queued'],
      [2, { lr: 0.01 }, 'queued'],
      [3, { lr: 0.001 }, 'queued']
    ]);
    expect(await tab.listSweeps()).toEqual([sweep.id]);
  });

  it('lets exactly one of two racing workers run a trial', async () => {
    const { writer, lease } = setup();
    const a = writer('aaaaaaaa');
    const b = writer('bbbbbbbb');
    await lease(a);
    await lease(b);
    const sweep = await a.createSweep(
      { name: 's', notebook: 'n.ipynb', method: 'grid' },
      grid
    );
    const trial = (await b.readSweep(sweep.id)).trials[0];
    // Both claim the same attempt at the same instant: the writer id decides.
    const [wonA, wonB] = await Promise.all([
      a.claim(sweep.id, trial.id, 1),
      b.claim(sweep.id, trial.id, 1)
    ]);
    expect([wonA, wonB]).toEqual([true, false]);
    const state = await b.readSweep(sweep.id);
    expect(state.trials[0]).toMatchObject({
      status: 'running',
      worker: 'aaaaaaaa'
    });
    // The other worker moves on to the next trial.
    expect(runnableTrials(state).map(t => t.number)).toEqual([2, 3]);
  });

  it('gives the trial to the earliest claim, whatever the writer ids', async () => {
    const { writer, lease, advance } = setup();
    const late = writer('aaaaaaaa');
    const early = writer('zzzzzzzz');
    await lease(late);
    await lease(early);
    const sweep = await late.createSweep(
      { name: 's', notebook: 'n.ipynb', method: 'grid' },
      grid
    );
    const id = (await late.readSweep(sweep.id)).trials[0].id;
    expect(await early.claim(sweep.id, id, 1)).toBe(true);
    advance(5);
    expect(await late.claim(sweep.id, id, 1)).toBe(false);
  });

  it('re-queues a trial whose worker stopped mid-run, as its next attempt', async () => {
    const { writer, lease, advance } = setup();
    const gone = writer('gone0000');
    const alive = writer('alive000');
    await lease(gone);
    const sweep = await alive.createSweep(
      { name: 's', notebook: 'n.ipynb', method: 'grid' },
      grid
    );
    const id = (await alive.readSweep(sweep.id)).trials[0].id;
    expect(await gone.claim(sweep.id, id, 1)).toBe(true);
    advance(20_000);
    await lease(alive);
    expect((await alive.readSweep(sweep.id)).trials[0].status).toBe('running');
    advance(15_000); // gone's lease (30 s) has expired
    await lease(alive);
    let t = (await alive.readSweep(sweep.id)).trials[0];
    expect(t).toMatchObject({ status: 'queued', attempt: 2, requeued: 1 });
    expect(await alive.claim(sweep.id, id, 2)).toBe(true);
    await alive.appendEvents(sweep.id, [
      {
        type: 'ended',
        time: new Date().toISOString(),
        trial: id,
        attempt: 2,
        status: 'done',
        metric: 0.5,
        experiment: 'e1'
      }
    ]);
    t = (await alive.readSweep(sweep.id)).trials[0];
    expect(t).toMatchObject({
      status: 'done',
      attempt: 2,
      metric: 0.5,
      experiment: 'e1'
    });
  });

  it('retries a failed trial up to the limit, then marks it failed', async () => {
    const { writer, lease, advance } = setup();
    const w = writer('worker01');
    await lease(w);
    const sweep = await w.createSweep(
      { name: 's', notebook: 'n.ipynb', method: 'grid', maxRetries: 1 },
      [{ x: 1 }]
    );
    const id = (await w.readSweep(sweep.id)).trials[0].id;
    for (const attempt of [1, 2]) {
      advance(1);
      expect(await w.claim(sweep.id, id, attempt)).toBe(true);
      await w.appendEvents(sweep.id, [
        {
          type: 'ended',
          time: new Date(
            Date.parse('2026-12-03T07:00:00Z') + attempt * 10
          ).toISOString(),
          trial: id,
          attempt,
          status: 'failed',
          message: 'The kernel died'
        }
      ]);
    }
    const state = await w.readSweep(sweep.id);
    expect(state.trials[0]).toMatchObject({
      status: 'failed',
      failures: 2,
      message: 'The kernel died'
    });
    expect(state.status).toBe('finished');
    // Retry on request: queued again as a new attempt.
    await w.appendEvents(sweep.id, [
      { type: 'retry-trial', time: '2026-12-03T08:00:00.000Z', trial: id }
    ]);
    expect((await w.readSweep(sweep.id)).trials[0]).toMatchObject({
      status: 'queued',
      attempt: 3
    });
  });

  it('pauses, resumes and cancels; keeps to the budget; names the best trial', async () => {
    const { writer, lease, advance } = setup();
    const w = writer('worker01');
    await lease(w);
    const sweep = await w.createSweep(
      {
        name: 's',
        notebook: 'n.ipynb',
        method: 'random',
        budget: 3,
        metric: { name: 'acc', goal: 'maximize' }
      },
      [{ x: 1 }, { x: 2 }]
    );
    advance(1);
    await w.queueTrials(sweep.id, [{ x: 3 }, { x: 4 }]); // one too many
    let state = await w.readSweep(sweep.id);
    expect(state.trials.map(t => t.params.x)).toEqual([1, 2, 3]);
    const [t1, t2] = state.trials;
    await w.claim(sweep.id, t1.id, 1);
    await w.claim(sweep.id, t2.id, 1);
    advance(1);
    await w.appendEvents(sweep.id, [
      {
        type: 'ended',
        time: new Date(Date.parse('2026-12-03T07:00:00Z') + 2).toISOString(),
        trial: t1.id,
        attempt: 1,
        status: 'done',
        metric: 0.7
      },
      {
        type: 'ended',
        time: new Date(Date.parse('2026-12-03T07:00:00Z') + 2).toISOString(),
        trial: t2.id,
        attempt: 1,
        status: 'done',
        metric: 0.9
      }
    ]);
    advance(10);
    await w.control(sweep.id, 'pause');
    state = await w.readSweep(sweep.id);
    expect(state.status).toBe('paused');
    expect(runnableTrials(state)).toEqual([]);
    expect(state.best?.params).toEqual({ x: 2 });
    advance(10);
    await w.control(sweep.id, 'resume');
    expect(
      runnableTrials(await w.readSweep(sweep.id)).map(t => t.number)
    ).toEqual([3]);
    advance(10);
    await w.control(sweep.id, 'cancel');
    state = await w.readSweep(sweep.id);
    expect(state.status).toBe('cancelled');
    expect(state.counts).toMatchObject({ done: 2, cancelled: 1, queued: 0 });
  });

  it('reports a damaged file and folds the rest', async () => {
    const { writer, fs } = setup();
    const w = writer('worker01');
    const sweep = await w.createSweep(
      { name: 's', notebook: 'n.ipynb', method: 'grid' },
      grid
    );
    await fs.writeText(
      `sweeps/${sweep.id}/events/0000000000000001-broken00.json`,
      '{"format": "labbook-queue-ev'
    );
    const state = await w.readSweep(sweep.id);
    expect(state.trials).toHaveLength(3);
    expect(w.problems).toEqual([
      {
        path: `sweeps/${sweep.id}/events/0000000000000001-broken00.json`,
        problem: 'not valid JSON (truncated or half-written?)'
      }
    ]);
  });
});

import { describe, expect, it } from 'vitest';

import { ExecutionTracker } from '../../../src/core/history/tracker';
import type { IExecutionRecord, ISessionRecord } from '../../../src/core/model';
import { aborted, run, type Step } from './fixtures';

const PY = { name: 'python3', language: 'python' };

function feed(t: ExecutionTracker, steps: Step[]): void {
  for (const [m, d] of steps) {
    t.handle(m, d);
  }
}

function executions(t: ExecutionTracker): IExecutionRecord[] {
  return t.records.filter((r): r is IExecutionRecord => r.kind === 'execution');
}

function tracker(): ExecutionTracker {
  let n = 0;
  const t = new ExecutionTracker({ newSessionId: () => `s${++n}` });
  t.startSession('k1', PY, 'start', new Date('2024-05-01T09:59:00Z'));
  return t;
}

describe('ExecutionTracker', () => {
  it('records a finished execution with source, cell, count, times and outputs', () => {
    const t = tracker();
    const finished: IExecutionRecord[] = [];
    t.executionFinished.connect((_, r) => finished.push(r));
    feed(
      t,
      run('print(1)', {
        cellId: 'cell-a',
        count: 1,
        t: 0,
        ms: 25,
        outputs: [['stream', { name: 'stdout', text: '1\n' }]]
      })
    );
    expect(finished).toHaveLength(1);
    const r = finished[0];
    expect(r).toMatchObject({
      kind: 'execution',
      session: 's1',
      index: 1,
      cellId: 'cell-a',
      source: 'print(1)',
      executionCount: 1,
      status: 'ok',
      duration: 25
    });
    expect(Object.keys(r.times).sort()).toEqual(
      [
        'iopub.execute_input',
        'iopub.status.busy',
        'iopub.status.idle',
        'queued',
        'shell.execute_reply',
        'shell.execute_reply.started'
      ].sort()
    );
    expect(r.outputs).toEqual([
      {
        type: 'stream',
        name: 'stdout',
        mimes: [{ mime: 'text/plain', size: 2 }],
        text: '1\n'
      }
    ]);
    expect(t.pendingCount).toBe(0);
  });

  it('keeps the source exactly as sent, whitespace and magics included', () => {
    const t = tracker();
    const code = '%%timeit\n\tx = 1  \r\n\n';
    feed(t, run(code, { count: 1, t: 0 }));
    expect(executions(t)[0].source).toBe(code);
  });

  it('lists a cell run three times three times, in order, with gap-free indices', () => {
    const t = tracker();
    feed(t, run('a = 1', { cellId: 'A', count: 1, t: 0 }));
    feed(t, run('b = a + 1', { cellId: 'B', count: 2, t: 100 }));
    feed(t, run('b = a + 1', { cellId: 'B', count: 3, t: 200 }));
    feed(t, run('b = a + 1', { cellId: 'B', count: 4, t: 300 }));
    const ex = executions(t);
    expect(ex.map(r => [r.cellId, r.executionCount])).toEqual([
      ['A', 1],
      ['B', 2],
      ['B', 3],
      ['B', 4]
    ]);
    expect(t.records.map(r => r.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('records errors with status, ename, evalue and the last traceback line without colour codes', () => {
    const t = tracker();
    feed(
      t,
      run('1/0', {
        count: 2,
        t: 0,
        error: { ename: 'ZeroDivisionError', evalue: 'division by zero' }
      })
    );
    const r = executions(t)[0];
    expect(r.status).toBe('error');
    // line: the cell line the traceback names (where the cell raised).
    expect(r.error).toEqual({
      ename: 'ZeroDivisionError',
      evalue: 'division by zero',
      line: 1
    });
    expect(r.outputs[0]).toMatchObject({
      type: 'error',
      ename: 'ZeroDivisionError',
      text: 'ZeroDivisionError: division by zero'
    });
  });

  it('keeps the raising line a later traceback names, and none for a syntax error', () => {
    const t = tracker();
    feed(
      t,
      run('a = 1\nb\n', {
        count: 1,
        t: 0,
        error: {
          ename: 'NameError',
          evalue: "name 'b' is not defined",
          line: 2
        }
      })
    );
    expect(executions(t)[0].error?.line).toBe(2);
    const steps = run('x = (', {
      count: 2,
      t: 100,
      error: { ename: 'SyntaxError', evalue: 'incomplete input' }
    });
    // A compile-time SyntaxError has no "Traceback" header: nothing ran.
    for (const [m] of steps) {
      if (m.content.traceback) {
        m.content.traceback = [
          '  Cell In [2], line 1\n    x = (\n         ^\nSyntaxError: incomplete input\n'
        ];
      }
    }
    feed(t, steps);
    expect(executions(t)[1].error).toEqual({
      ename: 'SyntaxError',
      evalue: 'incomplete input'
    });
  });

  it('completes when the reply comes before idle, and when idle comes before the reply', () => {
    for (const replyFirst of [true, false]) {
      const t = tracker();
      const finished: IExecutionRecord[] = [];
      t.executionFinished.connect((_, r) => finished.push(r));
      const steps = run('x', { count: 1, t: 0, ms: 40, replyFirst });
      feed(t, steps.slice(0, -1));
      expect(finished).toHaveLength(0);
      expect(executions(t)[0].status).toBe(replyFirst ? 'ok' : null);
      feed(t, steps.slice(-1));
      expect(finished).toHaveLength(1);
      expect(finished[0].status).toBe('ok');
      expect(finished[0].duration).toBe(40);
    }
  });

  it('tracks interleaved messages of queued executions by parent msg_id', () => {
    const t = tracker();
    const a = run('a', {
      count: 1,
      t: 0,
      outputs: [['stream', { name: 'stdout', text: 'A' }]]
    });
    const b = run('b', {
      count: 2,
      t: 5,
      outputs: [['stream', { name: 'stdout', text: 'B' }]]
    });
    // Both requests are sent before either runs (Run All).
    feed(t, [a[0], b[0], ...a.slice(1), ...b.slice(1)]);
    const ex = executions(t);
    expect(ex.map(r => r.source)).toEqual(['a', 'b']);
    expect(ex.map(r => r.outputs[0].text)).toEqual(['A', 'B']);
  });

  it('ignores silent requests, store_history=false requests and messages of other clients', () => {
    const t = tracker();
    feed(t, run('_labbook_setup()', { count: 0, t: 0, silent: true }));
    feed(t, run('inspect()', { count: 0, t: 10, storeHistory: false }));
    const other = run('theirs', { count: 1, t: 20 }).slice(1); // no request seen
    feed(t, other);
    expect(executions(t)).toHaveLength(0);
    const keep = new ExecutionTracker({ keepUnstored: true });
    feed(keep, run('inspect()', { count: 0, t: 10, storeHistory: false }));
    expect(executions(keep)).toHaveLength(1);
  });

  it('emits executionStarted when the request is sent, before any reply', () => {
    const t = tracker();
    const started: IExecutionRecord[] = [];
    t.executionStarted.connect((_, r) => started.push(r));
    const steps = run('x', { count: 1, t: 0 });
    feed(t, steps.slice(0, 1));
    expect(started).toHaveLength(1);
    expect(started[0].status).toBeNull();
    expect(t.pendingCount).toBe(1);
  });

  it('starts a new session on restart and aborts what was still pending', () => {
    const t = tracker();
    const sessions: ISessionRecord[] = [];
    t.sessionStarted.connect((_, s) => sessions.push(s));
    feed(t, run('a = 1', { count: 1, t: 0 }));
    feed(t, run('while True: pass', { count: 2, t: 100 }).slice(0, 3));
    const s2 = t.startSession('k1', PY, 'restart');
    feed(t, run('a', { count: 1, t: 10_000 }));
    const ex = executions(t);
    expect(ex.map(r => [r.session, r.status])).toEqual([
      ['s1', 'ok'],
      ['s1', 'aborted'],
      ['s2', 'ok']
    ]);
    expect(sessions).toEqual([s2]);
    expect(s2.reason).toBe('restart');
    expect(t.currentSession()).toBe(s2);
    expect(t.records.map(r => r.kind)).toEqual([
      'session',
      'execution',
      'execution',
      'session',
      'execution'
    ]);
    expect(t.records.map(r => r.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('records executions the kernel aborted after an error', () => {
    const t = tracker();
    feed(t, aborted('print(2)', 0, 'C'));
    expect(executions(t)[0]).toMatchObject({ status: 'aborted', cellId: 'C' });
  });

  it('attaches a session when executions arrive before any was started', () => {
    const t = new ExecutionTracker();
    feed(t, run('x', { count: 1, t: 0 }));
    expect(t.records[0]).toMatchObject({ kind: 'session', reason: 'attach' });
    expect(executions(t)[0].session).toBe(t.currentSession()!.session);
  });

  it('summarises outputs: mime sizes, text/plain cut, images hashed, clear_output honoured', () => {
    const t = new ExecutionTracker({ textLimit: 10 });
    const png = 'iVBORw0KGgo' + 'A'.repeat(1000);
    feed(
      t,
      run('plot()', {
        count: 1,
        t: 0,
        outputs: [
          ['stream', { name: 'stdout', text: 'progress 1\n' }],
          ['clear_output', { wait: true }],
          ['stream', { name: 'stdout', text: 'done\n' }],
          ['stream', { name: 'stdout', text: 'and more\n' }],
          [
            'display_data',
            {
              data: { 'image/png': png, 'text/plain': '<Figure size 640x480>' },
              metadata: {}
            }
          ],
          [
            'execute_result',
            { data: { 'text/plain': '42' }, metadata: {}, execution_count: 1 }
          ]
        ]
      })
    );
    const [stream, display, result] = executions(t)[0].outputs;
    expect(stream).toEqual({
      type: 'stream',
      name: 'stdout',
      mimes: [{ mime: 'text/plain', size: 14 }],
      text: 'done\nand m',
      truncated: true
    });
    expect(display.mimes).toEqual([
      { mime: 'image/png', size: png.length },
      { mime: 'text/plain', size: 21 }
    ]);
    expect(display.images![0].hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(display.text).toBe('<Figure si');
    expect(display.truncated).toBe(true);
    expect(result.text).toBe('42');
    expect(result.truncated).toBeUndefined();
    // Same image, same hash; a different image, another hash.
    const again = new ExecutionTracker();
    feed(
      again,
      run('plot()', {
        count: 1,
        t: 0,
        outputs: [['display_data', { data: { 'image/png': png } }]]
      })
    );
    feed(
      again,
      run('plot()', {
        count: 2,
        t: 9,
        outputs: [['display_data', { data: { 'image/png': png + 'B' } }]]
      })
    );
    const hashes = executions(again).map(r => r.outputs[0].images![0].hash);
    expect(hashes[0]).toBe(display.images![0].hash);
    expect(hashes[1]).not.toBe(hashes[0]);
  });

  it('summarises a 50 MB output quickly, sizing it without keeping it', () => {
    const t = new ExecutionTracker();
    // A flat string, as JSON.parse delivers it (a rope would be flattened on first slice).
    const huge = Buffer.alloc(50 * 1024 * 1024, 'x').toString('latin1');
    const steps = run('print(huge)', {
      count: 1,
      t: 0,
      outputs: [
        ['stream', { name: 'stdout', text: huge }],
        ['execute_result', { data: { 'text/plain': huge }, metadata: {} }]
      ]
    });
    const t0 = performance.now();
    feed(t, steps);
    const elapsed = performance.now() - t0;
    const [stream, result] = executions(t)[0].outputs;
    expect(stream.mimes![0].size).toBe(huge.length);
    expect(stream.text).toHaveLength(2000);
    expect(stream.truncated).toBe(true);
    expect(result.mimes).toEqual([{ mime: 'text/plain', size: huge.length }]);
    expect(result.text).toHaveLength(2000);
    expect(JSON.stringify(t.records).length).toBeLessThan(20_000);
    expect(elapsed).toBeLessThan(50);
  });
});

import { describe, expect, it } from 'vitest';
import { diffScripts } from '../../../src/core/compare/scriptdiff';
import { flattenHistory } from '../../../src/core/history/flatten';
import type { HistoryRecord } from '../../../src/core/model';

const kernel = { name: 'python3', language: 'python', displayName: 'Python 3' };

/** A session that ran `sources` in order, at `t0`, each taking `ms`. */
function history(
  session: string,
  t0: number,
  ms: number,
  sources: string[],
  failing = -1
): HistoryRecord[] {
  const iso = (t: number) => new Date(t).toISOString();
  return [
    {
      kind: 'session',
      session,
      index: 0,
      kernelId: 'k',
      kernel,
      started: iso(t0),
      reason: 'start'
    },
    ...sources.map((source, i): HistoryRecord => ({
      kind: 'execution',
      session,
      index: i + 1,
      msgId: `${session}-${i}`,
      cellId: `${session}-cell-${i}`,
      source,
      executionCount: i + 1 + (session === 'b' ? 7 : 0),
      times: {
        queued: iso(t0 + i * 1000),
        'iopub.status.busy': iso(t0 + i * 1000 + 5)
      },
      duration: ms * (i + 1),
      status: i === failing ? 'error' : 'ok',
      ...(i === failing ? { error: { ename: 'KeyError', evalue: "'x'" } } : {}),
      outputs: []
    }))
  ];
}

const code = [
  'import numpy as np',
  'lr = 0.01\nepochs = 10',
  'train(lr, epochs)'
];

describe('diffScripts', () => {
  it('shows only the code that changed, not run counts, times or ids', () => {
    const a = flattenHistory(
      history('a', Date.parse('2026-03-01T10:00:00Z'), 120, code),
      {
        experiment: 'run one'
      }
    );
    const changed = [...code];
    changed[1] = 'lr = 0.03\nepochs = 10';
    const b = flattenHistory(
      history('b', Date.parse('2026-03-02T18:30:00Z'), 340, changed),
      {
        experiment: 'run two'
      }
    );
    const d = diffScripts(a, b);
    expect(d.added).toBe(1);
    expect(d.removed).toBe(1);
    expect(d.same).toBe(false);
    const removed = d.diff.segments.filter(s => s.kind === 'removed');
    expect(removed.map(s => s.value)).toEqual(['lr = 0.01\n']);
    expect(d.b).toContain('# %% [2] status="ok"\nlr = 0.03');

    const all = diffScripts(a, b, { includeVolatile: true });
    expect(all.removed).toBeGreaterThan(4);
    expect(all.a).toBe(a);
  });

  it('counts a run that now fails as a change', () => {
    const t = Date.parse('2026-03-01T10:00:00Z');
    const a = flattenHistory(history('a', t, 10, code));
    const b = flattenHistory(history('b', t + 5000, 10, code, 2));
    const d = diffScripts(a, b);
    expect(d.same).toBe(false);
    expect(d.b).toContain('# %% [3] status="error" ename="KeyError"');
    expect(
      diffScripts(a, flattenHistory(history('c', t + 9, 99, code))).same
    ).toBe(true);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import {
  commentPrefix,
  flattenHistory,
  scriptFileName
} from '../../../src/core/history/flatten';
import { ExecutionTracker } from '../../../src/core/history/tracker';
import type { HistoryRecord, IKernelInfo } from '../../../src/core/model';
import { aborted, run, type Step } from './fixtures';
import { ipythonMissing, PYTHON } from './python';

const PY: IKernelInfo = {
  name: 'python3',
  language: 'python',
  displayName: 'Python 3 (ipykernel)'
};

interface ICell {
  code: string;
  cell: string;
  /** true: a NameError on line 1; or the error with the line it names. */
  error?: boolean | { ename: string; evalue: string; line: number };
  /** Queued behind a failed cell and aborted by the kernel. */
  aborted?: boolean;
}

/** A tracker history of `sessions`, each a list of cells run in order. */
function history(
  sessions: ICell[][],
  kernel = PY,
  starts: [string, 'start' | 'restart' | 'attach'][] = []
): HistoryRecord[] {
  let n = 0;
  const t = new ExecutionTracker({ newSessionId: () => `session-${++n}` });
  let time = 0;
  sessions.forEach((cells, s) => {
    const [kernelId, reason] = starts[s] ?? [
      'kernel-1',
      s === 0 ? 'start' : 'restart'
    ];
    t.startSession(kernelId, kernel, reason);
    let count = 0;
    cells.forEach(c => {
      if (c.aborted) {
        for (const [m, d] of aborted(c.code, (time += 1000), c.cell)) {
          t.handle(m, d);
        }
        return;
      }
      const steps: Step[] = run(c.code, {
        cellId: c.cell,
        count: ++count,
        t: (time += 1000),
        ms: 250,
        error:
          c.error === true
            ? { ename: 'NameError', evalue: "name 'boom' is not defined" }
            : c.error || undefined
      });
      for (const [m, d] of steps) {
        t.handle(m, d);
      }
    });
  });
  return [...t.records];
}

/** The percent-format markers of a script, parsed jupytext-style (key=JSON value). */
function markers(
  script: string
): { n: number; meta: Record<string, unknown> }[] {
  return script
    .split('\n')
    .filter(l => /^# %% \[\d+\]/.test(l))
    .map(l => {
      const m = /^# %% \[(\d+)\] (.*)$/.exec(l)!;
      const meta: Record<string, unknown> = {};
      for (const kv of m[2].matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|[^ ]+)/g)) {
        meta[kv[1]] = JSON.parse(kv[2]);
      }
      return { n: Number(m[1]), meta };
    });
}

describe('flattenHistory', () => {
  it('replays the last session in execution order, a repeated cell each time', () => {
    const records = history([
      [{ code: 'old = 1', cell: 'o' }],
      [
        { code: 'x = 1', cell: 'a' },
        { code: 'x += 1', cell: 'b' },
        { code: 'x += 1', cell: 'b' },
        { code: 'print(x)', cell: 'c' }
      ]
    ]);
    const script = flattenHistory(records, {
      experiment: 'run "one"\nsecond line'
    });
    expect(script).not.toContain('old = 1');
    expect(markers(script)).toEqual([
      {
        n: 1,
        meta: expect.objectContaining({
          cell_id: 'a',
          execution_count: 1,
          status: 'ok',
          duration: 0.25
        })
      },
      {
        n: 2,
        meta: expect.objectContaining({ cell_id: 'b', execution_count: 2 })
      },
      {
        n: 3,
        meta: expect.objectContaining({ cell_id: 'b', execution_count: 3 })
      },
      {
        n: 4,
        meta: expect.objectContaining({ cell_id: 'c', execution_count: 4 })
      }
    ]);
    const body = script.split('\n').filter(l => l !== '' && !l.startsWith('#'));
    expect(body).toEqual(['x = 1', 'x += 1', 'x += 1', 'print(x)']);
    expect(script).toContain('# Experiment: run "one" second line\n');
    expect(script).toContain('#     name: "python3"');
  });

  it('replays a session continued by a tab that attached to the same kernel (page reloaded mid-run)', () => {
    const cells = [
      [{ code: 'x = 1', cell: 'a' }],
      [{ code: 'print(x)', cell: 'b' }]
    ];
    const same = history(cells, PY, [
      ['kernel-1', 'start'],
      ['kernel-1', 'attach']
    ]);
    const body = (script: string) =>
      script.split('\n').filter(l => l !== '' && !l.startsWith('#'));
    expect(body(flattenHistory(same))).toEqual(['x = 1', 'print(x)']);
    // Another kernel is another session, even when the tab attached to it.
    const other = history(cells, PY, [
      ['kernel-1', 'start'],
      ['kernel-2', 'attach']
    ]);
    expect(body(flattenHistory(other))).toEqual(['print(x)']);
  });

  it('keeps every session with includeAllSessions', () => {
    const records = history([
      [{ code: 'old = 1', cell: 'o' }],
      [{ code: 'new = 2', cell: 'n' }]
    ]);
    const script = flattenHistory(records, { includeAllSessions: true });
    expect(script.indexOf('old = 1')).toBeGreaterThan(0);
    expect(script.indexOf('old = 1')).toBeLessThan(script.indexOf('new = 2'));
    expect(script).toContain(
      '# %% [markdown] session="session-2" reason="restart"'
    );
  });

  it('translates magics and shell escapes to get_ipython() calls', () => {
    const records = history([
      [
        { code: '%matplotlib inline', cell: 'm' },
        { code: '%%timeit\nsum(range(10))', cell: 't' },
        { code: 'files = !ls', cell: 's' }
      ]
    ]);
    const script = flattenHistory(records);
    expect(script).toContain(
      "get_ipython().run_line_magic('matplotlib', 'inline')\n"
    );
    expect(script).toContain(
      "get_ipython().run_cell_magic('timeit', '', 'sum(range(10))\\n')\n"
    );
    expect(script).toContain("files = get_ipython().getoutput('ls')\n");
  });

  it('comments failed executions out and marks them', () => {
    const records = history([
      [
        { code: 'ok = 1', cell: 'a' },
        { code: 'print(boom)\n\nif ok:\n    !rm -rf x', cell: 'b', error: true }
      ]
    ]);
    const script = flattenHistory(records);
    const failed = markers(script)[1].meta;
    expect(failed).toMatchObject({
      status: 'error',
      ename: 'NameError',
      cell_id: 'b'
    });
    expect(script).toContain(
      `# %% [2] cell_id="b" execution_count=2 status="error"`
    );
    expect(script).toContain(
      "# print(boom)\n#\n# if ok:\n#     get_ipython().system('rm -rf x')\n"
    );
  });

  it('keeps live what ran before the raising statement, and comments out the rest with the error in the marker', () => {
    const records = history([
      [
        {
          code: 'import numpy as np\nfrom missing_module import data\nx = np.zeros(3)',
          cell: 'a',
          error: {
            ename: 'ModuleNotFoundError',
            evalue: "No module named 'missing_module'",
            line: 2
          }
        },
        { code: 'y = np.ones(2)', cell: 'b' }
      ]
    ]);
    const script = flattenHistory(records);
    expect(markers(script)[0].meta).toMatchObject({
      status: 'error',
      ename: 'ModuleNotFoundError',
      raised_at_line: 2
    });
    expect(script).toMatch(
      /status="error"[^\n]*\nimport numpy as np\n# The statement below raised ModuleNotFoundError; it and the rest of the cell did not run:\n# from missing_module import data\n# x = np.zeros\(3\)\n/
    );
    expect(script).toMatch(/A failed execution keeps the statements that ran/);
  });

  it('comments out a compound statement whole when a line inside it raised', () => {
    const records = history([
      [
        {
          code: '@decorate\ndef f():\n    pass\na = 1\nfor i in range(3):\n    b = i\n\n    1/0\nc = 2\n',
          cell: 'a',
          error: {
            ename: 'ZeroDivisionError',
            evalue: 'division by zero',
            line: 8
          }
        }
      ]
    ]);
    const body = flattenHistory(records).split('\n');
    const live = body.filter(l => l !== '' && !l.startsWith('#'));
    expect(live).toEqual(['@decorate', 'def f():', '    pass', 'a = 1']);
    expect(body).toContain('# for i in range(3):');
    expect(body).toContain('#     1/0');
    expect(body).toContain('# c = 2');
  });

  it('leaves out requests the kernel aborted: no block, not counted', () => {
    const records = history([
      [
        { code: 'a = 1', cell: 'a' },
        { code: '1/0', cell: 'b', error: true },
        { code: 'c = 3', cell: 'c', aborted: true },
        { code: 'd = 4', cell: 'd', aborted: true },
        { code: 'c = 3', cell: 'c' }
      ]
    ]);
    const script = flattenHistory(records);
    const ms = markers(script);
    expect(ms.map(m => m.meta.cell_id)).toEqual(['a', 'b', 'c']);
    expect(ms.map(m => m.n)).toEqual([1, 2, 3]);
    expect(script).not.toMatch(/aborted"/);
    expect(script).not.toContain('d = 4');
    expect(script).toMatch(/aborted after an error never ran and are left out/);
  });

  it('comments out every line of a failed cell whatever its line breaks', () => {
    const records = history([
      [{ code: 'a = 1\rb = 2\r\nc = 3\u2028d', cell: 'x', error: true }]
    ]);
    const lines = flattenHistory(records).split('\n');
    const body = lines.slice(
      lines.findIndex(l => l.startsWith('# %% [1]')) + 1
    );
    expect(body.filter(l => l !== '' && !l.startsWith('#'))).toEqual([]);
    expect(flattenHistory(records)).not.toMatch(/\r/);
  });

  it('uses the comment syntax of non-Python kernels and leaves their code alone', () => {
    const records = history(
      [[{ code: 'console.log(1)\n%not_a_magic', cell: 'j' }]],
      { name: 'javascript', language: 'javascript' }
    );
    const script = flattenHistory(records);
    expect(script).toContain('// %% [1] cell_id="j"');
    expect(script).toContain('console.log(1)\n%not_a_magic\n');
    expect(script).not.toMatch(/^#/m);
    expect(commentPrefix('R')).toBe('#');
    expect(commentPrefix('scala')).toBe('//');
  });

  it('names script files safely', () => {
    expect(scriptFileName('My run: lr=1e-3 / v2')).toBe('My-run-lr-1e-3-v2.py');
    expect(scriptFileName('../../etc/passwd')).toBe('etc-passwd.py');
    expect(scriptFileName('')).toBe('experiment.py');
    expect(scriptFileName('analysis', 'R')).toBe('analysis.R');
  });

  it.skipIf(ipythonMissing !== null)(
    `replays what a failed cell ran before it raised, so later cells find its names${ipythonMissing ? ` (skipped: ${ipythonMissing})` : ''}`,
    () => {
      const records = history([
        [
          {
            code: 'import os\nfrom missing_module_xyz import data\nprint("never")',
            cell: 'a',
            error: {
              ename: 'ModuleNotFoundError',
              evalue: "No module named 'missing_module_xyz'",
              line: 2
            }
          },
          { code: 'print("after", os.sep)', cell: 'b', aborted: true },
          { code: 'print("after", os.sep)', cell: 'b' }
        ]
      ]);
      const dir = mkdtempSync(join(tmpdir(), 'labbook-flatten-'));
      try {
        const file = join(dir, 'script.py');
        writeFileSync(file, flattenHistory(records));
        const r = spawnSync(
          PYTHON,
          [
            '-m',
            'IPython',
            '--quick',
            '--no-banner',
            '--colors=NoColor',
            '--no-term-title',
            file
          ],
          { encoding: 'utf8', cwd: dir, env: { ...process.env, HOME: dir } }
        );
        expect(r.stderr).not.toMatch(/Error|Traceback/);
        expect(r.stdout.split('\n').filter(l => l !== '')).toEqual(['after /']);
        expect(r.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  );

  it.skipIf(ipythonMissing !== null)(
    `reproduces the session's printed values under ipython${ipythonMissing ? ` (skipped: ${ipythonMissing})` : ''}`,
    () => {
      const records = history([
        [{ code: 'print("stale session")', cell: 'z' }],
        [
          { code: 'import sys\ntotal = 0', cell: 'a' },
          { code: 'total += 5\nprint("total", total)', cell: 'b' },
          { code: 'total += 5\nprint("total", total)', cell: 'b' },
          { code: "%%capture captured\nprint('hidden')", cell: 'c' },
          { code: 'lines = !echo one; echo two\nprint(lines)', cell: 'd' },
          { code: 'print(undefined_name)', cell: 'e', error: true },
          {
            code: '%time t = total * 2\nprint("t", t, captured.stdout.strip())',
            cell: 'f'
          }
        ]
      ]);
      const dir = mkdtempSync(join(tmpdir(), 'labbook-flatten-'));
      try {
        const file = join(dir, 'script.py');
        writeFileSync(file, flattenHistory(records));
        const r = spawnSync(
          PYTHON,
          [
            '-m',
            'IPython',
            '--quick',
            '--no-banner',
            '--colors=NoColor',
            '--no-term-title',
            file
          ],
          { encoding: 'utf8', cwd: dir, env: { ...process.env, HOME: dir } }
        );
        expect(r.stderr).not.toMatch(/Error|Traceback/);
        const printed = r.stdout
          .split('\n')
          .filter(l => !/^(CPU times|Wall time)/.test(l) && l !== '');
        expect(printed).toEqual([
          'total 5',
          'total 10',
          "['one', 'two']",
          't 20 hidden'
        ]);
        expect(r.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  );
});

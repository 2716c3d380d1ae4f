/**
 * `labbook merge` end to end: the bundled lib/cli.cjs on files, and as the
 * merge driver of a real `git merge`.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotebook } from '../../src/core/diff';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'lib', 'cli.cjs');
let dir: string;

beforeAll(() => {
  const r = spawnSync(process.execPath, ['scripts/build-cli.mjs'], {
    cwd: ROOT,
    encoding: 'utf8'
  });
  expect(r.status).toBe(0);
  dir = mkdtempSync(join(tmpdir(), 'labbook-merge-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function notebook(sources: string[], title = 'base'): string {
  return (
    JSON.stringify(
      {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { title },
        cells: sources.map((source, i) => ({
          cell_type: 'code',
          id: `cell-${i}`,
          metadata: {},
          execution_count: null,
          source: source.split(/(?<=\n)/),
          outputs: []
        }))
      },
      null,
      1
    ) + '\n'
  );
}

const BASE = [
  'import numpy as np\n',
  'x = np.arange(10)\n',
  'print(x.sum())\n'
];

function cli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('labbook merge', () => {
  it('merges cleanly (exit 0), writes -o, and reports conflicts (exit 1)', () => {
    const base = file('base.ipynb', notebook(BASE));
    const local = file(
      'local.ipynb',
      notebook(['import numpy as np\nimport pandas as pd\n', ...BASE.slice(1)])
    );
    const remote = file(
      'remote.ipynb',
      notebook([...BASE.slice(0, 2), 'print(x.mean())\n'], 'remote')
    );
    const out = join(dir, 'out.ipynb');
    const r = cli(['merge', base, local, remote, '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const merged = parseNotebook(readFileSync(out, 'utf8'), 'out');
    expect(merged.cells.map(c => c.source)).toEqual([
      'import numpy as np\nimport pandas as pd\n',
      'x = np.arange(10)\n',
      'print(x.mean())\n'
    ]);
    expect(merged.metadata.title).toBe('remote');
    // Without -o: the notebook on stdout.
    expect(
      parseNotebook(cli(['merge', base, local, remote]).stdout, 'o')
    ).toEqual(merged);

    const other = file(
      'other.ipynb',
      notebook(['import numpy as onp\n', ...BASE.slice(1)])
    );
    const c = cli(['merge', base, local, other, '-o', out]);
    expect(c.status).toBe(1);
    expect(c.stderr).toBe('labbook merge: 1 conflict: cell 1 source\n');
    expect(
      parseNotebook(readFileSync(out, 'utf8'), 'out').cells[0].source
    ).toContain('<<<<<<< local\n');
  });

  it('exits 2 naming the file for a bad notebook or bad arguments', () => {
    const base = file('b2.ipynb', notebook(BASE));
    const bad = file('bad.ipynb', '{"nbformat": 3}');
    const r = cli(['merge', base, bad, base]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}: nbformat 3 is not supported`);
    expect(cli(['merge', base, base]).status).toBe(2);
    expect(
      cli(['merge', '--outputs', 'both', base, base, base]).stderr
    ).toContain('--outputs needs one of inline, local, remote, clear');
  });

  it('as the merge driver of a real git merge: merges, and reports conflicts', () => {
    const repo = mkdtempSync(join(dir, 'repo-'));
    const git = (...args: string[]) => {
      const env: Record<string, string | undefined> = { ...process.env };
      for (const k of Object.keys(env)) {
        if (k.startsWith('GIT_')) {
          delete env[k];
        }
      }
      return spawnSync('git', args, {
        cwd: repo,
        encoding: 'utf8',
        env: { ...env, GIT_CONFIG_NOSYSTEM: '1', HOME: repo }
      });
    };
    const ok = (...args: string[]) => {
      const r = git(...args);
      expect(r.stderr + r.stdout).not.toContain('fatal');
      expect(r.status).toBe(0);
    };
    ok('init', '-q', '-b', 'main');
    ok('config', 'user.email', 'a@example.org');
    ok('config', 'user.name', 'A');
    ok(
      'config',
      'merge.labbook.driver',
      `"${process.execPath}" "${CLI}" merge %O %A %B -o %A`
    );
    writeFileSync(join(repo, '.gitattributes'), '*.ipynb merge=labbook\n');
    const nbPath = join(repo, 'nb.ipynb');
    writeFileSync(nbPath, notebook(BASE));
    ok('add', '.');
    ok('commit', '-qm', 'base');
    ok('checkout', '-qb', 'feature');
    writeFileSync(nbPath, notebook([...BASE.slice(0, 2), 'print(x.mean())\n']));
    ok('commit', '-qam', 'feature: mean');
    ok('checkout', '-q', 'main');
    writeFileSync(
      nbPath,
      notebook(['import numpy as np\nimport pandas as pd\n', ...BASE.slice(1)])
    );
    ok('commit', '-qam', 'main: pandas');
    // Edits of two different cells: merged by the driver.
    ok('merge', '-q', '--no-edit', 'feature');
    const merged = parseNotebook(readFileSync(nbPath, 'utf8'), 'nb');
    expect(merged.cells.map(c => c.source)).toEqual([
      'import numpy as np\nimport pandas as pd\n',
      'x = np.arange(10)\n',
      'print(x.mean())\n'
    ]);
    // Conflicting edits of one line: git reports the conflict, the notebook
    // is still a notebook, with the markers in the cell.
    ok('checkout', '-qb', 'feature2');
    writeFileSync(
      nbPath,
      notebook(['import numpy\n', ...merged.cells.slice(1).map(c => c.source)])
    );
    ok('commit', '-qam', 'feature2');
    ok('checkout', '-q', 'main');
    writeFileSync(
      nbPath,
      notebook([
        'import numpy as numpy\n',
        ...merged.cells.slice(1).map(c => c.source)
      ])
    );
    ok('commit', '-qam', 'main again');
    const m = git('merge', '--no-edit', 'feature2');
    expect(m.status).toBe(1);
    expect(m.stdout).toContain(
      'CONFLICT (content): Merge conflict in nb.ipynb'
    );
    expect(m.stderr).toContain('labbook merge: 1 conflict: cell 1 source');
    const conflicted = parseNotebook(readFileSync(nbPath, 'utf8'), 'nb');
    expect(conflicted.cells[0].source).toBe(
      '<<<<<<< local\nimport numpy as numpy\n=======\nimport numpy\n>>>>>>> remote\n'
    );
  });
});

/**
 * `labbook diff` end to end: the bundled lib/cli.cjs, spawned as a user
 * (or git) would run it.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patch } from 'nbdime/lib/patch';
import { main } from '../../src/cli/main';
import { parseNotebook } from '../../src/core/diff';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'lib', 'cli.cjs');

let dir: string;

beforeAll(() => {
  // Always rebuild: the bundle must be the current source (takes ~100 ms).
  const r = spawnSync(process.execPath, ['scripts/build-cli.mjs'], {
    cwd: ROOT,
    encoding: 'utf8'
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  dir = mkdtempSync(join(tmpdir(), 'labbook-cli-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function notebook(sources: string[], extra: object = {}): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: sources.map((source, i) => ({
      cell_type: 'code',
      id: `cell-${i}`,
      metadata: {},
      execution_count: i + 1,
      source: source.split(/(?<=\n)/),
      outputs: []
    })),
    ...extra
  });
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function labbook(args: string[], env: Record<string, string> = {}) {
  const e: Record<string, string | undefined> = { ...process.env, ...env };
  delete e.NO_COLOR;
  delete e.FORCE_COLOR;
  delete e.GIT_DIFF_PATH_TOTAL;
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...e, ...env }
  });
}

const SOURCES = ['import numpy as np\n', 'x = np.arange(10)\nprint(x.sum())\n'];

describe('labbook diff', () => {
  it('exits 0 and says so when the notebooks are identical', () => {
    const a = file('same-a.ipynb', notebook(SOURCES));
    // Same notebook, other execution counts: ignored by default.
    const b = file(
      'same-b.ipynb',
      notebook(SOURCES).replace(/"execution_count":\d+/g, '"execution_count":9')
    );
    const r = labbook(['diff', a, b]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('(identical)');
    // ...but not with --include-execution-counts.
    const full = labbook(['diff', '--include-execution-counts', a, b]);
    expect(full.status).toBe(1);
    expect(full.stdout).toContain('execution count: 1 → 9');
  });

  it('exits 1 and shows the changed line with - and +', () => {
    const a = file('mod-a.ipynb', notebook(SOURCES));
    const b = file(
      'mod-b.ipynb',
      notebook([SOURCES[0], 'x = np.arange(20)\nprint(x.sum())\n'])
    );
    const r = labbook(['diff', a, b]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`--- ${a}\n+++ ${b}\n`);
    expect(r.stdout).toContain(
      '1 modified, 0 added, 0 removed, 0 moved, 1 unchanged'
    );
    expect(r.stdout).toContain(
      '## cell 2 (code) modified\n@@ -1,2 +1,2 @@\n' +
        '-x = np.arange(10)\n+x = np.arange(20)\n print(x.sum())\n'
    );
  });

  it('prints plain text when stdout is not a terminal, ANSI with --color', () => {
    const a = file('col-a.ipynb', notebook(SOURCES));
    const b = file('col-b.ipynb', notebook(['import pandas as pd\n']));
    const plain = labbook(['diff', a, b]);
    expect(plain.status).toBe(1);
    expect(plain.stdout).not.toContain('\x1b');
    const coloured = labbook(['diff', '--color', a, b]);
    expect(coloured.status).toBe(1);
    expect(coloured.stdout).toContain('\x1b[31m-import ');
    expect(coloured.stdout).toContain('\x1b[32m+import ');
    // --no-color wins over an earlier --color.
    expect(
      labbook(['diff', '--color', '--no-color', a, b]).stdout
    ).not.toContain('\x1b');
  });

  it('does not pass control characters from a cell to the terminal', () => {
    const a = file('ctl-a.ipynb', notebook(['x = 1\n']));
    const b = file(
      'ctl-b.ipynb',
      notebook(['x = "\x1b]0;owned\x07\x1b[2J\x1b[31mred\r"\n'])
    );
    const plain = labbook(['diff', a, b]);
    expect(plain.status).toBe(1);
    // eslint-disable-next-line no-control-regex
    expect(plain.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    // What the sequences carried stays visible, without their controls.
    expect(plain.stdout).toContain('+x = "]0;owned[2Jred"\n');
    // With colour, the only escapes are the renderer's own.
    const coloured = labbook(['diff', '--color', a, b]);
    expect(coloured.stdout).toContain(
      '\x1b[32m+x = \x1b[1;7m"]0;owned[2Jred"\x1b[22;27m\x1b[0m\n'
    );
  });

  it('exits 2 naming the file for invalid JSON', () => {
    const a = file('ok.ipynb', notebook(SOURCES));
    const bad = file('broken.ipynb', '{"nbformat": 4, "cells": [');
    const r = labbook(['diff', a, bad]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^labbook diff: .*broken\.ipynb: not valid JSON/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 naming the file for an nbformat 3 notebook', () => {
    const old = file(
      'v3.ipynb',
      JSON.stringify({
        nbformat: 3,
        nbformat_minor: 0,
        metadata: {},
        worksheets: []
      })
    );
    const a = file('v4.ipynb', notebook(SOURCES));
    const r = labbook(['diff', old, a]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${old}: nbformat 3 is not supported`);
  });

  it('exits 2 for a missing file and for a wrong number of arguments', () => {
    const a = file('here.ipynb', notebook(SOURCES));
    const missing = join(dir, 'nowhere.ipynb');
    const r = labbook(['diff', a, missing]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `labbook diff: ${missing}: cannot read: no such file\n`
    );
    const one = labbook(['diff', a]);
    expect(one.status).toBe(2);
    expect(one.stderr).toContain('expected two notebooks');
  });

  it('prints usage: exit 0 for --help, 2 without arguments', () => {
    const help = labbook(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: labbook diff');
    const none = labbook([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('Usage: labbook diff');
  });

  it("works as git's external diff: 7 arguments, exit 0 on a difference", () => {
    const a = file('git-old', notebook(SOURCES));
    const b = file('git-new', notebook([...SOURCES, 'plt.show()\n']));
    const hex = 'f'.repeat(40);
    const r = labbook(
      ['diff', 'nb/analysis.ipynb', a, hex, '100644', b, hex, '100644'],
      { GIT_DIFF_PATH_COUNTER: '1', GIT_DIFF_PATH_TOTAL: '1' }
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      '--- a/nb/analysis.ipynb\n+++ b/nb/analysis.ipynb\n'
    );
    expect(r.stdout).toContain('## cell 3 (new, code) added\n+plt.show()\n');
    // A new file: git passes /dev/null as the old side.
    const added = labbook(
      ['diff', 'new.ipynb', '/dev/null', '.', '.', b, hex, '100644'],
      { GIT_DIFF_PATH_COUNTER: '1', GIT_DIFF_PATH_TOTAL: '1' }
    );
    expect(added.status).toBe(0);
    expect(added.stdout).toContain('--- /dev/null\n+++ b/new.ipynb\n');
    expect(added.stdout).toContain('0 modified, 3 added');
    // A broken notebook is still an error, named by its repository path.
    const bad = file('git-bad', '{');
    const broken = labbook([
      'diff',
      'nb/broken.ipynb',
      a,
      hex,
      '100644',
      bad,
      hex,
      '100644'
    ]);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain('b/nb/broken.ipynb: not valid JSON');
  });
});

describe('labbook diff colour default', () => {
  function run(isTTY: boolean, env: Record<string, string>) {
    let out = '';
    const status = main(['diff', 'a.ipynb', 'b.ipynb'], {
      stdout: t => (out += t),
      stderr: t => (out += t),
      isTTY,
      env,
      readFile: path => notebook([path === 'a.ipynb' ? 'x = 1\n' : 'x = 2\n'])
    });
    expect(status).toBe(1);
    return out;
  }

  it('colours on a terminal unless NO_COLOR is set', () => {
    expect(run(true, {})).toContain('\x1b[31m-x = ');
    expect(run(true, { NO_COLOR: '1' })).not.toContain('\x1b');
    expect(run(false, {})).not.toContain('\x1b');
  });
});

describe('labbook diff --json and --stat', () => {
  it("--json prints nbdime's diff format: nbdime's patch turns the old notebook into the new", () => {
    const textA = notebook([...SOURCES, 'plt.plot(x)\n']);
    const textB = notebook([
      'import numpy as np\nimport pandas as pd\n',
      'plt.plot(x)\n',
      SOURCES[1]
    ]);
    const r = labbook([
      'diff',
      '--json',
      '--include-execution-counts',
      '--include-volatile',
      file('json-a.ipynb', textA),
      file('json-b.ipynb', textB)
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const entries = JSON.parse(r.stdout);
    expect(entries.some((e: any) => e.key === 'cells')).toBe(true);
    const a = parseNotebook(textA, 'a');
    const b = parseNotebook(textB, 'b');
    expect(patch(a as any, entries)).toEqual(b);
    // Equal notebooks: an empty diff, exit 0.
    const same = labbook([
      'diff',
      '--json',
      file('json-c.ipynb', textA),
      file('json-d.ipynb', textA)
    ]);
    expect(same.status).toBe(0);
    expect(JSON.parse(same.stdout)).toEqual([]);
  });

  it('--stat prints one line per notebook, the repository path under git', () => {
    const a = file('stat-a.ipynb', notebook(SOURCES));
    const b = file(
      'stat-b.ipynb',
      notebook([SOURCES[0], 'y = 1\n', 'z = 2\n'])
    );
    const r = labbook(['diff', '--stat', a, b]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      `${a} → ${b} | 1 modified, 1 added, 0 removed, 0 moved, 1 unchanged\n`
    );
    const hex = 'f'.repeat(40);
    const g = labbook(
      ['diff', '--stat', 'nb/x.ipynb', a, hex, '100644', a, hex, '100644'],
      { GIT_DIFF_PATH_COUNTER: '1', GIT_DIFF_PATH_TOTAL: '1' }
    );
    expect(g.status).toBe(0);
    expect(g.stdout).toBe('nb/x.ipynb | identical\n');
    expect(labbook(['diff', '--stat', '--json', a, b]).status).toBe(2);
  });
});

describe('labbook diff under a real git', () => {
  function git(repo: string, args: string[]) {
    const env: Record<string, string | undefined> = { ...process.env };
    for (const k of Object.keys(env)) {
      if (k.startsWith('GIT_') || k === 'NO_COLOR') {
        delete env[k];
      }
    }
    return spawnSync('git', args, {
      cwd: repo,
      encoding: 'utf8',
      env: { ...env, GIT_CONFIG_NOSYSTEM: '1', HOME: repo }
    });
  }

  it('honours git diff --color=always, and as a difftool names the file and exits 0', () => {
    const repo = mkdtempSync(join(dir, 'repo-'));
    const cmd = `"${process.execPath}" "${CLI}" diff`;
    for (const args of [
      ['init', '-q'],
      ['config', 'user.email', 'a@example.org'],
      ['config', 'user.name', 'A'],
      ['config', 'diff.labbook.command', cmd],
      [
        'config',
        'difftool.labbook.cmd',
        `${cmd} --label "a/$MERGED" --label "b/$MERGED" "$LOCAL" "$REMOTE"`
      ]
    ]) {
      expect(git(repo, args).status).toBe(0);
    }
    const attributes = join(repo, '.git', 'info', 'attributes');
    writeFileSync(attributes, '*.ipynb diff=labbook\n');
    writeFileSync(join(repo, 'nb.ipynb'), notebook(SOURCES));
    expect(git(repo, ['add', '.']).status).toBe(0);
    expect(git(repo, ['commit', '-qm', 'one']).status).toBe(0);
    writeFileSync(join(repo, 'nb.ipynb'), notebook([SOURCES[0], 'y = 2\n']));

    const plain = git(repo, ['diff']);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain('--- a/nb.ipynb\n+++ b/nb.ipynb\n');
    expect(plain.stdout).not.toContain('\x1b[');
    const coloured = git(repo, ['diff', '--color=always']);
    expect(coloured.stdout).toContain('\x1b[31m-');
    expect(git(repo, ['-c', 'color.diff=always', 'diff']).stdout).toContain(
      '\x1b['
    );

    // Without the attribute (which would take over difftool too).
    rmSync(attributes);
    const tool = git(repo, [
      'difftool',
      '-y',
      '-t',
      'labbook',
      '--trust-exit-code'
    ]);
    expect(tool.stderr).toBe('');
    expect(tool.status).toBe(0);
    // The repository path, not git's temporary file name.
    expect(tool.stdout).toContain('--- a/nb.ipynb\n+++ b/nb.ipynb\n');
    expect(tool.stdout).toContain('1 modified');
  });
});

#!/usr/bin/env node
// `npm run build:python`: the Python package of Labbook, a wheel and an sdist
// in dist/ (pyproject.toml says what they hold), built with Debian's hatchling
// and `python3 -m build --no-isolation` (no network, no PyPI). Builds the
// production labextension first. Options:
//   --reuse        package the labextension/ already built (npm test's e2e
//                  uses it after `npm run build`, which makes a development one)
//   --outdir DIR   write the wheel and the sdist there instead of dist/
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PYTHON, root } from './ensure.mjs';

function fail(message) {
  process.stderr.write(`[labbook] ${message}\n`);
  process.exit(1);
}

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    fail(`${cmd} ${args.join(' ')} failed (${result.status})`);
  }
}

const argv = process.argv.slice(2);
const reuse = argv.includes('--reuse');
const at = argv.indexOf('--outdir');
const outdir = at >= 0 ? resolve(argv[at + 1] ?? '') : join(root, 'dist');

const npmVersion = JSON.parse(
  readFileSync(join(root, 'package.json'), 'utf8')
).version;
const pyVersion = /^version\s*=\s*"([^"]+)"/m.exec(
  readFileSync(join(root, 'pyproject.toml'), 'utf8')
)?.[1];
if (pyVersion !== npmVersion) {
  fail(
    `pyproject.toml has version ${pyVersion}, package.json ${npmVersion}: make them the same`
  );
}
const ready = spawnSync(PYTHON, ['-c', 'import build, hatchling'], {
  stdio: 'ignore'
});
if (ready.status !== 0) {
  fail(
    'building the wheel needs Debian packages. Please run, as root:\n' +
      '  apt-get install -y python3-build python3-hatchling python3-venv'
  );
}
if (!reuse) {
  run('npm', ['run', '--silent', 'build:labextension']);
} else if (!existsSync(join(root, 'labextension', 'package.json'))) {
  fail('no labextension/ to reuse: run `npm run build` first');
}
// --skip-dependency-check: Debian's hatchling is importable but its
// metadata names dependencies (editables) that a wheel build does not use.
run(PYTHON, [
  '-m',
  'build',
  '--no-isolation',
  '--skip-dependency-check',
  '--outdir',
  outdir,
  root
]);

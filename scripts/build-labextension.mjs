#!/usr/bin/env node
// Builds the prebuilt (federated) JupyterLab 4 extension into labextension/
// with @jupyterlab/builder, against JupyterLab 4.6.4's core package
// metadata (@jupyterlab/core-meta), the same way `jupyter labextension build`
// does in a Python environment. Usage: build-labextension.mjs [--development]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));
const corePath = join(root, '.cache', 'corepath');
mkdirSync(corePath, { recursive: true });
writeFileSync(
  join(corePath, 'package.json'),
  readFileSync(require.resolve('@jupyterlab/core-meta/core.package.json'))
);
const builder =
  require.resolve('@jupyterlab/builder/lib/build-labextension.js');
const args = [builder, '--core-path', corePath, ...process.argv.slice(2), root];
const result = spawnSync(process.execPath, args, {
  cwd: root,
  stdio: 'inherit'
});
process.exit(result.status ?? 1);

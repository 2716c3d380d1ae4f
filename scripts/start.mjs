#!/usr/bin/env node
// `npm start`: makes the checkout ready (scripts/ensure.mjs), then serves the
// development JupyterLab with Labbook on 127.0.0.1, on a free port with a
// fresh token, rooted in demo-workspace/ (created with the demo notebook on
// first run; your work there is kept between runs). Environment overrides:
// LABBOOK_WORKSPACE (root folder), LABBOOK_PORT, LABBOOK_TOKEN.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ensureAll, PYTHON, root } from './ensure.mjs';

function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

function prepareWorkspace() {
  const workspace =
    process.env.LABBOOK_WORKSPACE || join(root, 'demo-workspace');
  mkdirSync(workspace, { recursive: true });
  const demo = join(root, 'dev', 'demo');
  for (const name of readdirSync(demo)) {
    const target = join(workspace, name);
    if (!existsSync(target)) {
      copyFileSync(join(demo, name), target);
    }
  }
  return workspace;
}

async function main() {
  try {
    ensureAll();
  } catch (error) {
    process.stderr.write(`[labbook] ${error.message || error}\n`);
    process.exit(1);
  }
  const workspace = prepareWorkspace();
  const port = Number(process.env.LABBOOK_PORT) || (await freePort());
  const token = process.env.LABBOOK_TOKEN || randomBytes(24).toString('hex');
  const child = spawn(
    PYTHON,
    [
      join(root, 'dev', 'server', 'main.py'),
      '--ServerApp.ip=127.0.0.1',
      `--ServerApp.port=${port}`,
      '--ServerApp.port_retries=0',
      `--ServerApp.token=${token}`,
      '--ServerApp.open_browser=False',
      `--ServerApp.root_dir=${workspace}`,
      ...(process.getuid?.() === 0 ? ['--ServerApp.allow_root=True'] : []),
      ...process.argv.slice(2)
    ],
    { cwd: root, stdio: ['ignore', 'inherit', 'pipe'] }
  );
  const url = `http://127.0.0.1:${port}/lab/tree/demo.ipynb?token=${token}`;
  let announced = false;
  child.stderr.on('data', chunk => {
    process.stderr.write(chunk);
    if (!announced && /is running at|Use Control-C/.test(String(chunk))) {
      announced = true;
      process.stdout.write(`\n  Labbook is ready: ${url}\n\n`);
    }
  });
  const stop = signal => {
    if (child.exitCode === null) {
      child.kill(signal);
    }
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  child.on('exit', code => process.exit(code ?? 0));
}

main();

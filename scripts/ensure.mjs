#!/usr/bin/env node
// Makes a checkout ready to run: Debian packages, npm packages, the Labbook
// extension and the development JupyterLab, each rebuilt only when its
// inputs changed (content-hash stamps in .cache/stamps). Node built-ins only,
// so it runs before `npm ci`. Used by `npm start` and `npm test`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  lstatSync,
  readlinkSync
} from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');
export const PYTHON = '/usr/bin/python3';
export const CHROMIUM = '/usr/bin/chromium';
const APT_PACKAGES = [
  'python3-jupyter-server',
  'python3-jupyterlab-server',
  'python3-ipykernel',
  'python3-numpy',
  'python3-matplotlib',
  // The wheel (npm run build:python, its e2e) and the script-mode tests.
  'python3-build',
  'python3-hatchling',
  'python3-venv',
  'python3-jsonschema',
  'chromium'
];
const stampDir = join(root, '.cache', 'stamps');

function log(message) {
  process.stderr.write(`[labbook] ${message}\n`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    ...options
  });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${result.status})`);
  }
}

function systemReady() {
  const py = spawnSync(
    PYTHON,
    [
      '-c',
      'import jupyter_server, jupyterlab_server, ipykernel, numpy, build, hatchling, ensurepip, jsonschema'
    ],
    { stdio: 'ignore' }
  );
  return py.status === 0 && existsSync(CHROMIUM);
}

/** Debian packages: installed when root, else the exact command is printed. */
export function ensureSystem() {
  if (systemReady()) {
    return;
  }
  const line = `apt-get update && apt-get install -y ${APT_PACKAGES.join(' ')}`;
  if (process.getuid && process.getuid() === 0) {
    log(`installing Debian packages: ${APT_PACKAGES.join(' ')}`);
    run('sh', ['-c', line], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    });
    return;
  }
  log('Labbook needs these Debian packages. Please run, as root:');
  log(`  ${line}`);
  process.exit(1);
}

function hashFiles(paths) {
  const hash = createHash('sha256');
  const walk = p => {
    if (!existsSync(p)) {
      return;
    }
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (name === 'node_modules' || name === 'build') {
          continue;
        }
        walk(join(p, name));
      }
    } else {
      hash.update(relative(root, p));
      hash.update(readFileSync(p));
    }
  };
  paths.forEach(p => walk(join(root, p)));
  return hash.digest('hex');
}

function fresh(name, digest, outputs) {
  const stamp = join(stampDir, name);
  return (
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === digest &&
    outputs.every(o => existsSync(join(root, o)))
  );
}

function stampIt(name, digest) {
  mkdirSync(stampDir, { recursive: true });
  writeFileSync(join(stampDir, name), digest);
}

/**
 * Whether node_modules holds exactly what package-lock.json asks for: every
 * non-optional package installed, at the locked version (npm's own hidden
 * lockfile records what it installed).
 */
function npmInstalled() {
  const hidden = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(hidden)) {
    return false;
  }
  try {
    const want = JSON.parse(
      readFileSync(join(root, 'package-lock.json'), 'utf8')
    );
    const have = JSON.parse(readFileSync(hidden, 'utf8'));
    for (const [key, entry] of Object.entries(want.packages || {})) {
      if (key === '' || entry.optional || entry.link) {
        continue;
      }
      if (!have.packages[key] || have.packages[key].version !== entry.version) {
        return false;
      }
    }
    return true;
  } catch {
    return false;
  }
}

/** npm packages, from package-lock.json. */
export function ensureNpm() {
  if (npmInstalled()) {
    return;
  }
  log('installing npm packages (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

/** The prebuilt Labbook extension, linked where the dev server looks. */
export function ensureExtension() {
  const inputs = [
    'src',
    'style',
    'schema',
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'scripts/build-labextension.mjs',
    'scripts/webpack.labextension.cjs',
    'scripts/copy-assets.mjs'
  ];
  const digest = hashFiles(inputs);
  if (!fresh('labextension', digest, ['labextension/package.json'])) {
    log('building the Labbook extension');
    rmSync(join(root, 'lib'), { recursive: true, force: true });
    rmSync(join(root, 'tsconfig.tsbuildinfo'), { force: true });
    run('npm', ['run', '--silent', 'build:labextension:dev']);
    stampIt('labextension', digest);
  }
  const linkDir = join(root, '.cache', 'labextensions');
  const link = join(linkDir, 'jupyterlab-labbook');
  mkdirSync(linkDir, { recursive: true });
  // A link to another checkout's build (a copied .cache) is made again.
  let linked = false;
  try {
    linked =
      lstatSync(link).isSymbolicLink() &&
      readlinkSync(link) === join(root, 'labextension');
  } catch {
    linked = false;
  }
  if (!linked) {
    rmSync(link, { recursive: true, force: true });
    symlinkSync(join(root, 'labextension'), link);
  }
}

/** The development JupyterLab frontend (dev/app). */
export function ensureApp() {
  const digest = hashFiles([
    'dev/app/bootstrap.js',
    'dev/app/index.js',
    'dev/app/webpack.config.js',
    'package-lock.json'
  ]);
  if (fresh('app', digest, ['dev/app/build/bundle.js'])) {
    return;
  }
  log('building the development JupyterLab (about 20 s)');
  rmSync(join(root, 'dev', 'app', 'build'), { recursive: true, force: true });
  run('npm', ['run', '--silent', 'build:app']);
  stampIt('app', digest);
}

export function ensureAll() {
  ensureSystem();
  ensureNpm();
  ensureExtension();
  ensureApp();
}

if (
  process.argv[1] &&
  resolve(process.argv[1]) === resolve(import.meta.filename)
) {
  try {
    ensureAll();
  } catch (error) {
    log(String(error.message || error));
    process.exit(1);
  }
}

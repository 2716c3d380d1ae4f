/**
 * Starts the development JupyterLab server (dev/server/main.py on Debian's
 * Python) on a free port with a fresh token, a temporary root folder and
 * temporary Jupyter state, and stops it and every kernel it started.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

export const ROOT =
  process.env.LABBOOK_ROOT ?? resolve(import.meta.dirname, '..', '..', '..');
export const PYTHON = '/usr/bin/python3';

export interface IServer {
  url: string;
  token: string;
  port: number;
  /** The server's root folder (notebooks, the store). */
  root: string;
  /** Everything the server printed. */
  log(): string;
  /** Authenticated fetch against the server's REST API. */
  api(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export interface IServerOptions {
  /** Use this root folder instead of a new temporary one. */
  root?: string;
  /** Extra environment for the server (and so its kernels). */
  env?: Record<string, string>;
  /** The Python that runs the server (a virtual environment's); Debian's by default. */
  python?: string;
}

export async function startServer(
  options: IServerOptions = {}
): Promise<IServer> {
  const base = mkdtempSync(join(tmpdir(), 'labbook-e2e-'));
  const root = options.root ?? join(base, 'root');
  const state = join(base, 'state');
  for (const dir of [root, state]) {
    mkdirSync(dir, { recursive: true });
  }
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const env = {
    ...process.env,
    JUPYTER_NO_CONFIG: '1',
    JUPYTER_CONFIG_DIR: join(state, 'config'),
    JUPYTER_DATA_DIR: join(state, 'data'),
    JUPYTER_RUNTIME_DIR: join(state, 'runtime'),
    LABBOOK_DEV_STATE: state,
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
    ...(options.env ?? {})
  };
  const child = spawn(
    options.python ?? PYTHON,
    [
      join(ROOT, 'dev', 'server', 'main.py'),
      '--ServerApp.ip=127.0.0.1',
      `--ServerApp.port=${port}`,
      '--ServerApp.port_retries=0',
      `--ServerApp.token=${token}`,
      '--ServerApp.open_browser=False',
      '--ServerApp.allow_root=True',
      '--ServerApp.terminals_enabled=False',
      `--ServerApp.root_dir=${root}`
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let output = '';
  child.stdout!.on('data', d => (output += d));
  child.stderr!.on('data', d => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const api = serverApi(url, token);

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`The Jupyter server exited early:\n${output}`);
    }
    try {
      const res = await api('/api/status');
      if (res.ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The Jupyter server did not start in 30 s:\n${output}`);
    }
    await new Promise(r => setTimeout(r, 100));
  }

  let stopped = false;
  return {
    url,
    token,
    port,
    root,
    log: () => output,
    api,
    stop: async () => {
      if (stopped) {
        return;
      }
      stopped = true;
      await stopServer(child, api);
      if (process.env.LABBOOK_E2E_KEEP) {
        console.log(`[e2e] kept the server's folders in ${base}`);
      } else {
        rmSync(base, { recursive: true, force: true });
      }
    }
  };
}

/** Authenticated fetch against a Jupyter server's REST API. */
export function serverApi(
  url: string,
  token: string
): (path: string, init?: RequestInit) => Promise<Response> {
  return (path, init = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { Authorization: `token ${token}`, ...(init.headers ?? {}) }
    });
}

/**
 * Kernels run in their own sessions, out of reach of a signal to the
 * server: shut them down through the API first.
 */
export async function shutdownKernels(
  api: (path: string, init?: RequestInit) => Promise<Response>
): Promise<void> {
  try {
    const kernels = (await (await api('/api/kernels')).json()) as {
      id: string;
    }[];
    await Promise.all(
      kernels.map(k => api(`/api/kernels/${k.id}`, { method: 'DELETE' }))
    );
  } catch {
    // the server may already be gone
  }
}

async function stopServer(
  child: ChildProcess,
  api: (path: string, init?: RequestInit) => Promise<Response>
): Promise<void> {
  await shutdownKernels(api);
  if (child.exitCode !== null) {
    return;
  }
  const exited = new Promise<void>(r => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

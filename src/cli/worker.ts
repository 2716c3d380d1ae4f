/**
 * `labbook worker`: runs the store's queued trials with no browser open,
 * on the kernels of one or several Jupyter servers, writing the store as
 * a tab does (through the first server's Contents API, or a local folder
 * with `--store DIR`). Bundled apart from `labbook diff` (lib/cli-worker.cjs,
 * loaded only for this command) so that `labbook diff` starts fast.
 *
 *   labbook worker --server URL --token T [--server URL2 --token T2]
 *                  [--concurrency N] [--store DIR | --store-folder labbook]
 *                  [--sweep ID] [--until-idle]
 */
import { ContentsManager } from '@jupyterlab/services';
import { hostname } from 'node:os';
import { NodeStoreFS } from '../core/node/nodefs';
import type { INotebookLike } from '../core/params/inject';
import type { IStoreFS } from '../core/store/fs';
import { ContentsStoreFS } from '../lab/store/contentsfs';
import { serverSettings } from '../runner/server';
import { Worker } from '../runner/worker';
import { LABBOOK_VERSION } from '../version';

export const WORKER_USAGE = `Usage: labbook worker --server URL --token TOKEN [options]

Run the trials queued in a Labbook store (sweeps) in fresh kernels of one or
several Jupyter servers, and record each as an experiment. Several workers,
on several machines, can share one store: each trial runs once.

Options:
  --server URL         a Jupyter server to run kernels on (repeat for more);
                       the first one also holds the notebooks and the store
  --token TOKEN        its token (one per --server, in order; default
                       $JUPYTER_TOKEN)
  --concurrency N      trials at once on each server (default 1)
  --store DIR          the store as a local folder instead of the first
                       server's Contents API
  --store-folder PATH  the store folder on the first server (default labbook)
  --sweep ID           only this sweep's trials
  --until-idle         exit once nothing is queued or running
  -h, --help           show this help

Ctrl-C stops taking trials and cancels the running ones, which go back to
the queue for another worker.
`;

export interface IWorkerIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Called with a function that stops the worker (Ctrl-C). */
  onInterrupt?: (stop: () => void) => void;
}

interface IWorkerArgs {
  servers: { url: string; token: string }[];
  concurrency: number;
  store?: string;
  storeFolder: string;
  sweep?: string;
  untilIdle: boolean;
}

class UsageError extends Error {}

export function parseWorkerArgs(
  argv: string[],
  env: Record<string, string | undefined>
): IWorkerArgs | 'help' {
  const urls: string[] = [];
  const tokens: string[] = [];
  const out: IWorkerArgs = {
    servers: [],
    concurrency: 1,
    storeFolder: 'labbook',
    untilIdle: false
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) {
        throw new UsageError(`${arg} needs a value`);
      }
      return v;
    };
    switch (arg) {
      case '-h':
      case '--help':
        return 'help';
      case '--server': {
        const url = value();
        if (!/^https?:\/\/[^/]/.test(url)) {
          throw new UsageError(`--server: not an http(s) URL: ${url}`);
        }
        urls.push(url);
        break;
      }
      case '--token':
        tokens.push(value());
        break;
      case '--concurrency': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) {
          throw new UsageError('--concurrency: a whole number, at least 1');
        }
        out.concurrency = n;
        break;
      }
      case '--store':
        out.store = value();
        break;
      case '--store-folder':
        out.storeFolder = value();
        break;
      case '--sweep':
        out.sweep = value();
        break;
      case '--until-idle':
        out.untilIdle = true;
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  if (urls.length === 0) {
    throw new UsageError('--server is required');
  }
  if (tokens.length > urls.length) {
    throw new UsageError('more --token than --server');
  }
  out.servers = urls.map((url, i) => {
    const token = tokens[i] ?? env.JUPYTER_TOKEN;
    if (token === undefined) {
      throw new UsageError(`no token for ${url} (--token, or $JUPYTER_TOKEN)`);
    }
    return { url, token };
  });
  return out;
}

/** Run the worker; resolves with the exit status. */
export async function workerMain(
  argv: string[],
  io: IWorkerIO
): Promise<number> {
  let args: IWorkerArgs | 'help';
  try {
    args = parseWorkerArgs(argv, io.env);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`labbook worker: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (args === 'help') {
    io.stdout(WORKER_USAGE);
    return 0;
  }
  const servers = args.servers.map(s => ({
    url: s.url,
    settings: serverSettings(s.url, s.token)
  }));
  const contents = new ContentsManager({
    serverSettings: servers[0].settings
  });
  try {
    await contents.get('', { content: false });
  } catch (e) {
    io.stderr(
      `labbook worker: cannot reach ${servers[0].url}: ${e instanceof Error ? e.message : e}\n`
    );
    return 2;
  }
  const fs: IStoreFS = args.store
    ? new NodeStoreFS(args.store)
    : new ContentsStoreFS({ contents, root: args.storeFolder });
  const worker = new Worker({
    fs,
    servers: servers.map(s => ({
      settings: s.settings,
      slots: (args as IWorkerArgs).concurrency
    })),
    readNotebook: async path =>
      (await contents.get(path, { content: true })).content as INotebookLike,
    ...(args.sweep ? { sweep: args.sweep } : {}),
    host: hostname(),
    labbookVersion: LABBOOK_VERSION,
    log: line => io.stdout(`${new Date().toISOString()} ${line}\n`)
  });
  io.stdout(
    `labbook worker ${worker.writer}: ${servers.length} server(s), ${args.concurrency} slot(s) each, store ${fs.description}\n`
  );
  io.onInterrupt?.(() => worker.stop({ abort: true }));
  await worker.run({ untilIdle: args.untilIdle });
  contents.dispose();
  return 0;
}

/**
 * The runner against a real Jupyter server and real Python kernels, from
 * Node: one server for the file, one fresh kernel per run.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { INotebookLike } from '../../src/core/params/inject';
import { NodeStoreFS } from '../../src/core/node/nodefs';
import { LabbookStore } from '../../src/core/store/store';
import { runNotebook } from '../../src/runner/execute';
import { rerunExperiment } from '../../src/runner/rerun';
import { serverSettings } from '../../src/runner/server';
import { startServer, type IServer } from '../e2e/harness/server';

let server: IServer;

beforeAll(async () => {
  server = await startServer();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

const settings = () => serverSettings(server.url, server.token);

async function runningKernels(): Promise<unknown[]> {
  return (await (await server.api('/api/kernels')).json()) as unknown[];
}

function notebook(...cells: (string | [string, string[]])[]): INotebookLike {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    cells: cells.map((c, i) => {
      const [source, tags] = typeof c === 'string' ? [c, []] : c;
      return {
        cell_type: 'code',
        id: `c${i}`,
        source,
        metadata: tags.length ? { tags } : {},
        outputs: [],
        execution_count: null
      };
    })
  };
}

describe('runNotebook', () => {
  it('runs every cell with the injected values and collects nbformat outputs', async () => {
    mkdirSync(join(server.root, 'sub'), { recursive: true });
    writeFileSync(join(server.root, 'sub', 'data.txt'), 'from the data file');
    const nb = notebook(
      [`lr = 0.1\nname = 'default'`, ['parameters']],
      `print('lr', lr)\nprint('name', name)`,
      `import sys\nprint('oops', file=sys.stderr)\nlr * 2`,
      `from IPython.display import display, HTML\nh = display(HTML('<b>a</b>'), display_id=True)`,
      `h.update(HTML('<b>b</b>'))\nprint(open('data.txt').read())`
    );
    const events: string[] = [];
    const res = await runNotebook(nb, {
      serverSettings: settings(),
      path: 'sub/nb.ipynb',
      params: { lr: 2, name: 'run "α"\n' },
      onCell: e => events.push(`${e.phase}:${e.position}`)
    });
    expect(res.message).toBeUndefined();
    expect(res.status).toBe('ok');
    expect(res.executed).toBe(6); // the parameters cell, the injected one, 4 more
    const cells = res.notebook.cells;
    expect(cells[1].metadata?.tags).toEqual(['injected-parameters']);
    // Consecutive prints are one stream output.
    expect(cells[2].outputs).toEqual([
      {
        output_type: 'stream',
        name: 'stdout',
        text: 'lr 2.0\nname run "α"\n\n'
      }
    ]);
    expect(cells[3].outputs).toEqual([
      { output_type: 'stream', name: 'stderr', text: 'oops\n' },
      {
        output_type: 'execute_result',
        data: { 'text/plain': '4.0' },
        metadata: {},
        execution_count: 4
      }
    ]);
    // The later cell's update reached the earlier cell's display.
    expect((cells[4].outputs as any[])[0].data['text/html']).toBe('<b>b</b>');
    // The kernel started in the notebook's folder.
    expect(cells[5].outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'from the data file\n' }
    ]);
    expect(cells.map(c => c.execution_count)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.slice(0, 4)).toEqual([
      'start:0',
      'end:0',
      'start:1',
      'end:1'
    ]);
    // The input is unchanged and the kernel is gone.
    expect(nb.cells).toHaveLength(5);
    expect(await runningKernels()).toEqual([]);
  });

  it('stops at the first error and leaves later cells unrun', async () => {
    const res = await runNotebook(
      notebook(
        'x = 1',
        'import numpy as np\nfrom missing_module import data',
        'print(x)'
      ),
      { serverSettings: settings() }
    );
    expect(res.status).toBe('error');
    expect(res.failedCell).toBe(1);
    expect(res.error?.ename).toBe('ModuleNotFoundError');
    expect(res.message).toBe(
      "Cell 2 raised ModuleNotFoundError: No module named 'missing_module'"
    );
    expect((res.notebook.cells[1].outputs as any[])[0].output_type).toBe(
      'error'
    );
    expect(res.notebook.cells[2].outputs).toEqual([]);
    expect(res.notebook.cells[2].execution_count).toBeNull();
    expect(await runningKernels()).toEqual([]);
  });

  it('says so and shuts the kernel down when cancelled, timed out or killed', async () => {
    const abort = new AbortController();
    const cancelled = runNotebook(
      notebook('print("started")', 'import time\ntime.sleep(60)'),
      {
        serverSettings: settings(),
        signal: abort.signal,
        onCell: e => {
          if (e.phase === 'start' && e.position === 1) {
            setTimeout(() => abort.abort(), 200);
          }
        }
      }
    );
    const timedOut = runNotebook(notebook('import time\ntime.sleep(60)'), {
      serverSettings: settings(),
      cellTimeout: 1_500
    });
    const killed = runNotebook(
      notebook(
        'import os, signal\nos.kill(os.getpid(), signal.SIGKILL)',
        'print(1)'
      ),
      {
        serverSettings: settings()
      }
    );
    const t0 = Date.now();
    const [c, t, k] = await Promise.all([cancelled, timedOut, killed]);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(c.status).toBe('cancelled');
    expect(c.message).toBe('The run was cancelled (cell 2)');
    expect(c.notebook.cells[0].outputs).toHaveLength(1);
    expect(t.status).toBe('timeout');
    expect(t.message).toBe('The cell took longer than 1.5 s (cell 1)');
    expect(k.status).toBe('dead');
    expect(k.message).toBe('The kernel died (cell 1)');
    expect(k.notebook.cells[1].outputs).toEqual([]);
    expect(await runningKernels()).toEqual([]);
  });

  it('names the kernel it could not start', async () => {
    const res = await runNotebook(notebook('1'), {
      serverSettings: settings(),
      kernelName: 'no-such-kernel'
    });
    expect(res.status).toBe('no-kernel');
    expect(res.message).toMatch(
      /^Could not start a "no-such-kernel" kernel on http:\/\/127\.0\.0\.1:\d+\/: /
    );
  });

  it('re-runs an experiment from its start snapshot as a new experiment, with a param changed', async () => {
    const store = new LabbookStore({
      fs: new NodeStoreFS(mkdtempSync(join(tmpdir(), 'labbook-rerun-')))
    });
    const original = await store.createExperiment({
      name: 'train',
      notebook: 'train.ipynb',
      kernel: { name: 'python3', language: 'python' },
      params: { lr: 0.1 }
    });
    const nb = notebook(
      ['lr = 0.1', ['parameters']],
      'import labbook\nlabbook.log({"score": lr * 10})\nprint("lr", lr)'
    );
    await store.saveSnapshot(original.id, 'start', nb as any);
    const { experiment, result } = await rerunExperiment(store, original.id, {
      serverSettings: settings(),
      params: { lr: 0.5 }
    });
    expect(result.status).toBe('ok');
    const e = await store.getExperiment(experiment);
    expect(e).toMatchObject({
      name: 'train (re-run)',
      status: 'finished',
      rerunOf: original.id,
      params: { lr: 0.5 }
    });
    const { overview } = await store.loadMetricsOverview(experiment);
    expect(overview.series.get('score')?.count).toBe(1);
    const snaps = (await store.listSnapshots(experiment)).snapshots;
    const end = await store.loadSnapshot(
      experiment,
      snaps[snaps.length - 1].id
    );
    expect((end.cells[2] as any).outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'lr 0.5\n' }
    ]);
    expect(await runningKernels()).toEqual([]);
  });
});

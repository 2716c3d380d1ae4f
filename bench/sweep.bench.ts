/**
 * A sweep in one cell (issue 7): many short experiments started and ended
 * by kernel code. The cell ends long before the tab has stored them all;
 * this measures how fast the tab catches up, and what each run costs in
 * Contents API requests (by method and by the store folder they touch).
 * Done is when a separate store in Node reads them all from disk: the
 * page's own reads would not show writes still queued in the page.
 */
import { join } from 'node:path';
import type { IBench } from './harness';
import { NodeStoreFS } from '../src/core/node/nodefs';
import { LabbookStore } from '../src/core/store/store';
import { withLab } from './withlab';

/** Runs in the sweep (LABBOOK_BENCH_SWEEP_RUNS; the e2e's sweep has 300). */
const RUNS = Number(process.env.LABBOOK_BENCH_SWEEP_RUNS ?? 60);

export default async function (b: IBench): Promise<void> {
  await withLab(async (lab, server) => {
    const page = lab.page;
    await lab.open();
    const panel = await lab.openNotebook('sweep.ipynb', ['']);
    await lab.runCell(panel, 0, 'import labbook');
    await lab.command('labbook:open-panel');
    const requests = new Map<string, number>();
    let total = 0;
    const count = (request: { method(): string; url(): string }) => {
      const url = decodeURIComponent(request.url().split('?')[0]);
      const at = url.indexOf('/api/contents/');
      if (at < 0) {
        return;
      }
      total++;
      const path = url.slice(at + '/api/contents/'.length);
      // labbook/experiments/<id>/<part>/... -> <part>
      const parts = path.split('/');
      const where =
        parts[1] === 'experiments' && parts.length > 3
          ? parts[3]
          : parts.slice(1, 2).join('/') || path;
      const key = `${request.method()} ${where}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
    };
    page.on('request', count);
    const t0 = Date.now();
    await lab.runCell(
      panel,
      0,
      [
        'import labbook',
        `for i in range(${RUNS}):`,
        '    labbook.start(f"run {i:03d}")',
        '    labbook.log_params({"lr": 0.01 * (i % 5 + 1), "batch": 32, "model": "mlp"})',
        '    for step in range(20):',
        '        labbook.log({"loss": 1 / (step + 1), "acc": step / 20}, step=step)',
        '    labbook.end("failed" if i % 7 == 0 else "finished")',
        'print("swept")'
      ].join('\n')
    );
    const cellDone = Date.now() - t0;
    // Done when the runs are on disk, read by a separate store in Node.
    const store = new LabbookStore({
      fs: new NodeStoreFS(join(server.root, 'labbook'))
    });
    for (;;) {
      const { experiments } = await store.listExperiments();
      const done = experiments.filter(
        e => /^run \d{3}$/.test(e.name) && e.status !== 'running'
      ).length;
      if (done === RUNS) {
        break;
      }
      if (Date.now() - t0 > 600_000) {
        throw new Error(`only ${done} of ${RUNS} runs stored after 10 min`);
      }
      await new Promise(r => setTimeout(r, 500));
    }
    const stored = Date.now() - t0;
    page.off('request', count);
    b.figure({
      name: `sweep of ${RUNS} short runs in one cell: all stored after`,
      value: stored,
      unit: 'ms',
      note: `the cell itself ended after ${cellDone} ms`
    });
    b.figure({
      name: 'time the loop spends in labbook per run (start, params, 20 logs, end)',
      value: cellDone / RUNS,
      unit: 'ms',
      note: 'end() sends what the run logged before returning, at the comm rate limit'
    });
    b.figure({
      name: 'runs stored per second',
      value: (RUNS * 1000) / stored,
      unit: 'runs/s',
      lowerIsBetter: false
    });
    b.figure({
      name: 'Contents API requests per run',
      value: total / RUNS,
      unit: 'requests',
      note: [...requests.entries()]
        .sort((x, y) => y[1] - x[1])
        .map(([k, v]) => `${k}: ${(v / RUNS).toFixed(1)}`)
        .join(', ')
    });
  });
}

/**
 * The compare view in the browser (issue 7): 50 finished experiments with
 * two metrics of 10,000 points each, written on disk in the server's store
 * folder, compared with `labbook:compare`. The figure is the time from
 * running the command to both charts drawn with their 50 lines: reading
 * the metrics through the Contents API, the tables, and the charts. The
 * first run also loads the view's code; the next are timed with it loaded.
 *
 * Twice: with each run's points in 10 chunks of 1,000 (a loop logging for
 * about a second stores them so; a long training stores many more), and in
 * one chunk per run. Compare reads neither: the store index names each
 * finished run's metric writers and counts, so it reads one preview file
 * per run (`loadMetricsPreview`); the last figures, every chunk read as
 * the detail's zoom and smoothing do, show what that saves.
 */
import { join } from 'node:path';
import type { IBench } from './harness';
import { NodeStoreFS } from '../src/core/node/nodefs';
import { LabbookStore } from '../src/core/store/store';
import { withLab } from './withlab';

const RUNS = 50;
const POINTS = 10_000;
const CHUNKS = 10;

export default async function (b: IBench): Promise<void> {
  await withLab(async (lab, server) => {
    const store = new LabbookStore({
      fs: new NodeStoreFS(join(server.root, 'labbook'))
    });
    const t0 = Date.now() - 3_600_000;
    const write = async (chunks: number) => {
      const ids: string[] = [];
      for (let r = 0; r < RUNS; r++) {
        const e = await store.createExperiment({
          name: `run ${r + 1} (${chunks} chunks)`,
          notebook: 'train.ipynb',
          status: 'finished',
          kernel: { name: 'python3', language: 'python' }
        });
        await store.updateExperiment(e.id, {
          params: { lr: 0.001 * (1 + (r % 7)), seed: r, model: 'mlp' }
        });
        const per = POINTS / chunks;
        for (let c = 0; c < chunks; c++) {
          const steps = Float64Array.from(
            { length: per },
            (_, i) => c * per + i
          );
          const times = steps.map(s => t0 + s * 10);
          await store.appendMetrics(e.id, [
            {
              name: 'loss',
              steps,
              times,
              values: steps.map(
                s => (1 + r / RUNS) / (1 + s / 100) + Math.random() * 0.05
              )
            },
            {
              name: 'accuracy',
              steps,
              times,
              values: steps.map(s => 1 - 1 / (2 + s / 50) - r / 500)
            }
          ]);
        }
        ids.push(e.id);
      }
      // As a tab does when its experiments end: the overviews written.
      await store.flushMetricsOverviews();
      return ids;
    };
    const chunked = await write(CHUNKS);
    const whole = await write(1);

    await lab.open();
    const page = lab.page;
    // The panel's list of the store first (it reads every experiment once
    // the app is restored): timed alongside, it would double the requests.
    const listed = () =>
      page.waitForFunction(
        n =>
          (window as any).jupyterapp.pluginRegistry._plugins.get(
            'jupyterlab-labbook:store'
          ).service.experiments.length === n,
        RUNS * 2,
        { timeout: 120_000 }
      );
    await listed();
    /** Run the command, wait for both charts with all their lines drawn. */
    const open = (ids: string[]) =>
      page.evaluate(
        async ([ids, lines]) => {
          const app = (window as any).jupyterapp;
          performance.clearMarks('labbook:compare:loaded');
          const t = performance.now();
          const widget = await app.commands.execute('labbook:compare', { ids });
          for (;;) {
            const charts = [
              ...widget.node.querySelectorAll('.jp-Labbook-metricChart')
            ] as HTMLElement[];
            if (
              charts.length === 2 &&
              charts.every(
                c =>
                  c.dataset.lines === String(lines) && c.querySelector('canvas')
              )
            ) {
              // The frame the charts were drawn in.
              await new Promise(r => requestAnimationFrame(r));
              const end = performance.now();
              const loaded =
                performance.getEntriesByName('labbook:compare:loaded')[0]
                  ?.startTime ?? t;
              // Its environment and snapshot reads finish before the next
              // open, so they are not timed with it.
              await widget.content.ready;
              widget.dispose();
              return { total: end - t, view: end - loaded };
            }
            await new Promise(r => requestAnimationFrame(r));
          }
        },
        [ids, RUNS] as const
      );
    const what = `${RUNS} runs × 2 metrics × ${POINTS.toLocaleString('en-US')} points`;
    const cold = await open(chunked);
    b.figure({
      name: `compare: command to charts drawn, ${what}, ${CHUNKS} chunks per run (first open)`,
      value: cold.total,
      unit: 'ms',
      target: 1000,
      note: "includes loading the view's code"
    });
    // As a user opens it: selecting two or more rows loads the view's code
    // (labbook:prefetch-compare), and the click on Compare comes after.
    await lab.reload();
    await listed();
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('labbook:prefetch-compare')
    );
    await page.waitForTimeout(300);
    const selected = await open(chunked);
    b.figure({
      name: `compare: command to charts drawn, ${what}, ${CHUNKS} chunks per run (first open, 300 ms after the selection)`,
      value: selected.total,
      unit: 'ms',
      target: 1000,
      note: 'the selection started loading the code'
    });
    for (const [ids, chunks] of [
      [chunked, CHUNKS],
      [whole, 1]
    ] as const) {
      const times: { total: number; view: number }[] = [];
      for (let i = 0; i < 3; i++) {
        times.push(await open(ids));
      }
      const warm = times.map(x => x.total).sort((x, y) => x - y);
      const view = times.map(x => x.view).sort((x, y) => x - y);
      b.figure({
        name: `compare: command to charts drawn, ${what}, ${chunks} chunk${chunks > 1 ? 's' : ''} per run`,
        value: warm[1],
        unit: 'ms',
        target: 1000,
        note: `median of 3 (${warm.map(Math.round).join(', ')} ms)`
      });
      b.figure({
        name: `compare: of which the view (tables and charts, after the reads), ${chunks} chunk${chunks > 1 ? 's' : ''} per run`,
        value: view[1],
        unit: 'ms',
        note: `median of 3 (${view.map(Math.round).join(', ')} ms)`
      });
    }

    // Where the time goes: the metric reads alone, in the page.
    for (const [ids, chunks] of [
      [chunked, CHUNKS],
      [whole, 1]
    ] as const) {
      const read = await page.evaluate(async ids => {
        const app = (window as any).jupyterapp;
        const mgr = app.pluginRegistry._plugins.get(
          'jupyterlab-labbook:store'
        ).service;
        const t = performance.now();
        await Promise.all(ids.map((id: string) => mgr.store.loadMetrics(id)));
        return performance.now() - t;
      }, ids);
      b.figure({
        name: `compare: metric reads alone, ${RUNS} runs, ${chunks} chunk${chunks > 1 ? 's' : ''} per run (${RUNS * (chunks + 1)} requests)`,
        value: read,
        unit: 'ms'
      });
    }
  });
}

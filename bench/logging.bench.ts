/**
 * Logging from the kernel, end to end in the browser (issue 4): a Python
 * loop logs two metrics; time until every point is in the store (kernel →
 * comm → frontend → Contents API), the size of the metric overviews, and
 * the time from clicking the experiment to its charts drawn with every
 * point (from the overviews), then with smoothing (from the overviews'
 * buckets at once, then from every point).
 *
 * Issue 4's target: reading and drawing a 1,000,000-point metric in
 * ≤ 300 ms from click to chart. The default is 1,000,000 steps of two
 * metrics (about a minute); LABBOOK_BENCH_STEPS sets another count, and
 * the target line then says it does not apply.
 */
import type { IBench } from './harness';
import { withLab } from './withlab';

const STEPS = Number(process.env.LABBOOK_BENCH_STEPS ?? 1_000_000);
const TARGET_STEPS = 1_000_000;

export default async function (b: IBench): Promise<void> {
  await withLab(async lab => {
    await lab.open();
    const id = await lab.openNotebook('log.ipynb', ['']);
    const t0 = Date.now();
    await lab.runCell(
      id,
      0,
      `import labbook\nfor i in range(${STEPS}):\n    labbook.log({"a": i * 0.5, "b": 1.0 / (i + 1)}, step=i)`
    );
    const loop = Date.now() - t0;
    // Wait until the store holds every point.
    const stored = await lab.page.evaluate(async steps => {
      const app = (window as any).jupyterapp;
      const mgr = app.pluginRegistry._plugins.get(
        'jupyterlab-labbook:store'
      ).service;
      let base: any;
      for (;;) {
        const e = mgr.experiments[0];
        if (e) {
          // Only the chunks not read yet, folded into an overview.
          const { overview } = await mgr.store.loadMetricsOverview(e.id, {
            base
          });
          base = overview;
          let n = 0;
          for (const s of overview.series.values()) {
            n += s.count;
          }
          if (n >= steps * 2) {
            return { at: Date.now(), id: e.id };
          }
        }
        await new Promise(r => setTimeout(r, 200));
      }
    }, STEPS);
    const total = stored.at - t0;
    b.figure({
      name: `kernel → store, ${(STEPS * 2).toLocaleString('en-US')} points`,
      value: (STEPS * 2) / (total / 1000),
      unit: 'points/s',
      target: 50_000,
      lowerIsBetter: false,
      note: `${total} ms from run to all stored (the loop itself ${loop} ms)`
    });

    // The overviews are written at most 2 s after the last points.
    const sizes = await lab.page.evaluate(
      async ([expId, steps]) => {
        const app = (window as any).jupyterapp;
        const mgr = app.pluginRegistry._plugins.get(
          'jupyterlab-labbook:store'
        ).service;
        const dir = `experiments/${expId}`;
        const started = Date.now();
        for (;;) {
          const files = await mgr.store.fs.list(`${dir}/metrics-overview`);
          let counted = 0;
          let bytes = 0;
          for (const f of files) {
            const text = await mgr.store.fs.readText(
              `${dir}/metrics-overview/${f.name}`
            );
            bytes += text.length;
            for (const s of JSON.parse(text).series) {
              counted += s.count;
            }
          }
          if (counted >= steps * 2 || Date.now() - started > 30_000) {
            const chunks = await mgr.store.fs.list(`${dir}/metrics`);
            return {
              files: files.length,
              bytes,
              chunks: chunks.length,
              chunkBytes: chunks.reduce(
                (n: number, c: any) => n + (c.size ?? 0),
                0
              ),
              covered: counted
            };
          }
          await new Promise(r => setTimeout(r, 200));
        }
      },
      [stored.id, STEPS] as const
    );
    b.figure({
      name: `metric overview files, 2 metrics × ${STEPS.toLocaleString('en-US')} points`,
      value: sizes.bytes / 1024,
      unit: 'KB',
      note: `${sizes.files} file(s) covering ${sizes.covered.toLocaleString('en-US')} points; the ${sizes.chunks} metric chunks hold ${(sizes.chunkBytes / 1e6).toFixed(1)} MB`
    });

    // Reading alone (store → arrays), median of 3.
    const read = await lab.page.evaluate(async expId => {
      const app = (window as any).jupyterapp;
      const mgr = app.pluginRegistry._plugins.get(
        'jupyterlab-labbook:store'
      ).service;
      const ts: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        await mgr.store.loadMetrics(expId);
        ts.push(performance.now() - t);
      }
      const os: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        await mgr.store.loadMetricsOverview(expId);
        os.push(performance.now() - t);
      }
      const median = (v: number[]) => v.sort((x, y) => x - y)[1];
      return { points: median(ts), overview: median(os) };
    }, stored.id);
    b.figure({
      name: `read 2 metrics × ${STEPS.toLocaleString('en-US')} points from the store (browser)`,
      value: read.points,
      unit: 'ms',
      note: 'every point, as smoothing or a fine zoom needs them'
    });
    b.figure({
      name: `read the overview of 2 metrics × ${STEPS.toLocaleString('en-US')} points (browser)`,
      value: read.overview,
      unit: 'ms'
    });

    // Click to chart.
    await lab.command('labbook:open-panel');
    const ms = await lab.page.evaluate(
      async ([expId, steps]) => {
        const row = document.querySelector<HTMLElement>(
          `#jp-labbook-panel .jp-Labbook-row[data-id="${expId}"]`
        )!;
        const t = performance.now();
        row.click();
        for (;;) {
          const charts = [
            ...document.querySelectorAll<HTMLElement>(
              '#jp-labbook-panel .jp-Labbook-metricChart'
            )
          ];
          if (
            charts.length === 2 &&
            charts.every(
              c =>
                c.dataset.points === String(steps) && c.querySelector('canvas')
            )
          ) {
            return performance.now() - t;
          }
          await new Promise(r => requestAnimationFrame(r));
        }
      },
      [stored.id, STEPS] as const
    );
    const atTarget = STEPS >= TARGET_STEPS;
    b.figure({
      name: `click to charts drawn, 2 metrics × ${STEPS.toLocaleString('en-US')} points`,
      value: ms,
      unit: 'ms',
      ...(atTarget ? { target: 300 } : {}),
      note: atTarget
        ? 'issue 4: ≤ 300 ms for a 1,000,000-point metric (drawn from the overviews)'
        : `no target: issue 4's ≤ 300 ms is for 1,000,000 points (the default; LABBOOK_BENCH_STEPS=${STEPS} given)`
    });

    // Smoothing needs every point: read in the background, then redrawn.
    const smoothMs = await lab.page.evaluate(async () => {
      const select = document.querySelector<HTMLSelectElement>(
        '#jp-labbook-panel .jp-Labbook-chartSmoothing'
      )!;
      const t = performance.now();
      select.value = 'ema';
      select.dispatchEvent(new Event('change'));
      let first = NaN;
      for (;;) {
        const charts = [
          ...document.querySelectorAll<HTMLElement>(
            '#jp-labbook-panel .jp-Labbook-metricChart'
          )
        ];
        if (
          Number.isNaN(first) &&
          charts.length === 2 &&
          charts.every(c => c.dataset.smoothed === 'overview')
        ) {
          first = performance.now() - t;
        }
        if (
          charts.length === 2 &&
          charts.every(
            c => c.dataset.source === 'points' && c.dataset.smoothing === 'ema'
          )
        ) {
          return { first, points: performance.now() - t };
        }
        await new Promise(r => requestAnimationFrame(r));
      }
    });
    b.figure({
      name: `smoothing on to smoothed lines from the overview, 2 metrics × ${STEPS.toLocaleString('en-US')} points`,
      value: smoothMs.first,
      unit: 'ms',
      note: 'drawn at once from the buckets, while the points are read'
    });
    b.figure({
      name: `smoothing on to smoothed charts from every point, 2 metrics × ${STEPS.toLocaleString('en-US')} points`,
      value: smoothMs.points,
      unit: 'ms',
      note: 'every point read in the background, the overview shown meanwhile'
    });
  });
}

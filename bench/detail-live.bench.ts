/**
 * The detail of a running experiment, open while a loop logs (issues 4
 * and 7): how many store reads it makes. A session of many executions has
 * many history chunks; the detail must not read them all again each time
 * a point arrives. Counted in the page: Contents API GETs (reads and
 * listings) during ten seconds of a loop logging ten points a second,
 * after 60 cells ran in the experiment.
 */
import type { IBench } from './harness';
import { withLab } from './withlab';

const CELLS = 60;
const SECONDS = 10;

export default async function (b: IBench): Promise<void> {
  await withLab(async lab => {
    const page = lab.page;
    await lab.open();
    const panel = await lab.openNotebook('live.ipynb', ['']);
    const id = await lab.startExperiment('live.ipynb');
    for (let i = 0; i < CELLS; i++) {
      await lab.runCell(panel, 0, `x = ${i}\nimport time; time.sleep(0.35)`);
    }
    await lab.command('labbook:open-panel');
    await lab.command('labbook:show-experiment', { id });
    await page.waitForSelector('#jp-labbook-panel .jp-Labbook-timelineRow');
    // The loop, in the background; the reads counted while it logs.
    await lab.startCell(
      panel,
      0,
      [
        'import labbook, time',
        `for i in range(${SECONDS * 10}):`,
        '    labbook.log({"loss": 1 / (i + 1)}, step=i)',
        '    time.sleep(0.1)'
      ].join('\n')
    );
    await page.waitForSelector('#jp-labbook-panel .jp-Labbook-metricChart');
    const reads = { all: 0, history: 0 };
    const count = (request: { method(): string; url(): string }) => {
      const url = decodeURIComponent(request.url());
      if (request.method() === 'GET' && url.includes('/api/contents/')) {
        reads.all++;
        if (url.includes(`/${id}/history`)) {
          reads.history++;
        }
      }
    };
    page.on('request', count);
    const t = Date.now();
    await page.waitForTimeout(SECONDS * 1000 * 0.8);
    page.off('request', count);
    const seconds = (Date.now() - t) / 1000;
    const chunks = await page.evaluate(async expId => {
      const app = (window as any).jupyterapp;
      const mgr = app.pluginRegistry._plugins.get(
        'jupyterlab-labbook:store'
      ).service;
      return (await mgr.store.fs.list(`experiments/${expId}/history`)).length;
    }, id);
    b.figure({
      name: `detail of a running experiment (${chunks} history chunks) while a loop logs: store reads per second`,
      value: reads.all / seconds,
      unit: 'reads/s',
      note: `${reads.all} Contents API GETs in ${seconds.toFixed(1)} s`
    });
    b.figure({
      name: 'of which reads of its history',
      value: reads.history / seconds,
      unit: 'reads/s',
      note: `${reads.history} in ${seconds.toFixed(1)} s: read again only when a cell finished`
    });
    await lab.cellOutput(panel, 0);
  });
}

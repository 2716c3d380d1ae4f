/**
 * What Labbook adds to JupyterLab's start (issue 20): the same page (a
 * fresh workspace of the dev JupyterLab, an empty server root) loaded
 * until the app is restored, from two servers that differ only in whether
 * the Labbook extension is on their labextensions path. One browser,
 * rounds alternating between the two so that load on the machine and the
 * browser's cache fall on both alike; the medians are compared. Target:
 * under 5% added (its heavy views load on first use).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IBench } from './harness';
import { Lab } from '../test/e2e/harness/lab';
import { startServer } from '../test/e2e/harness/server';
import { withLab } from './withlab';

const ROUNDS = 9;

export default async function (b: IBench): Promise<void> {
  const empty = join(b.tmpdir, 'no-labextensions');
  mkdirSync(empty, { recursive: true });
  await withLab(async (withLabbook, server) => {
    const page = withLabbook.page;
    const bare = await startServer({
      env: { LABBOOK_LABEXTENSIONS: empty }
    });
    try {
      const without = new Lab(page, bare);
      let round = 0;
      /** Navigation start to `jupyterapp.restored`, in ms. */
      const load = async (lab: Lab) => {
        const t0 = performance.now();
        await lab.open(`w${Date.now()}r${round++}`);
        return performance.now() - t0;
      };
      const hasLabbook = () =>
        page.evaluate(() =>
          (window as any).jupyterapp.commands.hasCommand('labbook:open-runs')
        );
      // Warm-up, and a check that the two pages differ as they should.
      await load(withLabbook);
      if (!(await hasLabbook())) {
        throw new Error('Labbook is not loaded from the first server');
      }
      await load(without);
      if (await hasLabbook()) {
        throw new Error('Labbook is loaded without its labextension path');
      }
      const times = { with: [] as number[], without: [] as number[] };
      for (let i = 0; i < ROUNDS; i++) {
        // Alternate which goes first, so neither always follows the other.
        const order: ['with' | 'without', Lab][] =
          i % 2 === 0
            ? [
                ['with', withLabbook],
                ['without', without]
              ]
            : [
                ['without', without],
                ['with', withLabbook]
              ];
        for (const [name, lab] of order) {
          times[name].push(await load(lab));
        }
      }
      const median = (xs: number[]) =>
        [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
      const a = median(times.with);
      const c = median(times.without);
      const note = `median of ${ROUNDS} alternating rounds, fresh workspace, warm browser cache`;
      b.figure({
        name: 'JupyterLab load to restored, with Labbook',
        value: a,
        unit: 'ms',
        lowerIsBetter: true,
        note
      });
      b.figure({
        name: 'JupyterLab load to restored, without Labbook',
        value: c,
        unit: 'ms',
        lowerIsBetter: true,
        note
      });
      b.figure({
        name: 'load time Labbook adds',
        value: ((a - c) / c) * 100,
        unit: '%',
        target: 5,
        lowerIsBetter: true,
        note: `${Math.round(a - c)} ms`
      });
    } finally {
      await bare.stop();
    }
  });
}

/**
 * Training scripts outside a kernel (issue 18): the labbook module's script
 * mode writes into the store itself.
 *
 * - Throughput: a script logs 1,000,000 points (`labbook.log(name, value,
 *   step=i)` in a plain loop, then `labbook.flush()`), timed by the script
 *   from its first log to the last chunk on disk. Target ≥ 200,000 points/s.
 * - Latency: with the panel open on the script's run, the time from a
 *   script's `log` (its wall clock) to the chart showing the point (the
 *   page's clock, same machine), median of 6. Target ≤ 2 s.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { IBench } from './harness';
import { PYTHON, ROOT } from '../test/e2e/harness/server';
import { withLab } from './withlab';

const POINTS = Number(process.env.LABBOOK_BENCH_SCRIPT_POINTS ?? 1_000_000);
const ROUNDS = 6;

function env(store: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PYTHONPATH: join(ROOT, 'src', 'kernel'),
    LABBOOK_STORE: store,
    LABBOOK_QUIET: '1'
  };
}

export default async function (b: IBench): Promise<void> {
  // Throughput, one metric and then two per call.
  for (const [label, call, per] of [
    [
      'labbook.log("loss", v, step=i)',
      'labbook.log("loss", 1.0 / (i + 1), step=i)',
      1
    ],
    [
      'labbook.log({"loss": v, "acc": w}, step=i)',
      'labbook.log({"loss": 1.0 / (i + 1), "acc": i * 1e-6}, step=i)',
      2
    ]
  ] as const) {
    const script = join(b.tmpdir, `throughput${per}.py`);
    const calls = Math.round(POINTS / per);
    writeFileSync(
      script,
      [
        'import time, labbook',
        'labbook.log_params({"warm": 1})',
        'labbook.flush()',
        't = time.perf_counter()',
        'c = time.process_time()',
        `for i in range(${calls}):`,
        `    ${call}`,
        'labbook.flush()',
        'print(time.perf_counter() - t, time.process_time() - c)'
      ].join('\n')
    );
    const r = spawnSync(PYTHON, [script], {
      env: env(join(b.tmpdir, `store${per}`)),
      encoding: 'utf8'
    });
    if (r.status !== 0) {
      throw new Error(r.stderr);
    }
    const [seconds, cpu] = r.stdout.trim().split(' ').map(Number);
    b.figure({
      name: `script mode: ${(calls * per).toLocaleString('en')} points to disk, ${label}`,
      value: (calls * per) / seconds,
      unit: 'points/s',
      target: 200_000,
      lowerIsBetter: false,
      note: `${seconds.toFixed(2)} s from the first log to the last chunk written; ${cpu.toFixed(2)} s of CPU (${Math.round((calls * per) / cpu).toLocaleString('en')} points per CPU second), load average ${loadavg()[0].toFixed(1)}`
    });
  }

  // Latency: script log → point in the open panel's chart.
  await withLab(async lab => {
    const page = lab.page;
    await lab.open();
    await lab.command('labbook:open-panel');
    const go = join(lab.server.root, 'go');
    const script = join(lab.server.root, 'live.py');
    writeFileSync(
      script,
      [
        'import os, sys, time, labbook',
        'labbook.log("loss", 0.0, step=0)',
        `while not os.path.exists(${JSON.stringify(go)}):`,
        '    time.sleep(0.02)',
        `for k in range(1, ${ROUNDS + 1}):`,
        // Off the build tick's phase: each point waits a different part of it.
        '    time.sleep(2.37)',
        '    print(time.time() * 1000, flush=True)',
        '    labbook.log("loss", float(k), step=k)',
        'time.sleep(3)'
      ].join('\n')
    );
    const child = spawn(PYTHON, [script], {
      cwd: lab.server.root,
      env: env(join(lab.server.root, 'labbook')),
      stdio: ['ignore', 'pipe', 'inherit']
    });
    let out = '';
    child.stdout.on('data', d => (out += d));
    const exited = new Promise(r => child.once('exit', r));
    try {
      const row = page
        .locator('#jp-labbook-panel .jp-Labbook-row[data-id]')
        .filter({ hasText: 'live.py' });
      await row.waitFor({ timeout: 30_000 });
      await row.click();
      await page.waitForFunction(
        () =>
          (
            document.querySelector(
              '#jp-labbook-panel .jp-Labbook-metricChart'
            ) as HTMLElement | null
          )?.dataset.points === '1',
        null,
        { timeout: 30_000 }
      );
      // When each point count is first shown, by the page's clock.
      await page.evaluate(() => {
        const seen: Record<string, number> = {};
        (window as any).__labbookSeen = seen;
        const poll = () => {
          const n = (
            document.querySelector(
              '#jp-labbook-panel .jp-Labbook-metricChart'
            ) as HTMLElement | null
          )?.dataset.points;
          if (n && !(n in seen)) {
            seen[n] = Date.now();
          }
          requestAnimationFrame(poll);
        };
        poll();
      });
      writeFileSync(go, '');
      await exited;
      await page.waitForFunction(
        n => String(n) in (window as any).__labbookSeen,
        ROUNDS + 1,
        { timeout: 30_000 }
      );
      const seen = (await page.evaluate(
        () => (window as any).__labbookSeen
      )) as Record<string, number>;
      const logged = out.trim().split('\n').map(Number);
      const delays = logged
        .map((t, k) => seen[String(k + 2)] - t)
        .sort((a, c) => a - c);
      const median = (delays[2] + delays[3]) / 2;
      b.figure({
        name: "script mode: a script's log → the point in the open panel's chart (median)",
        value: median,
        unit: 'ms',
        target: 2000,
        lowerIsBetter: true,
        note: `${ROUNDS} points; all: ${delays.map(d => Math.round(d)).join(', ')} ms (script builds a batch each second, the detail reads each second)`
      });
    } finally {
      child.kill();
    }
  });
}

/**
 * Notebook diff: time for 100, 1,000 and 10,000 cells with 5% changed
 * (cells with ids, and without ids so they align by content), peak memory
 * for 10,000 cells, and the `labbook diff` command end to end.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IBench } from './harness';
import { main } from '../src/cli/main';
import { diffNotebooks } from '../src/core/diff';
import { changedCopy, syntheticNotebook } from './notebooks';

export default async (b: IBench) => {
  for (const cells of [100, 1000, 10000]) {
    for (const ids of [true, false]) {
      const a = syntheticNotebook({ cells, ids, seed: cells });
      const bb = changedCopy(a, 0.05);
      const ms = await b.median(
        () => diffNotebooks(a, bb),
        cells >= 10000 ? 5 : 9
      );
      b.figure({
        name: `diff ${cells.toLocaleString('en-US')} cells, 5% changed, ${ids ? 'cell ids' : 'no ids (by content)'}`,
        value: ms,
        unit: 'ms',
        target: cells === 1000 ? 200 : undefined,
        lowerIsBetter: true,
        note: 'median, Node, notebooks already parsed'
      });
    }
  }
  await cliDiff(b);
};

/**
 * `labbook diff a.ipynb b.ipynb` as a user runs it: process start, reading
 * and parsing both files, the diff and the text output, on two typical
 * notebooks (80 cells, a few small images, text outputs, 5% changed).
 * Compared with `node -e 0` measured in the same run.
 */
async function cliDiff(b: IBench): Promise<void> {
  const root = process.env.LABBOOK_ROOT ?? process.cwd();
  const cli = join(root, 'lib', 'cli.cjs');
  const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], {
    cwd: root,
    stdio: 'inherit'
  });
  if (build.status !== 0 || !existsSync(cli)) {
    throw new Error('bench: building lib/cli.cjs failed');
  }
  const a = syntheticNotebook({
    cells: 80,
    seed: 80,
    imageShare: 0.15,
    imageBytes: 8000
  });
  const changed = changedCopy(a, 0.05);
  const fileA = join(b.tmpdir, 'a.ipynb');
  const fileB = join(b.tmpdir, 'b.ipynb');
  writeFileSync(fileA, JSON.stringify(a, null, 1));
  writeFileSync(fileB, JSON.stringify(changed, null, 1));
  const images = a.cells.filter(c =>
    c.outputs?.some(o => o.output_type === 'display_data')
  ).length;
  const run = (args: string[], status: number) => () => {
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (r.status !== status) {
      throw new Error(
        `bench: ${args.join(' ')} exited ${r.status}: ${r.stderr}`
      );
    }
  };
  const runs = 15;
  // Interleaved, so that both see the same machine load.
  const cliRun = run([cli, 'diff', fileA, fileB], 1);
  const nodeRun = run(['-e', '0'], 0);
  cliRun();
  nodeRun();
  const tCli: number[] = [];
  const tNode: number[] = [];
  for (let i = 0; i < runs; i++) {
    tNode.push(await b.time(nodeRun));
    tCli.push(await b.time(cliRun));
  }
  const ms = median(tCli);
  const baseline = median(tNode);
  // The command's own work, without process start: read, parse, diff and
  // render both files in this process.
  const work = await b.median(() => {
    let out = '';
    const status = main(['diff', fileA, fileB], {
      stdout: t => (out += t),
      stderr: t => (out += t),
      isTTY: false,
      env: {},
      readFile: path => readFileSync(path, 'utf8')
    });
    if (status !== 1 || !out.includes('modified')) {
      throw new Error(`bench: labbook diff in process gave ${status}: ${out}`);
    }
  }, runs);
  b.figure({
    name: '`labbook diff a.ipynb b.ipynb`, 80 cells, 5% changed',
    value: ms,
    unit: 'ms',
    target: 100,
    lowerIsBetter: true,
    note: `median of ${runs} spawns of node lib/cli.cjs, process start included; ${images} cells with an 8 kB image`
  });
  b.figure({
    name: '`node -e 0` (process start baseline)',
    value: baseline,
    unit: 'ms',
    lowerIsBetter: true,
    note: `median of ${runs} spawns, same run`
  });
  b.figure({
    name: '`labbook diff` work in process (read, parse, diff, render)',
    value: work,
    unit: 'ms',
    lowerIsBetter: true,
    note: `median of ${runs}, same notebooks, no process start`
  });
  b.ratio('`labbook diff` / `node -e 0`', ms, baseline, {
    note: 'start and diff over bare Node start'
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

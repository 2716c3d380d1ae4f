#!/usr/bin/env node
// Runs every bench/*.bench.ts (or those named on the command line) and prints
// each figure with its target and verdict. Bench files are TypeScript: they
// are bundled with esbuild into .cache/bench/ and run by Node with --expose-gc.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  readdirSync,
  rmSync,
  mkdtempSync,
  writeFileSync,
  readFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, basename } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const benchDir = join(root, 'bench');
const outDir = join(root, '.cache', 'bench');
const wanted = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter(f => f.endsWith('.bench.ts'))
  .filter(f => wanted.length === 0 || wanted.some(w => f.includes(w)))
  .sort();

if (!process.env.LABBOOK_BENCH_CHILD) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const all = [];
  let failed = false;
  for (const file of files) {
    const out = join(outDir, basename(file, '.ts') + '.mjs');
    await build({
      entryPoints: [join(benchDir, file)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: out,
      packages: 'external',
      sourcemap: 'inline',
      logLevel: 'error',
      loader: { '.py': 'text' }
    });
    const results = join(outDir, basename(file, '.ts') + '.json');
    console.log(`\n▶ ${file}`);
    const r = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--enable-source-maps',
        import.meta.filename,
        out,
        results
      ],
      {
        stdio: 'inherit',
        // LABBOOK_ROOT: benches that start the dev server through the e2e
        // harness run from .cache/bench/, not from test/e2e/harness/.
        env: { ...process.env, LABBOOK_BENCH_CHILD: '1', LABBOOK_ROOT: root },
        cwd: root
      }
    );
    if (r.status !== 0) {
      failed = true;
      console.log(`  ✗ ${file} exited with ${r.status}`);
      continue;
    }
    all.push(
      ...JSON.parse(readFileSync(results, 'utf8')).map(f => ({ file, ...f }))
    );
  }
  console.log('\nSummary');
  for (const f of all) {
    console.log('  ' + line(f));
  }
  const missed = all.filter(f => verdict(f) === false);
  console.log(
    `\n${all.length} figures, ${missed.length} over target${failed ? ', some benches failed' : ''}.`
  );
  process.exit(failed ? 1 : 0);
} else {
  const [modPath, resultsPath] = process.argv.slice(2);
  const figures = [];
  const scratch = mkdtempSync(join(tmpdir(), 'labbook-bench-'));
  const report = f => {
    figures.push(f);
    console.log('  ' + line(f));
  };
  const now = () => performance.now();
  const b = {
    tmpdir: scratch,
    figure: report,
    ratio(name, numerator, denominator, o = {}) {
      report({
        name,
        value: numerator / denominator,
        unit: '×',
        lowerIsBetter: true,
        ...o
      });
    },
    async time(fn) {
      const t0 = now();
      await fn();
      return now() - t0;
    },
    async median(fn, runs = 7) {
      await fn();
      const ts = [];
      for (let i = 0; i < runs; i++) {
        const t0 = now();
        await fn();
        ts.push(now() - t0);
      }
      ts.sort((a, b) => a - b);
      return ts[Math.floor(ts.length / 2)];
    }
  };
  try {
    const mod = await import(modPath);
    await mod.default(b);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    writeFileSync(resultsPath, JSON.stringify(figures));
  }
}

function verdict(f) {
  if (f.target === undefined) return undefined;
  return f.lowerIsBetter === false ? f.value >= f.target : f.value <= f.target;
}

function fmt(v) {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return v.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0
  });
}

function line(f) {
  const v = verdict(f);
  const mark = v === undefined ? '·' : v ? '✓' : '✗';
  const target =
    f.target === undefined
      ? ''
      : ` (target ${f.lowerIsBetter === false ? '≥' : '≤'} ${fmt(f.target)} ${f.unit})`;
  const note = f.note ? `  — ${f.note}` : '';
  return `${mark} ${f.name}: ${fmt(f.value)} ${f.unit}${target}${note}`;
}

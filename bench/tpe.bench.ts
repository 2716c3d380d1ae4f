/**
 * Hyperparameter search (issue 14): TPE suggestion time with 100 and 1,000
 * past trials, and search quality on Branin, Hartmann-6 and a noisy
 * quadratic (50 trials x 20 seeds, median of each seed's best value) for
 * Labbook's TPE, Optuna 3.1's TPESampler (Debian's python3-optuna, run by
 * bench/optuna_tpe.py side by side with the same budgets and seed count)
 * and random search as the floor. Noisy functions score the true value of
 * the trial with the best observed one.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { IBench } from './harness';
import { parseSweepConfig, type ISweepConfig } from '../src/core/sweep/config';
import { suggest, type ITrialRecord } from '../src/core/sweep/samplers';

const TRIALS = 50;
const SEEDS = 20;
const PYTHON = '/usr/bin/python3';

const ALPHA = [1.0, 1.2, 3.0, 3.2];
const A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14]
];
const P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]
];

interface IFunction {
  bounds: [number, number][];
  f: (x: number[]) => number;
  noisy: boolean;
  /** The known minimum, for the note. */
  min: number;
}

const FUNCTIONS: Record<string, IFunction> = {
  branin: {
    bounds: [
      [-5, 10],
      [0, 15]
    ],
    f: ([x, y]) => {
      const b = 5.1 / (4 * Math.PI ** 2);
      return (
        (y - b * x * x + (5 / Math.PI) * x - 6) ** 2 +
        10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) +
        10
      );
    },
    noisy: false,
    min: 0.397887
  },
  hartmann6: {
    bounds: Array.from({ length: 6 }, () => [0, 1] as [number, number]),
    f: x =>
      -ALPHA.reduce(
        (s, a, i) =>
          s +
          a *
            Math.exp(
              -x.reduce((t, v, j) => t + A[i][j] * (v - P[i][j]) ** 2, 0)
            ),
        0
      ),
    noisy: false,
    min: -3.32237
  },
  'noisy-quadratic': {
    bounds: Array.from({ length: 4 }, () => [-1, 1] as [number, number]),
    f: x => x.reduce((s, v) => s + (v - 0.3) ** 2, 0),
    noisy: true,
    min: 0
  }
};

/** Uniform noise, sd 0.1, as bench/optuna_tpe.py computes it. */
function noise(seed: number, k: number): number {
  const u = (k * 0.6180339887498949 * (seed + 1)) % 1.0;
  return (u - 0.5) * Math.sqrt(12) * 0.1;
}

function configFor(
  fn: IFunction,
  method: 'tpe' | 'random',
  seed: number,
  budget: number
): ISweepConfig {
  const parameters: Record<string, unknown> = {};
  fn.bounds.forEach(([min, max], i) => {
    parameters[`x${i}`] = { min, max };
  });
  const r = parseSweepConfig({
    method,
    metric: { name: 'y' },
    parameters,
    budget,
    seed
  });
  if (!r.config) {
    throw new Error(JSON.stringify(r.errors));
  }
  return r.config;
}

function runLabbook(
  name: string,
  method: 'tpe' | 'random',
  seed: number
): number {
  const fn = FUNCTIONS[name];
  const config = configFor(fn, method, seed, TRIALS);
  const trials: ITrialRecord[] = [];
  let bestSeen = Infinity;
  let bestTrue = Infinity;
  for (let k = 0; k < TRIALS; k++) {
    const p = suggest(config, { trials })!;
    const x = fn.bounds.map((_, i) => p[`x${i}`] as number);
    const t = fn.f(x);
    const seen = fn.noisy ? t + noise(seed, k) : t;
    trials.push({ params: p, state: 'complete', value: seen });
    if (seen < bestSeen) {
      bestSeen = seen;
      bestTrue = t;
    }
  }
  return bestTrue;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Past trials spread over the Hartmann-6 space, as optuna_tpe.py makes them. */
function pastTrials(n: number): ITrialRecord[] {
  const fn = FUNCTIONS.hartmann6;
  return Array.from({ length: n }, (_, k) => {
    const params: Record<string, number> = {};
    fn.bounds.forEach(([lo, hi], i) => {
      params[`x${i}`] = lo + (hi - lo) * ((k * 0.754877666 * (i + 1)) % 1.0);
    });
    return {
      params,
      state: 'complete' as const,
      value: fn.f(Object.values(params))
    };
  });
}

export default async (b: IBench) => {
  const root = process.env.LABBOOK_ROOT ?? process.cwd();
  const haveOptuna = ensureOptuna();
  let optuna: {
    optuna: string;
    best: Record<string, number[]>;
    suggestMs: Record<string, number>;
  } | null = null;
  if (haveOptuna) {
    const job = {
      trials: TRIALS,
      seeds: SEEDS,
      functions: Object.keys(FUNCTIONS),
      timing: [100, 1000]
    };
    const r = spawnSync(PYTHON, [join(root, 'bench', 'optuna_tpe.py')], {
      input: JSON.stringify(job),
      encoding: 'utf8',
      maxBuffer: 1 << 24
    });
    if (r.status !== 0) {
      throw new Error(`bench/optuna_tpe.py failed: ${r.stderr}`);
    }
    optuna = JSON.parse(r.stdout);
  } else {
    console.log(
      '  (no python3-optuna: `apt-get install python3-optuna` as root for the Optuna figures)'
    );
  }

  // Suggestion time: 6 float params (Hartmann-6's space), all trials
  // complete. CPU time is the figure (this process's user + system time per
  // suggestion): on a shared machine wall time also counts other processes'
  // turns; the wall median is in the note.
  for (const n of [100, 1000]) {
    const config = configFor(FUNCTIONS.hartmann6, 'tpe', 0, n + 10);
    const trials = pastTrials(n);
    const wall = await b.median(() => suggest(config, { trials }), 9);
    const runs = 20;
    const before = process.cpuUsage();
    for (let i = 0; i < runs; i++) {
      suggest(config, { trials });
    }
    const used = process.cpuUsage(before);
    const cpu = (used.user + used.system) / 1000 / runs;
    b.figure({
      name: `TPE suggestion with ${n.toLocaleString('en-US')} past trials (6 float params), CPU time`,
      value: cpu,
      unit: 'ms',
      target: n === 1000 ? 20 : undefined,
      lowerIsBetter: true,
      note:
        `mean of ${runs}; wall median ${wall.toFixed(1)} ms` +
        (optuna
          ? `; Optuna ${optuna.optuna} TPESampler on the same trials: ${optuna.suggestMs[String(n)].toFixed(0)} ms wall (ask + 6 suggest_float, one estimator per param)`
          : '')
    });
  }

  for (const name of Object.keys(FUNCTIONS)) {
    const fn = FUNCTIONS[name];
    const seeds = Array.from({ length: SEEDS }, (_, s) => s);
    const t0 = performance.now();
    const tpe = median(seeds.map(s => runLabbook(name, 'tpe', s)));
    const tpeMs = performance.now() - t0;
    const random = median(seeds.map(s => runLabbook(name, 'random', s)));
    const opt = optuna ? median(optuna.best[name]) : undefined;
    b.figure({
      name: `TPE ${name}: median best of ${TRIALS} trials x ${SEEDS} seeds`,
      value: tpe,
      unit: '',
      target: opt,
      lowerIsBetter: true,
      note:
        (opt !== undefined
          ? `Optuna ${optuna!.optuna} TPESampler ${fmt(opt)} (target), `
          : '') +
        `random search ${fmt(random)}, minimum ${fmt(fn.min)}; ${(tpeMs / SEEDS).toFixed(0)} ms per ${TRIALS}-trial search`
    });
  }
};

/**
 * The bench's set-up: Debian's python3-optuna is the anchor the TPE figures
 * are compared with (never a dependency); installed here when missing and
 * running as root.
 */
function ensureOptuna(): boolean {
  const probe = () =>
    spawnSync(PYTHON, ['-c', 'import optuna'], { stdio: 'ignore' }).status ===
    0;
  if (probe()) {
    return true;
  }
  if (process.getuid?.() !== 0) {
    return false;
  }
  console.log('  installing python3-optuna (apt-get) for the Optuna figures');
  spawnSync(
    'apt-get',
    ['install', '-y', '--no-install-recommends', 'python3-optuna'],
    {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    }
  );
  return probe();
}

function fmt(x: number): string {
  return Math.abs(x) >= 1 ? x.toFixed(3) : x.toPrecision(3);
}

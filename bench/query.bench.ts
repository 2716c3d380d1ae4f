/**
 * Query language (issue 7): parse + compile + filter over 10,000 experiment
 * summaries with 20 params and 10 metrics each (seeded, so every run sees
 * the same data), and sorting them by a metric for the runs table.
 */
import type { IBench } from './harness';
import type { IExperimentSummary } from '../src/core/index/summary';
import type { ExperimentStatus } from '../src/core/model';
import { compileQuery, parseQuery, sortSummaries } from '../src/core/query';

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function summaries(n: number): IExperimentSummary[] {
  const rand = prng(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const statuses: ExperimentStatus[] = [
    'finished',
    'finished',
    'finished',
    'failed',
    'interrupted'
  ];
  const tags = ['baseline', 'sweep', 'gpu', 'ablation', 'best', 'debug'];
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) => {
    const params: IExperimentSummary['params'] = {
      lr: 10 ** -(1 + rand() * 4),
      batch_size: pick([16, 32, 64, 128]),
      model: pick(['tree', 'linear', 'resnet', 'transformer']),
      optimizer: pick(['adam', 'sgd', 'adamw']),
      dropout: Math.round(rand() * 50) / 100,
      use_amp: rand() < 0.5,
      layers: [64, 32]
    };
    for (let k = Object.keys(params).length; k < 20; k++) {
      params[`p${k}`] = rand() < 0.2 ? String(rand()) : rand() * 100;
    }
    const metrics: IExperimentSummary['metrics'] = {};
    for (const name of [
      'loss',
      'val_loss',
      'acc',
      'val_acc',
      'rmse',
      'f1',
      'precision',
      'recall',
      'lr_sched',
      'epoch_time'
    ]) {
      const last = rand();
      metrics[name] = {
        last,
        min: last * rand(),
        max: last + rand(),
        step: 99,
        count: 100
      };
    }
    const started = t0 + i * 3_600_000;
    const duration = Math.floor(rand() * 7_200_000);
    return {
      id: `run-${i}`,
      name: `run ${i} ${pick(['resnet', 'tree', 'probe', 'final'])}`,
      project: pick(['vision', 'nlp', 'tabular']),
      links: rand() < 0.1 ? ['shared'] : [],
      notebook: `${pick(['vision', 'nlp'])}/train.ipynb`,
      tags: tags.filter(() => rand() < 0.25),
      status: pick(statuses),
      started: new Date(started).toISOString(),
      ended: new Date(started + duration).toISOString(),
      duration,
      starred: rand() < 0.05,
      archived: rand() < 0.1,
      executions: Math.floor(rand() * 200),
      kernel: 'python3',
      params,
      metrics,
      notes: rand() < 0.3 ? 'Tried a bigger batch; baseline comparison' : ''
    };
  });
}

const QUERIES: [string, string][] = [
  [
    'issue example',
    '(params.lr < 0.01 or tags = "baseline") and not status = "failed"'
  ],
  ['MLflow-style', 'metrics.rmse < 0.5 and params.model = "tree"'],
  [
    'dates, durations, like',
    'started >= 2026-03-01 and duration > 30m and name like "%resnet%" and project in ("vision", "shared")'
  ],
  [
    'text ~, aggregates, numeric strings',
    'notes ~ "BASELINE" or metrics.val_acc.max > 1.5 and params.p10 > 50 and not archived'
  ]
];

export default async (b: IBench) => {
  const all = summaries(10_000);
  for (const [label, text] of QUERIES) {
    let matched = 0;
    const ms = await b.median(() => {
      const parsed = parseQuery(text);
      if (!parsed.ok) {
        throw new Error(parsed.error.message);
      }
      const accept = compileQuery(parsed.query, { zone: 'utc' });
      matched = all.filter(accept).length;
    }, 15);
    b.figure({
      name: `parse + compile + filter 10,000 summaries: ${label}`,
      value: ms,
      unit: 'ms',
      target: 50,
      lowerIsBetter: true,
      note: `${matched.toLocaleString('en')} match; median of 15; 20 params, 10 metrics each`
    });
  }
  const parseOnly = await b.median(() => {
    for (const [, text] of QUERIES) {
      parseQuery(text);
    }
  }, 15);
  b.figure({
    name: `parse the ${QUERIES.length} queries`,
    value: parseOnly,
    unit: 'ms',
    lowerIsBetter: true
  });
  const sort = await b.median(
    () => sortSummaries(all, 'metrics.val_acc', true),
    15
  );
  b.figure({
    name: 'sort 10,000 summaries by metrics.val_acc',
    value: sort,
    unit: 'ms',
    target: 50,
    lowerIsBetter: true,
    note: 'median of 15'
  });
};

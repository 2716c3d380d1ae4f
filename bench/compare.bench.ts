/**
 * Compare (issue 7): the pure parts a compare view computes when it opens,
 * at the largest selection it allows (50 experiments): params and metrics
 * tables, the environment diff of two large environments, parallel-
 * coordinates data, and the diff of two long flattened scripts. The issue
 * sets no figures; the targets here keep each part to at most half of the
 * 100 ms a click may take before the view shows, the rest being the DOM's.
 */
import type { IBench } from './harness';
import { diffEnvironments } from '../src/core/compare/envdiff';
import { parallelCoordinates } from '../src/core/compare/parallel';
import { metricsTable, paramsTable } from '../src/core/compare/paramsdiff';
import { diffScripts } from '../src/core/compare/scriptdiff';
import { flattenHistory } from '../src/core/history/flatten';
import type {
  HistoryRecord,
  IEnvironment,
  IMetricSummary,
  ParamValue
} from '../src/core/model';

const RUNS = 50;

export default async (b: IBench) => {
  // 50 runs × 200 params: numbers, strings, lists and nested objects, a
  // third of them varying across runs, some missing.
  const runs = Array.from({ length: RUNS }, (_, r) => {
    const params: { [name: string]: ParamValue } = {};
    const metrics: { [name: string]: IMetricSummary } = {};
    for (let p = 0; p < 200; p++) {
      if (r === 7 && p % 25 === 0) {
        continue; // a run that lacks a few params
      }
      const v = p % 3 === 0 ? r : 1;
      params[`param_${p}`] =
        p % 4 === 0
          ? v
          : p % 4 === 1
            ? `value ${v}`
            : p % 4 === 2
              ? [v, v, { depth: [v] }]
              : { lr: v / 10, schedule: { kind: 'cosine', warmup: v } };
    }
    for (let m = 0; m < 100; m++) {
      const last = m % 2 ? 1 / (r + 1) : 0.5;
      metrics[`metric_${m}`] = { last, min: 0, max: 1, step: 999, count: 1000 };
    }
    return { id: `run-${r}`, params, metrics };
  });
  let differing = 0;
  const params = await b.median(() => {
    differing = paramsTable(runs, { differingFirst: true }).differing;
  }, 20);
  b.figure({
    name: `params table, ${RUNS} runs × 200 params (${differing} differ)`,
    value: params,
    unit: 'ms',
    target: 50,
    lowerIsBetter: true
  });
  const metrics = await b.median(() => metricsTable(runs), 20);
  b.figure({
    name: `metrics table, ${RUNS} runs × 100 metrics`,
    value: metrics,
    unit: 'ms',
    target: 10,
    lowerIsBetter: true
  });
  const names = Array.from({ length: 20 }, (_, p) => `param_${p}`);
  const pc = await b.median(
    () => parallelCoordinates(runs, names, { name: 'metric_1', stat: 'last' }),
    20
  );
  b.figure({
    name: `parallel coordinates, ${RUNS} runs × 21 axes`,
    value: pc,
    unit: 'ms',
    target: 5,
    lowerIsBetter: true
  });

  // Two environments of 1,500 packages, 5% changed, a few added/removed.
  const env = (shift: number): IEnvironment => {
    const packages: Record<string, string> = {};
    for (let i = 0; i < 1500; i++) {
      if (shift && i % 300 === 0) {
        continue;
      }
      packages[`package-${i}`] =
        shift && i % 20 === 0 ? `1.${i}.${shift}` : `1.${i}.0`;
    }
    if (shift) {
      packages['new-package'] = '0.1.0';
    }
    return {
      collected: new Date().toISOString(),
      python: { version: '3.11.2', implementation: 'CPython', executable: 'p' },
      packages,
      git: null
    };
  };
  const [ea, eb] = [env(0), env(1)];
  let changed = 0;
  const envTime = await b.median(() => {
    changed = diffEnvironments(ea, eb).summary.packagesChanged;
  }, 20);
  b.figure({
    name: `environment diff, 1,500 packages (${changed} changed)`,
    value: envTime,
    unit: 'ms',
    target: 10,
    lowerIsBetter: true
  });

  // Two flattened scripts of 2,000 executions (about 8,000 lines), 2% of
  // the cells edited, every run's timings different.
  const history = (session: string, edit: boolean): HistoryRecord[] => {
    const t0 = Date.parse('2026-03-01T10:00:00Z') + (edit ? 86_400_000 : 0);
    const records: HistoryRecord[] = [
      {
        kind: 'session',
        session,
        index: 0,
        kernelId: 'k',
        kernel: { name: 'python3', language: 'python' },
        started: new Date(t0).toISOString(),
        reason: 'start'
      }
    ];
    for (let i = 1; i <= 2000; i++) {
      const changedCell = edit && i % 50 === 0;
      records.push({
        kind: 'execution',
        session,
        index: i,
        msgId: `${session}-${i}`,
        cellId: `${session}-${i}`,
        source: `x${i} = compute(${i})\nlog(x${i})\n${changedCell ? 'y = 2' : 'y = 1'}`,
        executionCount: i,
        times: { queued: new Date(t0 + i * 1000).toISOString() },
        duration: edit ? 13 : 7,
        status: 'ok',
        outputs: []
      });
    }
    return records;
  };
  const sa = flattenHistory(history('a', false));
  const sb = flattenHistory(history('b', true));
  let added = 0;
  const script = await b.median(() => {
    added = diffScripts(sa, sb).added;
  }, 5);
  b.figure({
    name: `script diff, 2,000 executions (${sa.split('\n').length.toLocaleString('en')} lines, ${added} changed)`,
    value: script,
    unit: 'ms',
    target: 200,
    lowerIsBetter: true
  });
};

/**
 * Stores of thousands of experiments for the benches, written straight to
 * disk in the layout Labbook leaves (docs/store-format.md): going through
 * the store API would take minutes per bench.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IExperiment, IMetricSeries } from '../src/core/model';

/** Little-endian Float64s in base64, as metric chunks hold them. */
function f64(values: ArrayLike<number>): string {
  return Buffer.from(Float64Array.from(values).buffer).toString('base64');
}

/**
 * One experiment folder: `experiment.json`, and the series as one metrics
 * chunk of writer `fixture1` (numbered `seq`, which keeps chunk names
 * unique across experiments written in one run).
 */
export function writeExperimentFolder(
  storeRoot: string,
  experiment: IExperiment,
  series: readonly IMetricSeries[] = [],
  seq = 1
): void {
  const dir = join(storeRoot, 'experiments', experiment.id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'experiment.json'),
    JSON.stringify({ format: 'labbook-experiment', version: 1, experiment })
  );
  if (series.length === 0) {
    return;
  }
  mkdirSync(join(dir, 'metrics'));
  writeFileSync(
    join(dir, 'metrics', `${String(1e15 + seq)}-fixture1.json`),
    JSON.stringify({
      format: 'labbook-metrics',
      version: 1,
      writer: 'fixture1',
      series: series.map(s => ({
        name: s.name,
        count: s.values.length,
        encoding: 'f64le-base64',
        steps: f64(s.steps),
        times: f64(s.times),
        values: f64(s.values)
      }))
    })
  );
}

/** `labbook-store.json`, written when a store's first experiment is. */
export function writeStoreMarker(storeRoot: string): void {
  mkdirSync(storeRoot, { recursive: true });
  writeFileSync(
    join(storeRoot, 'labbook-store.json'),
    JSON.stringify({ format: 'labbook-store', version: 1 })
  );
}

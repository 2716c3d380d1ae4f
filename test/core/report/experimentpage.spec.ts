import { describe, expect, it } from 'vitest';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';
import { LabbookStore } from '../../../src/core/store/store';
import type { IExperiment } from '../../../src/core/model';
import {
  experimentPageData,
  experimentPageHTML,
  loadExperimentPageData
} from '../../../src/core/report/experimentpage';

const experiment: IExperiment = {
  id: '20261126T000000000Z-abcdef',
  name: '</script><img src=x onerror=alert(1)>',
  project: '',
  notebook: 'a.ipynb',
  tags: ['t'],
  notes: '',
  status: 'running',
  started: '2026-11-26T00:00:00.000Z',
  ended: null,
  kernel: { name: 'python3', language: 'python' },
  labbookVersion: '0.1.0',
  params: { lr: 0.1, expr: { source: 'lr * 2' } }
};

describe('experiment page', () => {
  it('summarises params, metrics (downsampled, gaps kept) and history', () => {
    const data = experimentPageData(
      experiment,
      [
        {
          name: 'loss',
          steps: [0, 1, 2],
          times: [0, 0, 0],
          values: [1, NaN, 0.5]
        }
      ],
      [
        {
          kind: 'session',
          session: 's',
          index: 0,
          kernelId: 'k',
          kernel: experiment.kernel,
          started: experiment.started,
          reason: 'start'
        }
      ]
    );
    expect(data.params).toEqual([
      ['expr', 'lr * 2'],
      ['lr', '0.1']
    ]);
    expect(data.metrics[0]).toMatchObject({
      name: 'loss',
      count: 3,
      last: 0.5,
      points: [
        [0, 1],
        [1, null],
        [2, 0.5]
      ]
    });
    expect(data.history).toEqual({ executions: 0, errors: 0, sessions: 1 });
  });

  it('inlines data so that no logged text can close the script element', () => {
    const html = experimentPageHTML(experimentPageData(experiment, [], []));
    const start = html.indexOf('<script type="application/json" id="data">');
    const end = html.indexOf('</script>', start);
    const json = html.slice(
      start + '<script type="application/json" id="data">'.length,
      end
    );
    expect(JSON.parse(json).experiment.name).toBe(experiment.name);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('Content-Security-Policy');
  });
});

describe('loadExperimentPageData', () => {
  it('charts a long metric from its overview: every point counted, the last value, at most a few per pixel', async () => {
    const store = new LabbookStore({ fs: new MemoryStoreFS() });
    const e = await store.createExperiment({
      name: 'long',
      notebook: 'n.ipynb',
      kernel: { name: 'python3', language: 'python' }
    });
    const n = 50_000;
    const steps = Float64Array.from({ length: n }, (_, i) => i);
    const values = steps.map(s => Math.sin(s / 500));
    values[12_345] = 40; // a spike survives
    await store.appendMetrics(e.id, [
      { name: 'loss', steps, times: steps, values }
    ]);
    await store.flushMetricsOverviews(e.id);
    const data = await loadExperimentPageData(store, e.id, 300);
    expect(data.metrics.map(m => [m.name, m.count])).toEqual([['loss', n]]);
    expect(data.metrics[0].last).toBeCloseTo(Math.sin((n - 1) / 500), 12);
    expect(data.metrics[0].points.length).toBeLessThanOrEqual(300 * 3);
    expect(Math.max(...data.metrics[0].points.map(p => p[1] ?? -1))).toBe(40);
  });
});

import { describe, expect, it } from 'vitest';
import {
  ICompared,
  metricsTable,
  onlyDifferences,
  paramsTable
} from '../../../src/core/compare/paramsdiff';
import type { IMetricSummary } from '../../../src/core/model';

/** Five runs of a sweep: lr and layers differ, run 5 has no dropout. */
function sweep(): ICompared[] {
  const base = (i: number) => ({
    batch: 64,
    optimizer: 'adam',
    dropout: 0.1,
    // Logged with its keys in another order by some runs: still equal.
    schedule:
      i % 2 ? { kind: 'cosine', warmup: 100 } : { warmup: 100, kind: 'cosine' },
    lr: [0.1, 0.03, 0.01, 0.003, 0.001][i],
    layers: i === 2 ? [128, 64] : [64, 64]
  });
  const runs: ICompared[] = [0, 1, 2, 3, 4].map(i => ({
    id: `run-${i + 1}`,
    params: base(i)
  }));
  delete runs[4].params!.dropout;
  return runs;
}

describe('paramsTable', () => {
  it('has one row per parameter any run has and marks the ones that differ', () => {
    const table = paramsTable(sweep());
    expect(table.ids).toEqual(['run-1', 'run-2', 'run-3', 'run-4', 'run-5']);
    expect(table.rows.map(r => [r.name, r.differs])).toEqual([
      ['batch', false],
      ['dropout', true],
      ['layers', true],
      ['lr', true],
      ['optimizer', false],
      ['schedule', false]
    ]);
    expect(table.differing).toBe(3);
    const dropout = table.rows[1];
    expect(dropout.cells.map(c => c.present)).toEqual([
      true,
      true,
      true,
      true,
      false
    ]);
    expect(dropout.cells[4].display).toBe('');
    const layers = table.rows[2];
    expect(layers.cells.map(c => c.display)).toEqual([
      '[64,64]',
      '[64,64]',
      '[128,64]',
      '[64,64]',
      '[64,64]'
    ]);
    // Equal objects read the same whatever the key order.
    const schedule = table.rows[5];
    expect(new Set(schedule.cells.map(c => c.display))).toEqual(
      new Set(['{"kind":"cosine","warmup":100}'])
    );
  });

  it('puts differing rows first on request and filters to them', () => {
    const table = paramsTable(sweep(), { differingFirst: true });
    expect(table.rows.map(r => r.name)).toEqual([
      'dropout',
      'layers',
      'lr',
      'batch',
      'optimizer',
      'schedule'
    ]);
    const only = onlyDifferences(table);
    expect(only.rows.map(r => r.name)).toEqual(['dropout', 'layers', 'lr']);
    expect(only.differing).toBe(3);
    expect(table.rows).toHaveLength(6); // the table itself is unchanged
  });

  it('compares values as JSON: 1 and 1.0 are equal, 1 and "1" are not', () => {
    const parsed = JSON.parse('{"epochs": 1.0, "seed": "1"}');
    const table = paramsTable([
      { id: 'a', params: { epochs: 1, seed: 1 } },
      { id: 'b', params: parsed }
    ]);
    expect(table.rows.map(r => [r.name, r.differs])).toEqual([
      ['epochs', false],
      ['seed', true]
    ]);
  });

  it('shows a parameter kept as code as its source, equal only to the same source', () => {
    const table = paramsTable([
      { id: 'a', params: { lr: { source: '1e-3 * scale' } } },
      { id: 'b', params: { lr: { source: '1e-3 * scale' } } },
      { id: 'c', params: { lr: 0.001 } }
    ]);
    const [row] = table.rows;
    expect(row.cells.map(c => [c.display, c.isSource])).toEqual([
      ['1e-3 * scale', true],
      ['1e-3 * scale', true],
      ['0.001', false]
    ]);
    expect(row.differs).toBe(true);
    expect(
      paramsTable(
        table.ids.slice(0, 2).map((id, i) => ({
          id,
          params: { lr: { source: '1e-3 * scale' } }
        }))
      ).rows[0].differs
    ).toBe(false);
  });

  it('keeps markup, quotes and Unicode as plain text', () => {
    const html = '<img src=x onerror="alert(1)">';
    const table = paramsTable([
      {
        id: 'a',
        params: { note: html, 'ключ "q"': '学习率 🚀', obj: { html } }
      },
      { id: 'b', params: {} }
    ]);
    const cell = (name: string) =>
      table.rows.find(r => r.name === name)!.cells[0].display;
    expect(cell('note')).toBe(html);
    expect(cell('ключ "q"')).toBe('学习率 🚀');
    expect(cell('obj')).toBe(JSON.stringify({ html }));
    expect(table.rows.every(r => r.differs)).toBe(true);
  });

  it('handles runs without params and a single run', () => {
    expect(paramsTable([{ id: 'a' }, { id: 'b' }]).rows).toEqual([]);
    const one = paramsTable([{ id: 'a', params: { x: 1 } }]);
    expect(one.rows[0].differs).toBe(false);
  });
});

describe('metricsTable', () => {
  const summary = (last: number, min: number, max: number): IMetricSummary => ({
    last,
    min,
    max,
    step: 99,
    count: 100
  });

  it('says which of last, min and max differ and when a run lacks the metric', () => {
    const table = metricsTable([
      {
        id: 'a',
        metrics: { loss: summary(0.2, 0.1, 2.3), acc: summary(0.9, 0.1, 0.9) }
      },
      {
        id: 'b',
        metrics: { loss: summary(0.3, 0.1, 2.3), acc: summary(0.9, 0.1, 0.9) }
      },
      {
        id: 'c',
        metrics: {
          loss: summary(0.2, 0.1, 2.3),
          val_loss: summary(0.4, 0.4, 1)
        }
      }
    ]);
    expect(table.rows.map(r => r.name)).toEqual(['acc', 'loss', 'val_loss']);
    const [acc, loss, val] = table.rows;
    expect(loss.differsBy).toEqual({ last: true, min: false, max: false });
    expect(loss.differs).toBe(true);
    expect(acc.cells[2]).toBeNull();
    expect(acc.differsBy).toEqual({ last: true, min: true, max: true });
    expect(val.cells.map(c => c?.last ?? null)).toEqual([null, null, 0.4]);
    expect(table.differing).toBe(3);
    const same = metricsTable([
      { id: 'a', metrics: { loss: summary(0.2, 0.1, 2.3) } },
      { id: 'b', metrics: { loss: summary(0.2, 0.1, 2.3) } }
    ]);
    expect(onlyDifferences(same).rows).toEqual([]);
  });
});

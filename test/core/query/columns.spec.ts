import { describe, expect, it } from 'vitest';
import {
  defaultColumns,
  fieldValue,
  groupSummaries,
  metricKey,
  paramKey,
  parseField,
  presentNames
} from '../../../src/core/query';
import { KEYWORDS } from '../../../src/core/query/lexer';
import { metric, summary } from './fixtures';

describe('column keys', () => {
  it('leaves plain words as they are and quotes the rest', () => {
    expect(paramKey('lr')).toBe('params.lr');
    expect(paramKey('learning rate')).toBe('params."learning rate"');
    expect(paramKey('a.b')).toBe('params."a.b"');
    expect(metricKey('val/acc', 'max')).toBe('metrics."val/acc".max');
    expect(metricKey('min')).toBe('metrics."min"');
    expect(paramKey('and')).toBe('params."and"');
  });

  it('quotes every word the parser reserves, so a param of that name reads back', () => {
    for (const word of KEYWORDS) {
      expect(paramKey(word)).toBe(`params.${JSON.stringify(word)}`);
      expect(parseField(paramKey(word)).ok).toBe(true);
    }
  });

  it('makes keys that read back the same value', () => {
    const names = [
      'lr',
      'learning rate',
      'a.b',
      'min',
      'and',
      'x"y\\z',
      '<img src=x>',
      'ü_1'
    ];
    const s = summary({
      params: Object.fromEntries(names.map((n, i) => [n, i])),
      metrics: Object.fromEntries(
        names.map((n, i) => [n, metric(i, { min: -i, max: 10 + i })])
      )
    });
    names.forEach((n, i) => {
      expect(parseField(paramKey(n)).ok).toBe(true);
      expect(fieldValue(s, paramKey(n))).toBe(i);
      expect(fieldValue(s, metricKey(n))).toBe(i);
      expect(fieldValue(s, metricKey(n, 'min'))).toBe(-i);
      expect(fieldValue(s, metricKey(n, 'max'))).toBe(10 + i);
    });
  });

  it('lists the param and metric names present, sorted naturally', () => {
    const names = presentNames([
      summary({
        params: { lr: 1, 'layer 10': 2 },
        metrics: { loss: metric(1) }
      }),
      summary({ params: { 'layer 2': 1 }, metrics: { acc: metric(1) } }),
      summary({ params: undefined as any, metrics: null as any })
    ]);
    expect(names).toEqual({
      params: ['layer 2', 'layer 10', 'lr'],
      metrics: ['acc', 'loss']
    });
  });
});

describe('groupSummaries', () => {
  const rows = [
    summary({ id: 'a', params: { model: 'mlp', bs: 32 }, tags: ['baseline'] }),
    summary({
      id: 'b',
      params: { model: 'cnn', bs: 8 },
      tags: ['x', 'baseline', 'x']
    }),
    summary({ id: 'c', params: { bs: null }, tags: [] }),
    summary({ id: 'd', params: { model: 'mlp', bs: 128 } })
  ];
  const ids = (g: { rows: { id: string }[] }) => g.rows.map(r => r.id);

  it('groups by a param, values in order, rows without one last', () => {
    const groups = groupSummaries(rows, 'params.model');
    expect(groups.map(g => [g.label, g.missing, ids(g)])).toEqual([
      ['cnn', false, ['b']],
      ['mlp', false, ['a', 'd']],
      ['', true, ['c']]
    ]);
  });

  it('orders numbers numerically', () => {
    expect(groupSummaries(rows, 'params.bs').map(g => g.label)).toEqual([
      '8',
      '32',
      '128',
      ''
    ]);
  });

  it('puts a row in the group of each of its tags, once', () => {
    const groups = groupSummaries(rows, 'tags');
    expect(groups.map(g => [g.label, ids(g)])).toEqual([
      ['baseline', ['a', 'b']],
      ['x', ['b']],
      ['', ['c', 'd']]
    ]);
  });

  it('keeps every row in one group for an invalid key', () => {
    const groups = groupSummaries(rows, 'parms.model');
    expect(groups).toHaveLength(1);
    expect(ids(groups[0])).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('defaultColumns', () => {
  const base = ['name', 'status'];

  it('adds the params that vary and every metric logged', () => {
    const rows = [
      summary({
        params: { lr: 0.1, model: 'mlp', seed: 1 },
        metrics: { loss: metric(0.5) }
      }),
      summary({
        params: { lr: 0.01, model: 'mlp', seed: 1 },
        metrics: { loss: metric(0.4), 'val/acc': metric(0.9) }
      })
    ];
    expect(defaultColumns(rows, base)).toEqual([
      'name',
      'status',
      'params.lr',
      'metrics.loss',
      'metrics."val/acc"'
    ]);
  });

  it('counts a param that some rows lack as varying, and tells types apart', () => {
    const rows = [
      summary({ params: { a: 1, b: '1', c: { k: [1] } } }),
      summary({ params: { b: 1, c: { k: [1] } } })
    ];
    expect(defaultColumns(rows, [])).toEqual(['params.a', 'params.b']);
  });

  it('shows every param of a single row, and only the base of none', () => {
    const one = summary({ params: { lr: 0.1, batch: 32 } });
    expect(defaultColumns([one], base)).toEqual([
      'name',
      'status',
      'params.batch',
      'params.lr'
    ]);
    expect(defaultColumns([], base)).toEqual(base);
  });

  it('keeps at most the limit of params and of metrics, in natural order', () => {
    const params = (i: number) =>
      Object.fromEntries(
        Array.from({ length: 12 }, (_, k) => [`p${k}`, i + k])
      );
    const metrics = Object.fromEntries(
      Array.from({ length: 12 }, (_, k) => [`m${k}`, metric(k)])
    );
    const rows = [
      summary({ params: params(0), metrics }),
      summary({ params: params(1) })
    ];
    const columns = defaultColumns(rows, [], 3);
    expect(columns).toEqual([
      'params.p0',
      'params.p1',
      'params.p2',
      'metrics.m0',
      'metrics.m1',
      'metrics.m2'
    ]);
    expect(defaultColumns(rows, []).length).toBe(16);
  });
});

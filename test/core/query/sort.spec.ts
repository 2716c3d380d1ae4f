import { describe, expect, it } from 'vitest';
import {
  fieldReader,
  fieldValue,
  sortSummaries,
  topSummaries
} from '../../../src/core/query';
import { metric, summary } from './fixtures';

const runs = [
  summary({
    name: 'run 10',
    started: '2026-11-03T00:00:00.000Z',
    params: { lr: 0.01, opt: 'adam' },
    metrics: { val_acc: metric(0.91) }
  }),
  summary({
    name: 'run 2',
    started: '2026-11-01T00:00:00.000Z',
    params: { lr: '0.1' },
    metrics: { val_acc: metric(0.95) }
  }),
  summary({
    name: 'run 1',
    started: '2026-11-02T00:00:00.000Z',
    params: {},
    metrics: { val_acc: metric(null) }
  }),
  summary({
    name: 'run 3',
    started: '2026-11-04T00:00:00.000Z',
    params: { lr: 0.001 },
    metrics: { val_acc: metric(0.7) }
  })
];

const order = (key: string, descending = false) =>
  sortSummaries(runs, key, descending).map(s => s.name);

describe('fieldValue', () => {
  it('reads any field by its query key', () => {
    const s = summary({
      tags: ['a', 'b'],
      params: {
        lr: 0.01,
        'odd name': 'x',
        src: { source: '2 * k' },
        layers: [1, 2]
      },
      metrics: { loss: metric(0.5, { min: 0.1 }) }
    });
    expect(fieldValue(s, 'params.lr')).toBe(0.01);
    expect(fieldValue(s, 'params."odd name"')).toBe('x');
    expect(fieldValue(s, 'params.src')).toBe('2 * k');
    expect(fieldValue(s, 'params.layers')).toBe('[1,2]');
    expect(fieldValue(s, 'params.missing')).toBeUndefined();
    expect(fieldValue(s, 'metrics.loss')).toBe(0.5);
    expect(fieldValue(s, 'metrics.loss.min')).toBe(0.1);
    expect(fieldValue(s, 'metrics.acc')).toBeUndefined();
    expect(fieldValue(s, 'started')).toBe('2026-11-01T10:00:00.000Z');
    expect(fieldValue(s, 'duration')).toBe(300_000);
    expect(fieldValue(s, 'tags')).toEqual(['a', 'b']);
    expect(fieldValue(s, 'project')).toBe('p');
    expect(fieldValue(s, 'starred')).toBe(false);
  });

  it('gives undefined for an invalid key instead of throwing', () => {
    expect(fieldValue(summary(), 'parms.lr')).toBeUndefined();
    expect(fieldValue(summary(), '')).toBeUndefined();
    expect(fieldReader('parms.lr')).toMatchObject({
      ok: false,
      error: { suggestion: 'params' }
    });
  });
});

describe('sortSummaries', () => {
  it('sorts by a metric, missing values last in both directions', () => {
    expect(order('metrics.val_acc')).toEqual([
      'run 3',
      'run 10',
      'run 2',
      'run 1'
    ]);
    expect(order('metrics.val_acc', true)).toEqual([
      'run 2',
      'run 10',
      'run 3',
      'run 1'
    ]);
  });

  it('sorts a param numerically, numbers before text', () => {
    expect(order('params.lr')).toEqual(['run 3', 'run 10', 'run 2', 'run 1']);
  });

  it('sorts names naturally and dates by time', () => {
    expect(order('name')).toEqual(['run 1', 'run 2', 'run 3', 'run 10']);
    expect(order('started', true)).toEqual([
      'run 3',
      'run 10',
      'run 1',
      'run 2'
    ]);
  });

  it('keeps ties in their order and does not change its input', () => {
    const before = runs.map(s => s.name);
    expect(order('project')).toEqual(before);
    expect(order('project', true)).toEqual(before);
    expect(runs.map(s => s.name)).toEqual(before);
  });

  it('leaves the order as it was for an invalid key', () => {
    expect(order('metrics.')).toEqual(runs.map(s => s.name));
  });
});

describe('topSummaries', () => {
  it('takes the best N by a metric, leaving out runs without it', () => {
    expect(topSummaries(runs, 'metrics.val_acc', 2).map(s => s.name)).toEqual([
      'run 2',
      'run 10'
    ]);
    expect(
      topSummaries(runs, 'metrics.val_acc', 10, false).map(s => s.name)
    ).toEqual(['run 3', 'run 10', 'run 2']);
    expect(topSummaries(runs, 'metrics.val_acc', 0)).toEqual([]);
    expect(topSummaries(runs, 'bogus', 3)).toEqual([]);
  });
});

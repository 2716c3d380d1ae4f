import { describe, expect, it } from 'vitest';
import {
  IParallelInput,
  parallelCoordinates
} from '../../../src/core/compare/parallel';
import type { IMetricSummary } from '../../../src/core/model';

const loss = (last: number | null): { loss: IMetricSummary } => ({
  loss: { last, min: last, max: last, step: 10, count: 11 }
});

const runs: IParallelInput[] = [
  {
    id: 'r1',
    params: { lr: 0.1, optimizer: 'sgd', layers: 2, scale: 1 },
    metrics: loss(0.9)
  },
  {
    id: 'r2',
    params: {
      lr: 0.01,
      optimizer: 'adam',
      layers: 2,
      scale: { source: 'base * 2' }
    },
    metrics: loss(0.3)
  },
  {
    id: 'r3',
    params: { lr: 0.001, optimizer: 'adam', layers: 2 },
    metrics: {}
  },
  {
    id: 'r4',
    params: { optimizer: 'rmsprop', layers: 2, scale: 10 },
    metrics: loss(0.5)
  }
];

describe('parallelCoordinates', () => {
  it('scales numeric axes to 0..1 over their range, missing values null', () => {
    const pc = parallelCoordinates(runs, ['lr'], {
      name: 'loss',
      stat: 'last'
    });
    expect(pc.axes).toEqual([
      {
        key: 'param:lr',
        label: 'lr',
        source: 'param',
        kind: 'numeric',
        min: 0.001,
        max: 0.1
      },
      {
        key: 'metric:loss:last',
        label: 'loss (last)',
        source: 'metric',
        kind: 'numeric',
        min: 0.3,
        max: 0.9
      }
    ]);
    const at = (v: number, min: number, max: number) => (v - min) / (max - min);
    expect(pc.lines.map(l => l.id)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(pc.lines.map(l => l.values[0])).toEqual([
      1,
      at(0.01, 0.001, 0.1),
      0,
      null
    ]);
    expect(pc.lines.map(l => l.values[1])).toEqual([
      1,
      0,
      null,
      at(0.5, 0.3, 0.9)
    ]);
    expect(pc.lines[3].labels).toEqual(['', '0.5']);
  });

  it('spreads the categories of a text axis evenly in a fixed order', () => {
    const pc = parallelCoordinates(runs, ['optimizer']);
    expect(pc.axes[0].kind).toBe('categorical');
    expect(pc.axes[0].categories).toEqual(['adam', 'rmsprop', 'sgd']);
    expect(pc.lines.map(l => l.values[0])).toEqual([1, 0, 0, 0.5]);
  });

  it('makes an axis with a non-number categorical, numbers first by value', () => {
    const pc = parallelCoordinates(runs, ['scale']);
    expect(pc.axes[0].categories).toEqual(['1', '10', 'base * 2']);
    expect(pc.lines.map(l => l.values[0])).toEqual([0, 1, null, 0.5]);
    expect(pc.lines[1].labels).toEqual(['base * 2']);
  });

  it('puts an axis with one value in the middle and keeps unknown names as empty axes', () => {
    const pc = parallelCoordinates(runs, ['layers', 'nope']);
    expect(pc.axes[0]).toMatchObject({ kind: 'numeric', min: 2, max: 2 });
    expect(pc.lines.every(l => l.values[0] === 0.5)).toBe(true);
    expect(pc.axes[1]).toMatchObject({ key: 'param:nope', kind: 'numeric' });
    expect(pc.lines.every(l => l.values[1] === null)).toBe(true);
    const one = parallelCoordinates(
      [
        { id: 'a', params: { opt: 'adam' } },
        { id: 'b', params: { opt: 'adam' } }
      ],
      ['opt']
    );
    expect(one.lines.map(l => l.values[0])).toEqual([0.5, 0.5]);
  });

  it('orders booleans and null after numbers, before text', () => {
    const pc = parallelCoordinates(
      [
        { id: 'a', params: { x: 'auto' } },
        { id: 'b', params: { x: true } },
        { id: 'c', params: { x: null } },
        { id: 'd', params: { x: 3 } },
        { id: 'e', params: { x: false } }
      ],
      ['x']
    );
    expect(pc.axes[0].categories).toEqual([
      '3',
      'false',
      'true',
      'null',
      'auto'
    ]);
    expect(pc.lines.map(l => l.values[0])).toEqual([1, 0.5, 0.75, 0, 0.25]);
  });
});

import { describe, expect, it } from 'vitest';
import { readParametersCell } from '../../../src/core/params/parameterscell';

describe('parameters cell', () => {
  it('reads literal assignments and keeps anything else as source', () => {
    const params = readParametersCell(
      [
        '# Parameters',
        'lr = 1e-3',
        'epochs: int = 10',
        'big = 1_000',
        'neg = -0.5',
        'name = "mlp\\tv2"',
        "raw = r'C:\\new'",
        'on = True',
        'off = False',
        'nothing = None',
        'layers = [64, 32, (1, 2)]',
        "opts = {'a': 1, 2: [True, None]}",
        'scaled = lr * 10',
        'label = f"run-{epochs}"',
        'import math',
        'a = b = 3',
        'x += 1'
      ].join('\n')
    );
    expect(params).toEqual({
      lr: 0.001,
      epochs: 10,
      big: 1000,
      neg: -0.5,
      name: 'mlp\tv2',
      raw: 'C:\\new',
      on: true,
      off: false,
      nothing: null,
      layers: [64, 32, [1, 2]],
      opts: { a: 1, '2': [true, null] },
      scaled: { source: 'lr * 10' },
      label: { source: 'f"run-{epochs}"' }
    });
  });

  it('survives a cell that does not parse', () => {
    expect(readParametersCell('lr = 0.1\ndef broken(:\n')).toMatchObject({
      lr: 0.1
    });
    expect(readParametersCell('')).toEqual({});
  });
});

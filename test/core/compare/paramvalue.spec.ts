import { describe, expect, it } from 'vitest';
import {
  displayParam,
  paramEquals
} from '../../../src/core/compare/paramvalue';
import type { ParamValue } from '../../../src/core/model';

/** A list nested `depth` deep around `leaf`, built without recursion. */
function nested(depth: number, leaf: ParamValue): ParamValue {
  let v: ParamValue = leaf;
  for (let i = 0; i < depth; i++) {
    v = [v];
  }
  return v;
}

describe('displayParam', () => {
  it('shows strings as they are and everything else as compact JSON', () => {
    expect(displayParam('adam')).toBe('adam');
    expect(displayParam('')).toBe('');
    expect(displayParam(0.001)).toBe('0.001');
    expect(displayParam(1e21)).toBe('1e+21');
    expect(displayParam(true)).toBe('true');
    expect(displayParam(null)).toBe('null');
    expect(displayParam(undefined)).toBe('');
    expect(displayParam({ b: [1, 'x'], a: null })).toBe(
      '{"a":null,"b":[1,"x"]}'
    );
    expect(displayParam({ source: 'np.linspace(0, 1)' })).toBe(
      'np.linspace(0, 1)'
    );
  });

  it('never throws on odd values and stays within its length', () => {
    expect(displayParam('\ud800 lone surrogate')).toBe('\ud800 lone surrogate');
    const deep = displayParam(nested(100_000, 1));
    expect(deep.startsWith('[[[[')).toBe(true);
    expect(deep).toContain('…');
    const huge = Array.from({ length: 1_000_000 }, (_, i) => i);
    const text = displayParam(huge, { maxLength: 50 });
    expect(text).toHaveLength(50);
    expect(text.endsWith('…')).toBe(true);
    expect(displayParam('x'.repeat(5000))).toHaveLength(2000);
    const cyclic: any = { a: 1 };
    cyclic.self = cyclic;
    expect(() => displayParam(cyclic)).not.toThrow();
    expect(displayParam(NaN as any)).toBe('NaN');
  });
});

describe('paramEquals', () => {
  it('compares JSON deeply, objects in any key order', () => {
    expect(
      paramEquals({ a: [1, { b: 2 }], c: 'x' }, { c: 'x', a: [1, { b: 2 }] })
    ).toBe(true);
    expect(paramEquals([1, 2], [2, 1])).toBe(false);
    expect(paramEquals({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(paramEquals(null, {})).toBe(false);
    expect(paramEquals([], {})).toBe(false);
    expect(paramEquals(undefined, null)).toBe(false);
  });

  it('compares values of any depth and cycles without overflowing', () => {
    expect(paramEquals(nested(200_000, 1), nested(200_000, 1))).toBe(true);
    expect(paramEquals(nested(200_000, 1), nested(200_000, 2))).toBe(false);
    const x: any = { a: 1 };
    x.self = x;
    const y: any = { a: 1 };
    y.self = y;
    expect(paramEquals(x, y)).toBe(true);
  });
});

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  INJECTED_TAG,
  ParameterError,
  injectParameters,
  pythonLiteral,
  type INotebookLike
} from '../../../src/core/params/inject';
import type { ParamValue } from '../../../src/core/model';
import { PYTHON, ipythonMissing } from '../history/python';

/** Evaluate literals in real Python; return `float.hex` / repr per value. */
function pythonEval(sources: string[]): string[] {
  const r = spawnSync(
    PYTHON,
    [
      '-c',
      `
import json, sys, math
def show(v):
    if isinstance(v, bool) or v is None: return repr(v)
    if isinstance(v, float): return 'float:' + v.hex()
    if isinstance(v, int): return 'int:' + str(v)
    if isinstance(v, str): return 'str:' + ','.join(hex(ord(c)) for c in v)
    if isinstance(v, list): return '[' + ','.join(show(x) for x in v) + ']'
    if isinstance(v, dict): return '{' + ','.join(show(k) + ':' + show(x) for k, x in v.items()) + '}'
    return 'other:' + type(v).__name__
print(json.dumps([show(eval(s)) for s in json.load(sys.stdin)]))
`
    ],
    { input: JSON.stringify(sources), encoding: 'utf8' }
  );
  if (r.status !== 0) {
    throw new Error(r.stderr);
  }
  return JSON.parse(r.stdout);
}

/** What Python should see for a JS value (float.hex computed in JS). */
function expected(v: ParamValue, float = false): string {
  if (v === null) {
    return 'None';
  }
  if (typeof v === 'boolean') {
    return v ? 'True' : 'False';
  }
  if (typeof v === 'string') {
    return (
      'str:' +
      Array.from(v, c => '0x' + c.codePointAt(0)!.toString(16)).join(',')
    );
  }
  if (typeof v === 'number') {
    return Number.isInteger(v) && !float && !Object.is(v, -0)
      ? 'int:' + BigInt(v).toString()
      : 'float:' + floatHex(v);
  }
  if (Array.isArray(v)) {
    return '[' + v.map(x => expected(x, float)).join(',') + ']';
  }
  return (
    '{' +
    Object.entries(v)
      .map(([k, x]) => expected(k) + ':' + expected(x, float))
      .join(',') +
    '}'
  );
}

/** Python's `float.hex`, for comparing doubles bit for bit. */
function floatHex(v: number): string {
  if (Number.isNaN(v)) {
    return 'nan';
  }
  if (!Number.isFinite(v)) {
    return v > 0 ? 'inf' : '-inf';
  }
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? '-' : '';
  const exp = Number((bits >> 52n) & 0x7ffn);
  const mant = bits & ((1n << 52n) - 1n);
  if (exp === 0 && mant === 0n) {
    return `${sign}0x0.0p+0`;
  }
  const lead = exp === 0 ? 0 : 1;
  const e = exp === 0 ? -1022 : exp - 1023;
  const hex = mant.toString(16).padStart(13, '0');
  return `${sign}0x${lead}.${hex}p${e >= 0 ? '+' : ''}${e}`;
}

const describePython = ipythonMissing ? describe.skip : describe;

describePython('pythonLiteral, checked by real Python', () => {
  it('writes numbers Python reads back to the same int or double', () => {
    const values: number[] = [
      0,
      1,
      -7,
      2 ** 53,
      1e21,
      123456789012345680000,
      0.1,
      0.1 + 0.2,
      1 / 3,
      -2.5e-8,
      1e-7,
      5e-324,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      -0,
      NaN,
      Infinity,
      -Infinity
    ];
    const got = pythonEval(values.map(v => pythonLiteral(v)));
    expect(got).toEqual(values.map(v => expected(v)));
    // Integral values stay floats when the parameter is a float.
    const floats = [1, 1e16, 1e22, -3, 0];
    expect(
      pythonEval(floats.map(v => pythonLiteral(v, { float: true })))
    ).toEqual(floats.map(v => expected(v, true)));
  });

  it('writes strings with escapes and unicode exactly', () => {
    const strings = [
      '',
      'plain',
      "it's",
      'say "hi"',
      `both ' and "`,
      'back\\slash',
      'line\nbreak\r\ttab',
      '\0\x07\x1b\x7f\x85',
      'naïve café — 日本語',
      '😀 emoji',
      '\u2028\u2029\u00a0\u200b\ufeff',
      '\ud800 lone',
      "'''triple'''"
    ];
    const got = pythonEval(strings.map(s => pythonLiteral(s)));
    expect(got).toEqual(strings.map(s => expected(s)));
  });

  it('writes bools, None, lists and nested dicts', () => {
    const values: ParamValue[] = [
      true,
      false,
      null,
      [],
      [1, 2.5, 'a', null, [true]],
      { a: 1, 'b c': [0.5, { d: null }], "q'": 'x' }
    ];
    expect(pythonEval(values.map(v => pythonLiteral(v)))).toEqual(
      values.map(v => expected(v))
    );
  });
});

describe('injectParameters', () => {
  const nb = (cells: INotebookLike['cells']): INotebookLike => ({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells
  });
  const code = (source: string, tags?: string[], id?: string) => ({
    cell_type: 'code',
    id,
    source,
    metadata: tags ? { tags } : {},
    outputs: [],
    execution_count: null
  });

  it('puts the run values right after the parameters cell', () => {
    const input = nb([
      code('import numpy', undefined, 'a'),
      code('lr = 0.1\nepochs = 3\nname = "x"', ['parameters'], 'b'),
      code('train(lr, epochs)', undefined, 'c')
    ]);
    const out = injectParameters(input, { lr: 1, epochs: 10, name: 'b' });
    expect(out.cells.map(c => c.id)).toEqual(['a', 'b', INJECTED_TAG, 'c']);
    const injected = out.cells[2];
    expect(injected.metadata?.tags).toEqual([INJECTED_TAG]);
    // lr's default is a float, so 1 is written as 1.0; epochs stays an int.
    expect(injected.source).toBe(
      "# Parameters\nlr = 1.0\nepochs = 10\nname = 'b'\n"
    );
    // The input is unchanged.
    expect(input.cells).toHaveLength(3);
  });

  it('puts the cell first when no cell is tagged parameters', () => {
    const out = injectParameters(nb([code('print(1)')]), { n: 2 });
    expect(out.cells[0].source).toBe('# Parameters\nn = 2\n');
    expect(out.cells[1].source).toBe('print(1)');
  });

  it('replaces an injected cell left by an earlier run', () => {
    const once = injectParameters(nb([code('x = 1', ['parameters'], 'p')]), {
      x: 2
    });
    const twice = injectParameters(once, { x: 3 });
    expect(twice.cells).toHaveLength(2);
    expect(twice.cells[1].source).toBe('# Parameters\nx = 3\n');
  });

  it('refuses a name that Python cannot assign, naming it', () => {
    expect(() =>
      injectParameters(nb([code('x = 1')]), { 'not valid': 1 })
    ).toThrow(ParameterError);
    expect(() => injectParameters(nb([code('x = 1')]), { class: 1 })).toThrow(
      /"class": not a Python variable name/
    );
  });

  it('reads a float annotation as a float parameter', () => {
    const out = injectParameters(
      nb([code('scale: float = 2\nsteps: int = 2', ['parameters'])]),
      { scale: 3, steps: 4 }
    );
    expect(out.cells[1].source).toBe('# Parameters\nscale = 3.0\nsteps = 4\n');
  });
});

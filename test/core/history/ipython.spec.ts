import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  hasIPythonSyntax,
  IPythonTransformError,
  transformIPython
} from '../../../src/core/history/ipython';
import {
  ipythonMissing,
  ipythonTransform,
  type TransformResult
} from './python';

function ours(cell: string): TransformResult {
  try {
    return { ok: transformIPython(cell) };
  } catch (e) {
    if (e instanceof IPythonTransformError) {
      return { error: e.pythonError };
    }
    throw e;
  }
}

/** Tricky inputs: every IPython syntax, in and out of strings, blocks and continuations. */
const CORPUS = [
  'x = 1',
  '',
  '\n\n   \n',
  '%time x = sum(range(10))',
  '%matplotlib inline',
  '%timeit -n 10 -r 2 [i for i in range(100)]',
  '%%timeit\nx = 1\ny = 2',
  '%%bash\necho "hi $HOME"\nls -l\n',
  '%%writefile out.txt\nline with \'quotes\' and "double"\n',
  '%%time\n',
  '%%capture cap --no-stderr\nprint(1)',
  '%%html?',
  '!ls',
  '!!ls -la',
  '!echo "hello" | wc -c',
  "!echo 'it''s' && echo \"x\"",
  'x = !ls',
  'files = !ls *.py',
  'x = %who_ls',
  'y = %time 1 + 1',
  'a = b = !ls',
  'f(x=!ls)',
  '   = !ls',
  'x = 1 \\\n + 2',
  '!echo one \\\n  two \\\n  three',
  'x = !echo a \\\n b',
  'obj?',
  'obj??',
  'os.path.join?',
  'np.*load*?',
  '%time?',
  '?',
  '??',
  '?obj',
  '??obj.attr',
  'a?b?',
  'print("a?")',
  'print("!x")  # !no',
  "s = '%time'",
  'x = """\n!ls\n%time\n"""\n!ls',
  'if True:\n    !ls\n    x = !pwd\n    %time y = 1\n',
  'for i in range(3):\n    %time i\nelse:\n    !echo done',
  'def f():\n    x = %who_ls\n    return x',
  '    %time 1\n    !ls\n',
  '\t!ls\n\tx = 1',
  '>>> x = 1\n>>> print(x)\n... ',
  '>>> !ls',
  'In [1]: x = 1\n   ...: y = 2',
  'In [3]: %time x',
  ',f a b c',
  ';f a b c',
  '/f a b',
  '%config InlineBackend.figure_format = "retina"',
  '%env PATH=/usr/bin',
  'x = %env HOME',
  '%load_ext autoreload\n%autoreload 2\nimport numpy as np',
  'd = {"a": !ls}',
  '(x,\n !ls)',
  'x = (1 +\n     2)\n!ls',
  'if x:\n    a\n  b\n',
  'x = %\\\n',
  "x = 'unterminated\n!ls",
  'x = """open\n!ls',
  'café = !ls',
  'print("héllo ☃ \\u2028")\n!echo ☃ é 😀',
  '!echo \t tab',
  '!echo \u0007 bell \u007f del \u00a0 nbsp \u200b zwsp',
  '%%bash\necho \u00e9\u2028 \u0085\n',
  'x == !ls',
  'x != 1\n!ls',
  '$x = 1',
  'x = 1; !ls',
  'lambda: !ls',
  '  \n  x = 1\n  !ls',
  'a.b = !ls',
  'x[0] = %pwd',
  'x: int = 1\n%pwd',
  '%%script python3 --bg\nprint("bg")',
  'print(1)\r\n!ls\r\n',
  '%time \\\n  x',
  'get_ipython().run_line_magic("time", "x")',
  'x = 1  # %time in comment\n# !ls too',
  'async def f():\n    await g()\n%time f',
  'f"{x!r}"\n!ls',
  "rb'''\nmulti\n'''\n!ls"
];

describe('transformIPython', () => {
  it('translates the syntax the flattened script needs', () => {
    expect(transformIPython('%time x')).toBe(
      "get_ipython().run_line_magic('time', 'x')\n"
    );
    expect(transformIPython('%%timeit\nx = 1')).toBe(
      "get_ipython().run_cell_magic('timeit', '', 'x = 1\\n')\n"
    );
    expect(transformIPython('x = !ls')).toBe(
      "x = get_ipython().getoutput('ls')\n"
    );
    expect(transformIPython('if x:\n    !ls')).toBe(
      "if x:\n    get_ipython().system('ls')\n"
    );
    expect(transformIPython('print("!x")  # !no')).toBe('print("!x")  # !no\n');
  });

  it('reports an inconsistent dedent as IPython does', () => {
    expect(() => transformIPython('if x:\n    a\n  b\n')).toThrow(
      IPythonTransformError
    );
  });

  it('tells plain Python from IPython syntax', () => {
    expect(hasIPythonSyntax('x = 1\nprint(x)')).toBe(false);
    expect(hasIPythonSyntax('x = 1\n!ls')).toBe(true);
  });

  it.skipIf(ipythonMissing !== null)(
    `matches IPython 8's transform_cell on ${CORPUS.length} tricky inputs${ipythonMissing ? ` (skipped: ${ipythonMissing})` : ''}`,
    () => {
      const expected = ipythonTransform(CORPUS);
      const mismatches = CORPUS.map((cell, i) => ({
        cell,
        ipython: expected[i],
        ours: ours(cell)
      })).filter(r => JSON.stringify(r.ipython) !== JSON.stringify(r.ours));
      expect(mismatches).toEqual([]);
    }
  );

  it.skipIf(ipythonMissing !== null)(
    'matches IPython 8 on 3,000 generated combinations of IPython syntax and odd characters',
    () => {
      const piece = fc.oneof(
        fc.constantFrom(
          '%time x',
          '%%timeit -n1\n',
          '!ls -l',
          '!!pwd',
          'x = !ls',
          'y = %who_ls',
          'obj?',
          'a.b??',
          'print("!x?")',
          "'%s' % x",
          '# !comment',
          'if x:',
          'else:',
          'def f():',
          '%',
          '%%',
          '!',
          '!!',
          '?',
          '??',
          '=',
          ' = ',
          ',',
          ';',
          '/',
          '(',
          ')',
          '[',
          ']',
          '{',
          '}',
          '\\\n',
          '\n',
          '\r',
          '\r\n',
          '\t',
          '\f',
          '\u000b',
          ' ',
          '    ',
          '#',
          "'",
          '"',
          '"""',
          "'''",
          'r"',
          'f"',
          "b'",
          'x',
          'ls',
          '*',
          '1',
          '1.5e3',
          '0x1f',
          'é',
          '😀',
          '\u0301',
          '\u2028',
          '\u00a0',
          '>>> ',
          '... ',
          'In [1]: ',
          '   ...: ',
          'lambda',
          ':',
          '.',
          '$',
          '`',
          '@',
          '->',
          '//=',
          '**',
          '\u0000',
          '\u0085',
          '٣',
          '²'
        ),
        fc.string({ maxLength: 3 })
      );
      const cells = fc.sample(
        fc.array(piece, { minLength: 1, maxLength: 12 }).map(p => p.join('')),
        { numRuns: 3000, seed: 20240501 }
      );
      const expected = ipythonTransform(cells);
      const mismatches = cells
        .map((cell, i) => ({ cell, ipython: expected[i], ours: ours(cell) }))
        .filter(r => JSON.stringify(r.ipython) !== JSON.stringify(r.ours));
      expect(mismatches.slice(0, 5)).toEqual([]);
    }
  );
});

import { describe, expect, it } from 'vitest';

import { raisingCellLine } from '../../../src/core/history/traceback';

const RULE =
  '\u001b[0;31m---------------------------------------------------------------------------\u001b[0m';

describe('raisingCellLine', () => {
  it('reads the cell frame of IPython 8.5+ tracebacks, colours and all', () => {
    // As ipykernel 6.17 with IPython 8.5 sends it for a failing second line.
    const tb = [
      RULE,
      '\u001b[0;31mModuleNotFoundError\u001b[0m                       Traceback (most recent call last)',
      'Cell \u001b[0;32mIn [4], line 2\u001b[0m\n\u001b[1;32m      1\u001b[0m \u001b[38;5;28;01mimport\u001b[39;00m \u001b[38;5;21;01mnumpy\u001b[39;00m\n\u001b[0;32m----> 2\u001b[0m \u001b[38;5;28;01mfrom\u001b[39;00m \u001b[38;5;21;01mmissing_module\u001b[39;00m \u001b[38;5;28;01mimport\u001b[39;00m data\n',
      "\u001b[0;31mModuleNotFoundError\u001b[0m: No module named 'missing_module'"
    ];
    expect(raisingCellLine(tb)).toBe(2);
    expect(
      raisingCellLine([
        RULE,
        'E  Traceback (most recent call last)',
        'Cell In[12], line 7\n----> 7 f()'
      ])
    ).toBe(7);
  });

  it('takes the cell frame, not the frame of a function the cell called', () => {
    const tb = [
      RULE,
      'ZeroDivisionError                         Traceback (most recent call last)',
      'Cell In [1], line 7\n      5 def f():\n      6     return 1/0\n----> 7 f()\n',
      'Cell In [1], line 6, in f()\n      5 def f():\n----> 6     return 1/0\n',
      'ZeroDivisionError: division by zero'
    ];
    expect(raisingCellLine(tb)).toBe(7);
  });

  it('reads IPython 8.0-8.4 and 7.x frames', () => {
    expect(
      raisingCellLine([
        RULE,
        'NameError   Traceback (most recent call last)',
        'Input In [3], in <cell line: 3>()\n      1 a = 1\n----> 3 b\n',
        "NameError: name 'b' is not defined"
      ])
    ).toBe(3);
    expect(
      raisingCellLine([
        RULE,
        'NameError   Traceback (most recent call last)',
        '<ipython-input-2-9b5b2a1e3f2c> in <module>\n      1 a = 1\n----> 2 b\n',
        "NameError: name 'b' is not defined"
      ])
    ).toBe(2);
  });

  it('says nothing when the cell did not run or has no frame of its own', () => {
    // A syntax error: the cell never ran (no "Traceback" header).
    expect(
      raisingCellLine([
        '  Cell In [3], line 1\n    x = (\n         ^\nSyntaxError: incomplete input\n'
      ])
    ).toBeNull();
    // Raised inside a magic: the first frame is not the cell.
    expect(
      raisingCellLine([
        RULE,
        'ZeroDivisionError   Traceback (most recent call last)',
        'File <timed eval>:1\n',
        'ZeroDivisionError: division by zero'
      ])
    ).toBeNull();
    expect(raisingCellLine(undefined)).toBeNull();
    expect(raisingCellLine([])).toBeNull();
  });
});

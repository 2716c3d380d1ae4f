import { describe, expect, it } from 'vitest';
import {
  csvField,
  runsToCSV,
  runsToJSON
} from '../../../src/core/report/runsexport';
import { metric, summary } from '../query/fixtures';

const XSS = '<img src=x onerror=alert(1)>';

const rows = [
  summary({
    id: 'r1',
    name: 'a, "quoted"\nname',
    tags: ['baseline', 'x'],
    params: { lr: 0.001, cmd: '=HYPERLINK("http://evil")' },
    metrics: { val_acc: metric(0.9123456, { max: 0.95 }) }
  }),
  summary({
    id: 'r2',
    name: XSS,
    params: { lr: -0.5, cmd: '@SUM(A1)' },
    metrics: {}
  })
];
const columns = [
  'name',
  'tags',
  'params.lr',
  'params.cmd',
  'metrics.val_acc',
  'metrics.val_acc.max'
];

describe('CSV export', () => {
  it('quotes as RFC 4180 says and ends lines with CRLF', () => {
    expect(runsToCSV(rows, columns)).toBe(
      'id,name,tags,params.lr,params.cmd,metrics.val_acc,metrics.val_acc.max\r\n' +
        'r1,"a, ""quoted""\nname","baseline, x",0.001,"\'=HYPERLINK(""http://evil"")",0.9123456,0.95\r\n' +
        `r2,${XSS},,-0.5,'@SUM(A1),,\r\n`
    );
  });

  it('defuses formulas in text but not negative numbers', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@x')).toBe("'@x");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('\rx')).toBe('"\'\rx"');
    expect(csvField(-1)).toBe('-1');
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField(undefined)).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(true)).toBe('true');
  });

  it('writes a header alone for no rows; an invalid column reads empty', () => {
    expect(runsToCSV([], ['name'])).toBe('id,name\r\n');
    expect(runsToCSV([rows[1]], ['parms.lr'])).toBe('id,parms.lr\r\nr2,\r\n');
  });
});

describe('JSON export', () => {
  it('keeps values with their types, null when missing', () => {
    expect(JSON.parse(runsToJSON(rows, columns))).toEqual([
      {
        id: 'r1',
        name: 'a, "quoted"\nname',
        tags: ['baseline', 'x'],
        'params.lr': 0.001,
        'params.cmd': '=HYPERLINK("http://evil")',
        'metrics.val_acc': 0.9123456,
        'metrics.val_acc.max': 0.95
      },
      {
        id: 'r2',
        name: XSS,
        tags: [],
        'params.lr': -0.5,
        'params.cmd': '@SUM(A1)',
        'metrics.val_acc': null,
        'metrics.val_acc.max': null
      }
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  Stamper,
  formatIndexFile,
  indexFileKind,
  parseIndexFile
} from '../../../src/core/index/indexfile';
import { StoreDamagedError } from '../../../src/core/store/fs';

describe('index files', () => {
  it('stamps grow for one writer even when its clock steps back, and sort by time', () => {
    let t = 2_000;
    const stamper = new Stamper('abcd1234', () => t);
    const first = stamper.next();
    t = 1_000; // the clock was set back
    const second = stamper.next();
    expect(second > first).toBe(true);
    const later = new Stamper('aaaa0000', () => 3_000).next();
    expect(later > second).toBe(true);
    expect(first).toBe('0000000002000000-abcd1234');
  });

  it('tells bases and chunks apart and ignores other files', () => {
    expect(indexFileKind('base-1767225600000000-abcd1234.json')).toBe('base');
    expect(indexFileKind('1767225600000000-abcd1234.json')).toBe('chunk');
    expect(indexFileKind('notes.txt')).toBeNull();
    expect(indexFileKind('1767225600000000-abcd1234.json.tmp')).toBeNull();
  });

  it('reads back what it writes', () => {
    const entries = [
      {
        id: '20260101T000000000Z-abcdef',
        stamp: '1767225600000000-abcd1234',
        metrics: { loss: { last: null, min: 1, max: 2, step: 3, count: 4 } },
        metricsDamaged: null
      },
      {
        id: '20260101T000000000Z-zzzzzz',
        stamp: '1767225600000001-abcd1234',
        deleted: true as const
      }
    ];
    expect(
      parseIndexFile('index/x.json', formatIndexFile('abcd1234', entries))
    ).toEqual({ writer: 'abcd1234', entries });
  });

  it('refuses malformed entries with a message naming the entry and the problem', () => {
    const bad = (entry: unknown) => () =>
      parseIndexFile(
        'index/x.json',
        JSON.stringify({
          format: 'labbook-index',
          version: 1,
          writer: 'w',
          entries: [entry]
        })
      );
    const stamp = '1767225600000000-abcd1234';
    expect(bad({ stamp })).toThrow(StoreDamagedError);
    expect(bad({ id: 'x', stamp })).not.toThrow();
    expect(bad({ id: 'x', stamp: 'yesterday' })).toThrow(
      /entry 0: no valid stamp/
    );
    expect(
      bad({ id: 'x', stamp, metrics: { loss: { last: 'NaN', count: 1 } } })
    ).toThrow(/metric "loss" is not a summary/);
    expect(bad({ id: 'x', stamp, summary: { name: 3 } })).toThrow(
      /summary\.name is not text/
    );
    expect(() => parseIndexFile('index/x.json', '[]')).toThrow(
      /not a JSON object/
    );
  });
});

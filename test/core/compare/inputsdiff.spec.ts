import { describe, expect, it } from 'vitest';
import { diffInputs } from '../../../src/core/compare/inputsdiff';
import type { IDataInput } from '../../../src/core/model';

const file = (
  name: string,
  path: string,
  hash: string | null,
  size: number | null = 1000
): IDataInput => ({
  name,
  path,
  size,
  mtime: '2026-03-01T09:00:00.000Z',
  hash: hash && `sha256:${hash.repeat(64)}`
});

describe('diffInputs', () => {
  it('trusts hashes only: same, changed, unverified, added, removed', () => {
    const a = [
      file('train', 'data/train.csv', 'a'),
      file('val', 'data/val.csv', 'b'),
      file('big', 'data/big.parquet', null, 5e9),
      file('remote', 's3://bucket/x', null, null),
      file('old', 'old.csv', 'c'),
      file('labels', 'labels.csv', null, 10)
    ];
    const b = [
      file('train', '/mnt/copy/train.csv', 'a'), // same content, moved
      file('val', 'data/val.csv', 'd'),
      file('big', 'data/big.parquet', null, 5e9),
      file('remote', 's3://bucket/x', null, null),
      file('new', 'new.csv', 'e'),
      file('labels', 'labels.csv', null, 11)
    ];
    const rows = diffInputs(a, b);
    expect(rows.map(r => [r.name, r.kind, r.pathChanged])).toEqual([
      ['big', 'unverified', false],
      ['labels', 'changed', false],
      ['new', 'added', false],
      ['old', 'removed', false],
      ['remote', 'unverified', false],
      ['train', 'same', true],
      ['val', 'changed', false]
    ]);
  });

  it('compares the last input logged under a name', () => {
    const a = [file('train', 't.csv', 'a'), file('train', 't.csv', 'b')];
    const b = [file('train', 't.csv', 'b')];
    expect(diffInputs(a, b)[0].kind).toBe('same');
    expect(diffInputs([], [])).toEqual([]);
  });
});

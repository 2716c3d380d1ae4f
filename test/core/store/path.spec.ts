import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StorePathError } from '../../../src/core/store/fs';
import {
  decodeName,
  encodeName,
  storePath
} from '../../../src/core/store/path';

describe('storePath', () => {
  it('joins valid relative segments', () => {
    expect(storePath('experiments', 'abc', 'history/1.json')).toBe(
      'experiments/abc/history/1.json'
    );
  });

  it.each([
    ['..', 'leave'],
    ['a/../../etc/passwd', 'leave'],
    ['/etc/passwd', 'absolute'],
    ['C:/x', 'absolute'],
    ['a\\b', 'backslash'],
    ['a//b', 'empty'],
    ['./a', 'empty'],
    ['a/\u0000b', 'control'],
    ['', 'empty']
  ])('refuses %j', (path, why) => {
    expect(() => storePath(path)).toThrow(StorePathError);
    expect(() => storePath(path)).toThrow(new RegExp(why));
  });
});

describe('encodeName', () => {
  it('round-trips any string into one safe segment', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), name => {
        const seg = encodeName(name);
        expect(seg).toMatch(/^[A-Za-z0-9_~-]+$/);
        expect(() => storePath(seg)).not.toThrow();
        expect(decodeName(seg)).toBe(name);
      })
    );
  });

  it('keeps readable names readable and defuses odd ones', () => {
    expect(encodeName('train_loss')).toBe('train_loss');
    expect(encodeName('../x')).toBe('~2e~2e~2fx');
    expect(encodeName('<img src=x onerror=alert(1)>')).not.toMatch(/[<>/ ]/);
  });
});

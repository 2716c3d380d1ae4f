import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '../../src/core/base64';

/** Bytes 0..n-1 in a pattern that uses every byte value. */
function bytesOf(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 255);
}

describe('base64', () => {
  it('encodes as Node does, for every length remainder', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255, 256, 257, 100_000]) {
      const bytes = bytesOf(n);
      expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('decodes what it encodes, with or without padding', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 1000, 70_001]) {
      const bytes = bytesOf(n);
      const text = Buffer.from(bytes).toString('base64');
      expect(base64ToBytes(text)).toEqual(bytes);
      expect(base64ToBytes(text.replace(/=+$/, ''))).toEqual(bytes);
    }
  });

  it('encodes a view of a larger buffer by its own bytes', () => {
    const whole = bytesOf(64);
    const view = whole.subarray(5, 20);
    expect(base64ToBytes(bytesToBase64(view))).toEqual(Uint8Array.from(view));
  });

  it('refuses text that is not base64', () => {
    for (const bad of ['ab!d', 'abcde', 'ab=c', 'abc===', 'ŁŁŁŁ', 'ab\ncd']) {
      expect(() => base64ToBytes(bad)).toThrow('not base64 text');
    }
  });
});

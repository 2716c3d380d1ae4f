/**
 * Bytes to and from base64, as the store's binary fields (metric points,
 * overview buckets, image parts) are written. Uses the engine's own
 * `Uint8Array.fromBase64` / `toBase64` where there is one (Chromium 140
 * and later), otherwise a lookup table: `atob` then a `charCodeAt` loop
 * builds a binary string as long as the data and walks it again, which
 * was most of the time spent reading metric overviews.
 */

const ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Code unit to 6-bit value; 255 for anything else. */
const DECODE = (() => {
  const table = new Uint8Array(256).fill(255);
  for (let i = 0; i < ALPHABET.length; i++) {
    table[ALPHABET.charCodeAt(i)] = i;
  }
  return table;
})();

/** Each 12-bit value as the two characters that encode it. */
const ENCODE_PAIRS = (() => {
  const pairs: string[] = [];
  for (let i = 0; i < 4096; i++) {
    pairs.push(ALPHABET[i >> 6] + ALPHABET[i & 63]);
  }
  return pairs;
})();

interface INativeBase64 {
  fromBase64?: (text: string) => Uint8Array;
}

const native = Uint8Array as unknown as INativeBase64;
const nativeEncode = (
  Uint8Array.prototype as unknown as { toBase64?: () => string }
).toBase64;

/**
 * Decode standard base64 (padding optional, no whitespace). Throws on any
 * other character or a length no base64 text can have.
 */
export function base64ToBytes(text: string): Uint8Array {
  if (native.fromBase64) {
    try {
      return native.fromBase64(text);
    } catch {
      throw new Error('not base64 text');
    }
  }
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) {
    end--;
  }
  if (text.length - end > 2 || end % 4 === 1) {
    throw new Error('not base64 text');
  }
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 4 <= end; i += 4) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) > 255) {
      throw new Error('not base64 text');
    }
    const a = DECODE[c0];
    const b = DECODE[c1];
    const c = DECODE[c2];
    const d = DECODE[c3];
    if ((a | b | c | d) === 255) {
      throw new Error('not base64 text');
    }
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (i < end) {
    let n = 0;
    const rest = end - i;
    for (let k = 0; k < 4; k++) {
      const code = k < rest ? text.charCodeAt(i + k) : 65; /* A = 0 */
      const v = code > 255 ? 255 : DECODE[code];
      if (v === 255) {
        throw new Error('not base64 text');
      }
      n = (n << 6) | v;
    }
    out[o++] = n >> 16;
    if (rest === 3) {
      out[o++] = (n >> 8) & 255;
    }
  }
  return out;
}

/** Encode bytes as standard base64 with padding. */
export function bytesToBase64(bytes: Uint8Array): string {
  if (nativeEncode) {
    return nativeEncode.call(bytes);
  }
  const parts: string[] = [];
  const whole = bytes.length - (bytes.length % 3);
  let chunk = '';
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    chunk += ENCODE_PAIRS[n >> 12] + ENCODE_PAIRS[n & 4095];
    if (chunk.length >= 0x10000) {
      parts.push(chunk);
      chunk = '';
    }
  }
  const rest = bytes.length - whole;
  if (rest === 1) {
    const n = bytes[whole] << 16;
    chunk += ENCODE_PAIRS[n >> 12] + '==';
  } else if (rest === 2) {
    const n = (bytes[whole] << 16) | (bytes[whole + 1] << 8);
    chunk += ENCODE_PAIRS[n >> 12] + ALPHABET[(n >> 6) & 63] + '=';
  }
  parts.push(chunk);
  return parts.join('');
}

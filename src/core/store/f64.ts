/**
 * Numbers as the store writes them: Float64 arrays as little-endian bytes
 * in base64 (NaN and infinities kept, no decimal parsing on read), and
 * single numbers in JSON with non-finite ones as strings.
 */
import { base64ToBytes, bytesToBase64 } from '../base64';

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** Numbers as little-endian Float64s in base64. */
export function encodeF64(values: ArrayLike<number>): string {
  if (LITTLE_ENDIAN) {
    const array =
      values instanceof Float64Array ? values : Float64Array.from(values);
    return bytesToBase64(
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
    );
  }
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    view.setFloat64(i * 8, values[i], true);
  }
  return bytesToBase64(bytes);
}

/** `encodeF64`'s text back to numbers; throws when it is not that. */
export function decodeF64(text: unknown): Float64Array {
  if (typeof text !== 'string') {
    throw new Error('not base64 text');
  }
  const bytes = base64ToBytes(text);
  if (bytes.length % 8 !== 0) {
    throw new Error('not a whole number of Float64s');
  }
  if (LITTLE_ENDIAN) {
    // Its own buffer, aligned: a Float64Array can view it.
    return new Float64Array(
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? bytes.buffer
        : bytes.slice().buffer
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i++) {
    out[i] = view.getFloat64(i * 8, true);
  }
  return out;
}

/** A number in JSON, non-finite ones as the strings "NaN", "Infinity", "-Infinity". */
export function jsonNumber(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

/** `jsonNumber`'s value back; throws for anything else. */
export function readNumber(v: unknown): number {
  if (typeof v === 'number') {
    return v;
  }
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') {
    return Number(v);
  }
  throw new Error('not a number');
}

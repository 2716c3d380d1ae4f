/**
 * Canonical JSON (object keys sorted, no spaces) and its SHA-256: the
 * identity of content-addressed objects such as snapshot cells.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export function canonicalJSON(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) {
    return (
      '[' +
      value.map(v => canonicalJSON(v === undefined ? null : v)).join(',') +
      ']'
    );
  }
  const keys = Object.keys(value as object)
    .filter(k => (value as any)[k] !== undefined)
    .sort();
  return (
    '{' +
    keys
      .map(k => JSON.stringify(k) + ':' + canonicalJSON((value as any)[k]))
      .join(',') +
    '}'
  );
}

/** Hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(new TextEncoder().encode(text)));
}

/**
 * Store paths: relative, `/`-separated, never leaving the store. Every path
 * handed to an `IStoreFS` goes through `storePath()`; user-supplied names
 * become single segments through `encodeName()`.
 */
import { StorePathError } from './fs';

/** Join and validate segments into a store path. Throws `StorePathError`. */
export function storePath(...segments: string[]): string {
  const joined = segments.join('/');
  if (joined.length === 0) {
    throw new StorePathError(joined, 'empty path');
  }
  if (joined.startsWith('/') || /^[A-Za-z]:/.test(joined)) {
    throw new StorePathError(joined, 'absolute paths are not allowed');
  }
  if (joined.includes('\\')) {
    throw new StorePathError(joined, 'backslashes are not allowed');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(joined)) {
    throw new StorePathError(joined, 'control characters are not allowed');
  }
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') {
      throw new StorePathError(joined, 'empty or "." segment');
    }
    if (part === '..') {
      throw new StorePathError(joined, '".." would leave the store');
    }
  }
  return joined;
}

/** Whether `path` is a valid store path. */
export function isStorePath(path: string): boolean {
  try {
    storePath(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A reversible, file-system-safe single segment for any name: letters,
 * digits, `-` and `_` stay; every other UTF-8 byte becomes `~XX` (hex).
 * Never empty, never `.`/`..`, at most ~200 characters for usual names.
 */
export function encodeName(name: string): string {
  if (name === '') {
    return '~';
  }
  const bytes = new TextEncoder().encode(name);
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9_-]/.test(c) ? c : '~' + b.toString(16).padStart(2, '0');
  }
  return out;
}

/** Inverse of `encodeName`. Throws on text it did not produce. */
export function decodeName(segment: string): string {
  if (segment === '~') {
    return '';
  }
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '~') {
      const hex = segment.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/.test(hex)) {
        throw new StorePathError(segment, 'not an encoded name');
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(c.charCodeAt(0));
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

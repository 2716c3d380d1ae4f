/**
 * Key-by-key changes of JSON objects (metadata, cell and output fields):
 * computed, and applied back.
 */

import { deepCopy, deepEqual, JSONValue, setKey } from './json';
import { IKeyChange } from './result';

type JSONRecord = Record<string, JSONValue | undefined>;

/** Top-level keys of two objects that differ, for the keys `compared` accepts. */
export function keyChanges(
  a: JSONRecord,
  b: JSONRecord,
  compared: (key: string) => boolean = () => true
): IKeyChange[] {
  const out: IKeyChange[] = [];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const key of keys) {
    if (!compared(key)) {
      continue;
    }
    const has = (o: JSONRecord) =>
      Object.prototype.hasOwnProperty.call(o, key) && o[key] !== undefined;
    const va = has(a) ? a[key] : undefined;
    const vb = has(b) ? b[key] : undefined;
    if (va === undefined && vb === undefined) {
      continue;
    }
    if (va === undefined) {
      out.push({ key, kind: 'added', b: deepCopy(vb!) });
    } else if (vb === undefined) {
      out.push({ key, kind: 'removed', a: deepCopy(va) });
    } else if (!deepEqual(va, vb)) {
      out.push({ key, kind: 'changed', a: deepCopy(va), b: deepCopy(vb) });
    }
  }
  return out;
}

/**
 * Apply key changes to a copy of `obj`; keys keep their order, added keys
 * come last.
 */
export function applyKeyChanges<T extends object>(
  obj: T,
  changes: readonly IKeyChange[] | undefined
): T {
  const out = deepCopy(obj) as Record<string, unknown>;
  for (const c of changes ?? []) {
    if (c.kind === 'removed') {
      delete out[c.key];
    } else {
      setKey(out, c.key, deepCopy(c.b));
    }
  }
  return out as T;
}

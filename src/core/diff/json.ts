/**
 * Plain JSON values and the few operations the notebook diff needs on them:
 * a key-order-independent canonical string, deep equality and deep copy.
 */

/** Any JSON value. */
export type JSONValue =
  string | number | boolean | null | JSONValue[] | { [key: string]: JSONValue };

/** A JSON object. */
export interface IJSONObject {
  [key: string]: JSONValue;
}

/** Whether a value is a JSON object (not null, not an array). */
export function isObject(value: unknown): value is IJSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A string that is equal for two values exactly when they are deeply equal,
 * whatever the order of their object keys.
 */
export function canonical(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  if (typeof value !== 'object' || value === null) {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      out += (i ? ',' : '') + canonical(value[i]);
    }
    return out + ']';
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter(k => obj[k] !== undefined)
    .sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    out +=
      (i ? ',' : '') + JSON.stringify(keys[i]) + ':' + canonical(obj[keys[i]]);
  }
  return out + '}';
}

/** Deep equality of two JSON values (object key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null
  ) {
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    return false;
  }
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) {
      return false;
    }
    for (let i = 0; i < a.length; i++) {
      if (!deepEqual(a[i], bb[i])) {
        return false;
      }
    }
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter(k => ao[k] !== undefined);
  const bk = Object.keys(bo).filter(k => bo[k] !== undefined);
  if (ak.length !== bk.length) {
    return false;
  }
  for (const k of ak) {
    if (
      !Object.prototype.hasOwnProperty.call(bo, k) ||
      !deepEqual(ao[k], bo[k])
    ) {
      return false;
    }
  }
  return true;
}

/** A deep copy of a JSON value. */
export function deepCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(deepCopy) as unknown as T;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    setKey(out, k, deepCopy(v));
  }
  return out as T;
}

/**
 * Set an own property, also for the key `__proto__` (which plain assignment
 * would turn into a prototype change): JSON keys are data.
 */
export function setKey(
  obj: Record<string, unknown>,
  key: string,
  value: unknown
): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true
    });
  } else {
    obj[key] = value;
  }
}

/**
 * A parameter value as compare sees it: its display string and its
 * equality with another value.
 *
 * Values are JSON (`ParamValue`) or, when a `parameters` cell held code
 * rather than a literal, its source (`IParamSource`). Both functions take
 * anything without throwing: very deep or very large values, cycles,
 * lone surrogates and markup are all just data here. Nothing is escaped:
 * views put the string in `textContent`.
 */
import type { IParamSource, ParamValue } from '../model';

/** What a compare cell may hold: a value, its source, or nothing. */
export type ParamCellValue = ParamValue | IParamSource;

/** Options of `displayParam`. */
export interface IDisplayOptions {
  /** Longest string returned, in UTF-16 units; longer ends with `…`. Default 2,000. */
  maxLength?: number;
}

/** Deepest nesting written out; deeper levels show as `…`. */
const MAX_DEPTH = 64;

/** Objects compared before `paramEquals` starts watching for cycles. */
const CYCLE_CHECK_AFTER = 10_000;

/**
 * Whether a value is a parameter kept as its source text. A logged dict
 * whose only key is a string `source` reads the same: the stored form
 * cannot tell them apart.
 */
export function isParamSource(value: unknown): value is IParamSource {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const keys = Object.keys(value);
  return (
    keys.length === 1 &&
    keys[0] === 'source' &&
    typeof (value as IParamSource).source === 'string'
  );
}

/**
 * A stable, one-string form of a parameter value: strings as they are,
 * a source as its source text, numbers, booleans and null as in JSON,
 * lists and objects as compact JSON with object keys sorted (two equal
 * objects logged with their keys in another order read the same). `''`
 * for a missing value. Never throws.
 */
export function displayParam(
  value: ParamCellValue | undefined,
  options: IDisplayOptions = {}
): string {
  const max = Math.max(1, options.maxLength ?? 2000);
  let text: string;
  if (value === undefined) {
    return '';
  } else if (typeof value === 'string') {
    text = value;
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    text = String(value);
  } else if (value === null) {
    text = 'null';
  } else if (isParamSource(value)) {
    text = value.source;
  } else {
    const out = new Private.Budget(max);
    Private.write(value, 0, out);
    text = out.text;
  }
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/**
 * Deep equality of two JSON values: numbers by value (`1` and `1.0` are
 * the same number once parsed), objects by keys in any order, lists in
 * order. A source equals only the same source. Cycles and any depth are
 * handled without recursion.
 */
export function paramEquals(
  a: ParamCellValue | undefined,
  b: ParamCellValue | undefined
): boolean {
  if (a === b) {
    return true;
  }
  const stack: [unknown, unknown][] = [[a, b]];
  // Pairs of objects met, kept only past CYCLE_CHECK_AFTER objects: JSON
  // values have no cycles, so the common case pays nothing for them.
  let seen: Map<object, Set<object>> | null = null;
  let visited = 0;
  while (stack.length) {
    const [x, y] = stack.pop()!;
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) {
      continue;
    }
    if (
      x === null ||
      y === null ||
      typeof x !== 'object' ||
      typeof y !== 'object' ||
      Array.isArray(x) !== Array.isArray(y)
    ) {
      return false;
    }
    if (++visited > CYCLE_CHECK_AFTER) {
      // A pair already being compared is assumed equal (cycles).
      seen ??= new Map();
      let pairs = seen.get(x);
      if (pairs?.has(y)) {
        continue;
      }
      if (!pairs) {
        pairs = new Set();
        seen.set(x, pairs);
      }
      pairs.add(y);
    }
    if (Array.isArray(x)) {
      const ys = y as unknown[];
      if (x.length !== ys.length) {
        return false;
      }
      for (let i = 0; i < x.length; i++) {
        stack.push([x[i], ys[i]]);
      }
      continue;
    }
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    const xk = Object.keys(xo).filter(k => xo[k] !== undefined);
    const yk = Object.keys(yo).filter(k => yo[k] !== undefined);
    if (xk.length !== yk.length) {
      return false;
    }
    for (const k of xk) {
      if (!Object.prototype.hasOwnProperty.call(yo, k)) {
        return false;
      }
      stack.push([xo[k], yo[k]]);
    }
  }
  return true;
}

namespace Private {
  /** Text built up to a length, after which writing stops early. */
  export class Budget {
    constructor(readonly max: number) {}
    get full(): boolean {
      return this.text.length > this.max;
    }
    add(s: string): void {
      this.text += s;
    }
    text = '';
  }

  /** Compact JSON of `v` with sorted keys, cut at depth and length. */
  export function write(v: unknown, depth: number, out: Budget): void {
    if (out.full) {
      return;
    }
    if (v === null || v === undefined) {
      out.add('null');
    } else if (typeof v === 'number') {
      out.add(String(v));
    } else if (typeof v === 'string') {
      out.add(JSON.stringify(v));
    } else if (typeof v === 'boolean') {
      out.add(v ? 'true' : 'false');
    } else if (typeof v !== 'object') {
      out.add(String(v));
    } else if (depth >= MAX_DEPTH) {
      out.add('…');
    } else if (Array.isArray(v)) {
      out.add('[');
      for (let i = 0; i < v.length && !out.full; i++) {
        if (i) {
          out.add(',');
        }
        write(v[i], depth + 1, out);
      }
      out.add(']');
    } else {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      out.add('{');
      let first = true;
      for (let i = 0; i < keys.length && !out.full; i++) {
        const x = o[keys[i]];
        if (x !== undefined) {
          out.add((first ? '' : ',') + JSON.stringify(keys[i]) + ':');
          write(x, depth + 1, out);
          first = false;
        }
      }
      out.add('}');
    }
  }
}

/**
 * Columns and ordering for the runs table and compare: read any query
 * field of a summary by its key (`metrics.val_acc`, `params.lr`, `started`,
 * `metrics."odd name".max`), sort by it, take the top N. Keys use the query
 * language's field syntax; an invalid key never throws.
 */
import type { IExperimentSummary } from '../index/summary';
import type { FieldRef, IQueryError } from './ast';
import { fieldKind } from './fields';
import { parseField } from './parser';
import { readList, scalarReader, type FieldValue } from './values';

export type { FieldValue } from './values';

export type FieldReader = (s: IExperimentSummary) => FieldValue;

export type FieldReaderResult =
  | { ok: true; read: FieldReader; field: FieldRef }
  | { ok: false; error: IQueryError };

/**
 * A reader for the field `key`, parsed once: what a table column keeps.
 * Values: strings, numbers (durations in ms), booleans; dates as their ISO
 * text; `tags` as a list; a param as its value (an unreadable one as its
 * source text, a list or object as JSON); a metric aggregate as a number,
 * null when the metric has no finite value. `undefined` when missing.
 */
export function fieldReader(key: string): FieldReaderResult {
  const parsed = parseField(key);
  if (!parsed.ok) {
    return parsed;
  }
  const field = parsed.field;
  return { ok: true, field, read: reader(field) };
}

/**
 * What a column shows: the value a query compares, except that tags stay
 * a list and dates stay their ISO text.
 */
function reader(field: FieldRef): FieldReader {
  if (field.kind === 'simple' && field.name === 'tags') {
    return s => readList(s, 'tags');
  }
  if (field.kind === 'simple' && fieldKind(field) === 'date') {
    const name = field.name;
    return s => {
      const v = s[name];
      return typeof v === 'string' || v === null ? v : undefined;
    };
  }
  return scalarReader(field);
}

const readers = new Map<string, FieldReaderResult>();

function cachedReader(key: string): FieldReaderResult {
  let r = readers.get(key);
  if (!r) {
    r = fieldReader(key);
    if (readers.size > 500) {
      readers.clear();
    }
    readers.set(key, r);
  }
  return r;
}

/** The value of field `key` of `s`; undefined when missing or the key is invalid. */
export function fieldValue(s: IExperimentSummary, key: string): FieldValue {
  const r = cachedReader(key);
  return r.ok ? r.read(s) : undefined;
}

const collator = new Intl.Collator(undefined, { numeric: true });

/** What a value sorts by: numbers first, then text, then booleans. */
export type SortKey =
  | { rank: 0; n: number }
  | { rank: 1; t: string }
  | { rank: 2; n: number }
  | null;

/** What `v` sorts by; null for a missing value (sorted last). */
export function sortKeyOf(v: FieldValue, isDate: boolean): SortKey {
  if (typeof v === 'number') {
    return Number.isNaN(v) ? null : { rank: 0, n: v };
  }
  if (typeof v === 'boolean') {
    return { rank: 2, n: v ? 1 : 0 };
  }
  if (typeof v === 'string') {
    if (isDate) {
      const t = Date.parse(v);
      return Number.isNaN(t) ? null : { rank: 0, n: t };
    }
    return { rank: 1, t: v };
  }
  if (Array.isArray(v)) {
    return v.length ? { rank: 1, t: v.join(', ') } : null;
  }
  return null;
}

/** Ascending order of two present sort keys. */
export function compareSortKeys(
  a: Exclude<SortKey, null>,
  b: Exclude<SortKey, null>
): number {
  if (a.rank !== b.rank) {
    return a.rank - b.rank;
  }
  return a.rank === 1
    ? collator.compare(a.t, (b as { t: string }).t)
    : a.n - (b as { n: number }).n;
}

/**
 * `summaries` sorted by field `key` (a new array; ties keep their order).
 * Missing and null values go last in both directions; numbers compare
 * numerically, dates by time, text naturally ("run 2" before "run 10"),
 * false before true. An invalid key leaves the order as it was.
 */
export function sortSummaries(
  summaries: readonly IExperimentSummary[],
  key: string,
  descending = false
): IExperimentSummary[] {
  const r = cachedReader(key);
  if (!r.ok) {
    return [...summaries];
  }
  const isDate = fieldKind(r.field) === 'date';
  const keyed = summaries.map((s, i) => ({
    s,
    i,
    k: sortKeyOf(r.read(s), isDate)
  }));
  const sign = descending ? -1 : 1;
  keyed.sort((a, b) => {
    if (a.k === null || b.k === null) {
      return a.k === b.k ? a.i - b.i : a.k === null ? 1 : -1;
    }
    return sign * compareSortKeys(a.k, b.k) || a.i - b.i;
  });
  return keyed.map(x => x.s);
}

/**
 * The `n` summaries with the highest (or, with `descending` false, lowest)
 * value of `key`, leaving out those without one: "top 5 by
 * metrics.val_acc".
 */
export function topSummaries(
  summaries: readonly IExperimentSummary[],
  key: string,
  n: number,
  descending = true
): IExperimentSummary[] {
  const r = cachedReader(key);
  if (!r.ok) {
    return [];
  }
  const isDate = fieldKind(r.field) === 'date';
  return sortSummaries(
    summaries.filter(s => sortKeyOf(r.read(s), isDate) !== null),
    key,
    descending
  ).slice(0, Math.max(0, n));
}

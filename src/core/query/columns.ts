/**
 * Columns and groups for the runs table: the column keys a set of
 * summaries offers (every param and metric present, names quoted when they
 * are not plain words so the key parses back to the same field), and rows
 * grouped by one field's value. Keys use the query language's field syntax.
 */
import type { IExperimentSummary } from '../index/summary';
import { METRIC_AGGREGATES, SIMPLE_FIELD_NAMES, fieldKind } from './fields';
import { KEYWORDS } from './lexer';
import {
  compareSortKeys,
  fieldReader,
  sortKeyOf,
  type FieldValue
} from './sort';

const WORD = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;
const RESERVED = new Set<string>([
  ...KEYWORDS,
  ...METRIC_AGGREGATES,
  ...SIMPLE_FIELD_NAMES
]);

/** One name after `params.` or `metrics.`: as is when a plain word, else quoted. */
export function keySegment(name: string): string {
  return WORD.test(name) && !RESERVED.has(name.toLowerCase())
    ? name
    : JSON.stringify(name);
}

/** `params.lr`, `params."learning rate"`. */
export function paramKey(name: string): string {
  return `params.${keySegment(name)}`;
}

/** `metrics.loss`, `metrics."val/acc".max`. */
export function metricKey(name: string, aggregate?: 'min' | 'max'): string {
  return `metrics.${keySegment(name)}${aggregate ? `.${aggregate}` : ''}`;
}

/** The param and metric names present in `summaries`, each sorted. */
export function presentNames(summaries: readonly IExperimentSummary[]): {
  params: string[];
  metrics: string[];
} {
  const params = new Set<string>();
  const metrics = new Set<string>();
  for (const s of summaries) {
    if (s.params && typeof s.params === 'object') {
      for (const k of Object.keys(s.params)) {
        params.add(k);
      }
    }
    if (s.metrics && typeof s.metrics === 'object') {
      for (const k of Object.keys(s.metrics)) {
        metrics.add(k);
      }
    }
  }
  const collator = new Intl.Collator(undefined, { numeric: true });
  return {
    params: [...params].sort(collator.compare),
    metrics: [...metrics].sort(collator.compare)
  };
}

/** A group of rows sharing one value of the grouping field. */
export interface IRowGroup {
  /** The value as text; '' for rows without one. */
  label: string;
  /** Whether the rows have no value (missing, null or no tags). */
  missing: boolean;
  rows: IExperimentSummary[];
}

/**
 * `rows` grouped by field `key`, rows keeping their order within a group.
 * Groups are ordered by value (numbers, then text naturally, then
 * booleans), the group of rows without a value last. A list field (`tags`)
 * puts a row in the group of each of its values, so a row may be in
 * several groups; a list with no values counts as no value. An invalid key
 * gives one group of every row.
 */
export function groupSummaries(
  rows: readonly IExperimentSummary[],
  key: string
): IRowGroup[] {
  const r = fieldReader(key);
  if (!r.ok) {
    return [{ label: '', missing: true, rows: [...rows] }];
  }
  const isDate = fieldKind(r.field) === 'date';
  const groups = new Map<
    string,
    { value: FieldValue; rows: IExperimentSummary[] }
  >();
  const none: IExperimentSummary[] = [];
  const add = (value: string | number | boolean, s: IExperimentSummary) => {
    const id = `${typeof value}:${String(value)}`;
    let g = groups.get(id);
    if (!g) {
      g = { value, rows: [] };
      groups.set(id, g);
    }
    g.rows.push(s);
  };
  for (const s of rows) {
    const v = r.read(s);
    if (Array.isArray(v)) {
      const distinct = [...new Set(v as readonly string[])];
      if (distinct.length === 0) {
        none.push(s);
      }
      distinct.forEach(x => add(x, s));
    } else if (v === undefined || v === null || Number.isNaN(v)) {
      none.push(s);
    } else {
      add(v as string | number | boolean, s);
    }
  }
  const out: IRowGroup[] = [...groups.values()]
    .map(g => ({ g, k: sortKeyOf(g.value, isDate) }))
    .sort((a, b) => {
      if (a.k === null || b.k === null) {
        return a.k === b.k ? 0 : a.k === null ? 1 : -1;
      }
      return compareSortKeys(a.k, b.k);
    })
    .map(({ g }) => ({
      label: String(g.value),
      missing: false,
      rows: g.rows
    }));
  if (none.length) {
    out.push({ label: '', missing: true, rows: none });
  }
  return out;
}

/** At most this many param and this many metric columns by default. */
export const DEFAULT_COLUMN_LIMIT = 8;

/**
 * The columns a table of `rows` shows when the user has not chosen any
 * (issue 20): `base`, then the params whose value is not the same in every
 * row (a param some rows lack counts as varying; with one row, every param
 * it has), then every metric logged (its last value). Names in natural
 * order, at most `limit` params and `limit` metrics.
 */
export function defaultColumns(
  rows: readonly IExperimentSummary[],
  base: readonly string[],
  limit = DEFAULT_COLUMN_LIMIT
): string[] {
  const names = presentNames(rows);
  const varying =
    rows.length < 2
      ? names.params
      : names.params.filter(name => paramVaries(rows, name));
  return [
    ...base,
    ...varying.slice(0, limit).map(paramKey),
    ...names.metrics.slice(0, limit).map(m => metricKey(m))
  ];
}

/** Whether param `name` differs between two of `rows` (missing included). */
function paramVaries(
  rows: readonly IExperimentSummary[],
  name: string
): boolean {
  const first = valueKey(rows[0], name);
  for (let i = 1; i < rows.length; i++) {
    if (valueKey(rows[i], name) !== first) {
      return true;
    }
  }
  return false;
}

function valueKey(s: IExperimentSummary, name: string): string {
  const params = s.params;
  if (!params || typeof params !== 'object' || !(name in params)) {
    return '\u0000missing';
  }
  const v = params[name];
  return v !== null && typeof v === 'object'
    ? `o:${JSON.stringify(v)}`
    : `${typeof v}:${String(v)}`;
}

/**
 * Compiling a parsed query into a predicate over experiment summaries. The
 * tree is walked once, here: each node becomes a closure specialised for
 * its field, operator and value, so filtering 10,000 summaries runs no
 * string switches and parses no literals per row.
 *
 * Semantics (docs/query-language.md): a missing or null value makes every
 * comparison false, except `= null` (true) and `!= null` (false); a number
 * and a string that reads as a number compare as numbers; `tags` and
 * `project` match when any of their values does.
 */
import type { IExperimentSummary } from '../index/summary';
import type {
  ComparisonOperator,
  FieldRef,
  IQuery,
  IQueryError,
  Literal,
  QueryNode
} from './ast';
import { dateSpan, type DateZone } from './dates';
import { fieldKind } from './fields';
import { withCaseInsensitive } from './lexer';
import { parseQuery } from './parser';
import {
  numericText,
  paramScalar,
  readList,
  readMetric,
  readParam,
  readText,
  scalarReader,
  type Scalar
} from './values';

export type ExperimentPredicate = (s: IExperimentSummary) => boolean;

export interface ICompileOptions {
  /**
   * Where dates written without a zone (`2026-11-01`) are placed: the local
   * time zone of the browser (default, as the list shows times) or UTC.
   */
  zone?: DateZone;
}

/** A predicate for a parsed query; an empty query accepts everything. */
export function compileQuery(
  query: IQuery,
  options: ICompileOptions = {}
): ExperimentPredicate {
  if (!query.root) {
    return () => true;
  }
  return compileNode(query.root, options.zone ?? 'local');
}

export interface IFilterResult {
  /** The summaries the query accepts, in their order; empty when it has an error. */
  matches: IExperimentSummary[];
  error: IQueryError | null;
}

/** Parse, compile and apply `text` in one call. */
export function filterExperiments(
  summaries: readonly IExperimentSummary[],
  text: string,
  options: ICompileOptions = {}
): IFilterResult {
  const parsed = parseQuery(text);
  if (!parsed.ok) {
    return { matches: [], error: parsed.error };
  }
  const accept = compileQuery(parsed.query, options);
  return { matches: summaries.filter(s => accept(s)), error: null };
}

/** How a value compares with a literal: -1, 0, 1, or undefined when they cannot be compared. */
type Comparator = (v: Scalar) => number | undefined;
type TextTest = (text: string) => boolean;

function compileNode(n: QueryNode, zone: DateZone): ExperimentPredicate {
  switch (n.kind) {
    case 'and': {
      const a = compileNode(n.left, zone);
      const b = compileNode(n.right, zone);
      return s => a(s) && b(s);
    }
    case 'or': {
      const a = compileNode(n.left, zone);
      const b = compileNode(n.right, zone);
      return s => a(s) || b(s);
    }
    case 'not': {
      const a = compileNode(n.operand, zone);
      return s => !a(s);
    }
    case 'truthy':
      return truthy(n.field);
    case 'compare':
      return compare(n.field, n.op, n.value, zone);
    case 'in':
      return inList(n.field, n.values, n.negated, zone);
    case 'match':
      return match(n.field, textTest(n.op, n.pattern), n.negated);
  }
}

/** The text `~` and `like` read: a date's ISO text, a param's text. */
function textGetter(
  field: FieldRef
): (s: IExperimentSummary) => string | undefined {
  if (field.kind === 'param') {
    const path = field.path;
    return s => {
      const v = paramScalar(readParam(s, path));
      return v === null || v === undefined ? undefined : String(v);
    };
  }
  const name = (field as { name: keyof IExperimentSummary }).name;
  return s => readText(s, name);
}

function isList(
  field: FieldRef
): field is FieldRef & { name: 'tags' | 'project' } {
  return field.kind === 'simple' && fieldKind(field) === 'list';
}

function truthy(field: FieldRef): ExperimentPredicate {
  if (field.kind === 'param') {
    const path = field.path;
    return s => {
      const v = readParam(s, path);
      if (Array.isArray(v)) {
        return v.length > 0;
      }
      if (typeof v === 'object' && v !== null) {
        return Object.keys(v).length > 0;
      }
      return !!v;
    };
  }
  if (field.kind === 'metric') {
    const { name, aggregate } = field;
    return s => readMetric(s, name, aggregate) !== undefined;
  }
  if (isList(field)) {
    const name = field.name;
    return s => readList(s, name).some(v => v !== '');
  }
  const get = scalarReader(field);
  return fieldKind(field) === 'date' ? s => get(s) != null : s => !!get(s);
}

function compare(
  field: FieldRef,
  op: ComparisonOperator,
  value: Literal,
  zone: DateZone
): ExperimentPredicate {
  if (isList(field)) {
    const name = field.name;
    const wanted = (value as { value: string }).value;
    return op === '='
      ? s => readList(s, name).includes(wanted)
      : s => !readList(s, name).includes(wanted);
  }
  const get = scalarReader(field);
  if (value.kind === 'null') {
    return op === '=' ? s => get(s) == null : s => get(s) != null;
  }
  const cmp = comparator(value, field.kind === 'param', zone);
  switch (op) {
    case '=':
      return s => cmp(get(s)) === 0;
    case '!=':
      return s => {
        const v = get(s);
        return v != null && cmp(v) !== 0;
      };
    case '<':
      return s => cmp(get(s)) === -1;
    case '<=':
      return s => {
        const c = cmp(get(s));
        return c === -1 || c === 0;
      };
    case '>':
      return s => cmp(get(s)) === 1;
    case '>=':
      return s => {
        const c = cmp(get(s));
        return c === 1 || c === 0;
      };
  }
}

/** -1, 0 or 1 for two numbers; undefined when either is NaN. */
function order(a: number, b: number): number | undefined {
  return a < b ? -1 : a > b ? 1 : a === b ? 0 : undefined;
}

/** How values compare with one literal, decided once per query. */
function comparator(
  value: Literal,
  isParam: boolean,
  zone: DateZone
): Comparator {
  switch (value.kind) {
    case 'number': {
      const n = value.value;
      return v =>
        typeof v === 'number'
          ? order(v, n)
          : typeof v === 'string'
            ? orderMaybe(numericText(v), n)
            : undefined;
    }
    case 'string': {
      const text = value.value;
      const asNumber = numericText(text);
      return v =>
        typeof v === 'string'
          ? v < text
            ? -1
            : v > text
              ? 1
              : 0
          : typeof v === 'number' && asNumber !== undefined
            ? order(v, asNumber)
            : undefined;
    }
    case 'boolean': {
      const b = value.value;
      return v => (typeof v === 'boolean' ? (v === b ? 0 : 1) : undefined);
    }
    case 'date': {
      const [from, to] = dateSpan(value.value, zone);
      // A date field reads as epoch ms; a param holds a date as text.
      return v => {
        const t = isParam
          ? typeof v === 'string'
            ? Date.parse(v)
            : NaN
          : typeof v === 'number'
            ? v
            : NaN;
        return Number.isNaN(t) ? undefined : t < from ? -1 : t >= to ? 1 : 0;
      };
    }
    default:
      // null and regex literals never reach here (handled or refused by the parser).
      return () => undefined;
  }
}

function orderMaybe(a: number | undefined, b: number): number | undefined {
  return a === undefined ? undefined : order(a, b);
}

function inList(
  field: FieldRef,
  values: Literal[],
  negated: boolean,
  zone: DateZone
): ExperimentPredicate {
  const kind = fieldKind(field);
  if (kind === 'list' || kind === 'text' || kind === 'status') {
    // The parser only lets strings in here.
    const set = new Set(values.map(v => (v as { value: string }).value));
    if (isList(field)) {
      const name = field.name;
      return negated
        ? s => !readList(s, name).some(v => set.has(v))
        : s => readList(s, name).some(v => set.has(v));
    }
    const name = (field as { name: keyof IExperimentSummary }).name;
    return negated
      ? s => {
          const v = readText(s, name);
          return v !== undefined && !set.has(v);
        }
      : s => set.has(readText(s, name) as string);
  }
  const get = scalarReader(field);
  const tests = values.map((value): ((v: Scalar) => boolean) => {
    if (value.kind === 'null') {
      return v => v == null;
    }
    const cmp = comparator(value, field.kind === 'param', zone);
    return v => cmp(v) === 0;
  });
  const any = (v: Scalar) => {
    for (const test of tests) {
      if (test(v)) {
        return true;
      }
    }
    return false;
  };
  return negated
    ? s => {
        const v = get(s);
        return v != null && !any(v);
      }
    : s => any(get(s));
}

/** `~ "text"` (substring), `~ /re/`, `like "a%_"`: all case-insensitive. */
function textTest(op: 'like' | '~', pattern: Literal): TextTest {
  if (pattern.kind === 'regex') {
    const re = new RegExp(pattern.source, withCaseInsensitive(pattern.flags));
    return t => re.test(t);
  }
  const text = (pattern as { value: string }).value;
  if (op === 'like') {
    const re = likePattern(text);
    return t => re.test(t);
  }
  const needle = text.toLowerCase();
  return t => t.toLowerCase().includes(needle);
}

/**
 * A SQL `like` pattern as a regular expression: `%` any run of characters,
 * `_` one character, `\%`, `\_` and `\\` themselves; the whole text must
 * match, case-insensitively.
 */
export function likePattern(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      out += escapeRegExp(pattern[++i]);
    } else if (c === '%') {
      out += '[^]*';
    } else if (c === '_') {
      out += '[^]';
    } else {
      out += escapeRegExp(c);
    }
  }
  return new RegExp(`^${out}$`, 'iu');
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? '\\' + c : c;
}

function match(
  field: FieldRef,
  test: TextTest,
  negated: boolean
): ExperimentPredicate {
  if (isList(field)) {
    const name = field.name;
    return negated
      ? s => !readList(s, name).some(test)
      : s => readList(s, name).some(test);
  }
  const get = textGetter(field);
  return negated
    ? s => {
        const v = get(s);
        return v !== undefined && !test(v);
      }
    : s => {
        const v = get(s);
        return v !== undefined && test(v);
      };
}

/**
 * What each query field is: its kind decides which operators and values it
 * accepts (checked when parsing, so mistakes are reported with a position)
 * and how it is compared.
 */
import type {
  FieldRef,
  Literal,
  MetricAggregate,
  SimpleFieldName
} from './ast';

/**
 * - `text`: one string (`name`, `notebook`, `id`, `kernel`, `notes`).
 * - `status`: a string that must be one of the experiment statuses.
 * - `list`: several strings, true when any matches (`tags`; `project` is the
 *   project and its links).
 * - `number`, `boolean`, `date`: what they say; `date` also matches
 *   `~`/`like` against its ISO text.
 * - `param`: any logged value; `metric`: a number.
 */
export type FieldKind =
  | 'text'
  | 'status'
  | 'list'
  | 'number'
  | 'boolean'
  | 'date'
  | 'param'
  | 'metric';

export const SIMPLE_FIELDS: { readonly [name in SimpleFieldName]: FieldKind } =
  {
    id: 'text',
    name: 'text',
    project: 'list',
    notebook: 'text',
    tags: 'list',
    status: 'status',
    started: 'date',
    ended: 'date',
    duration: 'number',
    starred: 'boolean',
    archived: 'boolean',
    executions: 'number',
    kernel: 'text',
    notes: 'text'
  };

export const SIMPLE_FIELD_NAMES = Object.keys(
  SIMPLE_FIELDS
) as SimpleFieldName[];

/** The prefixes of fields named by the user. */
export const FIELD_PREFIXES = ['params', 'metrics'] as const;

export const METRIC_AGGREGATES: readonly MetricAggregate[] = [
  'last',
  'min',
  'max',
  'count',
  'step'
];

export function fieldKind(field: FieldRef): FieldKind {
  return field.kind === 'simple'
    ? SIMPLE_FIELDS[field.name]
    : field.kind === 'param'
      ? 'param'
      : 'metric';
}

/** Operators as written, grouped as the parser checks them. */
export type OperatorClass = 'equality' | 'order' | 'in' | 'match';

const OPERATORS: { readonly [kind in FieldKind]: readonly OperatorClass[] } = {
  text: ['equality', 'order', 'in', 'match'],
  status: ['equality', 'in', 'match'],
  list: ['equality', 'in', 'match'],
  number: ['equality', 'order', 'in'],
  boolean: ['equality'],
  date: ['equality', 'order', 'in', 'match'],
  param: ['equality', 'order', 'in', 'match'],
  metric: ['equality', 'order', 'in']
};

export function allowsOperator(kind: FieldKind, op: OperatorClass): boolean {
  return OPERATORS[kind].includes(op);
}

/** The operators a field kind accepts, for error messages. */
export function describeOperators(kind: FieldKind): string {
  const words: { [op in OperatorClass]: string } = {
    equality: '= and !=',
    order: '<, <=, > and >=',
    in: 'in and not in',
    match: '~ and like'
  };
  return OPERATORS[kind].map(op => words[op]).join(', ');
}

/**
 * Which literal kinds a field kind compares with (`=`, `<`, `in`); null is
 * accepted by `=` and `!=` only, and only where a value can be missing.
 */
const VALUES: { readonly [kind in FieldKind]: readonly Literal['kind'][] } = {
  text: ['string'],
  status: ['string'],
  list: ['string'],
  number: ['number', 'null'],
  boolean: ['boolean'],
  date: ['date', 'string', 'null'],
  param: ['number', 'string', 'boolean', 'null', 'date'],
  metric: ['number', 'null']
};

export function acceptsValue(kind: FieldKind, value: Literal['kind']): boolean {
  return VALUES[kind].includes(value);
}

/** What a field kind wants, for error messages. */
export function describeValues(kind: FieldKind): string {
  return {
    text: 'a string in quotes',
    status: 'a status in quotes',
    list: 'a string in quotes',
    number: 'a number (durations: 500ms, 10s, 5m, 2h, 1d)',
    boolean: 'true or false',
    date: 'a date (2026-11-01 or 2026-11-01T10:30Z)',
    param: 'a number, string, true, false, null or date',
    metric: 'a number'
  }[kind];
}

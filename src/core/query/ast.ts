/**
 * The experiment query language (issue 7): the syntax tree `parseQuery`
 * produces and `compileQuery` turns into a predicate. Plain data; every node
 * and literal carries its character range in the query text (UTF-16 offsets,
 * as a text input's `selectionStart` counts) so a UI can point at it.
 */

/** Where something is in the query text: `text.slice(from, to)`. */
export interface IQueryRange {
  from: number;
  to: number;
}

/**
 * Why a query could not be parsed. `message` ends with "at <from>";
 * `suggestion`, when set, is a replacement for `text.slice(from, to)` that
 * a UI can offer as a fix (e.g. `params` for `parms`).
 */
export interface IQueryError extends IQueryRange {
  message: string;
  suggestion?: string;
}

/** The fields with a fixed name (case-insensitive in queries). */
export type SimpleFieldName =
  | 'id'
  | 'name'
  | 'project'
  | 'notebook'
  | 'tags'
  | 'status'
  | 'started'
  | 'ended'
  | 'duration'
  | 'starred'
  | 'archived'
  | 'executions'
  | 'kernel'
  | 'notes';

/** What can be read from a metric summary; `last` when none is written. */
export type MetricAggregate = 'last' | 'min' | 'max' | 'count' | 'step';

/** A field as written in a query: `status`, `params.lr`, `metrics.loss.min`. */
export type FieldRef =
  | ({ kind: 'simple'; name: SimpleFieldName } & IQueryRange)
  | ({
      kind: 'param';
      /** The name, then keys into nested objects: `params.opt.lr` is ['opt', 'lr']. */
      path: string[];
    } & IQueryRange)
  | ({
      kind: 'metric';
      name: string;
      aggregate: MetricAggregate;
    } & IQueryRange);

/**
 * A date as written (`2026-11-01`, `2026-11-01T10:30Z`), not yet placed in
 * time: a date without a zone is resolved at compile time (local or UTC),
 * and covers its whole precision (a day, a minute, a second or a millisecond).
 */
export interface IDateParts {
  year: number;
  /** 1-12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC when the date says (`Z`, `+02:00`), else null. */
  offset: number | null;
  precision: 'day' | 'minute' | 'second' | 'millisecond';
}

/** A value on the right of an operator. */
export type Literal =
  | ({ kind: 'number'; value: number } & IQueryRange)
  | ({ kind: 'string'; value: string } & IQueryRange)
  | ({ kind: 'boolean'; value: boolean } & IQueryRange)
  | ({ kind: 'null' } & IQueryRange)
  | ({ kind: 'date'; value: IDateParts } & IQueryRange)
  | ({ kind: 'regex'; source: string; flags: string } & IQueryRange);

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** `like` (SQL wildcards), `~` (substring or /regex/), both case-insensitive. */
export type MatchOperator = 'like' | '~';

export type QueryNode =
  | ({ kind: 'and' | 'or'; left: QueryNode; right: QueryNode } & IQueryRange)
  | ({ kind: 'not'; operand: QueryNode } & IQueryRange)
  | ({
      kind: 'compare';
      field: FieldRef;
      op: ComparisonOperator;
      value: Literal;
    } & IQueryRange)
  | ({
      kind: 'in';
      field: FieldRef;
      /** `not in`. */
      negated: boolean;
      values: Literal[];
    } & IQueryRange)
  | ({
      kind: 'match';
      field: FieldRef;
      op: MatchOperator;
      /** `not like`, `!~`. */
      negated: boolean;
      pattern: Literal;
    } & IQueryRange)
  | ({ kind: 'truthy'; field: FieldRef } & IQueryRange);

/** A parsed query. `root` is null for an empty query, which matches everything. */
export interface IQuery {
  text: string;
  root: QueryNode | null;
}

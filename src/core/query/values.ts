/**
 * Reading fields out of an `IExperimentSummary`, shared by compiled queries
 * and the sort/column helpers. Defensive: a summary from an older or
 * damaged index (a missing `params`, a `tags` that is not a list) reads as
 * missing values, never as an exception.
 */
import type { IExperimentSummary } from '../index/summary';
import type { IParamSource, ParamValue } from '../model';
import type { FieldRef, MetricAggregate } from './ast';
import { fieldKind } from './fields';

/** A field's value as a column shows it; `undefined` when missing. */
export type FieldValue =
  string | number | boolean | null | undefined | readonly string[];

/** A param, a metric or a single-valued field reduced to one comparable value. */
export type Scalar = string | number | boolean | null | undefined;

const hasOwn = Object.hasOwn;

/** Whether a param value is the source text of one that could not be read. */
export function isParamSource(v: unknown): v is IParamSource {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    typeof (v as IParamSource).source === 'string' &&
    Object.keys(v).length === 1
  );
}

/** `params.a.b`: the param `a`, then key `b` of its object value. */
export function readParam(
  s: IExperimentSummary,
  path: readonly string[]
): ParamValue | IParamSource | undefined {
  let v: unknown = s.params;
  for (const key of path) {
    if (
      typeof v !== 'object' ||
      v === null ||
      isParamSource(v) ||
      !hasOwn(v, key)
    ) {
      return undefined;
    }
    v = (v as { [key: string]: unknown })[key];
  }
  return v as ParamValue | IParamSource | undefined;
}

/**
 * A param as one comparable value: numbers, strings, booleans and null as
 * they are, an unreadable param as its source text, lists and objects as
 * their JSON text.
 */
export function paramScalar(v: ParamValue | IParamSource | undefined): Scalar {
  if (v === undefined || v === null || typeof v !== 'object') {
    return v;
  }
  return isParamSource(v) ? v.source : JSON.stringify(v);
}

/** A metric's aggregate; undefined when the metric was never logged, null when it has no finite value. */
export function readMetric(
  s: IExperimentSummary,
  name: string,
  aggregate: MetricAggregate
): number | null | undefined {
  const metrics = s.metrics;
  if (
    typeof metrics !== 'object' ||
    metrics === null ||
    !hasOwn(metrics, name)
  ) {
    return undefined;
  }
  const v = metrics[name]?.[aggregate];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A string field, or undefined when it is not a string. */
export function readText(
  s: IExperimentSummary,
  name: keyof IExperimentSummary
): string | undefined {
  const v = s[name];
  return typeof v === 'string' ? v : undefined;
}

/** A list of strings: `tags`, or `project` with its `links`. */
export function readList(
  s: IExperimentSummary,
  name: 'tags' | 'project'
): readonly string[] {
  if (name === 'tags') {
    return Array.isArray(s.tags) ? s.tags : [];
  }
  const links = Array.isArray(s.links) ? s.links : [];
  return typeof s.project === 'string' ? [s.project, ...links] : links;
}

/** A number field: null when unknown (a running experiment's duration). */
export function readNumber(
  s: IExperimentSummary,
  name: 'duration' | 'executions'
): number | null | undefined {
  const v = s[name];
  return typeof v === 'number' && !Number.isNaN(v)
    ? v
    : v === null
      ? null
      : undefined;
}

/** A date field in epoch milliseconds; null while not set (`ended` of a running experiment). */
export function readTime(
  s: IExperimentSummary,
  name: 'started' | 'ended'
): number | null | undefined {
  const v = s[name];
  if (typeof v !== 'string') {
    return v === null ? null : undefined;
  }
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** A number written as text ("0.01", " 1e-3 "), as a number; otherwise undefined. */
export function numericText(v: string): number | undefined {
  return NUMERIC.test(v) ? Number(v) : undefined;
}

const NUMERIC = /^\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$/;

/** The value a comparison reads: numbers for numbers and dates, strings, booleans. */
export function scalarReader(
  field: FieldRef
): (s: IExperimentSummary) => Scalar {
  if (field.kind === 'param') {
    const path = field.path;
    return s => paramScalar(readParam(s, path));
  }
  if (field.kind === 'metric') {
    const { name, aggregate } = field;
    return s => readMetric(s, name, aggregate);
  }
  const name = field.name;
  switch (fieldKind(field)) {
    case 'number':
      return s => readNumber(s, name as 'duration' | 'executions');
    case 'boolean':
      return s => s[name] === true;
    case 'date':
      return s => readTime(s, name as 'started' | 'ended');
    default:
      return s => readText(s, name);
  }
}

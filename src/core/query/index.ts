/**
 * The experiment query language: parse, compile, filter; field values and
 * sorting for tables. See docs/query-language.md.
 */

export * from './ast';
export * from './columns';
export * from './compile';
export * from './dates';
export * from './fields';
export * from './parser';
export * from './sort';

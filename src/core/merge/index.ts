/**
 * Three-way notebook merge: `mergeNotebooks`, line merge of texts, and the
 * nbformat writer for the result.
 */

export * from './merge';
export * from './text';
export * from './write';
export * from './resolve';

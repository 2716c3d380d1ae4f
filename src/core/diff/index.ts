/**
 * Notebook diff: parse, align, compare, apply, export to nbdime.
 */

export * from './align';
export * from './apply';
export * from './diff';
export * from './json';
export * from './keys';
export * from './nbdime';
export * from './notebook';
export * from './options';
export * from './outputs';
export * from './result';
export * from './source';
export * from './text';

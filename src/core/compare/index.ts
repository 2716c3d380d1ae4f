/**
 * Compare experiments: environments, data inputs, params and metrics
 * tables, code, parallel coordinates. Pure data in, pure data out; the
 * views draw.
 */

export * from './envdiff';
export * from './inputsdiff';
export * from './order';
export * from './parallel';
export * from './paramsdiff';
export * from './paramvalue';
export * from './scriptdiff';
export * from './selection';
export * from './version';

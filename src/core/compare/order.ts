/**
 * How compare orders names (parameters, metrics, packages' display): a
 * natural order, so `layer2` comes before `layer10`, the same on every
 * machine (a fixed collator, not the browser's locale).
 */

const COLLATOR = new Intl.Collator('en', { numeric: true });

/** Natural order of two names; equal-collating names fall back to code units. */
export function compareNames(a: string, b: string): number {
  return COLLATOR.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

import fc from 'fast-check';
import { patch } from 'nbdime/lib/patch';
import { describe, expect, it } from 'vitest';
import {
  applyDiff,
  deepEqual,
  diffNotebooks,
  INotebook,
  toNbdimeDiff
} from '../../../src/core/diff';
import { notebookPair, unrelatedPair } from './notebooks';

/**
 * True when some object in `value` has an own `__proto__` key. JSON.parse
 * makes such keys (fast-check's jsonValue generates them) and Labbook's own
 * diff and apply keep them, but nbdime's patch copies objects by assignment
 * onto `{}`, where `__proto__` sets the prototype instead of a key: the
 * nbdime comparison leaves those pairs out.
 */
function hasProtoKey(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.some(hasProtoKey);
  }
  if (value && typeof value === 'object') {
    return (
      Object.prototype.hasOwnProperty.call(value, '__proto__') ||
      Object.values(value).some(hasProtoKey)
    );
  }
  return false;
}

const FULL = { includeExecutionCounts: true, includeVolatileMetadata: true };
const pairs = fc.oneof(
  { weight: 4, arbitrary: notebookPair },
  { weight: 1, arbitrary: unrelatedPair }
);

describe('notebook diff properties', () => {
  it('diff(a, a) is empty', () => {
    fc.assert(
      fc.property(notebookPair, ([a]) => {
        for (const options of [{}, FULL]) {
          const d = diffNotebooks(a, structuredClone(a), options);
          expect(d.summary.identical).toBe(true);
          expect(d.cells.every(c => c.kind === 'unchanged' && !c.changes)).toBe(
            true
          );
          expect(d.cells).toHaveLength(a.cells.length);
        }
      }),
      { numRuns: 300 }
    );
  });

  it('apply(a, diff(a, b)) gives b (full fidelity)', () => {
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        const d = diffNotebooks(a, b, FULL);
        const roundTripped = JSON.parse(JSON.stringify(d));
        expect(roundTripped).toEqual(d);
        expect(applyDiff(a, roundTripped)).toEqual(b);
        expect(d.summary.identical).toBe(deepEqual(a, b));
      }),
      { numRuns: 500 }
    );
  });

  it('apply(a, diff(a, b)) matches b up to ignored fields (default options)', () => {
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        const applied = applyDiff(a, diffNotebooks(a, b));
        expect(diffNotebooks(applied, b).summary.identical).toBe(true);
      }),
      { numRuns: 300 }
    );
  });

  it('keeps a "__proto__" metadata key through diff and apply', () => {
    const text =
      '{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[{"cell_type":"code","source":"","metadata":{"tags":{"__proto__":null}},"outputs":[],"execution_count":null,"id":"c0"}]}';
    const a = JSON.parse(text) as INotebook;
    const b = JSON.parse(
      text.replace('"nbformat_minor":5', '"nbformat_minor":4')
    ) as INotebook;
    expect(applyDiff(a, diffNotebooks(a, b, FULL))).toEqual(b);
    expect(
      Object.prototype.hasOwnProperty.call(
        (applyDiff(a, diffNotebooks(a, b, FULL)).cells[0].metadata as any).tags,
        '__proto__'
      )
    ).toBe(true);
  });

  it("nbdime's own patch(a, toNbdimeDiff(diff(a, b))) gives b", () => {
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        fc.pre(!hasProtoKey(a) && !hasProtoKey(b));
        const d = diffNotebooks(a, b, FULL);
        const patched = patch(
          a as any,
          toNbdimeDiff(d, a) as any
        ) as unknown as INotebook;
        expect(patched).toEqual(b);
      }),
      { numRuns: 500 }
    );
  });
});

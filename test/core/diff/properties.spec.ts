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

  it("nbdime's own patch(a, toNbdimeDiff(diff(a, b))) gives b", () => {
    fc.assert(
      fc.property(pairs, ([a, b]) => {
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

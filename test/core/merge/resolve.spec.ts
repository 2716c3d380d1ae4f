import { describe, expect, it } from 'vitest';
import { ICell, INotebook, parseNotebook } from '../../../src/core/diff';
import {
  findConflicts,
  mergeNotebooks,
  resolveConflict,
  writeNotebook
} from '../../../src/core/merge';

const code = (source: string, extra: Partial<ICell> = {}): ICell => ({
  cell_type: 'code',
  source,
  metadata: {},
  outputs: [],
  execution_count: null,
  ...extra
});
const nb = (cells: ICell[]): INotebook => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3' } },
  cells
});
const out = (text: string) => ({ output_type: 'stream', name: 'stdout', text });

/** A merge with a source, an outputs and a metadata conflict, read back from its file. */
function conflicted() {
  const base = nb([
    code('import numpy as np\n'),
    code('x = np.arange(10)\nprint(x.sum())\n', { outputs: [out('45\n')] }),
    code('plt.plot(x)\n')
  ]);
  const local = structuredClone(base);
  local.cells[1].source = 'x = np.arange(20)\nprint(x.sum())\n';
  local.cells[1].outputs = [out('190\n')];
  local.metadata.kernelspec = { name: 'python3.11' };
  const remote = structuredClone(base);
  remote.cells[1].source = 'x = np.arange(30)\nprint(x.sum())\n';
  remote.cells[1].outputs = [out('435\n')];
  remote.metadata.kernelspec = { name: 'python3.12' };
  remote.cells.splice(2, 1);
  local.cells[2].source = 'plt.plot(x, "o")\n';
  const m = mergeNotebooks(base, local, remote);
  return parseNotebook(writeNotebook(m.notebook), 'merged.ipynb');
}

describe('conflicts in a merged notebook', () => {
  it('are found from the notebook alone, with both sides', () => {
    const found = findConflicts(conflicted());
    expect(found.map(c => [c.cell, c.field])).toEqual([
      [1, 'source'],
      [1, 'outputs'],
      [2, 'source'],
      [undefined, 'metadata']
    ]);
    expect(found[0]).toMatchObject({
      local: 'x = np.arange(20)\nprint(x.sum())\n',
      remote: 'x = np.arange(30)\nprint(x.sum())\n'
    });
    expect(found[1]).toMatchObject({ local: '190\n', remote: '435\n' });
    expect(found[2]).toMatchObject({
      deleted: 'remote',
      local: 'plt.plot(x, "o")\n'
    });
    expect(findConflicts(nb([code('x = "<<<<<<< local"\n')]))).toEqual([]);
  });

  it('resolve one at a time: local, remote, both, edited, until none is left', () => {
    let n = conflicted();
    const take = (k: number, how: Parameters<typeof resolveConflict>[2]) => {
      n = resolveConflict(n, findConflicts(n)[k], how);
    };
    take(0, 'remote');
    expect(n.cells[1].source).toBe('x = np.arange(30)\nprint(x.sum())\n');
    take(0, 'both');
    expect(n.cells[1].outputs).toEqual([out('190\n'), out('435\n')]);
    // The cell remote deleted: taking remote deletes it.
    take(0, 'remote');
    expect(n.cells).toHaveLength(2);
    take(0, 'remote');
    expect(n.metadata).toEqual({ kernelspec: { name: 'python3.12' } });
    expect(findConflicts(n)).toEqual([]);
    // Edited text, and local.
    let e = conflicted();
    e = resolveConflict(e, findConflicts(e)[0], {
      text: 'x = np.arange(25)\n'
    });
    expect(e.cells[1].source).toBe('x = np.arange(25)\n');
    e = resolveConflict(e, findConflicts(e)[0], 'local');
    expect(e.cells[1].outputs).toEqual([out('190\n')]);
    e = resolveConflict(e, findConflicts(e)[0], 'local');
    expect(e.cells[2].source).toBe('plt.plot(x, "o")\n');
    e = resolveConflict(e, findConflicts(e)[0], 'local');
    expect(e.metadata).toEqual({ kernelspec: { name: 'python3.11' } });
    expect(findConflicts(e)).toEqual([]);
  });
});

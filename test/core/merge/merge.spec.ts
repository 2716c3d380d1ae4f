import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ICell, INotebook, parseNotebook } from '../../../src/core/diff';
import {
  CONFLICTS_KEY,
  mergeNotebooks,
  mergeText,
  writeNotebook
} from '../../../src/core/merge';
import { notebookPair } from '../diff/notebooks';

const code = (source: string, extra: Partial<ICell> = {}): ICell => ({
  cell_type: 'code',
  source,
  metadata: {},
  outputs: [],
  execution_count: null,
  ...extra
});
const nb = (cells: ICell[], metadata = {}): INotebook => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata,
  cells
});
const stream = (text: string) => ({
  output_type: 'stream',
  name: 'stdout',
  text
});

describe('three-way notebook merge: properties', () => {
  it('merge(base, x, x) = x, merge(base, base, x) = x, merge(base, x, base) = x', () => {
    fc.assert(
      fc.property(notebookPair, ([base, x]) => {
        for (const [l, r] of [
          [x, x],
          [base, x],
          [x, base]
        ]) {
          const m = mergeNotebooks(
            base,
            structuredClone(l),
            structuredClone(r)
          );
          expect(m.conflicts).toEqual([]);
          expect(m.notebook).toEqual(x);
        }
      }),
      { numRuns: 150 }
    );
  });

  it('the written notebook reads back as the same notebook', () => {
    fc.assert(
      fc.property(notebookPair, ([, x]) => {
        expect(parseNotebook(writeNotebook(x), 'x')).toEqual(x);
      }),
      { numRuns: 200 }
    );
  });
});

describe('three-way notebook merge', () => {
  const base = nb(
    [
      code('import numpy as np\n'),
      code('x = np.arange(10)\nprint(x.sum())\n', {
        outputs: [stream('45\n')],
        execution_count: 2
      }),
      { cell_type: 'markdown', source: '## Results', metadata: {} },
      code('plt.plot(x)\n')
    ],
    { kernelspec: { name: 'python3' } }
  );

  it('auto-merges changes to different cells, outputs and metadata', () => {
    const local = structuredClone(base);
    local.cells[0].source = 'import numpy as np\nimport pandas as pd\n';
    local.cells.splice(2, 0, code('y = x * 2\n'));
    const remote = structuredClone(base);
    remote.cells[1].outputs = [stream('45\nok\n')];
    remote.cells[3].metadata = { tags: ['plot'] };
    remote.metadata.title = 'Run 2';
    remote.cells.splice(1, 0, {
      cell_type: 'markdown',
      source: 'Load the data',
      metadata: {}
    });
    const m = mergeNotebooks(base, local, remote);
    expect(m.conflicts).toEqual([]);
    expect(m.notebook.cells.map(c => c.source)).toEqual([
      'import numpy as np\nimport pandas as pd\n',
      'Load the data',
      'x = np.arange(10)\nprint(x.sum())\n',
      'y = x * 2\n',
      '## Results',
      'plt.plot(x)\n'
    ]);
    expect(m.notebook.cells[2].outputs).toEqual([stream('45\nok\n')]);
    expect(m.notebook.cells[5].metadata).toEqual({ tags: ['plot'] });
    expect(m.notebook.metadata).toEqual({
      kernelspec: { name: 'python3' },
      title: 'Run 2'
    });
  });

  it('merges line edits inside one cell, and marks overlapping ones as git does', () => {
    expect(mergeText('a\nb\nc\nd\n', 'A\nb\nc\nd\n', 'a\nb\nc\nD\n').text).toBe(
      'A\nb\nc\nD\n'
    );
    const local = structuredClone(base);
    local.cells[1].source = 'x = np.arange(20)\nprint(x.sum())\n';
    local.cells[1].outputs = [stream('190\n')];
    local.cells[1].execution_count = 3;
    local.cells[1].metadata = { tags: ['slow'] };
    const remote = structuredClone(base);
    remote.cells[1].source = 'x = np.arange(30)\nprint(x.sum())\n';
    remote.cells[1].outputs = [stream('435\n')];
    remote.cells[1].execution_count = 7;
    remote.cells[1].metadata = { tags: ['fast'] };
    const m = mergeNotebooks(base, local, remote);
    const cell = m.notebook.cells[1];
    expect(cell.source).toBe(
      '<<<<<<< local\nx = np.arange(20)\n=======\nx = np.arange(30)\n>>>>>>> remote\nprint(x.sum())\n'
    );
    // Both outputs kept between markers; the count cleared.
    expect(cell.outputs!.map(o => o.text)).toEqual([
      '<<<<<<< local\n',
      '190\n',
      '=======\n',
      '435\n',
      '>>>>>>> remote\n'
    ]);
    expect(cell.execution_count).toBeNull();
    expect(cell.metadata).toEqual({
      tags: ['slow'],
      [CONFLICTS_KEY]: {
        local: [{ op: 'add', key: 'tags', value: ['slow'] }],
        remote: [{ op: 'add', key: 'tags', value: ['fast'] }]
      }
    });
    expect(m.conflicts.map(c => [c.cell, c.field])).toEqual([
      [1, 'source'],
      [1, 'outputs'],
      [1, 'metadata']
    ]);
    // Options: outputs from one side, counts from one side.
    const r = mergeNotebooks(base, local, remote, {
      outputs: 'remote',
      executionCounts: 'local'
    });
    expect(r.notebook.cells[1].outputs).toEqual([stream('435\n')]);
    expect(r.notebook.cells[1].execution_count).toBe(3);
    expect(r.conflicts.map(c => c.field)).toEqual(['source', 'metadata']);
    expect(
      mergeNotebooks(base, local, remote, { outputs: 'clear' }).notebook
        .cells[1].outputs
    ).toEqual([]);
  });

  it('a cell deleted on one side and edited on the other is kept, marked', () => {
    const local = structuredClone(base);
    local.cells.splice(3, 1);
    const remote = structuredClone(base);
    remote.cells[3].source = 'plt.plot(x, x ** 2)\n';
    const m = mergeNotebooks(base, local, remote);
    expect(m.conflicts).toMatchObject([{ cell: 3, field: 'deleted' }]);
    expect(m.notebook.cells[3].source).toBe(
      '<<<<<<< local (deleted)\n=======\nplt.plot(x, x ** 2)\n>>>>>>> remote\n'
    );
    // Deleted on one side, untouched on the other: gone.
    const gone = mergeNotebooks(base, local, base);
    expect(gone.notebook.cells).toHaveLength(3);
  });
});

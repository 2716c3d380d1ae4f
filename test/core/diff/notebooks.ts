/**
 * fast-check generators of notebook pairs: a random notebook `a` and a
 * `b` made from it by random edits (insertions, deletions, moves, source,
 * output, metadata and type changes), with or without cell ids.
 */

import fc from 'fast-check';
import type { ICell, INotebook, IOutput } from '../../../src/core/diff';

const CODE_LINES = [
  'import numpy as np',
  'x = np.arange(10)',
  'print(x)',
  'for i in range(3):',
  '    total += i',
  'def f(a, b):',
  '    return a + b',
  'model.fit(X, y)',
  '# comment',
  '',
  '    ',
  'lr = 0.001\r',
  'plt.plot(x, y)'
];

const line = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...CODE_LINES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }
);

/** A source: lines joined by newlines, with or without a final one. */
export const source = fc
  .tuple(fc.array(line, { maxLength: 6 }), fc.boolean())
  .map(
    ([lines, final]) => lines.join('\n') + (final && lines.length ? '\n' : '')
  );

const PNG_A =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PNG_B =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const output: fc.Arbitrary<IOutput> = fc.oneof(
  fc.record({
    output_type: fc.constant('stream'),
    name: fc.constantFrom('stdout', 'stderr'),
    text: source
  }),
  fc.record({
    output_type: fc.constant('display_data'),
    data: fc.record(
      {
        'text/plain': source,
        'image/png': fc.constantFrom(PNG_A, PNG_B),
        'application/json': fc.jsonValue({ maxDepth: 1 })
      },
      { requiredKeys: [] }
    ),
    metadata: fc.constant({})
  }),
  fc.record({
    output_type: fc.constant('execute_result'),
    execution_count: fc.option(fc.nat(50), { nil: null }),
    data: fc.record({ 'text/plain': source }),
    metadata: fc.constant({})
  }),
  fc.record({
    output_type: fc.constant('error'),
    ename: fc.constantFrom('ValueError', 'KeyError'),
    evalue: fc.string({ maxLength: 8 }),
    traceback: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 })
  })
) as fc.Arbitrary<IOutput>;

const metadata = fc.dictionary(
  fc.constantFrom(
    'tags',
    'execution',
    'collapsed',
    'scrolled',
    'custom',
    'jupyter'
  ),
  fc.jsonValue({ maxDepth: 1 }),
  { maxKeys: 3 }
) as fc.Arbitrary<Record<string, any>>;

export const cell: fc.Arbitrary<ICell> = fc
  .record({
    cell_type: fc.constantFrom('code', 'code', 'markdown', 'raw'),
    source,
    metadata,
    outputs: fc.array(output, { maxLength: 3 }),
    execution_count: fc.option(fc.nat(50), { nil: null })
  })
  .map(c => {
    if (c.cell_type !== 'code') {
      return {
        cell_type: c.cell_type,
        source: c.source,
        metadata: c.metadata
      } as ICell;
    }
    return c as ICell;
  });

type Edit =
  | { t: 'delete'; at: number }
  | { t: 'insert'; at: number; cell: ICell }
  | { t: 'move'; from: number; to: number }
  | { t: 'source'; at: number; source: string }
  | { t: 'appendLine'; at: number; text: string }
  | { t: 'outputs'; at: number; outputs: IOutput[] }
  | { t: 'count'; at: number; count: number | null }
  | { t: 'metadata'; at: number; metadata: Record<string, any> }
  | { t: 'type'; at: number; type: 'code' | 'markdown' | 'raw' };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ t: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ t: fc.constant('insert' as const), at: fc.nat(), cell }),
  fc.record({ t: fc.constant('move' as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ t: fc.constant('source' as const), at: fc.nat(), source }),
  fc.record({
    t: fc.constant('appendLine' as const),
    at: fc.nat(),
    text: line
  }),
  fc.record({
    t: fc.constant('outputs' as const),
    at: fc.nat(),
    outputs: fc.array(output, { maxLength: 3 })
  }),
  fc.record({
    t: fc.constant('count' as const),
    at: fc.nat(),
    count: fc.option(fc.nat(50), { nil: null })
  }),
  fc.record({ t: fc.constant('metadata' as const), at: fc.nat(), metadata }),
  fc.record({
    t: fc.constant('type' as const),
    at: fc.nat(),
    type: fc.constantFrom('code' as const, 'markdown' as const, 'raw' as const)
  })
);

function applyEdit(
  cells: ICell[],
  e: Edit,
  fresh: () => string | undefined
): void {
  const n = cells.length;
  const at = (i: number) => i % Math.max(n, 1);
  switch (e.t) {
    case 'delete':
      if (n) {
        cells.splice(at(e.at), 1);
      }
      return;
    case 'insert': {
      const c = structuredClone(e.cell);
      const id = fresh();
      cells.splice(e.at % (n + 1), 0, id ? { ...c, id } : c);
      return;
    }
    case 'move':
      if (n) {
        const [c] = cells.splice(at(e.from), 1);
        cells.splice(e.to % n, 0, c);
      }
      return;
  }
  if (!n) {
    return;
  }
  const c = cells[at(e.at)];
  switch (e.t) {
    case 'source':
      c.source = e.source;
      break;
    case 'appendLine':
      c.source = c.source + '\n' + e.text;
      break;
    case 'outputs':
      if (c.cell_type === 'code') {
        c.outputs = structuredClone(e.outputs);
      }
      break;
    case 'count':
      if (c.cell_type === 'code') {
        c.execution_count = e.count;
      }
      break;
    case 'metadata':
      c.metadata = structuredClone(e.metadata);
      break;
    case 'type':
      if (e.type === 'code' && c.cell_type !== 'code') {
        c.outputs = [];
        c.execution_count = null;
      } else if (e.type !== 'code' && c.cell_type === 'code') {
        delete c.outputs;
        delete c.execution_count;
      }
      c.cell_type = e.type;
      break;
  }
}

function notebook(
  cells: ICell[],
  minor: number,
  md: Record<string, any>
): INotebook {
  return { nbformat: 4, nbformat_minor: minor, metadata: md, cells };
}

/** A notebook pair: `b` is `a` after random edits. */
export const notebookPair: fc.Arbitrary<[INotebook, INotebook]> = fc
  .record({
    cells: fc.array(cell, { maxLength: 10 }),
    edits: fc.array(edit, { maxLength: 8 }),
    ids: fc.constantFrom('both', 'none', 'a-only'),
    metaA: fc.dictionary(
      fc.constantFrom('kernelspec', 'widgets', 'title'),
      fc.jsonValue({ maxDepth: 1 }),
      { maxKeys: 2 }
    ),
    metaB: fc.option(
      fc.dictionary(
        fc.constantFrom('kernelspec', 'widgets', 'title'),
        fc.jsonValue({ maxDepth: 1 }),
        { maxKeys: 2 }
      )
    ),
    minorB: fc.constantFrom(4, 5)
  })
  .map(({ cells, edits, ids, metaA, metaB, minorB }) => {
    let next = 0;
    const withIds = ids !== 'none';
    const aCells = cells.map(c =>
      withIds ? { ...structuredClone(c), id: `c${next++}` } : structuredClone(c)
    );
    const bCells = structuredClone(aCells);
    const fresh = () => (ids === 'both' ? `c${next++}` : undefined);
    for (const e of edits) {
      applyEdit(bCells, e, fresh);
    }
    if (ids === 'a-only') {
      bCells.forEach(c => delete c.id);
    }
    const a = notebook(aCells, 5, metaA as Record<string, any>);
    const b = notebook(
      bCells,
      minorB,
      (metaB ?? structuredClone(metaA)) as Record<string, any>
    );
    return fromJSON([a, b]);
  });

/** Two unrelated notebooks. */
export const unrelatedPair: fc.Arbitrary<[INotebook, INotebook]> = fc
  .tuple(fc.array(cell, { maxLength: 8 }), fc.array(cell, { maxLength: 8 }))
  .map(([x, y]) => fromJSON([notebook(x, 4, {}), notebook(y, 4, {})]));

/** As read from files: through JSON text (so no -0, no undefined). */
function fromJSON(pair: [INotebook, INotebook]): [INotebook, INotebook] {
  return JSON.parse(JSON.stringify(pair));
}

/**
 * Cell pairing on the edit patterns readers make: each case is a notebook
 * before and after one kind of edit, and the test says what a reader would
 * call it (modified, moved, added, removed).
 */

import { describe, expect, it } from 'vitest';
import {
  cellSimilarity,
  diffNotebooks,
  ICell,
  INotebook
} from '../../../src/core/diff';

const code = (source: string, id?: string): ICell => ({
  cell_type: 'code',
  source,
  metadata: {},
  outputs: [],
  execution_count: null,
  ...(id ? { id } : {})
});
const md = (source: string, id?: string): ICell => ({
  cell_type: 'markdown',
  source,
  metadata: {},
  ...(id ? { id } : {})
});
const nb = (cells: ICell[]): INotebook => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells
});

/** The (old, new) index pairs and the summary counts. */
function pairs(a: ICell[], b: ICell[]) {
  const d = diffNotebooks(nb(a), nb(b));
  const paired = d.cells
    .filter(c => c.a !== undefined && c.b !== undefined)
    .map(c => [c.a, c.b, c.kind]);
  const { modified, added, removed, moved, unchanged } = d.summary;
  return { paired, modified, added, removed, moved, unchanged, diff: d };
}

const IMPORTS =
  'import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt';
const LOAD =
  "df = pd.read_csv('data/housing.csv')\ndf = df.dropna(subset=['price'])\nprint(df.shape)";
const FIT = 'model = LinearRegression()\nmodel.fit(X_train, y_train)';
const PLOT =
  "fig, ax = plt.subplots(figsize=(6, 4))\nax.scatter(y_test, model.predict(X_test), s=4)\nax.set_xlabel('true price')";
const SPLIT =
  'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)';
const PARAGRAPH =
  'We fit an ordinary least squares model to the cleaned data. The features are the ' +
  'number of rooms, the age of the house and the distance to the city centre; the target ' +
  'is the sale price in thousands. Rows without a price were dropped above.';

describe('cell pairing', () => {
  it('a comment appended to a one-line cell: modified', () => {
    const r = pairs(
      [code(IMPORTS), code('model.fit(X, y)'), code(PLOT)],
      [
        code(IMPORTS),
        code('model.fit(X, y)  # takes about a minute on a laptop'),
        code(PLOT)
      ]
    );
    expect(r).toMatchObject({ modified: 1, added: 0, removed: 0 });
    expect(r.paired).toContainEqual([1, 1, 'modified']);
  });

  it('a heading merged into the next paragraph: the paragraph is modified, the heading removed', () => {
    const r = pairs(
      [code(LOAD), md('## Model'), md(PARAGRAPH), code(FIT)],
      [code(LOAD), md('## Model\n\n' + PARAGRAPH), code(FIT)]
    );
    expect(r).toMatchObject({ modified: 1, added: 0, removed: 1 });
    expect(r.paired).toContainEqual([2, 1, 'modified']);
  });

  it('a cell split in two: modified plus one added', () => {
    const r = pairs(
      [code(IMPORTS + '\n\n' + LOAD), code(FIT)],
      [code(IMPORTS), code(LOAD), code(FIT)]
    );
    expect(r).toMatchObject({ modified: 1, added: 1, removed: 0 });
  });

  it('a paragraph cut to a third: modified', () => {
    const long = [
      PARAGRAPH,
      PARAGRAPH.replace('ordinary', 'robust'),
      PARAGRAPH.replace('rooms', 'floors')
    ].join(' ');
    const r = pairs(
      [code(LOAD), md(long), code(FIT), code(PLOT)],
      [
        code(LOAD),
        md(PARAGRAPH),
        code('model = Ridge(alpha=1.0)\nmodel.fit(X_train, y_train)'),
        code(PLOT)
      ]
    );
    expect(r).toMatchObject({ modified: 2, added: 0, removed: 0 });
  });

  it('a long paragraph lightly edited on every line: modified', () => {
    const lines = Array.from(
      { length: 24 },
      (_, i) =>
        `Line ${i} of the discussion says the model under-fits the older houses by about ${i} percent.`
    );
    const edited = lines.map(l =>
      l.replace('says', 'shows').replace('about', 'roughly')
    );
    expect(lines.join('\n').length).toBeGreaterThan(2000);
    const r = pairs(
      [md('# Results'), md(lines.join('\n')), code(PLOT), md('Other notes')],
      [
        md('# Results'),
        md(edited.join('\n')),
        code('print(model.coef_)'),
        md('Other notes')
      ]
    );
    expect(r.paired).toContainEqual([1, 1, 'modified']);
    expect(r.paired).not.toContainEqual([2, 2, 'modified']);
  });

  it('heavy rewording in place: modified', () => {
    const r = pairs(
      [
        code(LOAD),
        md(
          'The model fits the training data well, but the test error is high.'
        ),
        code(FIT)
      ],
      [
        code(LOAD),
        md(
          'On test data the error is high, although training data is fit well by the model.'
        ),
        code(FIT)
      ]
    );
    expect(r).toMatchObject({ modified: 1, added: 0, removed: 0 });
  });

  it('a cell moved and edited: moved, not removed and added', () => {
    const r = pairs(
      [code(IMPORTS), code(LOAD), code(SPLIT), code(FIT), code(PLOT)],
      [
        code(LOAD),
        code(SPLIT),
        code(FIT),
        code(PLOT),
        code(IMPORTS + '\nimport seaborn as sns')
      ]
    );
    expect(r).toMatchObject({ moved: 1, added: 0, removed: 0 });
    expect(r.diff.cells.find(c => c.kind === 'moved')).toMatchObject({
      a: 0,
      b: 4,
      changes: { source: {} }
    });
  });

  it('a reordered block: moves, nothing added or removed', () => {
    const r = pairs(
      [code(IMPORTS), code(LOAD), code(SPLIT), code(FIT), code(PLOT)],
      [code(IMPORTS), code(FIT), code(PLOT), code(LOAD), code(SPLIT)]
    );
    expect(r).toMatchObject({ added: 0, removed: 0, modified: 0 });
    expect(r.moved).toBe(2);
  });

  it('ids regenerated on both sides: paired by content', () => {
    const cells = [IMPORTS, LOAD, SPLIT, FIT, PLOT];
    const r = pairs(
      cells.map((s, i) => code(s, `old-${i}`)),
      cells.map((s, i) =>
        code(
          i === 3 ? s + '\nprint(model.score(X_test, y_test))' : s,
          `new-${i}`
        )
      )
    );
    expect(r).toMatchObject({
      unchanged: 4,
      modified: 1,
      added: 0,
      removed: 0
    });
  });

  it('a pasted cell (new id, same content) is the same cell', () => {
    const r = pairs(
      [code(IMPORTS, 'a'), code(LOAD, 'b'), code(FIT, 'c')],
      [code(IMPORTS, 'a'), code(LOAD, 'pasted'), code(FIT, 'c')]
    );
    expect(r).toMatchObject({ unchanged: 3, added: 0, removed: 0 });
  });

  it('a cell rewritten under the same id is modified; ids only hint', () => {
    const r = pairs(
      [code(IMPORTS, 'a'), code('x = 1', 'b'), code(FIT, 'c')],
      [code(IMPORTS, 'a'), code("print('done')", 'b'), code(FIT, 'c')]
    );
    expect(r).toMatchObject({ modified: 1, added: 0, removed: 0 });
    // Content beats the id: an edited copy of cell c under a new id, and
    // cell c's id on an unrelated cell.
    const s = pairs(
      [code(IMPORTS, 'a'), code(FIT, 'c'), code(PLOT, 'd')],
      [
        code(IMPORTS, 'a'),
        code(FIT + '\nmodel.score(X, y)', 'z'),
        code(PLOT, 'd'),
        code('help(np)', 'c')
      ]
    );
    expect(s.paired).toContainEqual([1, 1, 'modified']);
  });

  it('unrelated cells are not paired, a small cell is not "contained" in a big one', () => {
    const r = pairs(
      [code(IMPORTS), code('print(x)'), code(PLOT)],
      [
        code(IMPORTS),
        code(LOAD + '\nprint(x)\nprint(df.head())'),
        code(SPLIT),
        code(PLOT)
      ]
    );
    expect(r).toMatchObject({ modified: 0, added: 2, removed: 1 });
    expect(cellSimilarity(code(FIT), code(PLOT))).toBeLessThan(0.5);
  });

  for (const n of [200, 1000]) {
    it(`a formatter run over every one of ${n} cells: all modified, none by position`, () => {
      const a = Array.from({ length: n }, (_, i) =>
        code(
          `result_${i}=compute( data_${i},scale=${i % 7} )\nprint( result_${i} )`
        )
      );
      const b = a.map((c, i) =>
        code(
          `result_${i} = compute(data_${i}, scale=${i % 7})\nprint(result_${i})`
        )
      );
      const r = pairs(a, b);
      expect(r).toMatchObject({ modified: n, added: 0, removed: 0, moved: 0 });
      expect(r.diff.coarse).toEqual([]);
    });
  }

  it('all cells shuffled: moves only', () => {
    const a = Array.from({ length: 300 }, (_, i) =>
      code(`step_${i} = run(${i})`)
    );
    const perm = a.map((_, i) => (i * 7919) % 300);
    const r = pairs(
      a,
      perm.map(i => a[i])
    );
    expect(r).toMatchObject({ added: 0, removed: 0, modified: 0 });
  });
});

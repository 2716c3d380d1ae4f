import type { TranslationBundle } from '@jupyterlab/translation';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ICell, INotebook } from '../../../src/core/diff';
import { mergeNotebooks } from '../../../src/core/merge';
import type { NotebookMergeView as View } from '../../../src/lab/diff/mergeview';

let NotebookMergeView: typeof View;

beforeAll(async () => {
  // jsdom has no DragEvent, which @lumino/dragdrop extends when loaded.
  (globalThis as any).DragEvent ??= class extends MouseEvent {};
  ({ NotebookMergeView } = await import('../../../src/lab/diff/mergeview'));
});

/** A translation bundle that fills in %1 as JupyterLab's does. */
const fill = (s: string, args: unknown[]) =>
  s.replace(/%(\d)/g, (_, n) => String(args[Number(n) - 1]));
const trans = {
  __: (s: string, ...args: unknown[]) => fill(s, args),
  _n: (one: string, many: string, n: number, ...args: unknown[]) =>
    fill(n === 1 ? one : many, [n, ...args])
} as unknown as TranslationBundle;

const code = (source: string): ICell => ({
  cell_type: 'code',
  source,
  metadata: {},
  outputs: [],
  execution_count: null
});
const nb = (sources: string[]): INotebook => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: sources.map(code)
});

function view() {
  const merged = mergeNotebooks(
    nb(['a = 1\n', 'b = 2\n', 'c = 3\n']),
    nb(['a = 10\n', 'b = 20\n', 'c = 3\n']),
    nb(['a = 100\n', 'b = 200\n', 'c = <b>3</b>\n'])
  );
  const saved: INotebook[] = [];
  const v = new NotebookMergeView({
    notebook: merged.notebook,
    title: 'base → local + remote',
    savePath: 'out.ipynb',
    save: async n => {
      saved.push(n);
    },
    trans
  });
  const q = (s: string) => [...v.node.querySelectorAll<HTMLElement>(s)];
  return { v, saved, q };
}

describe('NotebookMergeView', () => {
  it('lists each conflict with both sides as text, and resolves them by button or edit', async () => {
    const { v, saved, q } = view();
    expect(q('.jp-Labbook-mergeSummary')[0].textContent).toBe(
      '2 conflicts left'
    );
    expect(q('.jp-Labbook-mergeWhere').map(n => n.textContent)).toEqual([
      'Cell 1 · source',
      'Cell 2 · source'
    ]);
    expect(q('.jp-mod-local .jp-Labbook-mergeText')[0].textContent).toBe(
      'a = 10\n'
    );
    expect(q('.jp-mod-remote .jp-Labbook-mergeText')[0].textContent).toBe(
      'a = 100\n'
    );
    // Nothing resolved yet: nothing to save.
    expect((q('.jp-Labbook-mergeSave')[0] as HTMLButtonElement).disabled).toBe(
      true
    );
    q('.jp-Labbook-mergeBoth')[0].click();
    expect(v.notebook.cells[0].source).toBe('a = 10\na = 100\n');
    q('.jp-Labbook-mergeEdit')[0].click();
    const area = q('.jp-Labbook-mergeEditor')[0] as HTMLTextAreaElement;
    area.value = 'b = 25\n';
    q('.jp-Labbook-mergeApply')[0].click();
    expect(q('.jp-Labbook-mergeSummary')[0].textContent).toBe(
      'No conflicts left'
    );
    // Text from the notebook stays text.
    expect(v.node.querySelector('b')).toBeNull();
    q('.jp-Labbook-mergeSave')[0].click();
    await new Promise(r => setTimeout(r, 0));
    expect(saved).toHaveLength(1);
    expect(saved[0].cells.map(c => c.source)).toEqual([
      'a = 10\na = 100\n',
      'b = 25\n',
      'c = <b>3</b>\n'
    ]);
    expect(q('.jp-Labbook-mergeStatus')[0].textContent).toBe(
      'Saved to out.ipynb'
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  diffNotebooks,
  ICell,
  INotebook,
  IOutput,
  renderDiffText,
  stripControl
} from '../../../src/core/diff';

const PNG_A =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PNG_B =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

function code(id: string, source: string, outputs: IOutput[] = []): ICell {
  return {
    cell_type: 'code',
    id,
    source,
    metadata: {},
    execution_count: 1,
    outputs
  };
}

function notebook(cells: ICell[]): INotebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells };
}

function render(a: INotebook, b: INotebook, color = false): string {
  return renderDiffText(diffNotebooks(a, b), a, b, {
    color,
    labelA: 'old.ipynb',
    labelB: 'new.ipynb'
  });
}

/** Ten numbered lines: "line 1\n" … "line 10\n". */
const TEN = Array.from({ length: 10 }, (_, i) => `line ${i + 1}\n`).join('');

describe('renderDiffText', () => {
  it('names both files and says when the notebooks are identical', () => {
    const a = notebook([code('x', 'print(1)\n'), code('y', 'print(2)\n')]);
    const text = render(a, structuredClone(a));
    expect(text.split('\n').slice(0, 3)).toEqual([
      '--- old.ipynb',
      '+++ new.ipynb',
      '0 modified, 0 added, 0 removed, 0 moved, 2 unchanged (identical)'
    ]);
    expect(text).toContain('… 2 unchanged cells');
    expect(text).not.toContain('## cell');
  });

  it('shows a changed line as a unified hunk with two lines of context', () => {
    const a = notebook([code('x', TEN)]);
    const b = notebook([code('x', TEN.replace('line 5\n', 'line five\n'))]);
    const text = render(a, b);
    expect(text).toContain(
      [
        '## cell 1 (code) modified',
        '@@ -3,5 +3,5 @@',
        ' line 3',
        ' line 4',
        '-line 5',
        '+line five',
        ' line 6',
        ' line 7'
      ].join('\n')
    );
    expect(text).not.toContain('line 2');
    expect(text).not.toContain('line 8');
  });

  it('collapses runs of unchanged cells and counts every kind of change', () => {
    const cells = Array.from({ length: 14 }, (_, i) =>
      code(`c${i}`, `x = ${i}\n`)
    );
    const a = notebook(cells);
    const bcells = structuredClone(cells);
    bcells[1].source = 'x = 100\n';
    bcells[8].source = 'x = 800\n';
    bcells.splice(12, 1); // remove c12
    bcells.splice(5, 0, code('new', 'added()\n'));
    const moved = bcells.splice(3, 1)[0]; // move c3 to the end
    bcells.push(moved);
    const text = render(a, notebook(bcells));
    expect(text).toContain(
      '2 modified, 1 added, 1 removed, 1 moved, 10 unchanged'
    );
    expect(text).toContain('… 1 unchanged cell\n');
    expect(text).toContain('… 3 unchanged cells\n');
    expect(text).toContain('## cell 5 (new, code) added\n+added()');
    expect(text).toContain('## old cell 13 (code) removed\n-x = 12');
    // Old and new numbers where they differ, so no header names two cells.
    expect(text).toContain('## cell 14 (old 4, code) moved\n');
    expect(text).toContain('## cell 9 (code) modified\n');
    expect(text).toContain('## cell 2 (code) modified\n');
  });

  it('summarises outputs: stream lines, image hashes, error names', () => {
    const a = notebook([
      code('s', 'a\n', [
        { output_type: 'stream', name: 'stdout', text: 'epoch 1\nloss 0.5\n' }
      ]),
      code('i', 'b\n', [
        {
          output_type: 'display_data',
          data: { 'image/png': PNG_A, 'text/plain': '<Figure>' },
          metadata: {}
        }
      ]),
      code('e', 'c\n', [
        {
          output_type: 'error',
          ename: 'ValueError',
          evalue: 'bad shape',
          traceback: ['\x1b[0;31mValueError\x1b[0m: bad shape']
        }
      ])
    ]);
    const b = structuredClone(a);
    b.cells[0].outputs![0].text = 'epoch 1\nloss 0.25\n';
    (b.cells[1].outputs![0].data as Record<string, string>)['image/png'] =
      PNG_B;
    Object.assign(b.cells[2].outputs![0], {
      ename: 'TypeError',
      evalue: 'bad type',
      traceback: ['\x1b[0;31mTypeError\x1b[0m: bad type']
    });
    const text = render(a, b);
    expect(text).toContain(' epoch 1\n  -loss 0.5\n  +loss 0.25');
    expect(text).toMatch(/image\/png changed: [0-9a-f]{12} → [0-9a-f]{12}\n/);
    const [, ha, hb] = text.match(/image\/png changed: (\w+) → (\w+)/)!;
    expect(ha).not.toBe(hb);
    expect(text).toContain('error name: ValueError → TypeError');
    expect(text).toContain('error value: bad shape → bad type');
    // Traceback colours are removed, not printed as escapes.
    expect(text).toContain('  -ValueError: bad shape\n  +TypeError: bad type');
  });

  it('lists metadata changes one per line', () => {
    const a = notebook([code('x', 'x\n')]);
    a.metadata = { kernelspec: { name: 'python3' } };
    const b = structuredClone(a);
    b.metadata = { kernelspec: { name: 'julia' } };
    b.cells[0].metadata = { tags: ['slow'] };
    const text = render(a, b);
    expect(text).toContain(
      'metadata kernelspec.name changed: "python3" → "julia"\n'
    );
    expect(text).toContain('metadata tags added: ["slow"]\n');
  });

  it('names the differing key path and values of a nested change, however long the value', () => {
    const a = notebook([code('x', 'x\n')]);
    const info = {
      name: 'python',
      codemirror_mode: { name: 'ipython', version: 3 },
      file_extension: '.py',
      mimetype: 'text/x-python',
      nbconvert_exporter: 'python',
      pygments_lexer: 'ipython3',
      version: '3.10.12'
    };
    a.metadata = { language_info: info, 'my key': { 'a.b': [1, 2] } };
    const b = structuredClone(a);
    b.metadata.language_info = { ...info, version: '3.11.4' };
    b.metadata['my key'] = { 'a.b': [1, 3] };
    delete (b.metadata.language_info as any).mimetype;
    const text = render(a, b);
    expect(text).toContain(
      'metadata language_info.version changed: "3.10.12" → "3.11.4"\n'
    );
    expect(text).toContain(
      'metadata language_info.mimetype removed: "text/x-python"\n'
    );
    expect(text).toContain('metadata my key["a.b"][1] changed: 2 → 3\n');
    expect(text).not.toContain('codemirror_mode');
  });

  it('uses no escape sequences without colour, and ANSI with it', () => {
    const a = notebook([code('x', 'y = x * 2\n')]);
    const b = notebook([code('x', 'y = x * 3\n')]);
    expect(render(a, b, false)).not.toContain('\x1b');
    const coloured = render(a, b, true);
    expect(coloured).toContain('\x1b[36m## cell 1 (code) modified\x1b[0m');
    // Red removed line, green added line, the changed word bold+inverse.
    expect(coloured).toContain('\x1b[31m-y = x * \x1b[1;7m2\x1b[22;27m\x1b[0m');
    expect(coloured).toContain('\x1b[32m+y = x * \x1b[1;7m3\x1b[22;27m\x1b[0m');
  });

  it('never passes control characters from the notebook to the terminal', () => {
    const evil =
      'title = "\x1b]0;owned\x07"\nclear = "\x1b[2J\x1b[H\r\x08\x9b31m"\nrtl = "\u202egnp.exe"\n';
    const a = notebook([code('x', 'x\n')]);
    const b = notebook([
      { ...code('x', evil), metadata: { '\x1b[2Jkey': '\x1b[31mv' } }
    ]);
    for (const color of [false, true]) {
      const text = render(a, b, color);
      // Without the renderer's own colours (the notebook's are asserted
      // absent through the visible text below).
      const fromNotebook = text.replace(
        // eslint-disable-next-line no-control-regex
        /\x1b\[(?:0|2|31|32|36|1;7|22;27)m/g,
        ''
      );
      // eslint-disable-next-line no-control-regex
      expect(fromNotebook).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
      // What the sequences carried stays visible.
      expect(fromNotebook).toContain('+title = "]0;owned"');
      expect(fromNotebook).toContain('+clear = "[2J[H"');
    }
  });
});

describe('stripControl', () => {
  it('keeps tabs, newlines and printable text', () => {
    expect(stripControl('a\tb\nc é → 漢字')).toBe('a\tb\nc é → 漢字');
  });
  it('removes colour sequences whole and other controls alone', () => {
    expect(stripControl('\x1b[1;31mred\x1b[0m\r\x07\x1b[2J')).toBe('red[2J');
  });
});

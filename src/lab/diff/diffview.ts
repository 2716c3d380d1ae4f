/**
 * The notebook diff view: renders a diff computed by src/core/diff (plain
 * data) side by side or unified, unchanged cells collapsed with a count,
 * changed lines and words highlighted, previous/next change navigation and
 * a summary. Loaded on demand (the plugin imports this module lazily).
 *
 * Everything from the notebooks is put in the page as text; images are
 * shown only as PNG/JPEG/GIF data URLs inside <img>.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type {
  ICell,
  ICellDiff,
  INotebook,
  INotebookDiff,
  IOutputChange,
  IKeyChange,
  ITextDiff
} from '../../core/diff';
import { joinLines } from '../../core/diff';
import { el } from '../ui/dom';
import { type DiffMode, renderTextDiff } from './textdiff';

export type { DiffMode } from './textdiff';

const IMAGE_MIMES = ['image/png', 'image/jpeg', 'image/gif'];

export class NotebookDiffView extends Widget {
  constructor(options: NotebookDiffView.IOptions) {
    super();
    this.addClass('jp-Labbook-diff');
    this._options = options;
    this._mode = options.mode ?? 'side-by-side';
    this.node.tabIndex = 0;
    this.node.addEventListener('keydown', event => {
      if (event.key === 'n' || event.key === 'j') {
        this.next();
      } else if (event.key === 'p' || event.key === 'k') {
        this.previous();
      }
    });
    this._render();
  }

  get mode(): DiffMode {
    return this._mode;
  }

  set mode(mode: DiffMode) {
    if (mode !== this._mode) {
      this._mode = mode;
      this._render();
    }
  }

  /** Scroll to the next changed cell. */
  next(): void {
    this._go(+1);
  }

  /** Scroll to the previous changed cell. */
  previous(): void {
    this._go(-1);
  }

  private _go(step: number): void {
    const changes = [
      ...this.node.querySelectorAll<HTMLElement>('.jp-Labbook-diffCell')
    ];
    if (changes.length === 0) {
      return;
    }
    this._at = Math.max(0, Math.min(changes.length - 1, this._at + step));
    changes.forEach((c, i) =>
      c.classList.toggle('jp-mod-current', i === this._at)
    );
    changes[this._at].scrollIntoView({ block: 'start' });
    this._position.textContent = `${this._at + 1} / ${changes.length}`;
  }

  private _render(): void {
    const { diff, trans: t } = this._options;
    const bar = el('div', 'jp-Labbook-diffBar');
    const s = diff.summary;
    const summary = el(
      'span',
      'jp-Labbook-diffSummary',
      s.identical
        ? t.__('No differences')
        : t.__(
            '%1 modified, %2 added, %3 removed, %4 moved, %5 unchanged',
            s.modified,
            s.added,
            s.removed,
            s.moved,
            s.unchanged
          )
    );
    const prev = el('button', 'jp-mod-styled jp-Labbook-diffPrev', '↑');
    prev.title = t.__('Previous change (p)');
    prev.addEventListener('click', () => this.previous());
    const next = el('button', 'jp-mod-styled jp-Labbook-diffNext', '↓');
    next.title = t.__('Next change (n)');
    next.addEventListener('click', () => this.next());
    this._position = el('span', 'jp-Labbook-diffPosition', '');
    const mode = el('select', 'jp-mod-styled jp-Labbook-diffMode');
    mode.setAttribute('aria-label', t.__('Diff layout'));
    for (const [value, label] of [
      ['side-by-side', t.__('Side by side')],
      ['unified', t.__('Unified')]
    ]) {
      const o = el('option', '', label);
      o.value = value;
      o.selected = value === this._mode;
      mode.append(o);
    }
    mode.addEventListener('change', () => {
      this.mode = mode.value as DiffMode;
    });
    bar.append(summary, prev, next, this._position, mode);

    const heads = el('div', 'jp-Labbook-diffHeads');
    heads.append(
      el('span', 'jp-Labbook-diffHeadA', this._options.titleA),
      el('span', 'jp-Labbook-diffHeadB', this._options.titleB)
    );

    const body = el('div', 'jp-Labbook-diffBody');
    if (diff.coarse.length) {
      body.append(
        el(
          'div',
          'jp-Labbook-diffCoarse',
          t.__('Shown coarser to stay fast: %1', diff.coarse.join('; '))
        )
      );
    }
    const nbMeta = [
      ...(diff.notebook.metadata ?? []),
      ...(diff.notebook.fields ?? [])
    ];
    if (nbMeta.length) {
      body.append(this._keys(t.__('Notebook metadata'), nbMeta));
    }
    let run: ICellDiff[] = [];
    const flush = () => {
      if (run.length) {
        body.append(this._collapsed(run));
        run = [];
      }
    };
    for (const c of diff.cells) {
      if (c.kind === 'unchanged' || (c.kind === 'moved' && !c.changes)) {
        if (c.kind === 'unchanged') {
          run.push(c);
          continue;
        }
      }
      flush();
      body.append(this._cell(c));
    }
    flush();
    this.node.replaceChildren(bar, heads, body);
    this.toggleClass('jp-mod-unified', this._mode === 'unified');
    this._at = -1;
  }

  /** A run of unchanged cells: a count that expands to the cells. */
  private _collapsed(cells: ICellDiff[]): HTMLElement {
    const t = this._options.trans;
    const box = el('div', 'jp-Labbook-diffCollapsed');
    const button = el(
      'button',
      'jp-Labbook-diffExpand',
      t._n('%1 unchanged cell', '%1 unchanged cells', cells.length)
    );
    button.addEventListener('click', () => {
      const shown = cells.map(c => {
        const cell = this._options.b.cells[c.b!];
        const row = el('div', 'jp-Labbook-diffUnchanged');
        row.append(
          el('div', 'jp-Labbook-diffCellHead', this._label(c)),
          this._plain(joinLines(cell.source) ?? '')
        );
        return row;
      });
      box.replaceChildren(...shown);
    });
    box.append(button);
    return box;
  }

  private _label(c: ICellDiff): string {
    const t = this._options.trans;
    const where =
      c.a !== undefined && c.b !== undefined
        ? c.a === c.b
          ? t.__('cell %1', c.b + 1)
          : t.__('cell %1 → %2', c.a + 1, c.b + 1)
        : c.b !== undefined
          ? t.__('cell %1', c.b + 1)
          : t.__('cell %1', (c.a ?? 0) + 1);
    return `${where} · ${t.__(c.kind)}`;
  }

  private _cell(c: ICellDiff): HTMLElement {
    const t = this._options.trans;
    const box = el('div', `jp-Labbook-diffCell jp-mod-${c.kind}`);
    box.dataset.kind = c.kind;
    const cellA: ICell | undefined =
      c.a !== undefined ? this._options.a.cells[c.a] : undefined;
    const cellB: ICell | undefined =
      c.b !== undefined ? this._options.b.cells[c.b] : undefined;
    box.append(el('div', 'jp-Labbook-diffCellHead', this._label(c)));
    const changes = c.changes;
    if (changes?.cellType) {
      box.append(
        el(
          'div',
          'jp-Labbook-diffNote',
          t.__('cell type %1 → %2', changes.cellType.a, changes.cellType.b)
        )
      );
    }
    if (c.kind === 'added' || c.kind === 'removed') {
      const cell = (c.kind === 'added' ? (c.cell ?? cellB) : cellA)!;
      const text = joinLines(cell?.source) ?? '';
      box.append(
        this._text({
          segments: [
            {
              kind: c.kind,
              value: text,
              count: text.split('\n').length
            }
          ]
        })
      );
    } else if (changes?.source) {
      box.append(this._text(changes.source));
    } else if (cellB) {
      box.append(this._plain(joinLines(cellB.source) ?? ''));
    }
    if (changes?.outputs) {
      const outs = el('div', 'jp-Labbook-diffOutputs');
      outs.append(el('div', 'jp-Labbook-diffSection', t.__('Outputs')));
      for (const o of changes.outputs.changes) {
        if (o.kind !== 'unchanged') {
          outs.append(this._output(o, cellA, cellB));
        }
      }
      box.append(outs);
    }
    if (changes?.executionCount) {
      box.append(
        el(
          'div',
          'jp-Labbook-diffNote',
          t.__(
            'execution count %1 → %2',
            String(changes.executionCount.a),
            String(changes.executionCount.b)
          )
        )
      );
    }
    const keys = [...(changes?.metadata ?? []), ...(changes?.fields ?? [])];
    if (keys.length) {
      box.append(this._keys(t.__('Metadata'), keys));
    }
    return box;
  }

  private _output(
    o: IOutputChange,
    cellA: ICell | undefined,
    cellB: ICell | undefined
  ): HTMLElement {
    const t = this._options.trans;
    const row = el('div', `jp-Labbook-diffOutput jp-mod-${o.kind}`);
    row.append(
      el('div', 'jp-Labbook-diffNote', `${o.outputType} · ${t.__(o.kind)}`)
    );
    if (o.text) {
      row.append(this._text(o.text));
    }
    if (o.error) {
      for (const [key, v] of Object.entries({
        ename: o.error.ename,
        evalue: o.error.evalue
      })) {
        if (v) {
          row.append(
            el('div', 'jp-Labbook-diffNote', `${key}: ${v.a} → ${v.b}`)
          );
        }
      }
      if (o.error.traceback) {
        row.append(this._text(o.error.traceback));
      }
    }
    for (const m of o.data ?? []) {
      if (m.image) {
        const pair = el('div', 'jp-Labbook-diffImages');
        const outA = o.a !== undefined ? cellA?.outputs?.[o.a] : undefined;
        const outB = o.b !== undefined ? cellB?.outputs?.[o.b] : undefined;
        pair.append(
          this._image(m.mime, outA, m.image.a),
          this._image(m.mime, outB, m.image.b)
        );
        row.append(pair);
      } else if (m.text) {
        row.append(
          el('div', 'jp-Labbook-diffNote', m.mime),
          this._text(m.text)
        );
      } else {
        row.append(
          el('div', 'jp-Labbook-diffNote', `${m.mime} ${t.__(m.kind)}`)
        );
      }
    }
    if (!o.text && !o.error && !o.data?.length && o.kind === 'added') {
      row.append(this._plain(JSON.stringify(o.output ?? {}, null, 1)));
    }
    return row;
  }

  private _image(mime: string, output: any, hash?: string): HTMLElement {
    const box = el('div', 'jp-Labbook-diffImage');
    const data = output?.data?.[mime];
    const b64 =
      typeof data === 'string'
        ? data
        : Array.isArray(data)
          ? data.join('')
          : '';
    if (b64 && IMAGE_MIMES.includes(mime)) {
      const img = el('img', '');
      img.src = `data:${mime};base64,${b64.replace(/\s/g, '')}`;
      img.alt = hash ? hash.slice(0, 12) : mime;
      box.append(img);
    } else {
      box.append(
        el('span', 'jp-Labbook-diffNote', hash ? hash.slice(0, 12) : '—')
      );
    }
    return box;
  }

  private _keys(title: string, keys: IKeyChange[]): HTMLElement {
    const details = el('details', 'jp-Labbook-diffKeys');
    details.append(
      el('summary', '', `${title} (${keys.length})`),
      ...keys.map(k =>
        el(
          'div',
          `jp-Labbook-diffKey jp-mod-${k.kind}`,
          `${k.key}: ${k.a === undefined ? '∅' : JSON.stringify(k.a)} → ${
            k.b === undefined ? '∅' : JSON.stringify(k.b)
          }`
        )
      )
    );
    return details;
  }

  private _plain(text: string): HTMLElement {
    const pre = el('div', 'jp-Labbook-diffLines');
    for (const line of text.split('\n')) {
      const row = el('div', 'jp-Labbook-diffLine');
      row.append(
        el('span', 'jp-Labbook-diffA', line),
        el('span', 'jp-Labbook-diffB', line)
      );
      pre.append(row);
    }
    return pre;
  }

  private _text(diff: ITextDiff): HTMLElement {
    return renderTextDiff(diff, this._mode);
  }

  private _options: NotebookDiffView.IOptions;
  private _mode: DiffMode;
  private _at = -1;
  private _position!: HTMLSpanElement;
}

export namespace NotebookDiffView {
  export interface IOptions {
    diff: INotebookDiff;
    a: INotebook;
    b: INotebook;
    titleA: string;
    titleB: string;
    trans: TranslationBundle;
    mode?: DiffMode;
  }
}

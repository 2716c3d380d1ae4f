/**
 * A notebook diff as terminal text: a header naming the two files, a
 * summary line, then each changed cell with a unified line diff of its
 * source (a few context lines), its outputs summarised and its metadata
 * changes one per line; runs of unchanged cells are collapsed.
 *
 * With `color`, ANSI escapes mark removed (red) and added (green) lines,
 * changed words inside them (bold, inverse) and headers (cyan). Text from
 * the notebooks is printed as it is, except control characters (other
 * than tab and newline) and escape sequences, which are removed so that a
 * notebook cannot drive the terminal.
 */

import { deepEqual, JSONValue, isObject } from './json';
import { ICell, INotebook, IOutput } from './notebook';
import { imageHash, isImageMime } from './outputs';
import {
  ICellDiff,
  IKeyChange,
  INotebookDiff,
  IOutputChange,
  ITextDiff,
  IWordPart
} from './result';

/** Options of `renderDiffText`. */
export interface ITextRenderOptions {
  /** Use ANSI colours. Default false. */
  color?: boolean;
  /** Label of the old notebook in the header. Default `a`. */
  labelA?: string;
  /** Label of the new notebook in the header. Default `b`. */
  labelB?: string;
  /** Unchanged lines shown around each change. Default 2. */
  context?: number;
}

/** ANSI escapes used by the renderer. */
const ANSI = {
  reset: '\x1b[0m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  cyan: '\x1b[36m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  /** Bold and inverse, for changed words. */
  word: '\x1b[1;7m',
  /** Back to plain weight and video, keeping the colour. */
  wordEnd: '\x1b[22;27m'
};

/**
 * Remove what could drive a terminal from notebook text: every C0 and C1
 * control character except tab and newline (so escape sequences, carriage
 * returns and bells too), DEL, and the Unicode bidirectional overrides
 * that reorder displayed text. Colour sequences (ESC [ ... m, common in
 * tracebacks) go whole; of any other sequence only the control characters
 * go, so what it carried stays visible in the diff.
 */
export function stripControl(text: string): string {
  /* eslint-disable no-control-regex -- matching control characters is the point */
  return text
    .replace(/(?:\x1b\[|\x9b)[0-9;:]*m/g, '')
    .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, '');
  /* eslint-enable no-control-regex */
}

/** The summary line: "2 modified, 1 added, 0 removed, 1 moved, 10 unchanged". */
export function summaryLine(diff: INotebookDiff): string {
  const s = diff.summary;
  return (
    `${s.modified} modified, ${s.added} added, ${s.removed} removed, ` +
    `${s.moved} moved, ${s.unchanged} unchanged`
  );
}

/**
 * Render a notebook diff as terminal text (ending with a newline).
 *
 * @param diff the result of `diffNotebooks(a, b)`
 * @param a the old notebook (for the sources of removed and moved cells)
 * @param b the new notebook
 */
export function renderDiffText(
  diff: INotebookDiff,
  a: INotebook,
  b: INotebook,
  options: ITextRenderOptions = {}
): string {
  const r = new Private.Renderer(diff, a, b, options);
  return r.render();
}

namespace Private {
  /** One line of a text diff, its break removed. */
  interface ILine {
    kind: 'equal' | 'added' | 'removed';
    text: string;
    /** Word runs of the line when the segment had word highlights. */
    parts?: IWordPart[];
  }

  /** Longest metadata value shown in one line, in characters. */
  const MAX_VALUE = 72;

  /** Most leaf changes listed for one metadata key. */
  const MAX_LEAVES = 20;

  /** A differing leaf: its key path, and its values (undefined: absent). */
  interface ILeaf {
    path: string;
    a?: JSONValue;
    b?: JSONValue;
  }

  /**
   * The header of a changed cell, numbered as in the new notebook with the
   * old number beside it when it differs (removed cells: the old number).
   */
  export function cellTitle(c: ICellDiff, type: string): string {
    if (c.kind === 'removed') {
      return `## old cell ${c.a! + 1} (${type}) removed`;
    }
    if (c.kind === 'added') {
      return `## cell ${c.b! + 1} (new, ${type}) added`;
    }
    const old = c.a !== c.b ? `old ${c.a! + 1}, ` : '';
    const kind = c.kind === 'moved' && c.changes ? 'moved, modified' : c.kind;
    return `## cell ${c.b! + 1} (${old}${type}) ${kind}`;
  }

  /** A key path: `a.b[2]`, keys that are not plain names quoted. */
  function keyPath(path: string[], key: string | number): string {
    const step =
      typeof key === 'number'
        ? `[${key}]`
        : /^[A-Za-z_][\w-]*$/.test(key)
          ? (path.length ? '.' : '') + key
          : path.length
            ? `[${JSON.stringify(key)}]`
            : key;
    return path.join('') + step;
  }

  /** Collect the differing leaves of two values under `path`. */
  function leafChanges(
    path: string,
    a: JSONValue | undefined,
    b: JSONValue | undefined,
    out: ILeaf[]
  ): void {
    if (isObject(a) && isObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
      for (const k of keys) {
        const va = a[k];
        const vb = b[k];
        if (!deepEqual(va, vb)) {
          leafChanges(keyPath([path], k), va, vb, out);
        }
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((va, i) => {
        if (!deepEqual(va, b[i])) {
          leafChanges(keyPath([path], i), va, b[i], out);
        }
      });
      return;
    }
    out.push({ path, a, b });
  }

  export class Renderer {
    constructor(
      private diff: INotebookDiff,
      private a: INotebook,
      private b: INotebook,
      options: ITextRenderOptions
    ) {
      this.color = options.color ?? false;
      this.labelA = options.labelA ?? 'a';
      this.labelB = options.labelB ?? 'b';
      this.context = Math.max(0, options.context ?? 2);
    }

    render(): string {
      const d = this.diff;
      this.header(`--- ${stripControl(this.labelA)}`);
      this.header(`+++ ${stripControl(this.labelB)}`);
      this.out.push(
        summaryLine(d) +
          (d.summary.identical ? ' (identical)' : '') +
          (d.summary.notebookChanged ? '; notebook metadata changed' : '')
      );
      const ignored = [
        d.options.includeExecutionCounts ? '' : 'execution counts',
        d.options.includeVolatileMetadata ? '' : 'volatile metadata'
      ].filter(Boolean);
      if (ignored.length) {
        this.dim(`(ignoring ${ignored.join(' and ')})`);
      }
      if (d.notebook.metadata || d.notebook.fields) {
        this.out.push('');
        this.header('## notebook');
        this.keyChanges('metadata', d.notebook.metadata);
        this.keyChanges('field', d.notebook.fields);
      }
      let unchanged = 0;
      const flush = () => {
        if (unchanged) {
          this.out.push('');
          this.dim(
            `… ${unchanged} unchanged cell${unchanged === 1 ? '' : 's'}`
          );
          unchanged = 0;
        }
      };
      for (const cell of d.cells) {
        if (cell.kind === 'unchanged') {
          unchanged++;
          continue;
        }
        flush();
        this.out.push('');
        this.cell(cell);
      }
      flush();
      if (d.coarse.length) {
        this.out.push('');
        for (const note of d.coarse) {
          this.dim(`note: ${stripControl(note)}`);
        }
      }
      return this.out.join('\n') + '\n';
    }

    private cell(c: ICellDiff): void {
      const ca = c.a !== undefined ? this.a.cells[c.a] : undefined;
      const cb = c.b !== undefined ? this.b.cells[c.b] : undefined;
      const shown = (cb ?? ca)!;
      this.header(cellTitle(c, shown.cell_type));
      if (c.kind === 'added' && cb) {
        this.wholeCell(cb, 'added');
        return;
      }
      if (c.kind === 'removed' && ca) {
        this.wholeCell(ca, 'removed');
        return;
      }
      const ch = c.changes;
      if (!ch) {
        return;
      }
      if (ch.cellType) {
        this.out.push(`cell type: ${ch.cellType.a} → ${ch.cellType.b}`);
      }
      if (ch.source) {
        this.textDiff(ch.source);
      }
      if (ch.executionCount) {
        this.out.push(
          `execution count: ${ch.executionCount.a ?? 'none'} → ${ch.executionCount.b ?? 'none'}`
        );
      }
      if (ch.outputs && ca && cb) {
        for (const o of ch.outputs.changes) {
          this.outputChange(o, ca, cb);
        }
      }
      this.keyChanges('metadata', ch.metadata);
      this.keyChanges('field', ch.fields);
    }

    /** An added or removed cell: its whole source, and its outputs listed. */
    private wholeCell(cell: ICell, kind: 'added' | 'removed'): void {
      for (const line of lines(cell.source)) {
        this.line({ kind, text: line });
      }
      (cell.outputs ?? []).forEach((o, i) => {
        this.out.push(
          this.paint(
            kind === 'added' ? ANSI.green : ANSI.red,
            `${kind === 'added' ? '+' : '-'} output ${i + 1}: ${describeOutput(o)}`
          )
        );
      });
    }

    private outputChange(o: IOutputChange, ca: ICell, cb: ICell): void {
      if (o.kind === 'unchanged') {
        return;
      }
      const index = (o.b ?? o.a ?? 0) + 1;
      const label = `output ${index} (${stripControl(o.outputType)})`;
      if (o.kind === 'added' || o.kind === 'removed') {
        const output =
          o.kind === 'added'
            ? (o.output ?? cb.outputs?.[o.b ?? -1])
            : ca.outputs?.[o.a ?? -1];
        const sign = o.kind === 'added' ? '+' : '-';
        this.out.push(
          this.paint(
            o.kind === 'added' ? ANSI.green : ANSI.red,
            `${sign} ${label} ${o.kind}${output ? `: ${describeOutput(output)}` : ''}`
          )
        );
        return;
      }
      this.out.push(`${label} modified:`);
      if (o.text) {
        this.textDiff(o.text, '  ');
      }
      if (o.error) {
        const e = o.error;
        if (e.ename) {
          this.change('  error name', e.ename.a, e.ename.b);
        }
        if (e.evalue) {
          this.change('  error value', e.evalue.a, e.evalue.b);
        }
        if (e.traceback) {
          this.out.push('  traceback:');
          this.textDiff(e.traceback, '  ');
        }
      }
      for (const m of o.data ?? []) {
        const mime = stripControl(m.mime);
        if (m.image) {
          const ha = m.image.a ? short(m.image.a) : 'none';
          const hb = m.image.b ? short(m.image.b) : 'none';
          this.out.push(`  ${mime} ${m.kind}: ${ha} → ${hb}`);
        } else {
          this.out.push(`  ${mime} ${m.kind}:`);
          if (m.text) {
            this.textDiff(m.text, '  ');
          }
        }
      }
      this.keyChanges('field', o.fields, '  ');
    }

    /** A line diff as unified hunks with `context` lines around changes. */
    private textDiff(diff: ITextDiff, indent = ''): void {
      const all = toLines(diff);
      const n = all.length;
      const keep = new Array<boolean>(n).fill(false);
      for (let i = 0; i < n; i++) {
        if (all[i].kind !== 'equal') {
          const from = Math.max(0, i - this.context);
          const to = Math.min(n - 1, i + this.context);
          for (let k = from; k <= to; k++) {
            keep[k] = true;
          }
        }
      }
      // Line numbers (1-based) in the old and new text before line i.
      let oldNo = 1;
      let newNo = 1;
      let i = 0;
      while (i < n) {
        if (!keep[i]) {
          if (all[i].kind !== 'added') {
            oldNo++;
          }
          if (all[i].kind !== 'removed') {
            newNo++;
          }
          i++;
          continue;
        }
        let j = i;
        while (j < n && keep[j]) {
          j++;
        }
        const hunk = all.slice(i, j);
        const oldCount = hunk.filter(l => l.kind !== 'added').length;
        const newCount = hunk.filter(l => l.kind !== 'removed').length;
        this.header(
          `${indent}@@ -${range(oldNo, oldCount)} +${range(newNo, newCount)} @@`
        );
        for (const line of hunk) {
          this.line(line, indent);
        }
        oldNo += oldCount;
        newNo += newCount;
        i = j;
      }
      if (diff.coarse) {
        this.dim(`${indent}(${stripControl(diff.coarse)})`);
      }
    }

    private line(line: ILine, indent = ''): void {
      const sign =
        line.kind === 'added' ? '+' : line.kind === 'removed' ? '-' : ' ';
      if (!this.color) {
        this.out.push(`${indent}${sign}${stripControl(line.text)}`);
        return;
      }
      if (line.kind === 'equal') {
        this.out.push(`${indent} ${stripControl(line.text)}`);
        return;
      }
      const colour = line.kind === 'added' ? ANSI.green : ANSI.red;
      let body = '';
      if (line.parts && line.parts.some(p => !p.changed)) {
        for (const p of line.parts) {
          const text = stripControl(p.text);
          body += p.changed && text ? ANSI.word + text + ANSI.wordEnd : text;
        }
      } else {
        body = stripControl(line.text);
      }
      this.out.push(`${indent}${colour}${sign}${body}${ANSI.reset}`);
    }

    private keyChanges(
      what: string,
      changes: IKeyChange[] | undefined,
      indent = ''
    ): void {
      for (const c of changes ?? []) {
        for (const line of this.keyChange(what, c)) {
          this.out.push(indent + line);
        }
      }
    }

    /**
     * One line per differing leaf: a change inside nested objects names
     * the key path (`language_info.version`) and the two leaf values, so
     * the difference is shown even deep inside a long value.
     */
    private keyChange(what: string, c: IKeyChange): string[] {
      const leaves: ILeaf[] = [];
      leafChanges(keyPath([], c.key), c.a, c.b, leaves);
      const shown = leaves.slice(0, MAX_LEAVES).map(l => {
        const key = stripControl(l.path);
        if (l.a === undefined) {
          return `${what} ${key} added: ${this.paint(ANSI.green, value(l.b))}`;
        }
        if (l.b === undefined) {
          return `${what} ${key} removed: ${this.paint(ANSI.red, value(l.a))}`;
        }
        return (
          `${what} ${key} changed: ${this.paint(ANSI.red, value(l.a))}` +
          ` → ${this.paint(ANSI.green, value(l.b))}`
        );
      });
      if (leaves.length > MAX_LEAVES) {
        shown.push(
          `${what} ${stripControl(c.key)}: … ${leaves.length - MAX_LEAVES} more changes`
        );
      }
      return shown;
    }

    private change(what: string, a: string, b: string): void {
      this.out.push(
        `${what}: ${this.paint(ANSI.red, oneLine(a))} → ${this.paint(ANSI.green, oneLine(b))}`
      );
    }

    private header(text: string): void {
      this.out.push(this.paint(ANSI.cyan, text));
    }

    private dim(text: string): void {
      this.out.push(this.paint(ANSI.dim, text));
    }

    private paint(code: string, text: string): string {
      return this.color ? code + text + ANSI.reset : text;
    }

    private color: boolean;
    private labelA: string;
    private labelB: string;
    private context: number;
    private out: string[] = [];
  }

  /** A text's lines without their breaks (a final break adds no line). */
  function lines(text: string): string[] {
    if (!text) {
      return [];
    }
    const out = text.split('\n');
    if (out[out.length - 1] === '') {
      out.pop();
    }
    return out;
  }

  /** The lines of a text diff, with their word runs when there are some. */
  function toLines(diff: ITextDiff): ILine[] {
    const out: ILine[] = [];
    for (const s of diff.segments) {
      if (!s.words) {
        for (const text of lines(s.value)) {
          out.push({ kind: s.kind, text });
        }
        continue;
      }
      // Split the word runs at line breaks, one list of runs per line.
      let current: IWordPart[] = [];
      const perLine: IWordPart[][] = [current];
      for (const part of s.words) {
        const pieces = part.text.split('\n');
        pieces.forEach((piece, k) => {
          if (k > 0) {
            current = [];
            perLine.push(current);
          }
          if (piece) {
            current.push({ text: piece, changed: part.changed });
          }
        });
      }
      if (perLine.length > 1 && perLine[perLine.length - 1].length === 0) {
        perLine.pop();
      }
      for (const parts of perLine) {
        out.push({
          kind: s.kind,
          text: parts.map(p => p.text).join(''),
          parts
        });
      }
    }
    return out;
  }

  function range(start: number, count: number): string {
    // As in unified diffs: an empty range names the line before it.
    return count === 1
      ? `${start}`
      : `${count === 0 ? start - 1 : start},${count}`;
  }

  /** First 12 hex digits of a hash, as git abbreviates. */
  function short(hash: string): string {
    return hash.slice(0, 12);
  }

  /** A JSON value in one line, shortened. */
  function value(v: JSONValue | undefined): string {
    return oneLine(v === undefined ? 'undefined' : JSON.stringify(v));
  }

  /** Text in one line: line breaks shown as ⏎, control characters removed, shortened. */
  function oneLine(text: string): string {
    const flat = stripControl(text.replace(/\r?\n/g, '⏎').replace(/\t/g, ' '));
    return flat.length > MAX_VALUE ? flat.slice(0, MAX_VALUE - 1) + '…' : flat;
  }

  /** An output in one line: type, MIME types or text, image hashes. */
  export function describeOutput(o: IOutput): string {
    if (o.output_type === 'stream' && typeof o.text === 'string') {
      const name = typeof o.name === 'string' ? o.name : 'stream';
      return `${stripControl(name)}: ${oneLine(o.text)}`;
    }
    if (o.output_type === 'error') {
      return `${oneLine(String(o.ename))}: ${oneLine(String(o.evalue))}`;
    }
    if (isObject(o.data)) {
      const data = o.data;
      return (
        Object.keys(data)
          .map(mime => {
            const m = stripControl(mime);
            if (isImageMime(mime)) {
              return `${m} ${short(imageHash(data[mime]))}`;
            }
            const v = data[mime];
            return mime === 'text/plain' && typeof v === 'string'
              ? `${m} ${oneLine(v)}`
              : m;
          })
          .join(', ') || 'no data'
      );
    }
    return stripControl(o.output_type);
  }
}

/**
 * A text diff (src/core/diff `ITextDiff`) as DOM: side by side (removed
 * lines on the left, added on the right, paired in order) or unified (one
 * column with -/+), changed words highlighted. Used by the notebook diff
 * for cell sources and outputs and by the compare view for scripts.
 * Every line is put in the page as text.
 */
import type { ITextDiff, IWordPart } from '../../core/diff';
import { el } from '../ui/dom';

export type DiffMode = 'side-by-side' | 'unified';

export interface ITextDiffRenderOptions {
  /**
   * Unchanged lines kept around each change; longer unchanged runs are
   * cut to one row saying how many lines it stands for. Default: all.
   */
  context?: number;
  /** The text of that row, e.g. `12 unchanged lines`. */
  skipped?: (lines: number) => string;
}

export function renderTextDiff(
  diff: ITextDiff,
  mode: DiffMode,
  options: ITextDiffRenderOptions = {}
): HTMLElement {
  const box = el(
    'div',
    `jp-Labbook-diffLines${mode === 'unified' ? ' jp-mod-unified' : ''}`
  );
  if (diff.coarse) {
    box.append(el('div', 'jp-Labbook-diffCoarse', diff.coarse));
  }
  const segs = diff.segments;
  const equalRow = (l: string) => {
    const row = el('div', 'jp-Labbook-diffLine');
    row.append(
      el('span', 'jp-Labbook-diffA', l),
      el('span', 'jp-Labbook-diffB', l)
    );
    return row;
  };
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const lines = splitKeep(seg.value);
    if (seg.kind === 'equal') {
      const shown = Private.context(
        lines.length,
        i > 0,
        i < segs.length - 1,
        options.context
      );
      for (const part of shown) {
        if (typeof part === 'number') {
          box.append(
            el(
              'div',
              'jp-Labbook-diffSkip',
              options.skipped?.(part) ?? `… ${part}`
            )
          );
        } else {
          for (let k = part[0]; k < part[1]; k++) {
            box.append(equalRow(lines[k]));
          }
        }
      }
      continue;
    }
    // A removed segment followed by an added one: a change, paired.
    const removed = seg.kind === 'removed' ? seg : undefined;
    const added =
      seg.kind === 'added'
        ? seg
        : segs[i + 1]?.kind === 'added'
          ? segs[++i]
          : undefined;
    const left = removed
      ? Private.words(removed.words, splitKeep(removed.value))
      : [];
    const right = added
      ? Private.words(added.words, splitKeep(added.value))
      : [];
    if (mode === 'unified') {
      for (const l of left) {
        box.append(Private.lineRow('removed', l));
      }
      for (const r of right) {
        box.append(Private.lineRow('added', r));
      }
    } else {
      for (let k = 0; k < Math.max(left.length, right.length); k++) {
        const row = el('div', 'jp-Labbook-diffLine jp-mod-changed');
        const a = el(
          'span',
          `jp-Labbook-diffA${left[k] ? ' jp-mod-removed' : ' jp-mod-empty'}`
        );
        const b = el(
          'span',
          `jp-Labbook-diffB${right[k] ? ' jp-mod-added' : ' jp-mod-empty'}`
        );
        if (left[k]) {
          a.append(...left[k]);
        }
        if (right[k]) {
          b.append(...right[k]);
        }
        row.append(a, b);
        box.append(row);
      }
    }
  }
  return box;
}

/** Lines of a text, without their line breaks. */
export function splitKeep(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

namespace Private {
  /**
   * Which lines of an unchanged run of `n` lines to show: `[from, to)`
   * ranges, and numbers standing for that many lines left out. A run
   * after a change keeps its first `context` lines, one before a change
   * its last.
   */
  export function context(
    n: number,
    afterChange: boolean,
    beforeChange: boolean,
    context: number | undefined
  ): ([number, number] | number)[] {
    if (context === undefined) {
      return [[0, n]];
    }
    const head = afterChange ? Math.min(context, n) : 0;
    const tail = beforeChange ? Math.min(context, n - head) : 0;
    const cut = n - head - tail;
    if (cut <= 1) {
      return [[0, n]]; // a row saying "1 line" is no shorter than the line
    }
    const out: ([number, number] | number)[] = [];
    if (head) {
      out.push([0, head]);
    }
    out.push(cut);
    if (tail) {
      out.push([n - tail, n]);
    }
    return out;
  }

  /** Lines of a segment as DOM nodes, changed words wrapped. */
  export function words(
    words: IWordPart[] | undefined,
    lines: string[]
  ): Node[][] {
    if (!words) {
      return lines.map(l => [document.createTextNode(l)]);
    }
    const out: Node[][] = [[]];
    for (const w of words) {
      const parts = w.text.split('\n');
      parts.forEach((p, i) => {
        if (i > 0) {
          out.push([]);
        }
        if (p) {
          out[out.length - 1].push(
            w.changed
              ? el('span', 'jp-Labbook-diffWord', p)
              : document.createTextNode(p)
          );
        }
      });
    }
    if (out.length > 1 && out[out.length - 1].length === 0) {
      out.pop();
    }
    return out;
  }

  export function lineRow(
    kind: 'added' | 'removed',
    nodes: Node[]
  ): HTMLElement {
    const row = el('div', `jp-Labbook-diffLine jp-mod-${kind}`);
    const span = el('span', 'jp-Labbook-diffU');
    span.append(kind === 'added' ? '+ ' : '- ', ...nodes);
    row.append(span);
    return row;
  }
}

/**
 * Text diffs by lines, refined to words inside changed lines, with bounded
 * cost: jsdiff gives up past `maxEditLength` edits or `timeout` ms and the
 * diff falls back to a coarser one (common first and last lines kept, the
 * middle as one replaced block), saying so in `coarse`.
 */

import { diffLines, diffWordsWithSpace } from 'diff';
import { ITextDiff, ITextSegment, IWordPart } from './result';

/** Bounds of one text diff. */
export interface ITextDiffOptions {
  /** Max edit distance explored (lines, then words). Default 2,000. */
  maxEditLength?: number;
  /** Max time per jsdiff call in ms. Default 200. */
  timeout?: number;
  /**
   * Largest changed block (in characters, each side) refined to words.
   * Default 20,000.
   */
  maxWordRefine?: number;
}

/** Diff two texts by lines, with word highlights in changed lines. */
export function diffText(
  a: string,
  b: string,
  options: ITextDiffOptions = {}
): ITextDiff {
  if (a === b) {
    return { segments: a ? [Private.segment('equal', a)] : [] };
  }
  const maxEditLength = options.maxEditLength ?? 2000;
  const timeout = options.timeout ?? 200;
  const notes: string[] = [];
  let segments: ITextSegment[];
  const changes = diffLines(a, b, { maxEditLength, timeout });
  if (changes) {
    segments = changes.map(c => ({
      kind: c.added ? 'added' : c.removed ? 'removed' : 'equal',
      value: c.value,
      count: c.count
    }));
  } else {
    segments = Private.coarseLines(a, b);
    notes.push(
      `line diff over ${maxEditLength.toLocaleString('en-US')} edits or ${timeout} ms: ` +
        'changed lines shown as one block'
    );
  }
  const maxWordRefine = options.maxWordRefine ?? 20000;
  let skipped = 0;
  for (let i = 0; i + 1 < segments.length; i++) {
    const x = segments[i];
    const y = segments[i + 1];
    if (x.kind === 'equal' || y.kind === 'equal' || x.kind === y.kind) {
      continue;
    }
    const removed = x.kind === 'removed' ? x : y;
    const added = x.kind === 'removed' ? y : x;
    if (
      removed.value.length > maxWordRefine ||
      added.value.length > maxWordRefine
    ) {
      skipped++;
    } else {
      const words = diffWordsWithSpace(removed.value, added.value, {
        maxEditLength,
        timeout
      });
      if (words) {
        removed.words = Private.side(words, 'removed');
        added.words = Private.side(words, 'added');
      } else {
        skipped++;
      }
    }
    i++;
  }
  if (skipped) {
    notes.push(
      `word highlights skipped in ${skipped} changed block${skipped > 1 ? 's' : ''} (too large)`
    );
  }
  return notes.length ? { segments, coarse: notes.join('; ') } : { segments };
}

/** The old text of a text diff. */
export function oldText(diff: ITextDiff): string {
  let out = '';
  for (const s of diff.segments) {
    if (s.kind !== 'added') {
      out += s.value;
    }
  }
  return out;
}

/** The new text of a text diff. */
export function newText(diff: ITextDiff): string {
  let out = '';
  for (const s of diff.segments) {
    if (s.kind !== 'removed') {
      out += s.value;
    }
  }
  return out;
}

/**
 * Apply a text diff to `a`.
 *
 * @throws Error when `a` is not the text the diff was made from
 */
export function applyText(a: string, diff: ITextDiff, where = 'text'): string {
  if (oldText(diff) !== a) {
    throw new Error(
      `diff does not apply: ${where} differs from the diff's base`
    );
  }
  return newText(diff);
}

/** Whether a text diff has any change. */
export function textChanged(diff: ITextDiff): boolean {
  return diff.segments.some(s => s.kind !== 'equal');
}

/**
 * Split text into lines, each keeping its line break (`\n` or `\r\n`), as
 * jsdiff's line diff does; a final line without a break is kept.
 */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      break;
    }
    out.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < text.length) {
    out.push(text.slice(start));
  }
  return out;
}

namespace Private {
  export function segment(
    kind: ITextSegment['kind'],
    value: string,
    count = splitLines(value).length
  ): ITextSegment {
    return { kind, value, count };
  }

  /** Common first and last lines kept, the rest one replaced block. */
  export function coarseLines(a: string, b: string): ITextSegment[] {
    const la = splitLines(a);
    const lb = splitLines(b);
    let head = 0;
    const max = Math.min(la.length, lb.length);
    while (head < max && la[head] === lb[head]) {
      head++;
    }
    let tail = 0;
    while (
      tail < max - head &&
      la[la.length - 1 - tail] === lb[lb.length - 1 - tail]
    ) {
      tail++;
    }
    const out: ITextSegment[] = [];
    const push = (kind: ITextSegment['kind'], lines: string[]) => {
      if (lines.length) {
        out.push(segment(kind, lines.join(''), lines.length));
      }
    };
    push('equal', la.slice(0, head));
    push('removed', la.slice(head, la.length - tail));
    push('added', lb.slice(head, lb.length - tail));
    push('equal', la.slice(la.length - tail));
    return out;
  }

  /** One side of a word diff, adjacent runs merged. */
  export function side(
    words: { value: string; added: boolean; removed: boolean }[],
    which: 'added' | 'removed'
  ): IWordPart[] {
    const out: IWordPart[] = [];
    for (const w of words) {
      if (
        (which === 'added' && w.removed) ||
        (which === 'removed' && w.added)
      ) {
        continue;
      }
      const changed = w.added || w.removed;
      const last = out[out.length - 1];
      if (last && last.changed === changed) {
        last.text += w.value;
      } else {
        out.push({ text: w.value, changed });
      }
    }
    return out;
  }
}

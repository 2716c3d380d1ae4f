/**
 * Cell similarity for pairing edited cells, computed from features made
 * once per cell (never per pair): the sorted hashes of its token bigrams
 * and of its words. Two cells are compared by merging their sorted lists,
 * linear in their sizes.
 *
 * The score is the best of three views of the same overlap:
 * - the Dice coefficient of token bigrams (lightly edited cells, even long
 *   ones edited on every line);
 * - the Dice coefficient of words (heavy rewording that keeps the words);
 * - containment of the smaller cell's bigrams in the larger's (a comment
 *   appended, a heading merged into the next paragraph, a cell cut to a
 *   third), discounted for small cells so that `print(x)` is not "contained"
 *   in every cell that prints.
 */

import { ICell } from './notebook';

/** Least score for two different cells to pair. */
export const SIMILARITY_THRESHOLD = 0.5;

/** Per-cell features (see the module comment). */
export interface ICellFeatures {
  /** Sorted hashes of token bigrams, with a start marker. */
  bigrams: Uint32Array;
  /** Sorted hashes of words (letters, digits, underscores). */
  words: Uint32Array;
  cellType: string;
  /** The source with whitespace removed is empty. */
  blank: boolean;
}

/** Bigrams below this count weigh less in containment. */
const CONTAINMENT_FULL = 8;

/** Features of one cell. */
export function cellFeatures(cell: ICell): ICellFeatures {
  const source = cell.source;
  const tokens = source.match(Private.TOKEN) ?? [];
  const hashes = new Uint32Array(tokens.length);
  const words: number[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const h = Private.hash(tokens[k]);
    hashes[k] = h;
    if (Private.isWord(tokens[k])) {
      words.push(h);
    }
  }
  const bigrams = new Uint32Array(tokens.length);
  let prev = 0x9e3779b9;
  for (let k = 0; k < tokens.length; k++) {
    bigrams[k] = Private.mix(prev, hashes[k]);
    prev = hashes[k];
  }
  bigrams.sort();
  const w = Uint32Array.from(words);
  w.sort();
  return {
    bigrams,
    words: w,
    cellType: cell.cell_type,
    blank: tokens.length === 0
  };
}

/**
 * Similarity of two cells in [0, 1] from their features (1 for equal
 * token streams); a cell type change costs 10%.
 */
export function featureSimilarity(x: ICellFeatures, y: ICellFeatures): number {
  let s: number;
  if (x.blank || y.blank) {
    s = x.blank && y.blank ? 1 : 0;
  } else {
    const nx = x.bigrams.length;
    const ny = y.bigrams.length;
    const c = Private.common(x.bigrams, y.bigrams);
    const small = Math.min(nx, ny);
    s = Math.max(
      (2 * c) / (nx + ny),
      (c / small) * 0.8 * Math.min(1, small / CONTAINMENT_FULL)
    );
    const wx = x.words.length;
    const wy = y.words.length;
    if (wx + wy > 0 && s < 0.9) {
      s = Math.max(
        s,
        ((2 * Private.common(x.words, y.words)) / (wx + wy)) * 0.9
      );
    }
  }
  return x.cellType === y.cellType ? s : s * 0.9;
}

/** Similarity of two cells (features made on the spot; for tests and one-offs). */
export function cellSimilarity(x: ICell, y: ICell): number {
  if (x.source === y.source) {
    return x.cell_type === y.cell_type ? 1 : 0.9;
  }
  return featureSimilarity(cellFeatures(x), cellFeatures(y));
}

namespace Private {
  /** Words, or any single other non-space character. */
  export const TOKEN = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;

  const WORD = /^[\p{L}\p{N}_]/u;

  export function isWord(token: string): boolean {
    const c = token.charCodeAt(0);
    if (c < 128) {
      return (
        c === 95 ||
        (c >= 48 && c <= 57) ||
        (c >= 65 && c <= 90) ||
        (c >= 97 && c <= 122)
      );
    }
    return WORD.test(token);
  }

  /** FNV-1a, 32 bits. */
  export function hash(s: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
  }

  /** Combine two hashes into one (order matters). */
  export function mix(a: number, b: number): number {
    let h = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ b;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  /** Size of the multiset intersection of two sorted lists. */
  export function common(x: Uint32Array, y: Uint32Array): number {
    let i = 0;
    let j = 0;
    let c = 0;
    while (i < x.length && j < y.length) {
      const a = x[i];
      const b = y[j];
      if (a === b) {
        c++;
        i++;
        j++;
      } else if (a < b) {
        i++;
      } else {
        j++;
      }
    }
    return c;
  }
}

/**
 * Three-way merge of texts by lines (as `git merge-file` and diff3 do):
 * the lines both sides kept from the base are the stable points; between
 * them a chunk changed on one side only takes that side, a chunk changed
 * the same way on both sides is taken once, and a chunk changed two ways
 * is a conflict.
 */

import { diffArrays } from 'diff';

/** One conflicting chunk, as lists of lines (each with its line break). */
export interface ITextConflict {
  base: string[];
  local: string[];
  remote: string[];
}

export interface ITextMerge {
  /** The merged text, conflicts written with markers. */
  text: string;
  conflicts: ITextConflict[];
}

/** Conflict markers, as git writes them. */
export const MARKERS = {
  local: '<<<<<<< local',
  separator: '=======',
  remote: '>>>>>>> remote'
};

/** Lines of a text, each with its line break (the last may have none). */
export function splitLines(text: string): string[] {
  return text ? text.split(/(?<=\n)/) : [];
}

/** Merge `local` and `remote`, two edits of `base`. */
export function mergeText(
  base: string,
  local: string,
  remote: string
): ITextMerge {
  if (local === remote || remote === base) {
    return { text: local, conflicts: [] };
  }
  if (local === base) {
    return { text: remote, conflicts: [] };
  }
  const b = splitLines(base);
  const l = splitLines(local);
  const r = splitLines(remote);
  const ml = Private.matches(b, l);
  const mr = Private.matches(b, r);
  const out: string[] = [];
  const conflicts: ITextConflict[] = [];
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < b.length || j < l.length || k < r.length) {
    if (i < b.length && ml[i] === j && mr[i] === k) {
      out.push(b[i]);
      i++;
      j++;
      k++;
      continue;
    }
    // The next base line both sides kept: the end of this chunk.
    let m = i;
    while (m < b.length && (ml[m] < 0 || mr[m] < 0)) {
      m++;
    }
    const cb = b.slice(i, m);
    const cl = l.slice(j, m < b.length ? ml[m] : l.length);
    const cr = r.slice(k, m < b.length ? mr[m] : r.length);
    if (same(cl, cb)) {
      out.push(...cr);
    } else if (same(cr, cb) || same(cl, cr)) {
      out.push(...cl);
    } else {
      conflicts.push({ base: cb, local: cl, remote: cr });
      out.push(
        MARKERS.local + '\n',
        ...withBreak(cl),
        MARKERS.separator + '\n',
        ...withBreak(cr),
        MARKERS.remote + '\n'
      );
    }
    i = m;
    j += cl.length;
    k += cr.length;
  }
  return { text: out.join(''), conflicts };
}

/** Lines with a final line break added when missing (before a marker). */
function withBreak(lines: string[]): string[] {
  if (!lines.length || lines[lines.length - 1].endsWith('\n')) {
    return lines;
  }
  return [...lines.slice(0, -1), lines[lines.length - 1] + '\n'];
}

function same(x: string[], y: string[]): boolean {
  return x.length === y.length && x.every((v, n) => v === y[n]);
}

namespace Private {
  /** For each line of `base`, its index in `other` when kept, else -1. */
  export function matches(base: string[], other: string[]): Int32Array {
    const out = new Int32Array(base.length).fill(-1);
    const runs = diffArrays(base, other);
    let i = 0;
    let j = 0;
    for (const run of runs) {
      const n = run.count ?? run.value.length;
      if (run.added) {
        j += n;
      } else if (run.removed) {
        i += n;
      } else {
        for (let t = 0; t < n; t++) {
          out[i++] = j++;
        }
      }
    }
    return out;
  }
}

/**
 * Cell alignment: which cell of `a` became which cell of `b`.
 *
 * When every cell of both notebooks has a unique id (nbformat 4.5+), cells
 * pair by id. Otherwise cells pair by content: a longest common subsequence
 * of exact content hashes anchors the unchanged cells, equal cells left over
 * on both sides are moves, and in each gap between anchors the remaining
 * cells pair by source similarity, in order. Pairs that keep their relative
 * order are in place; the others are moves.
 */

import { diffArrays } from 'diff';
import { ICell } from './notebook';
import { comparedCell, IResolvedOptions } from './options';

/** One aligned cell, in display order. */
export interface IAlignedCell {
  /** Index in `a`; absent for added cells. */
  a?: number;
  /** Index in `b`; absent for removed cells. */
  b?: number;
  /** The pair does not keep its relative order. */
  moved?: boolean;
  matchedBy?: 'id' | 'content' | 'similarity';
}

export interface IAlignment {
  cells: IAlignedCell[];
  /** Where alignment was coarsened to stay bounded. */
  coarse: string[];
}

/** Least similarity for two different cells to pair. */
export const SIMILARITY_THRESHOLD = 0.5;

/** Largest gap (removed × added cells) aligned by similarity exactly. */
export const MAX_SIMILARITY_PAIRS = 40000;

/** Align the cells of two notebooks. */
export function alignCells(
  a: readonly ICell[],
  b: readonly ICell[],
  options: IResolvedOptions
): IAlignment {
  if (Private.uniqueIds(a) && Private.uniqueIds(b)) {
    return Private.byId(a, b);
  }
  return Private.byContent(a, b, options);
}

/**
 * Similarity of two cells in [0, 1]: 1 for equal sources, otherwise the
 * Dice coefficient of their lines (short sources: of character pairs);
 * a cell type change costs 10%.
 */
export function cellSimilarity(x: ICell, y: ICell): number {
  let s: number;
  if (x.source === y.source) {
    s = 1;
  } else {
    s = Private.lineDice(x.source, y.source);
    if (x.source.length + y.source.length <= 4000) {
      s = Math.max(s, Private.bigramDice(x.source, y.source));
    }
  }
  return x.cell_type === y.cell_type ? s : s * 0.9;
}

namespace Private {
  type Pair = [number, number];

  export function uniqueIds(cells: readonly ICell[]): boolean {
    const seen = new Set<string>();
    for (const c of cells) {
      if (typeof c.id !== 'string' || !c.id || seen.has(c.id)) {
        return false;
      }
      seen.add(c.id);
    }
    return true;
  }

  export function byId(a: readonly ICell[], b: readonly ICell[]): IAlignment {
    const index = new Map<string, number>();
    a.forEach((c, i) => index.set(c.id!, i));
    const pairs: Pair[] = [];
    b.forEach((c, j) => {
      const i = index.get(c.id!);
      if (i !== undefined) {
        pairs.push([i, j]);
      }
    });
    const inOrder = increasing(pairs);
    const moved: Pair[] = pairs.filter((_, k) => !inOrder.has(k));
    return {
      cells: order(
        a.length,
        b.length,
        pairs.filter((_, k) => inOrder.has(k)),
        moved,
        'id',
        () => 'id'
      ),
      coarse: []
    };
  }

  export function byContent(
    a: readonly ICell[],
    b: readonly ICell[],
    options: IResolvedOptions
  ): IAlignment {
    const coarse: string[] = [];
    const ids = new Map<string, number>();
    const key = (c: ICell) => {
      // Native JSON text as the identity key: fast; key order counts here,
      // but pairs are classified by deep equality afterwards.
      const k = JSON.stringify(comparedCell(c, options));
      let id = ids.get(k);
      if (id === undefined) {
        id = ids.size;
        ids.set(k, id);
      }
      return id;
    };
    const ka = a.map(key);
    const kb = b.map(key);
    const runs = anchoredRuns(ka, kb, options, coarse);
    // Anchors (equal runs) and gaps (removed/added runs between them).
    const anchors: Pair[] = [];
    const gaps: { ra: number[]; rb: number[] }[] = [];
    let ia = 0;
    let ib = 0;
    let gap: { ra: number[]; rb: number[] } | null = null;
    for (const run of runs) {
      if (!run.added && !run.removed) {
        gap = null;
        for (let k = 0; k < run.count; k++) {
          anchors.push([ia++, ib++]);
        }
        continue;
      }
      if (!gap) {
        gap = { ra: [], rb: [] };
        gaps.push(gap);
      }
      for (let k = 0; k < run.count; k++) {
        if (run.removed) {
          gap.ra.push(ia++);
        } else {
          gap.rb.push(ib++);
        }
      }
    }
    // Equal cells left over on both sides: moves.
    const leftA = new Map<number, number[]>();
    for (const g of gaps) {
      for (const i of g.ra) {
        const list = leftA.get(ka[i]);
        if (list) {
          list.push(i);
        } else {
          leftA.set(ka[i], [i]);
        }
      }
    }
    const movedPairs: Pair[] = [];
    const usedA = new Set<number>();
    const usedB = new Set<number>();
    for (const g of gaps) {
      for (const j of g.rb) {
        const list = leftA.get(kb[j]);
        if (list?.length) {
          const i = list.shift()!;
          movedPairs.push([i, j]);
          usedA.add(i);
          usedB.add(j);
        }
      }
    }
    // Similar cells inside each gap, in order.
    const similar: Pair[] = [];
    for (const g of gaps) {
      const ra = g.ra.filter(i => !usedA.has(i));
      const rb = g.rb.filter(j => !usedB.has(j));
      if (!ra.length || !rb.length) {
        continue;
      }
      if (ra.length * rb.length <= MAX_SIMILARITY_PAIRS) {
        similar.push(...bestPairs(a, b, ra, rb));
      } else {
        coarse.push(
          `cells ${ra[0] + 1}–${ra[ra.length - 1] + 1} of the old notebook ` +
            `(${ra.length} × ${rb.length} changed cells) paired by position`
        );
        const n = Math.min(ra.length, rb.length);
        for (let k = 0; k < n; k++) {
          if (cellSimilarity(a[ra[k]], b[rb[k]]) >= SIMILARITY_THRESHOLD) {
            similar.push([ra[k], rb[k]]);
          }
        }
      }
    }
    // A content move whose pair still keeps the order is in place after all.
    const candidates = [...anchors, ...similar, ...movedPairs].sort(
      (x, y) => x[1] - y[1]
    );
    const keep = increasing(candidates);
    const inPlace = candidates.filter((_, k) => keep.has(k));
    const moved = candidates.filter((_, k) => !keep.has(k));
    const similarSet = new Set(similar.map(p => p[0]));
    return {
      cells: order(a.length, b.length, inPlace, moved, 'content', i =>
        similarSet.has(i) ? 'similarity' : 'content'
      ),
      coarse
    };
  }

  type Run = { count: number; added: boolean; removed: boolean };

  /**
   * Equal/removed/added runs of two key lists. Keys that occur once in each
   * list and keep their order anchor the alignment (as in patience diff);
   * the stretches between anchors are diffed with jsdiff, bounded; a
   * stretch too different to diff keeps only its common ends.
   */
  function anchoredRuns(
    ka: number[],
    kb: number[],
    options: IResolvedOptions,
    coarse: string[]
  ): Run[] {
    const countA = new Map<number, number>();
    const countB = new Map<number, number>();
    const posA = new Map<number, number>();
    ka.forEach((k, i) => {
      countA.set(k, (countA.get(k) ?? 0) + 1);
      posA.set(k, i);
    });
    kb.forEach(k => countB.set(k, (countB.get(k) ?? 0) + 1));
    const unique: Pair[] = [];
    kb.forEach((k, j) => {
      if (countA.get(k) === 1 && countB.get(k) === 1) {
        unique.push([posA.get(k)!, j]);
      }
    });
    const keep = increasing(unique);
    const anchors = unique.filter((_, k) => keep.has(k));
    anchors.push([ka.length, kb.length]);
    const out: Run[] = [];
    const push = (r: Run) => {
      if (r.count === 0) {
        return;
      }
      const last = out[out.length - 1];
      if (last && last.added === r.added && last.removed === r.removed) {
        last.count += r.count;
      } else {
        out.push({ ...r });
      }
    };
    let ia = 0;
    let ib = 0;
    for (const [i, j] of anchors) {
      const sa = ka.slice(ia, i);
      const sb = kb.slice(ib, j);
      if (sa.length || sb.length) {
        const runs: Run[] | undefined =
          !sa.length || !sb.length
            ? [
                { count: sa.length, added: false, removed: true },
                { count: sb.length, added: true, removed: false }
              ]
            : diffArrays(sa, sb, {
                maxEditLength: options.maxEditLength,
                timeout: options.timeout
              });
        if (runs) {
          runs.forEach(push);
        } else {
          coarse.push(
            `cells ${ia + 1}–${i} of the old notebook too different to align ` +
              'exactly: only their common first and last cells anchor them'
          );
          trimmedRuns(sa, sb).forEach(push);
        }
      }
      if (i < ka.length) {
        push({ count: 1, added: false, removed: false });
      }
      ia = i + 1;
      ib = j + 1;
    }
    return out;
  }

  /** Runs keeping only the common first and last cells. */
  function trimmedRuns(ka: number[], kb: number[]) {
    let head = 0;
    const max = Math.min(ka.length, kb.length);
    while (head < max && ka[head] === kb[head]) {
      head++;
    }
    let tail = 0;
    while (
      tail < max - head &&
      ka[ka.length - 1 - tail] === kb[kb.length - 1 - tail]
    ) {
      tail++;
    }
    const run = (count: number, added: boolean, removed: boolean) => ({
      count,
      added,
      removed
    });
    return [
      run(head, false, false),
      run(ka.length - head - tail, false, true),
      run(kb.length - head - tail, true, false),
      run(tail, false, false)
    ].filter(r => r.count > 0);
  }

  /**
   * Order-preserving pairing of `ra` (old) with `rb` (new) that maximises
   * the total similarity of pairs at or above the threshold.
   */
  function bestPairs(
    a: readonly ICell[],
    b: readonly ICell[],
    ra: number[],
    rb: number[]
  ): Pair[] {
    const m = ra.length;
    const n = rb.length;
    const sim = new Float64Array(m * n);
    for (let x = 0; x < m; x++) {
      for (let y = 0; y < n; y++) {
        const s = cellSimilarity(a[ra[x]], b[rb[y]]);
        sim[x * n + y] = s >= SIMILARITY_THRESHOLD ? s : 0;
      }
    }
    // best[x][y]: best score using ra[x..], rb[y..].
    const w = n + 1;
    const best = new Float64Array((m + 1) * w);
    for (let x = m - 1; x >= 0; x--) {
      for (let y = n - 1; y >= 0; y--) {
        const s = sim[x * n + y];
        best[x * w + y] = Math.max(
          best[(x + 1) * w + y],
          best[x * w + y + 1],
          s > 0 ? s + best[(x + 1) * w + y + 1] : 0
        );
      }
    }
    const out: Pair[] = [];
    let x = 0;
    let y = 0;
    while (x < m && y < n) {
      const s = sim[x * n + y];
      if (s > 0 && best[x * w + y] === s + best[(x + 1) * w + y + 1]) {
        out.push([ra[x], rb[y]]);
        x++;
        y++;
      } else if (best[x * w + y] === best[(x + 1) * w + y]) {
        x++;
      } else {
        y++;
      }
    }
    return out;
  }

  /**
   * Indices (into `pairs`, sorted by new index) of a longest subsequence
   * whose old indices increase: the pairs that keep their order.
   */
  export function increasing(pairs: Pair[]): Set<number> {
    const tails: number[] = [];
    const prev = new Int32Array(pairs.length).fill(-1);
    for (let k = 0; k < pairs.length; k++) {
      const v = pairs[k][0];
      let lo = 0;
      let hi = tails.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (pairs[tails[mid]][0] < v) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      if (lo > 0) {
        prev[k] = tails[lo - 1];
      }
      tails[lo] = k;
    }
    const out = new Set<number>();
    let k = tails.length ? tails[tails.length - 1] : -1;
    while (k >= 0) {
      out.add(k);
      k = prev[k];
    }
    return out;
  }

  /**
   * Display order: every new cell in order; removed old cells before the
   * first new cell that follows them.
   */
  function order(
    na: number,
    nb: number,
    inPlace: Pair[],
    moved: Pair[],
    movedBy: 'id' | 'content',
    inPlaceBy: (i: number) => 'id' | 'content' | 'similarity'
  ): IAlignedCell[] {
    const fromB = new Array<IAlignedCell | undefined>(nb);
    const paired = new Uint8Array(na);
    for (const [i, j] of inPlace) {
      fromB[j] = { a: i, b: j, matchedBy: inPlaceBy(i) };
      paired[i] = 1;
    }
    for (const [i, j] of moved) {
      fromB[j] = { a: i, b: j, moved: true, matchedBy: movedBy };
      paired[i] = 1;
    }
    // For each new index, the old index of the next in-place pair.
    const nextA = new Int32Array(nb + 1).fill(na);
    for (let j = nb - 1; j >= 0; j--) {
      const e = fromB[j];
      nextA[j] = e && !e.moved ? e.a! : nextA[j + 1];
    }
    const out: IAlignedCell[] = [];
    let ia = 0;
    const flush = (upTo: number) => {
      for (; ia < upTo; ia++) {
        if (!paired[ia]) {
          out.push({ a: ia });
        }
      }
    };
    for (let j = 0; j < nb; j++) {
      flush(nextA[j]);
      out.push(fromB[j] ?? { b: j });
    }
    flush(na);
    return out;
  }

  /** Dice coefficient of the (trimmed, non-empty) line multisets. */
  export function lineDice(x: string, y: string): number {
    const lx = x
      .split('\n')
      .map(l => l.trim())
      .filter(Boolean);
    const ly = y
      .split('\n')
      .map(l => l.trim())
      .filter(Boolean);
    if (!lx.length && !ly.length) {
      return 1;
    }
    return dice(lx, ly);
  }

  /** Dice coefficient of character pairs. */
  export function bigramDice(x: string, y: string): number {
    const bx: string[] = [];
    const by: string[] = [];
    for (let i = 0; i + 1 < x.length; i++) {
      bx.push(x.slice(i, i + 2));
    }
    for (let i = 0; i + 1 < y.length; i++) {
      by.push(y.slice(i, i + 2));
    }
    if (!bx.length && !by.length) {
      return x.trim() === y.trim() ? 1 : 0;
    }
    return dice(bx, by);
  }

  function dice(x: string[], y: string[]): number {
    const counts = new Map<string, number>();
    for (const t of x) {
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    let common = 0;
    for (const t of y) {
      const c = counts.get(t);
      if (c) {
        common++;
        counts.set(t, c - 1);
      }
    }
    return (2 * common) / (x.length + y.length);
  }
}

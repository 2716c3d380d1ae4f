/**
 * Cell alignment: which cell of `a` became which cell of `b`.
 *
 * Content decides; cell ids are a hint. A longest common subsequence of
 * exact content hashes (ids left out) anchors the unchanged cells, equal
 * cells left over on both sides are moves, and in each gap between anchors
 * the remaining cells pair by similarity (see similarity.ts), in order,
 * maximising the total score; two cells with the same id pair unless a
 * better content match exists. Cells still left over anywhere pair as
 * moved-and-edited when similar enough. Pairs that keep their relative
 * order are in place; the others are moves.
 *
 * Cost: features are made once per cell; a gap of m × n changed cells
 * scores every pair only while m·n ≤ EXACT_PAIRS, beyond that only the
 * few candidates that share rare token bigrams with each new cell (plus
 * the cell at the same relative position and the one with the same id),
 * and the best order-preserving pairing is a heaviest increasing
 * subsequence over the scored pairs: O(P log P), no quadratic table.
 */

import { diffArrays } from 'diff';
import { ICell } from './notebook';
import { comparedCell, IResolvedOptions } from './options';
import {
  cellFeatures,
  featureSimilarity,
  ICellFeatures,
  SIMILARITY_THRESHOLD
} from './similarity';

export { cellSimilarity, SIMILARITY_THRESHOLD } from './similarity';

/** One aligned cell, in display order. */
export interface IAlignedCell {
  /** Index in `a`; absent for added cells. */
  a?: number;
  /** Index in `b`; absent for removed cells. */
  b?: number;
  /** The pair does not keep its relative order. */
  moved?: boolean;
  /** Equal content, same cell id (content differs), or similar content. */
  matchedBy?: 'id' | 'content' | 'similarity';
}

export interface IAlignment {
  cells: IAlignedCell[];
  /** Where alignment was coarsened to stay bounded. */
  coarse: string[];
}

/** Largest gap (removed × added cells) whose every pair is scored. */
export const EXACT_PAIRS = 4096;

/** Candidates per new cell in a larger gap. */
export const CANDIDATES = 8;

/** Least score for a cell to pair as moved and edited, away from its gap. */
export const MOVE_THRESHOLD = 0.6;

/**
 * Least score for the cells at the same offset of a gap with as many
 * removed as added cells (heavy rewording in place).
 */
export const POSITION_THRESHOLD = 0.3;

/** Score floor of two cells with the same id. */
export const ID_FLOOR = 0.55;

/** Align the cells of two notebooks. */
export function alignCells(
  a: readonly ICell[],
  b: readonly ICell[],
  options: IResolvedOptions
): IAlignment {
  return Private.byContent(a, b, options);
}

namespace Private {
  type Pair = [number, number];
  type Label = 'id' | 'content' | 'similarity';
  interface IScored {
    x: number;
    y: number;
    w: number;
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
    const features = new Features(a, b);
    const similar: Pair[] = [];
    for (const g of gaps) {
      const ra = g.ra.filter(i => !usedA.has(i));
      const rb = g.rb.filter(j => !usedB.has(j));
      if (!ra.length || !rb.length) {
        continue;
      }
      for (const [i, j] of bestPairs(features, ra, rb)) {
        similar.push([i, j]);
        usedA.add(i);
        usedB.add(j);
      }
    }
    // Moved and edited: similar cells left over anywhere.
    const restA: number[] = [];
    const restB: number[] = [];
    for (const g of gaps) {
      restA.push(...g.ra.filter(i => !usedA.has(i)));
      restB.push(...g.rb.filter(j => !usedB.has(j)));
    }
    const movedSimilar =
      restA.length && restB.length ? movePairs(features, restA, restB) : [];
    // Keep the heaviest set of pairs in order: exact anchors first, then
    // similar cells in their gaps; the rest are moves.
    const candidates: IScored[] = [
      ...anchors.map(([x, y]) => ({ x, y, w: 4 })),
      ...similar.map(([x, y]) => ({ x, y, w: 2 })),
      ...movedPairs.map(([x, y]) => ({ x, y, w: 1 })),
      ...movedSimilar.map(([x, y]) => ({ x, y, w: 1 }))
    ];
    const keep = heaviestIncreasing(candidates, a.length);
    const label = new Map<number, Label>();
    for (const [i] of anchors) {
      label.set(i, 'content');
    }
    for (const [i] of movedPairs) {
      label.set(i, 'content');
    }
    for (const [i, j] of [...similar, ...movedSimilar]) {
      label.set(i, features.sameId(i, j) ? 'id' : 'similarity');
    }
    const inPlace: Pair[] = [];
    const moved: Pair[] = [];
    candidates.forEach((c, k) =>
      (keep.has(k) ? inPlace : moved).push([c.x, c.y])
    );
    return {
      cells: order(a.length, b.length, inPlace, moved, i => label.get(i)!),
      coarse
    };
  }

  /** Features of each cell, made on first use; cell ids. */
  class Features {
    constructor(
      private readonly _a: readonly ICell[],
      private readonly _b: readonly ICell[]
    ) {
      this._fa = new Array(_a.length);
      this._fb = new Array(_b.length);
    }

    a(i: number): ICellFeatures {
      return (this._fa[i] ??= cellFeatures(this._a[i]));
    }

    b(j: number): ICellFeatures {
      return (this._fb[j] ??= cellFeatures(this._b[j]));
    }

    sameId(i: number, j: number): boolean {
      const id = this._a[i].id;
      return typeof id === 'string' && id !== '' && id === this._b[j].id;
    }

    idOf(j: number): string | undefined {
      const id = this._b[j].id;
      return typeof id === 'string' && id !== '' ? id : undefined;
    }

    idA(i: number): string | undefined {
      const id = this._a[i].id;
      return typeof id === 'string' && id !== '' ? id : undefined;
    }

    /** Score of a pair, with the id hint. */
    score(i: number, j: number): number {
      const s = featureSimilarity(this.a(i), this.b(j));
      return this.sameId(i, j) ? Math.max(s, ID_FLOOR + (1 - ID_FLOOR) * s) : s;
    }

    private _fa: ICellFeatures[];
    private _fb: ICellFeatures[];
  }

  /**
   * For each new cell of `rb`, the old cells of `ra` worth scoring (local
   * indices): every one in a small gap; otherwise those sharing the most
   * rare bigrams, the one at the same relative position and the one with
   * the same id.
   */
  function candidatePairs(
    f: Features,
    ra: number[],
    rb: number[],
    visit: (x: number, y: number) => void
  ): void {
    const m = ra.length;
    const n = rb.length;
    if (m * n <= EXACT_PAIRS) {
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < m; x++) {
          visit(x, y);
        }
      }
      return;
    }
    // Postings of distinct bigrams; a bigram in many cells says little.
    const maxPosting = Math.max(4, CANDIDATES * 2);
    const postings = new Map<number, number[]>();
    for (let x = 0; x < m; x++) {
      distinct(f.a(ra[x]).bigrams, h => {
        const list = postings.get(h);
        if (!list) {
          postings.set(h, [x]);
        } else if (list.length <= maxPosting) {
          list.push(x);
        }
      });
    }
    const byId = new Map<string, number>();
    ra.forEach((i, x) => {
      const id = f.idA(i);
      if (id !== undefined) {
        byId.set(id, x);
      }
    });
    const counts = new Int32Array(m);
    const touched: number[] = [];
    for (let y = 0; y < n; y++) {
      distinct(f.b(rb[y]).bigrams, h => {
        const list = postings.get(h);
        if (!list || list.length > maxPosting) {
          return;
        }
        for (const x of list) {
          if (counts[x]++ === 0) {
            touched.push(x);
          }
        }
      });
      touched.sort((p, q) => counts[q] - counts[p] || p - q);
      const seen = new Set<number>(touched.slice(0, CANDIDATES));
      for (const x of touched) {
        counts[x] = 0;
      }
      touched.length = 0;
      seen.add(Math.min(m - 1, Math.floor((y * m) / n)));
      const id = f.idOf(rb[y]);
      const x = id === undefined ? undefined : byId.get(id);
      if (x !== undefined) {
        seen.add(x);
      }
      for (const x of seen) {
        visit(x, y);
      }
    }
  }

  function distinct(sorted: Uint32Array, fn: (h: number) => void): void {
    for (let k = 0; k < sorted.length; k++) {
      if (k === 0 || sorted[k] !== sorted[k - 1]) {
        fn(sorted[k]);
      }
    }
  }

  /**
   * Order-preserving pairing of `ra` (old) with `rb` (new) that maximises
   * the total score of pairs at or above the threshold.
   */
  function bestPairs(f: Features, ra: number[], rb: number[]): Pair[] {
    const m = ra.length;
    const n = rb.length;
    const scored: IScored[] = [];
    candidatePairs(f, ra, rb, (x, y) => {
      const s = f.score(ra[x], rb[y]);
      const threshold =
        m === n && x === y ? POSITION_THRESHOLD : SIMILARITY_THRESHOLD;
      if (s >= threshold) {
        scored.push({ x, y, w: s });
      }
    });
    const keep = heaviestIncreasing(scored, m);
    const out: Pair[] = [];
    scored.forEach((p, k) => {
      if (keep.has(k)) {
        out.push([ra[p.x], rb[p.y]]);
      }
    });
    return out.sort((p, q) => p[1] - q[1]);
  }

  /** Leftover cells paired greedily by score, best first. */
  function movePairs(f: Features, ra: number[], rb: number[]): Pair[] {
    const scored: IScored[] = [];
    candidatePairs(f, ra, rb, (x, y) => {
      const s = f.score(ra[x], rb[y]);
      if (s >= MOVE_THRESHOLD) {
        scored.push({ x, y, w: s });
      }
    });
    scored.sort((p, q) => q.w - p.w || p.y - q.y || p.x - q.x);
    const usedX = new Set<number>();
    const usedY = new Set<number>();
    const out: Pair[] = [];
    for (const p of scored) {
      if (!usedX.has(p.x) && !usedY.has(p.y)) {
        usedX.add(p.x);
        usedY.add(p.y);
        out.push([ra[p.x], rb[p.y]]);
      }
    }
    return out;
  }

  /**
   * Indices (into `pairs`) of the heaviest subset whose `x` and `y` both
   * strictly increase: a Fenwick tree of prefix maxima over `x` (< `size`),
   * pairs taken by increasing `y` (ties by decreasing `x`, so two pairs of
   * one `y` never chain). Ties in weight keep the earlier chain.
   */
  export function heaviestIncreasing(
    pairs: readonly IScored[],
    size: number
  ): Set<number> {
    const orderK = pairs.map((_, k) => k);
    orderK.sort((p, q) => pairs[p].y - pairs[q].y || pairs[q].x - pairs[p].x);
    const treeW = new Float64Array(size + 1);
    const treeK = new Int32Array(size + 1).fill(-1);
    const best = new Float64Array(pairs.length);
    const prev = new Int32Array(pairs.length).fill(-1);
    let top = -1;
    for (const k of orderK) {
      const { x, w } = pairs[k];
      // Best chain ending at x' < x.
      let bw = 0;
      let bk = -1;
      for (let i = x; i > 0; i -= i & -i) {
        if (treeW[i] > bw) {
          bw = treeW[i];
          bk = treeK[i];
        }
      }
      best[k] = bw + w;
      prev[k] = bk;
      for (let i = x + 1; i <= size; i += i & -i) {
        if (best[k] > treeW[i]) {
          treeW[i] = best[k];
          treeK[i] = k;
        }
      }
      if (top < 0 || best[k] > best[top]) {
        top = k;
      }
    }
    const out = new Set<number>();
    for (let k = top; k >= 0; k = prev[k]) {
      out.add(k);
    }
    return out;
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
          !sa.length || !sb.length || !shareKeys(sa, sb)
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
          // Equal cells inside the stretch still pair (as moves kept in
          // place when they keep their order); say so only when there are.
          if (shareKeys(sa, sb)) {
            coarse.push(
              `cells ${ia + 1}–${i} of the old notebook too different to align ` +
                'exactly: equal cells inside them paired in order where possible'
            );
          }
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

  function shareKeys(sa: number[], sb: number[]): boolean {
    const inA = new Set(sa);
    return sb.some(k => inA.has(k));
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
    labelOf: (i: number) => Label
  ): IAlignedCell[] {
    const fromB = new Array<IAlignedCell | undefined>(nb);
    const paired = new Uint8Array(na);
    for (const [i, j] of inPlace) {
      fromB[j] = { a: i, b: j, matchedBy: labelOf(i) };
      paired[i] = 1;
    }
    for (const [i, j] of moved) {
      fromB[j] = { a: i, b: j, moved: true, matchedBy: labelOf(i) };
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
}

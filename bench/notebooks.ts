/**
 * Synthetic notebooks for the diff benchmarks: code and Markdown cells with
 * stream, text and image outputs, and a copy with a share of cells changed.
 */

import type { ICell, INotebook } from '../src/core/diff';

/** A deterministic pseudo-random generator (mulberry32). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  'model data loss train epoch batch lr optimizer x y np pd plt fit predict score metric value result'.split(
    ' '
  );

function codeLine(rnd: () => number): string {
  const w = () => WORDS[Math.floor(rnd() * WORDS.length)];
  return `${w()}_${Math.floor(rnd() * 100)} = ${w()}.${w()}(${w()}, ${Math.floor(rnd() * 1000)})`;
}

/** A base64 payload of about `bytes` bytes (not a real image). */
function fakeImage(rnd: () => number, bytes: number): string {
  const chars =
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = 'iVBORw0KGgo';
  const n = Math.ceil((bytes * 4) / 3 / 4) * 4;
  for (let i = s.length; i < n; i++) {
    s += chars[Math.floor(rnd() * 64)];
  }
  return s;
}

export interface ISyntheticOptions {
  cells: number;
  seed?: number;
  /** Give cells ids (nbformat 4.5). Default true. */
  ids?: boolean;
  /** Share of code cells with an image output. Default 0.05. */
  imageShare?: number;
  /** Image payload size in bytes. Default 20,000. */
  imageBytes?: number;
}

let idCounter = 0;

function makeCell(
  rnd: () => number,
  ids: boolean,
  o: ISyntheticOptions
): ICell {
  const id = ids ? { id: `cell-${(idCounter++).toString(36)}` } : {};
  if (rnd() < 0.3) {
    const lines = 1 + Math.floor(rnd() * 4);
    return {
      cell_type: 'markdown',
      ...id,
      metadata: {},
      source: Array.from(
        { length: lines },
        () => `Some *notes* about ${codeLine(rnd)}`
      ).join('\n')
    };
  }
  const lines = 3 + Math.floor(rnd() * 12);
  const outputs: ICell['outputs'] = [];
  const r = rnd();
  if (r < 0.5) {
    outputs.push({
      output_type: 'stream',
      name: 'stdout',
      text: Array.from(
        { length: 1 + Math.floor(rnd() * 5) },
        () => `epoch ${Math.floor(rnd() * 100)} loss ${rnd().toFixed(4)}\n`
      ).join('')
    });
  } else if (r < 0.7) {
    outputs.push({
      output_type: 'execute_result',
      execution_count: Math.floor(rnd() * 100),
      data: {
        'text/plain': `array([${rnd().toFixed(3)}, ${rnd().toFixed(3)}])`
      },
      metadata: {}
    });
  }
  if (rnd() < (o.imageShare ?? 0.05)) {
    outputs.push({
      output_type: 'display_data',
      data: {
        'image/png': fakeImage(rnd, o.imageBytes ?? 20000),
        'text/plain': '<Figure size 640x480 with 1 Axes>'
      },
      metadata: {}
    });
  }
  return {
    cell_type: 'code',
    ...id,
    execution_count: Math.floor(rnd() * 100),
    metadata: {
      execution: {
        'iopub.status.idle': new Date(1e12 + rnd() * 1e9).toISOString()
      }
    },
    source: Array.from({ length: lines }, () => codeLine(rnd)).join('\n'),
    outputs
  };
}

/** A synthetic notebook. */
export function syntheticNotebook(o: ISyntheticOptions): INotebook {
  const rnd = random(o.seed ?? 1);
  const ids = o.ids ?? true;
  return {
    nbformat: 4,
    nbformat_minor: ids ? 5 : 4,
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3',
        language: 'python'
      },
      language_info: { name: 'python', version: '3.11.4' }
    },
    cells: Array.from({ length: o.cells }, () => makeCell(rnd, ids, o))
  };
}

/**
 * A copy of `nb` with `share` of its cells changed: 60% edited (one line
 * replaced, one appended), 20% deleted, 20% new cells inserted.
 */
export function changedCopy(nb: INotebook, share: number, seed = 2): INotebook {
  const rnd = random(seed);
  const ids = nb.cells.some(c => c.id);
  const cells = structuredClone(nb.cells);
  const n = Math.round(nb.cells.length * share);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * cells.length);
    const what = rnd();
    if (what < 0.6) {
      const c = cells[at];
      const lines = c.source.split('\n');
      lines[Math.floor(rnd() * lines.length)] = codeLine(rnd);
      lines.push(codeLine(rnd));
      c.source = lines.join('\n');
    } else if (what < 0.8) {
      cells.splice(at, 1);
    } else {
      cells.splice(at, 0, makeCell(rnd, ids, { cells: 0 }));
    }
  }
  return { ...structuredClone(nb), cells };
}

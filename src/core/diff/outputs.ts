/**
 * Outputs of two versions of a cell, aligned and compared: streams and
 * text MIME types as line diffs, images by the SHA-256 of their bytes,
 * errors by name and value (traceback by lines).
 */

import { diffArrays } from 'diff';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { base64ToBytes } from '../base64';
import { canonical, deepCopy, deepEqual, isObject, JSONValue } from './json';
import { IOutput, isJSONMime } from './notebook';
import { comparedOutput, IResolvedOptions } from './options';
import { keyChanges } from './keys';
import { IMimeChange, IOutputChange, IOutputsDiff } from './result';
import { diffText } from './source';

/**
 * Compare two output lists. Returns undefined when they are equal under
 * the options.
 */
export function diffOutputs(
  a: readonly IOutput[],
  b: readonly IOutput[],
  options: IResolvedOptions
): IOutputsDiff | undefined {
  const ids = new Map<string, number>();
  const key = (o: IOutput) => {
    // Native JSON text as the identity key: fast; key order counts here,
    // but pairs are classified by deep equality afterwards.
    const k = JSON.stringify(comparedOutput(o, options));
    let id = ids.get(k);
    if (id === undefined) {
      id = ids.size;
      ids.set(k, id);
    }
    return id;
  };
  const ka = a.map(key);
  const kb = b.map(key);
  if (ka.length === kb.length && ka.every((k, i) => k === kb[i])) {
    return undefined;
  }
  const changes: IOutputChange[] = [];
  const runs = diffArrays(ka, kb, {
    maxEditLength: options.maxEditLength,
    timeout: options.timeout
  }) ?? [
    // Too different to align: compare them position by position.
    { value: ka, count: ka.length, added: false, removed: true },
    { value: kb, count: kb.length, added: true, removed: false }
  ];
  let ia = 0;
  let ib = 0;
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r];
    if (!run.added && !run.removed) {
      for (let k = 0; k < run.count; k++) {
        changes.push({
          kind: 'unchanged',
          a: ia,
          b: ib,
          outputType: b[ib].output_type
        });
        ia++;
        ib++;
      }
      continue;
    }
    let nRemoved = 0;
    let nAdded = 0;
    if (run.removed) {
      nRemoved = run.count;
      if (runs[r + 1]?.added) {
        nAdded = runs[++r].count;
      }
    } else {
      nAdded = run.count;
      if (runs[r + 1]?.removed) {
        nRemoved = runs[++r].count;
      }
    }
    const leftover: IOutputChange[] = [];
    for (let k = 0; k < Math.max(nRemoved, nAdded); k++) {
      const oa = k < nRemoved ? a[ia + k] : undefined;
      const ob = k < nAdded ? b[ib + k] : undefined;
      if (oa && ob && oa.output_type === ob.output_type) {
        changes.push(Private.modified(oa, ob, ia + k, ib + k, options));
        continue;
      }
      if (oa) {
        leftover.push({
          kind: 'removed',
          a: ia + k,
          outputType: oa.output_type
        });
      }
      if (ob) {
        changes.push({
          kind: 'added',
          b: ib + k,
          outputType: ob.output_type,
          output: deepCopy(ob)
        });
      }
    }
    changes.push(...leftover);
    ia += nRemoved;
    ib += nAdded;
  }
  return { changes };
}

/**
 * Apply an outputs diff to the old outputs.
 *
 * @throws Error when the diff refers to outputs `a` does not have
 */
export function applyOutputs(
  a: readonly IOutput[],
  diff: IOutputsDiff
): IOutput[] {
  const out: IOutput[] = [];
  for (const c of diff.changes) {
    if (c.kind === 'removed') {
      continue;
    }
    if (c.kind === 'unchanged') {
      if (c.a === undefined || a[c.a] === undefined) {
        throw new Error(`diff does not apply: output ${c.a} is missing`);
      }
      out.push(deepCopy(a[c.a]));
    } else {
      if (!c.output) {
        throw new Error('diff does not apply: a changed output has no value');
      }
      out.push(deepCopy(c.output));
    }
  }
  return out;
}

/** Image MIME types compared by hash (SVG is text). */
export function isImageMime(mime: string): boolean {
  return mime.startsWith('image/') && mime !== 'image/svg+xml';
}

/** SHA-256 (hex) of a base64 payload's bytes (of the text if not base64). */
export function imageHash(data: JSONValue): string {
  if (typeof data !== 'string') {
    return bytesToHex(sha256(new TextEncoder().encode(canonical(data))));
  }
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(data.replace(/\s+/g, ''));
  } catch {
    bytes = new TextEncoder().encode(data);
  }
  return bytesToHex(sha256(bytes));
}

namespace Private {
  const DETAILED = new Set([
    'output_type',
    'text',
    'data',
    'ename',
    'evalue',
    'traceback'
  ]);

  export function modified(
    oa: IOutput,
    ob: IOutput,
    ia: number,
    ib: number,
    options: IResolvedOptions
  ): IOutputChange {
    const change: IOutputChange = {
      kind: 'modified',
      a: ia,
      b: ib,
      outputType: ob.output_type,
      output: deepCopy(ob)
    };
    const bounds = {
      maxEditLength: options.maxEditLength,
      timeout: options.timeout
    };
    if (oa.output_type === 'stream') {
      const ta = typeof oa.text === 'string' ? oa.text : '';
      const tb = typeof ob.text === 'string' ? ob.text : '';
      if (ta !== tb) {
        change.text = diffText(ta, tb, bounds);
      }
    } else if (oa.output_type === 'error') {
      const error: NonNullable<IOutputChange['error']> = {};
      for (const k of ['ename', 'evalue'] as const) {
        if (oa[k] !== ob[k]) {
          error[k] = { a: String(oa[k]), b: String(ob[k]) };
        }
      }
      const tra = traceback(oa);
      const trb = traceback(ob);
      if (tra !== trb) {
        error.traceback = diffText(tra, trb, bounds);
      }
      change.error = error;
    } else {
      const da = isObject(oa.data) ? oa.data : {};
      const db = isObject(ob.data) ? ob.data : {};
      const data: IMimeChange[] = [];
      const mimes = [...new Set([...Object.keys(da), ...Object.keys(db)])];
      for (const mime of mimes) {
        const va = da[mime];
        const vb = db[mime];
        if (deepEqual(va, vb)) {
          continue;
        }
        const kind =
          va === undefined ? 'added' : vb === undefined ? 'removed' : 'changed';
        if (isImageMime(mime)) {
          data.push({
            mime,
            kind,
            image: {
              ...(va !== undefined ? { a: imageHash(va) } : {}),
              ...(vb !== undefined ? { b: imageHash(vb) } : {})
            }
          });
        } else {
          data.push({
            mime,
            kind,
            text: diffText(asText(mime, va), asText(mime, vb), bounds)
          });
        }
      }
      if (data.length) {
        change.data = data;
      }
    }
    const fields = keyChanges(oa, ob, k => {
      if (DETAILED.has(k)) {
        return false;
      }
      return k !== 'execution_count' || options.includeExecutionCounts;
    });
    if (fields.length) {
      change.fields = fields;
    }
    return change;
  }

  function traceback(o: IOutput): string {
    return Array.isArray(o.traceback) ? o.traceback.join('\n') : '';
  }

  function asText(mime: string, value: JSONValue | undefined): string {
    if (value === undefined) {
      return '';
    }
    if (typeof value === 'string' && !isJSONMime(mime)) {
      return value;
    }
    return JSON.stringify(value, null, 1);
  }
}

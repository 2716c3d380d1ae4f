/**
 * The execution history of an experiment: `history/<seq>-<writer>.json`
 * chunks of records, merged back in execution order.
 */
import type { HistoryRecord } from '../model';
import { appendChunk, readChunks } from './chunks';
import type { IDamagedFile, StoreContext } from './context';
import { FORMATS } from './format';
import { StoreDamagedError } from './fs';

/** Append history records as one new chunk (none: nothing written). */
export function appendHistory(
  ctx: StoreContext,
  id: string,
  records: readonly HistoryRecord[]
): Promise<void> {
  return appendChunk(ctx, id, 'history', records);
}

/**
 * The whole history in execution order: chunks of every writer merged,
 * duplicates dropped; unreadable chunks reported, the others loaded.
 */
export async function loadHistory(
  ctx: StoreContext,
  id: string
): Promise<{ records: HistoryRecord[]; damaged: IDamagedFile[] }> {
  const damaged: IDamagedFile[] = [];
  const chunks = await readChunks<{ records: unknown }, HistoryRecord[]>(
    ctx,
    id,
    'history',
    FORMATS.history,
    damaged,
    {
      read: (chunk, path) => {
        if (!Array.isArray(chunk.records)) {
          throw new StoreDamagedError(path, 'no records list');
        }
        return chunk.records as HistoryRecord[];
      }
    }
  );
  return { records: mergeHistory(chunks.map(c => c.value)), damaged };
}

/**
 * Merge chunks: drop duplicates (same session and msgId, or the same
 * session record), then order by session start and index.
 */
export function mergeHistory(chunks: HistoryRecord[][]): HistoryRecord[] {
  const seen = new Set<string>();
  const all: HistoryRecord[] = [];
  const sessionStart = new Map<string, string>();
  for (const chunk of chunks) {
    for (const r of chunk) {
      if (
        !r ||
        typeof r !== 'object' ||
        typeof (r as any).session !== 'string'
      ) {
        continue;
      }
      const key =
        r.kind === 'session' ? `s:${r.session}` : `e:${r.session}:${r.msgId}`;
      if (seen.has(key)) {
        continue;
      }
      seen.add(key);
      all.push(r);
      const t = r.kind === 'session' ? r.started : r.times?.queued;
      if (typeof t === 'string') {
        const prev = sessionStart.get(r.session);
        if (r.kind === 'session' || prev === undefined || t < prev) {
          if (r.kind === 'session' || !sessionStart.has(r.session)) {
            sessionStart.set(r.session, t);
          }
        }
      }
    }
  }
  const start = (r: HistoryRecord) => sessionStart.get(r.session) ?? '';
  return all.sort((a, b) => {
    const sa = start(a);
    const sb = start(b);
    if (sa !== sb) {
      return sa < sb ? -1 : 1;
    }
    if (a.session !== b.session) {
      return a.session < b.session ? -1 : 1;
    }
    if (a.kind !== b.kind) {
      return a.kind === 'session' ? -1 : 1;
    }
    return a.index - b.index;
  });
}

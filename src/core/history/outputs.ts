/**
 * Output summaries: enough of a kernel output to recognise it, never the
 * payload. Summarising costs O(limit) plus one hash per image, whatever the
 * size of the output: text is sliced, sizes are read from lengths.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

import type { IOutputSummary } from '../model';

/** Default cut for summarised text, in UTF-16 code units. */
export const DEFAULT_TEXT_LIMIT = 2000;

/** The iopub message types that carry an output. */
export const OUTPUT_MSG_TYPES: ReadonlySet<string> = new Set([
  'stream',
  'display_data',
  'execute_result',
  'error',
  'update_display_data'
]);

/**
 * Summarise the content of one iopub output message.
 *
 * @param msgType - `stream`, `display_data`, `execute_result`, `error` or
 *   `update_display_data`.
 * @param content - The message content, never modified or copied.
 * @param limit - Cut for text fields.
 */
export function summarizeOutput(
  msgType: IOutputSummary['type'],
  content: { [key: string]: any },
  limit = DEFAULT_TEXT_LIMIT
): IOutputSummary {
  switch (msgType) {
    case 'stream': {
      const text = Private.text(content.text);
      const summary: IOutputSummary = {
        type: 'stream',
        name: typeof content.name === 'string' ? content.name : 'stdout',
        mimes: [{ mime: 'text/plain', size: text.length }]
      };
      Private.setText(summary, text, limit);
      return summary;
    }
    case 'error': {
      const ename = String(content.ename ?? '');
      const evalue = String(content.evalue ?? '');
      const tb: unknown = content.traceback;
      const last =
        Array.isArray(tb) && tb.length > 0
          ? Private.stripAnsi(
              Private.text(tb[tb.length - 1]).slice(0, limit * 4)
            )
          : `${ename}: ${evalue}`;
      const summary: IOutputSummary = { type: 'error', ename, evalue };
      Private.setText(summary, last, limit);
      return summary;
    }
    default: {
      const summary: IOutputSummary = { type: msgType, mimes: [] };
      const data = content.data;
      if (data && typeof data === 'object') {
        for (const mime of Object.keys(data)) {
          const value = data[mime];
          const size = Private.size(value);
          summary.mimes!.push({ mime, size });
          if (mime.startsWith('image/') && typeof value === 'string') {
            (summary.images ??= []).push({
              mime,
              hash: hashText(value),
              size
            });
          }
        }
        if (data['text/plain'] !== undefined) {
          Private.setText(summary, Private.text(data['text/plain']), limit);
        }
      }
      return summary;
    }
  }
}

/**
 * Merge a further stream chunk into the summary of the previous chunk of the
 * same stream, as the notebook shows consecutive stream outputs as one.
 */
export function appendStream(
  summary: IOutputSummary,
  text: string,
  limit = DEFAULT_TEXT_LIMIT
): void {
  const mime = summary.mimes![0];
  mime.size += text.length;
  const current = summary.text ?? '';
  if (current.length >= limit) {
    summary.truncated = true;
    return;
  }
  Private.setText(
    summary,
    current + text.slice(0, limit - current.length + 1),
    limit
  );
}

/** `sha256:<hex>` of a string's UTF-8 bytes. */
export function hashText(text: string): string {
  return 'sha256:' + bytesToHex(sha256(Private.encoder.encode(text)));
}

namespace Private {
  export const encoder = new TextEncoder();

  /** Text of a string or nbformat multiline string, else ''. */
  export function text(value: unknown): string {
    if (typeof value === 'string') {
      return value;
    }
    if (Array.isArray(value) && value.every(v => typeof v === 'string')) {
      return value.join('');
    }
    return '';
  }

  /** Size of a payload: UTF-16 length of text, JSON length otherwise. */
  export function size(value: unknown): number {
    if (typeof value === 'string') {
      return value.length;
    }
    if (Array.isArray(value) && value.every(v => typeof v === 'string')) {
      let n = 0;
      for (const v of value) {
        n += v.length;
      }
      return n;
    }
    try {
      return JSON.stringify(value)?.length ?? 0;
    } catch {
      return 0;
    }
  }

  export function setText(
    summary: IOutputSummary,
    text: string,
    limit: number
  ): void {
    if (text.length > limit) {
      summary.text = text.slice(0, limit);
      summary.truncated = true;
    } else {
      summary.text = text;
    }
  }

  // eslint-disable-next-line no-control-regex
  const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[@-Z\\-_]/g;

  /** Remove terminal colour codes (tracebacks are coloured). */
  export function stripAnsi(text: string): string {
    return text.replace(ANSI, '');
  }
}

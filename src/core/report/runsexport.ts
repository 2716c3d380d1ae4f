/**
 * The runs table's rows as files: CSV (RFC 4180) and JSON, with the
 * columns shown, in the order shown; and the full text of a cell. Pure
 * functions; the view offers the result as a download.
 *
 * CSV is opened by spreadsheets, which run a cell that starts with `=`,
 * `+`, `-` or `@` (and, in some, tab or carriage return) as a formula: a
 * logged name like `=HYPERLINK(...)` would become a live link. Such text
 * cells are written with a leading `'` (OWASP's advice), which spreadsheets
 * show as text; numbers are written as numbers (`-0.5` stays a number).
 * JSON keeps every value as it is.
 */
import type { IExperimentSummary } from '../index/summary';
import { fieldReader, type FieldValue } from '../query/sort';

/** A cell value as full text: lists joined with `, `, missing as ''. */
export function cellText(v: FieldValue): string {
  if (v === undefined || v === null) {
    return '';
  }
  if (Array.isArray(v)) {
    return v.join(', ');
  }
  return String(v);
}

/** One CSV field: formula-safe, quoted when it holds `,` `"` CR or LF. */
export function csvField(v: FieldValue): string {
  let text = cellText(v);
  if (typeof v !== 'number' && /^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Readers for column keys; an invalid key reads as missing. */
function readers(columns: readonly string[]) {
  return columns.map(key => {
    const r = fieldReader(key);
    return r.ok ? r.read : () => undefined;
  });
}

/**
 * `rows` as CSV: a header (`id`, then the column keys), then one record per
 * row, CRLF line ends, a final CRLF.
 */
export function runsToCSV(
  rows: readonly IExperimentSummary[],
  columns: readonly string[]
): string {
  const read = readers(columns);
  const lines = [['id', ...columns].map(csvField).join(',')];
  for (const s of rows) {
    lines.push([s.id, ...read.map(r => r(s))].map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * `rows` as a JSON array of objects: `id`, then one member per column key
 * with its value (numbers, text, booleans, lists; null when missing).
 */
export function runsToJSON(
  rows: readonly IExperimentSummary[],
  columns: readonly string[]
): string {
  const read = readers(columns);
  const out = rows.map(s => {
    const o: { [key: string]: FieldValue } = { id: s.id };
    columns.forEach((key, i) => {
      if (key !== 'id') {
        o[key] = read[i](s) ?? null;
      }
    });
    return o;
  });
  return JSON.stringify(out, null, 1) + '\n';
}

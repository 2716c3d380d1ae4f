/**
 * A notebook as `.ipynb` text the way nbformat writes it: one-space
 * indent, multi-line strings (sources, stream text, text MIME data) as
 * lists of lines, a final newline.
 */

import { isObject, IJSONObject, JSONValue } from '../diff/json';
import { INotebook, isJSONMime } from '../diff/notebook';
import { splitLines } from './text';

export function writeNotebook(nb: INotebook): string {
  const lines = (s: unknown) => (typeof s === 'string' ? splitLines(s) : s);
  const bundle = (data: unknown) => {
    if (!isObject(data)) {
      return data;
    }
    const out: IJSONObject = {};
    for (const [mime, v] of Object.entries(data)) {
      out[mime] = isJSONMime(mime) ? v : (lines(v) as JSONValue);
    }
    return out;
  };
  const cells = nb.cells.map(c => {
    const cell: Record<string, unknown> = { ...c, source: lines(c.source) };
    if (Array.isArray(c.outputs)) {
      cell.outputs = c.outputs.map(o => {
        const out: Record<string, unknown> = { ...o };
        if (o.output_type === 'stream') {
          out.text = lines(o.text);
        } else if ('data' in o) {
          out.data = bundle(o.data);
        }
        return out;
      });
    }
    if (isObject(c.attachments)) {
      const att: Record<string, unknown> = {};
      for (const [name, b] of Object.entries(c.attachments)) {
        att[name] = bundle(b);
      }
      cell.attachments = att;
    }
    return cell;
  });
  return JSON.stringify({ ...nb, cells }, null, 1) + '\n';
}

/**
 * Where in a cell an IPython error was raised, read from the traceback the
 * kernel sends (`error` output / `execute_reply`). The flattened script
 * keeps the statements of a failed cell that ran before the raising one:
 * IPython runs a cell's top-level statements one after another, so those
 * before the statement holding this line took effect in the kernel.
 */

/**
 * The 1-based line of the cell's top-level frame in an IPython traceback,
 * or null when the traceback does not say (a compile-time syntax error ran
 * nothing; an error raised inside a cell magic has no cell frame).
 *
 * Formats by IPython version:
 * - 8.5+:      `Cell In [3], line 2` / `Cell In[3], line 2`
 * - 8.0–8.4:   `Input In [3], in <cell line: 2>()`
 * - 7.x:       `<ipython-input-3-…> in <module>` then `----> 2 …`
 */
export function raisingCellLine(traceback: unknown): number | null {
  if (!Array.isArray(traceback) || traceback.length === 0) {
    return null;
  }
  const text = traceback
    .map(part => (typeof part === 'string' ? part : ''))
    .join('\n')
    .replace(Private.ANSI, '');
  // A runtime error has the header; a compile-time one (SyntaxError while
  // parsing the cell) has none, and nothing in the cell ran.
  const header = text.indexOf('Traceback (most recent call last)');
  if (header < 0) {
    return null;
  }
  const lines = text.slice(header).split(/\r?\n/).slice(1);
  // The first frame after the header is the cell's own top-level code.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') {
      continue;
    }
    let m = /^Cell In ?\[\d*\], line (\d+)/.exec(line);
    if (m) {
      return Number(m[1]);
    }
    m = /^Input In ?\[\d*\], in <cell line: (\d+)>/.exec(line);
    if (m) {
      return Number(m[1]);
    }
    if (/^<ipython-input-\d+-[0-9a-f]+> in /.test(line)) {
      for (let j = i + 1; j < lines.length; j++) {
        const arrow = /^-+> ?(\d+)/.exec(lines[j].trim());
        if (arrow) {
          return Number(arrow[1]);
        }
        if (lines[j].trim() === '') {
          break;
        }
      }
      return null;
    }
    // Any other first frame (`File <timed eval>:1`, a file): not the cell.
    return null;
  }
  return null;
}

namespace Private {
  // eslint-disable-next-line no-control-regex
  export const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
}

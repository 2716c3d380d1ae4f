/**
 * Python `str` semantics that IPython's input transformation relies on:
 * `repr()`, `splitlines(keepends=True)`, `isspace()`, `strip()`, `split()`.
 * JavaScript's own equivalents differ in their whitespace and line-break
 * sets, and the flattened script must match IPython byte for byte.
 */

/** Characters Python's `str.isspace()` (and `re`'s `\s`) accept. */
export const PY_WHITESPACE =
  '\t\n\u000b\u000c\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680' +
  '\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a' +
  '\u2028\u2029\u202f\u205f\u3000';

/** A regular-expression class body for Python whitespace. */
export const PY_WS_CLASS = PY_WHITESPACE.replace(
  /[\s\S]/g,
  c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')
);

const WS_SET = new Set(PY_WHITESPACE);

/** `str.isspace()`: non-empty and all whitespace. */
export function pyIsSpace(s: string): boolean {
  if (s.length === 0) {
    return false;
  }
  for (const c of s) {
    if (!WS_SET.has(c)) {
      return false;
    }
  }
  return true;
}

/** `str.rstrip()`. */
export function pyRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && WS_SET.has(s[end - 1])) {
    end--;
  }
  return s.slice(0, end);
}

/** `str.strip()`. */
export function pyStrip(s: string): string {
  let start = 0;
  const r = pyRstrip(s);
  while (start < r.length && WS_SET.has(r[start])) {
    start++;
  }
  return r.slice(start);
}

/** `str.split()` with no separator: runs of whitespace, no empty parts. */
export function pySplit(s: string): string[] {
  return s.split(Private.WS_RUN).filter(p => p !== '');
}

/** `str.partition(sep)`. */
export function pyPartition(s: string, sep: string): [string, string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, '', ''] : [s.slice(0, i), sep, s.slice(i + sep.length)];
}

/** `str.splitlines(keepends=True)`. */
export function pySplitLinesKeepEnds(s: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (Private.LINE_BREAKS.has(c)) {
      if (c === '\r' && s[i + 1] === '\n') {
        i++;
      }
      lines.push(s.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < s.length) {
    lines.push(s.slice(start));
  }
  return lines;
}

/** Python's `repr()` of a `str`, as `%r` and `{!r}` print it. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (c === quote || c === '\\') {
      out += '\\' + c;
    } else if (c === '\t') {
      out += '\\t';
    } else if (c === '\n') {
      out += '\\n';
    } else if (c === '\r') {
      out += '\\r';
    } else if (cp < 0x20 || cp === 0x7f) {
      out += '\\x' + Private.hex(cp, 2);
    } else if (cp < 0x7f) {
      out += c;
    } else if (Private.NON_PRINTABLE.test(c)) {
      out +=
        cp <= 0xff
          ? '\\x' + Private.hex(cp, 2)
          : cp <= 0xffff
            ? '\\u' + Private.hex(cp, 4)
            : '\\U' + Private.hex(cp, 8);
    } else {
      out += c;
    }
  }
  return out + quote;
}

namespace Private {
  export const WS_RUN = new RegExp(`[${PY_WS_CLASS}]+`);

  export const LINE_BREAKS = new Set([
    '\n',
    '\r',
    '\u000b',
    '\u000c',
    '\u001c',
    '\u001d',
    '\u001e',
    '\u0085',
    '\u2028',
    '\u2029'
  ]);

  /**
   * What `str.isprintable()` rejects: other (Cc, Cf, Cs, Co, Cn) and
   * separator (Zl, Zp, Zs) categories; the ASCII space is handled before.
   */
  export const NON_PRINTABLE =
    /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

  export function hex(n: number, width: number): string {
    return n.toString(16).padStart(width, '0');
  }
}

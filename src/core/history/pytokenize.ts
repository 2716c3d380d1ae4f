/**
 * A port of the pure-Python tokenizer of CPython 3.11 (`tokenize.py`,
 * `generate_tokens`), the one IPython 8's input transformer runs on. It
 * yields the same token types, strings and logical structure, including the
 * `ERRORTOKEN`s that IPython's special syntax (`!`, `?`, `$`) produces.
 * Columns are UTF-16 offsets into each line (CPython counts code points);
 * they are only ever used to slice the same lines, so the results agree.
 */
import { pyStrip } from './pystr';

export type TokenType =
  | 'NAME'
  | 'NUMBER'
  | 'STRING'
  | 'OP'
  | 'COMMENT'
  | 'NL'
  | 'NEWLINE'
  | 'INDENT'
  | 'DEDENT'
  | 'ENDMARKER'
  | 'ERRORTOKEN';

/** One token: 1-based line, 0-based column, as `tokenize.TokenInfo`. */
export interface IPyToken {
  type: TokenType;
  string: string;
  start: [number, number];
  end: [number, number];
  /** The physical line(s) the token was found on. */
  line: string;
}

/** Input ended inside a multi-line string or statement (`tokenize.TokenError`). */
export class PyTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

/** A dedent to a column no enclosing block used (`IndentationError`). */
export class PyIndentationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndentationError';
  }
}

/**
 * Tokenize physical lines, each with its line ending (the last may lack
 * one), as `tokenize.generate_tokens(iter(lines).__next__)` does.
 *
 * @throws PyTokenError after yielding every token before the problem.
 * @throws PyIndentationError on an inconsistent dedent.
 */
export function* generateTokens(lines: readonly string[]): Generator<IPyToken> {
  let lnum = 0;
  let parenlev = 0;
  let continued = false;
  let contstr = '';
  let needcont = false;
  let contline = '';
  let strstart: [number, number] = [0, 0];
  let endprog: RegExp = Private.SINGLE;
  let indents = [0];
  let lastLine = '';
  let line = '';
  let next = 0;

  for (;;) {
    lastLine = line;
    line = next < lines.length ? lines[next++] : '';
    lnum++;
    let pos = 0;
    const max = line.length;

    if (contstr) {
      if (!line) {
        throw new PyTokenError('EOF in multi-line string');
      }
      endprog.lastIndex = 0;
      const endmatch = endprog.exec(line);
      if (endmatch) {
        pos = endmatch[0].length;
        yield tok(
          'STRING',
          contstr + line.slice(0, pos),
          strstart,
          [lnum, pos],
          contline + line
        );
        contstr = '';
        needcont = false;
        contline = '';
      } else if (
        needcont &&
        !line.endsWith('\\\n') &&
        !line.endsWith('\\\r\n')
      ) {
        yield tok(
          'ERRORTOKEN',
          contstr + line,
          strstart,
          [lnum, line.length],
          contline
        );
        contstr = '';
        contline = '';
        continue;
      } else {
        contstr += line;
        contline += line;
        continue;
      }
    } else if (parenlev === 0 && !continued) {
      if (!line) {
        break;
      }
      let column = 0;
      while (pos < max) {
        const c = line[pos];
        if (c === ' ') {
          column++;
        } else if (c === '\t') {
          column = (Math.floor(column / Private.TABSIZE) + 1) * Private.TABSIZE;
        } else if (c === '\f') {
          column = 0;
        } else {
          break;
        }
        pos++;
      }
      if (pos === max) {
        break;
      }
      const c = line[pos];
      if (c === '#' || c === '\r' || c === '\n') {
        if (c === '#') {
          const comment = line.slice(pos).replace(/[\r\n]+$/, '');
          yield tok(
            'COMMENT',
            comment,
            [lnum, pos],
            [lnum, pos + comment.length],
            line
          );
          pos += comment.length;
        }
        yield tok(
          'NL',
          line.slice(pos),
          [lnum, pos],
          [lnum, line.length],
          line
        );
        continue;
      }
      if (column > indents[indents.length - 1]) {
        indents.push(column);
        yield tok('INDENT', line.slice(0, pos), [lnum, 0], [lnum, pos], line);
      }
      while (column < indents[indents.length - 1]) {
        if (!indents.includes(column)) {
          throw new PyIndentationError(
            `unindent does not match any outer indentation level (<tokenize>, line ${lnum})`
          );
        }
        indents = indents.slice(0, -1);
        yield tok('DEDENT', '', [lnum, pos], [lnum, pos], line);
      }
    } else {
      if (!line) {
        throw new PyTokenError('EOF in multi-line statement');
      }
      continued = false;
    }

    while (pos < max) {
      Private.PSEUDO.lastIndex = pos;
      const m = Private.PSEUDO.exec(line);
      if (m) {
        const end = pos + m[0].length;
        const start = end - m[1].length;
        const spos: [number, number] = [lnum, start];
        const epos: [number, number] = [lnum, end];
        pos = end;
        if (start === end) {
          continue;
        }
        let token = line.slice(start, end);
        const initial = line[start];
        if (
          Private.NUMCHARS.includes(initial) ||
          (initial === '.' && token !== '.' && token !== '...')
        ) {
          yield tok('NUMBER', token, spos, epos, line);
        } else if (initial === '\r' || initial === '\n') {
          yield tok(parenlev > 0 ? 'NL' : 'NEWLINE', token, spos, epos, line);
        } else if (initial === '#') {
          yield tok('COMMENT', token, spos, epos, line);
        } else if (Private.TRIPLE_QUOTED.has(token)) {
          endprog = Private.endpat(token);
          endprog.lastIndex = pos;
          const endmatch = endprog.exec(line);
          if (endmatch) {
            pos = pos + endmatch[0].length;
            token = line.slice(start, pos);
            yield tok('STRING', token, spos, [lnum, pos], line);
          } else {
            strstart = [lnum, start];
            contstr = line.slice(start);
            contline = line;
            break;
          }
        } else if (
          Private.SINGLE_QUOTED.has(initial) ||
          Private.SINGLE_QUOTED.has(token.slice(0, 2)) ||
          Private.SINGLE_QUOTED.has(token.slice(0, 3))
        ) {
          if (token[token.length - 1] === '\n') {
            strstart = [lnum, start];
            const q = [token[0], token[1], token[2]].find(
              ch => ch === "'" || ch === '"'
            );
            endprog = Private.endpat(q!);
            contstr = line.slice(start);
            needcont = true;
            contline = line;
            break;
          } else {
            yield tok('STRING', token, spos, epos, line);
          }
        } else if (Private.ID_START.test(initial + (line[start + 1] ?? ''))) {
          yield tok('NAME', token, spos, epos, line);
        } else if (initial === '\\') {
          continued = true;
        } else {
          if ('([{'.includes(initial)) {
            parenlev++;
          } else if (')]}'.includes(initial)) {
            parenlev--;
          }
          yield tok('OP', token, spos, epos, line);
        }
      } else {
        const width = (line.codePointAt(pos) ?? 0) > 0xffff ? 2 : 1;
        yield tok(
          'ERRORTOKEN',
          line.slice(pos, pos + width),
          [lnum, pos],
          [lnum, pos + width],
          line
        );
        pos += width;
      }
    }
  }

  if (
    lastLine &&
    !'\r\n'.includes(lastLine[lastLine.length - 1]) &&
    !pyStrip(lastLine).startsWith('#')
  ) {
    yield tok(
      'NEWLINE',
      '',
      [lnum - 1, lastLine.length],
      [lnum - 1, lastLine.length + 1],
      ''
    );
  }
  for (let i = 1; i < indents.length; i++) {
    yield tok('DEDENT', '', [lnum, 0], [lnum, 0], '');
  }
  yield tok('ENDMARKER', '', [lnum, 0], [lnum, 0], '');
}

function tok(
  type: TokenType,
  string: string,
  start: [number, number],
  end: [number, number],
  line: string
): IPyToken {
  return { type, string, start, end, line };
}

namespace Private {
  export const TABSIZE = 8;
  export const NUMCHARS = '0123456789';

  const group = (...choices: string[]): string => `(${choices.join('|')})`;
  const maybe = (...choices: string[]): string => group(...choices) + '?';

  /** Python's `.`: anything but a newline. */
  const DOT = '[^\\n]';
  const NAME = '[\\p{L}\\p{N}_]+';

  const Hexnumber = '0[xX](?:_?[0-9a-fA-F])+';
  const Binnumber = '0[bB](?:_?[01])+';
  const Octnumber = '0[oO](?:_?[0-7])+';
  const Decnumber = '(?:0(?:_?0)*|[1-9](?:_?[0-9])*)';
  const Intnumber = group(Hexnumber, Binnumber, Octnumber, Decnumber);
  const Exponent = '[eE][-+]?[0-9](?:_?[0-9])*';
  const Pointfloat =
    group(
      '[0-9](?:_?[0-9])*\\.(?:[0-9](?:_?[0-9])*)?',
      '\\.[0-9](?:_?[0-9])*'
    ) + maybe(Exponent);
  const Expfloat = '[0-9](?:_?[0-9])*' + Exponent;
  const Floatnumber = group(Pointfloat, Expfloat);
  const Imagnumber = group('[0-9](?:_?[0-9])*[jJ]', Floatnumber + '[jJ]');
  const Number = group(Imagnumber, Floatnumber, Intnumber);

  /** '', and every case and order of b, r, u, f, br, fr. */
  export const PREFIXES: string[] = (() => {
    const result = new Set<string>(['']);
    const perms = (s: string): string[] =>
      s.length <= 1
        ? [s]
        : [...s].flatMap((c, i) =>
            perms(s.slice(0, i) + s.slice(i + 1)).map(p => c + p)
          );
    const cases = (s: string): string[] =>
      s === ''
        ? ['']
        : cases(s.slice(1)).flatMap(rest => [
            s[0] + rest,
            s[0].toUpperCase() + rest
          ]);
    for (const p of ['b', 'r', 'u', 'f', 'br', 'fr']) {
      for (const perm of perms(p)) {
        for (const c of cases(perm)) {
          result.add(c);
        }
      }
    }
    return [...result].sort((a, b) => b.length - a.length);
  })();
  const StringPrefix = group(...PREFIXES);

  const Single = `[^'\\\\]*(?:\\\\${DOT}[^'\\\\]*)*'`;
  const Double = `[^"\\\\]*(?:\\\\${DOT}[^"\\\\]*)*"`;
  const Single3 = `[^'\\\\]*(?:(?:\\\\${DOT}|'(?!''))[^'\\\\]*)*'''`;
  const Double3 = `[^"\\\\]*(?:(?:\\\\${DOT}|"(?!""))[^"\\\\]*)*"""`;
  const Triple = group(StringPrefix + "'''", StringPrefix + '"""');

  /** `EXACT_TOKEN_TYPES`, in the reverse-sorted order tokenize.py tries them. */
  const OPERATORS = [
    '~',
    '}',
    '|=',
    '|',
    '{',
    '^=',
    '^',
    ']',
    '[',
    '@=',
    '@',
    '>>=',
    '>>',
    '>=',
    '>',
    '==',
    '=',
    '<=',
    '<<=',
    '<<',
    '<',
    ';',
    ':=',
    ':',
    '/=',
    '//=',
    '//',
    '/',
    '...',
    '.',
    '->',
    '-=',
    '-',
    ',',
    '+=',
    '+',
    '*=',
    '**=',
    '**',
    '*',
    ')',
    '(',
    '&=',
    '&',
    '%=',
    '%',
    '!='
  ];
  const Special = group(
    ...OPERATORS.map(op => op.replace(/[\^$\\.*+?()[\]{}|/]/g, '\\$&'))
  );
  const Funny = group('\\r?\\n', Special);

  const ContStr = group(
    StringPrefix +
      `'[^\\n'\\\\]*(?:\\\\${DOT}[^\\n'\\\\]*)*` +
      group("'", '\\\\\\r?\\n'),
    StringPrefix +
      `"[^\\n"\\\\]*(?:\\\\${DOT}[^\\n"\\\\]*)*` +
      group('"', '\\\\\\r?\\n')
  );
  const PseudoExtras = group('\\\\\\r?\\n|$', '#[^\\r\\n]*', Triple);
  const Whitespace = '[ \\f\\t]*';

  export const PSEUDO = new RegExp(
    Whitespace + group(PseudoExtras, Number, Funny, ContStr, NAME),
    'uy'
  );

  export const SINGLE = new RegExp(Single, 'uy');
  const ENDPATS: Record<string, RegExp> = {
    "'": SINGLE,
    '"': new RegExp(Double, 'uy'),
    "'''": new RegExp(Single3, 'uy'),
    '"""': new RegExp(Double3, 'uy')
  };

  /** The pattern for the rest of a string opened by `opener` (prefix + quotes). */
  export function endpat(opener: string): RegExp {
    return ENDPATS[opener.replace(/^[a-zA-Z]+/, '')];
  }

  export const SINGLE_QUOTED = new Set(
    PREFIXES.flatMap(p => [p + "'", p + '"'])
  );
  export const TRIPLE_QUOTED = new Set(
    PREFIXES.flatMap(p => [p + "'''", p + '"""'])
  );

  /** `initial.isidentifier()`, given the initial code point (maybe a surrogate pair). */
  export const ID_START = /^[\p{XID_Start}_]/u;
}

/**
 * IPython's input transformation, reimplemented: turns a cell with IPython
 * syntax (`%magic`, `%%cell_magic`, `!shell`, `x = !cmd`, `obj?`, prompts)
 * into the plain Python that IPython 8 itself would run, string for string
 * (`IPython.core.inputtransformer2.TransformerManager().transform_cell`).
 * A differential test checks the output against IPython 8.5.
 */
import {
  generateTokens,
  type IPyToken,
  PyIndentationError,
  PyTokenError
} from './pytokenize';
import {
  PY_WS_CLASS,
  pyIsSpace,
  pyPartition,
  pyRepr,
  pyRstrip,
  pySplit,
  pySplitLinesKeepEnds,
  pyStrip
} from './pystr';

/** Where IPython's own transformation raises, so would running the cell. */
export class IPythonTransformError extends Error {
  constructor(
    /** The Python exception IPython raises: `IndentationError`, `IndexError`, `RuntimeError`. */
    readonly pythonError: string,
    message: string
  ) {
    super(`${pythonError}: ${message}`);
    this.name = 'IPythonTransformError';
  }
}

/**
 * Translate IPython syntax in `code` to plain Python, exactly as IPython 8's
 * `TransformerManager().transform_cell(code)`. The result always ends with a
 * newline.
 *
 * @throws IPythonTransformError where IPython raises too (e.g. an
 *   inconsistent dedent); callers flattening history keep the source as is.
 */
export function transformIPython(code: string): string {
  if (!code.endsWith('\n')) {
    code += '\n';
  }
  let lines = pySplitLinesKeepEnds(code);
  lines = Private.leadingEmptyLines(lines);
  lines = Private.leadingIndent(lines);
  lines = Private.stripPrompts(
    lines,
    Private.CLASSIC_PROMPT,
    Private.CLASSIC_INITIAL
  );
  lines = Private.stripPrompts(
    lines,
    Private.IPYTHON_PROMPT,
    Private.IPYTHON_PROMPT
  );
  lines = Private.cellMagic(lines);
  for (let i = 0; i < Private.LOOP_LIMIT; i++) {
    const next = Private.oneTokenTransform(lines);
    if (next === null) {
      return lines.join('');
    }
    lines = next;
  }
  throw new IPythonTransformError(
    'RuntimeError',
    `Input transformation still changing after ${Private.LOOP_LIMIT} iterations. Aborting.`
  );
}

/** Whether `code` holds IPython syntax, i.e. the transformation changes it. */
export function hasIPythonSyntax(code: string): boolean {
  try {
    const withNewline = code.endsWith('\n') ? code : code + '\n';
    return transformIPython(code) !== withNewline;
  } catch {
    return true;
  }
}

namespace Private {
  export const LOOP_LIMIT = 500;

  const WORD = '[\\p{L}\\p{N}_]';
  const WS = `[${PY_WS_CLASS}]`;
  /** Python's `$` without MULTILINE: at the end or before a final newline. */
  const END = '(?=\\n?$)';

  export const CLASSIC_PROMPT = new RegExp(`^(>>>|\\.\\.\\.)( |${END})`, 'u');
  export const CLASSIC_INITIAL = new RegExp(`^>>>( |${END})`, 'u');
  export const IPYTHON_PROMPT = new RegExp(
    `^(((\\[nav\\]|\\[ins\\])? )?In \\[\\p{Nd}+\\]: |${WS}*\\.{3,}: ?)`,
    'u'
  );
  const CELL_MAGIC_HELP = new RegExp(`^%%${WORD}+\\?`, 'u');
  const HELP_END = new RegExp(
    `(%{0,2}(?!\\p{Nd})[\\p{L}\\p{N}_*]+(\\.(?!\\p{Nd})[\\p{L}\\p{N}_*]+)*)(\\?\\??)${END}`,
    'u'
  );
  const INDENT = /^[ \t]+/;

  export function leadingEmptyLines(lines: string[]): string[] {
    const i = lines.findIndex(l => l !== '' && !pyIsSpace(l));
    return i < 0 ? lines : lines.slice(i);
  }

  export function leadingIndent(lines: string[]): string[] {
    const m = lines.length > 0 ? INDENT.exec(lines[0]) : null;
    if (!m) {
      return lines;
    }
    const space = m[0];
    return lines.map(l => (l.startsWith(space) ? l.slice(space.length) : l));
  }

  /** Strip `>>> `/`In [1]: ` prompts when the first or second line has one. */
  export function stripPrompts(
    lines: string[],
    prompt: RegExp,
    initial: RegExp
  ): string[] {
    if (
      lines.length > 0 &&
      (initial.test(lines[0]) || (lines.length > 1 && prompt.test(lines[1])))
    ) {
      return lines.map(l => l.replace(prompt, ''));
    }
    return lines;
  }

  export function cellMagic(lines: string[]): string[] {
    if (lines.length === 0 || !lines[0].startsWith('%%')) {
      return lines;
    }
    if (CELL_MAGIC_HELP.test(lines[0])) {
      return lines;
    }
    const [name, , firstLine] = pyPartition(pyRstrip(lines[0].slice(2)), ' ');
    const body = lines.slice(1).join('');
    return [
      `get_ipython().run_cell_magic(${pyRepr(name)}, ${pyRepr(firstLine)}, ${pyRepr(body)})\n`
    ];
  }

  /* ---------------------------------------------------------------- */
  /* Token-based transforms                                            */
  /* ---------------------------------------------------------------- */

  type Line = IPyToken[];

  interface ICandidate {
    line: number;
    col: number;
    priority: number;
    /** The new lines, or null when the syntax turns out not to apply. */
    transform(lines: string[]): string[] | null;
  }

  /** Tokens grouped by logical line, as IPython's `make_tokens_by_line`. */
  export function tokensByLine(lines: string[]): Line[] {
    const groups: Line[] = [[]];
    let parenlev = 0;
    try {
      for (const token of generateTokens(lines)) {
        groups[groups.length - 1].push(token);
        if (
          token.type === 'NEWLINE' ||
          (token.type === 'NL' && parenlev <= 0)
        ) {
          groups.push([]);
        } else if (token.type === 'OP' && '([{'.includes(token.string)) {
          parenlev++;
        } else if (token.type === 'OP' && ')]}'.includes(token.string)) {
          if (parenlev > 0) {
            parenlev--;
          }
        }
      }
    } catch (e) {
      if (e instanceof PyIndentationError) {
        throw new IPythonTransformError('IndentationError', e.message);
      }
      if (!(e instanceof PyTokenError)) {
        throw e;
      }
    }
    if (groups[groups.length - 1].length === 0) {
      groups.pop();
    }
    return groups;
  }

  /** Apply the earliest special syntax found; null when there is none. */
  export function oneTokenTransform(lines: string[]): string[] | null {
    const groups = tokensByLine(lines);
    const candidates = [
      findMagicAssign(groups),
      findSystemAssign(groups),
      findEscaped(groups),
      findHelpEnd(groups)
    ].filter((c): c is ICandidate => c !== null);
    candidates.sort(
      (a, b) => a.line - b.line || a.col - b.col || a.priority - b.priority
    );
    for (const c of candidates) {
      const out = c.transform(lines);
      if (out !== null) {
        return out;
      }
    }
    return null;
  }

  function at(line: Line, i: number): IPyToken {
    if (i >= line.length) {
      throw new IPythonTransformError('IndexError', 'list index out of range');
    }
    return line[i];
  }

  function findAssignOp(line: Line): number | null {
    let level = 0;
    for (let i = 0; i < line.length; i++) {
      const s = line[i].string;
      if (s === '=' && level === 0) {
        return i;
      }
      if (s === '(' || s === '[' || s === '{') {
        level++;
      } else if ((s === ')' || s === ']' || s === '}') && level > 0) {
        level--;
      }
    }
    return null;
  }

  /** Last line of a statement continued with backslashes (may run past the end). */
  function endOfContinuedLine(lines: string[], start: number): number {
    let end = start;
    while (lines[end].endsWith('\\\n')) {
      end++;
      if (end >= lines.length) {
        break;
      }
    }
    return end;
  }

  function assembleContinuedLine(
    lines: string[],
    startLine: number,
    startCol: number,
    endLine: number
  ): string {
    const parts = [
      lines[startLine].slice(startCol),
      ...lines.slice(startLine + 1, endLine + 1)
    ];
    return [
      ...parts.slice(0, -1).map(p => pyRstrip(p).slice(0, -1)),
      pyRstrip(parts[parts.length - 1])
    ].join(' ');
  }

  /** Replace the statement at (line, col) with `lhs + call`. */
  function replaceStatement(
    lines: string[],
    line: number,
    col: number,
    escape: string,
    call: (rest: string) => string
  ): string[] {
    const lhs = lines[line].slice(0, col);
    const end = endOfContinuedLine(lines, line);
    const text = assembleContinuedLine(lines, line, col, end);
    const rest = text.startsWith(escape) ? text.slice(escape.length) : text;
    return [
      ...lines.slice(0, line),
      lhs + call(rest) + '\n',
      ...lines.slice(end + 1)
    ];
  }

  /** `a = %magic args` */
  function findMagicAssign(groups: Line[]): ICandidate | null {
    for (const line of groups) {
      const i = findAssignOp(line);
      if (
        i !== null &&
        line.length >= i + 2 &&
        line[i + 1].string === '%' &&
        at(line, i + 2).type === 'NAME'
      ) {
        const [l, col] = line[i + 1].start;
        return {
          line: l - 1,
          col,
          priority: 10,
          transform: lines =>
            replaceStatement(lines, l - 1, col, '%', rhs => {
              const [name, , args] = pyPartition(rhs, ' ');
              return `get_ipython().run_line_magic(${pyRepr(name)}, ${pyRepr(args)})`;
            })
        };
      }
    }
    return null;
  }

  /** `a = !command` */
  function findSystemAssign(groups: Line[]): ICandidate | null {
    for (const line of groups) {
      const i = findAssignOp(line);
      if (
        i !== null &&
        !pyStrip(line[i].line).startsWith('=') &&
        line.length >= i + 2 &&
        line[i + 1].type === 'ERRORTOKEN'
      ) {
        for (
          let j = i + 1;
          j < line.length && line[j].type === 'ERRORTOKEN';
          j++
        ) {
          if (line[j].string === '!') {
            const [l, col] = line[j].start;
            return {
              line: l - 1,
              col,
              priority: 10,
              transform: lines =>
                replaceStatement(
                  lines,
                  l - 1,
                  col,
                  '!',
                  cmd => `get_ipython().getoutput(${pyRepr(cmd)})`
                )
            };
          } else if (!pyIsSpace(line[j].string)) {
            break;
          }
        }
      }
    }
    return null;
  }

  const ESCAPE_SINGLES = new Set(['!', '?', '%', ',', ';', '/']);
  const ESCAPE_DOUBLES = new Set(['!!', '??']);

  function helpCall(target: string, esc: string): string {
    const method =
      esc === '??' ? 'pinfo2' : target.includes('*') ? 'psearch' : 'pinfo';
    const [name, , arg] = pyPartition(`${method} ${target}`, ' ');
    return `get_ipython().run_line_magic(${pyRepr(name.replace(/^%+/, ''))}, ${pyRepr(arg)})`;
  }

  const ESCAPES: Record<string, (content: string) => string> = {
    '!': c => `get_ipython().system(${pyRepr(c)})`,
    '!!': c => `get_ipython().getoutput(${pyRepr(c)})`,
    '?': c => (c ? helpCall(c, '?') : 'get_ipython().show_usage()'),
    '??': c => (c ? helpCall(c, '??') : 'get_ipython().show_usage()'),
    '%': c => {
      const [name, , args] = pyPartition(c, ' ');
      return `get_ipython().run_line_magic(${pyRepr(name)}, ${pyRepr(args)})`;
    },
    ',': c => {
      const [name, , args] = pyPartition(c, ' ');
      return `${name}("${pySplit(args).join('", "')}")`;
    },
    ';': c => {
      const [name, , args] = pyPartition(c, ' ');
      return `${name}("${args}")`;
    },
    '/': c => {
      const [name, , args] = pyPartition(c, ' ');
      return `${name}(${pySplit(args).join(', ')})`;
    }
  };

  /** A line starting with `%`, `!`, `!!`, `?`, `??`, `,`, `;` or `/`. */
  function findEscaped(groups: Line[]): ICandidate | null {
    for (const line of groups) {
      let i = 0;
      while (
        i < line.length &&
        (line[i].type === 'INDENT' || line[i].type === 'DEDENT')
      ) {
        i++;
      }
      if (i >= line.length) {
        continue;
      }
      if (ESCAPE_SINGLES.has(line[i].string)) {
        const [l, col] = line[i].start;
        return {
          line: l - 1,
          col,
          priority: 10,
          transform: lines => {
            const indent = lines[l - 1].slice(0, col);
            const end = endOfContinuedLine(lines, l - 1);
            const text = assembleContinuedLine(lines, l - 1, col, end);
            const esc =
              text.length > 1 && ESCAPE_DOUBLES.has(text.slice(0, 2))
                ? text.slice(0, 2)
                : text.slice(0, 1);
            const call = ESCAPES[esc]?.(text.slice(esc.length)) ?? '';
            return [
              ...lines.slice(0, l - 1),
              indent + call + '\n',
              ...lines.slice(end + 1)
            ];
          }
        };
      }
    }
    return null;
  }

  /** `obj?`, `obj.attr??`, `%magic?` */
  function findHelpEnd(groups: Line[]): ICandidate | null {
    for (const line of groups) {
      if (line.length > 2 && line[line.length - 2].string === '?') {
        let i = 0;
        while (line[i].type === 'INDENT' || line[i].type === 'DEDENT') {
          i++;
        }
        const [l, col] = line[i].start;
        const qLine = line[line.length - 2].start[0] - 1;
        return {
          line: l - 1,
          col,
          priority: 5,
          transform: lines => {
            const piece = lines.slice(l - 1, qLine + 1).join('');
            const indent = piece.slice(0, col);
            const m = HELP_END.exec(piece.slice(col));
            if (!m) {
              return null;
            }
            return [
              ...lines.slice(0, l - 1),
              indent + helpCall(m[1], m[3]) + '\n',
              ...lines.slice(qLine + 1)
            ];
          }
        };
      }
    }
    return null;
  }
}

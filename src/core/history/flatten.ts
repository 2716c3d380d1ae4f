/**
 * The flattened script: a kernel session's executions, in the order they
 * ran, as one script that replays the session. Each execution is a
 * jupytext percent-format cell (`# %% [n] key=value ...`), so jupytext and
 * VS Code open the script as a notebook; IPython syntax is translated to
 * the `get_ipython()` calls IPython itself runs, so `ipython script.py`
 * reproduces the session. Requests the kernel aborted (queued behind a
 * failed cell) never ran: they are no block. A failed execution keeps, live,
 * the top-level statements that ran before the one that raised (IPython runs
 * them one by one; the traceback names the raising line), and the raising
 * statement and the rest are commented out.
 */
import type {
  HistoryRecord,
  IExecutionRecord,
  IKernelInfo,
  ISessionRecord
} from '../model';
import { IPythonTransformError, transformIPython } from './ipython';
import { generateTokens } from './pytokenize';

/** Options of `flattenHistory`. */
export interface IFlattenOptions {
  /**
   * Kernel language; decides the comment syntax and whether IPython syntax
   * is translated. Default: the last session's `kernel.language`, else
   * `python`.
   */
  language?: string;
  /** Replay every session, not only the last (default false). */
  includeAllSessions?: boolean;
  /** Experiment name for the header comment. */
  experiment?: string;
}

/**
 * The script replaying the last kernel session of `records` (all sessions
 * with `includeAllSessions`), in execution order.
 */
export function flattenHistory(
  records: readonly HistoryRecord[],
  options: IFlattenOptions = {}
): string {
  const sessions = records.filter(
    (r): r is ISessionRecord => r.kind === 'session'
  );
  // A tab that attached to the kernel the previous session ran on (page
  // reloaded mid-run, say) continues that kernel session: the kernel's
  // state is the same, so the script must replay both.
  const lastGroup = new Set<string>();
  let last: ISessionRecord | undefined;
  for (const s of sessions) {
    const continues =
      last !== undefined &&
      s.reason === 'attach' &&
      s.kernelId !== '' &&
      s.kernelId === last.kernelId;
    if (!continues) {
      lastGroup.clear();
      last = s;
    }
    lastGroup.add(s.session);
  }
  const language = (
    options.language ||
    last?.kernel.language ||
    'python'
  ).toLowerCase();
  const python = language === 'python' || language === 'ipython';
  const c = commentPrefix(language);
  const selected = records.filter(
    r =>
      options.includeAllSessions ||
      last === undefined ||
      lastGroup.has(r.session)
  );

  const out: string[] = [];
  if (last) {
    out.push(...Private.jupytextHeader(c, last.kernel, language));
  }
  out.push(`${c} Labbook flattened script`);
  if (options.experiment !== undefined) {
    out.push(`${c} Experiment: ${Private.oneLine(options.experiment)}`);
  }
  if (last) {
    const k = last.kernel;
    out.push(
      `${c} Kernel: ${Private.oneLine(k.displayName || k.name || 'unknown')} (${Private.oneLine(k.language || language)})`,
      `${c} ${options.includeAllSessions ? 'All kernel sessions' : 'Kernel session'} from ${Private.oneLine(last.started)} (${last.reason}), in execution order.`
    );
  }
  out.push(
    python
      ? `${c} Run with \`ipython script.py\`. A failed execution keeps the statements that ran before the one that raised; that one and the rest are commented out.`
      : `${c} Failed executions are kept, commented out.`,
    `${c} Requests the kernel aborted after an error never ran and are left out.`,
    `${c} Durations are in seconds.`,
    ''
  );

  let n = 0;
  for (const r of selected) {
    if (r.kind === 'session') {
      if (options.includeAllSessions) {
        out.push(
          `${c} %% [markdown] session=${Private.json(r.session)} reason=${Private.json(r.reason)}`,
          `${c} Kernel session started ${Private.oneLine(r.started)} (${r.reason})`,
          ''
        );
      }
      continue;
    }
    if (r.status === 'aborted') {
      continue;
    }
    n++;
    const ok = r.status === 'ok';
    const code = python ? Private.translate(r.source) : r.source;
    if (ok) {
      out.push(Private.marker(c, n, r));
      out.push(code.endsWith('\n') ? code.slice(0, -1) : code);
    } else {
      const ran =
        python && r.error?.line !== undefined
          ? ranBeforeRaise(code, r.error.line)
          : 0;
      out.push(Private.marker(c, n, r, ran > 0 ? r.error?.line : undefined));
      const lines = Private.splitLines(code);
      if (ran > 0) {
        out.push(...lines.slice(0, ran));
        out.push(
          `${c} The statement below raised ${Private.oneLine(r.error?.ename ?? 'an error')}; it and the rest of the cell did not run:`
        );
      }
      out.push(...Private.commentOut(c, lines.slice(ran).join('\n')));
    }
    out.push('');
  }
  return out.join('\n');
}

/**
 * How many leading lines of a cell's (translated) code ran before the
 * top-level statement holding 1-based `line` raised: the lines before that
 * statement's first line. 0 when the code cannot be tokenized or the line
 * is outside it (comment the whole cell out).
 */
export function ranBeforeRaise(code: string, line: number): number {
  // Only plain \n line breaks: other breaks number lines differently
  // in IPython and here, so such a cell is commented out whole.
  // eslint-disable-next-line no-control-regex
  if (/[\r\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]/.test(code)) {
    return 0;
  }
  const lines = code.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  if (!Number.isInteger(line) || line < 1 || line > lines.length) {
    return 0;
  }
  let depth = 0;
  let atStart = true;
  let start = 0;
  try {
    for (const tok of generateTokens(lines)) {
      if (tok.type === 'INDENT') {
        depth++;
      } else if (tok.type === 'DEDENT') {
        depth--;
      } else if (tok.type === 'NEWLINE') {
        atStart = true;
      } else if (
        tok.type !== 'NL' &&
        tok.type !== 'COMMENT' &&
        tok.type !== 'ENDMARKER' &&
        atStart
      ) {
        atStart = false;
        if (depth === 0) {
          if (tok.start[0] > line) {
            break;
          }
          start = tok.start[0];
        }
      }
    }
  } catch {
    return 0;
  }
  return start > 0 ? start - 1 : 0;
}

/** The line-comment token of a kernel language (`#` when unknown). */
export function commentPrefix(language: string): string {
  return Private.COMMENTS[language.toLowerCase()] ?? '#';
}

/** A safe file name for an experiment's script, e.g. `my-run.py`. */
export function scriptFileName(
  experimentName: string,
  language = 'python'
): string {
  const stem =
    experimentName
      .normalize('NFKC')
      .replace(/[^\p{L}\p{N}_.-]+/gu, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .replace(/-{2,}/g, '-')
      .slice(0, 80)
      .replace(/[-.]+$/, '') || 'experiment';
  return stem + (Private.EXTENSIONS[language.toLowerCase()] ?? '.txt');
}

namespace Private {
  export const COMMENTS: Record<string, string> = {
    python: '#',
    ipython: '#',
    r: '#',
    julia: '#',
    ruby: '#',
    perl: '#',
    bash: '#',
    sh: '#',
    powershell: '#',
    javascript: '//',
    typescript: '//',
    java: '//',
    scala: '//',
    kotlin: '//',
    groovy: '//',
    go: '//',
    rust: '//',
    c: '//',
    'c++': '//',
    cpp: '//',
    csharp: '//',
    'c#': '//',
    fsharp: '//',
    'f#': '//',
    swift: '//',
    dart: '//',
    sql: '--',
    haskell: '--',
    lua: '--',
    matlab: '%',
    octave: '%',
    fortran: '!',
    clojure: ';;',
    scheme: ';;',
    'common-lisp': ';;'
  };

  export const EXTENSIONS: Record<string, string> = {
    python: '.py',
    ipython: '.py',
    r: '.R',
    julia: '.jl',
    ruby: '.rb',
    perl: '.pl',
    bash: '.sh',
    sh: '.sh',
    powershell: '.ps1',
    javascript: '.js',
    typescript: '.ts',
    java: '.java',
    scala: '.scala',
    kotlin: '.kt',
    groovy: '.groovy',
    go: '.go',
    rust: '.rs',
    c: '.c',
    'c++': '.cpp',
    cpp: '.cpp',
    csharp: '.cs',
    'c#': '.cs',
    fsharp: '.fsx',
    'f#': '.fsx',
    swift: '.swift',
    dart: '.dart',
    sql: '.sql',
    haskell: '.hs',
    lua: '.lua',
    matlab: '.m',
    octave: '.m',
    fortran: '.f90',
    clojure: '.clj',
    scheme: '.scm',
    'common-lisp': '.lisp'
  };

  /** A JSON value that stays on one line whatever line breaks it holds. */
  export function json(value: unknown): string {
    return JSON.stringify(value).replace(
      /[\u0085\u2028\u2029]/g,
      ch => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0')
    );
  }

  /** Any line break Python's `splitlines` or a JavaScript parser knows. */
  const LINE_BREAK =
    '\\r\\n|[\\n\\r\\u000b\\u000c\\u001c-\\u001e\\u0085\\u2028\\u2029]';

  /** Free text on one comment line. */
  export function oneLine(text: string): string {
    return text.replace(new RegExp(`(?:${LINE_BREAK})+`, 'g'), ' ');
  }

  /** jupytext's YAML header: the kernel to open the script with. */
  export function jupytextHeader(
    c: string,
    kernel: IKernelInfo,
    language: string
  ): string[] {
    if (!kernel.name) {
      return [];
    }
    return [
      `${c} ---`,
      `${c} jupyter:`,
      `${c}   kernelspec:`,
      `${c}     display_name: ${json(kernel.displayName || kernel.name)}`,
      `${c}     language: ${json(kernel.language || language)}`,
      `${c}     name: ${json(kernel.name)}`,
      `${c} ---`,
      ''
    ];
  }

  /** `# %% [n] cell_id="…" execution_count=… status="…" duration=…` */
  export function marker(
    c: string,
    n: number,
    r: IExecutionRecord,
    raisedAt?: number
  ): string {
    const meta: [string, unknown][] = [
      ['cell_id', r.cellId],
      ['execution_count', r.executionCount],
      ['status', r.status ?? 'running'],
      ['duration', r.duration === null ? null : Math.round(r.duration) / 1000]
    ];
    if (r.error) {
      meta.push(['ename', r.error.ename], ['evalue', r.error.evalue]);
      if (raisedAt !== undefined) {
        meta.push(['raised_at_line', raisedAt]);
      }
    }
    if (r.times['iopub.status.busy'] ?? r.times.queued) {
      meta.push(['started', r.times['iopub.status.busy'] ?? r.times.queued]);
    }
    return `${c} %% [${n}] ${meta.map(([k, v]) => `${k}=${json(v)}`).join(' ')}`;
  }

  /**
   * IPython's translation of a cell. A cell IPython itself could not
   * transform failed when it ran: keep its source.
   */
  export function translate(source: string): string {
    try {
      return transformIPython(source);
    } catch (e) {
      if (e instanceof IPythonTransformError) {
        return source;
      }
      throw e;
    }
  }

  /** The code's lines without their endings (a last empty line dropped). */
  export function splitLines(code: string): string[] {
    return code.replace(/\n$/, '').split('\n');
  }

  /** Every line as a comment, whatever line breaks the code used. */
  export function commentOut(c: string, code: string): string[] {
    const body = code.replace(new RegExp(`(?:${LINE_BREAK})$`), '');
    return body
      .split(new RegExp(LINE_BREAK))
      .map(line => (line === '' ? c : `${c} ${line}`));
  }
}

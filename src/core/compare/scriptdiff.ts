/**
 * The code diff of two experiments: their flattened scripts
 * (`flattenHistory`) diffed by lines and words with the notebook diff's
 * `diffText`.
 *
 * A flattened script heads each execution with a jupytext marker holding
 * what differs on every run (execution count, duration, start time, cell
 * id) and its header names the experiment and the session's start. Left
 * in, every marker would show as changed and bury the code that did. By
 * default those are taken out before diffing: a marker keeps its position
 * and the run's status and error name (`# %% [3] status="error"
 * ename="KeyError"`), the header its fixed lines. The diff is of the
 * scripts as compared, returned alongside it.
 */
import { ITextDiffOptions, diffText } from '../diff/source';
import type { ITextDiff } from '../diff/result';

/** Options of `diffScripts`. */
export interface IScriptDiffOptions extends ITextDiffOptions {
  /** Keep run-specific marker and header metadata. Default false. */
  includeVolatile?: boolean;
}

export interface IScriptDiff {
  /** The scripts as compared (without run-specific metadata by default). */
  a: string;
  b: string;
  diff: ITextDiff;
  /** Lines added and removed. */
  added: number;
  removed: number;
  /** The compared scripts are equal. */
  same: boolean;
}

/** Diff two flattened scripts (`a` the older or reference). */
export function diffScripts(
  a: string,
  b: string,
  options: IScriptDiffOptions = {}
): IScriptDiff {
  const { includeVolatile, ...textOptions } = options;
  const x = includeVolatile ? a : stripVolatile(a);
  const y = includeVolatile ? b : stripVolatile(b);
  const diff = diffText(x, y, textOptions);
  let added = 0;
  let removed = 0;
  for (const s of diff.segments) {
    if (s.kind === 'added') {
      added += s.count;
    } else if (s.kind === 'removed') {
      removed += s.count;
    }
  }
  return { a: x, b: y, diff, added, removed, same: x === y };
}

/**
 * A flattened script without what changes on every run: marker metadata
 * other than status and error name, the header's experiment name and
 * session start times, session ids. Line for line otherwise.
 */
export function stripVolatile(script: string): string {
  const lines = script.split('\n');
  const out: string[] = [];
  let inHeader = true;
  for (const line of lines) {
    const marker = Private.MARKER.exec(line);
    if (marker) {
      inHeader = false;
      const [, c, n, meta] = marker;
      const keep = ['status', 'ename']
        .map(k =>
          new RegExp(`(?:^| )${k}=("(?:[^"\\\\]|\\\\.)*"|\\S+)`).exec(meta)
        )
        .filter((m): m is RegExpExecArray => !!m)
        .map(m => m[0].trim());
      out.push([`${c} %% [${n}]`, ...keep].join(' '));
      continue;
    }
    const session = Private.SESSION_MARKER.exec(line);
    if (session) {
      inHeader = false;
      out.push(`${session[1]} %% [markdown] reason=${session[2]}`);
      continue;
    }
    const started = Private.SESSION_STARTED.exec(line);
    if (started) {
      out.push(`${started[1]} Kernel session started (${started[2]})`);
      continue;
    }
    if (inHeader && Private.HEADER_VOLATILE.test(line)) {
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

namespace Private {
  /** `# %% [12] cell_id="…" …` (any comment token). */
  export const MARKER = /^(\S+) %% \[(\d+)\](.*)$/;
  /** `# %% [markdown] session="…" reason="restart"`. */
  export const SESSION_MARKER =
    /^(\S+) %% \[markdown\] session=\S+ reason=(\S+)$/;
  /** `# Kernel session started 2026-… (restart)`. */
  export const SESSION_STARTED = /^(\S+) Kernel session started .* \((\w+)\)$/;
  /** Header lines naming the experiment or the session's start time. */
  export const HEADER_VOLATILE =
    /^\S+ (Experiment: |Kernel session from |All kernel sessions from )/;
}

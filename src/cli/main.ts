/**
 * `labbook diff`: the notebook diff from the shell, and as a git diff
 * driver. `bin.ts` runs it; scripts/build-cli.mjs bundles that into
 * lib/cli.cjs (the package's `labbook` bin). Imports only the diff core, so
 * it starts fast.
 *
 *   labbook diff [options] a.ipynb b.ipynb
 *
 * Exit status: 0 when the notebooks are equal (under the options), 1 when
 * they differ, 2 on an error (usage, unreadable file, not a notebook).
 *
 * Under `git difftool` (GIT_DIFF_TOOL set) a difference exits 0 too, so
 * that `--trust-exit-code` stops only on errors.
 *
 * Called by git as an external diff driver (`diff.<driver>.command`, or
 * GIT_EXTERNAL_DIFF) it gets seven arguments, `path old-file old-hex
 * old-mode new-file new-hex new-mode` (nine for a rename: plus `new-path`
 * and the rename message). It then diffs old-file against new-file and
 * exits 0 whether they differ or not, since git treats any other status
 * as the driver failing; `/dev/null` (a file added or deleted) counts as
 * an empty notebook.
 */

import { diffNotebooks } from '../core/diff/diff';
import {
  INotebook,
  NotebookFormatError,
  parseNotebook
} from '../core/diff/notebook';
import { toNbdimeDiff } from '../core/diff/nbdime';
import {
  CountStrategy,
  mergeNotebooks,
  OutputStrategy
} from '../core/merge/merge';
import { writeNotebook } from '../core/merge/write';
import { renderDiffText, stripControl, summaryLine } from '../core/diff/text';

const USAGE = `Usage: labbook diff [options] <a.ipynb> <b.ipynb>
       labbook merge [options] <base.ipynb> <local.ipynb> <remote.ipynb>

Show what changed between two Jupyter notebooks (nbformat 4): cells added,
removed, moved and modified, with line diffs of sources and text outputs,
image hashes, and metadata changes.

Options:
  --color, --no-color          colour the output (default: on a terminal and
                               not when NO_COLOR is set; under git, as git's
                               own --color / color.diff / pager decide)
  --json                       print the diff in nbdime's JSON diff format
                               (what nbdime's patch applies to the old notebook)
  --stat                       print one summary line per notebook
  --label NAME                 name the old notebook in the header (given
                               twice: the old, then the new one)
  --include-execution-counts   also compare execution counts
  --include-volatile           also compare volatile metadata (timings,
                               collapsed/scrolled state, widget state, ids)
  -h, --help                   show this help

Exit status: 0 when equal, 1 when different, 2 on error.

As a git diff driver (git passes 7 arguments: path old-file old-hex old-mode
new-file new-hex new-mode), the exit status is 0 for a difference too:
  git config diff.labbook.command "npx labbook diff"
  echo '*.ipynb diff=labbook' >> .gitattributes
labbook merge: a three-way merge of two edits (local, remote) of a base
notebook, written to stdout or to -o FILE. Changes to different cells,
outputs and metadata merge; conflicting lines get git's markers in the
source, conflicting outputs are both kept between marker outputs, metadata
conflicts are recorded under metadata["nbdime-conflicts"].
  -o, --output FILE            write the merged notebook there
  --outputs inline|local|remote|clear
                               conflicting outputs (default inline: both)
  --exec-counts clear|local|remote
                               conflicting execution counts (default clear)
Exit status: 0 merged cleanly, 1 conflicts (the file is still written),
2 error. As git's merge driver:
  git config merge.labbook.driver "npx labbook merge %O %A %B -o %A"
  echo '*.ipynb merge=labbook' >> .gitattributes

As a git difftool (exit status 0 for a difference under git difftool, so
--trust-exit-code stops only on errors):
  git config difftool.labbook.cmd \
    'npx labbook diff --label "a/$MERGED" --label "b/$MERGED" "$LOCAL" "$REMOTE"'
  git difftool -t labbook
`;

/** Where the output goes; a seam for tests of `main`. */
export interface ICliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal. */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  readFile: (path: string) => string;
  /** Write a file (merge's -o); defaults to an error when absent. */
  writeFile?: (path: string, text: string) => void;
  /**
   * The colour the calling git was asked for (`--color[=when]`,
   * `--no-color`, `-c color.ui=…`), when a git process started this one;
   * undefined when none was asked for or there is no such git.
   */
  gitColor?: () => boolean | undefined;
}

/** A usage or input problem: printed as one line, exit status 2. */
class CliError extends Error {}

interface IParsed {
  color?: boolean;
  format: 'text' | 'json' | 'stat';
  labels: string[];
  includeExecutionCounts: boolean;
  includeVolatileMetadata: boolean;
  paths: string[];
}

/** Run the command line; returns the exit status. */
export function main(argv: string[], io: ICliIO): number {
  try {
    if (argv.length === 0) {
      io.stderr(USAGE);
      return 2;
    }
    if (argv[0] === '-h' || argv[0] === '--help' || argv[0] === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    if (argv[0] === 'merge') {
      return merge(argv.slice(1), io);
    }
    if (argv[0] !== 'diff') {
      throw new CliError(
        `unknown command ${JSON.stringify(argv[0])} (try: labbook diff a.ipynb b.ipynb, or labbook --help)`
      );
    }
    const args = parseArgs(argv.slice(1));
    if (args === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    return diff(args, io);
  } catch (e) {
    if (e instanceof NotebookFormatError || e instanceof CliError) {
      io.stderr(
        `labbook ${argv[0] === 'merge' ? 'merge' : 'diff'}: ${oneLine(e.message)}\n`
      );
      return 2;
    }
    throw e;
  }
}

function parseArgs(argv: string[]): IParsed | 'help' {
  const parsed: IParsed = {
    includeExecutionCounts: false,
    includeVolatileMetadata: false,
    format: 'text',
    labels: [],
    paths: []
  };
  let options = true;
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    if (options && (arg === '--label' || arg.startsWith('--label='))) {
      const value = arg === '--label' ? argv[++k] : arg.slice(8);
      if (value === undefined) {
        throw new CliError('--label needs a name (--label NAME)');
      }
      if (parsed.labels.length === 2) {
        throw new CliError('--label is given at most twice (old, then new)');
      }
      parsed.labels.push(value);
    } else if (options && arg === '--') {
      options = false;
    } else if (options && arg.startsWith('-') && arg !== '-') {
      switch (arg) {
        case '--color':
        case '--colour':
          parsed.color = true;
          break;
        case '--no-color':
        case '--no-colour':
          parsed.color = false;
          break;
        case '--json':
        case '--stat':
          if (parsed.format !== 'text') {
            throw new CliError('--json and --stat cannot be combined');
          }
          parsed.format = arg === '--json' ? 'json' : 'stat';
          break;
        case '--include-execution-counts':
          parsed.includeExecutionCounts = true;
          break;
        case '--include-volatile':
          parsed.includeVolatileMetadata = true;
          break;
        case '-h':
        case '--help':
          return 'help';
        default:
          throw new CliError(
            `unknown option ${JSON.stringify(arg)} (see labbook --help)`
          );
      }
    } else {
      parsed.paths.push(arg);
    }
  }
  return parsed;
}

function diff(args: IParsed, io: ICliIO): number {
  const p = args.paths;
  // git's external diff: path old-file old-hex old-mode new-file new-hex
  // new-mode [new-path rename-message]; a single path for an unmerged file.
  const fromGit =
    (p.length === 7 || p.length === 9) && isMode(p[3]) && isMode(p[6]);
  if (p.length === 1 && io.env.GIT_DIFF_PATH_TOTAL !== undefined) {
    io.stdout(`* Unmerged path ${p[0]}\n`);
    return 0;
  }
  if (!fromGit && p.length !== 2) {
    throw new CliError(
      `expected two notebooks, got ${p.length} argument${p.length === 1 ? '' : 's'} (usage: labbook diff [options] a.ipynb b.ipynb)`
    );
  }
  const [fileA, fileB] = fromGit ? [p[1], p[4]] : [p[0], p[1]];
  const labelA = args.labels[0] ?? (fromGit ? `a/${p[0]}` : p[0]);
  const labelB =
    args.labels[1] ?? (fromGit ? `b/${p.length === 9 ? p[7] : p[0]}` : p[1]);
  const a = read(fileA, labelA, fromGit, io);
  const b = read(fileB, labelB, fromGit, io);
  const empty = (other: INotebook | undefined): INotebook => ({
    nbformat: 4,
    nbformat_minor: other?.nbformat_minor ?? 5,
    metadata: other?.metadata ?? {},
    cells: []
  });
  const na = a ?? empty(b);
  const nb = b ?? empty(a);
  const result = diffNotebooks(na, nb, {
    includeExecutionCounts: args.includeExecutionCounts,
    includeVolatileMetadata: args.includeVolatileMetadata
  });
  // Started by git (driver or difftool): git's own colour request first.
  const underGit = fromGit || io.env.GIT_DIFF_TOOL !== undefined;
  const gitColor = underGit ? io.gitColor?.() : undefined;
  const paged = underGit && io.env.GIT_PAGER_IN_USE === 'true';
  const color =
    args.color ??
    gitColor ??
    ((io.isTTY || paged) &&
      (io.env.NO_COLOR === undefined || io.env.NO_COLOR === ''));
  if (args.format === 'json') {
    io.stdout(JSON.stringify(toNbdimeDiff(result, na), null, 1) + '\n');
  } else if (args.format === 'stat') {
    const name = fromGit ? p[p.length === 9 ? 7 : 0] : `${labelA} → ${labelB}`;
    const s = result.summary;
    const what = s.identical
      ? 'identical'
      : summaryLine(result) +
        (s.notebookChanged ? '; notebook metadata changed' : '');
    io.stdout(`${stripControl(name)} | ${what}\n`);
  } else {
    io.stdout(
      renderDiffText(result, na, nb, {
        color,
        labelA: a ? labelA : '/dev/null',
        labelB: b ? labelB : '/dev/null'
      })
    );
  }
  // git takes any status but 0 from a diff driver as a failure, and
  // `git difftool --trust-exit-code` stops at the first non-zero one.
  if (fromGit || io.env.GIT_DIFF_TOOL !== undefined) {
    return 0;
  }
  return result.summary.identical ? 0 : 1;
}

function merge(argv: string[], io: ICliIO): number {
  const paths: string[] = [];
  let output: string | undefined;
  let outputs: OutputStrategy = 'inline';
  let counts: CountStrategy = 'clear';
  const valueOf = (k: number, name: string, allowed?: string[]) => {
    const v = argv[k];
    if (v === undefined || (allowed && !allowed.includes(v))) {
      throw new CliError(
        `${name} needs ${allowed ? `one of ${allowed.join(', ')}` : 'a value'}`
      );
    }
    return v;
  };
  let options = true;
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    if (options && arg === '--') {
      options = false;
    } else if (options && (arg === '-o' || arg === '--output')) {
      output = valueOf(++k, arg);
    } else if (options && arg === '--outputs') {
      outputs = valueOf(++k, arg, [
        'inline',
        'local',
        'remote',
        'clear'
      ]) as OutputStrategy;
    } else if (options && arg === '--exec-counts') {
      counts = valueOf(++k, arg, ['clear', 'local', 'remote']) as CountStrategy;
    } else if (options && (arg === '-h' || arg === '--help')) {
      io.stdout(USAGE);
      return 0;
    } else if (options && arg.startsWith('-') && arg !== '-') {
      throw new CliError(
        `unknown option ${JSON.stringify(arg)} (see labbook --help)`
      );
    } else {
      paths.push(arg);
    }
  }
  if (paths.length !== 3) {
    throw new CliError(
      `expected three notebooks (base, local, remote), got ${paths.length} (usage: labbook merge [options] base.ipynb local.ipynb remote.ipynb [-o out.ipynb])`
    );
  }
  const [base, local, remote] = paths.map(p => read(p, p, false, io)!);
  const result = mergeNotebooks(base, local, remote, {
    outputs,
    executionCounts: counts
  });
  const text = writeNotebook(result.notebook);
  if (output === undefined) {
    io.stdout(text);
  } else {
    if (!io.writeFile) {
      throw new CliError('cannot write files here');
    }
    try {
      io.writeFile(output, text);
    } catch (e) {
      throw new CliError(`${output}: cannot write: ${(e as Error).message}`);
    }
  }
  const n = result.conflicts.length;
  if (n) {
    const where = result.conflicts
      .slice(0, 10)
      .map(c =>
        c.cell === undefined
          ? `notebook metadata ${c.key}`
          : `cell ${c.cell + 1} ${c.field === 'metadata' ? `metadata ${c.key}` : c.field}`
      )
      .join(', ');
    io.stderr(
      `labbook merge: ${n} conflict${n === 1 ? '' : 's'}: ${oneLine(where)}${n > 10 ? ', …' : ''}\n`
    );
    return 1;
  }
  return 0;
}

/**
 * Read and parse one notebook. Under git, `/dev/null` (the side of an
 * added or deleted file) is no notebook: undefined.
 */
function read(
  file: string,
  label: string,
  fromGit: boolean,
  io: ICliIO
): INotebook | undefined {
  if (fromGit && file === '/dev/null') {
    return undefined;
  }
  let text: string;
  try {
    text = io.readFile(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT'
        ? 'no such file'
        : err.code === 'EISDIR'
          ? 'is a directory'
          : err.code === 'EACCES'
            ? 'permission denied'
            : err.message;
    throw new CliError(`${fromGit ? label : file}: cannot read: ${why}`);
  }
  return parseNotebook(text, fromGit ? label : file);
}

/**
 * The colour a calling git was asked for: from the nearest ancestor that
 * is git, its `--color[=always|never|auto]` / `--no-color` (the last one
 * wins, as in git), else `color.diff` / `color.ui` given with `git -c`
 * (GIT_CONFIG_PARAMETERS). `auto` and nothing: undefined (the caller
 * decides from the pager and terminal).
 */
export function gitColorRequest(
  ancestors: string[][],
  env: Record<string, string | undefined>
): boolean | undefined {
  const git = ancestors.find(
    args => args.length > 0 && /(^|\/)git$/.test(args[0])
  );
  let asked: boolean | undefined;
  for (const arg of git ?? []) {
    if (arg === '--') {
      break;
    }
    if (arg === '--no-color') {
      asked = false;
    } else if (arg === '--color' || arg === '--color=always') {
      asked = true;
    } else if (arg === '--color=never') {
      asked = false;
    } else if (arg === '--color=auto') {
      asked = undefined;
    }
  }
  if (asked !== undefined) {
    return asked;
  }
  const params = env.GIT_CONFIG_PARAMETERS ?? '';
  let fromConfig: boolean | undefined;
  for (const m of params.matchAll(
    /'color\.(?:diff|ui)'='(always|never|true|false|auto)'/gi
  )) {
    const v = m[1].toLowerCase();
    fromConfig =
      v === 'always'
        ? true
        : v === 'never' || v === 'false'
          ? false
          : undefined;
  }
  return fromConfig;
}

function isMode(s: string): boolean {
  return /^[0-7]{6}$/.test(s) || s === '.';
}

/** Messages on one line, without control characters. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ').trim();
}

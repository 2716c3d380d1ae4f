/**
 * The `labbook` bin (bundled into lib/cli.cjs): runs `main` on the process's
 * arguments, streams and environment.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitColorRequest, main } from './main';

// Piped into `head` and the like: stop quietly when the reader goes away.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') {
    process.exit(process.exitCode ?? 0);
  }
  throw e;
});

const argv = process.argv.slice(2);
if (argv[0] === 'worker') {
  // Its own bundle, read only for this command: `labbook diff` stays fast.
  const workerBundle = join(__dirname, 'cli-worker.cjs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { run } = require(workerBundle) as typeof import('./workerbin');
  run(argv.slice(1)).then(
    code => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(
        `labbook worker: ${e instanceof Error ? e.stack : e}\n`
      );
      process.exitCode = 2;
    }
  );
} else {
  // Set the status and let Node exit by itself, so that piped output is
  // written in full first.
  process.exitCode = main(argv, {
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
    isTTY: !!process.stdout.isTTY,
    env: process.env,
    readFile: path => readFileSync(path, 'utf8'),
    writeFile: (path, text) => writeFileSync(path, text),
    gitColor: () => gitColorRequest(ancestorArgs(), process.env)
  });
}

/**
 * The arguments of this process's ancestors, nearest first (Linux /proc;
 * empty elsewhere). git runs a diff driver through a shell, and npx adds
 * two more processes, so a few levels are read.
 */
function ancestorArgs(): string[][] {
  const out: string[][] = [];
  let pid = process.ppid;
  for (let level = 0; level < 6 && pid > 1; level++) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      args.pop();
      out.push(args);
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return out;
}

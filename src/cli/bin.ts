/**
 * The `labbook` bin (bundled into lib/cli.cjs): runs `main` on the process's
 * arguments, streams and environment.
 */

import { readFileSync } from 'node:fs';
import { main } from './main';

// Piped into `head` and the like: stop quietly when the reader goes away.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') {
    process.exit(process.exitCode ?? 0);
  }
  throw e;
});

// Set the status and let Node exit by itself, so that piped output is
// written in full first.
process.exitCode = main(process.argv.slice(2), {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  isTTY: !!process.stdout.isTTY,
  env: process.env,
  readFile: path => readFileSync(path, 'utf8')
});

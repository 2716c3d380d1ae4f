/**
 * Entry of lib/cli-worker.cjs: `labbook worker`, loaded by the `labbook`
 * bin only for that command (it brings @jupyterlab/services and the
 * runner, which `labbook diff` does not need).
 */
import { workerMain } from './worker';

export function run(argv: string[]): Promise<number> {
  let interrupted = 0;
  let stop: (() => void) | null = null;
  process.on('SIGINT', () => {
    if (++interrupted > 1) {
      process.exit(130);
    }
    process.stderr.write(
      'labbook worker: stopping (the running trials go back to the queue); Ctrl-C again to quit now\n'
    );
    stop?.();
  });
  return workerMain(argv, {
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
    env: process.env,
    onInterrupt: fn => (stop = fn)
  });
}

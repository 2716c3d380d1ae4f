#!/usr/bin/env node
// `npm run test:kernel`: the Python tests of the kernel-side labbook module
// (test/kernel/test_*.py), on Debian's Python with ipykernel.
import { spawnSync } from 'node:child_process';
import { PYTHON, root } from './ensure.mjs';

const result = spawnSync(
  PYTHON,
  ['-m', 'unittest', 'discover', '-s', 'test/kernel', '-p', 'test_*.py'],
  { cwd: root, stdio: 'inherit' }
);
process.exit(result.status ?? 1);

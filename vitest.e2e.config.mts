import { defineConfig } from 'vitest/config';
import { pythonAsText } from './vitest.config.mts';

// Browser end-to-end tests: a real Jupyter server, a real Python kernel and
// Debian's Chromium. One file at a time (2-core CI machine).
export default defineConfig({
  // The runner's Node tests define the labbook module from its source.
  plugins: [pythonAsText()],
  test: {
    // test/runner: the runner from Node against a real server (no browser).
    include: ['test/e2e/**/*.e2e.ts', 'test/runner/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    retry: 0,
    reporters: ['default']
  }
});

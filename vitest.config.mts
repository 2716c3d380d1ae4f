import { defineConfig } from 'vitest/config';

// Unit tests: pure core and kernel-protocol code, run in Node.
export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 30_000
  }
});

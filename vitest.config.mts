import { defineConfig, type Plugin } from 'vitest/config';

/** Import `.py` files as their source text, as the webpack build does. */
export function pythonAsText(): Plugin {
  return {
    name: 'labbook-python-as-text',
    enforce: 'pre',
    transform(code, id) {
      if (id.endsWith('.py')) {
        return { code: `export default ${JSON.stringify(code)};`, map: null };
      }
      return null;
    }
  };
}

// Unit tests in two projects:
// - `node`: pure core, kernel protocol, runner and CLI code, run in Node;
// - `lab`: `src/lab` models and widgets, run in jsdom (no server, no browser).
export default defineConfig({
  plugins: [pythonAsText()],
  test: {
    testTimeout: 30_000,
    projects: [
      {
        plugins: [pythonAsText()],
        test: {
          name: 'node',
          include: ['test/**/*.spec.ts'],
          exclude: ['test/e2e/**', 'test/lab/**', 'node_modules/**'],
          environment: 'node',
          testTimeout: 30_000
        }
      },
      {
        plugins: [pythonAsText()],
        test: {
          name: 'lab',
          include: ['test/lab/**/*.spec.ts'],
          exclude: ['node_modules/**'],
          environment: 'jsdom',
          testTimeout: 30_000
        }
      }
    ]
  }
});

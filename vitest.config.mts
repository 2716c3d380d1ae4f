import { defineConfig, type Plugin } from 'vitest/config';

/** Import `.py` files as their source text, as the webpack build does. */
function pythonAsText(): Plugin {
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

// Unit tests: pure core and kernel-protocol code, run in Node.
export default defineConfig({
  plugins: [pythonAsText()],
  test: {
    include: ['test/**/*.spec.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 30_000
  }
});

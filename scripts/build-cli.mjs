#!/usr/bin/env node
// Bundles the `labbook` command (src/cli/bin.ts) into lib/cli.cjs, the
// package's bin: one CommonJS file for Node with only the diff core and
// jsdiff in it, so that it starts fast. Part of `npm run build:lib`.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const outfile = join(root, 'lib', 'cli.cjs');

// `labbook worker` in its own file, required by cli.cjs only for that
// command: @jupyterlab/services, ws and the runner stay out of `diff`.
await build({
  entryPoints: [join(root, 'src', 'cli', 'workerbin.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: join(root, 'lib', 'cli-worker.cjs'),
  // ws's optional native helpers: absent is fine.
  external: ['bufferutil', 'utf-8-validate'],
  loader: { '.py': 'text' },
  logLevel: 'error'
});

const result = await build({
  entryPoints: [join(root, 'src', 'cli', 'bin.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile,
  banner: { js: '#!/usr/bin/env node' },
  metafile: true,
  logLevel: 'error'
});
chmodSync(outfile, 0o755);

// Keep the import graph lean: the diff core, base64 and two small libraries.
const allowed = [
  /^src\/(cli|core\/diff|core\/merge)\//,
  /^src\/core\/base64\.ts$/,
  /^node_modules\/(diff|@noble\/hashes)\//
];
const stray = Object.keys(result.metafile.inputs).filter(
  input => !allowed.some(re => re.test(input))
);
if (stray.length) {
  console.error(
    `build-cli: unexpected modules in lib/cli.cjs:\n  ${stray.join('\n  ')}`
  );
  process.exit(1);
}

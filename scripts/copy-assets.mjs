#!/usr/bin/env node
// tsc compiles src/ to lib/ but leaves non-TypeScript sources behind; copy the
// ones that lib/ imports as text (the kernel-side Python module) next to them.
import { cpSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, dirname, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');
const lib = join(root, 'lib');

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      walk(path);
    } else if (name.endsWith('.py')) {
      const out = join(lib, relative(src, path));
      mkdirSync(dirname(out), { recursive: true });
      cpSync(path, out);
    }
  }
}
walk(src);

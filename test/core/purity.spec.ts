import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..', 'src', 'core');
const FORBIDDEN = [
  /^@jupyterlab\//,
  /^@lumino\/(widgets|dragdrop|datagrid)/,
  /^react/,
  /^uplot/
];
const NODE_BUILTIN = /^(node:|fs$|path$|os$|child_process$|crypto$|url$)/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return sources(path);
    }
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
    found.push(m[1]);
  }
  return found;
}

describe('src/core', () => {
  it('imports nothing from JupyterLab, widgets or view libraries', () => {
    const offenders = sources(ROOT).flatMap(file =>
      imports(file)
        .filter(spec => FORBIDDEN.some(re => re.test(spec)))
        .map(spec => `${relative(ROOT, file)} imports ${spec}`)
    );
    expect(offenders).toEqual([]);
  });

  it('uses Node built-ins only under src/core/node/', () => {
    const offenders = sources(ROOT)
      .filter(file => !relative(ROOT, file).startsWith('node/'))
      .flatMap(file =>
        imports(file)
          .filter(spec => NODE_BUILTIN.test(spec))
          .map(spec => `${relative(ROOT, file)} imports ${spec}`)
      );
    expect(offenders).toEqual([]);
  });
});

/**
 * Test helpers that run Debian's Python (IPython 8.5, ipykernel) when it is
 * there. Tests that need it skip with a message when it is not.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = '/usr/bin/python3';

/** Why IPython tests cannot run here, or null when they can. */
export const ipythonMissing: string | null = (() => {
  if (!existsSync(PYTHON)) {
    return `${PYTHON} not found`;
  }
  const r = spawnSync(
    PYTHON,
    ['-c', 'import IPython; print(IPython.__version__)'],
    {
      encoding: 'utf8'
    }
  );
  return r.status === 0 ? null : `${PYTHON} has no IPython: ${r.stderr.trim()}`;
})();

const TRANSFORM = `
import json, sys
from IPython.core.inputtransformer2 import TransformerManager
tm = TransformerManager()
out = []
for cell in json.load(sys.stdin):
    try:
        out.append({'ok': tm.transform_cell(cell)})
    except BaseException as e:
        out.append({'error': type(e).__name__})
json.dump(out, sys.stdout)
`;

export type TransformResult = { ok: string } | { error: string };

/** IPython's own `transform_cell` of each cell, in one Python run. */
export function ipythonTransform(cells: string[]): TransformResult[] {
  const r = spawnSync(PYTHON, ['-c', TRANSFORM], {
    input: JSON.stringify(cells),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024
  });
  if (r.status !== 0) {
    throw new Error(`python failed: ${r.stderr}`);
  }
  return JSON.parse(r.stdout);
}

/**
 * The kernel-side `labbook` Python module, shipped as text, and the code
 * that defines it in a running kernel.
 */

import source from './labbook.py';
import installer from './inject.py';

/** Source of the `labbook` Python module. */
export const LABBOOK_MODULE_SOURCE: string = source;

/** Placeholders in inject.py replaced by the module source and hello literals. */
const PLACEHOLDER = '__LABBOOK_SOURCE__';
const HELLO = '__LABBOOK_HELLO__';

/**
 * Python code that defines `source` as the module `labbook` in
 * `sys.modules` without touching disk (`types.ModuleType` + `exec`), for a
 * silent execute request. Idempotent: when a module with the same source is
 * already defined it is kept with its state (unacknowledged batches, open
 * comm); a different source replaces it. It leaves no names behind in the
 * user's namespace. With `hello` (docs/kernel-protocol.md), the module then
 * opens the comm to the frontend itself.
 */
export function injectionCode(
  moduleSource: string = source,
  hello: Record<string, unknown> | null = null
): string {
  // A JSON string literal is also a valid Python string literal with the
  // same value (same escapes: \" \\ \n \r \t \b \f \uXXXX).
  const literal = JSON.stringify(moduleSource);
  const helloLiteral =
    hello === null ? 'None' : JSON.stringify(JSON.stringify(hello));
  // The source placeholder comes first in inject.py, the hello's second:
  // each replace hits ours before any text the other one inserted.
  return installer
    .replace(HELLO + ')', () => helloLiteral + ')')
    .replace(PLACEHOLDER + ')', () => literal + ')');
}

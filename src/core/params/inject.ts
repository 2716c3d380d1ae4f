/**
 * Papermill-style parameter injection: a cell tagged `injected-parameters`
 * that assigns the run's values, placed right after the cell tagged
 * `parameters` (so the run's values override its defaults) or first when
 * the notebook has none. An injected cell left by an earlier run is
 * replaced, as papermill does, so re-running an executed notebook does not
 * stack assignments.
 *
 * `pythonLiteral` writes a JSON value as Python source that evaluates to
 * exactly that value: floats by their shortest round-trip digits (what
 * Python's `repr` prints), NaN and infinities as `float('nan')` /
 * `float('inf')`, strings escaped as Python's `repr` escapes them.
 */
import { parser } from '@lezer/python';
import type { ParamValue } from '../model';

export const PARAMETERS_TAG = 'parameters';
export const INJECTED_TAG = 'injected-parameters';

/** A cell as stored in an `.ipynb` file (source as a string or lines). */
export interface INotebookCellLike {
  cell_type: string;
  source: string | string[];
  metadata?: { tags?: unknown; [key: string]: unknown };
  id?: string;
  [key: string]: unknown;
}

export interface INotebookLike {
  nbformat?: number;
  nbformat_minor?: number;
  cells: INotebookCellLike[];
  [key: string]: unknown;
}

/** What the caller did wrong (a name that is not a Python name, a bad value). */
export class ParameterError extends Error {
  constructor(
    readonly param: string,
    problem: string
  ) {
    super(`Parameter ${JSON.stringify(param)}: ${problem}`);
    this.name = 'ParameterError';
  }
}

export interface ILiteralOptions {
  /** Write integral numbers as floats (`1.0`, not `1`). */
  float?: boolean;
}

/**
 * Python source for a JSON value: it evaluates to exactly that value.
 * Numbers that are integers are written as `int` unless `options.float`.
 */
export function pythonLiteral(
  value: ParamValue,
  options: ILiteralOptions = {}
): string {
  if (value === null) {
    return 'None';
  }
  switch (typeof value) {
    case 'boolean':
      return value ? 'True' : 'False';
    case 'number':
      return pythonNumber(value, options.float === true);
    case 'string':
      return pythonString(value);
    case 'object':
      if (Array.isArray(value)) {
        return `[${value.map(v => pythonLiteral(v, options)).join(', ')}]`;
      }
      return `{${Object.entries(value)
        .map(([k, v]) => `${pythonString(k)}: ${pythonLiteral(v, options)}`)
        .join(', ')}}`;
    default:
      throw new TypeError(`not a JSON value: ${String(value)}`);
  }
}

function pythonNumber(v: number, float: boolean): string {
  if (Number.isNaN(v)) {
    return "float('nan')";
  }
  if (!Number.isFinite(v)) {
    return v > 0 ? "float('inf')" : "float('-inf')";
  }
  if (Object.is(v, -0)) {
    return '-0.0'; // no int is negative zero: keep the double exact
  }
  if (Number.isInteger(v) && !float) {
    // Exact digits of the double, never JavaScript's `1e+21` form.
    return BigInt(v).toString();
  }
  // JavaScript prints the shortest digits that round-trip, as Python's
  // repr does; Python reads them back to the same double.
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** Python's `repr` escapes: what `str.isprintable()` rejects is escaped. */
const NON_PRINTABLE = /[\p{C}\p{Zl}\p{Zp}\p{Zs}]/u;

function pythonString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (let i = 0; i < s.length; i++) {
    const code = s.codePointAt(i)!;
    const ch = String.fromCodePoint(code);
    if (code > 0xffff) {
      i++; // a surrogate pair: one code point
    }
    if (ch === '\\' || ch === quote) {
      out += '\\' + ch;
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (ch === ' ' || !NON_PRINTABLE.test(ch)) {
      out += ch;
    } else if (code <= 0xff) {
      out += '\\x' + code.toString(16).padStart(2, '0');
    } else if (code <= 0xffff) {
      out += '\\u' + code.toString(16).padStart(4, '0');
    } else {
      out += '\\U' + code.toString(16).padStart(8, '0');
    }
  }
  return out + quote;
}

const PYTHON_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del ' +
    'elif else except finally for from global if import in is lambda ' +
    'nonlocal not or pass raise return try while with yield'
  ).split(' ')
);

/** Whether `name` can be assigned to in Python (`lr`, `n_layers`, `α`). */
export function isPythonName(name: string): boolean {
  return (
    /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name) &&
    !PYTHON_KEYWORDS.has(name)
  );
}

function cellTags(cell: INotebookCellLike): string[] {
  const tags = cell.metadata?.tags;
  return Array.isArray(tags)
    ? tags.filter((t): t is string => typeof t === 'string')
    : [];
}

function cellSource(cell: INotebookCellLike): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** The index of the first code cell tagged `parameters`, or -1. */
export function findParametersCell(nb: INotebookLike): number {
  return nb.cells.findIndex(
    c => c.cell_type === 'code' && cellTags(c).includes(PARAMETERS_TAG)
  );
}

/**
 * Names whose default in the `parameters` cell is a float (`lr = 1.0`,
 * `x: float = 3`), so that an integral value given for them stays a float.
 */
export function floatParameters(source: string): Set<string> {
  const out = new Set<string>();
  const tree = parser.parse(source);
  for (let stmt = tree.topNode.firstChild; stmt; stmt = stmt.nextSibling) {
    if (stmt.name !== 'AssignStatement') {
      continue;
    }
    const name = stmt.firstChild;
    if (!name || name.name !== 'VariableName') {
      continue;
    }
    const typeDef = stmt.getChild('TypeDef');
    const annotation = typeDef
      ? source.slice(typeDef.from, typeDef.to).replace(/^:\s*/, '').trim()
      : '';
    const value = stmt.lastChild;
    let raw = value ? source.slice(value.from, value.to) : '';
    raw = raw.replace(/^[+-]\s*/, '');
    const isFloatLiteral =
      value !== null &&
      (value.name === 'Number' || value.name === 'UnaryExpression') &&
      !/^0[xXoObB]/.test(raw) &&
      /^[\d_]*\.?[\d_]*([eE][+-]?\d+)?$/.test(raw) &&
      /[.eE]/.test(raw);
    if (annotation === 'float' || isFloatLiteral) {
      out.add(source.slice(name.from, name.to));
    }
  }
  return out;
}

/** The source of an `injected-parameters` cell for these values. */
export function injectedSource(
  params: { [name: string]: ParamValue },
  floats: ReadonlySet<string> = new Set()
): string {
  const lines = ['# Parameters'];
  for (const [name, value] of Object.entries(params)) {
    if (!isPythonName(name)) {
      throw new ParameterError(name, 'not a Python variable name');
    }
    lines.push(
      `${name} = ${pythonLiteral(value, { float: floats.has(name) })}`
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * A copy of `nb` with an `injected-parameters` cell (and any earlier one
 * removed). The input is not modified.
 *
 * @throws ParameterError when a name is not a Python name
 */
export function injectParameters<T extends INotebookLike>(
  nb: T,
  params: { [name: string]: ParamValue }
): T {
  const cells = nb.cells.filter(c => !cellTags(c).includes(INJECTED_TAG));
  const copy = { ...nb, cells };
  const at = findParametersCell(copy);
  const floats = at >= 0 ? floatParameters(cellSource(cells[at])) : new Set();
  const cell: INotebookCellLike = {
    cell_type: 'code',
    execution_count: null,
    metadata: { tags: [INJECTED_TAG] },
    outputs: [],
    source: injectedSource(params, floats as Set<string>)
  };
  const withIds =
    cells.some(c => typeof c.id === 'string') ||
    (nb.nbformat === 4 && (nb.nbformat_minor ?? 0) >= 5);
  if (withIds) {
    const taken = new Set(cells.map(c => c.id));
    let id = INJECTED_TAG;
    for (let n = 2; taken.has(id); n++) {
      id = `${INJECTED_TAG}-${n}`;
    }
    cell.id = id;
  }
  cells.splice(at + 1, 0, cell);
  return copy;
}

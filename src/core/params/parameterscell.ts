/**
 * Parameters read with no code at all from a cell tagged `parameters` (the
 * papermill convention). Simple assignments of literals (numbers, strings,
 * booleans, None, lists, tuples, dicts of those) become values; anything
 * else is kept as its source text. The cell is parsed with @lezer/python,
 * never run or evaluated.
 */
import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';
import type { IParamSource, ParamValue } from '../model';

export type ParsedParams = { [name: string]: ParamValue | IParamSource };

export function readParametersCell(source: string): ParsedParams {
  const tree = parser.parse(source);
  const out: ParsedParams = {};
  for (let stmt = tree.topNode.firstChild; stmt; stmt = stmt.nextSibling) {
    if (stmt.name !== 'AssignStatement') {
      continue;
    }
    // One name, an optional annotation, `=`, one value: `lr: float = 0.1`.
    const parts: SyntaxNode[] = [];
    for (let c = stmt.firstChild; c; c = c.nextSibling) {
      if (c.name !== 'TypeDef') {
        parts.push(c);
      }
    }
    if (
      parts.length !== 3 ||
      parts[0].name !== 'VariableName' ||
      parts[1].name !== 'AssignOp' ||
      text(source, parts[1]) !== '='
    ) {
      continue;
    }
    const name = text(source, parts[0]);
    const value = literal(source, parts[2]);
    out[name] =
      value === UNREADABLE ? { source: text(source, parts[2]) } : value;
  }
  return out;
}

const UNREADABLE = Symbol('unreadable');

function text(source: string, node: SyntaxNode): string {
  return source.slice(node.from, node.to);
}

function literal(
  source: string,
  node: SyntaxNode
): ParamValue | typeof UNREADABLE {
  if (node.type.isError) {
    return UNREADABLE;
  }
  switch (node.name) {
    case 'Number':
      return number(text(source, node));
    case 'String':
      return string(text(source, node));
    case 'Boolean':
      return text(source, node) === 'True';
    case 'None':
      return null;
    case 'UnaryExpression': {
      const op = node.firstChild;
      const arg = op?.nextSibling;
      if (!op || !arg || arg.nextSibling || arg.name !== 'Number') {
        return UNREADABLE;
      }
      const v = number(text(source, arg));
      const sign = text(source, op);
      return typeof v !== 'number'
        ? UNREADABLE
        : sign === '-'
          ? -v
          : sign === '+'
            ? v
            : UNREADABLE;
    }
    case 'ParenthesizedExpression': {
      const inner = node.firstChild?.nextSibling;
      return inner && inner.nextSibling?.name === ')'
        ? literal(source, inner)
        : UNREADABLE;
    }
    case 'ArrayExpression':
    case 'TupleExpression': {
      const items: ParamValue[] = [];
      for (let c = node.firstChild; c; c = c.nextSibling) {
        if (['[', ']', '(', ')', ','].includes(c.name)) {
          continue;
        }
        const v = literal(source, c);
        if (v === UNREADABLE) {
          return UNREADABLE;
        }
        items.push(v);
      }
      return items;
    }
    case 'DictionaryExpression': {
      const obj: { [k: string]: ParamValue } = {};
      const kids: SyntaxNode[] = [];
      for (let c = node.firstChild; c; c = c.nextSibling) {
        if (!['{', '}', ','].includes(c.name)) {
          kids.push(c);
        }
      }
      for (let i = 0; i < kids.length; i += 3) {
        const [k, colon, v] = kids.slice(i, i + 3);
        if (!k || !v || colon?.name !== ':') {
          return UNREADABLE;
        }
        const key = literal(source, k);
        const value = literal(source, v);
        if (
          value === UNREADABLE ||
          (typeof key !== 'string' && typeof key !== 'number')
        ) {
          return UNREADABLE;
        }
        obj[String(key)] = value;
      }
      return obj;
    }
    default:
      return UNREADABLE;
  }
}

function number(raw: string): number | typeof UNREADABLE {
  const s = raw.replace(/_/g, '');
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    return Number(s);
  }
  if (
    /^0[xX][0-9a-fA-F]+$/.test(s) ||
    /^0[oO][0-7]+$/.test(s) ||
    /^0[bB][01]+$/.test(s)
  ) {
    return Number(s.toLowerCase());
  }
  return UNREADABLE; // complex (1j) and the like
}

/** A plain or raw Python string literal; bytes and f-strings stay source. */
function string(raw: string): string | typeof UNREADABLE {
  const m = /^([rRuU]?)('''|"""|'|")([\s\S]*)\2$/.exec(raw);
  if (!m) {
    return UNREADABLE;
  }
  const body = m[3];
  if (m[1].toLowerCase() === 'r') {
    return body;
  }
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '\\': '\\',
      "'": "'",
      '"': '"',
      '0': '\0',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
      '\n': ''
    };
    if (next in simple) {
      out += simple[next];
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const len = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) {
        return UNREADABLE;
      }
      out += String.fromCodePoint(parseInt(hex, 16));
      i += len;
    } else {
      out += '\\' + (next ?? '');
    }
  }
  return out;
}

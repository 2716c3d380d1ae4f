/**
 * The query parser: recursive descent over the lexer's tokens, precedence
 * `not` > `and` > `or`. Checks fields, operators and values as it goes, so
 * every mistake comes back as an `IQueryError` with its position; nothing
 * is thrown to callers. See docs/query-language.md for the grammar.
 */
import type {
  ComparisonOperator,
  FieldRef,
  IQuery,
  IQueryError,
  Literal,
  MetricAggregate,
  QueryNode,
  SimpleFieldName
} from './ast';
import { parseDateText } from './dates';
import {
  acceptsValue,
  allowsOperator,
  describeOperators,
  describeValues,
  fieldKind,
  FIELD_PREFIXES,
  METRIC_AGGREGATES,
  SIMPLE_FIELDS,
  SIMPLE_FIELD_NAMES,
  type OperatorClass
} from './fields';
import { HINT, queryError } from './errors';
import { KEYWORDS, tokenize, type Token } from './lexer';
import { ParseError, TokenCursor } from './cursor';
import { EXPERIMENT_STATUSES } from '../model';
import { closest } from './suggest';

export type ParseResult =
  { ok: true; query: IQuery } | { ok: false; error: IQueryError };

export type FieldParseResult =
  { ok: true; field: FieldRef } | { ok: false; error: IQueryError };

export { MAX_QUERY_DEPTH } from './cursor';

/** Parse a query. An empty (or blank) query is valid and matches everything. */
export function parseQuery(text: string): ParseResult {
  return guarded(text, p => {
    const root = p.atEnd() ? null : p.parseOr();
    p.expectEnd();
    return { ok: true, query: { text, root } };
  });
}

/**
 * Parse a field on its own, as a column or sort key names it:
 * `metrics.val_acc`, `params."odd name"`, `started`.
 */
export function parseField(text: string): FieldParseResult {
  return guarded(text, p => {
    if (p.atEnd()) {
      throw new ParseError(queryError('Expected a field', 0, text.length));
    }
    const field = p.parseFieldRef();
    p.expectEnd();
    return { ok: true, field };
  });
}

function guarded<T extends { ok: true }>(
  text: string,
  run: (p: Parser) => T
): T | { ok: false; error: IQueryError } {
  if (typeof text !== 'string') {
    return { ok: false, error: queryError('The query is not text', 0, 0) };
  }
  const lexed = tokenize(text);
  if (!lexed.ok) {
    return lexed;
  }
  try {
    return run(new Parser(text, lexed.tokens));
  } catch (e) {
    if (e instanceof ParseError) {
      return { ok: false, error: e.error };
    }
    // A bug here must not break the UI that called us.
    return {
      ok: false,
      error: queryError(
        `Could not read the query (${String(e)})`,
        0,
        text.length
      )
    };
  }
}

const COMPARISONS: { [text: string]: ComparisonOperator } = {
  '=': '=',
  '==': '=',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>='
};

class Parser extends TokenCursor {
  /** or = and { "or" and } */
  parseOr(): QueryNode {
    let left = this.parseAnd();
    while (this.isKeyword(this.peek(), 'or')) {
      const op = this.next();
      const right = this.parseOperand(op, () => this.parseAnd());
      left = { kind: 'or', left, right, from: left.from, to: right.to };
    }
    return left;
  }

  /** and = unary { "and" unary } */
  private parseAnd(): QueryNode {
    let left = this.parseUnary();
    while (this.isKeyword(this.peek(), 'and')) {
      const op = this.next();
      const right = this.parseOperand(op, () => this.parseUnary());
      left = { kind: 'and', left, right, from: left.from, to: right.to };
    }
    return left;
  }

  /** unary = "not" unary | primary */
  private parseUnary(): QueryNode {
    const t = this.peek();
    if (this.isKeyword(t, 'not')) {
      this.next();
      this.enter(t);
      const operand = this.parseOperand(t, () => this.parseUnary());
      this.depth--;
      return { kind: 'not', operand, from: t.from, to: operand.to };
    }
    return this.parsePrimary();
  }

  /** primary = "(" or ")" | predicate */
  private parsePrimary(): QueryNode {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '(') {
      this.next();
      this.enter(t);
      const inner = this.parseOperand(t, () => this.parseOr());
      this.depth--;
      const close = this.peek();
      if (!(close.kind === 'punct' && close.text === ')')) {
        this.fail(
          close.kind === 'end'
            ? `Missing ')' for this '('`
            : `Expected ')' for the '(' at ${t.from}, found ${this.describe(close)}`,
          close.kind === 'end' ? t : close
        );
      }
      this.next();
      return { ...inner, from: t.from, to: close.to };
    }
    return this.parsePredicate();
  }

  /** What follows `after` (an operator or '('): a condition, or an error saying so. */
  private parseOperand(after: Token, parse: () => QueryNode): QueryNode {
    const t = this.peek();
    if (
      t.kind === 'end' ||
      (t.kind === 'punct' && t.text === ')') ||
      this.isKeyword(t, 'and') ||
      this.isKeyword(t, 'or')
    ) {
      this.fail(
        `Expected a condition after ${this.describe(after)}`,
        t.kind === 'end' ? after : t
      );
    }
    return parse();
  }

  /**
   * predicate = field [ comparison value | ["not"] "in" list
   *             | ["not"] "like" string | ("~" | "!~") (string | regex) ]
   */
  private parsePredicate(): QueryNode {
    const field = this.parseFieldRef();
    const kind = fieldKind(field);
    const t = this.peek();
    if (
      t.kind === 'end' ||
      (t.kind === 'punct' && t.text === ')') ||
      this.isKeyword(t, 'and') ||
      this.isKeyword(t, 'or') ||
      // `starred archived`: a missing 'and', reported by the caller.
      (kind === 'boolean' &&
        t.kind === 'word' &&
        !this.operatorClass(t) &&
        !this.isKeyword(t, 'not'))
    ) {
      return { kind: 'truthy', field, from: field.from, to: field.to };
    }
    let negated = false;
    let op: Token = t;
    if (this.isKeyword(t, 'not')) {
      const after = this.tokens[this.pos + 1];
      if (this.isKeyword(after, 'in') || this.isKeyword(after, 'like')) {
        this.next();
        negated = true;
        op = after;
      } else {
        this.fail(
          `Expected 'in' or 'like' after 'not'${HINT}to negate a condition, put 'not' before it`,
          after.kind === 'end' ? t : after
        );
      }
    }
    const opClass = this.operatorClass(op);
    if (!opClass) {
      this.fail(
        `Expected an operator after '${this.source(field)}', found ${this.describe(op)}${HINT}=, !=, <, <=, >, >=, in, not in, like or ~`,
        op
      );
    }
    if (!allowsOperator(kind, opClass)) {
      this.fail(
        `'${this.source(field)}' does not support ${this.opText(op, negated)}${HINT}use ${describeOperators(kind)}`,
        op
      );
    }
    this.next();
    const opText = this.opText(op, negated);
    if (opClass === 'in') {
      const values = this.parseList(op, field);
      return {
        kind: 'in',
        field,
        negated,
        values,
        from: field.from,
        to: this.tokens[this.pos - 1].to
      };
    }
    if (opClass === 'match') {
      const pattern = this.parseValue(op, opText);
      const regexOk = op.kind === 'punct';
      if (!(
        pattern.kind === 'string' ||
        (pattern.kind === 'regex' && regexOk)
      )) {
        this.fail(
          `Expected ${regexOk ? 'a string or /regex/' : 'a string'} after '${opText}'` +
            (pattern.kind === 'regex'
              ? `${HINT}use ~ for a regular expression`
              : ''),
          pattern
        );
      }
      return {
        kind: 'match',
        field,
        op: regexOk ? '~' : 'like',
        negated: negated || (op.kind === 'punct' && op.text === '!~'),
        pattern,
        from: field.from,
        to: pattern.to
      };
    }
    const comparison = COMPARISONS[(op as { text: string }).text];
    const value = this.checkValue(field, this.parseValue(op, opText), opText);
    if (value.kind === 'null' && opClass !== 'equality') {
      this.fail(`null can only be compared with = or !=`, value);
    }
    if (value.kind === 'boolean' && opClass !== 'equality') {
      this.fail(`${value.value} can only be compared with = or !=`, value);
    }
    return {
      kind: 'compare',
      field,
      op: comparison,
      value,
      from: field.from,
      to: value.to
    };
  }

  /** list = "(" value { "," value } [","] ")" */
  private parseList(op: Token, field: FieldRef): Literal[] {
    const open = this.peek();
    if (!(open.kind === 'punct' && open.text === '(')) {
      this.fail(
        `Expected '(' after 'in'${HINT}${this.source(field)} in ("a", "b")`,
        open.kind === 'end' ? op : open
      );
    }
    this.next();
    const values: Literal[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'punct' && t.text === ')' && values.length > 0) {
        this.next();
        return values;
      }
      if (t.kind === 'end') {
        this.fail(`Missing ')' for this list`, open);
      }
      if (t.kind === 'punct' && t.text === ')') {
        this.fail(`Expected a value in the list`, t);
      }
      const value = this.checkValue(
        field,
        this.parseValue(values.length ? this.tokens[this.pos - 1] : open, 'in'),
        'in'
      );
      if (value.kind === 'regex') {
        this.fail(`A /regex/ cannot be in a list${HINT}use ~`, value);
      }
      values.push(value);
      const sep = this.peek();
      if (sep.kind === 'punct' && sep.text === ',') {
        this.next();
      } else if (!(sep.kind === 'punct' && sep.text === ')')) {
        this.fail(
          sep.kind === 'end'
            ? `Missing ')' for this list`
            : `Expected ',' or ')' in the list, found ${this.describe(sep)}`,
          sep.kind === 'end' ? open : sep
        );
      }
    }
  }

  /** A literal after `after`; words that are not literals get a hint to quote them. */
  private parseValue(after: Token, opText: string): Literal {
    const t = this.peek();
    const what =
      after.kind === 'punct' && after.text === '(' ? "'('" : `'${opText}'`;
    switch (t.kind) {
      case 'number':
      case 'string':
      case 'date':
        this.next();
        return {
          kind: t.kind,
          value: t.value,
          from: t.from,
          to: t.to
        } as Literal;
      case 'regex':
        this.next();
        return {
          kind: 'regex',
          source: t.source,
          flags: t.flags,
          from: t.from,
          to: t.to
        };
      case 'word': {
        const w = t.text.toLowerCase();
        if (w === 'true' || w === 'false') {
          this.next();
          return {
            kind: 'boolean',
            value: w === 'true',
            from: t.from,
            to: t.to
          };
        }
        if (w === 'null') {
          this.next();
          return { kind: 'null', from: t.from, to: t.to };
        }
        const next = this.tokens[this.pos + 1];
        if (KEYWORDS.has(w)) {
          this.fail(`Expected a value after ${what}, found '${t.text}'`, t);
        }
        if (!(next.kind === 'punct' && next.text === '.')) {
          this.fail(
            `Expected a value after ${what}${HINT}put text in quotes: "${t.text}"`,
            t,
            JSON.stringify(t.text)
          );
        }
        this.fail(
          `Expected a value after ${what}, found ${this.describe(t)}${HINT}a field is compared with a value, not another field`,
          t
        );
        break;
      }
      case 'end':
        this.fail(`Expected a value after ${what}`, after);
        break;
      default:
        this.fail(
          `Expected a value after ${what}, found ${this.describe(t)}`,
          t
        );
    }
    throw new Error('unreachable');
  }

  /** Whether `field` compares with `value`; a date in quotes becomes a date. */
  private checkValue(field: FieldRef, value: Literal, opText: string): Literal {
    const kind = fieldKind(field);
    if (value.kind === 'regex') {
      return value;
    }
    if (!acceptsValue(kind, value.kind)) {
      this.fail(
        `'${this.source(field)}' ${opText} needs ${describeValues(kind)}, not ${this.describeLiteral(value)}`,
        value
      );
    }
    if (kind === 'date' && value.kind === 'string') {
      const date = parseDateText(value.value);
      if (!date.ok) {
        this.fail(date.message, value);
      }
      return {
        kind: 'date',
        value: date.value,
        from: value.from,
        to: value.to
      };
    }
    if (kind === 'status' && value.kind === 'string') {
      if (!(EXPERIMENT_STATUSES as readonly string[]).includes(value.value)) {
        const near = closest(value.value, EXPERIMENT_STATUSES);
        this.fail(
          `Unknown status '${value.value}'${HINT}` +
            (near
              ? `did you mean '${near}'?`
              : `statuses are ${EXPERIMENT_STATUSES.join(', ')}`),
          value,
          near === undefined ? undefined : JSON.stringify(near)
        );
      }
    }
    return value;
  }

  /**
   * field  = simple | "params" segment { segment }
   *        | "metrics" segment [ "." aggregate ]
   * segment = "." ( word | string )
   */
  parseFieldRef(): FieldRef {
    const t = this.peek();
    if (t.kind !== 'word' || KEYWORDS.has(t.text.toLowerCase())) {
      const prev = this.tokens[this.pos - 1];
      this.fail(
        t.kind === 'end' && prev
          ? `Expected a condition after ${this.describe(prev)}`
          : `Expected a field, 'not' or '(', found ${this.describe(t)}`,
        t.kind === 'end' && prev ? prev : t
      );
    }
    this.next();
    const word = t.text.toLowerCase();
    const dotted = this.isPunct(this.peek(), '.');
    if (word === 'params' || word === 'metrics') {
      const what = word === 'params' ? 'parameter' : 'metric';
      const names = [this.parseSegment(t, what)];
      if (word === 'params') {
        while (this.isPunct(this.peek(), '.')) {
          names.push(this.parseSegment(this.tokens[this.pos - 1], 'key'));
        }
        return { kind: 'param', path: names, from: t.from, to: this.lastTo() };
      }
      let aggregate: MetricAggregate = 'last';
      if (this.isPunct(this.peek(), '.')) {
        this.next();
        const a = this.peek();
        const name = a.kind === 'word' ? a.text.toLowerCase() : '';
        if (!(METRIC_AGGREGATES as readonly string[]).includes(name)) {
          const near =
            a.kind === 'word' ? closest(name, METRIC_AGGREGATES) : undefined;
          this.fail(
            `Expected min, max, last, count or step after '${this.text.slice(t.from, this.tokens[this.pos - 1].from)}.'` +
              HINT +
              (near
                ? `did you mean '${near}'?`
                : 'quote metric names that contain dots: metrics."a.b"'),
            a.kind === 'end' ? this.tokens[this.pos - 1] : a,
            near
          );
        }
        this.next();
        aggregate = name as MetricAggregate;
      }
      return {
        kind: 'metric',
        name: names[0],
        aggregate,
        from: t.from,
        to: this.lastTo()
      };
    }
    if (word in SIMPLE_FIELDS && !dotted) {
      return {
        kind: 'simple',
        name: word as SimpleFieldName,
        from: t.from,
        to: t.to
      };
    }
    if (dotted) {
      const near = closest(word, FIELD_PREFIXES);
      this.fail(
        `Unknown field prefix '${t.text}'${HINT}` +
          (near
            ? `did you mean '${near}'?`
            : word in SIMPLE_FIELDS
              ? `'${word}' has no parts`
              : `named fields start with params. or metrics.`),
        t,
        near
      );
    }
    const near = closest(word, [...SIMPLE_FIELD_NAMES, ...FIELD_PREFIXES]);
    const isPrefix = near === 'params' || near === 'metrics';
    this.fail(
      `Unknown field '${t.text}'${HINT}` +
        (near && !isPrefix
          ? `did you mean '${near}'?`
          : `for a parameter or metric write params.${t.text} or metrics.${t.text}`),
      t,
      near && !isPrefix ? near : undefined
    );
  }

  /** ". name" or '. "quoted name"' after `after`. */
  private parseSegment(after: Token, what: string): string {
    const dot = this.peek();
    if (!this.isPunct(dot, '.')) {
      this.fail(
        `Expected '.' and a ${what} name after '${this.text.slice(after.from, after.to)}'${HINT}as in params.lr or metrics.loss`,
        after
      );
    }
    this.next();
    const t = this.peek();
    if (t.kind === 'word') {
      this.next();
      return t.text;
    }
    if (t.kind === 'string') {
      this.next();
      if (t.value === '') {
        this.fail(`Empty ${what} name`, t);
      }
      return t.value;
    }
    this.fail(
      `Expected a ${what} name after '.', found ${this.describe(t)}${HINT}quote unusual names: params."learning rate"`,
      t.kind === 'end' ? dot : t
    );
  }

  private operatorClass(t: Token): OperatorClass | undefined {
    if (t.kind === 'punct') {
      if (t.text in COMPARISONS) {
        return t.text === '=' || t.text === '==' || t.text === '!='
          ? 'equality'
          : 'order';
      }
      if (t.text === '~' || t.text === '!~') {
        return 'match';
      }
    }
    if (this.isKeyword(t, 'in')) {
      return 'in';
    }
    if (this.isKeyword(t, 'like')) {
      return 'match';
    }
    return undefined;
  }

  private opText(t: Token, negated: boolean): string {
    const text =
      t.kind === 'word' ? t.text.toLowerCase() : (t as { text: string }).text;
    return negated ? `not ${text}` : text;
  }
}

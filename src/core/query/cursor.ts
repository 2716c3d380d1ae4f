/**
 * The parser's position in the tokens and its error reporting: what every
 * grammar rule of `parser.ts` uses to look ahead, consume, describe a
 * token in a message and fail with a positioned `IQueryError`.
 */
import type { IQueryError, Literal } from './ast';
import { HINT, queryError } from './errors';
import type { Token } from './lexer';

/** Deeper nesting of parentheses or `not` is refused rather than overflowing the stack. */
export const MAX_QUERY_DEPTH = 100;

/** A mistake in the query, thrown inside the parser and returned to callers. */
export class ParseError extends Error {
  constructor(readonly error: IQueryError) {
    super(error.message);
  }
}

export class TokenCursor {
  constructor(
    protected readonly text: string,
    protected readonly tokens: Token[]
  ) {}

  atEnd(): boolean {
    return this.peek().kind === 'end';
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'end') {
      const what = this.describe(t);
      if (t.kind === 'punct' && t.text === ')') {
        this.fail(`Unmatched ')'`, t);
      }
      this.fail(`Unexpected ${what}${HINT}expected 'and', 'or' or the end`, t);
    }
  }

  protected enter(t: Token): void {
    if (++this.depth > MAX_QUERY_DEPTH) {
      this.fail(
        `The query is nested too deeply (more than ${MAX_QUERY_DEPTH} levels)`,
        t
      );
    }
  }

  protected peek(): Token {
    return this.tokens[this.pos];
  }

  protected next(): Token {
    return this.tokens[this.pos++];
  }

  protected lastTo(): number {
    return this.tokens[this.pos - 1].to;
  }

  protected isKeyword(t: Token | undefined, keyword: string): boolean {
    return t?.kind === 'word' && t.text.toLowerCase() === keyword;
  }

  protected isPunct(t: Token, text: string): boolean {
    return t.kind === 'punct' && t.text === text;
  }

  protected source(r: { from: number; to: number }): string {
    return this.text.slice(r.from, r.to);
  }

  protected describe(t: Token): string {
    if (t.kind === 'end') {
      return 'the end of the query';
    }
    return `'${clip(this.source(t))}'`;
  }

  protected describeLiteral(v: Literal): string {
    return v.kind === 'string'
      ? `the string ${clip(this.source(v))}`
      : clip(this.source(v));
  }

  protected fail(
    message: string,
    at: { from: number; to: number },
    suggestion?: string
  ): never {
    throw new ParseError(queryError(message, at.from, at.to, suggestion));
  }

  protected pos = 0;
  protected depth = 0;
}

/** Long tokens are cut in messages. */
function clip(s: string): string {
  return s.length > 40 ? s.slice(0, 37) + '…' : s;
}

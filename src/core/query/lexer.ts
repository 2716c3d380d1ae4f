/**
 * Splitting a query into tokens: words (fields and keywords), numbers and
 * durations, strings, dates, regular expressions and punctuation, each with
 * its range in the text. Hand-written, never evaluates anything.
 */
import type { IDateParts, IQueryError } from './ast';
import { readDate } from './dates';
import { HINT, queryError } from './errors';

/**
 * Words the query language reserves: never read as a field or a bare
 * value, and quoted when a param or metric name is one (`columns.ts`).
 */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'and',
  'or',
  'not',
  'in',
  'like',
  'true',
  'false',
  'null'
]);

export type Token =
  | { kind: 'word'; text: string; from: number; to: number }
  | { kind: 'number'; value: number; from: number; to: number }
  | { kind: 'string'; value: string; from: number; to: number }
  | { kind: 'date'; value: IDateParts; from: number; to: number }
  | {
      kind: 'regex';
      source: string;
      flags: string;
      from: number;
      to: number;
    }
  | { kind: 'punct'; text: Punctuation; from: number; to: number }
  | { kind: 'end'; from: number; to: number };

export type Punctuation =
  | '('
  | ')'
  | ','
  | '.'
  | '='
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '~'
  | '!~';

export type LexResult =
  { ok: true; tokens: Token[] } | { ok: false; error: IQueryError };

/** Milliseconds per duration unit: `500ms`, `10s`, `5m`, `2h`, `1d`, `1w`. */
export const DURATION_UNITS: { readonly [unit: string]: number } = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000
};

const WORD_START = /[\p{L}_$]/u;
const WORD_PART = /[\p{L}\p{M}\p{N}_$]/u;
const DIGIT = /[0-9]/;
/** A plain number: `3`, `-0.5`, `1e-3`, `2.5E+10`. */
const NUMBER = /-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/** One or more number+unit parts: `5m`, `1h30m`, `-250ms`, `1.5h`. */
const DURATION = /-?(?:[0-9]+(?:\.[0-9]+)?(?:ms|[smhdw]))+(?![\p{L}\p{N}_$])/uy;
const DURATION_PART = /([0-9]+(?:\.[0-9]+)?)(ms|[smhdw])/g;
/** Characters allowed after a /regex/. */
const REGEX_FLAGS = /^[imsu]*$/;

const PUNCTUATION: Punctuation[] = [
  '==',
  '!=',
  '<=',
  '>=',
  '!~',
  '(',
  ')',
  ',',
  '.',
  '=',
  '<',
  '>',
  '~'
];

class LexError extends Error {
  constructor(readonly error: IQueryError) {
    super(error.message);
  }
}

/** Tokens of `text`, ending with one `end` token; or where it went wrong. */
export function tokenize(text: string): LexResult {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string, from: number, to: number): never => {
    throw new LexError(queryError(message, from, to));
  };
  try {
    while (i < text.length) {
      const c = text[i];
      if (/\s/.test(c)) {
        i++;
        continue;
      }
      const start = i;
      if (DIGIT.test(c) || (c === '-' && DIGIT.test(text[i + 1] ?? ''))) {
        const date = readDate(text, i);
        if (date) {
          if (!date.ok) {
            fail(date.message, i, date.to);
          } else {
            i = date.to;
            tokens.push({
              kind: 'date',
              value: date.value,
              from: start,
              to: i
            });
            i = expectBoundary(text, i, start, fail);
            continue;
          }
        }
        DURATION.lastIndex = i;
        const duration = DURATION.exec(text);
        if (duration) {
          i += duration[0].length;
          let ms = 0;
          for (const m of duration[0].matchAll(DURATION_PART)) {
            ms += Number(m[1]) * DURATION_UNITS[m[2]];
          }
          tokens.push({
            kind: 'number',
            value: duration[0].startsWith('-') ? -ms : ms,
            from: start,
            to: i
          });
          continue;
        }
        NUMBER.lastIndex = i;
        const number = NUMBER.exec(text)!;
        i += number[0].length;
        tokens.push({
          kind: 'number',
          value: Number(number[0]),
          from: start,
          to: i
        });
        if (WORD_START.test(text[i] ?? '')) {
          let end = i;
          while (end < text.length && WORD_PART.test(text[end])) {
            end++;
          }
          fail(
            `Unknown unit '${text.slice(i, end)}' after ${number[0]}${HINT}durations use ms, s, m, h, d or w`,
            i,
            end
          );
        }
        i = expectBoundary(text, i, start, fail);
        continue;
      }
      if (WORD_START.test(c)) {
        while (i < text.length && WORD_PART.test(text[i])) {
          i++;
        }
        tokens.push({
          kind: 'word',
          text: text.slice(start, i),
          from: start,
          to: i
        });
        continue;
      }
      if (c === '"' || c === "'") {
        const [value, end] = readString(text, i, fail);
        i = end;
        tokens.push({ kind: 'string', value, from: start, to: i });
        continue;
      }
      if (c === '/') {
        const [source, flags, end] = readRegex(text, i, fail);
        i = end;
        tokens.push({ kind: 'regex', source, flags, from: start, to: i });
        continue;
      }
      const punct = PUNCTUATION.find(p => text.startsWith(p, i));
      if (punct) {
        i += punct.length;
        tokens.push({ kind: 'punct', text: punct, from: start, to: i });
        continue;
      }
      const ch = String.fromCodePoint(text.codePointAt(i)!);
      fail(
        c === '!'
          ? `Unexpected '!'${HINT}write 'not', '!=' or '!~'`
          : c === '&' || c === '|'
            ? `Unexpected '${c}'${HINT}write 'and' or 'or'`
            : `Unexpected character '${ch}'`,
        i,
        i + ch.length
      );
    }
  } catch (e) {
    if (e instanceof LexError) {
      return { ok: false, error: e.error };
    }
    throw e;
  }
  tokens.push({ kind: 'end', from: text.length, to: text.length });
  return { ok: true, tokens };
}

/** A number or date must not run into a word: `2026-11-01x`, `3.5.1`. */
function expectBoundary(
  text: string,
  i: number,
  start: number,
  fail: (message: string, from: number, to: number) => never
): number {
  const next = text[i] ?? '';
  if (WORD_PART.test(next) || (next === '.' && DIGIT.test(text[i + 1] ?? ''))) {
    let end = i;
    while (end < text.length && /[^\s(),=<>!~]/.test(text[end])) {
      end++;
    }
    fail(`'${text.slice(start, end)}' is not a number or date`, start, end);
  }
  return i;
}

const ESCAPES: { readonly [c: string]: string } = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '0': '\0'
};

/** A quoted string from `text[start]` (its quote) to the closing quote. */
function readString(
  text: string,
  start: number,
  fail: (message: string, from: number, to: number) => never
): [string, number] {
  const quote = text[start];
  let out = '';
  let i = start + 1;
  for (;;) {
    if (i >= text.length) {
      return fail(
        `Unterminated string${HINT}add the closing ${quote}`,
        start,
        i
      );
    }
    const c = text[i];
    if (c === quote) {
      return [out, i + 1];
    }
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) {
      return fail(
        `Unterminated string${HINT}add the closing ${quote}`,
        start,
        i + 1
      );
    }
    if (e in ESCAPES) {
      out += ESCAPES[e];
      i += 2;
      continue;
    }
    if (e === 'u') {
      // \uXXXX or \u{X...}
      const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(text.slice(i + 2, i + 10));
      const plain = /^[0-9a-fA-F]{4}/.exec(text.slice(i + 2, i + 6));
      if (braced && parseInt(braced[1], 16) <= 0x10ffff) {
        out += String.fromCodePoint(parseInt(braced[1], 16));
        i += 2 + braced[0].length;
        continue;
      }
      if (plain) {
        out += String.fromCharCode(parseInt(plain[0], 16));
        i += 6;
        continue;
      }
      return fail(
        `Invalid \\u escape${HINT}write \\u and 4 hex digits (\\u00e9) or \\u{1F600}`,
        i,
        Math.min(text.length, i + 6)
      );
    }
    const ch = String.fromCodePoint(text.codePointAt(i + 1)!);
    return fail(
      `Unknown escape '\\${ch}' in a string${HINT}write \\\\ for a backslash`,
      i,
      i + 1 + ch.length
    );
  }
}

/** A /regex/ with optional flags; checked by compiling it once. */
function readRegex(
  text: string,
  start: number,
  fail: (message: string, from: number, to: number) => never
): [string, string, number] {
  let i = start + 1;
  let inClass = false;
  for (;;) {
    const c = text[i];
    if (c === undefined || c === '\n') {
      return fail(
        `Unterminated regular expression${HINT}add the closing /`,
        start,
        Math.min(i, text.length)
      );
    }
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') {
      inClass = true;
    } else if (c === ']') {
      inClass = false;
    } else if (c === '/' && !inClass) {
      break;
    }
    i++;
  }
  const source = text.slice(start + 1, i);
  i++;
  let end = i;
  while (end < text.length && WORD_PART.test(text[end])) {
    end++;
  }
  const flags = text.slice(i, end);
  if (!REGEX_FLAGS.test(flags)) {
    fail(
      `Unknown regular expression flags '${flags}'${HINT}use i, m, s or u`,
      i,
      end
    );
  }
  if (source === '') {
    fail('Empty regular expression', start, end);
  }
  try {
    new RegExp(source, withCaseInsensitive(flags));
  } catch (e) {
    fail(
      `Invalid regular expression${HINT}${(e as Error).message.replace(/^Invalid regular expression: /, '')}`,
      start,
      end
    );
  }
  return [source, flags, end];
}

/** `~` is always case-insensitive, with a /regex/ too. */
export function withCaseInsensitive(flags: string): string {
  return flags.includes('i') ? flags : flags + 'i';
}

import { describe, expect, it } from 'vitest';
import { tokenize, type Token } from '../../../src/core/query/lexer';

function tokens(text: string): Token[] {
  const r = tokenize(text);
  if (!r.ok) {
    throw new Error(r.error.message);
  }
  return r.tokens;
}

function error(text: string) {
  const r = tokenize(text);
  if (r.ok) {
    throw new Error(`expected an error for ${text}`);
  }
  return r.error;
}

describe('tokenize', () => {
  it('gives every token its range in the text', () => {
    const t = tokens(' params.lr <= 0.01');
    expect(t.map(x => [x.kind, x.from, x.to])).toEqual([
      ['word', 1, 7],
      ['punct', 7, 8],
      ['word', 8, 10],
      ['punct', 11, 13],
      ['number', 14, 18],
      ['end', 18, 18]
    ]);
  });

  it('reads integers, floats, exponents and negative numbers', () => {
    const values = tokens('3 -0.5 1e-3 2.5E+2 -7')
      .filter(t => t.kind === 'number')
      .map(t => (t as { value: number }).value);
    expect(values).toEqual([3, -0.5, 0.001, 250, -7]);
  });

  it('reads durations as milliseconds, compound ones too', () => {
    const values = tokens('500ms 10s 5m 2h 1d 1w 1h30m 1.5h -2s')
      .filter(t => t.kind === 'number')
      .map(t => (t as { value: number }).value);
    expect(values).toEqual([
      500, 10_000, 300_000, 7_200_000, 86_400_000, 604_800_000, 5_400_000,
      5_400_000, -2000
    ]);
  });

  it('refuses an unknown unit, pointing at it', () => {
    const e = error('duration > 5 min'.replace(' min', 'min'));
    expect(e.message).toMatch(/^Unknown unit 'min' after 5 at 12: /);
    expect([e.from, e.to]).toEqual([12, 15]);
  });

  it('reads strings in either quote with escapes', () => {
    const [a, b] = tokens(
      String.raw`"a \"q\" \\ \n\t \u00e9 \u{1F600}" 'it\'s'`
    ) as { value: string }[];
    expect(a.value).toBe('a "q" \\ \n\t é 😀');
    expect(b.value).toBe("it's");
  });

  it('keeps HTML and Unicode in strings as plain text', () => {
    const [s] = tokens(`"<img src=x onerror=alert(1)> 日本語 🚀"`) as {
      value: string;
    }[];
    expect(s.value).toBe('<img src=x onerror=alert(1)> 日本語 🚀');
  });

  it('reads Unicode words', () => {
    const [w] = tokens('température') as { text: string }[];
    expect(w.text).toBe('température');
  });

  it('reports an unterminated string from its opening quote', () => {
    const e = error('name = "abc');
    expect(e.message).toBe('Unterminated string at 7: add the closing "');
    expect([e.from, e.to]).toEqual([7, 11]);
  });

  it('reports an unknown escape and a bad \\u escape where they are', () => {
    expect(error(String.raw`name = "a\qb"`)).toMatchObject({
      from: 9,
      to: 11,
      message: expect.stringMatching(/^Unknown escape '\\q'/)
    });
    expect(error(String.raw`name = "\u12"`)).toMatchObject({
      from: 8,
      message: expect.stringMatching(/^Invalid \\u escape at 8/)
    });
  });

  it('reads dates with and without time and zone', () => {
    const dates = tokens(
      '2026-11-01 2026-11-01T10:30 2026-11-01T10:30:15Z 2026-11-01T10:30:15.25+02:00'
    ).filter(t => t.kind === 'date') as { value: object }[];
    expect(dates.map(d => d.value)).toEqual([
      expect.objectContaining({ day: 1, precision: 'day', offset: null }),
      expect.objectContaining({ hour: 10, minute: 30, precision: 'minute' }),
      expect.objectContaining({ second: 15, precision: 'second', offset: 0 }),
      expect.objectContaining({
        millisecond: 250,
        precision: 'millisecond',
        offset: 120
      })
    ]);
  });

  it('refuses impossible dates', () => {
    expect(error('started > 2026-02-30').message).toBe(
      "'2026-02-30' is not a date at 10: no day 30 in that month"
    );
    expect(error('started > 2026-13-01').message).toMatch(/no month 13/);
    expect(error('started > 2026-11-01T25:00').message).toMatch(
      /time out of range/
    );
    expect(error('started > 2026-1-5')).toMatchObject({ from: 10, to: 18 });
    // 2028 is a leap year, 2100 is not.
    expect(tokenize('started > 2028-02-29').ok).toBe(true);
    expect(tokenize('started > 2100-02-29').ok).toBe(false);
  });

  it('reads /regex/ with flags and checks it', () => {
    const [, , r] = tokens('name ~ /^run-\\d+$/i') as {
      source: string;
      flags: string;
    }[];
    expect(r).toMatchObject({ source: '^run-\\d+$', flags: 'i' });
    expect(error('name ~ /(a/').message).toMatch(
      /^Invalid regular expression at 7: /
    );
    expect(error('name ~ /a/g').message).toBe(
      "Unknown regular expression flags 'g' at 10: use i, m, s or u"
    );
    expect(error('name ~ /abc').message).toMatch(/^Unterminated regular/);
    // A backslash at the very end: the range still ends at the text's end.
    expect(error('name ~ /\\')).toMatchObject({ from: 7, to: 9 });
  });

  it('points at characters that are not part of the language', () => {
    expect(error('a && b')).toMatchObject({
      from: 2,
      message: "Unexpected '&' at 2: write 'and' or 'or'"
    });
    expect(error('!starred').message).toMatch(
      /^Unexpected '!' at 0: write 'not'/
    );
    expect(error('name = "x" # c')).toMatchObject({ from: 11, to: 12 });
    expect(error('a 😀')).toMatchObject({ from: 2, to: 4 });
  });

  it('refuses a number that runs into a word', () => {
    expect(error('executions > 3.5.1')).toMatchObject({ from: 13, to: 18 });
  });
});

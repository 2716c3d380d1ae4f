/**
 * Dates in queries: `2026-11-01`, `2026-11-01T10:30`, `2026-11-01T10:30:15Z`,
 * `2026-11-01T10:30:15.250+02:00`. Read into their parts (checked: no
 * 31 April), then placed in time when the query is compiled. A date covers
 * its precision: `2026-11-01` is the whole day, `…T10:30` the whole minute.
 */
import type { IDateParts } from './ast';
import { HINT } from './errors';

const SHAPE = /[0-9]{4}-[0-9]/y;
const DATE =
  /([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?(?![\p{L}\p{N}_:.])/uy;
const FORMAT =
  'write YYYY-MM-DD, optionally with THH:MM[:SS[.mmm]] and Z or ±HH:MM';

export type DateRead =
  | { ok: true; value: IDateParts; to: number }
  | { ok: false; message: string; to: number };

/**
 * The date starting at `text[at]`, or null when nothing there looks like a
 * date (so the lexer reads a number instead).
 */
export function readDate(text: string, at: number): DateRead | null {
  SHAPE.lastIndex = at;
  if (!SHAPE.test(text)) {
    return null;
  }
  DATE.lastIndex = at;
  const m = DATE.exec(text);
  if (!m) {
    let to = at;
    while (to < text.length && /[0-9A-Za-z:.+-]/.test(text[to])) {
      to++;
    }
    return {
      ok: false,
      message: `'${text.slice(at, to)}' is not a date${HINT}${FORMAT}`,
      to
    };
  }
  const to = at + m[0].length;
  const bad = (why: string): DateRead => ({
    ok: false,
    message: `'${m[0]}' is not a date${HINT}${why}`,
    to
  });
  const [year, month, day] = [m[1], m[2], m[3]].map(Number);
  const hasTime = m[4] !== undefined;
  const [hour, minute, second] = [m[4], m[5], m[6]].map(v => Number(v ?? 0));
  const millisecond = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (month < 1 || month > 12) {
    return bad(`no month ${month}`);
  }
  if (day < 1 || day > daysInMonth(year, month)) {
    return bad(`no day ${day} in that month`);
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return bad('time out of range');
  }
  let offset: number | null = null;
  if (m[8] !== undefined) {
    if (!hasTime) {
      return bad('a time zone needs a time, as in 2026-11-01T00:00Z');
    }
    if (m[8] === 'Z' || m[8] === 'z') {
      offset = 0;
    } else {
      const digits = m[8].replace(':', '');
      const h = Number(digits.slice(1, 3));
      const mm = Number(digits.slice(3, 5));
      if (h > 23 || mm > 59) {
        return bad('time zone out of range');
      }
      offset = (digits[0] === '-' ? -1 : 1) * (h * 60 + mm);
    }
  }
  return {
    ok: true,
    to,
    value: {
      year,
      month,
      day,
      hour,
      minute,
      second,
      millisecond,
      offset,
      precision: !hasTime
        ? 'day'
        : m[7]
          ? 'millisecond'
          : m[6] !== undefined
            ? 'second'
            : 'minute'
    }
  };
}

/** The whole of `text` read as a date (for `started > "2026-11-01"`). */
export function parseDateText(text: string): DateRead {
  const read = readDate(text.trim(), 0);
  if (read && read.ok && read.to !== text.trim().length) {
    return {
      ok: false,
      message: `'${text}' is not a date${HINT}${FORMAT}`,
      to: 0
    };
  }
  return (
    read ?? {
      ok: false,
      message: `'${text}' is not a date${HINT}${FORMAT}`,
      to: 0
    }
  );
}

/** How dates without a zone are placed in time. */
export type DateZone = 'local' | 'utc';

/**
 * The span `[from, to)` in epoch milliseconds that a date covers. A zone
 * written in the date wins over `zone`.
 */
export function dateSpan(d: IDateParts, zone: DateZone): [number, number] {
  const step = { day: 0, minute: 60_000, second: 1000, millisecond: 1 }[
    d.precision
  ];
  if (d.offset === null && zone === 'local') {
    const from = new Date(
      d.year,
      d.month - 1,
      d.day,
      d.hour,
      d.minute,
      d.second,
      d.millisecond
    );
    from.setFullYear(d.year); // years 0-99 are not 1900-1999
    if (d.precision === 'day') {
      // The next local midnight: 23 or 25 hours away on daylight-saving days.
      const to = new Date(from.getTime());
      to.setDate(to.getDate() + 1);
      return [from.getTime(), to.getTime()];
    }
    return [from.getTime(), from.getTime() + step];
  }
  const utc = new Date(0);
  utc.setUTCFullYear(d.year, d.month - 1, d.day);
  utc.setUTCHours(d.hour, d.minute, d.second, d.millisecond);
  const from = utc.getTime() - (d.offset ?? 0) * 60_000;
  return [from, from + (d.precision === 'day' ? 86_400_000 : step)];
}

function daysInMonth(year: number, month: number): number {
  return month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;
}

/**
 * Numbers for reading (issue 20): what the runs table, compare and the
 * detail show in a cell. About four significant digits, the integer part
 * never cut, thousands grouped, exponent notation for the tiny and the huge,
 * integers as they are. The full value goes in a tooltip (`fullNumber`) and
 * in exports, which never use this. Pure; no locale, so a table reads the
 * same in every browser.
 */

/** Significant digits shown for a number that is not an integer. */
const DIGITS = 4;
/** Below this (and not 0), exponent notation: `1.5e-4`. */
const TINY = 1e-3;
/** At or above this, exponent notation: `1.235e+15`. */
const HUGE = 1e15;
/** Integer parts from this size on are grouped: `12,345` but `1234`. */
const GROUP_FROM = 1e4;

/**
 * `0.9762` for 0.9761864373173961, `123.5`, `12,346` for 12345.678,
 * `1,000,000` for 1e6, `1.5e-4`, `-2.5e+21`, `NaN`, `Infinity`.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) {
    return String(n);
  }
  if (n === 0) {
    return '0'; // and -0
  }
  const a = Math.abs(n);
  if (a >= HUGE || (a < TINY && !Number.isInteger(n))) {
    const [mantissa, exponent] = n.toExponential(DIGITS - 1).split('e');
    return `${trimZeros(mantissa)}e${exponent}`;
  }
  if (Number.isInteger(n)) {
    return group(String(n));
  }
  if (a < 1) {
    return trimZeros(n.toPrecision(DIGITS));
  }
  const whole = Math.floor(Math.log10(a)) + 1;
  return group(trimZeros(n.toFixed(Math.max(0, DIGITS - whole))));
}

/** The full value, for a tooltip: the shortest text that reads back as `n`. */
export function fullNumber(n: number): string {
  return String(n);
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** `-12345.6` → `-12,345.6`; integer parts under 10,000 stay as they are. */
function group(s: string): string {
  const sign = s.startsWith('-') ? '-' : '';
  const [whole, fraction] = s.slice(sign.length).split('.');
  if (Number(whole) < GROUP_FROM) {
    return s;
  }
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/**
 * The normal distribution, as TPE needs it: the CDF and its log with full
 * relative precision far into the tails, its inverse, and the truncated
 * normal (log density, log mass of an interval, sampling by inversion).
 *
 * Written from the textbook formulas: erf from its everywhere-convergent
 * series `erf x = 2/√π e^{-x²} Σ (2x²)^n x / (2n+1)!!` for small |x|, erfc
 * from its continued fraction (Laplace) for larger x, the inverse from
 * Acklam's rational approximation refined by Halley steps. No tables.
 */

const SQRT2 = Math.SQRT2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);

/** Below this |x| erf uses the series, above it erfc's continued fraction. */
const SERIES_LIMIT = 2.5;

/** erf(x) for |x| < SERIES_LIMIT (positive terms only: no cancellation). */
function erfSeries(x: number): number {
  if (x < 0) {
    return -erfSeries(-x);
  }
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) {
      break;
    }
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
}

/**
 * The continued fraction's value t(z) with erfc(z) = e^{-z²} / (√π t(z)),
 * z >= SERIES_LIMIT: t = z + (1/2)/(z + 1/(z + (3/2)/(z + ...))), by the
 * modified Lentz method (it stops when a term no longer changes t; the
 * larger z, the fewer terms).
 */
function erfcFraction(z: number): number {
  let t = z;
  let c = z;
  let d = 0;
  for (let k = 1; k < 200; k++) {
    const a = k / 2;
    d = 1 / (z + a * d);
    c = z + a / c;
    const delta = c * d;
    t *= delta;
    if (Math.abs(delta - 1) < 1e-16) {
      break;
    }
  }
  return t;
}

export function erf(x: number): number {
  if (Math.abs(x) < SERIES_LIMIT) {
    return erfSeries(x);
  }
  return x > 0 ? 1 - erfc(x) : erfc(-x) - 1;
}

export function erfc(x: number): number {
  if (x < SERIES_LIMIT) {
    return 1 - erf(x);
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * erfcFraction(x));
}

/** log erfc(x), finite for any finite x (no underflow in the tail). */
function logErfc(x: number): number {
  if (x < SERIES_LIMIT) {
    return Math.log(erfc(x));
  }
  return -x * x - LOG_SQRT_PI - Math.log(erfcFraction(x));
}

/** Φ(a), the standard normal CDF. */
export function ndtr(a: number): number {
  const x = a / SQRT2;
  if (x < -SERIES_LIMIT) {
    return 0.5 * erfc(-x);
  }
  if (x > SERIES_LIMIT) {
    return 1 - 0.5 * erfc(x);
  }
  return 0.5 + 0.5 * erfSeries(x);
}

/** log Φ(a), accurate in both tails. */
export function logNdtr(a: number): number {
  if (a > 6) {
    return -ndtr(-a); // log(1 - ε) = -ε to double precision
  }
  const x = a / SQRT2;
  if (x < -SERIES_LIMIT) {
    return Math.log(0.5) + logErfc(-x);
  }
  return Math.log(ndtr(a));
}

/** log(e^p - e^q), p >= q. */
function logDiff(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/** log(e^p + e^q). */
export function logAddExp(p: number, q: number): number {
  if (p === -Infinity) {
    return q;
  }
  if (q === -Infinity) {
    return p;
  }
  const m = Math.max(p, q);
  return m + Math.log(Math.exp(p - m) + Math.exp(q - m));
}

/** log of the standard normal mass in [a, b], worked in the left tail. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) {
    return logDiff(logNdtr(b), logNdtr(a));
  }
  if (a > 0) {
    return logDiff(logNdtr(-a), logNdtr(-b));
  }
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** Acklam's approximation of Φ⁻¹(p), relative error below 1.2e-9. */
function ndtriApprox(p: number): number {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2,
    1.38357751867269e2, -3.066479806614716e1, 2.506628277459239
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2,
    6.680131188771972e1, -1.328068155288572e1
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838,
    -2.549732539343734, 4.374664141464968, 2.938163982698783
  ];
  const d = [
    7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996,
    3.754408661907416
  ];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - low) {
    return -ndtriApprox(1 - p);
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) *
      q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** x with log Φ(x) = y (y <= 0): the inverse CDF, in log space. */
export function ndtriExp(y: number): number {
  if (y >= 0) {
    return Infinity;
  }
  if (y === -Infinity) {
    return -Infinity;
  }
  let x: number;
  if (y > -680) {
    const p = Math.exp(y);
    x = ndtriApprox(p);
    if (!Number.isFinite(x)) {
      return x;
    }
  } else {
    // Beyond exp's range: start from the tail's leading term.
    x = -Math.sqrt(-2 * y - Math.log(-2 * y));
  }
  // Newton steps on log Φ(x) - y (d/dx log Φ = φ/Φ); two or three suffice.
  for (let i = 0; i < 8; i++) {
    const lp = logNdtr(x);
    const slope = Math.exp(-0.5 * x * x - LOG_SQRT_2PI - lp);
    const step = (lp - y) / slope;
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) {
      break;
    }
  }
  return x;
}

/** Φ⁻¹(p). */
export function ndtri(p: number): number {
  if (p <= 0) {
    return -Infinity;
  }
  if (p >= 1) {
    return Infinity;
  }
  return p > 0.5 ? -ndtriExp(Math.log1p(-p)) : ndtriExp(Math.log(p));
}

/**
 * The quantile `u` of the standard normal truncated to [a, b], by inverting
 * its CDF in log space (in the tail where the mass lies).
 */
export function truncnormPpf(u: number, a: number, b: number): number {
  if (u <= 0) {
    return a;
  }
  if (u >= 1) {
    return b;
  }
  const mass = logGaussMass(a, b);
  let x: number;
  if (a < 0) {
    x = ndtriExp(logAddExp(logNdtr(a), Math.log(u) + mass));
  } else {
    x = -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-u) + mass));
  }
  return Math.min(b, Math.max(a, x));
}

/**
 * log density at x of N(mu, sigma²) truncated to [low, high]; -Infinity
 * outside. `logMass` is `logGaussMass((low-mu)/sigma, (high-mu)/sigma)`,
 * passed in when the caller has it for many x.
 */
export function truncnormLogPdf(
  x: number,
  mu: number,
  sigma: number,
  low: number,
  high: number,
  logMass = logGaussMass((low - mu) / sigma, (high - mu) / sigma)
): number {
  if (x < low || x > high) {
    return -Infinity;
  }
  const z = (x - mu) / sigma;
  return -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma) - logMass;
}

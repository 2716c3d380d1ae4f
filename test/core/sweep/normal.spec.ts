/**
 * The normal distribution TPE relies on, against reference values from
 * Python's math module and SciPy 1.10 (Debian's python3-scipy), printed
 * once and written here: CDF and its log far into the tails, the inverse,
 * the truncated normal's quantiles, and a density that integrates to 1.
 */
import { describe, expect, it } from 'vitest';
import {
  erf,
  erfc,
  logGaussMass,
  logNdtr,
  ndtri,
  truncnormLogPdf,
  truncnormPpf
} from '../../../src/core/sweep/normal';

const rel = (a: number, e: number, tol: number) =>
  expect(Math.abs(a - e), `${a} vs ${e}`).toBeLessThanOrEqual(
    tol * Math.max(Math.abs(e), 1e-300)
  );

describe('normal distribution', () => {
  it('erf and erfc, on both sides of the series/fraction switch', () => {
    const ref: [number, number, number][] = [
      [-2.7, -0.9998656672600594, 1.9998656672600594],
      [-1, -0.8427007929497149, 1.842700792949715],
      [0.3, 0.3286267594591274, 0.6713732405408726],
      [2.49, 0.9995707121322661, 0.000429287867733913],
      [2.51, 0.9996142945182758, 0.0003857054817242798],
      [4, 0.9999999845827421, 1.541725790028002e-8],
      [10, 1.0, 2.088487583762545e-45]
    ];
    for (const [x, e, c] of ref) {
      rel(erf(x), e, 1e-14);
      rel(erfc(x), c, 1e-11);
    }
  });

  it('log Φ with full relative precision in the tails', () => {
    const ref: [number, number][] = [
      [-40, -804.6084420137539],
      [-30, -454.32124395634327],
      [-8, -35.01343715991456],
      [-3, -6.60772622151035],
      [-0.5, -1.175911761593619],
      [2, -0.023012909328963486],
      [7, -1.2798125438866539e-12]
    ];
    for (const [x, e] of ref) {
      rel(logNdtr(x), e, 1e-12);
    }
  });

  it('Φ⁻¹, down to 1e-300', () => {
    const ref: [number, number][] = [
      [1e-300, -37.0470962993612],
      [1e-10, -6.361340902404056],
      [0.01, -2.3263478740408408],
      [0.3, -0.5244005127080409],
      [0.9, 1.2815515655446004],
      [1 - 1e-12, 7.0344869100478356]
    ];
    for (const [p, e] of ref) {
      rel(ndtri(p), e, 1e-10);
    }
  });

  it('truncated normal quantiles, also where the interval is far in a tail', () => {
    const ref: [number, number, number, number][] = [
      [0.3, -1, 2, -0.2424038178892272],
      [0.7, 3, 5, 3.349238484785686],
      [0.5, -40, -39, -39.01775730523236],
      [0.2, 8, 30, 8.02743044171883],
      [0.9, -0.1, 0.1, 0.07995196452866714]
    ];
    for (const [u, a, b, e] of ref) {
      rel(truncnormPpf(u, a, b), e, 1e-9);
    }
    expect(logGaussMass(-3, -2)).toBeCloseTo(-3.844353426334206, 12);
    expect(logGaussMass(2, 3)).toBeCloseTo(-3.844353426334206, 12);
    expect(logGaussMass(-1, 1)).toBeCloseTo(-0.38171514630212616, 12);
  });

  it('a truncated density that integrates to 1 whatever its scale', () => {
    for (const [mu, sigma, low, high] of [
      [0.3, 0.05, 0, 1],
      [0.5, 2, 0, 1],
      [-3, 0.5, -5, 10]
    ]) {
      const n = 20000;
      const h = (high - low) / n;
      let s = 0;
      for (let i = 0; i < n; i++) {
        s +=
          Math.exp(truncnormLogPdf(low + (i + 0.5) * h, mu, sigma, low, high)) *
          h;
      }
      expect(s).toBeCloseTo(1, 6);
    }
    expect(truncnormLogPdf(1.5, 0, 1, 0, 1)).toBe(-Infinity);
  });
});

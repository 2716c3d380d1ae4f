/**
 * Seeded randomness for the samplers. A suggestion draws from a generator
 * keyed by (seed, trial number, purpose), so the same seed and history give
 * the same suggestion on any machine and in any order of calls, and adding
 * a parameter does not change what the others draw.
 *
 * The generator is SFC32 (Chris Doty-Humphrey's small fast counting
 * generator, public domain); keys are hashed with MurmurHash3's 32-bit
 * finaliser over FNV-1a.
 */

export type Rng = () => number;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string (FNV-1a, then finalised). */
export function hash32(text: string, salt = 0): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/**
 * A generator of doubles in [0, 1) with 53 random bits, for a key made of
 * any parts (numbers and strings).
 */
export function rngFor(...key: (string | number)[]): Rng {
  const text = key.map(String).join('\u0000');
  let a = hash32(text, 1);
  let b = hash32(text, 2);
  let c = hash32(text, 3);
  let d = 1;
  const next32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) {
    next32();
  }
  return () => {
    const hi = next32() >>> 5; // 27 bits
    const lo = next32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  };
}

/** An index in [0, weights.length) drawn with the given weights (sum 1). */
export function weightedIndex(rng: Rng, cumulative: Float64Array): number {
  const u = rng() * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > u) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

/**
 * The contract every benchmark follows. A bench file `bench/<area>.bench.ts`
 * default-exports `async (b: IBench) => void` and reports figures through
 * `b`; `npm run bench` runs them all and prints one table.
 */

export interface IFigure {
  /** What was measured, e.g. `diff 1,000 cells (5% changed)`. */
  name: string;
  value: number;
  /** `ms`, `MB`, `points/s`, `×`, ... */
  unit: string;
  /** The target, in the same unit. */
  target?: number;
  /** True when smaller is better (times, bytes); false for rates. */
  lowerIsBetter?: boolean;
  /** Free text: inputs, peers, how it was measured. */
  note?: string;
}

export interface IBench {
  /** Report one figure. */
  figure(figure: IFigure): void;
  /**
   * Report a ratio between two figures measured in the same run, e.g. the
   * same workload with and without Labbook.
   */
  ratio(
    name: string,
    numerator: number,
    denominator: number,
    options?: { target?: number; lowerIsBetter?: boolean; note?: string }
  ): void;
  /** Time an async function once, in ms (high-resolution clock). */
  time(fn: () => unknown | Promise<unknown>): Promise<number>;
  /** Median of `runs` timings of `fn`, in ms, after one warm-up run. */
  median(fn: () => unknown | Promise<unknown>, runs?: number): Promise<number>;
  /** A scratch folder for this bench, removed afterwards. */
  readonly tmpdir: string;
}

export type BenchFunction = (b: IBench) => Promise<void>;

/** Whether a figure meets its target. */
export function meets(f: IFigure): boolean | undefined {
  if (f.target === undefined) {
    return undefined;
  }
  return f.lowerIsBetter === false ? f.value >= f.target : f.value <= f.target;
}

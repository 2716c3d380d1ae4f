/**
 * How many experiments one comparison takes: at least two (one has nothing
 * to compare with) and at most fifty (a table or chart wider than that is
 * no longer read). The compare functions accept any number; the view asks
 * `compareSelectionProblem` before opening and shows its message.
 */

export const COMPARE_MIN = 2;
export const COMPARE_MAX = 50;

/** Why `count` selected experiments cannot be compared, or null when they can. */
export function compareSelectionProblem(count: number): string | null {
  if (!Number.isInteger(count) || count < COMPARE_MIN) {
    return `Select at least ${COMPARE_MIN} experiments to compare.`;
  }
  if (count > COMPARE_MAX) {
    return `Compare at most ${COMPARE_MAX} experiments at a time (${count} selected).`;
  }
  return null;
}

/**
 * Identifiers. Experiment ids sort lexically in creation order
 * (`20261124T094102123Z-k3j9x0`); writer ids name the chunks a tab writes,
 * so two writers never pick the same file name.
 */

const ID_RE = /^\d{8}T\d{9}Z-[0-9a-z]{6}$/;

/** A new experiment id: UTC time to the millisecond, then 6 random base-36 characters. */
export function newExperimentId(
  now: Date = new Date(),
  rand: () => number = Math.random
): string {
  const iso = now.toISOString(); // 2026-11-24T09:41:02.123Z
  const stamp = iso.replace(/[-:.]/g, '');
  return `${stamp}-${randomBase36(6, rand)}`;
}

export function isExperimentId(id: string): boolean {
  return ID_RE.test(id);
}

/** A short random id for one writer (one browser tab, one process). */
export function newWriterId(rand: () => number = Math.random): string {
  return randomBase36(8, rand);
}

/** Creation time of an experiment id. */
export function experimentIdTime(id: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(id);
  if (!m) {
    return null;
  }
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`);
}

function randomBase36(n: number, rand: () => number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    out += Math.floor(rand() * 36).toString(36);
  }
  return out;
}

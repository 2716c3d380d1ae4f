/**
 * What changed between the environments of two experiments: packages
 * added, removed and changed (upgraded or downgraded when both versions
 * are dotted numbers), and the Python, platform, CPU, memory, GPU and git
 * fields that differ.
 *
 * Collection is best effort, so each part says whether it could be
 * compared at all: a part missing on either side is `not-collected` (with
 * the kernel's reason when it gave one), never `same`. `git: null` is a
 * collected value (not in a repository), and a missing `gpus` with no
 * error means `nvidia-smi` was not found: no GPU.
 */
import type { IEnvironment } from '../model';
import { compareVersions } from './version';

/** A field value as shown: scalars only. */
export type EnvValue = string | number | boolean | null;

/** One field that differs, e.g. `{field: 'version', a: '3.11.2', b: '3.12.1'}`. */
export interface IEnvFieldChange {
  field: string;
  a: EnvValue;
  b: EnvValue;
}

/** The parts compared field by field, in this order. */
export const ENV_PARTS = [
  'python',
  'platform',
  'cpu',
  'memory',
  'gpus',
  'git'
] as const;

export type EnvPartName = (typeof ENV_PARTS)[number];

/** How one part compares. */
export type EnvPartStatus = 'same' | 'changed' | 'not-collected';

/** Which side lacks a part. */
export type EnvMissing = 'a' | 'b' | 'both';

interface IPartStatus {
  status: EnvPartStatus;
  /** With `not-collected`: which side lacks it. */
  missing?: EnvMissing;
  /** With `not-collected`: why, per side lacking it. */
  reasons?: { a?: string; b?: string };
}

export interface IEnvPartDiff extends IPartStatus {
  part: EnvPartName;
  /** The fields that differ (empty unless `changed`), in a fixed order. */
  changes: IEnvFieldChange[];
}

export interface IPackageChange {
  /** Normalised distribution name. */
  name: string;
  /** Version in `a`, null when added. */
  from: string | null;
  /** Version in `b`, null when removed. */
  to: string | null;
  kind: 'added' | 'removed' | 'upgraded' | 'downgraded' | 'changed';
}

export interface IPackagesDiff extends IPartStatus {
  /** Each list sorted by name (code-unit order, as `pip list`). */
  added: IPackageChange[];
  removed: IPackageChange[];
  /** Upgraded, downgraded or otherwise changed. */
  changed: IPackageChange[];
  /** Packages with the same version on both sides. */
  unchanged: number;
}

export interface IEnvDiff {
  /** When each environment was collected; null when there is none. */
  collected: { a: string | null; b: string | null };
  parts: IEnvPartDiff[];
  packages: IPackagesDiff;
  summary: {
    packagesAdded: number;
    packagesRemoved: number;
    packagesChanged: number;
    /** Parts (packages included) that differ. */
    partsChanged: number;
    /** Parts (packages included) missing on one side or both. */
    partsNotCollected: number;
    /** Every part was collected on both sides and nothing differs. */
    same: boolean;
  };
}

/** Compare the environments of two experiments (`a` the older or reference). */
export function diffEnvironments(
  a: IEnvironment | null,
  b: IEnvironment | null
): IEnvDiff {
  const parts = ENV_PARTS.map(part => Private.diffPart(part, a, b));
  const packages = Private.diffPackages(a, b);
  const all: IPartStatus[] = [...parts, packages];
  const partsChanged = all.filter(p => p.status === 'changed').length;
  const partsNotCollected = all.filter(
    p => p.status === 'not-collected'
  ).length;
  return {
    collected: { a: a?.collected ?? null, b: b?.collected ?? null },
    parts,
    packages,
    summary: {
      packagesAdded: packages.added.length,
      packagesRemoved: packages.removed.length,
      packagesChanged: packages.changed.length,
      partsChanged,
      partsNotCollected,
      same: partsChanged === 0 && partsNotCollected === 0
    }
  };
}

namespace Private {
  type Side = 'a' | 'b';

  /**
   * A part of one environment, `undefined` when it was not collected. For
   * `gpus`, absent with no error is an empty list (no `nvidia-smi`).
   */
  function partOf(
    env: IEnvironment | null,
    part: EnvPartName | 'packages'
  ): unknown {
    if (!env) {
      return undefined;
    }
    const value = (env as any)[part];
    if (part === 'git') {
      return value === null || typeof value === 'object' ? value : undefined;
    }
    if (value === null || typeof value !== 'object') {
      return part === 'gpus' && value === undefined && !reason(env, part)
        ? []
        : undefined;
    }
    return value;
  }

  /** The kernel's reason a part is missing, if it gave one. */
  function reason(env: IEnvironment, part: string): string | undefined {
    const errors = Array.isArray(env.errors) ? env.errors : [];
    return errors.find(e => e && e.part === part)?.message;
  }

  /** `not-collected` with who and why, or null when both sides have the part. */
  function missing(
    part: EnvPartName | 'packages',
    a: IEnvironment | null,
    b: IEnvironment | null,
    pa: unknown,
    pb: unknown
  ): IPartStatus | null {
    if (pa !== undefined && pb !== undefined) {
      return null;
    }
    const why = (env: IEnvironment | null) =>
      env ? (reason(env, part) ?? 'not collected') : 'no environment recorded';
    const reasons: { a?: string; b?: string } = {};
    const sides: Side[] = [];
    if (pa === undefined) {
      reasons.a = why(a);
      sides.push('a');
    }
    if (pb === undefined) {
      reasons.b = why(b);
      sides.push('b');
    }
    return {
      status: 'not-collected',
      missing: sides.length === 2 ? 'both' : sides[0],
      reasons
    };
  }

  export function diffPart(
    part: EnvPartName,
    a: IEnvironment | null,
    b: IEnvironment | null
  ): IEnvPartDiff {
    const pa = partOf(a, part);
    const pb = partOf(b, part);
    const gap = missing(part, a, b, pa, pb);
    if (gap) {
      return { part, ...gap, changes: [] };
    }
    const fa = fields(part, pa);
    const fb = fields(part, pb);
    const names = [...fa.keys()];
    for (const k of fb.keys()) {
      if (!fa.has(k)) {
        names.push(k);
      }
    }
    const changes: IEnvFieldChange[] = [];
    for (const field of names) {
      const x = fa.get(field) ?? null;
      const y = fb.get(field) ?? null;
      if (x !== y) {
        changes.push({ field, a: x, b: y });
      }
    }
    return {
      part,
      status: changes.length ? 'changed' : 'same',
      changes
    };
  }

  /** The fields of a part, as scalars, in display order. */
  function fields(part: EnvPartName, v: any): Map<string, EnvValue> {
    const out = new Map<string, EnvValue>();
    const put = (field: string, x: unknown) => out.set(field, scalar(x));
    switch (part) {
      case 'python':
        put('version', v.version);
        put('implementation', v.implementation);
        put('executable', v.executable);
        break;
      case 'platform':
        put('system', v.system);
        put('release', v.release);
        put('machine', v.machine);
        put('description', v.description);
        break;
      case 'cpu':
        put('count', v.count);
        put('model', v.model);
        break;
      case 'memory':
        put('totalBytes', v.totalBytes);
        break;
      case 'gpus': {
        const gpus: readonly any[] = Array.isArray(v) ? v : [];
        put('count', gpus.length);
        gpus.forEach((g, i) => {
          put(`GPU ${i + 1}`, gpuText(g));
        });
        break;
      }
      case 'git':
        if (v === null) {
          put('repository', null);
          break;
        }
        put('repository', v.root);
        put('commit', v.commit);
        put('branch', v.branch);
        put('dirty', v.dirty === true);
        put(
          'remotes',
          Array.isArray(v.remotes)
            ? v.remotes.map((r: any) => `${r?.name} ${r?.url}`).join('\n')
            : null
        );
        put('diff', typeof v.diff === 'string' ? v.diff : null);
        put('diffTruncated', v.diffTruncated === true);
        break;
    }
    return out;
  }

  function scalar(x: unknown): EnvValue {
    return typeof x === 'string' ||
      typeof x === 'boolean' ||
      (typeof x === 'number' && Number.isFinite(x))
      ? x
      : null;
  }

  /** `NVIDIA A100 (40960 MB, driver 535.104)`. */
  function gpuText(g: any): string {
    const name = typeof g?.name === 'string' ? g.name : '?';
    const extra = [
      typeof g?.memoryMB === 'number' ? `${g.memoryMB} MB` : '',
      typeof g?.driver === 'string' ? `driver ${g.driver}` : ''
    ].filter(Boolean);
    return extra.length ? `${name} (${extra.join(', ')})` : name;
  }

  export function diffPackages(
    a: IEnvironment | null,
    b: IEnvironment | null
  ): IPackagesDiff {
    const pa = partOf(a, 'packages') as Record<string, unknown> | undefined;
    const pb = partOf(b, 'packages') as Record<string, unknown> | undefined;
    const empty = { added: [], removed: [], changed: [], unchanged: 0 };
    const gap = missing('packages', a, b, pa, pb);
    if (gap || !pa || !pb) {
      return { ...gap!, ...empty };
    }
    const version = (m: Record<string, unknown>, k: string) =>
      Object.prototype.hasOwnProperty.call(m, k) ? String(m[k]) : null;
    const names = new Set([...Object.keys(pa), ...Object.keys(pb)]);
    const added: IPackageChange[] = [];
    const removed: IPackageChange[] = [];
    const changed: IPackageChange[] = [];
    let unchanged = 0;
    // Names are normalised (lower case, `-`): code-unit order, as `pip list`.
    for (const name of [...names].sort()) {
      const from = version(pa, name);
      const to = version(pb, name);
      if (from === null) {
        added.push({ name, from, to, kind: 'added' });
      } else if (to === null) {
        removed.push({ name, from, to, kind: 'removed' });
      } else {
        const kind = compareVersions(from, to);
        if (kind === 'same') {
          unchanged++;
        } else {
          changed.push({ name, from, to, kind });
        }
      }
    }
    return {
      status:
        added.length || removed.length || changed.length ? 'changed' : 'same',
      added,
      removed,
      changed,
      unchanged
    };
  }
}

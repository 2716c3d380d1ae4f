/**
 * Package versions as compare needs them: whether two are the same
 * version (PEP 440 normal form, so `1.0` = `1.0.0`, `2.0RC1` = `2.0rc1`,
 * `v1.2` = `1.2`; local labels such as `+cu121` count) and, when both are
 * plain dotted numbers, which is newer. Anything else (pre-releases, dates,
 * git hashes) is only ever "changed": no ordering is guessed.
 */

/** How a version moved from `a` to `b`. */
export type VersionChange = 'same' | 'upgraded' | 'downgraded' | 'changed';

/**
 * The PEP 440 normal form of a version, or the trimmed, lower-cased text
 * when it is not a PEP 440 version.
 */
export function normalizeVersion(version: string): string {
  const text = version.trim().toLowerCase();
  const m = Private.PEP440.exec(text);
  if (!m) {
    return text;
  }
  const [, epoch, release, preL, preN, postN1, postL, postN2, devL, devN] = m;
  const parts = release.split('.').map(Private.trimZeros);
  while (parts.length > 1 && parts[parts.length - 1] === '0') {
    parts.pop();
  }
  let out = '';
  if (epoch && Private.trimZeros(epoch) !== '0') {
    out += `${Private.trimZeros(epoch)}!`;
  }
  out += parts.join('.');
  if (preL) {
    const label =
      preL === 'alpha'
        ? 'a'
        : preL === 'beta'
          ? 'b'
          : preL === 'a' || preL === 'b'
            ? preL
            : 'rc';
    out += label + Private.trimZeros(preN || '0');
  }
  if (postN1 !== undefined || postL) {
    out += '.post' + Private.trimZeros(postN1 ?? (postN2 || '0'));
  }
  if (devL) {
    out += '.dev' + Private.trimZeros(devN || '0');
  }
  const local = m[10];
  if (local) {
    out += '+' + local.replace(/[-_]/g, '.');
  }
  return out;
}

/** Compare two versions of one package (see the module comment). */
export function compareVersions(a: string, b: string): VersionChange {
  if (a === b) {
    return 'same';
  }
  const x = Private.dotted(a);
  const y = Private.dotted(b);
  if (!x || !y) {
    return normalizeVersion(a) === normalizeVersion(b) ? 'same' : 'changed';
  }
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const c = Private.compareDigits(x[i] ?? '0', y[i] ?? '0');
    if (c !== 0) {
      return c < 0 ? 'upgraded' : 'downgraded';
    }
  }
  return 'same';
}

namespace Private {
  /**
   * PEP 440, with its accepted spellings: epoch, release, pre-release,
   * post-release (`-1` or `.post1`), dev release, local label.
   */
  export const PEP440 = new RegExp(
    '^v?' +
      '(?:(\\d+)!)?' +
      '(\\d+(?:\\.\\d+)*)' +
      '(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\\d*))?' +
      '(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d*))?' +
      '(?:[-_.]?(dev)[-_.]?(\\d*))?' +
      '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$'
  );

  export function trimZeros(digits: string): string {
    return digits.replace(/^0+(?=\d)/, '');
  }

  /** The numbers of a plain dotted version (`1.26.4`, `v2`), or null. */
  export function dotted(version: string): string[] | null {
    const text = version.trim().replace(/^v/i, '');
    return /^\d+(\.\d+)*$/.test(text) ? text.split('.').map(trimZeros) : null;
  }

  /** Compare two digit strings as numbers of any size. */
  export function compareDigits(a: string, b: string): number {
    a = trimZeros(a);
    b = trimZeros(b);
    if (a.length !== b.length) {
      return a.length - b.length;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }
}

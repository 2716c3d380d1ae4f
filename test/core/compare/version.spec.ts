import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  normalizeVersion
} from '../../../src/core/compare/version';

describe('package versions', () => {
  it('reads PEP 440 spellings of one version as equal', () => {
    const same: [string, string][] = [
      ['1.0', '1.0.0'],
      ['v1.2', '1.2'],
      ['2.0RC1', '2.0rc1'],
      ['2.0-rc.1', '2.0rc1'],
      ['1.0alpha2', '1.0a2'],
      ['1.4.1-1', '1.4.1.post1'],
      ['1.0.dev', '1.0.dev0'],
      ['2.1.0+CU118', '2.1.0+cu118'],
      ['0!1.01', '1.1']
    ];
    for (const [a, b] of same) {
      expect(normalizeVersion(a), `${a} vs ${b}`).toBe(normalizeVersion(b));
      expect(compareVersions(a, b)).toBe('same');
    }
  });

  it('orders dotted numbers and only those', () => {
    expect(compareVersions('1.26.4', '2.0.0')).toBe('upgraded');
    expect(compareVersions('1.10', '1.9')).toBe('downgraded');
    expect(compareVersions('1.2', '1.2.1')).toBe('upgraded');
    expect(
      compareVersions('1.99999999999999999999', '1.100000000000000000000')
    ).toBe('upgraded');
    expect(compareVersions('2.1.0+cu118', '2.1.0+cu121')).toBe('changed');
    expect(compareVersions('0.4.20', '0.4.21rc1')).toBe('changed');
    expect(compareVersions('2024.1', 'main-3f1c2e')).toBe('changed');
  });
});

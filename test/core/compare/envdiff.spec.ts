import { describe, expect, it } from 'vitest';
import {
  diffEnvironments,
  IEnvPartDiff
} from '../../../src/core/compare/envdiff';
import type { IEnvironment } from '../../../src/core/model';

/** An environment as collect_environment sends it from a GPU workstation. */
function workstation(): IEnvironment {
  return {
    collected: '2026-03-01T10:00:00.000Z',
    python: {
      version: '3.11.2',
      implementation: 'CPython',
      executable: '/home/ada/.venvs/ml/bin/python'
    },
    platform: {
      system: 'Linux',
      release: '6.1.0-18-amd64',
      machine: 'x86_64',
      description: 'Linux-6.1.0-18-amd64-x86_64-with-glibc2.36'
    },
    cpu: { count: 16, model: 'AMD Ryzen 9 7950X 16-Core Processor' },
    memory: { totalBytes: 67_108_864_000 },
    gpus: [
      { name: 'NVIDIA GeForce RTX 4090', memoryMB: 24564, driver: '535.154.05' }
    ],
    packages: {
      black: '24.1.0',
      ipykernel: '6.29.3',
      jax: '0.4.20',
      numpy: '1.26.4',
      'scikit-learn': '1.4.1.post1',
      setuptools: '69.0.3',
      torch: '2.1.0+cu118'
    },
    git: {
      root: '/home/ada/proj',
      commit: '3f1c2e9a7b6d5c4e3f2a1b0c9d8e7f6a5b4c3d2e',
      branch: 'main',
      remotes: [{ name: 'origin', url: 'git@example.com:ada/proj.git' }],
      dirty: false
    }
  };
}

function part(diff: ReturnType<typeof diffEnvironments>, name: string) {
  return diff.parts.find(p => p.part === name) as IEnvPartDiff;
}

describe('diffEnvironments', () => {
  it('lists packages added, removed, upgraded, downgraded and changed, sorted by name', () => {
    const a = workstation();
    const b = workstation();
    b.collected = '2026-03-02T09:00:00.000Z';
    b.packages = {
      black: '24.1', // the same version, spelt shorter
      ipykernel: '6.29.3',
      jax: '0.4.21rc1', // a pre-release: changed, no order guessed
      numpy: '2.0.0',
      pandas: '2.2.1',
      setuptools: '68.2.2',
      torch: '2.1.0+cu121' // same release, another CUDA build
    };
    const d = diffEnvironments(a, b);
    expect(d.packages.status).toBe('changed');
    expect(d.packages.added).toEqual([
      { name: 'pandas', from: null, to: '2.2.1', kind: 'added' }
    ]);
    expect(d.packages.removed).toEqual([
      {
        name: 'scikit-learn',
        from: '1.4.1.post1',
        to: null,
        kind: 'removed'
      }
    ]);
    expect(d.packages.changed.map(c => [c.name, c.kind])).toEqual([
      ['jax', 'changed'],
      ['numpy', 'upgraded'],
      ['setuptools', 'downgraded'],
      ['torch', 'changed']
    ]);
    expect(d.packages.unchanged).toBe(2);
    expect(d.summary).toEqual({
      packagesAdded: 1,
      packagesRemoved: 1,
      packagesChanged: 4,
      partsChanged: 1,
      partsNotCollected: 0,
      same: false
    });
    expect(d.parts.every(p => p.status === 'same')).toBe(true);
    expect(d.collected).toEqual({ a: a.collected, b: b.collected });
  });

  it('says which Python, platform and hardware fields changed', () => {
    const a = workstation();
    const b = workstation();
    b.python = { ...b.python!, version: '3.12.1' };
    b.platform = { ...b.platform!, release: '6.6.13-amd64' };
    b.memory = { totalBytes: null };
    b.gpus = [...b.gpus!, { name: 'NVIDIA GeForce RTX 4090', memoryMB: 24564 }];
    const d = diffEnvironments(a, b);
    expect(part(d, 'python').changes).toEqual([
      { field: 'version', a: '3.11.2', b: '3.12.1' }
    ]);
    expect(part(d, 'platform').changes.map(c => c.field)).toEqual(['release']);
    expect(part(d, 'memory').changes).toEqual([
      { field: 'totalBytes', a: 67_108_864_000, b: null }
    ]);
    expect(part(d, 'gpus').changes).toEqual([
      { field: 'count', a: 1, b: 2 },
      { field: 'GPU 2', a: null, b: 'NVIDIA GeForce RTX 4090 (24564 MB)' }
    ]);
    expect(part(d, 'cpu').status).toBe('same');
    expect(d.summary.partsChanged).toBe(4);
    expect(d.packages.status).toBe('same');
  });

  it('reports a git tree that became dirty, with its diff', () => {
    const a = workstation();
    const b = workstation();
    b.git = { ...b.git!, dirty: true, diff: '+lr = 0.3\n' };
    const d = diffEnvironments(a, b);
    const git = part(d, 'git');
    expect(git.status).toBe('changed');
    expect(git.changes).toEqual([
      { field: 'dirty', a: false, b: true },
      { field: 'diff', a: null, b: '+lr = 0.3\n' }
    ]);
    expect(d.summary.partsChanged).toBe(1);

    const moved = workstation();
    moved.git = { ...moved.git!, commit: 'e'.repeat(40), branch: null };
    expect(
      part(diffEnvironments(a, moved), 'git').changes.map(c => c.field)
    ).toEqual(['commit', 'branch']);
  });

  it('tells a missing environment from an unchanged one', () => {
    const d = diffEnvironments(workstation(), null);
    expect(d.summary.same).toBe(false);
    expect(d.summary.partsNotCollected).toBe(7);
    expect(d.summary.partsChanged).toBe(0);
    for (const p of [...d.parts, d.packages]) {
      expect(p.status).toBe('not-collected');
      expect(p.missing).toBe('b');
      expect(p.reasons).toEqual({ b: 'no environment recorded' });
    }
    expect(d.packages.added).toEqual([]);
    expect(diffEnvironments(null, null).packages.missing).toBe('both');
    expect(diffEnvironments(null, null).collected).toEqual({
      a: null,
      b: null
    });
  });

  it('marks parts that failed to collect as not collected, with the reason', () => {
    const a = workstation();
    const b = workstation();
    delete b.packages;
    delete b.cpu;
    b.errors = [{ part: 'packages', message: 'TimeoutError: took too long' }];
    const d = diffEnvironments(a, b);
    expect(d.packages).toMatchObject({
      status: 'not-collected',
      missing: 'b',
      reasons: { b: 'TimeoutError: took too long' },
      added: [],
      removed: []
    });
    expect(part(d, 'cpu')).toMatchObject({
      status: 'not-collected',
      reasons: { b: 'not collected' }
    });
    expect(d.summary.partsNotCollected).toBe(2);
  });

  it('reads no gpus (no nvidia-smi) as no GPU and git null as no repository', () => {
    const a = workstation();
    const laptop = workstation();
    delete laptop.gpus;
    laptop.git = null;
    const d = diffEnvironments(a, laptop);
    expect(part(d, 'gpus').changes[0]).toEqual({
      field: 'count',
      a: 1,
      b: 0
    });
    expect(part(d, 'git').changes[0]).toEqual({
      field: 'repository',
      a: '/home/ada/proj',
      b: null
    });
    const both = workstation();
    both.git = null;
    expect(part(diffEnvironments(laptop, both), 'git').status).toBe('same');

    const failed = workstation();
    delete failed.gpus;
    failed.errors = [{ part: 'gpus', message: 'TimeoutExpired: nvidia-smi' }];
    expect(part(diffEnvironments(a, failed), 'gpus').status).toBe(
      'not-collected'
    );
  });

  it('is the same for two identical environments', () => {
    const d = diffEnvironments(workstation(), workstation());
    expect(d.summary.same).toBe(true);
    expect(d.packages.unchanged).toBe(7);
  });
});

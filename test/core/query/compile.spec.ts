import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IExperimentSummary } from '../../../src/core/index/summary';
import {
  compileQuery,
  filterExperiments,
  likePattern,
  parseQuery,
  type ICompileOptions
} from '../../../src/core/query';
import { metric, summary } from './fixtures';

/** Whether `query` accepts `s` (dates in UTC unless told). */
function accepts(
  query: string,
  s: IExperimentSummary,
  options: ICompileOptions = { zone: 'utc' }
): boolean {
  const r = parseQuery(query);
  if (!r.ok) {
    throw new Error(r.error.message);
  }
  return compileQuery(r.query, options)(s);
}

/** The names of the summaries `query` accepts. */
function names(query: string, all: IExperimentSummary[]): string[] {
  const r = filterExperiments(all, query, { zone: 'utc' });
  if (r.error) {
    throw new Error(r.error.message);
  }
  return r.matches.map(s => s.name);
}

const runs = [
  summary({
    name: 'a',
    tags: ['baseline'],
    status: 'finished',
    params: { lr: 0.1, model: 'tree' },
    metrics: { rmse: metric(0.8) }
  }),
  summary({
    name: 'b',
    tags: ['sweep'],
    status: 'failed',
    params: { lr: 0.001, model: 'linear' },
    metrics: { rmse: metric(1.2) }
  }),
  summary({
    name: 'c',
    tags: ['sweep', 'best'],
    status: 'finished',
    params: { lr: 0.005, model: 'tree' },
    metrics: { rmse: metric(0.5) }
  }),
  summary({ name: 'd', tags: ['baseline'], status: 'failed', params: {} })
];

describe('compileQuery', () => {
  it('answers the issue example', () => {
    expect(
      names(
        '(params.lr < 0.01 or tags = "baseline") and not status = "failed"',
        runs
      )
    ).toEqual(['a', 'c']);
  });

  it('answers the MLflow-style example', () => {
    expect(names('metrics.rmse < 1 and params.model = "tree"', runs)).toEqual([
      'a',
      'c'
    ]);
  });

  it('applies precedence: not, then and, then or', () => {
    expect(
      names('status = "failed" or tags = "best" and params.lr > 0.01', runs)
    ).toEqual(['b', 'd']);
    expect(
      names('(status = "failed" or tags = "best") and params.lr > 0.001', runs)
    ).toEqual(['c']);
    expect(names('not status = "failed" and tags = "sweep"', runs)).toEqual([
      'c'
    ]);
  });

  it('matches everything with an empty query', () => {
    expect(names('', runs)).toEqual(['a', 'b', 'c', 'd']);
  });

  describe('comparisons', () => {
    const s = summary({
      executions: 10,
      params: { n: 32, s: 'abc', flag: true }
    });

    it('compares numbers with every operator', () => {
      const results = ['=', '==', '!=', '<', '<=', '>', '>='].map(op => [
        accepts(`executions ${op} 9`, s),
        accepts(`executions ${op} 10`, s),
        accepts(`executions ${op} 11`, s)
      ]);
      expect(results).toEqual([
        [false, true, false],
        [false, true, false],
        [true, false, true],
        [false, false, true],
        [false, true, true],
        [true, false, false],
        [true, true, false]
      ]);
    });

    it('compares strings lexically and exactly', () => {
      expect(accepts('params.s = "abc"', s)).toBe(true);
      expect(accepts('params.s = "ABC"', s)).toBe(false);
      expect(accepts('params.s < "abd"', s)).toBe(true);
      expect(accepts('params.s > "ab"', s)).toBe(true);
      expect(accepts('params.s >= "b"', s)).toBe(false);
    });

    it('compares booleans', () => {
      expect(accepts('params.flag = true', s)).toBe(true);
      expect(accepts('params.flag != true', s)).toBe(false);
      expect(accepts('params.flag = false', s)).toBe(false);
      expect(accepts('starred = false', s)).toBe(true);
      expect(accepts('starred', summary({ starred: true }))).toBe(true);
      expect(accepts('not archived', s)).toBe(true);
    });

    it('compares a number with a string that reads as a number, both ways', () => {
      const t = summary({ params: { lr: '0.01', batch: 32, name: 'x1' } });
      expect(accepts('params.lr < 0.1', t)).toBe(true);
      expect(accepts('params.lr = 1e-2', t)).toBe(true);
      expect(accepts('params.batch = "32"', t)).toBe(true);
      expect(accepts('params.batch > "4"', t)).toBe(true);
      expect(accepts('params.name > 0', t)).toBe(false);
      expect(accepts('params.name != 0', t)).toBe(true);
    });

    it('compares a param kept as source text by that text', () => {
      const t = summary({
        params: { lr: { source: '1e-3 * scale' }, n: { source: '64' } }
      });
      expect(accepts('params.lr = "1e-3 * scale"', t)).toBe(true);
      expect(accepts('params.lr ~ "scale"', t)).toBe(true);
      expect(accepts('params.n = 64', t)).toBe(true);
      expect(accepts('params.lr < 1', t)).toBe(false);
    });

    it('compares lists and objects as their JSON text, and reads nested keys', () => {
      const t = summary({
        params: { layers: [64, 32], opt: { name: 'adam', lr: 0.001 } }
      });
      expect(accepts('params.layers = "[64,32]"', t)).toBe(true);
      expect(accepts('params.layers ~ "64"', t)).toBe(true);
      expect(
        accepts('params.opt.name = "adam" and params.opt.lr < 0.01', t)
      ).toBe(true);
      expect(accepts('params.opt.missing = 1', t)).toBe(false);
      expect(accepts('params.layers."0" = 64', t)).toBe(true);
    });
  });

  describe('missing values', () => {
    const s = summary({
      params: { x: null },
      metrics: { nan: metric(null) },
      duration: null,
      ended: null
    });

    it('makes every comparison false', () => {
      for (const q of [
        'params.lr < 1',
        'params.lr > 1',
        'params.lr = 1',
        'params.lr != 1',
        'params.lr in (1, 2)',
        'params.lr not in (1, 2)',
        'params.lr ~ "1"',
        'params.lr !~ "1"',
        'params.lr like "%"',
        'params.lr not like "%"',
        'metrics.loss < 1',
        'metrics.loss != 1',
        'metrics.loss.count >= 0',
        'metrics.nan < 1',
        'metrics.nan != 1',
        'params.x != 1',
        'duration < 1h',
        'ended < 2030-01-01',
        'ended ~ "2026"'
      ]) {
        expect([q, accepts(q, s)]).toEqual([q, false]);
      }
    });

    it('is what = null finds and != null leaves out', () => {
      expect(accepts('params.lr = null', s)).toBe(true);
      expect(accepts('params.x = null', s)).toBe(true);
      expect(accepts('params.x != null', s)).toBe(false);
      expect(accepts('metrics.nan = null', s)).toBe(true);
      expect(accepts('metrics.loss = null', s)).toBe(true);
      expect(accepts('duration = null and ended = null', s)).toBe(true);
      expect(accepts('params.lr in (1, null)', s)).toBe(true);
      expect(accepts('executions != null', s)).toBe(true);
    });

    it('is found by not around the comparison', () => {
      expect(accepts('not params.lr = 1', s)).toBe(true);
    });

    it('never throws on a summary with broken fields', () => {
      const broken = {
        ...summary(),
        params: undefined,
        metrics: null,
        tags: 'x',
        links: undefined,
        started: 42,
        name: undefined
      } as unknown as IExperimentSummary;
      for (const q of [
        'params.lr = 1',
        'params.lr',
        'metrics.loss < 1',
        'metrics.loss',
        'tags = "x"',
        'tags',
        'started > 2020-01-01',
        'started ~ "4"',
        'name ~ "a"',
        'name not in ("a")',
        'name'
      ]) {
        expect([q, accepts(q, broken)]).toEqual([q, false]);
      }
      // What is intact still matches.
      expect(accepts('project = "p" and executions = 10', broken)).toBe(true);
    });

    it('does not reach into object prototypes', () => {
      const t = summary();
      expect(accepts('params.constructor', t)).toBe(false);
      expect(accepts('params.__proto__ = null', t)).toBe(true);
      expect(accepts('metrics.toString', t)).toBe(false);
      expect(accepts('metrics.hasOwnProperty.count > 0', t)).toBe(false);
    });
  });

  describe('tags and project', () => {
    const s = summary({
      tags: ['baseline', 'GPU'],
      project: 'vision',
      links: ['shared', 'demo']
    });

    it('tests tag membership', () => {
      expect(accepts('tags = "baseline"', s)).toBe(true);
      expect(accepts('tags = "base"', s)).toBe(false);
      expect(accepts('tags != "sweep"', s)).toBe(true);
      expect(accepts('tags != "GPU"', s)).toBe(false);
      expect(accepts('tags in ("x", "GPU")', s)).toBe(true);
      expect(accepts('tags not in ("x", "GPU")', s)).toBe(false);
      expect(accepts('tags not in ("x", "y")', s)).toBe(true);
      expect(accepts('tags ~ "BASE"', s)).toBe(true);
      expect(accepts('tags !~ "gpu"', s)).toBe(false);
      expect(accepts('tags like "g_u"', s)).toBe(true);
      expect(accepts('tags', s)).toBe(true);
      expect(accepts('tags', summary())).toBe(false);
      expect(accepts('tags != "x"', summary())).toBe(true);
    });

    it('matches the project or any of its links', () => {
      expect(accepts('project = "vision"', s)).toBe(true);
      expect(accepts('project = "demo"', s)).toBe(true);
      expect(accepts('project = "nlp"', s)).toBe(false);
      expect(accepts('project != "demo"', s)).toBe(false);
      expect(accepts('project in ("nlp", "shared")', s)).toBe(true);
      expect(accepts('project ~ "sha"', s)).toBe(true);
    });
  });

  describe('like and ~', () => {
    const s = summary({
      name: 'ResNet-50 run_2 100%',
      notes: 'Tried <b>bigger</b> batch; "quoted" — ünïcödé 😀'
    });

    it('uses SQL wildcards, case-insensitively, over the whole text', () => {
      expect(accepts('name like "resnet%"', s)).toBe(true);
      expect(accepts('name like "resnet"', s)).toBe(false);
      expect(accepts('name like "%run__%"', s)).toBe(true);
      expect(accepts('name like "%run\\\\_2%"', s)).toBe(true);
      expect(accepts('name like "%100\\\\%"', s)).toBe(true);
      expect(accepts('name like "%.%"', s)).toBe(false);
      expect(accepts('name not like "x%"', s)).toBe(true);
      expect(accepts('notes like "%😀"', s)).toBe(true);
      expect(accepts('notes like "%_"', s)).toBe(true);
    });

    it('finds substrings case-insensitively, HTML and Unicode as text', () => {
      expect(accepts('name ~ "RESNET"', s)).toBe(true);
      expect(accepts('notes ~ "<b>bigger</b>"', s)).toBe(true);
      expect(accepts('notes ~ "\\"quoted\\""', s)).toBe(true);
      expect(accepts('notes ~ "ÜNÏ"', s)).toBe(true);
      expect(accepts('notes ~ "\\u00fcn"', s)).toBe(true);
      expect(accepts('name !~ "resnet"', s)).toBe(false);
    });

    it('matches /regex/ case-insensitively', () => {
      expect(accepts('name ~ /^resnet-\\d+/', s)).toBe(true);
      expect(accepts('name ~ /^run/', s)).toBe(false);
      expect(accepts('name !~ /^run/', s)).toBe(true);
    });

    it('reads like patterns literally apart from % and _', () => {
      expect(likePattern('a.b(c)*[d]$^').test('a.b(c)*[d]$^')).toBe(true);
      expect(likePattern('a.b').test('axb')).toBe(false);
    });
  });

  describe('status, text fields and numbers', () => {
    it('matches status, id, notebook, kernel and executions', () => {
      const s = summary({
        id: '20261101T100000000Z-abcdef',
        notebook: 'exp/train.ipynb',
        kernel: 'python3',
        executions: 7,
        status: 'interrupted'
      });
      expect(accepts('status in ("failed", "interrupted")', s)).toBe(true);
      expect(accepts('status != "finished"', s)).toBe(true);
      expect(accepts('id like "20261101%"', s)).toBe(true);
      expect(accepts('notebook ~ "train"', s)).toBe(true);
      expect(accepts('kernel = "python3"', s)).toBe(true);
      expect(accepts('executions in (6, 7)', s)).toBe(true);
      expect(accepts('executions not in (6, 7)', s)).toBe(false);
      expect(accepts('name < "s"', summary({ name: 'run' }))).toBe(true);
    });

    it('reads metric aggregates', () => {
      const s = summary({
        metrics: {
          loss: { last: 0.3, min: 0.2, max: 2, step: 99, count: 100 }
        }
      });
      expect(accepts('metrics.loss = 0.3', s)).toBe(true);
      expect(accepts('metrics.loss.last = 0.3', s)).toBe(true);
      expect(accepts('metrics.loss.min = 0.2', s)).toBe(true);
      expect(accepts('metrics.loss.max >= 2', s)).toBe(true);
      expect(accepts('metrics.loss.count = 100', s)).toBe(true);
      expect(accepts('metrics.loss.step > 98', s)).toBe(true);
      expect(accepts('metrics.loss and not metrics.acc', s)).toBe(true);
    });

    it('compares durations with unit suffixes', () => {
      const s = summary({ duration: 330_000 }); // 5 min 30 s
      expect(accepts('duration > 5m', s)).toBe(true);
      expect(accepts('duration < 6m', s)).toBe(true);
      expect(accepts('duration = 5m30s', s)).toBe(true);
      expect(accepts('duration > 330s', s)).toBe(false);
      expect(accepts('duration >= 330000', s)).toBe(true);
      expect(accepts('duration > 1h or duration < 10s', s)).toBe(false);
    });
  });

  describe('dates', () => {
    const s = summary({
      started: '2026-11-01T10:30:15.500Z',
      ended: '2026-11-02T00:00:00.000Z'
    });

    it('treats a day as the whole day', () => {
      expect(accepts('started = 2026-11-01', s)).toBe(true);
      expect(accepts('started > 2026-11-01', s)).toBe(false);
      expect(accepts('started >= 2026-11-01', s)).toBe(true);
      expect(accepts('started < 2026-11-01', s)).toBe(false);
      expect(accepts('started <= 2026-11-01', s)).toBe(true);
      expect(accepts('started > 2026-10-31', s)).toBe(true);
      expect(accepts('started < 2026-11-02', s)).toBe(true);
      expect(accepts('ended = 2026-11-02 and ended > 2026-11-01', s)).toBe(
        true
      );
      expect(accepts('started != 2026-11-01', s)).toBe(false);
      expect(accepts('started in (2026-10-01, 2026-11-01)', s)).toBe(true);
    });

    it('treats a time as its minute, second or millisecond', () => {
      expect(accepts('started = 2026-11-01T10:30', s)).toBe(true);
      expect(accepts('started = 2026-11-01T10:30:15', s)).toBe(true);
      expect(accepts('started = 2026-11-01T10:30:15.500Z', s)).toBe(true);
      expect(accepts('started > 2026-11-01T10:30:15.499Z', s)).toBe(true);
      expect(accepts('started > 2026-11-01T10:29', s)).toBe(true);
      expect(accepts('started > 2026-11-01T10:30', s)).toBe(false);
    });

    it('honours a zone written in the date', () => {
      expect(accepts('started = 2026-11-01T12:30+02:00', s)).toBe(true);
      expect(accepts('started = 2026-11-01T05:30-05:00', s)).toBe(true);
      expect(
        accepts('started = 2026-11-01T12:30+02:00', s, { zone: 'local' })
      ).toBe(true);
    });

    it('places dates without a zone in local time by default', () => {
      const localNoon = new Date(2026, 10, 1, 12, 0, 0).toISOString();
      const t = summary({ started: localNoon });
      expect(accepts('started = 2026-11-01', t, {})).toBe(true);
      expect(accepts('started = 2026-11-01T12:00', t, {})).toBe(true);
      expect(accepts('started < 2026-11-01', t, {})).toBe(false);
    });

    it('accepts dates in quotes and matches the ISO text with ~', () => {
      expect(accepts('started > "2026-10-31"', s)).toBe(true);
      expect(accepts('started ~ "2026-11"', s)).toBe(true);
      expect(accepts('started like "2026-11-01T10%"', s)).toBe(true);
    });

    it('compares a param holding a date', () => {
      const t = summary({ params: { cutoff: '2026-06-15', n: 5 } });
      expect(accepts('params.cutoff = 2026-06-15', t)).toBe(true);
      expect(accepts('params.cutoff < 2026-07-01', t)).toBe(true);
      expect(accepts('params.n < 2026-07-01', t)).toBe(false);
    });
  });

  describe('bare fields', () => {
    it('are true when the value is set and not empty, zero or false', () => {
      const s = summary({
        params: { a: 0, b: 1, c: '', d: [], e: {}, f: 'x', g: false, h: null },
        executions: 0,
        notes: 'n'
      });
      const truthy = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'missing'].filter(
        k => accepts(`params.${k}`, s)
      );
      expect(truthy).toEqual(['b', 'f']);
      expect(accepts('executions', s)).toBe(false);
      expect(accepts('notes', s)).toBe(true);
      expect(accepts('duration', s)).toBe(true);
      expect(accepts('ended', summary({ ended: null }))).toBe(false);
    });
  });
});

describe('filterExperiments', () => {
  it('returns the error and no matches for a bad query', () => {
    const r = filterExperiments(runs, 'params.lr <');
    expect(r.matches).toEqual([]);
    expect(r.error).toMatchObject({ from: 10, to: 11 });
  });

  it('keeps the order of the summaries', () => {
    expect(names('status = "failed" or tags = "baseline"', runs)).toEqual([
      'a',
      'b',
      'd'
    ]);
  });
});

describe('compiled queries (generated)', () => {
  const predicates = fc.constantFrom(
    'params.lr < 0.01',
    'params.lr != 0.1',
    'params.model = "tree"',
    'params.model not in ("tree", "x")',
    'params.missing = null',
    'params.lr',
    'metrics.rmse <= 1',
    'metrics.rmse.count > 5',
    'metrics.rmse',
    'tags = "baseline"',
    'tags !~ "SWE"',
    'tags like "b%"',
    'status in ("failed", "running")',
    'name ~ /^[ab]$/',
    'started >= 2026-11-01',
    'duration > 4m',
    'starred',
    'not archived'
  );
  const queries = fc.letrec<{ q: string }>(tie => ({
    q: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      predicates,
      fc
        .tuple(tie('q'), fc.constantFrom(' and ', ' or '), tie('q'))
        .map(([a, op, b]) => `${a}${op}${b}`),
      tie('q').map(q => `(${q})`),
      tie('q').map(q => `not ${q}`)
    )
  })).q;
  const run = (q: string, s: IExperimentSummary) => {
    const r = parseQuery(q);
    if (!r.ok) {
      throw new Error(`${q}: ${r.error.message}`);
    }
    return compileQuery(r.query, { zone: 'utc' })(s);
  };

  it('parse; not (q) is the complement of q; and/or follow their operands', () => {
    fc.assert(
      fc.property(queries, queries, fc.constantFrom(...runs), (a, b, s) => {
        const x = run(a, s);
        const y = run(b, s);
        expect(run(`not (${a})`, s)).toBe(!x);
        expect(run(`(${a}) and (${b})`, s)).toBe(x && y);
        expect(run(`(${a}) or (${b})`, s)).toBe(x || y);
      }),
      { numRuns: 500 }
    );
  });
});

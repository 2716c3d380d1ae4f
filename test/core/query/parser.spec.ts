import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldRef, Literal, QueryNode } from '../../../src/core/query';
import { metric, summary } from './fixtures';
import {
  compileQuery,
  MAX_QUERY_DEPTH,
  parseField,
  parseQuery
} from '../../../src/core/query';

const rich = summary({
  tags: ['x'],
  params: { lr: 0.1, x: 'y', n: null, o: { a: [1] }, s: { source: '1 *' } },
  metrics: { lr: metric(1), x: metric(null) }
});

/** A query's tree in prefix form, to check grouping. */
function show(text: string): string {
  const r = parseQuery(text);
  if (!r.ok) {
    throw new Error(r.error.message);
  }
  return r.query.root ? node(r.query.root) : '(all)';
}

function field(f: FieldRef): string {
  return f.kind === 'simple'
    ? f.name
    : f.kind === 'param'
      ? `params${f.path.map(p => `[${p}]`).join('')}`
      : `metrics[${f.name}].${f.aggregate}`;
}

function literal(l: Literal): string {
  switch (l.kind) {
    case 'null':
      return 'null';
    case 'regex':
      return `/${l.source}/${l.flags}`;
    case 'date':
      return `date(${l.value.year}-${l.value.month}-${l.value.day})`;
    default:
      return JSON.stringify(l.value);
  }
}

function node(n: QueryNode): string {
  switch (n.kind) {
    case 'and':
    case 'or':
      return `(${n.kind} ${node(n.left)} ${node(n.right)})`;
    case 'not':
      return `(not ${node(n.operand)})`;
    case 'truthy':
      return field(n.field);
    case 'compare':
      return `(${n.op} ${field(n.field)} ${literal(n.value)})`;
    case 'in':
      return `(${n.negated ? 'not in' : 'in'} ${field(n.field)} ${n.values.map(literal).join(' ')})`;
    case 'match':
      return `(${n.negated ? 'not ' : ''}${n.op} ${field(n.field)} ${literal(n.pattern)})`;
  }
}

function error(text: string) {
  const r = parseQuery(text);
  if (r.ok) {
    throw new Error(`expected an error for ${text}`);
  }
  return r.error;
}

describe('parseQuery', () => {
  it('parses the issue example with the right grouping', () => {
    expect(
      show('(params.lr < 0.01 or tags = "baseline") and not status = "failed"')
    ).toBe(
      '(and (or (< params[lr] 0.01) (= tags "baseline")) (not (= status "failed")))'
    );
  });

  it('parses the MLflow-style example', () => {
    expect(show('metrics.rmse < 1 and params.model = "tree"')).toBe(
      '(and (< metrics[rmse].last 1) (= params[model] "tree"))'
    );
  });

  it('binds not tighter than and, and tighter than or', () => {
    expect(show('starred or archived and not starred')).toBe(
      '(or starred (and archived (not starred)))'
    );
    expect(show('not starred and archived')).toBe(
      '(and (not starred) archived)'
    );
    expect(show('starred and archived or starred and archived')).toBe(
      '(or (and starred archived) (and starred archived))'
    );
    expect(show('(starred or archived) and starred')).toBe(
      '(and (or starred archived) starred)'
    );
    expect(show('not not starred')).toBe('(not (not starred))');
  });

  it('groups and/or from the left', () => {
    expect(show('starred or archived or starred')).toBe(
      '(or (or starred archived) starred)'
    );
  });

  it('reads keywords, field names and aggregates in any case', () => {
    expect(
      show(
        'NOT Starred AND tags NOT IN ("a") Or STATUS LIKE "f%" and metrics.loss.MIN < 1'
      )
    ).toBe(
      '(or (and (not starred) (not in tags "a")) (and (like status "f%") (< metrics[loss].min 1)))'
    );
    expect(show('starred = TRUE and params.x = Null')).toBe(
      '(and (= starred true) (= params[x] null))'
    );
  });

  it('reads every operator', () => {
    expect(
      [
        'executions = 1',
        'executions == 1',
        'executions != 1',
        'executions < 1',
        'executions <= 1',
        'executions > 1',
        'executions >= 1',
        'name in ("a", "b",)',
        'name not in ("a")',
        'name like "a%"',
        'name not like "a_"',
        'name ~ "a"',
        'name !~ /^a$/'
      ].map(show)
    ).toEqual([
      '(= executions 1)',
      '(= executions 1)',
      '(!= executions 1)',
      '(< executions 1)',
      '(<= executions 1)',
      '(> executions 1)',
      '(>= executions 1)',
      '(in name "a" "b")',
      '(not in name "a")',
      '(like name "a%")',
      '(not like name "a_")',
      '(~ name "a")',
      '(not ~ name /^a$/)'
    ]);
  });

  it('reads quoted and nested param names and metric aggregates', () => {
    expect(show(`params."learning rate" > 0`)).toBe(
      '(> params[learning rate] 0)'
    );
    expect(show(`params.'a.b' = 1 and params.opt.lr = 2`)).toBe(
      '(and (= params[a.b] 1) (= params[opt][lr] 2))'
    );
    expect(show('params.and = 1')).toBe('(= params[and] 1)');
    expect(show(`metrics."val/acc".max >= 0.9`)).toBe(
      '(>= metrics[val/acc].max 0.9)'
    );
    expect(
      ['last', 'min', 'max', 'count', 'step'].map(a =>
        show(`metrics.loss.${a} > 0`)
      )
    ).toEqual([
      '(> metrics[loss].last 0)',
      '(> metrics[loss].min 0)',
      '(> metrics[loss].max 0)',
      '(> metrics[loss].count 0)',
      '(> metrics[loss].step 0)'
    ]);
  });

  it('keeps names with HTML and Unicode as they are', () => {
    expect(
      show(`params."<b>x</b>" = "<script>" and params.température = 1`)
    ).toBe('(and (= params[<b>x</b>] "<script>") (= params[température] 1))');
  });

  it('takes a bare field as a truthy check', () => {
    expect(show('starred')).toBe('starred');
    expect(show('params.use_amp and metrics.loss')).toBe(
      '(and params[use_amp] metrics[loss].last)'
    );
  });

  it('turns a date in quotes into a date for started and ended', () => {
    expect(show('started >= "2026-11-01" and ended < 2026-12-01')).toBe(
      '(and (>= started date(2026-11-1)) (< ended date(2026-12-1)))'
    );
  });

  it('gives ranges for nodes, fields and values', () => {
    const r = parseQuery('  (metrics.loss.min < -1.5)');
    expect(r.ok).toBe(true);
    if (r.ok && r.query.root?.kind === 'compare') {
      const n = r.query.root;
      expect([n.from, n.to]).toEqual([2, 27]);
      expect([n.field.from, n.field.to]).toEqual([3, 19]);
      expect([n.value.from, n.value.to]).toEqual([22, 26]);
    } else {
      expect.fail('not a comparison');
    }
  });

  it('accepts an empty or blank query, which has no tree', () => {
    expect(parseQuery('')).toEqual({
      ok: true,
      query: { text: '', root: null }
    });
    expect(parseQuery('  \n\t ')).toMatchObject({
      ok: true,
      query: { root: null }
    });
  });
});

describe('parseQuery errors', () => {
  it('says what value is missing and where', () => {
    expect(error('params.lr < ')).toEqual({
      message: "Expected a value after '<' at 10",
      from: 10,
      to: 11
    });
    expect(error('params.lr <= and starred')).toMatchObject({
      message: "Expected a value after '<=', found 'and' at 13",
      from: 13,
      to: 16
    });
  });

  it('suggests the field prefix for a typo, with a replacement', () => {
    expect(error('starred and parms.lr < 1')).toEqual({
      message: "Unknown field prefix 'parms' at 12: did you mean 'params'?",
      from: 12,
      to: 17,
      suggestion: 'params'
    });
    expect(error('metric.loss < 1')).toMatchObject({ suggestion: 'metrics' });
  });

  it('suggests close field names and says how to name params and metrics', () => {
    expect(error('stauts = "failed"')).toMatchObject({
      message: "Unknown field 'stauts' at 0: did you mean 'status'?",
      suggestion: 'status'
    });
    expect(error('tag = "a"')).toMatchObject({ suggestion: 'tags' });
    expect(error('lr < 0.1')).toEqual({
      message:
        "Unknown field 'lr' at 0: for a parameter or metric write params.lr or metrics.lr",
      from: 0,
      to: 2
    });
  });

  it('suggests a metric aggregate', () => {
    expect(error('metrics.loss.mni < 1')).toMatchObject({
      from: 13,
      to: 16,
      suggestion: 'min'
    });
    expect(error('metrics.val.acc < 1').message).toBe(
      `Expected min, max, last, count or step after 'metrics.val.' at 12: quote metric names that contain dots: metrics."a.b"`
    );
  });

  it('refuses a name-less params or metrics', () => {
    expect(error('params < 1').message).toMatch(
      /^Expected '\.' and a parameter name after 'params' at 0/
    );
    expect(error('metrics. < 1')).toMatchObject({ from: 9, to: 10 });
    expect(error(`params."" = 1`).message).toMatch(/^Empty parameter name/);
  });

  it('asks for quotes around a bare word value, offering them', () => {
    expect(error('status = failed')).toEqual({
      message: `Expected a value after '=' at 9: put text in quotes: "failed"`,
      from: 9,
      to: 15,
      suggestion: '"failed"'
    });
  });

  it('refuses comparing two fields', () => {
    expect(error('metrics.a < metrics.b').message).toMatch(
      /not another field$/
    );
  });

  it('checks statuses, suggesting the close one', () => {
    expect(error('status = "Failed"')).toMatchObject({
      message: "Unknown status 'Failed' at 9: did you mean 'failed'?",
      suggestion: '"failed"'
    });
    expect(error('status in ("finished", "done")').message).toMatch(
      /^Unknown status 'done' at 23/
    );
  });

  it('checks that operators fit the field', () => {
    expect(error('starred < true')).toMatchObject({
      message: "'starred' does not support < at 8: use = and !=",
      from: 8,
      to: 9
    });
    expect(error('tags > "a"').message).toMatch(/'tags' does not support >/);
    expect(error('metrics.loss ~ "1"').message).toMatch(
      /does not support ~ at 13/
    );
    expect(error('status < "failed"').message).toMatch(/does not support </);
  });

  it('checks that values fit the field', () => {
    expect(error('name = 5')).toMatchObject({
      message: "'name' = needs a string in quotes, not 5 at 7",
      from: 7,
      to: 8
    });
    expect(error('duration > "5m"').message).toMatch(/needs a number/);
    expect(error('starred = "yes"').message).toMatch(/needs true or false/);
    expect(error('metrics.loss < "a"').message).toMatch(/needs a number/);
    expect(error('started > 5').message).toMatch(/needs a date/);
    expect(error('started > "last week"')).toMatchObject({
      from: 10,
      to: 21,
      message: expect.stringMatching(/^'last week' is not a date at 10: /)
    });
    expect(error('tags = null').message).toMatch(/needs a string/);
  });

  it('allows null and booleans only with = and !=', () => {
    expect(error('params.x < null').message).toBe(
      'null can only be compared with = or != at 11'
    );
    expect(error('params.x >= true').message).toMatch(/^true can only/);
  });

  it('checks match patterns', () => {
    expect(error('name like /a/').message).toMatch(
      /^Expected a string after 'like' at 10: use ~ for a regular expression/
    );
    expect(error('name ~ 5').message).toMatch(
      /^Expected a string or \/regex\/ after '~'/
    );
  });

  it('checks lists', () => {
    expect(error('name in "a"').message).toMatch(
      /^Expected '\(' after 'in' at 8/
    );
    expect(error('name in ()').message).toBe(
      'Expected a value in the list at 9'
    );
    expect(error('name in ("a" "b")').message).toMatch(
      /^Expected ',' or '\)' in the list, found '"b"' at 13/
    );
    expect(error('name in ("a", ').message).toMatch(
      /^Missing '\)' for this list at 8/
    );
    expect(error('name in (/a/)').message).toMatch(
      /^A \/regex\/ cannot be in a list/
    );
  });

  it('reports unbalanced parentheses', () => {
    expect(error('(starred or archived')).toEqual({
      message: "Missing ')' for this '(' at 0",
      from: 0,
      to: 1
    });
    expect(error('starred)')).toMatchObject({ message: "Unmatched ')' at 7" });
    expect(error('()').message).toBe("Expected a condition after '(' at 1");
  });

  it('reports dangling and misplaced keywords', () => {
    expect(error('starred and')).toMatchObject({ from: 8, to: 11 });
    expect(error('starred or or archived')).toMatchObject({ from: 11, to: 13 });
    expect(error('not')).toMatchObject({ from: 0, to: 3 });
    expect(error('and starred').message).toMatch(
      /^Expected a field, 'not' or '\(', found 'and' at 0/
    );
    expect(error('name not = "a"').message).toMatch(
      /^Expected 'in' or 'like' after 'not' at 9/
    );
    expect(error('starred archived').message).toBe(
      "Unexpected 'archived' at 8: expected 'and', 'or' or the end"
    );
    expect(error('name "a"').message).toMatch(
      /^Expected an operator after 'name', found '"a"' at 5/
    );
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    const deep =
      '('.repeat(MAX_QUERY_DEPTH + 1) +
      'starred' +
      ')'.repeat(MAX_QUERY_DEPTH + 1);
    expect(error(deep).message).toMatch(/nested too deeply/);
    expect(error('not '.repeat(50_000) + 'starred').message).toMatch(
      /nested too deeply/
    );
    const ok =
      '('.repeat(MAX_QUERY_DEPTH) + 'starred' + ')'.repeat(MAX_QUERY_DEPTH);
    expect(parseQuery(ok).ok).toBe(true);
  });

  it('handles long chains of and without recursion', () => {
    const long = Array.from({ length: 20_000 }, () => 'starred').join(' and ');
    expect(parseQuery(long).ok).toBe(true);
  });

  it('never throws, and errors lie within the text', () => {
    const pieces = fc.constantFrom(
      'params',
      'metrics',
      '.',
      'lr',
      '"x"',
      "'y",
      '(',
      ')',
      ' and ',
      ' or ',
      'not ',
      ' in ',
      'like',
      '~',
      '!~',
      '<',
      '<=',
      '=',
      '!=',
      '1',
      '-2.5e3',
      '5m',
      '2026-11-01',
      'T10:00Z',
      'tags',
      'status',
      'started',
      ',',
      ' ',
      '/a/',
      '\\',
      'null',
      'true',
      '€',
      '😀'
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(pieces, { maxLength: 12 }).map(a => a.join(''))
        ),
        text => {
          const r = parseQuery(text);
          if (r.ok) {
            // What parses also compiles and runs, on full and empty summaries.
            const accept = compileQuery(r.query);
            expect(typeof accept(rich)).toBe('boolean');
            expect(typeof accept(summary())).toBe('boolean');
          } else {
            expect(r.error.from).toBeGreaterThanOrEqual(0);
            expect(r.error.to).toBeGreaterThanOrEqual(r.error.from);
            expect(r.error.to).toBeLessThanOrEqual(text.length);
            expect(r.error.message).toMatch(/ at \d+/);
          }
        }
      ),
      { numRuns: Number(process.env.QUERY_FUZZ_RUNS ?? 3000) }
    );
  });

  it('refuses something that is not text', () => {
    expect(parseQuery(undefined as unknown as string).ok).toBe(false);
  });
});

describe('parseField', () => {
  it('reads a field key as a column names it', () => {
    expect(parseField('metrics.val_acc')).toMatchObject({
      ok: true,
      field: { kind: 'metric', name: 'val_acc', aggregate: 'last' }
    });
    expect(parseField('params."odd name"')).toMatchObject({
      ok: true,
      field: { kind: 'param', path: ['odd name'] }
    });
    expect(parseField('Started')).toMatchObject({
      ok: true,
      field: { kind: 'simple', name: 'started' }
    });
  });

  it('refuses anything more than a field', () => {
    expect(parseField('')).toMatchObject({ ok: false });
    expect(parseField('starred = true')).toMatchObject({ ok: false });
    expect(parseField('parms.lr')).toMatchObject({
      ok: false,
      error: { suggestion: 'params' }
    });
  });
});

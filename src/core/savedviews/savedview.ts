/**
 * A saved view (Comet's views): a query over the experiments plus how the
 * runs table shows them. Kept in the store (`views/<id>.json`) so every
 * tab and every user of the store finds it.
 */

export interface ISavedView {
  /** Path-safe id (letters, digits, `_`, `-`). */
  id: string;
  name: string;
  /** Query text (docs/query-language.md); '' for all experiments. */
  query: string;
  /** Column keys as `fieldValue` reads them, e.g. `params.lr`, `metrics.loss.min`. */
  columns: string[];
  sort: { key: string; descending: boolean } | null;
  /** A column key to group rows by (a param or `tags`), or null. */
  groupBy: string | null;
  /** Metric names charted above the table. */
  charts: string[];
  /** Whether archived experiments are included. */
  showArchived: boolean;
  /** ISO times. */
  created: string;
  updated: string;
}

/** Check a view read from disk; returns problems (empty when valid). */
export function savedViewProblems(v: any): string[] {
  const problems: string[] = [];
  if (!v || typeof v !== 'object') {
    return ['not an object'];
  }
  const str = (k: string) => {
    if (typeof v[k] !== 'string') {
      problems.push(`${k} is not a string`);
    }
  };
  ['id', 'name', 'query', 'created', 'updated'].forEach(str);
  const strList = (k: string) => {
    if (
      !Array.isArray(v[k]) ||
      v[k].some((x: unknown) => typeof x !== 'string')
    ) {
      problems.push(`${k} is not a list of strings`);
    }
  };
  strList('columns');
  strList('charts');
  if (
    v.sort !== null &&
    !(
      v.sort &&
      typeof v.sort.key === 'string' &&
      typeof v.sort.descending === 'boolean'
    )
  ) {
    problems.push('sort is not {key, descending} or null');
  }
  if (v.groupBy !== null && typeof v.groupBy !== 'string') {
    problems.push('groupBy is not a string or null');
  }
  if (typeof v.showArchived !== 'boolean') {
    problems.push('showArchived is not a boolean');
  }
  return problems;
}

/** A new view id: time-sortable and random. */
export function newViewId(now = new Date(), rand = Math.random): string {
  const r = Math.floor(rand() * 36 ** 6)
    .toString(36)
    .padStart(6, '0');
  return `v${now.getTime().toString(36)}-${r}`;
}

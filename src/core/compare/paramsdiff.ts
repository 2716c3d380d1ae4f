/**
 * The params and metrics tables of a comparison: one column per
 * experiment (in the order given), one row per name any of them has, and
 * whether the row differs across them.
 *
 * Works on anything with an id, params and metric summaries: the index's
 * `IExperimentSummary` or a folded `IExperiment`.
 */
import type { IMetricSummary, IParamSource, ParamValue } from '../model';
import { compareNames } from './order';
import {
  IDisplayOptions,
  ParamCellValue,
  displayParam,
  isParamSource,
  paramEquals
} from './paramvalue';

/** What the tables read of an experiment. */
export interface ICompared {
  id: string;
  params?: { [name: string]: ParamValue | IParamSource };
  metrics?: { [name: string]: IMetricSummary };
}

/** Options of the tables. */
export interface ITableOptions extends IDisplayOptions {
  /** Rows that differ first (each group still sorted by name). Default false. */
  differingFirst?: boolean;
}

/** One experiment's value of one parameter. */
export interface IParamCell {
  /** False when the experiment has no such parameter. */
  present: boolean;
  value?: ParamCellValue;
  /** `displayParam(value)`; `''` when missing. Plain text, never markup. */
  display: string;
  /** The value is a parameter kept as source code (show it as code). */
  isSource: boolean;
}

export interface IParamRow {
  name: string;
  /** One per experiment, in the order of `ids`. */
  cells: IParamCell[];
  /** Some experiment's value differs, or is missing where another has one. */
  differs: boolean;
}

export interface IParamsTable {
  /** The experiments' ids: the columns. */
  ids: string[];
  rows: IParamRow[];
  /** Rows that differ. */
  differing: number;
}

export interface IMetricRow {
  name: string;
  /** One per experiment: its summary, or null when it did not log the metric. */
  cells: (IMetricSummary | null)[];
  /** Which of last, min and max differ (a missing metric differs in all three). */
  differsBy: { last: boolean; min: boolean; max: boolean };
  differs: boolean;
}

export interface IMetricsTable {
  ids: string[];
  rows: IMetricRow[];
  differing: number;
}

/** The parameters of `experiments` side by side. */
export function paramsTable(
  experiments: readonly ICompared[],
  options: ITableOptions = {}
): IParamsTable {
  const names = Private.names(experiments.map(e => e.params));
  const rows = names.map(name => {
    const cells: IParamCell[] = experiments.map(e => {
      const params = e.params;
      const present =
        !!params && Object.prototype.hasOwnProperty.call(params, name);
      const value = present ? params[name] : undefined;
      return {
        present,
        ...(present ? { value } : {}),
        display: present ? displayParam(value, options) : '',
        isSource: present && isParamSource(value)
      };
    });
    const first = cells[0];
    const differs = cells.some(
      c =>
        c.present !== first.present ||
        (c.present && !paramEquals(c.value, first.value))
    );
    return { name, cells, differs };
  });
  return Private.table(experiments, rows, options);
}

/** The metric summaries (last, min, max) of `experiments` side by side. */
export function metricsTable(
  experiments: readonly ICompared[],
  options: ITableOptions = {}
): IMetricsTable {
  const names = Private.names(experiments.map(e => e.metrics));
  const rows = names.map(name => {
    const cells = experiments.map(e =>
      e.metrics && Object.prototype.hasOwnProperty.call(e.metrics, name)
        ? e.metrics[name]
        : null
    );
    const by = (stat: 'last' | 'min' | 'max') => {
      const first = cells[0];
      return cells.some(c =>
        c === null || first === null
          ? c !== first
          : (c[stat] ?? null) !== (first[stat] ?? null)
      );
    };
    const differsBy = { last: by('last'), min: by('min'), max: by('max') };
    return {
      name,
      cells,
      differsBy,
      differs: differsBy.last || differsBy.min || differsBy.max
    };
  });
  return Private.table(experiments, rows, options);
}

/** The same table with only the rows that differ. */
export function onlyDifferences<T extends { rows: { differs: boolean }[] }>(
  table: T
): T {
  return { ...table, rows: table.rows.filter(r => r.differs) };
}

namespace Private {
  /** Union of the keys of some maps, in natural order. */
  export function names(maps: (object | undefined)[]): string[] {
    const all = new Set<string>();
    for (const m of maps) {
      if (m && typeof m === 'object') {
        for (const k of Object.keys(m)) {
          all.add(k);
        }
      }
    }
    return [...all].sort(compareNames);
  }

  export function table<R extends { differs: boolean }>(
    experiments: readonly ICompared[],
    rows: R[],
    options: ITableOptions
  ): { ids: string[]; rows: R[]; differing: number } {
    const differing = rows.filter(r => r.differs).length;
    if (options.differingFirst) {
      // Stable: each group keeps its name order.
      rows = [...rows.filter(r => r.differs), ...rows.filter(r => !r.differs)];
    }
    return { ids: experiments.map(e => e.id), rows, differing };
  }
}

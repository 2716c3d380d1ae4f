/**
 * The data of a parallel-coordinates chart: one vertical axis per chosen
 * parameter (and one for a metric, last), one polyline per experiment,
 * each point normalised to 0..1 along its axis so the view only scales
 * to pixels. Drawing is the view's business (canvas or SVG).
 *
 * An axis is numeric when every value on it is a finite number (booleans
 * are not numbers here); otherwise it is categorical, with its distinct
 * values in a fixed order: numbers by value, then false, true, null, then
 * text (strings, sources, lists and objects by their display string) in
 * natural order.
 */
import type { IMetricSummary, IParamSource, ParamValue } from '../model';
import { compareNames } from './order';
import { ParamCellValue, displayParam, isParamSource } from './paramvalue';

/** A metric statistic from the summaries. */
export type MetricStat = 'last' | 'min' | 'max';

/** Which metric value the metric axis shows. */
export interface IMetricKey {
  name: string;
  stat: MetricStat;
}

/** What the chart reads of an experiment (an `IExperimentSummary` fits). */
export interface IParallelInput {
  id: string;
  params?: { [name: string]: ParamValue | IParamSource };
  metrics?: { [name: string]: IMetricSummary };
}

export interface IParallelAxis {
  /** Unique: `param:<name>` or `metric:<name>:<stat>`. */
  key: string;
  /** The parameter name, or `<metric> (<stat>)`. */
  label: string;
  source: 'param' | 'metric';
  kind: 'numeric' | 'categorical';
  /** Numeric axes: the range of the values (0 and 0 when the axis has none). */
  min?: number;
  max?: number;
  /**
   * Categorical axes: the distinct values' display strings (`displayParam`,
   * up to 2,000 characters: the view shortens its tick labels), bottom (0)
   * to top (1), evenly spaced; a single category sits at 0.5.
   */
  categories?: string[];
}

export interface IParallelLine {
  id: string;
  /** One per axis: position in 0..1, null when the experiment has no value. */
  values: (number | null)[];
  /** One per axis: the value as text for tooltips, `''` when missing. */
  labels: string[];
}

export interface IParallelCoordinates {
  axes: IParallelAxis[];
  lines: IParallelLine[];
}

/**
 * Axes for `paramNames` (in that order, unknown names included as empty
 * axes) and, when given, the metric `metricKey`; one line per summary.
 * A numeric axis whose values are all equal puts them at 0.5.
 */
export function parallelCoordinates(
  summaries: readonly IParallelInput[],
  paramNames: readonly string[],
  metricKey: IMetricKey | null = null
): IParallelCoordinates {
  const columns: {
    axis: IParallelAxis;
    values: (ParamCellValue | undefined)[];
  }[] = paramNames.map(name => ({
    axis: {
      key: `param:${name}`,
      label: name,
      source: 'param',
      kind: 'numeric'
    },
    values: summaries.map(s =>
      s.params && Object.prototype.hasOwnProperty.call(s.params, name)
        ? s.params[name]
        : undefined
    )
  }));
  if (metricKey) {
    columns.push({
      axis: {
        key: `metric:${metricKey.name}:${metricKey.stat}`,
        label: `${metricKey.name} (${metricKey.stat})`,
        source: 'metric',
        kind: 'numeric'
      },
      values: summaries.map(s => {
        const m =
          s.metrics &&
          Object.prototype.hasOwnProperty.call(s.metrics, metricKey.name)
            ? s.metrics[metricKey.name]
            : undefined;
        const v = m?.[metricKey.stat];
        return typeof v === 'number' ? v : undefined;
      })
    });
  }
  const labels = columns.map(c =>
    c.values.map(v => (v === undefined ? '' : displayParam(v)))
  );
  const positions = columns.map((c, k) =>
    Private.place(c.axis, c.values, labels[k])
  );
  return {
    axes: columns.map(c => c.axis),
    lines: summaries.map((s, i) => ({
      id: s.id,
      values: positions.map(p => p[i]),
      labels: labels.map(l => l[i])
    }))
  };
}

namespace Private {
  const isNumber = (v: unknown): v is number =>
    typeof v === 'number' && Number.isFinite(v);

  /** Decide the axis kind, fill its range or categories, return positions. */
  export function place(
    axis: IParallelAxis,
    values: (ParamCellValue | undefined)[],
    labels: string[]
  ): (number | null)[] {
    const present = values.filter(v => v !== undefined);
    if (present.every(isNumber)) {
      const nums = present as number[];
      let min = nums.length ? nums[0] : 0;
      let max = min;
      for (const n of nums) {
        min = n < min ? n : min;
        max = n > max ? n : max;
      }
      axis.kind = 'numeric';
      axis.min = min;
      axis.max = max;
      return values.map(v =>
        isNumber(v) ? (max > min ? (v - min) / (max - min) : 0.5) : null
      );
    }
    axis.kind = 'categorical';
    const byLabel = new Map<string, ParamCellValue>();
    values.forEach((v, i) => {
      if (v !== undefined && !byLabel.has(labels[i])) {
        byLabel.set(labels[i], v);
      }
    });
    const categories = [...byLabel].sort(order).map(([label]) => label);
    axis.categories = categories;
    const at = new Map(
      categories.map((c, i) => [
        c,
        categories.length > 1 ? i / (categories.length - 1) : 0.5
      ])
    );
    return values.map((v, i) => (v === undefined ? null : at.get(labels[i])!));
  }

  /** Rank of a value's kind in a categorical axis. */
  function rank(v: ParamCellValue): number {
    if (isNumber(v)) {
      return 0;
    }
    if (v === false) {
      return 1;
    }
    if (v === true) {
      return 2;
    }
    if (v === null) {
      return 3;
    }
    return typeof v === 'string' || isParamSource(v) ? 4 : 5;
  }

  function order(
    [la, a]: [string, ParamCellValue],
    [lb, b]: [string, ParamCellValue]
  ): number {
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) {
      return ra - rb;
    }
    if (ra === 0) {
      return (a as number) - (b as number);
    }
    return compareNames(la, lb);
  }
}

/**
 * What a metric chart draws of one metric. Kept apart from the chart code,
 * which is loaded on demand.
 */
import type { SeriesOverview } from '../../../core/metrics/overview';
import type { IMetricSeries } from '../../../core/model';

/** One metric as a chart draws it: its points, or its overview. */
export interface IChartLine {
  name: string;
  /** Points logged. */
  count: number;
  /** The last value logged (NaN when none). */
  last: number;
  /** The cell execution (`msg_id`) that logged the last point, when known. */
  parent?: string;
  /** Every point, when loaded. */
  series?: IMetricSeries;
  /** Otherwise the overview. */
  overview?: SeriesOverview;
}

/** A chart line of loaded points. */
export function lineOfSeries(s: IMetricSeries): IChartLine {
  const n = s.values.length;
  return {
    name: s.name,
    count: n,
    last: n ? s.values[n - 1] : NaN,
    ...(s.parents?.length ? { parent: s.parents[s.parents.length - 1] } : {}),
    series: s
  };
}

/** A chart line drawn from an overview. */
export function lineOfOverview(o: SeriesOverview): IChartLine {
  return {
    name: o.name,
    count: o.count,
    last: o.last?.[2] ?? NaN,
    ...(o.lastParent ? { parent: o.lastParent } : {}),
    overview: o
  };
}

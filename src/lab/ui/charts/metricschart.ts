/**
 * A metric chart (uPlot): one or several series against their steps or
 * wall time, on a linear or log scale, optionally smoothed (the raw line
 * then stays faint behind the smoothed one). Non-finite values are gaps.
 * Each series is reduced to a min/max pair per pixel column before
 * drawing, so a long run draws as fast as a short one. Loaded on demand
 * with the first experiment that has metrics.
 *
 * A line is drawn from its points, or, until they are loaded, from its
 * overview (min/max buckets, `src/core/metrics/overview.ts`), which draws
 * the same within a pixel. The chart asks for the points (`needPoints`)
 * when the overview is not enough: smoothing (computed over the points;
 * from the buckets meanwhile), or a zoom (drag on the chart) finer than
 * its buckets. A zoom draws the range zoomed into at full resolution; a
 * double click zooms out.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import {
  downsampleToGrid,
  downsampleXY,
  gridX,
  sortByX
} from '../../../core/metrics/downsample';
import { smooth, smoothWeighted } from '../../../core/metrics/smooth';
import { DEFAULT_CHART_OPTIONS, type IChartOptions } from './chartcontrols';
import type { IChartLine } from './chartline';
import { themeColors } from './colors';

export { DEFAULT_CHART_OPTIONS, type IChartOptions } from './chartcontrols';
export type { IChartLine } from './chartline';

/** How a chart looks, fixed for its life. */
export interface IChartStyle {
  /** One colour per line, in order; default the theme's palette. */
  colors?: readonly string[];
  /** Show uPlot's legend; default when there is more than one line. */
  legend?: boolean;
  /** Plot height in pixels; default 140, 180 with several lines. */
  height?: number;
  /**
   * How many pixel columns an overview bucket may span before the chart
   * asks for finer data; default 1 (drawn the same as the points, within
   * a pixel). A chart of many overlaid lines (compare) takes 4.
   */
  bucketColumns?: number;
}

/**
 * What a chart asks for (`needPoints`): `finer` when an overview's buckets
 * are too wide for the range drawn, `points` when only the points will do
 * (smoothing).
 */
export type ChartNeed = 'finer' | 'points';

/** Lines from which a chart draws them all on one shared grid of x. */
const MANY_LINES = 8;

export class MetricChart {
  constructor(
    host: HTMLElement,
    lines: readonly IChartLine[],
    width: number,
    options: IChartOptions = DEFAULT_CHART_OPTIONS,
    style: IChartStyle = {},
    needPoints: (need: ChartNeed) => void = () => undefined
  ) {
    this._host = host;
    this._width = Math.max(200, width);
    this._options = options;
    this._style = style;
    this._lines = lines;
    this._needPoints = needPoints;
    this._plot = this._create();
  }

  /** New points (same series, longer), or the points instead of the overview. */
  update(lines: readonly IChartLine[]): void {
    const names = (l: readonly IChartLine[]) => l.map(s => s.name).join();
    this._lines = lines;
    if (names(lines) !== this._names) {
      this._range = null;
      this._plot.destroy();
      this._plot = this._create();
      return;
    }
    this._setData();
    this._count();
  }

  /** Axis, scale or smoothing changed: the plot is made again. */
  setOptions(options: IChartOptions): void {
    this._options = options;
    this._range = null;
    this._plot.destroy();
    this._plot = this._create();
  }

  dispose(): void {
    this._plot.destroy();
  }

  private _create(): uPlot {
    const style = getComputedStyle(document.body);
    const color = (name: string, fallback: string) =>
      style.getPropertyValue(name).trim() || fallback;
    const palette = this._style.colors?.length
      ? this._style.colors
      : themeColors(6);
    const { axis, log, smoothing } = this._options;
    const smoothed = smoothing.kind !== 'none';
    const series: uPlot.Series[] = [{}];
    this._lines.forEach((s, i) => {
      const stroke = palette[i % palette.length];
      series.push({
        label: smoothed ? `${s.name} (raw)` : s.name,
        stroke,
        width: smoothed ? 1 : 1.5,
        alpha: smoothed ? 0.3 : 1,
        spanGaps: false,
        show: true
      });
      if (smoothed) {
        series.push({ label: s.name, stroke, width: 2, spanGaps: false });
      }
    });
    const axisStyle = {
      stroke: color('--jp-ui-font-color2', '#888'),
      grid: { stroke: color('--jp-border-color3', '#eee') }
    };
    this._names = this._lines.map(s => s.name).join();
    const plot = new uPlot(
      {
        width: this._width,
        height: this._style.height ?? (this._lines.length > 1 ? 180 : 140),
        legend: { show: this._style.legend ?? this._lines.length > 1 },
        // A drag zooms (here, not by uPlot: the zoomed range is drawn at
        // full resolution); a double click zooms out.
        cursor: { drag: { x: true, y: false, setScale: false } },
        hooks: { setSelect: [u => this._onSelect(u)] },
        scales: {
          x: { time: axis === 'time' },
          y: log ? { distr: 3, log: 10 } : {}
        },
        axes: [axisStyle, { ...axisStyle, size: 52 }],
        series
      },
      this._data(),
      this._host
    );
    plot.over.addEventListener('dblclick', () => {
      if (this._range !== null) {
        this._range = null;
        this._setData();
      }
    });
    this._host.dataset.axis = axis;
    this._host.dataset.scale = log ? 'log' : 'linear';
    this._host.dataset.smoothing = smoothing.kind;
    this._host.dataset.lines = String(this._lines.length);
    this._count();
    return plot;
  }

  /** New data, keeping a zoom. */
  private _setData(): void {
    this._plot.setData(this._data(), this._range === null);
    if (this._range !== null) {
      const [min, max] = this._range;
      this._plot.setScale('x', { min, max });
    }
  }

  /** A range was dragged over: zoom into it. */
  private _onSelect(u: uPlot): void {
    const { left, width } = u.select;
    if (width < 2) {
      return;
    }
    const min = u.posToVal(left, 'x');
    const max = u.posToVal(left + width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    if (max > min) {
      this._range = [min, max];
      this._setData();
    }
  }

  /**
   * Aligned data: for each series its raw line, then its smoothed one. A
   * line without its points is drawn from its overview, and smoothed from
   * its buckets until the points come.
   */
  private _data(): uPlot.AlignedData {
    const { axis, log, smoothing } = this._options;
    const perSecond = axis === 'time' ? 1000 : 1; // uPlot's time is in seconds
    const tables: uPlot.AlignedData[] = [];
    const smoothed = smoothing.kind !== 'none';
    let need: ChartNeed | null = null;
    let smoothedDrawn = false;
    let lo = Infinity;
    let hi = -Infinity;
    const all = this._lines.map(line => {
      const { x, y, mid, w } = line.series
        ? { ...sortByX(line.series, axis), mid: null, w: null }
        : line.overview!.axis(axis).points();
      if (!line.series && smoothed) {
        need = 'points';
      }
      if (perSecond !== 1) {
        for (let i = 0; i < x.length; i++) {
          x[i] /= perSecond;
        }
      }
      if (x.length) {
        lo = Math.min(lo, x[0]);
        hi = Math.max(hi, x[x.length - 1]);
      }
      if (log) {
        for (let i = 0; i < y.length; i++) {
          if (!(y[i] > 0)) {
            y[i] = NaN; // no place on a log scale: a gap
            if (mid) {
              mid[i] = NaN;
            }
          }
        }
      }
      // Until the points come, the smoothed line of an overview is the
      // smoothing of its buckets (mid-range, weighted by count): close to
      // the points' (a few hundredths of the range), shown at once.
      const ys = !smoothed
        ? null
        : line.series
          ? smooth(y, smoothing)
          : smoothWeighted(mid!, w!, smoothing);
      smoothedDrawn ||= !!ys?.some(Number.isFinite);
      return { line, x, y, ys };
    });
    this._smoothedDrawn = smoothedDrawn;
    this._extent = lo <= hi ? [lo, hi] : null;
    const range = this._range ?? this._extent ?? undefined;
    const width = this._width;
    // Several lines of which one is long (compare) share one grid of x
    // positions: fifty lines of 10,000 points become 2 × width points
    // each, with no joining of fifty different x arrays.
    // So do many short ones: joining fifty x arrays of wall times (each
    // run's own) would make a table of fifty times their length.
    const grid =
      this._range === null &&
      this._extent !== null &&
      all.length > 1 &&
      (all.length >= MANY_LINES || all.some(p => p.y.length > width * 3));
    const columns = this._width / (this._style.bucketColumns ?? 1);
    const data: ArrayLike<number | null | undefined>[] = grid
      ? [gridX(lo, hi, width, axis === 'step')]
      : [];
    for (const { line, x, y, ys } of all) {
      if (
        !line.series &&
        range &&
        !line
          .overview!.axis(axis)
          .resolves(range[0] * perSecond, range[1] * perSecond, columns)
      ) {
        need ??= 'finer'; // buckets wider than a pixel column
      }
      if (grid) {
        data.push(downsampleToGrid(x, y, lo, hi, width));
        if (ys) {
          data.push(downsampleToGrid(x, ys, lo, hi, width));
        }
      } else {
        tables.push(Private.reduce(x, y, width, this._range));
        if (ys) {
          tables.push(Private.reduce(x, ys, width, this._range));
        }
      }
    }
    if (need) {
      this._needPoints(need);
    }
    if (grid) {
      return data as uPlot.AlignedData;
    }
    return tables.length === 1 ? tables[0] : uPlot.join(tables);
  }

  private _count(): void {
    this._host.dataset.points = this._lines.map(s => s.count).join(',');
    const source = this._lines.every(s => s.series) ? 'points' : 'overview';
    this._host.dataset.source = source;
    // What the smoothed lines drawn are computed from: '' when not
    // smoothed, 'pending' while there is nothing to draw them from.
    this._host.dataset.smoothed =
      this._options.smoothing.kind === 'none'
        ? ''
        : this._smoothedDrawn
          ? source
          : 'pending';
  }

  private _host: HTMLElement;
  private _smoothedDrawn = false;
  private _width: number;
  private _options: IChartOptions;
  private _style: IChartStyle;
  private _lines: readonly IChartLine[];
  private _needPoints: (need: ChartNeed) => void;
  private _names = '';
  private _plot: uPlot;
  /** The x range zoomed into (scale units), or null for all. */
  private _range: [number, number] | null = null;
  /** The x range of all the data (scale units). */
  private _extent: [number, number] | null = null;
}

namespace Private {
  /**
   * `downsampleXY` of sorted points, over `range` only when zoomed: the
   * points in it and one either side, reduced at full resolution, and the
   * first and last x of all kept as gaps so that zooming out finds the
   * whole extent.
   */
  export function reduce(
    x: Float64Array,
    y: ArrayLike<number>,
    width: number,
    range: [number, number] | null
  ): uPlot.AlignedData {
    if (!range || x.length === 0) {
      return downsampleXY(x, y, width) as uPlot.AlignedData;
    }
    const from = Math.max(0, lowerBound(x, range[0]) - 1);
    const to = Math.min(x.length, lowerBound(x, range[1]) + 1);
    const [xs, ys] = downsampleXY(
      x.subarray(from, to),
      Array.prototype.slice.call(y, from, to),
      width,
      range
    );
    if (from > 0) {
      xs.unshift(x[0]);
      ys.unshift(null);
    }
    if (to < x.length) {
      xs.push(x[x.length - 1]);
      ys.push(null);
    }
    return [xs, ys] as uPlot.AlignedData;
  }

  /** The first index whose x is at least `v` (x sorted). */
  function lowerBound(x: Float64Array, v: number): number {
    let lo = 0;
    let hi = x.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}

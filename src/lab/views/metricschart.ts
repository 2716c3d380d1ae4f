/**
 * A metric chart (uPlot): one or several series against their steps or
 * wall time, on a linear or log scale, optionally smoothed (the raw line
 * then stays faint behind the smoothed one). Non-finite values are gaps.
 * Each series is reduced to a min/max pair per pixel column before
 * drawing, so a long run draws as fast as a short one. Loaded on demand
 * with the first experiment that has metrics.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import {
  downsampleToGrid,
  downsampleXY,
  gridX,
  sortByX
} from '../../core/metrics/downsample';
import { smooth } from '../../core/metrics/smooth';
import type { IMetricSeries } from '../../core/model';
import { DEFAULT_CHART_OPTIONS, type IChartOptions } from './chartcontrols';
import { themeColors } from './colors';

export { DEFAULT_CHART_OPTIONS, type IChartOptions } from './chartcontrols';

/** How a chart looks, fixed for its life. */
export interface IChartStyle {
  /** One colour per line, in order; default the theme's palette. */
  colors?: readonly string[];
  /** Show uPlot's legend; default when there is more than one line. */
  legend?: boolean;
  /** Plot height in pixels; default 140, 180 with several lines. */
  height?: number;
}

export class MetricChart {
  constructor(
    host: HTMLElement,
    lines: readonly IMetricSeries[],
    width: number,
    options: IChartOptions = DEFAULT_CHART_OPTIONS,
    style: IChartStyle = {}
  ) {
    this._host = host;
    this._width = Math.max(200, width);
    this._options = options;
    this._style = style;
    this._lines = lines;
    this._plot = this._create();
  }

  /** New points (same series, longer). */
  update(lines: readonly IMetricSeries[]): void {
    const names = (l: readonly IMetricSeries[]) => l.map(s => s.name).join();
    this._lines = lines;
    if (names(lines) !== this._names) {
      this._plot.destroy();
      this._plot = this._create();
      return;
    }
    this._plot.setData(this._data());
    this._count();
  }

  /** Axis, scale or smoothing changed: the plot is made again. */
  setOptions(options: IChartOptions): void {
    this._options = options;
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
        cursor: { drag: { x: true, y: false } },
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
    this._host.dataset.axis = axis;
    this._host.dataset.scale = log ? 'log' : 'linear';
    this._host.dataset.smoothing = smoothing.kind;
    this._host.dataset.lines = String(this._lines.length);
    this._count();
    return plot;
  }

  /**
   * Aligned data: for each series its raw line, then its smoothed one.
   * Several lines of which one is long share one grid of x positions
   * (`downsampleToGrid`): fifty lines of 10,000 points become 2 × width
   * points each with no joining of fifty different x arrays.
   */
  private _data(): uPlot.AlignedData {
    const { axis, log, smoothing } = this._options;
    const smoothed = smoothing.kind !== 'none';
    const points = this._lines.map(s => {
      const { x, y } = sortByX(s, axis);
      if (axis === 'time') {
        for (let i = 0; i < x.length; i++) {
          x[i] /= 1000; // uPlot's time scale is in seconds
        }
      }
      if (log) {
        for (let i = 0; i < y.length; i++) {
          if (!(y[i] > 0)) {
            y[i] = NaN; // no place on a log scale: a gap
          }
        }
      }
      return { x, y };
    });
    const width = this._width;
    if (points.length > 1 && points.some(p => p.y.length > width * 3)) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const { x } of points) {
        if (x.length) {
          lo = Math.min(lo, x[0]);
          hi = Math.max(hi, x[x.length - 1]);
        }
      }
      const data: ArrayLike<number | null | undefined>[] = [
        gridX(lo, hi, width, axis === 'step')
      ];
      for (const { x, y } of points) {
        data.push(downsampleToGrid(x, y, lo, hi, width));
        if (smoothed) {
          data.push(downsampleToGrid(x, smooth(y, smoothing), lo, hi, width));
        }
      }
      return data as uPlot.AlignedData;
    }
    const tables: uPlot.AlignedData[] = [];
    for (const { x, y } of points) {
      tables.push(downsampleXY(x, y, width) as uPlot.AlignedData);
      if (smoothed) {
        tables.push(
          downsampleXY(x, smooth(y, smoothing), width) as uPlot.AlignedData
        );
      }
    }
    return tables.length === 1 ? tables[0] : uPlot.join(tables);
  }

  private _count(): void {
    this._host.dataset.points = this._lines.map(s => s.values.length).join(',');
  }

  private _host: HTMLElement;
  private _width: number;
  private _options: IChartOptions;
  private _style: IChartStyle;
  private _lines: readonly IMetricSeries[];
  private _names = '';
  private _plot: uPlot;
}

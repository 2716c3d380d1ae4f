/**
 * A metric chart (uPlot): one series against its steps, non-finite values
 * drawn as gaps. Large series are reduced to a min/max pair per pixel
 * column before drawing, so a long run draws as fast as a short one.
 * Loaded on demand with the first experiment that has metrics.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { downsample } from '../../core/metrics/downsample';
import type { IMetricSeries } from '../../core/model';

export class MetricChart {
  constructor(host: HTMLElement, series: IMetricSeries, width: number) {
    this._host = host;
    this._width = Math.max(200, width);
    const [xs, ys] = downsample(series, this._width);
    const style = getComputedStyle(document.body);
    const color = (name: string, fallback: string) =>
      style.getPropertyValue(name).trim() || fallback;
    this._plot = new uPlot(
      {
        width: this._width,
        height: 140,
        legend: { show: false },
        cursor: { drag: { x: true, y: false } },
        scales: { x: { time: false } },
        axes: [
          {
            stroke: color('--jp-ui-font-color2', '#888'),
            grid: { stroke: color('--jp-border-color3', '#eee') }
          },
          {
            stroke: color('--jp-ui-font-color2', '#888'),
            grid: { stroke: color('--jp-border-color3', '#eee') },
            size: 48
          }
        ],
        series: [
          {},
          {
            label: series.name,
            stroke: color('--jp-brand-color1', '#1976d2'),
            width: 1.5,
            spanGaps: false
          }
        ]
      },
      [xs, ys],
      host
    );
    host.dataset.points = String(series.values.length);
  }

  update(series: IMetricSeries): void {
    const [xs, ys] = downsample(series, this._width);
    this._plot.setData([xs, ys]);
    this._host.dataset.points = String(series.values.length);
  }

  dispose(): void {
    this._plot.destroy();
  }

  private _host: HTMLElement;
  private _width: number;
  private _plot: uPlot;
}

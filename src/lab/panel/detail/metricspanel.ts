/**
 * The metrics section of an experiment's detail: chart controls (x axis by
 * step or wall time, log scale, smoothing, one chart per metric or all
 * metrics on one chart) and the charts, updated in place as points
 * arrive. The chart code (uPlot) is loaded with the first series shown.
 * The controls belong to the view, so they stay as set when another
 * experiment is opened.
 *
 * Lines come as points or as overviews (`IChartLine`); when a chart needs
 * the points of an overview (smoothing, a zoom finer than the overview),
 * the panel calls `needPoints` once per experiment shown.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { formatNumber, fullNumber } from '../../../core/format/number';
import type { IChartLine } from '../../ui/charts/chartline';
import type { MetricChart } from '../../ui/charts/metricschart';
import {
  ChartControls,
  type IChartOptions
} from '../../ui/charts/chartcontrols';
import { el } from '../../ui/dom';

export type { ChartLayout } from '../../ui/charts/chartcontrols';

export class MetricsPanel {
  /**
   * `goToCell`, when given, is offered on each metric's chart: it gets the
   * `msg_id` of the cell execution that logged the metric's last point.
   */
  constructor(
    trans: TranslationBundle,
    needPoints: () => void = () => {},
    goToCell?: (parent: string) => void
  ) {
    this._trans = trans;
    this._needPoints = needPoints;
    this._goToCell = goToCell;
    this.node = el('div', 'jp-Labbook-metrics');
    this._controls = new ChartControls({
      trans,
      onChange: options => {
        for (const chart of this._charts.values()) {
          chart.setOptions(options);
        }
      },
      onLayout: () => {
        this._disposeCharts();
        this._chartsHost.replaceChildren();
        void this.update(this._series);
      }
    });
    this._chartsHost = el('div', 'jp-Labbook-metricCharts');
  }

  readonly node: HTMLDivElement;

  get options(): IChartOptions {
    return this._controls.options;
  }

  /** Start loading the chart code, before there is anything to draw. */
  prepare(): void {
    void import('../../ui/charts/metricschart').catch(() => undefined);
  }

  /** Forget the charts (another experiment is shown); keep the controls. */
  clear(): void {
    this._disposeCharts();
    this._series = [];
    this.node.replaceChildren();
    this._chartsHost.replaceChildren();
  }

  /** Show these lines (all of the experiment's metrics, sorted by name). */
  async update(series: IChartLine[]): Promise<void> {
    this._series = series;
    if (series.length === 0) {
      this.clear();
      return;
    }
    const { MetricChart } = await import('../../ui/charts/metricschart');
    if (this._series !== series) {
      return; // a newer update came while the chart code loaded
    }
    if (!this.node.firstChild) {
      this.node.append(
        el('h3', 'jp-Labbook-sectionTitle', this._trans.__('Metrics')),
        this._controls.node,
        this._chartsHost
      );
    }
    const width = Math.max(200, this.node.clientWidth - 8);
    const groups: [string, IChartLine[]][] =
      this._controls.layout === 'combined'
        ? [['', series]]
        : series.map(s => [s.name, [s]]);
    for (const [key, lines] of groups) {
      const chart = this._charts.get(key);
      if (chart) {
        chart.update(lines);
      } else {
        const box = el('div', 'jp-Labbook-metric');
        box.dataset.metric = key;
        const title = el('div', 'jp-Labbook-metricTitle');
        title.append(
          el(
            'span',
            'jp-Labbook-metricName',
            key || this._trans.__('All metrics')
          )
        );
        const goToCell = this._goToCell;
        if (key && goToCell) {
          const go = el(
            'button',
            'jp-mod-styled jp-Labbook-metricCell',
            this._trans.__('Go to cell')
          );
          go.type = 'button';
          go.title = this._trans.__(
            'Show the cell whose run logged the last point of %1',
            key
          );
          go.hidden = true;
          go.addEventListener('click', () => {
            if (go.dataset.parent) {
              goToCell(go.dataset.parent);
            }
          });
          title.append(go);
        }
        box.append(title, el('div', 'jp-Labbook-metricLast'));
        const host = el('div', 'jp-Labbook-metricChart');
        box.append(host);
        this._chartsHost.append(box);
        this._charts.set(
          key,
          new MetricChart(
            host,
            lines,
            width,
            this._controls.options,
            {},
            this._needPoints
          )
        );
      }
      const box = this._chartsHost.querySelector(
        `.jp-Labbook-metric[data-metric="${CSS.escape(key)}"]`
      );
      const go = box?.querySelector<HTMLButtonElement>(
        '.jp-Labbook-metricCell'
      );
      if (go) {
        go.dataset.parent = lines[0]?.parent ?? '';
        go.hidden = !go.dataset.parent;
      }
      const last = box?.querySelector('.jp-Labbook-metricLast');
      if (last) {
        // The last value reads short; in full on hover.
        (last as HTMLElement).title = lines
          .map(
            s => `${lines.length > 1 ? `${s.name}: ` : ''}${fullNumber(s.last)}`
          )
          .join('\n');
        last.textContent = lines
          .map(s =>
            this._trans.__(
              '%1last %2 · %3 points',
              lines.length > 1 ? `${s.name}: ` : '',
              formatNumber(s.last),
              s.count
            )
          )
          .join('\n');
      }
    }
  }

  dispose(): void {
    this._disposeCharts();
  }

  private _disposeCharts(): void {
    for (const chart of this._charts.values()) {
      chart.dispose();
    }
    this._charts.clear();
  }

  private _trans: TranslationBundle;
  private _controls: ChartControls;
  private _chartsHost: HTMLDivElement;
  private _charts = new Map<string, MetricChart>();
  private _series: IChartLine[] = [];
  private _needPoints: () => void;
  private _goToCell?: (parent: string) => void;
}

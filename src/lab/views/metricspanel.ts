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
import type { SmoothingKind } from '../../core/metrics/smooth';
import type { IChartLine } from './chartline';
import type { IChartOptions, MetricChart } from './metricschart';
import { el } from './format';

export type ChartLayout = 'separate' | 'combined';

export class MetricsPanel {
  constructor(trans: TranslationBundle, needPoints: () => void = () => {}) {
    this._trans = trans;
    this._needPoints = needPoints;
    this.node = el('div', 'jp-Labbook-metrics');
    this._controls = this._createControls();
    this._chartsHost = el('div', 'jp-Labbook-metricCharts');
  }

  readonly node: HTMLDivElement;

  get options(): IChartOptions {
    return this._options;
  }

  /** Start loading the chart code, before there is anything to draw. */
  prepare(): void {
    void import('./metricschart').catch(() => undefined);
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
    const { MetricChart } = await import('./metricschart');
    if (this._series !== series) {
      return; // a newer update came while the chart code loaded
    }
    if (!this.node.firstChild) {
      this.node.append(
        el('h3', 'jp-Labbook-sectionTitle', this._trans.__('Metrics')),
        this._controls,
        this._chartsHost
      );
    }
    const width = Math.max(200, this.node.clientWidth - 8);
    const groups: [string, IChartLine[]][] =
      this._layout === 'combined'
        ? [['', series]]
        : series.map(s => [s.name, [s]]);
    for (const [key, lines] of groups) {
      const chart = this._charts.get(key);
      if (chart) {
        chart.update(lines);
      } else {
        const box = el('div', 'jp-Labbook-metric');
        box.dataset.metric = key;
        box.append(
          el(
            'div',
            'jp-Labbook-metricName',
            key || this._trans.__('All metrics')
          ),
          el('div', 'jp-Labbook-metricLast')
        );
        const host = el('div', 'jp-Labbook-metricChart');
        box.append(host);
        this._chartsHost.append(box);
        this._charts.set(
          key,
          new MetricChart(host, lines, width, this._options, this._needPoints)
        );
      }
      const last = this._chartsHost.querySelector(
        `.jp-Labbook-metric[data-metric="${CSS.escape(key)}"] .jp-Labbook-metricLast`
      );
      if (last) {
        last.textContent = lines
          .map(s =>
            this._trans.__(
              '%1last %2 · %3 points',
              lines.length > 1 ? `${s.name}: ` : '',
              String(s.last),
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

  private _createControls(): HTMLDivElement {
    const t = this._trans;
    const bar = el('div', 'jp-Labbook-chartControls');
    const select = (
      cls: string,
      label: string,
      choices: [string, string][],
      value: string
    ) => {
      const s = el('select', `jp-mod-styled ${cls}`);
      s.setAttribute('aria-label', label);
      s.title = label;
      for (const [v, text] of choices) {
        const o = el('option', '', text);
        o.value = v;
        s.append(o);
      }
      s.value = value;
      return s;
    };
    const axis = select(
      'jp-Labbook-chartAxis',
      t.__('X axis'),
      [
        ['step', t.__('Step')],
        ['time', t.__('Wall time')]
      ],
      this._options.axis
    );
    const log = el('input', 'jp-Labbook-chartLog');
    log.type = 'checkbox';
    log.checked = this._options.log;
    const logLabel = el('label', 'jp-Labbook-chartLogLabel');
    logLabel.append(log, document.createTextNode(t.__('Log scale')));
    const smoothing = select(
      'jp-Labbook-chartSmoothing',
      t.__('Smoothing'),
      [
        ['none', t.__('No smoothing')],
        ['ema', t.__('Exponential')],
        ['mean', t.__('Moving average')]
      ],
      this._options.smoothing.kind
    );
    const amount = el('input', 'jp-Labbook-chartAmount');
    amount.type = 'range';
    amount.setAttribute('aria-label', t.__('Smoothing amount'));
    const layout = select(
      'jp-Labbook-chartLayout',
      t.__('Layout'),
      [
        ['separate', t.__('One chart per metric')],
        ['combined', t.__('All metrics on one chart')]
      ],
      this._layout
    );
    // The slider means a weight for the EMA and a window for the mean.
    const syncAmount = () => {
      const kind = smoothing.value as SmoothingKind;
      amount.hidden = kind === 'none';
      if (kind === 'ema') {
        amount.min = '0';
        amount.max = '0.99';
        amount.step = '0.01';
      } else {
        amount.min = '1';
        amount.max = '200';
        amount.step = '1';
      }
      amount.value = String(this._options.smoothing.amount);
      amount.title = amount.value;
    };
    syncAmount();
    const apply = () => {
      const kind = smoothing.value as SmoothingKind;
      const kindChanged = kind !== this._options.smoothing.kind;
      this._options = {
        axis: axis.value === 'time' ? 'time' : 'step',
        log: log.checked,
        smoothing: {
          kind,
          amount: kindChanged
            ? kind === 'mean'
              ? 10
              : 0.6
            : Number(amount.value)
        }
      };
      syncAmount();
      for (const chart of this._charts.values()) {
        chart.setOptions(this._options);
      }
    };
    axis.addEventListener('change', apply);
    log.addEventListener('change', apply);
    smoothing.addEventListener('change', apply);
    amount.addEventListener('change', apply);
    layout.addEventListener('change', () => {
      this._layout = layout.value === 'combined' ? 'combined' : 'separate';
      this._disposeCharts();
      this._chartsHost.replaceChildren();
      void this.update(this._series);
    });
    bar.append(axis, logLabel, smoothing, amount, layout);
    return bar;
  }

  private _disposeCharts(): void {
    for (const chart of this._charts.values()) {
      chart.dispose();
    }
    this._charts.clear();
  }

  private _trans: TranslationBundle;
  private _controls: HTMLDivElement;
  private _chartsHost: HTMLDivElement;
  private _charts = new Map<string, MetricChart>();
  private _series: IChartLine[] = [];
  private _needPoints: () => void;
  private _options: IChartOptions = {
    axis: 'step',
    log: false,
    smoothing: { kind: 'none', amount: 0.6 }
  };
  private _layout: ChartLayout = 'separate';
}

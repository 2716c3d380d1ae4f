/**
 * The controls above metric charts: x axis by step or wall time, log
 * scale, smoothing (kind and amount) and, where the view offers it, one
 * chart per metric or all on one chart. Shared by the experiment detail
 * and the compare view so both draw alike. Holds no charts: the owner
 * listens and applies the options to its own.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { MetricAxis } from '../../../core/metrics/downsample';
import type { ISmoothing, SmoothingKind } from '../../../core/metrics/smooth';
import { el } from '../dom';

/** How every chart of a view is drawn. */
export interface IChartOptions {
  axis: MetricAxis;
  log: boolean;
  smoothing: ISmoothing;
}

export const DEFAULT_CHART_OPTIONS: IChartOptions = {
  axis: 'step',
  log: false,
  smoothing: { kind: 'none', amount: 0.6 }
};

export type ChartLayout = 'separate' | 'combined';

export class ChartControls {
  constructor(options: ChartControls.IOptions) {
    this._trans = options.trans;
    this._options = options.initial ?? DEFAULT_CHART_OPTIONS;
    this._onChange = options.onChange;
    this._onLayout = options.onLayout ?? null;
    this.node = this._create();
  }

  readonly node: HTMLDivElement;

  get options(): IChartOptions {
    return this._options;
  }

  get layout(): ChartLayout {
    return this._layout;
  }

  private _create(): HTMLDivElement {
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
      this._onChange(this._options);
    };
    axis.addEventListener('change', apply);
    log.addEventListener('change', apply);
    smoothing.addEventListener('change', apply);
    amount.addEventListener('change', apply);
    bar.append(axis, logLabel, smoothing, amount);
    const onLayout = this._onLayout;
    if (onLayout) {
      const layout = select(
        'jp-Labbook-chartLayout',
        t.__('Layout'),
        [
          ['separate', t.__('One chart per metric')],
          ['combined', t.__('All metrics on one chart')]
        ],
        this._layout
      );
      layout.addEventListener('change', () => {
        this._layout = layout.value === 'combined' ? 'combined' : 'separate';
        onLayout(this._layout);
      });
      bar.append(layout);
    }
    return bar;
  }

  private _trans: TranslationBundle;
  private _options: IChartOptions;
  private _layout: ChartLayout = 'separate';
  private _onChange: (options: IChartOptions) => void;
  private _onLayout: ((layout: ChartLayout) => void) | null;
}

export namespace ChartControls {
  export interface IOptions {
    trans: TranslationBundle;
    initial?: IChartOptions;
    /** Axis, scale or smoothing changed. */
    onChange: (options: IChartOptions) => void;
    /** Given: the layout choice is shown, and this hears it. */
    onLayout?: (layout: ChartLayout) => void;
  }
}

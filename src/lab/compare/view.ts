/**
 * The compare view: 2 to 50 experiments side by side. The experiments
 * (each with the colour of its lines), the params and metric-summary
 * tables with the rows that differ marked, one chart per metric with a
 * line per experiment, parallel coordinates, the environment and data
 * inputs of each against a reference experiment, the diff of two flattened
 * scripts, and the notebook diff of the reference's last snapshot with each
 * other's. The data comes from src/core/compare; loaded on demand (the
 * plugin imports this module lazily).
 *
 * Names, params, package names and code are all put in the page as text.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { compareNames } from '../../core/compare';
import type { IChartLine } from '../ui/charts/chartline';
import { CommandIDs } from '../commands';
import { ChartControls } from '../ui/charts/chartcontrols';
import { themeColors } from '../ui/charts/colors';
import { statusBadge } from '../ui/badges';
import { el } from '../ui/dom';
import { formatTime } from '../ui/format';
import type { ChartNeed, MetricChart } from '../ui/charts/metricschart';
import { renderCode } from './code';
import { CompareContext } from './context';
import { renderEnvironment } from './environment';
import type { CompareModel, ICompareRun, IRunEnvironment } from './model';
import { renderParallel } from './parallel';
import { renderTables } from './tables';

/** Charts with more lines than this have no legend (the header says whose colour is whose). */
const MAX_LEGEND = 12;

export class CompareView extends Widget {
  constructor(options: CompareView.IOptions) {
    super();
    this._model = options.model;
    this._trans = options.trans;
    this._commands = options.commands;
    this.addClass('jp-Labbook-compare');
    this.node.append(
      el('div', 'jp-Labbook-compareLoading', this._trans.__('Loading…'))
    );
    this.ready = this._load();
  }

  /** Resolves once everything but the on-demand parts is shown. */
  readonly ready: Promise<void>;

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._disposeCharts();
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    // Charts made while the view was hidden have a guessed width.
    if (this._chartsPending) {
      this._renderCharts();
    }
  }

  private async _load(): Promise<void> {
    const t = this._trans;
    try {
      const { runs, missing } = await this._model.load();
      if (this.isDisposed) {
        return;
      }
      // For profiles and the bench: the reads end here, the drawing starts.
      performance.mark('labbook:compare:loaded');
      this._runs = runs;
      this._colors = themeColors(runs.length);
      this._ctx = new CompareContext({
        runs,
        colors: this._colors,
        model: this._model,
        trans: t,
        commands: this._commands,
        isDisposed: () => this.isDisposed,
        width: () => this.node.clientWidth
      });
      this._base = runs[0]?.id ?? '';
      const problems = el('div', 'jp-Labbook-compareProblems');
      for (const m of missing) {
        problems.append(
          el(
            'div',
            'jp-Labbook-compareProblem',
            t.__('Not compared: %1 (%2)', m.id, m.problem)
          )
        );
      }
      for (const r of runs) {
        for (const d of r.damaged) {
          problems.append(
            el(
              'div',
              'jp-Labbook-compareProblem',
              t.__('%1: could not read %2', r.experiment.name, d)
            )
          );
        }
      }
      if (runs.length < 2) {
        problems.append(
          el(
            'div',
            'jp-Labbook-compareProblem',
            t.__('Fewer than two of these experiments could be read.')
          )
        );
        this.node.replaceChildren(problems);
        return;
      }
      this._sections = {
        runs: this._section('runs', t.__('Experiments')),
        tables: this._section('tables', t.__('Parameters and metrics')),
        metrics: this._section('metrics', t.__('Metrics')),
        parallel: this._section('parallel', t.__('Parallel coordinates')),
        environment: this._section('environment', t.__('Environment')),
        code: this._section('code', t.__('Code')),
        notebook: this._section('notebook', t.__('Notebook diff'))
      };
      this.node.replaceChildren(
        problems,
        ...Object.values(this._sections).map(s => s.box)
      );
      this._renderRuns();
      renderTables(this._ctx, this._s.tables.body, { onlyDifferences: false });
      await this._startCharts();
      // The charts are painted before the rest is drawn and read: fifty
      // runs' environments, inputs and snapshots are 200 requests.
      await Private.painted();
      if (this.isDisposed) {
        return;
      }
      renderParallel(this._ctx, this._s.parallel.body, this._metricNames);
      const pending = (s: keyof CompareView.Sections) =>
        this._s[s].body.replaceChildren(
          el('div', 'jp-Labbook-compareLoading', t.__('Loading…'))
        );
      pending('environment');
      pending('notebook');
      renderCode(this._ctx, this._s.code.body);
      const ids = runs.map(r => r.id);
      const [envs, snapshots] = await Promise.all([
        this._model.environments(ids),
        this._model.lastSnapshots(ids)
      ]);
      if (this.isDisposed) {
        return;
      }
      this._envs = envs;
      this._snapshots = snapshots;
      this._renderEnvironment();
      this._renderNotebook();
      this.node.dataset.state = 'ready';
    } catch (error) {
      this.node.replaceChildren(
        el(
          'div',
          'jp-Labbook-compareProblem',
          t.__('Labbook could not compare: %1', (error as Error).message)
        )
      );
    }
  }

  /* ---------------------------------------------------------------- */
  /* Sections                                                           */
  /* ---------------------------------------------------------------- */

  private _section(name: string, title: string): ISection {
    const box = el('section', 'jp-Labbook-compareSection');
    box.dataset.section = name;
    const body = el('div', 'jp-Labbook-compareBody');
    box.append(el('h2', 'jp-Labbook-compareTitle', title), body);
    return { box, body };
  }

  private get _s(): CompareView.Sections {
    return this._sections!;
  }

  /* ---------------------------------------------------------------- */
  /* 1. Experiments                                                     */
  /* ---------------------------------------------------------------- */

  private _renderRuns(): void {
    const t = this._trans;
    const list = el('ol', 'jp-Labbook-compareRuns');
    for (const r of this._runs) {
      const e = r.experiment;
      const item = el('li', 'jp-Labbook-compareRun');
      item.dataset.id = r.id;
      item.append(
        this._ctx!.label(r),
        statusBadge(e, t),
        el('span', 'jp-Labbook-compareStarted', formatTime(e.started))
      );
      list.append(item);
    }
    const base = this._ctx!.runSelect(
      'jp-Labbook-compareBase',
      t.__('Reference experiment'),
      this._base
    );
    base.addEventListener('change', () => {
      this._base = base.value;
      this._renderEnvironment();
      this._renderNotebook();
    });
    const baseLabel = el('label', 'jp-Labbook-compareBaseLabel');
    baseLabel.append(
      document.createTextNode(
        t.__('Reference for environment and notebook diffs')
      ),
      base
    );
    this._s.runs.body.replaceChildren(list, baseLabel);
  }

  /* ---------------------------------------------------------------- */
  /* 3. Metric charts                                                   */
  /* ---------------------------------------------------------------- */

  private async _startCharts(): Promise<void> {
    const t = this._trans;
    const names = [
      ...new Set(this._runs.flatMap(r => r.series.map(s => s.name)))
    ].sort(compareNames);
    this._metricNames = names;
    const body = this._s.metrics.body;
    if (names.length === 0) {
      body.replaceChildren(
        el('div', 'jp-Labbook-compareNote', t.__('No metrics logged.'))
      );
      return;
    }
    this._controls = new ChartControls({
      trans: t,
      onChange: options => {
        for (const chart of this._charts) {
          chart.setOptions(options);
        }
      }
    });
    this._chartsHost = el('div', 'jp-Labbook-compareCharts');
    // How many runs are drawn from their previews (for tests and profiles).
    this._s.metrics.box.dataset.previews = String(this._model.previews);
    body.replaceChildren(this._controls.node, this._chartsHost);
    // Its loading started with the command (src/lab/compare/plugin.ts).
    this._chartModule = await import('../ui/charts/metricschart');
    if (!this.isDisposed) {
      this._renderCharts();
    }
  }

  private _renderCharts(): void {
    const module = this._chartModule;
    const host = this._chartsHost;
    if (!module || !host || !this._controls) {
      return;
    }
    this._disposeCharts();
    host.replaceChildren();
    // Hidden (another tab in front): draw at a guess, again when shown.
    this._chartsPending = !this.isVisible;
    for (const name of this._metricNames) {
      const { lines, colors } = this._linesOf(name);
      const box = el('div', 'jp-Labbook-metric');
      box.dataset.metric = name;
      const chartHost = el('div', 'jp-Labbook-metricChart');
      box.append(el('div', 'jp-Labbook-metricName', name), chartHost);
      host.append(box);
      const width = box.clientWidth > 0 ? box.clientWidth - 8 : 560;
      this._charts.push(
        new module.MetricChart(
          chartHost,
          lines,
          width,
          this._controls.options,
          {
            colors,
            legend: lines.length <= MAX_LEGEND,
            height: 220,
            bucketColumns: 4
          },
          need => void this._refine(need)
        )
      );
    }
  }

  /** One metric's line of each run that logged it, named after the run. */
  private _linesOf(name: string): { lines: IChartLine[]; colors: string[] } {
    const lines: IChartLine[] = [];
    const colors: string[] = [];
    for (const r of this._runs) {
      const s = r.series.find(x => x.name === name);
      if (s) {
        lines.push({ ...s, name: r.experiment.name });
        colors.push(this._ctx!.colorOf.get(r.id)!);
      }
    }
    return { lines, colors };
  }

  /**
   * Finer lines when a chart needs them, once each: the full overviews for
   * a chart wider than the previews draw well, every point for smoothing
   * or a zoom finer than the overviews. The charts are drawn again.
   */
  private async _refine(need: ChartNeed): Promise<void> {
    const overviews = need === 'finer' && this._model.previews > 0;
    if (overviews ? this._overviews : this._points) {
      return;
    }
    const loading = overviews
      ? (this._overviews = this._model.loadOverviews(this._runs))
      : (this._points = this._model.loadPoints(this._runs));
    try {
      await loading;
    } catch (error) {
      console.warn('Labbook could not read the metric points', error);
      return;
    }
    if (!this.isDisposed) {
      for (const [i, chart] of this._charts.entries()) {
        chart.update(this._linesOf(this._metricNames[i]).lines);
      }
    }
  }

  private _disposeCharts(): void {
    for (const chart of this._charts) {
      chart.dispose();
    }
    this._charts = [];
  }

  /* ---------------------------------------------------------------- */
  /* 4-6. Parallel coordinates, environment, code: parallel.ts,          */
  /* environment.ts, code.ts                                            */
  /* ---------------------------------------------------------------- */

  private _renderEnvironment(): void {
    if (this._envs && this._sections && this._ctx) {
      renderEnvironment(
        this._ctx,
        this._s.environment.body,
        this._envs,
        this._base
      );
    }
  }

  /* ---------------------------------------------------------------- */
  /* 7. Notebook diff                                                   */
  /* ---------------------------------------------------------------- */

  private _renderNotebook(): void {
    const snapshots = this._snapshots;
    if (!snapshots || !this._sections) {
      return;
    }
    const t = this._trans;
    const base = this._ctx!.run(this._base);
    const from = snapshots.get(base.id) ?? null;
    const rows: HTMLElement[] = [];
    const describe = (s: typeof from) =>
      s ? `${t.__(s.reason)} ${formatTime(s.taken)}` : t.__('no snapshot');
    for (const r of this._runs) {
      if (r.id === base.id) {
        continue;
      }
      const to = snapshots.get(r.id) ?? null;
      const row = el('div', 'jp-Labbook-nbPair');
      row.dataset.id = r.id;
      const button = el(
        'button',
        'jp-mod-styled jp-mod-accept jp-Labbook-nbDiff',
        t.__('Open notebook diff')
      );
      button.disabled = !from || !to;
      button.title = button.disabled
        ? t.__('Both experiments need a snapshot')
        : t.__(
            'Compare the last snapshots of %1 and %2',
            base.experiment.name,
            r.experiment.name
          );
      button.addEventListener('click', () => {
        if (from && to) {
          void this._commands.execute(CommandIDs.diffSnapshots, {
            id: base.id,
            a: from.id,
            idB: r.id,
            b: to.id
          });
        }
      });
      row.append(
        this._ctx!.label(base),
        el('span', 'jp-Labbook-nbSnapshot', describe(from)),
        el('span', '', '↔'),
        this._ctx!.label(r),
        el('span', 'jp-Labbook-nbSnapshot', describe(to)),
        button
      );
      rows.push(row);
    }
    this._s.notebook.body.replaceChildren(
      el(
        'div',
        'jp-Labbook-compareNote',
        t.__(
          'The last snapshot of %1 against the last of each other.',
          base.experiment.name
        )
      ),
      ...rows
    );
  }

  private _model: CompareModel;
  private _trans: TranslationBundle;
  private _commands: CommandRegistry;
  private _runs: ICompareRun[] = [];
  private _colors: string[] = [];
  private _ctx: CompareContext | null = null;
  private _base = '';
  private _sections: CompareView.Sections | null = null;
  private _metricNames: string[] = [];
  private _controls: ChartControls | null = null;
  private _chartsHost: HTMLDivElement | null = null;
  private _chartModule: typeof import('../ui/charts/metricschart') | null =
    null;
  private _charts: MetricChart[] = [];
  private _points: Promise<void> | null = null;
  private _overviews: Promise<void> | null = null;
  private _chartsPending = false;
  private _envs: Map<string, IRunEnvironment> | null = null;
  private _snapshots: Map<
    string,
    import('../../core/model').ISnapshotInfo | null
  > | null = null;
}

interface ISection {
  box: HTMLElement;
  body: HTMLElement;
}

export namespace CompareView {
  export interface IOptions {
    model: CompareModel;
    trans: TranslationBundle;
    commands: CommandRegistry;
  }

  export type Sections = Record<
    | 'runs'
    | 'tables'
    | 'metrics'
    | 'parallel'
    | 'environment'
    | 'code'
    | 'notebook',
    ISection
  >;
}

namespace Private {
  /**
   * Resolves once what was drawn so far has been painted: after the next
   * animation frame, in the task that follows it. A hidden page paints no
   * frames, so a timer stands in after 100 ms.
   */
  export function painted(): Promise<void> {
    return new Promise(resolve => {
      const timer = setTimeout(resolve, 100);
      requestAnimationFrame(() =>
        setTimeout(() => {
          clearTimeout(timer);
          resolve();
        }, 0)
      );
    });
  }
}

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
import {
  compareNames,
  diffEnvironments,
  diffInputs,
  diffScripts,
  metricsTable,
  onlyDifferences,
  paramsTable,
  parallelCoordinates,
  type IEnvDiff,
  type IInputDiff,
  type IMetricKey,
  type IParallelCoordinates,
  type MetricStat
} from '../../core/compare';
import type { IMetricSummary } from '../../core/model';
import type { IChartLine } from '../ui/charts/chartline';
import { CommandIDs } from '../commands';
import { renderTextDiff, type DiffMode } from '../diff/textdiff';
import { ChartControls } from '../ui/charts/chartcontrols';
import { themeColors } from '../ui/charts/colors';
import { statusBadge } from '../ui/badges';
import { el, svgEl } from '../ui/dom';
import { formatTime } from '../ui/format';
import type { ChartNeed, MetricChart } from '../ui/charts/metricschart';
import type { CompareModel, ICompareRun, IRunEnvironment } from './model';

const STATS: MetricStat[] = ['last', 'min', 'max'];

/** Most parameter axes drawn at first in the parallel coordinates. */
const MAX_AXES = 12;

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
      this._colorOf = new Map(runs.map((r, i) => [r.id, this._colors[i]]));
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
      this._renderTables();
      await this._startCharts();
      // The charts are painted before the rest is drawn and read: fifty
      // runs' environments, inputs and snapshots are 200 requests.
      await Private.painted();
      if (this.isDisposed) {
        return;
      }
      this._renderParallel();
      const pending = (s: keyof CompareView.Sections) =>
        this._s[s].body.replaceChildren(
          el('div', 'jp-Labbook-compareLoading', t.__('Loading…'))
        );
      pending('environment');
      pending('notebook');
      this._renderCode();
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

  /** A colour swatch and a name: how an experiment is named everywhere. */
  private _label(run: ICompareRun, cls = ''): HTMLElement {
    const label = el('span', `jp-Labbook-compareLabel ${cls}`.trim());
    const swatch = el('span', 'jp-Labbook-compareSwatch');
    swatch.style.background = this._colorOf.get(run.id) ?? '';
    label.append(
      swatch,
      el('span', 'jp-Labbook-compareName', run.experiment.name)
    );
    label.title = `${run.experiment.name}\n${run.id}`;
    return label;
  }

  private _runSelect(cls: string, label: string, value: string) {
    const select = el('select', `jp-mod-styled ${cls}`);
    select.setAttribute('aria-label', label);
    select.title = label;
    for (const r of this._runs) {
      const o = el('option', '', r.experiment.name);
      o.value = r.id;
      select.append(o);
    }
    select.value = value;
    return select;
  }

  private _run(id: string): ICompareRun {
    return this._runs.find(r => r.id === id) ?? this._runs[0];
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
        this._label(r),
        statusBadge(e, t),
        el('span', 'jp-Labbook-compareStarted', formatTime(e.started))
      );
      list.append(item);
    }
    const base = this._runSelect(
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
  /* 2. Params and metric summaries                                     */
  /* ---------------------------------------------------------------- */

  private _renderTables(): void {
    const t = this._trans;
    const only = el('input', 'jp-Labbook-compareOnlyDiff');
    only.type = 'checkbox';
    only.checked = this._onlyDifferences;
    const onlyLabel = el('label', 'jp-Labbook-compareOnlyDiffLabel');
    onlyLabel.append(
      only,
      document.createTextNode(t.__('Show only differences'))
    );
    const tables = el('div', 'jp-Labbook-compareTables');
    const draw = () => {
      let params = paramsTable(this._runs);
      let metrics = metricsTable(this._runs);
      const summary = t.__(
        '%1 of %2 parameters differ; %3 of %4 metrics differ',
        params.differing,
        params.rows.length,
        metrics.differing,
        metrics.rows.length
      );
      if (this._onlyDifferences) {
        params = onlyDifferences(params);
        metrics = onlyDifferences(metrics);
      }
      const paramRows = params.rows.map(row => {
        const tr = el(
          'tr',
          `jp-Labbook-compareRow${row.differs ? ' jp-mod-differs' : ''}`
        );
        tr.dataset.name = row.name;
        tr.append(el('th', '', row.name));
        for (const cell of row.cells) {
          const td = el(
            'td',
            cell.present
              ? cell.isSource
                ? 'jp-mod-source'
                : ''
              : 'jp-mod-missing',
            cell.present ? cell.display : '—'
          );
          td.title = cell.present ? cell.display : t.__('not set');
          tr.append(td);
        }
        return tr;
      });
      const metricRows = metrics.rows.flatMap(row =>
        STATS.filter(stat => !this._onlyDifferences || row.differsBy[stat]).map(
          stat => {
            const tr = el(
              'tr',
              `jp-Labbook-compareRow${row.differsBy[stat] ? ' jp-mod-differs' : ''}`
            );
            tr.dataset.name = row.name;
            tr.dataset.stat = stat;
            const th = el('th', '');
            th.append(
              el('span', '', row.name),
              el('span', 'jp-Labbook-compareStat', ` · ${t.__(stat)}`)
            );
            tr.append(th);
            for (const cell of row.cells) {
              tr.append(metricCell(cell, stat, t));
            }
            return tr;
          }
        )
      );
      tables.replaceChildren(
        el('div', 'jp-Labbook-compareSummary', summary),
        this._table('jp-Labbook-compareParams', t.__('Parameter'), paramRows),
        el('h3', 'jp-Labbook-compareSubtitle', t.__('Metric summaries')),
        this._table('jp-Labbook-compareMetrics', t.__('Metric'), metricRows)
      );
    };
    only.addEventListener('change', () => {
      this._onlyDifferences = only.checked;
      draw();
    });
    draw();
    this._s.tables.body.replaceChildren(onlyLabel, tables);
  }

  private _table(
    cls: string,
    corner: string,
    rows: HTMLTableRowElement[]
  ): HTMLElement {
    const scroll = el('div', 'jp-Labbook-compareScroll');
    const table = el('table', `jp-Labbook-compareTable ${cls}`);
    const head = el('tr');
    head.append(el('th', 'jp-Labbook-compareCorner', corner));
    for (const r of this._runs) {
      const th = el('th', '');
      th.append(this._label(r));
      head.append(th);
    }
    const thead = el('thead');
    thead.append(head);
    const tbody = el('tbody');
    tbody.append(...rows);
    if (rows.length === 0) {
      const tr = el('tr', 'jp-Labbook-compareEmpty');
      const td = el(
        'td',
        '',
        this._onlyDifferences ? this._trans.__('No differences') : '—'
      );
      td.colSpan = this._runs.length + 1;
      tr.append(td);
      tbody.append(tr);
    }
    table.append(thead, tbody);
    scroll.append(table);
    return scroll;
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
        colors.push(this._colorOf.get(r.id)!);
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
  /* 4. Parallel coordinates                                            */
  /* ---------------------------------------------------------------- */

  private _renderParallel(): void {
    const t = this._trans;
    const body = this._s.parallel.body;
    const params = paramsTable(this._runs);
    if (params.rows.length === 0 && this._metricNames.length === 0) {
      body.replaceChildren(
        el('div', 'jp-Labbook-compareNote', t.__('No parameters or metrics.'))
      );
      return;
    }
    // Axes: the params that differ (all of them when none does), at most MAX_AXES at first.
    const differing = params.rows.filter(r => r.differs).map(r => r.name);
    const initial = (
      differing.length ? differing : params.rows.map(r => r.name)
    ).slice(0, MAX_AXES);
    const chosen = new Set(initial);
    const bar = el('div', 'jp-Labbook-parallelControls');
    const metric = el('select', 'jp-mod-styled jp-Labbook-parallelMetric');
    metric.setAttribute('aria-label', t.__('Metric axis'));
    metric.title = t.__('Metric axis');
    const none = el('option', '', t.__('No metric'));
    none.value = '';
    metric.append(none);
    for (const name of this._metricNames) {
      const o = el('option', '', name);
      o.value = name;
      metric.append(o);
    }
    metric.value = this._metricNames[0] ?? '';
    const stat = el('select', 'jp-mod-styled jp-Labbook-parallelStat');
    stat.setAttribute('aria-label', t.__('Metric value'));
    for (const s of STATS) {
      const o = el('option', '', t.__(s));
      o.value = s;
      stat.append(o);
    }
    const axes = el('details', 'jp-Labbook-parallelAxes');
    const axesSummary = el('summary', '');
    axes.append(axesSummary);
    const syncSummary = () => {
      axesSummary.textContent = t.__(
        'Parameters shown: %1 of %2',
        chosen.size,
        params.rows.length
      );
    };
    for (const row of params.rows) {
      const box = el('input', 'jp-Labbook-parallelAxis');
      box.type = 'checkbox';
      box.checked = chosen.has(row.name);
      box.addEventListener('change', () => {
        if (box.checked) {
          chosen.add(row.name);
        } else {
          chosen.delete(row.name);
        }
        syncSummary();
        draw();
      });
      const label = el('label', 'jp-Labbook-parallelAxisLabel');
      label.append(box, document.createTextNode(row.name));
      axes.append(label);
    }
    syncSummary();
    bar.append(metric, stat, axes);
    const chart = el('div', 'jp-Labbook-parallelChart');
    const draw = () => {
      const key: IMetricKey | null = metric.value
        ? { name: metric.value, stat: stat.value as MetricStat }
        : null;
      const names = params.rows.map(r => r.name).filter(n => chosen.has(n));
      const data = parallelCoordinates(this._runs, names, key);
      chart.replaceChildren(this._parallelSVG(data));
    };
    metric.addEventListener('change', draw);
    stat.addEventListener('change', draw);
    body.replaceChildren(bar, chart);
    draw();
  }

  private _parallelSVG(data: IParallelCoordinates): Element {
    const t = this._trans;
    if (data.axes.length === 0) {
      return el('div', 'jp-Labbook-compareNote', t.__('Choose axes to draw.'));
    }
    const width = Math.max(480, this.node.clientWidth - 48);
    const height = 320;
    const top = 36;
    const bottom = 24;
    const side = 70;
    const n = data.axes.length;
    const xAt = (k: number) =>
      n === 1 ? width / 2 : side + (k * (width - 2 * side)) / (n - 1);
    const yAt = (v: number) => top + (1 - v) * (height - top - bottom);
    const svg = svgEl('svg', 'jp-Labbook-parallel');
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', t.__('Parallel coordinates'));
    const cut = (s: string, max: number) =>
      s.length > max ? `${s.slice(0, max - 1)}…` : s;
    data.axes.forEach((axis, k) => {
      const g = svgEl('g', 'jp-Labbook-parallelAxisGroup');
      g.dataset.key = axis.key;
      const line = svgEl('line', 'jp-Labbook-parallelAxisLine');
      line.setAttribute('x1', String(xAt(k)));
      line.setAttribute('x2', String(xAt(k)));
      line.setAttribute('y1', String(yAt(1)));
      line.setAttribute('y2', String(yAt(0)));
      const label = svgText(
        'jp-Labbook-parallelLabel',
        cut(axis.label, 22),
        xAt(k),
        14
      );
      label.append(svgTitle(axis.label));
      g.append(line, label);
      const tick = (text: string, v: number) => {
        const tx = svgText(
          'jp-Labbook-parallelTick',
          cut(text, 14),
          xAt(k) + 4,
          yAt(v) + 4
        );
        tx.setAttribute('text-anchor', 'start');
        tx.append(svgTitle(text));
        g.append(tx);
      };
      if (
        axis.kind === 'numeric' &&
        axis.min !== undefined &&
        axis.max !== undefined
      ) {
        tick(formatNumber(axis.max), 1);
        if (axis.max !== axis.min) {
          tick(formatNumber(axis.min), 0);
        }
      } else if (axis.categories) {
        const cats = axis.categories;
        const every = Math.ceil(cats.length / 10);
        cats.forEach((c, i) => {
          if (i % every === 0 || i === cats.length - 1) {
            tick(c, cats.length > 1 ? i / (cats.length - 1) : 0.5);
          }
        });
      }
      svg.append(g);
    });
    data.lines.forEach(line => {
      const run = this._run(line.id);
      let d = '';
      let pen = false;
      line.values.forEach((v, k) => {
        if (v === null) {
          pen = false;
          return;
        }
        d += `${pen ? 'L' : 'M'}${xAt(k).toFixed(1)},${yAt(v).toFixed(1)}`;
        pen = true;
      });
      // A line with one point still shows as a dot.
      const path = svgEl('path', 'jp-Labbook-parallelLine');
      path.dataset.id = line.id;
      path.setAttribute('d', d || 'M0,0');
      path.setAttribute('stroke', this._colorOf.get(line.id) ?? 'currentColor');
      path.append(
        svgTitle(
          [
            run.experiment.name,
            ...data.axes.map((a, k) => `${a.label}: ${line.labels[k] || '—'}`)
          ].join('\n')
        )
      );
      svg.append(path);
    });
    return svg;
  }

  /* ---------------------------------------------------------------- */
  /* 5. Environment and data inputs                                     */
  /* ---------------------------------------------------------------- */

  private _renderEnvironment(): void {
    const envs = this._envs;
    if (!envs || !this._sections) {
      return;
    }
    const t = this._trans;
    const base = this._run(this._base);
    const baseEnv = envs.get(base.id);
    const out: HTMLElement[] = [this._envFacts(base, baseEnv)];
    for (const r of this._runs) {
      if (r.id === base.id) {
        continue;
      }
      const env = envs.get(r.id);
      const diff = diffEnvironments(
        baseEnv?.environment ?? null,
        env?.environment ?? null
      );
      const inputs = diffInputs(baseEnv?.inputs ?? [], env?.inputs ?? []);
      out.push(this._envDiff(base, r, diff, inputs, env));
    }
    this._s.environment.body.replaceChildren(
      el(
        'div',
        'jp-Labbook-compareNote',
        t.__('Each experiment against %1.', base.experiment.name)
      ),
      ...out
    );
  }

  /** The reference's Python, platform and commit, so "same" means something. */
  private _envFacts(run: ICompareRun, env: IRunEnvironment | undefined) {
    const t = this._trans;
    const box = el('div', 'jp-Labbook-envFacts');
    box.dataset.id = run.id;
    box.append(this._label(run));
    const e = env?.environment;
    if (!e) {
      box.append(
        el(
          'span',
          'jp-Labbook-compareNote',
          env?.problem ?? t.__('No environment recorded.')
        )
      );
      return box;
    }
    const facts = [
      e.python ? `Python ${e.python.version}` : '',
      e.platform ? `${e.platform.system} ${e.platform.machine}` : '',
      e.git
        ? `git ${String(e.git.commit ?? '').slice(0, 10)}${e.git.dirty ? ' (dirty)' : ''}`
        : '',
      e.packages ? t.__('%1 packages', Object.keys(e.packages).length) : ''
    ].filter(Boolean);
    box.append(el('span', 'jp-Labbook-envFactList', facts.join(' · ')));
    return box;
  }

  private _envDiff(
    base: ICompareRun,
    run: ICompareRun,
    diff: IEnvDiff,
    inputs: IInputDiff[],
    env: IRunEnvironment | undefined
  ): HTMLElement {
    const t = this._trans;
    const box = el('div', 'jp-Labbook-envDiff');
    box.dataset.id = run.id;
    const s = diff.summary;
    const changedInputs = inputs.filter(i => i.kind !== 'same');
    const summary =
      diff.collected.b === null
        ? (env?.problem ?? t.__('No environment recorded.'))
        : diff.collected.a === null
          ? t.__('No environment recorded for %1.', base.experiment.name)
          : s.same && changedInputs.length === 0
            ? t.__('Same environment and inputs')
            : t.__(
                '%1 packages changed, %2 added, %3 removed; %4 other parts differ; %5 inputs differ',
                s.packagesChanged,
                s.packagesAdded,
                s.packagesRemoved,
                s.partsChanged - (diff.packages.status === 'changed' ? 1 : 0),
                changedInputs.length
              );
    const head = el('div', 'jp-Labbook-envHead');
    head.append(this._label(run), el('span', 'jp-Labbook-envSummary', summary));
    box.append(head);
    const list = (cls: string, items: HTMLElement[]) => {
      if (items.length) {
        const ul = el('ul', cls);
        ul.append(...items);
        box.append(ul);
      }
    };
    const p = diff.packages;
    list(
      'jp-Labbook-envPackages',
      [...p.changed, ...p.added, ...p.removed].map(c => {
        const li = el(
          'li',
          `jp-Labbook-envPackage jp-mod-${c.kind}`,
          `${c.name} ${c.from ?? '∅'} → ${c.to ?? '∅'} (${t.__(c.kind)})`
        );
        li.dataset.kind = c.kind;
        li.dataset.name = c.name;
        return li;
      })
    );
    const fields: HTMLElement[] = [];
    for (const part of diff.parts) {
      if (part.status === 'changed') {
        for (const c of part.changes) {
          const li = el(
            'li',
            'jp-Labbook-envField',
            `${part.part} ${c.field}: ${show(c.a)} → ${show(c.b)}`
          );
          li.dataset.part = part.part;
          fields.push(li);
        }
      } else if (
        part.status === 'not-collected' &&
        diff.collected.a !== null &&
        diff.collected.b !== null
      ) {
        const why = [part.reasons?.a, part.reasons?.b]
          .filter(Boolean)
          .join('; ');
        fields.push(
          el(
            'li',
            'jp-Labbook-envField jp-mod-notCollected',
            t.__('%1: not collected (%2)', part.part, why)
          )
        );
      }
    }
    list('jp-Labbook-envFields', fields);
    list(
      'jp-Labbook-envInputs',
      changedInputs.map(i => {
        const hash = (x: IInputDiff['a']) =>
          x
            ? x.hash
              ? x.hash.replace(/^sha256:/, '').slice(0, 12)
              : (x.note ?? t.__('no hash'))
            : '∅';
        const li = el(
          'li',
          `jp-Labbook-envInput jp-mod-${i.kind}`,
          `${i.name}: ${t.__(i.kind)} (${hash(i.a)} → ${hash(i.b)})${
            i.pathChanged ? ` ${i.a?.path} → ${i.b?.path}` : ''
          }`
        );
        li.dataset.kind = i.kind;
        return li;
      })
    );
    box.title = t.__(
      '%1 against %2',
      run.experiment.name,
      base.experiment.name
    );
    return box;
  }

  /* ---------------------------------------------------------------- */
  /* 6. Code                                                            */
  /* ---------------------------------------------------------------- */

  private _renderCode(): void {
    const t = this._trans;
    const a = this._runSelect(
      'jp-Labbook-codeA',
      t.__('Script A'),
      this._runs[0].id
    );
    const b = this._runSelect(
      'jp-Labbook-codeB',
      t.__('Script B'),
      this._runs[1].id
    );
    const mode = el('select', 'jp-mod-styled jp-Labbook-codeMode');
    mode.setAttribute('aria-label', t.__('Diff layout'));
    for (const [value, label] of [
      ['unified', t.__('Unified')],
      ['side-by-side', t.__('Side by side')]
    ]) {
      const o = el('option', '', label);
      o.value = value;
      mode.append(o);
    }
    const bar = el('div', 'jp-Labbook-codeControls');
    bar.append(a, el('span', '', '↔'), b, mode);
    const out = el('div', 'jp-Labbook-codeDiff');
    let generation = 0;
    const draw = async () => {
      const mine = ++generation;
      out.replaceChildren(
        el('div', 'jp-Labbook-compareLoading', t.__('Loading…'))
      );
      const ra = this._run(a.value);
      const rb = this._run(b.value);
      try {
        const [sa, sb] = await Promise.all([
          this._model.script(ra.id, ra.experiment.name),
          this._model.script(rb.id, rb.experiment.name)
        ]);
        if (mine !== generation || this.isDisposed) {
          return;
        }
        const diff = diffScripts(sa, sb);
        out.replaceChildren(
          el(
            'div',
            'jp-Labbook-codeSummary',
            diff.same
              ? t.__('Same code')
              : t.__('%1 lines added, %2 removed', diff.added, diff.removed)
          ),
          renderTextDiff(diff.diff, mode.value as DiffMode, {
            context: 3,
            skipped: n => t._n('%1 unchanged line', '%1 unchanged lines', n)
          })
        );
      } catch (error) {
        out.replaceChildren(
          el(
            'div',
            'jp-Labbook-compareProblem',
            t.__('Could not read the history: %1', (error as Error).message)
          )
        );
      }
    };
    for (const s of [a, b, mode]) {
      s.addEventListener('change', () => void draw());
    }
    this._s.code.body.replaceChildren(bar, out);
    void draw();
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
    const base = this._run(this._base);
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
        this._label(base),
        el('span', 'jp-Labbook-nbSnapshot', describe(from)),
        el('span', '', '↔'),
        this._label(r),
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
  private _colorOf = new Map<string, string>();
  private _base = '';
  private _sections: CompareView.Sections | null = null;
  private _onlyDifferences = false;
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

/** `0.123457`, `12`, `1.5e-7`: six significant digits. */
function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

function metricCell(
  cell: IMetricSummary | null,
  stat: MetricStat,
  t: TranslationBundle
): HTMLTableCellElement {
  const v = cell?.[stat];
  if (cell === null) {
    const td = el('td', 'jp-mod-missing', '—');
    td.title = t.__('not logged');
    return td;
  }
  const td = el('td', '', typeof v === 'number' ? formatNumber(v) : '—');
  td.title =
    typeof v === 'number'
      ? `${String(v)} · ${t.__('%1 points', cell.count)}`
      : t.__('no finite value');
  return td;
}

function show(v: string | number | boolean | null): string {
  return v === null ? '∅' : String(v);
}

function svgText(cls: string, text: string, x: number, y: number) {
  const node = svgEl('text', cls);
  node.setAttribute('x', String(x));
  node.setAttribute('y', String(y));
  node.setAttribute('text-anchor', 'middle');
  node.textContent = text;
  return node;
}

function svgTitle(text: string): SVGTitleElement {
  const title = svgEl('title');
  title.textContent = text;
  return title;
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

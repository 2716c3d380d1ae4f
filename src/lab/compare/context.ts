/**
 * What every section of the compare view draws with: the runs compared,
 * their colours, how a run is named (swatch and name) and picked (a
 * select), the model, the translator and the commands.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import type { MetricStat } from '../../core/compare';
import { el } from '../ui/dom';
import type { CompareModel, ICompareRun } from './model';

export class CompareContext {
  constructor(options: CompareContext.IOptions) {
    this.runs = options.runs;
    this.model = options.model;
    this.trans = options.trans;
    this.commands = options.commands;
    this.colorOf = new Map(
      options.runs.map((r, i) => [r.id, options.colors[i]])
    );
    this._isDisposed = options.isDisposed;
    this._width = options.width;
  }

  readonly runs: readonly ICompareRun[];
  readonly model: CompareModel;
  readonly trans: TranslationBundle;
  readonly commands: CommandRegistry;
  /** Each run's line colour, by id. */
  readonly colorOf: ReadonlyMap<string, string>;

  /** Whether the view was closed (late answers are dropped). */
  get isDisposed(): boolean {
    return this._isDisposed();
  }

  /** The view's width in pixels (0 while hidden). */
  width(): number {
    return this._width();
  }

  /** The run with this id, or the first. */
  run(id: string): ICompareRun {
    return this.runs.find(r => r.id === id) ?? this.runs[0];
  }

  /** A colour swatch and a name: how an experiment is named everywhere. */
  label(run: ICompareRun, cls = ''): HTMLElement {
    const label = el('span', `jp-Labbook-compareLabel ${cls}`.trim());
    const swatch = el('span', 'jp-Labbook-compareSwatch');
    swatch.style.background = this.colorOf.get(run.id) ?? '';
    label.append(
      swatch,
      el('span', 'jp-Labbook-compareName', run.experiment.name)
    );
    label.title = `${run.experiment.name}\n${run.id}`;
    return label;
  }

  /** A select of the runs, by name. */
  runSelect(cls: string, label: string, value: string): HTMLSelectElement {
    const select = el('select', `jp-mod-styled ${cls}`);
    select.setAttribute('aria-label', label);
    select.title = label;
    for (const r of this.runs) {
      const o = el('option', '', r.experiment.name);
      o.value = r.id;
      select.append(o);
    }
    select.value = value;
    return select;
  }

  private _isDisposed: () => boolean;
  private _width: () => number;
}

export namespace CompareContext {
  export interface IOptions {
    runs: readonly ICompareRun[];
    /** One per run, in order. */
    colors: readonly string[];
    model: CompareModel;
    trans: TranslationBundle;
    commands: CommandRegistry;
    isDisposed: () => boolean;
    width: () => number;
  }
}

/** The statistics of a metric, in table order. */
export const STATS: readonly MetricStat[] = ['last', 'min', 'max'];

/**
 * What the compare view shows, read from the store: each experiment with
 * its metrics' previews and summaries first (the tables and charts need
 * them; a preview is one small file per run when the store index knows
 * the run), then environments and data inputs, and on demand the full
 * overviews or points, the flattened scripts and the last snapshots. The
 * view does no I/O; it asks this.
 */
import { flattenHistory } from '../../core/history/flatten';
import { summarizeOverview } from '../../core/index/summarize';
import { mapLimit } from '../../core/store/maplimit';
import { MetricsOverview } from '../../core/metrics/overview';
import type {
  IDataInput,
  IEnvironment,
  IExperiment,
  IMetricSummary,
  ISnapshotInfo
} from '../../core/model';
import type { IMetricsExpectation, LabbookStore } from '../../core/store/store';
import {
  lineOfOverview,
  lineOfSeries,
  type IChartLine
} from '../ui/charts/chartline';

/**
 * What compare reads of an experiment's metadata: a folded `IExperiment`
 * or the index's `IExperimentSummary` (the panel's list) both fit.
 */
export type ICompareExperiment = Pick<
  IExperiment,
  'id' | 'name' | 'status' | 'started' | 'params'
>;

/** A store file that could not be read. */
export interface ICompareDamage {
  path: string;
  problem: string;
}

/** One experiment as compared. */
export interface ICompareRun {
  id: string;
  experiment: ICompareExperiment;
  /** What the compare core reads (`ICompared`, `IParallelInput`). */
  params: NonNullable<IExperiment['params']>;
  metrics: { [name: string]: IMetricSummary };
  /**
   * Every metric as a chart draws it, sorted by name: from the store's
   * overviews (a few hundred KB however long the run), or the points once
   * `loadPoints` read them.
   */
  series: IChartLine[];
  /** Store files of it that could not be read, as `path: problem`. */
  damaged: string[];
}

/** An experiment that could not be read at all. */
export interface ICompareMissing {
  id: string;
  problem: string;
}

/** An experiment's environment and data inputs. */
export interface IRunEnvironment {
  environment: IEnvironment | null;
  inputs: IDataInput[];
  /** Why the environment could not be read, if it could not. */
  problem?: string;
}

/**
 * Experiments read at once. A browser opens six connections to a server,
 * so more in flight only queue; issued all together, fifty runs' requests
 * block the page for a moment (each costs JupyterLab a millisecond or two
 * to prepare) right when the charts should paint.
 */
const READS = 6;

export class CompareModel {
  constructor(options: CompareModel.IOptions) {
    this._store = options.store;
    this._known = options.known ?? (() => undefined);
    this.ids = [...options.ids];
  }

  readonly ids: readonly string[];

  /**
   * The experiments with their metrics, in the order of `ids`: read once,
   * from the first call (the command starts it while the view's code
   * loads).
   */
  load(): Promise<{ runs: ICompareRun[]; missing: ICompareMissing[] }> {
    this._loaded ??= this._read();
    return this._loaded;
  }

  private async _read(): Promise<{
    runs: ICompareRun[];
    missing: ICompareMissing[];
  }> {
    const read = await mapLimit(this.ids, READS, async id => {
      // The list the panel holds saves four requests per experiment.
      const known = this._known(id);
      const [{ experiment, damaged }, metrics] = await Promise.all([
        known ?? this._store.readExperiment(id),
        this._store.loadMetricsPreview(id, known?.metrics).catch(error => ({
          overview: new MetricsOverview(),
          damaged: [{ path: `${id}/metrics`, problem: message(error) }],
          preview: false
        }))
      ]);
      if (metrics.preview) {
        this._previews.add(id);
      }
      return {
        id,
        experiment,
        damaged: [...damaged, ...metrics.damaged],
        metrics
      };
    });
    const runs: ICompareRun[] = [];
    const missing: ICompareMissing[] = [];
    for (const r of read) {
      if (!r.experiment) {
        missing.push({
          id: r.id,
          problem:
            r.damaged.map(d => `${d.path}: ${d.problem}`).join('; ') ||
            'not found'
        });
        continue;
      }
      const metrics: { [name: string]: IMetricSummary } = {};
      const overviews = r.metrics.overview.sorted();
      for (const o of overviews) {
        metrics[o.name] = summarizeOverview(o);
      }
      runs.push({
        id: r.id,
        experiment: r.experiment,
        params: r.experiment.params ?? {},
        metrics,
        series: overviews.map(lineOfOverview),
        damaged: r.damaged.map(d => `${d.path}: ${d.problem}`)
      });
    }
    return { runs, missing };
  }

  /** How many runs' lines are drawn from previews (`loadOverviews` refines them). */
  get previews(): number {
    return this._previews.size;
  }

  /**
   * The full overviews of the runs whose lines are previews, for a chart
   * wider than a preview draws well: the lines replaced.
   */
  async loadOverviews(runs: readonly ICompareRun[]): Promise<void> {
    const previews = runs.filter(r => this._previews.has(r.id));
    await mapLimit(previews, READS, async r => {
      const { overview } = await this._store.loadMetricsOverview(r.id);
      if (this._previews.delete(r.id)) {
        r.series = overview.sorted().map(lineOfOverview); // not the points meanwhile
      }
    });
  }

  /**
   * Every point of each run's metrics, for what an overview cannot draw
   * (smoothing, a zoom finer than its buckets): the runs' lines replaced.
   */
  async loadPoints(runs: readonly ICompareRun[]): Promise<void> {
    await mapLimit(runs, READS, async r => {
      const { series } = await this._store.loadMetrics(r.id);
      r.series = series.map(lineOfSeries);
      this._previews.delete(r.id);
    });
  }

  /** Environment and inputs of each experiment, by id. */
  async environments(
    ids: readonly string[]
  ): Promise<Map<string, IRunEnvironment>> {
    const out = new Map<string, IRunEnvironment>();
    await mapLimit(ids, READS, async id => {
      const [env, inputs] = await Promise.all([
        this._store
          .loadEnvironment(id)
          .then(environment => ({ environment, problem: undefined }))
          .catch(error => ({ environment: null, problem: message(error) })),
        this._store
          .loadInputs(id)
          .then(r => r.inputs)
          .catch(() => [] as IDataInput[])
      ]);
      out.set(id, {
        environment: env.environment,
        inputs,
        ...(env.problem ? { problem: env.problem } : {})
      });
    });
    return out;
  }

  /** The flattened script of an experiment (read once, then kept). */
  script(id: string, name: string): Promise<string> {
    let script = this._scripts.get(id);
    if (!script) {
      script = this._store
        .loadHistory(id)
        .then(({ records }) => flattenHistory(records, { experiment: name }));
      script.catch(() => this._scripts.delete(id));
      this._scripts.set(id, script);
    }
    return script;
  }

  /** The last snapshot of each experiment, null when it has none. */
  async lastSnapshots(
    ids: readonly string[]
  ): Promise<Map<string, ISnapshotInfo | null>> {
    const out = new Map<string, ISnapshotInfo | null>();
    await mapLimit(ids, READS, async id => {
      out.set(id, await this._store.lastSnapshot(id).catch(() => null));
    });
    return out;
  }

  private _store: LabbookStore;
  private _known: CompareModel.IOptions['known'] & {};
  private _scripts = new Map<string, Promise<string>>();
  private _previews = new Set<string>();
  private _loaded: ReturnType<CompareModel['load']> | null = null;
}

export namespace CompareModel {
  export interface IOptions {
    store: LabbookStore;
    /** The experiments to compare, in order. */
    ids: readonly string[];
    /**
     * An experiment already read (the manager's list, kept current), with
     * the files of it that could not be read; undefined to read it here.
     */
    known?: (id: string) =>
      | {
          experiment: ICompareExperiment;
          damaged: readonly ICompareDamage[];
          /** What the store index says of its metrics, when it knows. */
          metrics?: IMetricsExpectation;
        }
      | undefined;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What `LabbookStore.changed` tells a listener: which kind of data of
 * which experiment was written, as a union keyed by `type` (a field exists
 * only where it has a meaning).
 */
import type { IExperiment, IMetricSeries } from '../model';

/** An experiment was created. */
export interface IExperimentCreated {
  type: 'created';
  id: string;
  /** The experiment as written (a new one has no edits yet): no need to read it back. */
  experiment: Readonly<IExperiment>;
}

/** Metric points were appended to an experiment. */
export interface IMetricsAppended {
  type: 'metrics';
  id: string;
  /** The points just appended: a listener updates from them without reading the metrics again. */
  series: readonly IMetricSeries[];
  /** The name of the chunk that holds them. */
  chunk: string;
}

/** Something else of an experiment was written, or it was deleted. */
export interface IExperimentChanged {
  type:
    | 'updated'
    | 'history'
    | 'snapshot'
    | 'texts'
    | 'environment'
    | 'inputs'
    | 'images'
    | 'deleted';
  id: string;
}

/** The saved views changed (they belong to no experiment). */
export interface IViewsChanged {
  type: 'views';
  id: '';
}

export type IStoreChange =
  IExperimentCreated | IMetricsAppended | IExperimentChanged | IViewsChanged;

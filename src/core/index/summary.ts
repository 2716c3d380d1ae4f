/**
 * The compact per-experiment summary the store index keeps (issue 7): what
 * the list, the runs table, queries and compare need without reading an
 * experiment's folder. Pure data, JSON-serialisable.
 */
import type {
  ExperimentStatus,
  IMetricSummary,
  IParamSource,
  ParamValue
} from '../model';

export interface IExperimentSummary {
  id: string;
  name: string;
  project: string;
  /** Other projects the experiment is linked into (no copy). */
  links: string[];
  notebook: string;
  tags: string[];
  status: ExperimentStatus;
  /** ISO 8601. */
  started: string;
  ended: string | null;
  /** Milliseconds from start to end (or to the last heartbeat while running); null if unknown. */
  duration: number | null;
  starred: boolean;
  archived: boolean;
  /** Number of cell executions recorded. */
  executions: number;
  /** Kernel spec name. */
  kernel: string;
  params: { [name: string]: ParamValue | IParamSource };
  /** Per metric: last, min, max, step of last, count. */
  metrics: { [name: string]: IMetricSummary };
  /** First 200 characters of the notes, for the list and `like` queries. */
  notes: string;
  /** Set when some of the experiment's files could not be read. */
  damaged?: string;
  /**
   * Writers of its metric chunks, when the index knows them: a reader of
   * its metrics can go straight to their previews (`loadMetricsPreview`).
   */
  metricWriters?: string[];
  /** Set when a training script outside a kernel wrote it (`IExperiment.script`). */
  script?: boolean;
}

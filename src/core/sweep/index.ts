/**
 * Hyperparameter search (issue 14), pure: sweep configs and their
 * importers, the grid / random / TPE samplers, warm start from past
 * experiments, and early-stopping deciders. See each file's header.
 */
export * from './config';
export { suggest, gridPoints, paramsKey } from './samplers';
export type { ISuggestInput, Params, ITrialRecord } from './samplers';
export { warmStartTrials, objectiveValue } from './warmstart';
export type { IWarmStartSource } from './warmstart';
export { shouldStop, hyperbandBrackets } from './earlystop';
export type { IStopDecision } from './earlystop';
export {
  importSweepConfig,
  importWandbSweep,
  importCometOptimizer,
  detectSource
} from './importers';
export type { ImportResult, ConfigSource } from './importers';

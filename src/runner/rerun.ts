/**
 * Re-run an experiment (issue 15): its start snapshot (the notebook as it
 * was when the experiment began) run top to bottom in a fresh kernel by
 * the same runner as sweeps, recorded as a new experiment with
 * `rerunOf` naming the original. With `params`, those values are injected
 * after the `parameters` cell ("Re-run with…").
 */
import type { ParamValue } from '../core/model';
import type { INotebookLike } from '../core/params/inject';
import type { LabbookStore } from '../core/store/store';
import { runNotebook, type IRunResult } from './execute';
import { followKernel, type IKernelFollower } from './follow';
import { TrialRecording } from './record';
import type { ServerConnection } from '@jupyterlab/services';

export interface IRerunOptions {
  serverSettings: ServerConnection.ISettings;
  /** Values that replace the notebook's parameters. */
  params?: { [name: string]: ParamValue };
  signal?: AbortSignal;
  labbookVersion?: string;
}

export interface IRerunResult {
  /** The new experiment's id. */
  experiment: string;
  result: IRunResult;
}

/**
 * @throws Error when the experiment has no snapshot to run
 */
export async function rerunExperiment(
  store: LabbookStore,
  id: string,
  options: IRerunOptions
): Promise<IRerunResult> {
  const original = await store.getExperiment(id);
  const { snapshots } = await store.listSnapshots(id);
  const start = snapshots.find(s => s.reason === 'start') ?? snapshots[0];
  if (!start) {
    throw new Error(`${original.name} has no snapshot to re-run`);
  }
  const nb = (await store.loadSnapshot(
    id,
    start.id
  )) as unknown as INotebookLike;
  const params: { [name: string]: ParamValue } = {};
  for (const [k, v] of Object.entries(original.params ?? {})) {
    if (v === null || typeof v !== 'object' || !('source' in v)) {
      params[k] = v as ParamValue;
    }
  }
  Object.assign(params, options.params ?? {});
  const rec = await TrialRecording.begin(
    store,
    {
      name: `${original.name} (re-run)`,
      notebook: original.notebook,
      project: original.project,
      params,
      rerunOf: id,
      kernelName: original.kernel.name || 'python3',
      tags: ['re-run'],
      ...(options.labbookVersion
        ? { labbookVersion: options.labbookVersion }
        : {})
    },
    nb
  );
  let follower: IKernelFollower | null = null;
  let result: IRunResult;
  try {
    result = await runNotebook(nb, {
      serverSettings: options.serverSettings,
      path: original.notebook,
      ...(original.kernel.name ? { kernelName: original.kernel.name } : {}),
      ...(options.params ? { params: options.params } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onKernel: async kernel => {
        rec.attach(kernel);
        follower = followKernel(kernel, rec);
        await follower.ready;
      },
      beforeShutdown: async () => {
        await follower?.flush();
      }
    });
  } finally {
    (follower as IKernelFollower | null)?.dispose();
  }
  await rec.end(result);
  return { experiment: rec.id, result };
}

/**
 * What a decoded kernel batch (docs/kernel-protocol.md) means for the
 * store: the writes for one experiment, in the order that keeps the store
 * readable at every step (image bytes before the image's record). Pure:
 * no comm, no JupyterLab, so the frontend's bridge and the Node runner
 * store a batch the same way, and a test can check it on a `MemoryStoreFS`.
 *
 * Not here: which experiment a batch goes to, `start`/`end` items (they
 * start and end experiments, see `isControlBatch`), and acknowledging.
 */
import type {
  IDataInput,
  IEnvironment,
  ILoggedImage,
  ILoggedText,
  IMetricSeries
} from '../model';
import type { IDecodedBatch } from '../../kernel/protocol';
import type { LabbookStore } from '../store/store';

/** The store methods `applyBatch` writes through. */
export type IBatchStore = Pick<
  LabbookStore,
  | 'appendMetrics'
  | 'appendTexts'
  | 'putImagePart'
  | 'appendImages'
  | 'appendInputs'
  | 'getExperiment'
  | 'updateExperiment'
  | 'saveEnvironment'
>;

export interface IApplyBatchOptions {
  /**
   * Called for each `env` item instead of saving it in experiment `id`
   * (the frontend also keeps it for experiments started later). Without
   * it, the environment is saved in `id`.
   */
  environment?: (env: IEnvironment) => Promise<void>;
}

/**
 * Store `batch` in experiment `id`: its metric points (marked with the
 * batch's session and seq, so a replay can be recognised with
 * `store.lastBatchSeq`), texts, images (each listed once its last part is
 * stored), data inputs, params (a value the kernel could not send as JSON
 * is kept as `{ source: repr }`), tags (merged with the experiment's),
 * notes (appended on a new line, or replaced), name and environment.
 * `start`, `end` and `display` items are ignored. A failed write rejects;
 * what was written before it stays (every write is idempotent or append-only).
 */
export async function applyBatch(
  store: IBatchStore,
  id: string,
  batch: IDecodedBatch,
  options: IApplyBatchOptions = {}
): Promise<void> {
  if (batch.metrics.length) {
    const series: IMetricSeries[] = batch.metrics.map(s => ({
      name: s.name,
      parent: s.parent,
      steps: s.steps,
      times: s.times,
      values: s.values
    }));
    await store.appendMetrics(id, series, {
      batch: { session: batch.session, seq: batch.seq }
    });
  }
  const texts: ILoggedText[] = batch.items.flatMap(item =>
    item.kind === 'text'
      ? [
          {
            name: item.name,
            text: item.text,
            step: item.step,
            time: item.time,
            parent: item.parent,
            ...(item.truncated ? { truncated: true } : {})
          }
        ]
      : []
  );
  if (texts.length) {
    await store.appendTexts(id, texts);
  }
  // Image bytes first, then the record of each image whose last part
  // arrived: a listed image is always whole, even when its parts came
  // in several batches (or to several tabs).
  const images: ILoggedImage[] = [];
  for (const item of batch.items) {
    if (item.kind === 'image') {
      await store.putImagePart(id, item.id, item.chunk, item.data);
      if (item.chunk === item.chunks - 1) {
        images.push({
          id: item.id,
          name: item.name,
          mime: item.mime,
          step: item.step,
          caption: item.caption,
          width: item.width,
          height: item.height,
          size: item.size,
          parts: item.chunks,
          time: item.time,
          parent: item.parent
        });
      }
    }
  }
  await store.appendImages(id, images);
  const inputs: IDataInput[] = batch.items.flatMap(item =>
    item.kind === 'input'
      ? [{ ...item.input, time: item.time, parent: item.parent }]
      : []
  );
  await store.appendInputs(id, inputs);
  for (const item of batch.items) {
    if (item.kind === 'params') {
      const params: { [k: string]: any } = { ...item.params };
      for (const [k, repr] of Object.entries(item.reprs ?? {})) {
        params[k] = { source: repr };
      }
      await store.updateExperiment(id, { params });
    } else if (item.kind === 'tags') {
      const current = await store.getExperiment(id);
      const tags = [...new Set([...current.tags, ...item.tags])];
      await store.updateExperiment(id, { tags });
    } else if (item.kind === 'note') {
      const current = await store.getExperiment(id);
      const notes = item.append
        ? [current.notes, item.text].filter(Boolean).join('\n')
        : item.text;
      await store.updateExperiment(id, { notes });
    } else if (item.kind === 'name') {
      await store.updateExperiment(id, { name: item.name });
    } else if (item.kind === 'env') {
      if (options.environment) {
        await options.environment(item.env);
      } else {
        await store.saveEnvironment(id, item.env);
      }
    }
  }
}

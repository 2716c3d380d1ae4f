/**
 * The comm protocol between the `labbook` kernel module and the frontend
 * (docs/kernel-protocol.md): message types both ways and the decoder of the
 * kernel's batches. Pure: no JupyterLab imports, runs in Node and the browser.
 */

import type { IDataInput, IEnvironment, ParamValue } from '../core/model';
import { concatF64 } from '../core/metrics/concat';

/** Version of the protocol described here. */
export const PROTOCOL_VERSION = 1;

/** Target name of the comm the frontend opens. */
export const COMM_TARGET = 'labbook';

/** MIME type of the bundle `labbook.display()` outputs. */
export const EXPERIMENT_MIME = 'application/vnd.labbook.experiment+json';

/* ------------------------------------------------------------------ */
/* Kernel → frontend                                                   */
/* ------------------------------------------------------------------ */

/** Fields every non-metric item carries. */
export interface IItemBase {
  /** `msg_id` of the execute_request that was running when it was logged. */
  parent: string | null;
  /** Wall time it was logged, ms since the epoch. */
  time: number;
}

/** Parameters. Values without a JSON form (objects, NaN) are in `reprs` as their Python repr. */
export interface IParamsItem extends IItemBase {
  kind: 'params';
  params: { [name: string]: ParamValue };
  reprs?: { [name: string]: string };
}

/**
 * One metric series' points of one batch. `values`, `steps` and `times` are
 * indices into the message's buffers, each `count` little-endian Float64s
 * (times in ms since the epoch). NaN and infinities are values like others.
 */
export interface IMetricsItem {
  kind: 'metrics';
  name: string;
  parent: string | null;
  count: number;
  values: number;
  steps: number;
  times: number;
}

export interface ITextItem extends IItemBase {
  kind: 'text';
  name: string;
  text: string;
  step: number | null;
  /** The text was cut to the kernel's limit. */
  truncated?: boolean;
}

/**
 * One chunk of a logged image. Chunks of one image share `id`, come in
 * order (`chunk` 0 … `chunks - 1`) and `buffer` indexes the bytes.
 */
export interface IImageItem extends IItemBase {
  kind: 'image';
  id: string;
  name: string;
  mime: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
  step: number | null;
  caption: string | null;
  width: number | null;
  height: number | null;
  /** Size of the whole image in bytes. */
  size: number;
  chunk: number;
  chunks: number;
  buffer: number;
}

/** Tags to add. */
export interface ITagsItem extends IItemBase {
  kind: 'tags';
  tags: string[];
}

/** A note: appended to the notes, or replacing them when `append` is false. */
export interface INoteItem extends IItemBase {
  kind: 'note';
  text: string;
  append: boolean;
}

/** Rename the experiment. */
export interface INameItem extends IItemBase {
  kind: 'name';
  name: string;
}

/**
 * `labbook.start(name=None)`: end the notebook's running experiment, if
 * any, and start a new one. Travels alone in its batch, so what was logged
 * before goes to the experiment before and what comes after to the new one.
 */
export interface IStartItem extends IItemBase {
  kind: 'start';
  name?: string;
}

/** `labbook.end(status)`: end the notebook's running experiment. Alone in its batch. */
export interface IEndItem extends IItemBase {
  kind: 'end';
  status: 'finished' | 'failed' | 'interrupted';
}

/** A data input (`labbook.log_input`). */
export interface IInputItem extends IItemBase {
  kind: 'input';
  input: IDataInput;
}

/** The kernel's environment, sent after the module is defined and on `collect-env`. */
export interface IEnvItem extends IItemBase {
  kind: 'env';
  env: IEnvironment;
}

/** `labbook.display()` was called; the output with `displayId` shows the panel. */
export interface IDisplayItem extends IItemBase {
  kind: 'display';
  displayId: string;
  /** The experiment the kernel knew of then, if any. */
  experimentId: string | null;
}

export type KernelItem =
  | IParamsItem
  | IMetricsItem
  | ITextItem
  | IImageItem
  | ITagsItem
  | INoteItem
  | INameItem
  | IStartItem
  | IEndItem
  | IInputItem
  | IEnvItem
  | IDisplayItem;

export type KernelItemKind = KernelItem['kind'];

/**
 * A numbered batch. `seq` starts at 1 and grows by one per batch within a
 * `session` (one per definition of the module in a kernel process). A batch
 * may arrive more than once (replay after a new comm): apply it idempotently
 * by (session, seq), then acknowledge it.
 */
export interface IKernelBatch {
  type: 'batch';
  protocol: number;
  session: string;
  seq: number;
  items: KernelItem[];
}

/** First message on a new comm, before the replay of unacknowledged batches. */
export interface IKernelReady {
  type: 'ready';
  protocol: number;
  /** Version of the kernel module. */
  version: string;
  session: string;
  /** Oldest unacknowledged batch (replayed next), or null when none. */
  firstSeq: number | null;
  /** Last batch numbered so far (0 when none). */
  lastSeq: number;
  /** Batches dropped because the kernel's spill file was full. */
  dropped: number;
}

/** A comm message from the kernel (not `@jupyterlab/services`' `KernelMessage`). */
export type KernelWireMessage = IKernelBatch | IKernelReady;

/* ------------------------------------------------------------------ */
/* Frontend → kernel                                                   */
/* ------------------------------------------------------------------ */

/** Data of the `comm_open` the frontend sends. */
export interface IHelloMessage {
  type: 'hello';
  protocol: number;
  /** Echoed in the `comm_open` of a comm the kernel opens for this frontend. */
  nonce?: string;
  experimentId: string | null;
  /** Notebook path relative to the server root. */
  notebook: string;
  name?: string | null;
  status?: string | null;
}

/** Every batch of `session` up to and including `seq` is in the store. */
export interface IAckMessage {
  type: 'ack';
  seq: number;
  /** When given and not the kernel's session, the ack is ignored. */
  session?: string;
}

/** The current experiment changed (started, renamed, ended). */
export interface IExperimentMessage {
  type: 'experiment';
  experimentId?: string | null;
  name?: string | null;
  status?: string | null;
  notebook?: string | null;
}

/** Ask the kernel to collect and send its environment again. */
export interface ICollectEnvMessage {
  type: 'collect-env';
}

/** A comm message to the kernel. */
export type FrontendWireMessage =
  IHelloMessage | IAckMessage | IExperimentMessage | ICollectEnvMessage;

/** Data of the `application/vnd.labbook.experiment+json` output. */
export interface IExperimentDisplayData {
  experimentId: string | null;
  notebook: string | null;
  session: string;
  displayId: string;
}

/* ------------------------------------------------------------------ */
/* Decoding                                                            */
/* ------------------------------------------------------------------ */

/** A metric series of one batch, decoded. */
export interface IDecodedSeries {
  name: string;
  parent: string | null;
  values: Float64Array;
  steps: Float64Array;
  times: Float64Array;
}

/** An image chunk with its bytes. */
export interface IDecodedImageChunk extends Omit<IImageItem, 'buffer'> {
  data: Uint8Array;
}

export type DecodedItem =
  Exclude<KernelItem, IMetricsItem | IImageItem> | IDecodedImageChunk;

/** A batch with its binary parts resolved. */
export interface IDecodedBatch {
  session: string;
  seq: number;
  /** Metric series, in batch order (a name may appear twice, e.g. per parent). */
  metrics: IDecodedSeries[];
  /** Every other item, in batch order. */
  items: DecodedItem[];
  /** Items of kinds this version does not know, skipped. */
  skipped: number;
}

/** A comm message that does not follow the protocol. */
export class KernelProtocolError extends Error {
  constructor(message: string) {
    super(`Labbook kernel message: ${message}`);
    this.name = 'KernelProtocolError';
  }
}

/** A buffer as a comm message carries it. */
export type WireBuffer = ArrayBuffer | ArrayBufferView;

/**
 * Decode a batch: check its shape and turn the buffers its metric and
 * image items point at into typed arrays. Throws `KernelProtocolError`
 * naming the problem; never returns a half-decoded batch.
 */
export function decodeBatch(
  data: unknown,
  buffers: readonly WireBuffer[] = []
): IDecodedBatch {
  if (!Private.isObject(data) || data.type !== 'batch') {
    throw new KernelProtocolError('not a batch');
  }
  if (typeof data.protocol === 'number' && data.protocol > PROTOCOL_VERSION) {
    throw new KernelProtocolError(
      `protocol ${data.protocol} is newer than ${PROTOCOL_VERSION}`
    );
  }
  const session = data.session;
  const seq = data.seq;
  if (typeof session !== 'string' || !session) {
    throw new KernelProtocolError('batch without a session');
  }
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) {
    throw new KernelProtocolError(`bad seq ${JSON.stringify(seq)}`);
  }
  if (!Array.isArray(data.items)) {
    throw new KernelProtocolError(`batch ${seq} has no items`);
  }
  const bytes = buffers.map(Private.toBytes);
  const metrics: IDecodedSeries[] = [];
  const items: DecodedItem[] = [];
  let skipped = 0;
  data.items.forEach((item: unknown, i: number) => {
    const where = `batch ${seq} item ${i}`;
    if (!Private.isObject(item) || typeof item.kind !== 'string') {
      throw new KernelProtocolError(`${where} is not an item`);
    }
    switch (item.kind) {
      case 'metrics': {
        const count = item.count;
        if (
          typeof count !== 'number' ||
          !Number.isInteger(count) ||
          count < 0
        ) {
          throw new KernelProtocolError(`${where}: bad count`);
        }
        if (typeof item.name !== 'string') {
          throw new KernelProtocolError(`${where}: metric without a name`);
        }
        const f64 = (field: string) =>
          Private.float64(bytes, item[field], count, `${where} ${field}`);
        metrics.push({
          name: item.name,
          parent: typeof item.parent === 'string' ? item.parent : null,
          values: f64('values'),
          steps: f64('steps'),
          times: f64('times')
        });
        break;
      }
      case 'image': {
        const { buffer, ...rest } = item;
        const data = Private.buffer(bytes, buffer, `${where} buffer`);
        if (typeof rest.id !== 'string' || typeof rest.name !== 'string') {
          throw new KernelProtocolError(`${where}: image without id or name`);
        }
        items.push({ ...(rest as any), data } as IDecodedImageChunk);
        break;
      }
      case 'params':
      case 'text':
      case 'tags':
      case 'note':
      case 'name':
      case 'start':
      case 'end':
      case 'input':
      case 'env':
      case 'display':
        items.push(item as unknown as DecodedItem);
        break;
      default:
        skipped++;
    }
  });
  return { session, seq, metrics, items, skipped };
}

/** Whether a batch starts or ends an experiment (it is stored on its own). */
export function isControlBatch(batch: IDecodedBatch): boolean {
  return batch.items.some(i => i.kind === 'start' || i.kind === 'end');
}

/**
 * Consecutive batches of one session as one: metric points of a name (and
 * the execution that logged them) joined in order, items in order, the
 * last batch's `seq` (acks and batch marks are cumulative).
 */
export function mergeBatches(group: readonly IDecodedBatch[]): IDecodedBatch {
  if (group.length === 1) {
    return group[0];
  }
  const byName = new Map<string, IDecodedSeries[]>();
  for (const b of group) {
    for (const s of b.metrics) {
      const key = JSON.stringify([s.name, s.parent]);
      const list = byName.get(key) ?? [];
      list.push(s);
      byName.set(key, list);
    }
  }
  const metrics = [...byName.values()].map(list =>
    list.length === 1
      ? list[0]
      : {
          ...list[0],
          values: concatF64(list.map(s => s.values)),
          steps: concatF64(list.map(s => s.steps)),
          times: concatF64(list.map(s => s.times))
        }
  );
  const last = group[group.length - 1];
  return {
    session: last.session,
    seq: last.seq,
    metrics,
    items: group.flatMap(b => b.items),
    skipped: group.reduce((n, b) => n + b.skipped, 0)
  };
}

namespace Private {
  export function isObject(v: unknown): v is Record<string, any> {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  }

  export function toBytes(b: WireBuffer): Uint8Array {
    if (b instanceof Uint8Array) {
      return b;
    }
    if (ArrayBuffer.isView(b)) {
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    }
    return new Uint8Array(b);
  }

  export function buffer(
    bytes: Uint8Array[],
    index: unknown,
    where: string
  ): Uint8Array {
    if (
      typeof index !== 'number' ||
      !Number.isInteger(index) ||
      index < 0 ||
      index >= bytes.length
    ) {
      throw new KernelProtocolError(
        `${where}: no buffer ${JSON.stringify(index)} (message has ${bytes.length})`
      );
    }
    return bytes[index];
  }

  const littleEndian = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

  export function float64(
    bytes: Uint8Array[],
    index: unknown,
    count: number,
    where: string
  ): Float64Array {
    const b = buffer(bytes, index, where);
    if (b.byteLength !== count * 8) {
      throw new KernelProtocolError(
        `${where}: ${b.byteLength} bytes for ${count} Float64 values`
      );
    }
    if (littleEndian) {
      if (b.byteOffset % 8 === 0) {
        return new Float64Array(b.buffer, b.byteOffset, count);
      }
      return new Float64Array(b.slice().buffer);
    }
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      out[i] = view.getFloat64(i * 8, true);
    }
    return out;
  }
}

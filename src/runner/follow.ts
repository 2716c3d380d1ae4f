/**
 * What a trial's kernel logs, stored in the trial's experiment: the
 * `labbook` module is defined in the kernel through `KernelChannel` (the
 * transport the tab uses), told the trial's experiment in its hello, and
 * each batch it sends is written by `applyBatch` (metrics, texts, images,
 * inputs, params, tags, notes, environment) and acknowledged.
 *
 * `ready` resolves once the module has opened its comm (so the first cell
 * can `import labbook`), `flush()` once what the kernel still holds is
 * stored (call it after the last cell, before the kernel is shut down).
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { applyBatch } from '../core/kernel/applybatch';
import { KernelChannel } from '../kernel/channel';
import { injectionCode } from '../kernel/module';
import { COMM_TARGET, type IDecodedBatch } from '../kernel/protocol';
import type { IFollower } from './worker';
import type { TrialRecording } from './record';

export interface IKernelFollower extends IFollower {
  /** The module is defined and its comm open (or 10 s passed). */
  readonly ready: Promise<void>;
}

export function followKernel(
  kernel: Kernel.IKernelConnection,
  rec: TrialRecording
): IKernelFollower {
  const pending = new Set<Promise<void>>();
  let lastBatch = 0;
  const store = (batch: IDecodedBatch): Promise<void> => {
    lastBatch = Date.now();
    const p = applyBatch(rec.store, rec.id, batch).then(() =>
      rec.noteMetrics(batch.metrics)
    );
    pending.add(p);
    void p.catch(() => undefined).finally(() => pending.delete(p));
    return p;
  };
  const channel = new KernelChannel({
    code: hello => injectionCode(undefined, { ...hello }),
    hello: () => ({
      experimentId: rec.id,
      notebook: rec.experiment.notebook,
      name: rec.experiment.name,
      status: 'running'
    }),
    lastStored: session => rec.store.lastBatchSeq(rec.id, session),
    store
  });
  let opened: () => void = () => undefined;
  const ready = new Promise<void>(resolve => {
    opened = resolve;
    setTimeout(resolve, 10_000);
  });
  const onMessage = (
    _: unknown,
    args: { msg: KernelMessage.IMessage; direction: 'send' | 'recv' }
  ) => {
    const m = args.msg;
    if (
      args.direction === 'recv' &&
      m.header.msg_type === 'comm_open' &&
      (m.content as { target_name?: string }).target_name === COMM_TARGET
    ) {
      opened();
    }
  };
  kernel.anyMessage.connect(onMessage);
  channel.attach(kernel);
  return {
    ready,
    async flush() {
      // Everything pending in the kernel sent now, then stored.
      await kernel.requestExecute({
        code: "__import__('labbook').flush(5.0)",
        silent: true,
        store_history: false,
        allow_stdin: false,
        stop_on_error: false
      }).done;
      // Batches sent during that request may still be on their way.
      for (;;) {
        await Promise.allSettled([...pending]);
        if (pending.size === 0 && Date.now() - lastBatch > 200) {
          break;
        }
        await new Promise(r => setTimeout(r, 50));
      }
    },
    dispose() {
      kernel.anyMessage.disconnect(onMessage);
      channel.dispose();
    }
  };
}

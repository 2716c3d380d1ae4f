/**
 * The frontend end of the kernel protocol (docs/kernel-protocol.md) for one
 * notebook: defines the `labbook` module in its Python kernel (at start and
 * after every restart), opens the `labbook` comm, stores what the kernel
 * logs in the notebook's running experiment (starting one if none runs),
 * and acknowledges each batch only once it is in the store, so a batch the
 * tab never stored is sent again to the next tab.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { IDisposable } from '@lumino/disposable';
import type { ILoggedImage, IMetricSeries } from '../../core/model';
import { injectionCode } from '../../kernel/module';
import {
  COMM_TARGET,
  PROTOCOL_VERSION,
  decodeBatch
} from '../../kernel/protocol';
import type { IDecodedBatch } from '../../kernel/protocol';
import type { ExperimentManager } from '../experiments/manager';

export class KernelBridge implements IDisposable {
  constructor(options: KernelBridge.IOptions) {
    this._panel = options.panel;
    this._manager = options.manager;
    this._enabled = options.enabled;
    const ctx = this._panel.sessionContext;
    ctx.kernelChanged.connect(this._onKernelChanged, this);
    this._manager.changed.connect(this._onExperimentChanged, this);
    if (ctx.session?.kernel) {
      this._attach(ctx.session.kernel);
    }
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Batches stored, for tests and the status of the bridge. */
  get storedBatches(): number {
    return this._stored;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._detach();
    this._panel.sessionContext.kernelChanged.disconnect(
      this._onKernelChanged,
      this
    );
    this._manager.changed.disconnect(this._onExperimentChanged, this);
  }

  private _onKernelChanged(
    _: unknown,
    change: { newValue: Kernel.IKernelConnection | null }
  ): void {
    this._detach();
    if (change.newValue) {
      this._attach(change.newValue);
    }
  }

  private _attach(kernel: Kernel.IKernelConnection): void {
    this._kernel = kernel;
    kernel.statusChanged.connect(this._onStatus, this);
    void this._connect(kernel);
  }

  private _detach(): void {
    if (this._kernel) {
      this._kernel.statusChanged.disconnect(this._onStatus, this);
    }
    this._kernel = null;
    this._comm = null;
  }

  private _onStatus(kernel: Kernel.IKernelConnection, status: string): void {
    if (status === 'restarting' || status === 'autorestarting') {
      this._comm = null;
      this._restarted = true;
    } else if (status === 'idle' && this._restarted) {
      this._restarted = false;
      void this._connect(kernel);
    }
  }

  /** Define the module in the kernel and open the comm. */
  private async _connect(kernel: Kernel.IKernelConnection): Promise<void> {
    if (!this._enabled()) {
      return;
    }
    try {
      const spec = await kernel.spec;
      if (
        kernel !== this._kernel ||
        spec?.language?.toLowerCase() !== 'python'
      ) {
        return;
      }
      await kernel.requestExecute({
        code: injectionCode(),
        silent: true,
        store_history: false,
        allow_stdin: false,
        stop_on_error: false
      }).done;
      if (kernel !== this._kernel) {
        return;
      }
      const comm = kernel.createComm(COMM_TARGET);
      comm.onMsg = msg => this._onMessage(comm, msg);
      const running = this._manager.runningFor(this._panel);
      this._comm = comm;
      this._sentExperiment = running?.id ?? null;
      comm.open({
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        experimentId: running?.id ?? null,
        notebook: this._panel.context.path,
        name: running?.experiment.name ?? null,
        status: running ? 'running' : null
      });
    } catch (error) {
      console.warn('Labbook could not set up the labbook module', error);
    }
  }

  private _onMessage(comm: Kernel.IComm, msg: KernelMessage.ICommMsgMsg): void {
    const data = msg.content.data as { type?: string };
    if (data?.type !== 'batch') {
      return;
    }
    let batch: IDecodedBatch;
    try {
      batch = decodeBatch(data, (msg.buffers ?? []) as any);
    } catch (error) {
      console.warn(error);
      return;
    }
    // One batch at a time, in order: acks are cumulative.
    this._queue = this._queue.then(() => this._store(comm, batch));
  }

  private async _store(
    comm: Kernel.IComm,
    batch: IDecodedBatch
  ): Promise<void> {
    const last = this._lastSeq.get(batch.session) ?? 0;
    if (batch.seq <= last) {
      this._ack(comm, batch); // a replay of what is stored already
      return;
    }
    try {
      // Logging with no running experiment starts one for the notebook.
      const running =
        this._manager.runningFor(this._panel) ??
        (await this._manager.start(this._panel));
      const id = running.id;
      const store = this._manager.store;
      if (batch.metrics.length) {
        const series: IMetricSeries[] = batch.metrics.map(s => ({
          name: s.name,
          steps: s.steps,
          times: s.times,
          values: s.values
        }));
        await store.appendMetrics(id, series);
      }
      const texts = batch.items.flatMap(item =>
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
        }
      }
      this._lastSeq.set(batch.session, batch.seq);
      this._stored++;
      this._ack(comm, batch);
    } catch (error) {
      // Not acknowledged: the kernel keeps the batch and sends it again.
      console.warn('Labbook could not store logged data', error);
    }
  }

  private _ack(comm: Kernel.IComm, batch: IDecodedBatch): void {
    if (comm === this._comm && !comm.isDisposed) {
      comm.send({ type: 'ack', seq: batch.seq, session: batch.session });
    }
  }

  /** Tell the kernel when this notebook's experiment starts or ends. */
  private _onExperimentChanged(): void {
    const comm = this._comm;
    if (!comm || comm.isDisposed) {
      return;
    }
    const running = this._manager.runningFor(this._panel);
    const id = running?.id ?? null;
    if (id !== this._sentExperiment) {
      this._sentExperiment = id;
      comm.send({
        type: 'experiment',
        experimentId: id,
        name: running?.experiment.name ?? null,
        status: running ? 'running' : 'finished',
        notebook: this._panel.context.path
      });
    }
  }

  private _panel: NotebookPanel;
  private _manager: ExperimentManager;
  private _enabled: () => boolean;
  private _kernel: Kernel.IKernelConnection | null = null;
  private _comm: Kernel.IComm | null = null;
  private _restarted = false;
  private _queue: Promise<void> = Promise.resolve();
  private _lastSeq = new Map<string, number>();
  private _stored = 0;
  private _sentExperiment: string | null = null;
  private _isDisposed = false;
}

export namespace KernelBridge {
  export interface IOptions {
    panel: NotebookPanel;
    manager: ExperimentManager;
    /** Whether to provide the module (setting `injectKernelModule`). */
    enabled: () => boolean;
  }
}

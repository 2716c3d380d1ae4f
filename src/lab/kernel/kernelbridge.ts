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
import { UUID } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import type {
  IEnvironment,
  ILoggedImage,
  IMetricSeries
} from '../../core/model';
import { concatF64 } from '../../core/metrics/concat';
import { injectionCode } from '../../kernel/module';
import {
  COMM_TARGET,
  PROTOCOL_VERSION,
  decodeBatch
} from '../../kernel/protocol';
import type { IDecodedBatch } from '../../kernel/protocol';
import type { LabbookStore } from '../../core/store/store';
import type { ILabbookRecorder } from '../../tokens';

export class KernelBridge implements IDisposable {
  constructor(options: KernelBridge.IOptions) {
    this._panel = options.panel;
    this._labStore = options.store;
    this._recorder = options.recorder;
    this._enabled = options.enabled;
    const ctx = this._panel.sessionContext;
    ctx.kernelChanged.connect(this._onKernelChanged, this);
    this._recorder.changed.connect(this._onExperimentChanged, this);
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
    this._recorder.changed.disconnect(this._onExperimentChanged, this);
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
    // Registered even when the module is not provided: a tab without the
    // target would close the comm the kernel opened for another tab.
    kernel.registerCommTarget(COMM_TARGET, this._onKernelComm);
    void this._connect(kernel);
  }

  private _detach(): void {
    if (this._kernel) {
      this._kernel.statusChanged.disconnect(this._onStatus, this);
      if (!this._kernel.isDisposed) {
        this._kernel.removeCommTarget(COMM_TARGET, this._onKernelComm);
      }
    }
    this._nonce = null;
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

  /**
   * Define the module in the kernel and have it open the comm to this tab
   * (docs/kernel-protocol.md): a comm the kernel opens works at once,
   * while one this tab opened would wait for the running cell to end. A
   * kernel without that ability gets the comm opened from here.
   */
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
      const running = this._recorder.runningFor(this._panel);
      const nonce = UUID.uuid4();
      const hello = {
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        nonce,
        experimentId: running?.id ?? null,
        notebook: this._panel.context.path,
        name: running?.experiment.name ?? null,
        status: running ? 'running' : null
      };
      this._nonce = nonce;
      this._sentExperiment = hello.experimentId;
      await kernel.requestExecute({
        code: injectionCode(undefined, hello),
        silent: true,
        store_history: false,
        allow_stdin: false,
        stop_on_error: false
      }).done;
      if (kernel !== this._kernel || this._comm) {
        return; // the kernel opened it (before the request ended)
      }
      const comm = kernel.createComm(COMM_TARGET);
      comm.onMsg = msg => this._onMessage(comm, msg);
      this._comm = comm;
      comm.open(hello);
    } catch (error) {
      console.warn('Labbook could not set up the labbook module', error);
    }
  }

  /** The kernel opened a comm: ours if it echoes the nonce we sent. */
  private _onKernelComm = (
    comm: Kernel.IComm,
    msg: KernelMessage.ICommOpenMsg
  ): void => {
    const data = msg.content.data as { nonce?: string };
    if (!this._nonce || data?.nonce !== this._nonce || this._isDisposed) {
      return; // another tab's, or an older connection's
    }
    comm.onMsg = m => this._onMessage(comm, m);
    this._comm = comm;
  };

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
    // Stored in order, one group at a time: acks are cumulative. Batches
    // that arrive while a group is being stored wait and are stored
    // together next, so a slow store (a busy server) catches up instead of
    // falling further behind one request per batch.
    this._session = batch.session;
    this._backlog.push({ comm, batch });
    if (!this._draining) {
      void this._drain();
    }
  }

  private async _drain(): Promise<void> {
    this._draining = true;
    try {
      while (this._backlog.length > 0) {
        const first = this._backlog[0];
        let n = 1;
        // A start or end item is stored on its own: it moves what follows
        // to another experiment.
        while (
          !Private.isControl(first.batch) &&
          n < this._backlog.length &&
          n < 500 &&
          this._backlog[n].comm === first.comm &&
          this._backlog[n].batch.session === first.batch.session &&
          !Private.isControl(this._backlog[n].batch)
        ) {
          n++;
        }
        const group = this._backlog.splice(0, n).map(x => x.batch);
        await this._store(first.comm, group);
      }
    } finally {
      this._draining = false;
    }
  }

  /** Store consecutive batches of one kernel session as one. */
  private async _store(
    comm: Kernel.IComm,
    group: IDecodedBatch[]
  ): Promise<void> {
    let batch = Private.merge(group);
    try {
      const store = this._labStore;
      if (!this._lastSeq.has(batch.session)) {
        // Another tab may have stored this session's first batches (the
        // page was reloaded): they are marked in the experiment logged to.
        const target =
          this._recorder.runningFor(this._panel)?.id ??
          (await this._kernelExperiment())?.experiment.id;
        this._lastSeq.set(
          batch.session,
          target ? await store.lastBatchSeq(target, batch.session) : 0
        );
      }
      const stored = this._lastSeq.get(batch.session)!;
      const fresh = group.filter(b => b.seq > stored);
      if (fresh.length === 0) {
        this._ack(comm, batch); // a replay of what is stored already
        return;
      }
      batch = Private.merge(fresh);
      if (Private.isControl(batch)) {
        await this._control(batch);
        this._lastSeq.set(batch.session, batch.seq);
        this._stored++;
        this._ack(comm, batch);
        return;
      }
      // The environment alone (sent when the module is defined) starts no
      // experiment: it is kept for the next one this notebook starts.
      const envOnly =
        batch.metrics.length === 0 &&
        batch.items.every(i => i.kind === 'env' || i.kind === 'display');
      if (envOnly && !this._recorder.runningFor(this._panel)) {
        for (const item of batch.items) {
          if (item.kind === 'env') {
            await this._environmentArrived(batch.session, item.env, null);
          }
        }
        this._lastSeq.set(batch.session, batch.seq);
        this._ack(comm, batch);
        return;
      }
      const id = await this._experimentId();
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
      const inputs = batch.items.flatMap(item =>
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
          await this._environmentArrived(batch.session, item.env, id);
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

  /**
   * `labbook.start()` / `labbook.end()`: end the running experiment, and
   * for a start begin a new one. The batch is marked in the experiment it
   * leaves running, so a tab that takes over skips it when it is sent
   * again instead of starting a second experiment.
   */
  private async _control(batch: IDecodedBatch): Promise<void> {
    const store = this._labStore;
    const mark = { batch: { session: batch.session, seq: batch.seq } };
    for (const item of batch.items) {
      const running = this._recorder.runningFor(this._panel);
      if (item.kind === 'start') {
        await running?.stop('finished');
        const started = await this._recorder.start(this._panel, item.name);
        await store.appendMetrics(started.id, [], mark);
        await this._environmentOfNew(started.id);
      } else if (item.kind === 'end' && running) {
        await store.appendMetrics(running.id, [], mark);
        await running.stop(item.status);
      }
    }
  }

  /**
   * An experiment started: it gets the environment of the kernel as it is
   * now, when the module's current session sent it already; otherwise it
   * waits for it (the kernel collects it in the background after a start
   * or restart, and a short run may end before it arrives).
   */
  private async _environmentOfNew(id: string): Promise<void> {
    if (this._envSaved.has(id) || this._envPending.has(id)) {
      return;
    }
    if (this._env && this._env.session === this._session) {
      this._envSaved.add(id);
      await this._saveEnvironment(id, this._env.env);
    } else {
      this._envPending.add(id);
    }
  }

  /** The kernel sent its environment: for `running` and those waiting. */
  private async _environmentArrived(
    session: string,
    env: IEnvironment,
    running: string | null
  ): Promise<void> {
    this._env = { session, env };
    const ids = new Set(this._envPending);
    this._envPending.clear();
    if (running) {
      ids.add(running); // the latest collection (a restart may change packages)
    }
    for (const id of ids) {
      this._envSaved.add(id);
      await this._saveEnvironment(id, env);
    }
  }

  private async _saveEnvironment(id: string, env: IEnvironment): Promise<void> {
    try {
      await this._labStore.saveEnvironment(id, env);
    } catch (error) {
      console.warn('Labbook could not store the environment', error);
    }
  }

  /** The experiment this kernel was logging into, if any (see the recorder). */
  private async _kernelExperiment(): Promise<{
    experiment: { id: string };
    alive: boolean;
  } | null> {
    const kernelId = this._kernel?.id;
    return kernelId
      ? this._recorder.experimentOfKernel(this._panel, kernelId)
      : null;
  }

  /**
   * Where logged data goes: the notebook's running experiment; else the
   * experiment this kernel was logging into when its tab went away (the
   * page was closed or reloaded during a long cell, and the kernel kept
   * what it logged meanwhile), carried on in this tab unless a live tab
   * still runs it; else a new experiment for the notebook.
   */
  private async _experimentId(): Promise<string> {
    const running = this._recorder.runningFor(this._panel);
    if (running) {
      return running.id;
    }
    const kernelId = this._kernel?.id;
    const cached = this._liveTarget;
    if (cached && cached.kernelId === kernelId && cached.until > Date.now()) {
      return cached.id;
    }
    if (kernelId) {
      const found = await this._recorder.experimentOfKernel(
        this._panel,
        kernelId
      );
      if (found?.alive) {
        // Another tab runs it: look again in a while, not on every batch.
        const id = found.experiment.id;
        this._liveTarget = { kernelId, id, until: Date.now() + 5000 };
        return id;
      }
      if (found) {
        return (await this._recorder.resume(this._panel, found.experiment)).id;
      }
    }
    return (await this._recorder.start(this._panel)).id;
  }

  private _ack(comm: Kernel.IComm, batch: IDecodedBatch): void {
    if (comm === this._comm && !comm.isDisposed) {
      comm.send({ type: 'ack', seq: batch.seq, session: batch.session });
    }
  }

  /** Tell the kernel when this notebook's experiment starts or ends. */
  private _onExperimentChanged(): void {
    const running = this._recorder.runningFor(this._panel);
    if (running) {
      void this._environmentOfNew(running.id);
    }
    const comm = this._comm;
    if (!comm || comm.isDisposed) {
      return;
    }
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
  private _labStore: LabbookStore;
  private _recorder: ILabbookRecorder;
  private _enabled: () => boolean;
  private _kernel: Kernel.IKernelConnection | null = null;
  private _comm: Kernel.IComm | null = null;
  private _restarted = false;
  private _backlog: { comm: Kernel.IComm; batch: IDecodedBatch }[] = [];
  private _draining = false;
  private _lastSeq = new Map<string, number>();
  private _stored = 0;
  private _sentExperiment: string | null = null;
  private _isDisposed = false;
  private _nonce: string | null = null;
  /** The kernel module's session of the latest batch. */
  private _session: string | null = null;
  /** The kernel's environment, as last sent. */
  private _env: { session: string; env: IEnvironment } | null = null;
  /** Experiments started before the current module session sent its environment. */
  private _envPending = new Set<string>();
  /** Experiments the environment was stored in. */
  private _envSaved = new Set<string>();
  private _liveTarget: { kernelId: string; id: string; until: number } | null =
    null;
}

export namespace KernelBridge {
  export interface IOptions {
    panel: NotebookPanel;
    store: LabbookStore;
    recorder: ILabbookRecorder;
    /** Whether to provide the module (setting `injectKernelModule`). */
    enabled: () => boolean;
  }
}

namespace Private {
  /** Whether a batch starts or ends an experiment. */
  export function isControl(batch: IDecodedBatch): boolean {
    return batch.items.some(i => i.kind === 'start' || i.kind === 'end');
  }

  /**
   * Consecutive batches of one session as one: metric points of a name
   * joined in order, items in order, the last batch's `seq` (acks and
   * batch marks are cumulative).
   */
  export function merge(group: IDecodedBatch[]): IDecodedBatch {
    if (group.length === 1) {
      return group[0];
    }
    // By metric and by the execution that logged it (the link is kept).
    const byName = new Map<string, IDecodedBatch['metrics']>();
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
}

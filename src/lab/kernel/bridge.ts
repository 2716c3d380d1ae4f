/**
 * The frontend end of the kernel protocol (docs/kernel-protocol.md) for one
 * notebook, as glue: `KernelChannel` (transport), `applyBatch` (store
 * writes), `ExperimentTarget` (where to), `KernelEnvironments`; here only
 * `labbook.start()`/`end()` and telling the kernel of experiment changes.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import type { IDisposable } from '@lumino/disposable';
import { applyBatch } from '../../core/kernel/applybatch';
import { KernelChannel } from '../../kernel/channel';
import { injectionCode } from '../../kernel/module';
import { isControlBatch } from '../../kernel/protocol';
import type { IDecodedBatch } from '../../kernel/protocol';
import type { LabbookStore } from '../../core/store/store';
import type { ILabbookRecorder } from '../../tokens';
import { KernelEnvironments } from './environments';
import { ExperimentTarget } from './target';

export class KernelBridge implements IDisposable {
  constructor(options: KernelBridge.IOptions) {
    const recorder = (this._recorder = options.recorder);
    const store = (this._labStore = options.store);
    this._panel = options.panel;
    this._envs = new KernelEnvironments((id, env) =>
      store.saveEnvironment(id, env)
    );
    this._channel = new KernelChannel({
      code: hello => injectionCode(undefined, { ...hello }),
      language: kernel =>
        this._panel.sessionContext.specsManager.specs?.kernelspecs[kernel.name]
          ?.language,
      hello: () => {
        if (!options.enabled()) {
          return null;
        }
        const running = recorder.runningFor(this._panel);
        this._sentExperiment = running?.id ?? null;
        return {
          experimentId: running?.id ?? null,
          notebook: this._panel.context.path,
          name: running?.experiment.name ?? null,
          status: running ? 'running' : null
        };
      },
      lastStored: async session => {
        // Marked there by the tab that stored them (before a page reload).
        const target = await this._target.current();
        return target ? store.lastBatchSeq(target, session) : 0;
      },
      store: batch => this._store(batch)
    });
    const kernelId = () => this._channel.kernel?.id;
    this._target = new ExperimentTarget(recorder, this._panel, kernelId);
    const ctx = this._panel.sessionContext;
    ctx.kernelChanged.connect(this._onKernelChanged);
    recorder.changed.connect(this._onExperimentChanged, this);
    this._channel.attach(ctx.session?.kernel ?? null);
  }

  get isDisposed(): boolean {
    return this._channel.isDisposed;
  }

  /** Batches stored, for tests and the status of the bridge. */
  get storedBatches(): number {
    return this._channel.storedBatches;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._channel.dispose();
    const ctx = this._panel.sessionContext;
    ctx.kernelChanged.disconnect(this._onKernelChanged);
    this._recorder.changed.disconnect(this._onExperimentChanged, this);
  }

  private _onKernelChanged = (
    _: unknown,
    change: { newValue: Kernel.IKernelConnection | null }
  ) => this._channel.attach(change.newValue);

  private async _store(batch: IDecodedBatch): Promise<void> {
    const store = this._labStore;
    if (isControlBatch(batch)) {
      // `labbook.start()` / `labbook.end()`: the batch is marked in the
      // experiment it leaves running, so a tab that takes over skips it
      // when it is sent again instead of starting a second experiment.
      const mark = { batch: { session: batch.session, seq: batch.seq } };
      for (const item of batch.items) {
        const running = this._recorder.runningFor(this._panel);
        if (item.kind === 'start') {
          await running?.stop('finished');
          const started = await this._recorder.start(this._panel, item.name);
          await store.appendMetrics(started.id, [], mark);
          await this._envs.started(started.id, this._channel.session);
        } else if (item.kind === 'end' && running) {
          await store.appendMetrics(running.id, [], mark);
          await running.stop(item.status);
        }
      }
      return;
    }
    if (
      !this._recorder.runningFor(this._panel) &&
      (await this._envs.keepAlone(batch))
    ) {
      return;
    }
    const id = await this._target.resolve();
    await applyBatch(store, id, batch, {
      environment: env => this._envs.arrived(batch.session, env, id)
    });
  }

  /** Tell the kernel when this notebook's experiment starts or ends. */
  private _onExperimentChanged(): void {
    const running = this._recorder.runningFor(this._panel);
    if (running) {
      void this._envs.started(running.id, this._channel.session);
    }
    const id = running?.id ?? null;
    const sent =
      id !== this._sentExperiment &&
      this._channel.send({
        type: 'experiment',
        experimentId: id,
        name: running?.experiment.name ?? null,
        status: running ? 'running' : 'finished',
        notebook: this._panel.context.path
      });
    if (sent) {
      this._sentExperiment = id;
    }
  }

  private _panel: NotebookPanel;
  private _recorder: ILabbookRecorder;
  private _labStore: LabbookStore;
  private _channel: KernelChannel;
  private _envs: KernelEnvironments;
  private _target: ExperimentTarget;
  private _sentExperiment: string | null = null;
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

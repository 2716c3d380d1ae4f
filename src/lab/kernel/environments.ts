/**
 * Which experiments get the kernel's environment: the one running when it
 * arrives, and those started before the module's current session sent it
 * (the kernel collects it in the background after a start or restart, and
 * a short run may end before it arrives). Each experiment gets it once
 * when it starts, and again whenever the kernel sends it while it runs.
 */
import type { IEnvironment } from '../../core/model';
import type { IDecodedBatch } from '../../kernel/protocol';

export class KernelEnvironments {
  /** `save` stores an environment in an experiment; failures are logged. */
  constructor(save: (id: string, env: IEnvironment) => Promise<void>) {
    this._save = save;
  }

  /**
   * Experiment `id` started while the module's session is `session`: it
   * gets the environment as it is now, if that session sent it already.
   */
  async started(id: string, session: string | null): Promise<void> {
    if (this._saved.has(id) || this._pending.has(id)) {
      return;
    }
    if (this._env && this._env.session === session) {
      this._saved.add(id);
      await this._store(id, this._env.env);
    } else {
      this._pending.add(id);
    }
  }

  /**
   * A batch of the environment alone (sent when the module is defined),
   * while nothing runs: it starts no experiment, it is kept for the next
   * one the notebook starts. False for any other batch.
   */
  async keepAlone(batch: IDecodedBatch): Promise<boolean> {
    const alone =
      batch.metrics.length === 0 &&
      batch.items.every(i => i.kind === 'env' || i.kind === 'display');
    if (!alone) {
      return false;
    }
    for (const item of batch.items) {
      if (item.kind === 'env') {
        await this.arrived(batch.session, item.env, null);
      }
    }
    return true;
  }

  /** The kernel sent its environment: for `running` and those waiting. */
  async arrived(
    session: string,
    env: IEnvironment,
    running: string | null
  ): Promise<void> {
    this._env = { session, env };
    const ids = new Set(this._pending);
    this._pending.clear();
    if (running) {
      ids.add(running); // the latest collection (a restart may change packages)
    }
    for (const id of ids) {
      this._saved.add(id);
      await this._store(id, env);
    }
  }

  private async _store(id: string, env: IEnvironment): Promise<void> {
    try {
      await this._save(id, env);
    } catch (error) {
      console.warn('Labbook could not store the environment', error);
    }
  }

  private _save: (id: string, env: IEnvironment) => Promise<void>;
  /** The kernel's environment, as last sent. */
  private _env: { session: string; env: IEnvironment } | null = null;
  /** Experiments started before the current module session sent its environment. */
  private _pending = new Set<string>();
  /** Experiments the environment was stored in. */
  private _saved = new Set<string>();
}

/**
 * Which experiment a notebook's logged data goes to: its running one; else
 * the experiment its kernel was logging into when its tab went away (the
 * page was closed or reloaded during a long cell, and the kernel kept what
 * it logged meanwhile), carried on in this tab unless a live tab still
 * runs it; else a new experiment for the notebook.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { ExperimentManager } from '../experiments/manager';

export class ExperimentTarget {
  constructor(
    manager: ExperimentManager,
    panel: NotebookPanel,
    kernelId: () => string | undefined
  ) {
    this._manager = manager;
    this._panel = panel;
    this._kernelId = kernelId;
  }

  /** The experiment logged to now, without starting one (null: none). */
  async current(): Promise<string | null> {
    const running = this._manager.runningFor(this._panel);
    return running?.id ?? (await this._ofKernel())?.experiment.id ?? null;
  }

  /** The experiment to store a batch in, resumed or started when needed. */
  async resolve(): Promise<string> {
    const running = this._manager.runningFor(this._panel);
    if (running) {
      return running.id;
    }
    const kernelId = this._kernelId();
    const cached = this._live;
    if (cached && cached.kernelId === kernelId && cached.until > Date.now()) {
      return cached.id;
    }
    const found = await this._ofKernel();
    if (kernelId && found?.alive) {
      // Another tab runs it: look again in a while, not on every batch.
      const id = found.experiment.id;
      this._live = { kernelId, id, until: Date.now() + 5000 };
      return id;
    }
    if (found) {
      return (await this._manager.resume(this._panel, found.experiment)).id;
    }
    return (await this._manager.start(this._panel)).id;
  }

  /** The experiment this kernel was logging into, if any (see the manager). */
  private async _ofKernel() {
    const kernelId = this._kernelId();
    return kernelId
      ? this._manager.experimentOfKernel(this._panel, kernelId)
      : null;
  }

  private _manager: ExperimentManager;
  private _panel: NotebookPanel;
  private _kernelId: () => string | undefined;
  private _live: { kernelId: string; id: string; until: number } | null = null;
}

/**
 * The inline experiment panel: the output of `labbook.display()` (MIME
 * `application/vnd.labbook.experiment+json`) rendered as a sandboxed iframe
 * (`allow-scripts`, never `allow-same-origin`) that Labbook feeds by
 * postMessage from the store: status, params, metric charts, history
 * summary, kept live while the experiment runs. A reopened notebook renders
 * it again from the store.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import {
  experimentPageHTML,
  loadExperimentPageData
} from '../../core/report/experimentpage';
import {
  EXPERIMENT_MIME,
  type IExperimentDisplayData
} from '../../kernel/protocol';
import type { ILabbookRecorder, ILabbookStore } from '../../tokens';

export class ExperimentRenderer
  extends Widget
  implements IRenderMime.IRenderer
{
  constructor(options: ExperimentRenderer.IOptions) {
    super();
    this._store = options.store;
    this._recorder = options.recorder;
    this.addClass('jp-Labbook-inline');
    this._store.changed.connect(this._schedule, this);
    this._recorder.changed.connect(this._schedule, this);
    window.addEventListener('message', this._onMessage);
  }

  dispose(): void {
    window.removeEventListener('message', this._onMessage);
    this._store.changed.disconnect(this._schedule, this);
    this._recorder.changed.disconnect(this._schedule, this);
    if (this._timer) {
      clearTimeout(this._timer);
    }
    super.dispose();
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = (model.data[EXPERIMENT_MIME] ??
      {}) as Partial<IExperimentDisplayData>;
    this._experimentId =
      typeof data.experimentId === 'string' ? data.experimentId : null;
    this._notebook = typeof data.notebook === 'string' ? data.notebook : null;
    if (!this._iframe) {
      const iframe = document.createElement('iframe');
      iframe.setAttribute('sandbox', 'allow-scripts');
      iframe.className = 'jp-Labbook-inlineFrame';
      iframe.title = 'Labbook experiment';
      iframe.srcdoc = experimentPageHTML();
      this._iframe = iframe;
      this.node.appendChild(iframe);
    }
    await this._post();
  }

  /** The experiment shown: the one displayed, else the notebook's latest. */
  private _resolve(): string | null {
    if (this._experimentId) {
      return this._experimentId;
    }
    // The notebook this output is in, else the one the kernel named.
    const nb =
      this._recorder.panelOf(this.node)?.context.path ?? this._notebook;
    const running = this._recorder.running.find(
      r => r.experiment.notebook === nb
    );
    if (running) {
      return running.id;
    }
    return this._store.experiments.find(e => e.notebook === nb)?.id ?? null;
  }

  private _schedule(): void {
    if (this._timer === null) {
      this._timer = setTimeout(() => {
        this._timer = null;
        void this._post();
      }, 1000);
    }
  }

  private async _post(): Promise<void> {
    const frame = this._iframe?.contentWindow;
    if (!frame || this.isDisposed) {
      return;
    }
    const theme = document.body.dataset.jpThemeLight === 'false' ? 'dark' : '';
    const id = this._resolve();
    if (!id) {
      frame.postMessage(
        {
          type: 'labbook-experiment',
          theme,
          message: 'No Labbook experiment for this notebook yet.'
        },
        '*'
      );
      return;
    }
    try {
      const data = await loadExperimentPageData(this._store.store, id);
      // The frame's origin is opaque (sandboxed): '*' is the only target.
      this._iframe?.contentWindow?.postMessage(
        { type: 'labbook-experiment', theme, data },
        '*'
      );
    } catch (error) {
      frame.postMessage(
        {
          type: 'labbook-experiment',
          theme,
          message: `Labbook cannot show experiment ${id}: ${(error as Error).message}`
        },
        '*'
      );
    }
  }

  private _onMessage = (event: MessageEvent) => {
    if (
      this._iframe &&
      event.source === this._iframe.contentWindow &&
      event.data?.type === 'labbook-ready'
    ) {
      void this._post();
    }
  };

  private _store: ILabbookStore;
  private _recorder: ILabbookRecorder;
  private _iframe: HTMLIFrameElement | null = null;
  private _experimentId: string | null = null;
  private _notebook: string | null = null;
  private _timer: ReturnType<typeof setTimeout> | null = null;
}

export namespace ExperimentRenderer {
  export interface IOptions {
    store: ILabbookStore;
    recorder: ILabbookRecorder;
  }
}

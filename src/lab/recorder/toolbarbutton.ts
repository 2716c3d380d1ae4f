/** The notebook toolbar button that starts and stops the notebook's experiment. */
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { ILabbookRecorder } from '../../tokens';

export class ExperimentButton extends Widget {
  constructor(options: ExperimentButton.IOptions) {
    super({ node: document.createElement('button') });
    this._panel = options.panel;
    this._recorder = options.recorder;
    this._trans = options.trans;
    this.addClass('jp-Labbook-experimentButton');
    this.addClass('jp-ToolbarButtonComponent');
    this.node.addEventListener('click', () => void this._toggle());
    this._recorder.changed.connect(this._update, this);
    this._update();
  }

  dispose(): void {
    this._recorder.changed.disconnect(this._update, this);
    super.dispose();
  }

  private async _toggle(): Promise<void> {
    (this.node as HTMLButtonElement).disabled = true;
    try {
      if (this._recorder.runningFor(this._panel)) {
        await this._recorder.stop(this._panel);
      } else {
        await this._recorder.start(this._panel);
      }
    } finally {
      (this.node as HTMLButtonElement).disabled = false;
      this._update();
    }
  }

  private _update(): void {
    const running = this._recorder.runningFor(this._panel);
    this.toggleClass('jp-mod-running', !!running);
    this.node.textContent = running
      ? `■ ${this._trans.__('Stop experiment')}`
      : `● ${this._trans.__('Start experiment')}`;
    this.node.title = running
      ? this._trans.__(
          'Labbook is recording "%1". Click to stop.',
          running.experiment.name
        )
      : this._trans.__(
          'Start a Labbook experiment: record every cell execution, with snapshots'
        );
  }

  private _panel: NotebookPanel;
  private _recorder: ILabbookRecorder;
  private _trans: TranslationBundle;
}

export namespace ExperimentButton {
  export interface IOptions {
    panel: NotebookPanel;
    recorder: ILabbookRecorder;
    trans: TranslationBundle;
  }
}

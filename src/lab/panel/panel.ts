import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Panel, Widget } from '@lumino/widgets';
import { labbookIcon } from '../ui/icons';

/**
 * The Labbook side panel: the home of the experiments list and the detail
 * of the selected experiment. Sections are added by their own plugins.
 */
export class LabbookPanel extends Panel {
  constructor(options: LabbookPanel.IOptions = {}) {
    super();
    const trans = (options.translator ?? nullTranslator).load('labbook');
    this.id = 'jp-labbook-panel';
    this.addClass('jp-Labbook-panel');
    this.title.icon = labbookIcon;
    this.title.caption = trans.__('Labbook experiments');

    const header = new Widget();
    header.addClass('jp-Labbook-panelHeader');
    const h = document.createElement('h2');
    h.textContent = trans.__('Labbook');
    header.node.appendChild(h);
    this.addWidget(header);

    this._empty = new Widget();
    this._empty.addClass('jp-Labbook-empty');
    this._empty.node.textContent = trans.__(
      'No experiments yet. Start one from a notebook toolbar or the command palette.'
    );
    this.addWidget(this._empty);
  }

  /** Add a section below the header (list, detail, …). */
  addSection(widget: Widget): void {
    this._empty.hide();
    this.addWidget(widget);
  }

  private _empty: Widget;
}

export namespace LabbookPanel {
  export interface IOptions {
    translator?: ITranslator;
  }
}

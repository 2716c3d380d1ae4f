/** The detail's logged texts, each shown as text. */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ILoggedText } from '../../../core/model';
import { el } from '../../ui/dom';

/** Logged texts, newest first (at most 200). */
export class TextsSection {
  constructor(trans: TranslationBundle) {
    this._trans = trans;
    this.node = el('div', 'jp-Labbook-texts');
  }

  readonly node: HTMLDivElement;

  update(texts: readonly ILoggedText[]): void {
    const t = this._trans;
    if (texts.length === 0) {
      this.node.replaceChildren();
      return;
    }
    const rows = [...texts]
      .reverse()
      .slice(0, 200)
      .map(x => {
        const row = el('div', 'jp-Labbook-text');
        row.append(
          el(
            'div',
            'jp-Labbook-textHead',
            x.step === null ? x.name : `${x.name} · ${t.__('step %1', x.step)}`
          ),
          el('pre', 'jp-Labbook-textBody', x.text)
        );
        return row;
      });
    this.node.replaceChildren(
      el('h3', 'jp-Labbook-sectionTitle', t.__('Text')),
      ...rows
    );
  }

  private _trans: TranslationBundle;
}

/** The detail's parameters, every value shown as text. */
import { formatNumber } from '../../../core/format/number';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IExperiment } from '../../../core/model';
import { el } from '../../ui/dom';

/** Parameters as a two-column table, sorted by name. */
export class ParamsSection {
  constructor(trans: TranslationBundle) {
    this._trans = trans;
    this.node = el('div', 'jp-Labbook-params');
  }

  readonly node: HTMLDivElement;

  update(e: IExperiment | null): void {
    const t = this._trans;
    const params = Object.entries(e?.params ?? {});
    if (params.length === 0) {
      this.node.replaceChildren();
      return;
    }
    const table = el('table', 'jp-Labbook-paramTable');
    for (const [name, value] of params.sort(([a], [b]) => (a < b ? -1 : 1))) {
      const row = el('tr', '');
      const text =
        value && typeof value === 'object' && 'source' in value
          ? String((value as { source: string }).source)
          : JSON.stringify(value);
      // Numbers read short, in full on hover.
      const cell = el(
        'td',
        '',
        typeof value === 'number' ? formatNumber(value) : text
      );
      cell.title = text;
      row.append(el('th', '', name), cell);
      table.append(row);
    }
    this.node.replaceChildren(
      el('h3', 'jp-Labbook-sectionTitle', t.__('Parameters')),
      table
    );
  }

  private _trans: TranslationBundle;
}

/**
 * The runs table's grid: a sticky header (column labels, sort marks, a
 * select-all box) and the rows, virtualised: a spacer as tall as every row
 * and only the rows in sight plus an overscan in the page. A header click
 * sorts, a group row collapses, a check box selects, a row click opens the
 * experiment. Cells are text.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IExperimentSummary } from '../../core/index/summary';
import { el } from '../ui/dom';
import { cellContent, columnLabel, columnWidth } from './cells';
import type { RunsItem, RunsModel } from './model';

/** Row height in pixels: every row and group header has it. */
export const ROW = 26;
const OVERSCAN = 12;

export class RunsTable {
  constructor(options: RunsTable.IOptions) {
    this._model = options.model;
    this._trans = options.trans;
    this._onSelect = options.onSelect;
    this._onOpen = options.onOpen;
    this.node = el('div', 'jp-Labbook-runsScroller');
    this.node.tabIndex = 0;
    this._head = el('div', 'jp-Labbook-runsHead');
    this._spacer = el('div', 'jp-Labbook-runsSpacer');
    this._body = el('div', 'jp-Labbook-runsRows');
    this._spacer.append(this._body);
    this.empty = el('div', 'jp-Labbook-runsEmpty');
    this.node.append(this._head, this._spacer, this.empty);
    this.node.addEventListener('scroll', () => this.paint(), {
      passive: true
    });
    this._head.addEventListener('click', this._onHeadClick);
    this._body.addEventListener('click', this._onBodyClick);
  }

  /** The scroller: header, spacer, rows. */
  readonly node: HTMLDivElement;
  /** Says why there are no rows. */
  readonly empty: HTMLDivElement;

  /** Draw header and rows again; back to the top when `fromTop`. */
  draw(fromTop: boolean): void {
    this.drawHead();
    if (fromTop) {
      this.node.scrollTop = 0;
    }
    this.paint(true);
  }

  /** Draw the header: the columns, the sort, the select-all box. */
  drawHead(): void {
    const t = this._trans;
    const template = [
      '28px',
      ...this._model.columns.map(k => `${columnWidth(k)}px`)
    ].join(' ');
    const total =
      28 + this._model.columns.reduce((n, k) => n + columnWidth(k), 0);
    this.node.style.setProperty('--jp-labbook-runs-columns', template);
    this.node.style.setProperty('--jp-labbook-runs-width', `${total}px`);
    const all = el('input', 'jp-Labbook-runsSelectAll');
    all.type = 'checkbox';
    all.title = t.__('Select every row shown');
    all.setAttribute('aria-label', all.title);
    const shown = this._model.rows.length;
    const picked = this._model.rows.filter(s =>
      this._model.selected.has(s.id)
    ).length;
    all.checked = shown > 0 && picked === shown;
    all.indeterminate = picked > 0 && picked < shown;
    all.addEventListener('change', () => {
      this._model.select(
        this._model.rows.map(s => s.id),
        all.checked
      );
      this._onSelect();
      this.drawHead();
      this.paint(true);
    });
    const cells: HTMLElement[] = [el('span', 'jp-Labbook-runsCheck')];
    cells[0].append(all);
    for (const key of this._model.columns) {
      const cell = el('span', 'jp-Labbook-runsHeadCell');
      cell.append(el('span', 'jp-Labbook-runsHeadLabel', columnLabel(key, t)));
      cell.dataset.key = key;
      cell.title = t.__('%1 (click to sort)', key);
      cell.setAttribute('role', 'columnheader');
      if (this._model.sort?.key === key) {
        const descending = this._model.sort.descending;
        cell.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        cell.append(
          el('span', 'jp-Labbook-runsSortMark', descending ? '▼' : '▲')
        );
      }
      cells.push(cell);
    }
    this._head.replaceChildren(...cells);
  }

  /** Draw the rows in sight (plus overscan); `force` after a data change. */
  paint(force = false): void {
    const n = this._model.items.length;
    this._spacer.style.height = `${n * ROW}px`;
    const height = Math.max(this.node.clientHeight - ROW, 0) || 600;
    const top = this.node.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    const last = Math.min(n, Math.ceil((top + height) / ROW) + OVERSCAN);
    if (!force && first === this._first && last === this._last) {
      return;
    }
    this._first = first;
    this._last = last;
    this._body.style.transform = `translateY(${first * ROW}px)`;
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const item = this._model.items[i];
      frag.append(
        item.kind === 'group' ? this._groupRow(item) : this._row(item.s)
      );
    }
    this._body.replaceChildren(frag);
    this._body.dataset.count = String(last - first);
  }

  private _groupRow(item: Extract<RunsItem, { kind: 'group' }>): HTMLElement {
    const t = this._trans;
    const collapsed = this._model.isCollapsed(item.id);
    const row = el('div', 'jp-Labbook-runsGroupRow');
    row.dataset.group = item.id;
    row.dataset.count = String(item.group.rows.length);
    row.setAttribute('aria-expanded', String(!collapsed));
    row.append(
      el('span', 'jp-Labbook-runsGroupToggle', collapsed ? '▸' : '▾'),
      el(
        'span',
        'jp-Labbook-runsGroupLabel',
        item.group.missing
          ? t.__('(no %1)', this._model.groupBy ?? '')
          : `${this._model.groupBy} = ${item.group.label}`
      ),
      el('span', 'jp-Labbook-runsGroupCount', String(item.group.rows.length))
    );
    return row;
  }

  private _row(s: IExperimentSummary): HTMLElement {
    const row = el('div', `jp-Labbook-runsRow jp-mod-${s.status}`);
    row.dataset.id = s.id;
    if (s.archived) {
      row.classList.add('jp-mod-archived');
    }
    const selected = this._model.selected.has(s.id);
    row.classList.toggle('jp-mod-selected', selected);
    const check = el('span', 'jp-Labbook-runsCheck');
    const box = el('input', 'jp-Labbook-runsSelect');
    box.type = 'checkbox';
    box.checked = selected;
    box.setAttribute('aria-label', this._trans.__('Select %1', s.name));
    check.append(box);
    row.append(check);
    this._model.columns.forEach((key, i) => {
      const v = this._model.readers[i](s);
      const [text, full] = cellContent(key, v, s, this._trans);
      const cell = el('span', 'jp-Labbook-runsCell', text);
      cell.dataset.key = key;
      cell.title = full;
      if (typeof v === 'number') {
        cell.classList.add('jp-mod-number');
      }
      row.append(cell);
    });
    return row;
  }

  private _onHeadClick = (event: MouseEvent) => {
    const cell = (event.target as HTMLElement).closest<HTMLElement>(
      '.jp-Labbook-runsHeadCell'
    );
    const key = cell?.dataset.key;
    if (!key) {
      return;
    }
    this._model.toggleSort(key);
  };

  private _onBodyClick = (event: MouseEvent) => {
    const target = event.target as HTMLElement;
    const group = target.closest<HTMLElement>('.jp-Labbook-runsGroupRow');
    if (group?.dataset.group !== undefined) {
      this._model.toggleGroup(group.dataset.group);
      return;
    }
    const row = target.closest<HTMLElement>('.jp-Labbook-runsRow');
    const id = row?.dataset.id;
    if (!row || !id) {
      return;
    }
    if (target.closest('.jp-Labbook-runsCheck')) {
      const box = row.querySelector<HTMLInputElement>(
        '.jp-Labbook-runsSelect'
      )!;
      if (target !== box) {
        box.checked = !box.checked;
      }
      this._model.select([id], box.checked);
      row.classList.toggle('jp-mod-selected', box.checked);
      this._onSelect();
      this.drawHead();
      return;
    }
    this._onOpen(id);
  };

  private _model: RunsModel;
  private _trans: TranslationBundle;
  private _onSelect: () => void;
  private _onOpen: (id: string) => void;
  private _head: HTMLDivElement;
  private _spacer: HTMLDivElement;
  private _body: HTMLDivElement;
  private _first = -1;
  private _last = -1;
}

export namespace RunsTable {
  export interface IOptions {
    model: RunsModel;
    trans: TranslationBundle;
    /** The selection changed (a box ticked). */
    onSelect: () => void;
    /** A row was clicked. */
    onOpen: (id: string) => void;
  }
}

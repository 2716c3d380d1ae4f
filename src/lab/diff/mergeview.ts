/**
 * The merge view: the conflicts of a merged notebook (from `labbook merge`,
 * a git merge with the labbook driver, or three notebooks merged here),
 * one card each with the local and remote versions side by side; per
 * conflict take local, remote or both, or edit the text, then save. The
 * conflicts are found and resolved by src/core/merge (plain data); this
 * view only renders them, and text from the notebooks is always text.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { INotebook } from '../../core/diff';
import {
  findConflicts,
  type IFoundConflict,
  resolveConflict,
  type Resolution
} from '../../core/merge';
import { el } from '../ui/dom';

export class NotebookMergeView extends Widget {
  constructor(options: NotebookMergeView.IOptions) {
    super();
    this.addClass('jp-Labbook-merge');
    this._options = options;
    this._notebook = options.notebook;
    this._render();
  }

  /** The notebook with the resolutions so far. */
  get notebook(): INotebook {
    return this._notebook;
  }

  /** Conflicts left. */
  get conflicts(): IFoundConflict[] {
    return findConflicts(this._notebook);
  }

  /** Resolve the conflict at `index` (of `conflicts`). */
  resolve(index: number, how: Resolution): void {
    const c = this.conflicts[index];
    if (c) {
      this._notebook = resolveConflict(this._notebook, c, how);
      this._dirty = true;
      this._render();
    }
  }

  private _render(): void {
    const t = this._options.trans;
    const conflicts = this.conflicts;
    this.node.replaceChildren();
    const bar = el('div', 'jp-Labbook-mergeBar');
    bar.append(
      el('span', 'jp-Labbook-mergeTitle', this._options.title),
      el(
        'span',
        'jp-Labbook-mergeSummary',
        conflicts.length
          ? t._n('%1 conflict left', '%1 conflicts left', conflicts.length)
          : t.__('No conflicts left')
      )
    );
    const save = el(
      'button',
      'jp-mod-styled jp-mod-accept jp-Labbook-mergeSave',
      t.__('Save')
    );
    save.title = t.__('Save the merged notebook to %1', this._options.savePath);
    save.disabled = !this._dirty;
    save.addEventListener('click', () => void this._save(save));
    bar.append(save);
    const status = el('span', 'jp-Labbook-mergeStatus', this._status);
    bar.append(status);
    this.node.append(bar);
    conflicts.forEach((c, k) => this.node.append(this._card(c, k)));
  }

  private _card(c: IFoundConflict, k: number): HTMLElement {
    const t = this._options.trans;
    const card = el('div', 'jp-Labbook-mergeConflict');
    card.dataset.field = c.field;
    const where =
      c.cell === undefined
        ? t.__('Notebook metadata')
        : c.field === 'source'
          ? t.__('Cell %1 · source', c.cell + 1)
          : c.field === 'outputs'
            ? t.__('Cell %1 · outputs', c.cell + 1)
            : t.__('Cell %1 · metadata', c.cell + 1);
    card.append(el('div', 'jp-Labbook-mergeWhere', where));
    const sides = el('div', 'jp-Labbook-mergeSides');
    const side = (
      cls: string,
      label: string,
      text: string,
      deleted: boolean
    ) => {
      const box = el('div', `jp-Labbook-mergeSide ${cls}`);
      box.append(el('div', 'jp-Labbook-mergeSideHead', label));
      box.append(
        el(
          'pre',
          'jp-Labbook-mergeText',
          deleted ? t.__('(cell deleted)') : text
        )
      );
      return box;
    };
    sides.append(
      side('jp-mod-local', t.__('Local'), c.local, c.deleted === 'local'),
      side('jp-mod-remote', t.__('Remote'), c.remote, c.deleted === 'remote')
    );
    card.append(sides);
    const actions = el('div', 'jp-Labbook-mergeActions');
    const button = (label: string, how: Resolution, cls: string) => {
      const b = el('button', `jp-mod-styled ${cls}`, label);
      b.addEventListener('click', () => this.resolve(k, how));
      actions.append(b);
    };
    button(t.__('Take local'), 'local', 'jp-Labbook-mergeLocal');
    button(t.__('Take remote'), 'remote', 'jp-Labbook-mergeRemote');
    if (c.field !== 'metadata') {
      button(t.__('Take both'), 'both', 'jp-Labbook-mergeBoth');
    }
    if (c.field === 'source') {
      const edit = el(
        'button',
        'jp-mod-styled jp-Labbook-mergeEdit',
        t.__('Edit…')
      );
      edit.addEventListener('click', () => {
        edit.disabled = true;
        const area = el('textarea', 'jp-Labbook-mergeEditor');
        area.value = c.local + c.remote;
        area.rows = Math.min(20, area.value.split('\n').length + 1);
        const apply = el(
          'button',
          'jp-mod-styled jp-mod-accept jp-Labbook-mergeApply',
          t.__('Use this text')
        );
        apply.addEventListener('click', () =>
          this.resolve(k, { text: area.value })
        );
        card.append(area, apply);
        area.focus();
      });
      actions.append(edit);
    }
    card.append(actions);
    return card;
  }

  private async _save(button: HTMLButtonElement): Promise<void> {
    const t = this._options.trans;
    button.disabled = true;
    try {
      await this._options.save(this._notebook);
      this._dirty = false;
      this._status = t.__('Saved to %1', this._options.savePath);
    } catch (error) {
      this._status = t.__(
        'Could not save: %1',
        (error as Error).message ?? String(error)
      );
    }
    this._render();
  }

  private _options: NotebookMergeView.IOptions;
  private _notebook: INotebook;
  private _dirty = false;
  private _status = '';
}

export namespace NotebookMergeView {
  export interface IOptions {
    /** The merged notebook, conflicts marked in it. */
    notebook: INotebook;
    title: string;
    /** Where Save writes (shown to the user). */
    savePath: string;
    save: (notebook: INotebook) => Promise<void>;
    trans: TranslationBundle;
  }
}

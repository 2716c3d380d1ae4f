/**
 * The top of the detail: back to the list, the editable name, star /
 * archive / delete, the status line, the project and its links, tags and
 * notes (shown as sanitised Markdown under the editor). It draws and asks;
 * every edit goes through the callbacks (the model writes). Names, tags and
 * notes are rendered as text, or as Markdown through the sanitiser.
 */
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IExperiment } from '../../../core/model';
import type { ExperimentPatch } from '../../../core/store/store';
import { scriptBadge, statusBadge } from '../../ui/badges';
import { el } from '../../ui/dom';
import { formatRunDuration, formatTime } from '../../ui/format';
import { askText } from '../list/organise';
import { splitTags } from '../list/edits';

export class DetailHeader {
  constructor(options: DetailHeader.IOptions) {
    this._options = options;
    this._trans = options.trans;
  }

  /**
   * Draw the header of `e` afresh: its nodes, in order, for the detail to
   * place among its other sections.
   */
  render(e: IExperiment): HTMLElement[] {
    const t = this._trans;
    const o = this._options;
    const back = el(
      'button',
      'jp-Labbook-back jp-mod-styled',
      t.__('‹ All experiments')
    );
    back.addEventListener('click', () => o.back());

    const name = el('input', 'jp-Labbook-name jp-mod-styled');
    name.value = e.name;
    name.setAttribute('aria-label', t.__('Experiment name'));
    name.addEventListener(
      'change',
      () => void o.edit({ name: name.value.trim() || e.name })
    );

    // Star, archive, delete.
    const star = (this._star = el('button', 'jp-mod-styled jp-Labbook-star'));
    star.addEventListener('click', () => {
      const c = o.current();
      if (c) {
        void o.edit({ starred: !c.starred });
      }
    });
    const archive = (this._archive = el(
      'button',
      'jp-mod-styled jp-Labbook-archive'
    ));
    archive.addEventListener('click', () => {
      const c = o.current();
      if (c) {
        void o.edit({ archived: !c.archived });
      }
    });
    const remove = el(
      'button',
      'jp-mod-styled jp-Labbook-delete',
      t.__('Delete…')
    );
    remove.addEventListener('click', () => o.remove());
    const actions = el('div', 'jp-Labbook-buttons jp-Labbook-detailActions');
    actions.append(star, archive, remove);

    // Project and the projects it is also linked into.
    this._project = el('div', 'jp-Labbook-project');

    // Tags: only what was added or removed here is applied to the tags as
    // stored now, so a tag another tab added meanwhile stays.
    const tags = el('input', 'jp-Labbook-tagsInput jp-mod-styled');
    let shownTags = e.tags;
    tags.value = e.tags.join(', ');
    tags.placeholder = t.__('tags, comma separated');
    tags.setAttribute('aria-label', t.__('Tags'));
    tags.addEventListener('change', () => {
      const list = splitTags(tags.value);
      const add = list.filter(x => !shownTags.includes(x));
      const drop = shownTags.filter(x => !list.includes(x));
      void o.editList('tags', add, drop).then(next => {
        if (next) {
          shownTags = next;
          if (document.activeElement !== tags) {
            tags.value = next.join(', ');
          }
        }
      });
    });

    const notes = el('textarea', 'jp-Labbook-notes jp-mod-styled');
    notes.value = e.notes;
    notes.placeholder = t.__('Notes');
    notes.setAttribute('aria-label', t.__('Notes'));
    notes.addEventListener('change', () => void o.edit({ notes: notes.value }));
    // The notes as Markdown, through JupyterLab's sanitiser.
    this._notesView = el('div', 'jp-Labbook-notesRendered');
    notes.addEventListener('input', () => this._scheduleNotes(notes.value));

    this._meta = el('div', 'jp-Labbook-detailHeader');
    this.updateMeta(e);
    this.updateOrganise(e);
    this._notesText = null;
    void this._renderNotes(e.notes);
    return [
      back,
      name,
      actions,
      this._meta,
      this._project,
      tags,
      notes,
      this._notesView
    ];
  }

  /** The status line: badge, notebook, start, duration, executions, kernel. */
  updateMeta(e: IExperiment): void {
    if (!this._meta) {
      return;
    }
    const t = this._trans;
    const count = this._options.executionsOf(e);
    const parts = [
      statusBadge(e, t),
      el('span', 'jp-Labbook-rowNotebook', e.notebook),
      el('span', '', formatTime(e.started)),
      el('span', 'jp-Labbook-rowDuration', formatRunDuration(e)),
      el(
        'span',
        'jp-Labbook-rowCells',
        count === null ? '' : t._n('%1 execution', '%1 executions', count)
      ),
      el(
        'span',
        '',
        `${e.kernel.displayName ?? e.kernel.name} (${e.kernel.language || '?'})`
      )
    ];
    if (e.script) {
      parts.splice(1, 0, scriptBadge(e.script.argv, t));
    }
    if (e.statusReason) {
      parts.push(el('span', 'jp-Labbook-reason', e.statusReason));
    }
    this._meta.replaceChildren(...parts);
  }

  /** Star, archive and project of the experiment shown. */
  updateOrganise(e: IExperiment): void {
    const t = this._trans;
    const o = this._options;
    if (!this._star || !this._archive || !this._project) {
      return;
    }
    const starred = !!e.starred;
    this._star.textContent = starred ? t.__('★ Starred') : t.__('☆ Star');
    this._star.classList.toggle('jp-mod-starred', starred);
    this._star.setAttribute('aria-pressed', String(starred));
    const archived = !!e.archived;
    this._archive.textContent = archived ? t.__('Restore') : t.__('Archive');
    this._archive.title = archived
      ? t.__('Show it in the list again')
      : t.__('Hide it from the list unless archived experiments are shown');
    this._archive.dataset.action = archived ? 'restore' : 'archive';

    const line = el('div', 'jp-Labbook-projectLine');
    line.append(
      el('span', 'jp-Labbook-projectLabel', t.__('Project:')),
      el('span', 'jp-Labbook-projectName', e.project || t.__('(none)'))
    );
    const button = (label: string, cls: string, run: () => void) => {
      const b = el('button', `jp-mod-styled jp-Labbook-${cls}`, label);
      b.addEventListener('click', run);
      return b;
    };
    line.append(
      button(t.__('Move to project…'), 'moveProject', () => {
        void askText({
          title: t.__('Move to project'),
          label: t.__('Project'),
          text: o.current()?.project ?? '',
          okLabel: t.__('Move')
        }).then(project => {
          if (project !== null) {
            void o.edit({ project });
          }
        });
      }),
      button(t.__('Also link into project…'), 'linkProject', () => {
        void askText({
          title: t.__('Link into project'),
          label: t.__('Also show this experiment in project'),
          okLabel: t.__('Link')
        }).then(project => {
          if (project !== null) {
            void o.editList('links', [project]);
          }
        });
      })
    );
    const links = el('div', 'jp-Labbook-links');
    for (const link of e.links ?? []) {
      const chip = el('span', 'jp-Labbook-link');
      const unlink = el('button', 'jp-Labbook-unlink', '×');
      unlink.title = t.__('Remove the link into %1', link);
      unlink.setAttribute('aria-label', unlink.title);
      unlink.addEventListener(
        'click',
        () => void o.editList('links', [], [link])
      );
      chip.append(el('span', 'jp-Labbook-linkName', link), unlink);
      links.append(chip);
    }
    if (links.childElementCount) {
      links.prepend(el('span', 'jp-Labbook-projectLabel', t.__('Also in:')));
    }
    this._project.replaceChildren(line, links);
  }

  dispose(): void {
    if (this._notesTimer !== null) {
      clearTimeout(this._notesTimer);
      this._notesTimer = null;
    }
  }

  private _scheduleNotes(text: string): void {
    if (this._notesTimer !== null) {
      clearTimeout(this._notesTimer);
    }
    this._notesTimer = setTimeout(() => {
      this._notesTimer = null;
      void this._renderNotes(text);
    }, 300);
  }

  /** The notes as Markdown: untrusted, so JupyterLab sanitises the HTML. */
  private async _renderNotes(text: string): Promise<void> {
    if (text === this._notesText || !this._notesView) {
      return;
    }
    this._notesText = text;
    const host = this._notesView;
    host.hidden = !text.trim();
    if (host.hidden) {
      host.replaceChildren();
      return;
    }
    const rendermime = this._options.rendermime;
    const renderer = rendermime.createRenderer('text/markdown');
    const model = rendermime.createModel({
      data: { 'text/markdown': text },
      trusted: false
    });
    await renderer.renderModel(model);
    if (this._notesView === host && this._notesText === text) {
      host.replaceChildren(renderer.node);
    }
  }

  private _options: DetailHeader.IOptions;
  private _trans: TranslationBundle;
  private _meta: HTMLDivElement | null = null;
  private _star: HTMLButtonElement | null = null;
  private _archive: HTMLButtonElement | null = null;
  private _project: HTMLDivElement | null = null;
  private _notesView: HTMLDivElement | null = null;
  private _notesText: string | null = null;
  private _notesTimer: ReturnType<typeof setTimeout> | null = null;
}

export namespace DetailHeader {
  export interface IOptions {
    trans: TranslationBundle;
    rendermime: IRenderMimeRegistry;
    /** The experiment shown now (edits apply to it). */
    current: () => IExperiment | null;
    /** Executions recorded so far, or null when unknown. */
    executionsOf: (e: IExperiment) => number | null;
    back: () => void;
    edit: (patch: ExperimentPatch) => Promise<void>;
    editList: (
      field: 'tags' | 'links',
      add: string[],
      remove?: string[]
    ) => Promise<string[] | null>;
    remove: () => void;
  }
}

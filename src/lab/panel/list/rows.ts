/**
 * One row of the side panel's list: checkbox, star, name, status, notebook,
 * start, duration, executions, tags, and what is damaged. Every name and tag
 * is shown as text.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IExperimentSummary } from '../../../core/index/summary';
import { scriptBadge, statusBadge } from '../../ui/badges';
import { el } from '../../ui/dom';
import { formatRunDuration, formatTime } from '../../ui/format';

/** Height of a row in pixels (fixed: the list is virtualised). */
export const ROW_HEIGHT = 72;

export function renderRow(
  e: IExperimentSummary,
  options: {
    selected: boolean;
    executions: number | null;
    trans: TranslationBundle;
  }
): HTMLElement {
  const t = options.trans;
  const row = el('div', `jp-Labbook-row jp-mod-${e.status}`);
  row.setAttribute('role', 'listitem');
  row.dataset.id = e.id;
  row.tabIndex = 0;
  row.style.height = `${ROW_HEIGHT}px`;
  const selected = options.selected;
  row.classList.toggle('jp-mod-selected', selected);
  row.classList.toggle('jp-mod-starred', e.starred);
  row.classList.toggle('jp-mod-archived', e.archived);
  row.classList.toggle('jp-mod-damaged', !!e.damaged);
  row.setAttribute('aria-selected', String(selected));

  const check = el('input', 'jp-Labbook-rowCheck');
  check.type = 'checkbox';
  check.checked = selected;
  check.draggable = false;
  check.setAttribute('aria-label', t.__('Select %1', e.name));

  const body = el('div', 'jp-Labbook-rowBody');
  const top = el('div', 'jp-Labbook-rowTop');
  const star = el(
    'button',
    `jp-Labbook-star${e.starred ? ' jp-mod-starred' : ''}`,
    e.starred ? '★' : '☆'
  );
  star.title = e.starred ? t.__('Unstar') : t.__('Star');
  star.setAttribute('aria-pressed', String(e.starred));
  top.append(star, el('span', 'jp-Labbook-rowName', e.name), statusBadge(e, t));
  if (e.script) {
    top.append(scriptBadge(null, t));
  }
  const meta = el('div', 'jp-Labbook-rowMeta');
  const count = options.executions;
  meta.append(
    el('span', 'jp-Labbook-rowNotebook', e.notebook),
    el('span', 'jp-Labbook-rowStarted', formatTime(e.started)),
    el('span', 'jp-Labbook-rowDuration', formatRunDuration(e)),
    el(
      'span',
      'jp-Labbook-rowCells',
      count === null ? '' : t._n('%1 execution', '%1 executions', count)
    )
  );
  const tags = el('div', 'jp-Labbook-tags');
  if (e.archived) {
    tags.append(el('span', 'jp-Labbook-archivedMark', t.__('archived')));
  }
  for (const tag of e.tags) {
    tags.append(el('span', 'jp-Labbook-tag', tag));
  }
  if (e.damaged) {
    const problem = el(
      'span',
      'jp-Labbook-error jp-Labbook-rowDamaged',
      t.__('damaged: %1', e.damaged)
    );
    problem.title = e.damaged;
    tags.append(problem);
  }
  body.append(top, meta, tags);
  row.append(check, body);
  return row;
}

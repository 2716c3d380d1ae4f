/**
 * A query the runs table cannot read: the message, the query with the
 * faulty part marked, the suggested fix as a button, and a word that the
 * rows of the last valid query stay. All as text.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IQueryError } from '../../core/query';
import { el } from '../ui/dom';

/** Show `error` of query `text` in `box` (hidden when there is none). */
export function showQueryError(
  box: HTMLElement,
  input: HTMLInputElement,
  text: string,
  error: IQueryError | null,
  t: TranslationBundle,
  fix: (query: string) => void
): void {
  box.hidden = !error;
  input.classList.toggle('jp-mod-error', !!error);
  if (!error) {
    box.replaceChildren();
    return;
  }
  const from = Math.min(error.from, text.length);
  const to = Math.max(from, Math.min(error.to, text.length));
  const marked = el('div', 'jp-Labbook-runsErrorQuery');
  const mark = el('mark', '', text.slice(from, to) || ' ');
  marked.append(
    document.createTextNode(text.slice(0, from)),
    mark,
    document.createTextNode(text.slice(to))
  );
  const parts: HTMLElement[] = [
    el('div', 'jp-Labbook-runsErrorMessage', error.message),
    marked
  ];
  if (error.suggestion !== undefined) {
    const button = el(
      'button',
      'jp-mod-styled jp-Labbook-runsErrorFix',
      t.__('Replace with %1', error.suggestion)
    );
    const suggestion = error.suggestion;
    button.addEventListener('click', () =>
      fix(text.slice(0, from) + suggestion + text.slice(to))
    );
    parts.push(button);
  }
  parts.push(
    el(
      'div',
      'jp-Labbook-runsErrorKept',
      t.__('Showing the rows of the last valid query.')
    )
  );
  box.replaceChildren(...parts);
  // Select the faulty part when the user is not typing elsewhere.
  if (document.activeElement !== input) {
    input.setSelectionRange(from, to);
  }
}

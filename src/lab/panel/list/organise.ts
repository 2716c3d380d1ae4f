/**
 * Organising experiments (issue 7): edits of lists (tags, project links)
 * made from a fresh read of the experiment, so an edit of another tab
 * written since this one read the experiment is kept; confirmations and
 * names asked with JupyterLab's dialogs (every name shown as text).
 */
import { Dialog, InputDialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { LabbookStore } from '../../../core/store/store';

/**
 * Add and remove tags (or project links) of one experiment: the list is
 * read again from the store first and only these changes are applied.
 * Returns the new list.
 */
export async function editList(
  store: LabbookStore,
  id: string,
  field: 'tags' | 'links',
  add: readonly string[],
  remove: readonly string[] = []
): Promise<string[]> {
  const fresh = await store.getExperiment(id);
  const old = (field === 'tags' ? fresh.tags : fresh.links) ?? [];
  const drop = new Set(remove);
  const next = [...new Set([...old.filter(x => !drop.has(x)), ...add])];
  if (next.length !== old.length || next.some((x, i) => x !== old[i])) {
    await store.updateExperiment(id, { [field]: next });
  }
  return next;
}

/** Split a comma-separated list of tags, trimmed, without empty ones or repeats. */
export function splitTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map(s => s.trim())
        .filter(Boolean)
    )
  ];
}

/** Ask for one line of text; null when cancelled or empty. */
export async function askText(options: {
  title: string;
  label: string;
  text?: string;
  placeholder?: string;
  okLabel: string;
}): Promise<string | null> {
  const result = await InputDialog.getText({
    title: options.title,
    label: options.label,
    text: options.text,
    placeholder: options.placeholder,
    okLabel: options.okLabel
  });
  const value = result.button.accept ? (result.value ?? '').trim() : '';
  return value ? value : null;
}

/** Ask to pick one of `items` (shown as text); null when cancelled. */
export async function askItem(options: {
  title: string;
  label: string;
  items: string[];
  okLabel: string;
}): Promise<string | null> {
  const result = await InputDialog.getItem({
    title: options.title,
    label: options.label,
    items: options.items,
    okLabel: options.okLabel
  });
  return result.button.accept ? result.value : null;
}

/** Ask to confirm a destructive action; the body is shown as text. */
export async function confirm(
  trans: TranslationBundle,
  title: string,
  body: string,
  label: string
): Promise<boolean> {
  const result = await showDialog({
    title,
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label })
    ]
  });
  return result.button.accept;
}

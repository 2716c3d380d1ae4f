/**
 * Organising experiments (issue 7): confirmations and names asked with
 * JupyterLab's dialogs (every name shown as text). The list edits
 * themselves are in `edits.ts`.
 */
import { Dialog, InputDialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';

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

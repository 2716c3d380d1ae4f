/**
 * The dialogs of saved views, one of each for every view that saves them:
 * ask a view's name, confirm deleting one. Names are shown as text.
 */
import { Dialog, InputDialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';

/** Ask for a view's name; null when cancelled or left empty. */
export async function askViewName(
  trans: TranslationBundle,
  options: { label?: string; text?: string } = {}
): Promise<string | null> {
  const result = await InputDialog.getText({
    title: trans.__('Save view'),
    label: options.label ?? trans.__('Name'),
    text: options.text ?? '',
    okLabel: trans.__('Save')
  });
  const name = result.button.accept ? (result.value ?? '').trim() : '';
  return name || null;
}

/** Ask before deleting the view named `name`. */
export async function confirmDeleteView(
  trans: TranslationBundle,
  name: string
): Promise<boolean> {
  const result = await showDialog({
    title: trans.__('Delete view'),
    body: trans.__('Delete the saved view “%1”? The experiments stay.', name),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Delete') })
    ]
  });
  return result.button.accept;
}

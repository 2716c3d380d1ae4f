/**
 * Telling the user that something failed: one notification style for every
 * Labbook view and command.
 */
import { Notification } from '@jupyterlab/apputils';

/** The text of whatever was thrown. */
export function errorText(error: unknown): string {
  return String((error as Error)?.message ?? error);
}

/** Show a (translated) failure message for 8 seconds. */
export function notifyError(message: string): void {
  Notification.error(message, { autoClose: 8000 });
}

/**
 * Query errors: a message saying what is wrong and where, then how to fix
 * it, with the range a UI can underline.
 */
import type { IQueryError } from './ast';

/**
 * Separates what is wrong from how to fix it in error messages, so the
 * position goes between them: "Unknown field 'parms' at 0: did you mean
 * 'params'?".
 */
export const HINT = '\u0001';

/** A structured error whose message says where: "… at <from>[: hint]". */
export function queryError(
  message: string,
  from: number,
  to: number,
  suggestion?: string
): IQueryError {
  // "What went wrong at 12: how to fix it", the hint after HINT.
  const [what, hint] = message.split(HINT);
  const error: IQueryError = {
    message: `${what} at ${from}${hint === undefined ? '' : `: ${hint}`}`,
    from,
    to
  };
  if (suggestion !== undefined) {
    error.suggestion = suggestion;
  }
  return error;
}

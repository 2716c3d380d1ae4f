/**
 * The status badge of an experiment: one place for its class and its label,
 * used by the side panel's list and detail and by compare.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ExperimentStatus, IExperiment } from '../../core/model';
import { el } from './dom';

/** The translated label of a status (each a literal, so extractors find it). */
export function statusLabel(
  status: ExperimentStatus,
  trans: TranslationBundle
): string {
  switch (status) {
    case 'running':
      return trans.__('running');
    case 'finished':
      return trans.__('finished');
    case 'failed':
      return trans.__('failed');
    case 'interrupted':
      return trans.__('interrupted');
    default:
      // A status written by a newer Labbook: shown as stored.
      return String(status);
  }
}

/** `<span class="jp-Labbook-badge jp-mod-<status>">label</span>`. */
export function statusBadge(
  e: Pick<IExperiment, 'status'>,
  trans: TranslationBundle
): HTMLSpanElement {
  return el(
    'span',
    `jp-Labbook-badge jp-mod-${e.status}`,
    statusLabel(e.status, trans)
  );
}

/**
 * The mark of an experiment a training script wrote from outside a kernel
 * (`python train.py`), the command line as its tooltip when known.
 */
export function scriptBadge(
  argv: readonly string[] | null,
  trans: TranslationBundle
): HTMLSpanElement {
  const badge = el(
    'span',
    'jp-Labbook-badge jp-mod-script',
    trans.__('script')
  );
  badge.title = argv
    ? trans.__(
        'Run by a script outside a kernel: %1',
        `python ${argv.join(' ')}`
      )
    : trans.__('Run by a script outside a kernel');
  return badge;
}

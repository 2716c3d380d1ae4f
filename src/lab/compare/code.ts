/**
 * The compare view's code section: the diff of two experiments' flattened
 * scripts, picked from the runs compared. Code is put in the page as text.
 */
import { diffScripts } from '../../core/compare';
import { renderTextDiff, type DiffMode } from '../diff/textdiff';
import { el } from '../ui/dom';
import type { CompareContext } from './context';

/** Two experiments' flattened scripts, diffed (unified or side by side). */
export function renderCode(ctx: CompareContext, body: HTMLElement): void {
  const t = ctx.trans;
  const a = ctx.runSelect('jp-Labbook-codeA', t.__('Script A'), ctx.runs[0].id);
  const b = ctx.runSelect('jp-Labbook-codeB', t.__('Script B'), ctx.runs[1].id);
  const mode = el('select', 'jp-mod-styled jp-Labbook-codeMode');
  mode.setAttribute('aria-label', t.__('Diff layout'));
  for (const [value, label] of [
    ['unified', t.__('Unified')],
    ['side-by-side', t.__('Side by side')]
  ]) {
    const o = el('option', '', label);
    o.value = value;
    mode.append(o);
  }
  const bar = el('div', 'jp-Labbook-codeControls');
  bar.append(a, el('span', '', '↔'), b, mode);
  const out = el('div', 'jp-Labbook-codeDiff');
  let generation = 0;
  const draw = async () => {
    const mine = ++generation;
    out.replaceChildren(
      el('div', 'jp-Labbook-compareLoading', t.__('Loading…'))
    );
    const ra = ctx.run(a.value);
    const rb = ctx.run(b.value);
    try {
      const [sa, sb] = await Promise.all([
        ctx.model.script(ra.id, ra.experiment.name),
        ctx.model.script(rb.id, rb.experiment.name)
      ]);
      if (mine !== generation || ctx.isDisposed) {
        return;
      }
      const diff = diffScripts(sa, sb);
      out.replaceChildren(
        el(
          'div',
          'jp-Labbook-codeSummary',
          diff.same
            ? t.__('Same code')
            : t.__('%1 lines added, %2 removed', diff.added, diff.removed)
        ),
        renderTextDiff(diff.diff, mode.value as DiffMode, {
          context: 3,
          skipped: n => t._n('%1 unchanged line', '%1 unchanged lines', n)
        })
      );
    } catch (error) {
      out.replaceChildren(
        el(
          'div',
          'jp-Labbook-compareProblem',
          t.__('Could not read the history: %1', (error as Error).message)
        )
      );
    }
  };
  for (const s of [a, b, mode]) {
    s.addEventListener('change', () => void draw());
  }
  body.replaceChildren(bar, out);
  void draw();
}

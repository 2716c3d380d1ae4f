/**
 * The compare view's environment section: the reference's Python, platform
 * and commit, then each other experiment's packages, environment parts and
 * data inputs against it. Names and versions are put in the page as text.
 */
import {
  diffEnvironments,
  diffInputs,
  type IEnvDiff,
  type IInputDiff
} from '../../core/compare';
import { el } from '../ui/dom';
import type { CompareContext } from './context';
import type { ICompareRun, IRunEnvironment } from './model';

/** Each experiment's environment and data inputs against the reference `baseId`. */
export function renderEnvironment(
  ctx: CompareContext,
  body: HTMLElement,
  envs: ReadonlyMap<string, IRunEnvironment>,
  baseId: string
): void {
  const t = ctx.trans;
  const base = ctx.run(baseId);
  const baseEnv = envs.get(base.id);
  const out: HTMLElement[] = [envFacts(ctx, base, baseEnv)];
  for (const r of ctx.runs) {
    if (r.id === base.id) {
      continue;
    }
    const env = envs.get(r.id);
    const diff = diffEnvironments(
      baseEnv?.environment ?? null,
      env?.environment ?? null
    );
    const inputs = diffInputs(baseEnv?.inputs ?? [], env?.inputs ?? []);
    out.push(envDiff(ctx, base, r, diff, inputs, env));
  }
  body.replaceChildren(
    el(
      'div',
      'jp-Labbook-compareNote',
      t.__('Each experiment against %1.', base.experiment.name)
    ),
    ...out
  );
}

/** The reference's Python, platform and commit, so "same" means something. */
function envFacts(
  ctx: CompareContext,
  run: ICompareRun,
  env: IRunEnvironment | undefined
): HTMLElement {
  const t = ctx.trans;
  const box = el('div', 'jp-Labbook-envFacts');
  box.dataset.id = run.id;
  box.append(ctx.label(run));
  const e = env?.environment;
  if (!e) {
    box.append(
      el(
        'span',
        'jp-Labbook-compareNote',
        env?.problem ?? t.__('No environment recorded.')
      )
    );
    return box;
  }
  const facts = [
    e.python ? `Python ${e.python.version}` : '',
    e.platform ? `${e.platform.system} ${e.platform.machine}` : '',
    e.git
      ? `git ${String(e.git.commit ?? '').slice(0, 10)}${e.git.dirty ? ' (dirty)' : ''}`
      : '',
    e.packages ? t.__('%1 packages', Object.keys(e.packages).length) : ''
  ].filter(Boolean);
  box.append(el('span', 'jp-Labbook-envFactList', facts.join(' · ')));
  return box;
}

function envDiff(
  ctx: CompareContext,
  base: ICompareRun,
  run: ICompareRun,
  diff: IEnvDiff,
  inputs: IInputDiff[],
  env: IRunEnvironment | undefined
): HTMLElement {
  const t = ctx.trans;
  const box = el('div', 'jp-Labbook-envDiff');
  box.dataset.id = run.id;
  const s = diff.summary;
  const changedInputs = inputs.filter(i => i.kind !== 'same');
  const summary =
    diff.collected.b === null
      ? (env?.problem ?? t.__('No environment recorded.'))
      : diff.collected.a === null
        ? t.__('No environment recorded for %1.', base.experiment.name)
        : s.same && changedInputs.length === 0
          ? t.__('Same environment and inputs')
          : t.__(
              '%1 packages changed, %2 added, %3 removed; %4 other parts differ; %5 inputs differ',
              s.packagesChanged,
              s.packagesAdded,
              s.packagesRemoved,
              s.partsChanged - (diff.packages.status === 'changed' ? 1 : 0),
              changedInputs.length
            );
  const head = el('div', 'jp-Labbook-envHead');
  head.append(ctx.label(run), el('span', 'jp-Labbook-envSummary', summary));
  box.append(head);
  const list = (cls: string, items: HTMLElement[]) => {
    if (items.length) {
      const ul = el('ul', cls);
      ul.append(...items);
      box.append(ul);
    }
  };
  const p = diff.packages;
  list(
    'jp-Labbook-envPackages',
    [...p.changed, ...p.added, ...p.removed].map(c => {
      const li = el(
        'li',
        `jp-Labbook-envPackage jp-mod-${c.kind}`,
        `${c.name} ${c.from ?? '∅'} → ${c.to ?? '∅'} (${t.__(c.kind)})`
      );
      li.dataset.kind = c.kind;
      li.dataset.name = c.name;
      return li;
    })
  );
  const fields: HTMLElement[] = [];
  for (const part of diff.parts) {
    if (part.status === 'changed') {
      for (const c of part.changes) {
        const li = el(
          'li',
          'jp-Labbook-envField',
          `${part.part} ${c.field}: ${show(c.a)} → ${show(c.b)}`
        );
        li.dataset.part = part.part;
        fields.push(li);
      }
    } else if (
      part.status === 'not-collected' &&
      diff.collected.a !== null &&
      diff.collected.b !== null
    ) {
      const why = [part.reasons?.a, part.reasons?.b].filter(Boolean).join('; ');
      fields.push(
        el(
          'li',
          'jp-Labbook-envField jp-mod-notCollected',
          t.__('%1: not collected (%2)', part.part, why)
        )
      );
    }
  }
  list('jp-Labbook-envFields', fields);
  list(
    'jp-Labbook-envInputs',
    changedInputs.map(i => {
      const hash = (x: IInputDiff['a']) =>
        x
          ? x.hash
            ? x.hash.replace(/^sha256:/, '').slice(0, 12)
            : (x.note ?? t.__('no hash'))
          : '∅';
      const li = el(
        'li',
        `jp-Labbook-envInput jp-mod-${i.kind}`,
        `${i.name}: ${t.__(i.kind)} (${hash(i.a)} → ${hash(i.b)})${
          i.pathChanged ? ` ${i.a?.path} → ${i.b?.path}` : ''
        }`
      );
      li.dataset.kind = i.kind;
      return li;
    })
  );
  box.title = t.__('%1 against %2', run.experiment.name, base.experiment.name);
  return box;
}

function show(v: string | number | boolean | null): string {
  return v === null ? '∅' : String(v);
}

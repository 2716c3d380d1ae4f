/**
 * The environment and data inputs of an experiment, in its detail: what
 * the kernel module collected at start (Python, platform, CPU, memory,
 * GPUs, installed packages, the git state of the notebook's repository)
 * and the inputs logged with `labbook.log_input`. All shown as text.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IDataInput, IEnvironment } from '../../../core/model';
import { el } from '../../ui/dom';

export class EnvironmentSection {
  constructor(trans: TranslationBundle) {
    this._trans = trans;
    this.node = el('div', 'jp-Labbook-environment');
  }

  readonly node: HTMLDivElement;

  /** Show experiment `id`'s environment and inputs. */
  update(
    id: string,
    env: IEnvironment | null,
    inputs: readonly IDataInput[]
  ): void {
    const sig = JSON.stringify([id, env?.collected ?? null, inputs.length]);
    if (sig === this._sig) {
      return; // unchanged: keep what the user expanded
    }
    this._sig = sig;
    const t = this._trans;
    const parts: HTMLElement[] = [];
    if (env) {
      parts.push(
        el('h3', 'jp-Labbook-sectionTitle', t.__('Environment')),
        this._facts(env)
      );
      const packages = Object.entries(env.packages ?? {}).sort(([a], [b]) =>
        a.localeCompare(b)
      );
      if (packages.length) {
        const details = el('details', 'jp-Labbook-packages');
        details.append(
          el('summary', '', t._n('%1 package', '%1 packages', packages.length))
        );
        const list = el('pre', 'jp-Labbook-packageList');
        list.textContent = packages.map(([n, v]) => `${n}==${v}`).join('\n');
        details.append(list);
        parts.push(details);
      }
      if (env.git?.diff) {
        const details = el('details', 'jp-Labbook-gitDiff');
        details.append(
          el(
            'summary',
            '',
            env.git.diffTruncated
              ? t.__('Uncommitted changes (cut to the size limit)')
              : t.__('Uncommitted changes')
          ),
          el('pre', '', env.git.diff)
        );
        parts.push(details);
      }
      for (const e of env.errors ?? []) {
        parts.push(
          el(
            'div',
            'jp-Labbook-muted',
            t.__('Not collected: %1 (%2)', e.part, e.message)
          )
        );
      }
    }
    if (inputs.length) {
      parts.push(el('h3', 'jp-Labbook-sectionTitle', t.__('Data inputs')));
      const table = el('table', 'jp-Labbook-inputTable');
      for (const input of inputs) {
        const row = el('tr', '');
        const hash = input.hash
          ? input.hash.replace(/^sha256:/, '').slice(0, 12)
          : (input.note ?? t.__('not hashed'));
        row.append(
          el('th', '', input.name),
          el('td', 'jp-Labbook-inputPath', input.path),
          el('td', '', formatBytes(input.size)),
          el('td', 'jp-Labbook-inputHash', hash)
        );
        if (input.hash) {
          row.title = input.hash;
        }
        table.append(row);
      }
      parts.push(table);
    }
    this.node.replaceChildren(...parts);
  }

  private _facts(env: IEnvironment): HTMLElement {
    const t = this._trans;
    const table = el('table', 'jp-Labbook-envTable');
    const add = (label: string, value: string | null | undefined) => {
      if (value) {
        const row = el('tr', '');
        row.append(el('th', '', label), el('td', '', value));
        table.append(row);
      }
    };
    if (env.python) {
      add(
        t.__('Python'),
        `${env.python.version} (${env.python.implementation}) ${env.python.executable}`
      );
    }
    if (env.platform) {
      add(t.__('Platform'), env.platform.description);
    }
    if (env.cpu) {
      add(
        t.__('CPU'),
        [env.cpu.count ? String(env.cpu.count) : '', env.cpu.model ?? '']
          .filter(Boolean)
          .join(' × ')
      );
    }
    if (env.memory?.totalBytes) {
      add(t.__('Memory'), formatBytes(env.memory.totalBytes));
    }
    if (env.gpus?.length) {
      add(
        t.__('GPUs'),
        env.gpus
          .map(g => g.name + (g.memoryMB ? ` (${g.memoryMB} MB)` : ''))
          .join(', ')
      );
    }
    if (env.git) {
      add(
        t.__('Git'),
        `${env.git.commit.slice(0, 12)}${env.git.branch ? ` (${env.git.branch})` : ''}${
          env.git.dirty ? t.__(', uncommitted changes') : ''
        }`
      );
    } else if (env.git === null) {
      add(t.__('Git'), t.__('not in a repository'));
    }
    return table;
  }

  private _trans: TranslationBundle;
  private _sig = '';
}

/** `1.5 MB`, `300 B`; '' when unknown. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) {
    return '';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/**
 * The detail's flattened script: copy, download, open in the editor (each a
 * command), and the script highlighted through JupyterLab's Markdown
 * renderer, untrusted.
 */
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { flattenHistory } from '../../../core/history/flatten';
import type { HistoryRecord } from '../../../core/model';
import { CommandIDs } from '../../commands';
import { el } from '../../ui/dom';

export class ScriptSection {
  constructor(options: ScriptSection.IOptions) {
    this._trans = options.trans;
    this._commands = options.commands;
    this._rendermime = options.rendermime;
    this.node = el('div', 'jp-Labbook-script');
  }

  /** The script itself; `render` gives the title and the buttons. */
  readonly node: HTMLDivElement;

  /** The title, the buttons for experiment `id`, and the script host. */
  render(id: string): HTMLElement[] {
    const t = this._trans;
    const title = el('h3', 'jp-Labbook-sectionTitle', t.__('Flattened script'));
    const bar = el('div', 'jp-Labbook-buttons');
    const button = (label: string, cls: string, command: string) => {
      const b = el('button', `jp-mod-styled jp-Labbook-${cls}`, label);
      b.addEventListener(
        'click',
        () => void this._commands.execute(command, { id })
      );
      return b;
    };
    bar.append(
      button(t.__('Copy'), 'copyScript', CommandIDs.copyScript),
      button(t.__('Download'), 'downloadScript', CommandIDs.downloadScript),
      button(t.__('Open in editor'), 'openScript', CommandIDs.openScript)
    );
    return [title, bar, this.node];
  }

  /** Nothing shown (another experiment is being opened). */
  clear(): void {
    this._scriptText = '';
    delete this.node.dataset.script;
    this.node.replaceChildren();
  }

  /** Draw the script of these records (nothing when it did not change). */
  async update(
    records: readonly HistoryRecord[],
    experiment: string | undefined
  ): Promise<void> {
    const script = flattenHistory([...records], { experiment });
    if (script === this._scriptText) {
      return;
    }
    this._scriptText = script;
    this.node.dataset.script = '';
    // Highlighted through JupyterLab's Markdown renderer: a code fence longer
    // than any backtick run in the script keeps every character as code.
    const longest = Math.max(
      2,
      ...(script.match(/`+/g) ?? []).map(s => s.length)
    );
    const fence = '`'.repeat(longest + 1);
    const renderer = this._rendermime.createRenderer('text/markdown');
    const model = this._rendermime.createModel({
      data: { 'text/markdown': `${fence}python\n${script}\n${fence}` },
      trusted: false
    });
    await renderer.renderModel(model);
    this.node.replaceChildren(renderer.node);
  }

  private _trans: TranslationBundle;
  private _commands: CommandRegistry;
  private _rendermime: IRenderMimeRegistry;
  private _scriptText = '';
}

export namespace ScriptSection {
  export interface IOptions {
    trans: TranslationBundle;
    commands: CommandRegistry;
    rendermime: IRenderMimeRegistry;
  }
}

/**
 * Helpers that drive JupyterLab in the browser as a user would, through its
 * UI and its own commands (the `window.jupyterapp` handle the dev app sets).
 */
import type { Page } from 'playwright-core';
import type { IServer } from './server';

export class Lab {
  constructor(
    readonly page: Page,
    readonly server: IServer
  ) {}

  /** Open JupyterLab in a fresh workspace and wait until it is restored. */
  async open(workspace = `w${Date.now()}`, query = '?reset'): Promise<void> {
    const sep = query ? '&' : '?';
    await this.page.goto(
      `${this.server.url}/lab/workspaces/${workspace}${query}${sep}token=${this.server.token}`
    );
    // A page that is not in front gets no focus events, and JupyterLab's
    // "current notebook" follows focus.
    await this.page.bringToFront();
    await this.waitForApp();
  }

  /** Reload the page (same workspace) and wait for the app again. */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitForApp();
  }

  async waitForApp(): Promise<void> {
    await this.page.waitForFunction(() => (window as any).jupyterapp, null, {
      timeout: 60_000
    });
    await this.page.evaluate(() => (window as any).jupyterapp.restored);
    await this.page.waitForSelector('#jp-main-dock-panel', { timeout: 30_000 });
  }

  /** Run a JupyterLab command; resolves with a JSON-safe summary of its result. */
  async command(
    id: string,
    args: Record<string, unknown> = {}
  ): Promise<unknown> {
    return this.page.evaluate(
      async ([id, args]) => {
        const result = await (window as any).jupyterapp.commands.execute(
          id,
          args
        );
        // A widget (an opened document, say) is summarised by its id.
        if (
          result &&
          typeof result === 'object' &&
          'id' in result &&
          result.node instanceof HTMLElement
        ) {
          return { id: result.id };
        }
        try {
          return JSON.parse(JSON.stringify(result ?? null));
        } catch {
          return null;
        }
      },
      [id, args] as const
    );
  }

  /** Start a Labbook experiment on an open notebook; resolves with its id. */
  async startExperiment(path: string): Promise<string> {
    const started = (await this.command('labbook:start-experiment', {
      path
    })) as { id?: string } | null;
    if (!started?.id) {
      throw new Error(`no experiment started for ${path}`);
    }
    return started.id;
  }

  /** Replace Labbook's user settings (through the settings API). */
  async setLabbookSettings(values: Record<string, unknown>): Promise<void> {
    const res = await this.server.api(
      '/lab/api/settings/jupyterlab-labbook:settings',
      {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ raw: JSON.stringify(values) })
      }
    );
    if (res.status >= 300) {
      throw new Error(`settings: ${res.status} ${await res.text()}`);
    }
  }

  /** Write a file through the Contents API. */
  async writeFile(
    path: string,
    content: unknown,
    format: 'json' | 'text' = 'json'
  ) {
    // The Contents API does not create parent folders: make them first.
    const parts = path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const head = await this.server.api(
        `/api/contents/${encodeURI(dir)}?content=0`
      );
      if (head.status === 404) {
        const made = await this.server.api(`/api/contents/${encodeURI(dir)}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ type: 'directory' })
        });
        if (!made.ok) {
          throw new Error(`PUT ${dir}/: ${made.status} ${await made.text()}`);
        }
      }
    }
    const res = await this.server.api(`/api/contents/${encodeURI(path)}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: format === 'json' ? 'notebook' : 'file',
        format,
        content
      })
    });
    if (!res.ok) {
      throw new Error(`PUT ${path}: ${res.status} ${await res.text()}`);
    }
  }

  /**
   * Create a notebook file with the given code cells, open it on the python3
   * kernel and wait until the kernel is idle. Returns the panel's DOM id.
   */
  async openNotebook(path: string, cells: string[] = ['']): Promise<string> {
    await this.writeFile(path, notebookJSON(cells));
    const result = (await this.command('docmanager:open', {
      path,
      factory: 'Notebook',
      kernel: { name: 'python3' }
    })) as { id: string };
    const id = result.id;
    await this.page.waitForSelector(`#${cssId(id)} .jp-Cell`);
    await this.waitForKernelIdle(id);
    return id;
  }

  async waitForKernelIdle(panelId: string): Promise<void> {
    await this.page.waitForFunction(
      id => {
        const app = (window as any).jupyterapp;
        const panel =
          app.shell.widgets('main').find((w: any) => w.id === id) ??
          [...app.shell.widgets('main')].find((w: any) => w.id === id);
        const kernel = panel?.sessionContext?.session?.kernel;
        return (
          kernel &&
          kernel.status === 'idle' &&
          kernel.connectionStatus === 'connected'
        );
      },
      panelId,
      { timeout: 60_000 }
    );
  }

  /**
   * Put `code` in cell `index` of the notebook, run it as Shift+Enter does
   * (notebook:run-cell on the active cell) and wait for it to finish.
   * Returns the text of its outputs.
   */
  async runCell(
    panelId: string,
    index: number,
    code?: string
  ): Promise<string> {
    await this.startCell(panelId, index, code);
    await this.page.evaluate(
      id => (window as any).__labbookRuns?.[id],
      panelId
    );
    return this.cellOutput(panelId, index);
  }

  /** `runCell` without waiting for the cell to finish. */
  async startCell(
    panelId: string,
    index: number,
    code?: string
  ): Promise<void> {
    await this.page.evaluate(
      async ([id, index, code]) => {
        const app = (window as any).jupyterapp;
        const panel = [...app.shell.widgets('main')].find(
          (w: any) => w.id === id
        );
        app.shell.activateById(id);
        const notebook = panel.content;
        while (notebook.widgets.length <= index) {
          await app.commands.execute('notebook:insert-cell-below', {
            widgetId: id
          });
        }
        notebook.activeCellIndex = index;
        if (code !== null) {
          notebook.widgets[index].model.sharedModel.setSource(code);
        }
        // By widget id: "the current notebook" follows focus, which a
        // background page does not get.
        const runs = ((window as any).__labbookRuns ??= {});
        runs[id] = app.commands.execute('notebook:run-cell', { widgetId: id });
      },
      [panelId, index, code ?? null] as const
    );
  }

  /** Text of a cell's output area. */
  async cellOutput(panelId: string, index: number): Promise<string> {
    const cell = this.page
      .locator(`#${cssId(panelId)} .jp-Notebook .jp-Cell`)
      .nth(index);
    const outputs = cell.locator('.jp-OutputArea-output');
    if ((await outputs.count()) === 0) {
      return '';
    }
    return (await outputs.allInnerTexts()).join('\n').trim();
  }

  /** Open the Labbook side panel by clicking its icon in the left bar. */
  async clickLabbookTab(): Promise<void> {
    await this.page.click(
      '.jp-SideBar.jp-mod-left li[data-id="jp-labbook-panel"]'
    );
    await this.page.waitForSelector('#jp-labbook-panel:visible');
  }
}

/** A minimal nbformat 4.5 notebook with code cells. */
export function notebookJSON(cells: string[]): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3',
        language: 'python'
      },
      language_info: { name: 'python' }
    },
    cells: cells.map((source, i) => ({
      cell_type: 'code',
      id: `cell-${i}`,
      metadata: {},
      execution_count: null,
      outputs: [],
      source
    }))
  };
}

export function cssId(id: string): string {
  return id.replace(/([^\w-])/g, '\\$1');
}

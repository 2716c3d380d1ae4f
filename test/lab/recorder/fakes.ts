/**
 * Stand-ins for the JupyterLab objects the recorder follows: a notebook
 * panel with a session context whose signals a test fires, and the
 * registry settings behind LabbookSettings. Only what the recorder reads.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { Signal } from '@lumino/signaling';
import { ExecutionTracker } from '../../../src/core/history/tracker';
import type { NotebookCapture } from '../../../src/lab/capture/notebookcapture';
import { LabbookSettings } from '../../../src/lab/settings/settings';
import { run, type IRunOptions } from '../../core/history/fixtures';

/** A notebook with cells, as its model's `toJSON()` gives it. */
export function notebookJSON(sources: string[]) {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    cells: sources.map((source, i) => ({
      cell_type: 'code',
      id: `cell-${i}`,
      source,
      metadata: {},
      outputs: [],
      execution_count: null
    }))
  };
}

export class FakePanel {
  constructor(path: string, sources: string[] = ['x = 1']) {
    this.context.path = path;
    this.sources = sources;
  }
  sources: string[];
  node = document.createElement('div');
  isDisposed = false;
  disposed = new Signal<this, void>(this);
  sessionContext = {
    kernelChanged: new Signal<unknown, unknown>(this),
    session: null
  };
  context = {
    path: '',
    ready: Promise.resolve(),
    saveState: new Signal<unknown, string>(this),
    model: {
      cells: [] as unknown[],
      toJSON: () => notebookJSON(this.sources)
    }
  };

  /** Close the notebook. */
  close(): void {
    this.isDisposed = true;
    this.disposed.emit();
  }

  get asPanel(): NotebookPanel {
    return this as unknown as NotebookPanel;
  }
}

/** A capture without a kernel: the test feeds its tracker and fires its signals. */
export function fakeCapture(panel: FakePanel) {
  const capture = {
    panel,
    tracker: new ExecutionTracker(),
    kernel: { name: 'python3', language: 'python' },
    kernelDied: new Signal<unknown, string>(panel),
    kernelShutdown: new Signal<unknown, void>(panel),
    isDisposed: false,
    dispose() {
      this.isDisposed = true;
    }
  };
  return capture as typeof capture & NotebookCapture;
}

/** One cell run from request to reply, through a tracker. */
export function runCell(
  tracker: ExecutionTracker,
  code: string,
  options: IRunOptions
): void {
  for (const [msg, direction] of run(code, options)) {
    tracker.handle(msg, direction);
  }
}

/** LabbookSettings over registry settings that a test edits. */
export function editableSettings(values: Record<string, unknown> = {}) {
  const registry = {
    composite: { ...values },
    changed: new Signal<unknown, void>({})
  };
  const settings = new LabbookSettings();
  settings.connect(registry as unknown as ISettingRegistry.ISettings);
  return {
    settings,
    edit(more: Record<string, unknown>) {
      registry.composite = { ...registry.composite, ...more };
      registry.changed.emit();
    }
  };
}

/**
 * Run a notebook top to bottom in a fresh kernel of any Jupyter server,
 * as papermill does: the run's parameters injected after the cell tagged
 * `parameters`, code cells executed in order, outputs collected into the
 * executed notebook, and the run stopped at the first cell that raises.
 *
 * The same code runs in the browser (the tab's server settings) and in
 * Node (`labbook worker`: settings with `ws` and Node's fetch). It never
 * throws for what happens during a run: a kernel that cannot start, dies,
 * times out or is cancelled is a status with a message, and the kernel is
 * always shut down. Only bad parameters throw (`ParameterError`), before
 * any kernel is started.
 */
import {
  KernelAPI,
  KernelManager,
  ServerConnection,
  type Kernel,
  type KernelMessage
} from '@jupyterlab/services';
import type { ParamValue } from '../core/model';
import {
  injectParameters,
  type INotebookCellLike,
  type INotebookLike
} from '../core/params/inject';
import { OutputCollector, updateDisplays, type NbOutput } from './outputs';

/**
 * How a run ended: `ok` every cell ran; `error` a cell raised (papermill
 * stops there); `cancelled` the signal aborted it; `timeout` the run or a
 * cell took too long; `dead` the kernel died; `no-kernel` it never started.
 */
export type RunStatus =
  'ok' | 'error' | 'cancelled' | 'timeout' | 'dead' | 'no-kernel';

export interface IRunOptions {
  serverSettings: ServerConnection.ISettings;
  /** Kernel name; default: the notebook's kernelspec, else `python3`. */
  kernelName?: string;
  /**
   * Path of the notebook on that server: the kernel starts in its folder,
   * so relative data paths work as in the notebook.
   */
  path?: string;
  /** Values for an `injected-parameters` cell. */
  params?: { [name: string]: ParamValue };
  /** Whole-run time limit in ms. */
  timeout?: number;
  /** Per-cell time limit in ms. */
  cellTimeout?: number;
  signal?: AbortSignal;
  /** Told when each code cell starts and ends. */
  onCell?: (event: ICellEvent) => void;
  /**
   * Called once the kernel is ready, before the first cell (the recorder
   * defines the `labbook` module here). A rejection fails the run.
   */
  onKernel?: (kernel: Kernel.IKernelConnection) => Promise<void> | void;
  /**
   * Called after the last cell, before the kernel is shut down, while it
   * still runs (the recorder waits for the kernel's last batches here).
   */
  beforeShutdown?: (
    kernel: Kernel.IKernelConnection,
    status: RunStatus
  ) => Promise<void> | void;
  /** A manager to start the kernel with (shared by a worker's runs). */
  kernelManager?: KernelManager;
}

export interface ICellEvent {
  phase: 'start' | 'end';
  /** Index of the cell in the executed notebook. */
  index: number;
  /** Number of code cells that will run. */
  codeCells: number;
  /** Position among the code cells (0-based). */
  position: number;
  /** At `end`: the reply's status. */
  status?: 'ok' | 'error' | 'aborted';
  outputs?: NbOutput[];
}

export interface IRunError {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface IRunResult {
  status: RunStatus;
  /** For anything but `ok`: what happened, for a user. */
  message?: string;
  /** The notebook as run: injected cell, outputs, execution counts. */
  notebook: INotebookLike;
  /** Index (in `notebook`) of the cell that raised or was running. */
  failedCell?: number;
  error?: IRunError;
  /** Code cells that ran to their reply. */
  executed: number;
  kernelName: string;
  kernelId?: string;
  /** ISO times. */
  started: string;
  ended: string;
}

/** Run `nb` (not modified) and return the executed copy and how it went. */
export async function runNotebook(
  nb: INotebookLike,
  options: IRunOptions
): Promise<IRunResult> {
  const executedNb = prepare(
    options.params ? injectParameters(nb, options.params) : nb
  );
  const kernelName =
    options.kernelName ?? kernelspecName(executedNb) ?? 'python3';
  const started = new Date().toISOString();
  const result = (
    status: RunStatus,
    extra: Partial<IRunResult> = {}
  ): IRunResult => ({
    status,
    notebook: executedNb,
    executed,
    kernelName,
    started,
    ended: new Date().toISOString(),
    ...extra
  });
  let executed = 0;

  const stop = new Stopper(options);
  const manager =
    options.kernelManager ??
    new KernelManager({ serverSettings: options.serverSettings });
  // Disposed before its first poll, a manager rejects `ready`: not ours to report.
  manager.ready.catch(() => undefined);
  let kernel: Kernel.IKernelConnection | null = null;
  try {
    try {
      kernel = await stop.race(
        manager.startNew({
          name: kernelName,
          ...(options.path !== undefined ? { path: options.path } : {})
        } as Kernel.IKernelOptions)
      );
    } catch (e) {
      if (e instanceof Stopped) {
        return result(e.status, { message: e.message });
      }
      return result('no-kernel', {
        message: `Could not start a "${kernelName}" kernel on ${options.serverSettings.baseUrl}: ${messageOf(e)}`
      });
    }
    const k = kernel;
    stop.watch(k);
    const kernelId = k.id;
    try {
      await stop.race(k.info);
      if (options.onKernel) {
        await stop.race(Promise.resolve(options.onKernel(k)));
      }
    } catch (e) {
      if (e instanceof Stopped) {
        return result(e.status, { message: e.message, kernelId });
      }
      return result('error', {
        message: `The kernel did not get ready: ${messageOf(e)}`,
        kernelId
      });
    }

    const code = executedNb.cells
      .map((c, i) => [c, i] as const)
      .filter(([c]) => c.cell_type === 'code' && sourceOf(c).trim() !== '');
    const displays = new Map<string, NbOutput[]>();
    // The connection routes a display update to the request that first
    // showed that display, whose future is done by then: read updates
    // from every iopub message instead.
    const onIOPub = (_: unknown, msg: KernelMessage.IIOPubMessage) => {
      if (msg.header.msg_type === 'update_display_data') {
        updateDisplays(displays, msg.content);
      }
    };
    k.iopubMessage.connect(onIOPub);
    stop.onDispose(() => k.iopubMessage.disconnect(onIOPub));
    let status: RunStatus = 'ok';
    let extra: Partial<IRunResult> = {};
    for (let position = 0; position < code.length; position++) {
      const [cell, index] = code[position];
      options.onCell?.({
        phase: 'start',
        index,
        codeCells: code.length,
        position
      });
      const collector = new OutputCollector(displays);
      cell.outputs = collector.outputs;
      const timing: { [key: string]: string } = {};
      const future = k.requestExecute(
        {
          code: sourceOf(cell),
          silent: false,
          store_history: true,
          stop_on_error: true,
          allow_stdin: false
        },
        true,
        typeof cell.id === 'string' ? { cellId: cell.id } : {}
      );
      future.onIOPub = msg => {
        if (msg.header.msg_type === 'execute_input') {
          timing['iopub.execute_input'] = msg.header.date;
        }
        if (msg.header.msg_type !== 'update_display_data') {
          collector.add({
            msg_type: msg.header.msg_type,
            content: msg.content
          });
        }
        cell.outputs = collector.outputs;
      };
      let reply: KernelMessage.IExecuteReplyMsg;
      try {
        reply = await stop.race(future.done, options.cellTimeout);
      } catch (e) {
        cell.outputs = collector.outputs;
        cell.execution_count = collector.executionCount;
        if (e instanceof Stopped) {
          if (e.status !== 'dead') {
            await interrupt(k);
          }
          status = e.status;
          extra = {
            message: `${e.message} (cell ${index + 1})`,
            failedCell: index
          };
        } else {
          status = 'error';
          extra = { message: messageOf(e), failedCell: index };
        }
        break;
      }
      timing['shell.execute_reply'] = reply.header.date;
      cell.metadata = { ...(cell.metadata ?? {}), execution: timing };
      cell.outputs = collector.outputs;
      const content = reply.content;
      cell.execution_count =
        'execution_count' in content &&
        typeof content.execution_count === 'number'
          ? content.execution_count
          : collector.executionCount;
      executed++;
      options.onCell?.({
        phase: 'end',
        index,
        codeCells: code.length,
        position,
        status: content.status as 'ok' | 'error' | 'aborted',
        outputs: collector.outputs
      });
      if (content.status !== 'ok') {
        const err =
          content.status === 'error'
            ? {
                ename: content.ename,
                evalue: content.evalue,
                traceback: content.traceback
              }
            : { ename: 'Aborted', evalue: '', traceback: [] };
        status = 'error';
        extra = {
          message: `Cell ${index + 1} raised ${err.ename}${err.evalue ? `: ${err.evalue}` : ''}`,
          failedCell: index,
          error: err
        };
        break;
      }
    }
    if (options.beforeShutdown && status !== 'dead') {
      try {
        await stop.race(Promise.resolve(options.beforeShutdown(k, status)));
      } catch (e) {
        if (status === 'ok') {
          status = e instanceof Stopped ? e.status : 'error';
          extra = { message: messageOf(e) };
        }
      }
    }
    return result(status, { ...extra, kernelId });
  } finally {
    stop.dispose();
    if (kernel) {
      await shutdown(kernel);
    }
    if (!options.kernelManager) {
      manager.dispose();
    }
  }
}

/** A copy with every code cell's outputs and count cleared. */
function prepare(nb: INotebookLike): INotebookLike {
  const copy = JSON.parse(JSON.stringify(nb)) as INotebookLike;
  for (const cell of copy.cells) {
    if (cell.cell_type === 'code') {
      cell.outputs = [];
      cell.execution_count = null;
      if (cell.metadata && 'execution' in cell.metadata) {
        const { execution: _, ...rest } = cell.metadata;
        cell.metadata = rest;
      }
    }
  }
  return copy;
}

function kernelspecName(nb: INotebookLike): string | undefined {
  const spec = (nb.metadata as { kernelspec?: { name?: unknown } } | undefined)
    ?.kernelspec;
  return typeof spec?.name === 'string' && spec.name ? spec.name : undefined;
}

function sourceOf(cell: INotebookCellLike): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Why a run stopped early: carries the run status. */
class Stopped extends Error {
  constructor(
    readonly status: RunStatus,
    message: string
  ) {
    super(message);
  }
}

/**
 * Everything that ends a run from outside a cell: the abort signal, the
 * whole-run timeout, the kernel dying. `race(p)` rejects with `Stopped`
 * as soon as one of them happens.
 */
class Stopper {
  constructor(options: IRunOptions) {
    this._stopped = new Promise<never>((_, reject) => {
      this._reject = reject;
    });
    this._stopped.catch(() => undefined);
    const signal = options.signal;
    if (signal) {
      const onAbort = () =>
        this._stop(new Stopped('cancelled', 'The run was cancelled'));
      if (signal.aborted) {
        onAbort();
      } else {
        signal.addEventListener('abort', onAbort, { once: true });
        this._cleanups.push(() => signal.removeEventListener('abort', onAbort));
      }
    }
    if (options.timeout !== undefined) {
      const t = setTimeout(
        () =>
          this._stop(
            new Stopped(
              'timeout',
              `The run took longer than ${seconds(options.timeout!)}`
            )
          ),
        options.timeout
      );
      this._cleanups.push(() => clearTimeout(t));
    }
  }

  /** Also stop when this kernel dies (or the server restarts it). */
  watch(kernel: Kernel.IKernelConnection): void {
    const onStatus = (_: unknown, status: Kernel.Status) => {
      if (
        status === 'dead' ||
        status === 'autorestarting' ||
        status === 'restarting'
      ) {
        this._stop(new Stopped('dead', 'The kernel died'));
      }
    };
    kernel.statusChanged.connect(onStatus);
    this._cleanups.push(() => kernel.statusChanged.disconnect(onStatus));
  }

  race<T>(p: Promise<T>, timeout?: number): Promise<T> {
    const racers: Promise<T>[] = [p, this._stopped];
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (timeout !== undefined) {
      racers.push(
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Stopped(
                  'timeout',
                  `The cell took longer than ${seconds(timeout)}`
                )
              ),
            timeout
          );
        })
      );
    }
    return Promise.race(racers).finally(() => clearTimeout(timer));
  }

  onDispose(fn: () => void): void {
    this._cleanups.push(fn);
  }

  dispose(): void {
    for (const fn of this._cleanups.splice(0)) {
      fn();
    }
  }

  private _stop(reason: Stopped): void {
    if (!this._done) {
      this._done = true;
      this._reject(reason);
    }
  }

  private _stopped: Promise<never>;
  private _reject!: (e: Stopped) => void;
  private _done = false;
  private _cleanups: (() => void)[] = [];
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

async function interrupt(kernel: Kernel.IKernelConnection): Promise<void> {
  await withTimeout(kernel.interrupt(), 2_000);
}

/**
 * Shut the kernel down, whatever state it is in; never throws. A kernel
 * the server is restarting after it died refuses a shutdown until the
 * restart is over: ask again, for up to 15 s.
 */
async function shutdown(kernel: Kernel.IKernelConnection): Promise<void> {
  const { id, serverSettings } = kernel;
  // A kernel the server restarts after its death is being reconnected by
  // the connection; disposing it mid-way rejects that reconnection with
  // nobody listening. Let it finish first (up to 10 s).
  if (kernel.connectionStatus === 'connecting') {
    await new Promise<void>(resolve => {
      const timer = setTimeout(done, 10_000);
      function done() {
        clearTimeout(timer);
        kernel.connectionStatusChanged.disconnect(onChange);
        resolve();
      }
      function onChange(_: unknown, status: Kernel.ConnectionStatus) {
        if (status !== 'connecting') {
          done();
        }
      }
      kernel.connectionStatusChanged.connect(onChange);
    });
  }
  kernel.dispose();
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await KernelAPI.shutdownKernel(id, serverSettings);
      return;
    } catch (e) {
      if (
        e instanceof ServerConnection.ResponseError &&
        e.response.status === 404
      ) {
        return; // already gone
      }
      if (Date.now() > deadline) {
        return;
      }
      await new Promise(r => setTimeout(r, 500));
    }
  }
}

async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    p.catch(() => undefined),
    new Promise<void>(r => (timer = setTimeout(r, ms)))
  ]);
  clearTimeout(timer);
}

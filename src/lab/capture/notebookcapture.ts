/**
 * Capture for one notebook: follows the kernel connection of a notebook
 * panel and keeps the history of its kernel sessions (core
 * `ExecutionTracker`), whether or not an experiment is running.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { ExecutionTracker } from '../../core/history/tracker';
import type { IKernelInfo } from '../../core/model';

export class NotebookCapture implements IDisposable {
  constructor(options: NotebookCapture.IOptions) {
    this.panel = options.panel;
    this.tracker = new ExecutionTracker({ textLimit: options.textLimit });
    const ctx = this.panel.sessionContext;
    ctx.kernelChanged.connect(this._onKernelChanged, this);
    if (ctx.session?.kernel) {
      this._attach(ctx.session.kernel);
    }
  }

  readonly panel: NotebookPanel;
  readonly tracker: ExecutionTracker;

  /** Notebook path relative to the server root. */
  get path(): string {
    return this.panel.context.path;
  }

  /** The kernel of the current session, as far as known. */
  get kernel(): IKernelInfo {
    return { ...this._kernelInfo };
  }

  /** The kernel died (not a shutdown the user asked for). */
  get kernelDied(): ISignal<this, string> {
    return this._kernelDied;
  }

  /** The notebook's kernel was shut down or removed. */
  get kernelShutdown(): ISignal<this, void> {
    return this._kernelShutdown;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._detach();
    Signal.clearData(this);
  }

  private _onKernelChanged(
    _: unknown,
    args: {
      oldValue: Kernel.IKernelConnection | null;
      newValue: Kernel.IKernelConnection | null;
    }
  ): void {
    this._detach();
    if (args.newValue) {
      this._attach(args.newValue);
    } else if (args.oldValue) {
      this.tracker.abortPending();
      this._kernelShutdown.emit();
    }
  }

  private _attach(kernel: Kernel.IKernelConnection): void {
    this._kernel = kernel;
    kernel.anyMessage.connect(this._onMessage, this);
    kernel.statusChanged.connect(this._onStatus, this);
    const fresh = kernel.status === 'starting' || kernel.status === 'unknown';
    this._kernelInfo = {
      name: kernel.name,
      language: this._kernelInfo.language || ''
    };
    this.tracker.startSession(
      kernel.id,
      this._kernelInfo,
      fresh ? 'start' : 'attach'
    );
    void this._readInfo(kernel);
  }

  private async _readInfo(kernel: Kernel.IKernelConnection): Promise<void> {
    try {
      const [info, spec] = await Promise.all([kernel.info, kernel.spec]);
      if (kernel !== this._kernel) {
        return;
      }
      this._kernelInfo = {
        name: kernel.name,
        language: info.language_info?.name ?? spec?.language ?? '',
        displayName: spec?.display_name
      };
      // The session record was written before the info came: complete it.
      const session = this.tracker.currentSession();
      if (session && session.kernelId === kernel.id) {
        session.kernel = { ...this._kernelInfo };
      }
    } catch {
      // A kernel that dies while starting: its status handler reports it.
    }
  }

  private _detach(): void {
    if (this._kernel) {
      this._kernel.anyMessage.disconnect(this._onMessage, this);
      this._kernel.statusChanged.disconnect(this._onStatus, this);
      this._kernel = null;
    }
  }

  private _onMessage(
    kernel: Kernel.IKernelConnection,
    args: Kernel.IAnyMessageArgs
  ): void {
    // The tracker reads only header, parent_header, channel, metadata and
    // content: no copies on the hot path.
    this.tracker.handle(
      args.msg as KernelMessage.IMessage as any,
      args.direction
    );
  }

  private _onStatus(
    kernel: Kernel.IKernelConnection,
    status: Kernel.Status
  ): void {
    if (status === 'restarting' || status === 'autorestarting') {
      this.tracker.startSession(kernel.id, this._kernelInfo, 'restart');
      if (status === 'autorestarting') {
        this._kernelDied.emit('The kernel died and was restarted.');
      }
    } else if (status === 'dead') {
      this.tracker.abortPending();
      // A shutdown the user asked for also ends in `dead`; it then removes
      // the kernel from the session (kernelShutdown). Tell them apart.
      setTimeout(() => {
        if (this._isDisposed || this._kernel !== kernel) {
          return;
        }
        if (
          kernel.isDisposed ||
          this.panel.sessionContext.session?.kernel !== kernel
        ) {
          this._kernelShutdown.emit();
        } else {
          this._kernelDied.emit('The kernel died.');
        }
      }, 1000);
    }
  }

  private _kernel: Kernel.IKernelConnection | null = null;
  private _kernelInfo: IKernelInfo = { name: '', language: '' };
  private _isDisposed = false;
  private _kernelDied = new Signal<this, string>(this);
  private _kernelShutdown = new Signal<this, void>(this);
}

export namespace NotebookCapture {
  export interface IOptions {
    panel: NotebookPanel;
    /** Cut for summarised output text. */
    textLimit?: number;
  }
}

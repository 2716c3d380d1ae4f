/**
 * The transport of the kernel protocol (docs/kernel-protocol.md) for one
 * kernel connection at a time, with no idea of experiments or stores: it
 * defines the `labbook` module in the kernel (at attach and after every
 * restart), gets the `labbook` comm, decodes batches, drops the ones
 * already stored (by session and seq), stores the rest in order through a
 * callback and acknowledges each once that callback has resolved. A batch
 * the callback rejects is not acknowledged: the kernel keeps it and sends
 * it again (to this tab on a new comm, or to the next one).
 *
 * It imports only `@jupyterlab/services` types and `./protocol`, so it runs
 * in the browser (`src/lab/kernel/bridge.ts`) and in Node (`src/runner/`,
 * with a `KernelConnection` of `@jupyterlab/services`).
 *
 * API:
 * - `new KernelChannel({ code, hello, lastStored, store })`;
 * - `attach(kernel)` / `attach(null)`: follow a kernel (the previous one is left);
 * - `send(message)`: a frontend message on the open comm, if any;
 * - `session`: the module session of the latest batch; `storedBatches`;
 * - `dispose()`.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import {
  COMM_TARGET,
  PROTOCOL_VERSION,
  decodeBatch,
  isControlBatch,
  mergeBatches
} from './protocol';
import type {
  FrontendWireMessage,
  IDecodedBatch,
  IHelloMessage,
  WireBuffer
} from './protocol';

export class KernelChannel {
  constructor(options: KernelChannel.IOptions) {
    this._options = options;
  }

  /** The kernel followed, if any. */
  get kernel(): Kernel.IKernelConnection | null {
    return this._kernel;
  }

  /** The kernel module's session of the latest batch received. */
  get session(): string | null {
    return this._session;
  }

  /** Batches stored and acknowledged. */
  get storedBatches(): number {
    return this._stored;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Follow `kernel` (null: none), leaving the kernel followed before. */
  attach(kernel: Kernel.IKernelConnection | null): void {
    this._detach();
    if (!kernel || this._isDisposed) {
      return;
    }
    this._kernel = kernel;
    kernel.statusChanged.connect(this._onStatus, this);
    // Registered even when the module is not provided: a tab without the
    // target would close the comm the kernel opened for another tab.
    kernel.registerCommTarget(COMM_TARGET, this._onKernelComm);
    void this._connect(kernel);
  }

  /** Send `message` on the open comm; false when there is none. */
  send(message: FrontendWireMessage): boolean {
    const comm = this._comm;
    if (!comm || comm.isDisposed) {
      return false;
    }
    comm.send(message as any);
    return true;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._detach();
  }

  private _detach(): void {
    if (this._kernel) {
      this._kernel.statusChanged.disconnect(this._onStatus, this);
      if (!this._kernel.isDisposed) {
        this._kernel.removeCommTarget(COMM_TARGET, this._onKernelComm);
      }
    }
    this._nonce = null;
    this._kernel = null;
    this._comm = null;
  }

  private _onStatus(kernel: Kernel.IKernelConnection, status: string): void {
    if (status === 'restarting' || status === 'autorestarting') {
      this._comm = null;
      this._restarted = true;
    } else if (status === 'idle' && this._restarted) {
      this._restarted = false;
      void this._connect(kernel);
    }
  }

  /**
   * Define the module in the kernel and have it open the comm to this tab
   * (docs/kernel-protocol.md): a comm the kernel opens works at once,
   * while one this tab opened would wait for the running cell to end. A
   * kernel without that ability gets the comm opened from here.
   */
  private async _connect(kernel: Kernel.IKernelConnection): Promise<void> {
    try {
      // Known at once when the caller has the kernel specs already: the
      // module's request is then sent before anything the user runs next
      // (Run All right after the notebook opens imports labbook at once).
      const language =
        this._options.language?.(kernel) ?? (await kernel.spec)?.language;
      if (kernel !== this._kernel || language?.toLowerCase() !== 'python') {
        return;
      }
      const fields = this._options.hello();
      if (!fields) {
        return; // the module is not provided
      }
      const nonce = Private.nonce();
      const hello: IHelloMessage = {
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        nonce,
        ...fields
      };
      this._nonce = nonce;
      await kernel.requestExecute({
        code: this._options.code(hello),
        silent: true,
        store_history: false,
        allow_stdin: false,
        stop_on_error: false
      }).done;
      if (kernel !== this._kernel || this._comm) {
        return; // the kernel opened it (before the request ended)
      }
      const comm = kernel.createComm(COMM_TARGET);
      comm.onMsg = msg => this._onMessage(comm, msg);
      this._comm = comm;
      comm.open(hello as any);
    } catch (error) {
      console.warn('Labbook could not set up the labbook module', error);
    }
  }

  /** The kernel opened a comm: ours if it echoes the nonce we sent. */
  private _onKernelComm = (
    comm: Kernel.IComm,
    msg: KernelMessage.ICommOpenMsg
  ): void => {
    const data = msg.content.data as { nonce?: string };
    if (!this._nonce || data?.nonce !== this._nonce || this._isDisposed) {
      return; // another tab's, or an older connection's
    }
    comm.onMsg = m => this._onMessage(comm, m);
    this._comm = comm;
  };

  private _onMessage(comm: Kernel.IComm, msg: KernelMessage.ICommMsgMsg): void {
    const data = msg.content.data as { type?: string };
    if (data?.type !== 'batch') {
      return;
    }
    let batch: IDecodedBatch;
    try {
      batch = decodeBatch(data, (msg.buffers ?? []) as WireBuffer[]);
    } catch (error) {
      console.warn(error);
      return;
    }
    // Stored in order, one group at a time: acks are cumulative. Batches
    // that arrive while a group is being stored wait and are stored
    // together next, so a slow store (a busy server) catches up instead of
    // falling further behind one request per batch.
    this._session = batch.session;
    this._backlog.push({ comm, batch });
    if (!this._draining) {
      void this._drain();
    }
  }

  private async _drain(): Promise<void> {
    this._draining = true;
    try {
      while (this._backlog.length > 0) {
        const first = this._backlog[0];
        let n = 1;
        // A start or end item is stored on its own: it moves what follows
        // to another experiment.
        while (
          !isControlBatch(first.batch) &&
          n < this._backlog.length &&
          n < 500 &&
          this._backlog[n].comm === first.comm &&
          this._backlog[n].batch.session === first.batch.session &&
          !isControlBatch(this._backlog[n].batch)
        ) {
          n++;
        }
        const group = this._backlog.splice(0, n).map(x => x.batch);
        await this._store(first.comm, group);
      }
    } finally {
      this._draining = false;
    }
  }

  /** Store consecutive batches of one kernel session as one. */
  private async _store(
    comm: Kernel.IComm,
    group: IDecodedBatch[]
  ): Promise<void> {
    const session = group[0].session;
    try {
      if (!this._lastSeq.has(session)) {
        // Another tab may have stored this session's first batches (the
        // page was reloaded): the callback knows where they are marked.
        this._lastSeq.set(session, await this._options.lastStored(session));
      }
      const stored = this._lastSeq.get(session)!;
      const fresh = group.filter(b => b.seq > stored);
      if (fresh.length === 0) {
        this._ack(comm, mergeBatches(group)); // a replay of what is stored
        return;
      }
      const batch = mergeBatches(fresh);
      await this._options.store(batch);
      this._lastSeq.set(session, batch.seq);
      this._stored++;
      this._ack(comm, batch);
    } catch (error) {
      // Not acknowledged: the kernel keeps the batch and sends it again.
      console.warn('Labbook could not store logged data', error);
    }
  }

  private _ack(comm: Kernel.IComm, batch: IDecodedBatch): void {
    if (comm === this._comm && !comm.isDisposed) {
      comm.send({ type: 'ack', seq: batch.seq, session: batch.session });
    }
  }

  private _options: KernelChannel.IOptions;
  private _kernel: Kernel.IKernelConnection | null = null;
  private _comm: Kernel.IComm | null = null;
  private _nonce: string | null = null;
  private _restarted = false;
  private _backlog: { comm: Kernel.IComm; batch: IDecodedBatch }[] = [];
  private _draining = false;
  private _lastSeq = new Map<string, number>();
  private _session: string | null = null;
  private _stored = 0;
  private _isDisposed = false;
}

export namespace KernelChannel {
  export interface IOptions {
    /** Python code that defines the module and sends `hello` (`injectionCode`). */
    code: (hello: IHelloMessage) => string;
    /**
     * The hello's experiment fields, asked at each connection; null when the
     * module is not to be provided (the comm target is still registered).
     */
    hello: () => Omit<IHelloMessage, 'type' | 'protocol' | 'nonce'> | null;
    /** The last seq of `session` already in the store (0: none). */
    lastStored: (session: string) => Promise<number>;
    /**
     * The kernel's language when known without a request (from kernel specs
     * already loaded); undefined: asked of the server (`kernel.spec`).
     */
    language?: (kernel: Kernel.IKernelConnection) => string | undefined;
    /**
     * Store a batch (consecutive batches merged, see `mergeBatches`; a
     * `start`/`end` batch always alone). Rejecting leaves it unacknowledged.
     */
    store: (batch: IDecodedBatch) => Promise<void>;
  }
}

namespace Private {
  /** A random hex id, told apart from other tabs' (not a secret). */
  export function nonce(): string {
    const bytes = new Uint8Array(16);
    globalThis.crypto.getRandomValues(bytes);
    return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
  }
}

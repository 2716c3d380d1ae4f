/**
 * Slots for trials across one or several Jupyter servers: each server runs
 * at most its `slots` trials at once, each trial in a fresh kernel started
 * through that server's one `KernelManager`. `acquire()` hands out a slot
 * on the server with the most free slots (ties: the first listed), so
 * trials spread over the servers.
 */
import { KernelManager, type ServerConnection } from '@jupyterlab/services';

export interface IServerSlots {
  settings: ServerConnection.ISettings;
  /** Trials this server runs at once (≥ 1). */
  slots: number;
}

export interface ISlot {
  /** The server's base URL (never its token). */
  readonly url: string;
  readonly settings: ServerConnection.ISettings;
  readonly kernelManager: KernelManager;
  /** Give the slot back (idempotent). */
  release(): void;
}

export class KernelPool {
  constructor(servers: IServerSlots[]) {
    if (servers.length === 0) {
      throw new Error('A kernel pool needs at least one server');
    }
    this._servers = servers.map(s => ({
      settings: s.settings,
      slots: Math.max(1, Math.floor(s.slots)),
      busy: 0,
      manager: null
    }));
  }

  /** Slots in all servers. */
  get size(): number {
    return this._servers.reduce((n, s) => n + s.slots, 0);
  }

  /** Free slots now. */
  get free(): number {
    return this._servers.reduce((n, s) => n + s.slots - s.busy, 0);
  }

  /** Server URLs, in the order given. */
  get urls(): string[] {
    return this._servers.map(s => s.settings.baseUrl);
  }

  /** A free slot now, or null when all are busy. */
  tryAcquire(): ISlot | null {
    let best: KernelPool.IServerState | null = null;
    for (const s of this._servers) {
      if (
        s.busy < s.slots &&
        (!best || s.slots - s.busy > best.slots - best.busy)
      ) {
        best = s;
      }
    }
    if (!best) {
      return null;
    }
    const server = best;
    server.busy++;
    if (!server.manager) {
      server.manager = new KernelManager({ serverSettings: server.settings });
      server.manager.ready.catch(() => undefined); // rejects when disposed early
    }
    let released = false;
    return {
      url: server.settings.baseUrl,
      settings: server.settings,
      kernelManager: server.manager,
      release: () => {
        if (!released) {
          released = true;
          server.busy--;
        }
      }
    };
  }

  dispose(): void {
    for (const s of this._servers) {
      s.manager?.dispose();
      s.manager = null;
    }
  }

  private _servers: KernelPool.IServerState[];
}

export namespace KernelPool {
  export interface IServerState {
    settings: ServerConnection.ISettings;
    slots: number;
    busy: number;
    manager: KernelManager | null;
  }
}

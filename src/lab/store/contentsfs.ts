/**
 * The store backend of the browser: the Jupyter Contents API, in a folder
 * of the server root (setting `storeFolder`, default `labbook/`). Same
 * layout as the Node backend; the server writes files atomically.
 */
import { Contents, ServerConnection } from '@jupyterlab/services';
import {
  IStoreEntry,
  IStoreFS,
  StoreNotFoundError,
  StorePathError
} from '../../core/store/fs';
import { base64ToBytes, bytesToBase64 } from '../../core/base64';

export class ContentsStoreFS implements IStoreFS {
  constructor(options: ContentsStoreFS.IOptions) {
    this._contents = options.contents;
    this._root = options.root.replace(/^\/+|\/+$/g, '');
    if (this._root.split('/').some(s => s === '..' || s === '.')) {
      throw new StorePathError(
        options.root,
        'the store folder must stay in the server root'
      );
    }
  }

  get description(): string {
    return `contents:${this._root}/`;
  }

  /** The store folder, relative to the server root. */
  get root(): string {
    return this._root;
  }

  /** The server path of a store path. */
  serverPath(path: string): string {
    if (path.startsWith('/') || path.split('/').some(s => s === '..')) {
      throw new StorePathError(path, 'must stay inside the store');
    }
    return path ? `${this._root}/${path}` : this._root;
  }

  async readText(path: string): Promise<string> {
    const model = await this._get(path, {
      type: 'file',
      format: 'text',
      content: true
    });
    return String(model.content ?? '');
  }

  async readBytes(path: string): Promise<Uint8Array> {
    const model = await this._get(path, {
      type: 'file',
      format: 'base64',
      content: true
    });
    return base64ToBytes(String(model.content ?? '').replace(/\s/g, ''));
  }

  async writeText(path: string, text: string): Promise<void> {
    await this._save(path, { type: 'file', format: 'text', content: text });
  }

  async writeBytes(path: string, data: Uint8Array): Promise<void> {
    await this._save(path, {
      type: 'file',
      format: 'base64',
      content: bytesToBase64(data)
    });
  }

  async list(dir: string): Promise<IStoreEntry[]> {
    const children = await this._children(this.serverPath(dir));
    return (children ?? []).map(m => ({
      name: m.name,
      type: m.type === 'directory' ? 'directory' : 'file',
      size: typeof m.size === 'number' ? m.size : undefined,
      mtime: m.last_modified ? Date.parse(m.last_modified) : undefined
    }));
  }

  async exists(path: string): Promise<boolean> {
    return (await this._entry(this.serverPath(path))) !== null;
  }

  async remove(path: string): Promise<void> {
    const server = this.serverPath(path);
    let model: Contents.IModel;
    try {
      model = await this._get(path, { content: true });
    } catch (error) {
      if (error instanceof StoreNotFoundError) {
        return;
      }
      throw error;
    }
    if (model.type === 'directory') {
      // Empty it first: servers that move deletions to the trash refuse
      // non-empty folders.
      for (const child of (model.content ?? []) as Contents.IModel[]) {
        await this.remove(path ? `${path}/${child.name}` : child.name);
      }
    }
    await this._changing(server, () => this._contents.delete(server));
    this._dirs.delete(server);
  }

  /**
   * The entries of a server folder, or null when it does not exist.
   *
   * Missing paths are found from their parent's listing rather than by a
   * request that fails: the browser logs every 404 as a console error, and
   * a store that is still empty would fill the console with them.
   */
  private _children(dir: string): Promise<Contents.IModel[] | null> {
    // Concurrent listings of one folder share a request (reading an
    // experiment lists its folder for its edits, heartbeats and metrics at
    // once), unless this backend changed the folder since the shared one
    // was sent: a listing never misses what was written before it was asked.
    const generation = this._generation.get(dir) ?? 0;
    const shared = this._listing.get(dir);
    if (shared && shared.generation === generation) {
      return shared.result;
    }
    const result = this._list(dir).finally(() => {
      if (this._listing.get(dir)?.result === result) {
        this._listing.delete(dir);
      }
    });
    this._listing.set(dir, { generation, result });
    return result;
  }

  private async _list(dir: string): Promise<Contents.IModel[] | null> {
    if (dir && !this._dirs.has(dir)) {
      const entry = await this._entry(dir);
      if (entry?.type !== 'directory') {
        return null;
      }
      this._dirs.add(dir);
    }
    try {
      const model = await this._contents.get(dir, { content: true });
      if (model.type !== 'directory' || !Array.isArray(model.content)) {
        return null;
      }
      const children = model.content as Contents.IModel[];
      // Every folder seen in a listing exists: later reads of it go
      // straight to it instead of listing this folder again.
      for (const child of children) {
        if (child.type === 'directory') {
          this._dirs.add(dir ? `${dir}/${child.name}` : child.name);
        }
      }
      return children;
    } catch (error) {
      if (Private.status(error) === 404) {
        this._dirs.delete(dir); // removed behind our back
        return null;
      }
      throw error;
    }
  }

  /** A server path's entry in its parent's listing, or null. */
  private async _entry(path: string): Promise<Contents.IModel | null> {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const siblings = await this._children(Private.parent(path));
    return siblings?.find(m => m.name === name) ?? null;
  }

  private async _get(
    path: string,
    options: Contents.IFetchOptions
  ): Promise<Contents.IModel> {
    try {
      return await this._contents.get(this.serverPath(path), options);
    } catch (error) {
      if (Private.status(error) === 404) {
        throw new StoreNotFoundError(path);
      }
      throw error;
    }
  }

  private async _save(
    path: string,
    model: Partial<Contents.IModel>
  ): Promise<void> {
    const server = this.serverPath(path);
    const parent = Private.parent(server);
    if (parent && !this._dirs.has(parent)) {
      await this._ensureDir(parent);
    }
    await this._changing(server, () => this._contents.save(server, model));
  }

  /**
   * Run a change of `path`, marking its folder changed before and after:
   * listings of it sent before the change ends are not shared after.
   */
  private async _changing<T>(path: string, fn: () => Promise<T>): Promise<T> {
    const parent = Private.parent(path);
    const bump = () =>
      this._generation.set(parent, (this._generation.get(parent) ?? 0) + 1);
    bump();
    try {
      return await fn();
    } finally {
      bump();
    }
  }

  /** Create `dir` and its missing ancestors (the Contents API will not). */
  private _ensureDir(dir: string): Promise<void> {
    // Concurrent writes into one new folder create it once.
    let pending = this._creating.get(dir);
    if (!pending) {
      pending = this._createDir(dir).finally(() => this._creating.delete(dir));
      this._creating.set(dir, pending);
    }
    return pending;
  }

  private async _createDir(dir: string): Promise<void> {
    const parent = Private.parent(dir);
    if (parent && !this._dirs.has(parent)) {
      await this._ensureDir(parent);
    }
    // Saving a folder that exists is a no-op on the Jupyter server, so no
    // look-up first: one request per new folder.
    try {
      await this._changing(dir, () =>
        this._contents.save(dir, { type: 'directory' })
      );
    } catch (error) {
      const entry = await this._entry(dir).catch(() => null);
      if (entry && entry.type !== 'directory') {
        throw new StorePathError(dir, 'is a file, a folder was expected');
      }
      if (!entry) {
        throw error;
      }
    }
    this._dirs.add(dir);
  }

  private _contents: Contents.IManager;
  private _root: string;
  private _dirs = new Set<string>();
  private _creating = new Map<string, Promise<void>>();
  /** Listings in flight, by folder, with the folder's generation when sent. */
  private _listing = new Map<
    string,
    { generation: number; result: Promise<Contents.IModel[] | null> }
  >();
  /** Changes this backend made to each folder (bumped as one starts and ends). */
  private _generation = new Map<string, number>();
}

export namespace ContentsStoreFS {
  export interface IOptions {
    contents: Contents.IManager;
    /** Store folder relative to the server root, e.g. `labbook`. */
    root: string;
  }
}

namespace Private {
  /** The folder of a server path ('' for the server root). */
  export function parent(path: string): string {
    const slash = path.lastIndexOf('/');
    return slash < 0 ? '' : path.slice(0, slash);
  }

  export function status(error: unknown): number | undefined {
    if (error instanceof ServerConnection.ResponseError) {
      return error.response.status;
    }
    return (error as any)?.response?.status;
  }
}

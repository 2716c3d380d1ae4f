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
    const binary = atob(String(model.content ?? '').replace(/\s/g, ''));
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) {
      out[i] = binary.charCodeAt(i);
    }
    return out;
  }

  async writeText(path: string, text: string): Promise<void> {
    await this._save(path, { type: 'file', format: 'text', content: text });
  }

  async writeBytes(path: string, data: Uint8Array): Promise<void> {
    let binary = '';
    for (let i = 0; i < data.length; i += 0x8000) {
      binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
    }
    await this._save(path, {
      type: 'file',
      format: 'base64',
      content: btoa(binary)
    });
  }

  async list(dir: string): Promise<IStoreEntry[]> {
    let model: Contents.IModel;
    try {
      model = await this._get(dir, { content: true });
    } catch (error) {
      if (error instanceof StoreNotFoundError) {
        return [];
      }
      throw error;
    }
    if (model.type !== 'directory' || !Array.isArray(model.content)) {
      return [];
    }
    return (model.content as Contents.IModel[]).map(m => ({
      name: m.name,
      type: m.type === 'directory' ? 'directory' : 'file',
      size: typeof m.size === 'number' ? m.size : undefined,
      mtime: m.last_modified ? Date.parse(m.last_modified) : undefined
    }));
  }

  async exists(path: string): Promise<boolean> {
    try {
      await this._get(path, { content: false });
      return true;
    } catch (error) {
      if (error instanceof StoreNotFoundError) {
        return false;
      }
      throw error;
    }
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
    await this._contents.delete(server);
    this._dirs.delete(server);
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
    const parent = server.slice(0, server.lastIndexOf('/'));
    if (parent && !this._dirs.has(parent)) {
      await this._ensureDir(parent);
    }
    await this._contents.save(server, model);
  }

  /** Create `dir` and its missing ancestors (the Contents API will not). */
  private async _ensureDir(dir: string): Promise<void> {
    const parts = dir.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const sub = parts.slice(0, i).join('/');
      if (this._dirs.has(sub)) {
        continue;
      }
      try {
        const model = await this._contents.get(sub, { content: false });
        if (model.type !== 'directory') {
          throw new StorePathError(sub, 'is a file, a folder was expected');
        }
      } catch (error) {
        if (Private.status(error) !== 404) {
          throw error;
        }
        try {
          await this._contents.save(sub, { type: 'directory' });
        } catch (again) {
          // Another tab may have created it in the meantime.
          const model = await this._contents
            .get(sub, { content: false })
            .catch(() => null);
          if (model?.type !== 'directory') {
            throw again;
          }
        }
      }
      this._dirs.add(sub);
    }
  }

  private _contents: Contents.IManager;
  private _root: string;
  private _dirs = new Set<string>();
}

export namespace ContentsStoreFS {
  export interface IOptions {
    contents: Contents.IManager;
    /** Store folder relative to the server root, e.g. `labbook`. */
    root: string;
  }
}

namespace Private {
  export function status(error: unknown): number | undefined {
    if (error instanceof ServerConnection.ResponseError) {
      return error.response.status;
    }
    return (error as any)?.response?.status;
  }
}

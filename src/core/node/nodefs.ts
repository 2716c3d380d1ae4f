/**
 * The Node file-system backend: a store folder on disk, the same layout
 * as the Contents API backend. Writes are atomic (temporary file, then
 * rename); no path can leave the root.
 */
import { promises as fs } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import {
  IStoreEntry,
  IStoreFS,
  StoreNotFoundError,
  StorePathError
} from '../store/fs';
import { storePath } from '../store/path';

export class NodeStoreFS implements IStoreFS {
  constructor(root: string) {
    this.root = resolve(root);
  }

  readonly root: string;

  get description(): string {
    return `fs:${this.root}`;
  }

  async readText(path: string): Promise<string> {
    return new TextDecoder().decode(await this.readBytes(path));
  }

  async readBytes(path: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await fs.readFile(this._abs(path)));
    } catch (error) {
      throw Private.notFound(error, path);
    }
  }

  async writeText(path: string, text: string): Promise<void> {
    await this.writeBytes(path, new TextEncoder().encode(text));
  }

  async writeBytes(path: string, data: Uint8Array): Promise<void> {
    const abs = this._abs(path);
    await fs.mkdir(dirname(abs), { recursive: true });
    const tmp = `${abs}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, abs);
  }

  async list(dir: string): Promise<IStoreEntry[]> {
    const abs = dir === '' ? this.root : this._abs(dir);
    let entries;
    try {
      entries = await fs.readdir(abs, { withFileTypes: true });
    } catch (error: any) {
      if (error?.code === 'ENOENT' || error?.code === 'ENOTDIR') {
        return [];
      }
      throw error;
    }
    return entries
      .filter(e => !e.name.endsWith('.tmp'))
      .map(e => ({
        name: e.name,
        type: e.isDirectory() ? 'directory' : 'file'
      }));
  }

  async exists(path: string): Promise<boolean> {
    try {
      await fs.stat(this._abs(path));
      return true;
    } catch {
      return false;
    }
  }

  async remove(path: string): Promise<void> {
    await fs.rm(this._abs(path), { recursive: true, force: true });
  }

  private _abs(path: string): string {
    const abs = join(this.root, storePath(path));
    const rel = relative(this.root, abs);
    if (
      rel.startsWith('..') ||
      rel.includes(`..${sep}`) ||
      resolve(abs) !== abs
    ) {
      throw new StorePathError(path, 'would leave the store');
    }
    return abs;
  }
}

namespace Private {
  export function notFound(error: any, path: string): Error {
    if (error?.code === 'ENOENT' || error?.code === 'EISDIR') {
      return new StoreNotFoundError(path);
    }
    return error;
  }
}

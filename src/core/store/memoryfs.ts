/** An in-memory `IStoreFS`: for tests, benchmarks and as a browser fallback. */
import { IStoreEntry, IStoreFS, StoreNotFoundError } from './fs';
import { storePath } from './path';

export class MemoryStoreFS implements IStoreFS {
  readonly description = 'memory:';

  /** Files by path. Exposed for tests that damage files on purpose. */
  readonly files = new Map<string, Uint8Array>();

  async readText(path: string): Promise<string> {
    return new TextDecoder().decode(await this.readBytes(path));
  }

  async readBytes(path: string): Promise<Uint8Array> {
    const data = this.files.get(storePath(path));
    if (!data) {
      throw new StoreNotFoundError(path);
    }
    return data.slice();
  }

  async writeText(path: string, text: string): Promise<void> {
    this.files.set(storePath(path), new TextEncoder().encode(text));
  }

  async writeBytes(path: string, data: Uint8Array): Promise<void> {
    this.files.set(storePath(path), data.slice());
  }

  async list(dir: string): Promise<IStoreEntry[]> {
    const prefix = dir === '' ? '' : storePath(dir) + '/';
    const entries = new Map<string, IStoreEntry>();
    for (const [path, data] of this.files) {
      if (!path.startsWith(prefix)) {
        continue;
      }
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash === -1) {
        entries.set(rest, { name: rest, type: 'file', size: data.length });
      } else {
        const name = rest.slice(0, slash);
        entries.set(name, { name, type: 'directory' });
      }
    }
    return [...entries.values()];
  }

  async exists(path: string): Promise<boolean> {
    const p = storePath(path);
    if (this.files.has(p)) {
      return true;
    }
    for (const key of this.files.keys()) {
      if (key.startsWith(p + '/')) {
        return true;
      }
    }
    return false;
  }

  async remove(path: string): Promise<void> {
    const p = storePath(path);
    for (const key of [...this.files.keys()]) {
      if (key === p || key.startsWith(p + '/')) {
        this.files.delete(key);
      }
    }
  }
}

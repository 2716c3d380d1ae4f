/**
 * Reading the index files of `index/` (bases and chunks, see
 * `indexfile.ts` for their format): damaged ones reported, a file deleted
 * between listing and reading (another writer compacted) noticed.
 */
import { FORMAT_VERSION } from '../store/format';
import { StoreDamagedError, StoreNotFoundError } from '../store/fs';
import type { IStoreFS } from '../store/fs';
import { mapLimit } from '../store/maplimit';
import { storePath } from '../store/path';
import type { IDamagedFile } from '../store/store';
import { INDEX_DIR, indexFileKind, parseIndexFile } from './indexfile';
import type { IIndexEntry } from './indexfile';

/** What a read of the index files found. */
export interface IIndexFiles {
  files: { name: string; kind: 'base' | 'chunk'; entries: IIndexEntry[] }[];
  /** Every index file listed, the skipped ones included. */
  listed: string[];
  damaged: IDamagedFile[];
  /** Some file was written by a newer Labbook. */
  newer: boolean;
  /** Some file listed was deleted before it was read. */
  vanished: boolean;
}

/**
 * Read the index files, listing again when a file listed was gone when
 * read (another writer compacted meanwhile: its base holds that file).
 */
export async function readIndexFilesSettled(
  fs: IStoreFS,
  concurrency: number
): Promise<IIndexFiles> {
  for (let attempt = 1; ; attempt++) {
    const read = await readIndexFiles(fs, concurrency);
    if (!read.vanished || attempt === 5) {
      return read;
    }
  }
}

/**
 * Read every index file. Damaged ones are reported, not thrown; any other
 * error (the server unreachable) rejects.
 */
export async function readIndexFiles(
  fs: IStoreFS,
  concurrency: number,
  skip?: ReadonlySet<string>
): Promise<IIndexFiles> {
  const listed = (await fs.list(INDEX_DIR))
    .filter(e => e.type === 'file' && indexFileKind(e.name))
    .map(e => e.name)
    .sort();
  const names = listed.filter(name => !skip?.has(name));
  const damaged: IDamagedFile[] = [];
  let newer = false;
  let vanished = false;
  const files = await mapLimit(names, concurrency, async name => {
    const path = storePath(INDEX_DIR, name);
    let text: string;
    try {
      text = await fs.readText(path);
    } catch (error) {
      if (error instanceof StoreNotFoundError) {
        vanished = true;
        return null;
      }
      throw error;
    }
    try {
      const { entries } = parseIndexFile(path, text);
      return { name, kind: indexFileKind(name)!, entries };
    } catch (error) {
      newer ||= isNewer(text);
      damaged.push({
        id: '',
        path,
        problem:
          error instanceof StoreDamagedError
            ? error.problem
            : String((error as Error)?.message ?? error)
      });
      return null;
    }
  });
  return {
    files: files.filter(f => f !== null),
    listed,
    damaged,
    newer,
    vanished
  };
}

/** Whether unreadable index text is a file of a newer format version. */
function isNewer(text: string): boolean {
  try {
    const v = JSON.parse(text)?.version;
    return typeof v === 'number' && v > FORMAT_VERSION;
  } catch {
    return false;
  }
}

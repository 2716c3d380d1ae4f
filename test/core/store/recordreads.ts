import type { MemoryStoreFS } from '../../../src/core/store/memoryfs';

/**
 * The paths `fs` reads as text from now on, in order; `restore` stops
 * recording.
 */
export function recordReads(fs: MemoryStoreFS): {
  paths: string[];
  restore: () => void;
} {
  const paths: string[] = [];
  const readText = fs.readText.bind(fs);
  fs.readText = async (path: string) => {
    paths.push(path);
    return readText(path);
  };
  return { paths, restore: () => (fs.readText = readText) };
}

/**
 * The environment the kernel collected (`environment.json`, one per
 * experiment) and its reader, which keeps what it can of an odd file.
 */
import type { IEnvironment } from '../model';
import { isNum, isObj } from './context';
import type { StoreContext } from './context';
import { FORMATS, FORMAT_VERSION, parseStoreFile } from './format';
import { StoreDamagedError, StoreNotFoundError } from './fs';

/**
 * Store the environment the kernel collected, as
 * `experiments/<id>/environment.json`. One per experiment: a later
 * collection (a kernel restart, or the frontend asking again) replaces
 * it, because the cells that ran after it ran in that environment; the
 * file is written whole, so readers see the old or the new one.
 */
export async function saveEnvironment(
  ctx: StoreContext,
  id: string,
  env: IEnvironment
): Promise<void> {
  await ctx.fs.writeText(
    ctx.path(id, 'environment.json'),
    JSON.stringify({
      format: FORMATS.environment,
      version: FORMAT_VERSION,
      writer: ctx.writer,
      environment: env
    })
  );
  ctx.emit({ type: 'environment', id });
}

/**
 * The stored environment, or null when none was collected. Throws
 * `StoreDamagedError` (naming the file) when it cannot be read; a part
 * with the wrong shape is dropped and listed in `errors` instead, so
 * one odd field does not hide the rest.
 */
export async function loadEnvironment(
  ctx: StoreContext,
  id: string
): Promise<IEnvironment | null> {
  const path = ctx.path(id, 'environment.json');
  if (!(await ctx.fs.exists(path))) {
    return null; // asked first: a missing file is no error to log
  }
  let text: string;
  try {
    text = await ctx.fs.readText(path);
  } catch (error) {
    if (error instanceof StoreNotFoundError) {
      return null;
    }
    throw error;
  }
  const file = parseStoreFile<{ environment: unknown }>(
    path,
    text,
    FORMATS.environment
  );
  return checkEnvironment(path, file.environment);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * An environment as read from the store: the record must be an object
 * with its collection time; each known part that does not have the
 * documented shape is dropped and named in `errors` (the diff then says
 * "not collected" with that reason). `packages: null` (no
 * importlib.metadata in that Python) reads as not collected.
 */
export function checkEnvironment(path: string, e: unknown): IEnvironment {
  if (!isObj(e) || typeof e.collected !== 'string') {
    throw new StoreDamagedError(path, 'no environment record');
  }
  const env: IEnvironment = { ...e, collected: e.collected };
  const errors: { part: string; message: string }[] = Array.isArray(e.errors)
    ? e.errors
        .filter(
          (x: any) =>
            isObj(x) &&
            typeof x.part === 'string' &&
            typeof x.message === 'string'
        )
        .map((x: any) => ({ part: x.part, message: x.message }))
    : [];
  const bad = (part: keyof IEnvironment) => {
    delete env[part];
    errors.push({ part, message: 'unreadable in the stored file' });
  };
  const strings = (v: any, keys: string[]) =>
    Object.fromEntries(keys.map(k => [k, str(v[k])]));
  if (e.python !== undefined) {
    if (isObj(e.python)) {
      env.python = strings(e.python, [
        'version',
        'implementation',
        'executable'
      ]) as IEnvironment['python'];
    } else {
      bad('python');
    }
  }
  if (e.platform !== undefined) {
    if (isObj(e.platform)) {
      env.platform = strings(e.platform, [
        'system',
        'release',
        'machine',
        'description'
      ]) as IEnvironment['platform'];
    } else {
      bad('platform');
    }
  }
  if (e.cpu !== undefined) {
    if (isObj(e.cpu)) {
      env.cpu = { count: isNum(e.cpu.count) ? e.cpu.count : null };
      if (typeof e.cpu.model === 'string') {
        env.cpu.model = e.cpu.model;
      }
    } else {
      bad('cpu');
    }
  }
  if (e.memory !== undefined) {
    if (isObj(e.memory)) {
      env.memory = {
        totalBytes: isNum(e.memory.totalBytes) ? e.memory.totalBytes : null
      };
    } else {
      bad('memory');
    }
  }
  if (e.gpus !== undefined) {
    if (Array.isArray(e.gpus) && e.gpus.every(g => isObj(g))) {
      env.gpus = e.gpus.map((g: any) => ({
        name: str(g.name),
        ...(isNum(g.memoryMB) ? { memoryMB: g.memoryMB } : {}),
        ...(typeof g.driver === 'string' ? { driver: g.driver } : {})
      }));
    } else {
      bad('gpus');
    }
  }
  if (e.packages === null) {
    delete env.packages;
  } else if (e.packages !== undefined) {
    if (isObj(e.packages)) {
      env.packages = {};
      for (const [name, version] of Object.entries(e.packages)) {
        if (typeof version === 'string') {
          env.packages[name] = version;
        }
      }
    } else {
      bad('packages');
    }
  }
  if (e.git !== undefined && e.git !== null) {
    if (isObj(e.git) && typeof e.git.commit === 'string') {
      const g = e.git;
      env.git = {
        root: str(g.root),
        commit: g.commit,
        branch: typeof g.branch === 'string' ? g.branch : null,
        remotes: Array.isArray(g.remotes)
          ? g.remotes
              .filter((r: any) => isObj(r))
              .map((r: any) => ({ name: str(r.name), url: str(r.url) }))
          : [],
        dirty: g.dirty === true
      };
      if (typeof g.diff === 'string') {
        env.git.diff = g.diff;
      }
      if (g.diffTruncated === true) {
        env.git.diffTruncated = true;
      }
    } else {
      bad('git');
    }
  }
  if (errors.length) {
    env.errors = errors;
  } else {
    delete env.errors;
  }
  return env;
}

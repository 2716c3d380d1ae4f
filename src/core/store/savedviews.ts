/**
 * Saved views of the experiment list and runs table (`views/<id>.json`,
 * one file each, written whole): they belong to no experiment.
 */
import { savedViewProblems, type ISavedView } from '../savedviews/savedview';
import { damage, jsonNames, segment } from './context';
import type { IDamagedFile, StoreContext } from './context';
import { FORMATS, FORMAT_VERSION, parseStoreFile } from './format';
import { StoreDamagedError } from './fs';
import { mapLimit } from './maplimit';
import { storePath } from './path';

/** Save (create or replace) a view; throws for an invalid one. */
export async function saveView(
  ctx: StoreContext,
  view: ISavedView
): Promise<void> {
  const problems = savedViewProblems(view);
  if (problems.length) {
    throw new Error(`Invalid view: ${problems.join('; ')}`);
  }
  await ctx.fs.writeText(
    storePath('views', `${segment(view.id)}.json`),
    JSON.stringify({
      format: FORMATS.view,
      version: FORMAT_VERSION,
      writer: ctx.writer,
      view
    })
  );
  ctx.emit({ type: 'views', id: '' });
}

/** Every saved view, by name; unreadable files reported. */
export async function listViews(
  ctx: StoreContext
): Promise<{ views: ISavedView[]; damaged: IDamagedFile[] }> {
  const names = jsonNames(await ctx.fs.list('views'));
  const damaged: IDamagedFile[] = [];
  const views: ISavedView[] = [];
  await mapLimit(names, ctx.concurrency, async name => {
    const path = storePath('views', name);
    try {
      const file = parseStoreFile<{ view: unknown }>(
        path,
        await ctx.fs.readText(path),
        FORMATS.view
      );
      const problems = savedViewProblems(file.view);
      if (problems.length) {
        throw new StoreDamagedError(path, problems.join('; '));
      }
      views.push(file.view as ISavedView);
    } catch (error) {
      damaged.push(damage('', path, error));
    }
  });
  views.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
  return { views, damaged };
}

/** Delete a saved view. */
export async function deleteView(ctx: StoreContext, id: string): Promise<void> {
  await ctx.fs.remove(storePath('views', `${segment(id)}.json`));
  ctx.emit({ type: 'views', id: '' });
}

/**
 * Edits of lists (tags, project links) made from a fresh read of the
 * experiment, so an edit of another tab written since this one read the
 * experiment is kept (issue 7). No DOM: the list and detail models use it.
 */
import type { LabbookStore } from '../../../core/store/store';

/**
 * Add and remove tags (or project links) of one experiment: the list is
 * read again from the store first and only these changes are applied.
 * Returns the new list.
 */
export async function editList(
  store: Pick<LabbookStore, 'getExperiment' | 'updateExperiment'>,
  id: string,
  field: 'tags' | 'links',
  add: readonly string[],
  remove: readonly string[] = []
): Promise<string[]> {
  const fresh = await store.getExperiment(id);
  const old = (field === 'tags' ? fresh.tags : fresh.links) ?? [];
  const drop = new Set(remove);
  const next = [...new Set([...old.filter(x => !drop.has(x)), ...add])];
  if (next.length !== old.length || next.some((x, i) => x !== old[i])) {
    await store.updateExperiment(id, { [field]: next });
  }
  return next;
}

/** Split a comma-separated list of tags, trimmed, without empty ones or repeats. */
export function splitTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map(s => s.trim())
        .filter(Boolean)
    )
  ];
}

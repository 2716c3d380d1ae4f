import { describe, expect, it } from 'vitest';
import type { IExperimentSummary } from '../../../../src/core/index/summary';
import { summarizeExperiment } from '../../../../src/core/index/summarize';
import { MemoryStoreFS } from '../../../../src/core/store/memoryfs';
import { LabbookStore } from '../../../../src/core/store/store';
import {
  ExperimentListModel,
  type IListSource
} from '../../../../src/lab/panel/list/model';

const kernel = { name: 'python3', language: 'python' };
/** One clock for every tab of a test: edits order as they are made. */
let tick = 0;
const now = () => new Date(Date.UTC(2026, 0, 1) + 1000 * tick++);

/**
 * A list over a real store in memory, its summaries read from the store
 * (`refresh`) as the index makes them: a new array each time.
 */
async function setup(
  experiments: {
    name: string;
    tags?: string[];
    archived?: boolean;
    params?: Record<string, number>;
  }[]
) {
  const fs = new MemoryStoreFS();
  const store = new LabbookStore({ fs, writer: 'tab1aaaa', now });
  const ids: string[] = [];
  for (const x of experiments) {
    const e = await store.createExperiment({
      name: x.name,
      notebook: `${x.name}.ipynb`,
      kernel,
      tags: x.tags ?? []
    });
    if (x.archived || x.params) {
      await store.updateExperiment(e.id, {
        ...(x.archived ? { archived: true } : {}),
        ...(x.params ? { params: x.params } : {})
      });
    }
    ids.push(e.id);
  }
  let summaries: IExperimentSummary[] = [];
  const source: IListSource = {
    get experiments() {
      return summaries;
    },
    summary: id => summaries.find(s => s.id === id)
  };
  const refresh = async () => {
    const { experiments: all } = await store.listExperiments();
    summaries = all.map(e => summarizeExperiment(e));
  };
  await refresh();
  const model = new ExperimentListModel({ source, store });
  model.filter();
  return { fs, store, ids, model, refresh, source };
}

const names = (list: readonly IExperimentSummary[]) =>
  list.map(e => e.name).sort();

describe('ExperimentListModel', () => {
  it('filters by the query, hides archived ones unless asked, and keeps the last good matches on a bad query', async () => {
    const { model } = await setup([
      { name: 'a', params: { lr: 0.1 } },
      { name: 'b', params: { lr: 0.001 } },
      { name: 'c', params: { lr: 0.001 }, archived: true }
    ]);
    expect(names(model.matches)).toEqual(['a', 'b']);

    model.setQuery('params.lr < 0.01');
    expect(names(model.matches)).toEqual(['b']);
    expect(model.error).toBeNull();

    model.setQuery('params.lr < 0.01', true);
    expect(names(model.matches)).toEqual(['b', 'c']);

    model.setQuery('params.lr < < 0.01');
    expect(model.error).not.toBeNull();
    expect(names(model.matches)).toEqual(['b', 'c']);
  });

  it('lists damaged experiments but leaves them out of query matches, counted', async () => {
    const { store, ids } = await setup([{ name: 'a' }, { name: 'b' }]);
    const all = await Promise.all(
      ids.map(async id => summarizeExperiment(await store.getExperiment(id)))
    );
    all[0].damaged = 'experiment.json: not JSON';
    const model = new ExperimentListModel({
      source: { experiments: all, summary: id => all.find(e => e.id === id) },
      store
    });
    model.filter();
    expect(names(model.matches)).toEqual(['a', 'b']);
    expect(model.damagedLeftOut).toBe(0);
    model.setQuery('name like "%"');
    expect(names(model.matches)).toEqual(['b']);
    expect(model.damagedLeftOut).toBe(1);
  });

  it('filters again only when the experiments, the query or "show archived" changed', async () => {
    const { model, refresh } = await setup([{ name: 'a' }]);
    expect(model.filter()).toBe(false);
    expect(model.setQuery('name = "a"')).toBe(true);
    expect(model.setQuery('name = "a"')).toBe(false);
    await refresh();
    expect(model.filter()).toBe(true);
  });

  it('selects a shift-click range in list order, and select all adds every match', async () => {
    const { model } = await setup([
      { name: 'a' },
      { name: 'b' },
      { name: 'c' },
      { name: 'd' }
    ]);
    const order = model.matches.map(e => e.id);
    const seen: number[] = [];
    model.selectionChanged.connect((_, ids) => seen.push(ids.size));

    model.check(order[0], true, false);
    model.check(order[2], true, true);
    expect([...model.selection].sort()).toEqual(order.slice(0, 3).sort());
    model.check(order[1], false, true); // unchecks from the anchor (2) to 1
    expect([...model.selection]).toEqual([order[0]]);
    model.selectAll();
    expect(model.selection.size).toBe(4);
    expect(seen).toEqual([1, 3, 1, 4]);
  });

  it('drops experiments that are gone from the selection when it filters again', async () => {
    const { store, ids, model, refresh } = await setup([
      { name: 'a' },
      { name: 'b' }
    ]);
    model.setSelection(new Set(ids));
    await store.deleteExperiment(ids[0]);
    await refresh();
    model.filter();
    expect([...model.selection]).toEqual([ids[1]]);
  });

  it('adds and removes a tag on the selection, keeping tags another tab added meanwhile', async () => {
    const { fs, store, ids, model } = await setup([
      { name: 'a', tags: ['old'] },
      { name: 'b' }
    ]);
    // Another tab tags "a" after this one read the list.
    const other = new LabbookStore({ fs, writer: 'tab2bbbb', now });
    await other.updateExperiment(ids[0], { tags: ['old', 'theirs'] });

    await model.addTags(ids, ['mine']);
    expect((await store.getExperiment(ids[0])).tags).toEqual([
      'old',
      'theirs',
      'mine'
    ]);
    expect((await store.getExperiment(ids[1])).tags).toEqual(['mine']);

    await model.removeTag(ids, 'old');
    expect((await store.getExperiment(ids[0])).tags).toEqual([
      'theirs',
      'mine'
    ]);
  });

  it('stars all of a mixed selection, and unstars when all are starred', async () => {
    const { store, ids, model, refresh } = await setup([
      { name: 'a' },
      { name: 'b' }
    ]);
    await store.updateExperiment(ids[0], { starred: true });
    await refresh();
    await model.setFlag(ids, 'starred');
    await refresh();
    for (const id of ids) {
      expect((await store.getExperiment(id)).starred).toBe(true);
    }
    await model.setFlag(ids, 'starred');
    for (const id of ids) {
      expect((await store.getExperiment(id)).starred).toBe(false);
    }
  });

  it('deletes the experiments asked for, drops them from the selection, and reports a failure after trying all', async () => {
    const { store, ids, model } = await setup([
      { name: 'a' },
      { name: 'b' },
      { name: 'c' }
    ]);
    model.setSelection(new Set(ids));
    await model.delete([ids[0], ids[1]]);
    expect([...model.selection]).toEqual([ids[2]]);
    const left = (await store.listExperiments()).experiments.map(e => e.id);
    expect(left).toEqual([ids[2]]);

    // A tag edit of one missing experiment fails, the others are still tagged.
    await expect(model.addTags([ids[0], ids[2]], ['x'])).rejects.toThrow();
    expect((await store.getExperiment(ids[2])).tags).toEqual(['x']);
  });
});

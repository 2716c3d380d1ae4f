import { describe, expect, it } from 'vitest';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';
import { LabbookStore } from '../../../src/core/store/store';
import {
  SavedViewsModel,
  type SavedViewState
} from '../../../src/lab/savedviews/model';

const STATE: SavedViewState = {
  query: 'params.lr < 0.01',
  columns: ['name', 'params.lr'],
  sort: { key: 'metrics.loss', descending: false },
  groupBy: 'tags',
  charts: ['loss'],
  showArchived: false
};

function setup() {
  const fs = new MemoryStoreFS();
  const store = new LabbookStore({ fs });
  let t = Date.parse('2026-12-01T10:00:00Z');
  const model = new SavedViewsModel({
    store,
    now: () => new Date((t += 1000))
  });
  return { fs, store, model };
}

/** Resolves once the model says its list changed `n` more times. */
function changes(model: SavedViewsModel, n = 1): Promise<void> {
  return new Promise(resolve => {
    let left = n;
    const on = () => {
      if (--left === 0) {
        model.changed.disconnect(on);
        resolve();
      }
    };
    model.changed.connect(on);
  });
}

describe('SavedViewsModel', () => {
  it('saves a view that a new model (another tab) lists after a reload', async () => {
    const { store, model } = setup();
    const view = await model.save('best runs', STATE);
    expect(model.views.map(v => v.name)).toEqual(['best runs']);
    const other = new SavedViewsModel({ store });
    expect(await other.refresh()).toBe(true);
    expect(other.views).toEqual([view]);
    expect(other.find(view.id)?.query).toBe(STATE.query);
    expect(other.find('best runs')?.id).toBe(view.id);
    expect(other.find('nope')).toBeUndefined();
  });

  it('keeps what it was given, not the caller’s later edits', async () => {
    const { model } = setup();
    const state = { ...STATE, columns: [...STATE.columns] };
    const view = await model.save('v', state);
    state.columns.push('tags');
    expect(view.columns).toEqual(['name', 'params.lr']);
  });

  it('updates a view in place: same id, name and creation time', async () => {
    const { store, model } = setup();
    const view = await model.save('v', STATE);
    const updated = await model.update(view, { ...STATE, query: 'x = 1' });
    expect(updated.id).toBe(view.id);
    expect(updated.name).toBe('v');
    expect(updated.created).toBe(view.created);
    expect(updated.updated > view.updated).toBe(true);
    const { views } = await store.listViews();
    expect(views.map(v => v.query)).toEqual(['x = 1']);
  });

  it('deletes a view from the store and the list', async () => {
    const { store, model } = setup();
    const a = await model.save('a', STATE);
    await model.save('b', STATE);
    await model.remove(a.id);
    expect(model.views.map(v => v.name)).toEqual(['b']);
    const { views } = await store.listViews();
    expect(views.map(v => v.name)).toEqual(['b']);
  });

  it('follows views saved through the store by another view of the tab', async () => {
    const { store, model } = setup();
    const other = new SavedViewsModel({ store });
    const seen = changes(model);
    await other.save('from the list', STATE);
    await seen;
    expect(model.views.map(v => v.name)).toEqual(['from the list']);
  });

  it('reports a damaged view file and lists the rest', async () => {
    const { fs, model } = setup();
    await model.save('good', STATE);
    await fs.writeText('views/bad.json', '{not json');
    await model.refresh();
    expect(model.views.map(v => v.name)).toEqual(['good']);
    expect(model.damaged.map(d => d.path)).toEqual(['views/bad.json']);
  });

  it('keeps the views it has when the store cannot be listed', async () => {
    const { store, model } = setup();
    await model.save('kept', STATE);
    await model.refresh();
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      store.listViews = () => Promise.reject(new Error('server gone'));
      expect(await model.refresh()).toBe(false);
    } finally {
      console.warn = warn;
    }
    expect(model.views.map(v => v.name)).toEqual(['kept']);
  });

  it('takes the answer of the latest refresh when two overlap', async () => {
    const { store, model } = setup();
    await model.save('first', STATE);
    const list = store.listViews.bind(store);
    let release!: () => void;
    const slow = new Promise<void>(r => (release = r));
    let calls = 0;
    store.listViews = async () => {
      const n = ++calls;
      const result = await list();
      if (n === 1) {
        await slow; // the first answer arrives last, and is older
        return { views: [], damaged: [] };
      }
      return result;
    };
    const older = model.refresh();
    await model.refresh();
    release();
    await older;
    expect(model.views.map(v => v.name)).toEqual(['first']);
  });

  it('rejects a view the store would not read back, and lists nothing new', async () => {
    const { model } = setup();
    await expect(
      model.save('bad', { ...STATE, columns: [1 as unknown as string] })
    ).rejects.toThrow(/columns/);
    expect(model.views).toEqual([]);
  });

  it('stops following the store once disposed', async () => {
    const { store, model } = setup();
    model.dispose();
    model.dispose();
    await new SavedViewsModel({ store }).save('later', STATE);
    await new Promise(r => setTimeout(r, 0));
    expect(model.views).toEqual([]);
    expect(model.isDisposed).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';
import { LabbookStore } from '../../../src/core/store/store';
import type { ISavedView } from '../../../src/core/savedviews/savedview';
import { newViewId } from '../../../src/core/savedviews/savedview';

function view(name: string, id = newViewId()): ISavedView {
  return {
    id,
    name,
    query: 'params.lr < 0.01',
    columns: ['params.lr'],
    sort: null,
    groupBy: null,
    charts: [],
    showArchived: false,
    created: '2026-11-26T00:00:00Z',
    updated: '2026-11-26T00:00:00Z'
  };
}

describe('saved views in the store', () => {
  it('are listed by name for every writer, replaced when saved again, and deleted', async () => {
    const fs = new MemoryStoreFS();
    const a = new LabbookStore({ fs, writer: 'aaaa1111' });
    const b = new LabbookStore({ fs, writer: 'bbbb2222' });
    const sweep = view('sweep');
    await a.saveView(sweep);
    await b.saveView(view('<b>best</b> "runs"'));
    await b.saveView({ ...sweep, query: 'tags = "baseline"' });
    const { views, damaged } = await a.listViews();
    expect(damaged).toEqual([]);
    expect(views.map(v => [v.name, v.query])).toEqual([
      ['<b>best</b> "runs"', 'params.lr < 0.01'],
      ['sweep', 'tags = "baseline"']
    ]);
    await a.deleteView(sweep.id);
    expect((await b.listViews()).views.map(v => v.name)).toEqual([
      '<b>best</b> "runs"'
    ]);
  });

  it('report a damaged view file and keep the others; refuse bad views and ids', async () => {
    const fs = new MemoryStoreFS();
    const store = new LabbookStore({ fs });
    await store.saveView(view('ok'));
    await fs.writeText('views/broken.json', '{"format":"labbook-view","ver');
    const { views, damaged } = await store.listViews();
    expect(views.map(v => v.name)).toEqual(['ok']);
    expect(damaged.map(d => d.path)).toEqual(['views/broken.json']);
    await expect(
      store.saveView({ ...view('x'), id: '../x' })
    ).rejects.toThrow();
    await expect(
      store.saveView({ ...view('x'), columns: [1] as any })
    ).rejects.toThrow(/columns/);
  });
});

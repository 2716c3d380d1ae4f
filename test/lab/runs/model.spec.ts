import { Signal } from '@lumino/signaling';
import { describe, expect, it } from 'vitest';
import type { IExperimentSummary } from '../../../src/core/index/summary';
import { MemoryStoreFS } from '../../../src/core/store/memoryfs';
import { LabbookStore } from '../../../src/core/store/store';
import {
  DEFAULT_COLUMNS,
  RunsModel,
  type IRunsSource
} from '../../../src/lab/runs/model';
import { SavedViewsModel } from '../../../src/lab/savedviews/model';
import { metric, summary } from '../../core/query/fixtures';

/** An index the test edits: `set` replaces the experiments and says so. */
class Source implements IRunsSource {
  constructor(public experiments: IExperimentSummary[]) {}
  readonly changed = new Signal<this, void>(this);
  summary(id: string) {
    return this.experiments.find(s => s.id === id);
  }
  set(experiments: IExperimentSummary[]) {
    this.experiments = experiments;
    this.changed.emit();
  }
}

function run(i: number, over: Partial<IExperimentSummary> = {}) {
  return summary({
    id: `20261101T10000${i}000Z-aaaaa${i}`,
    name: `run ${i}`,
    started: `2026-11-01T10:0${i}:00.000Z`,
    params: { lr: [0.1, 0.01, 0.001][i % 3], batch: 32 },
    metrics: { loss: metric(1 / (i + 1)) },
    ...over
  });
}

function setup(experiments = [0, 1, 2, 3].map(i => run(i))) {
  const store = new LabbookStore({ fs: new MemoryStoreFS() });
  const source = new Source(experiments);
  const savedViews = new SavedViewsModel({ store });
  const model = new RunsModel({ source, savedViews });
  return { store, source, savedViews, model };
}

describe('RunsModel', () => {
  it('shows the params that vary and the metrics logged until columns are chosen', () => {
    const { model } = setup();
    expect(model.columns).toEqual([
      ...DEFAULT_COLUMNS,
      'params.lr',
      'metrics.loss'
    ]);
    // The rows shown decide: among runs with one lr, lr does not vary.
    model.setState({ query: 'params.lr = 0.1' });
    expect(model.rows.map(s => s.name)).toEqual(['run 0', 'run 3']);
    expect(model.columns).toEqual([...DEFAULT_COLUMNS, 'metrics.loss']);
    expect(model.state.columns).toEqual([]);
  });

  it('keeps the columns the user chose whatever the rows, and [] goes back to the defaults', () => {
    const { model } = setup();
    model.setState({ columns: ['name', 'params.batch', 'name'] });
    model.setState({ query: 'params.lr = 0.1' });
    expect(model.columns).toEqual(['name', 'params.batch']);
    expect(model.state.columns).toEqual(['name', 'params.batch']);
    model.setState({ columns: [] });
    expect(model.columns).toEqual([...DEFAULT_COLUMNS, 'metrics.loss']);
  });

  it('keeps the last valid rows while the query cannot be read', () => {
    const { model, source } = setup();
    model.setState({ query: 'params.lr < 0.05' });
    expect(model.rows.map(s => s.name)).toEqual(['run 1', 'run 2']);
    model.setState({ query: 'parms.lr < 0.05' });
    expect(model.error?.suggestion).toBe('params');
    expect(model.rows.map(s => s.name)).toEqual(['run 1', 'run 2']);
    // ... refreshed from the index.
    source.set(source.experiments.map(s => ({ ...s, name: s.name + '!' })));
    model.recompute();
    expect(model.rows.map(s => s.name)).toEqual(['run 1!', 'run 2!']);
  });

  it('says the index changed, and recomputes only when asked', () => {
    const { model, source } = setup();
    let stale = 0;
    model.stale.connect(() => stale++);
    source.set([...source.experiments, run(4)]);
    expect(stale).toBe(1);
    expect(model.rows.length).toBe(4);
    model.recompute();
    expect(model.rows.length).toBe(5);
  });

  it('sorts ascending, then descending, on the same key', () => {
    const { model } = setup();
    model.toggleSort('metrics.loss');
    expect(model.rows.map(s => s.name)).toEqual([
      'run 3',
      'run 2',
      'run 1',
      'run 0'
    ]);
    model.toggleSort('metrics.loss');
    expect(model.sort).toEqual({ key: 'metrics.loss', descending: true });
    expect(model.rows[0].name).toBe('run 0');
  });

  it('groups rows, and a collapsed group keeps only its header', () => {
    const { model } = setup();
    model.setState({ groupBy: 'params.lr' });
    const headers = () =>
      model.items
        .filter(i => i.kind === 'group')
        .map(i => (i.kind === 'group' ? i.id : ''));
    expect(headers()).toEqual(['0.001', '0.01', '0.1']);
    expect(model.items.length).toBe(7);
    model.toggleGroup('0.1');
    expect(model.items.length).toBe(5);
    model.toggleGroup('0.1');
    expect(model.items.length).toBe(7);
  });

  it('drops from the selection an experiment no longer in the index', () => {
    const { model, source } = setup();
    const [a, b] = source.experiments;
    model.select([a.id, b.id], true);
    source.set(source.experiments.filter(s => s.id !== b.id));
    model.recompute();
    expect([...model.selected]).toEqual([a.id]);
  });

  it('hides archived experiments unless asked', () => {
    const { model } = setup([run(0), run(1, { archived: true })]);
    expect(model.rows.map(s => s.name)).toEqual(['run 0']);
    expect(model.total).toBe(1);
    model.setState({ showArchived: true });
    expect(model.rows.length).toBe(2);
  });

  it('ranks the rows shown by a metric for compare top N', () => {
    const { model, source } = setup();
    const ids = source.experiments.map(s => s.id);
    expect(model.top('metrics.loss', 2, true)).toEqual([ids[0], ids[1]]);
    expect(model.top('metrics.loss', 2, false)).toEqual([ids[3], ids[2]]);
  });

  it('exports the rows and columns shown, named after the current view', async () => {
    const { model } = setup();
    model.setState({
      columns: ['name', 'metrics.loss'],
      query: 'params.lr = 0.1'
    });
    let file = model.export('csv');
    expect(file.name).toBe('labbook-runs.csv');
    expect(file.text.split('\r\n')[0]).toBe('id,name,metrics.loss');
    // Full precision in the export.
    expect(file.text).toContain(',run 3,0.25\r\n');
    await model.saveView('best / lr 0.1');
    file = model.export('json');
    expect(file.name).toBe('best-lr-0.1.json');
    expect(JSON.parse(file.text)).toHaveLength(2);
  });

  it('saves a view, and a second model applies it by name after a reload', async () => {
    const { model, store, source } = setup();
    model.setState({
      query: 'params.lr < 0.05',
      sort: { key: 'metrics.loss', descending: true },
      charts: ['loss']
    });
    await model.saveView('small lr');
    expect(model.currentView?.name).toBe('small lr');

    const other = new RunsModel({
      source,
      savedViews: new SavedViewsModel({ store })
    });
    expect(await other.applyView('small lr')).toBe(true);
    expect(other.state).toEqual(model.state);
    expect(other.rows.map(s => s.name)).toEqual(['run 1', 'run 2']);
    expect(await other.applyView('nope')).toBe(false);
  });

  it('updates and deletes the current view', async () => {
    const { model, store } = setup();
    await model.saveView('v');
    model.setState({ query: 'status = "finished"' });
    await model.updateView();
    expect((await store.listViews()).views[0].query).toBe(
      'status = "finished"'
    );
    await model.deleteView();
    expect(model.currentView).toBeNull();
    expect((await store.listViews()).views).toEqual([]);
  });
});

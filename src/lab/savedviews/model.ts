/**
 * Saved views (issue 7) for every view that offers them: the side panel's
 * list and the runs table. Lists the views of the store, saves a new one,
 * updates and deletes one, and follows the store's `views` changes (another
 * view of this tab, or a refresh) so every picker shows the same list.
 * Does the I/O; the views render `views` and call these methods. No widget
 * or DOM code here (the name and delete dialogs are in `dialog.ts`).
 */
import { Signal, type ISignal } from '@lumino/signaling';
import { newViewId, type ISavedView } from '../../core/savedviews/savedview';
import type {
  IDamagedFile,
  IStoreChange,
  LabbookStore
} from '../../core/store/store';

/** What a saved view keeps besides its id, name and times. */
export type SavedViewState = Omit<
  ISavedView,
  'id' | 'name' | 'created' | 'updated'
>;

/** The part of the store saved views need. */
export type ISavedViewsStore = Pick<
  LabbookStore,
  'listViews' | 'saveView' | 'deleteView' | 'changed'
>;

export class SavedViewsModel {
  constructor(options: SavedViewsModel.IOptions) {
    this._store = options.store;
    this._now = options.now ?? (() => new Date());
    this._store.changed.connect(this._onStoreChanged, this);
  }

  /** Emitted when `views` or `damaged` changed. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The views read last, in the store's order. */
  get views(): readonly ISavedView[] {
    return this._views;
  }

  /** View files that could not be read at the last refresh. */
  get damaged(): readonly IDamagedFile[] {
    return this._damaged;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    Signal.clearData(this);
  }

  /** The view with this id, or failing that this name. */
  find(idOrName: string): ISavedView | undefined {
    return (
      this._views.find(v => v.id === idOrName) ??
      this._views.find(v => v.name === idOrName)
    );
  }

  /**
   * Read the views of the store again. False when the store could not be
   * listed: the views read before stay (nothing lost), and it says why on
   * the console; the store's own readers report it to the user.
   */
  async refresh(): Promise<boolean> {
    const ticket = ++this._ticket;
    let result: Awaited<ReturnType<ISavedViewsStore['listViews']>>;
    try {
      result = await this._store.listViews();
    } catch (error) {
      console.warn('Labbook: could not list saved views', error);
      return false;
    }
    // A later refresh started meanwhile: its answer is the newer one.
    if (ticket !== this._ticket || this._disposed) {
      return true;
    }
    this._views = result.views;
    this._damaged = result.damaged;
    this._changed.emit();
    return true;
  }

  /** Save `state` as a new view named `name`; throws when it cannot be written. */
  async save(name: string, state: SavedViewState): Promise<ISavedView> {
    const now = this._now().toISOString();
    const view: ISavedView = {
      ...Private.copy(state),
      id: newViewId(),
      name,
      created: now,
      updated: now
    };
    return this._write(view);
  }

  /** Write `state` over view `view`, keeping its id, name and creation time. */
  async update(view: ISavedView, state: SavedViewState): Promise<ISavedView> {
    return this._write({
      ...Private.copy(state),
      id: view.id,
      name: view.name,
      created: view.created,
      updated: this._now().toISOString()
    });
  }

  /** Delete the view with this id; throws when it cannot be deleted. */
  async remove(id: string): Promise<void> {
    await this._store.deleteView(id);
    this._views = this._views.filter(v => v.id !== id);
    this._changed.emit(); // the store's change refreshes from disk
  }

  private async _write(view: ISavedView): Promise<ISavedView> {
    await this._store.saveView(view);
    const i = this._views.findIndex(v => v.id === view.id);
    this._views =
      i < 0
        ? [...this._views, view]
        : this._views.map(v => (v.id === view.id ? view : v));
    this._changed.emit(); // the store's change refreshes from disk
    return view;
  }

  private _onStoreChanged(_: unknown, change: IStoreChange): void {
    if (change.type === 'views' && !this._disposed) {
      void this.refresh();
    }
  }

  private _store: ISavedViewsStore;
  private _now: () => Date;
  private _views: readonly ISavedView[] = [];
  private _damaged: readonly IDamagedFile[] = [];
  private _ticket = 0;
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
}

export namespace SavedViewsModel {
  export interface IOptions {
    store: ISavedViewsStore;
    /** The clock for `created` / `updated` (tests). */
    now?: () => Date;
  }
}

namespace Private {
  /** Only the fields a view keeps, copied (a caller's later edits stay its own). */
  export function copy(state: SavedViewState): SavedViewState {
    return {
      query: state.query,
      columns: [...state.columns],
      sort: state.sort ? { ...state.sort } : null,
      groupBy: state.groupBy,
      charts: [...state.charts],
      showArchived: state.showArchived
    };
  }
}

/**
 * `jupyterlab-labbook:store` → ILabbookStore: the store in the server's
 * `storeFolder` (through the Contents API) and its index, read once the
 * app is restored and refreshed now and then. A changed store folder takes
 * effect on reload (the schema says so); a notification offers it.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { ILabbookSettings, ILabbookStore } from '../../tokens';
import { ContentsStoreFS } from '../store/contentsfs';
import { StoreService } from '../store/service';

export const storePlugin: JupyterFrontEndPlugin<ILabbookStore> = {
  id: 'jupyterlab-labbook:store',
  description: "Labbook's store of experiments and its index.",
  autoStart: true,
  provides: ILabbookStore,
  requires: [ILabbookSettings],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    settings: ILabbookSettings,
    translator: ITranslator | null
  ): ILabbookStore => {
    const trans = (translator ?? nullTranslator).load('labbook');
    const root = settings.values.storeFolder;
    const service = new StoreService({
      fs: new ContentsStoreFS({ contents: app.serviceManager.contents, root })
    });
    void app.restored.then(() => service.refresh());

    // Running experiments write to the store they began in: the new folder
    // is used from the next page load.
    let notice: string | null = null;
    settings.changed.connect((_, { values, keys }) => {
      if (!keys.includes('storeFolder')) {
        return;
      }
      if (notice) {
        Notification.dismiss(notice);
        notice = null;
      }
      if (values.storeFolder !== root) {
        notice = Notification.warning(
          trans.__(
            'Labbook keeps using the store in "%1" until the page is reloaded; then it uses "%2".',
            root,
            values.storeFolder
          ),
          {
            autoClose: false,
            actions: [
              {
                label: trans.__('Reload'),
                caption: trans.__(
                  'Reload the page to use the new store folder'
                ),
                callback: () => window.location.reload()
              }
            ]
          }
        );
      }
    });
    return service;
  }
};

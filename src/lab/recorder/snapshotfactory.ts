/**
 * The widget factory for opening a snapshot: a notebook view that never
 * starts a kernel and cannot be saved, so looking at an old version of a
 * notebook can neither run its code nor overwrite anything.
 */
import { NotebookWidgetFactory } from '@jupyterlab/notebook';
import type { ITranslator } from '@jupyterlab/translation';

export const SNAPSHOT_FACTORY = 'Labbook Snapshot';
export const SNAPSHOT_CLASS = 'jp-Labbook-snapshotNotebook';

export function createSnapshotFactory(
  base: NotebookWidgetFactory.IFactory,
  translator: ITranslator
): NotebookWidgetFactory {
  const trans = translator.load('labbook');
  // The token's interface hides them, but the instance is a
  // NotebookWidgetFactory: share its renderers, editors and configuration.
  const notebook = base as unknown as NotebookWidgetFactory;
  const factory = new NotebookWidgetFactory({
    name: SNAPSHOT_FACTORY,
    label: trans.__('Labbook Snapshot'),
    fileTypes: ['notebook'],
    modelName: 'notebook',
    preferKernel: false,
    canStartKernel: false,
    shutdownOnClose: false,
    readOnly: true,
    rendermime: notebook.rendermime,
    contentFactory: notebook.contentFactory,
    mimeTypeService: notebook.mimeTypeService,
    editorConfig: notebook.editorConfig,
    notebookConfig: notebook.notebookConfig,
    translator
  });
  // Marks the view, for styles and for anyone telling it from the live one.
  factory.widgetCreated.connect((_, widget) => {
    widget.addClass(SNAPSHOT_CLASS);
  });
  return factory;
}

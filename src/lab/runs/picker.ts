/**
 * The runs table's column picker: the columns shown, in order (move left or
 * right, remove), a select of the rest to add (fields, params, metrics with
 * their min and max), and _Default columns_. Changes go to the model.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { metricKey, paramKey } from '../../core/query';
import { el } from '../ui/dom';
import { SIMPLE_COLUMNS } from './cells';
import type { RunsModel } from './model';

/** Fill `node` with the picker of `model`'s columns. */
export function renderPicker(
  node: HTMLElement,
  model: RunsModel,
  t: TranslationBundle
): void {
  const columns = model.columns;
  const names = model.names;
  const list = el('ol', 'jp-Labbook-runsPickerList');
  columns.forEach((key, i) => {
    const li = el('li', 'jp-Labbook-runsPickerItem');
    li.dataset.key = key;
    const button = (
      text: string,
      title: string,
      action: () => void,
      disabled = false
    ) => {
      const b = el('button', 'jp-mod-styled jp-mod-minimal', text);
      b.title = title;
      b.setAttribute('aria-label', title);
      b.disabled = disabled;
      b.addEventListener('click', action);
      return b;
    };
    const move = (to: number) => () => {
      const next = [...columns];
      next.splice(to, 0, ...next.splice(i, 1));
      model.setState({ columns: next });
    };
    li.append(
      el('span', 'jp-Labbook-runsPickerName', key),
      button('↑', t.__('Move left'), move(i - 1), i === 0),
      button('↓', t.__('Move right'), move(i + 1), i === columns.length - 1),
      button(
        '✕',
        t.__('Remove column'),
        () => model.setState({ columns: columns.filter(k => k !== key) }),
        columns.length === 1
      )
    );
    list.append(li);
  });
  const add = el('select', 'jp-mod-styled jp-Labbook-runsAddColumn');
  add.setAttribute('aria-label', t.__('Add a column'));
  const option = (value: string, label = value) => {
    const o = el('option', '', label);
    o.value = value;
    return o;
  };
  const free = (keys: string[]) => keys.filter(k => !columns.includes(k));
  const groupOf = (label: string, keys: string[]) => {
    const g = el('optgroup');
    g.label = label;
    g.append(...free(keys).map(k => option(k)));
    return g;
  };
  add.append(
    option('', t.__('Add a column…')),
    groupOf(t.__('Fields'), SIMPLE_COLUMNS),
    groupOf(t.__('Params'), names.params.map(paramKey)),
    groupOf(
      t.__('Metrics'),
      names.metrics.flatMap(m => [
        metricKey(m),
        metricKey(m, 'min'),
        metricKey(m, 'max')
      ])
    )
  );
  add.addEventListener('change', () => {
    if (add.value) {
      model.setState({ columns: [...columns, add.value] });
    }
  });
  const reset = el(
    'button',
    'jp-mod-styled jp-Labbook-runsResetColumns',
    t.__('Default columns')
  );
  reset.title = t.__(
    'The params that vary across the rows shown and the metrics logged'
  );
  reset.addEventListener('click', () => model.setState({ columns: [] }));
  node.replaceChildren(list, add, reset);
}

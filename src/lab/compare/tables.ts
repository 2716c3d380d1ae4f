/**
 * The compare view's params and metric-summary tables: one column per
 * experiment, the rows that differ marked, _Show only differences_.
 * Numbers read short, in full on hover. Values are put in the page as text.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import {
  metricsTable,
  onlyDifferences,
  paramsTable,
  type MetricStat
} from '../../core/compare';
import { formatNumber, fullNumber } from '../../core/format/number';
import type { IMetricSummary } from '../../core/model';
import { el } from '../ui/dom';
import { STATS, type CompareContext } from './context';

/** Whether only the rows that differ are shown. */
export interface ITablesState {
  onlyDifferences: boolean;
}

/** Params and metric summaries side by side, the rows that differ marked. */
export function renderTables(
  ctx: CompareContext,
  body: HTMLElement,
  state: ITablesState
): void {
  const t = ctx.trans;
  const only = el('input', 'jp-Labbook-compareOnlyDiff');
  only.type = 'checkbox';
  only.checked = state.onlyDifferences;
  const onlyLabel = el('label', 'jp-Labbook-compareOnlyDiffLabel');
  onlyLabel.append(
    only,
    document.createTextNode(t.__('Show only differences'))
  );
  const tables = el('div', 'jp-Labbook-compareTables');
  const draw = () => {
    let params = paramsTable(ctx.runs);
    let metrics = metricsTable(ctx.runs);
    const summary = t.__(
      '%1 of %2 parameters differ; %3 of %4 metrics differ',
      params.differing,
      params.rows.length,
      metrics.differing,
      metrics.rows.length
    );
    if (state.onlyDifferences) {
      params = onlyDifferences(params);
      metrics = onlyDifferences(metrics);
    }
    const paramRows = params.rows.map(row => {
      const tr = el(
        'tr',
        `jp-Labbook-compareRow${row.differs ? ' jp-mod-differs' : ''}`
      );
      tr.dataset.name = row.name;
      tr.append(el('th', '', row.name));
      for (const cell of row.cells) {
        const td = el(
          'td',
          cell.present
            ? cell.isSource
              ? 'jp-mod-source'
              : ''
            : 'jp-mod-missing',
          !cell.present
            ? '—'
            : typeof cell.value === 'number'
              ? formatNumber(cell.value)
              : cell.display
        );
        td.title = cell.present ? cell.display : t.__('not set');
        tr.append(td);
      }
      return tr;
    });
    const metricRows = metrics.rows.flatMap(row =>
      STATS.filter(stat => !state.onlyDifferences || row.differsBy[stat]).map(
        stat => {
          const tr = el(
            'tr',
            `jp-Labbook-compareRow${row.differsBy[stat] ? ' jp-mod-differs' : ''}`
          );
          tr.dataset.name = row.name;
          tr.dataset.stat = stat;
          const th = el('th', '');
          th.append(
            el('span', '', row.name),
            el('span', 'jp-Labbook-compareStat', ` · ${t.__(stat)}`)
          );
          tr.append(th);
          for (const cell of row.cells) {
            tr.append(metricCell(cell, stat, t));
          }
          return tr;
        }
      )
    );
    tables.replaceChildren(
      el('div', 'jp-Labbook-compareSummary', summary),
      table(
        ctx,
        state,
        'jp-Labbook-compareParams',
        t.__('Parameter'),
        paramRows
      ),
      el('h3', 'jp-Labbook-compareSubtitle', t.__('Metric summaries')),
      table(ctx, state, 'jp-Labbook-compareMetrics', t.__('Metric'), metricRows)
    );
  };
  only.addEventListener('change', () => {
    state.onlyDifferences = only.checked;
    draw();
  });
  draw();
  body.replaceChildren(onlyLabel, tables);
}

function table(
  ctx: CompareContext,
  state: ITablesState,
  cls: string,
  corner: string,
  rows: HTMLTableRowElement[]
): HTMLElement {
  const scroll = el('div', 'jp-Labbook-compareScroll');
  const node = el('table', `jp-Labbook-compareTable ${cls}`);
  const head = el('tr');
  head.append(el('th', 'jp-Labbook-compareCorner', corner));
  for (const r of ctx.runs) {
    const th = el('th', '');
    th.append(ctx.label(r));
    head.append(th);
  }
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  tbody.append(...rows);
  if (rows.length === 0) {
    const tr = el('tr', 'jp-Labbook-compareEmpty');
    const td = el(
      'td',
      '',
      state.onlyDifferences ? ctx.trans.__('No differences') : '—'
    );
    td.colSpan = ctx.runs.length + 1;
    tr.append(td);
    tbody.append(tr);
  }
  node.append(thead, tbody);
  scroll.append(node);
  return scroll;
}

function metricCell(
  cell: IMetricSummary | null,
  stat: MetricStat,
  t: TranslationBundle
): HTMLTableCellElement {
  const v = cell?.[stat];
  if (cell === null) {
    const td = el('td', 'jp-mod-missing', '—');
    td.title = t.__('not logged');
    return td;
  }
  const td = el('td', '', typeof v === 'number' ? formatNumber(v) : '—');
  td.title =
    typeof v === 'number'
      ? `${fullNumber(v)} · ${t.__('%1 points', cell.count)}`
      : t.__('no finite value');
  return td;
}

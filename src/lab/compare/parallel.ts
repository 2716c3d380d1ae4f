/**
 * The compare view's parallel coordinates, drawn in SVG: one line per
 * experiment in its colour, axis labels and ticks as text.
 */
import {
  paramsTable,
  parallelCoordinates,
  type IMetricKey,
  type IParallelCoordinates,
  type MetricStat
} from '../../core/compare';
import { formatNumber } from '../../core/format/number';
import { el, svgEl } from '../ui/dom';
import { STATS, type CompareContext } from './context';

/** Most parameter axes drawn at first. */
const MAX_AXES = 12;

/**
 * Parallel coordinates: an axis per param that differs (at most MAX_AXES at
 * first; the user picks others) and one for a chosen metric statistic.
 */
export function renderParallel(
  ctx: CompareContext,
  body: HTMLElement,
  metricNames: readonly string[]
): void {
  const t = ctx.trans;
  const params = paramsTable(ctx.runs);
  if (params.rows.length === 0 && metricNames.length === 0) {
    body.replaceChildren(
      el('div', 'jp-Labbook-compareNote', t.__('No parameters or metrics.'))
    );
    return;
  }
  // Axes: the params that differ (all of them when none does), at most MAX_AXES at first.
  const differing = params.rows.filter(r => r.differs).map(r => r.name);
  const initial = (
    differing.length ? differing : params.rows.map(r => r.name)
  ).slice(0, MAX_AXES);
  const chosen = new Set(initial);
  const bar = el('div', 'jp-Labbook-parallelControls');
  const metric = el('select', 'jp-mod-styled jp-Labbook-parallelMetric');
  metric.setAttribute('aria-label', t.__('Metric axis'));
  metric.title = t.__('Metric axis');
  const none = el('option', '', t.__('No metric'));
  none.value = '';
  metric.append(none);
  for (const name of metricNames) {
    const o = el('option', '', name);
    o.value = name;
    metric.append(o);
  }
  metric.value = metricNames[0] ?? '';
  const stat = el('select', 'jp-mod-styled jp-Labbook-parallelStat');
  stat.setAttribute('aria-label', t.__('Metric value'));
  for (const s of STATS) {
    const o = el('option', '', t.__(s));
    o.value = s;
    stat.append(o);
  }
  const axes = el('details', 'jp-Labbook-parallelAxes');
  const axesSummary = el('summary', '');
  axes.append(axesSummary);
  const syncSummary = () => {
    axesSummary.textContent = t.__(
      'Parameters shown: %1 of %2',
      chosen.size,
      params.rows.length
    );
  };
  for (const row of params.rows) {
    const box = el('input', 'jp-Labbook-parallelAxis');
    box.type = 'checkbox';
    box.checked = chosen.has(row.name);
    box.addEventListener('change', () => {
      if (box.checked) {
        chosen.add(row.name);
      } else {
        chosen.delete(row.name);
      }
      syncSummary();
      draw();
    });
    const label = el('label', 'jp-Labbook-parallelAxisLabel');
    label.append(box, document.createTextNode(row.name));
    axes.append(label);
  }
  syncSummary();
  bar.append(metric, stat, axes);
  const chart = el('div', 'jp-Labbook-parallelChart');
  const draw = () => {
    const key: IMetricKey | null = metric.value
      ? { name: metric.value, stat: stat.value as MetricStat }
      : null;
    const names = params.rows.map(r => r.name).filter(n => chosen.has(n));
    const data = parallelCoordinates(ctx.runs, names, key);
    chart.replaceChildren(parallelSVG(ctx, data));
  };
  metric.addEventListener('change', draw);
  stat.addEventListener('change', draw);
  body.replaceChildren(bar, chart);
  draw();
}

function parallelSVG(ctx: CompareContext, data: IParallelCoordinates): Element {
  const t = ctx.trans;
  if (data.axes.length === 0) {
    return el('div', 'jp-Labbook-compareNote', t.__('Choose axes to draw.'));
  }
  const width = Math.max(480, ctx.width() - 48);
  const height = 320;
  const top = 36;
  const bottom = 24;
  const side = 70;
  const n = data.axes.length;
  const xAt = (k: number) =>
    n === 1 ? width / 2 : side + (k * (width - 2 * side)) / (n - 1);
  const yAt = (v: number) => top + (1 - v) * (height - top - bottom);
  const svg = svgEl('svg', 'jp-Labbook-parallel');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t.__('Parallel coordinates'));
  const cut = (s: string, max: number) =>
    s.length > max ? `${s.slice(0, max - 1)}…` : s;
  data.axes.forEach((axis, k) => {
    const g = svgEl('g', 'jp-Labbook-parallelAxisGroup');
    g.dataset.key = axis.key;
    const line = svgEl('line', 'jp-Labbook-parallelAxisLine');
    line.setAttribute('x1', String(xAt(k)));
    line.setAttribute('x2', String(xAt(k)));
    line.setAttribute('y1', String(yAt(1)));
    line.setAttribute('y2', String(yAt(0)));
    const label = svgText(
      'jp-Labbook-parallelLabel',
      cut(axis.label, 22),
      xAt(k),
      14
    );
    label.append(svgTitle(axis.label));
    g.append(line, label);
    const tick = (text: string, v: number) => {
      const tx = svgText(
        'jp-Labbook-parallelTick',
        cut(text, 14),
        xAt(k) + 4,
        yAt(v) + 4
      );
      tx.setAttribute('text-anchor', 'start');
      tx.append(svgTitle(text));
      g.append(tx);
    };
    if (
      axis.kind === 'numeric' &&
      axis.min !== undefined &&
      axis.max !== undefined
    ) {
      tick(formatNumber(axis.max), 1);
      if (axis.max !== axis.min) {
        tick(formatNumber(axis.min), 0);
      }
    } else if (axis.categories) {
      const cats = axis.categories;
      const every = Math.ceil(cats.length / 10);
      cats.forEach((c, i) => {
        if (i % every === 0 || i === cats.length - 1) {
          tick(c, cats.length > 1 ? i / (cats.length - 1) : 0.5);
        }
      });
    }
    svg.append(g);
  });
  data.lines.forEach(line => {
    const run = ctx.run(line.id);
    let d = '';
    let pen = false;
    line.values.forEach((v, k) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${xAt(k).toFixed(1)},${yAt(v).toFixed(1)}`;
      pen = true;
    });
    // A line with one point still shows as a dot.
    const path = svgEl('path', 'jp-Labbook-parallelLine');
    path.dataset.id = line.id;
    path.setAttribute('d', d || 'M0,0');
    path.setAttribute('stroke', ctx.colorOf.get(line.id) ?? 'currentColor');
    path.append(
      svgTitle(
        [
          run.experiment.name,
          ...data.axes.map((a, k) => `${a.label}: ${line.labels[k] || '—'}`)
        ].join('\n')
      )
    );
    svg.append(path);
  });
  return svg;
}

function svgText(cls: string, text: string, x: number, y: number) {
  const node = svgEl('text', cls);
  node.setAttribute('x', String(x));
  node.setAttribute('y', String(y));
  node.setAttribute('text-anchor', 'middle');
  node.textContent = text;
  return node;
}

function svgTitle(text: string): SVGTitleElement {
  const title = svgEl('title');
  title.textContent = text;
  return title;
}

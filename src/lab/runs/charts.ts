/**
 * The runs table's small charts: per chosen metric, its last value in each
 * row shown, by start time (how the metric moved over the runs), drawn as
 * an SVG line with the range below. Metric names are shown as text.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IExperimentSummary } from '../../core/index/summary';
import { formatNumber } from '../../core/format/number';
import { fieldReader, metricKey } from '../../core/query';
import { el, svgEl } from '../ui/dom';

/** One chart per name of `charts` over `rows`; `remove(name)` on its ✕. */
export function renderCharts(
  rows: readonly IExperimentSummary[],
  charts: readonly string[],
  t: TranslationBundle,
  remove: (name: string) => void
): HTMLElement[] {
  return charts.map(name => {
    const box = el('div', 'jp-Labbook-runsChart');
    box.dataset.metric = name;
    const button = el(
      'button',
      'jp-mod-styled jp-mod-minimal jp-Labbook-runsChartRemove',
      '✕'
    );
    button.title = t.__('Remove chart');
    button.setAttribute('aria-label', button.title);
    button.addEventListener('click', () => remove(name));
    const head = el('div', 'jp-Labbook-runsChartHead');
    head.append(el('span', 'jp-Labbook-runsChartName', name), button);
    const read = fieldReader(metricKey(name));
    const points: [number, number][] = [];
    if (read.ok) {
      for (const s of rows) {
        const v = read.read(s);
        const x = Date.parse(s.started);
        if (typeof v === 'number' && Number.isFinite(x)) {
          points.push([x, v]);
        }
      }
    }
    points.sort((a, b) => a[0] - b[0]);
    box.dataset.points = String(points.length);
    box.append(head, sparkline(points));
    if (points.length) {
      const ys = points.map(p => p[1]);
      box.append(
        el(
          'div',
          'jp-Labbook-runsChartRange',
          t.__(
            '%1 runs · %2 … %3',
            points.length,
            formatNumber(Math.min(...ys)),
            formatNumber(Math.max(...ys))
          )
        )
      );
    }
    return box;
  });
}

/** A small line chart of `points` ([x, y], sorted by x), drawn in SVG. */
export function sparkline(points: readonly [number, number][]): SVGSVGElement {
  const W = 220;
  const H = 56;
  const svg = svgEl('svg', 'jp-Labbook-runsSparkline');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('width', String(W));
  svg.setAttribute('height', String(H));
  if (points.length === 0) {
    return svg;
  }
  const xs = points.map(p => p[0]);
  const ys = points.map(p => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) =>
    x1 === x0 ? W / 2 : 2 + ((x - x0) / (x1 - x0)) * (W - 4);
  const sy = (y: number) =>
    y1 === y0 ? H / 2 : H - 2 - ((y - y0) / (y1 - y0)) * (H - 4);
  // At most one point per pixel column keeps a 10,000-run chart light.
  const step = Math.max(1, Math.floor(points.length / W));
  const line = svgEl('polyline');
  line.setAttribute(
    'points',
    points
      .filter((_, i) => i % step === 0 || i === points.length - 1)
      .map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
      .join(' ')
  );
  svg.append(line);
  return svg;
}

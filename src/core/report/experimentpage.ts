/**
 * The experiment page: one self-contained HTML document that shows an
 * experiment (status, params, metric charts, history summary). The inline
 * panel loads it into a sandboxed iframe (scripts allowed, never the
 * parent's origin) and feeds it by postMessage; the HTML export is the same
 * page with the data inlined, so it opens in any browser.
 *
 * Everything from the experiment is put in the page with textContent or
 * SVG attributes, never as markup. Pure: no DOM or JupyterLab imports.
 */
import { downsample, downsampleXY } from '../metrics/downsample';
import type {
  HistoryRecord,
  IExperiment,
  IMetricSeries,
  IParamSource,
  ParamValue
} from '../model';
import type { LabbookStore } from '../store/store';

/** What the page shows. Plain JSON. */
export interface IExperimentPageData {
  experiment: {
    id: string;
    name: string;
    status: string;
    notebook: string;
    started: string;
    ended: string | null;
    tags: string[];
  };
  params: [string, string][];
  metrics: {
    name: string;
    count: number;
    last: number | null;
    /** Downsampled points [step, value|null]. */
    points: [number, number | null][];
  }[];
  history: { executions: number; errors: number; sessions: number };
  /** ISO time the data was taken. */
  taken: string;
}

export function experimentPageData(
  experiment: IExperiment,
  metrics: readonly IMetricSeries[],
  history: readonly HistoryRecord[],
  width = 300
): IExperimentPageData {
  const params = Object.entries(experiment.params ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]): [string, string] => [k, paramText(v)]);
  return {
    experiment: {
      id: experiment.id,
      name: experiment.name,
      status: experiment.status,
      notebook: experiment.notebook,
      started: experiment.started,
      ended: experiment.ended,
      tags: [...experiment.tags]
    },
    params,
    metrics: metrics.map(s => {
      const [xs, ys] = downsample(s, width);
      const last = s.values[s.values.length - 1];
      return {
        name: s.name,
        count: s.values.length,
        last: Number.isFinite(last) ? last : null,
        points: xs.map((x, i): [number, number | null] => [x, ys[i]])
      };
    }),
    history: {
      executions: history.filter(r => r.kind === 'execution').length,
      errors: history.filter(
        r => r.kind === 'execution' && r.status === 'error'
      ).length,
      sessions: history.filter(r => r.kind === 'session').length
    },
    taken: new Date().toISOString()
  };
}

function paramText(v: ParamValue | IParamSource): string {
  if (v && typeof v === 'object' && !Array.isArray(v) && 'source' in v) {
    return String((v as IParamSource).source);
  }
  return JSON.stringify(v);
}

/**
 * The page data of a stored experiment. Its charts come from the metric
 * overviews (a few hundred KB however long the run), not every point: the
 * inline panel reloads this each second while the experiment runs.
 */
export async function loadExperimentPageData(
  store: LabbookStore,
  id: string,
  width = 300
): Promise<IExperimentPageData> {
  const [experiment, metrics, history] = await Promise.all([
    store.getExperiment(id),
    store.loadMetricsOverview(id),
    store.loadHistory(id)
  ]);
  const data = experimentPageData(experiment, [], history.records, width);
  data.metrics = metrics.overview.sorted().map(o => {
    const { x, y } = o.step.points();
    const [xs, ys] = downsampleXY(x, y, width);
    const last = o.last?.[2] ?? NaN;
    return {
      name: o.name,
      count: o.count,
      last: Number.isFinite(last) ? last : null,
      points: xs.map((v, i): [number, number | null] => [v, ys[i]])
    };
  });
  return data;
}

/**
 * The page. With `data`, it is inlined (export); without, the page waits
 * for `{type: 'labbook-experiment', data}` messages from its parent.
 */
export function experimentPageHTML(data?: IExperimentPageData): string {
  // JSON in a script element: `<` escaped so no text can close the element.
  const inline = data
    ? `<script type="application/json" id="data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`
    : '';
  return `<!doctype html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>Labbook experiment</title>
<style>
body{font:13px/1.4 system-ui,sans-serif;margin:8px;color:var(--fg,#222);background:var(--bg,#fff)}
body.dark{--fg:#ddd;--bg:#111;--muted:#999;--line:#333}
h1{font-size:15px;margin:0 0 2px}
.meta,.muted{color:var(--muted,#666);font-size:12px}
.badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:11px;color:#fff;background:#888;margin-left:6px}
.running{background:#1976d2}.finished{background:#388e3c}.failed{background:#d32f2f}.interrupted{background:#f57c00}
table{border-collapse:collapse;margin:6px 0}td,th{padding:1px 8px 1px 0;text-align:left;font-size:12px;border-bottom:1px solid var(--line,#eee)}
th{font-weight:normal;color:var(--muted,#666)}td{font-family:monospace}
.charts{display:flex;flex-wrap:wrap;gap:12px}.chart{width:300px}.chart svg{width:300px;height:80px;border:1px solid var(--line,#eee)}
.name{font-weight:600;overflow-wrap:anywhere}
</style></head>
<body><div id="root"><p class="muted">Waiting for Labbook…</p></div>${inline}
<script>
(function(){
var root=document.getElementById('root');
function el(tag,cls,text){var n=document.createElement(tag);if(cls)n.className=cls;if(text!=null)n.textContent=String(text);return n}
var SVG='http://www.w3.org/2000/svg';
function chart(m){
  var box=el('div','chart');box.appendChild(el('div','name',m.name));
  box.appendChild(el('div','muted',(m.last===null?'–':m.last)+' · '+m.count+' points'));
  var svg=document.createElementNS(SVG,'svg');svg.setAttribute('viewBox','0 0 300 80');svg.setAttribute('preserveAspectRatio','none');
  var pts=m.points.filter(function(p){return p[1]!==null});
  if(pts.length){
    var x0=m.points[0][0],x1=m.points[m.points.length-1][0],y0=Infinity,y1=-Infinity;
    pts.forEach(function(p){if(p[1]<y0)y0=p[1];if(p[1]>y1)y1=p[1]});
    var sx=function(x){return (x-x0)/((x1-x0)||1)*296+2},sy=function(y){return 78-(y-y0)/((y1-y0)||1)*76};
    var d='',pen=false;
    m.points.forEach(function(p){if(p[1]===null){pen=false;return}d+=(pen?'L':'M')+sx(p[0]).toFixed(1)+' '+sy(p[1]).toFixed(1);pen=true});
    var path=document.createElementNS(SVG,'path');path.setAttribute('d',d);path.setAttribute('fill','none');path.setAttribute('stroke','#1976d2');path.setAttribute('stroke-width','1.5');path.setAttribute('vector-effect','non-scaling-stroke');
    svg.appendChild(path);
  }
  box.appendChild(svg);return box;
}
function render(d){
  var e=d.experiment;root.textContent='';
  var h=el('h1',null,e.name);h.appendChild(el('span','badge '+e.status,e.status));root.appendChild(h);
  root.appendChild(el('div','meta',e.notebook+' · started '+e.started.replace('T',' ').slice(0,19)+(e.tags.length?' · '+e.tags.join(', '):'')));
  root.appendChild(el('div','meta',d.history.executions+' executions, '+d.history.errors+' failed, '+d.history.sessions+' kernel sessions'));
  if(d.params.length){var t=el('table');d.params.forEach(function(p){var r=el('tr');r.appendChild(el('th',null,p[0]));r.appendChild(el('td',null,p[1]));t.appendChild(r)});root.appendChild(t)}
  if(d.metrics.length){var c=el('div','charts');d.metrics.forEach(function(m){c.appendChild(chart(m))});root.appendChild(c)}
  document.body.setAttribute('data-rendered',d.taken);
}
var inline=document.getElementById('data');
if(inline){render(JSON.parse(inline.textContent))}
window.addEventListener('message',function(ev){
  if(ev.source!==window.parent||!ev.data||ev.data.type!=='labbook-experiment')return;
  if(ev.data.theme)document.body.className=ev.data.theme;
  if(ev.data.data)render(ev.data.data);else if(ev.data.message){root.textContent='';root.appendChild(el('p','muted',ev.data.message))}
});
if(window.parent!==window)window.parent.postMessage({type:'labbook-ready'},'*');
})();
</script></body></html>`;
}

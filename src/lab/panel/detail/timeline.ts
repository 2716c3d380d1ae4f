/**
 * The history timeline: every execution of an experiment with time,
 * duration and status, one fixed-height row each, virtualised so a
 * 10,000-execution history scrolls smoothly (only visible rows exist).
 * Requests the kernel aborted (queued behind a failed cell) never ran: a
 * run of them is one "not run" row.
 */
import { ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import type { HistoryRecord, IExecutionRecord } from '../../../core/model';
import { el } from '../../ui/dom';
import { formatDuration, formatTime } from '../../ui/format';

const ROW = 24;
const OVERSCAN = 10;

export class TimelineView extends Widget {
  constructor() {
    super();
    this.addClass('jp-Labbook-timeline');
    this._spacer = el('div', 'jp-Labbook-timelineSpacer');
    this._rows = el('div', 'jp-Labbook-timelineRows');
    this._spacer.appendChild(this._rows);
    this.node.appendChild(this._spacer);
    this.node.addEventListener('scroll', () => this._paint(), {
      passive: true
    });
    this.node.addEventListener('click', this._onClick);
  }

  /** A row was clicked: the execution to jump to. */
  get jump(): ISignal<this, IExecutionRecord> {
    return this._jump;
  }

  /** Number of rows (executions, session marks, groups not run). */
  get rowCount(): number {
    return this._records.length;
  }

  setRecords(records: readonly HistoryRecord[]): void {
    this._records = Private.rows(records);
    this._spacer.style.height = `${this._records.length * ROW}px`;
    this._paint();
  }

  protected onAfterAttach(): void {
    this._paint();
  }

  protected onResize(): void {
    this._paint();
  }

  private _paint(): void {
    const height = this.node.clientHeight || 400;
    const first = Math.max(0, Math.floor(this.node.scrollTop / ROW) - OVERSCAN);
    const last = Math.min(
      this._records.length,
      Math.ceil((this.node.scrollTop + height) / ROW) + OVERSCAN
    );
    if (
      first === this._first &&
      last === this._last &&
      this._painted === this._records
    ) {
      return;
    }
    this._first = first;
    this._last = last;
    this._painted = this._records;
    this._rows.style.transform = `translateY(${first * ROW}px)`;
    const frag = document.createDocumentFragment();
    let n = 0;
    for (let i = first; i < last; i++) {
      frag.appendChild(this._row(this._records[i], i));
      n++;
    }
    this._rows.replaceChildren(frag);
    this._rows.dataset.count = String(n);
  }

  private _row(r: Private.Row, i: number): HTMLElement {
    const row = el('div', 'jp-Labbook-timelineRow');
    row.style.height = `${ROW}px`;
    row.dataset.index = String(i);
    if (r.kind === 'notrun') {
      row.classList.add('jp-mod-notrun');
      row.title = r.records
        .map(x => x.source.split('\n', 1)[0].slice(0, 120))
        .join('\n')
        .slice(0, 2000);
      const n = r.records.length;
      row.append(
        el(
          'span',
          'jp-Labbook-timelineSession',
          `${n === 1 ? '1 cell' : `${n} cells`} not run (aborted after an error)`
        )
      );
      return row;
    }
    if (r.kind === 'session') {
      row.classList.add('jp-mod-session');
      const what =
        r.reason === 'restart'
          ? 'Kernel restarted'
          : r.reason === 'start'
            ? 'Kernel started'
            : 'Kernel session';
      row.append(
        el(
          'span',
          'jp-Labbook-timelineSession',
          `${what} · ${formatTime(r.started)}`
        )
      );
      return row;
    }
    row.classList.add(`jp-mod-${r.status ?? 'running'}`);
    row.title = r.source.slice(0, 500);
    row.append(
      el(
        'span',
        'jp-Labbook-timelineCount',
        r.executionCount === null ? '[ ]' : `[${r.executionCount}]`
      ),
      el(
        'span',
        'jp-Labbook-timelineSource',
        r.source.split('\n', 1)[0].slice(0, 120) || ' '
      ),
      el(
        'span',
        'jp-Labbook-timelineStatus',
        r.status === 'error'
          ? `✗ ${r.error?.ename ?? 'error'}`
          : (r.status ?? '…')
      ),
      el('span', 'jp-Labbook-timelineDuration', formatDuration(r.duration)),
      el(
        'span',
        'jp-Labbook-timelineTime',
        formatTime(r.times['iopub.status.busy'] ?? r.times.queued).slice(11)
      )
    );
    return row;
  }

  private _onClick = (event: MouseEvent) => {
    const row = (event.target as HTMLElement).closest(
      '.jp-Labbook-timelineRow'
    ) as HTMLElement | null;
    const r = row ? this._records[Number(row.dataset.index)] : undefined;
    if (r && r.kind === 'execution') {
      this._jump.emit(r);
    }
  };

  private _records: readonly Private.Row[] = [];
  private _painted: readonly Private.Row[] | null = null;
  private _first = -1;
  private _last = -1;
  private _spacer: HTMLDivElement;
  private _rows: HTMLDivElement;
  private _jump = new Signal<this, IExecutionRecord>(this);
}

namespace Private {
  /** Queued requests the kernel aborted, one row for a run of them. */
  export interface INotRun {
    kind: 'notrun';
    records: IExecutionRecord[];
  }

  export type Row = HistoryRecord | INotRun;

  /** The records as rows: consecutive aborted requests grouped. */
  export function rows(records: readonly HistoryRecord[]): Row[] {
    const out: Row[] = [];
    for (const r of records) {
      if (r.kind === 'execution' && r.status === 'aborted') {
        const last = out[out.length - 1];
        if (last?.kind === 'notrun') {
          last.records.push(r);
        } else {
          out.push({ kind: 'notrun', records: [r] });
        }
      } else {
        out.push(r);
      }
    }
    return out;
  }
}

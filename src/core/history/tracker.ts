/**
 * The execution tracker: turns one kernel connection's message stream into
 * Labbook history records, every execution in the order the kernel ran it.
 */
import { UUID } from '@lumino/coreutils';
import { ISignal, Signal } from '@lumino/signaling';

import type {
  ExecutionStatus,
  HistoryRecord,
  IExecutionRecord,
  IExecutionTimes,
  IKernelInfo,
  IOutputSummary,
  ISessionRecord
} from '../model';
import {
  type IKernelMessageLike,
  type MessageDirection,
  parentMsgId
} from './messages';
import {
  appendStream,
  DEFAULT_TEXT_LIMIT,
  OUTPUT_MSG_TYPES,
  summarizeOutput
} from './outputs';
import { raisingCellLine } from './traceback';

/**
 * Follows the messages of one notebook's kernel connection.
 *
 * Feed it every message with `handle()`. Each outgoing, non-silent
 * `execute_request` becomes an `IExecutionRecord` (emitted by
 * `executionStarted` while it is queued); iopub and shell messages with the
 * same parent `msg_id` fill it in; it completes once both the `idle` status
 * and the `execute_reply` arrived, in either order (`executionFinished`).
 * Work per message is O(1) plus O(text limit): payloads are sized and
 * sliced, never copied.
 */
export class ExecutionTracker {
  constructor(options: ExecutionTracker.IOptions = {}) {
    this._textLimit = options.textLimit ?? DEFAULT_TEXT_LIMIT;
    this._newId = options.newSessionId ?? (() => UUID.uuid4());
    this._skipUnstored = !(options.keepUnstored ?? false);
  }

  /** A record was added: the request was sent and is queued or running. */
  get executionStarted(): ISignal<this, IExecutionRecord> {
    return this._executionStarted;
  }

  /** A record completed: status, times and outputs are final. */
  get executionFinished(): ISignal<this, IExecutionRecord> {
    return this._executionFinished;
  }

  /** A kernel session began (start, restart or first attach). */
  get sessionStarted(): ISignal<this, ISessionRecord> {
    return this._sessionStarted;
  }

  /** All records, sessions and executions, in order. Do not mutate. */
  get records(): readonly HistoryRecord[] {
    return this._records;
  }

  /** Number of executions not yet complete. */
  get pendingCount(): number {
    return this._pending.size;
  }

  /** The session new executions belong to, or null before any. */
  currentSession(): ISessionRecord | null {
    return this._session;
  }

  /**
   * Begin a kernel session. Executions still pending from the previous
   * session end as `aborted` (a restart kills them).
   */
  startSession(
    kernelId: string,
    kernel: IKernelInfo,
    reason: ISessionRecord['reason'],
    now: Date = new Date()
  ): ISessionRecord {
    this.abortPending(now);
    const session: ISessionRecord = {
      kind: 'session',
      session: this._newId(),
      index: this._records.length,
      kernelId,
      kernel: { ...kernel },
      started: now.toISOString(),
      reason
    };
    this._records.push(session);
    this._session = session;
    this._sessionStarted.emit(session);
    return session;
  }

  /**
   * End every pending execution as `aborted` (kernel died or restarted).
   * Executions that already have a reply keep its status.
   */
  abortPending(now: Date = new Date()): void {
    const stamp = now.toISOString();
    for (const entry of [...this._pending.values()]) {
      const r = entry.record;
      if (!entry.replied) {
        r.status = 'aborted';
      }
      r.times['iopub.status.idle'] ??= stamp;
      this._finish(entry);
    }
  }

  /**
   * Process one message of the connection.
   *
   * @param now - When the message was seen; used for times the message
   *   itself does not carry (`queued` falls back to it when the request has
   *   no `header.date`).
   */
  handle(
    msg: IKernelMessageLike,
    direction: MessageDirection,
    now?: Date
  ): void {
    const type = msg.header.msg_type;
    if (direction === 'send') {
      if (msg.channel === 'shell' && type === 'execute_request') {
        this._request(msg, now);
      }
      return;
    }
    const parent = parentMsgId(msg);
    if (parent === null) {
      return;
    }
    const entry = this._pending.get(parent);
    if (!entry) {
      return;
    }
    if (msg.channel === 'iopub') {
      this._iopub(entry, msg, now);
    } else if (msg.channel === 'shell' && type === 'execute_reply') {
      this._reply(entry, msg, now);
    }
  }

  private _request(msg: IKernelMessageLike, now?: Date): void {
    const content = msg.content ?? {};
    if (content.silent === true) {
      return;
    }
    if (this._skipUnstored && content.store_history === false) {
      return;
    }
    const session =
      this._session ??
      this.startSession('', { name: '', language: '' }, 'attach', now);
    const cellId = msg.metadata?.cellId;
    const record: IExecutionRecord = {
      kind: 'execution',
      session: session.session,
      index: this._records.length,
      msgId: msg.header.msg_id,
      cellId: typeof cellId === 'string' ? cellId : null,
      source: typeof content.code === 'string' ? content.code : '',
      executionCount: null,
      times: { queued: Private.stamp(msg, now) },
      duration: null,
      status: null,
      outputs: []
    };
    this._records.push(record);
    this._pending.set(record.msgId, {
      record,
      idle: false,
      replied: false,
      clearOnNext: false
    });
    this._executionStarted.emit(record);
  }

  private _iopub(
    entry: Private.IPending,
    msg: IKernelMessageLike,
    now?: Date
  ): void {
    const r = entry.record;
    const type = msg.header.msg_type;
    const content = msg.content ?? {};
    if (type === 'status') {
      const state = content.execution_state;
      if (state === 'busy') {
        r.times['iopub.status.busy'] ??= Private.stamp(msg, now);
      } else if (state === 'idle') {
        r.times['iopub.status.idle'] = Private.stamp(msg, now);
        entry.idle = true;
        if (entry.replied) {
          this._finish(entry);
        }
      }
    } else if (type === 'execute_input') {
      r.times['iopub.execute_input'] = Private.stamp(msg, now);
      if (typeof content.execution_count === 'number') {
        r.executionCount = content.execution_count;
      }
    } else if (type === 'clear_output') {
      if (content.wait === true) {
        entry.clearOnNext = true;
      } else {
        r.outputs = [];
      }
    } else if (OUTPUT_MSG_TYPES.has(type)) {
      if (entry.clearOnNext) {
        r.outputs = [];
        entry.clearOnNext = false;
      }
      const last = r.outputs[r.outputs.length - 1];
      if (
        type === 'stream' &&
        last?.type === 'stream' &&
        last.name === content.name &&
        typeof content.text === 'string'
      ) {
        appendStream(last, content.text, this._textLimit);
        return;
      }
      const summary = summarizeOutput(
        type as IOutputSummary['type'],
        content,
        this._textLimit
      );
      r.outputs.push(summary);
      if (type === 'error' && !r.error) {
        r.error = { ename: summary.ename!, evalue: summary.evalue! };
        const line = raisingCellLine(content.traceback);
        if (line !== null) {
          r.error.line = line;
        }
      }
    }
  }

  private _reply(
    entry: Private.IPending,
    msg: IKernelMessageLike,
    now?: Date
  ): void {
    const r = entry.record;
    const content = msg.content ?? {};
    const started = msg.metadata?.started;
    if (typeof started === 'string') {
      r.times['shell.execute_reply.started'] = started;
    }
    r.times['shell.execute_reply'] = Private.stamp(msg, now);
    const status: ExecutionStatus =
      content.status === 'ok' || content.status === 'aborted'
        ? content.status
        : 'error';
    r.status = status;
    if (typeof content.execution_count === 'number') {
      r.executionCount = content.execution_count;
    }
    if (status === 'error' && typeof content.ename === 'string') {
      const line = raisingCellLine(content.traceback) ?? r.error?.line ?? null;
      r.error = { ename: content.ename, evalue: String(content.evalue ?? '') };
      if (line !== null) {
        r.error.line = line;
      }
    }
    entry.replied = true;
    if (entry.idle) {
      this._finish(entry);
    }
  }

  private _finish(entry: Private.IPending): void {
    const r = entry.record;
    this._pending.delete(r.msgId);
    r.duration = Private.duration(r.times);
    this._executionFinished.emit(r);
  }

  private _textLimit: number;
  private _newId: () => string;
  private _skipUnstored: boolean;
  private _records: HistoryRecord[] = [];
  private _session: ISessionRecord | null = null;
  private _pending = new Map<string, Private.IPending>();
  private _executionStarted = new Signal<this, IExecutionRecord>(this);
  private _executionFinished = new Signal<this, IExecutionRecord>(this);
  private _sessionStarted = new Signal<this, ISessionRecord>(this);
}

export namespace ExecutionTracker {
  export interface IOptions {
    /** Cut for summarised output text (default 2000 characters). */
    textLimit?: number;
    /** Session id factory (default: UUID v4). */
    newSessionId?: () => string;
    /**
     * Keep non-silent requests sent with `store_history: false` (default
     * false: those come from tools, not from cells).
     */
    keepUnstored?: boolean;
  }
}

namespace Private {
  export interface IPending {
    record: IExecutionRecord;
    idle: boolean;
    replied: boolean;
    /** A `clear_output(wait=True)` is waiting for the next output. */
    clearOnNext: boolean;
  }

  /** The message's own date, else `now`, else the clock. */
  export function stamp(msg: IKernelMessageLike, now?: Date): string {
    const date = msg.header.date;
    if (typeof date === 'string' && date !== '') {
      return date;
    }
    return (now ?? new Date()).toISOString();
  }

  /** Milliseconds from busy (or the reply's start) to idle (or the reply). */
  export function duration(times: IExecutionTimes): number | null {
    const start =
      times['iopub.status.busy'] ??
      times['shell.execute_reply.started'] ??
      times['iopub.execute_input'];
    const end = times['iopub.status.idle'] ?? times['shell.execute_reply'];
    if (start === undefined || end === undefined) {
      return null;
    }
    const ms = Date.parse(end) - Date.parse(start);
    return Number.isFinite(ms) ? Math.max(0, ms) : null;
  }
}

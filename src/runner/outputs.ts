/**
 * A code cell's outputs as nbformat v4 writes them, built from the iopub
 * messages of its execute request: consecutive stream messages of one
 * name merged into one output (as the notebook does), `display_data` and
 * `execute_result` kept with their MIME bundles, `update_display_data`
 * applied to every earlier output with that display id, `clear_output`
 * (also with `wait`) honoured, and `error` with its traceback.
 *
 * Pure: it takes message types and contents, not a kernel connection.
 */

/** A MIME bundle (`data` / `metadata` of a display). */
export type MimeBundle = { [mime: string]: unknown };

export type NbOutput =
  | { output_type: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | {
      output_type: 'display_data';
      data: MimeBundle;
      metadata: MimeBundle;
    }
  | {
      output_type: 'execute_result';
      data: MimeBundle;
      metadata: MimeBundle;
      execution_count: number | null;
    }
  | {
      output_type: 'error';
      ename: string;
      evalue: string;
      traceback: string[];
    };

/** The part of an iopub message the collector reads. */
export interface IIOPubMessage {
  msg_type: string;
  content: { [key: string]: any };
}

export class OutputCollector {
  /**
   * @param displays display id → outputs showing it, shared by the cells
   *   of one run so that a later cell's `update_display_data` reaches an
   *   earlier cell's display (as `display(..., display_id=True)` allows).
   */
  constructor(displays: Map<string, NbOutput[]> = new Map()) {
    this._displays = displays;
  }

  /** The outputs so far, in nbformat order. */
  get outputs(): NbOutput[] {
    return this._outputs;
  }

  /** Execution count seen on `execute_input` / `execute_result`. */
  get executionCount(): number | null {
    return this._count;
  }

  /**
   * Take one iopub message. Returns true when it changed the outputs.
   * Message types that are not outputs (`status`, `comm_*`, …) are ignored.
   */
  add(msg: IIOPubMessage): boolean {
    const c = msg.content ?? {};
    switch (msg.msg_type) {
      case 'execute_input':
        if (typeof c.execution_count === 'number') {
          this._count = c.execution_count;
        }
        return false;
      case 'clear_output':
        if (c.wait) {
          this._clearOnNext = true;
        } else {
          this._clear();
        }
        return true;
      case 'stream': {
        this._maybeClear();
        const name = c.name === 'stderr' ? 'stderr' : 'stdout';
        const text = typeof c.text === 'string' ? c.text : '';
        const last = this._outputs[this._outputs.length - 1];
        if (last && last.output_type === 'stream' && last.name === name) {
          last.text += text;
        } else {
          this._outputs.push({ output_type: 'stream', name, text });
        }
        return true;
      }
      case 'display_data':
      case 'execute_result': {
        this._maybeClear();
        const out: NbOutput =
          msg.msg_type === 'execute_result'
            ? {
                output_type: 'execute_result',
                data: bundle(c.data),
                metadata: bundle(c.metadata),
                execution_count:
                  typeof c.execution_count === 'number'
                    ? c.execution_count
                    : this._count
              }
            : {
                output_type: 'display_data',
                data: bundle(c.data),
                metadata: bundle(c.metadata)
              };
        if (out.output_type === 'execute_result') {
          this._count = out.execution_count;
        }
        const id = c.transient?.display_id;
        if (typeof id === 'string') {
          const at = this._displays.get(id) ?? [];
          at.push(out);
          this._displays.set(id, at);
        }
        this._outputs.push(out);
        return true;
      }
      case 'update_display_data':
        return updateDisplays(this._displays, c);
      case 'error':
        this._maybeClear();
        this._outputs.push({
          output_type: 'error',
          ename: String(c.ename ?? ''),
          evalue: String(c.evalue ?? ''),
          traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : []
        });
        return true;
      default:
        return false;
    }
  }

  private _maybeClear(): void {
    if (this._clearOnNext) {
      this._clear();
    }
  }

  private _clear(): void {
    this._clearOnNext = false;
    const gone = new Set(this._outputs);
    for (const [id, outs] of this._displays) {
      const kept = outs.filter(o => !gone.has(o));
      if (kept.length) {
        this._displays.set(id, kept);
      } else {
        this._displays.delete(id);
      }
    }
    this._outputs = [];
  }

  private _outputs: NbOutput[] = [];
  private _displays: Map<string, NbOutput[]>;
  private _clearOnNext = false;
  private _count: number | null = null;
}

/**
 * Apply an `update_display_data` content to every output showing its
 * display id. Returns whether one was found.
 */
export function updateDisplays(
  displays: Map<string, NbOutput[]>,
  content: { [key: string]: any }
): boolean {
  const id = content.transient?.display_id;
  const targets = typeof id === 'string' ? displays.get(id) : undefined;
  for (const t of targets ?? []) {
    if (
      t.output_type === 'display_data' ||
      t.output_type === 'execute_result'
    ) {
      t.data = bundle(content.data);
      t.metadata = bundle(content.metadata);
    }
  }
  return (targets?.length ?? 0) > 0;
}

function bundle(v: unknown): MimeBundle {
  return v && typeof v === 'object' && !Array.isArray(v)
    ? { ...(v as MimeBundle) }
    : {};
}

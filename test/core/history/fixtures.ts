/**
 * Hand-written Jupyter message sequences in the shapes a real ipykernel 6
 * sends (captured with jupyter_client against IPython 8.5, then trimmed).
 */
import type {
  IKernelMessageLike,
  MessageDirection
} from '../../../src/core/history/messages';

export type Step = [IKernelMessageLike, MessageDirection];

let counter = 0;
const SESSION = 'c0ffee00-0000-4000-8000-000000000001';
const BASE = Date.parse('2024-05-01T10:00:00.000Z');

/** ISO time `ms` after a fixed base, with microseconds as kernels send. */
export function at(ms: number): string {
  return new Date(BASE + ms).toISOString().replace('Z', '123+00:00');
}

function msg(
  channel: IKernelMessageLike['channel'],
  msgType: string,
  parent: string | null,
  content: { [key: string]: any },
  date?: string,
  metadata: { [key: string]: any } = {}
): IKernelMessageLike {
  return {
    channel,
    header: {
      msg_id: `${msgType}-${++counter}`,
      msg_type: msgType,
      session: SESSION,
      ...(date ? { date } : {})
    },
    parent_header: parent
      ? { msg_id: parent, msg_type: 'execute_request', session: SESSION }
      : {},
    content,
    metadata
  };
}

export interface IRunOptions {
  cellId?: string;
  count: number;
  /** Start time in ms from the base. */
  t: number;
  /** Running time in ms. */
  ms?: number;
  outputs?: [string, { [key: string]: any }][];
  /** `line`: the cell line the traceback names (default 1). */
  error?: { ename: string; evalue: string; line?: number };
  /** Send the reply before the idle status (default: after, as ipykernel 6 often does). */
  replyFirst?: boolean;
  silent?: boolean;
  storeHistory?: boolean;
}

/** The messages of one execution: request, busy, input, outputs, idle/reply. */
export function run(code: string, o: IRunOptions): Step[] {
  const ms = o.ms ?? 10;
  const request = msg(
    'shell',
    'execute_request',
    null,
    {
      code,
      silent: o.silent ?? false,
      store_history: o.storeHistory ?? true,
      user_expressions: {},
      allow_stdin: true,
      stop_on_error: true
    },
    new Date(BASE + o.t).toISOString(),
    o.cellId ? { deletedCells: [], recordTiming: false, cellId: o.cellId } : {}
  );
  const id = request.header.msg_id;
  const steps: Step[] = [
    [request, 'send'],
    [
      msg('iopub', 'status', id, { execution_state: 'busy' }, at(o.t + 1)),
      'recv'
    ],
    [
      msg(
        'iopub',
        'execute_input',
        id,
        { code, execution_count: o.count },
        at(o.t + 2)
      ),
      'recv'
    ]
  ];
  for (const [type, content] of o.outputs ?? []) {
    steps.push([msg('iopub', type, id, content, at(o.t + 3)), 'recv']);
  }
  if (o.error) {
    steps.push([
      msg(
        'iopub',
        'error',
        id,
        {
          ename: o.error.ename,
          evalue: o.error.evalue,
          traceback: traceback(o.error, o.count)
        },
        at(o.t + 4)
      ),
      'recv'
    ]);
  }
  const idle: Step = [
    msg('iopub', 'status', id, { execution_state: 'idle' }, at(o.t + ms + 1)),
    'recv'
  ];
  const reply: Step = [
    msg(
      'shell',
      'execute_reply',
      id,
      o.error
        ? {
            status: 'error',
            execution_count: o.count,
            ename: o.error.ename,
            evalue: o.error.evalue,
            traceback: traceback(o.error, o.count)
          }
        : {
            status: 'ok',
            execution_count: o.count,
            user_expressions: {},
            payload: []
          },
      at(o.t + ms),
      {
        started: new Date(BASE + o.t + 2).toISOString(),
        dependencies_met: true,
        status: o.error ? 'error' : 'ok'
      }
    ),
    'recv'
  ];
  steps.push(...(o.replyFirst ? [reply, idle] : [idle, reply]));
  return steps;
}

/** A coloured IPython traceback, as ipykernel sends it. */
export function traceback(
  e: { ename: string; evalue: string; line?: number },
  count: number
): string[] {
  const line = e.line ?? 1;
  return [
    '\u001b[0;31m---------------------------------------------------------------------------\u001b[0m',
    `\u001b[0;31m${e.ename}\u001b[0m                         Traceback (most recent call last)`,
    `Cell \u001b[0;32mIn [${count}], line ${line}\u001b[0m\n\u001b[0;32m----> ${line}\u001b[0m \u001b[38;5;241;43m1\u001b[39;49m\n`,
    `\u001b[0;31m${e.ename}\u001b[0m: ${e.evalue}`
  ];
}

/** An aborted execution: the kernel replies `aborted` without running it. */
export function aborted(code: string, t: number, cellId?: string): Step[] {
  const steps = run(code, { count: 0, t, cellId });
  const request = steps[0];
  const id = request[0].header.msg_id;
  return [
    request,
    [
      msg('iopub', 'status', id, { execution_state: 'busy' }, at(t + 1)),
      'recv'
    ],
    [
      msg(
        'shell',
        'execute_reply',
        id,
        { status: 'aborted', execution_count: null },
        at(t + 2),
        { started: new Date(BASE + t + 1).toISOString(), status: 'aborted' }
      ),
      'recv'
    ],
    [msg('iopub', 'status', id, { execution_state: 'idle' }, at(t + 3)), 'recv']
  ];
}

/**
 * Capture overhead (issue 3): main-thread time `ExecutionTracker.handle()`
 * adds per executed cell, the cost of summarising a 50 MB output, and
 * flattening a 10,000-execution history into a script.
 */
import type { IBench } from './harness';
import { flattenHistory } from '../src/core/history/flatten';
import type { IKernelMessageLike } from '../src/core/history/messages';
import { ExecutionTracker } from '../src/core/history/tracker';

type Step = [IKernelMessageLike, 'send' | 'recv'];

const CELLS = [
  'import numpy as np\nx = np.arange(10)',
  'print(x.sum())',
  '%time y = x * 2',
  'files = !ls\nlen(files)',
  'for i in range(3):\n    print(i)',
  '%%timeit\nsum(range(100))',
  'def f(a, b=2):\n    """Docstring with !bang and %percent"""\n    return a + b\nf(1)',
  'df = {"a": [1, 2, 3]}\ndf'
];

/** A typical execution's messages: request, busy, input, stream, result, idle, reply. */
function execution(i: number): Step[] {
  const id = `req-${i}`;
  const date = new Date(1_714_550_400_000 + i * 1000).toISOString();
  const parent = { msg_id: id, msg_type: 'execute_request', session: 's' };
  const m = (
    channel: IKernelMessageLike['channel'],
    type: string,
    content: { [key: string]: any },
    metadata: { [key: string]: any } = {}
  ): IKernelMessageLike => ({
    channel,
    header: { msg_id: `${type}-${i}`, msg_type: type, date, session: 'k' },
    parent_header: parent,
    content,
    metadata
  });
  const code = CELLS[i % CELLS.length];
  return [
    [
      {
        channel: 'shell',
        header: { msg_id: id, msg_type: 'execute_request', date, session: 's' },
        parent_header: {},
        content: { code, silent: false, store_history: true },
        metadata: {
          cellId: `cell-${i % 50}`,
          deletedCells: [],
          recordTiming: false
        }
      },
      'send'
    ],
    [m('iopub', 'status', { execution_state: 'busy' }), 'recv'],
    [m('iopub', 'execute_input', { code, execution_count: i + 1 }), 'recv'],
    [
      m('iopub', 'stream', { name: 'stdout', text: `line ${i}\n`.repeat(20) }),
      'recv'
    ],
    [
      m('iopub', 'execute_result', {
        data: {
          'text/plain': `array([${i}, ...])`,
          'text/html': '<b>x</b>'.repeat(50)
        },
        metadata: {},
        execution_count: i + 1
      }),
      'recv'
    ],
    [m('iopub', 'status', { execution_state: 'idle' }), 'recv'],
    [
      m(
        'shell',
        'execute_reply',
        {
          status: 'ok',
          execution_count: i + 1,
          user_expressions: {},
          payload: []
        },
        { started: date, status: 'ok' }
      ),
      'recv'
    ]
  ];
}

export default async (b: IBench): Promise<void> => {
  const N = 2000;
  const steps = Array.from({ length: N }, (_, i) => execution(i));
  const feed = (): ExecutionTracker => {
    const t = new ExecutionTracker();
    t.startSession('k', { name: 'python3', language: 'python' }, 'start');
    for (const cell of steps) {
      for (const [msg, dir] of cell) {
        t.handle(msg, dir);
      }
    }
    return t;
  };
  const total = await b.median(feed, 9);
  b.figure({
    name: 'capture: handle() per executed cell (7 messages)',
    value: (total / N) * 1000,
    unit: 'µs',
    target: 1000,
    lowerIsBetter: true,
    note: `median of 9 runs over ${N} cells, outputs summarised`
  });

  // Worst single cell: the slowest of many individually timed executions.
  const t = new ExecutionTracker();
  const per: number[] = [];
  for (const cell of steps) {
    const t0 = performance.now();
    for (const [msg, dir] of cell) {
      t.handle(msg, dir);
    }
    per.push(performance.now() - t0);
  }
  per.sort((x, y) => x - y);
  b.figure({
    name: 'capture: p99 per executed cell',
    value: per[Math.floor(per.length * 0.99)] * 1000,
    unit: 'µs',
    target: 1000,
    lowerIsBetter: true
  });

  // A 50 MB output is sized and sliced, never copied.
  const huge = Buffer.alloc(50 * 1024 * 1024, 'x').toString('latin1');
  const big = execution(0);
  big[3][0].content = { name: 'stdout', text: huge };
  big[4][0].content = { data: { 'text/plain': huge }, metadata: {} };
  const bigMs = await b.median(() => {
    const tr = new ExecutionTracker();
    for (const [msg, dir] of big) {
      tr.handle(msg, dir);
    }
  }, 5);
  b.figure({
    name: 'capture: cell with 2 × 50 MB outputs',
    value: bigMs,
    unit: 'ms',
    target: 1,
    lowerIsBetter: true,
    note: 'stream + text/plain, summaries only'
  });

  // Flatten a 10,000-execution history, magics translated.
  const many = new ExecutionTracker();
  many.startSession('k', { name: 'python3', language: 'python' }, 'start');
  for (let i = 0; i < 10_000; i++) {
    for (const [msg, dir] of execution(i)) {
      many.handle(msg, dir);
    }
  }
  let size = 0;
  const flatMs = await b.median(() => {
    size = flattenHistory(many.records, { experiment: 'bench' }).length;
  }, 5);
  b.figure({
    name: 'flatten 10,000 executions',
    value: flatMs,
    unit: 'ms',
    note: `${(size / 1e6).toFixed(1)} MB script, IPython syntax translated`
  });
};

/**
 * Kernel → store transport: decoding batches on the frontend, and the Python
 * module's sustained throughput with its buffer's peak memory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { IBench } from './harness';
import { decodeBatch } from '../src/kernel/protocol';
import { injectionCode } from '../src/kernel/module';

const POINTS = 1_000_000;
const PER_BATCH = 43_000; // ~1 MiB of points, as the kernel batches them

export default async (b: IBench) => {
  // 1. decodeBatch over 1M points split in ~1 MiB batches.
  const batches: [unknown, ArrayBuffer[]][] = [];
  for (let off = 0, seq = 1; off < POINTS; off += PER_BATCH, seq++) {
    const n = Math.min(PER_BATCH, POINTS - off);
    const values = new Float64Array(n).map((_, i) => Math.sin(off + i));
    const steps = new Float64Array(n).map((_, i) => off + i);
    const times = new Float64Array(n).fill(Date.now());
    batches.push([
      {
        type: 'batch',
        protocol: 1,
        session: 's',
        seq,
        items: [
          {
            kind: 'metrics',
            name: 'loss',
            parent: null,
            count: n,
            values: 0,
            steps: 1,
            times: 2
          }
        ]
      },
      [values.buffer, steps.buffer, times.buffer]
    ]);
  }
  let sum = 0;
  const ms = await b.median(() => {
    for (const [data, buffers] of batches) {
      const d = decodeBatch(data, buffers);
      sum += d.metrics[0].values.length;
    }
  });
  b.figure({
    name: 'decodeBatch 1,000,000 points (24 batches)',
    value: ms,
    unit: 'ms',
    lowerIsBetter: true,
    note: `${((POINTS / ms) * 1000).toExponential(2)} points/s, zero-copy Float64Array views (${sum} read)`
  });

  // 2. Python: a loop logging two metrics, batches acknowledged as they are
  // sent (a fake comm standing in for the frontend), at the real 20 msg/s.
  const python = '/usr/bin/python3';
  if (!existsSync(python)) {
    return;
  }
  const script = `${injectionCode()}
import json, time, labbook
class Comm:
    def __init__(self): self.points = 0; self.messages = 0
    def send(self, data, buffers=None):
        self.messages += 1
        if data['type'] == 'batch':
            self.points += sum(it['count'] for it in data['items'] if it['kind'] == 'metrics')
            client._on_msg({'content': {'data': {'type': 'ack', 'seq': data['seq']}}})
    def on_msg(self, cb): pass
    def on_close(self, cb): pass
client = labbook.Client(labbook.Options())
comm = Comm()
client.attach(comm, {'content': {'data': {'type': 'hello'}}})
N = 500000
t0 = time.perf_counter()
for i in range(N):
    client.log({'loss': 1.0 / (i + 1), 'acc': i * 1e-6}, step=i)
t_log = time.perf_counter() - t0
while comm.points < 2 * N and time.perf_counter() - t0 < 120:
    time.sleep(0.005)
t_all = time.perf_counter() - t0
print(json.dumps({'points': comm.points, 'log_s': t_log, 'all_s': t_all, 'messages': comm.messages,
                  'peak': client._outbox.peak_memory_bytes}))
`;
  const r = spawnSync(python, ['-c', script], {
    encoding: 'utf8',
    timeout: 180_000
  });
  if (r.status !== 0) {
    throw new Error(r.stderr);
  }
  const res = JSON.parse(r.stdout);
  b.figure({
    name: 'kernel → comm, 2 metrics × 500,000 steps, sustained',
    value: res.points / res.all_s,
    unit: 'points/s',
    target: 50_000,
    lowerIsBetter: false,
    note: `all ${res.points} delivered in ${res.messages} messages; log loop ${res.log_s.toFixed(2)} s, delivered after ${res.all_s.toFixed(2)} s`
  });
  b.figure({
    name: 'kernel buffer peak memory (acked as sent)',
    value: res.peak / 2 ** 20,
    unit: 'MB',
    target: 64,
    lowerIsBetter: true
  });
};

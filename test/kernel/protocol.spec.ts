import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decodeBatch,
  IDecodedImageChunk,
  KernelProtocolError,
  PROTOCOL_VERSION
} from '../../src/kernel/protocol';
import { injectionCode, LABBOOK_MODULE_SOURCE } from '../../src/kernel/module';

const PYTHON = '/usr/bin/python3';
const hasPython = existsSync(PYTHON);
const scratch = mkdtempSync(join(tmpdir(), 'labbook-protocol-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Run Python code after defining the module with `injectionCode`; return stdout. */
function runPython(body: string, code = injectionCode()): string {
  const file = join(scratch, `run-${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, code + '\n' + body);
  const r = spawnSync(PYTHON, [file], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) {
    throw new Error(`python failed: ${r.stderr}`);
  }
  return r.stdout;
}

interface IWireMessage {
  data: unknown;
  buffers: string[];
}

/** Messages the real module sends to a fake comm after running `body`. */
function pythonMessages(body: string): IWireMessage[] {
  const out = runPython(`
import base64, json, sys, labbook
class Comm:
    def __init__(self): self.sent = []
    def send(self, data, buffers=None):
        self.sent.append({'data': json.loads(json.dumps(data, allow_nan=False)),
                          'buffers': [base64.b64encode(bytes(b)).decode() for b in (buffers or [])]})
    def on_msg(self, cb): pass
    def on_close(self, cb): pass
c = labbook.Client(labbook.Options(batch_bytes=4096, max_rate=1000), start=False)
comm = Comm()
c.attach(comm, {'content': {'data': {'type': 'hello'}}})
${body}
c.flush(5)
json.dump(comm.sent, sys.stdout)
`);
  return JSON.parse(out);
}

function wire(m: IWireMessage): [unknown, Uint8Array[]] {
  return [m.data, m.buffers.map(b => new Uint8Array(Buffer.from(b, 'base64')))];
}

describe.runIf(hasPython)(
  'decodeBatch with batches from the Python module',
  () => {
    it('decodes metric series with NaN, infinities and numpy values', () => {
      const msgs = pythonMessages(`
import math
import numpy as np
for i in range(2000):
    c.log({'loss': 1.0 / (i + 1), 'odd': [math.nan, math.inf, -math.inf, np.float32(0.5)][i % 4]}, step=i)
`);
      expect((msgs[0].data as any).type).toBe('ready');
      const batches = msgs.slice(1).map(m => decodeBatch(...wire(m)));
      expect(batches.map(b => b.seq)).toEqual(batches.map((_, i) => i + 1));
      expect(batches.length).toBeGreaterThan(5); // 96 kB in 4 kB batches
      const series = (name: string) => {
        const all = batches.flatMap(b =>
          b.metrics.filter(s => s.name === name)
        );
        return {
          values: all.flatMap(s => Array.from(s.values)),
          steps: all.flatMap(s => Array.from(s.steps)),
          times: all.flatMap(s => Array.from(s.times))
        };
      };
      const loss = series('loss');
      expect(loss.values).toEqual(
        Array.from({ length: 2000 }, (_, i) => 1 / (i + 1))
      );
      expect(loss.steps).toEqual(Array.from({ length: 2000 }, (_, i) => i));
      const now = Date.now();
      expect(loss.times.every(t => t > now - 600_000 && t <= now)).toBe(true);
      const odd = series('odd').values;
      expect(odd.slice(0, 4)).toEqual([NaN, Infinity, -Infinity, 0.5]);
      expect(odd.length).toBe(2000);
    });

    it('decodes images, text and params', () => {
      const msgs = pythonMessages(`
import numpy as np
c.options.image_chunk = 100
c.log_image('pic', np.random.RandomState(0).randint(0, 255, (20, 30, 3)).astype('uint8'), caption='a <b>')
c.log_text('t', '<img src=x onerror=alert(1)>', step=3)
c.log_params({'lr': 0.001, 'nan': float('nan')})
`);
      const items = msgs.slice(1).flatMap(m => decodeBatch(...wire(m)).items);
      const chunks = items.filter(
        (i): i is IDecodedImageChunk => i.kind === 'image'
      );
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.map(c => c.chunk)).toEqual(chunks.map((_, i) => i));
      const total = chunks.reduce((n, c) => n + c.data.byteLength, 0);
      expect(total).toBe(chunks[0].size);
      expect(Array.from(chunks[0].data.slice(1, 4))).toEqual([80, 78, 71]); // PNG
      expect([chunks[0].width, chunks[0].height]).toEqual([30, 20]);
      const text = items.find(i => i.kind === 'text');
      expect(text).toMatchObject({
        text: '<img src=x onerror=alert(1)>',
        step: 3
      });
      const params = items.find(i => i.kind === 'params');
      expect(params).toMatchObject({
        params: { lr: 0.001 },
        reprs: { nan: 'nan' }
      });
    });
  }
);

describe.runIf(hasPython)('injectionCode', () => {
  it('defines labbook from a string, keeps it when run again, replaces it when the source changes', () => {
    const out = runPython(
      `
import sys
first = sys.modules['labbook']
first.log('m', 1)
exec(${JSON.stringify(injectionCode())})
print(sys.modules['labbook'] is first, first._client is not None)
exec(${JSON.stringify(injectionCode(LABBOOK_MODULE_SOURCE + '\n# v2\n'))})
print(sys.modules['labbook'] is first, '_labbook_install' in globals())
`
    );
    expect(out.trim().split('\n')).toEqual(['True True', 'False False']);
  });

  it('passes the hello intact and opens no comm where there is no kernel', () => {
    const hello = {
      type: 'hello',
      nonce: 'n1',
      experimentId: null,
      notebook: 'odd "dir"/__LABBOOK_SOURCE__) é.ipynb'
    };
    const out = runPython(
      'import labbook, json\nprint(json.dumps(labbook.experiment()["notebook"]))',
      injectionCode(LABBOOK_MODULE_SOURCE, hello)
    );
    expect(JSON.parse(out)).toBe(hello.notebook);
  });

  it('keeps any source text intact', () => {
    const tricky = 'X = "quote\\" back\\\\slash $& $1 \u2028 é 😀 \\n"\n';
    const out = runPython(
      'import labbook, json\nprint(json.dumps(labbook.X))',
      injectionCode(tricky)
    );
    expect(JSON.parse(out)).toBe('quote" back\\slash $& $1 \u2028 é 😀 \n');
  });
});

describe('decodeBatch', () => {
  const f64 = (values: number[]) => new Float64Array(values).buffer;
  const batch = (items: unknown[]) => ({
    type: 'batch',
    protocol: PROTOCOL_VERSION,
    session: 's',
    seq: 1,
    items
  });
  const metric = {
    kind: 'metrics',
    name: 'm',
    parent: null,
    count: 2,
    values: 0,
    steps: 1,
    times: 2
  };

  it('reads buffers given as DataViews at unaligned offsets', () => {
    const raw = new Uint8Array(1 + 16 * 3);
    raw.set(new Uint8Array(f64([1.5, NaN])), 1);
    raw.set(new Uint8Array(f64([0, 1])), 17);
    raw.set(new Uint8Array(f64([10, 20])), 33);
    const views = [1, 17, 33].map(o => new DataView(raw.buffer, o, 16));
    const d = decodeBatch(batch([metric]), views);
    expect(Array.from(d.metrics[0].values)).toEqual([1.5, NaN]);
    expect(Array.from(d.metrics[0].steps)).toEqual([0, 1]);
    expect(Array.from(d.metrics[0].times)).toEqual([10, 20]);
  });

  it('round-trips any float64 values bit for bit', () => {
    fc.assert(
      fc.property(fc.array(fc.double()), values => {
        const n = values.length;
        const d = decodeBatch(batch([{ ...metric, count: n }]), [
          f64(values),
          f64(values.map((_, i) => i)),
          f64(values.map(() => 0))
        ]);
        const back = Array.from(d.metrics[0].values);
        return (
          back.length === n && back.every((v, i) => Object.is(v, values[i]))
        );
      })
    );
  });

  it('refuses malformed batches with a clear message', () => {
    const good = [f64([1, 2]), f64([0, 1]), f64([0, 0])];
    expect(() => decodeBatch({ type: 'ready' }, [])).toThrow(
      KernelProtocolError
    );
    expect(() => decodeBatch(batch([metric]), good.slice(0, 2))).toThrow(
      /no buffer 2 \(message has 2\)/
    );
    expect(() => decodeBatch(batch([{ ...metric, count: 3 }]), good)).toThrow(
      /16 bytes for 3 Float64 values/
    );
    expect(() => decodeBatch({ ...batch([]), seq: 0 }, [])).toThrow(/bad seq/);
    expect(() =>
      decodeBatch({ ...batch([]), protocol: PROTOCOL_VERSION + 1 }, [])
    ).toThrow(/newer/);
    expect(() => decodeBatch(batch([42]), [])).toThrow(/item 0/);
  });

  it('skips item kinds it does not know and keeps the rest in order', () => {
    const d = decodeBatch(
      batch([
        { kind: 'future-thing' },
        { kind: 'tags', tags: ['a'], parent: null, time: 1 },
        { kind: 'note', text: 'n', append: true, parent: null, time: 2 }
      ]),
      []
    );
    expect(d.skipped).toBe(1);
    expect(d.items.map(i => i.kind)).toEqual(['tags', 'note']);
  });
});

import { Signal } from '@lumino/signaling';
import { describe, expect, it } from 'vitest';
import { KernelChannel } from '../../src/kernel/channel';
import type {
  IDecodedBatch,
  IHelloMessage,
  KernelItem
} from '../../src/kernel/protocol';

/** A comm as `@jupyterlab/services` gives it, recording what is sent. */
class FakeComm {
  constructor(readonly fromKernel: boolean) {}
  onMsg: ((msg: any) => void) | null = null;
  opened: any = null;
  sent: any[] = [];
  isDisposed = false;
  open(data: any) {
    this.opened = data;
  }
  send(data: any) {
    this.sent.push(data);
  }
  /** The kernel sends a comm message. */
  receive(data: unknown, buffers: ArrayBuffer[] = []) {
    this.onMsg!({ content: { data }, buffers });
  }
  get acks() {
    return this.sent.filter(m => m.type === 'ack').map(m => m.seq);
  }
}

/** The parts of `IKernelConnection` the channel uses. */
class FakeKernel {
  constructor(readonly language = 'python') {}
  id = 'k1';
  isDisposed = false;
  statusChanged = new Signal<FakeKernel, string>(this);
  targets = new Map<string, (comm: any, msg: any) => void>();
  executed: string[] = [];
  comms: FakeComm[] = [];
  /** Whether the module opens the comm itself (a real kernel with the module does). */
  opensComm = false;
  get spec() {
    return Promise.resolve({ language: this.language });
  }
  registerCommTarget(name: string, cb: (comm: any, msg: any) => void) {
    this.targets.set(name, cb);
  }
  removeCommTarget(name: string) {
    this.targets.delete(name);
  }
  requestExecute(content: { code: string }) {
    this.executed.push(content.code);
    const hello = JSON.parse(content.code) as IHelloMessage;
    if (this.opensComm) {
      this.openFromKernel(hello.nonce);
    }
    return { done: Promise.resolve() };
  }
  openFromKernel(nonce: string | undefined): FakeComm {
    const comm = new FakeComm(true);
    this.comms.push(comm);
    this.targets.get('labbook')!(comm, {
      content: { data: { type: 'open', protocol: 1, nonce } }
    });
    return comm;
  }
  createComm() {
    const comm = new FakeComm(false);
    this.comms.push(comm);
    return comm;
  }
}

function batchData(seq: number, items: KernelItem[] = [], session = 's1') {
  return { type: 'batch', protocol: 1, session, seq, items };
}

function text(t: string): KernelItem {
  return {
    kind: 'text',
    name: 'log',
    text: t,
    step: null,
    parent: null,
    time: 1
  };
}

function metric(values: number[]): [KernelItem, ArrayBuffer[]] {
  const f = (xs: number[]) => Float64Array.from(xs).buffer as ArrayBuffer;
  return [
    {
      kind: 'metrics',
      name: 'loss',
      parent: null,
      count: values.length,
      values: 0,
      steps: 1,
      times: 2
    },
    [f(values), f(values.map((_, i) => i)), f(values.map(() => 1))]
  ];
}

const settle = () => new Promise(resolve => setTimeout(resolve, 0));

function setup(options: Partial<KernelChannel.IOptions> = {}) {
  const stored: IDecodedBatch[] = [];
  const channel = new KernelChannel({
    code: hello => JSON.stringify(hello),
    hello: () => ({ experimentId: 'e1', notebook: 'a.ipynb' }),
    lastStored: async () => 0,
    store: async b => {
      stored.push(b);
    },
    ...options
  });
  return { channel, stored };
}

describe('KernelChannel', () => {
  it('defines the module with a hello, then stores and acknowledges each batch', async () => {
    const { channel, stored } = setup();
    const kernel = new FakeKernel();
    channel.attach(kernel as any);
    await settle();
    const hello = JSON.parse(kernel.executed[0]);
    expect(hello).toMatchObject({
      type: 'hello',
      protocol: 1,
      experimentId: 'e1',
      notebook: 'a.ipynb'
    });
    expect(hello.nonce).toMatch(/^[0-9a-f]{32}$/);
    // The kernel did not open the comm: the channel opened it.
    const comm = kernel.comms[0];
    expect(comm.fromKernel).toBe(false);
    expect(comm.opened).toEqual(hello);
    comm.receive(batchData(1, [text('a')]));
    await settle();
    expect(stored.map(b => [b.seq, b.items.length])).toEqual([[1, 1]]);
    expect(comm.sent).toEqual([{ type: 'ack', seq: 1, session: 's1' }]);
    expect(channel.storedBatches).toBe(1);
    expect(channel.session).toBe('s1');
  });

  it('sends the module before anything run next when the kernel specs are at hand (Run All right after opening)', async () => {
    const kernel = new FakeKernel();
    const { channel } = setup({ language: () => 'python' });
    channel.attach(kernel as any);
    // Synchronously: a cell the user runs now is queued after the module.
    expect(kernel.executed).toHaveLength(1);
    const { channel: other } = setup({ language: () => 'R' });
    const r = new FakeKernel();
    other.attach(r as any);
    await settle();
    expect(r.executed).toEqual([]);
    // Without the hint the server is asked first (kernel.spec).
    const { channel: asks } = setup();
    const k = new FakeKernel();
    asks.attach(k as any);
    expect(k.executed).toHaveLength(0);
    await settle();
    expect(k.executed).toHaveLength(1);
  });

  it("takes the comm the kernel opens with its nonce, not another tab's", async () => {
    const { channel, stored } = setup();
    const kernel = new FakeKernel();
    kernel.opensComm = true;
    channel.attach(kernel as any);
    await settle();
    const other = kernel.openFromKernel('someone-else');
    expect(other.onMsg).toBeNull();
    const ours = kernel.comms[0];
    expect(kernel.comms.filter(c => !c.fromKernel)).toEqual([]);
    ours.receive(batchData(1, [text('a')]));
    await settle();
    expect(stored).toHaveLength(1);
    expect(ours.acks).toEqual([1]);
    expect(channel.send({ type: 'collect-env' })).toBe(true);
    expect(ours.sent.at(-1)).toEqual({ type: 'collect-env' });
  });

  it('acknowledges a replay of stored batches without storing them again', async () => {
    const { channel, stored } = setup({ lastStored: async () => 2 });
    const kernel = new FakeKernel();
    channel.attach(kernel as any);
    await settle();
    const comm = kernel.comms[0];
    comm.receive(batchData(1, [text('a')]));
    await settle();
    comm.receive(batchData(2, [text('b')]));
    await settle();
    comm.receive(batchData(3, [text('c')]));
    await settle();
    expect(stored.map(b => b.seq)).toEqual([3]);
    expect(comm.acks).toEqual([1, 2, 3]);
  });

  it('does not acknowledge a batch the store failed to take', async () => {
    let fail = true;
    const { channel, stored } = setup({
      store: async b => {
        if (fail) {
          throw new Error('server gone');
        }
        stored.push(b);
      }
    });
    const kernel = new FakeKernel();
    channel.attach(kernel as any);
    await settle();
    const comm = kernel.comms[0];
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      comm.receive(batchData(1, [text('a')]));
      await settle();
    } finally {
      console.warn = warn;
    }
    expect(comm.acks).toEqual([]);
    fail = false;
    comm.receive(batchData(1, [text('a')])); // the kernel sends it again
    await settle();
    expect(stored.map(b => b.seq)).toEqual([1]);
    expect(comm.acks).toEqual([1]);
  });

  it('stores batches that arrive during a slow write together, a start alone', async () => {
    let release: () => void = () => undefined;
    const stored: IDecodedBatch[] = [];
    const { channel } = setup({
      store: async b => {
        stored.push(b);
        if (b.seq === 1) {
          await new Promise<void>(r => (release = r));
        }
      }
    });
    const kernel = new FakeKernel();
    channel.attach(kernel as any);
    await settle();
    const comm = kernel.comms[0];
    const [m1, b1] = metric([1, 2]);
    const [m2, b2] = metric([3]);
    comm.receive(batchData(1, [text('first')]));
    await settle();
    comm.receive(batchData(2, [m1]), b1);
    comm.receive(batchData(3, [m2, text('x')]), b2);
    comm.receive(batchData(4, [{ kind: 'start', parent: null, time: 1 }]));
    comm.receive(batchData(5, [text('after')]));
    release();
    await settle();
    await settle();
    expect(stored.map(b => b.seq)).toEqual([1, 3, 4, 5]);
    const merged = stored[1];
    expect([...merged.metrics[0].values]).toEqual([1, 2, 3]);
    expect(merged.items.map(i => i.kind)).toEqual(['text']);
    expect(comm.acks).toEqual([1, 3, 4, 5]);
  });

  it('skips a malformed batch without stopping', async () => {
    const { channel, stored } = setup();
    const kernel = new FakeKernel();
    channel.attach(kernel as any);
    await settle();
    const comm = kernel.comms[0];
    const warn = console.warn;
    const warned: unknown[] = [];
    console.warn = (e: unknown) => warned.push(e);
    try {
      comm.receive({ type: 'batch', protocol: 1, session: 's1', seq: 0 });
    } finally {
      console.warn = warn;
    }
    comm.receive(batchData(1, [text('ok')]));
    await settle();
    expect(String(warned[0])).toMatch(/bad seq/);
    expect(stored.map(b => b.seq)).toEqual([1]);
  });

  it('defines the module again after a restart, only in Python kernels, only when enabled', async () => {
    let enabled = true;
    const { channel } = setup({
      hello: () =>
        enabled ? { experimentId: null, notebook: 'a.ipynb' } : null
    });
    const kernel = new FakeKernel();
    channel.attach(kernel as any);
    await settle();
    expect(kernel.executed).toHaveLength(1);
    kernel.statusChanged.emit('restarting');
    expect(channel.send({ type: 'collect-env' })).toBe(false);
    kernel.statusChanged.emit('idle');
    await settle();
    expect(kernel.executed).toHaveLength(2);

    enabled = false;
    const other = new FakeKernel();
    channel.attach(other as any);
    await settle();
    expect(other.executed).toEqual([]);
    // The target stays registered, so another tab's comm is not closed.
    expect(other.targets.has('labbook')).toBe(true);
    expect(kernel.targets.has('labbook')).toBe(false);

    enabled = true;
    const r = new FakeKernel('R');
    channel.attach(r as any);
    await settle();
    expect(r.executed).toEqual([]);
    channel.dispose();
    expect(r.targets.has('labbook')).toBe(false);
  });
});

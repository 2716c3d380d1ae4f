"""Tests of the kernel-side labbook module (src/kernel/labbook.py).

Run with: /usr/bin/python3 -m unittest discover -s test/kernel -p 'test_*.py'
"""

import importlib.util
import io
import json
import math
import os
import struct
import sys
import tempfile
import threading
import time
import unittest
import uuid
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, '..', '..', 'src', 'kernel')
MODULE_PATH = os.path.join(SRC, 'labbook.py')
INJECT_PATH = os.path.join(SRC, 'inject.py')


def load_module():
    spec = importlib.util.spec_from_file_location('labbook_under_test', MODULE_PATH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


lb = load_module()

try:
    import numpy as np
except ImportError:  # pragma: no cover
    np = None
try:
    from PIL import Image
except ImportError:  # pragma: no cover
    Image = None


def f64s(b):
    b = bytes(b)
    return list(struct.unpack('<%dd' % (len(b) // 8), b))


class FakeComm(object):
    """Records what the client sends; can be made to fail."""

    def __init__(self, fail=False):
        self.sent = []  # (monotonic time, data, buffers)
        self.fail = fail
        self.msg_cb = None
        self.close_cb = None

    def send(self, data, buffers=None):
        if self.fail:
            raise RuntimeError('socket closed')
        # Round-trip through JSON like the wire does.
        self.sent.append((time.monotonic(), json.loads(json.dumps(data, allow_nan=False)), list(buffers or [])))

    def on_msg(self, cb):
        self.msg_cb = cb

    def on_close(self, cb):
        self.close_cb = cb

    def frontend_says(self, data):
        self.msg_cb({'content': {'data': data}})

    def batches(self):
        return [(d, b) for _, d, b in self.sent if d['type'] == 'batch']


def hello(**kw):
    data = {'type': 'hello', 'protocol': 1, 'experimentId': None, 'notebook': 'nb.ipynb'}
    data.update(kw)
    return {'content': {'data': data}}


def points(batches):
    """name -> [(step, value, time)] from batches, in order."""
    out = {}
    for d, bufs in batches:
        for it in d['items']:
            if it['kind'] != 'metrics':
                continue
            vs, ss, ts = f64s(bufs[it['values']]), f64s(bufs[it['steps']]), f64s(bufs[it['times']])
            assert len(vs) == len(ss) == len(ts) == it['count']
            out.setdefault(it['name'], []).extend(zip(ss, vs, ts))
    return out


def wait_for(cond, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.01)
    return cond()


def max_per_window(times, window=1.0):
    best, j = 0, 0
    for i in range(len(times)):
        while times[i] - times[j] > window:
            j += 1
        best = max(best, i - j + 1)
    return best


class ClientTestCase(unittest.TestCase):
    def make(self, start=True, **options):
        c = lb.Client(lb.Options(**options), start=start)
        self.addCleanup(c.shutdown)
        return c


class BatchingTest(ClientTestCase):
    def test_a_slow_loop_sends_about_one_batch_a_second_not_one_per_point(self):
        # A training loop logging every 50 ms for 2 s: each batch becomes a
        # file in the store, so 40 points must not make 40 batches.
        c = self.make()
        comm = FakeComm()
        c.attach(comm, hello())
        for i in range(40):
            c.log('loss', 1.0 / (i + 1), step=i)
            time.sleep(0.05)
        self.assertTrue(wait_for(lambda: len(points(comm.batches()).get('loss', [])) == 40, timeout=5))
        with_points = [d for d, _ in comm.batches() if any(it['kind'] == 'metrics' for it in d['items'])]
        self.assertLessEqual(len(with_points), 4)
        # ... and what is logged is sent within about that second.
        c.log('loss', 0.0, step=40)
        t = time.monotonic()
        self.assertTrue(wait_for(lambda: len(points(comm.batches())['loss']) == 41, timeout=5))
        self.assertLess(time.monotonic() - t, 1.6)

    def test_what_a_cell_logged_is_sent_when_the_cell_ends(self):
        class Events(object):
            callbacks = {}

            def register(self, name, fn):
                self.callbacks.setdefault(name, []).append(fn)

        class Shell(object):
            events = Events()
            parent_header = {'header': {'msg_id': 'cell-1'}}

        shell = Shell()
        c = lb.Client(lb.Options(build_interval=30.0), shell=shell)
        self.addCleanup(c.shutdown)
        comm = FakeComm()
        c.attach(comm, hello())
        time.sleep(0.2)
        c.log('acc', 0.5, step=1)
        time.sleep(0.3)
        self.assertEqual(points(comm.batches()), {})  # the cell is still running
        for fn in shell.events.callbacks['post_run_cell']:
            fn(None)
        self.assertTrue(wait_for(lambda: 'acc' in points(comm.batches()), timeout=0.5))

    def test_many_log_calls_are_batched_under_the_rate_and_all_delivered(self):
        c = self.make()
        comm = FakeComm()
        c.attach(comm, hello())
        n = 100000
        for i in range(n):
            c.log({'loss': 1.0 / (i + 1), 'acc': i % 7}, step=i)
        self.assertTrue(wait_for(lambda: sum(len(v) for v in points(comm.batches()).values()) >= 2 * n))
        got = points(comm.batches())
        self.assertEqual([p[0] for p in got['loss']], [float(i) for i in range(n)])
        self.assertEqual([p[1] for p in got['loss']], [1.0 / (i + 1) for i in range(n)])
        self.assertEqual([p[1] for p in got['acc']], [float(i % 7) for i in range(n)])
        times = [t for t, _, _ in comm.sent]
        self.assertLessEqual(max_per_window(times), 21)
        # Far fewer messages than calls, each within the batch budget.
        self.assertLess(len(comm.sent), 50)
        for _, d, bufs in comm.sent:
            self.assertLessEqual(sum(len(b) for b in bufs), lb.Options().batch_bytes)

    def test_seq_numbers_are_contiguous_from_one(self):
        c = self.make(batch_bytes=4096)
        comm = FakeComm()
        c.attach(comm, hello())
        for i in range(2000):
            c.log('x', i)
        self.assertTrue(wait_for(lambda: len(points(comm.batches()).get('x', [])) == 2000))
        seqs = [d['seq'] for d, _ in comm.batches()]
        self.assertEqual(seqs, list(range(1, len(seqs) + 1)))
        self.assertGreater(len(seqs), 5)  # 48 kB of points in 4 kB batches
        self.assertEqual(comm.sent[0][1]['type'], 'ready')

    def test_auto_steps_count_per_metric(self):
        c = self.make(start=False)
        c.log('a', 1)
        c.log('a', 2)
        c.log('b', 3)
        c.log('a', 4, step=10)
        c.log('a', 5)
        c._build()
        comm = FakeComm()
        c.attach(comm, hello())
        c.flush(1)
        got = points(comm.batches())
        self.assertEqual([p[0] for p in got['a']], [0, 1, 10, 11])
        self.assertEqual([p[0] for p in got['b']], [0])

    def test_logging_before_the_frontend_connects_is_kept(self):
        c = self.make()
        for i in range(500):
            c.log('early', i)
        c.log_params({'lr': 0.1})
        time.sleep(0.2)
        comm = FakeComm()
        c.attach(comm, hello())
        self.assertTrue(wait_for(lambda: len(points(comm.batches()).get('early', [])) == 500))
        kinds = [it['kind'] for d, _ in comm.batches() for it in d['items']]
        self.assertIn('params', kinds)


class ReplayTest(ClientTestCase):
    def test_reconnect_replays_unacknowledged_batches_in_order(self):
        c = self.make(batch_bytes=2048)
        first = FakeComm()
        c.attach(first, hello())
        for i in range(300):
            c.log('m', i)
        self.assertTrue(wait_for(lambda: len(points(first.batches()).get('m', [])) == 300))
        seqs = [d['seq'] for d, _ in first.batches()]
        acked = seqs[len(seqs) // 2]
        first.frontend_says({'type': 'ack', 'seq': acked, 'session': c.session})
        # The page reloads: a new comm opens.
        second = FakeComm()
        c.attach(second, hello(experimentId='exp-1'))
        self.assertTrue(wait_for(lambda: second.batches() and second.batches()[-1][0]['seq'] == seqs[-1]))
        ready = second.sent[0][1]
        self.assertEqual(ready['type'], 'ready')
        self.assertEqual(ready['firstSeq'], acked + 1)
        self.assertEqual(ready['lastSeq'], seqs[-1])
        replayed = [d['seq'] for d, _ in second.batches()]
        self.assertEqual(replayed, list(range(acked + 1, seqs[-1] + 1)))
        # Replayed values are those of the batches not acknowledged.
        self.assertEqual(
            points(second.batches())['m'],
            [p for p in points(first.batches())['m']][-len(points(second.batches())['m']):]
        )
        self.assertEqual(c.experiment()['experimentId'], 'exp-1')
        self.assertEqual(len(first.sent), len(first.sent))  # first comm no longer used
        n_first = len(first.sent)
        c.log('m', 1000)
        self.assertTrue(wait_for(lambda: len(points(second.batches())['m']) > 0 and points(second.batches())['m'][-1][1] == 1000))
        self.assertEqual(len(first.sent), n_first)

    def test_backlog_drains_while_the_loop_keeps_logging(self):
        c = self.make(batch_bytes=1024, idle_build_interval=0.01)
        for i in range(4000):  # ~100 small batches while disconnected
            c.log('m', i)
            if i % 40 == 0:
                time.sleep(0.002)
        c.flush(0)
        backlog = c._seq
        self.assertGreater(backlog, 50)
        comm = FakeComm()
        c.options.max_rate = 100
        c.attach(comm, hello())
        # About 7 s on an idle 2-core machine (the drain is rate-limited):
        # the limit is what a starved backlog never reaches.
        stop = time.monotonic() + 20
        i = 4000
        while time.monotonic() < stop and not (comm.batches() and comm.batches()[-1][0]['seq'] >= backlog + 3):
            c.log('m', i)
            i += 1
            time.sleep(0.001)
        self.assertGreaterEqual(comm.batches()[-1][0]['seq'], backlog + 3)

    def test_ack_of_everything_empties_the_buffer(self):
        c = self.make()
        comm = FakeComm()
        c.attach(comm, hello())
        for i in range(1000):
            c.log('m', i)
        self.assertTrue(wait_for(lambda: len(points(comm.batches()).get('m', [])) == 1000))
        self.assertGreater(c.experiment()['unacknowledged'], 0)
        comm.frontend_says({'type': 'ack', 'seq': comm.batches()[-1][0]['seq']})
        info = c.experiment()
        self.assertEqual(info['unacknowledged'], 0)
        self.assertEqual(info['memoryBytes'], 0)
        # A later comm gets only the ready message.
        again = FakeComm()
        c.attach(again, hello())
        self.assertTrue(wait_for(lambda: len(again.sent) == 1))
        time.sleep(0.2)
        self.assertEqual([d['type'] for _, d, _ in again.sent], ['ready'])
        self.assertIsNone(again.sent[0][1]['firstSeq'])

    def test_ack_from_another_session_is_ignored(self):
        c = self.make()
        comm = FakeComm()
        c.attach(comm, hello())
        c.log('m', 1)
        self.assertTrue(wait_for(lambda: comm.batches()))
        comm.frontend_says({'type': 'ack', 'seq': 99, 'session': 'someone-else'})
        self.assertEqual(c.experiment()['unacknowledged'], 1)

    def test_closed_comm_stops_sending_and_data_waits(self):
        c = self.make()
        comm = FakeComm()
        c.attach(comm, hello())
        comm.close_cb({})
        c.log('m', 1)
        time.sleep(0.3)
        self.assertEqual(comm.batches(), [])
        self.assertFalse(c.experiment()['connected'])


class SpillTest(ClientTestCase):
    def test_memory_stays_bounded_while_unacknowledged_and_replay_reads_the_spill(self):
        limit = 256 * 1024
        c = self.make(memory_limit=limit, batch_bytes=32 * 1024, idle_build_interval=0.05)
        n = 200000  # 4.8 MB of points, none acknowledged
        for i in range(n):
            c.log('big', i * 0.5)
        c.flush(0)  # build what is pending
        outbox = c._outbox
        self.assertLessEqual(outbox.peak_memory_bytes, limit + 64 * 1024)
        self.assertGreater(outbox.spilled_bytes, 4 * 1024 * 1024)
        comm = FakeComm()
        # Faster rate so the test is quick; the replay reads back from disk.
        c.options.max_rate = 500
        c.attach(comm, hello())
        self.assertTrue(wait_for(lambda: len(points(comm.batches()).get('big', [])) == n, 30))
        self.assertEqual([p[1] for p in points(comm.batches())['big']], [i * 0.5 for i in range(n)])
        comm.frontend_says({'type': 'ack', 'seq': comm.batches()[-1][0]['seq']})
        self.assertEqual(outbox.spilled_bytes, 0)

    def test_spill_file_over_its_limit_drops_oldest_with_a_warning(self):
        ob = lb.Outbox(memory_limit=1000, spill_limit=5000)
        self.addCleanup(ob.close)
        for seq in range(1, 41):
            ob.add(seq, {'type': 'batch', 'seq': seq}, [b'x' * 500])
        self.assertGreater(ob.dropped, 0)
        self.assertLessEqual(ob.spilled_bytes, 5000)
        self.assertEqual(ob.first, ob.dropped + 1)
        msg, bufs = ob.get(ob.first)
        self.assertEqual(msg['seq'], ob.first)
        self.assertEqual(bytes(bufs[0]), b'x' * 500)

    def test_client_warns_about_dropped_batches(self):
        c = self.make(start=False, memory_limit=1000, spill_limit=3000, batch_bytes=600)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter('always')
            for i in range(2000):
                c.log('m', i)
            c._build()
        self.assertTrue(any('dropped' in str(x.message) for x in w))


class ValuesTest(ClientTestCase):
    def logged(self, c):
        comm = FakeComm()
        c.attach(comm, hello())
        c.flush(2)
        return comm

    def test_nan_and_infinities_survive(self):
        c = self.make(start=False)
        c.log({'x': float('nan'), 'y': float('inf')})
        c.log('y', float('-inf'))
        got = points(self.logged(c).batches())
        self.assertTrue(math.isnan(got['x'][0][1]))
        self.assertEqual([p[1] for p in got['y']], [math.inf, -math.inf])

    @unittest.skipIf(np is None, 'numpy not installed')
    def test_numpy_values(self):
        c = self.make(start=False)
        c.log({
            'f32': np.float32(0.25),
            'i64': np.int64(7),
            'b': np.bool_(True),
            'zero_d': np.array(3.5),
            'one': np.array([4.5]),
            'nan32': np.float32('nan')
        }, step=np.int32(3))
        got = points(self.logged(c).batches())
        self.assertEqual(got['f32'][0][:2], (3.0, 0.25))
        self.assertEqual(got['i64'][0][1], 7.0)
        self.assertEqual(got['b'][0][1], 1.0)
        self.assertEqual(got['zero_d'][0][1], 3.5)
        self.assertEqual(got['one'][0][1], 4.5)
        self.assertTrue(math.isnan(got['nan32'][0][1]))

    def test_non_numeric_values_are_refused_with_a_warning_and_others_kept(self):
        c = self.make(start=False)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter('always')
            args = {'ok': 1, 'text': 'high', 'cplx': 1j, 'lst': [1, 2]}
            if np is not None:
                args['vec'] = np.array([1.0, 2.0])
            c.log(args)
        got = points(self.logged(c).batches())
        self.assertEqual(list(got), ['ok'])
        messages = ' '.join(str(x.message) for x in w)
        for name in ('text', 'cplx', 'lst'):
            self.assertIn(repr(name), messages)
        self.assertTrue(all(issubclass(x.category, lb.LabbookWarning) for x in w))

    def test_odd_metric_names_are_data(self):
        c = self.make(start=False)
        name = '<img src=x onerror=alert(1)> / ../ \u00e9\U0001F600'
        c.log(name, 1)
        got = points(self.logged(c).batches())
        self.assertEqual(list(got), [name])

    def test_params_keep_json_values_and_repr_the_rest(self):
        c = self.make(start=False)
        c.log_params({'lr': 1e-3, 'layers': [64, 64], 'opt': {'name': 'adam'}, 'nan': float('nan'), 'fn': len})
        if np is not None:
            c.log_params({'arr': np.arange(3), 'f': np.float64(0.5)})
        items = [it for d, _ in self.logged(c).batches() for it in d['items'] if it['kind'] == 'params']
        self.assertEqual(items[0]['params'], {'lr': 1e-3, 'layers': [64, 64], 'opt': {'name': 'adam'}})
        self.assertEqual(items[0]['reprs']['nan'], 'nan')
        self.assertIn('len', items[0]['reprs']['fn'])
        if np is not None:
            self.assertEqual(items[1]['params'], {'arr': [0, 1, 2], 'f': 0.5})

    def test_text_tags_note_name_items(self):
        c = self.make(start=False)
        c.log_text('sample', '<b>not html</b>', step=2)
        c.tags(('a', ['b', 'c']))
        c.note('hello')
        c.set_name('run 1')
        items = [it for d, _ in self.logged(c).batches() for it in d['items']]
        by = dict((it['kind'], it) for it in items)
        self.assertEqual(by['text']['text'], '<b>not html</b>')
        self.assertEqual(by['text']['step'], 2)
        self.assertEqual(by['tags']['tags'], ['a', 'b', 'c'])
        self.assertEqual(by['note']['text'], 'hello')
        self.assertEqual(by['name']['name'], 'run 1')
        self.assertEqual(c.experiment()['name'], 'run 1')

    def test_long_text_is_cut(self):
        c = self.make(start=False, text_max=1000)
        with warnings.catch_warnings(record=True):
            warnings.simplefilter('always')
            c.log_text('t', 'é' * 5000)
        item = [it for d, _ in self.logged(c).batches() for it in d['items']][0]
        self.assertTrue(item['truncated'])
        self.assertLessEqual(len(item['text'].encode('utf-8')), 1000)

    def test_parent_execution_is_attached(self):
        class Shell(object):
            parent_header = {'header': {'msg_id': 'exec-42'}}

        c = lb.Client(lb.Options(), shell=Shell(), start=False)
        self.addCleanup(c.shutdown)
        c.log('m', 1)
        c.log_text('t', 'x')
        items = [it for d, _ in self.logged(c).batches() for it in d['items']]
        self.assertEqual(set(it['parent'] for it in items), {'exec-42'})


class ImageTest(ClientTestCase):
    def images(self, c):
        comm = FakeComm()
        c.attach(comm, hello())
        c.flush(2)
        found = {}
        for d, bufs in comm.batches():
            for it in d['items']:
                if it['kind'] == 'image':
                    found.setdefault(it['id'], []).append((it, bytes(bufs[it['buffer']])))
        return [(chunks[0][0], b''.join(b for _, b in chunks)) for chunks in found.values()]

    def decode(self, png):
        return np.asarray(Image.open(io.BytesIO(png)))

    @unittest.skipIf(np is None or Image is None, 'numpy and PIL needed')
    def test_numpy_arrays_become_pngs_with_their_pixels(self):
        c = self.make(start=False)
        gray = np.arange(12, dtype=np.uint8).reshape(3, 4) * 20
        rgb = np.zeros((2, 5, 3), dtype=np.float32)
        rgb[0, :, 0] = 1.0
        rgba = np.full((2, 2, 4), 128, dtype=np.int64)
        chw = np.zeros((3, 6, 7), dtype=np.uint8)
        for name, a in (('gray', gray), ('rgb', rgb), ('rgba', rgba), ('chw', chw)):
            c.log_image(name, a, caption='c-' + name)
        got = dict((it['name'], (it, data)) for it, data in self.images(c))
        self.assertTrue((self.decode(got['gray'][1]) == gray).all())
        dec = self.decode(got['rgb'][1])
        self.assertEqual(dec.shape, (2, 5, 3))
        self.assertEqual(dec[0, 0].tolist(), [255, 0, 0])
        self.assertEqual(self.decode(got['rgba'][1]).shape, (2, 2, 4))
        self.assertEqual((got['chw'][0]['width'], got['chw'][0]['height']), (7, 6))
        self.assertEqual(got['gray'][0]['caption'], 'c-gray')

    @unittest.skipIf(Image is None, 'PIL needed')
    def test_bytes_path_pil_and_figure(self):
        c = self.make(start=False)
        img = Image.new('RGB', (9, 4), (0, 128, 255))
        buf = io.BytesIO()
        img.save(buf, format='PNG')
        png = buf.getvalue()
        jbuf = io.BytesIO()
        img.save(jbuf, format='JPEG')
        with tempfile.NamedTemporaryFile(suffix='.png', delete=False) as f:
            f.write(png)
        self.addCleanup(os.unlink, f.name)
        c.log_image('bytes', png, 7)  # the third argument is the step, as in the API
        c.log_image('jpeg', jbuf.getvalue())
        c.log_image('path', f.name)
        c.log_image('pil', img)
        try:
            import matplotlib

            matplotlib.use('Agg')
            import matplotlib.pyplot as plt

            fig = plt.figure(figsize=(2, 1))
            plt.plot([1, 2, 3])
            c.log_image('figure', fig)
            plt.close(fig)
        except ImportError:  # pragma: no cover
            pass
        got = dict((it['name'], (it, data)) for it, data in self.images(c))
        self.assertEqual(got['bytes'][1], png)
        self.assertEqual((got['bytes'][0]['step'], got['bytes'][0]['caption']), (7, None))
        self.assertEqual(got['path'][1], png)
        self.assertEqual(got['jpeg'][0]['mime'], 'image/jpeg')
        self.assertEqual((got['pil'][0]['width'], got['pil'][0]['height']), (9, 4))
        if 'figure' in got:
            self.assertTrue(got['figure'][1].startswith(b'\x89PNG'))

    def test_large_images_travel_in_ordered_chunks(self):
        c = self.make(start=False, image_chunk=1000, batch_bytes=2500)
        payload = b'\x89PNG\r\n\x1a\n' + os.urandom(5500)
        c.log_image('big', payload)
        comm = FakeComm()
        c.attach(comm, hello())
        c.flush(2)
        chunks = [(it, bytes(bufs[it['buffer']])) for d, bufs in comm.batches() for it in d['items']]
        self.assertEqual([it['chunk'] for it, _ in chunks], list(range(6)))
        self.assertTrue(all(it['chunks'] == 6 and it['size'] == len(payload) for it, _ in chunks))
        self.assertEqual(b''.join(b for _, b in chunks), payload)
        self.assertGreater(len(comm.batches()), 1)

    def test_unknown_images_are_refused(self):
        c = self.make(start=False)
        with self.assertRaises(TypeError):
            c.log_image('x', object())
        with self.assertRaises(ValueError):
            c.log_image('x', b'not an image')


class NeverRaisesTest(unittest.TestCase):
    def test_public_api_warns_instead_of_raising(self):
        mod = load_module()
        self.addCleanup(mod._shutdown)
        calls = [
            lambda: mod.log(None),
            lambda: mod.log('x'),
            lambda: mod.log('x', 'y'),
            lambda: mod.log({'': 1}),
            lambda: mod.log('x', 1, step='ten'),
            lambda: mod.log('x', 1, step=float('nan')),
            lambda: mod.log_params(5),
            lambda: mod.log_image('x', object()),
            lambda: mod.log_image('x', '/no/such/file.png'),
            lambda: mod.log_text('', 'x'),
            lambda: mod.tags(''),
            lambda: mod.log_input('/no/such/file', 'data'),
            lambda: mod.set_name(''),
        ]
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter('always')
            for call in calls:
                self.assertIsNone(call())
        self.assertGreaterEqual(len(w), len(calls) - 2)
        self.assertTrue(all(issubclass(x.category, mod.LabbookWarning) for x in w))
        # Warnings point at the caller, not at labbook's internals.
        self.assertTrue(all(x.filename == __file__ for x in w if 'log(' in str(x.message)))

    def test_failing_comm_keeps_data_for_replay(self):
        c = lb.Client(lb.Options())
        self.addCleanup(c.shutdown)
        bad = FakeComm(fail=True)
        with warnings.catch_warnings(record=True):
            warnings.simplefilter('always')
            c.attach(bad, hello())
            for i in range(100):
                c.log('m', i)
            time.sleep(0.3)
        good = FakeComm()
        c.attach(good, hello())
        self.assertTrue(wait_for(lambda: len(points(good.batches()).get('m', [])) == 100))

    def test_bad_frontend_messages_are_ignored(self):
        c = lb.Client(lb.Options(), start=False)
        self.addCleanup(c.shutdown)
        comm = FakeComm()
        c.attach(comm, {'content': {}})
        with warnings.catch_warnings(record=True):
            warnings.simplefilter('always')
            comm.frontend_says({'type': 'ack', 'seq': 'x'})
            comm.msg_cb({'no': 'content'})
        comm.frontend_says({'type': 'unknown'})


class DisplayTest(unittest.TestCase):
    def test_display_emits_the_experiment_bundle(self):
        import IPython.display

        shown = []
        orig = IPython.display.display
        IPython.display.display = lambda obj, **kw: shown.append((obj, kw))
        self.addCleanup(setattr, IPython.display, 'display', orig)
        c = lb.Client(lb.Options(), start=False)
        self.addCleanup(c.shutdown)
        comm = FakeComm()
        c.attach(comm, hello(experimentId='exp-7', notebook='a/b.ipynb', name='<script>x</script>'))
        c.display()
        bundle, kw = shown[0]
        self.assertTrue(kw['raw'])
        data = bundle[lb.MIME_TYPE]
        self.assertEqual((data['experimentId'], data['notebook']), ('exp-7', 'a/b.ipynb'))
        self.assertIn('text/plain', bundle)
        self.assertNotIn('<script>', bundle['text/html'])
        c.flush(1)
        items = [it for d, _ in comm.batches() for it in d['items']]
        self.assertEqual(items[0]['kind'], 'display')
        self.assertEqual(items[0]['displayId'], data['displayId'])


class InputAndEnvironmentTest(unittest.TestCase):
    def test_describe_input(self):
        with tempfile.NamedTemporaryFile(delete=False) as f:
            f.write(b'abc')
        self.addCleanup(os.unlink, f.name)
        info = lb._describe_input('d', f.name, 1000)
        self.assertEqual(info['size'], 3)
        self.assertEqual(info['hash'], 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
        self.assertTrue(info['mtime'].endswith('Z'))
        capped = lb._describe_input('d', f.name, 2)
        self.assertIsNone(capped['hash'])
        self.assertIn('hash limit', capped['note'])
        self.assertEqual(lb._describe_input('u', 's3://bucket/x', 10)['note'], 'URL not fetched')
        self.assertIn('unreadable', lb._describe_input('m', '/no/such', 10)['note'])

    def test_start_and_end_travel_alone_between_what_was_logged_before_and_after(self):
        c = lb.Client(lb.Options())
        self.addCleanup(c.shutdown)
        c.log('loss', 1.0, step=0)
        c.start('run <2>')
        c.log('loss', 2.0, step=0)
        c.end()
        c.log('loss', 3.0, step=1)
        comm = FakeComm()
        c.attach(comm, hello())
        c.flush(2)
        kinds = []
        for d, _ in comm.batches():
            kinds.append([it['kind'] for it in d['items']])
        self.assertEqual(kinds, [['metrics'], ['start'], ['metrics'], ['end'], ['metrics']])
        start = [it for d, _ in comm.batches() for it in d['items'] if it['kind'] == 'start'][0]
        self.assertEqual(start['name'], 'run <2>')
        with self.assertRaises(ValueError):
            c.end('done')

    def test_log_input_is_sent_in_the_background(self):
        c = lb.Client(lb.Options())
        self.addCleanup(c.shutdown)
        comm = FakeComm()
        c.attach(comm, hello())
        c.log_input(MODULE_PATH, 'train')
        c.log_input('https://example.org/data/set.csv?v=2')

        def inputs():
            return [it['input'] for d, _ in comm.batches() for it in d['items'] if it['kind'] == 'input']

        self.assertTrue(wait_for(lambda: len(inputs()) == 2))
        names = sorted(i['name'] for i in inputs())
        self.assertEqual(names, ['set.csv', 'train'])  # the name defaults to the file name

    def test_environment_is_collected_best_effort(self):
        env = lb.collect_environment()
        json.dumps(env, allow_nan=False)
        self.assertEqual(env['python']['version'].split('.')[0], '3')
        self.assertGreater(len(env.get('packages', {})), 0)
        self.assertIn('cpu', env)

    def test_environment_has_the_shape_the_store_and_compare_read(self):
        """collect_environment in a dirty git repository validates against
        docs/store-schemas/labbook-environment.schema.json (what the store
        documents and src/core/compare/envdiff.ts reads)."""
        import shutil
        import subprocess

        if shutil.which('git') is None:
            self.skipTest('git is not installed')
        repo = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, repo, True)

        def git(*args):
            return subprocess.run(
                ['git', '-c', 'user.name=t', '-c', 'user.email=t@example.com', *args],
                cwd=repo, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
            ).stdout.strip()

        git('init', '-q', '-b', 'trunk')
        git('remote', 'add', 'origin', 'https://user:secret@example.com/r.git')
        with open(os.path.join(repo, 'train.py'), 'w') as f:
            f.write('lr = 0.1\n')
        git('add', 'train.py')
        git('commit', '-q', '-m', 'first')
        with open(os.path.join(repo, 'train.py'), 'w') as f:
            f.write('lr = 0.3\n')
        cwd = os.getcwd()
        os.chdir(repo)
        self.addCleanup(os.chdir, cwd)
        env = lb.collect_environment()
        env = json.loads(json.dumps(env, allow_nan=False))

        g = env['git']
        self.assertEqual(os.path.realpath(g['root']), os.path.realpath(repo))
        self.assertEqual(g['commit'], git('rev-parse', 'HEAD'))
        self.assertEqual(g['branch'], 'trunk')
        self.assertIs(g['dirty'], True)
        self.assertIn('+lr = 0.3', g['diff'])
        self.assertEqual(g['remotes'], [{'name': 'origin', 'url': 'https://example.com/r.git'}])
        # Packages: normalised name -> version string, as the diff compares them.
        self.assertIsInstance(env['packages'], dict)
        for name, version in env['packages'].items():
            self.assertRegex(name, r'^[a-z0-9]+(-[a-z0-9]+)*$')
            self.assertIsInstance(version, str)
        for key in ('python', 'platform', 'cpu', 'memory'):
            self.assertIn(key, env)
        self.assertEqual(env.get('errors', []), [])

        os.chdir(tempfile.gettempdir())
        self.assertIsNone(lb.collect_environment()['git'])  # not in a repository

        try:
            import jsonschema
        except ImportError:  # pragma: no cover
            return
        schemas = os.path.join(HERE, '..', '..', 'docs', 'store-schemas')
        with open(os.path.join(schemas, 'common.schema.json')) as f:
            common = json.load(f)['definitions']
        with open(os.path.join(schemas, 'labbook-environment.schema.json')) as f:
            schema = json.load(f)

        def inline(node):
            if isinstance(node, dict):
                ref = node.get('$ref', '')
                if ref.startswith('common.schema.json#/definitions/'):
                    return common[ref.rsplit('/', 1)[1]]
                return {k: inline(v) for k, v in node.items()}
            if isinstance(node, list):
                return [inline(v) for v in node]
            return node

        jsonschema.validate(
            {'format': 'labbook-environment', 'version': 1, 'writer': 'abcd1234', 'environment': env},
            inline(schema)
        )

    def test_git_remote_credentials_are_stripped(self):
        self.assertEqual(
            lb._strip_credentials('https://user:token@example.com/r.git'), 'https://example.com/r.git'
        )
        self.assertEqual(lb._strip_credentials('git@github.com:a/b.git'), 'git@github.com:a/b.git')


class InjectionTest(unittest.TestCase):
    def code(self, source):
        with open(INJECT_PATH) as f:
            template = f.read()
        return template.replace('__LABBOOK_HELLO__)', 'None)').replace('__LABBOOK_SOURCE__)', json.dumps(source) + ')')

    def test_injection_defines_the_module_once_and_keeps_state(self):
        with open(MODULE_PATH) as f:
            source = f.read()
        saved = sys.modules.pop('labbook', None)
        self.addCleanup(lambda: sys.modules.pop('labbook', None) if saved is None else sys.modules.__setitem__('labbook', saved))
        ns = {}
        exec(self.code(source), ns)
        self.assertNotIn('_labbook_install', ns)
        import labbook

        labbook.log('m', 1)
        client = labbook._client
        exec(self.code(source), {})
        self.assertIs(sys.modules['labbook'], labbook)
        self.assertIs(labbook._client, client)
        exec(self.code(source + '\n# changed\n'), {})
        self.assertIsNot(sys.modules['labbook'], labbook)
        self.assertIsNone(labbook._client)  # old one shut down
        sys.modules['labbook']._shutdown()


if __name__ == '__main__':
    unittest.main()

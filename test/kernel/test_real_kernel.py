"""End-to-end test of the labbook module in a real ipykernel.

Starts a kernel with jupyter_client, defines the module with the injection
snippet the frontend uses, opens the `labbook` comm from the client side as
the frontend does, runs a logging loop and checks what arrives on IOPub.
"""

import json
import os
import queue
import struct
import time
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, '..', '..', 'src', 'kernel')

try:
    from jupyter_client.manager import KernelManager
    import ipykernel  # noqa: F401
except ImportError:  # pragma: no cover
    KernelManager = None


def injection_code():
    with open(os.path.join(SRC, 'labbook.py')) as f:
        source = f.read()
    with open(os.path.join(SRC, 'inject.py')) as f:
        template = f.read()
    return template.replace('__LABBOOK_HELLO__)', 'None)').replace('__LABBOOK_SOURCE__)', json.dumps(source) + ')')


def f64s(b):
    b = bytes(b)
    return struct.unpack('<%dd' % (len(b) // 8), b)


@unittest.skipIf(KernelManager is None, 'jupyter_client and ipykernel needed')
class RealKernelTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km = KernelManager(kernel_name='python3')
        cls.km.start_kernel(cwd=HERE, env=dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION='1'))
        cls.kc = cls.km.client()
        cls.kc.start_channels()
        cls.kc.wait_for_ready(timeout=60)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def execute(self, code, silent=False, timeout=60):
        msg_id = self.kc.execute(code, silent=silent, store_history=not silent)
        reply = self.kc.get_shell_msg(timeout=timeout)
        while reply['parent_header'].get('msg_id') != msg_id:
            reply = self.kc.get_shell_msg(timeout=timeout)
        self.assertEqual(reply['content']['status'], 'ok', reply['content'])
        return msg_id

    def open_comm(self, comm_id, data):
        msg = self.kc.session.msg(
            'comm_open', {'comm_id': comm_id, 'target_name': 'labbook', 'data': data}
        )
        self.kc.shell_channel.send(msg)

    def comm_msg(self, comm_id, data):
        msg = self.kc.session.msg('comm_msg', {'comm_id': comm_id, 'data': data})
        self.kc.shell_channel.send(msg)

    def collect(self, comm_id, until, timeout=60):
        """IOPub comm messages of comm_id (receive time, data, buffers) until until(list)."""
        got = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not until(got):
            try:
                msg = self.kc.get_iopub_msg(timeout=0.5)
            except queue.Empty:
                continue
            if msg['msg_type'] == 'comm_msg' and msg['content']['comm_id'] == comm_id:
                got.append((time.monotonic(), msg['content']['data'], msg.get('buffers') or []))
        return got

    @staticmethod
    def metric_points(messages):
        out = {}
        for _, data, bufs in messages:
            if data.get('type') != 'batch':
                continue
            for it in data['items']:
                if it['kind'] == 'metrics':
                    pts = zip(f64s(bufs[it['steps']]), f64s(bufs[it['values']]))
                    out.setdefault(it['name'], []).extend((s, v, it['parent']) for s, v in pts)
        return out

    def test_loop_of_logs_arrives_complete_under_the_iopub_rate_and_replays(self):
        self.execute(injection_code(), silent=True)
        comm_id = uuid.uuid4().hex
        self.open_comm(comm_id, {'type': 'hello', 'protocol': 1, 'experimentId': 'e1', 'notebook': 'n.ipynb'})
        n = 10000
        t0 = time.monotonic()
        exec_id = self.execute(
            'import labbook, math\n'
            'for i in range(%d):\n'
            '    labbook.log({"loss": 1 / (i + 1), "acc": i * 0.5}, step=i)\n'
            'labbook.log("gap", math.nan)\n' % n
        )

        def complete(msgs):
            pts = self.metric_points(msgs)
            kinds = set(it['kind'] for _, d, _ in msgs if d['type'] == 'batch' for it in d['items'])
            return len(pts.get('loss', [])) == n and len(pts.get('acc', [])) == n and {'metrics', 'env'} <= kinds

        msgs = self.collect(comm_id, complete)
        elapsed = time.monotonic() - t0
        pts = self.metric_points(msgs)
        self.assertTrue(complete(msgs), dict((k, len(v)) for k, v in pts.items()))
        self.assertEqual([v for _, v, _ in pts['loss']], [1 / (i + 1) for i in range(n)])
        self.assertEqual([s for s, _, _ in pts['acc']], [float(i) for i in range(n)])
        self.assertTrue(all(p == exec_id for _, _, p in pts['loss']), 'linked to the execute_request')
        self.assertNotEqual(pts['gap'][0][1], pts['gap'][0][1])  # NaN survived
        env = [it['env'] for _, d, _ in msgs if d['type'] == 'batch' for it in d['items'] if it['kind'] == 'env']
        self.assertTrue(env[0]['python']['version'].startswith('3.'))
        for _, _, bufs in msgs:
            self.assertLessEqual(sum(len(b) for b in bufs), 1024 * 1024)
        self.assertEqual(msgs[0][1]['type'], 'ready')
        # Rate: far below IOPub's 1,000 msg/s over any one-second window.
        times = [t for t, _, _ in msgs]
        worst = max(sum(1 for u in times if t <= u < t + 1.0) for t in times)
        self.assertLessEqual(worst, 25)
        print('\n  real kernel: %d points in %d comm messages, %.2f s, max %d msg/s'
              % (2 * n + 1, len(msgs), elapsed, worst))

        # Page reload without acks: a new comm gets everything again, in order.
        batches = [d['seq'] for _, d, _ in msgs if d['type'] == 'batch']
        second = uuid.uuid4().hex
        self.open_comm(second, {'type': 'hello', 'protocol': 1, 'experimentId': 'e1', 'notebook': 'n.ipynb'})
        replay = self.collect(second, lambda m: complete(m))
        self.assertEqual([d['seq'] for _, d, _ in replay if d['type'] == 'batch'], batches)

        # Acknowledge all: the kernel's buffer empties.
        self.comm_msg(second, {'type': 'ack', 'seq': batches[-1]})
        self.execute('import labbook\n_lb_info = labbook.experiment()')
        reply = self.kc.execute('_lb_info["unacknowledged"], _lb_info["experimentId"]', store_history=False)
        result = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            msg = self.kc.get_iopub_msg(timeout=5)
            if msg['parent_header'].get('msg_id') == reply and msg['msg_type'] == 'execute_result':
                result = msg['content']['data']['text/plain']
                break
        self.assertEqual(result, "(0, 'e1')")


if __name__ == '__main__':
    unittest.main()

"""Script mode of the labbook module (issue 18): `python train.py` with no
kernel writes its experiment straight into a store folder.

Each test runs a real script in a subprocess (Debian's Python, the module
from src/kernel on PYTHONPATH) and reads the store it wrote: every JSON file
is checked against the schema of its kind (docs/store-schemas, the same ones
the TypeScript store is checked against), and the contents against what the
script logged.

Run with: /usr/bin/python3 -m unittest discover -s test/kernel -p 'test_*.py'
"""

import base64
import glob
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
SRC = os.path.join(ROOT, 'src', 'kernel')
SCHEMAS = os.path.join(ROOT, 'docs', 'store-schemas')
PYTHON = '/usr/bin/python3'

# A 1x1 PNG.
PNG = bytes.fromhex(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489'
    '0000000d4944415478da63f8ffff3f0005fe02fea7d6a4b40000000049454e44ae426082'
)


def _schemas():
    store = {}
    for name in os.listdir(SCHEMAS):
        with open(os.path.join(SCHEMAS, name)) as f:
            schema = json.load(f)
        store[schema['$id']] = schema
        store[name] = schema
    return store


SCHEMA_STORE = _schemas()


def schema_for(rel):
    parts = rel.split('/')
    if rel == 'labbook-store.json':
        return 'labbook-store.schema.json'
    if parts[0] == 'index':
        return 'labbook-index.schema.json'
    if rel.endswith('/experiment.json'):
        return 'labbook-experiment.schema.json'
    if rel.endswith('/environment.json'):
        return 'labbook-environment.schema.json'
    return {
        'edits': 'labbook-edit.schema.json',
        'heartbeat': 'labbook-heartbeat.schema.json',
        'history': 'labbook-history.schema.json',
        'metrics': 'labbook-metrics.schema.json',
        'texts': 'labbook-texts.schema.json',
        'images': 'labbook-images.schema.json',
        'inputs': 'labbook-inputs.schema.json',
    }[parts[2]]


def validate_store(test, store):
    """Every file of the store is valid for its schema; no temporary file is left."""
    checked = 0
    for path in glob.glob(os.path.join(store, '**', '*'), recursive=True):
        if os.path.isdir(path):
            continue
        rel = os.path.relpath(path, store).replace(os.sep, '/')
        test.assertFalse(os.path.basename(rel).startswith('.'), 'a temporary file is left: %s' % rel)
        if rel.split('/')[2:3] == ['image-parts']:
            continue
        name = schema_for(rel)
        schema = SCHEMA_STORE[name]
        with open(path) as f:
            value = json.load(f)
        resolver = jsonschema.RefResolver.from_schema(schema, store=SCHEMA_STORE)
        try:
            jsonschema.Draft7Validator(schema, resolver=resolver).validate(value)
        except jsonschema.ValidationError as e:
            test.fail('%s does not match %s: %s' % (rel, name, e.message))
        checked += 1
    return checked


def read_json(path):
    with open(path) as f:
        return json.load(f)


def f64(text):
    raw = base64.b64decode(text)
    return list(struct.unpack('<%dd' % (len(raw) // 8), raw))


def folded(folder):
    """experiment.json with its edits applied in (time, name) order."""
    e = read_json(os.path.join(folder, 'experiment.json'))['experiment']
    edits = []
    for p in glob.glob(os.path.join(folder, 'edits', '*.json')):
        v = read_json(p)
        edits.append((v['time'], os.path.basename(p), v['set']))
    for _, _, s in sorted(edits):
        params = dict(e.get('params') or {})
        params.update(s.pop('params', {}))
        e.update(s)
        e['params'] = params
    return e


class ScriptModeTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='labbook-script-')
        self.store = os.path.join(self.dir, 'labbook')

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def script(self, body, name='train.py'):
        path = os.path.join(self.dir, name)
        with open(path, 'w') as f:
            f.write(textwrap.dedent(body))
        return path

    def env(self, **extra):
        env = dict(os.environ)
        env.update(PYTHONPATH=SRC, LABBOOK_QUIET='1', LABBOOK_STORE=self.store)
        env.pop('LABBOOK_STORE' if extra.pop('no_store', False) else '', None)
        env.update(extra)
        return env

    def run_script(self, path, *args, cwd=None, **env):
        return subprocess.run(
            [PYTHON, path] + list(args), cwd=cwd or self.dir, env=self.env(**env),
            capture_output=True, text=True, timeout=120
        )

    def experiments(self):
        return sorted(glob.glob(os.path.join(self.store, 'experiments', '*')))

    def test_a_finished_run_holds_everything_logged_in_the_store_format(self):
        data = os.path.join(self.dir, 'data.csv')
        with open(data, 'w') as f:
            f.write('a,b\n1,2\n')
        path = self.script('''
            import labbook
            labbook.log_params({"lr": 0.001, "layers": 4, "opt": object()})
            labbook.tags("baseline", "cpu")
            labbook.note("first try")
            for i in range(1000):
                labbook.log({"loss": 1.0 / (i + 1), "acc": i / 1000.0}, step=i)
            labbook.log("gap", float("nan"))
            labbook.log_text("summary", "<b>not html</b>", step=999)
            labbook.log_image("sample", bytes.fromhex(%r), step=3, caption="a pixel")
            labbook.log_input(%r)
        ''' % (PNG.hex(), data))
        done = self.run_script(path, '--lr', '0.001')
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertGreater(validate_store(self, self.store), 10)
        [folder] = self.experiments()
        e = folded(folder)
        self.assertEqual(e['status'], 'finished')
        self.assertIsNotNone(e['ended'])
        self.assertEqual(e['notebook'], 'train.py')
        self.assertEqual(e['script']['argv'], [path, '--lr', '0.001'])
        self.assertEqual(e['script']['path'], path)
        self.assertEqual(e['tags'], ['baseline', 'cpu'])
        self.assertEqual(e['notes'], 'first try')
        self.assertEqual(e['params']['lr'], 0.001)
        self.assertEqual(e['params']['layers'], 4)
        self.assertTrue(e['params']['opt']['source'].startswith('<object object'))

        series = {}
        for p in sorted(glob.glob(os.path.join(folder, 'metrics', '*.json'))):
            for s in read_json(p)['series']:
                got = series.setdefault(s['name'], ([], []))
                got[0].extend(f64(s['steps']))
                got[1].extend(f64(s['values']))
        self.assertEqual(series['loss'][0], [float(i) for i in range(1000)])
        self.assertEqual(series['loss'][1], [1.0 / (i + 1) for i in range(1000)])
        self.assertEqual(len(series['gap'][1]), 1)
        self.assertNotEqual(series['gap'][1][0], series['gap'][1][0])  # NaN kept

        [texts] = [read_json(p)['texts'] for p in glob.glob(os.path.join(folder, 'texts', '*.json'))]
        self.assertEqual(texts[0]['text'], '<b>not html</b>')
        [images] = [read_json(p)['images'] for p in glob.glob(os.path.join(folder, 'images', '*.json'))]
        self.assertEqual((images[0]['name'], images[0]['width'], images[0]['caption']), ('sample', 1, 'a pixel'))
        with open(os.path.join(folder, 'image-parts', images[0]['id'] + '-0.bin'), 'rb') as f:
            self.assertEqual(f.read(), PNG)
        [inputs] = [read_json(p)['inputs'] for p in glob.glob(os.path.join(folder, 'inputs', '*.json'))]
        self.assertEqual(inputs[0]['name'], 'data.csv')
        self.assertTrue(inputs[0]['hash'].startswith('sha256:'))
        env = read_json(os.path.join(folder, 'environment.json'))['environment']
        self.assertEqual(env['python']['executable'], PYTHON)

        # The code of the run: the command line, then the script as it was.
        records = {}
        for p in sorted(glob.glob(os.path.join(folder, 'history', '*.json'))):
            for r in read_json(p)['records']:
                records[r.get('msgId', 'session')] = r
        execs = sorted((r for r in records.values() if r['kind'] == 'execution'), key=lambda r: r['index'])
        self.assertIn("sys.argv = [%r, '--lr', '0.001']" % path, execs[0]['source'])
        with open(path) as f:
            self.assertEqual(execs[1]['source'], f.read())
        self.assertEqual(execs[1]['status'], 'ok')

        # The index knows it, with its metric summaries and writer.
        entries = [en for p in sorted(glob.glob(os.path.join(self.store, 'index', '*.json')))
                   for en in read_json(p)['entries']]
        last = max(entries, key=lambda en: en['stamp'])
        self.assertEqual(last['summary']['status'], 'finished')
        self.assertEqual(last['summary']['tags'], ['baseline', 'cpu'])
        self.assertEqual(last['metrics']['loss']['count'], 1000)
        self.assertEqual(last['metrics']['loss']['min'], 0.001)
        self.assertEqual(last['metrics']['gap'], {'last': None, 'min': None, 'max': None, 'step': 0.0, 'count': 1})
        writer = read_json(glob.glob(os.path.join(folder, 'heartbeat', '*.json'))[0])['writer']
        self.assertEqual(last['metricWriters'], [writer])

    def test_a_script_that_raises_ends_failed_with_its_traceback(self):
        path = self.script('''
            import labbook
            labbook.log("loss", 1.0)
            def train():
                raise RuntimeError("diverged at step 7")
            train()
        ''')
        done = self.run_script(path)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn('RuntimeError: diverged at step 7', done.stderr)  # still printed
        validate_store(self, self.store)
        [folder] = self.experiments()
        e = folded(folder)
        self.assertEqual(e['status'], 'failed')
        self.assertEqual(e['statusReason'], 'RuntimeError: diverged at step 7')
        texts = [t for p in glob.glob(os.path.join(folder, 'texts', '*.json')) for t in read_json(p)['texts']]
        [tb] = [t['text'] for t in texts if t['name'] == 'traceback']
        self.assertIn('in train', tb)
        self.assertIn('RuntimeError: diverged at step 7', tb)
        self.assertEqual(len(glob.glob(os.path.join(folder, 'metrics', '*.json'))), 1)

    def test_sys_exit_with_a_non_zero_status_ends_failed_and_zero_ends_finished(self):
        for code, status, reason in (
            ('3', 'failed', 'exited with status 3'),
            ('"bad config"', 'failed', 'exited with status 1: bad config'),
            ('0', 'finished', None),
        ):
            with self.subTest(code=code):
                for folder in self.experiments():
                    shutil.rmtree(folder)
                path = self.script('''
                    import sys, labbook
                    labbook.log("loss", 1.0)
                    sys.exit(%s)
                ''' % code)
                done = self.run_script(path)
                self.assertEqual(done.returncode, 0 if status == 'finished' else (3 if code == '3' else 1))
                validate_store(self, self.store)
                [folder] = self.experiments()
                e = folded(folder)
                self.assertEqual(e['status'], status)
                self.assertEqual(e.get('statusReason'), reason)

    def test_sigterm_ends_the_run_interrupted_and_keeps_what_was_logged(self):
        path = self.script('''
            import sys, time, labbook
            for i in range(50):
                labbook.log("loss", float(i))
            labbook.flush()
            print("ready", flush=True)
            time.sleep(60)
        ''')
        proc = subprocess.Popen([PYTHON, path], cwd=self.dir, env=self.env(), stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(proc.stdout.readline().strip(), 'ready')
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(30), -signal.SIGTERM)
        finally:
            proc.kill()
            proc.stdout.close()
        validate_store(self, self.store)
        [folder] = self.experiments()
        e = folded(folder)
        self.assertEqual(e['status'], 'interrupted')
        count = sum(s['count'] for p in glob.glob(os.path.join(folder, 'metrics', '*.json'))
                    for s in read_json(p)['series'])
        self.assertEqual(count, 50)

    def test_start_and_end_make_one_experiment_per_run_of_a_sweep(self):
        path = self.script('''
            import labbook
            for lr in (0.1, 0.01, 0.001):
                labbook.start(name="lr=%g" % lr)
                labbook.log_params({"lr": lr})
                labbook.log("loss", lr * 10)
                labbook.end()
        ''')
        self.assertEqual(self.run_script(path).returncode, 0)
        validate_store(self, self.store)
        runs = [folded(f) for f in self.experiments()]
        self.assertEqual(sorted(r['name'] for r in runs), ['lr=0.001', 'lr=0.01', 'lr=0.1'])
        self.assertEqual({r['status'] for r in runs}, {'finished'})
        self.assertEqual(sorted(r['params']['lr'] for r in runs), [0.001, 0.01, 0.1])

    def test_two_scripts_at_once_lose_nothing(self):
        path = self.script('''
            import sys, labbook
            labbook.set_name(sys.argv[1])
            for i in range(20000):
                labbook.log("x", float(i), step=i)
        ''')
        procs = [subprocess.Popen([PYTHON, path, 'run%d' % k], cwd=self.dir, env=self.env()) for k in range(2)]
        for p in procs:
            self.assertEqual(p.wait(120), 0)
        validate_store(self, self.store)
        folders = self.experiments()
        self.assertEqual(len(folders), 2)
        writers = set()
        for folder in folders:
            self.assertEqual(folded(folder)['status'], 'finished')
            steps = []
            for p in glob.glob(os.path.join(folder, 'metrics', '*.json')):
                chunk = read_json(p)
                writers.add(chunk['writer'])
                for s in chunk['series']:
                    steps.extend(f64(s['steps']))
            self.assertEqual(sorted(steps), [float(i) for i in range(20000)])
        self.assertEqual(len(writers), 2)

    def test_a_forked_worker_that_logs_writes_a_run_of_its_own(self):
        path = self.script('''
            import os, labbook
            labbook.log("parent", 1.0)
            labbook.flush()
            pid = os.fork()
            if pid == 0:
                labbook.log("child", 2.0)
                labbook.flush()
                os._exit(0)
            os.waitpid(pid, 0)
            labbook.log("parent", 3.0)
        ''')
        self.assertEqual(self.run_script(path).returncode, 0)
        validate_store(self, self.store)
        folders = self.experiments()
        self.assertEqual(len(folders), 2)
        writers = set()
        counts = {}
        for folder in folders:
            for p in glob.glob(os.path.join(folder, 'metrics', '*.json')):
                chunk = read_json(p)
                writers.add(chunk['writer'])
                for s in chunk['series']:
                    counts[s['name']] = counts.get(s['name'], 0) + s['count']
        self.assertEqual(counts, {'parent': 2, 'child': 1})
        self.assertEqual(len(writers), 2)

    def test_the_store_is_the_nearest_labbook_folder_above_the_working_directory(self):
        os.makedirs(os.path.join(self.store))
        work = os.path.join(self.dir, 'project', 'src')
        os.makedirs(work)
        path = self.script('import labbook\nlabbook.log("a", 1)\n', name='project/src/job.py')
        env = self.env()
        del env['LABBOOK_STORE']
        done = subprocess.run([PYTHON, path], cwd=work, env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        [folder] = self.experiments()
        e = folded(folder)
        # The notebook path is as the server rooted at the store's parent sees it.
        self.assertEqual(e['notebook'], 'project/src/job.py')
        self.assertEqual(e['project'], 'project/src')

    def test_importing_alone_writes_nothing(self):
        path = self.script('import labbook\nprint(labbook.__name__)\n')
        self.assertEqual(self.run_script(path).returncode, 0)
        self.assertFalse(os.path.exists(self.store))


if __name__ == '__main__':
    unittest.main()

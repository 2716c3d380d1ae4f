"""Labbook: log params, metrics, text and images from a notebook kernel.

This module is defined in the kernel by the Labbook JupyterLab extension (no
pip install needed): ``import labbook`` then works in any notebook. Installed
with the Python package (``pip install jupyterlab-labbook``) it also works in
a training script run outside a kernel (``python train.py``): there is no
comm, so the same calls write the experiment straight into a store folder
($LABBOOK_STORE, else the nearest ``labbook/`` folder above the working
directory), and the run ends when the process does (failed with the
traceback on an uncaught exception, interrupted on SIGTERM).

    import labbook
    labbook.log_params({"lr": 1e-3, "layers": 4})
    for step in range(1000):
        labbook.log({"loss": loss, "acc": acc}, step=step)
    labbook.display()

Every call only enqueues data; a background thread sends it to the frontend
in batches over a Jupyter comm (target ``labbook``) and keeps what the
frontend has not acknowledged, replaying it when the page is reloaded. The
wire protocol is described in docs/kernel-protocol.md of the extension.

Nothing here ever raises into user code: problems are reported as
``LabbookWarning`` warnings. Python 3.8+, standard library only; numpy, PIL
and matplotlib are used when the values given are theirs.
"""

import array
import atexit
import base64
import collections
import datetime
import hashlib
import html
import io
import json
import math
import numbers
import os
import platform
import re
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
import warnings
import zlib

__version__ = '0.1.0'

#: Version of the comm protocol (docs/kernel-protocol.md).
PROTOCOL = 1
#: Comm target the frontend opens.
COMM_TARGET = 'labbook'
#: MIME type of the inline experiment panel.
MIME_TYPE = 'application/vnd.labbook.experiment+json'

__all__ = [
    'LabbookWarning',
    'log',
    'log_params',
    'log_param',
    'log_text',
    'log_image',
    'log_input',
    'start',
    'end',
    'tags',
    'tag',
    'note',
    'set_name',
    'display',
    'experiment'
]

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB


class LabbookWarning(UserWarning):
    """A problem with something logged to Labbook; user code carries on."""


class Options(object):
    """Limits of the client. All sizes in bytes, rates per second."""

    def __init__(self, **kw):
        #: At most this many comm messages per second (server limit: 1000).
        self.max_rate = 20.0
        #: Target size of one batch (metrics are split to fit).
        self.batch_bytes = 1 * MiB
        #: While a frontend is connected, what is logged waits at most this
        #: long (or until a batch is full, or its cell ends) before it is
        #: sent: each batch becomes a file in the store, so a loop logging
        #: every 100 ms makes one file a second, not ten. start() and end()
        #: send at once.
        self.build_interval = 1.0
        #: Images larger than this travel in chunks of this size.
        self.image_chunk = 4 * MiB
        #: Largest image accepted.
        self.image_max = 64 * MiB
        #: Longest text accepted (UTF-8 bytes); longer text is cut.
        self.text_max = 1 * MiB
        #: Unacknowledged batches kept in memory; older ones go to a temp file.
        self.memory_limit = 64 * MiB
        #: Largest temp file; past it the oldest unacknowledged batches are dropped.
        self.spill_limit = 4 * GiB
        #: Files larger than this are not hashed by log_input.
        self.hash_limit = 1 * GiB
        #: While no frontend is connected, build a batch at least this often.
        self.idle_build_interval = 5.0
        #: Seconds allowed per external command (git, nvidia-smi).
        self.command_timeout = 5.0
        #: Largest git diff kept in the environment.
        self.git_diff_max = 256 * KiB
        #: Script mode: how often the heartbeat file is rewritten (the tabs
        #: mark a run with no heartbeat for 30 s interrupted).
        self.heartbeat_seconds = 10.0
        for k, v in kw.items():
            if not hasattr(self, k):
                raise TypeError('unknown option %r' % k)
            setattr(self, k, v)


def _warn(message):
    """Warn, attributing the warning to the first caller outside this module."""
    try:
        level = 2
        frame = sys._getframe(1)
        while frame is not None and frame.f_globals.get('__name__') == __name__:
            frame = frame.f_back
            level += 1
        if frame is None:
            level = 1
        warnings.warn(message, LabbookWarning, stacklevel=level)
    except Exception:
        pass


def _now_ms():
    return time.time() * 1000.0


def _iso(ts=None):
    if ts is None:
        ts = time.time()
    d = datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc)
    return d.isoformat(timespec='milliseconds').replace('+00:00', 'Z')


_LITTLE = sys.byteorder == 'little'
#: Steps are stored as Float64: integers beyond this lose precision.
_MAX_STEP = 2 ** 53


def _f64_bytes(arr):
    """Little-endian bytes of an array('d')."""
    if _LITTLE:
        return arr.tobytes()
    copy = array.array('d', arr)
    copy.byteswap()
    return copy.tobytes()


# --------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------


def _to_float(v):
    """A metric value as a float, NaN and infinities kept; TypeError if not numeric."""
    t = type(v)
    if t is float:
        return v
    if t is int or t is bool:
        return float(v)
    if isinstance(v, (str, bytes, bytearray)):
        raise TypeError('a %s is not a number' % t.__name__)
    if isinstance(v, (bool, int, float)):
        return float(v)
    if hasattr(v, 'item') and callable(v.item):
        # numpy scalars and one-element arrays, torch/jax scalar tensors.
        try:
            item = v.item()
        except Exception:
            raise TypeError('a %s with more than one element is not a number' % t.__name__)
        if isinstance(item, (bool, int, float)):
            return float(item)
        raise TypeError('a %s of %s is not a real number' % (t.__name__, type(item).__name__))
    if isinstance(v, numbers.Real):
        return float(v)
    raise TypeError('a %s is not a number' % t.__name__)


def _check_name(name, what):
    if not isinstance(name, str):
        name = str(name)
    if not name:
        raise ValueError('%s name is empty' % what)
    if len(name) > 1000:
        raise ValueError('%s name is longer than 1000 characters' % what)
    return name


def _json_value(v, reprs=None, depth=0):
    """A JSON-safe copy of v; raises ValueError for what has no JSON form."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if math.isfinite(v):
            return v
        raise ValueError('non-finite')
    if depth > 20:
        raise ValueError('too deep')
    if isinstance(v, dict):
        return dict((str(k), _json_value(x, None, depth + 1)) for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return [_json_value(x, None, depth + 1) for x in v]
    if hasattr(v, 'tolist') and callable(v.tolist) and hasattr(v, 'dtype'):
        return _json_value(v.tolist(), None, depth + 1)  # numpy scalars and arrays
    if hasattr(v, 'item') and callable(v.item):
        try:
            return _json_value(v.item(), None, depth + 1)
        except ValueError:
            raise
        except Exception:
            pass
    raise ValueError('no JSON form')


def _safe_repr(v, limit=10000):
    try:
        text = repr(v)
    except Exception as e:
        text = '<unrepresentable %s: %s>' % (type(v).__name__, e)
    if len(text) > limit:
        text = text[:limit] + '...'
    return text


# --------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------

_PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'


def _sniff_mime(data):
    head = bytes(data[:16])
    if head.startswith(_PNG_SIGNATURE):
        return 'image/png'
    if head.startswith(b'\xff\xd8\xff'):
        return 'image/jpeg'
    if head.startswith(b'GIF87a') or head.startswith(b'GIF89a'):
        return 'image/gif'
    if head.startswith(b'RIFF') and head[8:12] == b'WEBP':
        return 'image/webp'
    return None


def _png_size(data):
    if len(data) >= 24 and bytes(data[12:16]) == b'IHDR':
        return struct.unpack('>II', bytes(data[16:24]))
    return None


def _png_chunk(tag, payload):
    crc = zlib.crc32(tag + payload) & 0xFFFFFFFF
    return struct.pack('>I', len(payload)) + tag + payload + struct.pack('>I', crc)


def _encode_png(width, height, channels, pixels):
    """PNG of 8-bit pixels (row-major bytes, `channels` of 1-4 per pixel)."""
    color = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    stride = width * channels
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        raw += pixels[y * stride:(y + 1) * stride]
    header = struct.pack('>IIBBBBB', width, height, 8, color, 0, 0, 0)
    return (
        _PNG_SIGNATURE
        + _png_chunk(b'IHDR', header)
        + _png_chunk(b'IDAT', zlib.compress(bytes(raw), 6))
        + _png_chunk(b'IEND', b'')
    )


def _array_to_png(image):
    import numpy as np

    a = np.asarray(image)
    if a.ndim == 3 and a.shape[0] in (1, 3, 4) and a.shape[2] not in (1, 3, 4):
        a = np.transpose(a, (1, 2, 0))  # channels first (C, H, W)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (3, 4)):
        raise ValueError('an image array must be HxW, HxWx3 or HxWx4, not %r' % (a.shape,))
    if a.shape[0] == 0 or a.shape[1] == 0:
        raise ValueError('the image array is empty')
    if a.dtype == np.bool_:
        a = a.astype(np.uint8) * 255
    elif np.issubdtype(a.dtype, np.floating):
        f = np.nan_to_num(a.astype(np.float64), nan=0.0, posinf=1.0, neginf=0.0)
        finite_max = float(f.max()) if f.size else 0.0
        if finite_max <= 1.0:
            f = f * 255.0
        a = np.clip(np.rint(f), 0, 255).astype(np.uint8)
    elif np.issubdtype(a.dtype, np.integer):
        a = np.clip(a, 0, 255).astype(np.uint8)
    else:
        raise ValueError('an image array of dtype %s is not supported' % a.dtype)
    a = np.ascontiguousarray(a)
    height, width = a.shape[0], a.shape[1]
    channels = 1 if a.ndim == 2 else a.shape[2]
    return _encode_png(width, height, channels, a.tobytes())


def _image_bytes(image):
    """(bytes, mime) of an image given as bytes, a path, PIL, numpy or matplotlib."""
    if isinstance(image, (bytes, bytearray, memoryview)):
        data = bytes(image)
        mime = _sniff_mime(data)
        if mime is None:
            raise ValueError('the bytes are not a PNG, JPEG, GIF or WebP image')
        return data, mime
    if isinstance(image, (str, os.PathLike)):
        path = os.fspath(image)
        if not os.path.isfile(path):
            raise ValueError('no image file at %r' % path)
        with open(path, 'rb') as f:
            data = f.read()
        mime = _sniff_mime(data)
        if mime is None:
            raise ValueError('%r is not a PNG, JPEG, GIF or WebP image' % path)
        return data, mime
    if hasattr(image, 'savefig'):  # matplotlib Figure
        buf = io.BytesIO()
        image.savefig(buf, format='png', bbox_inches='tight')
        return buf.getvalue(), 'image/png'
    fig = getattr(image, 'figure', None)
    if fig is not None and hasattr(fig, 'savefig'):  # matplotlib Axes
        buf = io.BytesIO()
        fig.savefig(buf, format='png', bbox_inches='tight')
        return buf.getvalue(), 'image/png'
    if hasattr(image, 'save') and hasattr(image, 'mode') and hasattr(image, 'size'):  # PIL
        buf = io.BytesIO()
        img = image
        if getattr(img, 'mode', '') not in ('1', 'L', 'LA', 'P', 'RGB', 'RGBA', 'I', 'I;16'):
            img = img.convert('RGBA')
        img.save(buf, format='PNG')
        return buf.getvalue(), 'image/png'
    if hasattr(image, '__array_interface__') or hasattr(image, '__array__'):
        return _array_to_png(image), 'image/png'
    raise TypeError(
        'cannot log a %s as an image (give PNG/JPEG bytes, a path, a PIL image, '
        'a numpy array or a matplotlib figure)' % type(image).__name__
    )


# --------------------------------------------------------------------------
# Unacknowledged batches: bounded memory, spilling to a temporary file
# --------------------------------------------------------------------------


def _pack(msg, buffers):
    head = json.dumps(msg, allow_nan=False, separators=(',', ':')).encode('utf-8')
    parts = [struct.pack('<II', len(head), len(buffers)), head]
    for b in buffers:
        parts.append(struct.pack('<Q', len(b)))
        parts.append(bytes(b))
    return b''.join(parts)


def _unpack(data):
    n_head, n_bufs = struct.unpack_from('<II', data, 0)
    pos = 8
    msg = json.loads(data[pos:pos + n_head].decode('utf-8'))
    pos += n_head
    buffers = []
    for _ in range(n_bufs):
        (n,) = struct.unpack_from('<Q', data, pos)
        pos += 8
        buffers.append(data[pos:pos + n])
        pos += n
    return msg, buffers


class Outbox(object):
    """Batches not yet acknowledged, by sequence number (contiguous, ascending).

    At most ``memory_limit`` bytes stay in memory; older batches are written
    to an anonymous temporary file and read back when replayed. Not
    thread-safe: the client holds its lock.
    """

    def __init__(self, memory_limit=64 * MiB, spill_limit=4 * GiB):
        self.memory_limit = memory_limit
        self.spill_limit = spill_limit
        self._mem = collections.OrderedDict()  # seq -> (msg, buffers, size)
        self._disk = collections.OrderedDict()  # seq -> (offset, length)
        self._file = None
        self._file_end = 0
        self.memory_bytes = 0
        self.peak_memory_bytes = 0
        self.spilled_bytes = 0
        self.peak_spilled_bytes = 0
        self.dropped = 0

    def __len__(self):
        return len(self._mem) + len(self._disk)

    @property
    def first(self):
        if self._disk:
            return next(iter(self._disk))
        if self._mem:
            return next(iter(self._mem))
        return None

    def add(self, seq, msg, buffers):
        size = len(json.dumps(msg, allow_nan=False)) + sum(len(b) for b in buffers)
        self._mem[seq] = (msg, buffers, size)
        self.memory_bytes += size
        self.peak_memory_bytes = max(self.peak_memory_bytes, self.memory_bytes)
        while self.memory_bytes > self.memory_limit and len(self._mem) > 1:
            self._spill_oldest()

    def get(self, seq):
        entry = self._mem.get(seq)
        if entry is not None:
            return entry[0], entry[1]
        where = self._disk.get(seq)
        if where is None:
            return None
        self._file.seek(where[0])
        return _unpack(self._file.read(where[1]))

    def ack(self, seq):
        """Forget every batch up to and including seq."""
        while self._disk and next(iter(self._disk)) <= seq:
            _, (_, length) = self._disk.popitem(last=False)
            self.spilled_bytes -= length
        while self._mem and next(iter(self._mem)) <= seq:
            _, (_, _, size) = self._mem.popitem(last=False)
            self.memory_bytes -= size
        if not self._disk and self._file is not None and self._file_end:
            self._file.seek(0)
            self._file.truncate()
            self._file_end = 0
            self.spilled_bytes = 0

    def close(self):
        if self._file is not None:
            try:
                self._file.close()
            except Exception:
                pass
            self._file = None

    def _spill_oldest(self):
        seq, (msg, buffers, size) = self._mem.popitem(last=False)
        self.memory_bytes -= size
        data = _pack(msg, buffers)
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix='labbook-spill-')
        self._file.seek(self._file_end)
        self._file.write(data)
        self._disk[seq] = (self._file_end, len(data))
        self._file_end += len(data)
        self.spilled_bytes += len(data)
        self.peak_spilled_bytes = max(self.peak_spilled_bytes, self.spilled_bytes)
        while self.spilled_bytes > self.spill_limit and len(self._disk) > 1:
            _, (_, length) = self._disk.popitem(last=False)
            self.spilled_bytes -= length
            self.dropped += 1


# --------------------------------------------------------------------------
# The client: queues what user code logs, batches it, talks to the comm
# --------------------------------------------------------------------------


class Client(object):
    """One per kernel. Public functions of this module delegate to it."""

    def __init__(self, options=None, shell=None, start=True, sink=None):
        self.options = options or Options()
        self.session = uuid.uuid4().hex
        # Script mode: a ScriptStore that writes each batch into the store
        # folder itself (no comm, no outbox); batches it could not write yet
        # wait here, in order.
        self._sink = sink
        self._unwritten = []
        self._workers = []
        self._shell = shell
        self._lock = threading.RLock()
        # One build at a time (the flusher, flush() and start()/end() build).
        self._build_lock = threading.RLock()
        self._wake = threading.Event()
        self._stopped = False
        # Pending, not yet batched.
        self._series = {}  # (name, parent) -> (values, steps, times)
        self._items = []  # [dict]; a dict may carry '_b': {field: bytes}
        self._pending_bytes = 0
        self._last_step = {}
        # Batched.
        self._seq = 0
        self._outbox = Outbox(self.options.memory_limit, self.options.spill_limit)
        self._comm = None
        self._cursor = 1
        self._need_ready = False
        self._last_send = 0.0
        self._last_build = time.monotonic()
        self._send_failed = False
        self._dropped_warned = 0
        self.sent_messages = 0
        self._context = {
            'experimentId': None,
            'notebook': None,
            'name': None,
            'status': None
        }
        self._thread = None
        if shell is not None:
            # What a cell logged is sent as soon as the cell ends; within a
            # cell, batches are made every `build_interval`.
            try:
                shell.events.register('post_run_cell', self._cell_finished)
            except Exception:
                pass
        if start:
            self._thread = threading.Thread(
                target=self._run, name='labbook-flusher', daemon=True
            )
            self._thread.start()

    def _cell_finished(self, *args):
        # Make the next tick build now; never blocks the shell.
        self._last_build = 0.0
        self._wake.set()

    # -- parent execution ---------------------------------------------------

    def _parent(self):
        shell = self._shell
        if shell is None:
            return None
        try:
            return shell.parent_header['header']['msg_id']
        except Exception:
            pass
        try:
            return shell.kernel.get_parent('shell')['header']['msg_id']
        except Exception:
            return None

    # -- enqueueing -----------------------------------------------------------

    def log(self, name_or_dict, value=None, step=None):
        parent = self._parent() if self._shell is not None else None
        t = time.time() * 1000.0
        # The common call, one metric with a float or int value and an int
        # step or none, without the general checks (a training script may
        # log a million points: issue 18 asks for 200,000 a second).
        tv = type(value)
        if (
            type(name_or_dict) is str
            and (tv is float or tv is int)
            and (step is None or (type(step) is int and -_MAX_STEP < step < _MAX_STEP))
            and 0 < len(name_or_dict) <= 1000
        ):
            with self._lock:
                last = self._last_step
                s = last.get(name_or_dict, -1.0) + 1.0 if step is None else float(step)
                last[name_or_dict] = s
                key = (name_or_dict, parent)
                arrays = self._series.get(key)
                if arrays is None:
                    arrays = self._series[key] = (array.array('d'), array.array('d'), array.array('d'))
                arrays[0].append(value)
                arrays[1].append(s)
                arrays[2].append(t)
                self._pending_bytes += 24
            if self._pending_bytes >= self.options.batch_bytes:
                self._wake.set()
            return
        if isinstance(name_or_dict, dict):
            pairs = name_or_dict.items()
        elif hasattr(name_or_dict, 'items') and callable(name_or_dict.items):
            pairs = list(name_or_dict.items())
        else:
            if value is None:
                _warn('labbook.log(%r): no value given' % (name_or_dict,))
                return
            pairs = ((name_or_dict, value),)
        if step is not None:
            try:
                step = _to_float(step)
            except TypeError as e:
                _warn('labbook.log: step %s; nothing logged' % e)
                return
            if not math.isfinite(step):
                _warn('labbook.log: step must be finite; nothing logged')
                return
        problems = None
        with self._lock:
            series = self._series
            last = self._last_step
            for name, v in pairs:
                try:
                    if type(name) is not str or not name or len(name) > 1000:
                        name = _check_name(name, 'metric')
                    x = v if type(v) is float else _to_float(v)
                except (TypeError, ValueError, OverflowError) as e:
                    if problems is None:
                        problems = []
                    problems.append('metric %r refused: %s' % (name, e))
                    continue
                if step is None:
                    s = last.get(name, -1.0) + 1.0
                else:
                    s = step
                last[name] = s
                key = (name, parent)
                arrays = series.get(key)
                if arrays is None:
                    arrays = series[key] = (array.array('d'), array.array('d'), array.array('d'))
                arrays[0].append(x)
                arrays[1].append(s)
                arrays[2].append(t)
                self._pending_bytes += 24
        if problems:
            for p in problems:
                _warn('labbook.log: ' + p)
        if self._pending_bytes >= self.options.batch_bytes:
            self._wake.set()

    def enqueue(self, item):
        """Queue a non-metric item (dict, JSON-safe; '_b' maps fields to bytes)."""
        item.setdefault('parent', self._parent())
        item.setdefault('time', _now_ms())
        size = 256
        for b in item.get('_b', {}).values():
            size += len(b)
        with self._lock:
            self._items.append(item)
            self._pending_bytes += size
        if self._pending_bytes >= self.options.batch_bytes:
            self._wake.set()

    def log_params(self, params):
        if not hasattr(params, 'items'):
            raise TypeError('log_params expects a dict, not a %s' % type(params).__name__)
        values = {}
        reprs = {}
        for k, v in params.items():
            k = _check_name(k, 'parameter')
            try:
                values[k] = _json_value(v)
            except (ValueError, TypeError, RecursionError):
                reprs[k] = _safe_repr(v)
        item = {'kind': 'params', 'params': values}
        if reprs:
            item['reprs'] = reprs
        self.enqueue(item)

    def log_text(self, name, text, step=None):
        name = _check_name(name, 'text')
        if not isinstance(text, str):
            text = str(text)
        data = text.encode('utf-8', 'replace')
        truncated = False
        if len(data) > self.options.text_max:
            text = data[:self.options.text_max].decode('utf-8', 'ignore')
            truncated = True
            _warn('labbook.log_text(%r): text cut to %d bytes' % (name, self.options.text_max))
        item = {'kind': 'text', 'name': name, 'text': text, 'step': self._step(step)}
        if truncated:
            item['truncated'] = True
        self.enqueue(item)

    def log_image(self, name, image, step=None, caption=None):
        name = _check_name(name, 'image')
        data, mime = _image_bytes(image)
        if len(data) > self.options.image_max:
            raise ValueError(
                'image %r is %d bytes, over the %d byte limit' % (name, len(data), self.options.image_max)
            )
        size = _png_size(data) if mime == 'image/png' else None
        image_id = uuid.uuid4().hex
        chunk = max(1, int(self.options.image_chunk))
        count = max(1, (len(data) + chunk - 1) // chunk)
        step = self._step(step)
        parent = self._parent()
        t = _now_ms()
        for i in range(count):
            item = {
                'kind': 'image',
                'id': image_id,
                'name': name,
                'mime': mime,
                'step': step,
                'caption': None if caption is None else str(caption),
                'width': size[0] if size else None,
                'height': size[1] if size else None,
                'size': len(data),
                'chunk': i,
                'chunks': count,
                'parent': parent,
                'time': t,
                '_b': {'buffer': data[i * chunk:(i + 1) * chunk]}
            }
            self.enqueue(item)

    def _step(self, step):
        if step is None:
            return None
        s = _to_float(step)
        if not math.isfinite(s):
            raise ValueError('step must be finite')
        return int(s) if s.is_integer() and abs(s) < 2 ** 53 else s

    def tags(self, tags):
        clean = []
        for t in tags:
            if isinstance(t, (list, tuple, set, frozenset)):
                for u in t:
                    clean.append(_check_name(u, 'tag'))
            else:
                clean.append(_check_name(t, 'tag'))
        if clean:
            self.enqueue({'kind': 'tags', 'tags': clean})

    def note(self, text, append=True):
        self.enqueue({'kind': 'note', 'text': str(text), 'append': bool(append)})

    def set_name(self, name):
        name = _check_name(name, 'experiment')
        with self._lock:
            self._context['name'] = name
        self.enqueue({'kind': 'name', 'name': name})

    def start(self, name=None):
        """End the notebook's running experiment (if any) and start a new one."""
        item = {'kind': 'start'}
        if name is not None:
            item['name'] = _check_name(name, 'experiment')
        with self._lock:
            self._context['experimentId'] = None
            self._context['name'] = item.get('name')
            self._context['status'] = 'running'
        self._boundary(item)

    def end(self, status='finished'):
        """End the notebook's running experiment."""
        if status not in ('finished', 'failed', 'interrupted'):
            raise ValueError("status must be 'finished', 'failed' or 'interrupted', not %r" % (status,))
        with self._lock:
            self._context['status'] = status
        self._boundary({'kind': 'end', 'status': status})
        # A run often ends a cell, and a kernel restart may follow at once:
        # send what it logged now rather than within the next tick.
        self.flush(0.5)

    def _boundary(self, item):
        # What was logged before goes to the experiment before, what comes
        # after to the next: the item travels alone in a batch of its own.
        with self._build_lock:
            self._build_unlocked()
            self.enqueue(item)
            self._build_unlocked()
        self._wake.set()

    def log_input(self, path, name=None, hash_limit=None):
        path = os.fspath(path)
        if not isinstance(path, str):
            path = path.decode('utf-8', 'replace')
        if name is None:
            # The file's (or the URL's) last path segment.
            name = path.split('?', 1)[0].rstrip('/\\').replace('\\', '/').rsplit('/', 1)[-1] or path
        name = _check_name(name, 'input')
        limit = self.options.hash_limit if hash_limit is None else hash_limit
        parent = self._parent()

        def work():
            info = _describe_input(name, path, limit)
            self.enqueue({'kind': 'input', 'input': info, 'parent': parent})

        self._spawn(work, 'labbook-input')

    def display(self):
        display_id = uuid.uuid4().hex
        with self._lock:
            ctx = dict(self._context)
        payload = {
            'experimentId': ctx['experimentId'],
            'notebook': ctx['notebook'],
            'session': self.session,
            'displayId': display_id
        }
        label = ctx['name'] or ctx['experimentId'] or 'current experiment'
        text = 'Labbook experiment: %s (shown by the Labbook JupyterLab extension)' % label
        bundle = {
            MIME_TYPE: payload,
            'text/plain': text,
            'text/html': '<pre>%s</pre>' % html.escape(text)
        }
        self.enqueue({'kind': 'display', 'displayId': display_id, 'experimentId': ctx['experimentId']})
        try:
            from IPython.display import display as ipy_display
        except Exception:
            print(text)
            return
        ipy_display(bundle, raw=True, display_id=display_id)

    def experiment(self):
        with self._lock:
            info = dict(self._context)
            if self._sink is not None:
                info.update(experimentId=self._sink.experiment_id, store=self._sink.root)
            info.update(
                connected=self._comm is not None,
                session=self.session,
                unacknowledged=len(self._outbox),
                memoryBytes=self._outbox.memory_bytes,
                peakMemoryBytes=self._outbox.peak_memory_bytes,
                spilledBytes=self._outbox.spilled_bytes,
                dropped=self._outbox.dropped
            )
        return info

    def collect_environment(self):
        def work():
            env = collect_environment(self.options)
            self.enqueue({'kind': 'env', 'env': env})

        self._spawn(work, 'labbook-env')

    def _spawn(self, work, name):
        t = threading.Thread(target=_quietly(work), name=name, daemon=True)
        with self._lock:
            self._workers = [w for w in self._workers if w.is_alive()]
            self._workers.append(t)
        t.start()

    def join_workers(self, timeout):
        """Wait up to timeout seconds for log_input hashes and the environment."""
        deadline = time.monotonic() + timeout
        with self._lock:
            workers = list(self._workers)
        for t in workers:
            t.join(max(0.0, deadline - time.monotonic()))

    # -- the comm -------------------------------------------------------------

    def attach(self, comm, open_msg=None):
        """A frontend opened a comm: make it current and replay what it lacks."""
        data = {}
        try:
            data = open_msg['content']['data'] or {}
        except Exception:
            pass
        with self._lock:
            self._comm = comm
            first = self._outbox.first
            self._cursor = first if first is not None else self._seq + 1
            self._need_ready = True
            self._send_failed = False
            self._update_context(data)
        comm.on_msg(self._on_msg)
        comm.on_close(lambda msg, c=comm: self._on_close(c))
        self._wake.set()

    def _on_close(self, comm):
        with self._lock:
            if self._comm is comm:
                self._comm = None

    def _on_msg(self, msg):
        try:
            data = msg['content']['data'] or {}
            kind = data.get('type')
            if kind == 'ack':
                if data.get('session') not in (None, self.session):
                    return
                seq = int(data['seq'])
                with self._lock:
                    self._outbox.ack(seq)
                    if self._cursor <= seq:
                        self._cursor = seq + 1
            elif kind in ('experiment', 'hello'):
                with self._lock:
                    self._update_context(data)
            elif kind == 'collect-env':
                self.collect_environment()
        except Exception as e:
            _warn('labbook: bad message from the frontend ignored (%s)' % e)

    def _update_context(self, data):
        for key in ('experimentId', 'notebook', 'name', 'status'):
            if key in data:
                self._context[key] = data[key]

    # -- batching and sending (flusher thread) --------------------------------

    def _build(self):
        """Turn pending data into numbered batches in the outbox."""
        with self._build_lock:
            self._build_unlocked()

    def _build_unlocked(self):
        with self._lock:
            series = self._series
            items = self._items
            if not series and not items:
                return
            self._series = {}
            self._items = []
            self._pending_bytes = 0
        budget = self.options.batch_bytes
        state = {'items': [], 'buffers': [], 'size': 0}

        def close():
            if state['items']:
                self._emit(state['items'], state['buffers'])
            state['items'], state['buffers'], state['size'] = [], [], 0

        for item in items:
            blobs = item.pop('_b', None) or {}
            size = len(json.dumps(item, allow_nan=False)) + sum(len(b) for b in blobs.values())
            if state['items'] and state['size'] + size > budget:
                close()
            for field, blob in blobs.items():
                item[field] = len(state['buffers'])
                state['buffers'].append(blob)
            state['items'].append(item)
            state['size'] += size
        for (name, parent), (values, steps, times) in series.items():
            n = len(values)
            off = 0
            overhead = 120 + len(name) * 2
            while off < n:
                room = (budget - state['size'] - overhead) // 24
                if room < min(1024, n - off) and state['items']:
                    close()
                    continue
                k = max(1, min(n - off, room))
                b = len(state['buffers'])
                state['items'].append({
                    'kind': 'metrics',
                    'name': name,
                    'parent': parent,
                    'count': k,
                    'values': b,
                    'steps': b + 1,
                    'times': b + 2
                })
                state['buffers'].append(_f64_bytes(values[off:off + k]))
                state['buffers'].append(_f64_bytes(steps[off:off + k]))
                state['buffers'].append(_f64_bytes(times[off:off + k]))
                state['size'] += overhead + 24 * k
                off += k
        close()

    def _emit(self, items, buffers):
        with self._lock:
            self._seq += 1
            msg = {
                'type': 'batch',
                'protocol': PROTOCOL,
                'session': self.session,
                'seq': self._seq,
                'items': items
            }
            if self._sink is not None:
                self._unwritten.append((msg, buffers))
                self._write_unwritten()
                return
            self._outbox.add(self._seq, msg, buffers)
            if self._outbox.dropped > self._dropped_warned:
                self._dropped_warned = self._outbox.dropped
                _warn(
                    'labbook: %d unacknowledged batches dropped (spill file over %d bytes); '
                    'is the page with the notebook open?' % (self._outbox.dropped, self.options.spill_limit)
                )

    def _write_unwritten(self):
        """Script mode: write the batches waiting, oldest first; keep them on failure."""
        while self._unwritten:
            msg, buffers = self._unwritten[0]
            try:
                self._sink.write_batch(msg, buffers)
            except Exception as e:
                if not self._send_failed:
                    self._send_failed = True
                    _warn('labbook: could not write to the store %s (%s); kept to try again' % (self._sink.root, e))
                return False
            self._unwritten.pop(0)
            self._send_failed = False
        return True

    def _send_one(self):
        """Send the ready message or the next batch; True if something was sent."""
        with self._lock:
            comm = self._comm
            if comm is None:
                return False
            if self._need_ready:
                first = self._outbox.first
                msg = {
                    'type': 'ready',
                    'protocol': PROTOCOL,
                    'version': __version__,
                    'session': self.session,
                    'firstSeq': first,
                    'lastSeq': self._seq,
                    'dropped': self._outbox.dropped
                }
                buffers = []
            else:
                first = self._outbox.first
                if first is not None and self._cursor < first:
                    self._cursor = first
                if self._cursor > self._seq:
                    return False
                entry = self._outbox.get(self._cursor)
                if entry is None:
                    return False
                msg, buffers = entry
        try:
            comm.send(msg, buffers=buffers or None)
        except Exception as e:
            if not self._send_failed:
                self._send_failed = True
                _warn('labbook: could not send to the frontend (%s); data kept for replay' % e)
            return False
        with self._lock:
            if self._comm is comm:
                if msg.get('type') == 'ready':
                    self._need_ready = False
                elif self._cursor == msg['seq']:
                    self._cursor += 1
        self.sent_messages += 1
        return True

    def _has_sendable(self):
        with self._lock:
            if self._comm is None:
                return False
            return self._need_ready or (self._outbox.first is not None and self._cursor <= self._seq)

    def tick(self):
        """One round of the flusher: build if due, send at most one message."""
        now = time.monotonic()
        interval = 1.0 / max(0.001, float(self.options.max_rate))
        if self._sink is not None:
            every = float(self.options.build_interval)
        elif self._comm is None:
            every = self.options.idle_build_interval
        else:
            # Also while a backlog is (re)sent: fewer, fuller batches drain
            # it even while the loop keeps logging.
            every = max(interval, float(self.options.build_interval))
        if self._pending_bytes >= self.options.batch_bytes or now - self._last_build >= every:
            self._last_build = now
            self._build()
        if self._sink is not None:
            with self._build_lock:
                if self._write_unwritten():
                    self._sink.tick(self.options.heartbeat_seconds)
            return False
        if now - self._last_send >= interval and self._send_one():
            self._last_send = now
            return True
        return False

    def _run(self):
        interval = 1.0 / max(0.001, float(self.options.max_rate))
        while not self._stopped:
            try:
                self.tick()
            except Exception as e:  # never let the thread die
                _warn('labbook: flusher error (%s)' % e)
            # Woken early by a full queue, an ack or a new comm; sends stay
            # spaced by `interval` (see tick), so this never spins.
            self._wake.wait(interval)
            self._wake.clear()

    def flush(self, timeout=2.0):
        """Build everything pending and send what the rate allows within timeout."""
        deadline = time.monotonic() + timeout
        self._build()
        interval = 1.0 / max(0.001, float(self.options.max_rate))
        while self._has_sendable() and time.monotonic() < deadline:
            if time.monotonic() - self._last_send >= interval:
                if self._send_one():
                    self._last_send = time.monotonic()
                else:
                    break
            else:
                time.sleep(0.005)

    def shutdown(self):
        self._stopped = True
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(1.0)
        with self._lock:
            self._outbox.close()


def _quietly(fn):
    def run():
        try:
            fn()
        except Exception as e:
            _warn('labbook: %s' % e)

    return run


# --------------------------------------------------------------------------
# Data inputs
# --------------------------------------------------------------------------


def _describe_input(name, path, hash_limit):
    info = {'name': name, 'path': path, 'size': None, 'mtime': None, 'hash': None}
    if re.match(r'^[a-zA-Z][a-zA-Z0-9+.-]*://', path):
        info['note'] = 'URL not fetched'
        return info
    try:
        st = os.stat(path)
    except OSError as e:
        info['note'] = 'unreadable: %s' % (e.strerror or e)
        return info
    info['mtime'] = _iso(st.st_mtime)
    if os.path.isdir(path):
        info['note'] = 'directory: not hashed'
        return info
    info['size'] = st.st_size
    if st.st_size > hash_limit:
        info['note'] = 'larger than the hash limit (%d bytes): not hashed' % hash_limit
        return info
    h = hashlib.sha256()
    try:
        with open(path, 'rb') as f:
            for block in iter(lambda: f.read(1 * MiB), b''):
                h.update(block)
    except OSError as e:
        info['note'] = 'unreadable: %s' % (e.strerror or e)
        return info
    info['hash'] = 'sha256:' + h.hexdigest()
    return info


# --------------------------------------------------------------------------
# Environment
# --------------------------------------------------------------------------


def _run_command(args, timeout, cwd=None):
    r = subprocess.run(
        args,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=True
    )
    return r.stdout.decode('utf-8', 'replace')


def _strip_credentials(url):
    return re.sub(r'^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@', r'\1', url)


def _git_info(options):
    import shutil

    if shutil.which('git') is None:
        return None
    t = options.command_timeout
    try:
        root = _run_command(['git', 'rev-parse', '--show-toplevel'], t).strip()
    except subprocess.CalledProcessError:
        return None  # not in a repository
    info = {'root': root, 'commit': '', 'branch': None, 'remotes': [], 'dirty': False}
    try:
        info['commit'] = _run_command(['git', 'rev-parse', 'HEAD'], t).strip()
    except subprocess.CalledProcessError:
        pass  # no commit yet
    try:
        branch = _run_command(['git', 'rev-parse', '--abbrev-ref', 'HEAD'], t).strip()
        info['branch'] = None if branch in ('', 'HEAD') else branch
    except subprocess.CalledProcessError:
        pass
    remotes = {}
    for line in _run_command(['git', 'remote', '-v'], t).splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] not in remotes:
            remotes[parts[0]] = _strip_credentials(parts[1])
    info['remotes'] = [{'name': k, 'url': v} for k, v in remotes.items()]
    status = _run_command(['git', 'status', '--porcelain'], t)
    info['dirty'] = bool(status.strip())
    if info['dirty'] and info['commit']:
        diff = _run_command(['git', 'diff', 'HEAD'], t)
        data = diff.encode('utf-8')
        if len(data) > options.git_diff_max:
            diff = data[:options.git_diff_max].decode('utf-8', 'ignore')
            info['diffTruncated'] = True
        info['diff'] = diff
    return info


def _gpus(options):
    import shutil

    if shutil.which('nvidia-smi') is None:
        return None
    out = _run_command(
        ['nvidia-smi', '--query-gpu=name,memory.total,driver_version', '--format=csv,noheader,nounits'],
        options.command_timeout
    )
    gpus = []
    for line in out.splitlines():
        parts = [p.strip() for p in line.split(',')]
        if not parts or not parts[0]:
            continue
        gpu = {'name': parts[0]}
        if len(parts) > 1:
            try:
                gpu['memoryMB'] = float(parts[1])
            except ValueError:
                pass
        if len(parts) > 2:
            gpu['driver'] = parts[2]
        gpus.append(gpu)
    return gpus


def _cpu_model():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.lower().startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _memory_total():
    try:
        return os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES')
    except (ValueError, OSError, AttributeError):
        return None


def _packages():
    try:
        from importlib import metadata
    except ImportError:
        return None
    found = {}
    for dist in metadata.distributions():
        try:
            name = dist.metadata['Name']
        except Exception:
            continue
        if not name:
            continue
        key = re.sub(r'[-_.]+', '-', name).lower()
        if key not in found:
            found[key] = dist.version
    return dict(sorted(found.items()))


def collect_environment(options=None):
    """Best-effort description of the kernel's environment (IEnvironment)."""
    options = options or Options()
    env = {'collected': _iso()}
    errors = []

    def part(key, fn):
        try:
            value = fn()
            env[key] = value
        except Exception as e:
            errors.append({'part': key, 'message': '%s: %s' % (type(e).__name__, e)})

    part('python', lambda: {
        'version': platform.python_version(),
        'implementation': platform.python_implementation(),
        'executable': sys.executable
    })
    part('platform', lambda: {
        'system': platform.system(),
        'release': platform.release(),
        'machine': platform.machine(),
        'description': platform.platform()
    })
    part('cpu', lambda: {'count': os.cpu_count(), 'model': _cpu_model()})
    part('memory', lambda: {'totalBytes': _memory_total()})
    part('packages', _packages)
    part('git', lambda: _git_info(options))
    part('gpus', lambda: _gpus(options))
    if env.get('gpus') is None:
        env.pop('gpus', None)
    if env.get('cpu') and env['cpu'].get('model') is None:
        env['cpu'].pop('model')
    if errors:
        env['errors'] = errors
    return env


# --------------------------------------------------------------------------
# Script mode: outside a kernel, write straight into a store folder
# --------------------------------------------------------------------------
#
# `python train.py` has no comm and no frontend: the batches the client
# builds are written as the store's files (docs/store-format.md) by this
# process, one writer among the tabs. Every file is written whole to a
# temporary name and renamed, so a reader sees it complete or not at all;
# chunk names carry this process's writer id, so nothing collides with a tab
# or another script.

STORE_FORMAT_VERSION = 1
_B36 = '0123456789abcdefghijklmnopqrstuvwxyz'


def _random_b36(n):
    raw = os.urandom(n)
    return ''.join(_B36[b % 36] for b in raw)


def _new_experiment_id(ts):
    d = datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc)
    return d.strftime('%Y%m%dT%H%M%S') + '%03dZ-' % (d.microsecond // 1000) + _random_b36(6)


def find_store(cwd=None):
    """The store a script writes to: $LABBOOK_STORE, else the nearest `labbook/`
    folder in or above the working directory, else `labbook/` in it."""
    env = os.environ.get('LABBOOK_STORE')
    if env:
        return os.path.abspath(env)
    start = os.path.abspath(cwd or os.getcwd())
    d = start
    while True:
        candidate = os.path.join(d, 'labbook')
        if os.path.isdir(candidate):
            return candidate
        parent = os.path.dirname(d)
        if parent == d:
            return os.path.join(start, 'labbook')
        d = parent


def _fold_edit(e, s):
    """One edit's `set` over an experiment (as the TypeScript store's applyEdit)."""
    if not isinstance(s, dict):
        return
    for k in ('name', 'project', 'notes', 'statusReason', 'heartbeat'):
        if isinstance(s.get(k), str):
            e[k] = s[k]
    if s.get('status') in ('running', 'finished', 'failed', 'interrupted'):
        e['status'] = s['status']
    if 'ended' in s and (s['ended'] is None or isinstance(s['ended'], str)):
        e['ended'] = s['ended']
    for k in ('tags', 'links'):
        if isinstance(s.get(k), list):
            e[k] = [t for t in s[k] if isinstance(t, str)]
    if isinstance(s.get('executions'), (int, float)) and not isinstance(s.get('executions'), bool):
        e['executions'] = s['executions']
    if isinstance(s.get('params'), dict):
        params = dict(e.get('params') or {})
        params.update(s['params'])
        e['params'] = params
    for k in ('starred', 'archived'):
        if isinstance(s.get(k), bool):
            e[k] = s[k]


class ScriptStore(object):
    """The experiments of one script process, written into a store folder.

    The client hands it each batch it builds (`write_batch`); it creates the
    experiment on the first one, ends it on `end` items, at exit, on an
    uncaught exception (failed, with the traceback) or on SIGTERM
    (interrupted), and writes a heartbeat so tabs know it is alive.
    """

    def __init__(self, root, options=None, argv=None, main_file=None):
        self.root = os.path.abspath(root)
        self.options = options or Options()
        self.writer = _random_b36(8)
        self.argv = list(sys.argv if argv is None else argv)
        self.main_file = main_file
        self.experiment_id = None
        self._lock = threading.RLock()
        self._seq = int(time.time() * 1e6)
        self._last_stamp = 0
        self._heartbeat_at = 0.0
        self._env = None
        self._session = uuid.uuid4().hex
        self._exec_id = None
        self._started_ts = None
        self._metrics = {}
        self._images = {}
        self._index_due = False
        self._index_meta_due = False
        self._index_at = 0.0
        #: Set once the process's run has ended: nothing is written after.
        self.closed = False

    # -- paths and atomic writes ---------------------------------------------

    def _path(self, *parts):
        for p in parts:
            if not p or p in ('.', '..') or '/' in p or '\\' in p or any(ord(c) < 32 for c in p):
                raise ValueError('unsafe store path segment %r' % (p,))
        return os.path.join(self.root, *parts)

    def _write(self, path, data):
        if isinstance(data, str):
            data = data.encode('utf-8')
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        tmp = os.path.join(folder, '.%s.%s.tmp' % (os.path.basename(path), self.writer))
        with open(tmp, 'wb') as f:
            f.write(data)
        os.replace(tmp, path)

    def _write_json(self, path, value):
        self._write(path, json.dumps(value, separators=(',', ':'), allow_nan=False))

    def _file(self, kind, **fields):
        out = {'format': kind, 'version': STORE_FORMAT_VERSION}
        out.update(fields)
        return out

    def _chunk(self, folder):
        self._seq += 1
        return self._path('experiments', self.experiment_id, folder, '%016d-%s.json' % (self._seq, self.writer))

    def _stamp(self):
        us = max(int(time.time() * 1e6), self._last_stamp + 1)
        self._last_stamp = us
        return '%016d-%s' % (us, self.writer)

    # -- the experiment -----------------------------------------------------

    def _script_info(self):
        path = self.main_file
        return {
            'path': os.path.abspath(path) if path else None,
            'argv': self.argv,
            'cwd': os.getcwd(),
            'python': sys.executable,
            'pid': os.getpid(),
            'host': platform.node()
        }

    def _relative(self, path):
        """The script's path as the store's server root sees it (the store's parent)."""
        if not path:
            return '<command line>'
        base = os.path.dirname(self.root)
        full = os.path.abspath(path)
        if full.startswith(base + os.sep):
            return os.path.relpath(full, base).replace(os.sep, '/')
        return full

    def _source(self):
        if not self.main_file:
            return ''
        try:
            with open(self.main_file, 'rb') as f:
                return f.read().decode('utf-8', 'replace')
        except OSError:
            return ''

    def begin(self, name=None):
        """Create a new running experiment (the current one must have ended)."""
        with self._lock:
            ts = time.time()
            self._started_ts = ts
            self.experiment_id = _new_experiment_id(ts)
            self._metrics = {}
            self._images = {}
            notebook = self._relative(self.main_file)
            project = notebook.rsplit('/', 1)[0] if '/' in notebook and not notebook.startswith('/') else ''
            started = _iso(ts)
            store_file = os.path.join(self.root, 'labbook-store.json')
            if not os.path.exists(store_file):
                self._write_json(store_file, self._file(
                    'labbook-store',
                    about='A Labbook experiment store: an open layout of plain files, '
                          'described in docs/store-format.md of Labbook.'
                ))
            kernel = {'name': 'python3', 'language': 'python', 'displayName': 'Python script'}
            experiment = {
                'id': self.experiment_id,
                'name': name or os.path.basename(notebook),
                'project': project,
                'notebook': notebook,
                'tags': [],
                'notes': '',
                'status': 'running',
                'started': started,
                'ended': None,
                'heartbeat': started,
                'kernel': kernel,
                'labbookVersion': __version__,
                'executions': 2,
                'script': self._script_info()
            }
            self._write_json(self._path('experiments', self.experiment_id, 'experiment.json'),
                             self._file('labbook-experiment', experiment=experiment))
            self._heartbeat()
            # The code of the run: the command line (as the sys.argv it set)
            # and the script's source, so the flattened script replays it.
            self._exec_id = uuid.uuid4().hex
            command = ' '.join(self.argv)
            argv_code = '# %s\nimport sys\nsys.argv = %r\n' % (
                ('python ' + command).replace('\n', ' '), self.argv)
            self._argv_id = uuid.uuid4().hex
            records = [
                {'kind': 'session', 'session': self._session, 'index': 0,
                 'kernelId': 'script-%d' % os.getpid(), 'kernel': kernel,
                 'started': started, 'reason': 'start'},
                self._execution(self._argv_id, 1, argv_code, started, started, 'ok'),
                self._execution(self._exec_id, 2, self._source(), started, None, None)
            ]
            self._write_json(self._chunk('history'), self._file('labbook-history', writer=self.writer, records=records))
            if self._env is not None:
                self._write_environment(self._env)
            self._write_index()
            if not os.environ.get('LABBOOK_QUIET'):
                sys.stderr.write('labbook: recording experiment %s in %s\n' % (self.experiment_id, self.root))

    def _execution(self, msg_id, index, source, started, ended, status, error=None, tb=None):
        times = {'shell.execute_reply.started': started}
        duration = None
        if ended is not None:
            times['shell.execute_reply'] = ended
            duration = max(0, int(round((_parse_iso(ended) - _parse_iso(started)) * 1000.0)))
        record = {
            'kind': 'execution', 'session': self._session, 'index': index, 'msgId': msg_id,
            'cellId': None, 'source': source, 'executionCount': None, 'times': times,
            'duration': duration, 'status': status, 'outputs': []
        }
        if error is not None:
            record['error'] = error
            out = {'type': 'error', 'ename': error['ename'], 'evalue': error['evalue']}
            if tb:
                out['text'] = tb[-10000:]
                out['truncated'] = len(tb) > 10000
            record['outputs'] = [out]
        return record

    def finish(self, status='finished', reason=None, error=None, tb=None):
        """End the current experiment (no-op when none runs)."""
        with self._lock:
            if self.experiment_id is None:
                return
            ended = _iso()
            started = _iso(self._started_ts)
            exec_status = {'finished': 'ok', 'failed': 'error'}.get(status, 'aborted')
            record = self._execution(self._exec_id, 2, self._source(), started, ended, exec_status, error, tb)
            self._write_json(self._chunk('history'), self._file('labbook-history', writer=self.writer, records=[record]))
            if tb:
                self._write_json(self._chunk('texts'), self._file('labbook-texts', writer=self.writer, texts=[
                    {'name': 'traceback', 'text': tb, 'step': None, 'time': _now_ms(), 'parent': None}]))
            patch = {'status': status, 'ended': ended}
            if reason:
                patch['statusReason'] = reason
            self._edit(patch)
            self._heartbeat(ended)
            self._write_index()
            self.experiment_id = None

    def _edit(self, patch):
        self._write_json(self._chunk('edits'), self._file('labbook-edit', time=_iso(), writer=self.writer, set=patch))
        self._index_due = True
        self._index_meta_due = True

    def _heartbeat(self, when=None):
        self._heartbeat_at = time.monotonic()
        self._write_json(self._path('experiments', self.experiment_id, 'heartbeat', '%s.json' % self.writer),
                         self._file('labbook-heartbeat', writer=self.writer, time=when or _iso()))

    def tick(self, heartbeat_seconds=10.0):
        """From the flusher: the heartbeat, and an index chunk at most every 2 s
        after a metadata edit, every 10 s while only metrics come (each chunk is
        a file in index/ until a tab compacts it)."""
        with self._lock:
            if self.experiment_id is None:
                return
            now = time.monotonic()
            if now - self._heartbeat_at >= heartbeat_seconds:
                self._heartbeat()
            wait = 2.0 if self._index_meta_due else 10.0
            if self._index_due and now - self._index_at >= wait:
                self._write_index()

    def _read(self):
        """The experiment as stored: experiment.json with every writer's edits folded."""
        folder = self._path('experiments', self.experiment_id)
        with open(os.path.join(folder, 'experiment.json'), 'rb') as f:
            e = dict(json.loads(f.read().decode('utf-8'))['experiment'])
        edits = []
        edits_dir = os.path.join(folder, 'edits')
        try:
            names = sorted(n for n in os.listdir(edits_dir) if n.endswith('.json') and not n.startswith('.'))
        except OSError:
            names = []
        for n in names:
            try:
                with open(os.path.join(edits_dir, n), 'rb') as f:
                    edit = json.loads(f.read().decode('utf-8'))
                edits.append((str(edit.get('time', '')), n, edit.get('set')))
            except (OSError, ValueError):
                continue
        for _, _, s in sorted(edits, key=lambda x: (x[0], x[1])):
            _fold_edit(e, s)
        return e

    def _write_index(self):
        self._index_due = False
        self._index_meta_due = False
        self._index_at = time.monotonic()
        e = self._read()
        duration = None
        if e.get('ended'):
            duration = max(0, int(round((_parse_iso(e['ended']) - _parse_iso(e['started'])) * 1000.0)))
        summary = {
            'name': e.get('name', ''), 'project': e.get('project', ''), 'links': e.get('links', []),
            'notebook': e.get('notebook', ''), 'tags': e.get('tags', []), 'status': e.get('status'),
            'started': e['started'], 'ended': e.get('ended'), 'duration': duration,
            'starred': bool(e.get('starred', False)), 'archived': bool(e.get('archived', False)),
            'executions': e.get('executions', 0), 'kernel': (e.get('kernel') or {}).get('name', ''),
            'params': e.get('params', {}), 'notes': (e.get('notes') or '')[:200], 'script': True
        }
        entry = {'id': self.experiment_id, 'stamp': self._stamp(), 'summary': summary}
        if self._metrics:
            entry['metrics'] = dict((k, dict(v)) for k, v in self._metrics.items())
            entry['metricsDamaged'] = None
            entry['metricWriters'] = [self.writer]
        self._seq += 1
        path = self._path('index', '%016d-%s.json' % (self._seq, self.writer))
        self._write_json(path, self._file('labbook-index', writer=self.writer, entries=[entry]))

    def _write_environment(self, env):
        self._write_json(self._path('experiments', self.experiment_id, 'environment.json'),
                         self._file('labbook-environment', writer=self.writer, environment=env))

    # -- batches --------------------------------------------------------------

    def write_batch(self, msg, buffers):
        """Store one batch the client built (the items of docs/kernel-protocol.md)."""
        with self._lock:
            self._write_batch(msg, buffers)

    def _write_batch(self, msg, buffers):
        if self.closed:
            return
        items = msg['items']
        for item in items:
            kind = item.get('kind')
            if kind == 'start':
                self.finish('finished')
                self.begin(item.get('name'))
                return
            if kind == 'end':
                self.finish(item.get('status') or 'finished')
                return
        if all(i.get('kind') == 'env' for i in items):
            self._env = items[-1]['env']
            if self.experiment_id is not None:
                self._write_environment(self._env)
            return
        if self.experiment_id is None:
            self.begin()
        series = collections.OrderedDict()
        texts, images, inputs = [], [], []
        for item in items:
            kind = item.get('kind')
            if kind == 'metrics':
                key = (item['name'], item.get('parent'))
                parts = series.setdefault(key, ([], [], []))
                parts[0].append(buffers[item['values']])
                parts[1].append(buffers[item['steps']])
                parts[2].append(buffers[item['times']])
            elif kind == 'text':
                t = {'name': item['name'], 'text': item['text'], 'step': item.get('step'),
                     'time': item['time'], 'parent': item.get('parent')}
                if item.get('truncated'):
                    t['truncated'] = True
                texts.append(t)
            elif kind == 'image':
                self._write(self._path('experiments', self.experiment_id, 'image-parts',
                                       '%s-%d.bin' % (item['id'], item['chunk'])), buffers[item['buffer']])
                if item['chunk'] == item['chunks'] - 1:
                    images.append({k: item[k] for k in ('id', 'name', 'mime', 'step', 'caption', 'width',
                                                        'height', 'size', 'time', 'parent')})
                    images[-1]['parts'] = item['chunks']
            elif kind == 'input':
                rec = dict(item['input'])
                rec['time'] = item['time']
                rec['parent'] = item.get('parent')
                inputs.append(rec)
            elif kind == 'params':
                params = dict(item.get('params') or {})
                for k, r in (item.get('reprs') or {}).items():
                    params[k] = {'source': r}
                self._edit({'params': params})
            elif kind == 'tags':
                current = self._read().get('tags') or []
                self._edit({'tags': current + [t for t in item['tags'] if t not in current]})
            elif kind == 'note':
                current = self._read().get('notes') or ''
                text = str(item.get('text', ''))
                self._edit({'notes': '\n'.join(p for p in (current, text) if p) if item.get('append') else text})
            elif kind == 'name':
                self._edit({'name': item['name']})
            elif kind == 'env':
                self._env = item['env']
                self._write_environment(self._env)
        if series:
            out = []
            for (name, parent), (vals, steps, times) in series.items():
                v, s, t = b''.join(vals), b''.join(steps), b''.join(times)
                entry = {'name': name}
                if parent:
                    entry['parent'] = parent
                entry.update(count=len(v) // 8, encoding='f64le-base64',
                             steps=base64.b64encode(s).decode('ascii'),
                             times=base64.b64encode(t).decode('ascii'),
                             values=base64.b64encode(v).decode('ascii'))
                out.append(entry)
                self._summarize(name, v, s)
            self._write_json(self._chunk('metrics'), self._file(
                'labbook-metrics', writer=self.writer,
                batch={'session': msg['session'], 'seq': msg['seq']}, series=out))
            self._index_due = True
        if texts:
            self._write_json(self._chunk('texts'), self._file('labbook-texts', writer=self.writer, texts=texts))
        if images:
            self._write_json(self._chunk('images'), self._file('labbook-images', writer=self.writer, images=images))
        if inputs:
            self._write_json(self._chunk('inputs'), self._file('labbook-inputs', writer=self.writer, inputs=inputs))

    def _summarize(self, name, values, steps):
        """Merge appended points into the metric's index summary (last/min/max/step/count)."""
        vals = array.array('d')
        vals.frombytes(values)
        stp = array.array('d')
        stp.frombytes(steps[-8:])
        if not _LITTLE:
            vals.byteswap()
            stp.byteswap()
        if not len(vals):
            return
        finite = [x for x in (min(vals), max(vals)) if math.isfinite(x)]
        if len(finite) < 2:
            finite = [x for x in vals if math.isfinite(x)]
        lo = min(finite) if finite else None
        hi = max(finite) if finite else None
        s = self._metrics.get(name) or {'last': None, 'min': None, 'max': None, 'step': None, 'count': 0}
        last = vals[-1]
        s['last'] = last if math.isfinite(last) else None
        s['step'] = stp[-1] if math.isfinite(stp[-1]) else None
        if lo is not None:
            s['min'] = lo if s['min'] is None else min(s['min'], lo)
            s['max'] = hi if s['max'] is None else max(s['max'], hi)
        s['count'] += len(vals)
        self._metrics[name] = s


def _parse_iso(text):
    return datetime.datetime.fromisoformat(text.replace('Z', '+00:00')).timestamp()


# --------------------------------------------------------------------------
# Module-level API
# --------------------------------------------------------------------------

_client = None


def _get_client():
    global _client
    if _client is None:
        shell = None
        # A kernel has imported IPython already; a script need not pay for it.
        if 'IPython' in sys.modules:
            try:
                from IPython import get_ipython

                shell = get_ipython()
            except Exception:
                pass
        if getattr(shell, 'kernel', None) is None:
            _client = _script_client()
        else:
            _client = Client(shell=shell)
            _register_comm_target(_client, shell)
            _client.collect_environment()
            atexit.register(_at_exit)
    return _client


# Script mode: what ended the process, set by the hooks below.
_script_state = {'error': None, 'done': False, 'exit': None}


def _exit_status_failed(code):
    """True when `sys.exit(code)` ends the process with a non-zero status."""
    if code is None or code is False:
        return False
    if isinstance(code, int):
        return code != 0
    return True  # sys.exit("message") prints it and exits with status 1


def _record_exits():
    """Wrap sys.exit and the exit()/quit() builtins so the run knows the status.

    SystemExit never reaches sys.excepthook and atexit is not told the exit
    status, so without this `sys.exit(1)` (argparse's errors, a failed check)
    would end the run as finished. A bare `raise SystemExit(1)` still is.
    """
    real_exit = sys.exit
    if getattr(real_exit, '_labbook', False):
        return

    def exit(status=None):
        _script_state['exit'] = status
        real_exit(status)

    exit._labbook = True
    sys.exit = exit
    try:
        import builtins

        for name in ('exit', 'quit'):
            quitter = getattr(builtins, name, None)
            if quitter is not None and callable(quitter) and not getattr(quitter, '_labbook', False):
                def wrapped(code=None, _quitter=quitter):
                    _script_state['exit'] = code
                    _quitter(code)

                wrapped._labbook = True
                wrapped.__doc__ = getattr(quitter, '__doc__', None)
                setattr(builtins, name, wrapped)
    except Exception:
        pass


def _script_client():
    """A client that writes into the store folder, with the hooks that end its run."""
    main = sys.modules.get('__main__')
    main_file = getattr(main, '__file__', None)
    store = ScriptStore(find_store(), argv=sys.argv, main_file=main_file)
    client = Client(sink=store)
    client.collect_environment()
    previous = sys.excepthook

    def excepthook(tp, value, tb):
        _script_state['error'] = (tp, value, tb)
        previous(tp, value, tb)

    sys.excepthook = excepthook
    _record_exits()
    try:
        if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) in (
            signal.SIG_DFL,
            None
        ):
            def on_sigterm(signum, frame):
                _script_end('interrupted', 'terminated (SIGTERM)')
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.kill(os.getpid(), signal.SIGTERM)

            signal.signal(signal.SIGTERM, on_sigterm)
    except (ValueError, OSError, AttributeError):
        pass
    atexit.register(_script_at_exit)
    return client


def _after_fork_in_child():
    # A forked worker (a data loader's, say) has no flusher thread and must
    # not write under its parent's writer id: it starts afresh, and only
    # makes a run of its own if it logs.
    global _client
    if _client is not None and _client._sink is not None:
        _client = None
        _script_state['error'] = None
        _script_state['done'] = False
        _script_state['exit'] = None


if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _script_end(status, reason=None, error=None, tb=None):
    """Write what is pending, then end the run (once)."""
    c = _client
    if c is None or c._sink is None or _script_state['done']:
        return
    _script_state['done'] = True
    try:
        c.join_workers(5.0)
        c.flush(0)
        c._sink.finish(status, reason, error, tb)
        c._sink.closed = True
    except Exception as e:
        _warn('labbook: could not end the run in the store (%s)' % e)
    c.shutdown()


def _script_at_exit():
    err = _script_state['error']
    if err is None:
        code = _script_state['exit']
        if _exit_status_failed(code):
            reason = 'exited with status %s' % (code if isinstance(code, int) else 1)
            if not isinstance(code, int):
                reason += ': %s' % (code,)
            _script_end('failed', reason, {'ename': 'SystemExit', 'evalue': str(code)})
        else:
            _script_end('finished')
        return
    tp, value, tb = err
    text = ''.join(traceback.format_exception(tp, value, tb))
    error = {'ename': tp.__name__, 'evalue': str(value)}
    if issubclass(tp, KeyboardInterrupt):
        _script_end('interrupted', 'KeyboardInterrupt', error, text)
    else:
        _script_end('failed', '%s: %s' % (tp.__name__, value), error, text)


def _new_comm(data):
    """A comm opened from the kernel to the frontend's `labbook` target, or None."""
    try:
        from comm import create_comm  # ipykernel >= 6.18

        return create_comm(target_name=COMM_TARGET, data=data)
    except ImportError:
        pass
    try:
        from ipykernel.comm import Comm

        return Comm(target_name=COMM_TARGET, data=data)
    except Exception:
        return None


def _connect_frontend(hello):
    """Open the comm from the kernel, for the frontend whose injection code calls this.

    A comm the frontend opens is only seen between two cells (ipykernel reads
    comm messages on the shell channel), so a cell run right after the notebook
    opened would log into the buffer alone, with no live charts. The injection
    runs before any cell the user queues, and a comm the kernel opens reaches
    the frontend at once. `hello` is the frontend's hello (docs/kernel-protocol.md);
    its `nonce` is echoed so only the frontend that asked takes this comm.
    """
    client = _get_client()
    data = {'type': 'open', 'protocol': PROTOCOL, 'nonce': hello.get('nonce')}
    comm = _new_comm(data)
    if comm is None:
        return False
    client.attach(comm, {'content': {'data': hello}})
    return True


def _register_comm_target(client, shell):
    kernel = getattr(shell, 'kernel', None)
    manager = getattr(kernel, 'comm_manager', None)
    if manager is None:
        try:
            import comm as comm_pkg  # ipykernel >= 6.18 delegates to the comm package

            manager = comm_pkg.get_comm_manager()
        except Exception:
            manager = None
    if manager is None:
        return False
    manager.register_target(COMM_TARGET, lambda comm, msg: client.attach(comm, msg))
    return True


def _at_exit():
    c = _client
    if c is not None:
        try:
            c.flush(1.0)
        except Exception:
            pass
        c.shutdown()


def _shutdown():
    """Stop the flusher (used when a newer module replaces this one)."""
    global _client
    c = _client
    _client = None
    if c is not None:
        c.shutdown()


def _api(fn):
    name = fn.__name__

    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            _warn('labbook.%s failed: %s' % (name, e))
            return None

    wrapper.__name__ = name
    wrapper.__qualname__ = name
    wrapper.__doc__ = fn.__doc__
    wrapper.__wrapped__ = fn
    return wrapper


def log(name_or_dict, value=None, step=None):
    """Log metrics: ``log("loss", 0.3, step=10)`` or ``log({"loss": 0.3, "acc": 0.9}, step=10)``.

    Values are numbers (numpy and tensor scalars too); NaN and infinities are
    kept. Without a step, each metric's step is its previous step plus one
    (starting at 0).
    """
    # What _api does, without its extra call: this one runs once per point.
    try:
        (_client or _get_client()).log(name_or_dict, value, step)
    except Exception as e:
        _warn('labbook.log failed: %s' % e)


@_api
def log_params(params):
    """Log parameters from a dict. Values without a JSON form are kept as their repr."""
    _get_client().log_params(params)


@_api
def log_param(name, value):
    """Log one parameter."""
    _get_client().log_params({name: value})


@_api
def log_text(name, text, step=None):
    """Log a piece of text under a name (shown as text, never as HTML)."""
    _get_client().log_text(name, text, step)


@_api
def log_image(name, image, step=None, caption=None):
    """Log an image: PNG/JPEG bytes, a path, a PIL image, a numpy array
    (HxW, HxWx3, HxWx4; floats in [0, 1] or integers in [0, 255]) or a
    matplotlib figure."""
    _get_client().log_image(name, image, step, caption)


@_api
def tags(*tags):
    """Add tags to the experiment: ``tags("baseline", "resnet")``."""
    _get_client().tags(tags)


tag = tags


@_api
def note(text, append=True):
    """Add a note (Markdown) to the experiment; append=False replaces the notes."""
    _get_client().note(text, append)


@_api
def set_name(name):
    """Rename the experiment."""
    _get_client().set_name(name)


@_api
def start(name=None):
    """End this notebook's running experiment, if any, and start a new one
    (like ``wandb.init()`` or MLflow's ``start_run()``): a sweep in one cell
    makes one experiment per run."""
    _get_client().start(name)


@_api
def end(status='finished'):
    """End this notebook's running experiment ('finished', 'failed' or 'interrupted')."""
    _get_client().end(status)


@_api
def log_input(path_or_url, name=None, hash_limit=None):
    """Record a data input: its size, modification time and sha256 (files
    under the hash limit, hashed in the background). ``name`` defaults to
    the file name."""
    _get_client().log_input(path_or_url, name, hash_limit)


@_api
def display():
    """Show the experiment panel inline (in JupyterLab with Labbook)."""
    _get_client().display()


@_api
def experiment():
    """What this kernel knows of the current experiment: id, name, status,
    notebook, whether a frontend is connected and how much is unacknowledged."""
    return _get_client().experiment()


@_api
def flush(timeout=2.0):
    """Send what is pending now (within the rate limit), waiting up to timeout seconds."""
    _get_client().flush(timeout)


# Defining the module in a kernel registers the comm target right away, so the
# frontend can open its comm before user code first calls labbook.
try:
    if 'IPython' in sys.modules:
        from IPython import get_ipython as _gi

        if getattr(_gi(), 'kernel', None) is not None:
            _get_client()
        del _gi
except Exception:
    pass

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A real Ray head on loopback for the session, with real jobs submitted through the Jobs REST API.

Ray comes from .venv-ray (make ray-venv), never from the Ansible environment. The head is stopped on every
exit path: the fixture's finalizer, an atexit hook and a SIGTERM handler all run `ray stop --force` (which
stops the Ray processes of this user: nothing else on a test machine runs Ray) and remove the head's
temporary directory; a head that failed to start or never answered is stopped too.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'functional'))

START_TIMEOUT = 120


def ray_bin():
    """The directory of the ray CLI of .venv-ray; a loud failure when it is missing."""
    directory = os.environ.get('JOBSCOPE_RAY_BIN') or os.path.join(ROOT, '.venv-ray', 'bin')
    if not os.access(os.path.join(directory, 'ray'), os.X_OK):
        pytest.fail('the ray CLI is not in %s: run `make ray-venv` (or `make ray-tests`), which installs '
                    'tests/ray/requirements.txt into .venv-ray' % directory)
    return directory


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class RayHead(object):
    """One `ray start --head` with its dashboard on 127.0.0.1, in a temporary directory of its own."""

    def __init__(self, bin_dir):
        self.bin = bin_dir
        self.temp = tempfile.mkdtemp(prefix='jsray-')  # short: Ray's socket paths must fit in 107 bytes
        self.home = os.path.join(self.temp, 'home')
        os.makedirs(self.home)
        self.port = free_port()
        self.dashboard_port = free_port()
        self.address = 'http://127.0.0.1:%d' % self.dashboard_port
        self.started = False
        self.stopped = False
        self.start_seconds = None

    def env(self):
        env = dict(os.environ)
        for name in list(env):
            if name.startswith(('RAY_', 'ANSIBLE_')) or name in ('VIRTUAL_ENV', 'PYTHONPATH'):
                del env[name]
        env.update({
            'HOME': self.home,
            # Jobs run `python` from Ray's own environment.
            'PATH': self.bin + os.pathsep + env.get('PATH', ''),
            'RAY_USAGE_STATS_ENABLED': '0',
            'RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER': '0',
        })
        return env

    def ray(self, *args, timeout=120):
        return subprocess.run([os.path.join(self.bin, 'ray')] + list(args), env=self.env(), capture_output=True,
                              text=True, timeout=timeout, check=False)

    def start(self):
        began = time.monotonic()
        self.started = True  # from here on, stop() must run whatever happens
        proc = self.ray('start', '--head', '--port=%d' % self.port, '--node-ip-address=127.0.0.1',
                        '--dashboard-host=127.0.0.1', '--dashboard-port=%d' % self.dashboard_port,
                        '--include-dashboard=true', '--num-cpus=4', '--object-store-memory=100000000',
                        '--disable-usage-stats', '--temp-dir=%s' % self.temp, timeout=START_TIMEOUT)
        if proc.returncode != 0:
            raise RuntimeError('ray start failed (rc %d):\n%s\n%s' % (proc.returncode, proc.stdout[-3000:],
                                                                      proc.stderr[-3000:]))
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                self.request('GET', '/api/version')
                self.request('GET', '/api/jobs/')
                self.start_seconds = time.monotonic() - began
                return self
            except (OSError, ValueError):
                time.sleep(0.25)
        raise RuntimeError('the Ray dashboard at %s did not answer within %d s' % (self.address, START_TIMEOUT))

    def stop(self):
        if not self.started or self.stopped:
            return
        self.stopped = True
        # `ray stop` finds this head's processes; --force after a grace period that tests do not need.
        self.ray('stop', '--force', timeout=120)
        shutil.rmtree(self.temp, ignore_errors=True)

    # ---- the Jobs REST API, as any client calls it -----------------------------------------------

    def request(self, method, path, body=None, timeout=30):
        data = None if body is None else json.dumps(body).encode('utf-8')
        request = urllib.request.Request(self.address + path, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode('utf-8'))

    def submit(self, entrypoint, metadata=None, prefix='jobscope'):
        submission_id = '%s-%s' % (prefix, uuid.uuid4().hex[:10])
        answer = self.request('POST', '/api/jobs/', {'entrypoint': entrypoint, 'submission_id': submission_id,
                                                     'metadata': metadata or {}})
        assert answer['submission_id'] == submission_id
        return submission_id

    def job(self, submission_id):
        return self.request('GET', '/api/jobs/%s' % submission_id)

    def stop_job(self, submission_id):
        return self.request('POST', '/api/jobs/%s/stop' % submission_id)

    def wait_for(self, submission_id, statuses, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.job(submission_id)
            if job['status'] in statuses:
                return job
            time.sleep(0.2)
        raise AssertionError('job %s is still %s after %d s' % (submission_id, job['status'], timeout))


_HEADS = []


def _stop_all():
    for head in _HEADS:
        head.stop()


atexit.register(_stop_all)


def _on_sigterm(signum, frame):
    _stop_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


@pytest.fixture(scope='session')
def head():
    bin_dir = ray_bin()
    head = RayHead(bin_dir)
    _HEADS.append(head)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        head.start()
        print('\nRay head ready in %.1f s at %s' % (head.start_seconds, head.address))
        yield head
    finally:
        head.stop()
        signal.signal(signal.SIGTERM, previous)


# One succeeds, one fails, one runs long and is stopped: submitted once, shared by the tests that only read.
SLEEP_OK = 4


@pytest.fixture(scope='session')
def jobs(head):
    suite = uuid.uuid4().hex[:8]
    ok = head.submit('python -c "import time; time.sleep(%d)"' % SLEEP_OK,
                     {'suite': suite, 'team': 'ml', 'Owner': 'Ann'}, prefix='jobscope-ok')
    failing = head.submit('python -c "import sys, time; time.sleep(1); sys.exit(3)"',
                          {'suite': suite, 'team': 'data'}, prefix='jobscope-fail')
    long_running = head.submit('python -c "import time; time.sleep(600)"', {'suite': suite, 'team': 'ml'},
                               prefix='jobscope-long')
    head.wait_for(long_running, ('RUNNING',))
    head.stop_job(long_running)
    finished = {
        'ok': head.wait_for(ok, ('SUCCEEDED', 'FAILED', 'STOPPED')),
        'fail': head.wait_for(failing, ('SUCCEEDED', 'FAILED', 'STOPPED')),
        'long': head.wait_for(long_running, ('SUCCEEDED', 'FAILED', 'STOPPED')),
    }
    assert [finished[name]['status'] for name in ('ok', 'fail', 'long')] == ['SUCCEEDED', 'FAILED', 'STOPPED']
    return {'suite': suite, 'ok': ok, 'fail': failing, 'long': long_running, 'jobs': finished}

"""Shared pieces of the benchmark: the emulator process, a clean Ansible environment, measured child runs.

The collection path and the clean environment come from tests/functional/harness.py, so the benchmark
runs the collection exactly as the functional tests do.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CALLBACKS = os.path.join(HERE, 'callback_plugins')

sys.path.insert(0, os.path.join(ROOT, 'tests', 'functional'))
import harness  # noqa: E402  (tests/functional/harness.py)

ALIBABA_ENV = harness.ALIBABA_ENV
collections_path = harness.collections_path


def tool(name):
    """An executable next to this interpreter (the venv's ansible-playbook), else from PATH."""
    candidate = os.path.join(os.path.dirname(sys.executable), name)
    return candidate if os.path.exists(candidate) else (shutil.which(name) or name)


def ansible_env(extra=None, home=None):
    """The functional tests' clean environment, with the emulator's Alibaba credentials."""
    env = dict(ALIBABA_ENV, ANSIBLE_RETRY_FILES_ENABLED='false')
    env.update(extra or {})
    return harness.ansible_env(env, home=home or tempfile.mkdtemp(prefix='jobscope-bench-home-'))


class Measured(object):
    def __init__(self, rc, wall, maxrss, stdout, stderr, cpu=None):
        self.rc, self.wall, self.maxrss, self.stdout, self.stderr, self.cpu = rc, wall, maxrss, stdout, stderr, cpu

    def check(self, what):
        if self.rc != 0:
            raise RuntimeError('%s failed (rc %s):\n%s\n%s' % (what, self.rc, self.stdout[-3000:], self.stderr[-3000:]))
        return self


# Runs the measured command and reports its peak RSS. A child's ru_maxrss includes the RSS of the process
# it was forked from (the kernel keeps the old address space's high-water mark at exec), so the command is
# started from this small interpreter (-I -S: no site packages, ~10 MB), not from the benchmark's own,
# whose RSS would otherwise be the floor of every measurement.
_SPAWNER = """
import json, os, sys, time
report, command = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.posix_spawnp(command[0], command, os.environ)
_pid, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
code = os.waitstatus_to_exitcode(status)
with open(report, 'w') as handle:
    json.dump({'wall': wall, 'maxrss': usage.ru_maxrss * 1024, 'rc': code,
               'cpu': usage.ru_utime + usage.ru_stime}, handle)
sys.exit(code if code >= 0 else 1)
"""


def measure(command, env=None, timeout=600, cwd=None):
    """Run a command; its wall time, CPU time and peak RSS in bytes (the largest process of its tree).

    wait4 reports the maximum over the child and every descendant it waited for (ansible-playbook's
    workers and the module process), so each run is measured on its own, unlike RUSAGE_CHILDREN.
    """
    out = tempfile.TemporaryFile(mode='w+')
    err = tempfile.TemporaryFile(mode='w+')
    fd, report = tempfile.mkstemp(prefix='jobscope-bench-', suffix='.json')
    os.close(fd)
    try:
        process = subprocess.Popen([sys.executable, '-I', '-S', '-c', _SPAWNER, report] + list(command),
                                   stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            process.wait()
            raise RuntimeError('timed out after %s s: %s' % (timeout, ' '.join(command)))
        with open(report) as handle:
            data = json.load(handle)
    finally:
        os.remove(report)
    out.seek(0)
    err.seek(0)
    return Measured(data['rc'], data['wall'], data['maxrss'], out.read(), err.read(), data['cpu'])


def _kill(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass


class Emulator(harness.Emulator):
    """The functional tests' emulator, with what the benchmark reads: CPU used, request counts, item ids."""

    def __init__(self, spec=None):
        super(Emulator, self).__init__(spec or {'seed': 1, 'now': None})

    def cpu(self):
        """CPU seconds the emulator process has used so far (Linux /proc), or None."""
        try:
            with open('/proc/%d/stat' % self.process.pid) as handle:
                fields = handle.read().rsplit(')', 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / float(os.sysconf('SC_CLK_TCK'))
        except (OSError, ValueError, IndexError):
            return None

    def request_stats(self):
        """API requests since the last clear: how many, and how many the rate limiter refused."""
        log = self.control('GET', 'requests')
        entries = log['requests']
        return {
            'requests': len(entries),
            'refused': sum(1 for entry in entries if entry.get('fault') == 'rate_limit'),
            'failed': sum(1 for entry in entries if (entry.get('status') or 0) >= 400),
            'dropped_from_log': log.get('dropped', 0),
        }

    def item_ids(self, collection, id_key, workspace=None):
        path = 'items/%s' % collection + ('?workspace=%s' % workspace if workspace else '')
        return [str(item[id_key]) for item in self.control('GET', path)['items']]

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Drive the collection the way users do (ansible, ansible-playbook, ansible-inventory) against the emulator.

The emulator runs as its own process on loopback, so every test exercises real HTTP, real signing and
real Ansible module execution, and can read the emulator's request log to see what went over the wire.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EMULATOR = os.path.join(ROOT, 'tests', 'emulator', 'emulator.py')

ALIBABA_ENV = {'ALIBABA_CLOUD_ACCESS_KEY_ID': 'emuAccessKeyId', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET': 'emuAccessKeySecret'}
HUAWEI_ENV = {'HUAWEICLOUD_SDK_AK': 'emuHwAk', 'HUAWEICLOUD_SDK_SK': 'emuHwSk',
              'HUAWEICLOUD_SDK_PROJECT_ID': '0123456789abcdef0123456789abcdef'}
# Every credential these tests hand out; none may ever appear in any output.
SECRETS = ('emuAccessKeySecret', 'emuStsKeySecret', 'emuSecurityToken', 'emuHwSk', 'emuIamToken')


def collections_path():
    """A directory holding ansible_collections/jobscope/cloud -> this tree (ansible-test's copy already is one)."""
    parts = ROOT.split(os.sep)
    if parts[-3:] == ['ansible_collections', 'jobscope', 'cloud']:
        return os.sep.join(parts[:-3])
    # One directory per checkout: several worktrees on one machine must never test each other's code.
    checkout = hashlib.sha256(os.path.realpath(ROOT).encode('utf-8')).hexdigest()[:12]
    base = os.path.join(tempfile.gettempdir(), 'jobscope-collections-%d-%s' % (os.getuid(), checkout))
    link = os.path.join(base, 'ansible_collections', 'jobscope', 'cloud')
    if os.path.realpath(link) != os.path.realpath(ROOT):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        # Atomic, so that parallel test workers never see the link missing.
        temporary = '%s.%d' % (link, os.getpid())
        os.symlink(ROOT, temporary)
        os.replace(temporary, link)
    return base


class Emulator(object):
    """The emulator as a subprocess on a free loopback port, with its control API."""

    def __init__(self, dataset='demo', extra_args=()):
        self.dataset = dataset
        self.extra_args = list(extra_args)
        self.process = None
        self.url = None
        self.port = None

    def start(self):
        workdir = tempfile.mkdtemp(prefix='jobscope-emulator-')
        port_file = os.path.join(workdir, 'port')
        dataset = self.dataset
        if isinstance(dataset, dict):
            path = os.path.join(workdir, 'dataset.json')
            with open(path, 'w') as handle:
                json.dump(dataset, handle)
            dataset = path
        self.process = subprocess.Popen(
            [sys.executable, EMULATOR, '--port', '0', '--dataset', dataset, '--port-file', port_file]
            + self.extra_args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 30
        try:
            while time.time() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError('emulator exited: %s' % self.process.stderr.read().decode())
                if os.path.exists(port_file) and open(port_file).read().strip():
                    self.port = int(open(port_file).read().strip())
                    self.url = 'http://127.0.0.1:%d' % self.port
                    try:
                        self.control('GET', 'health')
                        return self
                    except OSError:
                        pass
                time.sleep(0.05)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        self.stop()
        raise RuntimeError('emulator did not start in 30 s')

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def control(self, method, path, body=None, timeout=120):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request('%s/_emulator/%s' % (self.url, path), data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode()
        return json.loads(text) if text else None

    def reset(self, spec=None):
        return self.control('POST', 'reset', spec or {})

    def requests(self):
        log = self.control('GET', 'requests')
        return log['requests'] if isinstance(log, dict) else log

    def clear_requests(self):
        self.control('DELETE', 'requests')

    def faults(self, *faults):
        return self.control('POST', 'faults', {'faults': list(faults)})

    def changes(self, *changes):
        return self.control('POST', 'changes', {'changes': list(changes)})

    def items(self, collection):
        items = self.control('GET', 'items/%s' % collection)
        return items['items'] if isinstance(items, dict) else items


class Result(object):
    def __init__(self, rc, stdout, stderr, result):
        self.rc, self.stdout, self.stderr, self.result = rc, stdout, stderr, result

    @property
    def output(self):
        return self.stdout + self.stderr

    @property
    def failed(self):
        return bool(self.result.get('failed')) or self.rc != 0


def ansible_env(extra=None, home=None):
    """A clean environment: only what the test passes in, no credentials leaking in from the machine."""
    env = dict((key, value) for key, value in os.environ.items()
               if not key.startswith(('ALIBABA_CLOUD_', 'HUAWEICLOUD_', 'ANSIBLE_')))
    env.update({
        'ANSIBLE_COLLECTIONS_PATH': collections_path(),
        'ANSIBLE_LOCALHOST_WARNING': 'false',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
        'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
        'ANSIBLE_NOCOLOR': '1',
        'HOME': home or tempfile.mkdtemp(prefix='jobscope-home-'),
    })
    env.update(extra or {})
    return env


def _bin(name):
    candidate = os.path.join(os.path.dirname(sys.executable), name)
    return candidate if os.path.exists(candidate) else name


def run_command(command, env=None, timeout=300, cwd=None):
    proc = subprocess.run([_bin(command[0])] + list(command[1:]), capture_output=True, text=True,
                          env=ansible_env(env), timeout=timeout, cwd=cwd, check=False)
    return Result(proc.returncode, proc.stdout, proc.stderr, {})


def _minimal_result(stdout):
    """The task result that the minimal stdout callback prints as ``localhost | STATUS => {json}``."""
    marker = stdout.rfind('localhost | ')
    if marker < 0:
        return {}
    start = stdout.find('{', marker)
    if start < 0:
        return {}
    try:
        return json.JSONDecoder().raw_decode(stdout[start:])[0]
    except ValueError:
        return {}


def run_adhoc(module, args, env=None, verbosity=0, check=False, timeout=300):
    """Run one module ad hoc on localhost, with ansible-core's own minimal stdout callback.

    The result is the JSON that the callback prints after ``localhost | SUCCESS =>`` (or FAILED!).
    """
    command = [_bin('ansible'), 'localhost', '-c', 'local', '-i', 'localhost,', '-m', 'jobscope.cloud.' + module,
               '-a', json.dumps(args)]
    if verbosity:
        command.append('-' + 'v' * verbosity)
    if check:
        command.append('--check')
    extra = {'ANSIBLE_LOAD_CALLBACK_PLUGINS': '1', 'ANSIBLE_STDOUT_CALLBACK': 'ansible.builtin.minimal'}
    extra.update(env or {})
    proc = subprocess.run(command, capture_output=True, text=True, env=ansible_env(extra), timeout=timeout,
                          check=False)
    return Result(proc.returncode, proc.stdout, proc.stderr, _minimal_result(proc.stdout))


# A reference for what modules return, written from the issues' wording rather than from module_utils:
# every key in snake_case, except inside user-defined maps (kept as they are), and the credentials in
# items replaced by REDACTED.
REDACTED = '********'


def snake_case(name):
    """cuHours -> cu_hours, GPUType -> gpu_type, EnableRDMA -> enable_rdma, PSMinParallelism -> ps_min_parallelism."""
    out = []
    for index, char in enumerate(name):
        if char.isupper():
            before = name[index - 1] if index else ''
            after = name[index + 1] if index + 1 < len(name) else ''
            if index and (before.islower() or before.isdigit() or (before.isupper() and after.islower())):
                out.append('_')
            out.append(char.lower())
        else:
            out.append(char)
    return ''.join(out)


def snake_keys(value, keep=()):
    """A decoded API item with snake_case keys; the values of keys in ``keep`` are returned untouched."""
    if isinstance(value, dict):
        return dict((snake_case(key), child if key in keep else snake_keys(child, keep))
                    for key, child in value.items())
    if isinstance(value, list):
        return [snake_keys(child, keep) for child in value]
    return value


# ---------------------------------------------------------------------------------------------
# Added for the reliability suites (test_faults, test_bad_options, test_secrets).


def run_tasks(tasks, env=None, verbosity=0, timeout=600, home=None):
    """Run many tasks in one ansible-playbook run on localhost, each with ignore_errors.

    ``tasks`` are playbook task dicts (``{'jobscope.cloud.pai_dlc_job_info': {...}}``). Returns the run's
    Result, whose ``result`` is ``{'results': [the registered result of each task, in order]}``.
    """
    workdir = tempfile.mkdtemp(prefix='jobscope-play-')
    out = os.path.join(workdir, 'results.json')
    names = ['jobscope_case_%d' % index for index in range(len(tasks))]
    play_tasks = [dict(task, register=name, ignore_errors=True) for name, task in zip(names, tasks)]
    play_tasks.append({'name': 'write the registered results',
                       'ansible.builtin.copy': {'content': '{{ [%s] | to_json }}' % ', '.join(names), 'dest': out}})
    playbook = os.path.join(workdir, 'play.yml')
    with open(playbook, 'w') as handle:
        json.dump([{'hosts': 'localhost', 'gather_facts': False, 'connection': 'local', 'tasks': play_tasks}],
                  handle)
    command = [_bin('ansible-playbook'), '-i', 'localhost,', playbook]
    if verbosity:
        command.append('-' + 'v' * verbosity)
    extra = {'ANSIBLE_STDOUT_CALLBACK': 'ansible.builtin.default'}
    extra.update(env or {})
    proc = subprocess.run(command, capture_output=True, text=True, env=ansible_env(extra, home=home),
                          timeout=timeout, check=False)
    result = {}
    if os.path.exists(out):
        with open(out) as handle:
            result = {'results': json.load(handle)}
    shutil.rmtree(workdir, ignore_errors=True)
    return Result(proc.returncode, proc.stdout, proc.stderr, result)

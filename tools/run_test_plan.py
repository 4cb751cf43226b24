# Copyright: jobscope.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run `make test`'s plan: make targets, each on one ansible-core version, and report per version.

Usage: run_test_plan.py [--jobs N] [--log-dir DIR] CORE:TARGET...

The jobs of one version run one after another, in the order given, after `make venv CORE=X.Y`
(each version's virtual environment and collection tree are built once and shared by its jobs;
two jobs of one version at once would share that tree). Versions run side by side on up to
--jobs workers, the version with the most jobs first. Every job's output goes to its own log file
and is printed whole when the job ends, so the log reads job by job even when they overlap.
A job that fails does not stop the others; a version whose venv fails runs nothing else.

The summary names each ansible-core version (as installed, with its Python) and what passed on it,
and ends with 'test plan: N passed, N failed'. The exit status is 1 when anything failed.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Plan:
    def __init__(self, make, log_dir, jobs):
        self.make = make
        self.log_dir = log_dir
        self.jobs = jobs
        self.lock = threading.Lock()
        self.results = collections.defaultdict(list)  # core -> [(target, ok, seconds)]
        self.versions = {}

    def say(self, text):
        with self.lock:
            sys.stdout.write(text)
            sys.stdout.flush()

    def run_job(self, core, target):
        log = os.path.join(self.log_dir, '%s-%s.log' % (core, target))
        command = [self.make, '--no-print-directory', '-C', ROOT, 'CORE=%s' % core, target]
        start = time.monotonic()
        with open(log, 'wb') as out:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
            # wait4: the CPU time of this job's whole process tree, which on a shared machine says more about
            # its cost than the wall clock does.
            _pid, wait_status, usage = os.wait4(process.pid, 0)
            process.returncode = status = os.waitstatus_to_exitcode(wait_status)
        seconds = time.monotonic() - start
        cpu = usage.ru_utime + usage.ru_stime
        with open(log, 'rb') as out:
            text = out.read().decode('utf-8', 'replace')
        verdict = 'ok' if status == 0 else 'FAILED (exit %d)' % status
        header = '=== ansible-core %s: make %s' % (self.versions.get(core, core), target)
        self.say('%s\n+ %s\n%s%s=== ansible-core %s: make %s: %s (%ds, %ds of CPU)\n\n' % (
            header, ' '.join(command[3:]), text, '' if text.endswith('\n') or not text else '\n',
            self.versions.get(core, core), target, verdict, seconds, cpu))
        self.results[core].append((target, status == 0, seconds, cpu))
        return status == 0

    def version_of(self, core):
        try:
            out = subprocess.run([self.make, '-s', '--no-print-directory', '-C', ROOT, 'CORE=%s' % core,
                                  'core-version'], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, check=True).stdout.decode().strip()
        except subprocess.CalledProcessError:
            return core
        return out or core

    def run_lane(self, core, targets):
        if not self.run_job(core, 'venv'):
            for target in targets:
                self.results[core].append((target, False, 0, 0))
            return
        self.versions[core] = self.version_of(core)
        for target in targets:
            self.run_job(core, target)

    def run(self, lanes):
        pending = collections.deque(sorted(lanes.items(), key=lambda item: -len(item[1])))
        queue_lock = threading.Lock()

        def worker():
            while True:
                with queue_lock:
                    if not pending:
                        return
                    core, targets = pending.popleft()
                self.run_lane(core, targets)

        threads = [threading.Thread(target=worker) for _index in range(max(1, self.jobs))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--jobs', type=int, default=1)
    parser.add_argument('--log-dir', default=os.path.join(ROOT, '.build', 'test-logs'))
    parser.add_argument('--make', default=os.environ.get('MAKE', 'make'))
    parser.add_argument('plan', nargs='+', metavar='CORE:TARGET')
    args = parser.parse_args(argv)

    lanes = collections.OrderedDict()
    for item in args.plan:
        core, sep, target = item.partition(':')
        if not sep or not core or not target:
            parser.error('not CORE:TARGET: %r' % item)
        lanes.setdefault(core, []).append(target)
    os.makedirs(args.log_dir, exist_ok=True)

    start = time.monotonic()
    plan = Plan(args.make, args.log_dir, args.jobs)
    plan.say('test plan (%d at a time): %s\n\n' % (args.jobs, '; '.join(
        '%s: %s' % (core, ' '.join(targets)) for core, targets in lanes.items())))
    plan.run(lanes)

    passed = failed = 0
    cpu_total = 0.0
    lines = []
    for core in lanes:
        results = plan.results[core]
        passed += sum(1 for result in results if result[1])
        failed += sum(1 for result in results if not result[1])
        cpu_total += sum(result[3] for result in results)
        lines.append('  ansible-core %s: %s' % (plan.versions.get(core, core + ' (no venv)'), ', '.join(
            '%s %s (%ds, %ds CPU)' % (target, 'passed' if ok else 'FAILED', seconds, cpu)
            for target, ok, seconds, cpu in results)))
    plan.say('test plan summary (%ds in all, %ds of CPU, %d cores):\n%s\n' % (
        time.monotonic() - start, cpu_total, os.cpu_count() or 1, '\n'.join(lines)))
    plan.say('test plan: %d passed, %d failed\n' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())

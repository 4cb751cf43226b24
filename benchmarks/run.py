"""jobscope.cloud at scale, side by side against the emulator (make bench).

1. 10,000 MaxCompute running jobs (500 pages of 20) behind 50 ms of latency: the module with its defaults
   (a whole ansible-playbook run) vs the official SDK paging sequentially vs ceil(pages / concurrency) x latency.
2. ansible-inventory --list of 5,000 Ray clusters through jobscope.cloud.emr_ray_clusters vs the same hosts
   and variables in a static inventory file generated from the plugin's own output.
3. Peak memory (max RSS of the process tree) of (1) and of a 100,000-item listing, as bytes per item over
   a run that lists no items.
4. A throttled listing (emulator rate limit): the module's adaptive (AIMD) concurrency vs fixed concurrency.

Prints one table and writes it as JSON to benchmarks/results/latest.json. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import benchlib as B  # noqa: E402

RESULTS = os.path.join(HERE, 'results')
OUTPUT = os.path.join(HERE, 'output')

MC = 'maxcompute_running_jobs'
MC_ID = 'instanceId'
WORKSPACE = 'w-bench'

# The module's defaults, read from the collection itself so the floor follows them: its concurrency
# (module_utils/listing.py) and the MaxCompute page size (the API's maximum, 20).
sys.path.insert(0, B.collections_path())
from ansible_collections.jobscope.cloud.plugins.module_utils.listing import DEFAULT_CONCURRENCY  # noqa: E402
MC_PAGE = 20

PLAYBOOK = '''\
- name: List the running MaxCompute jobs with the module's defaults
  hosts: localhost
  gather_facts: false
  tasks:
    - name: List every running job
      jobscope.cloud.maxcompute_running_job_info:
        endpoint: "{{ emulator_url }}"
        from_time: "{{ from_time }}"
        to_time: "{{ to_time }}"
        fields: "{{ fields | default(omit) }}"
'''

# The gate over the same jobs: one check on the reported total (one page a poll) or on the items.
GATE_PLAYBOOK = '''\
- name: Gate on the running MaxCompute jobs
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Wait for the quota to be idle
      jobscope.cloud.job_gate:
        timeout: "{{ gate_timeout }}"
        sleep: 1
        fail: false
        checks:
          - name: quota idle
            source: maxcompute_running_job_info
            filters:
              endpoint: "{{ emulator_url }}"
              from_time: -2h
              to_time: now
            until: "{{ until }}"
'''
# The fields a report of running jobs reads.
FIELDS = ['instance_id', 'status', 'quota_nickname', 'submitted_at_time']


def log(message):
    sys.stderr.write('[bench %s] %s\n' % (time.strftime('%H:%M:%S'), message))
    sys.stderr.flush()


def spec(latency_ms=0, rate_limit=None, **collections):
    data = {'seed': 1, 'now': None, 'latency_ms': latency_ms}
    if rate_limit:
        data['rate_limit'] = rate_limit
    data.update(collections)
    return data


class Bench(object):
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix='jobscope-bench-')
        self.emulator = None
        self.playbook = os.path.join(self.work, 'list.yml')
        with open(self.playbook, 'w') as handle:
            handle.write(PLAYBOOK)
        self.gate_playbook = os.path.join(self.work, 'gate.yml')
        with open(self.gate_playbook, 'w') as handle:
            handle.write(GATE_PLAYBOOK)
        self.capture = os.path.join(self.work, 'capture.json')
        self.env = B.ansible_env({'ANSIBLE_CALLBACK_PLUGINS': B.CALLBACKS, 'ANSIBLE_CALLBACKS_ENABLED': 'bench_capture',
                                  'BENCH_CAPTURE': self.capture}, home=os.path.join(self.work, 'home'))

    # ---- runners -----------------------------------------------------------------------------

    def playbook_run(self, from_time, to_time, fields=None, playbook=None, extra=None):
        """One whole ansible-playbook run of the module; what it returned, its wall time and peak RSS."""
        if os.path.exists(self.capture):
            os.remove(self.capture)
        self.emulator.clear_requests()
        emulator_cpu = self.emulator.cpu()
        extra_vars = {'emulator_url': self.emulator.url, 'from_time': from_time, 'to_time': to_time}
        if fields:
            extra_vars['fields'] = fields
        extra_vars.update(extra or {})
        run = B.measure([B.tool('ansible-playbook'), '-i', 'localhost,', '-c', 'local', playbook or self.playbook,
                         '-e', json.dumps(extra_vars)], env=self.env, timeout=self.args.timeout).check('ansible-playbook')
        with open(self.capture) as handle:
            task = json.load(handle)['tasks'][0]
        if task['failed']:
            raise RuntimeError('the module failed: %s' % task['msg'])
        return {'wall': run.wall, 'cpu': run.cpu, 'maxrss': run.maxrss, 'task': task['duration'], 'items': task['count'],
                'bytes': task.get('bytes'), 'attempts': task.get('attempts'),
                'ids': task['ids'], 'total': task['total'], 'complete': task['complete'],
                'emulator_cpu': _delta(self.emulator.cpu(), emulator_cpu), 'emulator': self.emulator.request_stats()}

    def inproc_run(self, options, fixed=False, profile=None):
        """One listing through listing.Plan in a fresh Python process (benchmarks/inproc.py)."""
        self.emulator.clear_requests()
        command = [sys.executable, os.path.join(HERE, 'inproc.py'), '--endpoint-name', 'maxcompute_running_job',
                   '--url', self.emulator.url, '--options', json.dumps(options)]
        if fixed:
            command.append('--fixed')
        if profile:
            command += ['--profile', profile]
        run = B.measure(command, env=self.env, timeout=self.args.timeout).check('inproc.py')
        report = json.loads(run.stdout)
        report.update(process_wall=run.wall, maxrss=run.maxrss, emulator=self.emulator.request_stats())
        return report

    # ---- part 1 ------------------------------------------------------------------------------

    def part1(self):
        count = self.args.jobs
        latency = 50
        log('part 1: %d jobs, %d ms latency' % (count, latency))
        self.emulator.reset(spec(latency, **{MC: {'count': count}}))
        expected = set(self.emulator.item_ids(MC, MC_ID))
        pages = math.ceil(count / MC_PAGE)

        log('part 1: warm-up and baseline playbook runs (a window with no jobs)')
        self.playbook_run('-10d', '-9d')  # warm-up: byte-compiles the collection, fills the page cache
        baseline = self.playbook_run('-10d', '-9d')

        module_runs = []
        for index in range(self.args.repeat):
            log('part 1: module run %d/%d' % (index + 1, self.args.repeat))
            module_runs.append(self.playbook_run('-2h', 'now'))
        walls = [run['wall'] for run in module_runs]
        median_wall = statistics.median(walls)
        module = min(module_runs, key=lambda run: abs(run['wall'] - median_wall))
        checks = [check_ids(run['ids'], expected) for run in module_runs]

        log('part 1: SDK sequential loop (~%d s)' % round(pages * (latency + 5) / 1000.0))
        now = int(time.time())
        ids_file = os.path.join(self.work, 'sdk_ids.json')
        self.emulator.clear_requests()
        emulator_cpu = self.emulator.cpu()
        sdk_run = B.measure([sys.executable, os.path.join(HERE, 'sdk_peer.py'), '--endpoint',
                             '127.0.0.1:%d' % self.emulator.port, '--from', str(now - 7200), '--to', str(now + 60),
                             '--page-size', str(MC_PAGE), '--ids', ids_file], env=self.env,
                            timeout=self.args.timeout).check('sdk_peer.py')
        sdk = json.loads(sdk_run.stdout)
        with open(ids_file) as handle:
            sdk_check = check_ids(json.load(handle), expected)
        sdk.update(emulator_cpu=_delta(self.emulator.cpu(), emulator_cpu))
        sdk.update(wall=sdk_run.wall, cpu=sdk_run.cpu, maxrss=sdk_run.maxrss, emulator=self.emulator.request_stats(), check=sdk_check)

        floor = math.ceil(pages / DEFAULT_CONCURRENCY) * latency / 1000.0
        return {
            'jobs': count, 'pages': pages, 'latency_ms': latency, 'concurrency': DEFAULT_CONCURRENCY,
            'module': {
                'wall_median': median_wall, 'walls': walls, 'task_median': statistics.median(r['task'] for r in module_runs),
                'cpu_median': statistics.median(r['cpu'] for r in module_runs),
                'emulator_cpu_median': _median(r['emulator_cpu'] for r in module_runs),
                'maxrss': module['maxrss'], 'requests': module['emulator']['requests'],
                'checks': checks, 'all_once': all(check['ok'] for check in checks),
            },
            'baseline': {'wall': baseline['wall'], 'maxrss': baseline['maxrss'], 'items': baseline['items']},
            'sdk': {'wall': sdk['wall'], 'cpu': sdk['cpu'], 'emulator_cpu': sdk['emulator_cpu'], 'loop_wall': sdk['loop_wall'],
                    'pages': sdk['pages'], 'maxrss': sdk['maxrss'],
                    'requests': sdk['emulator']['requests'], 'check': sdk['check']},
            'floor': floor,
            'speedup_vs_sdk': sdk['wall'] / median_wall,
            'vs_floor': median_wall / floor,
            'bytes_per_item': (module['maxrss'] - baseline['maxrss']) / float(count),
        }

    # ---- part 5: the gate's requests a poll -----------------------------------------------------

    def part5(self):
        count = self.args.jobs
        log('part 5: job_gate over %d MaxCompute jobs, requests a poll' % count)
        self.emulator.reset(spec(0, **{MC: {'count': count}}))
        out = {'jobs': count}
        for name, until, timeout in (('total', 'total == `0`', 5), ('items', 'length(jobs) == `0`', 0)):
            run = self.playbook_run('-2h', 'now', playbook=self.gate_playbook,
                                    extra={'until': until, 'gate_timeout': timeout})
            requests = run['emulator']['requests']
            attempts = run['attempts'] or 1
            out[name] = {'until': until, 'requests': requests, 'attempts': attempts,
                         'per_poll': requests / float(attempts), 'task': run['task']}
        return out

    # ---- part 6: fields, side by side with the SDK in 16 threads -------------------------------

    def part6(self):
        count = self.args.jobs
        latency = 50
        log('part 6: %d jobs, %d ms latency: module, module with fields, SDK with 16 threads' % (count, latency))
        self.emulator.reset(spec(latency, **{MC: {'count': count}}))
        expected = set(self.emulator.item_ids(MC, MC_ID))
        self.playbook_run('-10d', '-9d')  # warm-up
        out = {'jobs': count, 'latency_ms': latency, 'fields': FIELDS}
        for name, fields in (('module', None), ('module_fields', FIELDS)):
            runs = [self.playbook_run('-2h', 'now', fields=fields) for _index in range(self.args.repeat)]
            walls = [run['wall'] for run in runs]
            out[name] = {'wall_median': statistics.median(walls), 'walls': walls,
                         'task_median': statistics.median(run['task'] for run in runs),
                         'maxrss': max(run['maxrss'] for run in runs), 'bytes': runs[0]['bytes'],
                         'all_once': all(check_ids(run['ids'], expected)['ok'] for run in runs)}
        now = int(time.time())
        ids_file = os.path.join(self.work, 'sdk16_ids.json')
        walls = []
        for _index in range(self.args.repeat):
            self.emulator.clear_requests()
            sdk_run = B.measure([sys.executable, os.path.join(HERE, 'sdk_peer.py'), '--endpoint',
                                 '127.0.0.1:%d' % self.emulator.port, '--from', str(now - 7200), '--to',
                                 str(now + 60), '--page-size', str(MC_PAGE), '--threads', '16', '--ids', ids_file],
                                env=self.env, timeout=self.args.timeout).check('sdk_peer.py --threads 16')
            walls.append(sdk_run.wall)
            with open(ids_file) as handle:
                sdk_ok = check_ids(json.load(handle), expected)['ok']
        out['sdk16'] = {'wall_median': statistics.median(walls), 'walls': walls, 'maxrss': sdk_run.maxrss,
                        'all_once': sdk_ok}
        out['fields_vs_sdk16'] = out['sdk16']['wall_median'] / out['module_fields']['wall_median']
        out['module_vs_sdk16'] = out['sdk16']['wall_median'] / out['module']['wall_median']
        return out

    # ---- part 2 ------------------------------------------------------------------------------

    def part2(self):
        count = self.args.clusters
        log('part 2: ansible-inventory --list of %d Ray clusters' % count)
        self.emulator.reset(spec(0, emr_ray_clusters={WORKSPACE: {'count': count}}))
        source = os.path.join(self.work, 'bench.emr_ray_clusters.yml')
        with open(source, 'w') as handle:
            handle.write('plugin: jobscope.cloud.emr_ray_clusters\nendpoint: %s\nworkspace_ids: [%s]\n'
                         % (self.emulator.url, WORKSPACE))
        env = B.ansible_env(home=os.path.join(self.work, 'home'))

        def inventory(path, label):
            self.emulator.clear_requests()
            run = B.measure([B.tool('ansible-inventory'), '-i', path, '--list'], env=env,
                            timeout=self.args.timeout).check('ansible-inventory (%s)' % label)
            return run, self.emulator.request_stats()

        inventory(source, 'warm-up')
        plugin_runs = []
        for index in range(self.args.inventory_repeat):
            log('part 2: plugin run %d/%d' % (index + 1, self.args.inventory_repeat))
            plugin_runs.append(inventory(source, 'plugin'))
        plugin_out = json.loads(plugin_runs[-1][0].stdout)
        hosts = len(plugin_out['_meta']['hostvars'])
        expected = set(self.emulator.item_ids('emr_ray_clusters', 'clusterId', WORKSPACE))
        got = [str(hostvars.get('jobscope_cluster_id', {}).get('__ansible_unsafe', hostvars.get('jobscope_cluster_id')))
               for hostvars in plugin_out['_meta']['hostvars'].values()]

        statics = {}
        formats = ['json'] + (['yaml'] if self.args.static_yaml else [])
        for fmt in formats:
            path = os.path.join(self.work, 'static.%s' % ('json' if fmt == 'json' else 'yml'))
            write_static(plugin_out, path, fmt)
            runs = []
            for index in range(self.args.inventory_repeat if fmt == 'json' else 1):
                log('part 2: static %s run %d' % (fmt.upper(), index + 1))
                runs.append(inventory(path, 'static %s' % fmt)[0])
            exact = fmt == 'json'
            same = normalized(json.loads(runs[-1].stdout), exact) == normalized(plugin_out, exact)
            statics[fmt] = {'walls': [run.wall for run in runs], 'wall_median': statistics.median(run.wall for run in runs),
                            'maxrss': max(run.maxrss for run in runs), 'size': os.path.getsize(path),
                            'same_output': same}

        plugin_wall = statistics.median(run.wall for run, _stats in plugin_runs)
        result = {
            'clusters': count, 'hosts': hosts, 'check': check_ids(got, expected),
            'plugin': {'walls': [run.wall for run, _stats in plugin_runs], 'wall_median': plugin_wall,
                       'maxrss': max(run.maxrss for run, _stats in plugin_runs),
                       'requests': plugin_runs[-1][1]['requests']},
            'static': statics,
            'ratio_vs_static': {fmt: plugin_wall / data['wall_median'] for fmt, data in statics.items()},
        }
        return result

    # ---- part 3 ------------------------------------------------------------------------------

    def part3(self):
        count = self.args.big
        log('part 3: memory of a %d-item listing (latency 0)' % count)
        self.emulator.reset(spec(0, **{MC: {'count': count}}))
        expected = set(self.emulator.item_ids(MC, MC_ID))
        window = {'from_time': '-2h', 'to_time': 'now'}
        empty = {'from_time': '-10d', 'to_time': '-9d'}

        log('part 3: in-process listing (listing.Plan in a fresh interpreter), baseline and %d items' % count)
        inproc_base = self.inproc_run(empty)
        profile = os.path.join(OUTPUT, 'listing-%d.prof' % count) if self.args.profile else None
        inproc = self.inproc_run(window, profile=profile)

        log('part 3: ansible-playbook, baseline and %d items' % count)
        base = self.playbook_run(empty['from_time'], empty['to_time'])
        big = self.playbook_run(window['from_time'], window['to_time'])
        check = check_ids(big['ids'], expected)
        return {
            'items': count,
            'playbook': {'wall': big['wall'], 'task': big['task'], 'maxrss': big['maxrss'], 'baseline_maxrss': base['maxrss'],
                         'requests': big['emulator']['requests'], 'check': check,
                         'bytes_per_item': (big['maxrss'] - base['maxrss']) / float(count)},
            'inproc': {'wall': inproc['wall'], 'maxrss': inproc['maxrss'], 'baseline_maxrss': inproc_base['maxrss'],
                       'items': inproc.get('items'), 'unique': inproc.get('unique'),
                       'bytes_per_item': (inproc['maxrss'] - inproc_base['maxrss']) / float(count)},
        }

    # ---- part 4 ------------------------------------------------------------------------------

    def part4(self):
        count, latency = self.args.throttled_jobs, 50
        rate = {'rps': self.args.rps, 'burst': self.args.burst}
        log('part 4: %d jobs behind a rate limit of %s rps (burst %s), %d ms latency'
            % (count, rate['rps'], rate['burst'], latency))
        window = {'from_time': '-2h', 'to_time': 'now'}
        runs = {'adaptive': [], 'fixed': []}
        for index in range(self.args.throttle_repeat):
            for mode in ('adaptive', 'fixed'):
                # A fresh dataset and token bucket for every run, so both start from the same state.
                self.emulator.reset(spec(latency, rate, **{MC: {'count': count}}))
                log('part 4: %s run %d/%d' % (mode, index + 1, self.args.throttle_repeat))
                report = self.inproc_run(window, fixed=(mode == 'fixed'))
                runs[mode].append({
                    'ok': 'error' not in report and report.get('unique') == count, 'error': report.get('error'),
                    'items': report.get('items'), 'wall': report['wall'],
                    'requests': report['emulator']['requests'], 'refused': report['emulator']['refused'],
                    'lowest': report.get('lowest'), 'throttled_seen': report.get('throttled'),
                })
        summary = {}
        for mode, entries in runs.items():
            summary[mode] = {
                'runs': entries,
                'refused': statistics.mean(entry['refused'] for entry in entries),
                'requests': statistics.mean(entry['requests'] for entry in entries),
                'wall': statistics.mean(entry['wall'] for entry in entries),
                'lowest': min(entry['lowest'] for entry in entries if entry['lowest'] is not None)
                if any(entry['lowest'] is not None for entry in entries) else None,
                'all_ok': all(entry['ok'] for entry in entries),
            }
        fixed = summary['fixed']['refused']
        return {
            'jobs': count, 'latency_ms': latency, 'rate_limit': rate, 'concurrency': DEFAULT_CONCURRENCY,
            'adaptive': summary['adaptive'], 'fixed': summary['fixed'],
            'refusal_ratio': summary['adaptive']['refused'] / fixed if fixed else None,
        }

    # ---- profiles ----------------------------------------------------------------------------

    def profile_inventory(self):
        """cProfile of ansible-inventory building the 5,000-cluster inventory (--graph: the build, not the dump)."""
        count = self.args.clusters
        log('profile: ansible-inventory --graph of %d clusters under cProfile' % count)
        self.emulator.reset(spec(0, emr_ray_clusters={WORKSPACE: {'count': count}}))
        source = os.path.join(self.work, 'bench.emr_ray_clusters.yml')
        with open(source, 'w') as handle:
            handle.write('plugin: jobscope.cloud.emr_ray_clusters\nendpoint: %s\nworkspace_ids: [%s]\n'
                         % (self.emulator.url, WORKSPACE))
        out = os.path.join(OUTPUT, 'inventory-%d.prof' % count)
        env = B.ansible_env(home=os.path.join(self.work, 'home'))
        subprocess.run([sys.executable, '-m', 'cProfile', '-o', out, B.tool('ansible-inventory'), '-i', source,
                        '--graph'], env=env, check=True, stdout=subprocess.DEVNULL, timeout=self.args.timeout)
        return out


# ---------------------------------------------------------------------------------------------
# Helpers

def _delta(after, before):
    return None if after is None or before is None else after - before


def _median(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def check_ids(ids, expected):
    unique = set(ids)
    return {'returned': len(ids), 'unique': len(unique), 'expected': len(expected),
            'missing': len(expected - unique), 'unexpected': len(unique - expected),
            'ok': len(ids) == len(unique) == len(expected) and unique == expected}


def normalized(inventory, unsafe=True):
    """An ansible-inventory --list document with its group lists sorted (group order is not meaningful);
    with unsafe=False, values marked unsafe are compared as plain values."""
    out = {}
    for name, value in inventory.items():
        if isinstance(value, dict):
            value = dict((key, sorted(item) if isinstance(item, list) else item) for key, item in value.items())
        out[name] = value if unsafe else _plain(value)
    return out


def _plain(value):
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return dict((key, _plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def write_static(listing, path, fmt):
    """A static inventory (the yaml inventory plugin's format) with the hosts, variables and groups of an
    ansible-inventory --list document; values the plugin marked unsafe stay unsafe."""
    groups = {}
    for name, group in listing.items():
        if name in ('_meta', 'all'):
            continue
        groups[name] = {'hosts': dict((host, None) for host in group.get('hosts', []))}
    hostvars = listing['_meta']['hostvars']
    if fmt == 'json':
        # The JSON decoder of ansible's loader reads {"__ansible_unsafe": ...} back as an unsafe value.
        document = {'all': {'hosts': hostvars, 'children': groups}}
        with open(path, 'w') as handle:
            json.dump(document, handle)
        return
    import yaml

    class Unsafe(str):
        pass

    class Dumper(getattr(yaml, 'CSafeDumper', yaml.SafeDumper)):
        pass

    resolver = yaml.resolver.Resolver()

    def represent_unsafe(dumper, value):
        # ansible-core 2.19 resolves a !unsafe scalar as if it were plain, quotes or not ('4' -> 4, '' -> None),
        # so a string that would read as another type is written as a plain quoted string. Such values
        # (numbers, booleans, empty) hold no template, so the inventory means the same; the comparison of
        # the outputs then ignores the unsafe marking (see normalized()).
        text = str(value)
        if resolver.resolve(yaml.ScalarNode, text, (True, False)) == 'tag:yaml.org,2002:str':
            return dumper.represent_scalar('!unsafe', text, style="'")
        return dumper.represent_scalar('tag:yaml.org,2002:str', text, style="'")

    Dumper.add_representer(Unsafe, represent_unsafe)

    def unwrap(value):
        if isinstance(value, dict):
            if set(value) == {'__ansible_unsafe'}:
                return Unsafe(value['__ansible_unsafe'])
            return dict((key, unwrap(item)) for key, item in value.items())
        if isinstance(value, list):
            return [unwrap(item) for item in value]
        return value

    document = {'all': {'hosts': dict((host, unwrap(variables)) for host, variables in hostvars.items()),
                        'children': groups}}
    with open(path, 'w') as handle:
        yaml.dump(document, handle, Dumper=Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False)


def profile_top(path, count=12):
    """The top entries of a cProfile file: overall by own time, and the collection's own functions."""
    import pstats

    stats = pstats.Stats(path).stats
    rows_all, rows_ours = [], []
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.items():
        short = _short_path(filename)
        label = '%s (%s:%d)' % (name, short, line) if line else name
        entry = (tottime, cumtime, calls, label)
        rows_all.append(entry)
        if 'jobscope/cloud/' in filename:
            rows_ours.append(entry)

    def render(entries):
        lines = ['%10s %10s %9s  %s' % ('own s', 'cumul s', 'calls', 'function')]
        for tottime, cumtime, calls, label in sorted(entries, reverse=True)[:count]:
            lines.append('%10.3f %10.3f %9d  %s' % (tottime, cumtime, calls, label))
        return '\n'.join(lines)

    return {'top': render(rows_all), 'collection': render(rows_ours),
            'total': sum(entry[0] for entry in rows_all)}


def _short_path(filename):
    for marker in ('ansible_collections/', 'site-packages/', 'lib/python3.11/'):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def machine():
    model = ''
    try:
        with open('/proc/cpuinfo') as handle:
            model = next((line.split(':', 1)[1].strip() for line in handle if line.startswith('model name')), '')
    except OSError:
        pass
    try:
        import ansible
        core = ansible.__version__
    except ImportError:
        core = '?'
    available = 0
    try:
        with open('/proc/meminfo') as handle:
            available = next((int(line.split()[1]) * 1024 for line in handle if line.startswith('MemAvailable:')), 0)
    except (OSError, ValueError):
        pass
    return {'nproc': os.cpu_count(), 'cpu': model, 'python': platform.python_version(), 'ansible_core': core,
            'load_average': os.getloadavg(), 'mem_available': available}


# ---------------------------------------------------------------------------------------------
# The table

def mb(value):
    return '%.1f MB' % (value / 1e6)


def rows(results):
    out = []
    p1 = results.get('part1')
    if p1:
        m, s = p1['module'], p1['sdk']
        out += [
            ('1', 'module, ansible-playbook, %d jobs (median of %d)' % (p1['jobs'], len(m['walls'])),
             '%.2f s' % m['wall_median'], 'fastest %.2f s, task %.2f s; CPU %.1f s, emulator %s'
             % (min(m['walls']), m['task_median'], m['cpu_median'], seconds(m['emulator_cpu_median'])), '', ''),
            ('1', 'SDK get_running_jobs, sequential', '%.2f s' % s['wall'],
             '%d requests, %.0f ms each; CPU %.1f s, emulator %s'
             % (s['requests'], 1000 * s['loop_wall'] / max(s['requests'], 1), s['cpu'], seconds(s['emulator_cpu'])), '', ''),
            ('1', 'speedup, SDK / module', '%.2fx' % p1['speedup_vs_sdk'], '', '>= 5x', yes(p1['speedup_vs_sdk'] >= 5)),
            ('1', 'floor ceil(%d/%d) x %d ms' % (p1['pages'], p1['concurrency'], p1['latency_ms']), '%.2f s' % p1['floor'],
             'module / floor %.2fx' % p1['vs_floor'], '', ''),
            ('1', 'jobs returned once each (module x%d, SDK)' % len(m['checks']),
             '%d/%d' % (min(c['unique'] for c in m['checks']), p1['jobs']), '', 'all, once',
             yes(m['all_once'] and s['check']['ok'])),
        ]
    p2 = results.get('part2')
    if p2:
        out.append(('2', 'inventory plugin, %d clusters (median of %d)' % (p2['clusters'], len(p2['plugin']['walls'])),
                    '%.2f s' % p2['plugin']['wall_median'], '%d hosts, %d requests, peak %s'
                    % (p2['hosts'], p2['plugin']['requests'], mb(p2['plugin']['maxrss'])), 'every cluster once',
                    yes(p2['check']['ok'])))
        for fmt, data in p2['static'].items():
            ratio = p2['ratio_vs_static'][fmt]
            out.append(('2', 'static %s file, same hosts and vars%s' % (fmt.upper(), '' if data['same_output'] else ' (DIFFERS)'),
                        '%.2f s' % data['wall_median'], 'peak %s' % mb(data['maxrss']), '', ''))
            out.append(('2', 'plugin / static %s' % fmt.upper(), '%.2fx' % ratio, '', '<= 2x',
                        yes(ratio <= 2 and data['same_output'])))
    p3 = results.get('part3')
    if p1:
        out.append(('3', 'peak RSS, (1) module run - 0-item run', '%s - %s' % (mb(p1['module']['maxrss']), mb(p1['baseline']['maxrss'])),
                    '%.0f B/item' % p1['bytes_per_item'], 'reported', 'yes'))
    if p3:
        pb, ip = p3['playbook'], p3['inproc']
        out += [
            ('3', 'peak RSS, %d-item module run - 0-item run' % p3['items'], '%s - %s' % (mb(pb['maxrss']), mb(pb['baseline_maxrss'])),
             '%.0f B/item' % pb['bytes_per_item'], 'reported', yes(pb['check']['ok'])),
            ('3', 'peak RSS, %d-item listing.Plan in-process' % p3['items'], '%s - %s' % (mb(ip['maxrss']), mb(ip['baseline_maxrss'])),
             '%.0f B/item' % ip['bytes_per_item'], 'reported', yes(ip['unique'] == p3['items'])),
        ]
    p4 = results.get('part4')
    if p4:
        for mode in ('adaptive', 'fixed'):
            data = p4[mode]
            out.append(('4', '%s concurrency, %d jobs at %s rps' % (mode, p4['jobs'], p4['rate_limit']['rps']),
                        '%.2f s' % data['wall'], '%.0f refused / %.0f requests, lowest limit %s'
                        % (data['refused'], data['requests'], data['lowest']), '', yes(data['all_ok'])))
        ratio = p4['refusal_ratio']
        out.append(('4', 'refusals adaptive / fixed (mean of %d each)' % len(p4['adaptive']['runs']),
                    '%.0f / %.0f' % (p4['adaptive']['refused'], p4['fixed']['refused']),
                    '%.2fx' % ratio if ratio is not None else 'n/a', '< 1x', yes(ratio is not None and ratio < 1)))
    p5 = results.get('part5')
    if p5:
        for name, target in (('total', '1'), ('items', '')):
            data = p5[name]
            out.append(('5', 'job_gate over %d jobs, until %s' % (p5['jobs'], data['until']),
                        '%.1f requests/poll' % data['per_poll'], '%d requests, %d poll(s)'
                        % (data['requests'], data['attempts']), target,
                        yes(data['per_poll'] == 1) if target else ''))
    p6 = results.get('part6')
    if p6:
        labels = (('module', 'module, all fields'), ('module_fields', 'module, fields: %d keys' % len(p6['fields'])))
        for name, label in labels:
            data = p6[name]
            out.append(('6', '%s, %d jobs (median of %d)' % (label, p6['jobs'], len(data['walls'])),
                        '%.2f s' % data['wall_median'], 'task %.2f s, result %s, peak %s'
                        % (data['task_median'], mb(data['bytes'] or 0), mb(data['maxrss'])), 'all, once',
                        yes(data['all_once'])))
        out.append(('6', 'SDK get_running_jobs, 16 threads (median of %d)' % len(p6['sdk16']['walls']),
                    '%.2f s' % p6['sdk16']['wall_median'], 'peak %s' % mb(p6['sdk16']['maxrss']), 'all, once',
                    yes(p6['sdk16']['all_once'])))
        out.append(('6', 'SDK 16 threads / module with fields', '%.2fx' % p6['fields_vs_sdk16'],
                    'without fields %.2fx' % p6['module_vs_sdk16'], 'reported', 'yes'))
    return out


def seconds(value):
    return '?' if value is None else '%.1f s' % value


def yes(flag):
    return 'yes' if flag else 'NO'


def table(results):
    header = ('#', 'measure', 'value', 'ratio / detail', 'target', 'met')
    lines = [header] + rows(results)
    widths = [max(len(str(line[column])) for line in lines) for column in range(len(header))]
    text = []
    for index, line in enumerate(lines):
        text.append('  '.join(str(cell).ljust(width) for cell, width in zip(line, widths)).rstrip())
        if index == 0:
            text.append('  '.join('-' * width for width in widths))
    return '\n'.join(text)


def snapshot(results, argv):
    info = results['machine']
    python = subprocess.run([sys.executable, '-V'], capture_output=True, text=True, check=False).stdout.strip()
    lines = [
        '# jobscope.cloud benchmark, %s' % results['date'],
        '',
        '- machine: `nproc` %s; CPU %s; %s; ansible-core %s' % (info['nproc'], info['cpu'], python, info['ansible_core']),
        '- load average (1 min) %.2f at the start, %.2f at the end; %.1f GB of memory available at the start '
        '(a shared machine: other work ran alongside)'
        % (info['load_average'][0], info['load_average_after'][0], info['mem_available'] / 1e9),
        '- command: `.venv/bin/python benchmarks/run.py %s` (%.0f s)' % (' '.join(argv), results['elapsed']),
        '- emulator: tests/emulator on loopback',
        '',
        '```',
        results['table'],
        '```',
        '',
    ]
    for name, data in sorted(results.get('profiles', {}).items()):
        lines += [
            '## Profile: %s' % name,
            '',
            '%s (cProfile, `%s`). Own time in threads includes waiting for the GIL and the socket.' % (data['what'], data['file']),
            '',
            'Top entries by own time:',
            '',
            '```',
            data['top'],
            '```',
            '',
            "The collection's own functions:",
            '',
            '```',
            data['collection'],
            '```',
            '',
        ]
    return '\n'.join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--parts', default='1,2,3,4,5,6', help='which parts to run, e.g. 1,4 (default all)')
    parser.add_argument('--repeat', type=int, default=3, help='module runs in part 1 (median reported)')
    parser.add_argument('--inventory-repeat', type=int, default=2, help='runs of each inventory in part 2')
    parser.add_argument('--throttle-repeat', type=int, default=2, help='runs of each mode in part 4')
    parser.add_argument('--jobs', type=int, default=10000)
    parser.add_argument('--clusters', type=int, default=5000)
    parser.add_argument('--big', type=int, default=100000, help='items of the part 3 listing')
    parser.add_argument('--throttled-jobs', type=int, default=4000)
    parser.add_argument('--rps', type=float, default=40)
    parser.add_argument('--burst', type=int, default=10)
    parser.add_argument('--static-yaml', action='store_true',
                        help='also time a static YAML inventory (slow: minutes on ansible-core 2.19)')
    parser.add_argument('--profile', action='store_true',
                        help='write cProfile files of the part 3 listing and of the inventory build to benchmarks/output/')
    parser.add_argument('--timeout', type=int, default=900, help='seconds any one child process may run')
    parser.add_argument('--output', default=os.path.join(RESULTS, 'latest.json'))
    parser.add_argument('--snapshot', help='also write the table, machine and profiles as Markdown to this file')
    args = parser.parse_args(argv)
    parts = set(part.strip() for part in args.parts.split(',') if part.strip())

    os.makedirs(RESULTS, exist_ok=True)
    os.makedirs(OUTPUT, exist_ok=True)
    started = time.time()
    results = {'date': datetime.date.today().isoformat(), 'machine': machine(), 'parts': sorted(parts)}

    bench = Bench(args)
    bench.emulator = B.Emulator(spec(0)).start()
    try:
        for part in ('1', '2', '3', '4', '5', '6'):
            if part in parts:
                results['part%s' % part] = getattr(bench, 'part%s' % part)()
        if args.profile:
            listing = os.path.join(OUTPUT, 'listing-%d.prof' % args.big)
            if '3' not in parts:
                bench.emulator.reset(spec(0, **{MC: {'count': args.big}}))
                bench.inproc_run({'from_time': '-2h', 'to_time': 'now'}, profile=listing)
            inventory = bench.profile_inventory()
            results['profiles'] = {
                'listing': dict(profile_top(listing), file=os.path.relpath(listing, B.ROOT),
                                what='listing.Plan.run() of %d MaxCompute jobs in-process, latency 0, all threads'
                                     % args.big),
                'inventory': dict(profile_top(inventory), file=os.path.relpath(inventory, B.ROOT),
                                  what='ansible-inventory --graph of %d Ray clusters (the build, without the '
                                       '--list dump)' % args.clusters),
            }
    finally:
        bench.emulator.stop()
        shutil.rmtree(bench.work, ignore_errors=True)
    results['elapsed'] = time.time() - started
    results['machine']['load_average_after'] = os.getloadavg()
    results['table'] = table(results)
    with open(args.output, 'w') as handle:
        json.dump(results, handle, indent=2, sort_keys=True)
    print('jobscope.cloud benchmark, %s: %s CPUs (%s), Python %s, ansible-core %s; load average %.1f at start, '
          '%.1f GB memory available' % (results['date'], results['machine']['nproc'], results['machine']['cpu'],
                                        results['machine']['python'], results['machine']['ansible_core'],
                                        results['machine']['load_average'][0], results['machine']['mem_available'] / 1e9))
    print(results['table'])
    print('(%.0f s; JSON: %s)' % (results['elapsed'], os.path.relpath(args.output)))
    if args.snapshot:
        with open(args.snapshot, 'w') as handle:
            handle.write(snapshot(results, argv if argv is not None else sys.argv[1:]))
        print('snapshot: %s' % os.path.relpath(args.snapshot))
    return 0


if __name__ == '__main__':
    sys.exit(main())

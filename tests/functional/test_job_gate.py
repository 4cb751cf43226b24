# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""jobscope.cloud.job_gate against the emulator: atomic rounds, timing, fail_if, one request a poll,
time functions, the corrected presets, module_defaults per source and secrets.

Timings are read from the emulator's request log (its clock is this machine's), so ansible's own start-up
time under load does not blur them.
"""

from __future__ import annotations

import datetime
import json
import sys
import threading
import time

import pytest

from harness import ALIBABA_ENV, HUAWEI_ENV, SECRETS, run_command, run_tasks

WORKSPACE = 'w-gate'
SPEC = {
    'seed': 12,
    'emr_ray_clusters': {WORKSPACE: {'count': 3, 'overrides': [
        {'index': 0, 'set': {'name': 'A', 'state': 'Running'}},
        {'index': 1, 'set': {'name': 'B', 'state': 'Starting'}},
        {'index': 2, 'set': {'name': 'C', 'state': 'Running'}},
    ]}},
    'pai_dlc_jobs': {'count': 12, 'span_seconds': 30 * 86400, 'mix': {'Status': {'Running': 12}}},
    'maxcompute_running_jobs': {'count': 45, 'mix': {'quotaNickname': {'q-gold': 23, 'q-silver': 22}}},
    'octopus_queued_jobs': {'count': 7, 'mix': {'queue_type': {'USER': 7}}},
}
BOTH_ENV = dict(ALIBABA_ENV, **HUAWEI_ENV)


@pytest.fixture
def gate_data(emulator):
    emulator.reset(SPEC)
    return emulator


def cluster_ids(emulator):
    items = emulator.control('GET', 'items/emr_ray_clusters?workspace=%s' % WORKSPACE)['items']
    return dict((item['name'], item['clusterId']) for item in items)


def running(name):
    return "clusters[?name == '%s'].state | [0] == 'Running'" % name


def cluster_check(name, **extra):
    return dict(dict(name='cluster %s' % name, source='emr_ray_cluster_info', filters={'workspace_id': WORKSPACE},
                     until=running(name)), **extra)


def gate_task(emulator, checks, **args):
    return {'jobscope.cloud.job_gate': dict(dict(checks=checks, timeout=30, sleep=1), **args),
            'module_defaults': {'group/jobscope.cloud.alibaba': {'endpoint': emulator.url},
                                'group/jobscope.cloud.huawei': {'endpoint': emulator.url}}}


def run_gate(emulator, checks, env=None, verbosity=0, **args):
    run = run_tasks([gate_task(emulator, checks, **args)], env=BOTH_ENV if env is None else env,
                    verbosity=verbosity)
    assert run.result, run.output
    return run, run.result['results'][0]


def api_requests(emulator, endpoint):
    return [entry for entry in emulator.requests() if entry['endpoint'] == endpoint]


def arm_when_polled(emulator, endpoint, *changes):
    """Post ``changes`` as soon as the gate's first request arrives (ansible's start-up time varies under
    load); the returned dict gets the time they were posted."""
    posted = {}

    def arm():
        deadline = time.time() + 120
        while time.time() < deadline and not api_requests(emulator, endpoint):
            time.sleep(0.05)
        posted['time'] = time.time()
        emulator.changes(*changes)

    thread = threading.Thread(target=arm)
    thread.daemon = True
    thread.start()
    return posted


def test_not_atomic_not_opened(gate_data):
    ids = cluster_ids(gate_data)
    # A holds only until B holds: both flip at once, between two rounds (a round is one or two requests a
    # check, as the listing reads a second page or not: 8 requests end a round either way).
    gate_data.changes({'collection': 'emr_ray_clusters', 'id': ids['A'], 'set': {'state': 'Starting'},
                       'after_requests': 8},
                      {'collection': 'emr_ray_clusters', 'id': ids['B'], 'set': {'state': 'Running'},
                       'after_requests': 8})
    _run, result = run_gate(gate_data, [cluster_check('A'), cluster_check('B')], timeout=7, fail=False)
    assert result['opened'] is False, result
    assert not result.get('failed')
    a, b = result['checks']
    # Each held in some rounds, never in the same one.
    assert a['held_rounds'] >= 2 and b['held_rounds'] >= 2
    assert a['held_rounds'] + b['held_rounds'] == result['attempts']
    assert a['held'] is False and b['held'] is True
    assert "'cluster A'" in result['msg'] and 'timed out' in result['msg']


def test_not_atomic_fails_the_task_by_default(gate_data):
    _run, result = run_gate(gate_data, [cluster_check('A'), cluster_check('B')], timeout=2)
    assert result['failed'] and result['opened'] is False
    assert "'cluster B'" in result['msg'] and "NOT held: 'cluster B'" in '\n'.join(result['summary'])


def test_opens_within_sleep_plus_one_second_once_both_hold(gate_data):
    ids = cluster_ids(gate_data)
    sleep = 2
    gate_data.changes({'collection': 'emr_ray_clusters', 'id': ids['A'], 'set': {'state': 'Starting'}})
    posted = arm_when_polled(gate_data, 'ListRayCluster',
                             {'collection': 'emr_ray_clusters', 'id': ids['A'], 'set': {'state': 'Running'},
                              'after_seconds': 2.5},
                             {'collection': 'emr_ray_clusters', 'id': ids['B'], 'set': {'state': 'Running'},
                              'after_seconds': 4.5})
    _run, result = run_gate(gate_data, [cluster_check('A'), cluster_check('B')], sleep=sleep, timeout=60)
    assert result['opened'] is True, result
    both_hold = posted['time'] + 4.5
    last = max(entry['time'] for entry in api_requests(gate_data, 'ListRayCluster'))
    assert last >= both_hold - 0.5
    assert last - both_hold <= sleep + 1, (last - both_hold)
    assert result['attempts'] >= 2


def test_fail_if_fails_within_sleep_plus_one_second_naming_the_check(gate_data):
    ids = cluster_ids(gate_data)
    sleep = 2
    posted = arm_when_polled(gate_data, 'ListRayCluster',
                             {'collection': 'emr_ray_clusters', 'id': ids['C'], 'set': {'state': 'Error'},
                              'after_seconds': 3.5})
    checks = [cluster_check('B'),  # never holds: the gate would wait the whole timeout
              dict(name='C must not err', preset='cluster_running', value='C', filters={'workspace_id': WORKSPACE})]
    _run, result = run_gate(gate_data, checks, sleep=sleep, timeout=120)
    assert result['failed'] and result['opened'] is False
    assert "check 'C must not err' (emr_ray_cluster_info)" in result['msg']
    last = max(entry['time'] for entry in api_requests(gate_data, 'ListRayCluster'))
    assert last - (posted['time'] + 3.5) <= sleep + 1
    assert result['attempts'] >= 2
    assert [entry['failed'] for entry in result['checks']] == [False, True]


def test_a_total_based_check_reads_one_page_a_poll_over_10000_jobs(emulator):
    emulator.reset({'seed': 3, 'maxcompute_running_jobs': {'count': 10000,
                                                           'mix': {'quotaNickname': {'q-gold': 10000}}}})
    now = int(time.time())
    checks = [dict(name='quota idle', source='maxcompute_running_job_info', until='total == `0`',
                   filters={'from_time': now - 7200, 'to_time': now + 3600, 'quota_nickname_list': ['q-gold']})]
    _run, result = run_gate(emulator, checks, timeout=3, sleep=1, fail=False)
    requests = api_requests(emulator, 'GetRunningJobs')
    assert result['opened'] is False and result['attempts'] >= 2
    assert len(requests) == result['attempts']
    assert all(entry['params']['pageSize'] == '1' and entry['params']['pageNumber'] == '1' for entry in requests)
    entry = result['checks'][0]
    assert entry['total'] == 10000 and entry['pages_read'] == 'first'


def test_the_preset_no_running_jobs_holds_on_an_idle_quota_in_one_request(gate_data):
    _run, result = run_gate(gate_data, [dict(name='idle', preset='no_running_jobs', value='q-none')])
    assert result['opened'] is True and len(api_requests(gate_data, 'GetRunningJobs')) == 1


@pytest.mark.parametrize('source, filters, expression', [
    ('maxcompute_running_job_info', {'from_time': '-1d', 'to_time': 'now'}, 'jobs[?age(submitted_at_time) > `%d`]'),
    ('maxcompute_running_job_info', {'from_time': '-1d', 'to_time': 'now'},
     'jobs[?to_epoch(submitted_at_time) < sum([now(), `-%d`])]'),
    ('pai_dlc_job_info', {}, 'jobs[?age(gmt_create_time) > `%d`]'),       # ISO 8601
    ('emr_ray_cluster_info', {'workspace_id': WORKSPACE}, 'clusters[?age(create_time) > `%d`]'),  # epoch ms
])
def test_time_functions_fail_a_check_on_a_job_queued_longer_than_n_seconds(gate_data, source, filters,
                                                                           expression):
    # Every listed item is at least a minute old; none is ten years old.
    old = dict(name='nothing old', source=source, filters=filters, fail_if=expression % 30)
    young = dict(name='nothing ancient', source=source, filters=filters, fail_if=expression % (3650 * 86400))
    run = run_tasks([gate_task(gate_data, [old]), gate_task(gate_data, [young])], env=BOTH_ENV)
    failed, opened = run.result['results']
    assert failed['failed'] and "check 'nothing old'" in failed['msg'], failed
    assert opened['opened'] is True and not opened.get('failed'), opened


def test_dlc_preset_finds_a_job_20_days_old_holds_on_succeeded_reserving_fails_on_failed_reserving(gate_data):
    jobs = gate_data.control('GET', 'items/pai_dlc_jobs')['items']
    now = time.time()

    def age(job):
        return now - datetime.datetime.fromisoformat(job['GmtCreateTime'].replace('Z', '+00:00')).timestamp()
    old = [job for job in jobs if 20 * 86400 < age(job) < 29 * 86400]
    assert old, 'the dataset has no job over 20 days old'
    job_id = old[0]['JobId']
    gate_data.changes({'collection': 'pai_dlc_jobs', 'id': job_id, 'set': {'Status': 'SucceededReserving'}})
    check = dict(name='training succeeded', preset='job_succeeded', source='pai_dlc_job_info', value=job_id)
    plain = {'jobscope.cloud.pai_dlc_job_info': {'job_id': job_id},
             'module_defaults': {'group/jobscope.cloud.alibaba': {'endpoint': gate_data.url}}}
    run = run_tasks([plain, gate_task(gate_data, [check])], env=BOTH_ENV)
    listed, held = run.result['results']
    assert listed['jobs'] == []  # the API's own 7-day window hides it
    assert held['opened'] is True, held
    gate_data.changes({'collection': 'pai_dlc_jobs', 'id': job_id, 'set': {'Status': 'FailedReserving'}})
    started = time.time()
    _run, failed = run_gate(gate_data, [check], timeout=120, sleep=1)
    assert failed['failed'] and "check 'training succeeded'" in failed['msg']
    assert failed['attempts'] == 1 and time.time() - started < 60


def test_module_defaults_apply_per_source_and_no_secret_shows(gate_data):
    # No credentials in the environment: each cloud's come from its module_defaults group only.
    alibaba = {'endpoint': gate_data.url, 'access_key_id': 'emuAccessKeyId',
               'access_key_secret': 'emuAccessKeySecret'}
    huawei = {'endpoint': gate_data.url, 'access_key_id': 'emuHwAk', 'access_key_secret': 'emuHwSk',
              'project_id': HUAWEI_ENV['HUAWEICLOUD_SDK_PROJECT_ID']}
    checks = [dict(name='queue', preset='no_queued_jobs', value='USER'),
              cluster_check('A'),
              # The source's own module_defaults win over the group's, and filters over both.
              dict(name='dlc', source='pai_dlc_job_info', fail_if='`false`', filters={'fields': ['job_id']})]
    task = {'jobscope.cloud.job_gate': {'checks': checks, 'timeout': 0, 'sleep': 1, 'fail': False},
            'module_defaults': {'group/jobscope.cloud.alibaba': dict(alibaba, endpoint='http://127.0.0.1:9'),
                                'jobscope.cloud.pai_dlc_job_info': {'endpoint': gate_data.url},
                                'jobscope.cloud.emr_ray_cluster_info': {'endpoint': gate_data.url},
                                'group/jobscope.cloud.huawei': huawei}}
    check_mode = dict(task, check_mode=True)
    run = run_tasks([task, check_mode], env={}, verbosity=4)
    for result in run.result['results']:
        assert not result.get('failed'), result
        assert [entry['held'] for entry in result['checks']] == [False, True, True]
        assert result['checks'][0]['total'] == 7
    ray = [entry for entry in gate_data.requests() if entry['endpoint'] == 'ListRayCluster']
    assert ray and all(entry['access_key_id'] == 'emuAccessKeyId' for entry in ray)
    for secret in SECRETS:
        assert secret not in run.output


def test_bad_checks_fail_before_any_request_naming_the_option(gate_data):
    tasks = [gate_task(gate_data, checks) for checks in (
        [dict(name='x', preset='job_succeeded', value='j')],
        [dict(name='x', source='pai_dlc_job_info', until='jobs[?', filters={})],
        [dict(name='x', source='pai_dlc_job_info', until='total', filters={'max_items': 'many'})],
        [dict(name='x', source='pai_dlc_job_info', until='total', filters={'wait': {'until': 'x'}})],
        [dict(name='x', source='pai_dlc_job_info', until='total'), dict(name='x', preset='no_queued_jobs', value='U')],
        [dict(name='x', source='emr_ray_cluster_info', until='total == `0`', filters={'workspace_id': 'w'})],
        [dict(name='x', source='maxcompute_running_job_info', until='total',
              filters={'access_key_id': 'emuAccessKeyId', 'access_key_secret': 'leakme', 'from_time': '-1h', 'to_time': 'now'})],
    )]
    gate_data.clear_requests()
    run = run_tasks(tasks, env=BOTH_ENV)
    results = run.result['results']
    assert [result.get('option') for result in results[:4]] == [
        'checks[0].source', 'checks[0].until', 'checks[0].filters', 'checks[0].filters']
    assert 'max_items' in results[2]['msg']
    assert 'unique' in results[4]['msg']
    assert 'reads total, which this listing does not have' in results[5]['msg']
    assert all(result['failed'] for result in results)
    # Only the last task, whose options are valid, reached the API (and its wrong secret failed it).
    assert set(entry['endpoint'] for entry in gate_data.requests()) == {'GetRunningJobs'}
    assert "check 'x' (maxcompute_running_job_info)" in results[6]['msg']
    assert 'leakme' not in run.output


def test_the_gate_runs_where_the_task_runs_with_delegate_to(gate_data, tmp_path):
    # The play's host cannot be reached: the gate opens only if it runs on the delegated host.
    inventory = tmp_path / 'hosts.ini'
    inventory.write_text('unreachable ansible_host=192.0.2.1 ansible_connection=ssh '
                         'ansible_ssh_common_args="-o ConnectTimeout=1"\n'
                         'gatehost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
    out = tmp_path / 'result.json'
    task = gate_task(gate_data, [dict(name='queue', preset='no_queued_jobs', value='NOTHING')], timeout=0)
    task.update(delegate_to='gatehost', register='gate')
    play = [{'hosts': 'unreachable', 'gather_facts': False, 'tasks': [
        task, {'ansible.builtin.copy': {'content': '{{ gate | to_json }}', 'dest': str(out)},
               'delegate_to': 'gatehost'}]}]
    playbook = tmp_path / 'play.yml'
    playbook.write_text(json.dumps(play))
    run = run_command(['ansible-playbook', '-i', str(inventory), str(playbook)], env=BOTH_ENV)
    assert run.rc == 0, run.output
    assert json.loads(out.read_text())['opened'] is True

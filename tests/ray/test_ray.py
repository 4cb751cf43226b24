# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Ray source against a real Ray head (conftest.py): jobs submitted through the Jobs REST API, read back
through ray_job_info, the ray_jobs inventory, wait, job_gate and the job_state_changes event source, and
compared with Ray's own `ray job list`."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import re
import sys
import tempfile
import threading
import time

import pytest
import yaml

from harness import collections_path, run_adhoc, run_command, run_tasks

TOKEN = 'emr-style-dashboard-token-5b7e1c'
SNAKE = re.compile(r'^[a-z][a-z0-9_]*$')
USER_MAPS = ('metadata', 'runtime_env', 'entrypoint_resources')
# JobDetails(type=<JobType.SUBMISSION: 'SUBMISSION'>, job_id=None, submission_id='x', ..., status=<JobStatus.FAILED: 'FAILED'>
_DETAILS = re.compile(r"JobDetails\(type=<JobType\.\w+: '(\w+)'>, job_id=(?:None|'[^']*'), "
                      r"submission_id=(None|'[^']*'), .*?status=<JobStatus\.\w+: '(\w+)'>")


def ray_job_list(head):
    """(type, submission_id, status) of every job, as Ray's own CLI shows them."""
    proc = head.ray('job', 'list', '--address', head.address, '--log-style', 'record')
    assert proc.returncode == 0, proc.stderr
    found = [(kind, None if sid == 'None' else sid.strip("'"), status)
             for kind, sid, status in _DETAILS.findall(proc.stdout + proc.stderr)]
    assert found, 'no JobDetails in the output of ray job list:\n%s' % (proc.stdout + proc.stderr)[-2000:]
    return sorted(found, key=repr)


def listed(result):
    return sorted(((job['type'], job['submission_id'], job['status']) for job in result['jobs']), key=repr)


def assert_snake(value, path=''):
    if isinstance(value, dict):
        for key, child in value.items():
            assert SNAKE.match(key), 'key %r at %s is not snake_case' % (key, path or 'the top')
            if key not in USER_MAPS:
                assert_snake(child, '%s.%s' % (path, key) if path else key)
    elif isinstance(value, list):
        for child in value:
            assert_snake(child, path)


# --- listing -------------------------------------------------------------------------------------

def test_ray_job_info_lists_exactly_what_ray_job_list_shows(head, jobs):
    result = run_adhoc('ray_job_info', {'address': head.address})
    assert not result.failed, result.output
    before = ray_job_list(head)
    # Jobs of other tests may change state in between: compare once they agree, but never more than twice.
    if listed(result.result) != before:
        result = run_adhoc('ray_job_info', {'address': head.address})
    assert listed(result.result) == ray_job_list(head)
    assert result.result['complete'] is True and 'total' not in result.result
    for job in result.result['jobs']:
        assert_snake(job)
    ours = dict((job['submission_id'], job) for job in result.result['jobs'])
    assert ours[jobs['ok']]['metadata'] == {'suite': jobs['suite'], 'team': 'ml', 'Owner': 'Ann'}
    assert ours[jobs['ok']]['status'] == 'SUCCEEDED' and ours[jobs['ok']]['driver_exit_code'] == 0
    assert ours[jobs['fail']]['status'] == 'FAILED' and ours[jobs['fail']]['driver_exit_code'] == 3
    assert ours[jobs['long']]['status'] == 'STOPPED'
    for job in ours.values():
        assert isinstance(job['start_time'], int) and job['start_time'] > 1.6e12  # epoch milliseconds


@pytest.mark.parametrize('filters, names', [
    ({'status': 'FAILED'}, ['fail']),
    ({'status': 'SUCCEEDED', 'type': 'SUBMISSION'}, ['ok']),
    ({'entrypoint': 'sys.exit'}, ['fail']),
    ({'metadata': {'team': 'ml'}}, ['ok', 'long']),
    ({'metadata': {'team': 'ml', 'Owner': 'Ann'}}, ['ok']),
    ({'type': 'DRIVER'}, []),
])
def test_controller_side_filters(head, jobs, filters, names):
    args = dict(filters, address=head.address)
    args['metadata'] = dict(filters.get('metadata') or {}, suite=jobs['suite'])  # this session's jobs only
    result = run_adhoc('ray_job_info', args)
    assert not result.failed, result.output
    assert sorted(job['submission_id'] for job in result.result['jobs']) == sorted(jobs[name] for name in names)


def test_a_dashboard_url_with_its_token_works_as_given_and_the_token_is_never_shown(head, jobs):
    address = head.address + '/?token=' + TOKEN
    result = run_adhoc('ray_job_info', {'address': address, 'submission_id': jobs['ok']}, verbosity=4)
    assert not result.failed, result.output
    assert [job['status'] for job in result.result['jobs']] == ['SUCCEEDED']
    assert TOKEN not in result.output
    # A failure: the head is reachable but the path is not a dashboard; the message names the status.
    failed = run_adhoc('ray_job_info', {'address': head.address + '/nowhere?token=' + TOKEN, 'max_retries': 0},
                       verbosity=4)
    assert failed.failed and 'HTTP 404' in failed.result.get('msg', '')
    assert TOKEN not in failed.output
    # Refused by the argument spec before the module runs: still not in the invocation shown at -vvvv.
    refused = run_adhoc('ray_job_info', {'address': address, 'status': 'bogus'}, verbosity=4)
    assert refused.failed and TOKEN not in refused.output


def test_the_address_from_the_environment_as_ray_reads_it(head, jobs):
    env = {'RAY_API_SERVER_ADDRESS': head.address + '/?token=' + TOKEN, 'RAY_ADDRESS': 'http://127.0.0.1:9'}
    result = run_adhoc('ray_job_info', {'submission_id': jobs['fail']}, env=env, verbosity=4)
    assert not result.failed, result.output
    assert [job['status'] for job in result.result['jobs']] == ['FAILED']
    assert TOKEN not in result.output


# --- inventory -----------------------------------------------------------------------------------

def inventory(config, verbosity=0, env=None):
    directory = tempfile.mkdtemp(prefix='jobscope-ray-inventory-')
    path = os.path.join(directory, 'test.ray_jobs.yml')
    with open(path, 'w') as handle:
        yaml.safe_dump(config, handle)
    command = ['ansible-inventory', '-i', path, '--list']
    if verbosity:
        command.append('-' + 'v' * verbosity)
    return run_command(command, env=env)


def test_the_inventory_groups_jobs_by_status_and_by_a_metadata_key(head, jobs):
    result = inventory({'plugin': 'jobscope.cloud.ray_jobs', 'address': head.address + '/?token=' + TOKEN,
                        'metadata': {'suite': jobs['suite']},
                        'keyed_groups': [{'key': 'jobscope_metadata.team', 'prefix': 'ray_jobs_team'}]},
                       verbosity=4)
    assert result.rc == 0, result.output
    assert TOKEN not in result.output
    data = json.loads(result.stdout[result.stdout.index('{'):])

    def hosts(group):
        return sorted(data.get(group, {}).get('hosts', []))

    assert hosts('ray_jobs') == sorted([jobs['ok'], jobs['fail'], jobs['long']])
    assert hosts('ray_jobs_succeeded') == [jobs['ok']]
    assert hosts('ray_jobs_failed') == [jobs['fail']]
    assert hosts('ray_jobs_stopped') == [jobs['long']]
    assert hosts('ray_jobs_type_submission') == sorted([jobs['ok'], jobs['fail'], jobs['long']])
    assert hosts('ray_jobs_team_ml') == sorted([jobs['ok'], jobs['long']])
    assert hosts('ray_jobs_team_data') == [jobs['fail']]
    variables = data['_meta']['hostvars'][jobs['ok']]
    assert variables['jobscope_status'] == 'SUCCEEDED' and variables['jobscope_metadata']['Owner'] == 'Ann'


# --- wait ----------------------------------------------------------------------------------------

WAIT_SLEEP = 1


def wait_play(head, submission_id):
    """ray_job_info waiting for SUCCEEDED (failing fast on FAILED or STOPPED), then the controller's clock."""
    return [
        {'jobscope.cloud.ray_job_info': {
            'address': head.address, 'submission_id': submission_id,
            'wait': {'until': "jobs[0].status == 'SUCCEEDED'",
                     'fail_if': "contains(['FAILED', 'STOPPED'], jobs[0].status)",
                     'sleep': WAIT_SLEEP, 'timeout': 180}}},
        {'ansible.builtin.set_fact': {'opened_at': '{{ now(utc=true).timestamp() }}'}},
    ]


def test_a_wait_opens_within_sleep_plus_one_second_of_succeeded_and_another_fails_fast_on_failed(head):
    succeeding = head.submit('python -c "import time; time.sleep(8)"', prefix='jobscope-wait-ok')
    failing = head.submit('python -c "import sys, time; time.sleep(8); sys.exit(1)"', prefix='jobscope-wait-fail')
    runs = {}

    def run(name, submission_id):
        runs[name] = run_tasks(wait_play(head, submission_id), timeout=300)

    threads = [threading.Thread(target=run, args=('ok', succeeding)), threading.Thread(target=run, args=('fail', failing))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(330)

    ok_wait, ok_clock = runs['ok'].result['results']
    assert not ok_wait.get('failed'), runs['ok'].output
    assert ok_wait['jobs'][0]['status'] == 'SUCCEEDED' and ok_wait['wait']['attempts'] > 1  # it did wait
    ended = head.job(succeeding)['end_time'] / 1000.0
    opened = float(ok_clock['ansible_facts']['opened_at'])
    assert ended <= opened <= ended + WAIT_SLEEP + 1, 'opened %.2f s after SUCCEEDED' % (opened - ended)
    print('wait opened %.2f s after SUCCEEDED (sleep %d)' % (opened - ended, WAIT_SLEEP))

    fail_wait, fail_clock = runs['fail'].result['results']
    assert fail_wait.get('failed') and 'fail_if' in fail_wait['msg'], runs['fail'].output
    assert fail_wait['jobs'][0]['status'] == 'FAILED'
    ended = head.job(failing)['end_time'] / 1000.0
    failed_at = float(fail_clock['ansible_facts']['opened_at'])
    assert failed_at <= ended + WAIT_SLEEP + 1, 'failed %.2f s after FAILED' % (failed_at - ended)
    print('wait failed %.2f s after FAILED (sleep %d)' % (failed_at - ended, WAIT_SLEEP))


# --- job_gate ------------------------------------------------------------------------------------

def test_job_gate_opens_on_a_succeeded_ray_job_and_fails_on_a_failed_one(head, jobs):
    checks = [{'name': 'ray job %s succeeded' % name, 'source': 'ray_job_info',
               'filters': {'submission_id': jobs[name]},
               'until': "jobs[0].status == 'SUCCEEDED'",
               'fail_if': "contains(['FAILED', 'STOPPED'], jobs[0].status)"} for name in ('ok', 'fail')]
    gate = {'timeout': 60, 'sleep': 1, 'cloud_defaults': {'ray': {'address': head.address + '/?token=' + TOKEN}}}
    result = run_tasks([{'jobscope.cloud.job_gate': dict(gate, checks=checks[:1])},
                        {'jobscope.cloud.job_gate': dict(gate, checks=checks)}], verbosity=4)
    opened, failed = result.result['results']
    assert not opened.get('failed') and opened['opened'] is True, result.output
    assert failed.get('failed') and failed['opened'] is False, failed
    assert failed['checks'][1]['failed'] is True and failed['checks'][0]['held'] is True
    assert TOKEN not in result.output


# --- the event source ----------------------------------------------------------------------------

def test_the_event_source_reports_running_then_succeeded(head):
    sys.path.insert(0, collections_path())
    source = importlib.import_module('ansible_collections.jobscope.cloud.extensions.eda.plugins.event_source.'
                                     'job_state_changes')
    submission_id = head.submit('python -c "import time; time.sleep(6)"', prefix='jobscope-events')
    events = []

    async def collect():
        queue = asyncio.Queue()
        task = asyncio.ensure_future(source.main(queue, {'source': 'ray_job', 'address': head.address,
                                                         'submission_id': submission_id, 'interval': 1,
                                                         'emit_initial': True}))
        deadline = time.monotonic() + 120
        try:
            while time.monotonic() < deadline:
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=max(0.1, deadline - time.monotonic()))
                except asyncio.TimeoutError:
                    break
                events.append(event['jobscope'])
                if event['jobscope']['new_state'] in ('SUCCEEDED', 'FAILED', 'STOPPED'):
                    break
        finally:
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass

    asyncio.run(collect())
    states = [(event['change'], event['old_state'], event['new_state']) for event in events]
    assert all(event['id'] == submission_id and event['source'] == 'ray_job' for event in events), events
    assert ('changed', 'RUNNING', 'SUCCEEDED') in states, states
    # Change-only: no event repeats a state.
    assert len(set(states)) == len(states), states


def test_module_defaults_of_the_ray_group_reach_the_module_and_the_gate(head, jobs):
    defaults = {'group/jobscope.cloud.ray': {'address': head.address}}
    result = run_tasks([
        {'jobscope.cloud.ray_job_info': {'submission_id': jobs['ok']}, 'module_defaults': defaults},
        {'jobscope.cloud.job_gate': {'timeout': 30, 'sleep': 1, 'checks': [
            {'name': 'ok', 'source': 'ray_job_info', 'filters': {'submission_id': jobs['ok']},
             'until': "jobs[0].status == 'SUCCEEDED'"}]}, 'module_defaults': defaults},
    ])
    listing, gate = result.result['results']
    assert [job['status'] for job in listing['jobs']] == ['SUCCEEDED'], result.output
    assert gate['opened'] is True, result.output

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Issue 16: filters that only the vendors' SDK request models know reach the emulator exactly as the SDK
sends them and filter as documented; a server that serves smaller pages than asked loses no item."""

from __future__ import annotations

import json
import os
import tempfile

import pytest

from harness import ALIBABA_ENV, HUAWEI_ENV, run_adhoc, run_command

NOW = 1768464000  # 2026-01-15T08:00:00Z
WORKSPACE = 'w-demo'
SPEC = {
    'seed': 16,
    'now': NOW,
    'pai_dlc_jobs': {'count': 70, 'mix': {'JobType': {'DataJuicerJob': 8}}},
}
PAGING = ('PageNumber', 'PageSize')


@pytest.fixture
def data(emulator):
    emulator.reset(SPEC)
    return emulator


def module_jobs(emulator, **args):
    run = run_adhoc('pai_dlc_job_info', dict(args, endpoint=emulator.url), env=ALIBABA_ENV)
    assert not run.failed, run.output
    assert run.result['complete'] is True
    return [job['job_id'] for job in run.result['jobs']]


def sent_filters(emulator):
    """The filter parameters of each ListJobs request in the log, paging left out."""
    return [dict((k, v) for k, v in entry['params'].items() if k not in PAGING)
            for entry in emulator.requests() if entry['endpoint'] == 'ListJobs']


def sdk_filters(emulator, **request):
    """What the official SDK client sends for the same request."""
    client_module = pytest.importorskip('alibabacloud_pai_dlc20201203.client')
    models = pytest.importorskip('alibabacloud_pai_dlc20201203.models')
    config = pytest.importorskip('alibabacloud_tea_openapi.models').Config(
        access_key_id=ALIBABA_ENV['ALIBABA_CLOUD_ACCESS_KEY_ID'],
        access_key_secret=ALIBABA_ENV['ALIBABA_CLOUD_ACCESS_KEY_SECRET'],
        endpoint=emulator.url.split('://', 1)[1], protocol='http')
    emulator.clear_requests()
    body = client_module.Client(config).list_jobs(models.ListJobsRequest(page_size=100, **request)).body
    sent = sent_filters(emulator)
    emulator.clear_requests()
    return sent[0], [job.job_id for job in body.jobs]


def test_job_type_data_juicer_job(data):
    items = data.items('pai_dlc_jobs')
    want = [job['JobId'] for job in items if job['JobType'] == 'DataJuicerJob']
    assert len(want) == 8
    sdk_sent, sdk_ids = sdk_filters(data, job_type='DataJuicerJob')
    data.clear_requests()
    assert module_jobs(data, job_type='DataJuicerJob') == want == sdk_ids
    assert sent_filters(data) == [sdk_sent] == [{'JobType': 'DataJuicerJob'}]


def test_time_range_field_gmt_finish_time(data):
    items = data.items('pai_dlc_jobs')
    finished = sorted(job['GmtFinishTime'] for job in items if job['GmtFinishTime'])
    start, end = finished[1], finished[-2]
    want = [job['JobId'] for job in items if job['GmtFinishTime'] and start <= job['GmtFinishTime'] <= end]
    assert len(want) == len(finished) - 2
    sdk_sent, sdk_ids = sdk_filters(data, time_range_field='GmtFinishTime', start_time=start, end_time=end)
    data.clear_requests()
    got = module_jobs(data, time_range_field='GmtFinishTime', start_time=start, end_time=end)
    assert got == want == sdk_ids
    assert sent_filters(data) == [sdk_sent]
    assert sdk_sent == {'TimeRangeField': 'GmtFinishTime', 'StartTime': start, 'EndTime': end}
    # The same window on the default field (creation time) is another set of jobs.
    assert module_jobs(data, start_time=start, end_time=end) != want


def test_every_new_filter_is_sent_as_the_sdk_sends_it(data):
    options = dict(job_ids=['dlc-a', 'dlc-b'], resource_ids=['quota-1', 'quota-2'], display_name_search_mode='exact',
                   payment_type='Spot', template_id='tpl-1', description='nightly', enable_assign_node='true',
                   image_search='pytorch', reason_search='OOM killed', user_command_search='train.py',
                   numeric_range_field='Priority', numeric_range_min=2, numeric_range_max=7, show_own=True,
                   tags={'team': 'ml', 'env': 'prod'})
    request = dict(options)
    request.update(job_ids='dlc-a,dlc-b', resource_ids='quota-1,quota-2')  # the SDK types both as one string
    sdk_sent, _ids = sdk_filters(data, **request)
    data.clear_requests()
    module_jobs(data, **options)
    assert sent_filters(data) == [sdk_sent]


CAPPED = {
    # module, its required options, the emulator's log name, the collection spec, the cap, the result key
    'emr_ray_cluster_info': ({'workspace_id': WORKSPACE}, 'ListRayCluster',
                             {'emr_ray_clusters': {WORKSPACE: {'count': 130}}}, 50, 'clusters'),
    'emr_ray_job_info': ({'workspace_id': WORKSPACE}, 'ListRayJob', {'emr_ray_jobs': {WORKSPACE: {'count': 130}}},
                         50, 'jobs'),
    'pai_dlc_job_info': ({}, 'ListJobs', {'pai_dlc_jobs': {'count': 130}}, 50, 'jobs'),
    'maxcompute_running_job_info': ({'from_time': NOW - 86400, 'to_time': NOW + 3600}, 'GetRunningJobs',
                                    {'maxcompute_running_jobs': {'count': 45}}, 10, 'jobs'),
    'octopus_queued_job_info': ({'queue_type': 'USER'}, 'QueryQueuedJobList',
                                {'octopus_queued_jobs': {'count': 130, 'mix': {'queue_type': {'USER': 130}}}}, 50,
                                'jobs'),
}


@pytest.mark.parametrize('module', sorted(CAPPED))
def test_a_smaller_server_page_cap_loses_no_item(emulator, module):
    args, log_name, collection, cap, key = CAPPED[module]
    emulator.reset(dict(collection, seed=16, now=NOW, page_caps={log_name: cap}))
    env = HUAWEI_ENV if module.startswith('octopus') else ALIBABA_ENV
    run = run_adhoc(module, dict(args, endpoint=emulator.url), env=env)
    assert not run.failed, run.output
    name = list(collection)[0]
    want = emulator.items(name) if name not in ('emr_ray_clusters', 'emr_ray_jobs') else \
        emulator.control('GET', 'items/%s?workspace=%s' % (name, WORKSPACE))['items']
    id_key = {'emr_ray_clusters': 'clusterId', 'emr_ray_jobs': 'submissionId', 'pai_dlc_jobs': 'JobId',
              'maxcompute_running_jobs': 'instanceId', 'octopus_queued_jobs': 'id'}[name]
    snake = {'clusterId': 'cluster_id', 'submissionId': 'submission_id', 'JobId': 'job_id',
             'instanceId': 'instance_id', 'id': 'id'}[id_key]
    got = [item[snake] for item in run.result[key]]
    if run.result['complete']:
        assert got == [item[id_key] for item in want]   # every item, once, in order
    else:
        assert run.result.get('warnings'), run.result
    # The module asked for its (larger) page size first, as the issue describes.
    sizes = [entry['params'].get('limit') or entry['params'].get('pageSize') or entry['params'].get('PageSize')
             for entry in emulator.requests() if entry['endpoint'] == log_name]
    assert int(sizes[0]) > cap


def test_the_inventory_plugin_takes_the_new_filters(data):
    """pai_dlc_jobs reads the same options from the shared fragment and sends them as the module does."""
    items = data.items('pai_dlc_jobs')
    finished = sorted(job['GmtFinishTime'] for job in items if job['GmtFinishTime'] and
                      job['JobType'] == 'DataJuicerJob')
    assert finished
    want = sorted(job['JobId'] for job in items if job['JobType'] == 'DataJuicerJob' and job['GmtFinishTime'])
    source = os.path.join(tempfile.mkdtemp(prefix='jobscope-i16-'), 'dlc.pai_dlc_jobs.yml')
    with open(source, 'w') as handle:
        handle.write('\n'.join([
            'plugin: jobscope.cloud.pai_dlc_jobs', 'endpoint: %s' % data.url, 'job_type: DataJuicerJob',
            'time_range_field: GmtFinishTime', 'start_time: "%s"' % finished[0], 'end_time: "%s"' % finished[-1],
            'job_ids: []', 'numeric_range_field: Priority', 'numeric_range_min: 0', 'numeric_range_max: 100']) + '\n')
    env = dict(ALIBABA_ENV, ANSIBLE_INVENTORY_UNPARSED_FAILED='true')
    data.clear_requests()
    result = run_command(['ansible-inventory', '-i', source, '--list'], env=env)
    assert result.rc == 0, result.output[-3000:]
    hostvars = json.loads(result.stdout[result.stdout.index('{'):])['_meta']['hostvars']
    # Strings that cannot be templates are plain (issue 11); a brace string would be {"__ansible_unsafe": value}.
    assert sorted(host['jobscope_job_id'] for host in hostvars.values()) == want
    assert sent_filters(data) == [{'JobType': 'DataJuicerJob', 'TimeRangeField': 'GmtFinishTime',
                                   'StartTime': finished[0], 'EndTime': finished[-1], 'NumericRangeField': 'Priority',
                                   'NumericRangeMin': '0', 'NumericRangeMax': '100'}]

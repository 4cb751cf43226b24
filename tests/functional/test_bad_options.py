# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Issue 6: every option with a wrong type, range or format fails before any request, naming the option.

The real module path (Ansible's argument spec, then the collection's own checks) runs in ansible-playbook,
many cases per run (run_tasks: each task with ignore_errors, every registered result read back), one run
per module or credential setup, so pytest-xdist spreads the runs over its workers. After each run the
emulator's request log must be empty: no case may have reached the network.
"""

from __future__ import annotations

import os
import tempfile

import pytest

from harness import ALIBABA_ENV, HUAWEI_ENV, run_tasks

WORKSPACE = 'w-demo'

REQUIRED = {
    'emr_ray_cluster_info': {'workspace_id': WORKSPACE},
    'emr_ray_job_info': {'workspace_id': WORKSPACE},
    'pai_dlc_job_info': {},
    'maxcompute_running_job_info': {'from_time': '-1h', 'to_time': 'now'},
    'octopus_queued_job_info': {'queue_type': 'USER'},
}
MAXIMUM_PAGE_SIZE = {'maxcompute_running_job_info': 20}
ENV = dict((module, HUAWEI_ENV if module.startswith('octopus') else ALIBABA_ENV) for module in REQUIRED)

MISSING = object()
# ansible-core 2.19 puts "(traceback unavailable)" in every failure's "exception"; a crash shows a real one.
TRACEBACK = 'Traceback (most recent call last)'
# A string for an option with suboptions (wait, submit_time) is refused by ansible-core itself before the
# module runs, with a message that does not name the option (its no_log scan converts the value first,
# module_utils/common/parameters.py _list_no_log_values). The module cannot improve on that; these cases
# check that the failure is clean and early, and expect core's own words.
CORE_DICT_MESSAGE = 'dictionary requested, could not parse JSON or key=value'

# (case id, option the message must name, options changed from REQUIRED + endpoint; MISSING removes one)
COMMON = [
    ('page_size 0', 'page_size', {'page_size': 0}),
    ('page_size 101', 'page_size', {'page_size': 101}),
    ('page_size -5', 'page_size', {'page_size': -5}),
    ('page_size not a number', 'page_size', {'page_size': 'ten'}),
    ('max_items 0', 'max_items', {'max_items': 0}),
    ('max_items not a number', 'max_items', {'max_items': 'all'}),
    ('concurrency 0', 'concurrency', {'concurrency': 0}),
    ('concurrency 65', 'concurrency', {'concurrency': 65}),
    ('timeout 0', 'timeout', {'timeout': 0}),
    ('timeout not a number', 'timeout', {'timeout': 'soon'}),
    ('max_retries -1', 'max_retries', {'max_retries': -1}),
    ('max_retries 21', 'max_retries', {'max_retries': 21}),
    ('validate_certs not a bool', 'validate_certs', {'validate_certs': 'perhaps'}),
    ('redact not a bool', 'redact', {'redact': 'perhaps'}),
    ('endpoint ftp', 'endpoint', {'endpoint': 'ftp://x'}),
    ('endpoint without host', 'endpoint', {'endpoint': 'http://'}),
    ('endpoint not a URL', 'endpoint', {'endpoint': 'not a url'}),
    ('endpoint port out of range', 'endpoint', {'endpoint': 'http://h:99999'}),
    ('endpoint with a query', 'endpoint', {'endpoint': 'http://127.0.0.1:1/?a=b'}),
    ('endpoint with credentials', 'endpoint', {'endpoint': 'http://user:pw@127.0.0.1:1'}),
    ('wait.until invalid JMESPath', 'wait.until', {'wait': {'until': "jobs[?status == 'Running'"}}),
    ('wait.fail_if invalid JMESPath', 'wait.fail_if', {'wait': {'fail_if': 'length(('}}),
    ('wait.sleep 0', 'wait.sleep', {'wait': {'until': 'complete', 'sleep': 0}}),
    ('wait.timeout -1', 'wait.timeout', {'wait': {'until': 'complete', 'timeout': -1}}),
    ('wait without until or fail_if', 'wait', {'wait': {'timeout': 10}}),
    ('wait not a dict', CORE_DICT_MESSAGE, {'wait': 'until done'}),
]

SPECIFIC = {
    'emr_ray_cluster_info': [
        ('workspace_id empty', 'workspace_id', {'workspace_id': ''}),
        ('workspace_id blank', 'workspace_id', {'workspace_id': '   '}),
        ('workspace_id missing', 'workspace_id', {'workspace_id': MISSING}),
        ('endpoint_type unknown', 'endpoint_type', {'endpoint_type': 'private'}),
    ],
    'emr_ray_job_info': [
        ('workspace_id empty', 'workspace_id', {'workspace_id': ''}),
        ('submit_time start after end', 'submit_time',
         {'submit_time': {'start_time': '2026-01-02T00:00:00Z', 'end_time': '2026-01-01T00:00:00Z'}}),
        ('submit_time.start_time unparseable', 'submit_time.start_time', {'submit_time': {'start_time': 'yesterday'}}),
        ('submit_time.end_time impossible date', 'submit_time.end_time', {'submit_time': {'end_time': '2024-13-45'}}),
        ('submit_time.end_time huge offset', 'submit_time.end_time', {'submit_time': {'end_time': '-99999999999d'}}),
        ('submit_time not a dict', CORE_DICT_MESSAGE, {'submit_time': 'last week'}),
        ('submit_time unknown key', 'submit_time', {'submit_time': {'begin': 'now'}}),
        ('name empty', 'name', {'name': ''}),
    ],
    'pai_dlc_job_info': [
        ('start_time after end_time', 'start_time', {'start_time': '2026-01-02T00:00:00Z',
                                                     'end_time': '2026-01-01T00:00:00Z'}),
        ('start_time unparseable', 'start_time', {'start_time': 'yesterday'}),
        ('end_time impossible date', 'end_time', {'end_time': '2024-13-45'}),
        ('start_time at the edge of time', 'start_time', {'start_time': '9999-12-31T23:00:00-14:00'}),
        ('start_time a boolean', 'start_time', {'start_time': True}),
        # status, job_type and sort_by are open lists (the cloud adds values): only empty is refused.
        ('status empty', 'status', {'status': ' '}),
        ('job_type empty', 'job_type', {'job_type': ''}),
        ('order unknown', 'order', {'order': 'sideways'}),
        ('sort_by empty', 'sort_by', {'sort_by': ''}),
        ('numeric_range_min without its field', 'numeric_range_min', {'numeric_range_min': 1}),
        ('numeric_range_max not an int', 'numeric_range_max', {'numeric_range_field': 'Priority',
                                                               'numeric_range_max': 'ten'}),
        ('numeric_range_min above max', 'numeric_range_min', {'numeric_range_field': 'Priority',
                                                              'numeric_range_min': 9, 'numeric_range_max': 1}),
        ('job_ids item with a comma', 'job_ids', {'job_ids': ['dlc-1,dlc-2']}),
        ('resource_ids empty item', 'resource_ids', {'resource_ids': ['']}),
        ('accessibility unknown', 'accessibility', {'accessibility': 'EVERYONE'}),
        ('oversold_info unknown', 'oversold_info', {'oversold_info': 'Maybe'}),
        ('tags not a dict', 'tags', {'tags': 'team'}),
        ('tags a list', 'tags', {'tags': ['team', 'search']}),
        ('show_own not a bool', 'show_own', {'show_own': 'maybe'}),
        ('from_all_workspaces not a bool', 'from_all_workspaces', {'from_all_workspaces': 'everywhere'}),
        ('display_name empty', 'display_name', {'display_name': ''}),
        ('workspace_id empty', 'workspace_id', {'workspace_id': ''}),
    ],
    'maxcompute_running_job_info': [
        ('page_size 21', 'page_size', {'page_size': 21}),
        ('from_time after to_time', 'from_time', {'from_time': 'now', 'to_time': '-1h'}),
        ('from_time unparseable', 'from_time', {'from_time': 'yesterday'}),
        ('to_time impossible date', 'to_time', {'to_time': '2024-13-45'}),
        ('to_time out of range', 'to_time', {'to_time': 10 ** 20}),
        ('from_time missing', 'from_time', {'from_time': MISSING}),
        ('to_time missing', 'to_time', {'to_time': MISSING}),
        ('job_owner_list item with a comma', 'job_owner_list', {'job_owner_list': ['alice,bob']}),
        ('job_owner_list empty item', 'job_owner_list', {'job_owner_list': ['alice', '']}),
        ('quota_nickname_list item with a comma', 'quota_nickname_list', {'quota_nickname_list': ['q-gold,q-x']}),
    ],
    'octopus_queued_job_info': [
        ('job_id not an int', 'job_id', {'job_id': 'job-42'}),
        ('job_id negative', 'job_id', {'job_id': -1}),
        ('cluster_type MODELARTS without cluster_id', 'cluster_id', {'cluster_type': 'MODELARTS'}),
        ('cluster_type MODELARTS with an empty cluster_id', 'cluster_id',
         {'cluster_type': 'MODELARTS', 'cluster_id': ''}),
        ('queue_type missing', 'queue_type', {'queue_type': MISSING}),
        ('queue_type empty', 'queue_type', {'queue_type': ''}),
    ],
}


def task(module, emulator, changes):
    options = dict(REQUIRED[module], endpoint=emulator.url)
    for name, value in changes.items():
        if value is MISSING:
            options.pop(name, None)
        else:
            options[name] = value
    return {'name': module, 'jobscope.cloud.' + module: options}


def common_cases(module):
    cases = list(COMMON)
    maximum = MAXIMUM_PAGE_SIZE.get(module, 100)
    if maximum != 100:
        cases = [case if case[0] != 'page_size 101' else ('page_size %d' % (maximum + 1), 'page_size',
                                                          {'page_size': maximum + 1}) for case in cases]
    return cases


def run_cases(emulator, cases, tasks, env, home=None):
    """Run the tasks in one playbook; every case must fail naming its option, and none may send a request."""
    emulator.reset()  # the dataset it has; clears faults, changes and the request log
    run = run_tasks(tasks, env=env, home=home)
    assert 'results' in run.result, run.output
    results = run.result['results']
    assert len(results) == len(cases)
    problems = []
    for (case_id, option, _changes), result in zip(cases, results):
        msg = str(result.get('msg', ''))
        if not result.get('failed'):
            problems.append('%s: did not fail (%s)' % (case_id, sorted(result)))
        elif TRACEBACK in '%s %s' % (result.get('exception', ''), result.get('module_stderr', '')):
            problems.append('%s: a traceback: %s %s'
                            % (case_id, result.get('exception', ''), result.get('module_stderr', '')))
        elif option not in msg:
            problems.append('%s: the message does not name %s: %s' % (case_id, option, msg))
        elif 'option' in result and result['option'] != option:
            problems.append('%s: reported option %s, not %s' % (case_id, result['option'], option))
    sent = ['%s?%s' % (entry['path'], entry['query']) for entry in emulator.requests()]
    assert not problems and not sent, '\n'.join(problems + ['requests were sent: %s' % sent])
    assert 'Traceback' not in run.output
    return results


@pytest.mark.parametrize('module', sorted(REQUIRED))
def test_common_options_are_checked_before_any_request(emulator, module):
    cases = common_cases(module)
    run_cases(emulator, cases, [task(module, emulator, changes) for _case, _option, changes in cases], ENV[module])


@pytest.mark.parametrize('module', sorted(SPECIFIC))
def test_module_options_are_checked_before_any_request(emulator, module):
    cases = SPECIFIC[module]
    run_cases(emulator, cases, [task(module, emulator, changes) for _case, _option, changes in cases], ENV[module])


def test_missing_credentials_region_and_project_are_clean_errors_naming_where_it_looked(emulator):
    """A clean environment and an empty HOME: nothing to find. Each message says what is missing and where
    the module looked; every case fails before any request."""
    home = tempfile.mkdtemp(prefix='jobscope-empty-home-')
    no_endpoint = {'endpoint': MISSING}
    cases = [
        ('alibaba credentials missing', 'access_key_id', 'pai_dlc_job_info', {},
         ['ALIBABA_CLOUD_ACCESS_KEY_ID', os.path.join(home, '.aliyun', 'config.json'),
          os.path.join(home, '.alibabacloud', 'credentials.ini')]),
        ('alibaba secret missing', 'access_key_secret', 'emr_ray_job_info', {'access_key_id': 'emuAccessKeyId'},
         ['module options']),
        ('alibaba profile missing', 'access_key_id', 'maxcompute_running_job_info', {'profile': 'prod'},
         ['prod']),
        ('alibaba region and endpoint missing', 'region', 'emr_ray_cluster_info',
         dict(no_endpoint, access_key_id='emuAccessKeyId', access_key_secret='emuAccessKeySecret'),
         ['ALIBABA_CLOUD_REGION_ID']),
        ('huawei credentials missing', 'access_key_id', 'octopus_queued_job_info',
         {'project_id': HUAWEI_ENV['HUAWEICLOUD_SDK_PROJECT_ID']},
         ['HUAWEICLOUD_SDK_AK', os.path.join(home, '.huaweicloud', 'credentials')]),
        ('huawei project_id missing', 'project_id', 'octopus_queued_job_info',
         {'access_key_id': 'emuHwAk', 'access_key_secret': 'emuHwSk'},
         ['HUAWEICLOUD_SDK_PROJECT_ID']),
        ('huawei region and endpoint missing', 'region', 'octopus_queued_job_info',
         dict(no_endpoint, access_key_id='emuHwAk', access_key_secret='emuHwSk',
              project_id=HUAWEI_ENV['HUAWEICLOUD_SDK_PROJECT_ID']),
         ['HUAWEICLOUD_SDK_REGION']),
    ]
    tasks = [task(module, emulator, changes) for _case, _option, module, changes, _where in cases]
    results = run_cases(emulator, [case[:3] for case in cases], tasks, env={}, home=home)
    for (case_id, _option, _module, _changes, where), result in zip(cases, results):
        for place in where:
            assert place in result['msg'], '%s: %s does not say %s' % (case_id, result['msg'], place)

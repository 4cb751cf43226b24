# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Acceptance of issue 3 (the four job modules), its "Done when" list, against the emulator.

The emulator checks every signature or token; its request log shows the parameters as they went over the
wire. Expected results are computed from the emulator's own items (GET /_emulator/items/...).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import tempfile

from urllib.parse import quote

import pytest

from harness import ALIBABA_ENV, HUAWEI_ENV, REDACTED, SECRETS, run_adhoc, run_command, snake_keys

WORKSPACE = 'w-demo'
PROJECT = HUAWEI_ENV['HUAWEICLOUD_SDK_PROJECT_ID']
RAY_NAME = u'nightly etl/\u03b1+\u03b2'
NOW = 1768464000  # 2026-01-15T08:00:00Z, the datasets' fixed clock

# Fixed clock: every reset builds the same items, so expectations never race a changing dataset.
SPEC = {
    'seed': 7,
    'now': NOW,
    'emr_ray_jobs': {WORKSPACE: {'count': 60, 'mix': {'name': {RAY_NAME: 7}}}},
    'pai_dlc_jobs': {'count': 130, 'mix': {'Status': {'Running': 65, 'Succeeded': 40, 'Failed': 25}}},
    'maxcompute_running_jobs': {'count': 45, 'mix': {'quotaNickname': {'q-gold': 23, 'q-silver': 22}}},
    'octopus_queued_jobs': {'count': 50, 'mix': {'queue_type': {'USER': 37, 'PROCESSOR': 8, 'INTERNAL': 5}}},
}

# The user-defined maps of DLC jobs (issue 3): their keys are the user's and come back unchanged.
DLC_USER_MAPS = ('Envs', 'SystemEnvs', 'Tags', 'PodLabels', 'PodAnnotations', 'AdvancedSettings', 'Limits',
                 'Requests')
# The MaxCompute submission window that holds every job of SPEC (they were all submitted in the last hour).
MC_WINDOW = {'from_time': NOW - 7200, 'to_time': NOW + 3600}
DLC_SECRET_PREFIXES = ('regpass-', 'regauth-', 'stssecret-', 'STS.emu-')


@pytest.fixture
def data(emulator):
    emulator.reset(SPEC)
    return emulator


def alibaba(emulator, module, env=None, **args):
    return run_adhoc(module, dict(args, endpoint=emulator.url), env=ALIBABA_ENV if env is None else env)


def huawei(emulator, env=None, **args):
    return run_adhoc('octopus_queued_job_info', dict(args, endpoint=emulator.url),
                     env=HUAWEI_ENV if env is None else env)


def ok(run):
    assert not run.failed, run.output
    return run.result


def rfc3986(value):
    return quote(value, safe='~')


def raw_pairs(entry):
    """The query as sent, split but not decoded."""
    return dict(part.split('=', 1) for part in entry['query'].split('&') if part)


# ---------------------------------------------------------------------------------------------------
# References for the expected results, from the emulator's wire items


# The emulator's secrets in DLC jobs (tests/emulator/README.md), each with its own prefix, plus the OSS access
# key ID of its pre-signed URL: redaction by class (issue 11) replaces each of them, and only them.
DLC_SECRET = re.compile(r'(?:hf_emu|wandbkey-|dbpass-|mlflowpass-|osssig-|awssecret-|glpat-emu|dingtok-|regpass-|'
                        r'regauth-|stssecret-|STS\.emu-)[0-9a-f]+|LTAI5tEmuOssKey')


def _redact_known(value):
    if isinstance(value, dict):
        return dict((key, _redact_known(child)) for key, child in value.items())
    if isinstance(value, list):
        return [_redact_known(child) for child in value]
    if isinstance(value, str):
        return DLC_SECRET.sub(REDACTED, value)
    return value


def dlc_expected(item, redact=True):
    job = snake_keys(item, keep=DLC_USER_MAPS)
    return _redact_known(job) if redact else job


def ray_job_expected(item):
    job = snake_keys(item)
    url = job['dashboard_url'].partition('?')[0]
    job['dashboard_url'] = url + '?token=' + REDACTED
    return job


def dlc_secrets(items):
    values = []
    for item in items:
        for spec in item['JobSpecs']:
            values += [spec['ImageConfig']['Password'], spec['ImageConfig']['Auth']]
        for config_item in item['CredentialConfig']['CredentialConfigItems']:
            for role in config_item['Roles']:
                values += [role['AssumeUserInfo']['AccessKeyId'], role['AssumeUserInfo']['SecurityToken']]
    assert values and all(value.startswith(DLC_SECRET_PREFIXES) for value in values)
    return values


# ---------------------------------------------------------------------------------------------------
# emr_ray_job_info


def test_ray_job_name_filter_selects_exactly_the_named_jobs(data):
    items = data.items('emr_ray_jobs')
    expected = [item['submissionId'] for item in items if item['name'] == RAY_NAME]
    assert len(expected) == 7
    result = ok(alibaba(data, 'emr_ray_job_info', workspace_id=WORKSPACE, name=RAY_NAME))
    assert [job['submission_id'] for job in result['jobs']] == expected
    assert result['total'] == 7
    log = data.requests()
    assert len(log) == 1 and log[0]['auth'] == 'ok'
    assert log[0]['params']['name'] == RAY_NAME
    assert raw_pairs(log[0])['name'] == rfc3986(RAY_NAME)


def test_ray_job_submit_time_range_goes_out_as_json_submitTime(data):
    items = data.items('emr_ray_jobs')
    low, high = items[20]['submitTime'], items[10]['submitTime']
    assert low < high and high % 1000 == 0
    expected = [item for item in items if low <= item['submitTime'] <= high]
    assert len(expected) == 11
    # One bound as epoch milliseconds, the other as ISO 8601 with an offset.
    high_iso = _iso(high // 1000, offset_hours=8)
    result = ok(alibaba(data, 'emr_ray_job_info', workspace_id=WORKSPACE, page_size=4,
                        submit_time={'start_time': low, 'end_time': high_iso}))
    assert [job['submission_id'] for job in result['jobs']] == [item['submissionId'] for item in expected]
    assert result['jobs'] == [ray_job_expected(item) for item in expected]
    assert result['total'] == 11
    log = data.requests()
    assert len(log) == 3 and all(entry['auth'] == 'ok' for entry in log)
    for entry in log:
        sent = entry['params']['submitTime']
        assert json.loads(sent) == {'startTime': low, 'endTime': high}
        assert ' ' not in sent, 'submitTime must be compact JSON: %r' % sent
        assert raw_pairs(entry)['submitTime'] == rfc3986(sent)


def _iso(epoch_seconds, offset_hours=0):
    import datetime
    zone = datetime.timezone(datetime.timedelta(hours=offset_hours))
    return datetime.datetime.fromtimestamp(epoch_seconds, zone).isoformat()


# ---------------------------------------------------------------------------------------------------
# pai_dlc_job_info


@pytest.fixture(scope='module')
def dlc_running(emulator):
    """Status Running, read 10 a page with redaction, and 100 a page with redact=false; logs captured."""
    emulator.reset(SPEC)
    items = emulator.items('pai_dlc_jobs')
    redacted = alibaba(emulator, 'pai_dlc_job_info', status='Running', page_size=10)
    log = emulator.requests()
    emulator.clear_requests()
    raw = alibaba(emulator, 'pai_dlc_job_info', status='Running', page_size=100, redact=False)
    return dict(items=items, running=[item for item in items if item['Status'] == 'Running'],
                redacted=redacted, log=log, raw=raw, raw_log=emulator.requests())


def test_dlc_status_filter_pages_through_exactly_65_of_130(dlc_running):
    assert len(dlc_running['items']) == 130
    expected = [item['JobId'] for item in dlc_running['running']]
    assert len(expected) == 65
    result = ok(dlc_running['redacted'])
    ids = [job['job_id'] for job in result['jobs']]
    assert ids == expected
    assert len(set(ids)) == 65
    assert result['total'] == 65 and result['complete'] is True
    log = dlc_running['log']
    assert sorted(int(entry['params']['PageNumber']) for entry in log) == list(range(1, 8))
    assert all(entry['params']['PageSize'] == '10' for entry in log)
    assert all(entry['params']['Status'] == 'Running' for entry in log)
    assert all(entry['auth'] == 'ok' and entry['status'] == 200 for entry in log)


def test_dlc_credentials_are_redacted_by_default(dlc_running):
    run = dlc_running['redacted']
    running = dlc_running['running']
    for value in dlc_secrets(running):
        assert value not in run.output
    for prefix in DLC_SECRET_PREFIXES:
        assert prefix not in run.output
    job = run.result['jobs'][0]
    assert job['job_specs'][0]['image_config']['password'] == REDACTED
    assert job['job_specs'][0]['image_config']['auth'] == REDACTED
    info = job['credential_config']['credential_config_items'][0]['roles'][0]['assume_user_info']
    assert info['access_key_id'] == REDACTED and info['security_token'] == REDACTED
    # Everything else is the API's, value for value.
    assert run.result['jobs'] == [dlc_expected(item) for item in running]


def test_dlc_credentials_are_returned_with_redact_false(dlc_running):
    result = ok(dlc_running['raw'])
    running = dlc_running['running']
    assert result['jobs'] == [dlc_expected(item, redact=False) for item in running]
    text = json.dumps(result['jobs'], ensure_ascii=False)
    for value in dlc_secrets(running):
        assert value in text
    assert REDACTED not in text
    assert len(dlc_running['raw_log']) == 1


def test_dlc_user_defined_maps_keep_their_keys(dlc_running):
    job = ok(dlc_running['redacted'])['jobs'][0]
    assert 'MY_ENV_Key' in job['envs'] and 'camelCaseVar' in job['envs']
    assert 'my_env_key' not in job['envs']
    assert 'NCCL_Debug' in job['system_envs']
    assert 'ReleaseResourcePolicy' in job['settings']['advanced_settings']
    extra = job['job_specs'][0]['extra_pod_spec']
    assert 'app.kubernetes.io/Name' in extra['pod_labels'] and 'Team_Label' in extra['pod_labels']
    assert 'Sidecar.Istio.io/Inject' in extra['pod_annotations']
    # while the API's own keys around them are snake_case
    assert 'gmt_create_time' in job and 'resource_config' in job['job_specs'][0]
    assert 'gpu_type' in job['job_specs'][0]['resource_config']


def test_dlc_tags_go_out_as_the_json_Tags_map(data):
    tags = {'env': 'dev', 'team': 'ml a'}
    items = data.items('pai_dlc_jobs')
    expected = [item['JobId'] for item in items
                if all(item['Settings']['Tags'].get(key) == value for key, value in tags.items())]
    assert expected
    result = ok(alibaba(data, 'pai_dlc_job_info', tags=tags))
    assert [job['job_id'] for job in result['jobs']] == expected
    assert all(job['settings']['tags'] == tags for job in result['jobs'])
    log = data.requests()
    assert len(log) == 1
    sent = log[0]['params']['Tags']
    assert json.loads(sent) == tags
    assert sent == json.dumps(tags, separators=(',', ':')), 'Tags must be one compact JSON string'


# ---------------------------------------------------------------------------------------------------
# maxcompute_running_job_info


def test_maxcompute_quota_filter_returns_its_23_of_45_jobs_in_pages_of_at_most_20(data):
    items = data.items('maxcompute_running_jobs')
    assert len(items) == 45
    expected = [item for item in items if item['quotaNickname'] == 'q-gold']
    assert len(expected) == 23
    result = ok(alibaba(data, 'maxcompute_running_job_info', quota_nickname_list=['q-gold'], **MC_WINDOW))
    assert [job['instance_id'] for job in result['jobs']] == [item['instanceId'] for item in expected]
    assert result['jobs'] == [snake_keys(item) for item in expected]
    assert result['total'] == 23
    log = data.requests()
    assert len(log) == 2
    assert all(int(entry['params']['pageSize']) <= 20 for entry in log)
    assert all(entry['params']['quotaNicknameList'] == 'q-gold' for entry in log)
    assert all(entry['params']['from'] == str(NOW - 7200) and entry['params']['to'] == str(NOW + 3600)
               for entry in log)


def test_maxcompute_lists_are_sent_comma_joined(data):
    items = data.items('maxcompute_running_jobs')
    owners = ['RAM$dev-team:bob', 'ALIYUN$alice@test.aliyunid.com']
    quotas = ['q-gold', 'q-silver']
    expected = [item['instanceId'] for item in items if item['jobOwner'] in owners]
    assert 5 < len(expected) < 45
    result = ok(alibaba(data, 'maxcompute_running_job_info', job_owner_list=owners, quota_nickname_list=quotas,
                        page_size=5, **MC_WINDOW))
    assert [job['instance_id'] for job in result['jobs']] == expected
    log = data.requests()
    assert len(log) == -(-len(expected) // 5)
    for entry in log:
        assert entry['params']['jobOwnerList'] == ','.join(owners)
        assert entry['params']['quotaNicknameList'] == 'q-gold,q-silver'
        assert entry['params']['pageSize'] == '5'
        assert raw_pairs(entry)['jobOwnerList'] == rfc3986(','.join(owners))


# ---------------------------------------------------------------------------------------------------
# octopus_queued_job_info


def octopus_expected(emulator):
    items = [item for item in emulator.items('octopus_queued_jobs') if item['queue_type'] == 'USER']
    assert len(items) == 37
    return items


def test_octopus_returns_all_37_queued_jobs_through_offset_and_limit_signed_with_ak_sk(data):
    expected = octopus_expected(data)
    result = ok(huawei(data, queue_type='USER', page_size=10))
    assert result['jobs'] == expected
    assert result['total'] == 37
    log = data.requests()
    assert sorted(int(entry['params']['offset']) for entry in log) == [0, 10, 20, 30]
    assert all(entry['params']['limit'] == '10' for entry in log)
    assert all(entry['params']['queue_type'] == 'USER' for entry in log)
    for entry in log:
        assert entry['auth'] == 'ok' and entry['access_key_id'] == 'emuHwAk'
        assert entry['headers']['authorization'].startswith('SDK-HMAC-SHA256 Access=emuHwAk, SignedHeaders=')
        assert 'x-auth-token' not in entry['headers']
        assert entry['path'] == '/v1.0/%s/data/queuing-jobs' % PROJECT


def test_octopus_returns_all_37_queued_jobs_with_an_iam_token(data):
    expected = octopus_expected(data)
    run = huawei(data, env={'HUAWEICLOUD_SDK_PROJECT_ID': PROJECT}, queue_type='USER', page_size=10,
                 auth_token='emuIamToken')
    result = ok(run)
    assert result['jobs'] == expected
    log = data.requests()
    assert len(log) == 4
    for entry in log:
        assert entry['auth'] == 'ok'
        assert entry['headers']['x-auth-token'] == 'emuIamToken'
        assert 'authorization' not in entry['headers']
    for secret in SECRETS:
        assert secret not in run.output


def test_octopus_modelarts_without_cluster_id_fails_before_any_request(data):
    run = huawei(data, queue_type='PROCESSOR', cluster_type='MODELARTS')
    assert run.failed
    assert 'cluster_id' in run.result.get('msg', ''), run.output
    assert 'Traceback' not in run.output
    assert data.requests() == []


# ---------------------------------------------------------------------------------------------------
# Every documented filter reaches the wire with the right name and encoding.
# Rows: module, option, value -> wire name, wire value. "json" wire values are compared decoded and must be
# compact; "path" rows check the request path instead of the query.

RAY = {'workspace_id': WORKSPACE}
MC = dict(MC_WINDOW)
OCTOPUS = {'queue_type': 'USER'}

WIRE_TABLE = [
    ('emr_ray_job_info', RAY, 'workspace_id', WORKSPACE, 'path', '/api/v1/workspaces/w-demo/rayJob'),
    ('emr_ray_job_info', RAY, 'submission_id', 'rj-0123456789abcdef', 'submissionId', 'rj-0123456789abcdef'),
    ('emr_ray_job_info', RAY, 'name', RAY_NAME, 'name', RAY_NAME),
    ('emr_ray_job_info', RAY, 'task_biz_id', 'TSK-42', 'taskBizId', 'TSK-42'),
    ('emr_ray_job_info', RAY, 'submit_time', {'start_time': 1700000000000, 'end_time': '2026-01-31T08:00:00+08:00'},
     'submitTime', ('json', {'startTime': 1700000000000, 'endTime': 1769817600000})),
    ('emr_ray_job_info', RAY, 'submit_time', {'start_time': '2023-11-14T22:13:20Z'},
     'submitTime', ('json', {'startTime': 1700000000000})),

    ('pai_dlc_job_info', {}, 'display_name', 'llm eval', 'DisplayName', 'llm eval'),
    # RFC 3986 on the wire: "*" is %2A, "~" stays, "+" is %2B, a space %20, "/" %2F.
    ('pai_dlc_job_info', {}, 'display_name', u'a*b~c+d e/f(\u8bad)', 'DisplayName', u'a*b~c+d e/f(\u8bad)'),
    ('pai_dlc_job_info', {}, 'job_type', 'PyTorchJob', 'JobType', 'PyTorchJob'),
    ('pai_dlc_job_info', {}, 'status', 'Failed', 'Status', 'Failed'),
    ('pai_dlc_job_info', {}, 'start_time', '2026-01-31T08:00:00+08:00', 'StartTime', '2026-01-31T00:00:00Z'),
    ('pai_dlc_job_info', {}, 'start_time', 1700000000, 'StartTime', '2023-11-14T22:13:20Z'),
    ('pai_dlc_job_info', {}, 'end_time', '2026-01-15T09:00:00Z', 'EndTime', '2026-01-15T09:00:00Z'),
    ('pai_dlc_job_info', {}, 'sort_by', 'GmtFinishTime', 'SortBy', 'GmtFinishTime'),
    ('pai_dlc_job_info', {}, 'order', 'asc', 'Order', 'asc'),
    ('pai_dlc_job_info', {}, 'show_own', True, 'ShowOwn', 'True'),
    ('pai_dlc_job_info', {}, 'show_own', False, 'ShowOwn', 'False'),
    ('pai_dlc_job_info', {}, 'workspace_id', '1024', 'WorkspaceId', '1024'),
    ('pai_dlc_job_info', {}, 'resource_id', 'quotaa1b2c3d4e5f', 'ResourceId', 'quotaa1b2c3d4e5f'),
    ('pai_dlc_job_info', {}, 'business_user_id', '166924', 'BusinessUserId', '166924'),
    ('pai_dlc_job_info', {}, 'caller', 'SilkFlow', 'Caller', 'SilkFlow'),
    ('pai_dlc_job_info', {}, 'tags', {'env': 'prod', 'team': 'ml a'}, 'Tags',
     ('json', {'env': 'prod', 'team': 'ml a'})),
    ('pai_dlc_job_info', {}, 'pipeline_id', 'flow-a1b2c3', 'PipelineId', 'flow-a1b2c3'),
    ('pai_dlc_job_info', {}, 'from_all_workspaces', True, 'FromAllWorkspaces', 'True'),
    ('pai_dlc_job_info', {}, 'job_id', 'dlc-2026', 'JobId', 'dlc-2026'),
    ('pai_dlc_job_info', {}, 'user_id_for_filter', '2033040498123456', 'UserIdForFilter', '2033040498123456'),
    ('pai_dlc_job_info', {}, 'username', 'bob@example', 'Username', 'bob@example'),
    ('pai_dlc_job_info', {}, 'resource_quota_name', 'shared quota c', 'ResourceQuotaName', 'shared quota c'),
    ('pai_dlc_job_info', {}, 'accessibility', 'PUBLIC', 'Accessibility', 'PUBLIC'),
    ('pai_dlc_job_info', {}, 'oversold_info', 'ForbiddenQuotaOverSold', 'OversoldInfo', 'ForbiddenQuotaOverSold'),
    ('pai_dlc_job_info', {}, 'oversold_info', 'ForceQuotaOverSold', 'OversoldInfo', 'ForceQuotaOverSold'),
    # The API's other two values (PAI-DLC ListJobs reference; the SDK's ListJobsRequest documents the same).
    ('pai_dlc_job_info', {}, 'oversold_info', 'AcceptQuotaOverSold-true', 'OversoldInfo', 'AcceptQuotaOverSold-true'),
    ('pai_dlc_job_info', {}, 'oversold_info', 'AcceptQuotaOverSold-false', 'OversoldInfo',
     'AcceptQuotaOverSold-false'),

    ('maxcompute_running_job_info', MC, 'from_time', NOW - 3600, 'from', str(NOW - 3600)),
    ('maxcompute_running_job_info', MC, 'from_time', '2026-01-15T06:00:00Z', 'from', str(NOW - 7200)),
    ('maxcompute_running_job_info', MC, 'to_time', '2026-01-15T17:00:00+08:00', 'to', str(NOW + 3600)),
    ('maxcompute_running_job_info', MC, 'job_owner_list', ['ALIYUN$alice@test.aliyunid.com', 'RAM$dev-team:bob'],
     'jobOwnerList', 'ALIYUN$alice@test.aliyunid.com,RAM$dev-team:bob'),
    ('maxcompute_running_job_info', MC, 'quota_nickname_list', ['q-gold', 'my quota'], 'quotaNicknameList',
     'q-gold,my quota'),

    ('octopus_queued_job_info', {}, 'queue_type', 'PROCESSOR', 'queue_type', 'PROCESSOR'),
    ('octopus_queued_job_info', OCTOPUS, 'job_id', 100003, 'job_id', '100003'),
    ('octopus_queued_job_info', OCTOPUS, 'output_type', 'DATASET', 'output_type', 'DATASET'),
    ('octopus_queued_job_info', OCTOPUS, 'job_type', 'SCENARIO_AUTO_MINING', 'job_type', 'SCENARIO_AUTO_MINING'),
    ('octopus_queued_job_info', OCTOPUS, 'data_id', 'DPK0000042', 'data_id', 'DPK0000042'),
    ('octopus_queued_job_info', OCTOPUS, 'processor_name', u'\u7b97\u5b50 \u4e00', 'processor_name',
     u'\u7b97\u5b50 \u4e00'),
    ('octopus_queued_job_info', OCTOPUS, 'processor_name', "x/y+z*~'()", 'processor_name', "x/y+z*~'()"),
    ('octopus_queued_job_info', OCTOPUS, 'cluster_type', 'CCE', 'cluster_type', 'CCE'),
    ('octopus_queued_job_info', dict(OCTOPUS, cluster_type='MODELARTS'), 'cluster_id', 'c-1', 'cluster_id', 'c-1'),
]

PAGING = {'emr_ray_job_info': ('pageNum', 'pageSize'), 'pai_dlc_job_info': ('PageNumber', 'PageSize'),
          'maxcompute_running_job_info': ('pageNumber', 'pageSize'),
          'octopus_queued_job_info': ('offset', 'limit')}
BASE_WIRE = {'maxcompute_running_job_info': {'from': str(NOW - 7200), 'to': str(NOW + 3600)},
             'octopus_queued_job_info': {'queue_type': 'USER'}}

_WIRE_RUNS = {}


def wire_runs(emulator):
    """Every row of WIRE_TABLE as a task of one playbook: one process, far faster than a run per row.

    Each task reads at most one item, one a page, without retries, so it sends exactly one request when it
    gets past option validation, and a task that failed before sending has no "request_id". Returns, per
    row, (task result, log entry or None). The playbook runs once per test session: xdist workers share
    the outcome through a file (the emulator's answers do not depend on which worker's emulator served).
    """
    run_id = os.environ.get('PYTEST_XDIST_TESTRUNUID') or 'pid%d' % os.getpid()
    if run_id in _WIRE_RUNS:
        return _WIRE_RUNS[run_id]
    shared = os.path.join(tempfile.gettempdir(), 'jobscope-acceptance-wire-%s.json' % run_id)
    with open(shared + '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(shared):
            paired = _run_wire_playbook(emulator)
            with open(shared + '.tmp', 'w') as handle:
                json.dump(paired, handle)
            os.replace(shared + '.tmp', shared)
        with open(shared) as handle:
            _WIRE_RUNS[run_id] = json.load(handle)
    return _WIRE_RUNS[run_id]


def _run_wire_playbook(emulator):
    alibaba_defaults = dict(endpoint=emulator.url, access_key_id=ALIBABA_ENV['ALIBABA_CLOUD_ACCESS_KEY_ID'],
                            access_key_secret=ALIBABA_ENV['ALIBABA_CLOUD_ACCESS_KEY_SECRET'])
    huawei_defaults = dict(endpoint=emulator.url, access_key_id=HUAWEI_ENV['HUAWEICLOUD_SDK_AK'],
                           access_key_secret=HUAWEI_ENV['HUAWEICLOUD_SDK_SK'], project_id=PROJECT)
    tasks = []
    for index, (module, base, option, value, _wire, _expected) in enumerate(WIRE_TABLE):
        args = dict(base, page_size=1, max_items=1, max_retries=0)
        args[option] = value
        tasks.append({'name': 'row %d' % index, 'jobscope.cloud.' + module: args, 'register': 'row_%d' % index,
                      'ignore_errors': True})
    workdir = tempfile.mkdtemp(prefix='jobscope-wire-')
    out = os.path.join(workdir, 'results.json')
    names = ', '.join('row_%d' % index for index in range(len(WIRE_TABLE)))
    tasks.append({'name': 'save', 'ansible.builtin.copy': {'dest': out, 'content': '{{ [%s] | to_json }}' % names}})
    # Credentials and endpoint set once per play through the action groups (issue 3: module_defaults).
    play = [{'hosts': 'localhost', 'gather_facts': False, 'connection': 'local',
             'module_defaults': {'group/jobscope.cloud.alibaba': alibaba_defaults,
                                 'group/jobscope.cloud.huawei': huawei_defaults},
             'tasks': tasks}]
    playbook = os.path.join(workdir, 'wire.yml')
    with open(playbook, 'w') as handle:
        json.dump(play, handle, ensure_ascii=False)
    emulator.reset(SPEC)
    run = run_command(['ansible-playbook', '-i', 'localhost,', playbook], env={'ANSIBLE_PIPELINING': '1'})
    log = emulator.requests()
    assert os.path.exists(out), run.output
    with open(out) as handle:
        results = json.load(handle)
    shutil.rmtree(workdir, ignore_errors=True)
    paired, position = [], 0
    for result in results:
        sent = not result.get('failed') or result.get('request_id') is not None
        entry = log[position] if sent and position < len(log) else None
        if entry is not None:
            entry = dict((key, entry[key]) for key in ('path', 'query', 'params', 'auth', 'status', 'code'))
        paired.append((dict((key, result.get(key)) for key in ('failed', 'msg', 'request_id')), entry))
        position += 1 if sent else 0
    assert position == len(log), 'the request log does not line up with the tasks: %s' % run.output[-3000:]
    return paired


@pytest.mark.parametrize('module, base, option, value, wire, expected', WIRE_TABLE,
                         ids=['%s-%s-%d' % (row[0].replace('_info', ''), row[2], n)
                              for n, row in enumerate(WIRE_TABLE)])
def test_every_documented_filter_reaches_the_wire(emulator, module, base, option, value, wire, expected):
    result, entry = wire_runs(emulator)[WIRE_TABLE.index((module, base, option, value, wire, expected))]
    assert not result.get('failed'), 'the module refused %s=%r: %s' % (option, value, result.get('msg'))
    assert entry is not None
    assert entry['auth'] == 'ok'
    assert entry['status'] == 200, 'the API refused %s=%r as sent: %s %s' % (
        option, value, entry['code'], entry['params'])
    if wire == 'path':
        assert entry['path'] == expected
        return
    params = dict(entry['params'])
    for name in PAGING[module]:
        params.pop(name, None)
    for name, sent in BASE_WIRE.get(module, {}).items():
        if name != wire:
            assert params.pop(name) == sent
    for name in base:
        if module.startswith('octopus') and name != option and name in params:
            assert params.pop(name) == base[name]
    assert list(params) == [wire], 'expected only %s on the wire, got %s' % (wire, params)
    sent = params[wire]
    if isinstance(expected, tuple):
        assert json.loads(sent) == expected[1]
        assert sent == json.dumps(json.loads(sent), separators=(',', ':'), ensure_ascii=False), 'not compact'
    else:
        assert sent == expected
    # Sent as it was signed: RFC 3986, so a space is %20 and "+", "/", "$", ":" and "@" are escaped.
    assert raw_pairs(entry)[wire] == rfc3986(sent)

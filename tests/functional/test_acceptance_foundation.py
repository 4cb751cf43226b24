# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Acceptance of issue 2 ("Foundation"), its "Done when" list, with emr_ray_cluster_info end to end.

Every run goes through ``ansible localhost -m jobscope.cloud.emr_ray_cluster_info`` against the emulator,
which verifies every ACS3 signature; the emulator's request log shows what went over the wire.
"""

from __future__ import annotations

import json
import os
import re
import tempfile

import pytest

from harness import ALIBABA_ENV, HUAWEI_ENV, REDACTED, SECRETS, run_adhoc, run_command, snake_keys

MODULE = 'emr_ray_cluster_info'
MODULE_FQCN = 'jobscope.cloud.' + MODULE
WORKSPACE = 'w-demo'
STS = {'access_key_id': 'STS.emuStsKeyId', 'access_key_secret': 'emuStsKeySecret',
       'security_token': 'emuSecurityToken'}
SNAKE = re.compile(r'^[a-z][a-z0-9_]*$')


# The demo dataset's clusters with a fixed clock, so that every reset builds byte-identical items.
SPEC = {'seed': 7, 'now': '2026-01-15T08:00:00Z',
        'emr_ray_clusters': {WORKSPACE: {'count': 230,
                                         'mix': {'state': {'Running': 150, 'Starting': 40, 'Stopped': 30,
                                                           'Error': 10}}}},
        'octopus_queued_jobs': {'count': 5, 'mix': {'queue_type': {'USER': 5}}}}


@pytest.fixture
def demo(emulator):
    """The session emulator with 230 clusters in w-demo, no faults, an empty request log."""
    emulator.reset(SPEC)
    return emulator


@pytest.fixture(scope='module')
def listing(emulator):
    """One default run and one check-mode run, with what the emulator saw, captured at once.

    Tests of other files may reset the shared emulator between tests, so nothing here reads it later.
    """
    emulator.reset(SPEC)
    run = clusters(emulator)
    log = emulator.requests()
    items = emulator.items('emr_ray_clusters')
    emulator.clear_requests()
    checked = clusters(emulator, check=True)
    return dict(run=run, log=log, items=items, checked=checked, checked_log=emulator.requests())


def clusters(emulator, env=None, verbosity=0, check=False, **args):
    options = dict(workspace_id=WORKSPACE, endpoint=emulator.url)
    options.update(args)
    return run_adhoc(MODULE, options, env=ALIBABA_ENV if env is None else env, verbosity=verbosity, check=check)


def all_keys(value):
    if isinstance(value, dict):
        for key, child in value.items():
            yield key
            yield from all_keys(child)
    elif isinstance(value, list):
        for child in value:
            yield from all_keys(child)


def dashboard_tokens(items):
    tokens = [re.search(r'token=([^&]+)', item['dashboardUrl']).group(1) for item in items]
    assert all(token.startswith('dashtok-') for token in tokens)
    return tokens


def test_every_cluster_once_in_three_validly_signed_pages(listing):
    run, log = listing['run'], listing['log']
    assert not run.failed, run.output
    expected = listing['items']
    assert len(expected) == 230
    got = run.result['clusters']
    ids = [item['cluster_id'] for item in got]
    assert len(ids) == 230
    assert len(set(ids)) == 230, 'some cluster came back twice'
    assert ids == [item['clusterId'] for item in expected]
    assert run.result['complete'] is True
    assert 'total' not in run.result, 'ListRayCluster reports no total'

    assert all(entry['endpoint'] == 'ListRayCluster' for entry in log)
    assert [entry['auth'] for entry in log] == ['ok'] * len(log)
    assert [entry['status'] for entry in log] == [200] * len(log)
    assert sorted(set(int(entry['params']['pageNum']) for entry in log)) == [1, 2, 3]
    # Three pages of 100, 100 and 30 are the whole listing, each read once; with no total to check against,
    # the pager then re-reads page 1 to see whether the listing shifted while it was read (paging.list_all).
    pages = [int(entry['params']['pageNum']) for entry in log]
    assert sorted(pages[:3]) == [1, 2, 3] and pages[3:] == [1], pages  # pages 2 and 3 go out together
    assert all(entry['access_key_id'] == 'emuAccessKeyId' for entry in log)
    assert all(entry['path'] == '/api/v1/workspaces/%s/rayCluster' % WORKSPACE for entry in log)


def test_keys_are_snake_case_and_values_are_the_apis(listing):
    got = listing['run'].result['clusters']
    bad = sorted(set(key for key in all_keys(got) if not SNAKE.match(key)))
    assert bad == []
    # Apart from the key names and the redacted token, each cluster is the API's, value for value.
    expected = []
    for item in listing['items']:
        shaped = snake_keys(item)
        shaped['dashboard_url'] = re.sub(r'token=[^&]+', 'token=' + REDACTED, shaped['dashboard_url'])
        expected.append(shaped)
    assert got == expected
    for name in ('cluster_id', 'display_release_version', 'head_spec', 'worker_spec', 'create_time',
                 'modified_time', 'creator_name', 'dashboard_url', 'grpc_endpoint', 'instance_id'):
        assert name in got[0]
    assert 'enable_auto_scaling' in got[0]['head_spec'] and 'idle_timeout_seconds' in got[0]['head_spec']
    assert 'min_replica' in got[0]['worker_spec'][0] and 'gpu_spec' in got[0]['worker_spec'][0]


def test_dashboard_token_redacted_by_default(listing):
    run = listing['run']
    tokens = dashboard_tokens(listing['items'])
    assert 'dashtok-' not in run.output
    assert not [token for token in tokens if token in run.output]
    urls = [item['dashboard_url'] for item in run.result['clusters']]
    assert all(url.endswith('?token=' + REDACTED) for url in urls), urls[:3]
    # The rest of the URL is kept: it is still useful.
    assert all(url.startswith('https://emr-spark-ray-gateway-cn-hangzhou.aliyuncs.com') for url in urls)


def test_dashboard_token_returned_with_redact_false(demo):
    raw = clusters(demo, redact=False)
    assert not raw.failed, raw.output
    items = demo.items('emr_ray_clusters')
    dashboard_tokens(items)
    assert [item['dashboard_url'] for item in raw.result['clusters']] == [item['dashboardUrl'] for item in items]
    assert REDACTED not in json.dumps(raw.result['clusters'])


def test_check_mode_returns_the_same_listing(listing):
    checked = listing['checked']
    assert not checked.failed, checked.output
    assert checked.result['changed'] is False
    assert len(checked.result['clusters']) == 230
    assert checked.result['clusters'] == listing['run'].result['clusters']
    # the same requests as without check mode
    pages = [sorted(int(entry['params']['pageNum']) for entry in listing[key]) for key in ('log', 'checked_log')]
    assert pages[0] == pages[1]


def test_sts_token_is_sent_and_signed(demo):
    run = clusters(demo, env={}, **STS)
    assert not run.failed, run.output
    assert len(run.result['clusters']) == 230
    log = demo.requests()
    assert len(log) >= 3
    for entry in log:
        assert entry['auth'] == 'ok'
        assert entry['access_key_id'] == 'STS.emuStsKeyId'
        assert entry['headers']['x-acs-security-token'] == 'emuSecurityToken'
        signed = entry['headers']['authorization'].split('SignedHeaders=', 1)[1].split(',', 1)[0].split(';')
        assert 'x-acs-security-token' in signed
        assert 'x-acs-security-token:emuSecurityToken\n' in entry['canonical_request']
    for secret in SECRETS:
        assert secret not in run.output


@pytest.mark.parametrize('where', ['option', 'environment'])
def test_wrong_secret_fails_with_vendor_code_and_request_id_and_never_shows_the_secret(demo, where):
    wrong = 'wrongSecret-Q7xk29fz'
    if where == 'option':
        run = clusters(demo, env={}, verbosity=4, access_key_id='emuAccessKeyId', access_key_secret=wrong)
    else:
        run = clusters(demo, env=dict(ALIBABA_ENV, ALIBABA_CLOUD_ACCESS_KEY_SECRET=wrong), verbosity=4)
    assert run.failed
    log = demo.requests()
    assert len(log) == 1, 'a signature error is not retried'
    entry = log[0]
    assert entry['auth'] == 'SignatureDoesNotMatch' and entry['status'] == 400
    assert run.result.get('error_code') == 'SignatureDoesNotMatch'
    assert run.result.get('request_id') == entry['request_id']
    assert run.result.get('http_status') == 400
    assert 'SignatureDoesNotMatch' in run.result['msg']
    assert entry['request_id'] in run.result['msg']
    assert wrong not in run.output
    for secret in SECRETS:
        assert secret not in run.output
    assert 'Traceback' not in run.output


# ---------------------------------------------------------------------------------------------------
# Credentials: options, environment, ~/.aliyun/config.json (AK and StsToken), ~/.alibabacloud/credentials.ini


def home_with(files):
    home = tempfile.mkdtemp(prefix='jobscope-acceptance-home-')
    for relative, text in files.items():
        path = os.path.join(home, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as handle:
            handle.write(text)
    return home


def aliyun_config(*profiles, current=None):
    return json.dumps({'current': current or profiles[0]['name'], 'profiles': list(profiles)})


AK_PROFILE = {'name': 'emu', 'mode': 'AK', 'access_key_id': 'emuAccessKeyId',
              'access_key_secret': 'emuAccessKeySecret', 'region_id': 'cn-hangzhou'}
STS_PROFILE = {'name': 'temporary', 'mode': 'StsToken', 'access_key_id': 'STS.emuStsKeyId',
               'access_key_secret': 'emuStsKeySecret', 'sts_token': 'emuSecurityToken', 'region_id': 'cn-hangzhou'}


@pytest.mark.parametrize('case', ['env', 'env-sts', 'aliyun-ak', 'aliyun-sts', 'aliyun-named-profile',
                                  'credentials-ini'])
def test_credentials_are_found(demo, case):
    env, args = {}, {}
    key_id, token = 'emuAccessKeyId', None
    if case == 'env':
        env = dict(ALIBABA_ENV)
    elif case == 'env-sts':
        env = {'ALIBABA_CLOUD_ACCESS_KEY_ID': STS['access_key_id'],
               'ALIBABA_CLOUD_ACCESS_KEY_SECRET': STS['access_key_secret'],
               'ALIBABA_CLOUD_SECURITY_TOKEN': STS['security_token']}
        key_id, token = 'STS.emuStsKeyId', 'emuSecurityToken'
    elif case == 'aliyun-ak':
        env = {'HOME': home_with({'.aliyun/config.json': aliyun_config(AK_PROFILE)})}
    elif case == 'aliyun-sts':
        env = {'HOME': home_with({'.aliyun/config.json': aliyun_config(STS_PROFILE)})}
        key_id, token = 'STS.emuStsKeyId', 'emuSecurityToken'
    elif case == 'aliyun-named-profile':
        # Not the current profile: chosen with the profile option.
        env = {'HOME': home_with({'.aliyun/config.json': aliyun_config(AK_PROFILE, STS_PROFILE, current='emu')})}
        args = {'profile': 'temporary'}
        key_id, token = 'STS.emuStsKeyId', 'emuSecurityToken'
    else:
        env = {'HOME': home_with({'.alibabacloud/credentials.ini': (
            '[default]\ntype = access_key\naccess_key_id = emuAccessKeyId\n'
            'access_key_secret = emuAccessKeySecret\n')})}
    run = clusters(demo, env=env, max_items=3, **args)
    assert not run.failed, run.output
    assert len(run.result['clusters']) == 3
    log = demo.requests()
    assert len(log) == 1
    assert log[0]['auth'] == 'ok' and log[0]['access_key_id'] == key_id
    assert log[0]['headers'].get('x-acs-security-token') == token
    for secret in SECRETS:
        assert secret not in run.output


def test_no_credentials_fails_cleanly_naming_where_it_looked(demo):
    home = home_with({})
    run = clusters(demo, env={'HOME': home})
    assert run.failed
    message = run.result.get('msg', '')
    assert 'no Alibaba Cloud credentials found' in message
    for place in ('ALIBABA_CLOUD_ACCESS_KEY_ID', os.path.join(home, '.aliyun', 'config.json'),
                  os.path.join(home, '.alibabacloud', 'credentials.ini')):
        assert place in message, message
    assert 'Traceback' not in run.output
    assert demo.requests() == []


def test_secret_in_module_defaults_never_shows_in_a_playbook_at_vvvv(demo):
    """As most users pass credentials: once per play, through the action group."""
    wrong = 'wrongSecret-Playbook-8Hq2'
    workdir = tempfile.mkdtemp(prefix='jobscope-acceptance-play-')
    playbook = os.path.join(workdir, 'play.yml')
    with open(playbook, 'w') as handle:
        json.dump([{'hosts': 'localhost', 'gather_facts': False, 'connection': 'local',
                    'module_defaults': {'group/jobscope.cloud.alibaba': {
                        'endpoint': demo.url, 'access_key_id': 'emuAccessKeyId', 'access_key_secret': wrong}},
                    'tasks': [{'name': 'list', MODULE_FQCN: {'workspace_id': WORKSPACE}}]}], handle)
    run = run_command(['ansible-playbook', '-i', 'localhost,', '-vvvv', playbook])
    assert run.rc != 0
    assert 'SignatureDoesNotMatch' in run.output
    assert wrong not in run.output
    for secret in SECRETS:
        assert secret not in run.output
    assert [entry['auth'] for entry in demo.requests()] == ['SignatureDoesNotMatch']


# ---------------------------------------------------------------------------------------------------
# Huawei Cloud credentials (issue 2, item 4), through octopus_queued_job_info


@pytest.mark.parametrize('case', ['env', 'credentials-file', 'temporary-options', 'auth-token-env'])
def test_huawei_credentials_are_found(demo, case):
    args, key_id, token_header = {'queue_type': 'USER', 'max_items': 2}, 'emuHwAk', None
    if case == 'env':
        env = dict(HUAWEI_ENV)
    elif case == 'credentials-file':
        env = {'HOME': home_with({'.huaweicloud/credentials': (
            '[basic]\nak = emuHwAk\nsk = emuHwSk\nproject_id = %s\n' % HUAWEI_ENV['HUAWEICLOUD_SDK_PROJECT_ID'])})}
    elif case == 'temporary-options':
        env = {'HUAWEICLOUD_SDK_PROJECT_ID': HUAWEI_ENV['HUAWEICLOUD_SDK_PROJECT_ID']}
        args.update(access_key_id='emuHwStsAk', access_key_secret='emuHwStsSk', security_token='emuHwSecurityToken')
        key_id = 'emuHwStsAk'
    else:
        env = {'HUAWEICLOUD_SDK_PROJECT_ID': HUAWEI_ENV['HUAWEICLOUD_SDK_PROJECT_ID'],
               'HUAWEICLOUD_SDK_AUTH_TOKEN': 'emuIamToken'}
        key_id, token_header = None, 'emuIamToken'
    run = run_adhoc('octopus_queued_job_info', dict(args, endpoint=demo.url), env=env)
    assert not run.failed, run.output
    assert len(run.result['jobs']) == 2
    log = demo.requests()
    assert len(log) == 1 and log[0]['auth'] == 'ok'
    assert log[0]['headers'].get('x-auth-token') == token_header
    if key_id:
        assert log[0]['access_key_id'] == key_id
        assert log[0]['headers']['authorization'].startswith('SDK-HMAC-SHA256 Access=%s, ' % key_id)
    if case == 'temporary-options':
        assert log[0]['headers']['x-security-token'] == 'emuHwSecurityToken'
        signed = log[0]['headers']['authorization'].split('SignedHeaders=', 1)[1].split(',', 1)[0].split(';')
        assert 'x-security-token' in signed
    for secret in SECRETS + ('emuHwStsSk', 'emuHwSecurityToken'):
        assert secret not in run.output


def test_no_huawei_credentials_fails_cleanly_naming_where_it_looked(demo):
    home = home_with({})
    run = run_adhoc('octopus_queued_job_info', {'queue_type': 'USER', 'endpoint': demo.url, 'project_id': 'p1'},
                    env={'HOME': home})
    assert run.failed
    message = run.result.get('msg', '')
    assert 'HUAWEICLOUD_SDK_AK' in message and os.path.join(home, '.huaweicloud', 'credentials') in message
    assert 'Traceback' not in run.output
    assert demo.requests() == []

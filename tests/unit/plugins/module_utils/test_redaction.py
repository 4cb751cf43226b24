# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Redaction by class (issue 11): credential-looking keys, name/value lists, URLs, command lines, and the
message scrubber. Every secret in these cases starts with S3CR3T, so one search finds any that survives."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.jobscope.cloud.plugins.module_utils import shaping
from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS
from ansible_collections.jobscope.cloud.plugins.module_utils.shaping import (
    REDACTED, Scrubber, Shaper, credential_key, scrub_text)

DLC = ENDPOINTS['pai_dlc_job']


def leaks(value):
    return 'S3CR3T' in json.dumps(value)


def dlc_job():
    return {
        'JobId': 'dlc-1',
        'DisplayName': 'train llama',
        'Envs': {'HF_TOKEN': 'S3CR3T-hf', 'hfToken': 'S3CR3T-camel', 'WANDB_API_KEY': 'S3CR3T-wandb',
                 'DB_PASSWORD': 'S3CR3T-db', 'PASS': 'S3CR3T-pass', 'KEY': 'S3CR3T-key',
                 'AWS_SECRET_ACCESS_KEY': 'S3CR3T-aws', 'GIT_URL': 'https://bob:S3CR3T-git@git.example/r.git',
                 'HTTPS_PROXY': 'http://proxy:S3CR3T-proxy@10.0.0.1:3128', 'EPOCHS': '3', 'MY_ENV_Key': 'value-1', 'lower_key': 'y',
                 'EMPTY_TOKEN': '', 'PORT_AUTH': 1234},
        'SystemEnvs': {'PAI_DLC_JOB_ID': 'dlc-1', 'OSS_ACCESS_KEY_SECRET': 'S3CR3T-oss'},
        'UserCommand': 'HF_TOKEN=S3CR3T-inline python train.py --epochs 3 --api-key S3CR3T-flag --wandb-key S3CR3T-w '
                       '--token=S3CR3T-eq --password "S3CR3T quoted" && curl https://h/x?sig=S3CR3T-sig&a=1',
        'Settings': {'Caller': 'sdk', 'AdvancedSettings': {'RegistryPassword': 'S3CR3T-adv', 'test2': 1},
                     'ErrorMonitoringArgs': '--enable-log-hang-detection true'},
        'JobSpecs': [{
            'Type': 'Worker',
            'ImageConfig': {'DockerRegistry': 'registry.example.com', 'Username': 'me', 'Password': 'S3CR3T-reg'},
            'ExtraPodSpec': {'InitContainers': [{
                'Name': 'init',
                'Command': ['python', 'x.py', '--token', 'S3CR3T-split', '--epochs', '3'],
                'Args': ['sh', '-c', 'export GITHUB_TOKEN=S3CR3T-sh; git pull'],
                'Env': [{'Name': 'HF_TOKEN', 'Value': 'S3CR3T-env-list'}, {'Name': 'ENABLE_DEBUG', 'Value': 'true'},
                        {'name': 'db_pass', 'value': 'S3CR3T-k8s'}],
            }]},
        }],
        'Tags': [{'Key': 'api_token', 'Value': 'S3CR3T-tag'}, {'Key': 'team', 'Value': 'ml'}],
        'CredentialConfig': {'EnableCredentialInject': True,
                             'CredentialConfigItems': [{'Key': 'oss-reader', 'Type': 'Role'}]},
        'DashboardUrl': 'https://h.example/#/jobs?token=S3CR3T-dash',
    }


def test_every_secret_of_the_class_is_redacted_and_the_rest_is_kept():
    shaped = Shaper(DLC.secrets, DLC.keep)(dlc_job())
    assert not leaks(shaped), json.dumps(shaped, indent=1)
    envs = shaped['envs']
    assert envs['HF_TOKEN'] == envs['hfToken'] == envs['WANDB_API_KEY'] == envs['PASS'] == envs['KEY'] == REDACTED
    assert envs['PORT_AUTH'] == REDACTED
    assert envs['GIT_URL'] == 'https://bob:%s@git.example/r.git' % REDACTED
    assert envs['HTTPS_PROXY'] == 'http://proxy:%s@10.0.0.1:3128' % REDACTED
    assert envs['EPOCHS'] == '3' and envs['EMPTY_TOKEN'] == '' and envs['MY_ENV_Key'] == 'value-1'
    assert envs['lower_key'] == 'y'
    assert shaped['system_envs']['PAI_DLC_JOB_ID'] == 'dlc-1'
    assert shaped['user_command'] == ('HF_TOKEN=%s python train.py --epochs 3 --api-key %s --wandb-key %s --token=%s '
                                      '--password "%s" && curl https://h/x?sig=%s&a=1' % ((REDACTED,) * 6))
    assert shaped['settings']['caller'] == 'sdk'
    assert shaped['settings']['error_monitoring_args'] == '--enable-log-hang-detection true'
    container = shaped['job_specs'][0]['extra_pod_spec']['init_containers'][0]
    assert container['command'] == ['python', 'x.py', '--token', REDACTED, '--epochs', '3']
    assert container['env'][1] == {'name': 'ENABLE_DEBUG', 'value': 'true'}
    assert container['env'][0] == {'name': 'HF_TOKEN', 'value': REDACTED}
    assert shaped['tags'][1] == {'Key': 'team', 'Value': 'ml'}
    # API fields: a field named Key is a name, a boolean is no secret.
    assert shaped['credential_config'] == {'enable_credential_inject': True,
                                           'credential_config_items': [{'key': 'oss-reader', 'type': 'Role'}]}
    assert shaped['job_specs'][0]['image_config']['username'] == 'me'
    assert shaped['dashboard_url'] == 'https://h.example/#/jobs?token=' + REDACTED


def test_redact_false_returns_everything_as_given():
    raw = dlc_job()
    shaped = Shaper(DLC.secrets, DLC.keep, redact=False)(raw)
    assert shaped['envs'] == raw['Envs']
    assert shaped['user_command'] == raw['UserCommand']
    assert shaped['job_specs'][0]['extra_pod_spec']['init_containers'][0]['env'][0]['value'] == 'S3CR3T-env-list'
    assert json.dumps(shaped).count('S3CR3T') == json.dumps(raw).count('S3CR3T')


def test_every_endpoint_redacts_by_class():
    """Any endpoint, any field: a secret field the API adds later is redacted too."""
    for endpoint in ENDPOINTS.values():
        shaped = Shaper(endpoint.secrets, endpoint.keep)({
            'id': 'x', 'newSecretField': 'S3CR3T-1', 'nested': [{'accessToken': 'S3CR3T-2'}],
            'message': 'failed: token=S3CR3T-3', 'url': 'ftp://S3CR3T-4@host/x'})
        assert not leaks(shaped), (endpoint.name, shaped)
        assert shaped['id'] == 'x'


@pytest.mark.parametrize('name, expected', [
    ('HF_TOKEN', True), ('hfToken', True), ('X-Amz-Security-Token', True), ('db.password', True),
    ('OSSAccessKeyId', True), ('client_secret', True), ('PRIVATE_KEY', True), ('Authorization', True),
    ('pwd', True), ('api-key', True), ('KEY', True), ('pass', True), ('sig', True), ('db_pass', True),
    ('dbPass', True), ('BYPASS', False), ('compass', False),
    ('OPENAI_KEY', True), ('wandb-key', True), ('ssh_key', True),
    ('name', False), ('EPOCHS', False), ('keyboard', False), ('monkey', False), ('KeyName', False),
    ('PATH', False), ('Status', False),
])
def test_credential_key(name, expected):
    assert credential_key(name) is expected


def test_where_a_name_is_read_adds_rules():
    assert [credential_key('Key', where) for where in (shaping.API, shaping.USER, shaping.TEXT)] == [False, True, True]
    assert [credential_key('MY_ENV_Key', where) for where in (shaping.API, shaping.USER, shaping.TEXT)] == \
        [False, False, True]
    assert credential_key('AliyunEnvRoleKey', shaping.API) is False
    assert credential_key('SecurityToken', shaping.API) is True


@pytest.mark.parametrize('text, expected', [
    ('plain text', 'plain text'),
    ('2026-01-15T08:00:00Z', '2026-01-15T08:00:00Z'),
    ('https://h/x?cluster=c-1&token=S3CR3T&view=1', 'https://h/x?cluster=c-1&token=%s&view=1' % REDACTED),
    ('https://h/x?X-Amz-Signature=S3CR3T&X-Amz-Credential=S3CR3T',
     'https://h/x?X-Amz-Signature=%s&X-Amz-Credential=%s' % (REDACTED, REDACTED)),
    ('git clone https://S3CR3T@github.com/o/r', 'git clone https://%s@github.com/o/r' % REDACTED),
    ('{"rayJobs":[{"dashboardUrl":"https://h/?token=S3CR3T', '{"rayJobs":[{"dashboardUrl":"https://h/?token=%s' % REDACTED),
    ('{"SecurityToken": "S3CR3T", "EnableCredentialInject": true}',
     '{"SecurityToken": "%s", "EnableCredentialInject": true}' % REDACTED),
    ("{'password': 'S3CR3T'}", "{'password': '%s'}" % REDACTED),
    ('Authorization: Bearer S3CR3T.abc', 'Authorization: Bearer %s' % REDACTED),
    ('Basic authentication failed', 'Basic authentication failed'),
    ('mysql --password S3CR3T db', 'mysql --password %s db' % REDACTED),
    ('--url https://h?token=S3CR3T --x', '--url https://h?token=%s --x' % REDACTED),
])
def test_scrub_text(text, expected):
    assert scrub_text(text) == expected


def test_the_scrubber_removes_the_credentials_in_use_in_every_form():
    from ansible_collections.jobscope.cloud.plugins.module_utils.alibaba import CLOUD

    class Credentials(object):
        access_key_id = 'AKID-not-secret'
        access_key_secret = 'S3CR3T-sk'
        security_token = 'S3CR3T+sts/token=='

    scrub = Scrubber(CLOUD.secret_values({'access_key_id': 'AKID-not-secret'}, Credentials()) | {'S3CR3T-iam'})
    message = ('vendor echoes S3CR3T+sts/token== and S3CR3T%2Bsts%2Ftoken%3D%3D and S3CR3T-sk '
               'and S3CR3T-iam for AKID-not-secret')
    assert scrub(message) == 'vendor echoes %s and %s and %s and %s for AKID-not-secret' % ((REDACTED,) * 4)
    result = scrub({'msg': 'bad S3CR3T-sk', 'http_status': 400, 'error_code': None, 'list': ['S3CR3T-iam']})
    assert result == {'msg': 'bad ' + REDACTED, 'http_status': 400, 'error_code': None, 'list': [REDACTED]}
    # Short values are not searched for: they would garble every message.
    assert Scrubber(['abc'])('abc def') == 'abc def'


def test_the_documented_rules_are_the_rules():
    """docs/redaction.md lists the markers and whole names this module uses, no more, no less."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
    with open(os.path.join(root, 'docs', 'redaction.md')) as handle:
        text = handle.read()
    for word in (shaping.CREDENTIAL_KEY_MARKERS + shaping.CREDENTIAL_KEY_WORDS + shaping.CREDENTIAL_KEY_NAMES
                 + shaping.CREDENTIAL_KEY_LAST_WORDS):
        assert '`%s`' % word in text, word
    assert '`%s`' % REDACTED in text

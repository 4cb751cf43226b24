# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Issue 6: no secret shows - not the credentials (access key secrets, STS tokens, the IAM token), not the
credentials inside responses (Ray dashboard tokens, DLC registry passwords and auth strings, DLC role
access key IDs and STS tokens) - in module output at -vvvv, on success and on failure, in
``ansible-inventory --list -vvvv`` of each inventory plugin, or in the plugins' cache files.

The response secrets are the emulator's: every one starts with a distinctive prefix
(tests/emulator/jobscope_emulator/datasets.py), so a search for the prefix finds any of them. A control
case with ``redact: false`` shows that the search does find them when they are there.
"""

from __future__ import annotations

import glob
import json
import os
import tempfile

import pytest

from harness import ALIBABA_ENV, HUAWEI_ENV, ROOT, SECRETS, run_adhoc, run_command

WORKSPACE = 'w-demo'
PROJECT = HUAWEI_ENV['HUAWEICLOUD_SDK_PROJECT_ID']

# Small listings with every kind of secret in them, so -vvvv output stays readable when a test fails.
NOW = 1768464000  # the dataset's fixed clock, 2026-01-15T08:00:00Z

SPEC = {
    'seed': 3,
    'now': NOW,
    'emr_ray_clusters': {WORKSPACE: {'count': 12}},
    'emr_ray_jobs': {WORKSPACE: {'count': 12}},
    'pai_dlc_jobs': {'count': 12},
    'maxcompute_running_jobs': {'count': 12},
    'octopus_queued_jobs': {'count': 12, 'mix': {'queue_type': {'USER': 12}}},
}

# The emulator's other credentials (its STS pairs) and a wrong secret that the failure cases send.
WRONG_SECRET = 'wrongSecretNeverShown'
CREDENTIALS = tuple(SECRETS) + ('emuStsKeySecret', 'emuSecurityToken', 'emuHwStsSk', 'emuHwSecurityToken',
                                'emuIamToken', WRONG_SECRET)
# Prefixes of the secrets inside responses: dashboard tokens, registry password and auth, role STS token and
# access key ID.
RESPONSE_SECRETS = ('dashtok-', 'regpass-', 'regauth-', 'stssecret-', 'STS.emu-')
# ... and those users put in DLC environment variables, command lines, settings and URLs (issue 11).
USER_SECRETS = ('hf_emu', 'wandbkey-', 'dbpass-', 'mlflowpass-', 'osssig-', 'awssecret-', 'glpat-emu', 'dingtok-')
RESPONSE_SECRETS += USER_SECRETS
EVERY_SECRET = CREDENTIALS + RESPONSE_SECRETS

ALIBABA_STS = {'access_key_id': 'STS.emuStsKeyId', 'access_key_secret': 'emuStsKeySecret',
               'security_token': 'emuSecurityToken'}
HUAWEI_STS = {'access_key_id': 'emuHwStsAk', 'access_key_secret': 'emuHwStsSk', 'security_token': 'emuHwSecurityToken',
              'project_id': PROJECT}

MODULES = {
    'emr_ray_cluster_info': ({'workspace_id': WORKSPACE}, 'clusters'),
    'emr_ray_job_info': ({'workspace_id': WORKSPACE}, 'jobs'),
    'pai_dlc_job_info': ({}, 'jobs'),
    'maxcompute_running_job_info': ({'from_time': NOW - 86400, 'to_time': NOW + 3600}, 'jobs'),
    'octopus_queued_job_info': ({'queue_type': 'USER'}, 'jobs'),
}
ALIBABA_MODULES = sorted(name for name in MODULES if not name.startswith('octopus'))


@pytest.fixture
def emu(emulator):
    emulator.reset(SPEC)
    return emulator


def leaks(text, secrets=EVERY_SECRET):
    return sorted(secret for secret in secrets if secret in text)


def module(emu, name, env, verbosity=4, **args):
    required, _key = MODULES[name]
    options = dict(required, endpoint=emu.url)
    options.update(args)
    return run_adhoc(name, options, env=env, verbosity=verbosity)


def assert_no_secret(result, expect_failure=False):
    assert result.failed == expect_failure, result.output[-3000:]
    assert 'Traceback (most recent call last)' not in result.output
    found = leaks(result.output)
    assert not found, 'secrets in the -vvvv output: %s' % found


# --- Modules at -vvvv -------------------------------------------------------------------------------

@pytest.mark.parametrize('name', sorted(MODULES))
def test_credentials_from_the_environment_and_response_secrets_stay_hidden(emu, name):
    result = module(emu, name, ALIBABA_ENV if name in ALIBABA_MODULES else HUAWEI_ENV)
    assert_no_secret(result)
    assert result.result[MODULES[name][1]], 'an empty listing proves nothing'


@pytest.mark.parametrize('name', ALIBABA_MODULES)
def test_sts_credentials_as_module_options_stay_hidden(emu, name):
    result = module(emu, name, {}, **ALIBABA_STS)
    assert_no_secret(result)
    assert any(entry['access_key_id'] == 'STS.emuStsKeyId' for entry in emu.requests())


@pytest.mark.parametrize('credentials', [
    dict(HUAWEI_STS),
    {'auth_token': 'emuIamToken', 'project_id': PROJECT},
], ids=['sts', 'iam-token'])
def test_huawei_sts_and_iam_token_options_stay_hidden(emu, credentials):
    result = module(emu, 'octopus_queued_job_info', {}, **credentials)
    assert_no_secret(result)


def test_iam_token_from_the_environment_stays_hidden(emu):
    result = module(emu, 'octopus_queued_job_info', {'HUAWEICLOUD_SDK_AUTH_TOKEN': 'emuIamToken',
                                                     'HUAWEICLOUD_SDK_PROJECT_ID': PROJECT})
    assert_no_secret(result)


@pytest.mark.parametrize('name', ['pai_dlc_job_info', 'emr_ray_cluster_info', 'octopus_queued_job_info'])
@pytest.mark.parametrize('where', ['options', 'environment'])
def test_signature_does_not_match_fails_without_showing_the_secret(emu, name, where):
    huawei = name.startswith('octopus')
    key_id = 'emuHwAk' if huawei else 'emuAccessKeyId'
    env, args = {}, {}
    if where == 'options':
        args = {'access_key_id': key_id, 'access_key_secret': WRONG_SECRET}
        if huawei:
            args['project_id'] = PROJECT
    elif huawei:
        env = {'HUAWEICLOUD_SDK_AK': key_id, 'HUAWEICLOUD_SDK_SK': WRONG_SECRET, 'HUAWEICLOUD_SDK_PROJECT_ID': PROJECT}
    else:
        env = {'ALIBABA_CLOUD_ACCESS_KEY_ID': key_id, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET': WRONG_SECRET}
    result = module(emu, name, env, **args)
    assert_no_secret(result, expect_failure=True)
    codes = set(entry['code'] for entry in emu.requests())
    assert codes & {'SignatureDoesNotMatch', 'APIG.0301'}, codes
    assert codes & {'SignatureDoesNotMatch', 'APIG.0301'} & set([result.result.get('error_code')])


@pytest.mark.parametrize('name', ['pai_dlc_job_info', 'octopus_queued_job_info'])
def test_a_server_error_with_sts_credentials_in_options_shows_none(emu, name):
    emu.faults({'kind': 'error', 'status': 500, 'code': 'InternalError', 'count': None})
    credentials = HUAWEI_STS if name.startswith('octopus') else ALIBABA_STS
    result = module(emu, name, {}, max_retries=0, **credentials)
    assert_no_secret(result, expect_failure=True)
    assert 'InternalError' in result.result['msg']


@pytest.mark.parametrize('name', ['pai_dlc_job_info', 'octopus_queued_job_info'])
def test_a_bad_option_with_credentials_in_options_shows_none(emu, name):
    credentials = HUAWEI_STS if name.startswith('octopus') else ALIBABA_STS
    result = module(emu, name, {}, page_size=0, **credentials)
    assert_no_secret(result, expect_failure=True)
    assert emu.requests() == []


@pytest.mark.parametrize('name', ['pai_dlc_job_info', 'emr_ray_cluster_info', 'emr_ray_job_info'])
def test_a_failed_wait_returns_its_last_listing_redacted(emu, name):
    key = MODULES[name][1]
    result = module(emu, name, ALIBABA_ENV, wait={'fail_if': 'length(%s) > `0`' % key})
    assert_no_secret(result, expect_failure=True)
    assert result.result[key], 'the failure carries the last listing'


@pytest.mark.parametrize('name, prefixes', [
    ('pai_dlc_job_info', ('regpass-', 'regauth-', 'stssecret-', 'STS.emu-') + USER_SECRETS),
    ('emr_ray_cluster_info', ('dashtok-',)),
    ('emr_ray_job_info', ('dashtok-',)),
])
def test_control_redact_false_shows_the_response_secrets(emu, name, prefixes):
    """The search above would find them: with redact: false they are there, and nothing else is."""
    result = module(emu, name, ALIBABA_ENV, verbosity=0, redact=False)
    assert not result.failed
    assert set(leaks(result.output)) == set(prefixes)


# --- Inventory plugins: ansible-inventory --list -vvvv and the cache files ---------------------------

PLUGINS = {
    'emr_ray_clusters': ('alibaba', ['workspace_ids: [%s]' % WORKSPACE]),
    'emr_ray_jobs': ('alibaba', ['workspace_ids: [%s]' % WORKSPACE]),
    'pai_dlc_jobs': ('alibaba', []),
    'maxcompute_running_jobs': ('alibaba', ['from_time: %d' % (NOW - 86400), 'to_time: %d' % (NOW + 3600)]),
    'octopus_queued_jobs': ('huawei', ['queue_type: USER']),
}


def plugin_present(plugin):
    if not os.path.exists(os.path.join(ROOT, 'plugins', 'inventory', plugin + '.py')):
        pytest.skip('the inventory plugin %s does not exist yet' % plugin)


def yaml_value(value):
    return json.dumps(value)  # JSON strings are YAML strings


def inventory(emu, plugin, lines, env, extra_env=None, fail=False):
    """ansible-inventory --list -vvvv over a source file with a jsonfile cache in a fresh directory.

    Returns (the run's Result, the text of every cache file)."""
    workdir = tempfile.mkdtemp(prefix='jobscope-secrets-')
    cache_dir = os.path.join(workdir, 'cache')
    source = os.path.join(workdir, 'test.%s.yml' % plugin)
    with open(source, 'w') as handle:
        handle.write('\n'.join(['plugin: jobscope.cloud.%s' % plugin, 'endpoint: %s' % emu.url,
                                'cache: true', 'cache_plugin: ansible.builtin.jsonfile',
                                'cache_connection: %s' % cache_dir, 'cache_timeout: 3600'] + lines) + '\n')
    run_env = dict(env)
    run_env['ANSIBLE_INVENTORY_UNPARSED_FAILED'] = 'true'
    run_env.update(extra_env or {})
    result = run_command(['ansible-inventory', '-i', source, '--list', '-vvvv'], env=run_env)
    cached = ''
    for path in sorted(glob.glob(os.path.join(cache_dir, '*'))):
        with open(path) as handle:
            cached += handle.read()
    if fail:
        assert result.rc != 0, result.output[-3000:]
    else:
        assert result.rc == 0, result.output[-3000:]
    return result, cached


def hosts_in(result):
    document = json.loads(result.stdout[result.stdout.index('{'):])
    return document.get('_meta', {}).get('hostvars', {})


@pytest.mark.parametrize('plugin', sorted(PLUGINS))
@pytest.mark.parametrize('where', ['environment', 'source file'])
def test_inventory_list_vvvv_and_cache_show_no_secret(emu, plugin, where):
    plugin_present(plugin)
    cloud, lines = PLUGINS[plugin]
    env = ALIBABA_ENV if cloud == 'alibaba' else HUAWEI_ENV
    if where == 'source file':
        credentials = ALIBABA_STS if cloud == 'alibaba' else HUAWEI_STS
        lines = lines + ['%s: %s' % (name, yaml_value(value)) for name, value in sorted(credentials.items())]
        env = {}
    result, cached = inventory(emu, plugin, lines, env)
    assert hosts_in(result), 'no hosts: the run proves nothing'
    assert 'Traceback (most recent call last)' not in result.output
    assert not leaks(result.output), 'secrets in ansible-inventory --list -vvvv: %s' % leaks(result.output)
    assert cached, 'the cache was not written: the test proves nothing about it'
    assert not leaks(cached), 'secrets in the cache files: %s' % leaks(cached)


def test_inventory_with_an_iam_token_shows_none(emu):
    plugin_present('octopus_queued_jobs')
    result, cached = inventory(emu, 'octopus_queued_jobs', PLUGINS['octopus_queued_jobs'][1],
                               {'HUAWEICLOUD_SDK_AUTH_TOKEN': 'emuIamToken', 'HUAWEICLOUD_SDK_PROJECT_ID': PROJECT})
    assert hosts_in(result)
    assert not leaks(result.output) and not leaks(cached)


@pytest.mark.parametrize('plugin', ['pai_dlc_jobs', 'emr_ray_clusters', 'octopus_queued_jobs'])
def test_inventory_signature_failure_shows_no_secret(emu, plugin):
    plugin_present(plugin)
    cloud, lines = PLUGINS[plugin]
    key_id = 'emuAccessKeyId' if cloud == 'alibaba' else 'emuHwAk'
    lines = lines + ['access_key_id: %s' % key_id, 'access_key_secret: %s' % WRONG_SECRET]
    if cloud == 'huawei':
        lines.append('project_id: %s' % yaml_value(PROJECT))
    result, cached = inventory(emu, plugin, lines, {}, fail=True)
    assert 'SignatureDoesNotMatch' in result.output or 'APIG.0301' in result.output, result.output[-3000:]
    # (At -vvvv ansible-inventory prints its own traceback of a failed source; it must carry no secret either.)
    assert not leaks(result.output), 'secrets in the failure output: %s' % leaks(result.output)
    assert not leaks(cached)

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Issue 11: secrets are redacted by class and no message carries one, whatever the cloud returns.

- PAI-DLC jobs whose environment maps, container env lists, command lines, settings and URLs hold tokens
  (injected through the emulator's per-item overrides): not in module results at -vvvv, not in
  ``ansible-inventory --list -vvvv``, not in the inventory cache; ``redact: false`` shows them (control).
- A 200 body cut right after a token, from a server that answers exactly that: the error quotes no token.
- A vendor error that echoes the STS token or the IAM token taken from the environment: shown as ********.

Every secret of the test data contains ``LEAK``, so one search finds any that survives.
"""

from __future__ import annotations

import glob
import json
import os
import tempfile
import threading

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from harness import ALIBABA_ENV, HUAWEI_ENV, SECRETS, run_adhoc, run_command

NOW = 1768464000
MARK = 'LEAK'

# One job per class of place a user puts a token in.
SECRET_JOB = {
    'DisplayName': 'llm-finetune',
    'Envs': {'HF_TOKEN': 'hf_LEAKenv1', 'WANDB_API_KEY': 'LEAKwandb2', 'DB_PASS': 'LEAKdbpass3',
             'GIT_REPO': 'https://oauth2:LEAKgit4@git.example.com/team/repo.git',
             'HTTPS_PROXY': 'http://proxyuser:LEAKproxy5@10.1.2.3:3128', 'EPOCHS': '3'},
    'SystemEnvs': {'PAI_DLC_JOB_ID': 'x', 'OSS_ACCESS_KEY_SECRET': 'LEAKoss6'},
    'UserCommand': 'export HF_TOKEN=LEAKcmd7 && python train.py --epochs 3 --api-key LEAKflag8 '
                   '--token=LEAKflag9 --data https://bucket.example/d.tar?sig=LEAKsig10&expires=1',
    'Settings': {'AdvancedSettings': {'RegistryPassword': 'LEAKadv11', 'ReleaseResourcePolicy': 'AfterJobCompleted'},
                 'ErrorMonitoringArgs': '--enable-log-hang-detection true'},
    'JobSpecs': [{
        'Type': 'Worker', 'Image': 'registry.example.com/train:1', 'PodCount': 1,
        'ImageConfig': {'DockerRegistry': 'registry.example.com', 'Username': 'bot', 'Password': 'LEAKreg12',
                        'Auth': 'LEAKauth13'},
        'ExtraPodSpec': {'InitContainers': [{
            'Name': 'fetch', 'Image': 'curl:1',
            'Command': ['sh', '-c', 'curl -H "Authorization: Bearer LEAKbearer14" https://x/y'],
            'Args': ['--password', 'LEAKsplit15'],
            'Env': [{'Name': 'GITHUB_TOKEN', 'Value': 'LEAKenvlist16'}, {'Name': 'ENABLE_DEBUG', 'Value': 'true'}],
        }]},
    }],
    'CodeSource': {'CodeSourceId': 'code-1', 'Branch': 'main', 'MountPath': '/root/code',
                   'Url': 'https://LEAKtoken17@github.com/team/repo.git'},
}
DLC_SPEC = {'seed': 11, 'now': NOW,
            'pai_dlc_jobs': {'count': 4, 'overrides': [{'index': 1, 'set': SECRET_JOB}]}}


def leaks(text):
    return MARK in text or any(secret in text for secret in SECRETS)


@pytest.fixture
def emu(emulator):
    emulator.reset(DLC_SPEC)
    return emulator


def test_module_result_at_vvvv_holds_none_of_the_secrets(emu):
    result = run_adhoc('pai_dlc_job_info', {'endpoint': emu.url}, env=ALIBABA_ENV, verbosity=4)
    assert not result.failed, result.output[-3000:]
    jobs = result.result['jobs']
    assert len(jobs) == 4
    job = next(job for job in jobs if job['display_name'] == 'llm-finetune')
    assert not leaks(result.output), [line for line in result.output.splitlines() if MARK in line][:5]
    # Redacted, not dropped: the rest of each value is still there.
    assert job['envs']['EPOCHS'] == '3' and job['envs']['HF_TOKEN'] == '********'
    assert job['envs']['GIT_REPO'] == 'https://oauth2:********@git.example.com/team/repo.git'
    assert job['user_command'].startswith('export HF_TOKEN=******** && python train.py --epochs 3 --api-key ********')
    assert job['settings']['advanced_settings']['ReleaseResourcePolicy'] == 'AfterJobCompleted'


def test_control_redact_false_returns_them_as_given(emu):
    result = run_adhoc('pai_dlc_job_info', {'endpoint': emu.url, 'redact': False}, env=ALIBABA_ENV)
    assert not result.failed, result.output[-3000:]
    job = next(job for job in result.result['jobs'] if job['display_name'] == 'llm-finetune')
    assert dict((key, job['envs'][key]) for key in SECRET_JOB['Envs']) == SECRET_JOB['Envs']
    assert job['user_command'] == SECRET_JOB['UserCommand']
    assert json.dumps(job).count(MARK) == json.dumps(SECRET_JOB).count(MARK)


def inventory_source(emu, plugin, lines, workdir):
    cache_dir = os.path.join(workdir, 'cache')
    source = os.path.join(workdir, 'test.%s.yml' % plugin)
    with open(source, 'w') as handle:
        handle.write('\n'.join(['plugin: jobscope.cloud.%s' % plugin, 'endpoint: %s' % emu,
                                'cache: true', 'cache_plugin: ansible.builtin.jsonfile',
                                'cache_connection: %s' % cache_dir, 'cache_timeout: 3600'] + lines) + '\n')
    return source, cache_dir


def cache_text(cache_dir):
    text = ''
    for path in sorted(glob.glob(os.path.join(cache_dir, '*'))):
        with open(path) as handle:
            text += handle.read()
    return text


def test_inventory_output_and_cache_hold_none_of_the_secrets(emu):
    workdir = tempfile.mkdtemp(prefix='jobscope-redaction-')
    source, cache_dir = inventory_source(emu.url, 'pai_dlc_jobs', [], workdir)
    env = dict(ALIBABA_ENV, ANSIBLE_INVENTORY_UNPARSED_FAILED='true')
    result = run_command(['ansible-inventory', '-i', source, '--list', '-vvvv'], env=env)
    assert result.rc == 0, result.output[-3000:]
    hostvars = json.loads(result.stdout[result.stdout.index('{'):])['_meta']['hostvars']
    assert 'llm-finetune' in hostvars
    assert not leaks(result.output)
    cached = cache_text(cache_dir)
    assert 'llm-finetune' in cached, 'the cache was not written: the test proves nothing about it'
    assert not leaks(cached)


# --- A hostile server: a 200 cut right after a token -------------------------------------------------

class _Fixed(BaseHTTPRequestHandler):
    body = b''
    status = 200

    def do_GET(self):  # noqa: N802 - the http.server API
        self.send_response(self.status)
        self.send_header('Content-Type', 'application/json;charset=utf-8')
        self.send_header('Content-Length', str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fixed_server():
    """A loopback server that answers every GET with the body given to it, nothing else."""
    servers = []

    def start(body, status=200):
        handler = type('Handler', (_Fixed,), {'body': body.encode('utf-8'), 'status': status})
        server = ThreadingHTTPServer(('127.0.0.1', 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return 'http://127.0.0.1:%d' % server.server_address[1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


CUT_BODIES = {
    'emr_ray_job_info': '{"requestId":"r-1","totalCount":1,"rayJobs":[{"submissionId":"s-1",'
                        '"dashboardUrl":"https://emr-ray-gateway.aliyuncs.com?token=dashtok-LEAKcut1',
    'pai_dlc_job_info': '{"RequestId":"r-2","TotalCount":1,"Jobs":[{"JobId":"dlc-1","UserCommand":'
                        '"HF_TOKEN=LEAKcut2 python x.py","JobSpecs":[{"ImageConfig":{"Password":"LEAKcut3',
}


@pytest.mark.parametrize('name', sorted(CUT_BODIES))
def test_a_200_cut_after_a_token_fails_without_quoting_it(fixed_server, name):
    url = fixed_server(CUT_BODIES[name])
    args = {'endpoint': url, 'max_retries': 0}
    if name.startswith('emr'):
        args['workspace_id'] = 'w-1'
    result = run_adhoc(name, args, env=ALIBABA_ENV, verbosity=4)
    assert result.failed
    assert 'Traceback (most recent call last)' not in result.output
    assert 'malformed' in result.result.get('msg', ''), result.output[-2000:]
    assert not leaks(result.output), [line for line in result.output.splitlines() if MARK in line][:5]


def test_inventory_a_200_cut_after_a_token_fails_without_quoting_it(fixed_server):
    url = fixed_server(CUT_BODIES['emr_ray_job_info'])
    workdir = tempfile.mkdtemp(prefix='jobscope-redaction-')
    source, cache_dir = inventory_source(url, 'emr_ray_jobs', ['workspace_ids: [w-1]', 'max_retries: 0'], workdir)
    env = dict(ALIBABA_ENV, ANSIBLE_INVENTORY_UNPARSED_FAILED='true')
    result = run_command(['ansible-inventory', '-i', source, '--list', '-vvvv'], env=env)
    assert result.rc != 0
    assert 'malformed' in result.output
    assert not leaks(result.output)
    assert not leaks(cache_text(cache_dir))


# --- A vendor message that echoes the credentials taken from the environment ---------------------------

STS_ENV = {'ALIBABA_CLOUD_ACCESS_KEY_ID': 'STS.emuStsKeyId', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET': 'emuStsKeySecret',
           'ALIBABA_CLOUD_SECURITY_TOKEN': 'emuSecurityToken'}
ECHOES = [
    ('pai_dlc_job_info', {}, STS_ENV,
     'The security token emuSecurityToken is expired (secret emuStsKeySecret; encoded emuSecurityToken%3D)'),
    ('octopus_queued_job_info', {'queue_type': 'USER'},
     {'HUAWEICLOUD_SDK_AUTH_TOKEN': 'emuIamToken', 'HUAWEICLOUD_SDK_PROJECT_ID': HUAWEI_ENV['HUAWEICLOUD_SDK_PROJECT_ID']},
     'X-Auth-Token "emuIamToken" is not valid'),
]


@pytest.mark.parametrize('name, args, env, message', ECHOES, ids=['alibaba-sts', 'huawei-iam-token'])
def test_a_vendor_message_echoing_the_credentials_in_use_is_scrubbed(emulator, name, args, env, message):
    emulator.reset({'seed': 11, 'now': NOW, 'pai_dlc_jobs': {'count': 2}, 'octopus_queued_jobs': {'count': 2}})
    emulator.faults({'kind': 'error', 'status': 400, 'code': 'InvalidSecurityToken.Expired', 'message': message,
                     'count': None})
    options = dict(args, endpoint=emulator.url, max_retries=0)
    result = run_adhoc(name, options, env=env, verbosity=4)
    assert result.failed
    assert 'InvalidSecurityToken.Expired' in result.result.get('msg', ''), result.output[-2000:]
    assert '********' in result.result['msg']
    assert not leaks(result.output), [line for line in result.output.splitlines()
                                      if any(secret in line for secret in SECRETS)][:5]
    assert not any(secret in json.dumps(result.result) for secret in SECRETS)


def test_inventory_a_vendor_message_echoing_the_sts_token_is_scrubbed(emulator):
    emulator.reset({'seed': 11, 'now': NOW, 'pai_dlc_jobs': {'count': 2}})
    emulator.faults({'kind': 'error', 'status': 400, 'code': 'InvalidSecurityToken.Expired',
                     'message': ECHOES[0][3], 'count': None})
    workdir = tempfile.mkdtemp(prefix='jobscope-redaction-')
    source, cache_dir = inventory_source(emulator.url, 'pai_dlc_jobs', ['max_retries: 0'], workdir)
    env = dict(STS_ENV, ANSIBLE_INVENTORY_UNPARSED_FAILED='true')
    result = run_command(['ansible-inventory', '-i', source, '--list', '-vvvv'], env=env)
    assert result.rc != 0
    assert 'InvalidSecurityToken.Expired' in result.output
    assert not leaks(result.output), [line for line in result.output.splitlines()
                                      if any(secret in line for secret in SECRETS)][:5]

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""shaping: snake_case keys, user-defined maps kept as they are, credentials redacted."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS
from ansible_collections.jobscope.cloud.plugins.module_utils.shaping import REDACTED, Shaper, dig, snake

DLC = ENDPOINTS['pai_dlc_job']
RAY_JOB = ENDPOINTS['emr_ray_job']


@pytest.mark.parametrize('name, expected', [
    ('cuHours', 'cu_hours'),
    ('GPUType', 'gpu_type'),
    ('EnableRDMA', 'enable_rdma'),
    ('AIMasterType', 'ai_master_type'),
    ('AIMasterDockerImage', 'ai_master_docker_image'),
    ('PSMinParallelism', 'ps_min_parallelism'),
    ('EDPMaxParallelism', 'edp_max_parallelism'),
    ('RequestGPU', 'request_gpu'),
    ('RequestCPU', 'request_cpu'),
    ('EnableCPUAffinity', 'enable_cpu_affinity'),
    ('EnablePsJobElasticPS', 'enable_ps_job_elastic_ps'),
    ('GPU', 'gpu'),
    ('Ip', 'ip'),
    ('already_snake', 'already_snake'),
    ('submissionId', 'submission_id'),
    ('dashboardUrl', 'dashboard_url'),
    ('JobId', 'job_id'),
    ('GmtCreateTime', 'gmt_create_time'),
    ('runningJobInfoList', 'running_job_info_list'),
    ('page_info', 'page_info'),
    ('K8sVersion', 'k8s_version'),
    ('id', 'id'),
])
def test_snake(name, expected):
    assert snake(name) == expected
    assert snake(expected) == expected  # idempotent


def test_snake_is_stable_when_cached():
    assert snake('cuHours') == snake('cuHours') == 'cu_hours'


def dlc_job():
    return {
        'JobId': 'dlc-1',
        'Status': 'Running',
        'Envs': {'MY_ENV_Var': 'v', 'camelVar': 'x', 'PATH': '/bin'},
        'SystemEnvs': {'SysVar': '1'},
        'Tags': {'TeamName': 'search', 'env': 'prod'},
        'PodLabels': {'app.kubernetes.io/Name': 'x'},
        'PodAnnotations': {'SomeAnnotation': 'y'},
        'AdvancedSettings': {'EnableRDMA': True},
        'JobSpecs': [
            {
                'Type': 'Worker',
                'ImageConfig': {'DockerRegistry': 'registry.example.com', 'Username': 'me', 'Password': 'p@ss',
                                'Auth': 'YXV0aA=='},
                'ResourceConfig': {'GPUType': 'V100', 'GPU': '1'},
                'Envs': {'NESTED_Var': 'kept'},
                'ExtraPodSpec': {'InitContainers': [{
                    'Name': 'init',
                    'Resources': {'Limits': {'nvidia.com/GPU': '1'}, 'Requests': {'CPU': '2'}},
                    'Env': [{'Name': 'ENABLE_DEBUG', 'Value': 'true'}],
                }]},
            },
            {
                'Type': 'Master',
                'ImageConfig': {'Username': '', 'Password': '', 'Auth': None},
            },
        ],
        'CredentialConfig': {
            'EnableCredentialInject': True,
            'CredentialConfigItems': [
                {'Key': 'k1', 'Roles': [
                    {'RoleArn': 'acs:ram::1:role/r', 'AssumeUserInfo': {
                        'AccessKeyId': 'STS.AKID', 'SecurityToken': 'CAIS-token', 'Type': 'User', 'Id': 'u1'}},
                    {'RoleArn': 'acs:ram::1:role/s', 'AssumeUserInfo': {
                        'AccessKeyId': '', 'SecurityToken': '', 'Type': '', 'Id': ''}},
                ]},
                {'Key': 'k2', 'Roles': []},
            ],
        },
        'EmptyList': [],
        'EmptyMap': {},
        'NullValue': None,
        'ListOfScalars': ['A', 'B'],
    }


def test_dlc_job_shape():
    raw = dlc_job()
    original = copy.deepcopy(raw)
    shaped = Shaper(DLC.secrets, DLC.keep)(raw)
    assert raw == original  # the raw item is not modified

    assert shaped['job_id'] == 'dlc-1'
    # User-defined maps keep their keys exactly, at any depth.
    assert shaped['envs'] == {'MY_ENV_Var': 'v', 'camelVar': 'x', 'PATH': '/bin'}
    assert shaped['system_envs'] == {'SysVar': '1'}
    assert shaped['tags'] == {'TeamName': 'search', 'env': 'prod'}
    assert shaped['pod_labels'] == {'app.kubernetes.io/Name': 'x'}
    assert shaped['pod_annotations'] == {'SomeAnnotation': 'y'}
    assert shaped['advanced_settings'] == {'EnableRDMA': True}
    spec = shaped['job_specs'][0]
    assert spec['envs'] == {'NESTED_Var': 'kept'}
    container = spec['extra_pod_spec']['init_containers'][0]
    assert container['resources'] == {'limits': {'nvidia.com/GPU': '1'}, 'requests': {'CPU': '2'}}
    assert container['env'] == [{'name': 'ENABLE_DEBUG', 'value': 'true'}]
    assert spec['resource_config'] == {'gpu_type': 'V100', 'gpu': '1'}

    # Credentials redacted deep in lists, other values intact.
    assert spec['image_config'] == {'docker_registry': 'registry.example.com', 'username': 'me',
                                    'password': REDACTED, 'auth': REDACTED}
    roles = shaped['credential_config']['credential_config_items'][0]['roles']
    assert roles[0]['assume_user_info'] == {'access_key_id': REDACTED, 'security_token': REDACTED,
                                            'type': 'User', 'id': 'u1'}
    assert roles[0]['role_arn'] == 'acs:ram::1:role/r'
    # Empty values are left as they are (nothing to hide, and "empty" stays visible).
    assert shaped['job_specs'][1]['image_config'] == {'username': '', 'password': '', 'auth': None}
    assert roles[1]['assume_user_info'] == {'access_key_id': '', 'security_token': '', 'type': '', 'id': ''}
    assert shaped['credential_config']['credential_config_items'][1]['roles'] == []
    assert shaped['empty_list'] == [] and shaped['empty_map'] == {} and shaped['null_value'] is None
    assert shaped['list_of_scalars'] == ['A', 'B']
    assert shaped['credential_config']['enable_credential_inject'] is True

    # No secret survives anywhere in the shaped item.
    text = repr(shaped)
    for secret in ('p@ss', 'YXV0aA==', 'STS.AKID', 'CAIS-token'):
        assert secret not in text


def test_redact_false_returns_raw_values():
    shaped = Shaper(DLC.secrets, DLC.keep, redact=False)(dlc_job())
    assert shaped['job_specs'][0]['image_config']['password'] == 'p@ss'
    assert shaped['job_specs'][0]['image_config']['auth'] == 'YXV0aA=='
    info = shaped['credential_config']['credential_config_items'][0]['roles'][0]['assume_user_info']
    assert info['access_key_id'] == 'STS.AKID' and info['security_token'] == 'CAIS-token'
    # Keys are still shaped and kept maps still kept.
    assert shaped['envs'] == {'MY_ENV_Var': 'v', 'camelVar': 'x', 'PATH': '/bin'}
    raw_url = 'https://emr-ray-gateway.aliyuncs.com?token=abc'
    assert Shaper(RAY_JOB.secrets, redact=False)({'dashboardUrl': raw_url}) == {'dashboard_url': raw_url}


@pytest.mark.parametrize('url, expected', [
    ('https://emr-ray-gateway.aliyuncs.com?token=xxxxxxxxx', 'https://emr-ray-gateway.aliyuncs.com?token=********'),
    ('https://emr-spark-ray-gateway-cn-hangzhou.aliyuncs.com?token=dashtok-1',
     'https://emr-spark-ray-gateway-cn-hangzhou.aliyuncs.com?token=********'),
    ('https://h.example/ray/dashboard/?cluster=c-1&token=abc&view=jobs',
     'https://h.example/ray/dashboard/?cluster=c-1&token=********&view=jobs'),
    ('https://h.example:8443/a/b?token=abc#frag', 'https://h.example:8443/a/b?token=********#frag'),
    ('https://h.example/no-token', 'https://h.example/no-token'),
    ('', ''),
])
def test_dashboard_url_token_redacted_url_otherwise_intact(url, expected):
    shaped = Shaper(RAY_JOB.secrets)({'submissionId': 's', 'dashboardUrl': url})
    assert shaped == {'submission_id': 's', 'dashboard_url': expected}


def test_dashboard_url_other_query_values_are_not_reencoded():
    """Only the token changes: other parameters keep their exact bytes (%20 stays %20, not +)."""
    url = 'https://h.example/ray/?name=a%20b&path=%2Fx&token=secret-tok'
    shaped = Shaper(RAY_JOB.secrets)({'dashboardUrl': url})
    assert shaped['dashboard_url'] == 'https://h.example/ray/?name=a%20b&path=%2Fx&token=' + REDACTED


def test_dashboard_url_token_in_a_fragment_route_is_redacted():
    """Single-page dashboards carry the query inside the fragment (#/jobs?token=...)."""
    shaped = Shaper(RAY_JOB.secrets)({'dashboardUrl': 'https://h.example/#/jobs?token=secret-tok'})
    assert 'secret-tok' not in shaped['dashboard_url']
    assert shaped['dashboard_url'].startswith('https://h.example/#/jobs?token=')


def test_dashboard_url_of_an_unexpected_type_does_not_crash():
    shaper = Shaper(RAY_JOB.secrets)
    assert shaper({'dashboardUrl': None}) == {'dashboard_url': None}
    assert shaper({'dashboardUrl': 5}) == {'dashboard_url': 5}
    # A structured value (an API change, say) must not crash the walk with an AttributeError.
    shaped = shaper({'dashboardUrl': {'url': 'https://h/x', 'kind': 'ray'}})
    assert set(shaped) == {'dashboard_url'}


def test_cluster_dashboard_redacted_through_the_endpoint_declaration():
    cluster = ENDPOINTS['emr_ray_cluster']
    shaped = Shaper(cluster.secrets, cluster.keep)({
        'clusterId': 'c-1', 'dashboardUrl': 'https://h?token=t',
        'headSpec': {'gpuSpec': {'type': 'A10'}, 'enableAutoScaling': False},
        'workerSpec': [{'groupName': 'g', 'minReplica': 0}]})
    assert shaped == {'cluster_id': 'c-1', 'dashboard_url': 'https://h?token=' + REDACTED,
                      'head_spec': {'gpu_spec': {'type': 'A10'}, 'enable_auto_scaling': False},
                      'worker_spec': [{'group_name': 'g', 'min_replica': 0}]}


def test_secret_keys_are_redacted_wherever_they_are():
    """Redaction is by class: a credential-looking key is redacted at any path, not only the declared ones."""
    shaped = Shaper(DLC.secrets, DLC.keep)({'Password': 'top-level', 'ImageConfig': {'Password': 'not-in-specs'},
                                            'NewApiField': {'SessionToken': 'later-added'}})
    assert shaped == {'password': REDACTED, 'image_config': {'password': REDACTED},
                      'new_api_field': {'session_token': REDACTED}}


def test_lists_of_lists_are_walked():
    shaper = Shaper({'A.B': 'value'})
    assert shaper({'A': [[{'B': 'x', 'cD': 1}]]}) == {'a': [[{'b': REDACTED, 'c_d': 1}]]}


def test_dig():
    body = {'data': {'runningJobInfoList': [1], 'totalCount': 0}, 'x': 'y'}
    assert dig(body, 'data.runningJobInfoList') == [1]
    assert dig(body, 'data.totalCount') == 0
    assert dig(body, 'data.missing') is None
    assert dig(body, 'x.y') is None
    assert dig(None, 'a') is None
    assert dig([], 'a') is None

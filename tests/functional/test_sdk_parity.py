# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Each module lists the same dataset as the vendor's official SDK client and gets the same items.

The SDK pages sequentially to the end with a small page size; the module reads with its own defaults
(concurrently) and redact=false. The SDK model's to_map() body, snake_cased the way the modules promise
(user-defined maps keep their keys), must equal the module's item.
"""

from __future__ import annotations

import json

import pytest

from harness import ALIBABA_ENV, HUAWEI_ENV, run_adhoc, snake_keys

WORKSPACE = 'w-demo'
PROJECT = HUAWEI_ENV['HUAWEICLOUD_SDK_PROJECT_ID']
NOW = 1768464000  # 2026-01-15T08:00:00Z
SPEC = {
    'seed': 11,
    'now': NOW,
    'emr_ray_clusters': {WORKSPACE: {'count': 230}},
    'emr_ray_jobs': {WORKSPACE: {'count': 120}},
    'pai_dlc_jobs': {'count': 130},
    'maxcompute_running_jobs': {'count': 45},
    'octopus_queued_jobs': {'count': 80, 'mix': {'queue_type': {'USER': 37, 'PROCESSOR': 25, 'INTERNAL': 18}}},
}
DLC_USER_MAPS = ('Envs', 'SystemEnvs', 'Tags', 'PodLabels', 'PodAnnotations', 'AdvancedSettings', 'Limits',
                 'Requests')
SDK_PAGE = 17  # not a divisor of any count: the last page is short


@pytest.fixture
def data(emulator):
    emulator.reset(SPEC)
    return emulator


def alibaba_config(emulator):
    models = pytest.importorskip('alibabacloud_tea_openapi.models')
    return models.Config(access_key_id=ALIBABA_ENV['ALIBABA_CLOUD_ACCESS_KEY_ID'],
                         access_key_secret=ALIBABA_ENV['ALIBABA_CLOUD_ACCESS_KEY_SECRET'],
                         endpoint=emulator.url.split('://', 1)[1], protocol='http')


def module_items(emulator, module, key='jobs', env=None, **args):
    run = run_adhoc(module, dict(args, endpoint=emulator.url, redact=False), env=env or ALIBABA_ENV)
    assert not run.failed, run.output
    return run.result[key]


def sdk_view(sdk, item):
    """The SDK's map without what its from_map() adds by itself: empty lists and maps the API never sent."""
    if isinstance(sdk, dict) and isinstance(item, dict):
        return dict((key, sdk_view(value, item.get(key))) for key, value in sdk.items()
                    if key in item or value not in ([], {}, None))
    if isinstance(sdk, list) and isinstance(item, list) and len(sdk) == len(item):
        return [sdk_view(a, b) for a, b in zip(sdk, item)]
    return sdk


def assert_same(sdk_maps, got, id_key, keep=()):
    expected = [snake_keys(body, keep) for body in sdk_maps]
    assert [item[id_key] for item in got] == [item[id_key] for item in expected]
    assert len(set(item[id_key] for item in got)) == len(got)
    for mine, theirs in zip(got, expected):
        assert mine == sdk_view(theirs, mine), mine[id_key]


def test_emr_ray_cluster_info_matches_list_ray_cluster(data):
    client_module = pytest.importorskip('alibabacloud_emr_serverless_spark20230808.client')
    models = pytest.importorskip('alibabacloud_emr_serverless_spark20230808.models')
    client = client_module.Client(alibaba_config(data))
    sdk, page = [], 1
    while True:
        body = client.list_ray_cluster(WORKSPACE, models.ListRayClusterRequest(page_num=page,
                                                                               page_size=SDK_PAGE)).body
        sdk.extend(cluster.to_map() for cluster in body.ray_clusters)
        if len(body.ray_clusters) < SDK_PAGE:
            break
        page += 1
    assert len(sdk) == 230
    got = module_items(data, 'emr_ray_cluster_info', key='clusters', workspace_id=WORKSPACE)
    assert_same(sdk, got, 'cluster_id')


def test_emr_ray_job_info_matches_list_ray_job(data):
    client_module = pytest.importorskip('alibabacloud_emr_serverless_spark20230808.client')
    models = pytest.importorskip('alibabacloud_emr_serverless_spark20230808.models')
    client = client_module.Client(alibaba_config(data))
    sdk, page, total = [], 1, None
    while total is None or len(sdk) < total:
        body = client.list_ray_job(WORKSPACE, models.ListRayJobRequest(page_num=page, page_size=SDK_PAGE)).body
        total = body.total_count
        assert body.ray_jobs, 'the SDK ran out of pages before totalCount'
        sdk.extend(job.to_map() for job in body.ray_jobs)
        page += 1
    assert len(sdk) == 120
    got = module_items(data, 'emr_ray_job_info', workspace_id=WORKSPACE)
    assert_same(sdk, got, 'submission_id')


def test_pai_dlc_job_info_matches_list_jobs(data):
    client_module = pytest.importorskip('alibabacloud_pai_dlc20201203.client')
    models = pytest.importorskip('alibabacloud_pai_dlc20201203.models')
    client = client_module.Client(alibaba_config(data))
    sdk, page, total = [], 1, None
    while total is None or len(sdk) < total:
        body = client.list_jobs(models.ListJobsRequest(page_number=page, page_size=SDK_PAGE)).body
        total = body.total_count
        assert body.jobs, 'the SDK ran out of pages before TotalCount'
        sdk.extend(job.to_map() for job in body.jobs)
        page += 1
    assert len(sdk) == 130
    got = module_items(data, 'pai_dlc_job_info')
    assert_same(sdk, got, 'job_id', keep=DLC_USER_MAPS)
    assert 'MY_ENV_Key' in got[0]['envs']


def test_maxcompute_running_job_info_matches_get_running_jobs(data):
    client_module = pytest.importorskip('alibabacloud_maxcompute20220104.client')
    models = pytest.importorskip('alibabacloud_maxcompute20220104.models')
    client = client_module.Client(alibaba_config(data))
    window = dict(from_=NOW - 7200, to=NOW + 3600)
    sdk, page, total = [], 1, None
    while total is None or len(sdk) < total:
        body = client.get_running_jobs(models.GetRunningJobsRequest(page_number=page, page_size=SDK_PAGE,
                                                                    **window)).body
        assert body.error_code == 'success'
        total = body.data.total_count
        assert body.data.running_job_info_list, 'the SDK ran out of pages before totalCount'
        sdk.extend(job.to_map() for job in body.data.running_job_info_list)
        page += 1
    assert len(sdk) == 45
    got = module_items(data, 'maxcompute_running_job_info', from_time=window['from_'], to_time=window['to'])
    assert_same(sdk, got, 'instance_id')


def test_octopus_queued_job_info_matches_the_generic_client(data):
    pytest.importorskip('huaweicloudsdkcore')
    credentials = pytest.importorskip('huaweicloudsdkcore.auth.credentials')
    responses = pytest.importorskip('huaweicloudsdkcore.sdk_response')
    octopus = pytest.importorskip('huaweicloudsdkoctopus.v2')

    class RawResponse(responses.SdkResponse):
        """The SDK has no model for this call: keep the raw body."""
        openapi_types = {}
        attribute_map = {}

    client = (octopus.OctopusClient.new_builder()
              .with_credentials(credentials.BasicCredentials(HUAWEI_ENV['HUAWEICLOUD_SDK_AK'],
                                                             HUAWEI_ENV['HUAWEICLOUD_SDK_SK'], PROJECT))
              .with_endpoints([data.url])
              .build())
    sdk, offset, total = [], 0, None
    while total is None or offset < total:
        response = client.do_http_request(method='GET', resource_path='/v1.0/{project_id}/data/queuing-jobs',
                                          query_params=[('queue_type', 'USER'), ('offset', offset),
                                                        ('limit', SDK_PAGE)],
                                          response_type=RawResponse)
        assert response.status_code == 200
        payload = json.loads(response.raw_content)['payload']
        total = payload['page_info']['total']
        sdk.extend(payload['list'])
        offset += SDK_PAGE
    assert len(sdk) == 37
    got = module_items(data, 'octopus_queued_job_info', env=HUAWEI_ENV, queue_type='USER')
    assert_same(sdk, got, 'id')

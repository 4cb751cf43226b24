# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""listing.Plan: every option checked before any request; Plan.run over a fake transport; summarize."""

from __future__ import annotations

import pytest

from ansible_collections.jobscope.cloud.plugins.module_utils import listing
from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError

ALIBABA_AUTH = {'access_key_id': 'AK', 'access_key_secret': 'secret', 'region': 'cn-hangzhou'}
HUAWEI_AUTH = {'access_key_id': 'AK', 'access_key_secret': 'secret', 'project_id': 'proj', 'region': 'cn-north-11'}

MINIMAL = {
    'emr_ray_cluster': dict(ALIBABA_AUTH, workspace_id='w-1'),
    'emr_ray_job': dict(ALIBABA_AUTH, workspace_id='w-1'),
    'pai_dlc_job': dict(ALIBABA_AUTH),
    'maxcompute_running_job': dict(ALIBABA_AUTH, from_time=1700000000, to_time=1700003600),
    'octopus_queued_job': dict(HUAWEI_AUTH, queue_type='USER'),
}


@pytest.fixture(autouse=True)
def no_network(monkeypatch, tmp_path):
    """Any attempt to build a transport or send a request fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError('a request was attempted before validation finished')

    monkeypatch.setattr(listing, 'Transport', refuse)
    requests = pytest.importorskip('requests')
    monkeypatch.setattr(requests.Session, 'send', refuse)
    monkeypatch.setenv('HOME', str(tmp_path))


def plan(name, **overrides):
    options = dict(MINIMAL[name])
    options.update(overrides)
    return listing.Plan(ENDPOINTS[name], options, env={})


def fails(name, option, **overrides):
    with pytest.raises(OptionError) as info:
        plan(name, **overrides)
    assert info.value.option == option, str(info.value)
    assert option in str(info.value)
    return info.value


@pytest.mark.parametrize('name', sorted(MINIMAL))
def test_minimal_plan_builds_without_requests(name):
    result = plan(name)
    endpoint = ENDPOINTS[name]
    assert result.page_size == endpoint.paging.maximum
    assert result.concurrency == listing.DEFAULT_CONCURRENCY == 16
    assert result.max_items is None
    assert result.max_retries == 5
    assert result.timeout == 30
    assert result.validate_certs is True
    assert '{' not in result.path


@pytest.mark.parametrize('name', sorted(MINIMAL))
@pytest.mark.parametrize('page_size', [0, -1])
def test_page_size_below_one_fails(name, page_size):
    fails(name, 'page_size', page_size=page_size)


@pytest.mark.parametrize('name', sorted(MINIMAL))
def test_page_size_above_the_endpoint_maximum_fails(name):
    maximum = ENDPOINTS[name].paging.maximum
    error = fails(name, 'page_size', page_size=maximum + 1)
    assert str(maximum) in str(error)
    assert ENDPOINTS[name].action in str(error)
    assert plan(name, page_size=maximum).page_size == maximum
    assert plan(name, page_size=1).page_size == 1


def test_maxcompute_page_size_maximum_is_twenty():
    assert ENDPOINTS['maxcompute_running_job'].paging.maximum == 20
    error = fails('maxcompute_running_job', 'page_size', page_size=21)
    assert 'between 1 and 20' in str(error)


@pytest.mark.parametrize('concurrency', [0, -1, listing.MAX_CONCURRENCY + 1])
def test_concurrency_bounds(concurrency):
    fails('pai_dlc_job', 'concurrency', concurrency=concurrency)


def test_concurrency_limits_are_accepted():
    assert plan('pai_dlc_job', concurrency=1).concurrency == 1
    assert plan('pai_dlc_job', concurrency=listing.MAX_CONCURRENCY).concurrency == listing.MAX_CONCURRENCY


@pytest.mark.parametrize('option, value', [('max_items', 0), ('max_items', -5), ('timeout', 0), ('timeout', 3601),
                                           ('max_retries', -1), ('max_retries', 21)])
def test_other_ranges(option, value):
    fails('pai_dlc_job', option, **{option: value})


def test_zero_retries_is_allowed():
    assert plan('pai_dlc_job', max_retries=0).max_retries == 0


@pytest.mark.parametrize('cluster_id', [None, ''])
def test_modelarts_without_cluster_id_fails_naming_cluster_id(cluster_id):
    error = fails('octopus_queued_job', 'cluster_id', cluster_type='MODELARTS', cluster_id=cluster_id)
    assert 'MODELARTS' in str(error)


def test_modelarts_with_cluster_id_and_other_cluster_types():
    assert plan('octopus_queued_job', cluster_type='MODELARTS', cluster_id='c-1').query['cluster_id'] == 'c-1'
    assert 'cluster_id' not in plan('octopus_queued_job', cluster_type='CCE').query


def test_bad_filter_and_missing_credentials_fail_before_requests():
    fails('maxcompute_running_job', 'from_time', from_time=1700003601)
    fails('emr_ray_job', 'workspace_id', workspace_id='')
    options = dict(MINIMAL['pai_dlc_job'])
    del options['access_key_secret']
    with pytest.raises(OptionError) as info:
        listing.Plan(ENDPOINTS['pai_dlc_job'], options, env={})
    assert info.value.option == 'access_key_secret'
    options = dict(MINIMAL['pai_dlc_job'], region=None)
    with pytest.raises(OptionError) as info:
        listing.Plan(ENDPOINTS['pai_dlc_job'], options, env={})
    assert info.value.option == 'region'
    fails('pai_dlc_job', 'endpoint', endpoint='ftp://x')
    fails('octopus_queued_job', 'project_id', project_id=None)


def test_plan_paths_hosts_and_dialects():
    emr = plan('emr_ray_job', workspace_id='w/1')
    assert emr.path == '/api/v1/workspaces/w%2F1/rayJob'
    assert emr.dialect.host == 'emr-serverless-spark.cn-hangzhou.aliyuncs.com'
    octopus = plan('octopus_queued_job', project_id='p 1')
    assert octopus.path == '/v1.0/p%201/data/queuing-jobs'
    assert octopus.dialect.host == 'octopus.cn-north-11.myhuaweicloud.com'
    local = plan('pai_dlc_job', endpoint='http://127.0.0.1:8080', validate_certs=False, timeout=5, max_retries=2)
    assert local.dialect.base == 'http://127.0.0.1:8080'
    assert (local.validate_certs, local.timeout, local.max_retries) == (False, 5, 2)


def test_redact_option_reaches_the_shaper():
    item = {'dashboardUrl': 'https://h?token=abc'}
    assert plan('emr_ray_job').shape(item) == {'dashboard_url': 'https://h?token=********'}
    assert plan('emr_ray_job', redact=False).shape(item) == {'dashboard_url': 'https://h?token=abc'}


# --- Plan.run over a fake transport -------------------------------------------------------------

class FakeTransport(object):
    instances = []

    def __init__(self, dialect, timeout=None, validate_certs=None, max_retries=None, pool_size=None,
                 max_body_size=None):
        self.dialect = dialect
        self.settings = dict(timeout=timeout, validate_certs=validate_certs, max_retries=max_retries,
                             pool_size=pool_size)
        self.calls = []
        self.closed = False
        FakeTransport.instances.append(self)

    def get(self, operation, path, params, limiter=None, check=None, deadline=None):
        assert deadline is not None and 0 < deadline.remaining() <= deadline.seconds
        self.calls.append((operation, path, dict(params)))
        page = int(params['pageNumber'])
        size = int(params['pageSize'])
        ids = list(range((page - 1) * size, min(page * size, 25)))
        return {'data': {'totalCount': 25, 'runningJobInfoList': [
            {'instanceId': 'i-%d' % number, 'quotaNickname': 'q%d' % (number % 2)} for number in ids]}}

    def close(self):
        self.closed = True


def test_plan_run_lists_every_page_with_the_filters(monkeypatch):
    FakeTransport.instances = []
    monkeypatch.setattr(listing, 'Transport', FakeTransport)
    the_plan = plan('maxcompute_running_job', page_size=10, concurrency=3, job_owner_list=['a'])
    result, outcome = the_plan.run()
    transport = FakeTransport.instances[0]
    assert transport.closed
    assert transport.settings == dict(timeout=30, validate_certs=True, max_retries=5, pool_size=3)
    assert sorted(call[2]['pageNumber'] for call in transport.calls) == ['1', '2', '3']
    for operation, path, params in transport.calls:
        assert operation == 'GetRunningJobs'
        assert path == '/api/v1/jobs/runningJobs'
        assert params['from'] == '1700000000' and params['jobOwnerList'] == 'a' and params['pageSize'] == '10'
    assert result['complete'] is True
    assert result['total'] == 25
    assert [job['instance_id'] for job in result['jobs']] == ['i-%d' % number for number in range(25)]
    assert outcome.warnings == []
    summary = listing.summarize(ENDPOINTS['maxcompute_running_job'], result)
    assert summary == '25 item(s) (quota_nickname: q0=13, q1=12)'


def test_plan_run_closes_the_transport_on_failure(monkeypatch):
    from ansible_collections.jobscope.cloud.plugins.module_utils.transport import CloudError

    class Failing(FakeTransport):
        def get(self, operation, path, params, limiter=None, check=None, deadline=None):
            raise CloudError('boom', status=500, operation=operation)

    FakeTransport.instances = []
    monkeypatch.setattr(listing, 'Transport', Failing)
    with pytest.raises(CloudError):
        plan('maxcompute_running_job').run()
    assert FakeTransport.instances[0].closed


def test_summarize_without_state_or_items():
    assert listing.summarize(ENDPOINTS['emr_ray_cluster'], {'clusters': []}) == '0 item(s)'
    assert listing.summarize(ENDPOINTS['emr_ray_cluster'], {'clusters': [{'state': 'Running'}, {}]}) == \
        '2 item(s) (state: None=1, Running=1)'


# --- first page only, a reused transport, fields ------------------------------------------------

def test_first_page_reads_one_page_of_one_item_and_keeps_the_transport(monkeypatch):
    FakeTransport.instances = []
    monkeypatch.setattr(listing, 'Transport', FakeTransport)
    the_plan = plan('maxcompute_running_job', page_size=10)
    transport = the_plan.transport()
    for _poll in range(3):
        result, _outcome = the_plan.run(transport, first_page=True)
        assert result['total'] == 25 and result['complete'] is True
    assert len(FakeTransport.instances) == 1 and not transport.closed
    assert [call[2]['pageSize'] for call in transport.calls] == ['1', '1', '1']
    assert [call[2]['pageNumber'] for call in transport.calls] == ['1', '1', '1']


@pytest.mark.parametrize('total', [None, '25', -1, 2.5, True, {'n': 1}])
def test_first_page_fails_on_a_total_that_is_not_a_count(monkeypatch, total):
    from ansible_collections.jobscope.cloud.plugins.module_utils.transport import CloudError

    class Garbled(FakeTransport):
        def get(self, operation, path, params, limiter=None, check=None, deadline=None):
            body = {'data': {'runningJobInfoList': []}}
            if total is not None:
                body['data']['totalCount'] = total
            return body

    monkeypatch.setattr(listing, 'Transport', Garbled)
    with pytest.raises(CloudError) as info:
        plan('maxcompute_running_job').run(first_page=True)
    assert 'total' in str(info.value)


def test_fields_project_each_item(monkeypatch):
    monkeypatch.setattr(listing, 'Transport', FakeTransport)
    result, _outcome = plan('maxcompute_running_job', page_size=20, fields=['instance_id']).run()
    assert result['jobs'][0] == {'instance_id': 'i-0'} and len(result['jobs']) == 25


def test_fields_keep_nested_keys_and_still_redact():
    the_plan = plan('pai_dlc_job', fields=['job_id', 'job_specs.image_config.password', 'settings.caller',
                                           'absent'])
    item = {'JobId': 'dlc-1', 'Status': 'Running', 'Settings': {'Caller': 'me', 'Tags': {'A': 'b'}},
            'JobSpecs': [{'Image': 'x', 'ImageConfig': {'Password': 'pw', 'Username': 'u'}}]}
    assert the_plan.shape(item) == {'job_id': 'dlc-1', 'settings': {'caller': 'me'},
                                    'job_specs': [{'image_config': {'password': '********'}}]}


@pytest.mark.parametrize('fields', [[], [''], ['a..b'], ['.a'], [3]])
def test_bad_fields_fail_naming_fields(fields):
    fails('maxcompute_running_job', 'fields', fields=fields)


def test_page_size_is_refused_where_the_api_has_no_pages():
    import copy
    from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import Unpaged
    endpoint = copy.copy(ENDPOINTS['emr_ray_cluster'])
    endpoint.paging = Unpaged()
    options = dict(MINIMAL['emr_ray_cluster'])
    assert listing.Plan(endpoint, options, env={}).page_size is None
    with pytest.raises(OptionError) as info:
        listing.Plan(endpoint, dict(options, page_size=10), env={})
    assert info.value.option == 'page_size' and 'one response' in str(info.value)

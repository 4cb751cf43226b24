# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Region to host per product (public and VPC), explicit endpoints, and malformed endpoint URLs."""

from __future__ import annotations

import pytest

from ansible_collections.jobscope.cloud.plugins.module_utils import alibaba, huawei
from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError, base_url


@pytest.mark.parametrize('product, public, vpc', [
    ('emr-serverless-spark', 'https://emr-serverless-spark.cn-hangzhou.aliyuncs.com',
     'https://emr-serverless-spark-vpc.cn-hangzhou.aliyuncs.com'),
    ('pai-dlc', 'https://pai-dlc.cn-hangzhou.aliyuncs.com', 'https://pai-dlc-vpc.cn-hangzhou.aliyuncs.com'),
    ('maxcompute', 'https://maxcompute.cn-hangzhou.aliyuncs.com', 'https://maxcompute-vpc.cn-hangzhou.aliyuncs.com'),
])
def test_alibaba_region_to_public_and_vpc_hosts(product, public, vpc):
    assert alibaba.resolve_endpoint(product, {'region': 'cn-hangzhou'}, env={}) == public
    assert alibaba.resolve_endpoint(product, {'region': 'cn-hangzhou', 'endpoint_type': 'public'}, env={}) == public
    assert alibaba.resolve_endpoint(product, {'region': 'cn-hangzhou', 'endpoint_type': 'vpc'}, env={}) == vpc


def test_every_alibaba_endpoint_service_has_hosts():
    for endpoint in ENDPOINTS.values():
        if endpoint.cloud.name == 'alibaba':
            assert endpoint.service in alibaba.PRODUCT_HOSTS
            url = alibaba.resolve_endpoint(endpoint.service, {'region': 'ap-southeast-1'}, env={})
            assert url == 'https://%s.ap-southeast-1.aliyuncs.com' % endpoint.service


def test_alibaba_region_from_environment_then_profile():
    assert alibaba.resolve_endpoint('pai-dlc', {}, env={'ALIBABA_CLOUD_REGION_ID': 'cn-beijing'}) == \
        'https://pai-dlc.cn-beijing.aliyuncs.com'

    class Creds(object):
        region = 'cn-shenzhen'

    assert alibaba.resolve_endpoint('pai-dlc', {}, env={}, credentials=Creds()) == \
        'https://pai-dlc.cn-shenzhen.aliyuncs.com'
    # The option wins over both.
    assert alibaba.resolve_endpoint('pai-dlc', {'region': 'eu-central-1'},
                                    env={'ALIBABA_CLOUD_REGION_ID': 'cn-beijing'}, credentials=Creds()) == \
        'https://pai-dlc.eu-central-1.aliyuncs.com'


def test_huawei_region_to_host():
    assert huawei.resolve_endpoint('octopus', {'region': 'cn-north-11'}, env={}) == \
        'https://octopus.cn-north-11.myhuaweicloud.com'
    assert huawei.resolve_endpoint('octopus', {}, env={'HUAWEICLOUD_SDK_REGION': 'cn-south-1'}) == \
        'https://octopus.cn-south-1.myhuaweicloud.com'


@pytest.mark.parametrize('resolve, service', [(alibaba.resolve_endpoint, 'pai-dlc'),
                                              (huawei.resolve_endpoint, 'octopus')])
@pytest.mark.parametrize('endpoint, expected', [
    ('http://127.0.0.1:8080', 'http://127.0.0.1:8080'),
    ('http://127.0.0.1:8080/', 'http://127.0.0.1:8080'),
    ('https://proxy.example.com/prefix/', 'https://proxy.example.com/prefix'),
    ('  https://h.example  ', 'https://h.example'),
    ('http://[::1]:9000', 'http://[::1]:9000'),
])
def test_explicit_endpoint_overrides_region(resolve, service, endpoint, expected):
    env = {'ALIBABA_CLOUD_REGION_ID': 'cn-hangzhou', 'HUAWEICLOUD_SDK_REGION': 'cn-north-11'}
    assert resolve(service, {'endpoint': endpoint, 'region': 'cn-hangzhou', 'endpoint_type': 'vpc'},
                   env=env) == expected
    # No region needed at all with an explicit endpoint.
    assert resolve(service, {'endpoint': endpoint}, env={}) == expected


@pytest.mark.parametrize('resolve, service', [(alibaba.resolve_endpoint, 'maxcompute'),
                                              (huawei.resolve_endpoint, 'octopus')])
@pytest.mark.parametrize('endpoint', [
    'ftp://x', 'http://', 'https://', 'not a url', 'http://h:99999', 'http://h:port', 'http://h/?q=1',
    'http://h/#frag', 'https://user:pass@h', 'https://user@h', '127.0.0.1:8080', '//h', 'http://[::1',
])
def test_malformed_endpoint_fails_naming_endpoint(resolve, service, endpoint):
    with pytest.raises(OptionError) as info:
        resolve(service, {'endpoint': endpoint, 'region': 'cn-hangzhou'}, env={})
    assert info.value.option == 'endpoint'
    assert 'endpoint' in str(info.value)


def test_endpoint_error_does_not_echo_a_password():
    with pytest.raises(OptionError) as info:
        base_url('https://admin:hunter2-secret@proxy.example.com')
    assert info.value.option == 'endpoint'
    assert 'hunter2-secret' not in str(info.value)


def test_base_url_names_the_option_it_checks():
    with pytest.raises(OptionError) as info:
        base_url('ftp://x', option='wait.url')
    assert info.value.option == 'wait.url'


@pytest.mark.parametrize('resolve, service, variable', [
    (alibaba.resolve_endpoint, 'pai-dlc', 'ALIBABA_CLOUD_REGION_ID'),
    (huawei.resolve_endpoint, 'octopus', 'HUAWEICLOUD_SDK_REGION'),
])
def test_missing_region_fails_naming_region(resolve, service, variable):
    for options in ({}, {'region': None}, {'region': ''}, {'endpoint': None}, {'endpoint': ''}):
        with pytest.raises(OptionError) as info:
            resolve(service, options, env={})
        assert info.value.option == 'region'
        assert variable in str(info.value)

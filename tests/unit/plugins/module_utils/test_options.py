# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""options.build_request for each of the five endpoints: wire encodings and validation before any request."""

from __future__ import annotations

import time

import pytest

from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS
from ansible_collections.jobscope.cloud.plugins.module_utils.options import (
    OptionError, Param, build_request, check_range, parse_time)

T0 = 1700000000  # 2023-11-14T22:13:20Z
T0_ISO = '2023-11-14T22:13:20Z'

# Every filter of every endpoint, given once, with the exact path values and query expected on the wire.
FULL = {
    'emr_ray_cluster': (
        {'workspace_id': 'w-d2d82aa09155'},
        {'workspaceId': 'w-d2d82aa09155'},
        {},
    ),
    'emr_ray_job': (
        {'workspace_id': 'w-abc123', 'submission_id': 'raysubmit_1', 'name': 'my job', 'task_biz_id': 'tb-1',
         'submit_time': {'start_time': T0 * 1000, 'end_time': '2023-11-14T23:13:20Z'}},
        {'workspaceId': 'w-abc123'},
        {'submissionId': 'raysubmit_1', 'name': 'my job', 'taskBizId': 'tb-1',
         'submitTime': '{"endTime":%d,"startTime":%d}' % ((T0 + 3600) * 1000, T0 * 1000)},
    ),
    'pai_dlc_job': (
        {'display_name': 'tf-mnist', 'job_type': 'PyTorchJob', 'status': 'Running', 'start_time': T0,
         'end_time': '2023-11-15T08:13:20+08:00', 'sort_by': 'GmtCreateTime', 'order': 'desc', 'show_own': True,
         'workspace_id': '86995', 'resource_id': 'quota-1', 'business_user_id': '16001', 'caller': 'local',
         'tags': {'team': 'ml a', 'env': 'prod'}, 'pipeline_id': 'flow-1', 'from_all_workspaces': False,
         'job_id': 'dlc-1', 'user_id_for_filter': '2001', 'username': 'alice', 'resource_quota_name': 'quota',
         'accessibility': 'PRIVATE', 'oversold_info': 'AcceptQuotaOverSold-true',
         'display_name_search_mode': 'exact', 'time_range_field': 'GmtFinishTime', 'resource_ids': ['q-1', 'q-2'],
         'template_id': 'tpl-1', 'job_ids': ['dlc-1', 'dlc-2'], 'payment_type': 'Spot', 'description': 'nightly a',
         'enable_assign_node': 'true', 'image_search': 'pytorch', 'reason_search': 'OOM',
         'user_command_search': 'train.py', 'numeric_range_field': 'Priority', 'numeric_range_min': 1,
         'numeric_range_max': 9},
        {},
        {'DisplayName': 'tf-mnist', 'JobType': 'PyTorchJob', 'Status': 'Running', 'StartTime': T0_ISO,
         'EndTime': '2023-11-15T00:13:20Z', 'SortBy': 'GmtCreateTime', 'Order': 'desc', 'ShowOwn': 'True',
         'WorkspaceId': '86995', 'ResourceId': 'quota-1', 'BusinessUserId': '16001', 'Caller': 'local',
         'Tags': '{"team":"ml a","env":"prod"}', 'PipelineId': 'flow-1', 'FromAllWorkspaces': 'False',
         'JobId': 'dlc-1', 'UserIdForFilter': '2001', 'Username': 'alice', 'ResourceQuotaName': 'quota',
         'Accessibility': 'PRIVATE', 'OversoldInfo': 'AcceptQuotaOverSold-true',
         'DisplayNameSearchMode': 'exact', 'TimeRangeField': 'GmtFinishTime', 'ResourceIds': 'q-1,q-2',
         'TemplateId': 'tpl-1', 'JobIds': 'dlc-1,dlc-2', 'PaymentType': 'Spot', 'Description': 'nightly a',
         'EnableAssignNode': 'true', 'ImageSearch': 'pytorch', 'ReasonSearch': 'OOM',
         'UserCommandSearch': 'train.py', 'NumericRangeField': 'Priority', 'NumericRangeMin': '1',
         'NumericRangeMax': '9'},
    ),
    'maxcompute_running_job': (
        {'from_time': T0, 'to_time': '2023-11-14T23:13:20Z', 'job_owner_list': ['ALIYUN$a@b.com', 'RAM$x:y'],
         'quota_nickname_list': ['q1', 'q 2']},
        {},
        {'from': str(T0), 'to': str(T0 + 3600), 'jobOwnerList': 'ALIYUN$a@b.com,RAM$x:y',
         'quotaNicknameList': 'q1,q 2'},
    ),
    # Ray's filters are applied on the controller: nothing is sent (tests/unit/.../test_ray.py matches them).
    'ray_job': (
        {'status': 'RUNNING', 'submission_id': 'raysubmit_1', 'type': 'SUBMISSION', 'entrypoint': 'python',
         'metadata': {'team': 'ml'}},
        {},
        {},
    ),
    'octopus_queued_job': (
        {'queue_type': 'USER', 'job_id': 42, 'output_type': 'ONLINE', 'job_type': 'train', 'data_id': 'd-1',
         'processor_name': 'my proc', 'cluster_type': 'MODELARTS', 'cluster_id': 'c-1'},
        {},
        {'queue_type': 'USER', 'job_id': '42', 'output_type': 'ONLINE', 'job_type': 'train', 'data_id': 'd-1',
         'processor_name': 'my proc', 'cluster_type': 'MODELARTS', 'cluster_id': 'c-1'},
    ),
}


def test_the_table_covers_every_endpoint_and_every_param():
    assert set(FULL) == set(ENDPOINTS)
    for name, (params, _path, _query) in FULL.items():
        assert set(params) == set(param.option for param in ENDPOINTS[name].params), name


@pytest.mark.parametrize('name', sorted(FULL))
def test_every_param_encodes_as_documented(name):
    params, path_values, query = FULL[name]
    assert build_request(ENDPOINTS[name], params) == (path_values, query)
    # Every value on the wire is a string (what is signed is what is sent).
    for value in query.values():
        assert isinstance(value, str)


@pytest.mark.parametrize('name', sorted(FULL))
def test_only_required_params(name):
    endpoint = ENDPOINTS[name]
    required = dict((param.option, FULL[name][0][param.option]) for param in endpoint.params if param.required)
    path_values, query = build_request(endpoint, required)
    expected_path, expected_query = FULL[name][1], FULL[name][2]
    assert path_values == expected_path
    assert query == dict((param.wire, expected_query[param.wire]) for param in endpoint.params
                         if param.required and not param.in_path)


@pytest.mark.parametrize('name, option', [
    (name, param.option) for name, endpoint in sorted(ENDPOINTS.items()) for param in endpoint.params
    if param.required
])
def test_missing_required_param_fails_naming_it(name, option):
    params = dict(FULL[name][0])
    del params[option]
    with pytest.raises(OptionError) as info:
        build_request(ENDPOINTS[name], params)
    assert info.value.option == option
    assert option in str(info.value)


def test_numeric_range_needs_its_field_and_an_order():
    endpoint = ENDPOINTS['pai_dlc_job']
    for bound in ('numeric_range_min', 'numeric_range_max'):
        with pytest.raises(OptionError) as info:
            build_request(endpoint, {bound: 3})
        assert info.value.option == bound and 'numeric_range_field' in str(info.value)
    with pytest.raises(OptionError) as info:
        build_request(endpoint, {'numeric_range_field': 'Priority', 'numeric_range_min': 5, 'numeric_range_max': 4})
    assert info.value.option == 'numeric_range_min'


def test_open_value_lists_send_values_the_sdk_does_not_list():
    # DLC adds job types and statuses; a value newer than the SDK's list is sent, not refused.
    endpoint = ENDPOINTS['pai_dlc_job']
    query = build_request(endpoint, {'job_type': 'DataJuicerJob', 'status': 'Suspended',
                                     'time_range_field': 'GmtFinishTime', 'sort_by': 'Duration'})[1]
    assert query == {'JobType': 'DataJuicerJob', 'Status': 'Suspended', 'TimeRangeField': 'GmtFinishTime',
                     'SortBy': 'Duration'}
    with pytest.raises(OptionError):
        build_request(endpoint, {'order': 'up'})


def test_unset_and_empty_collections_are_not_sent():
    endpoint = ENDPOINTS['pai_dlc_job']
    assert build_request(endpoint, {'tags': {}, 'display_name': None, 'show_own': None}) == ({}, {})
    endpoint = ENDPOINTS['maxcompute_running_job']
    _path, query = build_request(endpoint, {'from_time': 1, 'to_time': 2, 'job_owner_list': [],
                                            'quota_nickname_list': None})
    assert query == {'from': '1', 'to': '2'}
    endpoint = ENDPOINTS['emr_ray_job']
    _path, query = build_request(endpoint, {'workspace_id': 'w', 'submit_time': {}})
    assert query == {}
    _path, query = build_request(endpoint, {'workspace_id': 'w', 'submit_time': {'start_time': None,
                                                                                 'end_time': None}})
    assert query == {}


def test_booleans_are_sent_as_the_sdk_sends_them():
    # The Alibaba SDKs str() a Python bool; the services read it case-insensitively.
    endpoint = ENDPOINTS['pai_dlc_job']
    assert build_request(endpoint, {'show_own': True, 'from_all_workspaces': False})[1] == {
        'ShowOwn': 'True', 'FromAllWorkspaces': 'False'}


def test_tags_are_compact_json_in_the_given_order_with_unescaped_unicode():
    # As the SDK's array_to_string_with_specified_style(..., 'json'): the user's key order is kept.
    endpoint = ENDPOINTS['pai_dlc_job']
    query = build_request(endpoint, {'tags': {'z': '1', u'\u540d': u'\u503c', 'a': 'x y', 'n': 3}})[1]
    assert query == {'Tags': u'{"z":"1","\u540d":"\u503c","a":"x y","n":3}'}


def test_submit_time_with_only_one_bound():
    endpoint = ENDPOINTS['emr_ray_job']
    query = build_request(endpoint, {'workspace_id': 'w', 'submit_time': {'start_time': T0 * 1000}})[1]
    assert query == {'submitTime': '{"startTime":%d}' % (T0 * 1000)}


def test_workspace_id_is_percent_encoded_in_the_path():
    endpoint = ENDPOINTS['emr_ray_job']
    path_values, query = build_request(endpoint, {'workspace_id': u'w/1 2?#%\u00e4~'})
    assert path_values == {'workspaceId': 'w%2F1%202%3F%23%25%C3%A4~'}
    assert query == {}
    assert endpoint.path.format(**path_values) == '/api/v1/workspaces/w%2F1%202%3F%23%25%C3%A4~/rayJob'


# --- Times --------------------------------------------------------------------------------------

@pytest.mark.parametrize('raw, expected', [
    (T0 * 1000, T0 * 1000),
    (str(T0 * 1000), T0 * 1000),
    (T0 * 1000 + 1, T0 * 1000 + 1),
    (T0_ISO, T0 * 1000),
    ('2023-11-15T06:13:20+08:00', T0 * 1000),
    ('2023-11-14T17:13:20-05:00', T0 * 1000),
    ('2023-11-14T22:13:20.250Z', T0 * 1000 + 250),
    ('2023-11-14T22:13:20', T0 * 1000),  # naive ISO is UTC
    ('2023-11-14t22:13:20z', T0 * 1000),
])
def test_millisecond_times(raw, expected):
    endpoint = ENDPOINTS['emr_ray_job']
    query = build_request(endpoint, {'workspace_id': 'w', 'submit_time': {'start_time': raw}})[1]
    assert query == {'submitTime': '{"startTime":%d}' % expected}


@pytest.mark.parametrize('raw, expected', [
    (T0, T0),
    (str(T0), T0),
    (float(T0) + 0.9, T0),
    (T0_ISO, T0),
    ('2023-11-15T06:13:20+08:00', T0),
    (' %s ' % T0_ISO, T0),
])
def test_second_times(raw, expected):
    endpoint = ENDPOINTS['maxcompute_running_job']
    query = build_request(endpoint, {'from_time': raw, 'to_time': T0 + 10})[1]
    assert query['from'] == str(expected)


@pytest.mark.parametrize('raw, expected', [
    (T0, T0_ISO),
    (str(T0), T0_ISO),
    (T0_ISO, T0_ISO),
    ('2023-11-15T06:13:20+08:00', T0_ISO),
    ('2023-11-14T22:13:20.999Z', T0_ISO),
])
def test_iso_times(raw, expected):
    endpoint = ENDPOINTS['pai_dlc_job']
    assert build_request(endpoint, {'start_time': raw})[1] == {'StartTime': expected}


@pytest.mark.parametrize('raw, offset', [('-2h', 7200), ('-30m', 1800), ('-45s', 45), ('-1d', 86400),
                                         ('-1w', 604800)])
def test_relative_times(raw, offset):
    endpoint = ENDPOINTS['maxcompute_running_job']
    before = time.time()
    query = build_request(endpoint, {'from_time': raw, 'to_time': 'now'})[1]
    after = time.time()
    assert int(before) - offset - 1 <= int(query['from']) <= int(after) - offset
    assert int(before) - 1 <= int(query['to']) <= int(after)


def test_relative_millisecond_time():
    before = time.time()
    query = build_request(ENDPOINTS['emr_ray_job'], {'workspace_id': 'w', 'submit_time': {'start_time': '-2h'}})[1]
    after = time.time()
    value = int(query['submitTime'].split(':')[1].rstrip('}'))
    assert (before - 7200) * 1000 - 1 <= value <= (after - 7200) * 1000 + 1


@pytest.mark.parametrize('raw', ['yesterday', '', '  ', '2h', '+2h', '-2y', '2023-13-01T00:00:00Z', True, False,
                                 '1e10', '99999999999999999999999'])
def test_bad_time_fails_naming_the_option(raw):
    with pytest.raises(OptionError) as info:
        build_request(ENDPOINTS['maxcompute_running_job'], {'from_time': raw, 'to_time': T0})
    assert info.value.option == 'from_time'
    assert 'from_time' in str(info.value)


def test_bad_field_time_names_the_field():
    with pytest.raises(OptionError) as info:
        build_request(ENDPOINTS['emr_ray_job'], {'workspace_id': 'w', 'submit_time': {'end_time': 'soon'}})
    assert info.value.option == 'submit_time.end_time'
    assert 'milliseconds' in str(info.value)


def test_parse_time_reads_numbers_in_the_given_unit():
    assert parse_time(T0 * 1000, 'x', 'ms') == parse_time(T0, 'x', 's')


# --- Order and emptiness ------------------------------------------------------------------------

def test_from_time_after_to_time_fails_naming_from_time():
    with pytest.raises(OptionError) as info:
        build_request(ENDPOINTS['maxcompute_running_job'], {'from_time': T0 + 1, 'to_time': T0})
    assert info.value.option == 'from_time'
    assert 'to_time' in str(info.value)
    # The comparison is between instants, not the strings given.
    build_request(ENDPOINTS['maxcompute_running_job'], {'from_time': '2023-11-15T06:13:20+08:00',
                                                        'to_time': '2023-11-14T23:00:01Z'})


@pytest.mark.parametrize('window', [(1700000000, 1700000000), ('2023-11-14T22:13:20Z', 1700000000),
                                    ('2023-11-15T06:13:20+08:00', '2023-11-14T22:13:20Z'), ('now', 'now')])
def test_an_empty_maxcompute_window_is_refused_naming_from_time(window):
    """MaxCompute answers from == to with null data; the option is refused before any request."""
    with pytest.raises(OptionError) as info:
        build_request(ENDPOINTS['maxcompute_running_job'], {'from_time': window[0], 'to_time': window[1]})
    assert info.value.option == 'from_time' and 'to_time' in str(info.value)


@pytest.mark.parametrize('value', ['.', '..', ' .. ', '', '  '])
def test_dot_segments_and_empty_path_parameters_are_refused_naming_the_option(value):
    with pytest.raises(OptionError) as info:
        build_request(ENDPOINTS['emr_ray_cluster'], {'workspace_id': value})
    assert info.value.option == 'workspace_id'


@pytest.mark.parametrize('value', [float('nan'), float('inf'), float('-inf'), True, 'x'])
def test_float_options_refuse_nan_and_infinity(value):
    from ansible_collections.jobscope.cloud.plugins.module_utils.options import check_finite
    with pytest.raises(OptionError) as info:
        check_finite({'deadline': value}, 'deadline', 1, 86400)
    assert info.value.option == 'deadline'
    check_finite({'deadline': 2.5}, 'deadline', 1, 86400)


def test_dlc_start_after_end_fails_naming_start_time():
    with pytest.raises(OptionError) as info:
        build_request(ENDPOINTS['pai_dlc_job'], {'start_time': '2024-01-02T00:00:00Z',
                                                 'end_time': '2024-01-01T00:00:00Z'})
    assert info.value.option == 'start_time'
    # Offsets are compared as instants: 2024-01-01T23:00:00-05:00 is after 2024-01-02T00:00:00Z.
    build_request(ENDPOINTS['pai_dlc_job'], {'start_time': '2024-01-02T00:00:00Z',
                                             'end_time': '2024-01-01T23:00:00-05:00'})


def test_submit_time_start_after_end_fails():
    with pytest.raises(OptionError) as info:
        build_request(ENDPOINTS['emr_ray_job'], {'workspace_id': 'w', 'submit_time': {
            'start_time': T0 * 1000 + 1, 'end_time': T0 * 1000}})
    assert info.value.option == 'submit_time'
    assert 'submit_time.start_time' in str(info.value)
    assert 'submit_time.end_time' in str(info.value)


@pytest.mark.parametrize('name, option', [
    ('emr_ray_cluster', 'workspace_id'), ('emr_ray_job', 'name'), ('emr_ray_job', 'submission_id'),
    ('pai_dlc_job', 'display_name'), ('pai_dlc_job', 'job_id'), ('octopus_queued_job', 'queue_type'),
    ('octopus_queued_job', 'processor_name'),
])
@pytest.mark.parametrize('empty', ['', '   ', '\t\n'])
def test_empty_strings_fail_naming_the_option(name, option, empty):
    params = dict(FULL[name][0])
    params[option] = empty
    with pytest.raises(OptionError) as info:
        build_request(ENDPOINTS[name], params)
    assert info.value.option == option
    assert option in str(info.value)


@pytest.mark.parametrize('option', ['job_owner_list', 'quota_nickname_list'])
@pytest.mark.parametrize('items', [['a,b'], ['ok', ''], [','], ['x', 'y,']])
def test_list_items_with_commas_or_empty_fail_naming_the_option(option, items):
    params = {'from_time': T0, 'to_time': T0 + 1, option: items}
    with pytest.raises(OptionError) as info:
        build_request(ENDPOINTS['maxcompute_running_job'], params)
    assert info.value.option == option
    assert option in str(info.value)


def test_negative_octopus_job_id_fails():
    with pytest.raises(OptionError) as info:
        build_request(ENDPOINTS['octopus_queued_job'], {'queue_type': 'USER', 'job_id': -1})
    assert info.value.option == 'job_id'
    assert build_request(ENDPOINTS['octopus_queued_job'], {'queue_type': 'USER', 'job_id': 0})[1]['job_id'] == '0'


# --- Specs --------------------------------------------------------------------------------------

def test_param_specs_for_ansible():
    assert Param('x', 'X', kind='list').spec() == {'type': 'list', 'required': False, 'elements': 'str'}
    assert Param('x', 'X', kind='time', required=True).spec() == {'type': 'raw', 'required': True}
    assert Param('x', 'X', choices=('a', 'b')).spec() == {'type': 'str', 'required': False, 'choices': ['a', 'b']}
    submit = [param for param in ENDPOINTS['emr_ray_job'].params if param.option == 'submit_time'][0]
    assert submit.spec() == {'type': 'dict', 'required': False, 'options': {
        'start_time': {'type': 'raw', 'required': False}, 'end_time': {'type': 'raw', 'required': False}}}


def test_check_range():
    check_range({'page_size': 5}, 'page_size', 1, 20)
    check_range({}, 'page_size', 1, 20)
    for value in (0, 21, -1):
        with pytest.raises(OptionError) as info:
            check_range({'page_size': value}, 'page_size', 1, 20, ' for GetRunningJobs')
        assert info.value.option == 'page_size'
        assert 'between 1 and 20 for GetRunningJobs' in str(info.value)


# --- Round trips (property-based) ---------------------------------------------------------------

def _hypothesis():
    return pytest.importorskip('hypothesis')


def test_epoch_numbers_round_trip_exactly():
    _hypothesis()
    from hypothesis import given, settings, strategies as st

    ms_param = Param('t', 't', kind='time', unit='ms')
    s_param = Param('t', 't', kind='time', unit='s')
    iso_param = Param('t', 't', kind='time', unit='iso')

    @settings(max_examples=200, deadline=None, database=None)
    @given(ms=st.integers(min_value=0, max_value=4102444800000))
    def check(ms):
        assert ms_param.value(ms) == ms
        assert ms_param.value(str(ms)) == ms
        assert s_param.value(ms // 1000) == ms // 1000
        iso = iso_param.value(ms // 1000)
        assert s_param.value(iso) == ms // 1000
        assert ms_param.value(iso) == (ms // 1000) * 1000

    check()

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fuzzing response parsing (issue 6): generated bodies through Transport, list_all and the Shaper.

The session is real (requests prepares every request) and only the network is replaced: an adapter answers
each request with a generated status, headers and body - arbitrary JSON, near misses of each endpoint's
page shape (missing keys, wrong types, huge numbers, non-dict items, unhashable IDs), vendor error bodies
with odd codes, and text that is not JSON at all. Whatever comes back, a listing either completes or fails
with a CloudError: never any other exception, and never an unbounded number of requests.
"""

from __future__ import annotations

import itertools
import json
import os

import pytest

pytest.importorskip('hypothesis')
requests = pytest.importorskip('requests')

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402
from requests.adapters import BaseAdapter  # noqa: E402
from requests.structures import CaseInsensitiveDict  # noqa: E402

from ansible_collections.jobscope.cloud.plugins.module_utils import alibaba, huawei, ray  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.paging import list_all  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.shaping import Shaper, snake  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import CloudError, Transport  # noqa: E402

# The hypothesis profile of this test (the profiles themselves are in tests/unit/conftest.py). Its time goes
# mostly into generating the answers, not into the code under test: under cProfile, drawing the data took 92%
# of it at 300 listings per endpoint. So the CI profile keeps what finds bugs - 300 generated listings per
# endpoint, each answer drawn from every kind below (statuses, retry headers, near-miss pages, error envelopes,
# deep nesting, non-JSON) - and draws the arbitrary JSON inside them smaller (trees of at most 6 leaves instead
# of 20). Line and branch coverage of transport, paging, shaping and the two clouds by this file, measured with
# coverage.py: 69% with these settings, 70% with 20 leaves, 68% with 150 listings of 6 leaves.
#   ci          the default, and what `make units` runs on every ansible-core version of the matrix:
#               derandomized, so CI passes or fails the same way on every run of the same code
#   thorough    1000 listings per endpoint from JSON trees of up to 20 leaves, random seeds, for a deeper run
#               by hand: HYPOTHESIS_PROFILE=thorough python -m pytest tests/unit/plugins/module_utils/test_fuzz_responses.py
PROFILES = {'ci': {'examples': 300, 'leaves': 6}, 'thorough': {'examples': 1000, 'leaves': 20}}
PROFILE = PROFILES.get(os.environ.get('HYPOTHESIS_PROFILE', 'ci'), PROFILES['ci'])
SETTINGS = settings(max_examples=PROFILE['examples'], deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# More requests than this for one listing means the pager trusted a garbled total or never stopped.
REQUEST_LIMIT = 200

SCALARS = st.one_of(
    st.none(), st.booleans(),
    st.integers(), st.integers(min_value=-2 ** 64, max_value=2 ** 64), st.just(10 ** 400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.sampled_from(['', '0', '-1', '1e999', 'NaN', 'https://[::1?token=x',
                                          'https://h.example/?token=abc&x=1', '?token=', 'token=token=']),
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=PROFILE['leaves'])


def put(body, path, value):
    """Set a dotted path in a dict body, making dicts on the way; no path: the value is the body (Ray)."""
    if path is None:
        return value
    keys = path.split('.')
    node = body
    for key in keys[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node[keys[-1]] = value
    return body


@st.composite
def items(draw, endpoint):
    """A page's items: dicts with the endpoint's ID (of any type) and secret fields (of any type), and
    things that are not dicts at all."""
    def item(identifier, extra):
        value = dict(extra)
        value[endpoint.item_id] = identifier
        for path in endpoint.secrets:
            if draw(st.booleans()):
                put(value, path, draw(JSON))
        return value
    one = st.builds(item, st.one_of(st.integers(min_value=0, max_value=30), st.text(max_size=3), JSON),
                    st.dictionaries(st.text(max_size=8), JSON, max_size=3))
    return draw(st.lists(st.one_of(one, one, JSON), max_size=12))


@st.composite
def page_bodies(draw, endpoint):
    kind = draw(st.integers(min_value=0, max_value=5))
    if kind == 0:
        return json.dumps(draw(JSON))
    if kind in (1, 2) and endpoint.items is None:
        return json.dumps(draw(st.one_of(items(endpoint), items(endpoint), JSON)))
    if kind == 1:
        body = draw(st.dictionaries(st.text(max_size=8), JSON, max_size=3))
        put(body, endpoint.items, draw(items(endpoint)))
        if endpoint.total and draw(st.booleans()):
            put(body, endpoint.total, draw(st.one_of(SCALARS, st.integers(min_value=0, max_value=10 ** 30))))
        return json.dumps(body)
    if kind == 2:
        body = {}
        put(body, endpoint.items, draw(st.one_of(JSON, items(endpoint))))
        if endpoint.total:
            put(body, endpoint.total, draw(JSON))
        return json.dumps(body)
    if kind == 3:
        # MaxCompute's and Alibaba's error envelopes with odd values, even on HTTP 200.
        return json.dumps(draw(st.fixed_dictionaries({}, optional={
            'Code': JSON, 'code': JSON, 'Message': JSON, 'RequestId': JSON, 'requestId': JSON,
            'errorCode': JSON, 'errorMsg': JSON, 'httpCode': JSON, 'error_code': JSON, 'error_msg': JSON,
            'request_id': JSON})))
    if kind == 4:
        depth = draw(st.integers(min_value=1, max_value=5000))
        return draw(st.sampled_from(['[' * depth + ']' * depth, '{"a":' * depth + '1' + '}' * depth,
                                     '[' * depth]))
    return draw(st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda raw: raw.decode('latin-1'))))


@st.composite
def answers(draw, endpoint):
    status = draw(st.sampled_from([200, 200, 200, 200, 400, 403, 404, 429, 500, 502, 503, 504]))
    names = st.sampled_from(['Retry-After', 'x-acs-retry-after', 'X-Request-Id', 'x-acs-request-id', 'Content-Type'])
    values = st.one_of(st.text(max_size=12), st.sampled_from(['1', '0', '-1', 'inf', 'nan', '1e999', '99999999999']))
    headers = draw(st.dictionaries(names, values, max_size=3))
    return status, headers, draw(page_bodies(endpoint))


class RawBody(object):
    """What the transport reads of urllib3's response: raw (undecoded) chunks."""

    def __init__(self, data):
        self.data = data

    def read(self, amt=None, decode_content=True):
        chunk, self.data = self.data[:amt], self.data[amt:]
        return chunk

    def release_conn(self):
        pass

    def close(self):
        pass


class ScriptedAdapter(BaseAdapter):
    """Answers every request from a cycle of generated answers; counts requests."""

    def __init__(self, script):
        super(ScriptedAdapter, self).__init__()
        self.script = itertools.cycle(script)
        self.sent = 0

    def send(self, request, **kwargs):
        self.sent += 1
        if self.sent > REQUEST_LIMIT:
            raise AssertionError('more than %d requests for one listing' % REQUEST_LIMIT)
        status, headers, text = next(self.script)
        response = requests.Response()
        response.status_code = status
        response.raw = RawBody(text.encode('utf-8', 'surrogatepass'))
        response.headers = CaseInsensitiveDict(headers)
        response.encoding = 'utf-8'
        response.request = request
        response.url = request.url
        return response

    def close(self):
        pass


def dialect_for(endpoint):
    if endpoint.cloud.name == 'ray':
        return ray.RayDialect('https://api.example.com', endpoint.action, None,
                              ray.Credentials('https://api.example.com', [('token', 'tok')], {}, 'test'))
    if endpoint.cloud.name == 'huawei':
        return huawei.HuaweiDialect('https://octopus.cn-north-11.myhuaweicloud.com', endpoint.action, None,
                                    huawei.Credentials('AK', 'SK', project_id='p'))
    return alibaba.AlibabaDialect('https://api.example.com', endpoint.action, endpoint.version,
                                  alibaba.Credentials('AK', 'SK'))


def run_listing(endpoint, script, page_size, max_items, concurrency, max_retries, redact):
    transport = Transport(dialect_for(endpoint), max_retries=max_retries, sleep=lambda seconds: None,
                          pool_size=concurrency)
    adapter = ScriptedAdapter(script)
    transport.session.mount('https://', adapter)

    def fetch(page_params, limiter, check):
        return transport.get(endpoint.action, '/path', dict(page_params), limiter=limiter, check=check)

    try:
        return list_all(endpoint, fetch, Shaper(endpoint.secrets, endpoint.keep, redact=redact), page_size,
                        max_items, concurrency, recheck=True)
    finally:
        transport.close()


@pytest.mark.parametrize('name', sorted(ENDPOINTS))
def test_generated_responses_give_a_listing_or_a_cloud_error(name):
    endpoint = ENDPOINTS[name]

    @SETTINGS
    @given(script=st.lists(answers(endpoint), min_size=1, max_size=4),
           page_size=st.integers(min_value=1, max_value=endpoint.paging.maximum),
           max_items=st.one_of(st.none(), st.integers(min_value=1, max_value=50)),
           concurrency=st.integers(min_value=1, max_value=8), max_retries=st.integers(min_value=0, max_value=2),
           redact=st.booleans())
    def check(script, page_size, max_items, concurrency, max_retries, redact):
        try:
            listing = run_listing(endpoint, script, page_size, max_items, concurrency, max_retries, redact)
        except (CloudError, OptionError) as exc:
            assert str(exc)
            return
        assert isinstance(listing.items, list)
        assert listing.complete in (True, False)
        json.dumps(listing.items)  # a module can return it

    check()


@pytest.mark.parametrize('total', [10 ** 30, 10 ** 12, float('inf'), 1e308, '1e999', -5, 'many', [3], {'n': 1}])
@pytest.mark.parametrize('name', [name for name in sorted(ENDPOINTS) if ENDPOINTS[name].total])
def test_a_garbled_total_neither_crashes_nor_pages_forever(name, total):
    """A total far beyond the items there are (or not a number at all): the listing ends at the first
    empty page, or fails with a CloudError - it does not queue 10**28 page requests."""
    endpoint = ENDPOINTS[name]
    first = put({}, endpoint.items, [{endpoint.item_id: 'a'}, {endpoint.item_id: 'b'}])
    put(first, endpoint.total, total)
    empty = put({}, endpoint.items, [])
    put(empty, endpoint.total, total)
    script = [(200, {}, json.dumps(first))] + [(200, {}, json.dumps(empty))] * 3
    try:
        listing = run_listing(endpoint, script, 2, None, 4, 0, True)
    except CloudError:
        return
    assert [item[snake(endpoint.item_id)] for item in listing.items][:2] == ['a', 'b']
    assert listing.complete is False or listing.total in (None, -5)


@pytest.mark.parametrize('name', sorted(ENDPOINTS))
@pytest.mark.parametrize('identifier', [['a'], {'a': 1}, [['nested']]])
def test_an_item_id_that_is_a_list_or_a_dict_does_not_crash_the_deduplication(name, identifier):
    endpoint = ENDPOINTS[name]
    body = put({}, endpoint.items, [{endpoint.item_id: identifier}, {endpoint.item_id: identifier}])
    if endpoint.total:
        put(body, endpoint.total, 2)
    listing = run_listing(endpoint, [(200, {}, json.dumps(body))], 10, None, 2, 0, True)
    assert len(listing.items) in (1, 2)


@pytest.mark.parametrize('text', ['[' * 100000, '{"a":' * 100000, '[' * 3000 + ']' * 3000])
def test_deeply_nested_bodies_are_a_cloud_error_or_a_listing(text):
    endpoint = ENDPOINTS['emr_ray_job']
    try:
        run_listing(endpoint, [(200, {}, text)], 10, None, 1, 0, True)
    except CloudError as exc:
        assert 'malformed' in str(exc)


@pytest.mark.parametrize('body', [
    {'Code': ['Throttling'], 'Message': 'a list for a code'},
    {'Code': {'x': 1}, 'Message': {'y': 2}, 'RequestId': ['r']},
    {'errorCode': 'Busy', 'httpCode': '503', 'errorMsg': 'a string for an HTTP status'},
    {'errorCode': 'Busy', 'httpCode': {'status': 503}},
    {'errorCode': ['x'], 'httpCode': 400},
    {'error_code': ['APIG.0308'], 'error_msg': None},
])
@pytest.mark.parametrize('status', [200, 400, 503])
def test_error_bodies_with_odd_types_are_cloud_errors(body, status):
    for name in ('maxcompute_running_job', 'octopus_queued_job'):
        endpoint = ENDPOINTS[name]
        try:
            run_listing(endpoint, [(status, {}, json.dumps(body))], 10, None, 1, 1, True)
        except CloudError as exc:
            assert str(exc)

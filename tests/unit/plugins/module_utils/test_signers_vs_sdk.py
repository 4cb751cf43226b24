# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Property-based comparison of both signers with the vendors' own (test-only dependencies).

Alibaba: ``alibabacloud_tea_openapi.utils.Utils.get_authorization`` over a ``darabonba.request.DaraRequest``.
Huawei: ``huaweicloudsdkcore.signer.signer.Signer(BasicCredentials(ak, sk)).sign(SdkRequest(...))``, which
also yields the request URI the SDK sends.
"""

from __future__ import annotations

import datetime
import hashlib
import string

from urllib.parse import quote

import pytest

hypothesis = pytest.importorskip('hypothesis')

from hypothesis import example, given, settings, strategies as st  # noqa: E402

from ansible_collections.jobscope.cloud.plugins.module_utils import alibaba, huawei  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import EMR_WORKSPACE  # noqa: E402

SETTINGS = settings(max_examples=200, deadline=None, database=None)

RESERVED = u"!*'();:@&=+$,/?#[]%~ "
# Arbitrary Unicode (no lone surrogates: they cannot be UTF-8 encoded by anyone), with reserved
# characters, spaces and astral characters made likely.
VALUE = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(list(RESERVED) + [u'\u00e4', u'\u8bad', u'\U0001F600', u'\U00010348', u'a'])),
    st.just(u''),
)
IDENT = st.text(alphabet=string.ascii_letters + string.digits + '_', min_size=1, max_size=20)
HEADER_NAME = st.text(alphabet=string.ascii_letters + string.digits + '-', min_size=1, max_size=16)
HEADER_VALUE = st.text(alphabet=st.characters(blacklist_categories=('Cs',), blacklist_characters='\r\n'),
                       max_size=40)
SECRET = st.text(alphabet=string.ascii_letters + string.digits + '+/=', min_size=1, max_size=40)
PATH_SEGMENT = st.text(min_size=0, max_size=12)


@st.composite
def encoded_paths(draw):
    """Paths as they are sent: each segment percent-encoded (so may contain %2F, %20, %25, ...)."""
    segments = draw(st.lists(PATH_SEGMENT, min_size=0, max_size=5))
    path = '/' + '/'.join(quote(segment, safe='~') for segment in segments)
    if draw(st.booleans()):
        path += '/'
    return path


@st.composite
def alibaba_headers(draw, payload_hash):
    headers = {
        'host': draw(st.sampled_from(['pai-dlc.cn-hangzhou.aliyuncs.com', '127.0.0.1:8080'])),
        'x-acs-action': draw(st.sampled_from(['ListJobs', 'ListRayJob', 'GetRunningJobs'])),
        'x-acs-version': '2020-12-03',
        'x-acs-date': '2024-01-01T00:00:00Z',
        'x-acs-signature-nonce': draw(st.text(alphabet='0123456789abcdef', min_size=32, max_size=32)),
        'x-acs-content-sha256': payload_hash,
    }
    if draw(st.booleans()):
        headers['x-acs-security-token'] = draw(SECRET)
    extra = draw(st.dictionaries(HEADER_NAME, HEADER_VALUE, max_size=4))
    taken = set(headers)
    for name, value in extra.items():
        # One spelling per header name: the SDK merges repeated names, a dict cannot hold them anyway.
        if name.lower() not in taken:
            taken.add(name.lower())
            headers[name] = value
    return headers


# --- Alibaba ------------------------------------------------------------------------------------

def _alibaba_sdk():
    utils = pytest.importorskip('alibabacloud_tea_openapi.utils')
    request = pytest.importorskip('darabonba.request')
    return utils.Utils, request.DaraRequest


def _sdk_authorization(path, query, headers, payload_hash, ak, sk):
    utils, dara_request = _alibaba_sdk()
    request = dara_request()
    request.method = 'GET'
    request.pathname = path
    request.query = dict(query)
    request.headers = dict(headers)
    return utils.get_authorization(request, 'ACS3-HMAC-SHA256', payload_hash, ak, sk)


@SETTINGS
@given(data=st.data(),
       query=st.dictionaries(st.one_of(IDENT, st.text(min_size=1, max_size=8)),
                             st.one_of(VALUE, st.none()), max_size=30),
       path=encoded_paths(), ak=SECRET, sk=SECRET, body=st.one_of(st.just(b''), st.binary(max_size=64)))
def test_alibaba_authorization_matches_tea_openapi(data, query, path, ak, sk, body):
    _alibaba_sdk()
    payload_hash = hashlib.sha256(body).hexdigest()
    headers = data.draw(alibaba_headers(payload_hash))
    ours = alibaba.authorization('GET', path, alibaba.canonical_query(query), headers, ak, sk)
    theirs = _sdk_authorization(path, query, headers, payload_hash, ak, sk)
    assert ours == theirs


@SETTINGS
@given(query=st.dictionaries(IDENT, VALUE, min_size=20, max_size=60), sk=SECRET)
@example(query={'a': u"\U0001F600 !*'();:@&=+$,/?#[]%~", 'b': '', 'C': u'\u8bad\u7ec3 \u00e4', 'd': 'x y'},
         sk='SK')
def test_alibaba_many_parameters_match_tea_openapi(query, sk):
    _alibaba_sdk()
    headers = {'host': 'maxcompute.cn-hangzhou.aliyuncs.com', 'x-acs-action': 'GetRunningJobs',
               'x-acs-version': '2022-01-04', 'x-acs-date': '2024-01-01T00:00:00Z',
               'x-acs-signature-nonce': 'n', 'x-acs-content-sha256': alibaba.EMPTY_SHA256}
    ours = alibaba.authorization('GET', '/api/v1/jobs/runningJobs', alibaba.canonical_query(query), headers,
                                 'AK', sk)
    assert ours == _sdk_authorization('/api/v1/jobs/runningJobs', query, headers, alibaba.EMPTY_SHA256, 'AK', sk)


@SETTINGS
@given(query=st.dictionaries(IDENT, st.one_of(VALUE, st.none()), max_size=12),
       token=st.one_of(st.none(), SECRET), workspace=st.text(min_size=1).filter(lambda text: text.strip()))
def test_alibaba_dialect_request_matches_tea_openapi(query, token, workspace):
    """The whole signed request of the dialect: the SDK, given the path and headers we send, agrees."""
    _alibaba_sdk()
    darabonba_url = pytest.importorskip('darabonba.url')
    # A path parameter is encoded as the vendor SDK encodes it (DaraURL.percent_encode).
    segment = EMR_WORKSPACE.encode(EMR_WORKSPACE.value(workspace))
    assert segment == darabonba_url.Url.percent_encode(workspace)
    path = '/api/v1/workspaces/%s/rayJob' % segment
    creds = alibaba.Credentials('AKID', 'secret', token)
    dialect = alibaba.AlibabaDialect('https://emr-serverless-spark.cn-hangzhou.aliyuncs.com', 'ListRayJob',
                                     '2023-08-08', creds)
    url, headers = dialect.sign('GET', path, query)
    unsigned = dict((name, value) for name, value in headers.items() if name != 'Authorization')
    theirs = _sdk_authorization(path, query, unsigned, alibaba.EMPTY_SHA256, 'AKID', 'secret')
    assert headers['Authorization'] == theirs
    expected_query = alibaba.canonical_query(query)
    assert url == 'https://emr-serverless-spark.cn-hangzhou.aliyuncs.com' + path + (
        '?' + expected_query if expected_query else '')
    assert (headers.get('x-acs-security-token')) == token


# --- Huawei -------------------------------------------------------------------------------------

def _huawei_sdk():
    signer = pytest.importorskip('huaweicloudsdkcore.signer.signer')
    credentials = pytest.importorskip('huaweicloudsdkcore.auth.credentials')
    sdk_request = pytest.importorskip('huaweicloudsdkcore.sdk_request')
    return signer.Signer, credentials.BasicCredentials, sdk_request.SdkRequest


def _huawei_sdk_sign(path, pairs, headers, ak, sk, body=b''):
    signer, basic_credentials, sdk_request = _huawei_sdk()
    request = sdk_request(method='GET', schema='https', host='octopus.cn-north-11.myhuaweicloud.com',
                          resource_path=path, query_params=[tuple(pair) for pair in pairs],
                          header_params=dict(headers), body=body)
    signed = signer(basic_credentials(ak, sk)).sign(request)
    return signed.header_params['Authorization'], signed.uri


@st.composite
def huawei_headers(draw):
    headers = {
        'Content-Type': 'application/json',
        'X-Sdk-Date': draw(st.datetimes(min_value=datetime.datetime(2000, 1, 1),
                                        max_value=datetime.datetime(2099, 1, 1))).strftime('%Y%m%dT%H%M%SZ'),
        'Host': draw(st.sampled_from(['octopus.cn-north-11.myhuaweicloud.com', '127.0.0.1:9000'])),
    }
    if draw(st.booleans()):
        headers['X-Project-Id'] = draw(st.text(alphabet='0123456789abcdef', min_size=32, max_size=32))
    if draw(st.booleans()):
        headers['X-Security-Token'] = draw(SECRET)
    extra = draw(st.dictionaries(st.text(alphabet=string.ascii_letters + '-_', min_size=1, max_size=12),
                                 HEADER_VALUE.filter(lambda text: all(ord(char) < 256 for char in text)),
                                 max_size=3))
    taken = set(name.lower() for name in headers)
    for name, value in extra.items():
        if name.lower() not in taken:
            taken.add(name.lower())
            headers[name] = value
    return headers


@SETTINGS
@given(data=st.data(), query=st.dictionaries(IDENT, VALUE, max_size=30), path=encoded_paths(),
       ak=SECRET, sk=SECRET, body=st.one_of(st.just(b''), st.binary(max_size=64)))
def test_huawei_authorization_matches_sdk_signer(data, query, path, ak, sk, body):
    """The endpoints' shape: distinct identifier keys, arbitrary values, encoded paths."""
    _huawei_sdk()
    headers = data.draw(huawei_headers())
    pairs = list(query.items())
    canonical = huawei.canonical_query(pairs)
    ours = huawei.authorization('GET', path, canonical, headers, ak, sk, body=body)
    theirs, uri = _huawei_sdk_sign(path, pairs, headers, ak, sk, body=body)
    assert ours == theirs
    assert (path + '?' + canonical if canonical else path) == uri


@SETTINGS
@given(pairs=st.lists(st.tuples(st.text(min_size=1, max_size=6), VALUE), max_size=12), sk=SECRET)
@example(pairs=[('{', ''), ('0', '')], sk='0')           # raw '0' < '{', encoded '%7B' < '0'
@example(pairs=[('k', '0'), ('k', ';')], sk='0')         # a repeated key: raw '0' < ';', encoded '%3B' < '0'
@example(pairs=[(u'\u00e4', 'x'), ('~', 'y')], sk='0')  # raw '~' < '\u00e4', encoded '%C3%A4' < '~'
def test_huawei_canonical_query_matches_sdk_for_any_keys(pairs, sk):
    """Any keys (reserved and non-ASCII characters, repeated keys): the SDK sorts the raw pairs, then
    encodes them. Our canonical_query must produce the same string, or a request carrying such a key
    is sent and signed differently from the SDK's."""
    _huawei_sdk()
    headers = {'Content-Type': 'application/json', 'X-Sdk-Date': '20240101T000000Z',
               'Host': 'octopus.cn-north-11.myhuaweicloud.com'}
    path = '/v1.0/p/data/queuing-jobs'
    canonical = huawei.canonical_query(pairs)
    theirs, uri = _huawei_sdk_sign(path, pairs, headers, 'AK', sk)
    assert (path + '?' + canonical if canonical else path) == uri
    assert huawei.authorization('GET', path, canonical, headers, 'AK', sk) == theirs


@SETTINGS
@given(query=st.dictionaries(IDENT, st.one_of(VALUE, st.none()), max_size=12),
       token=st.one_of(st.none(), SECRET), project=st.text(alphabet='0123456789abcdef', min_size=1, max_size=32))
def test_huawei_dialect_request_matches_sdk(query, token, project):
    _huawei_sdk()
    creds = huawei.Credentials('AKID', 'secret', token, project_id=project)
    dialect = huawei.HuaweiDialect('https://octopus.cn-north-11.myhuaweicloud.com', 'QueryQueuedJobList', None,
                                   creds)
    path = '/v1.0/%s/data/queuing-jobs' % project
    url, headers = dialect.sign('GET', path, query)
    unsigned = dict((name, value) for name, value in headers.items() if name != 'Authorization')
    pairs = [(key, value) for key, value in query.items() if value is not None]
    theirs, uri = _huawei_sdk_sign(path, pairs, unsigned, 'AKID', 'secret')
    assert headers['Authorization'] == theirs
    assert url == 'https://octopus.cn-north-11.myhuaweicloud.com' + uri
    assert headers.get('X-Security-Token') == token


# --- Encodings shared with the request builder --------------------------------------------------

# "", "." and ".." would change the path itself, so they are refused rather than encoded (test_options).
@SETTINGS
@given(value=st.text(min_size=1).filter(lambda text: text.strip() not in ('', '.', '..')))
def test_path_parameter_encoding_matches_darabonba(value):
    darabonba_url = pytest.importorskip('darabonba.url')
    assert EMR_WORKSPACE.encode(EMR_WORKSPACE.value(value)) == darabonba_url.Url.percent_encode(value)

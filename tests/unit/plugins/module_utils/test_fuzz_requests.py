# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fuzzing request building and signing for every module's options (issue 6).

Generated option values go the module's way: Ansible's argument spec (ArgumentSpecValidator over
info.argument_spec), then listing.Plan with a fake environment. Either an OptionError comes out, or a plan
whose request, once signed by the dialect and prepared by requests, is exactly what was signed, decodes
back to the values, carries well-formed wire values - and whose signature the vendor's own signer
(alibabacloud_tea_openapi, huaweicloudsdkcore) computes identically for that request.
"""

from __future__ import annotations

import datetime
import re
import string

from urllib.parse import unquote, urlsplit

import pytest

pytest.importorskip('hypothesis')
requests = pytest.importorskip('requests')

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator  # noqa: E402

from ansible_collections.jobscope.cloud.plugins.module_utils import alibaba, huawei  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.info import argument_spec  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.listing import Plan  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import CloudError, Transport  # noqa: E402

SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# No machine credentials, profile files or regions may leak into a fuzzed plan.
FAKE_ENV = {'HUAWEICLOUD_SDK_CREDENTIALS_FILE': '/nonexistent/jobscope-fuzz/credentials',
            'ALIBABA_CLOUD_CREDENTIALS_FILE': '/nonexistent/jobscope-fuzz/credentials.ini'}

RESERVED = u"!*'();:@&=+$,/?#[]%~ \"<>\\^`{|}"
TEXT = st.one_of(
    st.text(max_size=24),
    st.text(alphabet=st.sampled_from(list(RESERVED) + [u'\u00e4', u'\u8bad', u'\U0001F600', u'a', u'-', u'_']),
            max_size=16),
)
SECRET = st.text(alphabet=string.ascii_letters + string.digits + '+/=', min_size=1, max_size=40)
WIDE_INT = st.one_of(st.integers(min_value=-5, max_value=200), st.integers(), st.none())


@st.composite
def times(draw, noisy=True):
    """Every form a time option takes; with noisy, also malformed and out-of-range ones."""
    moments = st.datetimes(min_value=datetime.datetime(1, 1, 2), max_value=datetime.datetime(9999, 12, 30),
                           timezones=st.sampled_from([None, datetime.timezone.utc,
                                                      datetime.timezone(datetime.timedelta(hours=-14)),
                                                      datetime.timezone(datetime.timedelta(hours=13, minutes=45))]))
    valid = st.one_of(
        st.integers(min_value=0, max_value=4 * 10 ** 9),
        st.integers(min_value=10 ** 12, max_value=4 * 10 ** 12),
        st.sampled_from(['now', '-2h', '-30d', '-1w', '-0s', '0001-01-01', '0999-12-31T23:59:59Z',
                         '2026-01-31T08:00:00Z', '2026-01-31T08:00:00.123+08:00']),
        moments.map(lambda moment: moment.isoformat()),
        st.builds(lambda amount, unit: '-%d%s' % (amount, unit), st.integers(min_value=0, max_value=10 ** 5),
                  st.sampled_from('smhdw')),
    )
    if not noisy:
        return draw(valid)
    return draw(st.one_of(
        valid,
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(['-99999999999d', 'yesterday', '2024-13-45', '', '9999-12-31T23:00:00-14:00', '1e308']),
        st.builds(lambda amount, unit: '-%d%s' % (amount, unit), st.integers(min_value=0), st.sampled_from('smhdw')),
        TEXT,
    ))


NO_COMMA = st.text(min_size=1, max_size=16).filter(lambda text: ',' not in text)
NOT_BLANK = TEXT.filter(lambda text: text.strip())


def param_values(param, noisy=True):
    """A strategy for one Param's option value: the types Ansible passes; with noisy, also values it refuses
    or that the collection must refuse."""
    if param.kind == 'time':
        return times(noisy)
    if param.kind == 'object':
        fields = dict((field.option, param_values(field, noisy)) for field in param.fields)
        return st.one_of(st.fixed_dictionaries({}, optional=fields), TEXT) if noisy else \
            st.fixed_dictionaries({}, optional=fields)
    if not noisy:
        if param.choices:
            return st.sampled_from(list(param.choices))
        return {
            'str': NOT_BLANK,
            'int': st.integers(min_value=param.minimum or 0, max_value=2 ** 63),
            'bool': st.booleans(),
            'list': st.lists(NO_COMMA, max_size=4),
            'map': st.dictionaries(TEXT, st.one_of(TEXT, st.integers(), st.booleans(), st.none()), max_size=4),
        }[param.kind]
    if param.choices:
        return st.one_of(st.sampled_from(list(param.choices)), TEXT)
    return {
        'str': TEXT,
        'int': st.one_of(st.integers(), st.integers(min_value=-3, max_value=10 ** 6), TEXT),
        'bool': st.one_of(st.booleans(), st.sampled_from(['yes', 'no', 'true', 'maybe'])),
        'list': st.one_of(st.lists(TEXT, max_size=4), TEXT),
        'map': st.one_of(st.dictionaries(TEXT, st.one_of(TEXT, st.integers(), st.booleans(), st.none()),
                                         max_size=4), TEXT),
    }[param.kind]


VALID_ENDPOINTS = st.sampled_from(['http://127.0.0.1:8080', 'https://pai-dlc.cn-hangzhou.aliyuncs.com',
                                   'https://gw.example.com:8443/prefix/', 'http://[::1]:9000',
                                   'https://gw.example.com/a%20b/'])
ENDPOINT_URLS = st.one_of(
    VALID_ENDPOINTS,
    st.builds(lambda scheme, host, port: '%s://%s%s' % (scheme, host, port),
              st.sampled_from(['http', 'https', 'ftp', '']), TEXT, st.sampled_from(['', ':0', ':443', ':99999', ':x'])),
    TEXT,
)


def _optional(draw, strategy):
    return draw(strategy) if draw(st.booleans()) else None


@st.composite
def module_options(draw, endpoint, noisy=False):
    """Options for ``endpoint``'s module; noisy ones are mostly wrong somewhere."""
    options = {}
    for param in endpoint.params:
        if param.required or draw(st.integers(min_value=0, max_value=3)) == 0:
            options[param.option] = draw(param_values(param, noisy))
    for earlier, later in endpoint.strictly_ordered:
        # An empty window is refused (tested in test_options); open it, so that most cases get a request.
        value = options.get(earlier)
        if value is not None and options.get(later) == value:
            if isinstance(value, int) and not isinstance(value, bool):
                options[later] = value + 1
            elif value == 'now':
                options[earlier] = '-1h'
            else:
                options[later] = 'now'
    ranges = {'page_size': (1, endpoint.paging.maximum), 'max_items': (1, 10 ** 6), 'concurrency': (1, 64),
              'timeout': (1, 3600), 'max_retries': (0, 20)}
    for name, (low, high) in ranges.items():
        value = _optional(draw, WIDE_INT if noisy else st.integers(min_value=low, max_value=high))
        if value is not None:
            options[name] = value
    options['endpoint'] = draw(ENDPOINT_URLS if noisy else VALID_ENDPOINTS)
    options['access_key_id'] = draw(SECRET)
    options['access_key_secret'] = draw(SECRET)
    if draw(st.booleans()):
        options['security_token'] = draw(SECRET)
    if endpoint.cloud.name == 'huawei':
        options['project_id'] = draw(st.one_of(st.text(alphabet='0123456789abcdef', min_size=1, max_size=32),
                                               NOT_BLANK))
        if draw(st.booleans()):
            options['auth_token'] = draw(SECRET)
    return options


def validated(endpoint, options):
    """The parameters the module would see, or None when Ansible itself refuses them."""
    try:
        result = ArgumentSpecValidator(argument_spec(endpoint)).validate(options)
    except (OverflowError, ValueError):
        # Core's own checks let some errors escape: check_type_int's int(Decimal('Infinity')) for an int
        # option given "INF", and (ansible-core 2.16) check_type_dict's dict() for a dict option given
        # "0 =". The module fails in core before any of our code runs, so it is a refusal, not our crash.
        return None
    if result.error_messages:
        return None
    return result.validated_parameters


def plan_for(endpoint, options):
    """A Plan, None when an OptionError (naming an option) refused the options; anything else propagates."""
    params = validated(endpoint, options)
    if params is None:
        return None
    try:
        return Plan(endpoint, params, env=FAKE_ENV)
    except OptionError as exc:
        assert exc.option and str(exc)
        return None


# How many generated option sets per endpoint got as far as a signed request (checked after each run).
SIGNED = {}

WIRE_FORMATS = {'ms': re.compile(r'^-?[0-9]+$'), 's': re.compile(r'^-?[0-9]+$'),
                'iso': re.compile(r'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$')}


def check_wire_values(endpoint, query):
    """Times go out in the API's format; booleans lower-case; lists never split differently."""
    import json
    for param in endpoint.params:
        if param.wire not in query:
            continue
        value = query[param.wire]
        if param.kind == 'time':
            assert WIRE_FORMATS[param.unit].match(value), (param.option, value)
        elif param.kind == 'bool':
            assert value in ('True', 'False')
        elif param.kind == 'object':
            decoded = json.loads(value)
            for field in param.fields:
                if field.wire in decoded:
                    assert WIRE_FORMATS[field.unit].match(str(decoded[field.wire])), (field.option, decoded)
        elif param.kind == 'map':
            assert isinstance(json.loads(value), dict)


def decoded_query(raw):
    if not raw:
        return {}
    pairs = [part.split('=', 1) for part in raw.split('&')]
    assert all(len(pair) == 2 for pair in pairs)
    decoded = dict((unquote(key), unquote(value)) for key, value in pairs)
    assert len(decoded) == len(pairs), 'a query key sent twice'
    return decoded


def _latin1(value):
    try:
        str(value).encode('latin-1')
        return True
    except UnicodeError:
        return False


def assert_transport_refuses_cleanly(plan, params):
    """A header value requests or http.client cannot send (a line break, leading space or non-Latin-1
    character in a credential or project id) is a CloudError before anything is sent, never a crash.
    The same credentials are used against a closed loopback port: the header fails before any connect."""
    dialect = type(plan.dialect)('http://127.0.0.1:9', plan.endpoint.action, plan.endpoint.version,
                                 plan.dialect.credentials)
    transport = Transport(dialect, max_retries=0, timeout=1, sleep=lambda seconds: None)
    try:
        with pytest.raises(CloudError) as info:
            transport.get(plan.endpoint.action, plan.path, params)
    finally:
        transport.close()
    for secret in (plan.dialect.credentials.access_key_secret, plan.dialect.credentials.security_token,
                   getattr(plan.dialect.credentials, 'auth_token', None)):
        if secret and len(secret) > 3:
            assert secret not in str(info.value)


def signed_request(plan, page_index):
    """The signed request, checked against what requests prepares; None when it cannot be sent at all."""
    params = dict(plan.query)
    params.update(plan.endpoint.paging.params(page_index, plan.page_size))
    url, headers = plan.dialect.sign('GET', plan.path, params)
    if not all(_latin1(value) for value in headers.values()):
        assert_transport_refuses_cleanly(plan, params)
        return None
    try:
        prepared = requests.Request('GET', url, headers=headers).prepare()
    except requests.exceptions.InvalidHeader:
        assert any(re.search(r'^\s|[\r\n]', str(value)) for value in headers.values())
        assert_transport_refuses_cleanly(plan, params)
        return None
    # What requests puts on the wire is what was signed: no re-quoting of the path or the query.
    assert prepared.url == url or prepared.url == url.replace('://' + plan.dialect.host, '://' + plan.dialect.host.lower())
    parts = urlsplit(url)
    assert decoded_query(parts.query) == dict((key, value) for key, value in params.items() if value is not None)
    return params, parts, headers


# --- Alibaba --------------------------------------------------------------------------------------

def _tea():
    utils = pytest.importorskip('alibabacloud_tea_openapi.utils')
    dara_request = pytest.importorskip('darabonba.request')
    return utils.Utils, dara_request.DaraRequest


def alibaba_check(plan, page_index):
    utils, dara_request = _tea()
    signed = signed_request(plan, page_index)
    if signed is None:
        return
    params, parts, headers = signed
    assert parts.query == alibaba.canonical_query(params)
    unsigned = dict((name, value) for name, value in headers.items() if name != 'Authorization')
    request = dara_request()
    request.method = 'GET'
    request.pathname = parts.path
    request.query = dict(params)
    request.headers = unsigned
    creds = plan.dialect.credentials
    theirs = utils.get_authorization(request, 'ACS3-HMAC-SHA256', unsigned['x-acs-content-sha256'],
                                     creds.access_key_id, creds.access_key_secret)
    assert headers['Authorization'] == theirs
    check_wire_values(plan.endpoint, params)


@pytest.mark.parametrize('name', [name for name in sorted(ENDPOINTS) if ENDPOINTS[name].cloud.name == 'alibaba'])
def test_alibaba_requests_for_generated_options_are_signed_as_the_sdk_signs_them(name):
    _tea()
    endpoint = ENDPOINTS[name]

    @SETTINGS
    @given(options=module_options(endpoint), page_index=st.integers(min_value=0, max_value=10 ** 6))
    def check(options, page_index):
        plan = plan_for(endpoint, options)
        if plan is not None:
            alibaba_check(plan, page_index)
            SIGNED[name] = SIGNED.get(name, 0) + 1

    check()
    assert SIGNED.get(name, 0) >= 50, 'too few generated options made a request: the test proves little'


# --- Huawei ---------------------------------------------------------------------------------------

def _huawei_sdk():
    signer = pytest.importorskip('huaweicloudsdkcore.signer.signer')
    credentials = pytest.importorskip('huaweicloudsdkcore.auth.credentials')
    sdk_request = pytest.importorskip('huaweicloudsdkcore.sdk_request')
    return signer.Signer, credentials.BasicCredentials, sdk_request.SdkRequest


def huawei_check(plan, page_index):
    signer, basic_credentials, sdk_request = _huawei_sdk()
    signed = signed_request(plan, page_index)
    if signed is None:
        return
    params, parts, headers = signed
    pairs = [(key, value) for key, value in params.items() if value is not None]
    assert parts.query == huawei.canonical_query(pairs)
    creds = plan.dialect.credentials
    if creds.auth_token:
        assert headers['X-Auth-Token'] == creds.auth_token and 'Authorization' not in headers
        return
    unsigned = dict((name, value) for name, value in headers.items() if name != 'Authorization')
    request = sdk_request(method='GET', schema=parts.scheme, host=parts.netloc, resource_path=parts.path,
                          query_params=pairs, header_params=unsigned, body='')
    signed = signer(basic_credentials(creds.access_key_id, creds.access_key_secret)).sign(request)
    assert headers['Authorization'] == signed.header_params['Authorization']
    assert signed.uri == parts.path + ('?' + parts.query if parts.query else '')
    check_wire_values(plan.endpoint, params)


def test_huawei_requests_for_generated_options_are_signed_as_the_sdk_signs_them():
    _huawei_sdk()
    endpoint = ENDPOINTS['octopus_queued_job']

    @SETTINGS
    @given(options=module_options(endpoint), page_index=st.integers(min_value=0, max_value=10 ** 6))
    def check(options, page_index):
        plan = plan_for(endpoint, options)
        if plan is not None:
            huawei_check(plan, page_index)
            SIGNED[endpoint.name] = SIGNED.get(endpoint.name, 0) + 1

    check()
    assert SIGNED.get(endpoint.name, 0) >= 50, 'too few generated options made a request: the test proves little'


# --- Options alone: nothing but OptionError -------------------------------------------------------

@pytest.mark.parametrize('name', sorted(ENDPOINTS))
def test_generated_options_give_a_plan_or_an_option_error_and_nothing_else(name):
    endpoint = ENDPOINTS[name]

    @settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(options=module_options(endpoint, noisy=True))
    def check(options):
        plan_for(endpoint, options)

    check()


@pytest.mark.parametrize('value', ['0001-01-01', '0999-12-31T23:59:59Z', '0100-06-01T12:00:00+00:00'])
def test_iso_times_before_year_1000_keep_four_year_digits(value):
    options = {'access_key_id': 'AK', 'access_key_secret': 'SK', 'endpoint': 'http://127.0.0.1:1', 'start_time': value}
    plan = plan_for(ENDPOINTS['pai_dlc_job'], options)
    assert plan is not None
    assert WIRE_FORMATS['iso'].match(plan.query['StartTime']), plan.query['StartTime']


@pytest.mark.parametrize('name, options', [
    ('pai_dlc_job', {'security_token': u'tok\u8bad'}),
    ('pai_dlc_job', {'access_key_id': u'AK\u8bad'}),
    ('octopus_queued_job', {'project_id': u'\u9879\u76ee'}),
    ('octopus_queued_job', {'auth_token': u'\u4ee4\u724c'}),
    ('octopus_queued_job', {'project_id': 'p\n'}),
    ('pai_dlc_job', {'security_token': ' leading-space'}),
])
def test_a_header_value_that_cannot_be_sent_is_a_cloud_error_not_a_crash(name, options):
    base = {'access_key_id': 'AK', 'access_key_secret': 'SK-secret-value', 'endpoint': 'http://127.0.0.1:9'}
    if name == 'octopus_queued_job':
        base.update(project_id='p', queue_type='USER')
    plan = plan_for(ENDPOINTS[name], dict(base, **options))
    assert plan is not None
    assert_transport_refuses_cleanly(plan, dict(plan.query))


def test_a_non_ascii_endpoint_host_is_a_clean_error():
    """requests sends an IDN host in its punycode form but the signed Host header as given: that header
    cannot be encoded, and must be an OptionError or a CloudError, never a UnicodeEncodeError."""
    endpoint = ENDPOINTS['pai_dlc_job']
    try:
        plan = Plan(endpoint, validated(endpoint, {'access_key_id': 'AK', 'access_key_secret': 'SK',
                                                   'endpoint': u'http://\u4f8b\u3048.test:9'}), env=FAKE_ENV)
    except OptionError as exc:
        assert exc.option == 'endpoint'
        return
    transport = Transport(plan.dialect, max_retries=0, timeout=1, sleep=lambda seconds: None)
    try:
        with pytest.raises(CloudError):
            transport.get(endpoint.action, plan.path, dict(plan.query))
    finally:
        transport.close()

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""transport.Transport: retries, re-signing, Retry-After, errors; requests is faked at the adapter, so the
request is really prepared (headers validated, URL built) and only the network is absent."""

from __future__ import annotations

import datetime
import itertools
import json

from urllib.parse import urlsplit

import pytest

requests = pytest.importorskip('requests')

from requests.adapters import BaseAdapter  # noqa: E402
from requests.structures import CaseInsensitiveDict  # noqa: E402

from ansible_collections.jobscope.cloud.plugins.module_utils import alibaba, huawei, transport  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.endpoints import ENDPOINTS  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.paging import page_check  # noqa: E402
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import (  # noqa: E402
    BACKOFF_BASE, BACKOFF_CAP, RETRY_AFTER_CAP, CloudError, Transport, backoff_delay, parse_retry_after)

FIXED = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
# The check a MaxCompute listing passes: its envelope, then a list of objects at data.runningJobInfoList.
MAXCOMPUTE_CHECK = page_check(ENDPOINTS['maxcompute_running_job'])


class FakeRaw(object):
    """The part of urllib3's HTTPResponse that the transport reads: raw chunks, then release or close."""

    def __init__(self, data):
        self.data = self.original = data
        self.released = self.closed = False

    def read(self, amt=None, decode_content=True):
        assert decode_content is False  # the transport decodes (and caps) itself
        chunk, self.data = self.data[:amt], self.data[amt:]
        return chunk

    def release_conn(self):
        self.released = True

    def close(self):
        self.closed = True


def response(status=200, body=None, headers=None, text=None, data=None):
    result = requests.Response()
    result.status_code = status
    if data is None:
        if text is None:
            text = json.dumps({} if body is None else body)
        data = text.encode('utf-8')
    result.raw = FakeRaw(data)
    result.headers = CaseInsensitiveDict(headers or {})
    result.encoding = 'utf-8'
    return result


class FakeAdapter(BaseAdapter):
    """Answers from a script: each entry a Response or an exception to raise. Records what was sent."""

    def __init__(self, script):
        super(FakeAdapter, self).__init__()
        self.script = list(script)
        self.sent = []

    def send(self, request, **kwargs):
        self.sent.append((request, kwargs))
        if not self.script:
            raise AssertionError('more requests than scripted')
        answer = self.script.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        answer.request = request
        answer.url = request.url
        answer.raw = FakeRaw(answer.raw.original)  # a scripted response may be answered more than once
        return answer

    def close(self):
        pass


def alibaba_dialect(token=None, base='https://maxcompute.cn-hangzhou.aliyuncs.com'):
    counter = itertools.count()
    return alibaba.AlibabaDialect(base, 'GetRunningJobs', '2022-01-04',
                                  alibaba.Credentials('AKID', 'secret', token), clock=lambda: FIXED,
                                  nonce=lambda: 'nonce-%d' % next(counter))


def huawei_dialect(token=None):
    return huawei.HuaweiDialect('https://octopus.cn-north-11.myhuaweicloud.com', 'QueryQueuedJobList', None,
                                huawei.Credentials('AK', 'SK', token, project_id='p'), clock=lambda: FIXED)


class FakeDialect(object):
    """Counts signatures; classifies errors like the real dialects."""

    THROTTLING_CODES = frozenset(['Throttling'])
    TRANSIENT_CODES = frozenset(['Transient'])
    base = 'https://api.example.com'

    def __init__(self):
        self.signed = 0

    def sign(self, method, path, params):
        self.signed += 1
        query = alibaba.canonical_query(params)
        return 'https://api.example.com' + path + ('?' + query if query else ''), {'x-attempt': str(self.signed)}

    @staticmethod
    def request_id(headers, body):
        return headers.get('x-request-id')

    def error(self, status, headers, body):
        if status < 400:
            return None
        body = body if isinstance(body, dict) else {}
        return transport.http_error(self, status, headers, body.get('code'), body.get('message'),
                                    self.request_id(headers, body))


class Harness(object):
    def __init__(self, dialect, script, **kwargs):
        self.sleeps = []
        kwargs.setdefault('max_retries', 5)
        self.transport = Transport(dialect, sleep=self.sleeps.append, **kwargs)
        self.adapter = FakeAdapter(script)
        self.transport.session.mount('https://', self.adapter)
        self.transport.session.mount('http://', self.adapter)

    def get(self, params=None, limiter=None, operation='GetRunningJobs', path='/api/v1/jobs/runningJobs',
            check=None, deadline=None):
        if check is None and operation == 'GetRunningJobs':
            check = MAXCOMPUTE_CHECK
        return self.transport.get(operation, path, {'from': '1', 'to': '2'} if params is None else params,
                                  limiter=limiter, check=check, deadline=deadline)

    @property
    def calls(self):
        return len(self.adapter.sent)


OK = {'requestId': 'r-ok', 'data': {'runningJobInfoList': [], 'totalCount': 0}}


# --- Retries ------------------------------------------------------------------------------------

@pytest.mark.parametrize('status, body', [
    (400, {'Code': 'Throttling.User', 'Message': 'Request was denied due to user flow control.'}),
    (400, {'Code': 'Throttling', 'Message': 'throttled'}),
    (400, {'Code': 'Throttling.Api', 'Message': 'throttled'}),
    (400, {'Code': 'Rejected.Throttling', 'Message': 'throttled'}),
    (429, {'Code': 'Anything', 'Message': 'slow down'}),
    (503, {'Code': 'ServiceUnavailable', 'Message': 'try later'}),
    (500, {'Code': 'ServiceUnavailable', 'Message': 'try later'}),
    (502, None),
    (503, None),
    (500, {'Code': 'InternalError', 'Message': 'internal'}),
    (500, None),
    (200, {'httpCode': 500, 'errorCode': '', 'errorMsg': ''}),
    (504, None),
    (400, {'code': 'Throttling.User', 'message': 'lower-case keys'}),
    (200, {'httpCode': 429, 'errorCode': 'Throttling', 'errorMsg': 'MaxCompute envelope'}),
])
def test_alibaba_transient_errors_are_retried(status, body):
    text = '<html>bad gateway</html>' if body is None else None
    harness = Harness(alibaba_dialect(), [response(status, body, text=text), response(200, OK)])
    assert harness.get() == OK
    assert harness.calls == 2
    assert len(harness.sleeps) == 1


def test_huawei_gateway_throttling_is_retried():
    throttled = response(429, {'error_code': 'APIG.0308', 'error_msg': 'The request is throttled.'},
                         headers={'X-Request-Id': 'hw-1'})
    harness = Harness(huawei_dialect(), [throttled, response(200, {'payload': {'list': []}})])
    assert harness.get(params={'queue_type': 'USER'}, operation='QueryQueuedJobList') == {'payload': {'list': []}}
    assert harness.calls == 2


@pytest.mark.parametrize('exception', [
    requests.exceptions.ConnectionError('connection reset'),
    requests.exceptions.ReadTimeout('read timed out'),
    requests.exceptions.ConnectTimeout('connect timed out'),
    requests.exceptions.ChunkedEncodingError('incomplete chunked read'),
    requests.exceptions.ContentDecodingError('bad gzip'),
])
def test_network_faults_are_retried(exception):
    harness = Harness(alibaba_dialect(), [exception, exception, response(200, OK)])
    assert harness.get() == OK
    assert harness.calls == 3
    assert len(harness.sleeps) == 2


@pytest.mark.parametrize('text', [
    '{"requestId": "r", "data": {"runningJobInfoList": [',
    '<html><body>gateway page</body></html>',
    '[1, 2]',
    'null',
    '"a string"',
    '',
])
def test_malformed_success_bodies_are_retried(text):
    harness = Harness(alibaba_dialect(), [response(200, text=text), response(200, OK)])
    assert harness.get() == OK
    assert harness.calls == 2


def test_malformed_body_error_after_retries_describes_but_never_quotes_it():
    harness = Harness(alibaba_dialect(), [response(200, text='<html>oops secret</html>',
                                                   headers={'Content-Type': 'text/html; charset=utf-8'})] * 3,
                      max_retries=2)
    with pytest.raises(CloudError) as info:
        harness.get()
    assert 'malformed response body (24 bytes of text/html): not JSON' in str(info.value)
    assert 'oops' not in str(info.value) and 'secret' not in str(info.value)
    assert '(after 3 attempts)' in str(info.value)


@pytest.mark.parametrize('status, body', [
    (400, {'Code': 'SignatureDoesNotMatch', 'Message': 'The request signature does not conform.'}),
    (403, {'Code': 'Forbidden.RAM', 'Message': 'not authorized'}),
    (400, {'Code': 'InvalidParameter', 'Message': 'bad'}),
    (404, {'Code': 'InvalidWorkspace.NotFound', 'Message': 'no such workspace'}),
    (200, {'httpCode': 400, 'errorCode': 'InvalidParameter', 'errorMsg': 'MaxCompute envelope'}),
    (200, {'httpCode': 403, 'errorCode': '', 'errorMsg': 'denied', 'data': None}),
    (302, None),
    (301, {'Code': 'Moved'}),
])
def test_permanent_errors_are_not_retried(status, body):
    text = 'Internal Server Error' if body is None else None
    harness = Harness(alibaba_dialect(), [response(status, body, text=text, headers={'x-acs-request-id': 'r-h'})])
    with pytest.raises(CloudError) as info:
        harness.get()
    assert harness.calls == 1
    assert harness.sleeps == []
    assert info.value.retryable is False
    assert 'after' not in str(info.value)


def test_tls_errors_are_not_retried():
    harness = Harness(alibaba_dialect(), [requests.exceptions.SSLError('certificate verify failed')])
    with pytest.raises(CloudError) as info:
        harness.get()
    assert harness.calls == 1
    assert 'TLS error' in str(info.value)
    assert 'GetRunningJobs' in str(info.value)


def test_max_retries_zero_means_one_attempt():
    harness = Harness(alibaba_dialect(), [response(503, {'Code': 'ServiceUnavailable'})], max_retries=0)
    with pytest.raises(CloudError):
        harness.get()
    assert harness.calls == 1
    assert harness.sleeps == []


# --- Re-signing and what is sent ----------------------------------------------------------------

def test_every_attempt_is_signed_afresh():
    dialect = FakeDialect()
    harness = Harness(dialect, [response(503), response(502), response(200, OK)])
    harness.get()
    assert dialect.signed == 3
    assert [request.headers['x-attempt'] for request, _kwargs in harness.adapter.sent] == ['1', '2', '3']


def test_alibaba_retry_uses_a_new_nonce_and_signature():
    harness = Harness(alibaba_dialect(), [response(400, {'Code': 'Throttling.User'}), response(200, OK)])
    harness.get()
    (first, dummy), (second, dummy) = harness.adapter.sent
    assert first.headers['x-acs-signature-nonce'] != second.headers['x-acs-signature-nonce']
    assert first.headers['Authorization'] != second.headers['Authorization']


def test_the_prepared_request_is_what_was_signed():
    harness = Harness(alibaba_dialect(token='sts-token'), [response(200, OK)], timeout=7, validate_certs=False)
    params = {'from': '1', 'to': '2', 'jobOwnerList': u'ALIYUN$a@b.com,RAM$x:y \u00e4*~'}
    harness.get(params=params)
    request, kwargs = harness.adapter.sent[0]
    parts = urlsplit(request.url)
    assert parts.query == alibaba.canonical_query(params)
    assert parts.path == '/api/v1/jobs/runningJobs'
    headers = dict((name.lower(), value) for name, value in request.headers.items())
    signed = headers['authorization'].split('SignedHeaders=')[1].split(',')[0].split(';')
    for name in signed:
        assert name in headers
    expected = alibaba.authorization('GET', parts.path, parts.query, dict((name, headers[name]) for name in signed),
                                     'AKID', 'secret')
    assert headers['authorization'] == expected
    assert headers['x-acs-security-token'] == 'sts-token'
    assert headers['host'] == 'maxcompute.cn-hangzhou.aliyuncs.com'
    assert headers['user-agent'].startswith('jobscope.cloud/')
    assert kwargs['timeout'] == (7, 8)  # the watchdog ends the attempt at 7 s; the socket's own is a margin behind


def test_the_prepared_huawei_request_is_what_was_signed():
    harness = Harness(huawei_dialect(token='hw-sts'), [response(200, {})])
    params = {'queue_type': 'USER', 'processor_name': u"x/y+z*~'() \u7b97", 'offset': '0', 'limit': '10'}
    harness.get(params=params, path='/v1.0/p/data/queuing-jobs', operation='QueryQueuedJobList')
    request, _kwargs = harness.adapter.sent[0]
    parts = urlsplit(request.url)
    assert parts.query == huawei.canonical_query(list(params.items()))
    signed = request.headers['Authorization'].split('SignedHeaders=')[1].split(',')[0].split(';')
    sent = dict((name.lower(), value) for name, value in request.headers.items())
    assert signed == ['accept', 'content-type', 'host', 'x-project-id', 'x-sdk-date', 'x-security-token']
    expected = huawei.authorization('GET', parts.path, parts.query, dict((name, sent[name]) for name in signed),
                                    'AK', 'SK')
    assert request.headers['Authorization'] == expected


def test_prepared_url_keeps_the_signed_query_for_any_value():
    hypothesis = pytest.importorskip('hypothesis')
    from hypothesis import given, settings, strategies as st

    @settings(max_examples=200, deadline=None, database=None)
    @given(values=st.dictionaries(st.sampled_from(['name', 'submissionId', 'taskBizId', 'x']), st.text(),
                                  max_size=4))
    def check(values):
        harness = Harness(alibaba_dialect(), [response(200, OK)])
        harness.get(params=values)
        request, _kwargs = harness.adapter.sent[0]
        assert (urlsplit(request.url).query or '') == alibaba.canonical_query(values)

    del hypothesis
    check()


# --- Retry-After and backoff --------------------------------------------------------------------

def _lowest_jitter(monkeypatch):
    monkeypatch.setattr(transport.random, 'uniform', lambda low, high: low)


def test_retry_after_seconds_is_a_floor(monkeypatch):
    _lowest_jitter(monkeypatch)
    throttled = response(429, {'error_code': 'APIG.0308', 'error_msg': 'throttled'}, headers={'Retry-After': '7'})
    harness = Harness(huawei_dialect(), [throttled, response(200, {})])
    harness.get(params={'queue_type': 'USER'}, operation='QueryQueuedJobList')
    assert harness.sleeps == [7.0]


def test_retry_after_is_capped(monkeypatch):
    _lowest_jitter(monkeypatch)
    throttled = response(429, {'error_code': 'APIG.0308'}, headers={'Retry-After': '3600'})
    harness = Harness(huawei_dialect(), [throttled, response(200, {})])
    harness.get(params={'queue_type': 'USER'}, operation='QueryQueuedJobList')
    assert harness.sleeps == [RETRY_AFTER_CAP]


def test_x_acs_retry_after_is_milliseconds(monkeypatch):
    """The Alibaba SDK reads x-acs-retry-after as milliseconds (alibabacloud_tea_openapi
    Utils.get_throttling_time_left -> ThrottlingException.retry_after -> darabonba
    get_backoff_delay -> DaraCore.sleep(ms)): 3000 means wait three seconds, not a minute."""
    _lowest_jitter(monkeypatch)
    throttled = response(400, {'Code': 'Throttling.User'}, headers={'x-acs-retry-after': '3000'})
    harness = Harness(alibaba_dialect(), [throttled, response(200, OK)])
    harness.get()
    assert harness.sleeps == [3.0]


def test_positive_x_acs_retry_after_marks_an_unknown_code_as_throttled():
    limiter = RecordingLimiter()
    throttled = response(400, {'Code': 'Flow.Limited'}, headers={'x-acs-retry-after': '1500'})
    harness = Harness(alibaba_dialect(), [throttled, response(200, OK)])
    harness.get(limiter=limiter)
    assert harness.calls == 2
    assert limiter.releases == [True, False]


@pytest.mark.parametrize('value, expected', [('5', 5.0), ('0.5', 0.5), ('0', None), ('-1', None), ('soon', None),
                                             (None, None), ('', None)])
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value) == expected


def test_backoff_is_bounded(monkeypatch):
    highs = []
    monkeypatch.setattr(transport.random, 'uniform', lambda low, high: highs.append((low, high)) or high)
    for attempt in range(60):
        delay = backoff_delay(attempt)
        assert 0 <= delay <= BACKOFF_CAP
        assert delay == min(BACKOFF_CAP, BACKOFF_BASE * 2 ** attempt)
    assert backoff_delay(0) == BACKOFF_BASE
    assert backoff_delay(3) == 4.0
    for attempt in range(60):
        assert backoff_delay(attempt, retry_after=10 ** 6) == RETRY_AFTER_CAP
        assert backoff_delay(attempt, retry_after=30) == 30.0
        assert backoff_delay(attempt, retry_after=0.001) == min(BACKOFF_CAP, BACKOFF_BASE * 2 ** attempt)
    assert all(low == 0 for low, _high in highs)


def test_backoff_is_jittered():
    delays = set(backoff_delay(4) for dummy in range(50))
    assert len(delays) > 1
    assert all(0 <= delay <= BACKOFF_BASE * 16 for delay in delays)


# --- Giving up ----------------------------------------------------------------------------------

def test_gives_up_after_max_retries_with_every_fact():
    failing = response(503, {'Code': 'ServiceUnavailable', 'Message': 'The service is busy.',
                             'RequestId': 'req-123'})
    harness = Harness(alibaba_dialect(), [failing] * 4, max_retries=3)
    with pytest.raises(CloudError) as info:
        harness.get()
    assert harness.calls == 4
    assert len(harness.sleeps) == 3
    error = info.value
    text = str(error)
    for fact in ('GetRunningJobs', 'HTTP 503', 'ServiceUnavailable', 'The service is busy.', 'req-123',
                 '(after 4 attempts)'):
        assert fact in text
    result = error.as_result()
    assert result['http_status'] == 503
    assert result['error_code'] == 'ServiceUnavailable'
    assert result['request_id'] == 'req-123'
    assert result['operation'] == 'GetRunningJobs'
    assert result['msg'] == text


def test_connection_failure_after_retries():
    harness = Harness(alibaba_dialect(), [requests.exceptions.ConnectionError('refused')] * 3, max_retries=2)
    with pytest.raises(CloudError) as info:
        harness.get()
    assert 'connection failed' in str(info.value)
    assert 'GetRunningJobs' in str(info.value)
    assert '(after 3 attempts)' in str(info.value)


def test_huawei_error_facts():
    failing = response(400, {'error_code': 'octopus.400003', 'error_msg': 'invalid queue_type'},
                       headers={'X-Request-Id': 'hw-req-9'})
    harness = Harness(huawei_dialect(), [failing])
    with pytest.raises(CloudError) as info:
        harness.get(params={'queue_type': 'X'}, operation='QueryQueuedJobList')
    text = str(info.value)
    for fact in ('QueryQueuedJobList', 'HTTP 400', 'octopus.400003', 'invalid queue_type', 'hw-req-9'):
        assert fact in text


def test_maxcompute_envelope_error_uses_its_http_code():
    failing = response(200, {'httpCode': 400, 'errorCode': 'InvalidParameter', 'errorMsg': 'bad from',
                             'requestId': 'mc-1'})
    harness = Harness(alibaba_dialect(), [failing])
    with pytest.raises(CloudError) as info:
        harness.get()
    assert info.value.status == 400
    assert 'InvalidParameter' in str(info.value) and 'bad from' in str(info.value) and 'mc-1' in str(info.value)


def test_error_without_json_body_is_described_with_a_message():
    harness = Harness(alibaba_dialect(), [response(500, text='<h1>Internal Server Error</h1>')], max_retries=0)
    with pytest.raises(CloudError) as info:
        harness.get()
    assert 'HTTP 500' in str(info.value)
    assert '30 bytes of no content type' in str(info.value)
    assert '<h1>' not in str(info.value)


def test_a_bad_header_value_is_a_cloud_error_that_does_not_echo_it():
    """A credential with a stray newline (pasted from a file) makes requests refuse the header. That
    must end as a CloudError (a clean task failure), not an uncaught exception quoting the secret."""
    dialect = huawei_dialect()
    dialect.credentials = huawei.Credentials(auth_token='MIIsecret-token\n', project_id='p')
    harness = Harness(dialect, [response(200, {})])
    with pytest.raises(CloudError) as info:
        harness.get(params={'queue_type': 'USER'})
    assert 'MIIsecret-token' not in str(info.value)


# --- The limiter slot -----------------------------------------------------------------------------

class RecordingLimiter(object):
    def __init__(self):
        self.acquired = 0
        self.releases = []

    def acquire(self, deadline=None):
        self.acquired += 1

    def release(self, throttled=False):
        self.releases.append(throttled)


def test_limiter_slot_per_attempt_and_throttling_reported():
    limiter = RecordingLimiter()
    harness = Harness(alibaba_dialect(), [response(400, {'Code': 'Throttling.User'}), response(503, None, text='x'),
                                          requests.exceptions.ReadTimeout('t'), response(200, OK)])
    harness.get(limiter=limiter)
    assert limiter.acquired == 4
    assert limiter.releases == [True, False, False, False]


def test_limiter_slot_released_when_signing_raises():
    class Broken(FakeDialect):
        def sign(self, method, path, params):
            raise RuntimeError('no clock')

    limiter = RecordingLimiter()
    harness = Harness(Broken(), [])
    with pytest.raises(RuntimeError):
        harness.get(limiter=limiter)
    assert limiter.acquired == 1 and limiter.releases == [False]


@pytest.mark.parametrize('variable', ['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'])
def test_validate_certs_false_holds_even_with_a_ca_bundle_in_the_environment(monkeypatch, tmp_path, variable):
    """requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a Session's verify=False (requests
    issue 3829) unless verify is passed with the request itself."""
    for name in ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'):
        monkeypatch.delenv(name, raising=False)
    bundle = tmp_path / 'ca.pem'
    bundle.write_text('')
    monkeypatch.setenv(variable, str(bundle))
    harness = Harness(alibaba_dialect(), [response(200, OK)], validate_certs=False)
    harness.get()
    _request, kwargs = harness.adapter.sent[0]
    assert kwargs['verify'] is False


def test_validate_certs_true_verifies(monkeypatch):
    for name in ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'):
        monkeypatch.delenv(name, raising=False)
    harness = Harness(alibaba_dialect(), [response(200, OK)], validate_certs=True)
    harness.get()
    _request, kwargs = harness.adapter.sent[0]
    assert kwargs['verify'] is True


def test_transport_session_settings():
    harness = Harness(alibaba_dialect(), [], validate_certs=False)
    assert harness.transport.session.verify is False
    assert harness.transport.session.headers['User-Agent'] == transport.USER_AGENT
    harness.transport.close()


# --- Issue 10: deadlines, throttling, bodies, ambient settings ------------------------------------

class FakeClock(object):
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_throttling_is_retried_until_the_deadline_not_counted_against_max_retries():
    clock = FakeClock()
    # Far above twelve full-jitter waits (each at most BACKOFF_CAP), so the random draws cannot reach it.
    deadline = transport.Deadline(1000, clock=clock)
    throttled = response(400, {'Code': 'Throttling.User', 'Message': 'slow down'})
    harness = Harness(alibaba_dialect(), [throttled] * 12 + [response(200, OK)], max_retries=2)
    harness.transport.sleep = lambda seconds: setattr(clock, 'now', clock.now + seconds)
    assert harness.get(deadline=deadline) == OK
    assert harness.calls == 13  # twelve throttled attempts, far more than max_retries


def test_the_deadline_ends_throttling_naming_the_last_error():
    clock = FakeClock()
    deadline = transport.Deadline(10, clock=clock)
    throttled = response(429, {'Code': 'Throttling', 'Message': 'slow down', 'RequestId': 'r-429'})
    harness = Harness(alibaba_dialect(), [throttled] * 200, max_retries=0)
    harness.transport.sleep = lambda seconds: setattr(clock, 'now', clock.now + max(seconds, 0.5))
    with pytest.raises(CloudError) as info:
        harness.get(deadline=deadline)
    assert info.value.deadline is True
    assert 'deadline of 10 s reached; last error:' in str(info.value) and 'Throttling' in str(info.value)
    assert info.value.request_id == 'r-429'


def test_a_retry_hint_past_the_deadline_fails_at_once():
    deadline = transport.Deadline(30)
    harness = Harness(alibaba_dialect(), [response(503, {'Code': 'ServiceUnavailable'},
                                                   headers={'Retry-After': '3600'})])
    with pytest.raises(CloudError) as info:
        harness.get(deadline=deadline)
    assert 'asks to wait 3600 s, past the deadline of 30 s' in str(info.value)
    assert harness.sleeps == []


def test_transient_faults_still_count_against_max_retries_with_a_deadline():
    harness = Harness(alibaba_dialect(), [response(500, {'Code': 'InternalError'})] * 3, max_retries=2)
    with pytest.raises(CloudError) as info:
        harness.get(deadline=transport.Deadline(300))
    assert harness.calls == 3 and '(after 3 attempts)' in str(info.value)


@pytest.mark.parametrize('location, shown', [
    ('http://127.0.0.1:1/steal?token=SECRET', '127.0.0.1:1'),
    ('https://evil.example.com/x?AccessKeySecret=SECRET', 'evil.example.com'),
    ('/relative?token=SECRET', 'a relative Location on the same host'),
    (None, 'no Location'),
])
def test_a_redirect_is_permanent_and_names_the_host_only(location, shown):
    headers = {'Location': location} if location else {}
    harness = Harness(alibaba_dialect(), [response(302, text='', headers=headers)], max_retries=5)
    with pytest.raises(CloudError) as info:
        harness.get()
    assert harness.calls == 1 and 'redirected to %s' % shown in str(info.value)
    assert 'SECRET' not in str(info.value)


def test_a_body_past_the_cap_is_too_large_raw_and_decoded():
    import zlib
    big = response(200, text=' ' * 5000)
    harness = Harness(alibaba_dialect(), [big], max_body_size=4096)
    with pytest.raises(CloudError) as info:
        harness.get()
    assert 'response too large: more than 4096 bytes (raw body)' in str(info.value)
    bomb = zlib.compress(b' ' * 100000)
    harness = Harness(alibaba_dialect(), [response(200, data=bomb, headers={'Content-Encoding': 'deflate'})],
                      max_body_size=4096)
    with pytest.raises(CloudError) as info:
        harness.get()
    assert 'decoded body (deflate)' in str(info.value)
    declared = response(200, text='{}', headers={'Content-Length': '99999999'})
    harness = Harness(alibaba_dialect(), [declared], max_body_size=4096)
    with pytest.raises(CloudError) as info:
        harness.get()
    assert 'Content-Length 99999999' in str(info.value)


@pytest.mark.parametrize('encoding', ['gzip', 'deflate', 'raw-deflate'])
def test_gzip_and_deflate_bodies_are_decoded(encoding):
    import gzip
    import zlib
    data = json.dumps(OK).encode()
    if encoding == 'gzip':
        encoded = gzip.compress(data)
    elif encoding == 'deflate':
        encoded = zlib.compress(data)
    else:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        encoded = compressor.compress(data) + compressor.flush()
    name = 'gzip' if encoding == 'gzip' else 'deflate'
    harness = Harness(alibaba_dialect(), [response(200, data=encoded, headers={'Content-Encoding': name})])
    assert harness.get() == OK


def test_an_unknown_content_encoding_is_refused():
    harness = Harness(alibaba_dialect(), [response(200, data=b'xx', headers={'Content-Encoding': 'br'})])
    with pytest.raises(CloudError) as info:
        harness.get()
    assert "unsupported Content-Encoding 'br'" in str(info.value) and harness.calls == 1


def test_a_body_nested_too_deep_is_malformed_not_a_recursion_error():
    text = '{"data": {"runningJobInfoList": [' + '[' * 3000 + ']' * 3000 + ']}}'
    harness = Harness(alibaba_dialect(), [response(200, text=text)] * 2, max_retries=1)
    with pytest.raises(CloudError) as info:
        harness.get()
    assert 'nested more than 64 levels deep' in str(info.value)
    assert transport.too_deep({'a': [{'b': 1}]}, 3) is False and transport.too_deep({'a': [{'b': {}}]}, 3) is True


def test_the_session_trusts_no_ambient_setting_but_proxies_and_the_ca_bundle(monkeypatch, tmp_path):
    for name in ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'NO_PROXY', 'no_proxy'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example:3128')
    bundle = tmp_path / 'ca.pem'
    bundle.write_text('')
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', str(bundle))
    harness = Harness(alibaba_dialect(), [response(200, OK)])
    assert harness.transport.session.trust_env is False  # never ~/.netrc
    harness.get()
    _request, kwargs = harness.adapter.sent[0]
    assert kwargs['proxies'].get('https') == 'http://proxy.example:3128'
    assert kwargs['verify'] == str(bundle)


@pytest.mark.parametrize('variable', ['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'])
def test_an_unreadable_ca_bundle_is_an_error_naming_the_variable(monkeypatch, variable):
    for name in ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, '/nonexistent/ca.pem')
    with pytest.raises(CloudError) as info:
        Transport(alibaba_dialect())
    assert variable in str(info.value) and '/nonexistent/ca.pem' in str(info.value)
    # Not verifying, or plain HTTP, needs no bundle.
    Transport(alibaba_dialect(), validate_certs=False).close()
    Transport(alibaba_dialect(base='http://127.0.0.1:8080')).close()

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One HTTP client for both clouds: a session, timeouts, TLS, retries with jittered backoff, one error type.

A cloud (see alibaba.py and huawei.py) supplies three things as a "dialect":
``sign(method, path, params) -> (url, headers)``, called afresh for every attempt
(each attempt needs a new date and nonce); ``error(status, headers, body) -> CloudError or None``;
and the set of vendor codes that mean "throttled" or "try again".
"""

from __future__ import annotations

import datetime
import json
import random
import time
import uuid

try:
    import requests
    from requests.adapters import HTTPAdapter
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module as missing_required_lib
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

USER_AGENT = 'jobscope.cloud/1.0.0'

# Caps keep a misbehaving Retry-After or a long retry chain inside a bounded total time. RETRY_AFTER_CAP
# bounds one wait and also all the waits of one call when the server sends Retry-After: honouring a
# 60 s hint on each of five retries would keep a persistent 503 from failing for five minutes.
BACKOFF_BASE = 0.5
BACKOFF_CAP = 20.0
RETRY_AFTER_CAP = 60.0


class CloudError(Exception):
    """A call that failed: the HTTP status, the vendor's code and message, the request id, the operation."""

    def __init__(self, message, status=None, code=None, request_id=None, operation=None,
                 retryable=False, throttled=False, retry_after=None):
        super(CloudError, self).__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id
        self.operation = operation
        self.retryable = retryable
        self.throttled = throttled
        self.retry_after = retry_after

    def __str__(self):
        parts = []
        if self.operation:
            parts.append(self.operation)
        if self.status is not None:
            parts.append('HTTP %s' % self.status)
        if self.code:
            parts.append(str(self.code))
        head = ' '.join(parts)
        text = '%s: %s' % (head, self.message) if head else self.message
        if self.request_id:
            text += ' (request id %s)' % self.request_id
        return text

    def as_result(self):
        """Keyword arguments for fail_json: the message plus each fact as its own key."""
        return dict(msg=str(self), http_status=self.status, error_code=self.code,
                    request_id=self.request_id, operation=self.operation)


def backoff_delay(attempt, retry_after=None, base=BACKOFF_BASE, cap=BACKOFF_CAP):
    """Full-jitter exponential backoff; a server's Retry-After is a floor, not a suggestion."""
    delay = random.uniform(0, min(cap, base * (2 ** min(attempt, 32))))
    if retry_after:
        delay = max(delay, min(float(retry_after), RETRY_AFTER_CAP))
    return delay


def parse_retry_after(value):
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if seconds > 0 else None


class Dialect(object):
    """What both clouds' dialects share: the endpoint as scheme, host and path prefix, the clock and nonce
    that signing reads (injectable for tests), and the URL of a signed request."""

    THROTTLING_CODES: frozenset[str] = frozenset()
    TRANSIENT_CODES: frozenset[str] = frozenset()
    # What a successful body decodes to; anything else is garbled and retried (paging checks the rest).
    BODY_TYPES: tuple[type, ...] = (dict,)

    def __init__(self, base, action, version, credentials, clock=None, nonce=None):
        self.base = base.rstrip('/')
        self.scheme, rest = self.base.split('://', 1)
        self.host = rest.split('/', 1)[0]
        self.prefix = rest[len(self.host):]
        self.action, self.version, self.credentials = action, version, credentials
        self.clock = clock or (lambda: datetime.datetime.now(datetime.timezone.utc))
        self.nonce = nonce or (lambda: uuid.uuid4().hex)

    def url(self, path, query):
        """The URL sent: exactly the path and query string that were signed."""
        return '%s://%s%s%s' % (self.scheme, self.host, path, '?' + query if query else '')


class Transport(object):
    """Sends signed GET requests for one listing and turns every failure into a CloudError."""

    def __init__(self, dialect, timeout=30, validate_certs=True, max_retries=5, pool_size=10,
                 sleep=time.sleep):
        if not HAS_REQUESTS:
            raise CloudError('the Python library "requests" is required: %s' % REQUESTS_IMPORT_ERROR)
        self.dialect = dialect
        self.timeout = timeout
        self.max_retries = max_retries
        self.sleep = sleep
        self.session = requests.Session()
        self.session.verify = validate_certs
        # trust_env (the default) takes HTTP(S)_PROXY and NO_PROXY from the environment.
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=max(pool_size, 1), max_retries=0)
        self.session.mount('https://', adapter)
        self.session.mount('http://', adapter)
        self.session.headers['User-Agent'] = USER_AGENT

    def close(self):
        self.session.close()

    def get(self, operation, path, params, limiter=None):
        """One call, retried on throttling and transient faults. Returns the decoded JSON body."""
        attempt = 0
        waited = 0.0
        while True:
            if limiter is not None:
                limiter.acquire()
            error = None
            try:
                body, error = self._attempt(operation, path, params)
            finally:
                if limiter is not None:
                    limiter.release(throttled=bool(error is not None and error.throttled))
            if error is None:
                return body
            if not error.retryable or attempt >= self.max_retries:
                if attempt:
                    error.message += ' (after %d attempts)' % (attempt + 1)
                raise error
            delay = backoff_delay(attempt, error.retry_after)
            if error.retry_after and waited + delay > RETRY_AFTER_CAP:
                error.message += (' (after %d attempts and %.0f s of waiting; the server asks to wait %g s more)'
                                  % (attempt + 1, waited, error.retry_after))
                raise error
            self.sleep(delay)
            waited += delay
            attempt += 1

    def _attempt(self, operation, path, params):
        url, headers = self.dialect.sign('GET', path, params)
        try:
            # verify per request: a Session's verify=False loses to REQUESTS_CA_BUNDLE (requests #3829).
            response = self.session.get(url, headers=headers, timeout=(self.timeout, self.timeout),
                                        allow_redirects=False, verify=self.session.verify)
            text = response.text
        except requests.exceptions.SSLError as exc:
            # A certificate problem does not heal by retrying.
            return None, CloudError('TLS error: %s' % _short(exc), operation=operation)
        except requests.exceptions.InvalidURL as exc:
            return None, CloudError('invalid URL: %s' % _short(exc), operation=operation)
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
            return None, CloudError('connection failed: %s' % _short(exc), operation=operation, retryable=True)
        except requests.exceptions.InvalidHeader:
            # Its message quotes the header value, which may be a credential.
            return None, CloudError('a request header has an invalid value (a line break or leading space in a '
                                    'credential?)', operation=operation)
        except UnicodeError:
            # http.client writes header values as Latin-1, before it connects; its message quotes the value.
            names = sorted(name for name, value in headers.items() if not _latin1(value))
            return None, CloudError('request header %s cannot be sent: its value is not Latin-1 text (a non-ASCII '
                                    'character in a credential, project_id or endpoint host?)'
                                    % ', '.join(names or ['?']), operation=operation)
        except requests.exceptions.RequestException as exc:
            return None, CloudError('request failed: %s' % _short(exc), operation=operation)

        try:
            # An empty 200 is a truncated answer, not an empty listing.
            body = json.loads(text) if text or response.status_code < 400 else {}
        except (ValueError, RecursionError):  # RecursionError: garbage nested deeper than the parser goes
            body = None
        error = self.dialect.error(response.status_code, response.headers, body)
        if error is None and not isinstance(body, getattr(self.dialect, 'BODY_TYPES', (dict,))):
            # A 200 with a body that is not what the cloud answers with: truncated or garbled on the way.
            error = CloudError('malformed response body (%d bytes): %s' % (len(text), _snippet(text)),
                               status=response.status_code,
                               request_id=self.dialect.request_id(response.headers, None), retryable=True)
        if error is not None:
            error.operation = operation
            if body is None and response.status_code >= 400:
                error.message = '%s; body: %s' % (error.message, _snippet(text))
            return None, error
        return body, None


def _latin1(value):
    try:
        str(value).encode('latin-1')
    except UnicodeError:
        return False
    return True


def _short(exc):
    # requests nests the interesting reason; one line of it is enough and never carries headers.
    text = str(exc)
    return text if len(text) <= 300 else text[:300] + '...'


def _snippet(text, size=200):
    text = ' '.join((text or '').split())
    return text if len(text) <= size else text[:size] + '...'


def http_error(dialect, status, headers, code, message, request_id):
    """The shared classification of an error response into retryable / throttled."""
    # x-acs-retry-after is in milliseconds (as the Alibaba SDK reads it); Retry-After in seconds.
    acs_retry_after = parse_retry_after(headers.get('x-acs-retry-after'))
    retry_after = acs_retry_after / 1000.0 if acs_retry_after else parse_retry_after(headers.get('Retry-After'))
    if code is not None and not isinstance(code, str):
        code = str(code)  # a garbled body may put any JSON value where the code belongs
    throttled = status == 429 or code in dialect.THROTTLING_CODES or bool(retry_after and status >= 400)
    retryable = throttled or status in (502, 503, 504) or code in dialect.TRANSIENT_CODES
    if not message:
        message = 'HTTP %s with no error message' % status
    elif not isinstance(message, str):
        message = str(message)
    return CloudError(message, status=status, code=code, request_id=request_id,
                      retryable=retryable, throttled=throttled, retry_after=retry_after)

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One HTTP client for both clouds: a session, deadlines, TLS, bounded bodies, retries with jittered backoff,
one error type.

A cloud (see alibaba.py and huawei.py) supplies three things as a "dialect":
``sign(method, path, params) -> (url, headers)``, called afresh for every attempt
(each attempt needs a new date and nonce); ``error(status, headers, body) -> CloudError or None``;
and the set of vendor codes that mean "throttled" or "try again".

Every byte from the server is distrusted: an attempt is bounded in wall-clock time from connect to the
last body byte (a watchdog shuts the socket down, so a server that drips one byte at a time cannot hold a
read open), a body is read in chunks with a cap on its raw and its decoded size, and a 2xx body is only
returned once the caller's ``check`` accepts it. A listing passes its ``Deadline`` to every call, so pages,
retries and backoff all end with it.
"""

from __future__ import annotations

import datetime
import http.client
import json
import math
import os
import random
import socket
import threading
import time
import uuid
import zlib

try:
    import requests
    import urllib3
    from requests.adapters import HTTPAdapter
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module as missing_required_lib
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc
    HTTPAdapter = HTTPConnectionPool = HTTPSConnectionPool = object  # type: ignore[misc,assignment]

USER_AGENT = 'jobscope.cloud/1.0.0'

# Caps keep a misbehaving Retry-After or a long retry chain inside a bounded total time. RETRY_AFTER_CAP
# bounds one wait for a server's hint; the listing's deadline bounds them all.
BACKOFF_BASE = 0.5
BACKOFF_CAP = 20.0
RETRY_AFTER_CAP = 60.0

# The defaults of the options that bound a listing: `deadline` (seconds, whole listing) and
# `max_body_size` (bytes, raw and decoded, per response).
DEFAULT_DEADLINE = 300
DEFAULT_MAX_BODY_SIZE = 64 * 1024 * 1024
# A page nested deeper than this is malformed: Ansible's own result handling breaks a few hundred levels
# down, and no page of these APIs is more than about ten levels deep.
MAX_DEPTH = 64
# A page with more JSON values than this is malformed: each decoded value costs about 100 bytes, so this
# bounds the memory of one decoded page (a real page of 100 jobs has a few tens of thousands).
MAX_VALUES = 1000000
CHUNK = 64 * 1024
ENCODINGS = ('identity', 'gzip', 'x-gzip', 'deflate')


class CloudError(Exception):
    """A call that failed: the HTTP status, the vendor's code and message, the request id, the operation."""

    def __init__(
        self,
        message,
        status=None,
        code=None,
        request_id=None,
        operation=None,
        retryable=False,
        throttled=False,
        retry_after=None,
        deadline=False,
    ):
        super(CloudError, self).__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id
        self.operation = operation
        self.retryable = retryable
        self.throttled = throttled
        self.retry_after = retry_after
        self.deadline = deadline  # True: the listing's deadline ended it

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
        return dict(
            msg=str(self),
            http_status=self.status,
            error_code=self.code,
            request_id=self.request_id,
            operation=self.operation,
        )


class Malformed(Exception):
    """Raised by a body ``check``: a 2xx body that is not a usable page. The reason never quotes the body."""


class Refused(Exception):
    """Raised by a body ``check``: a 2xx body that says the call failed (an error envelope inside a 200)."""

    def __init__(self, status, code, message, request_id=None):
        super(Refused, self).__init__(message)
        self.status, self.code, self.message, self.request_id = status, code, message, request_id


class Deadline(object):
    """A wall-clock bound on the monotonic clock, shared by every call of one listing."""

    def __init__(self, seconds, clock=time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self.end = clock() + seconds

    def remaining(self):
        return self.end - self.clock()

    def expired(self):
        return self.remaining() <= 0


def deadline_error(deadline, last=None, operation=None):
    """The error that ends a listing at its deadline, carrying the facts of the last error seen."""
    message = 'deadline of %g s reached' % deadline.seconds
    if last is not None:
        message += '; last error: %s' % last
    return CloudError(
        message,
        operation=operation,
        deadline=True,
        status=getattr(last, 'status', None),
        code=getattr(last, 'code', None),
        request_id=getattr(last, 'request_id', None),
    )


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
    return seconds if seconds > 0 and math.isfinite(seconds) else None


class Dialect(object):
    """What both clouds' dialects share: the endpoint as scheme, host and path prefix, the clock and nonce
    that signing reads (injectable for tests), and the URL of a signed request."""

    THROTTLING_CODES: frozenset[str] = frozenset()
    TRANSIENT_CODES: frozenset[str] = frozenset()

    def __init__(self, base, action, version, credentials, clock=None, nonce=None):
        self.base = base.rstrip('/')
        self.scheme, rest = self.base.split('://', 1)
        self.host = rest.split('/', 1)[0]
        self.prefix = rest[len(self.host) :]
        self.action, self.version, self.credentials = action, version, credentials
        self.clock = clock or (lambda: datetime.datetime.now(datetime.timezone.utc))
        self.nonce = nonce or (lambda: uuid.uuid4().hex)

    def url(self, path, query):
        """The URL sent: exactly the path and query string that were signed."""
        return '%s://%s%s%s' % (self.scheme, self.host, path, '?' + query if query else '')


# ---------------------------------------------------------------------------------------------
# The watchdog: a wall-clock bound on one attempt, connect to last byte.

_current = threading.local()


class _Watch(object):
    """Shuts the attempt's socket down when its time is up, which wakes any blocked read at once."""

    def __init__(self, seconds):
        self.conn = None
        self.raw = None
        self.fired = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.001), self._fire)
        self._timer.daemon = True

    def start(self):
        _current.watch = self
        self._timer.start()

    def stop(self):
        _current.watch = None
        self._timer.cancel()

    def _fire(self):
        with self._lock:
            self.fired = True
            socks = [getattr(self.conn, 'sock', None)]
            # Once the headers are read, a response that ends with the connection (no Content-Length) owns
            # the socket alone: http.client has already let go of it on the connection's side.
            fp = getattr(getattr(self.raw, '_fp', None), 'fp', None)
            socks.append(getattr(getattr(fp, 'raw', None), '_sock', None))
        for sock in socks:
            if sock is not None:
                try:
                    # The plain socket's shutdown, also for TLS: SSLSocket.shutdown would drop its SSL object
                    # under the reading thread's feet.
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
                except (OSError, ValueError, TypeError):
                    pass

    def attach(self, conn=None, raw=None):
        with self._lock:
            self.conn = conn or self.conn
            self.raw = raw or self.raw
            fired = self.fired
        if fired:
            self._fire()


def _watched(pool_class):
    class Watched(pool_class):
        def _get_conn(self, timeout=None):
            conn = super(Watched, self)._get_conn(timeout)
            watch = getattr(_current, 'watch', None)
            if watch is not None:
                watch.attach(conn=conn)
            return conn

    Watched.__name__ = 'Watched' + pool_class.__name__
    return Watched


if HAS_REQUESTS:
    _POOL_CLASSES = {'http': _watched(HTTPConnectionPool), 'https': _watched(HTTPSConnectionPool)}
else:  # pragma: no cover
    _POOL_CLASSES = {}


class _Session(requests.Session if HAS_REQUESTS else object):  # type: ignore[misc]
    """A session that never follows a redirect, nor reads a redirect's body to find the next request (which
    requests does even with allow_redirects=False: an endless 302 body would be read without a cap)."""

    def resolve_redirects(self, *args, **kwargs):
        return iter(())


class _Adapter(HTTPAdapter):
    """Connection pools whose connections the attempt's watchdog can reach, direct and through a proxy."""

    def init_poolmanager(self, *args, **kwargs):
        super(_Adapter, self).init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOL_CLASSES)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super(_Adapter, self).proxy_manager_for(proxy, **proxy_kwargs)
        if getattr(manager, 'pool_classes_by_scheme', None) is not None and not proxy.lower().startswith('socks'):
            manager.pool_classes_by_scheme = dict(_POOL_CLASSES)
        return manager


# ---------------------------------------------------------------------------------------------
# Ambient settings: proxies and CA bundles from the environment, never credentials.

CA_BUNDLE_VARIABLES = ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE')


def environment_settings(base, validate_certs, env=None):
    """(proxies, verify) for requests to ``base``, resolved once.

    The session does not trust the environment (so ~/.netrc can never replace the signed Authorization
    header); the two things users do expect from it - proxies and a CA bundle - are read here instead.
    """
    env = os.environ if env is None else env
    proxies = requests.utils.get_environ_proxies(base) if base and env is os.environ else {}
    verify = bool(validate_certs)
    if validate_certs and base.lower().startswith('https://'):
        for name in CA_BUNDLE_VARIABLES:
            path = env.get(name)
            if path:
                if not os.access(path, os.R_OK):
                    raise CloudError(
                        'TLS configuration error: the CA bundle that %s names (%s) cannot be read' % (name, path)
                    )
                verify = path
                break
    return proxies, verify


class Transport(object):
    """Sends signed GET requests for one listing and turns every failure into a CloudError.

    One Transport may serve many listings (a wait's polls): the deadline is a listing's, passed to ``get``.
    """

    def __init__(
        self,
        dialect,
        timeout=30,
        validate_certs=True,
        max_retries=5,
        pool_size=10,
        sleep=time.sleep,
        max_body_size=DEFAULT_MAX_BODY_SIZE,
        env=None,
    ):
        if not HAS_REQUESTS:
            raise CloudError('the Python library "requests" is required: %s' % REQUESTS_IMPORT_ERROR)
        self.dialect = dialect
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_body_size = max_body_size
        self.sleep = sleep
        self.proxies, self.verify = environment_settings(getattr(dialect, 'base', ''), validate_certs, env)
        self.session = _Session()
        self.session.trust_env = False  # no ~/.netrc, no ambient auth; proxies and CA bundle are resolved above
        self.session.verify = validate_certs
        adapter = _Adapter(pool_connections=1, pool_maxsize=max(pool_size, 1), max_retries=0)
        self.session.mount('https://', adapter)
        self.session.mount('http://', adapter)
        self.session.headers['User-Agent'] = USER_AGENT
        self.session.headers['Accept-Encoding'] = 'gzip, deflate'

    def close(self):
        self.session.close()

    def get(self, operation, path, params, limiter=None, check=None, deadline=None):
        """One call, retried on throttling and transient faults. Returns the decoded JSON body.

        ``check(body)`` may raise Malformed or Refused for a 2xx body; both are retried like any fault.
        Throttling is retried until ``deadline`` (or, without one, ``max_retries`` times) and does not count
        against ``max_retries``, which bounds the retries of every other fault.
        """
        failures = 0
        throttles = 0
        last = None
        while True:
            if deadline is not None and deadline.expired():
                raise deadline_error(deadline, last, operation)
            if limiter is not None:
                limiter.acquire(deadline)
            error = None
            try:
                body, error = self._attempt(operation, path, params, check, deadline)
            finally:
                if limiter is not None:
                    limiter.release(throttled=bool(error is not None and error.throttled))
            if error is None:
                return body
            last = error
            attempts = failures + throttles + 1
            if error.throttled and (deadline is not None or throttles < self.max_retries):
                throttles += 1
                step = throttles
            elif error.retryable and not error.throttled and failures < self.max_retries:
                failures += 1
                step = failures
            else:
                if attempts > 1:
                    error.message += ' (after %d attempts)' % attempts
                raise error
            if deadline is not None and error.retry_after and error.retry_after > deadline.remaining():
                error.message += ' (after %d attempts; the server asks to wait %g s, past the deadline of %g s)' % (
                    attempts,
                    error.retry_after,
                    deadline.seconds,
                )
                raise error
            delay = backoff_delay(step - 1, error.retry_after)
            if deadline is not None:
                delay = min(delay, max(0.0, deadline.remaining()))
            self.sleep(delay)

    def _attempt(self, operation, path, params, check=None, deadline=None):
        url, headers = self.dialect.sign('GET', path, params)
        budget = float(self.timeout)
        if deadline is not None:
            budget = min(budget, deadline.remaining())
        if budget <= 0:
            return None, deadline_error(deadline, None, operation)
        watch = _Watch(budget)
        response = None
        done = False
        watch.start()
        try:
            # verify per request: a Session's verify=False loses to REQUESTS_CA_BUNDLE (requests #3829).
            # The watchdog ends the attempt at `budget`; the socket's own read timeout is a second's margin
            # behind it, so a stalled read always ends the same way.
            response = self.session.get(
                url,
                headers=headers,
                timeout=(budget, budget + 1),
                allow_redirects=False,
                verify=self.verify,
                proxies=self.proxies,
                stream=True,
            )
            watch.attach(raw=response.raw)
            if 300 <= response.status_code < 400:
                data, too_large = b'', None  # a redirect is refused below; its body is never read
            else:
                data, too_large = self._read(response, watch)
                done = not too_large and not watch.fired
        except requests.exceptions.SSLError as exc:
            # A certificate problem does not heal by retrying.
            return None, CloudError('TLS error: %s' % _short(exc), operation=operation)
        except requests.exceptions.InvalidURL as exc:
            return None, CloudError('invalid URL: %s' % _short(exc), operation=operation)
        except requests.exceptions.InvalidHeader:
            # Its message quotes the header value, which may be a credential.
            return None, CloudError(
                'a request header has an invalid value (a line break or leading space in a credential?)',
                operation=operation,
            )
        except _UnsupportedEncoding as exc:
            return None, CloudError(str(exc), status=response.status_code, operation=operation)
        except (
            requests.exceptions.ConnectionError,
            requests.exceptions.Timeout,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        ) as exc:
            if watch.fired:
                return None, self._timed_out(operation, budget)
            return None, CloudError('connection failed: %s' % _short(exc), operation=operation, retryable=True)
        except requests.exceptions.RequestException as exc:
            return None, CloudError('request failed: %s' % _short(exc), operation=operation)
        except UnicodeError:
            # http.client writes header values as Latin-1, before it connects; its message quotes the value.
            names = sorted(name for name, value in headers.items() if not _latin1(value))
            return None, CloudError(
                'request header %s cannot be sent: its value is not Latin-1 text (a non-ASCII '
                'character in a credential, project_id or endpoint host?)' % ', '.join(names or ['?']),
                operation=operation,
            )
        except (OSError, zlib.error, urllib3.exceptions.HTTPError, http.client.HTTPException) as exc:
            # Raised while the body is read (urllib3 and http.client directly, not wrapped by requests).
            if watch.fired:
                return None, self._timed_out(operation, budget)
            return None, CloudError(
                'connection failed while reading the body: %s' % _short(exc), operation=operation, retryable=True
            )
        finally:
            watch.stop()
            if done:
                response.raw.release_conn()  # read to the end: the connection goes back to the pool
            elif response is not None:
                response.close()
        if watch.fired:
            # A read that ended because the watchdog shut the socket: whatever arrived is not the body.
            return None, self._timed_out(operation, budget)
        status = response.status_code
        if too_large:
            return None, CloudError(
                'response too large: more than %d bytes (%s)' % (self.max_body_size, too_large),
                status=status,
                operation=operation,
                request_id=self.dialect.request_id(response.headers, None),
            )
        if 300 <= status < 400:
            return None, CloudError(
                'redirected to %s; redirects are not followed (check endpoint)'
                % _location_host(response.headers.get('Location')),
                status=status,
                operation=operation,
                request_id=self.dialect.request_id(response.headers, None),
            )
        return self._decode(operation, response, data, check)

    def _timed_out(self, operation, budget):
        return CloudError(
            'no complete response within %.3g s (connect, headers and body)' % budget,
            operation=operation,
            retryable=True,
        )

    def _read(self, response, watch):
        """The decoded body, or (None, why) past max_body_size; raw and decoded sizes are both capped."""
        cap = self.max_body_size
        encoding = (response.headers.get('Content-Encoding') or 'identity').strip().lower()
        if encoding not in ENCODINGS:
            raise _UnsupportedEncoding(
                'unsupported Content-Encoding %r: only identity, gzip and deflate are accepted' % encoding[:40]
            )
        length = response.headers.get('Content-Length')
        if length and length.strip().isdigit() and int(length) > cap:
            return None, 'Content-Length %s' % length.strip()
        inflate = None
        if encoding in ('gzip', 'x-gzip'):
            inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == 'deflate':
            inflate = _Deflate()
        raw_size = 0
        parts = []
        size = 0
        raw = response.raw
        while True:
            if watch.fired:
                return None, None
            chunk = raw.read(CHUNK, decode_content=False)
            if not chunk:
                break
            raw_size += len(chunk)
            if raw_size > cap:
                return None, 'raw body'
            if inflate is None:
                parts.append(chunk)
                size += len(chunk)
                continue
            data = chunk
            while data:
                out = inflate.decompress(data, cap - size + 1)
                size += len(out)
                if size > cap:
                    return None, 'decoded body (%s)' % encoding
                parts.append(out)
                data = inflate.unconsumed_tail
        if inflate is not None:
            out = inflate.flush()
            size += len(out)
            if size > cap:
                return None, 'decoded body (%s)' % encoding
            parts.append(out)
        return b''.join(parts), None

    def _decode(self, operation, response, data, check):
        status = response.status_code
        headers = response.headers
        size = len(data)
        kind = (headers.get('Content-Type') or 'no content type').split(';', 1)[0].strip()[:60]
        body = None
        reason = None
        if data or status < 400:
            try:
                body = _parse(data)
            except Malformed as exc:
                reason = str(exc)
        error = self.dialect.error(status, headers, body)
        if error is None and not 200 <= status < 300:
            error = http_error(self.dialect, status, headers, None, None, self.dialect.request_id(headers, body))
        if error is not None:
            error.operation = operation
            if body is None and status >= 400:
                error.message = '%s; body: %s' % (error.message, _describe(size, kind))
            return None, error
        try:
            if reason is not None:
                raise Malformed(reason)
            if check is not None:
                check(body)
        except Malformed as exc:
            # Described by size and type, never quoted: a body may carry anything, secrets included.
            return None, CloudError(
                'malformed response body (%s): %s' % (_describe(size, kind), exc),
                status=status,
                operation=operation,
                retryable=True,
                request_id=self.dialect.request_id(headers, None),
            )
        except Refused as exc:
            error = http_error(
                self.dialect,
                exc.status if exc.status is not None else status,
                headers,
                exc.code,
                exc.message,
                exc.request_id or self.dialect.request_id(headers, body),
            )
            error.operation = operation
            return None, error
        return body, None


class _UnsupportedEncoding(Exception):
    pass


class _Deflate(object):
    """HTTP "deflate": zlib-wrapped as the RFC says, or raw deflate as some servers send it."""

    def __init__(self):
        self._inflate = zlib.decompressobj()
        self._first = True

    def decompress(self, data, max_length):
        if self._first:
            self._first = False
            try:
                return self._inflate.decompress(data, max_length)
            except zlib.error:
                self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._inflate.decompress(data, max_length)

    @property
    def unconsumed_tail(self):
        return self._inflate.unconsumed_tail

    def flush(self):
        return self._inflate.flush()


def _parse(data):
    """JSON from bytes, bounded in the number of values and in depth; Malformed otherwise."""
    values = data.count(b',') + data.count(b'{') + data.count(b'[')
    if values > MAX_VALUES:
        raise Malformed('more than %d JSON values' % MAX_VALUES)
    try:
        text = data.decode('utf-8-sig') if data[:3] == b'\xef\xbb\xbf' else data.decode('utf-8')
    except UnicodeDecodeError:
        raise Malformed('not UTF-8 text')
    del data
    if not text.strip():
        raise Malformed('empty body')
    try:
        body = json.loads(text)
    except RecursionError:
        raise Malformed('nested more than %d levels deep' % MAX_DEPTH)
    except ValueError:
        raise Malformed('not JSON')
    if too_deep(body, MAX_DEPTH):
        raise Malformed('nested more than %d levels deep' % MAX_DEPTH)
    return body


def too_deep(value, limit):
    """True when ``value`` nests dicts and lists more than ``limit`` levels deep (iterative: no recursion)."""
    level = [value] if isinstance(value, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        nested = []
        for node in level:
            children = node.values() if isinstance(node, dict) else node
            nested.extend(child for child in children if isinstance(child, (dict, list)))
        level = nested
    return False


def _describe(size, kind):
    return '%d bytes of %s' % (size, kind)


def _location_host(location):
    """The host a redirect points to, never its path or query (which may carry a token)."""
    if not location:
        return 'no Location'
    try:
        from urllib.parse import urlsplit

        parts = urlsplit(str(location).strip())
        host = parts.hostname
        port = parts.port
    except ValueError:
        return 'an invalid Location'
    if not host:
        return 'a relative Location on the same host'
    return '%s%s' % (host, ':%d' % port if port else '')


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


def http_error(dialect, status, headers, code, message, request_id):
    """The shared classification of an error response into retryable / throttled."""
    # x-acs-retry-after is in milliseconds (as the Alibaba SDK reads it); Retry-After in seconds.
    acs_retry_after = parse_retry_after(headers.get('x-acs-retry-after'))
    retry_after = acs_retry_after / 1000.0 if acs_retry_after else parse_retry_after(headers.get('Retry-After'))
    if code is not None and not isinstance(code, str):
        code = str(code)  # a garbled body may put any JSON value where the code belongs
    throttled = status == 429 or code in dialect.THROTTLING_CODES or bool(retry_after and status >= 400)
    retryable = throttled or status in (500, 502, 503, 504) or code in dialect.TRANSIENT_CODES
    if not message:
        message = 'HTTP %s with no error message' % status
    elif not isinstance(message, str):
        message = str(message)
    return CloudError(
        message,
        status=status,
        code=code,
        request_id=request_id,
        retryable=retryable,
        throttled=throttled,
        retry_after=retry_after,
    )

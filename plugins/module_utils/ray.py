# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Open-source Ray: the dashboard's address, plain request headers instead of a signature, error bodies.

The Jobs REST API is served by the dashboard of any Ray head: self-managed, KubeRay, or an EMR Serverless
Spark Ray cluster, whose dashboard URL carries its token as a ``token`` query parameter. The address is
used as given: its query goes with every request, and its values are secrets.
"""

from __future__ import annotations

import json
import os
import re

from urllib.parse import parse_qsl, urlencode, urlsplit

from ansible_collections.jobscope.cloud.plugins.module_utils.cloud import Cloud
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import Dialect, http_error

# Ray's own clients read the address from these, in this order (ray job --address).
ADDRESS_VARIABLES = ('RAY_API_SERVER_ADDRESS', 'RAY_ADDRESS')
HEADERS_VARIABLE = 'RAY_JOB_HEADERS'
TOKEN_VARIABLE = 'RAY_AUTH_TOKEN'
TOKEN_PATH_VARIABLE = 'RAY_AUTH_TOKEN_PATH'

_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


class Credentials(object):
    """Where the dashboard is and what goes with every request: the address's query and the headers."""

    def __init__(self, base, query, headers, source):
        self.base = base  # scheme://host[:port][/prefix], without the query
        self.query = query  # [(name, value)] of the address's query, sent with every request
        self.headers = headers  # {name: value}, an Authorization header included
        self.source = source


def parse_address(value, where):
    """(base, query pairs) of a dashboard URL; OptionError naming ``where`` (never quoting the value, which
    may carry a token)."""
    try:
        parts = urlsplit(str(value).strip())
        port = parts.port  # a bad port raises here
    except ValueError:
        raise OptionError('address', '%s is not a valid URL' % where)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise OptionError(
            'address',
            '%s must be the dashboard URL, such as http://127.0.0.1:8265 or '
            'https://HOST/PATH?token=TOKEN (a Ray Client or GCS address is not)' % where,
        )
    if parts.username or parts.password:
        raise OptionError(
            'address', '%s must not carry user:password@; give an Authorization header in headers instead' % where
        )
    if parts.fragment:
        raise OptionError('address', '%s must not carry a #fragment' % where)
    query = parse_qsl(parts.query, keep_blank_values=True)
    del port
    return '%s://%s%s' % (parts.scheme, parts.netloc, parts.path.rstrip('/')), query


def _headers(value, where):
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise OptionError('headers', '%s is not a JSON object of header names to values' % where)
    if not isinstance(value, dict):
        raise OptionError('headers', '%s must be a dictionary of header names to values' % where)
    headers = {}
    for name, text in value.items():
        if not isinstance(name, str) or not _HEADER_NAME.match(name):
            raise OptionError('headers', '%s has a header name that is not a valid HTTP token: %r' % (where, name))
        if text is None or isinstance(text, (dict, list, bool)):
            raise OptionError('headers', '%s: the value of header %s must be text' % (where, name))
        text = str(text)
        if '\r' in text or '\n' in text:
            raise OptionError('headers', '%s: the value of header %s has a line break' % (where, name))
        headers[name] = text
    return headers


def _token(options, env):
    token = options.get('auth_token') or env.get(TOKEN_VARIABLE)
    if token:
        return token.strip()
    path = env.get(TOKEN_PATH_VARIABLE)
    if not path:
        return None
    try:
        with open(path) as handle:
            token = handle.read().strip()
    except (IOError, OSError) as exc:
        raise OptionError(
            'auth_token',
            'cannot read the token file that %s names: %s' % (TOKEN_PATH_VARIABLE, exc.strerror or type(exc).__name__),
        )
    if not token:
        raise OptionError('auth_token', 'the token file that %s names is empty' % TOKEN_PATH_VARIABLE)
    return token


def resolve_credentials(options, env=None):
    """The address (option, then RAY_API_SERVER_ADDRESS, then RAY_ADDRESS), the headers (option, then
    RAY_JOB_HEADERS) and a bearer token (auth_token, then RAY_AUTH_TOKEN, then the file RAY_AUTH_TOKEN_PATH
    names) unless the headers hold an Authorization header already."""
    env = os.environ if env is None else env
    if options.get('address'):
        where, value = 'address', options['address']
    else:
        name = next((name for name in ADDRESS_VARIABLES if env.get(name)), None)
        if name is None:
            raise OptionError(
                'address',
                'address is required (the Ray dashboard URL, for example '
                'http://127.0.0.1:8265; or environment %s)' % ' or '.join(ADDRESS_VARIABLES),
            )
        where, value = 'environment %s' % name, env[name]
    base, query = parse_address(value, where)
    if options.get('headers') is not None:
        headers = _headers(options['headers'], 'headers')
    elif env.get(HEADERS_VARIABLE):
        headers = _headers(env[HEADERS_VARIABLE], 'environment %s' % HEADERS_VARIABLE)
    else:
        headers = {}
    token = _token(options, env)
    if token and not any(name.lower() == 'authorization' for name in headers):
        headers['Authorization'] = 'Bearer %s' % token
    return Credentials(base, query, headers, where)


def resolve_endpoint(service, options, env=None, credentials=None):
    """The dashboard itself: the base of the address the credentials were resolved with."""
    return credentials.base


def secret_values(options, credentials):
    """The address's query values (an EMR dashboard's token), every header value and the bearer token."""
    values = set()
    if options.get('address'):
        try:
            values.update(value for _name, value in parse_address(options['address'], 'address')[1])
        except OptionError:
            pass
    if isinstance(options.get('headers'), dict):
        values.update(str(value) for value in options['headers'].values() if value is not None)
    if options.get('auth_token'):
        values.add(options['auth_token'])
    if credentials is not None:
        values.update(value for _name, value in credentials.query)
        for value in credentials.headers.values():
            values.add(value)
            values.add(value.split(' ', 1)[-1])  # the token of "Bearer TOKEN" also on its own
    return values


class RayDialect(Dialect):
    """No signature: the address's query and the headers go with every request as they are."""

    def sign(self, method, path, params):
        pairs = list(self.credentials.query) + sorted(
            (key, value) for key, value in params.items() if value is not None
        )
        headers = {'Accept': 'application/json'}
        headers.update(self.credentials.headers)
        return self.url(self.prefix + path, urlencode(pairs)), headers

    @staticmethod
    def request_id(headers, body):
        return None  # the dashboard names none

    def error(self, status, headers, body):
        if status < 400:
            return None
        body = body if isinstance(body, dict) else {}
        message = body.get('message') or body.get('error') or body.get('msg')
        if status in (401, 403) and not message:
            message = (
                'the dashboard refused the request: give its token (auth_token, or an Authorization '
                'header in headers) or the token of its URL'
            )
        return http_error(self, status, headers, None, message, None)


CLOUD = Cloud(
    name='ray',
    spec=dict(
        # no_log: a dashboard URL may carry its token (EMR Serverless Spark's does).
        address=dict(type='str', no_log=True),
        headers=dict(type='dict', no_log=True),
        auth_token=dict(type='str', no_log=True),
    ),
    chain_options=('address', 'headers', 'auth_token'),
    inventory_options=(),
    resolve_credentials=resolve_credentials,
    resolve_endpoint=resolve_endpoint,
    dialect=RayDialect,
    secret_values=secret_values,
)

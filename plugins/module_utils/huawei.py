# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Huawei Cloud: the SDK-HMAC-SHA256 (APIG AK/SK) signer, IAM tokens, credentials, endpoints, error bodies."""

from __future__ import annotations

import hashlib
import hmac
import os

from urllib.parse import quote, unquote

from ansible_collections.jobscope.cloud.plugins.module_utils.cloud import Cloud
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import Dialect, http_error
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError, base_url, read_ini

ALGORITHM = 'SDK-HMAC-SHA256'
ENDPOINT_TEMPLATE = 'https://{service}.{region}.myhuaweicloud.com'


def rfc3986(value):
    return quote(value, safe='~', encoding='utf-8')


def canonical_uri(path):
    """Each segment encoded, always ending in "/" (the APIG convention); the sent path is decoded first."""
    encoded = '/'.join(rfc3986(segment) for segment in unquote(path).split('/'))
    return encoded if encoded.endswith('/') else encoded + '/'


def canonical_query(pairs):
    """Pairs sorted by key then value; the SDK sends exactly this string, and so do we."""
    return '&'.join('%s=%s' % (rfc3986(key), rfc3986(value)) for key, value in sorted(pairs))


def authorization(method, path, query_string, headers, access_key_id, secret_access_key, body=b''):
    lowered = dict((name.lower(), str(value).strip()) for name, value in headers.items())
    names = sorted(name for name in lowered if '_' not in name)
    canonical_headers = ''.join('%s:%s\n' % (name, lowered[name]) for name in names)
    signed_headers = ';'.join(names)
    canonical_request = '\n'.join(
        [
            method,
            canonical_uri(path),
            query_string,
            canonical_headers,
            signed_headers,
            hashlib.sha256(body).hexdigest(),
        ]
    )
    string_to_sign = '%s\n%s\n%s' % (
        ALGORITHM,
        lowered['x-sdk-date'],
        hashlib.sha256(canonical_request.encode('utf-8')).hexdigest(),
    )
    signature = hmac.new(secret_access_key.encode('utf-8'), string_to_sign.encode('utf-8'), hashlib.sha256).hexdigest()
    return '%s Access=%s, SignedHeaders=%s, Signature=%s' % (ALGORITHM, access_key_id, signed_headers, signature)


class Credentials(object):
    def __init__(
        self,
        access_key_id=None,
        access_key_secret=None,
        security_token=None,
        auth_token=None,
        project_id=None,
        source=None,
    ):
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.security_token = security_token
        self.auth_token = auth_token
        self.project_id = project_id
        self.source = source


def _credentials_file(path):
    parser = read_ini(path, 'access_key_id')
    if parser is None:
        return {}
    values = {}
    for section in ('global', 'basic'):
        if parser.has_section(section):
            values.update(dict(parser[section]))
    return values


def resolve_credentials(options, env=None, home=None):
    """An IAM token, or AK/SK from module options, then HUAWEICLOUD_SDK_* variables, then the credentials file."""
    env = os.environ if env is None else env
    home = home or os.path.expanduser('~')
    path = env.get('HUAWEICLOUD_SDK_CREDENTIALS_FILE') or os.path.join(home, '.huaweicloud', 'credentials')
    sources = [
        (
            'module options',
            options.get('access_key_id'),
            options.get('access_key_secret'),
            options.get('security_token'),
            options.get('project_id'),
        ),
        (
            'the environment',
            env.get('HUAWEICLOUD_SDK_AK'),
            env.get('HUAWEICLOUD_SDK_SK'),
            env.get('HUAWEICLOUD_SDK_SECURITY_TOKEN'),
            env.get('HUAWEICLOUD_SDK_PROJECT_ID'),
        ),
    ]
    file_values = _credentials_file(path)
    sources.append(
        (
            path,
            file_values.get('ak'),
            file_values.get('sk'),
            file_values.get('security_token'),
            file_values.get('project_id'),
        )
    )
    # The project id is independent of how the caller authenticates: first one found wins.
    project_id = next((source[4] for source in sources if source[4]), None)
    if not project_id:
        raise OptionError(
            'project_id',
            'project_id is required (option project_id, environment '
            'HUAWEICLOUD_SDK_PROJECT_ID or project_id in %s)' % path,
        )
    token = options.get('auth_token') or env.get('HUAWEICLOUD_SDK_AUTH_TOKEN')
    if token:
        return Credentials(auth_token=token, project_id=project_id, source='auth_token')
    for source, ak, sk, security_token, _project in sources:
        if ak and sk:
            return Credentials(ak, sk, security_token or None, project_id=project_id, source=source)
        if ak or sk:
            raise OptionError(
                'access_key_secret' if ak else 'access_key_id',
                'incomplete Huawei Cloud credentials in %s: AK and SK must be given together' % source,
            )
    raise OptionError(
        'access_key_id',
        'no Huawei Cloud credentials found; looked in: options auth_token and '
        'access_key_id/access_key_secret; environment HUAWEICLOUD_SDK_AUTH_TOKEN and '
        'HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK; %s' % path,
    )


def resolve_endpoint(service, options, env=None, credentials=None):
    env = os.environ if env is None else env
    if options.get('endpoint'):
        return base_url(options['endpoint'])
    region = options.get('region') or env.get('HUAWEICLOUD_SDK_REGION')
    if not region:
        raise OptionError(
            'region',
            'region is required when endpoint is not set (option region or environment HUAWEICLOUD_SDK_REGION)',
        )
    return ENDPOINT_TEMPLATE.format(service=service, region=region)


class HuaweiDialect(Dialect):
    """Signs with AK/SK (or sends an IAM token) and reads APIG and service error bodies."""

    THROTTLING_CODES = frozenset(['APIG.0308'])
    TRANSIENT_CODES = frozenset(['APIG.0202', 'APIG.0203'])

    def sign(self, method, path, params):
        creds = self.credentials
        path = self.prefix + path
        pairs = [(key, value) for key, value in params.items() if value is not None]
        query = canonical_query(pairs)
        headers = {'Content-Type': 'application/json', 'Accept': 'application/json', 'Host': self.host}
        if creds.auth_token:
            headers['X-Auth-Token'] = creds.auth_token
        else:
            headers['X-Sdk-Date'] = self.clock().strftime('%Y%m%dT%H%M%SZ')
            headers['X-Project-Id'] = creds.project_id
            if creds.security_token:
                headers['X-Security-Token'] = creds.security_token
            headers['Authorization'] = authorization(
                method, path, query, headers, creds.access_key_id, creds.access_key_secret
            )
        return self.url(path, query), headers

    @staticmethod
    def request_id(headers, body):
        if isinstance(body, dict) and body.get('request_id'):
            return body['request_id']
        return headers.get('X-Request-Id')

    def error(self, status, headers, body):
        if status < 400:
            return None
        body = body if isinstance(body, dict) else {}
        code = body.get('error_code') or body.get('code')
        message = body.get('error_msg') or body.get('message')
        return http_error(self, status, headers, code, message, self.request_id(headers, body))


def path_values(credentials):
    """Huawei paths carry the project: /v1.0/{project_id}/..."""
    return {'project_id': rfc3986(credentials.project_id)} if credentials.project_id else {}


CLOUD = Cloud(
    name='huawei',
    spec=dict(
        access_key_id=dict(type='str', no_log=False),
        access_key_secret=dict(type='str', no_log=True),
        security_token=dict(type='str', no_log=True),
        auth_token=dict(type='str', no_log=True),
        project_id=dict(type='str'),
        region=dict(type='str'),
        endpoint=dict(type='str'),
    ),
    chain_options=('access_key_id', 'access_key_secret', 'security_token', 'auth_token', 'project_id', 'region'),
    inventory_options=('endpoint',),
    resolve_credentials=resolve_credentials,
    resolve_endpoint=resolve_endpoint,
    dialect=HuaweiDialect,
    path_values=path_values,
    doc_fragment='jobscope.cloud.huawei',
    inventory_fragment='jobscope.cloud.inventory.huawei_connection',
)

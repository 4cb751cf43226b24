# -*- coding: utf-8 -*-
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Alibaba Cloud: the ACS3-HMAC-SHA256 signer, the credential chain, endpoints and error bodies."""

from __future__ import annotations

import hashlib
import hmac
import json
import os

from urllib.parse import quote

from ansible_collections.jobscope.cloud.plugins.module_utils.cloud import Cloud
from ansible_collections.jobscope.cloud.plugins.module_utils.transport import Dialect, http_error
from ansible_collections.jobscope.cloud.plugins.module_utils.options import OptionError, base_url, read_ini

ALGORITHM = 'ACS3-HMAC-SHA256'
EMPTY_SHA256 = hashlib.sha256(b'').hexdigest()

# The product's public and VPC host names; "{region}" is filled in.
PRODUCT_HOSTS = {
    'emr-serverless-spark': (
        'emr-serverless-spark.{region}.aliyuncs.com',
        'emr-serverless-spark-vpc.{region}.aliyuncs.com',
    ),
    'pai-dlc': ('pai-dlc.{region}.aliyuncs.com', 'pai-dlc-vpc.{region}.aliyuncs.com'),
    'maxcompute': ('maxcompute.{region}.aliyuncs.com', 'maxcompute-vpc.{region}.aliyuncs.com'),
}


def rfc3986(value):
    """Percent-encode a value as ACS3 signs it: only A-Z a-z 0-9 - _ . ~ stay as they are."""
    return quote(value, safe='~', encoding='utf-8')


def canonical_query(params):
    """The query string that is both signed and sent, so the two can never disagree."""
    return '&'.join('%s=%s' % (key, rfc3986(params[key])) for key in sorted(params) if params[key] is not None)


def authorization(method, path, query_string, headers, access_key_id, access_key_secret):
    """The Authorization header value for a request whose headers are all signed."""
    names = sorted(name.lower() for name in headers)
    lowered = dict((name.lower(), str(value).strip()) for name, value in headers.items())
    canonical_headers = ''.join('%s:%s\n' % (name, lowered[name]) for name in names)
    signed_headers = ';'.join(names)
    canonical_request = '\n'.join(
        [
            method,
            path or '/',
            query_string,
            canonical_headers,
            signed_headers,
            lowered.get('x-acs-content-sha256', EMPTY_SHA256),
        ]
    )
    string_to_sign = '%s\n%s' % (ALGORITHM, hashlib.sha256(canonical_request.encode('utf-8')).hexdigest())
    signature = hmac.new(access_key_secret.encode('utf-8'), string_to_sign.encode('utf-8'), hashlib.sha256).hexdigest()
    return '%s Credential=%s,SignedHeaders=%s,Signature=%s' % (ALGORITHM, access_key_id, signed_headers, signature)


class Credentials(object):
    def __init__(self, access_key_id, access_key_secret, security_token=None, source=None):
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.security_token = security_token
        self.source = source


def _from_pair(ak, sk, token, source, names):
    if ak and sk:
        return Credentials(ak, sk, token or None, source)
    if ak or sk or token:
        missing = names[1] if ak else names[0]
        raise OptionError(
            names[0] if not ak else names[1],
            'incomplete Alibaba Cloud credentials in %s: %s is missing' % (source, missing),
        )
    return None


def _cli_profile(path, name):
    """A profile of the aliyun CLI's config.json, in its AK or StsToken mode."""
    try:
        with open(path) as handle:
            config = json.load(handle)
    except (IOError, OSError):
        return None
    except ValueError as exc:
        raise OptionError('profile', 'cannot parse %s: %s' % (path, exc))
    if not isinstance(config, dict):
        raise OptionError('profile', '%s is not a JSON object' % path)
    name = name or config.get('current') or 'default'
    for profile in config.get('profiles') or []:
        if profile.get('name') != name:
            continue
        mode = profile.get('mode', 'AK')
        if mode not in ('AK', 'StsToken'):
            raise OptionError(
                'profile', 'profile %r in %s uses mode %s; only AK and StsToken are supported' % (name, path, mode)
            )
        token = profile.get('sts_token') if mode == 'StsToken' else None
        creds = _from_pair(
            profile.get('access_key_id'),
            profile.get('access_key_secret'),
            token,
            '%s profile %r' % (path, name),
            ('access_key_id', 'access_key_secret'),
        )
        if creds is not None:
            creds.region = profile.get('region_id')
        return creds
    return None


def _ini_profile(path, name):
    parser = read_ini(path, 'profile')
    if parser is None:
        return None
    name = name or 'default'
    if not parser.has_section(name):
        return None
    section = parser[name]
    kind = section.get('type', 'access_key')
    if kind not in ('access_key', 'sts'):
        raise OptionError(
            'profile', 'section [%s] of %s has type %s; only access_key and sts are supported' % (name, path, kind)
        )
    return _from_pair(
        section.get('access_key_id'),
        section.get('access_key_secret'),
        section.get('security_token') or section.get('sts_token'),
        '%s section [%s]' % (path, name),
        ('access_key_id', 'access_key_secret'),
    )


def resolve_credentials(options, env=None, home=None):
    """Module options, then ALIBABA_CLOUD_* variables, then the CLI profile file, then the INI file."""
    env = os.environ if env is None else env
    home = home or os.path.expanduser('~')
    looked = ['options access_key_id/access_key_secret']
    creds = _from_pair(
        options.get('access_key_id'),
        options.get('access_key_secret'),
        options.get('security_token'),
        'module options',
        ('access_key_id', 'access_key_secret'),
    )
    if creds:
        return creds
    profile = options.get('profile')
    if not profile:
        looked.append('environment ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET')
        creds = _from_pair(
            env.get('ALIBABA_CLOUD_ACCESS_KEY_ID'),
            env.get('ALIBABA_CLOUD_ACCESS_KEY_SECRET'),
            env.get('ALIBABA_CLOUD_SECURITY_TOKEN'),
            'the environment',
            ('ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'),
        )
        if creds:
            return creds
        profile = env.get('ALIBABA_CLOUD_PROFILE')
    cli_path = os.path.join(home, '.aliyun', 'config.json')
    looked.append('%s (profile %s)' % (cli_path, profile or 'current'))
    creds = _cli_profile(cli_path, profile)
    if creds:
        return creds
    ini_path = env.get('ALIBABA_CLOUD_CREDENTIALS_FILE') or os.path.join(home, '.alibabacloud', 'credentials.ini')
    looked.append('%s (section %s)' % (ini_path, profile or 'default'))
    creds = _ini_profile(ini_path, profile)
    if creds:
        return creds
    raise OptionError('access_key_id', 'no Alibaba Cloud credentials found; looked in: %s' % '; '.join(looked))


def resolve_endpoint(product, options, env=None, credentials=None):
    """The base URL: an explicit endpoint, else the product's host in the region (public or VPC)."""
    env = os.environ if env is None else env
    if options.get('endpoint'):
        return base_url(options['endpoint'])
    region = options.get('region') or env.get('ALIBABA_CLOUD_REGION_ID') or getattr(credentials, 'region', None)
    if not region:
        raise OptionError(
            'region',
            'region is required when endpoint is not set (option region or environment ALIBABA_CLOUD_REGION_ID)',
        )
    public, vpc = PRODUCT_HOSTS[product]
    host = (vpc if options.get('endpoint_type') == 'vpc' else public).format(region=region)
    return 'https://' + host


class AlibabaDialect(Dialect):
    """Signs requests for one product and reads Alibaba error bodies."""

    THROTTLING_CODES = frozenset(
        [
            'Throttling',
            'Throttling.User',
            'Throttling.Api',
            'Throttling.Concurrent',
            'Rejected.Throttling',
            'ServiceUnavailable.Throttling',
        ]
    )
    TRANSIENT_CODES = frozenset(['ServiceUnavailable', 'InternalError.Timeout'])

    def sign(self, method, path, params):
        path = self.prefix + path
        query = canonical_query(params)
        headers = {
            'host': self.host,
            'x-acs-action': self.action,
            'x-acs-version': self.version,
            'x-acs-date': self.clock().strftime('%Y-%m-%dT%H:%M:%SZ'),
            'x-acs-signature-nonce': self.nonce(),
            'x-acs-content-sha256': EMPTY_SHA256,
            'accept': 'application/json',
        }
        creds = self.credentials
        if creds.security_token:
            headers['x-acs-security-token'] = creds.security_token
        headers['Authorization'] = authorization(
            method, path, query, headers, creds.access_key_id, creds.access_key_secret
        )
        return self.url(path, query), headers

    @staticmethod
    def request_id(headers, body):
        if isinstance(body, dict):
            for key in ('RequestId', 'requestId'):
                if body.get(key):
                    return body[key]
        return headers.get('x-acs-request-id')

    def error(self, status, headers, body):
        # An error inside a 2xx body is the endpoint's to declare (endpoints.Envelope: MaxCompute's).
        if status < 400:
            return None
        body = body if isinstance(body, dict) else {}
        mc_code = body.get('errorCode')  # MaxCompute's envelope, on its 4xx/5xx answers too
        code = body.get('Code') or body.get('code') or (mc_code if mc_code != 'success' else None)
        message = body.get('Message') or body.get('message') or body.get('errorMsg')
        return http_error(self, status, headers, code, message, self.request_id(headers, body))


CLOUD = Cloud(
    name='alibaba',
    spec=dict(
        access_key_id=dict(type='str', no_log=False),
        access_key_secret=dict(type='str', no_log=True),
        security_token=dict(type='str', no_log=True),
        profile=dict(type='str'),
        region=dict(type='str'),
        endpoint=dict(type='str'),
        endpoint_type=dict(type='str', choices=['public', 'vpc'], default='public'),
    ),
    chain_options=('access_key_id', 'access_key_secret', 'security_token', 'profile'),
    inventory_options=('endpoint_type', 'endpoint'),  # region fans out as the plugins' regions
    resolve_credentials=resolve_credentials,
    resolve_endpoint=resolve_endpoint,
    dialect=AlibabaDialect,
    doc_fragment='jobscope.cloud.alibaba',
    inventory_fragment='jobscope.cloud.inventory.alibaba_connection',
)

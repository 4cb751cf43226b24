"""Fixtures for the emulator's own tests.

One emulator runs in-process for the whole session (started on port 0); every test gets it back in the
demo state.  Raw requests are signed with the vendors' own signers (test-only dependencies), so these
tests check the emulator against the official implementations rather than against itself.
"""

import datetime
import http.client
import json
import os
import sys
import uuid
from urllib.parse import quote, urlencode

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
EMULATOR_DIR = os.path.dirname(HERE)
sys.path.insert(0, EMULATOR_DIR)

from emulator import Emulator  # noqa: E402

ALI_ACTIONS = {
    "ListRayCluster": ("ListRayCluster", "2023-08-08"),
    "ListRayJob": ("ListRayJob", "2023-08-08"),
    "ListJobs": ("ListJobs", "2020-12-03"),
    "GetRunningJobs": ("GetRunningJobs", "2022-01-04"),
}
ALI_PATHS = {
    "ListRayCluster": "/api/v1/workspaces/w-demo/rayCluster",
    "ListRayJob": "/api/v1/workspaces/w-demo/rayJob",
    "ListJobs": "/api/v1/jobs",
    "GetRunningJobs": "/api/v1/jobs/runningJobs",
}
PROJECT = "0123456789abcdef0123456789abcdef"
OCTOPUS_PATH = "/v1.0/%s/data/queuing-jobs" % PROJECT


@pytest.fixture(scope="session")
def server():
    emu = Emulator("demo").start()
    yield emu
    emu.stop()


@pytest.fixture
def emu(server):
    server.reset("demo")
    yield server
    server.reset("demo")


def utc_stamp(fmt, delta_seconds=0):
    now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=delta_seconds)
    return now.strftime(fmt)


def alibaba_headers(emu, endpoint, path, query, ak="emuAccessKeyId", sk="emuAccessKeySecret", token=None,
                    date=None, nonce=None, action=None, version=None):
    """Headers for one ACS3-signed GET, signed by the official tea-openapi signer."""
    from alibabacloud_tea_openapi.utils import Utils
    from darabonba.request import DaraRequest

    default_action, default_version = ALI_ACTIONS[endpoint]
    req = DaraRequest()
    req.method = "GET"
    req.pathname = path
    req.query = {k: v for k, v in query.items() if v is not None}
    req.headers = {
        "host": "127.0.0.1:%d" % emu.port,
        "x-acs-action": action or default_action,
        "x-acs-version": version or default_version,
        "x-acs-date": date or utc_stamp("%Y-%m-%dT%H:%M:%SZ"),
        "x-acs-signature-nonce": nonce or uuid.uuid4().hex,
        "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    }
    if token:
        req.headers["x-acs-security-token"] = token
    req.headers["Authorization"] = Utils.get_authorization(req, "ACS3-HMAC-SHA256", req.headers["x-acs-content-sha256"],
                                                           ak, sk)
    return req.headers


def rfc3986_query(query):
    return "&".join("%s=%s" % (quote(k, safe="~"), quote(str(v), safe="~")) for k, v in query.items())


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def raw_get(emu, path_qs, headers, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=timeout)
    try:
        conn.request("GET", path_qs, headers=headers)
        resp = conn.getresponse()
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    finally:
        conn.close()


def alibaba_get(emu, endpoint, query=None, path=None, **sign):
    """A correctly signed (unless told otherwise) raw GET to one of the Alibaba endpoints."""
    query = dict(query or {})
    path = path or ALI_PATHS[endpoint]
    headers = alibaba_headers(emu, endpoint, path, query, **sign)
    qs = rfc3986_query(query)
    return raw_get(emu, path + ("?" + qs if qs else ""), headers)


def huawei_get(emu, query, ak="emuHwAk", sk="emuHwSk", path=OCTOPUS_PATH, token=None, date=None):
    """A raw GET to Octopus signed by the official huaweicloudsdkcore signer (or with an IAM token)."""
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    pairs = sorted(query.items())
    if token:
        qs = urlencode(pairs)
        return raw_get(emu, path + ("?" + qs if qs else ""), {"X-Auth-Token": token,
                                                              "Content-Type": "application/json"})
    headers = {"Content-Type": "application/json", "X-Project-Id": PROJECT}
    if date:
        headers["X-Sdk-Date"] = date
    req = SdkRequest(method="GET", schema="http", host="127.0.0.1:%d" % emu.port, resource_path=path,
                     query_params=list(pairs), header_params=headers, body="")
    Signer(BasicCredentials(ak, sk)).sign(req)
    return raw_get(emu, req.uri, req.header_params)


@pytest.fixture
def ali_config(emu):
    """Config factory for the official Alibaba product clients pointed at the emulator."""
    from alibabacloud_tea_openapi.models import Config

    def make(ak="emuAccessKeyId", sk="emuAccessKeySecret", token=None):
        return Config(access_key_id=ak, access_key_secret=sk, security_token=token,
                      endpoint="127.0.0.1:%d" % emu.port, protocol="http")
    return make


def sdk_diff(sdk, item, path=""):
    """Differences between an SDK model's to_map() and the emulator's item.

    The SDK's from_map turns absent list fields into [], so a key only the SDK has is fine when its
    value is empty.  Every key the emulator sends must be known to the SDK model, and every value must
    survive the round trip unchanged (True is not 1).
    """
    diffs = []
    if isinstance(item, dict) and isinstance(sdk, dict):
        for key, value in item.items():
            if key not in sdk:
                diffs.append("%s.%s: not in the SDK model" % (path, key))
            else:
                diffs.extend(sdk_diff(sdk[key], value, "%s.%s" % (path, key)))
        for key, value in sdk.items():
            if key not in item and value not in ([], {}):
                diffs.append("%s.%s: only in the SDK (%r)" % (path, key, value))
    elif isinstance(item, list) and isinstance(sdk, list):
        if len(item) != len(sdk):
            diffs.append("%s: %d items vs %d" % (path, len(item), len(sdk)))
        for n, (a, b) in enumerate(zip(sdk, item)):
            diffs.extend(sdk_diff(a, b, "%s[%d]" % (path, n)))
    elif sdk != item or isinstance(sdk, bool) != isinstance(item, bool):
        diffs.append("%s: %r != %r" % (path, sdk, item))
    return diffs

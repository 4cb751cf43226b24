"""The emulator's verifiers against the vendors' known-answer vectors, and against tampering."""

import json
import os
from urllib.parse import quote, urlencode

import pytest

from jobscope_emulator.signing import (AlibabaVerifier, AuthError, HuaweiVerifier, NonceCache, parse_acs3_date,
                                       split_query)

VECTORS_FILE = os.environ.get("JOBSCOPE_SIGNATURE_VECTORS", "/work/shared/reference/signature-vectors.json")
VECTOR_TIME = parse_acs3_date("2024-01-01T00:00:00Z")   # the vectors were signed at this instant


def load_vectors():
    if not os.path.exists(VECTORS_FILE):
        pytest.skip("signature vectors not found at %s" % VECTORS_FILE)
    with open(VECTORS_FILE, encoding="utf-8") as handle:
        return json.load(handle)["vectors"]


def vector_ids():
    if not os.path.exists(VECTORS_FILE):
        return []
    with open(VECTORS_FILE, encoding="utf-8") as handle:
        return [v["name"] for v in json.load(handle)["vectors"]]


def request_of(vector, query_style="sdk"):
    """(path, raw query, headers) as a server would receive the vector's request."""
    headers = {k.lower(): [v] for k, v in vector["headers"].items()}
    headers["authorization"] = [vector["authorization"]]
    if vector["scheme"] == "ACS3-HMAC-SHA256":
        if query_style == "sdk":       # what the Alibaba SDK puts on the wire: form encoding, '+' for space
            raw_query = urlencode(vector["query"])
        else:                          # the signed RFC 3986 form
            raw_query = "&".join("%s=%s" % (k, quote(v, safe="~")) for k, v in vector["query"].items())
        return vector["path"], raw_query, headers
    path, dummy, raw_query = vector["request_uri"].partition("?")
    return path, raw_query, headers


def verifier_for(vector, now=VECTOR_TIME):
    if vector["scheme"] == "ACS3-HMAC-SHA256":
        token = vector["headers"].get("x-acs-security-token")
        return AlibabaVerifier({vector["access_key_id"]: {"secret": vector["access_key_secret"],
                                                          "security_token": token}}, now=lambda: now)
    token = vector["headers"].get("X-Security-Token")
    return HuaweiVerifier({vector["access_key_id"]: {"secret": vector["access_key_secret"], "security_token": token}},
                          now=lambda: now)


def verify(vector, path=None, raw_query=None, headers=None, now=VECTOR_TIME, query_style="sdk"):
    p, q, h = request_of(vector, query_style)
    return verifier_for(vector, now).verify(vector["method"], path if path is not None else p,
                                            raw_query if raw_query is not None else q,
                                            headers if headers is not None else h)


@pytest.mark.parametrize("name", vector_ids())
@pytest.mark.parametrize("query_style", ["sdk", "rfc3986"])
def test_every_vector_verifies(name, query_style):
    vector = next(v for v in load_vectors() if v["name"] == name)
    outcome = verify(vector, query_style=query_style)
    assert outcome.access_key_id == vector["access_key_id"]


def flip(text, index):
    """Change one byte of text (keeping it printable)."""
    ch = text[index]
    return text[:index] + ("b" if ch == "a" else "a") + text[index + 1:]


@pytest.mark.parametrize("name", vector_ids())
def test_one_byte_changes_fail(name):
    vector = next(v for v in load_vectors() if v["name"] == name)
    path, raw_query, headers = request_of(vector)
    expected = "SignatureDoesNotMatch" if vector["scheme"] == "ACS3-HMAC-SHA256" else "APIG.0301"

    auth = headers["authorization"][0]
    tampered = []
    tampered.append(dict(headers, authorization=[flip(auth, len(auth) - 1)]))            # the signature
    host = headers["host"][0]
    tampered.append(dict(headers, host=[flip(host, 0)]))                                 # a signed header
    for h in tampered:
        with pytest.raises(AuthError) as err:
            verify(vector, headers=h)
        assert err.value.code == expected
    with pytest.raises(AuthError) as err:                                                # the path
        verify(vector, path=flip(path, len(path) - 1))
    assert err.value.code == expected
    with pytest.raises(AuthError) as err:                                                # the query
        verify(vector, raw_query=flip(raw_query, len(raw_query) - 1))
    assert err.value.code == expected


def test_signature_mismatch_reports_the_server_string_to_sign():
    vector = load_vectors()[0]
    path, raw_query, headers = request_of(vector)
    with pytest.raises(AuthError) as err:
        verify(vector, raw_query=raw_query.replace("pageSize=20", "pageSize=21"))
    assert err.value.string_to_sign.startswith("ACS3-HMAC-SHA256\n")
    assert err.value.string_to_sign in err.value.message
    assert "pageSize=21" in err.value.canonical_request


@pytest.mark.parametrize("skew", [-16 * 60, 16 * 60])
def test_dates_outside_fifteen_minutes_are_refused(skew):
    for vector in load_vectors():
        with pytest.raises(AuthError) as err:
            verify(vector, now=VECTOR_TIME + skew)
        assert err.value.code == ("InvalidTimeStamp.Expired" if vector["scheme"] == "ACS3-HMAC-SHA256"
                                  else "APIG.0301")
        verify(vector, now=VECTOR_TIME + (skew // 16) * 14)   # 14 minutes is fine


def test_alibaba_header_rules():
    vector = load_vectors()[0]
    path, raw_query, headers = request_of(vector)

    def code(h):
        with pytest.raises(AuthError) as err:
            verify(vector, headers=h)
        return err.value.status, err.value.code

    assert code({k: v for k, v in headers.items() if k != "authorization"}) == (400, "IncompleteSignature")
    assert code(dict(headers, authorization=["ACS3-HMAC-SHA256 Credential=x, SignedHeaders=a, Signature=00"])) == \
        (400, "IncompleteSignature")
    unsigned_date = headers["authorization"][0].replace("x-acs-date;", "")
    assert code(dict(headers, authorization=[unsigned_date])) == (400, "IncompleteSignature")
    other_key = headers["authorization"][0].replace("testAccessKeyId", "unknownKey")
    assert code(dict(headers, authorization=[other_key])) == (404, "InvalidAccessKeyId.NotFound")
    verifier = verifier_for(vector)
    with pytest.raises(AuthError) as err:
        verifier.verify("GET", path, raw_query, headers, action="ListRayCluster")
    assert err.value.code == "InvalidAction.NotFound"
    with pytest.raises(AuthError) as err:
        verifier.verify("GET", path, raw_query, headers, version="2020-12-03")
    assert err.value.code == "InvalidVersion"


def test_sts_token_must_match_and_be_signed():
    vector = next(v for v in load_vectors() if v["name"] == "emr ListRayJob, STS token")
    path, raw_query, headers = request_of(vector)
    with pytest.raises(AuthError) as err:
        verify(vector, headers=dict(headers, **{"x-acs-security-token": ["other"]}))
    assert err.value.code == "InvalidSecurityToken.MismatchWithAccessKey"
    without = {k: v for k, v in headers.items() if k != "x-acs-security-token"}
    with pytest.raises(AuthError) as err:   # still listed in SignedHeaders
        verify(vector, headers=without)
    assert err.value.code == "IncompleteSignature"
    without["authorization"] = [headers["authorization"][0].replace("x-acs-security-token;", "")]
    with pytest.raises(AuthError) as err:   # not sent at all
        verify(vector, headers=without)
    assert err.value.code == "InvalidSecurityToken.MismatchWithAccessKey"


def test_empty_values_sign_either_way():
    """Documented form drops empty values; the official SDK signs them as 'key='. Both verify."""
    from alibabacloud_tea_openapi.utils import Utils
    from darabonba.request import DaraRequest

    base = {"host": "h", "x-acs-action": "ListJobs", "x-acs-version": "2020-12-03",
            "x-acs-date": "2024-01-01T00:00:00Z", "x-acs-signature-nonce": "n",
            "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}
    verifier = AlibabaVerifier({"ak": {"secret": "sk", "security_token": None}}, now=lambda: VECTOR_TIME)
    for signed_query in ({"Status": "Running", "JobType": ""}, {"Status": "Running"}):
        req = DaraRequest()
        req.method, req.pathname, req.query, req.headers = "GET", "/api/v1/jobs", signed_query, dict(base)
        auth = Utils.get_authorization(req, "ACS3-HMAC-SHA256", base["x-acs-content-sha256"], "ak", "sk")
        headers = {k: [v] for k, v in base.items()}
        headers["authorization"] = [auth]
        verifier.verify("GET", "/api/v1/jobs", "Status=Running&JobType=", headers)


def test_split_query_decodes_plus_and_percent():
    assert split_query("a=b+c%2Bd&e=%E8%AE%AD&bare&f=") == [("a", "b c+d"), ("e", "训"), ("bare", None), ("f", "")]


def test_nonce_cache():
    clock = [1000.0]
    cache = NonceCache(ttl=1800, now=lambda: clock[0])
    assert cache.consume("n1") and not cache.consume("n1") and cache.consume("n2")
    clock[0] += 1801
    assert cache.consume("n1")

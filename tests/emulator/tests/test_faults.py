"""Injected faults, latency, concurrency and the rate limiter, observed with plain http.client."""

import concurrent.futures
import http.client
import json
import time

import pytest

from conftest import alibaba_get, huawei_get


def test_throttle_alibaba_default_and_override(emu):
    emu.add_faults([{"endpoint": "ListRayCluster", "kind": "throttle", "retry_after": 3},
                    {"endpoint": "ListRayCluster", "kind": "throttle", "status": 429, "code": "Throttling"}])
    first = alibaba_get(emu, "ListRayCluster")
    assert first.status == 400 and first.json()["Code"] == "Throttling.User"
    assert first.headers["x-acs-retry-after"] == "3"
    assert first.json()["RequestId"] == first.headers["x-acs-request-id"]
    second = alibaba_get(emu, "ListRayCluster")
    assert second.status == 429 and second.json()["Code"] == "Throttling" and "x-acs-retry-after" not in second.headers
    assert alibaba_get(emu, "ListRayCluster").status == 200   # count defaults to 1 per rule


def test_throttle_huawei(emu):
    emu.add_faults([{"endpoint": "QueryQueuedJobList", "kind": "throttle", "retry_after": 4},
                    {"endpoint": "QueryQueuedJobList", "kind": "throttle"}])
    resp = huawei_get(emu, {"queue_type": "USER"})
    assert resp.status == 429 and resp.json()["error_code"] == "APIG.0308"
    assert resp.headers["retry-after"] == "4" and resp.headers["x-request-id"]
    assert huawei_get(emu, {"queue_type": "USER"}).headers["retry-after"] == "1"   # always present


def test_error_fault_uses_the_vendor_body(emu):
    emu.add_faults([{"endpoint": None, "kind": "error", "count": 2}])
    resp = alibaba_get(emu, "GetRunningJobs", {"from": "1", "to": "2"})
    body = resp.json()
    assert resp.status == 503 and body["Code"] == "ServiceUnavailable"
    assert body["errorCode"] == "ServiceUnavailable" and body["httpCode"] == 503   # MaxCompute keys too
    resp = huawei_get(emu, {"queue_type": "USER"})
    assert resp.status == 503 and resp.json()["error_code"] == "APIG.0201"
    emu.add_faults([{"kind": "error", "status": 500, "code": "InternalError", "endpoint": "ListJobs"}])
    assert alibaba_get(emu, "ListJobs").json()["Code"] == "InternalError"


def test_skip_and_persistent_rules(emu):
    emu.add_faults([{"endpoint": "ListJobs", "kind": "error", "skip": 2, "count": None}])
    statuses = [alibaba_get(emu, "ListJobs").status for dummy in range(5)]
    assert statuses == [200, 200, 503, 503, 503]
    assert alibaba_get(emu, "ListRayCluster").status == 200   # other endpoints untouched
    emu.clear_faults()
    assert alibaba_get(emu, "ListJobs").status == 200


def test_drop_closes_without_an_answer(emu):
    emu.add_faults([{"endpoint": "ListJobs", "kind": "drop"}])
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        alibaba_get(emu, "ListJobs")
    assert alibaba_get(emu, "ListJobs").status == 200
    dropped = [e for e in emu.requests("ListJobs") if e["fault"] == "drop"]
    assert len(dropped) == 1 and dropped[0]["status"] is None and dropped[0]["auth"] == "ok"


def test_truncated_sends_half_the_body(emu):
    emu.add_faults([{"endpoint": "ListRayCluster", "kind": "truncated"}])
    with pytest.raises(http.client.IncompleteRead):
        alibaba_get(emu, "ListRayCluster", {"pageSize": "50"})
    assert alibaba_get(emu, "ListRayCluster").status == 200


def test_malformed_and_html(emu):
    emu.add_faults([{"endpoint": "ListRayJob", "kind": "malformed"}, {"endpoint": "ListRayJob", "kind": "html"}])
    garbage = alibaba_get(emu, "ListRayJob")
    assert garbage.status == 200
    with pytest.raises(ValueError):
        json.loads(garbage.body.decode("utf-8", "replace"))
    page = alibaba_get(emu, "ListRayJob")
    assert page.status == 502 and page.headers["content-type"].startswith("text/html")
    assert b"502 Bad Gateway" in page.body


def test_faulted_requests_do_not_burn_the_nonce(emu):
    emu.add_faults([{"endpoint": "ListJobs", "kind": "error"}])
    assert alibaba_get(emu, "ListJobs", nonce="same-nonce-1").status == 503
    assert alibaba_get(emu, "ListJobs", nonce="same-nonce-1").status == 200   # the retry with the same signature
    replay = alibaba_get(emu, "ListJobs", nonce="same-nonce-1")
    assert replay.status == 400 and replay.json()["Code"] == "SignatureNonceUsed"


def test_latency_is_per_request_and_concurrent(emu):
    emu.add_faults([{"endpoint": "ListRayCluster", "kind": "latency", "delay_ms": 300, "count": None}])
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda n: alibaba_get(emu, "ListRayCluster").status, range(8)))
    elapsed = time.monotonic() - start
    assert statuses == [200] * 8
    assert 0.3 <= elapsed < 1.5, "eight 300 ms requests must overlap"
    start = time.monotonic()
    assert alibaba_get(emu, "ListJobs").status == 200
    assert time.monotonic() - start < 0.25


def test_latency_combines_with_another_fault(emu):
    emu.add_faults([{"endpoint": "ListJobs", "kind": "latency", "delay_ms": 200},
                    {"endpoint": "ListJobs", "kind": "throttle"}])
    start = time.monotonic()
    assert alibaba_get(emu, "ListJobs").status == 400
    assert time.monotonic() - start >= 0.2


def test_global_latency_setting(emu):
    emu.configure(latency_ms=150)
    start = time.monotonic()
    alibaba_get(emu, "ListJobs")
    assert time.monotonic() - start >= 0.15


def test_rate_limit_token_bucket(emu):
    emu.configure(rate_limit={"rps": 2, "burst": 3})
    codes = [alibaba_get(emu, "ListJobs").status for dummy in range(5)]
    assert codes[:3] == [200, 200, 200] and 400 in codes[3:]
    limited = [e for e in emu.requests() if e["fault"] == "rate_limit"]
    assert limited and all(e["code"] == "Throttling.User" for e in limited)
    time.sleep(0.6)   # one more token
    assert alibaba_get(emu, "ListJobs").status == 200
    resp = None
    for dummy in range(5):
        resp = huawei_get(emu, {"queue_type": "USER"})
        if resp.status != 200:
            break
    assert resp.status == 429 and resp.json()["error_code"] == "APIG.0308"
    emu.configure(rate_limit=None)


def test_bad_fault_specs_are_refused(emu):
    from jobscope_emulator.server import ControlError
    for bad in ({"kind": "nope"}, {"kind": "latency"}, {"kind": "error", "endpoint": "Nope"},
                {"kind": "error", "count": -1}, {"kind": "error", "colour": "red"}):
        with pytest.raises(ControlError):
            emu.add_faults([bad])

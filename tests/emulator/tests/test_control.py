"""The /_emulator/ control API over HTTP, the request log, changes and replay protection."""

import http.client
import json
import time

from conftest import alibaba_get, huawei_get, raw_get


def control(emu, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        conn.request(method, "/_emulator" + path, body=payload, headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read())
    finally:
        conn.close()


def test_health_config_endpoints(emu):
    assert control(emu, "GET", "/health") == (200, {"ok": True})
    status, config = control(emu, "GET", "/config")
    assert status == 200 and config["counts"]["pai_dlc_jobs"] == 130
    assert config["counts"]["emr_ray_clusters"] == {"w-demo": 230}
    assert config["credentials"]["alibaba"]["access_key_id"] == "emuAccessKeyId"
    status, eps = control(emu, "GET", "/endpoints")
    assert [e["name"] for e in eps["endpoints"]] == ["ListRayCluster", "ListRayJob", "ListJobs", "GetRunningJobs",
                                                     "QueryQueuedJobList"]
    assert control(emu, "GET", "/nope")[0] == 404


def test_reset_with_a_spec_and_with_empty_body(emu):
    status, result = control(emu, "POST", "/reset", {"seed": 1, "pai_dlc_jobs": {"count": 3},
                                                     "credentials": {"alibaba": {"access_key_secret": "s2"}}})
    assert status == 200 and result["counts"]["pai_dlc_jobs"] == 3
    assert alibaba_get(emu, "ListJobs").status == 400   # default secret no longer valid
    assert alibaba_get(emu, "ListJobs", sk="s2").json()["TotalCount"] == 3
    emu.add_faults([{"kind": "error", "count": None}])
    control(emu, "POST", "/reset", {})
    assert control(emu, "GET", "/faults")[1] == {"faults": []}
    assert control(emu, "GET", "/requests")[1]["count"] == 0
    assert alibaba_get(emu, "ListJobs", sk="s2").json()["TotalCount"] == 3   # same spec rebuilt
    assert control(emu, "POST", "/reset", {"bogus": 1})[0] == 400
    assert control(emu, "POST", "/reset", {"pai_dlc_jobs": {"count": 2, "mix": {"Status": {"Running": 3}}}})[0] == 400


def test_request_log_fields(emu):
    alibaba_get(emu, "ListJobs", {"DisplayName": "a b+c", "ShowOwn": "True", "PageSize": "5"})
    huawei_get(emu, {"queue_type": "USER", "limit": "5"})
    alibaba_get(emu, "ListJobs", sk="bad")
    status, log = control(emu, "GET", "/requests")
    first, second, third = log["requests"]
    assert first["endpoint"] == "ListJobs" and first["auth"] == "ok" and first["status"] == 200
    assert first["params"] == {"DisplayName": "a b+c", "ShowOwn": "True", "PageSize": "5"}
    assert first["query"].startswith("DisplayName=a%20b%2Bc")
    assert first["headers"]["x-acs-action"] == "ListJobs" and "authorization" in first["headers"]
    assert first["seq"] < second["seq"] < third["seq"] and first["time"] <= third["time"]
    assert second["endpoint"] == "QueryQueuedJobList" and second["auth"] == "ok" and second["code"] is None
    assert third["auth"] == third["code"] == "SignatureDoesNotMatch" and third["status"] == 400
    assert control(emu, "GET", "/requests?endpoint=QueryQueuedJobList")[1]["count"] == 1
    assert control(emu, "GET", "/requests?since=%d" % second["seq"])[1]["count"] == 1
    assert control(emu, "DELETE", "/requests")[1] == {"ok": True}
    assert control(emu, "GET", "/requests")[1]["count"] == 0


def test_items_endpoint(emu):
    status, snap = control(emu, "GET", "/items/emr_ray_clusters?workspace=w-demo&offset=5&limit=3")
    assert status == 200 and snap["count"] == 3
    assert snap["items"] == emu.items("emr_ray_clusters", "w-demo")[5:8]
    assert control(emu, "GET", "/items/nothing")[0] == 400


def test_set_change_after_seconds(emu):
    item = emu.items("emr_ray_clusters", "w-demo")[0]
    status, result = control(emu, "POST", "/changes", {"changes": [
        {"collection": "emr_ray_clusters", "id": item["clusterId"], "set": {"state": "Error"}, "after_seconds": 0.3}]})
    assert status == 200 and result["applied"] == 0 and len(result["pending"]) == 1
    page = alibaba_get(emu, "ListRayCluster", {"pageSize": "1"}).json()["rayClusters"][0]
    assert page["state"] == item["state"] != "Error"
    time.sleep(0.35)
    page = alibaba_get(emu, "ListRayCluster", {"pageSize": "1"}).json()["rayClusters"][0]
    assert page["state"] == "Error" and page["message"] != "ok"   # derived fields follow
    assert control(emu, "POST", "/changes", {"changes": [{"collection": "emr_ray_clusters", "id": "ray-nope",
                                                          "set": {"state": "Error"}}]})[0] == 400


def test_dlc_status_change_is_seen_by_filters(emu):
    job = emu.items("pai_dlc_jobs")[3]
    new_values = {"Status": "Stopped", "Settings": {"Caller": "changed"}}
    emu.add_changes([{"collection": "pai_dlc_jobs", "id": job["JobId"], "set": new_values}])
    body = alibaba_get(emu, "ListJobs", {"Caller": "changed"}).json()
    assert [j["JobId"] for j in body["Jobs"]] == [job["JobId"]]
    assert body["Jobs"][0]["Status"] == "Stopped" and body["Jobs"][0]["Settings"]["Tags"] == job["Settings"]["Tags"]


def test_add_between_pages_shifts_the_listing(emu):
    before = [c["clusterId"] for c in emu.items("emr_ray_clusters", "w-demo")]
    emu.add_changes([{"collection": "emr_ray_clusters", "add": 5, "after_requests": 1}])
    page1 = alibaba_get(emu, "ListRayCluster", {"pageNum": "1", "pageSize": "100"}).json()["rayClusters"]
    page2 = alibaba_get(emu, "ListRayCluster", {"pageNum": "2", "pageSize": "100"}).json()["rayClusters"]
    assert [c["clusterId"] for c in page1] == before[:100]
    assert [c["clusterId"] for c in page2] == before[95:195]     # five duplicates across the page boundary
    after = emu.items("emr_ray_clusters", "w-demo")
    assert len(after) == 235 and after[0]["createTime"] > after[5]["createTime"]


def test_remove_between_pages_hides_items(emu):
    before = [j["submissionId"] for j in emu.items("emr_ray_jobs", "w-demo")]
    emu.add_changes([{"collection": "emr_ray_jobs", "remove": 4, "after_requests": 1}])
    first = alibaba_get(emu, "ListRayJob", {"pageNum": "1", "pageSize": "20"}).json()
    second = alibaba_get(emu, "ListRayJob", {"pageNum": "2", "pageSize": "20"}).json()
    assert first["totalCount"] == 60 and second["totalCount"] == 56
    assert [j["submissionId"] for j in second["rayJobs"]] == before[24:44]   # four items never listed


def test_replay_and_stale_date_are_refused(emu):
    assert alibaba_get(emu, "ListRayCluster", nonce="fixed-nonce").status == 200
    replay = alibaba_get(emu, "ListRayCluster", nonce="fixed-nonce")
    assert replay.status == 400 and replay.json()["Code"] == "SignatureNonceUsed"
    stale = alibaba_get(emu, "ListRayCluster", date="2024-01-01T00:00:00Z")
    assert stale.status == 400 and stale.json()["Code"] == "InvalidTimeStamp.Expired"
    wrong = alibaba_get(emu, "ListRayCluster", action="ListRayJob")
    assert wrong.status == 400 and wrong.json()["Code"] == "InvalidAction.NotFound"
    wrong = alibaba_get(emu, "ListRayCluster", version="2020-12-03")
    assert wrong.json()["Code"] == "InvalidVersion"


def test_unsigned_and_unknown_requests(emu):
    resp = raw_get(emu, "/api/v1/jobs", {})
    assert resp.status == 400 and resp.json()["Code"] == "IncompleteSignature"
    assert resp.headers["x-acs-request-id"] == resp.json()["RequestId"]
    resp = raw_get(emu, "/api/v2/nothing", {})
    assert resp.status == 404
    resp = raw_get(emu, "/v1.0/x/data/queuing-jobs?queue_type=USER", {})
    assert resp.status == 401 and resp.json()["error_code"] == "APIG.0301" and resp.headers["x-request-id"]


def test_page_size_limits(emu):
    now = int(time.time())
    assert alibaba_get(emu, "ListRayCluster", {"pageSize": "101"}).json()["Code"] == "InvalidParameter"
    assert alibaba_get(emu, "ListRayCluster", {"pageSize": "0"}).status == 400
    assert alibaba_get(emu, "ListRayCluster", {"pageNum": "x"}).status == 400
    mc = alibaba_get(emu, "GetRunningJobs", {"from": str(now - 3600), "to": str(now), "pageSize": "21"})
    assert mc.status == 400 and mc.json() == {"requestId": mc.headers["x-acs-request-id"], "httpCode": 400,
                                              "errorCode": "InvalidParameter", "errorMsg": mc.json()["errorMsg"]}
    assert alibaba_get(emu, "ListRayJob", {"submitTime": "{not json"}).json()["Code"] == "InvalidParameter"
    assert alibaba_get(emu, "ListJobs", {"ShowOwn": "yes"}).json()["Code"] == "InvalidParameter"
    assert alibaba_get(emu, "ListJobs", {"SortBy": "Colour"}).json()["Code"] == "InvalidParameter"
    assert alibaba_get(emu, "ListJobs", {"StartTime": "yesterday"}).json()["Code"] == "InvalidParameter"
    assert alibaba_get(emu, "ListJobs", {"ShowOwn": "true"}).status == 200

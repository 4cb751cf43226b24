"""Octopus QueryQueuedJobList through the official Huawei Cloud SDK's generic client."""

import json

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.sdk_response import SdkResponse
from huaweicloudsdkoctopus.v2 import OctopusClient

from conftest import OCTOPUS_PATH, PROJECT, huawei_get


def octopus(emu, ak="emuHwAk", sk="emuHwSk", project=PROJECT):
    return (OctopusClient.new_builder()
            .with_credentials(BasicCredentials(ak, sk, project))
            .with_endpoints(["http://127.0.0.1:%d" % emu.port])
            .build())


class RawResponse(SdkResponse):
    """The SDK has no model for this call; a model without attributes keeps status and raw body."""
    openapi_types = {}
    attribute_map = {}


def query(client, **params):
    resp = client.do_http_request(method="GET", resource_path="/v1.0/{project_id}/data/queuing-jobs",
                                  query_params=list(params.items()), response_type=RawResponse)
    assert resp.status_code == 200
    return json.loads(resp.raw_content)


def test_lists_every_item_by_offset_and_limit(emu):
    client = octopus(emu)
    got, offset = [], 0
    while True:
        body = query(client, queue_type="USER", offset=offset, limit=10)
        page = body["payload"]["list"]
        got.extend(page)
        assert body["payload"]["page_info"] == {"offset": offset, "limit": 10, "total": 37}
        offset += 10
        if offset >= body["payload"]["page_info"]["total"]:
            break
    assert got == emu.items("octopus_queued_jobs")
    assert isinstance(body["meta_info"]["current_time"], str)
    log = emu.requests("QueryQueuedJobList")
    assert len(log) == 4 and all(e["auth"] == "ok" for e in log)
    assert all(int(e["params"]["limit"]) == 10 for e in log)


def test_request_id_header_and_filters(emu):
    emu.reset({"seed": 3, "octopus_queued_jobs": {"count": 60}})
    items = emu.items("octopus_queued_jobs")
    resp = huawei_get(emu, {"queue_type": "PROCESSOR", "limit": "100"})
    assert resp.status == 200 and len(resp.headers["x-request-id"]) == 32
    processors = [i for i in items if i["queue_type"] == "PROCESSOR"]
    assert resp.json()["payload"]["list"] == processors
    assert all("cluster_type" in i for i in processors)
    internal = [i for i in items if i["queue_type"] == "INTERNAL"]
    assert internal and all("processor_name" not in i for i in internal)   # as on the seed page

    client = octopus(emu)
    job = items[4]
    assert query(client, queue_type=job["queue_type"], job_id=job["job_id"])["payload"]["list"] == [job]
    cce = query(client, queue_type="PROCESSOR", cluster_type="CCE", limit=100)["payload"]["list"]
    assert cce == [i for i in processors if i["cluster_type"] == "CCE"]
    name = "算子 一"
    assert query(client, queue_type="USER", processor_name=name, limit=100)["payload"]["list"] == [
        i for i in items if i["queue_type"] == "USER" and i.get("processor_name") == name]


def test_service_errors(emu):
    client = octopus(emu)
    with pytest.raises(ClientRequestException) as err:
        query(client, limit=10)
    assert err.value.status_code == 400 and err.value.error_code == "octopus.400001"
    with pytest.raises(ClientRequestException) as err:
        query(client, queue_type="PROCESSOR", cluster_type="MODELARTS")
    assert err.value.error_code == "octopus.400001"
    with pytest.raises(ClientRequestException) as err:
        query(client, queue_type="USER", limit=0)
    assert err.value.error_code == "octopus.400001"
    # No maximum is documented, so none is enforced: a large limit is served.
    assert len(query(client, queue_type="USER", limit=1000)["payload"]["list"]) >= 1
    with pytest.raises(ClientRequestException) as err:
        query(octopus(emu, project="ffffffffffffffffffffffffffffffff"), queue_type="USER")
    assert err.value.status_code == 403 and err.value.error_code.startswith("octopus.403")


def test_authentication(emu):
    with pytest.raises(ClientRequestException) as err:
        query(octopus(emu, sk="wrong"), queue_type="USER")
    assert err.value.status_code == 401 and err.value.error_code == "APIG.0301"
    with pytest.raises(ClientRequestException) as err:
        query(octopus(emu, ak="nobody"), queue_type="USER")
    assert err.value.error_code == "APIG.0301"

    assert huawei_get(emu, {"queue_type": "USER"}, token="emuIamToken").status == 200
    assert huawei_get(emu, {"queue_type": "USER"}, token="expired").status == 401
    unsigned = huawei_get(emu, {"queue_type": "USER"}, token=None, sk="x")
    assert unsigned.status == 401 and unsigned.json()["error_code"] == "APIG.0301"
    stale = huawei_get(emu, {"queue_type": "USER"}, date="20240101T000000Z")
    assert stale.status == 401 and "15 minutes" in stale.json()["error_msg"]
    assert stale.json()["request_id"] == stale.headers["x-request-id"]
    assert [e["auth"] for e in emu.requests()][-1] == "APIG.0301"
    assert OCTOPUS_PATH in emu.requests()[-1]["path"]


def test_temporary_credentials(emu):
    creds = BasicCredentials("emuHwStsAk", "emuHwStsSk", PROJECT).with_security_token("emuHwSecurityToken")
    client = (OctopusClient.new_builder().with_credentials(creds)
              .with_endpoints(["http://127.0.0.1:%d" % emu.port]).build())
    assert query(client, queue_type="USER", limit=5)["payload"]["page_info"]["total"] == 37
    entry = emu.requests()[-1]
    assert entry["auth"] == "ok" and entry["access_key_id"] == "emuHwStsAk"
    assert "x-security-token" in entry["headers"]["authorization"]
    wrong = BasicCredentials("emuHwStsAk", "emuHwStsSk", PROJECT).with_security_token("stale")
    with pytest.raises(ClientRequestException) as err:
        query(OctopusClient.new_builder().with_credentials(wrong)
              .with_endpoints(["http://127.0.0.1:%d" % emu.port]).build(), queue_type="USER")
    assert err.value.status_code == 401 and err.value.error_code == "APIG.0301"

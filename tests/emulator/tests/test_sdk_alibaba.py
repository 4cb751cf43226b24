"""The four Alibaba Cloud endpoints through the official product SDKs."""

import time

import pytest
from alibabacloud_emr_serverless_spark20230808 import models as emr_models
from alibabacloud_emr_serverless_spark20230808.client import Client as EmrClient
from alibabacloud_maxcompute20220104 import models as mc_models
from alibabacloud_maxcompute20220104.client import Client as McClient
from alibabacloud_pai_dlc20201203 import models as dlc_models
from alibabacloud_pai_dlc20201203.client import Client as DlcClient
from alibabacloud_tea_openapi.exceptions import ClientException, ThrottlingException

from conftest import sdk_diff


def all_ray_clusters(client, page_size):
    """EMR ListRayCluster has no totalCount: the last page is the first one shorter than pageSize."""
    out, page = [], 1
    while True:
        body = client.list_ray_cluster("w-demo", emr_models.ListRayClusterRequest(page_num=page,
                                                                                  page_size=page_size)).body
        out.extend(body.ray_clusters)
        if len(body.ray_clusters) < page_size:
            return out
        page += 1


@pytest.mark.parametrize("page_size", [100, 7])
def test_list_ray_cluster_pages_to_the_full_dataset(emu, ali_config, page_size):
    got = all_ray_clusters(EmrClient(ali_config()), page_size)
    items = emu.items("emr_ray_clusters", "w-demo")
    assert len(got) == len(items) == 230
    for model, item in zip(got, items):
        assert sdk_diff(model.to_map(), item) == []
    names = [c.name for c in got]
    assert "{{ 6 * 7 }}" in names
    assert all("?token=dashtok-" in c.dashboard_url for c in got)


def test_list_ray_job_pages_and_totals(emu, ali_config):
    client = EmrClient(ali_config())
    got, page, total = [], 1, None
    while total is None or len(got) < total:
        body = client.list_ray_job("w-demo", emr_models.ListRayJobRequest(page_num=page, page_size=25)).body
        total = body.total_count
        assert body.ray_jobs, "ran out of pages before totalCount"
        got.extend(body.ray_jobs)
        page += 1
    items = emu.items("emr_ray_jobs", "w-demo")
    assert total == len(items) == 60
    for model, item in zip(got, items):
        assert sdk_diff(model.to_map(), item) == []


def test_list_ray_job_filters(emu, ali_config):
    client = EmrClient(ali_config())
    items = emu.items("emr_ray_jobs", "w-demo")
    target = items[5]
    body = client.list_ray_job("w-demo", emr_models.ListRayJobRequest(name=target["name"])).body
    assert [j.submission_id for j in body.ray_jobs] == [i["submissionId"] for i in items if i["name"] == target["name"]]

    body = client.list_ray_job("w-demo", emr_models.ListRayJobRequest(submission_id=target["submissionId"])).body
    assert body.total_count == 1 and body.ray_jobs[0].name == target["name"]

    lo, hi = items[20]["submitTime"], items[10]["submitTime"]
    window = emr_models.ListRayJobRequestSubmitTime(start_time=lo, end_time=hi)
    body = client.list_ray_job("w-demo", emr_models.ListRayJobRequest(submit_time=window, page_size=100)).body
    assert body.total_count == 11   # inclusive on both ends
    assert all(lo <= j.submit_time <= hi for j in body.ray_jobs)

    # taskBizId is not in the response items; the control API lists it under "hidden"
    hidden = emu.snapshot("emr_ray_jobs", "w-demo")["hidden"]
    task_ids = {h["taskBizId"] for h in hidden.values() if h["taskBizId"]}
    assert task_ids
    task = sorted(task_ids)[0]
    body = client.list_ray_job("w-demo", emr_models.ListRayJobRequest(task_biz_id=task, page_size=100)).body
    assert 1 <= body.total_count <= 3


def test_list_jobs_pages_to_the_full_dataset(emu, ali_config):
    client = DlcClient(ali_config())
    got, page = [], 1
    while True:
        body = client.list_jobs(dlc_models.ListJobsRequest(page_number=page, page_size=50)).body
        assert body is not None, "the SDK could not parse the response"
        got.extend(body.jobs)
        if page * 50 >= body.total_count:
            break
        page += 1
    items = emu.items("pai_dlc_jobs")
    assert body.total_count == len(items) == len(got) == 130
    for model, item in zip(got, items):
        assert sdk_diff(model.to_map(), item) == []
    job = got[0].to_map()
    assert job["JobSpecs"][0]["ImageConfig"]["Password"].startswith("regpass-")
    assert job["Envs"]["MY_ENV_Key"]


def test_list_jobs_filters(emu, ali_config):
    client = DlcClient(ali_config())
    items = emu.items("pai_dlc_jobs")

    def ids(**kwargs):
        out, page = [], 1
        while True:
            body = client.list_jobs(dlc_models.ListJobsRequest(page_number=page, page_size=100, **kwargs)).body
            out.extend(j.job_id for j in body.jobs)
            if len(out) >= body.total_count:
                return out
            page += 1

    assert ids(status="Failed") == [j["JobId"] for j in items if j["Status"] == "Failed"]
    assert len(ids(status="Failed")) == 25
    # fuzzy, case-insensitive; the SDK puts "+" for the space on the wire
    assert ids(display_name="LLM EVAL") == [j["JobId"] for j in items if "llm eval" in j["DisplayName"].lower()]
    assert ids(display_name="LLM EVAL")
    me = emu.credentials["alibaba"]["user_id"]
    assert ids(show_own=True) == [j["JobId"] for j in items if j["UserId"] == me]   # SDK sends ShowOwn=True
    assert ids(show_own=False) == ids()
    assert ids(tags={"env": "prod"}) == [j["JobId"] for j in items if j["Settings"]["Tags"].get("env") == "prod"]
    assert ids(tags={"env": "prod", "team": "ml"}) == [
        j["JobId"] for j in items if j["Settings"]["Tags"] in ({"env": "prod", "team": "ml"},)]
    assert ids(workspace_id="1024") == [j["JobId"] for j in items if j["WorkspaceId"] == "1024"]
    assert ids(workspace_id="1024", from_all_workspaces=True, show_own=True) == ids(show_own=True)
    assert ids(oversold_info="AcceptQuotaOverSold-true") == [
        j["JobId"] for j in items
        if j["Settings"]["OversoldType"] == "AcceptQuotaOverSold" and j["UseOversoldResource"]]
    by_name = client.list_jobs(dlc_models.ListJobsRequest(page_size=100, sort_by="DisplayName", order="asc")).body
    names = [j.display_name for j in by_name.jobs]
    assert names == sorted(names)
    # the default window is the last 7 days of the dataset clock; an old window is empty
    assert ids(start_time="2020-01-01T00:00:00Z", end_time="2020-01-02T00:00:00Z") == []

    with pytest.raises(ClientException) as err:
        client.list_jobs(dlc_models.ListJobsRequest(page_size=0))
    assert err.value.code == "InvalidParameter"
    # ListJobs documents no maximum page size, so the emulator enforces none.
    assert len(client.list_jobs(dlc_models.ListJobsRequest(page_size=500)).body.jobs) == len(ids())


def test_get_running_jobs_pages_with_max_page_size(emu, ali_config):
    client = McClient(ali_config())
    now = int(time.time())
    got, page = [], 1
    while True:
        body = client.get_running_jobs(mc_models.GetRunningJobsRequest(from_=now - 3600, to=now + 60, page_number=page,
                                                                       page_size=20)).body
        assert body.http_code == 200 and body.error_code == "success"
        got.extend(body.data.running_job_info_list)
        if page * 20 >= body.data.total_count:
            break
        page += 1
    items = emu.items("maxcompute_running_jobs")
    assert len(got) == len(items) == body.data.total_count == 45
    for model, item in zip(got, items):
        assert sdk_diff(model.to_map(), item) == []


def test_get_running_jobs_filters_and_limits(emu, ali_config):
    client = McClient(ali_config())
    now = int(time.time())
    items = emu.items("maxcompute_running_jobs")

    def listing(**kwargs):
        return client.get_running_jobs(mc_models.GetRunningJobsRequest(from_=now - 3600, to=now + 60, page_size=20,
                                                                       **kwargs)).body.data

    assert listing(quota_nickname_list=["q-gold"]).total_count == 23
    assert listing(quota_nickname_list=["q-gold", "q-silver"]).total_count == 45
    owners = ["RAM$dev-team:bob", "ALIYUN$alice@test.aliyunid.com"]
    assert listing(job_owner_list=owners).total_count == len([i for i in items if i["jobOwner"] in owners])
    with pytest.raises(ClientException) as err:
        client.get_running_jobs(mc_models.GetRunningJobsRequest(from_=now - 3600, to=now, page_size=21))
    assert err.value.data["errorCode"] == "InvalidParameter"
    assert err.value.status_code == 400
    with pytest.raises(ClientException) as err:
        client.get_running_jobs(mc_models.GetRunningJobsRequest(to=now))
    assert err.value.data["errorCode"] == "MissingParameter"


def test_sts_credentials(emu, ali_config):
    client = EmrClient(ali_config(ak="STS.emuStsKeyId", sk="emuStsKeySecret", token="emuSecurityToken"))
    body = client.list_ray_cluster("w-demo", emr_models.ListRayClusterRequest(page_size=5)).body
    assert len(body.ray_clusters) == 5
    entry = emu.requests("ListRayCluster")[-1]
    assert entry["auth"] == "ok" and entry["access_key_id"] == "STS.emuStsKeyId"
    assert "x-acs-security-token" in entry["headers"]["authorization"].split("SignedHeaders=")[1].split(",")[0]

    bad = EmrClient(ali_config(ak="STS.emuStsKeyId", sk="emuStsKeySecret", token="wrong"))
    with pytest.raises(ClientException) as err:
        bad.list_ray_cluster("w-demo", emr_models.ListRayClusterRequest())
    assert err.value.code == "InvalidSecurityToken.MismatchWithAccessKey"


def test_wrong_secret_and_unknown_key(emu, ali_config):
    with pytest.raises(ClientException) as err:
        DlcClient(ali_config(sk="not-the-secret")).list_jobs(dlc_models.ListJobsRequest())
    assert err.value.code == "SignatureDoesNotMatch"
    assert "server string to sign is:ACS3-HMAC-SHA256\n" in err.value.data["Message"]
    with pytest.raises(ClientException) as err:
        DlcClient(ali_config(ak="nobody")).list_jobs(dlc_models.ListJobsRequest())
    assert err.value.code == "InvalidAccessKeyId.NotFound" and err.value.status_code == 404
    assert [e["auth"] for e in emu.requests()] == ["SignatureDoesNotMatch", "InvalidAccessKeyId.NotFound"]


def test_throttling_reaches_the_sdk_as_throttling_exception(emu, ali_config):
    emu.add_faults([{"endpoint": "ListJobs", "kind": "throttle", "retry_after": 2}])
    with pytest.raises(ThrottlingException) as err:
        DlcClient(ali_config()).list_jobs(dlc_models.ListJobsRequest())
    assert err.value.code == "Throttling.User" and err.value.retry_after == 2
    assert DlcClient(ali_config()).list_jobs(dlc_models.ListJobsRequest()).body.total_count == 130

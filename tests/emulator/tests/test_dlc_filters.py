"""PAI-DLC ListJobs filters that only the SDK's ListJobsRequest knows, sent by the official SDK client, and
the page caps a test can impose (a server that serves fewer items per page than asked for)."""

import http.client
import json
import os
import subprocess
import sys
import time

import pytest
from alibabacloud_emr_serverless_spark20230808 import models as emr_models
from alibabacloud_emr_serverless_spark20230808.client import Client as EmrClient
from alibabacloud_pai_dlc20201203 import models as dlc_models
from alibabacloud_pai_dlc20201203.client import Client as DlcClient
from alibabacloud_tea_openapi.exceptions import ClientException
from jobscope_emulator.server import ControlError

NOW = 1768464000  # 2026-01-15T08:00:00Z
SPEC = {"seed": 5, "now": NOW,
        "pai_dlc_jobs": {"count": 90, "mix": {"JobType": {"DataJuicerJob": 9}}},
        "emr_ray_clusters": {"w-demo": {"count": 130}}}


@pytest.fixture
def data(emu):
    emu.reset(SPEC)
    return emu


def listing(client, **kwargs):
    out, page = [], 1
    while True:
        body = client.list_jobs(dlc_models.ListJobsRequest(page_number=page, page_size=40, **kwargs)).body
        out.extend(j.to_map() for j in body.jobs)
        if len(out) >= body.total_count or not body.jobs:
            return [j["JobId"] for j in out]
        page += 1


def test_data_juicer_jobs_are_listed_by_type(data, ali_config):
    client = DlcClient(ali_config())
    items = data.items("pai_dlc_jobs")
    got = listing(client, job_type="DataJuicerJob")
    assert len(got) == 9
    assert got == [j["JobId"] for j in items if j["JobType"] == "DataJuicerJob"]
    juicer = [j for j in items if j["JobType"] == "DataJuicerJob"]
    assert all(j["Settings"]["DataJuicerConfig"]["CommandType"] == "config" for j in juicer)
    assert data.requests("ListJobs")[-1]["params"]["JobType"] == "DataJuicerJob"


def test_time_range_field_moves_the_window_to_another_time(data, ali_config):
    client = DlcClient(ali_config())
    items = data.items("pai_dlc_jobs")
    finished = sorted(j["GmtFinishTime"] for j in items if j["GmtFinishTime"])
    assert len(finished) > 10
    lo, hi = finished[2], finished[-3]
    got = listing(client, time_range_field="GmtFinishTime", start_time=lo, end_time=hi)
    want = [j["JobId"] for j in items if j["GmtFinishTime"] and lo <= j["GmtFinishTime"] <= hi]
    assert got == want and len(want) == len(finished) - 4
    # The same bounds on the creation time select other jobs (unfinished ones included).
    by_create = listing(client, start_time=lo, end_time=hi)
    assert by_create == [j["JobId"] for j in items if lo <= j["GmtCreateTime"] <= hi]
    assert by_create != got
    assert [r["params"].get("TimeRangeField") for r in data.requests("ListJobs")].count("GmtFinishTime") >= 1
    with pytest.raises(ClientException) as err:
        client.list_jobs(dlc_models.ListJobsRequest(time_range_field="Colour"))
    assert err.value.code == "InvalidParameter"


def test_ids_precedence_and_exact_job_id(data, ali_config):
    client = DlcClient(ali_config())
    items = data.items("pai_dlc_jobs")
    first, second, third = (j["JobId"] for j in items[:3])
    assert listing(client, job_ids="%s,%s" % (first, third)) == [first, third]
    # JobId takes precedence over JobIds; it is case-insensitive but not fuzzy.
    assert listing(client, job_id=second.upper(), job_ids="%s,%s" % (first, third)) == [second]
    assert listing(client, job_id=second[:-2]) == []


def test_search_range_and_other_sdk_only_filters(data, ali_config):
    client = DlcClient(ali_config())
    items = data.items("pai_dlc_jobs")
    hidden = data.state.dataset.hidden

    def cores():
        return data.state.dataset.items("pai_dlc_jobs")

    spot = [c["JobId"] for c in cores() if hidden("pai_dlc_jobs", c)["PaymentType"] == "Spot"]
    assert spot and listing(client, payment_type="Spot") == spot
    assert all(j["JobSpecs"][0]["UseSpotInstance"] for j in items if j["JobId"] in spot)
    nightly = [c["JobId"] for c in cores() if "nightly" in hidden("pai_dlc_jobs", c)["Description"]]
    assert nightly and listing(client, description="Nightly") == nightly
    template = next(j["TemplateId"] for j in items if j["TemplateId"])
    assert listing(client, template_id=template) == [j["JobId"] for j in items if j["TemplateId"] == template]
    assigned = [j["JobId"] for j in items if j["JobSpecs"][0]["AssignNodeSpec"]["EnableAssignNode"]]
    assert assigned and listing(client, enable_assign_node="true") == assigned
    assert listing(client, image_search="PyTorch training") == [
        j["JobId"] for j in items if "pytorch-training" in j["JobSpecs"][0]["Image"]]
    assert listing(client, user_command_search="train.py") == [j["JobId"] for j in items]
    assert listing(client, reason_search="stopped by user") == [
        j["JobId"] for j in items if j["ReasonMessage"] == "Job is stopped by user."]
    assert listing(client, numeric_range_field="Priority", numeric_range_min=3, numeric_range_max=5) == [
        j["JobId"] for j in items if 3 <= j["Priority"] <= 5]
    for bad in (dict(numeric_range_min=3), dict(numeric_range_field="Priority"),
                dict(numeric_range_field="DisplayName", numeric_range_max=3)):
        with pytest.raises(ClientException) as err:
            client.list_jobs(dlc_models.ListJobsRequest(**bad))
        assert err.value.code == "InvalidParameter", bad


def test_items_carry_realistic_secrets(data):
    job = data.items("pai_dlc_jobs")[0]
    assert job["Envs"]["HF_TOKEN"].startswith("hf_emu")
    assert "mlflowpass-" in job["Envs"]["MLFLOW_TRACKING_URI"]
    assert "Signature=osssig-" in job["Envs"]["CKPT_URL"]
    assert "glpat-emu" in job["UserCommand"] and "--wandb-key wandbkey-" in job["UserCommand"]
    assert job["JobSpecs"][0]["UserCommand"] == job["UserCommand"]
    assert "access_token=dingtok-" in job["Settings"]["AdvancedSettings"]["AlertWebhook"]


def test_a_page_cap_serves_fewer_items_than_asked(data, ali_config):
    client = DlcClient(ali_config())
    data.configure(page_caps={"ListJobs": 25, "ListRayCluster": 50})
    body = client.list_jobs(dlc_models.ListJobsRequest(page_size=100)).body
    assert len(body.jobs) == 25 and body.total_count == 90
    # The page number counts capped pages: page 2 starts at item 25.
    second = client.list_jobs(dlc_models.ListJobsRequest(page_size=100, page_number=2)).body
    assert [j.job_id for j in second.jobs] == [j["JobId"] for j in data.items("pai_dlc_jobs")[25:50]]
    emr = EmrClient(ali_config())
    assert len(emr.list_ray_cluster("w-demo", emr_models.ListRayClusterRequest(page_size=100)).body.ray_clusters) == 50
    data.configure(page_caps=None)
    assert len(client.list_jobs(dlc_models.ListJobsRequest(page_size=100)).body.jobs) == 90
    with pytest.raises(ControlError):
        data.configure(page_caps={"ListJobs": 0})
    with pytest.raises(ControlError):
        data.configure(page_caps={"NoSuchApi": 5})


def _model_tree(cls, seen=()):
    """{wire name: subtree or None} of an SDK model, every level (a model inside itself is not entered)."""
    import typing
    from darabonba.model import DaraModel

    tree = {}
    empty = cls().to_map()
    for attribute, annotation in typing.get_type_hints(cls.__init__).items():
        if attribute == "return":
            continue
        args = typing.get_args(annotation)
        inner = args[0] if typing.get_origin(annotation) is list and args else annotation
        nested = inner if isinstance(inner, type) and issubclass(inner, DaraModel) else None
        probe = cls()
        value = nested() if nested else "x"
        setattr(probe, attribute, [value] if typing.get_origin(annotation) is list else value)
        wire = [k for k, v in probe.to_map().items() if k not in empty or v != empty[k]][0]
        tree[wire] = _model_tree(nested, seen + (cls,)) if nested and nested not in seen + (cls,) else None
    return tree


def _missing(tree, values, prefix=""):
    out = []
    for key, sub in tree.items():
        present = [v[key] for v in values if isinstance(v, dict) and key in v]
        if not present:
            out.append(prefix + key)
        elif sub:
            flat = [x for v in present for x in (v if isinstance(v, list) else [v])]
            out.extend(_missing(sub, flat, prefix + key + "."))
    return out


def test_items_carry_every_field_of_the_sdk_model(data):
    # The SDK's JobItem at every depth (HistoryPods, a pod inside a pod, once): the emulator's items must
    # hold each field somewhere in the dataset, so no response field goes untested.
    spec = dict(SPEC, pai_dlc_jobs={"count": 90, "mix": {"JobType": {"DataJuicerJob": 9},
                                                         "Status": {"Restarting": 3, "Running": 30}}})
    data.reset(spec)
    missing = _missing(_model_tree(dlc_models.JobItem), data.items("pai_dlc_jobs"))
    assert not missing, "emulator DLC items lack SDK JobItem fields: %s" % ", ".join(missing)


def test_the_command_line_takes_page_caps(tmp_path):
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    port_file = tmp_path / "port"
    proc = subprocess.Popen([sys.executable, here + "/emulator.py", "--port", "0", "--port-file", str(port_file),
                             "--page-cap", "ListJobs=7", "--page-cap", "QueryQueuedJobList=3"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 20
        while not port_file.exists() and time.time() < deadline:
            time.sleep(0.05)
        conn = http.client.HTTPConnection("127.0.0.1", int(port_file.read_text()), timeout=10)
        conn.request("POST", "/_emulator/reset", body="{}")
        conn.getresponse().read()
        conn.request("GET", "/_emulator/config")
        assert json.loads(conn.getresponse().read())["page_caps"] == {"ListJobs": 7, "QueryQueuedJobList": 3}
    finally:
        proc.terminate()
        proc.wait(10)
    bad = subprocess.run([sys.executable, here + "/emulator.py", "--page-cap", "ListJobs"], capture_output=True, check=False,
                         timeout=30)
    assert bad.returncode == 2 and b"ENDPOINT=N" in bad.stderr

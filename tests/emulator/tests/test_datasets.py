"""Dataset determinism, mixes, scale, demo contents and the command line."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter

import pytest

from conftest import EMULATOR_DIR, alibaba_get
from jobscope_emulator import datasets
from jobscope_emulator.datasets import COLLECTIONS, SCOPED, Dataset, SpecError, interleave, load_spec

FIXED = {"seed": 11, "now": "2024-01-01T00:00:00Z",
         "emr_ray_clusters": {"w-a": {"count": 40}, "w-b": {"count": 5}},
         "emr_ray_jobs": {"w-a": {"count": 30}},
         "pai_dlc_jobs": {"count": 30}, "maxcompute_running_jobs": {"count": 30},
         "octopus_queued_jobs": {"count": 30}}


def dump(dataset):
    out = {}
    for name in COLLECTIONS:
        out[name] = {str(s): [dataset.wire(name, c) for c in dataset.items(name, s)] for s in dataset.scopes(name)}
    return json.dumps(out, ensure_ascii=False, sort_keys=False).encode("utf-8")


def test_same_spec_gives_byte_identical_data():
    first = dump(Dataset(load_spec(FIXED)))
    assert first == dump(Dataset(load_spec(FIXED)))
    assert first != dump(Dataset(load_spec(dict(FIXED, seed=12))))


def test_ids_are_unique_across_workspaces():
    ds = Dataset(load_spec(FIXED))
    ids = [c["clusterId"] for s in ds.scopes("emr_ray_clusters") for c in ds.items("emr_ray_clusters", s)]
    assert len(ids) == len(set(ids)) == 45


def test_mix_counts_are_exact_and_interleaved():
    spec = {"pai_dlc_jobs": {"count": 100, "mix": {"Status": {"Running": 50, "Failed": 10}}},
            "octopus_queued_jobs": {"count": 9, "mix": {"queue_type": {"PROCESSOR": 9}}}}
    ds = Dataset(load_spec(spec))
    statuses = [c["Status"] for c in ds.items("pai_dlc_jobs")]
    counts = Counter(statuses)
    assert counts["Running"] == 50 and counts["Failed"] == 10
    assert len(counts) > 3                                   # the unmixed 40 keep varied statuses
    assert "Failed" in statuses[:15] and "Running" in statuses[:3]
    assert all("cluster_type" in ds.wire("octopus_queued_jobs", c) for c in ds.items("octopus_queued_jobs"))
    assert interleave({"a": 2, "b": 1}, 3) in (["a", "b", "a"], ["a", "a", "b"])
    assert Counter(interleave({"x": 3, "y": 2}, 7)) == Counter({"x": 3, "y": 2, None: 2})


def test_overrides_and_demo_contents():
    ds = Dataset(load_spec("demo"))
    clusters = [ds.wire("emr_ray_clusters", c) for c in ds.items("emr_ray_clusters", "w-demo")]
    assert clusters[7]["name"] == "{{ 6 * 7 }}"
    assert Counter(c["state"] for c in clusters) == {"Running": 150, "Starting": 40, "Stopped": 30, "Error": 10}
    names = [c["name"] for c in clusters]
    assert any(" " in n for n in names) and any(not n.isascii() for n in names)
    jobs = [ds.wire("pai_dlc_jobs", c) for c in ds.items("pai_dlc_jobs")]
    text = json.dumps(jobs)
    for prefix in ("regpass-", "regauth-", "STS.emu-", "stssecret-"):
        assert text.count(prefix) == 130
    assert all("MY_ENV_Key" in j["Envs"] for j in jobs)
    counts = {n: len(ds.items(n, "w-demo" if n in SCOPED else None)) for n in COLLECTIONS}
    assert counts == {"emr_ray_clusters": 230, "emr_ray_jobs": 60, "pai_dlc_jobs": 130,
                      "maxcompute_running_jobs": 45, "octopus_queued_jobs": 37}
    empty = Dataset(load_spec("empty"))
    assert all(not empty.items(n, "w-demo" if n in SCOPED else None) for n in COLLECTIONS)


def test_times_fall_in_the_default_windows():
    ds = Dataset(load_spec("demo"))
    now = ds.now_ms() // 1000
    assert all(now - 7 * 86400 < c["_t"] // 1000 < now for c in ds.items("pai_dlc_jobs"))
    assert all(now - 3600 < ds.wire("maxcompute_running_jobs", c)["submittedAtTime"] <= now
               for c in ds.items("maxcompute_running_jobs"))


def test_dlc_default_window_is_seven_days(emu):
    emu.reset({"pai_dlc_jobs": {"count": 20, "span_seconds": 14 * 86400}})
    items = emu.items("pai_dlc_jobs")
    in_window = alibaba_get(emu, "ListJobs", {"PageSize": "100"}).json()
    assert 8 <= in_window["TotalCount"] < 20
    wide = alibaba_get(emu, "ListJobs", {"PageSize": "100", "StartTime": "2000-01-01T00:00:00Z"}).json()
    assert wide["TotalCount"] == 20 and [j["JobId"] for j in wide["Jobs"]] == [j["JobId"] for j in items]


def test_bad_specs():
    for bad in ({"nope": 1}, {"pai_dlc_jobs": {"count": -1}}, {"pai_dlc_jobs": {"cnt": 1}},
                {"emr_ray_clusters": {"count": 3}}, {"now": "yesterday"},
                {"credentials": {"alibaba": {"password": "x"}}}, "no-such-builtin"):
        with pytest.raises(SpecError):
            load_spec(bad)


def test_a_hundred_thousand_items_build_quickly():
    # CPU time, not wall time: this machine's cores are shared with other test runs.  About 1.3 s.
    start = time.process_time()
    ds = Dataset(load_spec({"seed": 5, "pai_dlc_jobs": {"count": 100000}}))   # the heaviest collection
    assert time.process_time() - start < 5
    assert len(ds.items("pai_dlc_jobs")) == 100000
    ds.wire("pai_dlc_jobs", ds.items("pai_dlc_jobs")[99999])


def test_paging_ten_thousand_items_under_latency(emu):
    """The benchmark shape: 10,000 items behind latency, fetched by concurrent clients.

    100 ms per request makes a serial server take over 10 s; 20 clients in parallel take about 1 s.
    """
    import concurrent.futures
    emu.reset({"emr_ray_clusters": {"w-demo": {"count": 10000}}, "latency_ms": 100})
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        pages = list(pool.map(lambda n: alibaba_get(emu, "ListRayCluster", {"pageNum": str(n), "pageSize": "100"}),
                              range(1, 101)))
    elapsed = time.monotonic() - start
    ids = [c["clusterId"] for p in pages for c in p.json()["rayClusters"]]
    assert len(ids) == len(set(ids)) == 10000
    assert elapsed < 5, "100 requests of 100 ms over 20 clients must overlap (took %.2fs)" % elapsed


def _python39():
    candidates = [os.path.expanduser("~/.pyenv/versions/3.9.18/bin/python3.9"), "/usr/bin/python3.9"]
    return next((p for p in candidates if os.path.exists(p)), None)


@pytest.mark.parametrize("python", [sys.executable, "python3", "py39"])
def test_command_line(tmp_path, python):
    if python == "py39":
        python = _python39()
        if python is None:
            pytest.skip("no Python 3.9 here")
    port_file = tmp_path / "port"
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"seed": 1, "pai_dlc_jobs": {"count": 3}}))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.Popen([python, os.path.join(EMULATOR_DIR, "emulator.py"), "--port", "0", "--dataset", str(spec),
                             "--port-file", str(port_file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=str(tmp_path), env=env)
    try:
        start = time.monotonic()
        line = proc.stdout.readline().decode()
        assert time.monotonic() - start < 1.5
        assert line.startswith("emulator listening on http://127.0.0.1:")
        port = int(line.rsplit(":", 1)[1])
        assert int(port_file.read_text()) == port
        with urllib.request.urlopen("http://127.0.0.1:%d/_emulator/config" % port, timeout=5) as resp:
            assert json.load(resp)["counts"]["pai_dlc_jobs"] == 3
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0


def test_command_line_refuses_non_loopback():
    proc = subprocess.run([sys.executable, os.path.join(EMULATOR_DIR, "emulator.py"), "--host", "0.0.0.0"],
                          capture_output=True, timeout=10, check=False)
    assert proc.returncode == 2 and b"loopback" in proc.stderr


def test_module_has_no_third_party_imports():
    """The emulator itself is standard library only."""
    import ast
    stdlib = set(sys.stdlib_module_names) if hasattr(sys, "stdlib_module_names") else None
    package = os.path.dirname(datasets.__file__)
    files = [os.path.join(package, f) for f in os.listdir(package) if f.endswith(".py")]
    files.append(os.path.join(EMULATOR_DIR, "emulator.py"))
    for path in files:
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top == "jobscope_emulator" or stdlib is None or top in stdlib, (path, name)

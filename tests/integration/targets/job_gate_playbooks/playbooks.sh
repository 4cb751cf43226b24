#!/usr/bin/env bash
# Run by runme.sh with EMULATOR_URL set (a private emulator with the demo dataset).
set -euo pipefail

out="${OUTPUT_DIR:-$(mktemp -d)}"
py="${PYTHON:-python3}"
verbosity=()
for arg in "$@"; do case "$arg" in -v*) verbosity=("$arg") ;; esac; done

# The emulator's credentials, from the integration configuration (ansible-test copies it two levels up;
# it passes it to role targets only): as the clouds' environment variables for the modules, and as a
# vars file for the playbooks that take them.
config=../../integration_config.yml
[ -f "$config" ] || { echo "playbooks.sh: no $config (run with make integration)" >&2; exit 1; }
eval "$("$py" - "$config" "$out/credentials.json" "$EMULATOR_URL" <<'PY'
import json, shlex, sys
import yaml
config = yaml.safe_load(open(sys.argv[1]))
url = sys.argv[3]
alibaba = {"endpoint": url, "access_key_id": config["alibaba_access_key_id"],
           "access_key_secret": config["alibaba_access_key_secret"]}
huawei = {"endpoint": url, "access_key_id": config["huawei_access_key_id"],
          "access_key_secret": config["huawei_access_key_secret"], "project_id": config["huawei_project_id"]}
json.dump({"jobscope_alibaba": alibaba, "jobscope_huawei": huawei}, open(sys.argv[2], "w"))
for name, value in (("ALIBABA_CLOUD_ACCESS_KEY_ID", alibaba["access_key_id"]),
                    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", alibaba["access_key_secret"]),
                    ("HUAWEICLOUD_SDK_AK", huawei["access_key_id"]),
                    ("HUAWEICLOUD_SDK_SK", huawei["access_key_secret"]),
                    ("HUAWEICLOUD_SDK_PROJECT_ID", huawei["project_id"]),
                    ("ALIBABA_SECRET", alibaba["access_key_secret"]),
                    ("HUAWEI_SECRET", huawei["access_key_secret"])):
    print("export %s=%s" % (name, shlex.quote(value)))
PY
)"

# emulator CONTROL-PATH [JSON-BODY]: GET (or POST the body) and print the JSON answer.
emulator() {
  "$py" - "$EMULATOR_URL/_emulator/$1" "${2:-}" <<'PY'
import sys, urllib.request
url, body = sys.argv[1], sys.argv[2]
request = urllib.request.Request(url, data=body.encode() if body else None,
                                 headers={"Content-Type": "application/json"})
print(urllib.request.urlopen(request).read().decode())
PY
}
# first_cluster STATE: "id name" of the first cluster of w-demo in STATE with a plain name.
first_cluster() {
  emulator "items/emr_ray_clusters?workspace=w-demo" | "$py" -c '
import json, re, sys
items = json.load(sys.stdin)["items"]
item = next(i for i in items if i["state"] == sys.argv[1] and re.match(r"^[A-Za-z0-9_.-]+$", i["name"]))
print(item["clusterId"], item["name"])' "$1"
}
# expect FILE PATTERN...: every (extended) regular expression is found in FILE.
expect() {
  local file="$1"; shift
  for pattern in "$@"; do
    grep -Eq -- "$pattern" "$file" || { echo "FAIL: /$pattern/ not in $file:" >&2; cat "$file" >&2; exit 1; }
  done
}
# never FILE STRING...: no string is in FILE.
never() {
  local file="$1"; shift
  for string in "$@"; do
    if grep -Fq -- "$string" "$file"; then echo "FAIL: '$string' found in $file" >&2; exit 1; fi
  done
}

echo "=== $(date +%T) report.yml: every source, counted by state"
ansible-playbook jobscope.cloud.report "${verbosity[@]}" -e report_workspace_id=w-demo \
  -e "{\"jobscope_alibaba\": {\"endpoint\": \"$EMULATOR_URL\"}, \"jobscope_huawei\": {\"endpoint\": \"$EMULATOR_URL\"}}" \
  | tee "$out/report.txt"
expect "$out/report.txt" \
  'Ray clusters: 230 \(complete\) - by state: Error=10, Running=150, Starting=40, Stopped=30' \
  'Ray jobs: 60 \(complete\) - by status: ' \
  'PAI-DLC jobs: 130 \(complete\) - by status: Failed=25, Running=65, Succeeded=40' \
  'MaxCompute jobs: 45 \(complete\) - Running by quota_nickname: q-gold=23, q-silver=22' \
  'Octopus jobs: 37 \(complete\) - Queued by job_type: '

echo "=== $(date +%T) gate_deploy.yml: the cluster comes up after the first round, the quota is idle -> deploys"
read -r up_id up_name < <(first_cluster Starting)
# The first round is one request for the quota (its check reads only the total) and at most 4 for the 230
# clusters: the cluster comes up after it.
emulator changes "{\"changes\": [{\"collection\": \"emr_ray_clusters\", \"id\": \"$up_id\", \"set\": {\"state\": \"Running\"}, \"after_requests\": 6}]}" >/dev/null
ansible-playbook jobscope.cloud.gate_deploy "${verbosity[@]}" -e "@$out/credentials.json" \
  -e gate_workspace_id=w-demo -e "gate_cluster_name=$up_name" -e gate_quota=q-idle -e gate_sleep=1 -e gate_timeout=60 \
  | tee "$out/gate_held.txt"
expect "$out/gate_held.txt" \
  'job_gate opened: all 2 check\(s\) held in the same round, after ([2-9]|[1-9][0-9]+) round' \
  "held: 'Ray cluster $up_name is Running' \(emr_ray_cluster_info\): held \(in 1 of ([2-9]|[1-9][0-9]+) round" \
  "held: 'no MaxCompute job runs on quota q-idle' \(maxcompute_running_job_info\): held .*total 0 \(one page a poll\)" \
  "Deploying: Ray cluster $up_name in w-demo is Running"

echo "=== $(date +%T) gate_deploy.yml: the cluster stays Starting, the quota is busy -> one failure, no deployment"
read -r _ down_name < <(first_cluster Starting)
set +e
ANSIBLE_DISPLAY_ARGS_TO_STDOUT=true ansible-playbook jobscope.cloud.gate_deploy -vvvv -e "@$out/credentials.json" \
  -e gate_workspace_id=w-demo -e "gate_cluster_name=$down_name" -e gate_quota=q-gold -e gate_sleep=1 -e gate_timeout=2 \
  >"$out/gate_not_held.txt" 2>&1
rc=$?
set -e
[ "$rc" -ne 0 ] || { echo "FAIL: gate_deploy.yml passed although no check held" >&2; cat "$out/gate_not_held.txt" >&2; exit 1; }
expect "$out/gate_not_held.txt" \
  "job_gate timed out after [0-9.]+s \([0-9]+ rounds\): 2 of 2 check\(s\) did not hold in the last round" \
  "NOT held: 'Ray cluster $down_name is Running' \(emr_ray_cluster_info\): did not hold in the last round \(held in 0 of [0-9]+ round\(s\)\): clusters\[\?name == " \
  "NOT held: 'no MaxCompute job runs on quota q-gold' \(maxcompute_running_job_info\): did not hold .*total 23 \(one page a poll\)"
never "$out/gate_not_held.txt" "Deploying:" "$ALIBABA_SECRET"
echo "the failure, and no secret in the -vvvv output:"
grep -m1 'job_gate timed out after' "$out/gate_not_held.txt"

echo "=== $(date +%T) demo.yml (what make demo runs), on fresh data"
emulator reset "{}" >/dev/null
ansible-playbook jobscope.cloud.demo -vvv -e "emulator_url=$EMULATOR_URL" >"$out/demo.txt" 2>&1 \
  || { echo "FAIL: demo.yml failed:" >&2; cat "$out/demo.txt" >&2; exit 1; }
expect "$out/demo.txt" \
  'Ray clusters: 230 \(complete\)' \
  'job_gate opened: all 2 check\(s\) held in the same round, after ([2-9]|[1-9][0-9]+) round' \
  'Deploying: Ray cluster' \
  'job_gate failed after 1 round\(s\), [0-9.]+s: fail_if held for check .training job'
never "$out/demo.txt" "$ALIBABA_SECRET" "$HUAWEI_SECRET"
echo "demo.yml passed"

#!/usr/bin/env bash
# jobscope.cloud.emr_ray_clusters with ansible-inventory against the emulator's demo dataset
# (230 clusters in workspace w-demo, 150 of them Running, one named "{{ 6 * 7 }}").
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=../inventory_common/common.sh
source ../inventory_common/common.sh
start_emulator

STATE_VAR=state KEYED_GROUP_SAMPLE=Running RUNNING_GROUP=emr_ray_clusters_running \
  check_plugin emr_ray_clusters emuAccessKeyId 1 "workspace_ids: [w-demo]" "regions: [cn-hangzhou]"

echo "== emr_ray_clusters: a cluster named {{ 6 * 7 }} stays literal when hostvars are templated"
write_source "$WORK/demo.emr_ray_clusters.yml" emr_ray_clusters "workspace_ids: [w-demo]"
ansible-playbook -i "$WORK/demo.emr_ray_clusters.yml" template.yml -e "rendered_file=$WORK/rendered.json" \
  --forks 20 "$@" >"$WORK/playbook.log" || { cat "$WORK/playbook.log"; exit 1; }
"${CHECK[@]}" rendered "$WORK/rendered.json"
"${CHECK[@]}" secrets "$WORK/playbook.log"

echo "== emr_ray_clusters: two workspaces are read concurrently, each host knows its workspace"
"${CHECK[@]}" control --url "$EMULATOR_URL" POST /reset \
  '{"seed": 7, "emr_ray_clusters": {"w-demo": {"count": 230, "mix": {"state": {"Running": 150, "Starting": 40, "Stopped": 30, "Error": 10}}}, "w-two": {"count": 120, "mix": {"state": {"Running": 100, "Error": 20}}}}}' >/dev/null
write_source "$WORK/two.emr_ray_clusters.yml" emr_ray_clusters "workspace_ids: [w-demo, w-two]" "concurrency: 2"
ansible-inventory -i "$WORK/two.emr_ray_clusters.yml" --list >"$WORK/two.json"
"${CHECK[@]}" hosts --url "$EMULATOR_URL" --plugin emr_ray_clusters --inventory "$WORK/two.json" \
  --running-group emr_ray_clusters_running
"${CHECK[@]}" groups --inventory "$WORK/two.json" emr_ray_clusters_workspace_w_demo=230 emr_ray_clusters_workspace_w_two=120
"${CHECK[@]}" requests --url "$EMULATOR_URL" --plugin emr_ray_clusters --access-key-id emuAccessKeyId >/dev/null

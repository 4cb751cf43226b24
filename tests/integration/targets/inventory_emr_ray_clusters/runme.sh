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

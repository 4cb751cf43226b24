#!/usr/bin/env bash
# jobscope.cloud.emr_ray_jobs with ansible-inventory against the emulator's demo dataset (60 jobs in w-demo).
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=../inventory_common/common.sh
source ../inventory_common/common.sh
start_emulator

STATE_VAR=status KEYED_GROUP_SAMPLE=Running \
  check_plugin emr_ray_jobs emuAccessKeyId 0 "workspace_ids: [cn-hangzhou/w-demo]"

#!/usr/bin/env bash
# jobscope.cloud.maxcompute_running_jobs with ansible-inventory against the emulator's demo dataset
# (45 running jobs submitted in the last hour, on quotas q-gold and q-silver).
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=../inventory_common/common.sh
source ../inventory_common/common.sh
start_emulator

STATE_VAR=quota_nickname KEYED_GROUP_SAMPLE=q_gold \
  check_plugin maxcompute_running_jobs emuAccessKeyId 1 "from_time: -1d" "to_time: now"

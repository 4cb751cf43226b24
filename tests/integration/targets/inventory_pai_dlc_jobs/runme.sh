#!/usr/bin/env bash
# jobscope.cloud.pai_dlc_jobs with ansible-inventory against the emulator's demo dataset (130 jobs, 65 Running).
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=../inventory_common/common.sh
source ../inventory_common/common.sh
start_emulator

STATE_VAR=status KEYED_GROUP_SAMPLE=Running RUNNING_GROUP=pai_dlc_jobs_running \
  check_plugin pai_dlc_jobs emuAccessKeyId 1 "regions: [cn-hangzhou]"

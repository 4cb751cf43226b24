#!/usr/bin/env bash
# jobscope.cloud.octopus_queued_jobs with ansible-inventory against the emulator's demo dataset
# (37 jobs in the USER queue), signed with AK/SK, then with an IAM token.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=../inventory_common/common.sh
source ../inventory_common/common.sh
start_emulator

STATE_VAR=queue_type KEYED_GROUP_SAMPLE=USER \
  check_plugin octopus_queued_jobs emuHwAk 0 "queue_type: USER"

echo "== octopus_queued_jobs: an IAM token from HUAWEICLOUD_SDK_AUTH_TOKEN instead of AK/SK"
"${CHECK[@]}" control --url "$EMULATOR_URL" DELETE /requests >/dev/null
write_source "$WORK/token.octopus_queued_jobs.yml" octopus_queued_jobs "queue_type: USER"
HUAWEICLOUD_SDK_AUTH_TOKEN=emuIamToken ansible-inventory -i "$WORK/token.octopus_queued_jobs.yml" --list >"$WORK/token.json"
"${CHECK[@]}" hosts --url "$EMULATOR_URL" --plugin octopus_queued_jobs --inventory "$WORK/token.json"
"${CHECK[@]}" requests --url "$EMULATOR_URL" --plugin octopus_queued_jobs >/dev/null
"${CHECK[@]}" secrets "$WORK/token.json"

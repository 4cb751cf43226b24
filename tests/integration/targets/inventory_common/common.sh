# shellcheck shell=bash
# Copyright: (c) 2026, jobscope.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sourced by the runme.sh of the inventory_* targets: each target starts its own emulator (demo dataset)
# on a free loopback port, so request logs, faults and caches are its own, and runs ansible-inventory
# against it with the emulator's credentials in the environment, as AWX would pass them.

COMMON_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
CHECK=("$PYTHON" "$COMMON_DIR/check.py")

export ALIBABA_CLOUD_ACCESS_KEY_ID=emuAccessKeyId
export ALIBABA_CLOUD_ACCESS_KEY_SECRET=emuAccessKeySecret
export HUAWEICLOUD_SDK_AK=emuHwAk
export HUAWEICLOUD_SDK_SK=emuHwSk
export HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef
export ANSIBLE_INVENTORY_UNPARSED_FAILED=false
unset ALIBABA_CLOUD_REGION_ID ALIBABA_CLOUD_PROFILE HUAWEICLOUD_SDK_AUTH_TOKEN ANSIBLE_INVENTORY_CACHE || true

# The emulator lives in the collection's tests/emulator. ansible-test runs a copy of the target inside
# the collection (tests/output/.tmp/...), and `make` runs it in .build/: walk up until it is found.
find_emulator() {
  if [ -n "${JOBSCOPE_EMULATOR:-}" ]; then
    echo "$JOBSCOPE_EMULATOR"
    return 0
  fi
  local dir
  dir="$(pwd -P)"
  while [ "$dir" != "/" ]; do
    if [ -f "$dir/tests/emulator/emulator.py" ]; then
      echo "$dir/tests/emulator/emulator.py"
      return 0
    fi
    dir="$(dirname "$dir")"
  done
  echo "inventory_common: tests/emulator/emulator.py not found above $(pwd -P); set JOBSCOPE_EMULATOR" >&2
  return 1
}

cleanup() {
  if [ -n "${EMULATOR_PID:-}" ] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
    kill "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
  fi
  if [ -n "${WORK:-}" ]; then
    rm -rf "$WORK"
  fi
}

start_emulator() {
  local emulator port=""
  emulator="$(find_emulator)"
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/jobscope-inventory.XXXXXX")"
  trap cleanup EXIT
  "$PYTHON" "$emulator" --port 0 --dataset demo --port-file "$WORK/port" </dev/null >"$WORK/emulator.log" 2>&1 &
  EMULATOR_PID=$!
  for _ in $(seq 1 300); do
    if [ -s "$WORK/port" ]; then
      port="$(tr -dc '0-9' <"$WORK/port")"
      [ -n "$port" ] && break
    fi
    kill -0 "$EMULATOR_PID" 2>/dev/null || { cat "$WORK/emulator.log" >&2; return 1; }
    sleep 0.1
  done
  [ -n "$port" ] || { echo "inventory_common: the emulator did not start" >&2; cat "$WORK/emulator.log" >&2; return 1; }
  EMULATOR_URL="http://127.0.0.1:$port"
  echo "emulator (pid $EMULATOR_PID) listening on $EMULATOR_URL"
}

# write_source FILE PLUGIN [YAML LINE...]: an inventory source reading the emulator.
write_source() {
  local file="$1" plugin="$2"
  shift 2
  {
    echo "plugin: jobscope.cloud.$plugin"
    echo "endpoint: $EMULATOR_URL"
    local line
    for line in "$@"; do
      echo "$line"
    done
  } >"$file"
}

# check_plugin PLUGIN ACCESS_KEY_ID FAULT_SKIP [YAML LINE...]: every check of the issue for one plugin.
#   FAULT_SKIP: how many requests the injected server error lets through (1 makes it hit a later page).
check_plugin() {
  local plugin="$1" key="$2" fault_skip="$3"
  shift 3
  local source="$WORK/demo.$plugin.yml" cached="$WORK/cached.$plugin.yml" before after

  echo "== $plugin: every item is a host, in its default groups, with validly signed requests"
  write_source "$source" "$plugin" "$@"
  ansible-inventory -i "$source" --list >"$WORK/list.json"
  "${CHECK[@]}" hosts --url "$EMULATOR_URL" --plugin "$plugin" --inventory "$WORK/list.json" \
    ${RUNNING_GROUP:+--running-group "$RUNNING_GROUP"}
  "${CHECK[@]}" requests --url "$EMULATOR_URL" --plugin "$plugin" --access-key-id "$key" >/dev/null

  echo "== $plugin: no credential in the inventory"
  "${CHECK[@]}" secrets "$WORK/list.json"
  ansible-inventory -i "$source" --list --export >"$WORK/export.json"
  ansible-inventory -i "$source" --graph --vars >"$WORK/graph.txt"
  "${CHECK[@]}" secrets "$WORK/export.json" "$WORK/graph.txt"

  echo "== $plugin: a second run with the cache enabled makes no request"
  write_source "$cached" "$plugin" "$@" "cache: true" "cache_plugin: ansible.builtin.jsonfile" \
    "cache_connection: $WORK/cache" "cache_timeout: 3600"
  ansible-inventory -i "$cached" --list >"$WORK/first.json"
  before="$("${CHECK[@]}" requests --url "$EMULATOR_URL" --plugin "$plugin" --access-key-id "$key")"
  ansible-inventory -i "$cached" --list >"$WORK/second.json"
  "${CHECK[@]}" requests --url "$EMULATOR_URL" --plugin "$plugin" --expect "$before" >/dev/null
  cmp "$WORK/first.json" "$WORK/second.json"
  "${CHECK[@]}" hosts --url "$EMULATOR_URL" --plugin "$plugin" --inventory "$WORK/second.json"
  "${CHECK[@]}" secrets --nonempty "$WORK/cache"

  echo "== $plugin: new keyed_groups, compose and hostnames from the cache, without a flush"
  write_source "$cached" "$plugin" "$@" "cache: true" "cache_plugin: ansible.builtin.jsonfile" \
    "cache_connection: $WORK/cache" "cache_timeout: 3600" \
    "keyed_groups: [{key: 'jobscope_${STATE_VAR}', prefix: by_state}]" \
    "compose: {ansible_connection: \"'ssh'\"}"
  ansible-inventory -i "$cached" --list >"$WORK/third.json"
  "${CHECK[@]}" requests --url "$EMULATOR_URL" --plugin "$plugin" --expect "$before" >/dev/null
  "${CHECK[@]}" groups --inventory "$WORK/third.json" "by_state_${KEYED_GROUP_SAMPLE}"
  grep -q '"ssh"' "$WORK/third.json"

  echo "== $plugin: --flush-cache reads the listing again"
  ansible-playbook -i "$cached" --flush-cache "$COMMON_DIR/noop.yml" >"$WORK/flush.log"
  after="$("${CHECK[@]}" requests --url "$EMULATOR_URL" --plugin "$plugin")"
  [ "$after" -gt "$before" ] || { echo "FAILED: --flush-cache made no request" >&2; return 1; }

  echo "== $plugin: a server error fails the source with the vendor's error and no hosts"
  "${CHECK[@]}" control --url "$EMULATOR_URL" POST /faults \
    "{\"faults\": [{\"endpoint\": \"$(action_of "$plugin")\", \"kind\": \"error\", \"status\": 500, \"code\": \"InternalError\", \"message\": \"injected server error\", \"skip\": $fault_skip, \"count\": null}]}" >/dev/null
  if ANSIBLE_INVENTORY_UNPARSED_FAILED=true ansible-inventory -i "$source" --list >"$WORK/failed.json" 2>"$WORK/failed.err"; then
    echo "FAILED: ansible-inventory succeeded despite the server error" >&2
    return 1
  fi
  tr -s ' \n' '  ' <"$WORK/failed.err" >"$WORK/failed.txt"
  # HTTP 500 is retried (bounded), so "(after N attempts)" may stand between the message and its request id.
  grep -Eq "HTTP 500 InternalError: injected server error( \(after [0-9]+ attempts\))? \(request id" "$WORK/failed.txt" \
    || { echo "FAILED: the vendor's error is not in the output:" >&2; cat "$WORK/failed.err" >&2; return 1; }
  ansible-inventory -i "$source" --list >"$WORK/failed.json" 2>"$WORK/failed.err"
  "${CHECK[@]}" groups --inventory "$WORK/failed.json" --hosts 0
  "${CHECK[@]}" control --url "$EMULATOR_URL" DELETE /faults >/dev/null
  echo "== $plugin: all checks passed"
}

action_of() {
  case "$1" in
    emr_ray_clusters) echo ListRayCluster ;;
    emr_ray_jobs) echo ListRayJob ;;
    pai_dlc_jobs) echo ListJobs ;;
    maxcompute_running_jobs) echo GetRunningJobs ;;
    octopus_queued_jobs) echo QueryQueuedJobList ;;
  esac
}

#!/usr/bin/env bash
# Copyright: jobscope.cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Start the local cloud API emulator (tests/emulator/emulator.py) on a free loopback port, run a
# command with EMULATOR_URL=http://127.0.0.1:PORT in its environment, and always stop the
# emulator afterwards (also on failure or Ctrl-C). The command's exit code is returned.
#
# Usage: tools/with_emulator.sh [--dataset NAME] -- COMMAND [ARGS...]
# Environment: PYTHON (default python3), EMULATOR_STARTUP_TIMEOUT seconds (default 30).
set -euo pipefail

dataset=demo
while [ $# -gt 0 ]; do
  case "$1" in
    --dataset) dataset="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "with_emulator.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "with_emulator.sh: no command given" >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
emulator="$root/tests/emulator/emulator.py"
python="${PYTHON:-python3}"
timeout="${EMULATOR_STARTUP_TIMEOUT:-30}"

if [ ! -f "$emulator" ]; then
  echo "with_emulator.sh: $emulator does not exist" >&2
  exit 1
fi

workdir="$(mktemp -d "${TMPDIR:-/tmp}/jobscope-emulator.XXXXXX")"
port_file="$workdir/port"
log_file="$workdir/emulator.log"
pid=""

# shellcheck disable=SC2329  # invoked through "trap cleanup EXIT" below
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "with_emulator.sh: emulator (pid $pid) stopped"
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "with_emulator.sh: starting $python $emulator --port 0 --dataset $dataset --port-file $port_file"
"$python" "$emulator" --port 0 --dataset "$dataset" --port-file "$port_file" \
  </dev/null >"$log_file" 2>&1 &
pid=$!

port=""
deadline=$(( $(date +%s) + timeout ))
while [ -z "$port" ]; do
  if [ -s "$port_file" ]; then
    port="$(tr -dc '0-9' <"$port_file")"
  elif url="$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$log_file" 2>/dev/null | head -n1)" && [ -n "$url" ]; then
    port="${url##*:}"
  fi
  if [ -z "$port" ]; then
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "with_emulator.sh: emulator exited before it was ready; its output:" >&2
      cat "$log_file" >&2 || true
      exit 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "with_emulator.sh: emulator not ready after ${timeout}s; its output:" >&2
      cat "$log_file" >&2 || true
      exit 1
    fi
    sleep 0.1
  fi
done

export EMULATOR_URL="http://127.0.0.1:$port"
echo "with_emulator.sh: emulator (pid $pid) listening on $EMULATOR_URL"

set +e
"$@"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  echo "with_emulator.sh: command failed with exit code $rc; emulator output (last 40 lines):" >&2
  tail -n 40 "$log_file" >&2 || true
fi
exit "$rc"

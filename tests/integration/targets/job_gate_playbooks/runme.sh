#!/usr/bin/env bash
# The collection's playbooks as users run them (ansible-playbook jobscope.cloud.NAME), against an
# emulator of this target's own (its data is changed here, so the emulator of `make integration`,
# shared with the other targets, is left alone). ansible-test passes -v... when asked for verbosity.
set -euo pipefail

# ansible-test points ANSIBLE_COLLECTIONS_PATH at the directory above ansible_collections/.
root="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobscope/cloud"
[ -x "$root/tools/with_emulator.sh" ] || { echo "runme.sh: no $root/tools/with_emulator.sh" >&2; exit 1; }

PYTHON="${PYTHON:-python3}" exec "$root/tools/with_emulator.sh" --dataset demo -- ./playbooks.sh "$@"

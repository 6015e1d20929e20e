#!/usr/bin/env bash
# `npm test` with a CPU hog beside it: one busy loop per core, as on an admin's laptop where a
# build or a video call shares the machine. A test that only passes on an idle machine depends on
# its speed; this is how to find it.
#
#   scripts/test-under-load.sh [vitest args…]   e.g. scripts/test-under-load.sh test/e2e/views.test.ts
#
# Arguments go to vitest as with `npm test -- …` (a leading `--` is accepted too); with none, the
# whole suite runs. TOKENDECK_SKIP_BUILD=1 skips the build, as for `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
cores="$(node -p 'require("node:os").availableParallelism()')"
hogs=()
stop_hogs() {
  for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap stop_hogs EXIT INT TERM
for _ in $(seq "$cores"); do
  node -e 'for (;;) {}' &
  hogs+=("$!")
done
echo "test-under-load: ${#hogs[@]} busy loops running beside npm test" >&2
if [[ "${1:-}" == "--" ]]; then shift; fi
bash scripts/test.sh "$@"

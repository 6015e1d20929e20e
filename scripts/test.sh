#!/usr/bin/env bash
# `npm test`: build the app (the renderer tests load the built page), then run every test inside
# a private keychain. Extra arguments go to vitest (e.g. `npm test -- test/sim`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${TOKENDECK_SKIP_BUILD:-}" != "1" ]]; then
  npx electron-vite build >/dev/null
  node scripts/build-cli.mjs
fi
# Keeps Chromium from starting the accessibility bus inside the private session.
export NO_AT_BRIDGE=1
exec bash scripts/with-private-keyring.sh node scripts/run-tests.mjs "$@"

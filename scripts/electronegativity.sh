#!/usr/bin/env bash
# Advisory security scan of the built app with electronegativity. Never fails the build: it
# prints every finding and says which are not yet explained in security/electronegativity.md.
# The tool tries to fetch translations and Electron's release list from the internet; it runs
# with scripts/offline-guard.cjs so those attempts are refused in-process, and the release check
# (the only one that needs them) is left out.
set -uo pipefail
cd "$(dirname "$0")/.."
tool=tools/electronegativity
if [[ ! -d "$tool/node_modules/@doyensec/electronegativity" ]]; then
  npm ci --prefix "$tool" --ignore-scripts --no-audit --no-fund >/dev/null 2>&1 || { echo "electronegativity: install failed (advisory, skipped)"; exit 0; }
fi
[[ -f out/main/index.js ]] || npx electron-vite build >/dev/null
report="$(mktemp -t electronegativity.XXXXXX.csv)"
trap 'rm -f "$report"' EXIT
electron_version="$(node -p "require('./node_modules/electron/package.json').version")"
node -r ./scripts/offline-guard.cjs "$tool/node_modules/@doyensec/electronegativity/dist/index.js" \
  -i out -x AvailableSecurityFixesGlobalCheck -e "$electron_version" -r -v false -o "$report" >/dev/null 2>&1
node scripts/electronegativity-report.mjs "$report" security/electronegativity.md
exit 0

#!/usr/bin/env bash
# Run a command inside a private D-Bus session with its own unlocked gnome-keyring, so keytar
# talks to a real Secret Service that is never the person's own keychain. Everything the
# keyring writes lives in a temporary directory removed on exit.
#   usage: scripts/with-private-keyring.sh <command> [args…]
set -euo pipefail

if [[ "$(uname -s)" != "Linux" ]]; then
  # macOS Keychain and Windows Credential Manager need no daemon; tests there use a
  # separate keychain service name, never the app's own.
  exec "$@"
fi

if [[ "${TOKENDECK_PRIVATE_KEYRING:-}" == "1" ]]; then
  exec "$@" # already inside one
fi

for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: '$tool' not found. Install: apt-get install dbus gnome-keyring libsecret-1-dev" >&2
    exit 2
  fi
done

keyring_home="$(mktemp -d -t tokendeck-keyring.XXXXXX)"
trap 'rm -rf "$keyring_home"' EXIT
export TOKENDECK_KEYRING_HOME="$keyring_home"

exec dbus-run-session -- bash -c '
  set -euo pipefail
  export XDG_DATA_HOME="$TOKENDECK_KEYRING_HOME/data" XDG_RUNTIME_DIR="$TOKENDECK_KEYRING_HOME/run"
  mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
  # --unlock reads the new keyring password from stdin and creates an unlocked login keyring.
  eval "$(printf "tokendeck-private-test-keyring" | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL TOKENDECK_PRIVATE_KEYRING=1
  "$@"
' tokendeck-keyring "$@" 2> >(grep --line-buffered -v "Failed to set fd limit" >&2)

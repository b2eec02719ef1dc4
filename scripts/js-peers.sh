#!/usr/bin/env bash
# Installs the pinned official JavaScript Cognito clients of tests/js (package.json
# + package-lock.json) into target/js-peers (once per lock change), where
# tests/cli/js_peers.rs runs tests/js/peers.mjs with them. Prints the directory.
#
#   JS_PEERS_DIR=DIR scripts/js-peers.sh    install somewhere else
set -euo pipefail
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
src="$root/tests/js"
dir="${JS_PEERS_DIR:-${CARGO_TARGET_DIR:-$root/target}/js-peers}"
# Written after a successful `npm ci`, inside node_modules (which `npm ci` empties
# first), so an interrupted install is redone.
stamp="$dir/node_modules/.cognito-srp-lock.sha256"
want=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    command -v npm >/dev/null || { echo "js-peers: npm not found (install Node.js >= 18 with npm)" >&2; exit 1; }
    echo "js-peers: installing the pinned JavaScript Cognito clients into $dir" >&2
    mkdir -p "$dir"
    cp "$src/package.json" "$src/package-lock.json" "$dir/"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >&2
    echo "$want" > "$stamp"
fi
echo "$dir"

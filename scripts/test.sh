#!/usr/bin/env bash
# Runs every test of the crate on a fresh machine: installs what the tests need,
# starts the servers they talk to on 127.0.0.1, runs format, lint and tests,
# and stops the servers whatever happens.
#
#   scripts/test.sh            everything
#   FUZZ=1 scripts/test.sh     also a short smoke run of each fuzz target
set -euo pipefail
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

started=$(date +%s)
step() { printf '\n==> [%4ds] %s\n' "$(( $(date +%s) - started ))" "$*"; }

pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_for_port() { # PORT NAME
    for _ in $(seq 1 100); do
        if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null; then
            return 0
        fi
        sleep 0.2
    done
    echo "test.sh: $2 did not start on port $1" >&2
    return 1
}

# A clean build gains nothing from incremental compilation's bookkeeping.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

step "toolchain"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo --version

step "python tools (.venv)"
venv=$(scripts/python-env.sh)
export COGNITO_SRP_VENV="$venv"

step "JavaScript Cognito clients (target/js-peers)"
scripts/js-peers.sh

step "moto Cognito emulator on 127.0.0.1"
moto_port=$(free_port)
"$venv/bin/moto_server" -H 127.0.0.1 -p "$moto_port" >"${TMPDIR:-/tmp}/moto-$moto_port.log" 2>&1 &
pids+=("$!")
wait_for_port "$moto_port" moto_server
export MOTO_ENDPOINT="http://127.0.0.1:$moto_port"
echo "MOTO_ENDPOINT=$MOTO_ENDPOINT"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, all features)"
cargo clippy --all-targets --all-features -- -D warnings

step "cargo doc (all features, warnings denied)"
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --all-features --no-deps

step "feature matrix: the core alone, each feature alone"
timed_check() { # LABEL ARGS...
    local label=$1 t0
    shift
    t0=$(date +%s)
    cargo check --quiet --no-default-features "$@" --lib
    printf '    %-12s %4ds\n' "$label" "$(( $(date +%s) - t0 ))"
}
timed_check "(none)"
for feature in $(sed -n '/^\[features\]/,/^\[/{s/^\([a-z-]*\) *=.*/\1/p}' Cargo.toml); do
    [ "$feature" = default ] && continue
    timed_check "$feature" --features "$feature"
done

step "same dependencies on aarch64 as on x86-64 (no arch-only section swallowing them)"
# Nothing here can build for aarch64 (no target standard library), but the
# resolved dependency set can be compared; only x86-64 kernels may differ.
deps() { cargo tree --quiet --all-features -e normal --depth 1 --prefix none --target "$1" | sort; }
if ! diff <(deps x86_64-unknown-linux-gnu) <(deps aarch64-unknown-linux-gnu); then
    echo "test.sh: the direct dependencies differ between x86-64 and aarch64" >&2
    exit 1
fi

step "aarch64: library and core tests cross-compiled, run under qemu-user (portable backend)"
scripts/aarch64-check.sh

step "client builds wipe hash state (zeroize on sha2/hmac/digest without local-pool)"
scripts/check-zeroize.sh

step "constant-time check: a login under valgrind memcheck, secrets undefined"
scripts/ct-memcheck.sh

step "cargo test (all features)"
cargo test --all-features

step "core tests (shared vectors, differential) pinned to each arithmetic backend"
# A backend this CPU lacks warns once and runs auto; the differential tests
# cover every available backend through *_with in any case.
for b in portable adx ifma; do
    echo "COGNITO_SRP_BACKEND=$b"
    COGNITO_SRP_BACKEND=$b cargo test --all-features --test core -- --quiet
done

if [ "${FUZZ:-0}" = 1 ]; then
    step "fuzz smoke (FUZZ=1)"
    scripts/fuzz-smoke.sh
fi

step "done"

#!/usr/bin/env bash
# The constant-time check: runs ct-check/src/main.rs (a user login and a
# device login, client and server, with a, b, the passwords and the client
# secret marked undefined through valgrind's client requests) under
# valgrind memcheck. Any branch or address that depends on a secret is an
# uninitialised-value error, and --error-exitcode makes it fail.
#
# Then the same binary with CT_MEMCHECK_PLANT=1, which branches on a secret
# byte on purpose: the check must catch it, or it proves nothing.
#
# Valgrind does not emulate AVX-512, so under it the arithmetic takes the
# backends valgrind can run; IFMA is covered by review and the differential
# tests. Installs valgrind (Debian) when it is absent.
set -euo pipefail
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if ! command -v valgrind >/dev/null 2>&1; then
    echo "ct-memcheck: installing valgrind"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq valgrind >/dev/null
fi

cargo build --quiet --release --manifest-path ct-check/Cargo.toml
bin="ct-check/target/release/ct_memcheck"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run() { # extra env for the binary
    env "$@" valgrind --tool=memcheck --error-exitcode=1 --track-origins=yes \
        --num-callers=30 "$bin" >"$log" 2>&1
}

# Every backend valgrind can run (it hides AVX-512, so `ifma` is not one).
# Valgrind runs BMI2/ADX but hides them from CPUID: tell the ct-check build
# the host has them (only when /proc/cpuinfo says so).
adx_env=()
if grep -qw adx /proc/cpuinfo && grep -qw bmi2 /proc/cpuinfo; then
    adx_env=(COGNITO_SRP_CT_CHECK_ADX=1)
fi
for backend in portable adx; do
    if ! run "${adx_env[@]}" COGNITO_SRP_BACKEND=$backend; then
        cat "$log" >&2
        echo "ct-memcheck: FAILED on $backend: a secret reaches a branch or an address (stacks above)" >&2
        exit 1
    fi
    if grep -q "COGNITO_SRP_BACKEND=" "$log"; then
        grep "COGNITO_SRP_BACKEND=" "$log"
        echo "ct-memcheck: $backend is not available under valgrind here; checked auto instead"
    fi
    grep -E "ERROR SUMMARY|ct_memcheck:" "$log"
done

if run CT_MEMCHECK_PLANT=1; then
    cat "$log" >&2
    echo "ct-memcheck: FAILED: the planted secret branch went unnoticed; the check is blind" >&2
    exit 1
fi
if ! grep -q "planted_leak" "$log"; then
    cat "$log" >&2
    echo "ct-memcheck: FAILED: valgrind failed, but not at the planted branch" >&2
    exit 1
fi
echo "ct-memcheck: the planted secret branch is caught ($(grep -c 'depends on uninitialised' "$log") report(s))"
echo "ct-memcheck: passed"

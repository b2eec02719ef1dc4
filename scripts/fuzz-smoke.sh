#!/usr/bin/env bash
# A short smoke run of every fuzz target on its committed corpus (≈30 s each,
# one job, niced). Installs cargo-fuzz if missing. Exits non-zero on any crash,
# leak, timeout or build failure. Called by `FUZZ=1 scripts/test.sh`.
#
#   scripts/fuzz-smoke.sh                 every target, 30 s each
#   FUZZ_SECONDS=120 scripts/fuzz-smoke.sh secret_block
#
# Built optimised with debug assertions and overflow checks (-O -a).
# libFuzzer needs nightly-only rustc flags; RUSTC_BOOTSTRAP=1 lets the stable
# toolchain accept them. New corpus entries go to a scratch directory, so the
# committed corpus is not modified.
set -euo pipefail
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root/fuzz"

seconds=${FUZZ_SECONDS:-30}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(challenge_parameters signed_hex_and_pad secret_block transport_response local_pool_request)
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz-smoke: installing cargo-fuzz"
    cargo install --locked cargo-fuzz
fi

export RUSTC_BOOTSTRAP=1
echo "fuzz-smoke: building ${#targets[@]} targets"
if ! nice -n 10 cargo fuzz build -O -a >"${TMPDIR:-/tmp}/fuzz-smoke-build.log" 2>&1; then
    tail -n 60 "${TMPDIR:-/tmp}/fuzz-smoke-build.log" >&2
    echo "fuzz-smoke: build failed" >&2
    exit 1
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=()
for target in "${targets[@]}"; do
    mkdir -p "$scratch/$target"
    log="$scratch/$target.log"
    printf 'fuzz-smoke: %-22s %ss ... ' "$target" "$seconds"
    if nice -n 10 cargo fuzz run -O -a "$target" "$scratch/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=8192 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        echo "ok (${execs:-?} execs)"
    else
        echo "FAILED"
        tail -n 40 "$log" >&2
        failed+=("$target")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz-smoke: crashes in: ${failed[*]} (inputs under fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz-smoke: all ${#targets[@]} targets ran clean"

#!/usr/bin/env bash
# aarch64-check.sh - the crate on aarch64: cross-compiles the library and the
# core tests (shared vectors, differential tests against num-bigint, the
# portable backend: the only one an ARM CPU has) for aarch64-unknown-linux-gnu
# and runs them under qemu-user. Installs what it needs when absent: the
# target's standard library (rustup), Debian's aarch64 cross gcc (the linker)
# and qemu-user.
#
# This checks correctness on a 64-bit ARM target (u64 × u64 → u128 products,
# which compile to mul/umulh there), not speed: emulated timings mean nothing.
# One test is skipped: backend_env::pinned_backend_in_child_processes re-runs
# its own binary as a child process, which the host kernel cannot execute
# without a binfmt_misc registration for qemu (a system setting CI lacks).
set -euo pipefail
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

target=aarch64-unknown-linux-gnu
sysroot=/usr/aarch64-linux-gnu

if ! rustup target list --installed | grep -qx "$target"; then
    if ! rustup target add "$target" >&2; then
        # Only reachable when the machine cannot download the target's
        # standard library: say so loudly rather than fail the whole run.
        echo "aarch64-check: SKIPPED: rustup could not install $target" >&2
        exit 0
    fi
fi
if ! command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || ! command -v qemu-aarch64 >/dev/null 2>&1 ||
    [ ! -d "$sysroot/lib" ]; then
    echo "aarch64-check: installing gcc-aarch64-linux-gnu, libc6-dev-arm64-cross, qemu-user" >&2
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq \
        gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user >/dev/null
fi

export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER=qemu-aarch64
export QEMU_LD_PREFIX=$sysroot
cargo test --release --target "$target" --features "vectors hazmat" --lib --test core -- \
    --quiet --skip backend_env::pinned_backend_in_child_processes
echo "aarch64-check: passed"

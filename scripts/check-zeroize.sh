#!/usr/bin/env bash
# Every client-only build of the library wipes hash state: `digest` (under
# sha2, hmac and hkdf) has its `zeroize` feature on for each feature set, and
# the compile-time check in src/secret.rs passes without `local-pool`, and
# the library's tests pass in the client-only `http` build.
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
digest=digest@0.11
for features in "" "wire" "flow" "http" "verify" "aws-sdk" "http,aws-sdk"; do
    tree=$(cargo tree -e features --no-default-features ${features:+--features "$features"} -i "$digest")
    if ! grep -q 'digest feature "zeroize"' <<<"$tree"; then
        echo "check-zeroize: features [${features:-none}]: $digest without its zeroize feature" >&2
        exit 1
    fi
    printf '    %-14s digest feature "zeroize" on\n' "[${features:-none}]"
done
cargo test --quiet --no-default-features --lib hash_state
# The library's own secret tests (redaction, zeroizing, the hash-state check,
# the constant-time helpers) also in a client-only build, without local-pool.
cargo test --quiet --no-default-features --features http --lib

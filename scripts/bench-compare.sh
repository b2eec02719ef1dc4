#!/usr/bin/env bash
# bench-compare.sh - one full Cognito SRP client login (A, then the
# PASSWORD_VERIFIER claim) timed back to back on this machine by:
#   1. this crate            criterion login/full              (benches/srp.rs)
#   2. naive num-bigint      criterion baseline/num_bigint_login (benches/srp.rs)
#   3. OpenSSL lower bound   ../shared/bench/openssl-baseline
#   4. pycognito 2024.5.1    benches/compare/pycognito_login.py (the repo's .venv)
#   5. amazon-cognito-identity-js 6.3.21
#                            benches/compare/cognito_js_login.js (npm, cached in
#                            target/bench-js/)
# All compute the SAME signature: `a` and the clock are fixed to the
# `baseline_uuid_user` vector of vectors/user_srp.json, and every harness checks
# SRP_A and the signature against it before timing (a mismatch aborts the run).
#
# Prints a Markdown table of median wall time per login and the ratio against
# login/full (> 1: slower than this crate), plus the CPU-time medians the
# non-criterion harnesses report (criterion measures wall time only).
#
# Usage: scripts/bench-compare.sh [--scaling]
#   --scaling   also run benches/scaling.rs: login/full on 1 vs 2 threads in
#               interleaved rounds, next to a control loop; prints the 2-thread
#               throughput factor (target >= 1.8)
# Environment: CRITERION_ARGS (default "--warm-up-time 1 --measurement-time 3"),
#              SAMPLES (default 15, for the pycognito and JS harnesses).
# Takes about 1-2 minutes once everything is built and installed.
set -euo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

scaling=0
for arg in "$@"; do
    case "$arg" in
        --scaling) scaling=1 ;;
        -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
        *) echo "bench-compare: unknown argument $arg" >&2; exit 2 ;;
    esac
done

criterion_args=${CRITERION_ARGS:---warm-up-time 1 --measurement-time 3}
samples=${SAMPLES:-15}
vectors="$root/vectors/user_srp.json"
openssl_baseline="$root/../shared/bench/openssl-baseline"
js_version=6.3.21

die() { echo "bench-compare: $*" >&2; exit 1; }

[ -x "$openssl_baseline" ] ||
    die "OpenSSL baseline not found at ../shared/bench/openssl-baseline (relative to the repo root: $openssl_baseline)"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || die "node and npm are required"
command -v python3 >/dev/null 2>&1 || die "python3 is required"

target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')

# --- Set-up (not timed): pinned pycognito, pinned amazon-cognito-identity-js ---
venv=$(scripts/python-env.sh)
"$venv/bin/python" -c 'from importlib.metadata import version; import sys
sys.exit(version("pycognito") != "2024.5.1")' || die "pycognito 2024.5.1 is not in $venv"

js_dir="$target_dir/bench-js"
installed_js=$(node -p "require('$js_dir/node_modules/amazon-cognito-identity-js/package.json').version" 2>/dev/null || true)
if [ "$installed_js" != "$js_version" ]; then
    echo "bench-compare: installing amazon-cognito-identity-js@$js_version into $js_dir" >&2
    mkdir -p "$js_dir"
    [ -f "$js_dir/package.json" ] || echo '{"private": true}' > "$js_dir/package.json"
    npm install --prefix "$js_dir" --no-audit --no-fund --silent --save-exact \
        "amazon-cognito-identity-js@$js_version" >&2
fi

echo "bench-compare: building the criterion bench" >&2
cargo bench --features hazmat --bench srp --no-run --quiet >&2 || die "cargo bench --no-run failed"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 1, 2: criterion ---
filter='^(login/full|baseline/num_bigint_login)$'
echo "bench-compare: criterion $filter" >&2
# shellcheck disable=SC2086
cargo bench --features hazmat --bench srp -- "$filter" $criterion_args >&2

median_us() { # <group> <id>: criterion's median point estimate, in microseconds
    python3 - "$target_dir/criterion/$1/$2/new/estimates.json" <<'EOF'
import json, sys
print(f'{json.load(open(sys.argv[1]))["median"]["point_estimate"] / 1e3:.1f}')
EOF
}
ours=$(median_us login full)
naive=$(median_us baseline num_bigint_login)

# --- 3: OpenSSL ---
echo "bench-compare: OpenSSL baseline" >&2
openssl_out=$("$openssl_baseline") || die "openssl-baseline failed"
field() { printf '%s\n' "$1" | sed -n "s/^$2=//p" | tail -n 1; }
openssl_wall=$(field "$openssl_out" openssl_login_wall_median_us)
openssl_cpu=$(field "$openssl_out" openssl_login_cpu_median_us)
openssl_version=$(field "$openssl_out" openssl_version)

# --- 4: pycognito ---
echo "bench-compare: pycognito" >&2
py_out=$("$venv/bin/python" benches/compare/pycognito_login.py "$vectors" --samples "$samples") ||
    die "pycognito harness failed"
py_wall=$(field "$py_out" pycognito_login_wall_median_us)
py_cpu=$(field "$py_out" pycognito_login_cpu_median_us)

# --- 5: amazon-cognito-identity-js ---
echo "bench-compare: amazon-cognito-identity-js" >&2
js_out=$(NODE_PATH="$js_dir/node_modules" node benches/compare/cognito_js_login.js "$vectors" --samples "$samples") ||
    die "amazon-cognito-identity-js harness failed"
js_wall=$(field "$js_out" cognito_js_login_wall_median_us)
js_cpu=$(field "$js_out" cognito_js_login_cpu_median_us)

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- The table ---
python3 - "$ours" "$naive" "$openssl_wall" "$openssl_cpu" "$py_wall" "$py_cpu" "$js_wall" "$js_cpu" \
    "$openssl_version" "$(node --version)" "$("$venv/bin/python" --version 2>&1)" <<'EOF'
import sys
ours, naive, ossl_w, ossl_c, py_w, py_c, js_w, js_c = map(float, sys.argv[1:9])
ossl_v, node_v, py_v = sys.argv[9:12]
def t(us):
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} µs"
rows = [
    ("cognito-srp-auth `login/full` (this crate)", ours, None),
    ("naive num-bigint `modpow` (`baseline/num_bigint_login`)", naive, None),
    (f"OpenSSL lower bound ({ossl_v}, comb + Montgomery)", ossl_w, ossl_c),
    (f"pycognito 2024.5.1 ({py_v})", py_w, py_c),
    (f"amazon-cognito-identity-js 6.3.21 (node {node_v})", js_w, js_c),
]
print("| Implementation | Median per login (wall) | vs `login/full` | CPU-time median |")
print("|---|---:|---:|---:|")
for name, wall, cpu in rows:
    print(f"| {name} | {t(wall)} | {wall / ours:.2f}× | {t(cpu) if cpu is not None else '—'} |")
print()
print(f"login/full / OpenSSL = {ours / ossl_w:.2f} (target ≤ 1.5, goal ≤ 1.0); "
      f"pycognito / login/full = {py_w / ours:.1f} (target ≥ 15); "
      f"JS / login/full = {js_w / ours:.1f} (target ≥ 50)")
EOF

if [ "$scaling" = 1 ]; then
    # Interleaved 1-/2-thread rounds with a control loop (benches/scaling.rs):
    # robust to the neighbours' load, unlike criterion's scaling/* ids.
    echo
    cargo bench --quiet --features hazmat --bench scaling 2>/dev/null | grep -v '^\s*$' ||
        die "cargo bench --bench scaling failed (run it directly to see why)"
fi
echo
echo "load average (1/5/15 min): before $load_before, after $load_after; $(nproc) CPUs"

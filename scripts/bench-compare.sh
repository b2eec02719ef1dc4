#!/usr/bin/env bash
# bench-compare.sh - one full Cognito SRP client login (A, then the
# PASSWORD_VERIFIER claim) timed back to back on this machine, in one run, by:
#   1. this crate            criterion login/full (benches/srp.rs), once per
#                            arithmetic backend: COGNITO_SRP_BACKEND=portable,
#                            adx, ifma (a separate criterion run each; a backend
#                            this CPU lacks is reported "n/a on this CPU")
#   2. naive num-bigint      criterion baseline/num_bigint_login (benches/srp.rs)
#   3. OpenSSL lower bound   ../shared/bench/openssl-baseline
#   4. pycognito 2024.5.1    benches/compare/pycognito_login.py (the repo's .venv)
#   5. amazon-cognito-identity-js 6.3.21
#                            benches/compare/cognito_js_login.js (npm, cached in
#                            target/bench-js/)
#   6. Go, standard library  benches/compare/go_login (math/big; built into
#                            target/bench-go/; Debian's golang-go is installed
#                            with apt-get when `go` is absent)
#   7. Java, JDK only        benches/compare/JavaLogin.java (BigInteger.modPow;
#                            compiled with javac into target/bench-java/, the JIT
#                            warmed up for 3 s of CPU time before timing)
# All compute the SAME signature: `a` and the clock are fixed to the
# `baseline_uuid_user` vector of vectors/user_srp.json, and every harness checks
# SRP_A and the signature against it before timing (a mismatch aborts the run).
#
# Prints a Markdown table of median wall time per login, its ratio against the
# OpenSSL lower bound (the issue's targets are stated against it) and against
# login/full on the backend `auto` picks (the fastest this CPU has; > 1: slower
# than this crate), plus the CPU-time medians the non-criterion harnesses
# report (criterion measures wall time only).
#
# Usage: scripts/bench-compare.sh [--scaling]
#   --scaling   also run benches/scaling.rs: login/full on 1 vs 2 threads in
#               interleaved rounds, next to a control loop; prints the 2-thread
#               throughput factor (target >= 1.8)
# Environment: CRITERION_ARGS (default "--warm-up-time 1 --measurement-time 3"),
#              SAMPLES (default 15, for the pycognito, JS, Go and Java harnesses).
# Takes about a minute once everything is built and installed (47 s on 2 cores).
set -euo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

scaling=0
for arg in "$@"; do
    case "$arg" in
        --scaling) scaling=1 ;;
        -h|--help) sed -n '2,36p' "$0"; exit 0 ;;
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
command -v javac >/dev/null 2>&1 && command -v java >/dev/null 2>&1 ||
    die "javac and java are required (Debian: apt-get install default-jdk-headless)"
if ! command -v go >/dev/null 2>&1; then
    echo "bench-compare: installing Debian's golang-go (go is absent)" >&2
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y golang-go >&2 || die "apt-get install golang-go failed"
    else
        sudo apt-get install -y golang-go >&2 || die "sudo apt-get install golang-go failed"
    fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

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

# Go: standard library only, so no module download (GOPROXY=off); the build
# cache lives in the target dir with the binary.
go_dir="$target_dir/bench-go"
echo "bench-compare: building the Go harness into $go_dir" >&2
mkdir -p "$go_dir"
(cd benches/compare/go_login &&
    GOPROXY=off GOFLAGS= GOCACHE="$go_dir/cache" go build -trimpath -o "$go_dir/go_login" .) >&2 ||
    die "go build failed"

java_dir="$target_dir/bench-java"
echo "bench-compare: compiling the Java harness into $java_dir" >&2
mkdir -p "$java_dir"
javac -d "$java_dir" benches/compare/JavaLogin.java >&2 || die "javac failed"

echo "bench-compare: building the criterion bench" >&2
cargo bench --features hazmat --bench srp --no-run --quiet >&2 || die "cargo bench --no-run failed"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 1, 2: criterion, one run per backend ---
median_us() { # <group> <id>: criterion's median point estimate, in microseconds
    python3 - "$target_dir/criterion/$1/$2/new/estimates.json" <<'EOF'
import json, sys
print(f'{json.load(open(sys.argv[1]))["median"]["point_estimate"] / 1e3:.1f}')
EOF
}
# COGNITO_SRP_BACKEND is read once per process, so each backend gets its own
# criterion run; its median is read before the next run overwrites `new/`.
# The crate warns on stderr ("cognito-srp-auth: COGNITO_SRP_BACKEND=<b> is not
# available on this CPU; using auto (...)") and falls back to auto: that run's
# number is not that backend's, so it is dropped.
backends=(portable adx ifma)
declare -A ours
for backend in "${backends[@]}"; do
    filter='^login/full$'
    # The naive baseline does not use the crate's arithmetic: timed once.
    if [ "$backend" = portable ]; then filter='^(login/full|baseline/num_bigint_login)$'; fi
    echo "bench-compare: criterion $filter, COGNITO_SRP_BACKEND=$backend" >&2
    # shellcheck disable=SC2086
    if ! COGNITO_SRP_BACKEND=$backend cargo bench --quiet --features hazmat --bench srp -- \
        "$filter" $criterion_args >&2 2>"$work/criterion-$backend.stderr"; then
        cat "$work/criterion-$backend.stderr" >&2
        die "cargo bench (COGNITO_SRP_BACKEND=$backend) failed"
    fi
    cat "$work/criterion-$backend.stderr" >&2
    if grep -q '^cognito-srp-auth: COGNITO_SRP_BACKEND=' "$work/criterion-$backend.stderr"; then
        ours[$backend]=n/a
    else
        ours[$backend]=$(median_us login full)
    fi
    if [ "$backend" = portable ]; then naive=$(median_us baseline num_bigint_login); fi
done
# `auto` picks the fastest backend the CPU has: ifma, else adx, else portable.
auto=portable
for backend in "${backends[@]}"; do
    if [ "${ours[$backend]}" != n/a ]; then auto=$backend; fi
done
if grep -rq COGNITO_SRP_BACKEND src/; then switch=1; else switch=0; fi

# --- 3: OpenSSL ---
echo "bench-compare: OpenSSL baseline" >&2
openssl_out=$("$openssl_baseline") || die "openssl-baseline failed"
field() { printf '%s\n' "$1" | sed -n "s/^$2=//p" | tail -n 1; }
openssl_wall=$(field "$openssl_out" openssl_login_wall_median_us)
openssl_cpu=$(field "$openssl_out" openssl_login_cpu_median_us)
openssl_version=$(field "$openssl_out" openssl_version | cut -d" " -f1-2) # "OpenSSL 3.0.19"

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

# --- 6: Go ---
echo "bench-compare: Go (math/big)" >&2
go_out=$("$go_dir/go_login" "$vectors" --samples "$samples") || die "Go harness failed"
go_wall=$(field "$go_out" go_login_wall_median_us)
go_cpu=$(field "$go_out" go_login_cpu_median_us)
go_version=$(field "$go_out" go_version)

# --- 7: Java ---
echo "bench-compare: Java (BigInteger.modPow)" >&2
java_out=$(java -cp "$java_dir" JavaLogin "$vectors" --samples "$samples") || die "Java harness failed"
java_wall=$(field "$java_out" java_login_wall_median_us)
java_cpu=$(field "$java_out" java_login_cpu_median_us)
java_version=$(field "$java_out" java_version)

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- The table ---
# One row per line on stdin: kind, wall (µs or n/a), CPU (µs or empty), name.
{
    printf 'portable\t%s\t\tthis crate (portable), `login/full`\n' "${ours[portable]}"
    printf 'adx\t%s\t\tthis crate (adx: BMI2 + ADX), `login/full`\n' "${ours[adx]}"
    printf 'ifma\t%s\t\tthis crate (ifma: AVX-512 IFMA), `login/full`\n' "${ours[ifma]}"
    printf 'naive\t%s\t\tnaive num-bigint `modpow` (`baseline/num_bigint_login`)\n' "$naive"
    printf 'openssl\t%s\t%s\tOpenSSL lower bound (%s, comb + Montgomery, C)\n' \
        "$openssl_wall" "$openssl_cpu" "$openssl_version"
    printf 'py\t%s\t%s\tpycognito 2024.5.1 (%s)\n' "$py_wall" "$py_cpu" "$("$venv/bin/python" --version 2>&1)"
    printf 'js\t%s\t%s\tamazon-cognito-identity-js %s (node %s)\n' "$js_wall" "$js_cpu" "$js_version" "$(node --version)"
    printf 'go\t%s\t%s\tGo `math/big` (%s, standard library)\n' "$go_wall" "$go_cpu" "$go_version"
    printf 'java\t%s\t%s\tJava `BigInteger.modPow` (%s)\n' "$java_wall" "$java_cpu" "$java_version"
} | python3 -c '
import sys
auto, switch = sys.argv[1], sys.argv[2] == "1"
rows = []
for line in sys.stdin:
    kind, wall, cpu, name = line.rstrip("\n").split("\t")
    rows.append((kind, None if wall == "n/a" else float(wall), float(cpu) if cpu else None, name))
by = {kind: wall for kind, wall, _, _ in rows}
ours, ossl = by[auto], by["openssl"]
def t(us):
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} µs"
print(f"| Implementation | Median per login (wall) | × OpenSSL | vs `login/full` ({auto}) | CPU-time median |")
print("|---|---:|---:|---:|---:|")
for kind, wall, cpu, name in rows:
    if wall is None:
        print(f"| {name} | n/a on this CPU | — | — | — |")
    else:
        print(f"| {name} | {t(wall)} | {wall / ossl:.2f}× | {wall / ours:.2f}× | "
              f"{t(cpu) if cpu is not None else chr(0x2014)} |")
print()
py, js, go, java = by["py"], by["js"], by["go"], by["java"]
crate = ", ".join(f"{k} {by[k] / ossl:.2f}" for k in ("portable", "adx", "ifma") if by[k] is not None)
print(f"login/full / OpenSSL: {crate} (target ≤ 1.5, goal ≤ 1.0); "
      f"pycognito / login/full ({auto}) = {py / ours:.1f} (target ≥ 15); "
      f"JS / login/full ({auto}) = {js / ours:.1f} (target ≥ 50); "
      f"Go / OpenSSL = {go / ossl:.2f}, Java / OpenSSL = {java / ossl:.2f}")
if not switch:
    print("note: this checkout has no COGNITO_SRP_BACKEND switch: "
          "every crate row ran the same (auto) backend")
' "$auto" "$switch"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/^model name[[:space:]]*: //'); flags:$(
    for f in bmi2 adx avx512ifma; do grep -qw "$f" /proc/cpuinfo && printf ' %s' "$f"; done)"

if [ "$scaling" = 1 ]; then
    # Interleaved 1-/2-thread rounds with a control loop (benches/scaling.rs):
    # robust to the neighbours' load, unlike criterion's scaling/* ids.
    echo
    cargo bench --quiet --features hazmat --bench scaling 2>/dev/null | grep -v '^\s*$' ||
        die "cargo bench --bench scaling failed (run it directly to see why)"
fi
echo
echo "load average (1/5/15 min): before $load_before, after $load_after; $(nproc) CPUs"

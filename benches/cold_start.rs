//! Cold start: what the FIRST login costs in a fresh process, table set-up and
//! all, compared with a warm login.
//!
//! `cargo bench --features hazmat --bench cold_start` re-runs this binary as a child process,
//! alternately with 0 and with 1 login, `COLD_START_RUNS` times each (default
//! 200), and prints:
//!
//! * the median whole-process wall time of each and their difference (the
//!   first login's cost as a caller sees it: page faults on the comb tables,
//!   one-off `OnceLock` initialisations, cold caches);
//! * the median first login timed inside the child (`Instant` around the
//!   first `start` + `respond`), and the median warm login (the child's 2nd–6th).
//!
//! Both modes parse the same vector file, `benches/data/ONE.json`, so the
//! difference is the login alone. The child mode is `cold_start login <count>`;
//! it also prints the minor page faults the first login took.
//!
//! `COLD_START_BREAKDOWN=1` instead shows where the first login's extra time
//! goes: children that do some of the login's one-off work first (the CPU
//! detection, the first hash, the first exponentiation, the comb table),
//! interleaved, `COLD_START_RUNS` (default 60) of each, then their first and
//! warm logins. A step done beforehand takes its cost out of the first login.
//!
//! The CLI equivalent (also in `benches/PERFORMANCE.md`):
//! `hyperfine -N --warmup 10 'target/release/cognito-srp vectors verify benches/data/ZERO.json'
//!  'target/release/cognito-srp vectors verify benches/data/ONE.json'` — note that the
//! vector runner performs each vector's login twice (step functions, then the
//! session API), so that difference is ≈ first login + one warm login.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
// getrusage, for the page-fault count.
#![allow(unsafe_code)]

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use cognito_srp_auth::SrpStart;
use cognito_srp_auth::{
    ClientId, CognitoTimestamp, Password, PasswordVerifierChallenge, SecretInteger, SrpClient,
    StartOptions, UserPoolId,
};
use serde_json::Value;

const VECTOR: &str = include_str!("data/ONE.json");

/// One login on the vector; returns the signature and checks it.
fn login(v: &Value) -> String {
    let s = |key: &str| v[key].as_str().unwrap();
    let client = SrpClient::new(
        UserPoolId::parse(s("user_pool_id")).unwrap(),
        ClientId::new("benchclient").unwrap(),
    );
    let SrpStart {
        parameters: _params,
        session,
        ..
    } = client
        .start_with_secret_exponent(
            "alice",
            Password::new(s("password")),
            &StartOptions::default(),
            SecretInteger::from_hex(s("a")).unwrap(),
        )
        .unwrap();
    let challenge = PasswordVerifierChallenge::new(
        s("srp_b"),
        s("salt"),
        s("secret_block"),
        s("user_id_for_srp"),
    )
    .unwrap();
    let timestamp = CognitoTimestamp::parse(s("timestamp")).unwrap();
    let answer = session.respond(&challenge, &timestamp).unwrap();
    let signature = answer.password_claim_signature().to_owned();
    assert_eq!(
        signature,
        v["expected"]["password_claim_signature"].as_str().unwrap()
    );
    signature
}

/// The one-off work a first login does, each as a step a breakdown child can
/// run before its first login (`COLD_START_PRE`, comma-separated).
const PRE_STEPS: [(&str, &str); 5] = [
    (
        "detect",
        "the backend choice (CPU detection, COGNITO_SRP_BACKEND)",
    ),
    ("hash", "one SHA-256 (sha2's own CPU detection, its code)"),
    (
        "pow",
        "a pow with an 8-byte exponent (the kernel's code, first vector instructions)",
    ),
    (
        "comb256",
        "g^x, a 32-byte exponent (the comb's first segment)",
    ),
    (
        "comb1024",
        "g^a, a 128-byte exponent (the whole comb table)",
    ),
];

fn pre_step(step: &str) {
    use cognito_srp_auth::math::backend::{pow, pow_g};
    match step {
        "detect" => {
            black_box(cognito_srp_auth::arithmetic_backend());
        }
        "hash" => {
            let x = cognito_srp_auth::math::SrpInteger::from_be_bytes(&[7; 8]);
            black_box(cognito_srp_auth::steps::scrambling_parameter(&x, &x).ok());
        }
        "pow" => {
            black_box(pow(&pow_g(&[3]), &[0x77; 8]));
        }
        "comb256" => {
            black_box(pow_g(&[0x5a; 32]));
        }
        "comb1024" => {
            black_box(pow_g(&[0x5a; 128]));
        }
        "" => {}
        other => panic!("unknown COLD_START_PRE step {other:?}"),
    }
}

/// Minor page faults of this process so far.
fn minor_faults() -> i64 {
    // SAFETY: getrusage writes one `rusage` through a valid pointer.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    usage.ru_minflt
}

/// Child mode: parse the vector file, run the `COLD_START_PRE` steps, then
/// `count` logins. With `count` ≥ 1 prints `first_us=` (the first login) and
/// `faults=` (its minor page faults) and, for `count` > 1, `warm_us=` (the
/// median of the others).
fn child(count: usize) {
    let file: Value = serde_json::from_str(VECTOR).unwrap();
    let v = &file["vectors"][0];
    for step in std::env::var("COLD_START_PRE")
        .unwrap_or_default()
        .split(',')
    {
        pre_step(step);
    }
    let mut times = Vec::with_capacity(count);
    let mut first_faults = 0;
    for i in 0..count {
        let f0 = minor_faults();
        let t0 = Instant::now();
        black_box(login(black_box(v)));
        times.push(t0.elapsed());
        if i == 0 {
            first_faults = minor_faults() - f0;
        }
    }
    if let Some(first) = times.first() {
        println!("first_us={:.1}", first.as_secs_f64() * 1e6);
        println!("faults={first_faults}");
    }
    if times.len() > 1 {
        println!(
            "warm_us={:.1}",
            median(&mut times[1..].to_vec()).as_secs_f64() * 1e6
        );
    }
}

fn median(xs: &mut [Duration]) -> Duration {
    xs.sort();
    let m = xs.len() / 2;
    if xs.len() % 2 == 1 {
        xs[m]
    } else {
        (xs[m - 1] + xs[m]) / 2
    }
}

fn field(out: &str, key: &str) -> Option<f64> {
    out.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
        .map(|v| v.parse().unwrap())
}

fn run_child(count: usize) -> (Duration, String) {
    run_child_after(count, "")
}

/// A child that runs the `pre` steps, then `count` logins.
fn run_child_after(count: usize, pre: &str) -> (Duration, String) {
    let exe = std::env::current_exe().unwrap();
    let t0 = Instant::now();
    let out = Command::new(exe)
        .args(["login", &count.to_string()])
        .env("COLD_START_PRE", pre)
        .output()
        .unwrap();
    let elapsed = t0.elapsed();
    assert!(out.status.success(), "child failed: {out:?}");
    (elapsed, String::from_utf8(out.stdout).unwrap())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("login") {
        child(args[1].parse().unwrap());
        return;
    }
    // Run by `cargo bench`: skip when a filter for other benches was given.
    let filter = args.iter().find(|a| !a.starts_with('-'));
    if filter.is_some_and(|f| !"cold_start".contains(f.as_str())) {
        return;
    }
    let breakdown = std::env::var_os("COLD_START_BREAKDOWN").is_some_and(|v| v == "1");
    let runs: usize = std::env::var("COLD_START_RUNS")
        .ok()
        .map_or(if breakdown { 60 } else { 200 }, |r| r.parse().unwrap());
    // `--test` (cargo test --benches, criterion's smoke mode): a quick check only.
    let runs = if args.iter().any(|a| a == "--test") {
        3
    } else {
        runs
    };
    for count in [0, 1, 6] {
        run_child(count); // warm the page cache
    }
    if breakdown {
        print_breakdown(runs);
        return;
    }
    let (mut zero, mut one, mut first) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        zero.push(run_child(0).0);
        let (t, out) = run_child(1);
        one.push(t);
        first.push(Duration::from_secs_f64(
            field(&out, "first_us").unwrap() / 1e6,
        ));
    }
    let mut warm = Vec::new();
    for _ in 0..runs.div_ceil(10) {
        let (_, out) = run_child(6);
        warm.push(Duration::from_secs_f64(
            field(&out, "warm_us").unwrap() / 1e6,
        ));
    }
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let (z, o) = (us(median(&mut zero)), us(median(&mut one)));
    let (f, w) = (us(median(&mut first)), us(median(&mut warm)));
    println!("cold_start: {runs} fresh processes each, medians (wall)");
    println!("  process, 0 logins:              {z:9.1} µs");
    println!("  process, 1 login:               {o:9.1} µs");
    println!("  difference (first login):       {:9.1} µs", o - z);
    println!("  first login, timed in-process:  {f:9.1} µs");
    println!("  warm login (2nd-6th, in-process): {w:7.1} µs");
    println!(
        "  first / warm: {:.2} (process difference), {:.2} (in-process); target <= 1.1",
        (o - z) / w,
        f / w
    );
}

/// `COLD_START_BREAKDOWN=1`: first and warm logins after cumulative prefixes
/// of [`PRE_STEPS`], the configurations interleaved run by run.
fn print_breakdown(runs: usize) {
    let mut configs = vec![("nothing".to_owned(), String::new())];
    for k in 1..=PRE_STEPS.len() {
        let steps: Vec<&str> = PRE_STEPS[..k].iter().map(|(s, _)| *s).collect();
        configs.push((format!("+ {}", PRE_STEPS[k - 1].1), steps.join(",")));
    }
    let mut samples = vec![(Vec::new(), Vec::new(), Vec::new()); configs.len()];
    for _ in 0..runs {
        for ((_, pre), (first, warm, faults)) in configs.iter().zip(samples.iter_mut()) {
            let (_, out) = run_child_after(6, pre);
            first.push(Duration::from_secs_f64(
                field(&out, "first_us").unwrap() / 1e6,
            ));
            warm.push(Duration::from_secs_f64(
                field(&out, "warm_us").unwrap() / 1e6,
            ));
            faults.push(field(&out, "faults").unwrap());
        }
    }
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "cold_start breakdown ({}): {runs} processes per row, medians (wall, in-process)",
        cognito_srp_auth::arithmetic_backend()
    );
    println!(
        "| done before the first login | first | warm | first / warm | first − warm | page faults |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for ((name, _), (first, warm, faults)) in configs.iter().zip(samples.iter_mut()) {
        let (f, w) = (us(median(first)), us(median(warm)));
        faults.sort_by(f64::total_cmp);
        println!(
            "| {name} | {f:.0} µs | {w:.0} µs | {:.3} | {:.0} µs | {} |",
            f / w,
            f - w,
            faults[faults.len() / 2]
        );
    }
}

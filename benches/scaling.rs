//! Two-thread scaling of a full login, measured so that a busy machine does not
//! decide the answer: 1-thread and 2-thread batches are **interleaved** (round by
//! round, each round ~20–40 ms), the ratio is taken within each round and the
//! median over the rounds is reported, next to the same measurement of a
//! register-only control loop. Criterion's `scaling/*` ids in `benches/srp.rs`
//! measure 1 and 2 threads a few seconds apart, so on a shared machine they
//! often compare different neighbour loads.
//!
//! `cargo bench --features hazmat --bench scaling` (`SCALING_ROUNDS`, default 150).
//! Prints, per workload, the median 2-thread throughput relative to 1 thread
//! (target for `login/full`: ≥ 1.8) and the median per-login thread CPU time
//! alone and with 2 threads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use cognito_srp_auth::SrpStart;
use cognito_srp_auth::{
    ClientId, CognitoTimestamp, Password, PasswordVerifierChallenge, SecretInteger, SrpClient,
    StartOptions, UserPoolId,
};
use serde_json::Value;

#[path = "support/cpu_clock.rs"]
mod cpu_clock;
use cpu_clock::thread_cpu_ns;

const VECTOR: &str = include_str!("data/ONE.json");

struct Login {
    client: SrpClient,
    password: Password,
    a: SecretInteger,
    srp_b: String,
    salt: String,
    secret_block: String,
    user_id: String,
    timestamp: CognitoTimestamp,
    signature: String,
}

impl Login {
    fn new(v: &Value) -> Self {
        let s = |key: &str| v[key].as_str().unwrap().to_owned();
        Self {
            client: SrpClient::new(
                UserPoolId::parse(&s("user_pool_id")).unwrap(),
                ClientId::new("benchclient").unwrap(),
            ),
            password: Password::new(s("password")),
            a: SecretInteger::from_hex(&s("a")).unwrap(),
            srp_b: s("srp_b"),
            salt: s("salt"),
            secret_block: s("secret_block"),
            user_id: s("user_id_for_srp"),
            timestamp: CognitoTimestamp::parse(&s("timestamp")).unwrap(),
            signature: v["expected"]["password_claim_signature"]
                .as_str()
                .unwrap()
                .to_owned(),
        }
    }

    /// `login/full`: start, parse the challenge, respond.
    fn full(&self) -> String {
        let SrpStart {
            parameters: params,
            session,
            ..
        } = self
            .client
            .start_with_secret_exponent(
                "alice",
                self.password.clone(),
                &StartOptions::default(),
                self.a.clone(),
            )
            .unwrap();
        black_box(params);
        let challenge = PasswordVerifierChallenge::new(
            &self.srp_b,
            &self.salt,
            &self.secret_block,
            &self.user_id,
        )
        .unwrap();
        let answer = session.respond(&challenge, &self.timestamp).unwrap();
        answer.password_claim_signature().to_owned()
    }
}

/// ~1 ms of register-only integer work: scales perfectly on two free cores.
fn control_work() {
    let mut x = black_box(0x9e37_79b9_7f4a_7c15_u64);
    for _ in 0..400_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    black_box(x);
}

/// `work` `iters` times on each of `threads` threads at once: the wall time from
/// a common start to the last thread's end, and the mean per-thread CPU time.
fn run<F: Fn() + Sync>(threads: usize, iters: u32, work: &F) -> (Duration, Duration) {
    let barrier = Barrier::new(threads + 1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    barrier.wait();
                    let cpu0 = thread_cpu_ns();
                    for _ in 0..iters {
                        work();
                    }
                    thread_cpu_ns() - cpu0
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        let cpu: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
        (start.elapsed(), Duration::from_nanos(cpu / threads as u64))
    })
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    let m = xs.len() / 2;
    if xs.len() % 2 == 1 {
        xs[m]
    } else {
        (xs[m - 1] + xs[m]) / 2.0
    }
}

/// Interleaved rounds of 1 thread then 2 threads (`iters` calls per thread);
/// prints the median paired throughput ratio and CPU times per call.
fn measure<F: Fn() + Sync>(name: &str, rounds: usize, iters: u32, work: F) -> f64 {
    run(2, iters, &work); // warm up
    let (mut ratio, mut cpu1, mut cpu2) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let (w1, c1) = run(1, iters, &work);
        let (w2, c2) = run(2, iters, &work);
        // Throughput: 1 thread did `iters` calls in w1, 2 threads 2·iters in w2.
        ratio.push(2.0 * w1.as_secs_f64() / w2.as_secs_f64());
        cpu1.push(c1.as_secs_f64() * 1e6 / f64::from(iters));
        cpu2.push(c2.as_secs_f64() * 1e6 / f64::from(iters));
    }
    let r = median(&mut ratio);
    println!(
        "{name:<12} 2 threads: {r:.2}x the 1-thread throughput (median of {rounds} paired rounds); \
         thread CPU per call {:.0} µs alone, {:.0} µs with 2 threads",
        median(&mut cpu1),
        median(&mut cpu2)
    );
    r
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Run by `cargo bench` with a filter for other benches: skip.
    let filter = args.iter().find(|a| !a.starts_with('-'));
    if filter.is_some_and(|f| !"scaling".contains(f.as_str())) {
        return;
    }
    let rounds: usize = std::env::var("SCALING_ROUNDS")
        .ok()
        .map_or(150, |r| r.parse().unwrap());
    // `--test` (cargo test --benches, criterion's smoke mode): a quick check only.
    let rounds = if args.iter().any(|a| a == "--test") {
        3
    } else {
        rounds
    };
    let file: Value = serde_json::from_str(VECTOR).unwrap();
    let login = Login::new(&file["vectors"][0]);
    assert_eq!(login.full(), login.signature, "login/full signature");

    println!("scaling: {} CPUs, load average {}", num_cpus(), loadavg());
    let control = measure("control", rounds, 20, control_work);
    let ours = measure("login/full", rounds, 20, || {
        black_box(login.full());
    });
    println!(
        "login/full 2-thread scaling {ours:.2}x (target >= 1.8), control {control:.2}x; load average after {}",
        loadavg()
    );
}

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

//! The report of `cognito-srp load`: what the workers saw, added up, as
//! text or JSON (throughput, nearest-rank latency percentiles, failures by
//! error code, sign-ins the server holds state for).

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

use crate::load_cmd::LoadArgs;

/// What one worker saw.
#[derive(Default)]
pub(crate) struct WorkerReport {
    /// Latency of each successful login, in microseconds.
    pub latencies_us: Vec<u64>,
    /// Failed logins by error code.
    pub failures: BTreeMap<String, u64>,
    /// `TooManyRequestsException`s.
    pub throttled: u64,
}

/// The whole run.
pub(crate) struct Report {
    endpoint: String,
    concurrency: u32,
    duration_s: u64,
    elapsed: Duration,
    users: usize,
    /// Logins that got tokens.
    pub ok: u64,
    /// Logins that failed.
    pub failed: u64,
    throttled: u64,
    failures: BTreeMap<String, u64>,
    latencies_us: Vec<u64>,
    started: u64,
    answered: u64,
}

impl Report {
    /// Adds up the workers' reports.
    pub(crate) fn new(
        args: &LoadArgs,
        users: usize,
        reports: Vec<WorkerReport>,
        elapsed: Duration,
        started: u64,
        answered: u64,
    ) -> Self {
        let mut failures = BTreeMap::new();
        let mut latencies_us = Vec::new();
        let mut throttled = 0;
        for report in reports {
            latencies_us.extend(report.latencies_us);
            throttled += report.throttled;
            for (code, count) in report.failures {
                *failures.entry(code).or_insert(0) += count;
            }
        }
        latencies_us.sort_unstable();
        Self {
            endpoint: args.connection.endpoint.clone().unwrap_or_default(),
            concurrency: args.concurrency,
            duration_s: args.duration,
            elapsed,
            users,
            ok: latencies_us.len() as u64,
            failed: failures.values().sum(),
            throttled,
            failures,
            latencies_us,
            started,
            answered,
        }
    }

    fn logins_per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.ok as f64 / secs
        } else {
            0.0
        }
    }

    /// Nearest-rank percentile, in milliseconds.
    fn percentile_ms(&self, q: f64) -> Option<f64> {
        let n = self.latencies_us.len();
        if n == 0 {
            return None;
        }
        let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
        self.latencies_us
            .get(rank - 1)
            .map(|&us| us as f64 / 1000.0)
    }

    /// The report as one JSON object (`--json`).
    pub(crate) fn to_json(&self) -> Value {
        let round = |v: Option<f64>| v.map(|v| (v * 1000.0).round() / 1000.0);
        json!({
            "endpoint": self.endpoint,
            "concurrency": self.concurrency,
            "duration_s": self.duration_s,
            "elapsed_s": (self.elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
            "users": self.users,
            "logins": self.ok,
            "failures": self.failed,
            "throttled": self.throttled,
            "logins_per_s": (self.logins_per_second() * 100.0).round() / 100.0,
            "latency_ms": {
                "p50": round(self.percentile_ms(0.50)),
                "p95": round(self.percentile_ms(0.95)),
                "p99": round(self.percentile_ms(0.99)),
                "max": round(self.percentile_ms(1.0)),
            },
            "failures_by_code": self.failures,
            "sign_ins_started": self.started,
            "sign_ins_answered": self.answered,
            "sign_ins_abandoned": self.started.saturating_sub(self.answered),
        })
    }

    /// The report as text.
    pub(crate) fn to_text(&self) -> String {
        let ms = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.1} ms"));
        let mut text = format!(
            "endpoint    {}\nconcurrency {}, {} s ({:.1} s with logins in flight), {} users\n\
             logins      {} ok, {} failed, {:.1} logins/s\n\
             latency     p50 {}  p95 {}  p99 {}  max {}\n\
             sign-ins    {} started, {} answered, {} abandoned\n",
            self.endpoint,
            self.concurrency,
            self.duration_s,
            self.elapsed.as_secs_f64(),
            self.users,
            self.ok,
            self.failed,
            self.logins_per_second(),
            ms(self.percentile_ms(0.50)),
            ms(self.percentile_ms(0.95)),
            ms(self.percentile_ms(0.99)),
            ms(self.percentile_ms(1.0)),
            self.started,
            self.answered,
            self.started.saturating_sub(self.answered),
        );
        if self.throttled > 0 {
            text.push_str(&format!(
                "throttled   {} (backed off each time)\n",
                self.throttled
            ));
        }
        for (code, count) in &self.failures {
            text.push_str(&format!("failure     {code}: {count}\n"));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let report = Report {
            endpoint: String::new(),
            concurrency: 1,
            duration_s: 1,
            elapsed: Duration::from_secs(2),
            users: 1,
            ok: 100,
            failed: 0,
            throttled: 0,
            failures: BTreeMap::new(),
            latencies_us: (1..=100).map(|ms| ms * 1000).collect(),
            started: 100,
            answered: 100,
        };
        assert_eq!(report.percentile_ms(0.50), Some(50.0));
        assert_eq!(report.percentile_ms(0.95), Some(95.0));
        assert_eq!(report.percentile_ms(0.99), Some(99.0));
        assert_eq!(report.percentile_ms(1.0), Some(100.0));
        assert_eq!(report.logins_per_second(), 50.0);
        let json = report.to_json();
        assert_eq!(json["latency_ms"]["p95"], 95.0);
        assert_eq!(json["sign_ins_abandoned"], 0);
    }
}

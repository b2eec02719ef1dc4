//! [`AttemptLimiter`]: consecutive failures per user (`sub`) of one kind of
//! secret (passwords, or one-time codes), the lockout they lead to, and the
//! reservation that makes the limit hold under concurrent requests.
//!
//! Every check of a secret first [reserves](AttemptLimiter::reserve) an
//! attempt under the limiter's lock, then runs the (slow) check outside it,
//! then reports the outcome on the [`Attempt`] it got. A user never has more
//! checks in flight than failures left before the lockout (at least one), so
//! with `max_failed_attempts = 5` at most five checks run for a user that has
//! not failed yet, however many requests arrive at once. A further request
//! waits (on a blocking thread, at most [`MAX_WAIT`]) until a check ends: a
//! right one frees the places, and it goes on; wrong ones lock the user out,
//! and it is refused as locked out (not counted). An [`Attempt`] dropped
//! without an outcome (the request failed on something else) frees its place
//! uncounted.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::local_pool::config::Limits;
use crate::local_pool::error::ErrorReply;
use crate::wire::ServiceErrorKind;

/// Cognito's message while a user is locked out.
pub(crate) const LOCKED_OUT: &str = "Password attempts exceeded";

/// The longest a request waits for a place among a user's checks in flight
/// before it is refused as locked out.
pub(crate) const MAX_WAIT: Duration = Duration::from_secs(5);

/// The lockout settings of [`Limits`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lockout {
    max_failed_attempts: u32,
    base: Duration,
    max: Duration,
}

impl Lockout {
    pub(crate) fn from_limits(limits: &Limits) -> Self {
        Self {
            max_failed_attempts: limits.max_failed_attempts,
            base: limits.lockout_base,
            max: limits.lockout_max,
        }
    }

    /// How long the `consecutive`-th failure locks the user, if at all.
    fn duration(&self, consecutive: u32) -> Option<Duration> {
        if self.max_failed_attempts == 0 || consecutive < self.max_failed_attempts {
            return None;
        }
        let doublings = consecutive - self.max_failed_attempts;
        let factor = 1u32.checked_shl(doublings).unwrap_or(u32::MAX);
        Some(
            self.base
                .checked_mul(factor)
                .unwrap_or(self.max)
                .min(self.max),
        )
    }

    /// How many checks may run at once for a user with `consecutive`
    /// failures: the failures left before the lockout, at least one.
    fn room(&self, consecutive: u32) -> u32 {
        self.max_failed_attempts.saturating_sub(consecutive).max(1)
    }
}

/// One user's run of failures.
#[derive(Debug, Default)]
struct Record {
    consecutive: u32,
    /// Checks reserved and not yet reported.
    in_flight: u32,
    /// Attempts are refused until then (`None`: not locked).
    locked_until: Option<Instant>,
}

impl Record {
    fn is_idle(&self) -> bool {
        self.consecutive == 0 && self.in_flight == 0 && self.locked_until.is_none()
    }
}

/// Consecutive failures per user of one kind of secret, with reservations.
/// Bounded by the users: only existing users' `sub`s are counted.
pub(crate) struct AttemptLimiter {
    /// What is counted, for the log: `"password"` or `"code"`.
    what: &'static str,
    lockout: Lockout,
    /// How long [`reserve`](Self::reserve) waits for a place.
    max_wait: Duration,
    records: Mutex<HashMap<String, Record>>,
    /// Signalled whenever a check ends.
    ended: Condvar,
}

impl AttemptLimiter {
    pub(crate) fn new(what: &'static str, lockout: Lockout, max_wait: Duration) -> Self {
        Self {
            what,
            lockout,
            max_wait,
            records: Mutex::new(HashMap::new()),
            ended: Condvar::new(),
        }
    }

    fn records(&self) -> MutexGuard<'_, HashMap<String, Record>> {
        // Every change under the lock leaves the map consistent.
        self.records
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `NotAuthorizedException: Password attempts exceeded` while `sub` is
    /// locked out; nothing is reserved (for steps that check no secret).
    pub(crate) fn check_not_locked(&self, sub: &str, now: Instant) -> Result<(), ErrorReply> {
        let locked = self
            .records()
            .get(sub)
            .and_then(|record| record.locked_until)
            .is_some_and(|until| until > now);
        match locked {
            true => Err(self.refused(sub, "locked out")),
            false => Ok(()),
        }
    }

    /// Reserves one check of a secret of `sub`, refused (`Password attempts
    /// exceeded`, not counted) while the user is locked out at `now` (or
    /// later, after a wait). While as many checks are in flight as failures
    /// are left before the lockout, waits for one to end (at most the
    /// limiter's wait; then refused the same way).
    pub(crate) fn reserve(&self, sub: &str, now: Instant) -> Result<Attempt<'_>, ErrorReply> {
        if self.lockout.max_failed_attempts == 0 {
            return Ok(Attempt {
                limiter: self,
                sub: None,
            });
        }
        let started = Instant::now();
        let mut records = self.records();
        loop {
            let at = now.max(Instant::now());
            let record = records.entry(sub.to_owned()).or_default();
            if record.locked_until.is_some_and(|until| until > at) {
                drop(records);
                return Err(self.refused(sub, "locked out"));
            }
            if record.in_flight < self.lockout.room(record.consecutive) {
                record.in_flight += 1;
                return Ok(Attempt {
                    limiter: self,
                    sub: Some(sub.to_owned()),
                });
            }
            let waited = started.elapsed();
            if waited >= self.max_wait {
                drop(records);
                return Err(self.refused(sub, "no check ended in time"));
            }
            records = self
                .ended
                .wait_timeout(records, self.max_wait - waited)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }

    fn refused(&self, sub: &str, why: &str) -> ErrorReply {
        tracing::debug!(sub, what = self.what, why, "attempt refused");
        ErrorReply::new(ServiceErrorKind::NotAuthorized, LOCKED_OUT)
    }

    /// Ends one reserved check of `sub`: `Some(true)` right, `Some(false)`
    /// wrong, `None` not decided (not counted).
    fn finish(&self, sub: &str, outcome: Option<bool>, now: Instant) {
        let mut records = self.records();
        let Some(record) = records.get_mut(sub) else {
            return;
        };
        record.in_flight = record.in_flight.saturating_sub(1);
        match outcome {
            Some(true) => {
                record.consecutive = 0;
                record.locked_until = None;
            }
            Some(false) => {
                record.consecutive = record.consecutive.saturating_add(1);
                if let Some(lock) = self.lockout.duration(record.consecutive) {
                    record.locked_until = Some(now + lock);
                    let lock_ms = u64::try_from(lock.as_millis()).unwrap_or(u64::MAX);
                    tracing::debug!(
                        sub,
                        what = self.what,
                        consecutive = record.consecutive,
                        lock_ms,
                        "user locked out"
                    );
                }
            }
            None => {}
        }
        if record.is_idle() {
            records.remove(sub);
        }
        drop(records);
        self.ended.notify_all();
    }
}

/// A reserved check (from [`AttemptLimiter::reserve`]): report its outcome
/// with [`succeeded`](Self::succeeded) or [`failed`](Self::failed); dropped
/// without one, it frees its place uncounted.
#[must_use = "report the outcome of the check"]
pub(crate) struct Attempt<'a> {
    limiter: &'a AttemptLimiter,
    /// `None`: the lockout is off, nothing was reserved.
    sub: Option<String>,
}

impl Attempt<'_> {
    /// The secret was right: the user's count starts over.
    pub(crate) fn succeeded(mut self) {
        self.finish(Some(true), Instant::now());
    }

    /// The secret was wrong: counted, and from
    /// [`Limits::max_failed_attempts`] on the user is locked out.
    pub(crate) fn failed(mut self, now: Instant) {
        self.finish(Some(false), now);
    }

    fn finish(&mut self, outcome: Option<bool>, now: Instant) {
        if let Some(sub) = self.sub.take() {
            self.limiter.finish(&sub, outcome, now);
        }
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        self.finish(None, Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Duration = Duration::from_secs(1);

    /// Waits of 20 ms: enough to show a reservation is not granted.
    const WAIT: Duration = Duration::from_millis(20);

    fn limiter(max_failed_attempts: u32) -> AttemptLimiter {
        AttemptLimiter::new(
            "test",
            Lockout {
                max_failed_attempts,
                base: BASE,
                max: Duration::from_secs(8),
            },
            WAIT,
        )
    }

    fn is_locked_out(result: Result<Attempt<'_>, ErrorReply>) -> bool {
        match result {
            Ok(_) => false,
            Err(reply) => {
                assert_eq!(reply.message(), LOCKED_OUT);
                true
            }
        }
    }

    #[test]
    fn reservations_never_exceed_the_failures_left() {
        let limiter = limiter(5);
        let now = Instant::now();
        let held: Vec<Attempt<'_>> = (0..5).map(|_| limiter.reserve("u", now).unwrap()).collect();
        assert!(is_locked_out(limiter.reserve("u", now)), "a sixth at once");
        // Another user is not affected.
        limiter.reserve("v", now).unwrap().failed(now);
        // Two fail: three left, and three are still in flight.
        let mut held = held.into_iter();
        held.next().unwrap().failed(now);
        held.next().unwrap().failed(now);
        assert!(is_locked_out(limiter.reserve("u", now)));
        // One more fails: two left, two in flight; one is dropped undecided:
        // its place is free again, not counted.
        held.next().unwrap().failed(now);
        drop(held.next());
        let fourth = limiter.reserve("u", now).unwrap();
        assert!(is_locked_out(limiter.reserve("u", now)));
        // The last two fail: five failures, locked.
        held.next().unwrap().failed(now);
        fourth.failed(now);
        assert!(is_locked_out(limiter.reserve("u", now)));
        assert!(limiter.check_not_locked("u", now).is_err());
        assert!(limiter.check_not_locked("v", now).is_ok());
    }

    #[test]
    fn a_request_waits_for_a_place_and_goes_on_after_a_success() {
        let limiter = AttemptLimiter::new(
            "test",
            Lockout {
                max_failed_attempts: 2,
                base: BASE,
                max: BASE,
            },
            Duration::from_secs(30),
        );
        let now = Instant::now();
        std::thread::scope(|scope| {
            let (first, second) = (
                limiter.reserve("u", now).unwrap(),
                limiter.reserve("u", now).unwrap(),
            );
            let waiter = scope.spawn(|| limiter.reserve("u", now).map(Attempt::succeeded).is_ok());
            std::thread::sleep(WAIT);
            assert!(
                !waiter.is_finished(),
                "two checks in flight: the third waits"
            );
            first.failed(now);
            std::thread::sleep(WAIT);
            assert!(!waiter.is_finished(), "one failure left, one in flight");
            second.succeeded();
            assert!(waiter.join().unwrap(), "a right check frees the places");
        });
        std::thread::scope(|scope| {
            let (first, second) = (
                limiter.reserve("u", now).unwrap(),
                limiter.reserve("u", now).unwrap(),
            );
            let waiter = scope.spawn(|| limiter.reserve("u", now).is_err());
            first.failed(now);
            second.failed(now);
            assert!(
                waiter.join().unwrap(),
                "refused once the user is locked out"
            );
        });
    }

    #[test]
    fn the_lockout_doubles_and_a_success_resets_it() {
        let limiter = limiter(2);
        let start = Instant::now();
        limiter.reserve("u", start).unwrap().failed(start);
        assert!(limiter.check_not_locked("u", start).is_ok());
        limiter.reserve("u", start).unwrap().failed(start);
        assert!(is_locked_out(limiter.reserve("u", start + BASE / 2)));
        // Expired: one check at a time (one failure locks again), for twice as long.
        let later = start + BASE;
        let only = limiter.reserve("u", later).unwrap();
        assert!(is_locked_out(limiter.reserve("u", later)));
        only.failed(later);
        assert!(is_locked_out(
            limiter.reserve("u", later + BASE * 2 - Duration::from_millis(1))
        ));
        let after = later + BASE * 2;
        // A success clears the count and the lock.
        limiter.reserve("u", after).unwrap().succeeded();
        assert!(
            limiter.records().is_empty(),
            "nothing kept for an idle user"
        );
        limiter.reserve("u", after).unwrap().failed(after);
        assert!(limiter.check_not_locked("u", after).is_ok());
    }

    #[test]
    fn the_lockout_is_capped_and_can_be_off() {
        let limiter = limiter(1);
        let now = Instant::now();
        for _ in 0..40 {
            let far = now + Duration::from_secs(3600);
            limiter.reserve("u", far).unwrap().failed(now);
        }
        assert!(
            limiter
                .check_not_locked("u", now + Duration::from_secs(8))
                .is_ok()
        );
        assert!(
            limiter
                .check_not_locked("u", now + Duration::from_secs(7))
                .is_err()
        );
        let off = self::limiter(0);
        let held: Vec<Attempt<'_>> = (0..100).map(|_| off.reserve("u", now).unwrap()).collect();
        held.into_iter().for_each(|attempt| attempt.failed(now));
        assert!(off.check_not_locked("u", now).is_ok());
        assert!(off.records().is_empty());
    }
}

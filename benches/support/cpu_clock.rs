//! The per-thread CPU clock the benches share.

/// This thread's CPU time in nanoseconds: `CLOCK_THREAD_CPUTIME_ID`, exact to
/// the nanosecond (`/proc/thread-self/schedstat` only advances at scheduler
/// events, so a short sample on a quiet machine could read zero).
pub(crate) fn thread_cpu_ns() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec for the duration of the call.
    #[allow(unsafe_code)]
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    now.tv_sec as u64 * 1_000_000_000 + now.tv_nsec as u64
}

//! Where the pool "sends" what it would mail or text: the local pool has no
//! email or SMS gateway, so sign-in codes (`SMS_MFA`, `SMS_OTP`,
//! `EMAIL_OTP`) and the temporary passwords `AdminCreateUser` generates are
//! written to the log, at INFO, on this one target and no other.
//!
//! These are secrets. A subscriber that shows INFO of every target shows
//! them; `cognito-srp serve` shows this target only with `--show-codes`.

/// The `tracing` target of the codes and temporary passwords the pool
/// "sends". Turn it off in a subscriber (for example with
/// `tracing_subscriber::filter::Targets`) to keep them out of a log.
pub const CODES_LOG_TARGET: &str = "cognito_srp_auth::local_pool::codes";

//! The `TIMESTAMP` of a `PASSWORD_VERIFIER` answer: Cognito's exact format,
//! within five minutes of the server's clock.

use chrono::{DateTime, TimeDelta, Utc};

use super::error::ErrorReply;
use crate::srp::CognitoTimestamp;
use crate::wire::ServiceErrorKind;

/// How far a `TIMESTAMP` may be from the server's clock, either way.
pub const MAX_CLOCK_SKEW: TimeDelta = TimeDelta::minutes(5);

/// Parses `text` strictly (English names, unpadded day, `UTC`) and checks
/// that it lies within [`MAX_CLOCK_SKEW`] of `now` (`NotAuthorizedException`
/// otherwise). A zero-padded day parses on Cognito's side but the claim,
/// signed over the padded text, fails: `NotAuthorizedException: Incorrect
/// username or password.`; anything else unparseable is
/// `InvalidParameterException`.
pub fn check_timestamp(text: &str, now: DateTime<Utc>) -> Result<CognitoTimestamp, ErrorReply> {
    let timestamp = CognitoTimestamp::parse(text).map_err(|_| match unpadded_day(text) {
        Some(unpadded) if CognitoTimestamp::parse(&unpadded).is_ok() => {
            ErrorReply::incorrect_password()
        }
        _ => {
            ErrorReply::invalid("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
        }
    })?;
    let skew = (timestamp.instant() - now).abs();
    if skew > MAX_CLOCK_SKEW {
        return Err(ErrorReply::new(
            ServiceErrorKind::NotAuthorized,
            "TIMESTAMP is not within 5 minutes of the server time.",
        ));
    }
    Ok(timestamp)
}

/// `text` with a zero-padded day (`Tue Feb 03 …`) unpadded, if it has one.
fn unpadded_day(text: &str) -> Option<String> {
    let fields: Vec<&str> = text.split(' ').collect();
    let day = fields.get(2)?;
    let unpadded = day.strip_prefix('0').filter(|d| d.len() == 1)?;
    let mut fields = fields.clone();
    fields[2] = unpadded;
    Some(fields.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn format_and_window() {
        let now = Utc.with_ymd_and_hms(2026, 2, 3, 7, 8, 9).unwrap();
        assert!(check_timestamp("Tue Feb 3 07:08:09 UTC 2026", now).is_ok());
        assert!(check_timestamp("Tue Feb 3 07:13:09 UTC 2026", now).is_ok());
        let padded = check_timestamp("Tue Feb 03 07:08:09 UTC 2026", now).unwrap_err();
        assert_eq!(*padded.kind(), ServiceErrorKind::NotAuthorized);
        let garbage = check_timestamp("Tue Feb 3 07:08:09 GMT 2026", now).unwrap_err();
        assert_eq!(*garbage.kind(), ServiceErrorKind::InvalidParameter);
        let stale = check_timestamp("Tue Feb 3 07:03:08 UTC 2026", now).unwrap_err();
        assert_eq!(*stale.kind(), ServiceErrorKind::NotAuthorized);
    }
}

//! [`CognitoTimestamp`]: the `TIMESTAMP` Cognito signs, `EEE MMM d HH:mm:ss UTC yyyy`.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc, Weekday};

use crate::error::SrpError;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The `TIMESTAMP` of a `PASSWORD_VERIFIER` answer: UTC, English names, day of
/// month not zero-padded, 24-hour clock, e.g. `Tue Feb 3 07:08:09 UTC 2026`.
///
/// Formatted by hand from fixed English tables, so no locale can change it.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use cognito_srp_auth::CognitoTimestamp;
/// let at = Utc.with_ymd_and_hms(2026, 2, 3, 7, 8, 9).unwrap();
/// assert_eq!(CognitoTimestamp::from(at).as_str(), "Tue Feb 3 07:08:09 UTC 2026");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CognitoTimestamp {
    instant: DateTime<Utc>,
    text: String,
}

impl CognitoTimestamp {
    /// The current time from the system clock, to the second.
    pub fn now() -> Self {
        Self::from(Utc::now())
    }

    /// The instant, truncated to whole seconds.
    pub fn instant(&self) -> DateTime<Utc> {
        self.instant
    }

    /// The text that is sent and signed.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Parses the exact Cognito form: three-letter English weekday and month,
    /// day without leading zero, two-digit hour, minute and second, `UTC`, a
    /// four-digit year, single spaces, and a weekday that matches the date.
    /// Anything else (a zero-padded day, another zone, a wrong weekday) is
    /// [`SrpError::InvalidTimestamp`].
    pub fn parse(text: &str) -> Result<Self, SrpError> {
        Self::parse_strict(text).ok_or(SrpError::InvalidTimestamp)
    }

    fn parse_strict(text: &str) -> Option<Self> {
        let mut parts = text.split(' ');
        let (weekday, month, day, time, zone, year) = (
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
        );
        if parts.next().is_some() || zone != "UTC" {
            return None;
        }
        let month = MONTHS.iter().position(|&m| m == month)? as u32 + 1;
        let day = parse_digits(day, 1, 2).filter(|_| !day.starts_with('0'))?;
        let year = i32::try_from(parse_digits(year, 4, 4)?).ok()?;
        let mut clock = time.split(':');
        let (h, m, s) = (clock.next()?, clock.next()?, clock.next()?);
        if clock.next().is_some() {
            return None;
        }
        let (h, m, s) = (
            parse_digits(h, 2, 2)?,
            parse_digits(m, 2, 2)?,
            parse_digits(s, 2, 2)?,
        );
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        let instant = date.and_time(NaiveTime::from_hms_opt(h, m, s)?).and_utc();
        let parsed = Self::from(instant);
        (parsed.text == text && WEEKDAYS[weekday_index(date.weekday())] == weekday)
            .then_some(parsed)
    }
}

fn parse_digits(text: &str, min: usize, max: usize) -> Option<u32> {
    let ok = (min..=max).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok()).flatten()
}

fn weekday_index(day: Weekday) -> usize {
    day.num_days_from_monday() as usize
}

impl From<DateTime<Utc>> for CognitoTimestamp {
    fn from(instant: DateTime<Utc>) -> Self {
        let instant = instant.with_nanosecond(0).unwrap_or(instant);
        let text = format!(
            "{} {} {} {:02}:{:02}:{:02} UTC {:04}",
            WEEKDAYS[weekday_index(instant.weekday())],
            MONTHS[instant.month0() as usize],
            instant.day(),
            instant.hour(),
            instant.minute(),
            instant.second(),
            instant.year(),
        );
        Self { instant, text }
    }
}

impl fmt::Display for CognitoTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for CognitoTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CognitoTimestamp({:?})", self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn formats_unpadded_day_and_24_hour_clock() {
        let at = Utc.with_ymd_and_hms(2024, 12, 31, 23, 59, 5).unwrap();
        assert_eq!(
            CognitoTimestamp::from(at).as_str(),
            "Tue Dec 31 23:59:05 UTC 2024"
        );
        let at = Utc.with_ymd_and_hms(2024, 2, 29, 0, 0, 0).unwrap();
        assert_eq!(
            CognitoTimestamp::from(at).as_str(),
            "Thu Feb 29 00:00:00 UTC 2024"
        );
    }

    #[test]
    fn parse_round_trips_and_is_strict() {
        let good = "Tue Feb 3 07:08:09 UTC 2026";
        assert_eq!(CognitoTimestamp::parse(good).unwrap().as_str(), good);
        for bad in [
            "Tue Feb 03 07:08:09 UTC 2026",
            "Wed Feb 3 07:08:09 UTC 2026",
            "Tue Feb 3 7:08:09 UTC 2026",
            "Tue Feb 3 07:08:09 GMT 2026",
            "Tue Feb  3 07:08:09 UTC 2026",
            "tue feb 3 07:08:09 UTC 2026",
            "Tue Feb 30 07:08:09 UTC 2026",
            "Tue Feb 3 24:08:09 UTC 2026",
            "Tue Feb 3 07:08:09 UTC 26",
            "Tue Feb 3 07:08:09 UTC 2026 ",
            "",
        ] {
            assert_eq!(
                CognitoTimestamp::parse(bad),
                Err(SrpError::InvalidTimestamp),
                "{bad:?}"
            );
        }
    }
}

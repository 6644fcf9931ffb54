//! Unix seconds as a UTC calendar date and time, for logs and for what people read (an approval
//! prompt's "requested at"). Written once: civil-from-days, Howard Hinnant's algorithm.

/// A moment in UTC, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utc {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
}

impl Utc {
    pub fn from_unix(unix: i64) -> Utc {
        let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        Utc {
            year: yoe + era * 400 + i64::from(month <= 2),
            month,
            day,
            hour: secs / 3600,
            minute: secs % 3600 / 60,
            second: secs % 60,
        }
    }

    /// `2026-11-23T10:38:58.123Z`
    pub fn rfc3339_millis(&self, millis: u32) -> String {
        let Utc {
            year,
            month,
            day,
            hour,
            minute,
            second,
        } = *self;
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{millis:03}Z")
    }

    /// `2026-12-06 14:03 UTC`
    pub fn to_minute(&self) -> String {
        let Utc {
            year,
            month,
            day,
            hour,
            minute,
            ..
        } = *self;
        format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02} UTC")
    }
}

#[cfg(test)]
mod tests {
    use super::Utc;

    #[test]
    fn civil_dates_across_leap_years_and_eras() {
        assert_eq!(Utc::from_unix(0).rfc3339_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            Utc::from_unix(951_782_400).rfc3339_millis(5),
            "2000-02-29T00:00:00.005Z"
        );
        assert_eq!(
            Utc::from_unix(1_795_430_338).rfc3339_millis(123),
            "2026-11-23T10:38:58.123Z"
        );
        assert_eq!(Utc::from_unix(1_796_000_580).to_minute(), "2026-11-30 01:03 UTC");
        assert_eq!(Utc::from_unix(-1).to_minute(), "1969-12-31 23:59 UTC");
    }
}

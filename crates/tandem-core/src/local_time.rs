//! Local times: people type and read times in their organisation's time zone (Europe/London by
//! default, with its summer time); the store keeps UTC.

use time::{OffsetDateTime, PrimitiveDateTime};

/// The IANA time-zone database knows `zone` (e.g. `Europe/London`, `UTC`).
pub fn zone_exists(zone: &str) -> bool {
    jiff::tz::TimeZone::get(zone).is_ok()
}

/// The instant a clock in `zone` shows `local`. In the hour that repeats when the clocks go
/// back, the earlier instant; in the hour skipped when they go forward, the time after the jump.
pub fn to_utc(local: PrimitiveDateTime, zone: &str) -> Result<OffsetDateTime, String> {
    let tz = jiff::tz::TimeZone::get(zone).map_err(|_| format!("'{zone}' is not a time zone"))?;
    let civil = jiff::civil::DateTime::new(
        i16::try_from(local.year()).map_err(|_| "the year is out of range".to_owned())?,
        i8::try_from(u8::from(local.month()))
            .map_err(|_| "the month is out of range".to_owned())?,
        i8::try_from(local.day()).map_err(|_| "the day is out of range".to_owned())?,
        i8::try_from(local.hour()).map_err(|_| "the hour is out of range".to_owned())?,
        i8::try_from(local.minute()).map_err(|_| "the minute is out of range".to_owned())?,
        i8::try_from(local.second()).map_err(|_| "the second is out of range".to_owned())?,
        0,
    )
    .map_err(|err| err.to_string())?;
    let zoned = civil.to_zoned(tz).map_err(|err| err.to_string())?;
    OffsetDateTime::from_unix_timestamp(zoned.timestamp().as_second())
        .map_err(|err| err.to_string())
}

/// What a clock in `zone` shows at `at`; UTC if the zone is unknown.
pub fn to_local(at: OffsetDateTime, zone: &str) -> PrimitiveDateTime {
    let utc = PrimitiveDateTime::new(at.date(), at.time());
    let Ok(tz) = jiff::tz::TimeZone::get(zone) else {
        return utc;
    };
    let Ok(stamp) = jiff::Timestamp::from_second(at.unix_timestamp()) else {
        return utc;
    };
    let offset = tz.to_offset(stamp).seconds();
    let shifted = at + time::Duration::seconds(i64::from(offset));
    PrimitiveDateTime::new(shifted.date(), shifted.time())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn london_is_an_hour_ahead_in_summer_and_level_in_winter() {
        let summer = to_utc(datetime!(2026-07-01 10:00), "Europe/London").unwrap();
        assert_eq!(summer, datetime!(2026-07-01 09:00 UTC));
        let winter = to_utc(datetime!(2026-12-01 10:00), "Europe/London").unwrap();
        assert_eq!(winter, datetime!(2026-12-01 10:00 UTC));
        assert_eq!(
            to_local(summer, "Europe/London"),
            datetime!(2026-07-01 10:00)
        );
    }

    #[test]
    fn an_unknown_zone_is_refused() {
        assert!(!zone_exists("Europe/Atlantis"));
        assert!(zone_exists("UTC"));
        assert!(to_utc(datetime!(2026-07-01 10:00), "Mars/Olympus").is_err());
    }
}

//! How a person hears from the product (R9.2): every notification is in their inbox, and by
//! email either at once or gathered into a daily or weekly digest. Escalations (a concern for
//! the coordinators) always go at once.

use crate::codes::codes;
use time::{Duration, OffsetDateTime};

codes! {
    /// A person's choice of email.
    DeliveryMode {
        /// Each notification by email as it happens.
        Immediate => "immediate", "each email as it happens";
        /// One email a day with the day's notifications.
        Daily => "daily", "a daily digest";
        /// One email a week with the week's notifications.
        Weekly => "weekly", "a weekly digest";
    }
}

impl DeliveryMode {
    /// How long a digest gathers notifications; none for immediate email.
    pub fn period(self) -> Option<Duration> {
        match self {
            Self::Immediate => None,
            Self::Daily => Some(Duration::days(1)),
            Self::Weekly => Some(Duration::weeks(1)),
        }
    }

    /// Whether a digest is due at `now`, the last having gone at `last` (or none yet, counted
    /// from when the person chose the digest, `chosen`).
    pub fn digest_due(
        self,
        last: Option<OffsetDateTime>,
        chosen: OffsetDateTime,
        now: OffsetDateTime,
    ) -> bool {
        self.period()
            .is_some_and(|period| now - last.unwrap_or(chosen) >= period)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_digest_is_due_once_its_period_has_passed_since_the_last() {
        let chosen = datetime!(2027-03-01 08:00 UTC);
        assert!(!DeliveryMode::Immediate.digest_due(None, chosen, chosen + Duration::weeks(5)));
        assert!(!DeliveryMode::Daily.digest_due(None, chosen, chosen + Duration::hours(23)));
        assert!(DeliveryMode::Daily.digest_due(None, chosen, chosen + Duration::hours(24)));
        let last = Some(datetime!(2027-03-02 08:00 UTC));
        assert!(!DeliveryMode::Weekly.digest_due(last, chosen, datetime!(2027-03-08 08:00 UTC)));
        assert!(DeliveryMode::Weekly.digest_due(last, chosen, datetime!(2027-03-09 08:00 UTC)));
        assert_eq!(DeliveryMode::parse("weekly"), Some(DeliveryMode::Weekly));
        assert_eq!(DeliveryMode::parse("hourly"), None);
    }
}

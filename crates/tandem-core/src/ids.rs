//! Typed identifiers. Ids are UUIDv7 (time-ordered); the store mints them, the domain only carries them.

use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub Uuid);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }
    };
}

id_type!(
    /// A person in the directory.
    PersonId
);
id_type!(
    /// An organisation (a force or the national body).
    OrganisationId
);
id_type!(
    /// A mentoring scheme run by an organisation.
    SchemeId
);
id_type!(
    /// An entry in the audit log.
    AuditId
);
id_type!(
    /// A person's application to take part in a scheme as a mentor or a mentee.
    ApplicationId
);
id_type!(
    /// A training workshop with a number of places.
    WorkshopId
);
id_type!(
    /// A person's place (or place on the waiting list) at a workshop.
    BookingId
);
id_type!(
    /// A proposed, requested or confirmed pairing of a mentor and a mentee in a scheme.
    MatchId
);

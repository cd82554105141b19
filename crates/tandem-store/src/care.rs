//! What looks after a relationship beside the pair's own content: extensions of its end date
//! (R6.4), flags raised by role changes (R6.5), concerns raised with the coordinator (R8.2),
//! and each person's reasonable adjustments (R8.5). Rows carry their match's id, so a
//! relationship's records can be disposed of whole.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use tandem_core::adjustment::Adjustments;
use tandem_core::relationship::{
    Concern, ConcernKind, ConcernOutcome, Extension, ExtensionStatus, Flag, FlagKind, FlagOutcome,
    FlagSettlement,
};
use tandem_core::{MatchId, PersonId, SchemeId};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct ExtensionRow {
    id: Uuid,
    match_id: Uuid,
    proposed_by: Uuid,
    proposed_at: OffsetDateTime,
    previous_ends_on: Date,
    ends_on: Date,
    status: String,
    answered_at: Option<OffsetDateTime>,
}

impl ExtensionRow {
    fn into_domain(self) -> Result<Extension, StoreError> {
        Ok(Extension {
            id: self.id,
            pair: MatchId(self.match_id),
            proposed_by: PersonId(self.proposed_by),
            proposed_at: self.proposed_at,
            previous_ends_on: self.previous_ends_on,
            ends_on: self.ends_on,
            status: ExtensionStatus::parse(&self.status)
                .ok_or_else(|| corrupt("relationship_extensions.status", &self.status))?,
            answered_at: self.answered_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct FlagRow {
    id: Uuid,
    match_id: Uuid,
    kind: String,
    raised_at: OffsetDateTime,
    raised_by: String,
    outcome: Option<String>,
    reason: Option<String>,
    settled_by: Option<String>,
    settled_at: Option<OffsetDateTime>,
}

impl FlagRow {
    fn into_domain(self) -> Result<Flag, StoreError> {
        let settled = match (self.outcome, self.settled_at) {
            (Some(outcome), Some(at)) => Some(FlagSettlement {
                outcome: FlagOutcome::parse(&outcome)
                    .ok_or_else(|| corrupt("relationship_flags.outcome", &outcome))?,
                reason: self.reason.unwrap_or_default(),
                by: self.settled_by.unwrap_or_default(),
                at,
            }),
            _ => None,
        };
        Ok(Flag {
            id: self.id,
            pair: MatchId(self.match_id),
            kind: FlagKind::parse(&self.kind)
                .ok_or_else(|| corrupt("relationship_flags.kind", &self.kind))?,
            raised_at: self.raised_at,
            raised_by: self.raised_by,
            settled,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ConcernRow {
    id: Uuid,
    match_id: Uuid,
    scheme_id: Uuid,
    raised_by: Uuid,
    kind: String,
    text: String,
    raised_at: OffsetDateTime,
    outcome: Option<String>,
    outcome_by: Option<String>,
    outcome_at: Option<OffsetDateTime>,
}

impl ConcernRow {
    fn into_domain(self) -> Result<Concern, StoreError> {
        let outcome = match (self.outcome, self.outcome_at) {
            (Some(text), Some(recorded_at)) => Some(ConcernOutcome {
                text,
                recorded_by: self.outcome_by.unwrap_or_default(),
                recorded_at,
            }),
            _ => None,
        };
        Ok(Concern {
            id: self.id,
            pair: MatchId(self.match_id),
            scheme: SchemeId(self.scheme_id),
            raised_by: PersonId(self.raised_by),
            kind: ConcernKind::parse(&self.kind)
                .ok_or_else(|| corrupt("concerns.kind", &self.kind))?,
            text: self.text,
            raised_at: self.raised_at,
            outcome,
        })
    }
}

#[derive(sqlx::FromRow)]
struct AdjustmentsRow {
    person_id: Uuid,
    remote_meetings: bool,
    no_travel: bool,
    other: String,
    shared_with_partner: bool,
    updated_at: OffsetDateTime,
    version: i64,
}

impl From<AdjustmentsRow> for Adjustments {
    fn from(row: AdjustmentsRow) -> Self {
        Self {
            person: PersonId(row.person_id),
            remote_meetings: row.remote_meetings,
            no_travel: row.no_travel,
            other: row.other,
            shared_with_partner: row.shared_with_partner,
            updated_at: row.updated_at,
            version: row.version,
        }
    }
}

macro_rules! select_extensions {
    () => {
        "SELECT id, match_id, proposed_by, proposed_at, previous_ends_on, ends_on, status, answered_at \
         FROM relationship_extensions"
    };
}

macro_rules! select_flags {
    () => {
        "SELECT id, match_id, kind, raised_at, raised_by, outcome, reason, settled_by, settled_at \
         FROM relationship_flags"
    };
}

macro_rules! select_concerns {
    () => {
        "SELECT id, match_id, scheme_id, raised_by, kind, text, raised_at, outcome, outcome_by, outcome_at \
         FROM concerns"
    };
}

impl Tx {
    /// Adds a proposed extension.
    pub async fn insert_extension(&mut self, extension: &Extension) -> Result<(), StoreError> {
        let sql = "INSERT INTO relationship_extensions (id, match_id, proposed_by, proposed_at, previous_ends_on, \
                   ends_on, status, answered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(extension.id)
            .bind(extension.pair.0)
            .bind(extension.proposed_by.0)
            .bind(extension.proposed_at)
            .bind(extension.previous_ends_on)
            .bind(extension.ends_on)
            .bind(extension.status.as_str())
            .bind(extension.answered_at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Answers a proposed extension; a `Conflict` when it was answered meanwhile.
    pub async fn answer_extension(
        &mut self,
        id: Uuid,
        status: ExtensionStatus,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE relationship_extensions SET status = $2, answered_at = $3 \
                   WHERE id = $1 AND status = 'proposed'";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(id)
            .bind(status.as_str())
            .bind(at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        if done == 0 {
            return Err(StoreError::Conflict(
                "the extension was answered meanwhile; reload the page to see where it stands"
                    .to_owned(),
            ));
        }
        Ok(())
    }

    /// A relationship's extensions, oldest first.
    pub async fn extensions_of(&mut self, pair: MatchId) -> Result<Vec<Extension>, StoreError> {
        let sql = concat!(
            select_extensions!(),
            " WHERE match_id = $1 ORDER BY proposed_at, id"
        );
        let rows: Vec<ExtensionRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(pair.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(ExtensionRow::into_domain).collect()
    }

    /// Raises a flag on a relationship.
    pub async fn insert_flag(&mut self, flag: &Flag) -> Result<(), StoreError> {
        let sql = "INSERT INTO relationship_flags (id, match_id, kind, raised_at, raised_by) \
                   VALUES ($1, $2, $3, $4, $5)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(flag.id)
            .bind(flag.pair.0)
            .bind(flag.kind.as_str())
            .bind(flag.raised_at)
            .bind(&flag.raised_by)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Settles an open flag; a `Conflict` when it was settled meanwhile.
    pub async fn settle_flag(
        &mut self,
        id: Uuid,
        settlement: &FlagSettlement,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE relationship_flags SET outcome = $2, reason = $3, settled_by = $4, settled_at = $5 \
                   WHERE id = $1 AND outcome IS NULL";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(id)
            .bind(settlement.outcome.as_str())
            .bind(&settlement.reason)
            .bind(&settlement.by)
            .bind(settlement.at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        if done == 0 {
            return Err(StoreError::Conflict(
                "the flag was settled meanwhile; reload the page to see how".to_owned(),
            ));
        }
        Ok(())
    }

    /// One flag.
    pub async fn flag(&mut self, id: Uuid) -> Result<Option<Flag>, StoreError> {
        let sql = concat!(select_flags!(), " WHERE id = $1");
        let row: Option<FlagRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(conn)
            .await)?;
        row.map(FlagRow::into_domain).transpose()
    }

    /// A relationship's flags, oldest first.
    pub async fn flags_of(&mut self, pair: MatchId) -> Result<Vec<Flag>, StoreError> {
        let sql = concat!(
            select_flags!(),
            " WHERE match_id = $1 ORDER BY raised_at, id"
        );
        let rows: Vec<FlagRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(pair.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(FlagRow::into_domain).collect()
    }

    /// Every relationship that holds a mentor's place (from confirmation to closing) in the
    /// schemes of `organisation` or whose members work there, as (match, mentor, mentee), for
    /// checking role changes after an import.
    pub async fn live_pairs_touching(
        &mut self,
        organisation: tandem_core::OrganisationId,
    ) -> Result<Vec<(MatchId, PersonId, PersonId)>, StoreError> {
        let sql = "SELECT m.id, m.mentor_id, m.mentee_id FROM matches m \
                   JOIN people r ON r.id = m.mentor_id JOIN people e ON e.id = m.mentee_id \
                   WHERE m.status IN ('introductory', 'active', 'on_hold', 'closing') \
                   AND r.organisation_id = $1 AND e.organisation_id = $1";
        let rows: Vec<(Uuid, Uuid, Uuid)> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(organisation.0)
            .fetch_all(conn)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(id, mentor, mentee)| (MatchId(id), PersonId(mentor), PersonId(mentee)))
            .collect())
    }

    /// Raises a concern.
    pub async fn insert_concern(&mut self, concern: &Concern) -> Result<(), StoreError> {
        let sql = "INSERT INTO concerns (id, match_id, scheme_id, raised_by, kind, text, raised_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(concern.id)
            .bind(concern.pair.0)
            .bind(concern.scheme.0)
            .bind(concern.raised_by.0)
            .bind(concern.kind.as_str())
            .bind(&concern.text)
            .bind(concern.raised_at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Records what was done about a concern; a `Conflict` when it was recorded meanwhile.
    pub async fn record_concern_outcome(
        &mut self,
        id: Uuid,
        outcome: &ConcernOutcome,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE concerns SET outcome = $2, outcome_by = $3, outcome_at = $4 \
                   WHERE id = $1 AND outcome IS NULL";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(id)
            .bind(&outcome.text)
            .bind(&outcome.recorded_by)
            .bind(outcome.recorded_at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        if done == 0 {
            return Err(StoreError::Conflict(
                "what was done about this concern was recorded meanwhile; reload the page to read it"
                    .to_owned(),
            ));
        }
        Ok(())
    }

    /// One concern.
    pub async fn concern(&mut self, id: Uuid) -> Result<Option<Concern>, StoreError> {
        let sql = concat!(select_concerns!(), " WHERE id = $1");
        let row: Option<ConcernRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(conn)
            .await)?;
        row.map(ConcernRow::into_domain).transpose()
    }

    /// A scheme's concerns, newest first.
    pub async fn concerns_of_scheme(
        &mut self,
        scheme: SchemeId,
    ) -> Result<Vec<Concern>, StoreError> {
        let sql = concat!(
            select_concerns!(),
            " WHERE scheme_id = $1 ORDER BY raised_at DESC, id"
        );
        let rows: Vec<ConcernRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(ConcernRow::into_domain).collect()
    }

    /// The concerns one person raised in a relationship, oldest first.
    pub async fn concerns_raised_by(
        &mut self,
        pair: MatchId,
        person: PersonId,
    ) -> Result<Vec<Concern>, StoreError> {
        let sql = concat!(
            select_concerns!(),
            " WHERE match_id = $1 AND raised_by = $2 ORDER BY raised_at, id"
        );
        let rows: Vec<ConcernRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(pair.0)
            .bind(person.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(ConcernRow::into_domain).collect()
    }

    /// A person's adjustments, if recorded.
    pub async fn adjustments_of(
        &mut self,
        person: PersonId,
    ) -> Result<Option<Adjustments>, StoreError> {
        let sql = "SELECT person_id, remote_meetings, no_travel, other, shared_with_partner, updated_at, version \
                   FROM adjustments WHERE person_id = $1";
        let row: Option<AdjustmentsRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(person.0)
            .fetch_optional(conn)
            .await)?;
        Ok(row.map(Adjustments::from))
    }

    /// The adjustments of everyone who applied to a scheme, for matching.
    pub async fn adjustments_in_scheme(
        &mut self,
        scheme: SchemeId,
    ) -> Result<Vec<Adjustments>, StoreError> {
        let sql = "SELECT a.person_id, a.remote_meetings, a.no_travel, a.other, a.shared_with_partner, \
                   a.updated_at, a.version FROM adjustments a \
                   WHERE a.person_id IN (SELECT person_id FROM applications WHERE scheme_id = $1)";
        let rows: Vec<AdjustmentsRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        Ok(rows.into_iter().map(Adjustments::from).collect())
    }

    /// Writes a person's adjustments: the first time, or over the version they read (then one
    /// more); a `Conflict` when they changed meanwhile.
    pub async fn save_adjustments(
        &mut self,
        adjustments: &Adjustments,
        read_version: Option<i64>,
    ) -> Result<(), StoreError> {
        let done = match read_version {
            None => {
                let sql = "INSERT INTO adjustments (person_id, remote_meetings, no_travel, other, shared_with_partner, \
                           updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, 1) ON CONFLICT (person_id) DO NOTHING";
                on_backend!(self, |conn| sqlx::query(sql)
                    .bind(adjustments.person.0)
                    .bind(adjustments.remote_meetings)
                    .bind(adjustments.no_travel)
                    .bind(&adjustments.other)
                    .bind(adjustments.shared_with_partner)
                    .bind(adjustments.updated_at)
                    .execute(conn)
                    .await
                    .map(|done| done.rows_affected()))?
            }
            Some(version) => {
                let sql = "UPDATE adjustments SET remote_meetings = $3, no_travel = $4, other = $5, \
                           shared_with_partner = $6, updated_at = $7, version = version + 1 \
                           WHERE person_id = $1 AND version = $2";
                on_backend!(self, |conn| sqlx::query(sql)
                    .bind(adjustments.person.0)
                    .bind(version)
                    .bind(adjustments.remote_meetings)
                    .bind(adjustments.no_travel)
                    .bind(&adjustments.other)
                    .bind(adjustments.shared_with_partner)
                    .bind(adjustments.updated_at)
                    .execute(conn)
                    .await
                    .map(|done| done.rows_affected()))?
            }
        };
        if done == 0 {
            return Err(StoreError::Conflict(
                "your adjustments were changed in another window since you opened this page; reload it to see them, then make your change again"
                    .to_owned(),
            ));
        }
        Ok(())
    }
}

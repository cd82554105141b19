//! Subject access and erasure (R8.4): everything held on one person, read as tables, and the
//! erasure of their personal data in one transaction.
//!
//! **What a subject access read includes.** Every table that holds a row about the person, each
//! read by a query written out below, with its columns typed ([`Kind`]). Secrets never leave the
//! store: an account says whether a password or a single sign-on link is set, never the hash;
//! sessions, reset links and API tokens are listed by date without their token hashes. What the
//! pair keeps together (meetings, notes, goals, actions, progress reviews, extensions) is the
//! person's as much as the partner's and is included; what the partner keeps for themself
//! (their closing review, evaluation answers, pulse check-ins, adjustments) is not. Of the
//! concerns raised beyond the pair (R8.2) only those the person raised are theirs: a concern
//! raised about them is withheld, since telling them could put someone at risk, and the
//! coordinators decide on its disclosure case by case. What only the person may read (what the
//! pair wrote, their concerns, check-ins, adjustments and inbox) is read only when the caller
//! says the person asked (`confidential`); anyone else's export lists those tables as withheld.
//!
//! **What erasure removes.** The person's row stays (so the register of who took part, the
//! other member's records and the audit log keep pointing at someone), with the names, staff
//! number and email replaced by [`ErasedIdentity`] and the other HR fields cleared. Their
//! diversity answers, roles, account, sessions, reset links, uploads, adjustments, inbox,
//! notification settings, mail, pulse check-ins, evaluation answers (scores too: they are stored
//! with the words, and the evaluation report counts only those held) and reviews go. Goals and
//! actions record who created them, so those they created go; meeting notes record only who last
//! saved them, and both members write them, so they stay as the partner's record. The free text
//! of their applications goes; the applications' scheme, role, status and dates stay in the
//! register, and live ones are withdrawn so nobody matches an erased person. Concerns they
//! raised stay: a safeguarding record is kept whatever the person asks.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use sqlx::{AssertSqlSafe, Row as _};
use tandem_core::PersonId;
use tandem_core::erasure::ErasedIdentity;
use tandem_core::hr::ExistingPerson;
use tandem_core::pairing::MatchStatus;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

mod sources;
use sources::SOURCES;

/// How a column's values are typed, so both backends read them the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An id.
    Id,
    /// Text.
    Text,
    /// A whole number (read as a 64-bit integer on both backends).
    Integer,
    /// Yes or no.
    Bool,
    /// A moment.
    Time,
    /// A calendar date.
    Date,
}

/// One value of a person's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// No value.
    Null,
    /// An id.
    Id(Uuid),
    /// Text as stored.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// Yes or no.
    Bool(bool),
    /// A moment.
    Time(OffsetDateTime),
    /// A calendar date.
    Date(Date),
}

/// The rows of one table held on a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordTable {
    /// The table's name, which also names its file in an export.
    pub name: &'static str,
    /// What the table is, in a sentence for the export's README.
    pub about: &'static str,
    /// Column names, in row order.
    pub columns: Vec<&'static str>,
    /// The rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
    /// Held but not read: only the person may (what the pair wrote, their words to the
    /// coordinators, their own settings and inbox), and someone else asked.
    pub withheld: bool,
}

/// Everything held on a person (R8.4), as the export writes it.
#[derive(Debug, Clone)]
pub struct PersonRecords {
    /// Their HR record as the rest of Tandem reads it.
    pub person: ExistingPerson,
    /// When they were erased, if they were.
    pub erased_at: Option<OffsetDateTime>,
    /// Every table, in the order `sources.rs` lists them; a table with no rows is still listed.
    pub tables: Vec<RecordTable>,
}

/// Reads one row's cells by the columns' kinds; a macro because each backend's row is its own
/// type.
macro_rules! cells {
    ($row:expr, $columns:expr) => {{
        let mut cells = Vec::with_capacity($columns.len());
        for (idx, column) in $columns.iter().enumerate() {
            let cell = match column.kind {
                Kind::Id => $row.try_get::<Option<Uuid>, _>(idx)?.map(Cell::Id),
                Kind::Text => $row.try_get::<Option<String>, _>(idx)?.map(Cell::Text),
                Kind::Integer => $row.try_get::<Option<i64>, _>(idx)?.map(Cell::Integer),
                Kind::Bool => $row.try_get::<Option<bool>, _>(idx)?.map(Cell::Bool),
                Kind::Time => $row
                    .try_get::<Option<OffsetDateTime>, _>(idx)?
                    .map(Cell::Time),
                Kind::Date => $row.try_get::<Option<Date>, _>(idx)?.map(Cell::Date),
            };
            cells.push(cell.unwrap_or(Cell::Null));
        }
        cells
    }};
}

/// The audit label the person acts under, as authorship columns record it.
fn label_of(person: PersonId) -> String {
    format!("person:{person}")
}

/// The live statuses of an application, withdrawn when its applicant is erased.
const LIVE_APPLICATION: &str = "('awaiting_manager', 'awaiting_coordinator', 'approved')";

/// How many rows an erasure removed or cleared, per table, for the audit log (counts only).
pub type ErasureCounts = Vec<(&'static str, u64)>;

impl Tx {
    /// Everything held on `person` (R8.4), table by table, on one snapshot. Without
    /// `confidential` the tables only the person may read are listed, withheld, and not read.
    pub async fn person_records(
        &mut self,
        person: PersonId,
        confidential: bool,
    ) -> Result<PersonRecords, StoreError> {
        let held = self.person(person).await?;
        let label = label_of(person);
        let mut tables = Vec::with_capacity(SOURCES.len());
        for source in SOURCES {
            let withheld = source.confidential && !confidential;
            if withheld {
                tables.push(RecordTable {
                    name: source.name,
                    about: source.about,
                    columns: source.columns.iter().map(|column| column.name).collect(),
                    rows: Vec::new(),
                    withheld,
                });
                continue;
            }
            let sql = source.sql();
            let rows: Vec<Vec<Cell>> = on_backend!(self, |conn| {
                let mut query = sqlx::query(AssertSqlSafe(sql)).bind(person.0);
                if source.by_label {
                    query = query.bind(&label);
                }
                let mut out = Vec::new();
                for row in query.fetch_all(conn).await? {
                    out.push(cells!(row, source.columns));
                }
                Ok::<_, sqlx::Error>(out)
            })?;
            tables.push(RecordTable {
                name: source.name,
                about: source.about,
                columns: source.columns.iter().map(|column| column.name).collect(),
                rows,
                withheld,
            });
        }
        let erased_at = self.erased_at(person).await?;
        Ok(PersonRecords {
            person: held,
            erased_at,
            tables,
        })
    }

    /// When `person` was erased, if they were.
    pub async fn erased_at(
        &mut self,
        person: PersonId,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        let sql = "SELECT erased_at FROM people WHERE id = $1";
        let at: Option<Option<OffsetDateTime>> = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(person.0)
            .fetch_optional(conn)
            .await)?;
        Ok(at.flatten())
    }

    /// The status of each of the person's pairs, as mentor or mentee, for the erasure's check.
    pub async fn pair_statuses_of(
        &mut self,
        person: PersonId,
    ) -> Result<Vec<MatchStatus>, StoreError> {
        let sql = "SELECT status FROM matches WHERE mentor_id = $1 OR mentee_id = $1";
        let rows: Vec<String> = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(person.0)
            .fetch_all(conn)
            .await)?;
        rows.iter()
            .map(|raw| {
                MatchStatus::parse(raw).ok_or_else(|| {
                    crate::error::corrupt("matches.status", format!("'{raw}' is not a status"))
                })
            })
            .collect()
    }

    /// How many applications wait for `person` to decide them as line manager.
    pub async fn count_awaiting_manager(&mut self, person: PersonId) -> Result<i64, StoreError> {
        let sql = "SELECT COUNT(*) FROM applications WHERE approver_id = $1 AND status = 'awaiting_manager'";
        let count: i64 = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(person.0)
            .fetch_one(conn)
            .await)?;
        Ok(count)
    }

    /// Erases `person`'s personal data and content (R8.4; what goes and what stays is the module
    /// doc). The caller checks first that nothing open still needs them. Returns the rows each
    /// step removed or cleared.
    pub async fn erase_person(
        &mut self,
        person: PersonId,
        identity: &ErasedIdentity,
        now: OffsetDateTime,
    ) -> Result<ErasureCounts, StoreError> {
        /// Deletions keyed by the person's id alone.
        const DELETE_BY_PERSON: &[(&str, &str)] = &[
            (
                "person_diversity",
                "DELETE FROM person_diversity WHERE person_id = $1",
            ),
            (
                "role_grants",
                "DELETE FROM role_grants WHERE person_id = $1",
            ),
            ("sessions", "DELETE FROM sessions WHERE person_id = $1"),
            (
                "password_resets",
                "DELETE FROM password_resets WHERE person_id = $1",
            ),
            ("two_factor", "DELETE FROM two_factor WHERE person_id = $1"),
            (
                "recovery_codes",
                "DELETE FROM recovery_codes WHERE person_id = $1",
            ),
            (
                "pending_sign_ins",
                "DELETE FROM pending_sign_ins WHERE person_id = $1",
            ),
            ("accounts", "DELETE FROM accounts WHERE person_id = $1"),
            ("uploads", "DELETE FROM uploads WHERE person_id = $1"),
            (
                "adjustments",
                "DELETE FROM adjustments WHERE person_id = $1",
            ),
            (
                "notification_settings",
                "DELETE FROM notification_settings WHERE person_id = $1",
            ),
            (
                "notifications",
                "DELETE FROM notifications WHERE person_id = $1",
            ),
            ("pulses", "DELETE FROM pulses WHERE person_id = $1"),
            // The themes a coordinator tagged on their written answers go with the answers.
            (
                "evaluation_answer_themes",
                "DELETE FROM evaluation_answer_themes WHERE person_id = $1",
            ),
            (
                "evaluation_answers",
                "DELETE FROM evaluation_answers WHERE person_id = $1",
            ),
            (
                "relationship_reviews",
                "DELETE FROM relationship_reviews WHERE author_id = $1",
            ),
            (
                "outbox",
                "DELETE FROM outbox WHERE person_id = $1 \
                 OR recipient = (SELECT email FROM people WHERE id = $1)",
            ),
            (
                "waiting_positions",
                "DELETE FROM waiting_positions WHERE application_id IN \
                 (SELECT id FROM applications WHERE person_id = $1)",
            ),
            (
                "invitations",
                "UPDATE invitations SET note = NULL WHERE person_id = $1 AND note IS NOT NULL",
            ),
        ];
        /// Deletions of what the person wrote in a pair, known by its author's label (`$2`).
        const DELETE_AUTHORED: &[(&str, &str)] = &[
            (
                "relationship_goals",
                "DELETE FROM relationship_goals WHERE created_by = $2 AND match_id IN \
                 (SELECT id FROM matches WHERE mentor_id = $1 OR mentee_id = $1)",
            ),
            (
                "relationship_actions",
                "DELETE FROM relationship_actions WHERE created_by = $2 AND match_id IN \
                 (SELECT id FROM matches WHERE mentor_id = $1 OR mentee_id = $1)",
            ),
        ];
        let applications = format!(
            "UPDATE applications SET summary = '', location = NULL, availability = '', \
             preferred_mentor_email = NULL, decision_reason = NULL, \
             status = CASE WHEN status IN {LIVE_APPLICATION} THEN 'withdrawn' ELSE status END, \
             updated_at = $2, version = version + 1 WHERE person_id = $1"
        );
        let bookings = "UPDATE workshop_bookings SET status = 'cancelled', updated_at = $2 \
                        WHERE person_id = $1 AND status IN ('booked', 'waiting') \
                        AND workshop_id IN (SELECT id FROM workshops WHERE starts_at > $2)";
        let people = "UPDATE people SET first_name = $2, last_name = $3, email = $4, staff_number = $5, \
                      department = NULL, location = NULL, line_manager_id = NULL, start_date = $6, \
                      on_probation = $7, under_performance_management = $7, employment_status = 'leaver', \
                      erased_at = $8, updated_at = $8, version = version + 1 \
                      WHERE id = $1 AND erased_at IS NULL";
        let label = label_of(person);
        let mut counts = ErasureCounts::new();
        on_backend!(self, |conn| {
            for (table, sql) in DELETE_BY_PERSON {
                let done = sqlx::query(*sql).bind(person.0).execute(&mut *conn).await?;
                counts.push((table, done.rows_affected()));
            }
            for (table, sql) in DELETE_AUTHORED {
                let done = sqlx::query(*sql)
                    .bind(person.0)
                    .bind(&label)
                    .execute(&mut *conn)
                    .await?;
                counts.push((table, done.rows_affected()));
            }
            let done = sqlx::query(AssertSqlSafe(applications))
                .bind(person.0)
                .bind(now)
                .execute(&mut *conn)
                .await?;
            counts.push(("applications", done.rows_affected()));
            let done = sqlx::query(bookings)
                .bind(person.0)
                .bind(now)
                .execute(&mut *conn)
                .await?;
            counts.push(("workshop_bookings", done.rows_affected()));
            let done = sqlx::query(people)
                .bind(person.0)
                .bind(identity.first_name.as_ref())
                .bind(identity.last_name.as_ref())
                .bind(identity.email.as_ref())
                .bind(identity.staff_number.as_ref())
                .bind(now.date())
                .bind(false)
                .bind(now)
                .execute(&mut *conn)
                .await?;
            counts.push(("people", done.rows_affected()));
            Ok::<(), sqlx::Error>(())
        })?;
        if counts.last().is_some_and(|(_, done)| *done == 0) {
            return Err(StoreError::Conflict(format!(
                "person {person} is not held or was already erased"
            )));
        }
        Ok(counts)
    }
}

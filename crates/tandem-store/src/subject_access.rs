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
//! coordinators decide on its disclosure case by case.
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
}

/// Everything held on a person (R8.4), as the export writes it.
#[derive(Debug, Clone)]
pub struct PersonRecords {
    /// Their HR record as the rest of Tandem reads it.
    pub person: ExistingPerson,
    /// When they were erased, if they were.
    pub erased_at: Option<OffsetDateTime>,
    /// Every table, in [`SOURCES`] order; a table with no rows is still listed.
    pub tables: Vec<RecordTable>,
}

/// A column: its name in the export, the SQL that reads it (`t.` + name when empty), its kind.
#[derive(Debug, Clone, Copy)]
struct Column {
    name: &'static str,
    sql: &'static str,
    kind: Kind,
}

const fn col(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        sql: "",
        kind,
    }
}

const fn expr(name: &'static str, sql: &'static str, kind: Kind) -> Column {
    Column { name, sql, kind }
}

/// Where one table's rows about the person come from. `$1` is the person's id; `$2`, only where
/// `by_label` is set, the label the audit log and authorship columns give them (`person:ID`).
#[derive(Debug, Clone, Copy)]
struct Source {
    name: &'static str,
    about: &'static str,
    from: &'static str,
    filter: &'static str,
    by_label: bool,
    columns: &'static [Column],
}

/// The person's relationships, for the tables keyed by the match.
const OWN_MATCH: &str =
    "t.match_id IN (SELECT id FROM matches WHERE mentor_id = $1 OR mentee_id = $1)";

use Kind::{Bool, Date as Day, Id, Integer, Text, Time};

const fn source(
    name: &'static str,
    about: &'static str,
    from: &'static str,
    filter: &'static str,
    columns: &'static [Column],
) -> Source {
    Source {
        name,
        about,
        from,
        filter,
        by_label: false,
        columns,
    }
}

const fn by_label(source: Source) -> Source {
    Source {
        by_label: true,
        ..source
    }
}

/// Every table that holds something about a person, in the order an export lists them.
const SOURCES: &[Source] = &[
    source(
        "people",
        "your HR record as imported from your organisation's HR directory",
        "people t JOIN organisations o ON o.id = t.organisation_id",
        "t.id = $1",
        &[
            col("id", Id),
            expr("organisation", "o.code", Text),
            col("staff_number", Text),
            col("first_name", Text),
            col("last_name", Text),
            col("email", Text),
            col("department", Text),
            col("location", Text),
            col("rank_or_grade", Text),
            col("role_type", Text),
            col("line_manager_id", Id),
            col("start_date", Day),
            col("on_probation", Bool),
            col("under_performance_management", Bool),
            col("employment_status", Text),
            col("created_at", Time),
            col("updated_at", Time),
            col("erased_at", Time),
        ],
    ),
    source(
        "person_diversity",
        "the diversity questions you answered (self-declared, every one optional)",
        "person_diversity t",
        "t.person_id = $1",
        &[
            col("sex", Text),
            col("gender_identity", Text),
            col("ethnicity", Text),
            col("disability", Text),
            col("sexual_orientation", Text),
            col("religion", Text),
            col("age_band", Text),
            col("caring_responsibilities", Text),
        ],
    ),
    source(
        "role_grants",
        "the staff roles you hold (administrator, coordinator, champion) and who gave them",
        "role_grants t",
        "t.person_id = $1",
        &[
            col("id", Id),
            col("role", Text),
            col("organisation_id", Id),
            col("division", Text),
            col("scheme_id", Id),
            col("granted_by", Text),
            col("granted_at", Time),
        ],
    ),
    source(
        "accounts",
        "your sign-in account: whether a password or single sign-on is set (never the password itself)",
        "accounts t",
        "t.person_id = $1",
        &[
            expr("password_set", "t.password_hash IS NOT NULL", Bool),
            expr("single_sign_on_linked", "t.oidc_subject IS NOT NULL", Bool),
            col("oidc_issuer", Text),
            col("failed_sign_ins", Integer),
            col("locked_until", Time),
            col("created_at", Time),
            col("updated_at", Time),
        ],
    ),
    source(
        "sessions",
        "when you were signed in (the session secrets are not exported)",
        "sessions t",
        "t.person_id = $1",
        &[
            col("created_at", Time),
            col("last_seen_at", Time),
            col("expires_at", Time),
        ],
    ),
    source(
        "password_resets",
        "password reset links sent to you (the link secrets are not exported)",
        "password_resets t",
        "t.person_id = $1",
        &[
            col("created_at", Time),
            col("expires_at", Time),
            col("used_at", Time),
        ],
    ),
    by_label(source(
        "api_tokens",
        "API tokens you issued (the token secrets are not exported)",
        "api_tokens t",
        "t.created_by = $2",
        &[
            col("id", Id),
            col("name", Text),
            col("organisation_id", Id),
            col("can_write", Bool),
            col("created_at", Time),
            col("last_used_at", Time),
            col("revoked_at", Time),
        ],
    )),
    source(
        "uploads",
        "HR files you uploaded (their contents are other people's records and are not exported)",
        "uploads t",
        "t.person_id = $1",
        &[
            col("id", Id),
            col("file_name", Text),
            col("full_extract", Bool),
            col("created_at", Time),
            col("imported_at", Time),
        ],
    ),
    source(
        "applications",
        "your applications to schemes, as mentor or mentee, and their decisions",
        "applications t JOIN schemes s ON s.id = t.scheme_id",
        "t.person_id = $1",
        &[
            col("id", Id),
            col("scheme_id", Id),
            expr("scheme", "s.name", Text),
            col("role", Text),
            col("status", Text),
            col("summary", Text),
            col("topics", Text),
            col("capacity", Integer),
            col("location", Text),
            col("will_travel", Bool),
            col("remote_ok", Bool),
            col("availability", Text),
            col("preferred_mentor_email", Text),
            col("confidential", Bool),
            col("approver_id", Id),
            col("decided_by", Text),
            col("decision_reason", Text),
            col("decided_at", Time),
            col("statement_signed_at", Time),
            col("agreement_signed_at", Time),
            col("ethics_acknowledged_at", Time),
            col("priority", Integer),
            col("submitted_at", Time),
            col("updated_at", Time),
        ],
    ),
    source(
        "waiting_positions",
        "your place on a scheme's waiting list",
        "waiting_positions t",
        concat!(
            "t.application_id IN ",
            "(SELECT id FROM applications WHERE person_id = $1)"
        ),
        &[
            col("application_id", Id),
            col("position", Integer),
            col("updated_at", Time),
        ],
    ),
    source(
        "invitations",
        "the schemes you were invited to",
        "invitations t",
        "t.person_id = $1",
        &[
            col("id", Id),
            col("scheme_id", Id),
            col("role", Text),
            col("note", Text),
            col("invited_by", Text),
            col("invited_at", Time),
        ],
    ),
    source(
        "pair_constraints",
        "pairs a coordinator pinned or ruled out for one of your applications, with their reason",
        "pair_constraints t",
        concat!(
            "t.mentee_application_id IN ",
            "(SELECT id FROM applications WHERE person_id = $1)",
            " OR t.mentor_application_id IN ",
            "(SELECT id FROM applications WHERE person_id = $1)"
        ),
        &[
            col("scheme_id", Id),
            col("mentee_application_id", Id),
            col("mentor_application_id", Id),
            col("kind", Text),
            col("reason", Text),
            col("created_by", Text),
            col("created_at", Time),
        ],
    ),
    source(
        "training_records",
        "training you completed",
        "training_records t",
        "t.person_id = $1",
        &[
            col("id", Id),
            col("training", Text),
            col("completed_on", Day),
            col("workshop_id", Id),
            col("recorded_by", Text),
            col("recorded_at", Time),
        ],
    ),
    source(
        "workshop_bookings",
        "your places on workshops and support groups",
        "workshop_bookings t JOIN workshops w ON w.id = t.workshop_id",
        "t.person_id = $1",
        &[
            col("id", Id),
            col("workshop_id", Id),
            expr("workshop", "w.title", Text),
            expr("starts_at", "w.starts_at", Time),
            col("status", Text),
            col("priority", Integer),
            col("requested_at", Time),
            col("partner_id", Id),
            col("updated_at", Time),
        ],
    ),
    source(
        "matches",
        "your pairs and relationships: the scheme, your role, your partner, the status and dates",
        "matches t JOIN schemes s ON s.id = t.scheme_id \
         JOIN people p ON p.id = (CASE WHEN t.mentor_id = $1 THEN t.mentee_id ELSE t.mentor_id END)",
        "t.mentor_id = $1 OR t.mentee_id = $1",
        &[
            col("id", Id),
            col("scheme_id", Id),
            expr("scheme", "s.name", Text),
            expr(
                "your_role",
                "CASE WHEN t.mentor_id = $1 THEN 'mentor' ELSE 'mentee' END",
                Text,
            ),
            expr("partner_id", "p.id", Id),
            expr("partner", "p.first_name || ' ' || p.last_name", Text),
            col("status", Text),
            col("source", Text),
            col("score", Integer),
            col("proposed_at", Time),
            col("decided_at", Time),
            col("reason", Text),
            col("confirmed_at", Time),
            col("started_on", Day),
            col("ends_on", Day),
            col("hold_reason", Text),
            col("held_since", Time),
            col("closing_started_at", Time),
            col("closed_at", Time),
        ],
    ),
    source(
        "meetings",
        "the meetings of your relationships",
        "meetings t",
        OWN_MATCH,
        &[
            col("id", Id),
            col("match_id", Id),
            col("kind", Text),
            col("status", Text),
            col("starts_at", Time),
            col("minutes", Integer),
            col("mode", Text),
            col("place", Text),
            col("arranged_by", Text),
            col("created_at", Time),
        ],
    ),
    source(
        "meeting_notes",
        "the GROW notes you and your partner kept of your meetings",
        "meeting_notes t",
        OWN_MATCH,
        &[
            col("meeting_id", Id),
            col("match_id", Id),
            col("goal", Text),
            col("reality", Text),
            col("options", Text),
            col("way_ahead", Text),
            col("updated_by", Text),
            col("updated_at", Time),
        ],
    ),
    source(
        "relationship_goals",
        "the goals of your relationships",
        "relationship_goals t",
        OWN_MATCH,
        &[
            col("id", Id),
            col("match_id", Id),
            col("text", Text),
            col("status", Text),
            col("created_by", Text),
            col("created_at", Time),
            col("updated_at", Time),
        ],
    ),
    source(
        "relationship_actions",
        "the actions agreed in your relationships",
        "relationship_actions t",
        OWN_MATCH,
        &[
            col("id", Id),
            col("match_id", Id),
            col("meeting_id", Id),
            col("text", Text),
            col("owner", Text),
            col("due_on", Day),
            col("done", Bool),
            col("created_by", Text),
            col("created_at", Time),
        ],
    ),
    source(
        "relationship_reviews",
        "progress reviews of your relationships, and the closing reviews you wrote",
        "relationship_reviews t",
        concat!(
            "t.match_id IN (SELECT id FROM matches WHERE mentor_id = $1 OR mentee_id = $1)",
            " AND (t.author_id = $1 OR t.kind = 'progress')"
        ),
        &[
            col("id", Id),
            col("match_id", Id),
            col("kind", Text),
            col("author_id", Id),
            col("at_meeting", Integer),
            col("achieved", Text),
            col("next_steps", Text),
            col("created_at", Time),
        ],
    ),
    source(
        "evaluation_answers",
        "your answers to the end-of-relationship evaluations",
        "evaluation_answers t",
        "t.person_id = $1",
        &[
            col("match_id", Id),
            col("answers", Text),
            col("submitted_at", Time),
        ],
    ),
    source(
        "relationship_extensions",
        "extensions of your relationships, proposed and answered",
        "relationship_extensions t",
        OWN_MATCH,
        &[
            col("id", Id),
            col("match_id", Id),
            col("proposed_by", Id),
            col("proposed_at", Time),
            col("previous_ends_on", Day),
            col("ends_on", Day),
            col("status", Text),
            col("answered_at", Time),
        ],
    ),
    source(
        "relationship_flags",
        "role changes flagged in your relationships and how they were settled",
        "relationship_flags t",
        OWN_MATCH,
        &[
            col("id", Id),
            col("match_id", Id),
            col("kind", Text),
            col("raised_at", Time),
            col("raised_by", Text),
            col("outcome", Text),
            col("reason", Text),
            col("settled_by", Text),
            col("settled_at", Time),
        ],
    ),
    source(
        "closure_decisions",
        "coordinators' decisions to keep an inactive relationship of yours open",
        "closure_decisions t",
        OWN_MATCH,
        &[
            col("id", Id),
            col("match_id", Id),
            col("reason", Text),
            col("decided_by", Text),
            col("decided_at", Time),
        ],
    ),
    source(
        "reminders",
        "reminders sent about your relationships",
        "reminders t",
        OWN_MATCH,
        &[
            col("match_id", Id),
            col("reminder_key", Text),
            col("nudge", Text),
            col("sent_at", Time),
        ],
    ),
    source(
        "concerns",
        "concerns you raised with the coordinators beyond the limits of confidentiality",
        "concerns t",
        "t.raised_by = $1",
        &[
            col("id", Id),
            col("match_id", Id),
            col("kind", Text),
            col("text", Text),
            col("raised_at", Time),
            col("outcome", Text),
            col("outcome_at", Time),
        ],
    ),
    source(
        "pulses",
        "your pulse check-ins: scores and comments",
        "pulses t",
        "t.person_id = $1",
        &[
            col("id", Id),
            col("match_id", Id),
            col("round", Integer),
            col("score", Integer),
            col("comment", Text),
            col("shared", Bool),
            col("answered_at", Time),
        ],
    ),
    source(
        "adjustments",
        "your reasonable adjustments",
        "adjustments t",
        "t.person_id = $1",
        &[
            col("remote_meetings", Bool),
            col("no_travel", Bool),
            col("other", Text),
            col("shared_with_partner", Bool),
            col("updated_at", Time),
        ],
    ),
    source(
        "notification_settings",
        "how you chose to be emailed",
        "notification_settings t",
        "t.person_id = $1",
        &[
            col("mode", Text),
            col("last_digest_at", Time),
            col("updated_at", Time),
        ],
    ),
    source(
        "notifications",
        "your inbox",
        "notifications t",
        "t.person_id = $1",
        &[
            col("id", Id),
            col("kind", Text),
            col("subject", Text),
            col("body", Text),
            col("link", Text),
            col("created_at", Time),
            col("read_at", Time),
            col("delivery", Text),
            col("digested_at", Time),
        ],
    ),
    source(
        "outbox",
        "email sent or waiting to be sent to you",
        "outbox t",
        "t.person_id = $1",
        &[
            col("id", Id),
            col("recipient", Text),
            col("subject", Text),
            col("body", Text),
            col("attachment_name", Text),
            col("created_at", Time),
            col("attempts", Integer),
            col("sent_at", Time),
        ],
    ),
    by_label(source(
        "audit_log",
        "the audit log's entries about you and by you (ids and field names, never values)",
        "audit_log t",
        "t.subject_id = $1 OR t.actor = $2",
        &[
            col("id", Id),
            col("at", Time),
            col("actor", Text),
            col("action", Text),
            col("organisation_id", Id),
            col("subject_kind", Text),
            col("subject_id", Id),
            col("detail", Text),
        ],
    )),
];

impl Source {
    /// The query. Built from the constants above only, never from input, so it is safe to run
    /// as a string; integers are cast so both backends hand back 64-bit values.
    fn sql(&self) -> String {
        let columns: Vec<String> = self
            .columns
            .iter()
            .map(|column| {
                let sql = if column.sql.is_empty() {
                    format!("t.{}", column.name)
                } else {
                    column.sql.to_owned()
                };
                if column.kind == Integer {
                    format!("CAST({sql} AS BIGINT)")
                } else {
                    sql
                }
            })
            .collect();
        format!(
            "SELECT {} FROM {} WHERE {} ORDER BY 1",
            columns.join(", "),
            self.from,
            self.filter
        )
    }
}

/// Reads one row's cells by the columns' kinds; a macro because each backend's row is its own
/// type.
macro_rules! cells {
    ($row:expr, $columns:expr) => {{
        let mut cells = Vec::with_capacity($columns.len());
        for (idx, column) in $columns.iter().enumerate() {
            let cell = match column.kind {
                Id => $row.try_get::<Option<Uuid>, _>(idx)?.map(Cell::Id),
                Text => $row.try_get::<Option<String>, _>(idx)?.map(Cell::Text),
                Integer => $row.try_get::<Option<i64>, _>(idx)?.map(Cell::Integer),
                Bool => $row.try_get::<Option<bool>, _>(idx)?.map(Cell::Bool),
                Time => $row
                    .try_get::<Option<OffsetDateTime>, _>(idx)?
                    .map(Cell::Time),
                Day => $row.try_get::<Option<Date>, _>(idx)?.map(Cell::Date),
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
    /// Everything held on `person` (R8.4), table by table, on one snapshot.
    pub async fn person_records(&mut self, person: PersonId) -> Result<PersonRecords, StoreError> {
        let held = self.person(person).await?;
        let label = label_of(person);
        let mut tables = Vec::with_capacity(SOURCES.len());
        for source in SOURCES {
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

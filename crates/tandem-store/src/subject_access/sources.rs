//! The tables a subject access read covers, each with the query that finds the person's rows
//! and its typed columns; what is left out, and why, is the parent module's doc.

use super::Kind::{self, Bool, Date as Day, Id, Integer, Text, Time};

/// A column: its name in the export, the SQL that reads it (`t.` + name when empty), its kind.
#[derive(Debug, Clone, Copy)]
pub(super) struct Column {
    pub(super) name: &'static str,
    sql: &'static str,
    pub(super) kind: Kind,
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
pub(super) struct Source {
    pub(super) name: &'static str,
    pub(super) about: &'static str,
    from: &'static str,
    filter: &'static str,
    pub(super) by_label: bool,
    pub(super) confidential: bool,
    pub(super) columns: &'static [Column],
}

/// The person's relationships, for the tables keyed by the match.
const OWN_MATCH: &str =
    "t.match_id IN (SELECT id FROM matches WHERE mentor_id = $1 OR mentee_id = $1)";

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
        confidential: false,
        columns,
    }
}

/// What only the person may read, whoever else asks for their records: what the pair wrote
/// (R8.1), what they wrote for the coordinators (R8.2), their check-ins' words (R11.1) and their
/// own settings and inbox (R8.5, R9).
const fn confidential(source: Source) -> Source {
    Source {
        confidential: true,
        ..source
    }
}

const fn by_label(source: Source) -> Source {
    Source {
        by_label: true,
        ..source
    }
}

/// Every table that holds something about a person, in the order an export lists them.
pub(super) const SOURCES: &[Source] = &[
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
        "two_factor",
        "your two-factor sign-in: when you set it up and how many recovery codes are unused (never the secret or the codes)",
        "two_factor t",
        "t.person_id = $1",
        &[
            col("created_at", Time),
            col("confirmed_at", Time),
            expr(
                "recovery_codes_unused",
                "(SELECT CAST(COUNT(*) AS BIGINT) FROM recovery_codes r \
                 WHERE r.person_id = t.person_id AND r.used_at IS NULL)",
                Integer,
            ),
        ],
    ),
    source(
        "pending_sign_ins",
        "sign-ins that were waiting for your two-factor code (their secrets are not exported)",
        "pending_sign_ins t",
        "t.person_id = $1",
        &[col("created_at", Time), col("expires_at", Time)],
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
    confidential(source(
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
    )),
    confidential(source(
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
    )),
    confidential(source(
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
    )),
    confidential(source(
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
    )),
    confidential(source(
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
    )),
    confidential(source(
        "evaluation_answers",
        "your answers to the end-of-relationship evaluations",
        "evaluation_answers t",
        "t.person_id = $1",
        &[
            col("match_id", Id),
            col("answers", Text),
            col("submitted_at", Time),
        ],
    )),
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
    confidential(source(
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
    )),
    confidential(source(
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
    )),
    confidential(source(
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
    )),
    confidential(source(
        "notification_settings",
        "how you chose to be emailed",
        "notification_settings t",
        "t.person_id = $1",
        &[
            col("mode", Text),
            col("last_digest_at", Time),
            col("updated_at", Time),
        ],
    )),
    confidential(source(
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
    )),
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
    pub(super) fn sql(&self) -> String {
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

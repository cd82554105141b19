//! Retention of records (R8.3): an organisation's schedule, the records past it, and their
//! disposal, which removes content and keeps the register.
//!
//! What each kind's disposal takes, and what it keeps:
//!
//! - pair content, of a relationship that closed or ended early: its session notes, goals and
//!   actions go; its reviews, check-ins and flags keep their rows (the reports count reviews
//!   reached and average check-in scores) with their words blanked; its meetings keep their
//!   dates, lengths and kinds and lose where they were held. The match itself is the register.
//! - an application declined or withdrawn: what the applicant wrote (summary, topics, location,
//!   availability, the mentor they asked for) and the reason given for a decision go; the row
//!   keeps the scheme, role, outcome and dates.
//! - an evaluation: the words go, the scores stay for the evaluation results.
//! - a leaver's diversity answers go whole: they are kept only while the person is employed.
//!
//! Every disposal statement is written once and runs unchanged on both backends; ids go in
//! batches small enough for either's limit on bound values.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use sqlx::QueryBuilder;
use tandem_core::relationship::{Answer, Answers};
use tandem_core::retention::{Months, RecordKind, Retention};
use tandem_core::{OrganisationId, SchemeId};
use time::OffsetDateTime;
use uuid::Uuid;

/// The most records one disposal statement names.
pub const DISPOSAL_BATCH: usize = 500;

/// Records of one kind due for disposal in one scheme (none for diversity answers, which are
/// the person's, not a scheme's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// The kind.
    pub kind: RecordKind,
    /// The scheme they belong to.
    pub scheme: Option<SchemeId>,
    /// How many.
    pub records: u64,
    /// When the oldest one's event happened (a relationship's end, a decision, an answer);
    /// `None` for diversity answers.
    pub oldest: Option<OffsetDateTime>,
}

/// A record due for disposal: a relationship, an application or a leaver by their id, an
/// evaluation by its relationship and its author.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DueRecord {
    /// The relationship, application or person.
    pub id: Uuid,
    /// The author of an evaluation; `None` for every other kind.
    pub author: Option<Uuid>,
}

/// The `FROM … WHERE` naming `kind`'s records of `organisation` due before `before`, with
/// `ended` the moment its months count from and `scheme` its scheme, for the queries below.
struct DueQuery {
    from: &'static str,
    id: &'static str,
    author: &'static str,
    ended: &'static str,
    scheme: &'static str,
}

fn due_query(kind: RecordKind) -> DueQuery {
    match kind {
        RecordKind::PairContent => DueQuery {
            from: "matches m JOIN schemes s ON s.id = m.scheme_id \
                   WHERE m.content_disposed_at IS NULL AND m.confirmed_at IS NOT NULL \
                   AND m.status IN ('closed', 'withdrawn', 'declined')",
            id: "m.id",
            author: "NULL",
            ended: "(CASE WHEN m.status = 'closed' THEN m.closed_at ELSE m.decided_at END)",
            scheme: "m.scheme_id",
        },
        RecordKind::EndedApplications => DueQuery {
            from: "applications a JOIN schemes s ON s.id = a.scheme_id \
                   WHERE a.disposed_at IS NULL AND a.status IN ('declined', 'withdrawn')",
            id: "a.id",
            author: "NULL",
            ended: "a.updated_at",
            scheme: "a.scheme_id",
        },
        RecordKind::EvaluationText => DueQuery {
            from: "evaluation_answers e JOIN matches m ON m.id = e.match_id \
                   JOIN schemes s ON s.id = m.scheme_id WHERE e.text_disposed_at IS NULL",
            id: "e.match_id",
            author: "e.person_id",
            ended: "e.submitted_at",
            scheme: "m.scheme_id",
        },
        RecordKind::Diversity => DueQuery {
            from: "person_diversity d JOIN people s ON s.id = d.person_id \
                   WHERE s.employment_status IN ('leaver', 'retired')",
            id: "d.person_id",
            author: "NULL",
            ended: "NULL",
            scheme: "NULL",
        },
    }
}

/// Appends the organisation and, where the kind has one, the moment to the due query's WHERE.
fn push_due<'a, DB: sqlx::Database>(
    query: &mut QueryBuilder<DB>,
    kind: RecordKind,
    organisation: OrganisationId,
    before: Option<OffsetDateTime>,
) where
    Uuid: sqlx::Encode<'a, DB> + sqlx::Type<DB> + 'a,
    OffsetDateTime: sqlx::Encode<'a, DB> + sqlx::Type<DB> + 'a,
{
    let due = due_query(kind);
    query.push(due.from);
    query.push(" AND s.organisation_id = ");
    query.push_bind(organisation.0);
    if let Some(before) = before {
        query.push(format!(" AND {} < ", due.ended));
        query.push_bind(before);
    }
}

#[derive(sqlx::FromRow)]
struct DueRow {
    scheme: Option<Uuid>,
    records: i64,
    oldest: Option<OffsetDateTime>,
}

impl Tx {
    /// The organisation's retention schedule: the defaults, with the months it has set.
    pub async fn retention(
        &mut self,
        organisation: OrganisationId,
    ) -> Result<Retention, StoreError> {
        let sql = "SELECT record_kind, months FROM retention_settings WHERE organisation_id = $1";
        let rows: Vec<(String, i64)> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(organisation.0)
            .fetch_all(conn)
            .await)?;
        let mut retention = Retention::default();
        for (kind, months) in rows {
            let kind = RecordKind::parse(&kind)
                .ok_or_else(|| corrupt("retention_settings.record_kind", kind.clone()))?;
            let months = u32::try_from(months)
                .ok()
                .and_then(Months::new)
                .ok_or_else(|| corrupt("retention_settings.months", months.to_string()))?;
            retention = retention.with(kind, months);
        }
        Ok(retention)
    }

    /// Sets the organisation's retention schedule, every kind at once.
    pub async fn save_retention(
        &mut self,
        organisation: OrganisationId,
        retention: &Retention,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO retention_settings (organisation_id, record_kind, months, updated_at) \
                   VALUES ($1, $2, $3, $4) \
                   ON CONFLICT (organisation_id, record_kind) DO UPDATE SET \
                   months = excluded.months, updated_at = excluded.updated_at";
        for kind in RecordKind::with_months() {
            let Some(months) = retention.months(kind) else {
                continue;
            };
            on_backend!(self, |conn| sqlx::query(sql)
                .bind(organisation.0)
                .bind(kind.as_str())
                .bind(i64::from(months.get()))
                .bind(now)
                .execute(conn)
                .await
                .map(|done| done.rows_affected()))?;
        }
        Ok(())
    }

    /// How many of the organisation's records of `kind` are due for disposal, by scheme, with
    /// the oldest's date: what a run now would take (`before` as the schedule gives it;
    /// `None` for diversity answers).
    pub async fn records_due(
        &mut self,
        organisation: OrganisationId,
        kind: RecordKind,
        before: Option<OffsetDateTime>,
    ) -> Result<Vec<Due>, StoreError> {
        let due = due_query(kind);
        let rows: Vec<DueRow> = if kind == RecordKind::Diversity {
            // A leaver's answers belong to no scheme and have no date to count from.
            let records: i64 = on_backend!(self, |conn| {
                let mut query = QueryBuilder::new("SELECT CAST(COUNT(*) AS BIGINT) FROM ");
                push_due(&mut query, kind, organisation, None);
                query.build_query_scalar().fetch_one(conn).await
            })?;
            vec![DueRow {
                scheme: None,
                records,
                oldest: None,
            }]
        } else {
            on_backend!(self, |conn| {
                let mut query = QueryBuilder::new(format!(
                    "SELECT {scheme} AS scheme, CAST(COUNT(*) AS BIGINT) AS records, MIN({ended}) AS oldest FROM ",
                    scheme = due.scheme,
                    ended = due.ended,
                ));
                push_due(&mut query, kind, organisation, before);
                query.push(" GROUP BY 1 ORDER BY 3");
                query.build_query_as().fetch_all(conn).await
            })?
        };
        Ok(rows
            .into_iter()
            .filter(|row| row.records > 0)
            .map(|row| Due {
                kind,
                scheme: row.scheme.map(SchemeId),
                records: u64::try_from(row.records).unwrap_or_default(),
                oldest: row.oldest,
            })
            .collect())
    }

    /// When a relationship's content was disposed of, if it was.
    pub async fn content_disposed_at(
        &mut self,
        pair: tandem_core::MatchId,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        let sql = "SELECT content_disposed_at FROM matches WHERE id = $1";
        let at: Option<Option<OffsetDateTime>> = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(pair.0)
            .fetch_optional(conn)
            .await)?;
        Ok(at.flatten())
    }

    /// Up to [`DISPOSAL_BATCH`] of the organisation's records of `kind` due for disposal.
    pub async fn due_batch(
        &mut self,
        organisation: OrganisationId,
        kind: RecordKind,
        before: Option<OffsetDateTime>,
    ) -> Result<Vec<DueRecord>, StoreError> {
        let due = due_query(kind);
        let rows: Vec<(Uuid, Option<Uuid>)> = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new(format!(
                "SELECT {id}, {author} FROM ",
                id = due.id,
                author = due.author
            ));
            push_due(&mut query, kind, organisation, before);
            query.push(" ORDER BY 1, 2 LIMIT ");
            query.push_bind(i64::try_from(DISPOSAL_BATCH).unwrap_or(i64::MAX));
            query.build_query_as().fetch_all(conn).await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, author)| DueRecord { id, author })
            .collect())
    }

    /// Disposes of `records` of `kind` (at most [`DISPOSAL_BATCH`], as [`Tx::due_batch`]
    /// gave them), as the module says.
    pub async fn dispose(
        &mut self,
        kind: RecordKind,
        records: &[DueRecord],
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        let ids: Vec<Uuid> = records.iter().map(|record| record.id).collect();
        match kind {
            RecordKind::PairContent => {
                for statement in [
                    "DELETE FROM meeting_notes WHERE match_id IN (",
                    "DELETE FROM relationship_actions WHERE match_id IN (",
                    "DELETE FROM relationship_goals WHERE match_id IN (",
                    "UPDATE relationship_reviews SET achieved = '', next_steps = '' WHERE match_id IN (",
                    "UPDATE pulses SET comment = '' WHERE match_id IN (",
                    "UPDATE relationship_flags SET reason = NULL WHERE match_id IN (",
                    "UPDATE meetings SET place = NULL WHERE match_id IN (",
                ] {
                    self.run_for_ids(statement, None, &ids).await?;
                }
                self.run_for_ids(
                    "UPDATE matches SET content_disposed_at = $1 WHERE id IN (",
                    Some(now),
                    &ids,
                )
                .await
            }
            RecordKind::EndedApplications => {
                self.run_for_ids(
                    "UPDATE applications SET summary = '', topics = '', location = NULL, \
                     availability = '', preferred_mentor_email = NULL, decision_reason = NULL, \
                     disposed_at = $1 WHERE id IN (",
                    Some(now),
                    &ids,
                )
                .await
            }
            RecordKind::EvaluationText => self.dispose_evaluation_text(records, now).await,
            RecordKind::Diversity => {
                self.run_for_ids(
                    "DELETE FROM person_diversity WHERE person_id IN (",
                    None,
                    &ids,
                )
                .await
            }
        }
    }

    /// Runs `head` (ending in `IN (`, with `$1` for `now` if given) for `ids`.
    async fn run_for_ids(
        &mut self,
        head: &str,
        now: Option<OffsetDateTime>,
        ids: &[Uuid],
    ) -> Result<(), StoreError> {
        on_backend!(self, |conn| {
            let mut query = QueryBuilder::new("");
            match now {
                // The one bound value before the list: `$1` in the text is bound first.
                Some(now) => {
                    let (before, after) = head.split_once("$1").unwrap_or((head, ""));
                    query.push(before);
                    query.push_bind(now);
                    query.push(after);
                }
                None => {
                    query.push(head);
                }
            }
            let mut list = query.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            query.push(")");
            query
                .build()
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// Keeps only the scores of each evaluation's answers.
    async fn dispose_evaluation_text(
        &mut self,
        records: &[DueRecord],
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let read = "SELECT answers FROM evaluation_answers WHERE match_id = $1 AND person_id = $2";
        let write = "UPDATE evaluation_answers SET answers = $1, text_disposed_at = $2 \
                     WHERE match_id = $3 AND person_id = $4";
        for record in records {
            let Some(author) = record.author else {
                continue;
            };
            let answers: Option<String> = on_backend!(self, |conn| sqlx::query_scalar(read)
                .bind(record.id)
                .bind(author)
                .fetch_optional(conn)
                .await)?;
            let Some(answers) = answers else { continue };
            let scores = scores_only(&answers)
                .ok_or_else(|| corrupt("evaluation_answers.answers", answers.clone()))?;
            on_backend!(self, |conn| sqlx::query(write)
                .bind(scores)
                .bind(now)
                .bind(record.id)
                .bind(author)
                .execute(conn)
                .await
                .map(|done| done.rows_affected()))?;
        }
        Ok(())
    }
}

/// Stored answers with only the scores left.
fn scores_only(stored: &str) -> Option<String> {
    let answers: Answers = serde_json::from_str(stored).ok()?;
    let scores: Answers = answers
        .into_iter()
        .filter(|(_, answer)| matches!(answer, Answer::Score(_)))
        .collect();
    serde_json::to_string(&scores).ok()
}

#[cfg(test)]
mod tests {
    use super::scores_only;

    #[test]
    fn an_evaluation_keeps_its_scores_and_loses_its_words() {
        assert_eq!(
            scores_only(r#"[["goals",4],["worked","Time to think"],["again",5],["better",""]]"#)
                .as_deref(),
            Some(r#"[["goals",4],["again",5]]"#)
        );
        assert_eq!(scores_only("not json"), None);
    }
}

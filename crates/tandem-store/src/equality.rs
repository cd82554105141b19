//! Counts for equality monitoring (R10.3): how far applications got, by the applicant's answer
//! to one diversity question, and each organisation's small-number threshold.
//!
//! Diversity answers are joined in only here, and only ever come out aggregated: a count per
//! answer, computed by the database with `GROUP BY` on either backend, never a row per person.
//!
//! What is counted is the application, not the person: each application submitted in the
//! window counts once, so someone who applied to two schemes, or as mentor and as mentee,
//! counts twice in an organisation-wide view (once in a view of one scheme and one role). An
//! application is counted at every stage it reached at least, so no stage outnumbers the one
//! before:
//!
//! - applied: submitted in the window;
//! - eligible: through the line manager's authorisation. The scheme's eligibility rules are
//!   applied before an application can be made at all, and a decline records only free-text
//!   reasons, so the one step the data can tell apart is the manager's: an application never
//!   sent to a manager (the scheme asks for none, the confidential route to the coordinator, no
//!   manager on record) is eligible from the start, one sent to a manager once approved;
//! - approved: on the waiting list, available to mentees, matched, or in any confirmed pair;
//! - matched: in a pair that was confirmed (as the mentee's or the mentor's application),
//!   whatever became of the pair later;
//! - completed: in a pair that closed after its closing reviews.
//!
//! A withdrawal overwrites the decision it followed, so an application withdrawn before any
//! pair was confirmed counts as applied (and as eligible if it never needed a manager) but not
//! as approved, even if it had been.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use crate::reports::{ReportFilter, Window};
use sqlx::QueryBuilder;
use tandem_core::OrganisationId;
use tandem_core::domain::Declaration;
use tandem_core::eligibility::Role;
use tandem_core::equality::{Characteristic, STAGES, StageCounts};
use tandem_core::suppression::Threshold;
use time::OffsetDateTime;

/// The applications of one answer (`None`: no answer recorded) that reached each stage.
pub type FunnelRow = (Option<Declaration>, StageCounts);

/// What an equality report counts: one organisation's schemes (perhaps one scheme, perhaps
/// one division's applicants) and, if given, one role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EqualityFilter {
    /// The scope, as the dashboards read it.
    pub scope: ReportFilter,
    /// Only applications to mentor, or only to be mentored.
    pub role: Option<Role>,
}

/// The `person_diversity` column holding a characteristic's answers.
fn column(characteristic: Characteristic) -> &'static str {
    match characteristic {
        Characteristic::Sex => "d.sex",
        Characteristic::GenderIdentity => "d.gender_identity",
        Characteristic::Ethnicity => "d.ethnicity",
        Characteristic::Disability => "d.disability",
        Characteristic::SexualOrientation => "d.sexual_orientation",
        Characteristic::Religion => "d.religion",
        Characteristic::AgeBand => "d.age_band",
        Characteristic::CaringResponsibilities => "d.caring_responsibilities",
    }
}

/// How far an application got, `paired` being 0 (never in a confirmed pair), 1 (confirmed) or
/// 2 (a pair that completed); each stage includes the next, so the counts cannot grow.
const APPROVED: &str = "(f.paired > 0 OR f.status IN ('approved', 'matched'))";
const ELIGIBLE: &str = "(f.paired > 0 OR f.status IN ('approved', 'matched') OR f.manager IS NULL)";

/// The furthest any confirmed pair of application `a` got. Two lookups by one column each,
/// rather than one with OR, so each uses its index on `matches`.
const PAIRED: &str = "COALESCE((SELECT MAX(CASE WHEN m.status = 'closed' THEN 2 ELSE 1 END) \
                       FROM matches m WHERE m.mentee_application_id = a.id AND m.confirmed_at IS NOT NULL), \
                       (SELECT MAX(CASE WHEN m.status = 'closed' THEN 2 ELSE 1 END) \
                       FROM matches m WHERE m.mentor_application_id = a.id AND m.confirmed_at IS NOT NULL), 0)";

/// Pushes the query counting the funnels of `characteristics` over `filter` and `window`: the
/// applications in scope are read once (with how far each got) into a materialised table,
/// then counted by each characteristic's answer in turn. The first column is the
/// characteristic's position in `characteristics`.
fn push_funnels<'q, DB>(
    query: &mut QueryBuilder<DB>,
    filter: &'q EqualityFilter,
    window: Window,
    characteristics: &[Characteristic],
) where
    DB: sqlx::Database,
    uuid::Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    OffsetDateTime: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    query.push("WITH f AS MATERIALIZED (SELECT a.status, a.approver_id AS manager, ");
    for characteristic in characteristics {
        query.push(column(*characteristic)).push(", ");
    }
    query
        .push(PAIRED)
        .push(
            " AS paired FROM applications a JOIN schemes s ON s.id = a.scheme_id \
             JOIN people ap ON ap.id = a.person_id \
             LEFT JOIN person_diversity d ON d.person_id = ap.id \
             WHERE s.organisation_id = ",
        )
        .push_bind(filter.scope.organisation.0);
    if let Some(scheme) = filter.scope.scheme {
        query.push(" AND s.id = ").push_bind(scheme.0);
    }
    if let Some(division) = &filter.scope.division {
        query
            .push(" AND ap.department = ")
            .push_bind(division.as_str());
    }
    if let Some(role) = filter.role {
        query.push(" AND a.role = ").push_bind(role.as_str());
    }
    query
        .push(" AND a.submitted_at >= ")
        .push_bind(window.start)
        .push(" AND a.submitted_at < ")
        .push_bind(window.end)
        .push(")");
    let count = |condition: &str| format!("SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)");
    for (position, characteristic) in characteristics.iter().enumerate() {
        if position > 0 {
            query.push(" UNION ALL");
        }
        // The table's column is the characteristic's own name, without `d.`.
        let answer = format!("f.{}", &column(*characteristic)[2..]);
        query
            .push(format!(
                " SELECT CAST({position} AS BIGINT), {answer}, COUNT(*), "
            ))
            .push(count(ELIGIBLE))
            .push(", ")
            .push(count(APPROVED))
            .push(", ")
            .push(count("f.paired > 0"))
            .push(", ")
            .push(count("f.paired > 1"))
            .push(format!(" FROM f GROUP BY {answer}"));
    }
}

/// A stored answer as a domain value (blank, which the store never writes, as none).
fn answer(column: &str, raw: Option<String>) -> Result<Option<Declaration>, StoreError> {
    raw.map(|raw| Declaration::parse_optional(&raw).map_err(|err| corrupt(column, err)))
        .transpose()
        .map(Option::flatten)
}

fn count(column: &str, raw: i64) -> Result<u64, StoreError> {
    u64::try_from(raw).map_err(|err| corrupt(column, err))
}

impl Tx {
    /// For each of `characteristics`, and each answer to it, how many applications submitted
    /// in `window` within `filter` reached each stage (see the module documentation). Answers
    /// nobody in scope gave have no row.
    pub async fn equality_funnels(
        &mut self,
        filter: &EqualityFilter,
        window: Window,
        characteristics: &[Characteristic],
    ) -> Result<Vec<(Characteristic, Vec<FunnelRow>)>, StoreError> {
        if characteristics.is_empty() {
            return Ok(Vec::new());
        }
        type Row = (i64, Option<String>, i64, i64, i64, i64, i64);
        let rows: Vec<Row> = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new("");
            push_funnels(&mut query, filter, window, characteristics);
            query.build_query_as().fetch_all(conn).await
        })?;
        let mut funnels: Vec<(Characteristic, Vec<FunnelRow>)> =
            characteristics.iter().map(|it| (*it, Vec::new())).collect();
        for (position, raw, applied, eligible, approved, matched, completed) in rows {
            let Some((characteristic, funnel)) = usize::try_from(position)
                .ok()
                .and_then(|it| funnels.get_mut(it))
            else {
                return Err(corrupt("equality funnel", format!("no table {position}")));
            };
            let mut stages: StageCounts = [0; STAGES];
            for (slot, raw) in stages
                .iter_mut()
                .zip([applied, eligible, approved, matched, completed])
            {
                *slot = count("equality funnel", raw)?;
            }
            funnel.push((answer(column(*characteristic), raw)?, stages));
        }
        Ok(funnels)
    }

    /// Every answer to each of `characteristics` given by anyone who ever applied to
    /// `organisation`'s schemes: the rows of its equality tables. Taken apart from any period
    /// or scope, so that a row being there says nothing about who applied when. (Not every
    /// person of the organisation: reading a whole force's answers for each table cost a second
    /// apiece.) The applicants' answers are read once, then each characteristic's told apart.
    pub async fn equality_answers(
        &mut self,
        organisation: OrganisationId,
        characteristics: &[Characteristic],
    ) -> Result<Vec<(Characteristic, Vec<Declaration>)>, StoreError> {
        if characteristics.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(i64, Option<String>)> = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new(
                "WITH r AS MATERIALIZED (SELECT DISTINCT d.* FROM applications a JOIN schemes s ON s.id = a.scheme_id JOIN person_diversity d ON d.person_id = a.person_id WHERE s.organisation_id = ",
            );
            query.push_bind(organisation.0).push(")");
            for (position, characteristic) in characteristics.iter().enumerate() {
                if position > 0 {
                    query.push(" UNION ALL");
                }
                let answer = format!("r.{}", &column(*characteristic)[2..]);
                query.push(format!(
                    " SELECT DISTINCT CAST({position} AS BIGINT), {answer} FROM r WHERE {answer} IS NOT NULL"
                ));
            }
            query.build_query_as().fetch_all(conn).await
        })?;
        let mut answers: Vec<(Characteristic, Vec<Declaration>)> =
            characteristics.iter().map(|it| (*it, Vec::new())).collect();
        for (position, raw) in rows {
            let Some((characteristic, given)) = usize::try_from(position)
                .ok()
                .and_then(|it| answers.get_mut(it))
            else {
                return Err(corrupt("equality answers", format!("no table {position}")));
            };
            given.extend(answer(column(*characteristic), raw)?);
        }
        Ok(answers)
    }

    /// The organisation's small-number threshold: the default until an administrator sets one.
    pub async fn equality_threshold(
        &mut self,
        organisation: OrganisationId,
    ) -> Result<Threshold, StoreError> {
        let sql = "SELECT suppression_threshold FROM equality_settings WHERE organisation_id = $1";
        let stored: Option<i64> = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(organisation.0)
            .fetch_optional(conn)
            .await)?;
        match stored {
            None => Ok(Threshold::default()),
            Some(raw) => u32::try_from(raw)
                .ok()
                .and_then(Threshold::new)
                .ok_or_else(|| {
                    corrupt(
                        "equality_settings.suppression_threshold",
                        format!("{raw} is not from 1 to {}", Threshold::MAX),
                    )
                }),
        }
    }

    /// Sets the organisation's small-number threshold, replacing any before.
    pub async fn save_equality_threshold(
        &mut self,
        organisation: OrganisationId,
        threshold: Threshold,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO equality_settings (organisation_id, suppression_threshold, updated_at) \
                   VALUES ($1, $2, $3) \
                   ON CONFLICT (organisation_id) DO UPDATE SET \
                   suppression_threshold = excluded.suppression_threshold, updated_at = excluded.updated_at";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(organisation.0)
            .bind(i64::from(threshold.get()))
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }
}

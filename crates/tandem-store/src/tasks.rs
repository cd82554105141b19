//! What waits for someone, counted for their home page's task list: aggregates in SQL over an
//! organisation's schemes, one query per kind of task, each narrowed to the applicants and pairs
//! the visitor may reach ([`TaskScope`], the store's form of `authz::reach`), so a count never
//! covers a row the list it links to would leave out.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use std::collections::HashMap;
use tandem_core::SchemeId;
use tandem_core::application::ApplicationStatus;
use tandem_core::eligibility::Role;
use tandem_core::pairing::MatchStatus;
use time::Date;
use uuid::Uuid;

/// Which schemes' applicants and pairs a count covers: `authz::reach` answered for each scheme,
/// the whole scheme or only the people of some divisions (a divisional champion's cohort).
#[derive(Debug, Clone, Copy, Default)]
pub struct TaskScope<'a> {
    /// Schemes counted whole.
    pub whole: &'a [SchemeId],
    /// Schemes counted only for people of `divisions`.
    pub by_division: &'a [SchemeId],
    /// The divisions of `by_division`.
    pub divisions: &'a [String],
}

impl TaskScope<'_> {
    fn is_empty(&self) -> bool {
        self.whole.is_empty() && (self.by_division.is_empty() || self.divisions.is_empty())
    }
}

/// Adds `AND (the scope)` to a query whose scheme column is `scheme` and whose person (the
/// applicant, or the pair's mentee) is joined as `p`.
fn push_scope<DB: sqlx::Database>(
    query: &mut sqlx::QueryBuilder<DB>,
    scheme: &str,
    scope: &TaskScope<'_>,
) where
    Uuid: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    String: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    query.push(" AND (1 = 0");
    if !scope.whole.is_empty() {
        query.push(format!(" OR {scheme} IN ("));
        let mut list = query.separated(", ");
        for id in scope.whole {
            list.push_bind(id.0);
        }
        query.push(")");
    }
    if !scope.by_division.is_empty() && !scope.divisions.is_empty() {
        query.push(format!(" OR ({scheme} IN ("));
        let mut list = query.separated(", ");
        for id in scope.by_division {
            list.push_bind(id.0);
        }
        query.push(") AND p.department IN (");
        let mut list = query.separated(", ");
        for division in scope.divisions {
            list.push_bind(division.clone());
        }
        query.push("))");
    }
    query.push(")");
}

/// Rows of (scheme, code, count) read into counts by scheme and code.
fn by_scheme_and_code(rows: Vec<(Uuid, String, i64)>) -> HashMap<(SchemeId, String), i64> {
    rows.into_iter()
        .map(|(scheme, code, count)| ((SchemeId(scheme), code), count))
        .collect()
}

/// Counts of one kind of task in each scheme, with the codes they were counted by.
#[derive(Debug, Clone, Default)]
pub struct Tally(HashMap<(SchemeId, String), i64>);

impl Tally {
    /// How many applications to `scheme` are in `status`.
    pub fn applications(&self, scheme: SchemeId, status: ApplicationStatus) -> i64 {
        self.get(scheme, status.as_str())
    }

    /// How many pairs of `scheme` are in `status`.
    pub fn pairs(&self, scheme: SchemeId, status: MatchStatus) -> i64 {
        self.get(scheme, status.as_str())
    }

    /// How many of `scheme`'s rows were counted under `code`.
    fn get(&self, scheme: SchemeId, code: &str) -> i64 {
        self.0.get(&(scheme, code.to_owned())).copied().unwrap_or(0)
    }
}

/// A scheme's training that a role must have done: the scheme, the role and the training's name.
#[derive(Debug, Clone)]
pub struct TrainingNeed {
    /// The scheme.
    pub scheme: SchemeId,
    /// The role that needs it.
    pub role: Role,
    /// The training, as completions record it.
    pub training: String,
}

impl Tx {
    /// Applications in any of `statuses` by scheme and status, within `scope`.
    pub async fn count_applications(
        &mut self,
        scope: &TaskScope<'_>,
        statuses: &[ApplicationStatus],
    ) -> Result<Tally, StoreError> {
        let codes: Vec<&str> = statuses.iter().map(|it| it.as_str()).collect();
        self.count_by_status(
            scope,
            "applications a JOIN people p ON p.id = a.person_id",
            "a",
            &codes,
        )
        .await
    }

    /// Pairs in any of `statuses` by scheme and status, within `scope` (by the mentee).
    pub async fn count_pairs(
        &mut self,
        scope: &TaskScope<'_>,
        statuses: &[MatchStatus],
    ) -> Result<Tally, StoreError> {
        let codes: Vec<&str> = statuses.iter().map(|it| it.as_str()).collect();
        self.count_by_status(
            scope,
            "matches m JOIN people p ON p.id = m.mentee_id",
            "m",
            &codes,
        )
        .await
    }

    /// Rows of `from` (aliased `alias`, its person `p`) whose status is one of `codes`, by
    /// scheme and status, within `scope`.
    async fn count_by_status(
        &mut self,
        scope: &TaskScope<'_>,
        from: &str,
        alias: &str,
        codes: &[&str],
    ) -> Result<Tally, StoreError> {
        if scope.is_empty() || codes.is_empty() {
            return Ok(Tally::default());
        }
        let rows: Vec<(Uuid, String, i64)> = on_backend!(self, |conn| {
            let mut query = sqlx::QueryBuilder::new(format!(
                "SELECT {alias}.scheme_id, {alias}.status, CAST(COUNT(*) AS BIGINT) FROM {from} \
                 WHERE {alias}.status IN ("
            ));
            let mut list = query.separated(", ");
            for code in codes {
                list.push_bind((*code).to_owned());
            }
            query.push(")");
            push_scope(&mut query, &format!("{alias}.scheme_id"), scope);
            query.push(format!(" GROUP BY {alias}.scheme_id, {alias}.status"));
            query.build_query_as().fetch_all(&mut *conn).await
        })?;
        Ok(Tally(by_scheme_and_code(rows)))
    }

    /// Approved applicants, by scheme, whose role needs training they have not completed by
    /// `on` (the training a coordinator records on the scheme's applications page), within
    /// `scope`. A need names its scheme, role and training; schemes with none are not counted.
    pub async fn count_training_due(
        &mut self,
        scope: &TaskScope<'_>,
        needs: &[TrainingNeed],
        on: Date,
    ) -> Result<HashMap<SchemeId, i64>, StoreError> {
        if scope.is_empty() || needs.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(Uuid, i64)> = on_backend!(self, |conn| {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT a.scheme_id, CAST(COUNT(*) AS BIGINT) FROM applications a \
                 JOIN people p ON p.id = a.person_id WHERE a.status = 'approved' AND (1 = 0",
            );
            for need in needs {
                query.push(" OR (a.scheme_id = ");
                query.push_bind(need.scheme.0);
                query.push(" AND a.role = ");
                query.push_bind(need.role.as_str().to_owned());
                query.push(
                    " AND NOT EXISTS (SELECT 1 FROM training_records t \
                     WHERE t.person_id = a.person_id AND t.training = ",
                );
                query.push_bind(need.training.clone());
                query.push(" AND t.completed_on <= ");
                query.push_bind(on);
                query.push("))");
            }
            query.push(")");
            push_scope(&mut query, "a.scheme_id", scope);
            query.push(" GROUP BY a.scheme_id");
            query.build_query_as().fetch_all(&mut *conn).await
        })?;
        Ok(rows
            .into_iter()
            .map(|(scheme, count)| (SchemeId(scheme), count))
            .collect())
    }

    /// Concerns without an outcome yet, by scheme, in `schemes`.
    pub async fn count_open_concerns(
        &mut self,
        schemes: &[SchemeId],
    ) -> Result<HashMap<SchemeId, i64>, StoreError> {
        if schemes.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(Uuid, i64)> = on_backend!(self, |conn| {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT scheme_id, CAST(COUNT(*) AS BIGINT) FROM concerns \
                 WHERE outcome IS NULL AND scheme_id IN (",
            );
            let mut list = query.separated(", ");
            for scheme in schemes {
                list.push_bind(scheme.0);
            }
            query.push(") GROUP BY scheme_id");
            query.build_query_as().fetch_all(&mut *conn).await
        })?;
        Ok(rows
            .into_iter()
            .map(|(scheme, count)| (SchemeId(scheme), count))
            .collect())
    }
}

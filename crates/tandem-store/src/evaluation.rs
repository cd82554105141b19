//! Evaluation results (R10.4): the answers of the relationships whose closing began in a
//! period, within a report's scope, and each scheme's theme list and the themes its written
//! answers are tagged with.
//!
//! Who was asked and who answered are counted in SQL. The answers themselves are read for the
//! filtered relationships only (a handful of answers per member, never another scheme's or
//! period's), and come out without the pair or the person: each member's answers carry only
//! their random `reference`, so nothing read here can be put to a name.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use crate::reports::{Counted, ReportFilter, Window, push_scope};
use sqlx::QueryBuilder;
use tandem_core::SchemeId;
use tandem_core::evaluation::{Theme, ThemeKey};
use tandem_core::relationship::Answers;
use time::OffsetDateTime;

/// One member's answers as results read them: no pair, no person, no date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswers {
    /// The random reference of the member's answers.
    pub reference: String,
    /// Whether they answered under the notice that their words may be read without a name.
    pub words_shared: bool,
    /// The answers.
    pub answers: Answers,
    /// The themes their written answers are tagged with: (question key, theme).
    pub themes: Vec<(String, ThemeKey)>,
}

/// Who was asked and who answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Response {
    /// Members of the relationships whose closing began in the window (two a relationship).
    pub members: u64,
    /// Those of them who answered.
    pub respondents: u64,
}

/// Pushes the relationships results cover: in `filter`'s scope, closing begun in `window`.
fn push_closing<'q, DB>(query: &mut QueryBuilder<DB>, filter: &'q ReportFilter, window: Window)
where
    DB: sqlx::Database,
    uuid::Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    OffsetDateTime: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    push_scope(query, filter, Counted::Pairs);
    query
        .push(" AND m.closing_started_at >= ")
        .push_bind(window.start)
        .push(" AND m.closing_started_at < ")
        .push_bind(window.end);
}

fn count(column: &str, raw: Option<i64>) -> Result<u64, StoreError> {
    u64::try_from(raw.unwrap_or(0)).map_err(|err| corrupt(column, err))
}

impl Tx {
    /// How many members the relationships whose closing began in `window` had, and how many
    /// of them answered the evaluation.
    pub async fn evaluation_response(
        &mut self,
        filter: &ReportFilter,
        window: Window,
    ) -> Result<Response, StoreError> {
        let (pairs, answered): (Option<i64>, Option<i64>) = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new(
                "SELECT CAST(COUNT(*) AS BIGINT), CAST(SUM((SELECT COUNT(*) FROM evaluation_answers e \
                 WHERE e.match_id = m.id)) AS BIGINT) FROM matches m",
            );
            push_closing(&mut query, filter, window);
            query.build_query_as().fetch_one(conn).await
        })?;
        Ok(Response {
            members: count("matches", pairs)?.saturating_mul(2),
            respondents: count("evaluation_answers", answered)?,
        })
    }

    /// The answers of the relationships whose closing began in `window`, each with its themes;
    /// in reference order, which says nothing of who answered when.
    pub async fn evaluation_answers_in(
        &mut self,
        filter: &ReportFilter,
        window: Window,
    ) -> Result<Vec<StoredAnswers>, StoreError> {
        let rows: Vec<(String, bool, String)> = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new(
                "SELECT e.reference, e.words_shared, e.answers FROM evaluation_answers e \
                 JOIN matches m ON m.id = e.match_id",
            );
            push_closing(&mut query, filter, window);
            query.push(" ORDER BY e.reference");
            query.build_query_as().fetch_all(conn).await
        })?;
        let tags: Vec<(String, String, String)> = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new(
                "SELECT e.reference, t.question, t.theme FROM evaluation_answer_themes t \
                 JOIN evaluation_answers e ON e.match_id = t.match_id AND e.person_id = t.person_id \
                 JOIN matches m ON m.id = e.match_id",
            );
            push_closing(&mut query, filter, window);
            query.push(" ORDER BY e.reference, t.question, t.theme");
            query.build_query_as().fetch_all(conn).await
        })?;
        let mut out = Vec::with_capacity(rows.len());
        for (reference, words_shared, json) in rows {
            let answers: Answers = serde_json::from_str(&json)
                .map_err(|err| corrupt("evaluation_answers.answers", err))?;
            let themes = tags
                .iter()
                .filter(|(it, _, _)| *it == reference)
                .map(|(_, question, theme)| {
                    ThemeKey::parse(theme)
                        .map(|key| (question.clone(), key))
                        .map_err(|err| corrupt("evaluation_answer_themes.theme", err.message))
                })
                .collect::<Result<Vec<_>, _>>()?;
            out.push(StoredAnswers {
                reference,
                words_shared,
                answers,
                themes,
            });
        }
        Ok(out)
    }

    /// A scheme's themes, in the order they were added.
    pub async fn evaluation_themes(&mut self, scheme: SchemeId) -> Result<Vec<Theme>, StoreError> {
        let sql = "SELECT theme, label FROM evaluation_themes WHERE scheme_id = $1 ORDER BY position, theme";
        let rows: Vec<(String, String)> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter()
            .map(|(key, label)| {
                ThemeKey::parse(&key)
                    .map(|key| Theme::stored(key, label))
                    .map_err(|err| corrupt("evaluation_themes.theme", err.message))
            })
            .collect()
    }

    /// Adds a theme at the end of a scheme's list; one with the same key is a `Conflict`.
    pub async fn insert_evaluation_theme(
        &mut self,
        scheme: SchemeId,
        theme: &Theme,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO evaluation_themes (scheme_id, theme, label, position, created_at) \
                   SELECT $1, $2, $3, COALESCE(MAX(position), 0) + 1, $4 FROM evaluation_themes WHERE scheme_id = $1";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(scheme.0)
            .bind(theme.key.as_str())
            .bind(theme.label.as_str())
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Takes a theme off a scheme's list, and off every answer tagged with it; whether it was
    /// there.
    pub async fn delete_evaluation_theme(
        &mut self,
        scheme: SchemeId,
        theme: &ThemeKey,
    ) -> Result<bool, StoreError> {
        let untag = "DELETE FROM evaluation_answer_themes WHERE scheme_id = $1 AND theme = $2";
        on_backend!(self, |conn| sqlx::query(untag)
            .bind(scheme.0)
            .bind(theme.as_str())
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        let sql = "DELETE FROM evaluation_themes WHERE scheme_id = $1 AND theme = $2";
        let deleted = on_backend!(self, |conn| sqlx::query(sql)
            .bind(scheme.0)
            .bind(theme.as_str())
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(deleted > 0)
    }

    /// The references of the answers to `scheme`'s evaluation: what a written answer's handle
    /// is checked against before it is tagged.
    pub async fn evaluation_references(
        &mut self,
        scheme: SchemeId,
    ) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT e.reference FROM evaluation_answers e JOIN matches m ON m.id = e.match_id \
                   WHERE m.scheme_id = $1";
        let rows: Vec<String> = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        Ok(rows)
    }

    /// Replaces the themes of one written answer (the answers with `reference`, to
    /// `question`) of `scheme`'s evaluation; whether there is such an answer.
    pub async fn save_answer_themes(
        &mut self,
        scheme: SchemeId,
        reference: &str,
        question: &str,
        themes: &[ThemeKey],
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let find = "SELECT e.match_id, e.person_id FROM evaluation_answers e \
                    JOIN matches m ON m.id = e.match_id WHERE m.scheme_id = $1 AND e.reference = $2";
        let found: Option<(uuid::Uuid, uuid::Uuid)> =
            on_backend!(self, |conn| sqlx::query_as(find)
                .bind(scheme.0)
                .bind(reference)
                .fetch_optional(conn)
                .await)?;
        let Some((pair, person)) = found else {
            return Ok(false);
        };
        let clear = "DELETE FROM evaluation_answer_themes WHERE match_id = $1 AND person_id = $2 AND question = $3";
        on_backend!(self, |conn| sqlx::query(clear)
            .bind(pair)
            .bind(person)
            .bind(question)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        let insert = "INSERT INTO evaluation_answer_themes (match_id, person_id, question, scheme_id, theme, tagged_at) \
                      VALUES ($1, $2, $3, $4, $5, $6)";
        for theme in themes {
            on_backend!(self, |conn| sqlx::query(insert)
                .bind(pair)
                .bind(person)
                .bind(question)
                .bind(scheme.0)
                .bind(theme.as_str())
                .bind(now)
                .execute(conn)
                .await
                .map(|done| done.rows_affected()))?;
        }
        Ok(true)
    }
}

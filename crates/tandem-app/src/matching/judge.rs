//! Judging pairs with the engine on a problem built by [`cohort::build`](super::cohort::build):
//! one pair for a pick, a request or a confirmation, or one mentee against every mentor for the
//! directory. Both go through [`judge_all`], so the directory lists exactly the mentors a
//! request to would be allowed.

use super::cohort::{self, Filter, violation_words};
use super::owner_of;
use crate::AppError;
use tandem_core::ApplicationId;
use tandem_core::application::Application;
use tandem_core::programme::Scheme;
use tandem_match as engine;
use tandem_store::Tx;
use time::OffsetDateTime;

/// Why a mentor may not be paired with the mentee.
#[derive(Debug, Clone)]
pub(crate) struct Barrier {
    /// The hard rule broken; `None` when the mentor may no longer take part at all.
    pub rule: Option<engine::HardRule>,
    /// In words, for a coordinator.
    pub words: String,
}

/// One mentee judged against mentors.
#[derive(Debug, Clone)]
pub(crate) struct Judged {
    /// Why the mentee cannot be matched at all, in words; empty when they can.
    pub mentee_refused: Vec<String>,
    /// Whether the mentee has done the training the scheme requires before matching.
    pub mentee_trained: bool,
    /// Each mentor judged: the pair's score, or every barrier.
    pub mentors: Vec<(ApplicationId, Result<engine::Breakdown, Vec<Barrier>>)>,
}

/// Judges `mentee` against `mentors` (every approved mentor when `None`, full or not: places
/// are the caller's to count).
pub(crate) async fn judge_all(
    tx: &mut Tx,
    scheme: &Scheme,
    mentee: &Application,
    mentors: Option<Vec<ApplicationId>>,
    now: OffsetDateTime,
) -> Result<Judged, AppError> {
    let owner = owner_of(tx, scheme).await?;
    let cohort = cohort::build(
        tx,
        scheme,
        &owner,
        &Filter {
            division: None,
            mentees: Some(vec![mentee.id]),
            mentors,
            keep_full_mentors: true,
            people_only: false,
        },
        now,
    )
    .await?;
    let refusals = |entrant: &cohort::Entrant, refusals: &[tandem_core::eligibility::Refusal]| {
        let name = entrant.person.record.full_name();
        refusals
            .iter()
            .map(|refusal| format!("{name}: {refusal}"))
            .collect::<Vec<_>>()
    };
    let mut judged = Judged {
        mentee_refused: Vec::new(),
        mentee_trained: false,
        mentors: Vec::new(),
    };
    for (entrant, reasons) in &cohort.excluded {
        let words = refusals(entrant, reasons);
        if entrant.application.id == mentee.id {
            judged.mentee_refused.extend(words);
        } else {
            judged.mentors.push((
                entrant.application.id,
                Err(words
                    .into_iter()
                    .map(|words| Barrier { rule: None, words })
                    .collect()),
            ));
        }
    }
    if cohort.mentees.len() != 1 {
        if judged.mentee_refused.is_empty() {
            judged.mentee_refused.push(
                "the mentee's application must be approved and waiting to be matched".to_owned(),
            );
        }
        return Ok(judged);
    }
    // Pins are steering for bulk runs; a single pair is judged on the rules alone.
    let mut spec = cohort.spec;
    spec.rules.pins.clear();
    let problem = engine::Problem::new(spec).map_err(|errors| {
        AppError::Conflict(format!(
            "the pair could not be judged: {}",
            errors
                .0
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })?;
    let Some(mentee_idx) = problem.mentee_index(&mentee.id.to_string()) else {
        return Err(AppError::Conflict(
            "the mentee could not be judged".to_owned(),
        ));
    };
    judged.mentee_trained = problem.mentee(mentee_idx).training_done;
    for entrant in &cohort.mentors {
        let Some(mentor_idx) = problem.mentor_index(&entrant.application.id.to_string()) else {
            continue;
        };
        let verdict = match engine::explain_pair(&problem, mentee_idx, mentor_idx) {
            engine::PairVerdict::Allowed(breakdown) => Ok(breakdown),
            engine::PairVerdict::Forbidden(violations) => Err(violations
                .iter()
                .map(|violation| Barrier {
                    rule: Some(violation.rule),
                    words: violation_words(violation),
                })
                .collect()),
        };
        judged.mentors.push((entrant.application.id, verdict));
    }
    Ok(judged)
}

/// Judges one pair with the engine: its score breakdown, or every hard rule it breaks (and
/// every reason either person may no longer take part).
pub(crate) async fn judge(
    tx: &mut Tx,
    scheme: &Scheme,
    mentee: &Application,
    mentor: &Application,
    now: OffsetDateTime,
) -> Result<engine::Breakdown, AppError> {
    let judged = judge_all(tx, scheme, mentee, Some(vec![mentor.id]), now).await?;
    let mut broken = judged.mentee_refused;
    match judged.mentors.into_iter().find(|(id, _)| *id == mentor.id) {
        Some((_, Ok(breakdown))) if broken.is_empty() => return Ok(breakdown),
        Some((_, Err(barriers))) => broken.extend(barriers.into_iter().map(|it| it.words)),
        Some((_, Ok(_))) => {}
        None => broken
            .push("the mentor's application must be approved and waiting to be matched".to_owned()),
    }
    Err(AppError::RuleBroken(broken))
}

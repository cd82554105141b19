//! What waits for someone, for their home page (issue 13): each staff role's tasks in the
//! schemes it looks after, counted in SQL and narrowed by the same reach as the lists they link
//! to; the line manager's authorisations; and an applicant's steps left ([`steps`]).
//!
//! A task either waits for the visitor (to decide, record, confirm, answer) or for someone else
//! (a line manager, a mentor); the two are kept apart so that nothing another person must do is
//! shown as the visitor's.

mod steps;

pub use steps::{Step, StepState, steps};

use crate::{App, AppError};
use tandem_core::application::ApplicationStatus;
use tandem_core::authz::{self, Action, Actor, ApplicationScope, Reach, authorize};
use tandem_core::pairing::MatchStatus;
use tandem_core::policy::MatchingMode;
use tandem_core::programme::Scheme;
use tandem_core::{OrganisationId, SchemeId};
use tandem_store::{TaskScope, TrainingNeed};

/// What waits in one scheme for a member of staff who looks after it, and what waits there on
/// someone else. A kind the scheme does not have (training it does not name, requests where
/// mentees do not choose) is `None`.
#[derive(Debug, Clone)]
pub struct SchemeTasks {
    /// The scheme.
    pub scheme: Scheme,
    /// Applications that came to the coordinator, to approve or decline.
    pub to_decide: i64,
    /// Approved applicants whose training is still to be recorded.
    pub training_to_record: Option<i64>,
    /// Proposed pairs to confirm (not where mentees choose their own mentor).
    pub proposals_to_confirm: Option<i64>,
    /// Concerns raised without an outcome yet, for the scheme's coordinators only.
    pub concerns_to_answer: Option<i64>,
    /// Applications waiting for the applicants' line managers.
    pub waiting_for_managers: i64,
    /// Mentees' requests waiting for a mentor's answer (where mentees choose).
    pub waiting_for_mentors: Option<i64>,
}

impl SchemeTasks {
    /// How many tasks wait for the visitor in this scheme.
    pub fn for_me(&self) -> i64 {
        self.to_decide
            + self.training_to_record.unwrap_or(0)
            + self.proposals_to_confirm.unwrap_or(0)
            + self.concerns_to_answer.unwrap_or(0)
    }
}

/// The schemes whose applicants `reach` covers, sorted into whole schemes and those counted by
/// division, with the divisions.
#[derive(Debug, Default)]
struct Scopes {
    whole: Vec<SchemeId>,
    by_division: Vec<SchemeId>,
    divisions: Vec<String>,
}

impl Scopes {
    fn add(&mut self, scheme: SchemeId, reach: Reach) {
        match reach {
            Reach::Scheme => self.whole.push(scheme),
            Reach::Divisions(divisions) => {
                self.by_division.push(scheme);
                // A person's divisional grants are the organisation's, the same for each scheme.
                self.divisions = divisions;
            }
            Reach::Nothing => {}
        }
    }

    fn scope(&self) -> TaskScope<'_> {
        TaskScope {
            whole: &self.whole,
            by_division: &self.by_division,
            divisions: &self.divisions,
        }
    }
}

/// What waits for `actor` in each of `organisation`'s schemes they look after, in the order
/// the schemes are listed; schemes they do not reach are left out. Counts only, no person's
/// record, so nothing is audited.
pub async fn staff(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
) -> Result<Vec<SchemeTasks>, AppError> {
    let today = app.clock.now().date();
    let mut tx = app.store.begin_read().await?;
    let mut schemes = Vec::new();
    let mut lists = Scopes::default();
    let mut matching = Scopes::default();
    let mut concerns = Vec::new();
    let mut needs = Vec::new();
    for scheme in tx.schemes_of(organisation).await? {
        let list = authorize(
            actor,
            &Action::ViewApplicationList {
                organisation,
                scheme: scheme.id,
            },
        );
        let reach = authz::reach(actor, organisation, scheme.id, false);
        if list.is_err() || reach == Reach::Nothing {
            continue;
        }
        // The matching board shows a divisional champion one division: the first they reach.
        matching.add(
            scheme.id,
            match &reach {
                Reach::Divisions(divisions) => {
                    Reach::Divisions(divisions.iter().take(1).cloned().collect())
                }
                other => other.clone(),
            },
        );
        lists.add(scheme.id, reach);
        let whole = ApplicationScope {
            organisation,
            scheme: scheme.id,
            division: None,
        };
        if authorize(actor, &Action::HandleConcerns(whole)).is_ok() {
            concerns.push(scheme.id);
        }
        let policy = &scheme.definition.policy;
        for role in [
            tandem_core::eligibility::Role::Mentor,
            tandem_core::eligibility::Role::Mentee,
        ] {
            if let Some(training) = tandem_core::training::required_training(policy, role) {
                needs.push(TrainingNeed {
                    scheme: scheme.id,
                    role,
                    training: training.trim().to_owned(),
                });
            }
        }
        schemes.push(scheme);
    }
    let applications = tx
        .count_applications(
            &lists.scope(),
            &[
                ApplicationStatus::AwaitingCoordinator,
                ApplicationStatus::AwaitingManager,
            ],
        )
        .await?;
    let training = tx.count_training_due(&lists.scope(), &needs, today).await?;
    let pairs = tx
        .count_pairs(
            &matching.scope(),
            &[MatchStatus::Proposed, MatchStatus::Requested],
        )
        .await?;
    let open_concerns = tx.count_open_concerns(&concerns).await?;
    tx.rollback().await?;
    Ok(schemes
        .into_iter()
        .map(|scheme| {
            let id = scheme.id;
            let chooses = scheme.definition.policy.matching == MatchingMode::SelfSelect;
            let trains = needs.iter().any(|need| need.scheme == id);
            SchemeTasks {
                to_decide: applications.applications(id, ApplicationStatus::AwaitingCoordinator),
                training_to_record: trains.then(|| training.get(&id).copied().unwrap_or(0)),
                proposals_to_confirm: (!chooses).then(|| pairs.pairs(id, MatchStatus::Proposed)),
                concerns_to_answer: concerns
                    .contains(&id)
                    .then(|| open_concerns.get(&id).copied().unwrap_or(0)),
                waiting_for_managers: applications
                    .applications(id, ApplicationStatus::AwaitingManager),
                waiting_for_mentors: chooses.then(|| pairs.pairs(id, MatchStatus::Requested)),
                scheme,
            }
        })
        .collect())
}

/// How many applications wait for the signed-in person's authorisation as line manager (the
/// list `applications::awaiting_my_decision` gives).
pub async fn to_authorise(app: &App, actor: &Actor) -> Result<i64, AppError> {
    let Some(manager) = actor.person() else {
        return Ok(0);
    };
    authorize(actor, &Action::DecideAsLineManager { manager })?;
    let mut tx = app.store.begin_read().await?;
    let count = tx.count_awaiting_manager(manager).await?;
    tx.rollback().await?;
    Ok(count)
}

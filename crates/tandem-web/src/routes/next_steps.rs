//! An applicant's steps in words, as a GOV.UK task list shows them: on the home page (the next
//! step), on Your mentoring (the steps left) and on the confirmation after applying.

use tandem_app::applications::OwnApplication;
use tandem_app::tasks::{Step, StepState};
use tandem_core::eligibility::Role;

/// One step as a task list row shows it.
#[derive(Debug, Clone)]
pub(crate) struct StepView {
    /// What the step is.
    pub(crate) name: String,
    /// What it means, when the name alone does not say.
    pub(crate) hint: Option<String>,
    /// Where to act, when it is the applicant's to do.
    pub(crate) href: Option<String>,
    /// Where it stands, in words.
    pub(crate) status: &'static str,
    /// The applicant's to do: shown as a tag rather than plain text.
    pub(crate) to_do: bool,
    /// Done.
    pub(crate) done: bool,
}

/// Where the steps of `own` link: its place on Your mentoring, or the directory.
fn links(own: &OwnApplication) -> (String, String) {
    let id = own.application.id;
    (
        format!("/applications#application-{id}"),
        format!(
            "/organisations/{}/schemes/{}/directory",
            own.organisation, own.scheme.definition.key
        ),
    )
}

/// The words of `steps`, the steps of `own`.
pub(crate) fn views(own: &OwnApplication, steps: &[Step]) -> Vec<StepView> {
    let (here, directory) = links(own);
    let mentor = own.application.role == Role::Mentor;
    steps
        .iter()
        .map(|step| {
            let state = step.state();
            let (name, hint, href, waiting) = match step {
                Step::Apply => ("Send your application".to_owned(), None, None, ""),
                Step::ManagerAuthorises(_) => (
                    "Your line manager authorises your application".to_owned(),
                    Some("They are emailed a request; you are told when they answer.".to_owned()),
                    None,
                    "Waiting for your line manager",
                ),
                Step::CoordinatorDecides(_) => (
                    "The programme coordinator decides your application".to_owned(),
                    Some("Your line manager is not asked.".to_owned()),
                    None,
                    "Waiting for the coordinator",
                ),
                Step::AcceptEthics(_) => (
                    "Accept the ethics statement".to_owned(),
                    None,
                    Some(here.clone()),
                    "",
                ),
                Step::Training {
                    name,
                    before_matching,
                    ..
                } => (
                    format!("Complete your training: {name}"),
                    Some(if *before_matching {
                        "You are matched only once it is recorded. Book a workshop on Your mentoring.".to_owned()
                    } else {
                        "Book a workshop on Your mentoring.".to_owned()
                    }),
                    Some("/applications#training".to_owned()),
                    "",
                ),
                Step::Matched { chooses: true, .. } => (
                    "Choose your mentor from the directory of mentors".to_owned(),
                    Some("The mentor you ask accepts or declines.".to_owned()),
                    Some(directory.clone()),
                    "Waiting for the mentor to answer",
                ),
                Step::Matched { chooses: false, .. } if mentor => (
                    "Be matched with a mentee".to_owned(),
                    Some("You are emailed when a pair is confirmed.".to_owned()),
                    None,
                    "Waiting to be matched",
                ),
                Step::Matched { chooses: false, .. } => (
                    "Be matched with a mentor".to_owned(),
                    Some("The coordinator matches mentees in waiting-list order; you are emailed when a pair is confirmed.".to_owned()),
                    None,
                    "Waiting for the coordinator",
                ),
            };
            StepView {
                name,
                hint,
                href: (state == StepState::ToDo).then_some(href).flatten(),
                status: match state {
                    StepState::Done => "Completed",
                    StepState::ToDo => "To do",
                    StepState::Waiting => waiting,
                    StepState::NotYet => "Cannot start yet",
                },
                to_do: state == StepState::ToDo,
                done: state == StepState::Done,
            }
        })
        .collect()
}

/// The first step not done yet, if any.
pub(crate) fn next(views: &[StepView]) -> Option<&StepView> {
    views.iter().find(|it| !it.done)
}

/// The steps of `own` in words, from what the applicant's own pages read: their training
/// records and their pairs (a request of theirs waiting for a mentor).
pub(crate) fn of(
    own: &OwnApplication,
    records: &[tandem_core::training::TrainingRecord],
    pairs: &[tandem_app::relationships::OwnMatch],
    today: time::Date,
) -> Vec<StepView> {
    let policy = &own.scheme.definition.policy;
    let trained = tandem_core::training::required_training(policy, own.application.role)
        .is_some_and(|name| {
            records
                .iter()
                .any(|it| it.training == name.trim() && it.completed_on <= today)
        });
    let request_pending = pairs.iter().any(|pair| {
        pair.role == Role::Mentee
            && pair.view.pair.mentee_application == own.application.id
            && pair.view.pair.status == tandem_core::pairing::MatchStatus::Requested
    });
    views(
        own,
        &tandem_app::tasks::steps(own, trained, request_pending),
    )
}

//! An applicant's steps from applying to being matched, each done, theirs to do, waiting on
//! someone else, or not yet possible: what "Your mentoring" and the confirmation after applying
//! show. Worked out from the application and the scheme's policy alone.

use crate::applications::OwnApplication;
use tandem_core::application::{self, ApplicationStatus};
use tandem_core::eligibility::Role;
use tandem_core::policy::MatchingMode;

/// Where one step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    /// Done.
    Done,
    /// The applicant's to do now.
    ToDo,
    /// Someone else's to do: the line manager, the coordinator, a mentor.
    Waiting,
    /// Waits for an earlier step.
    NotYet,
}

/// One step of an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The application is sent.
    Apply,
    /// The line manager authorises it.
    ManagerAuthorises(StepState),
    /// The coordinator decides it (the confidential route, or no line manager).
    CoordinatorDecides(StepState),
    /// The applicant accepts the ethics statement.
    AcceptEthics(StepState),
    /// The applicant completes the scheme's training; `before_matching` when matching waits
    /// for it.
    Training {
        /// The training, by name.
        name: String,
        /// Matching waits for it.
        before_matching: bool,
        /// Where it stands.
        state: StepState,
    },
    /// The applicant is matched: by the coordinator, or by choosing a mentor (`chooses`).
    Matched {
        /// The applicant is a mentee who chooses their own mentor from the directory.
        chooses: bool,
        /// Where it stands.
        state: StepState,
    },
}

impl Step {
    /// Where the step stands.
    pub fn state(&self) -> StepState {
        match self {
            Self::Apply => StepState::Done,
            Self::ManagerAuthorises(state)
            | Self::CoordinatorDecides(state)
            | Self::AcceptEthics(state)
            | Self::Training { state, .. }
            | Self::Matched { state, .. } => *state,
        }
    }
}

/// The steps of `own`, in order, given whether the applicant has completed the scheme's
/// training and whether a request of theirs waits for a mentor's answer. An application that
/// was declined or withdrawn has none: it ended.
pub fn steps(own: &OwnApplication, trained: bool, request_pending: bool) -> Vec<Step> {
    let application = &own.application;
    let policy = &own.scheme.definition.policy;
    let status = application.status;
    if !status.is_open() {
        return Vec::new();
    }
    let decided = !status.is_awaiting_decision();
    let decision = |awaiting: ApplicationStatus| {
        if decided {
            StepState::Done
        } else if status == awaiting {
            StepState::Waiting
        } else {
            StepState::NotYet
        }
    };
    let mut out = vec![Step::Apply];
    if application.approver.is_some() && !application.confidential {
        out.push(Step::ManagerAuthorises(decision(
            ApplicationStatus::AwaitingManager,
        )));
    } else if policy.line_manager_approval || status == ApplicationStatus::AwaitingCoordinator {
        out.push(Step::CoordinatorDecides(decision(
            ApplicationStatus::AwaitingCoordinator,
        )));
    }
    let mut ready = true;
    if policy.ethics_acknowledgement_required {
        let state = if !application::ethics_due(policy, application) {
            StepState::Done
        } else {
            ready = false;
            StepState::ToDo
        };
        out.push(Step::AcceptEthics(state));
    }
    if let Some(name) = tandem_core::training::required_training(policy, application.role) {
        let before_matching = tandem_core::training::blocks_matching(policy, application.role);
        let state = if trained {
            StepState::Done
        } else {
            ready &= !before_matching;
            StepState::ToDo
        };
        out.push(Step::Training {
            name: name.trim().to_owned(),
            before_matching,
            state,
        });
    }
    let chooses = application.role == Role::Mentee && policy.matching == MatchingMode::SelfSelect;
    let matched = match application.role {
        Role::Mentee => status == ApplicationStatus::Matched,
        Role::Mentor => own.places.is_some_and(|(taken, _)| taken > 0),
    };
    let state = if matched {
        StepState::Done
    } else if !decided || !ready {
        StepState::NotYet
    } else if chooses && !request_pending {
        StepState::ToDo
    } else {
        StepState::Waiting
    };
    out.push(Step::Matched { chooses, state });
    out
}

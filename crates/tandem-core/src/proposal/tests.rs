//! Background proposals: a silent server counts as stopped, progress in whole percent, codes round-trip.

use super::*;
use time::macros::datetime;

fn job(state: ProposalState, heartbeat_at: OffsetDateTime) -> ProposalJob {
    ProposalJob {
        id: uuid::Uuid::nil(),
        scheme: SchemeId(uuid::Uuid::nil()),
        division: None,
        requested_by: "person:x".to_owned(),
        requested_at: heartbeat_at,
        state,
        stage: ProposalStage::Routing,
        done: 30,
        total: 120,
        cancel_requested: false,
        heartbeat_at,
        finished_at: None,
        failure: None,
    }
}

#[test]
fn a_running_job_whose_server_went_silent_counts_as_interrupted() {
    let beat = datetime!(2026-12-01 10:00 UTC);
    let it = job(ProposalState::Running, beat);
    assert!(it.is_running(beat + time::Duration::seconds(59)));
    assert_eq!(
        it.state_at(beat + time::Duration::seconds(61)),
        ProposalState::Interrupted
    );
    assert_eq!(
        job(ProposalState::Done, beat).state_at(beat + time::Duration::hours(1)),
        ProposalState::Done
    );
}

#[test]
fn progress_is_a_whole_percentage_of_the_stage() {
    let it = job(ProposalState::Running, datetime!(2026-12-01 10:00 UTC));
    assert_eq!(it.percent(), 25);
    assert_eq!(
        ProposalJob {
            total: 0,
            ..it.clone()
        }
        .percent(),
        0
    );
    assert_eq!(ProposalJob { done: 500, ..it }.percent(), 100);
}

#[test]
fn every_code_round_trips_through_its_token() {
    for state in ProposalState::ALL {
        assert_eq!(ProposalState::parse(state.as_str()), Some(*state));
    }
    for stage in ProposalStage::ALL {
        assert_eq!(ProposalStage::parse(stage.as_str()), Some(*stage));
    }
    for failure in ProposalFailure::ALL {
        assert_eq!(ProposalFailure::parse(failure.as_str()), Some(*failure));
    }
    assert_eq!(ProposalState::parse("finished"), None);
}

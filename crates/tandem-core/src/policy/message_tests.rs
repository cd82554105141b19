//! Policy messages are read by administrators: words, never the programme file's keys.

use super::*;

/// A word only the programme file knows: a key with an underscore, or dotted like `a.b`.
fn code_like(message: &str) -> Option<&str> {
    message
        .split(|c: char| c.is_whitespace() || "(),;:'\"".contains(c))
        .map(|word| word.trim_end_matches('.'))
        .find(|word| {
            word.contains('_')
                || (word.contains('.')
                    && word
                        .split('.')
                        .all(|part| part.chars().next().is_some_and(char::is_alphabetic)))
        })
}

fn scheme(key: &str) -> SchemePolicy {
    crate::programme::presets::load("cleveland")
        .and_then(Result::ok)
        .and_then(|it| it.schemes.into_iter().find(|it| it.key.as_ref() == key))
        .map(|it| it.policy)
        .expect("the cleveland preset has the scheme")
}

#[test]
fn every_policy_message_is_in_words_without_codes() {
    let mut reverse = scheme("reverse");
    reverse.max_mentees_per_mentor = 0;
    reverse.review_every_nth_meeting = Some(30);
    reverse.sessions = Bounds {
        min: Some(9),
        max: Some(6),
    };
    reverse.care.first_meeting_escalate_days = 1;
    reverse.weights = MatchWeights {
        topics: 0,
        location: 0,
        rank: 0,
        experience: 0,
        availability: 0,
        preference: 0,
        diversity: 0,
    };
    reverse.rank_direction = RankDirection::Any;
    reverse.min_levels_apart = Some(3);
    reverse.max_levels_apart = Some(1);
    reverse.rank_gap_points = [("far".to_owned(), 150), ("1".to_owned(), 150)].into();
    reverse.different_organisation = true;
    reverse.cross_force = false;
    reverse.organisational_need_required = false;
    reverse.training.name = String::new();
    reverse.training.mentor_required = true;
    reverse.training.mentee_required = false;
    reverse.training.joint = true;
    reverse.matching = MatchingMode::SelfSelect;
    reverse.eligibility.mentee.invitation_only = true;
    reverse.eligibility.mentee.role_types.clear();
    reverse.eligibility.mentee.employment_statuses.clear();
    reverse.eligibility.mentor.self_declared_gender = vec![" ".to_owned()];
    reverse.eligibility.mentor.rank_bands = vec!["gone".to_owned()];
    let mut peer = scheme("traditional");
    peer.kind = SchemeKind::Peer;
    peer.rank_direction = RankDirection::MentorSenior;
    peer.training.mentor_required = false;
    peer.training.mentee_required = false;
    peer.training.before_matching = true;

    let mut problems = reverse.problems();
    problems.extend(reverse.problems_in(&RankBands::uk_policing()));
    problems.extend(peer.problems());
    let fields: std::collections::BTreeSet<&str> =
        problems.iter().map(|it| it.field.as_str()).collect();
    // Enough of the rules to be sure the messages checked are the ones an editor shows.
    for field in [
        "rank_direction",
        "organisational_need_required",
        "training.joint",
        "training.before_matching",
        "matching",
        "different_organisation",
        "max_levels_apart",
        "sessions",
        "weights",
        "eligibility.mentee.role_types",
        "eligibility.mentor.rank_bands",
    ] {
        assert!(
            fields.contains(field),
            "no problem for {field}: {problems:?}"
        );
    }
    for problem in &problems {
        assert_eq!(
            code_like(&problem.message),
            None,
            "{}: {}",
            problem.field,
            problem.message
        );
    }
    assert_eq!(code_like("use mentor_junior"), Some("mentor_junior"));
    assert_eq!(code_like("see rules.forbids[0]"), Some("rules.forbids[0]"));
    assert_eq!(code_like("allowed 0.5 to 1. Then stop"), None);
}

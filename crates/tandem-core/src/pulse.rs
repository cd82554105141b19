//! Pulse check-ins (R11.1): each member of an active relationship is asked, now and then, how it
//! is going: a score from 1 to 5 and, if they like, a comment. The score is theirs to give the
//! coordinators; the comment stays private unless they choose to share it. From the scores the
//! coordinators see a trend and an "at risk" flag, so a pair drifting apart is noticed before it
//! stops meeting.
//!
//! Check-ins come in rounds counted from the day the relationship went active: the first opens
//! `pulse_first_days` after it, each next one `pulse_every_days` later, and each stays open
//! until the next opens. A round is the occasion of its reminder and of its answers (one answer
//! per member per round).

use crate::application::{FormProblem, TextLimit, written};
use crate::codes::codes;
use crate::ids::{MatchId, PersonId};
use crate::reminder::CarePolicy;
use std::collections::BTreeMap;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

/// A check-in score: 1 (going badly) to 5 (going very well).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(u8);

impl Score {
    /// The lowest score.
    pub const LOWEST: u8 = 1;
    /// The highest score.
    pub const HIGHEST: u8 = 5;

    /// A score from its number, when it is one.
    pub fn new(value: u8) -> Option<Self> {
        (Self::LOWEST..=Self::HIGHEST)
            .contains(&value)
            .then_some(Self(value))
    }

    /// The number.
    pub fn get(self) -> u8 {
        self.0
    }

    /// Words for the score, as the form offers it.
    pub fn describe(self) -> &'static str {
        match self.0 {
            1 => "1: going badly",
            2 => "2: not going well",
            3 => "3: all right",
            4 => "4: going well",
            _ => "5: going very well",
        }
    }

    /// Every score, lowest first.
    pub fn all() -> impl Iterator<Item = Self> {
        (Self::LOWEST..=Self::HIGHEST).map(Self)
    }
}

/// The day round `round` (from 1) opens for a relationship that went active on `started_on`.
pub fn round_opens(care: &CarePolicy, started_on: Date, round: u32) -> Date {
    let days = i64::from(care.pulse_first_days)
        + i64::from(round.saturating_sub(1)) * i64::from(care.pulse_every_days);
    started_on.saturating_add(Duration::days(days))
}

/// The round open on `today` for a relationship that went active on `started_on`, if one has
/// opened (none when the scheme asks for no check-ins).
pub fn open_round(care: &CarePolicy, started_on: Date, today: Date) -> Option<u32> {
    if !care.pulse_enabled() {
        return None;
    }
    let since = (today - started_on).whole_days() - i64::from(care.pulse_first_days);
    if since < 0 {
        return None;
    }
    let every = i64::from(care.pulse_every_days.max(1));
    u32::try_from(since / every + 1).ok()
}

/// A member's answer to a check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulse {
    /// Its id.
    pub id: Uuid,
    /// The relationship.
    pub pair: MatchId,
    /// Who answered (one of the pair).
    pub person: PersonId,
    /// The round it answers.
    pub round: u32,
    /// The score.
    pub score: Score,
    /// The private comment ("" when none).
    pub comment: String,
    /// The member lets the coordinators read the comment.
    pub shared: bool,
    /// When.
    pub answered_at: OffsetDateTime,
}

/// A check-in as its member fills it in, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PulseAnswer {
    /// The score.
    pub score: Score,
    /// The comment, trimmed ("" when none).
    pub comment: String,
    /// Share the comment with the coordinators.
    pub shared: bool,
}

/// Parses a check-in form: every problem at its field. Sharing is refused without a comment,
/// so nobody believes they told the coordinators something they did not write.
pub fn parse_answer(
    score: &str,
    comment: &str,
    share: &str,
) -> Result<PulseAnswer, Vec<FormProblem>> {
    let mut problems = Vec::new();
    let score = score.trim().parse::<u8>().ok().and_then(Score::new);
    if score.is_none() {
        problems.push(FormProblem::at(
            "score",
            "choose how the mentoring is going, from 1 (going badly) to 5 (going very well)",
        ));
    }
    let comment = written("comment", comment, TextLimit::Note, None)
        .map_err(|problem| problems.push(problem))
        .ok();
    let shared = match share.trim() {
        "" | "no" => Some(false),
        "yes" => Some(true),
        _ => {
            problems.push(FormProblem::at(
                "share",
                "choose whether the coordinator may read your comment",
            ));
            None
        }
    };
    if shared == Some(true) && comment.as_deref() == Some("") {
        problems.push(FormProblem::at(
            "comment",
            "write the comment you want to share with the coordinator, or choose not to share",
        ));
    }
    match (score, comment, shared) {
        (Some(score), Some(comment), Some(shared)) if problems.is_empty() => Ok(PulseAnswer {
            score,
            comment,
            shared,
        }),
        _ => Err(problems),
    }
}

codes! {
    /// Why the check-ins say a relationship is at risk.
    Risk {
        /// A member's latest score is low.
        Low => "low", "a low score at the latest check-in";
        /// A member's scores are falling.
        Falling => "falling", "falling scores";
        /// A member has not answered the last two check-ins.
        Silent => "silent", "no answer to two check-ins in a row";
    }
}

/// Why a member's check-ins put the relationship at risk, from their scores by round and the
/// round open now (`open`; `None` before the first). Low: the latest score is at or under the
/// policy's `pulse_low_score`. Falling: the latest score is two or more under the one before,
/// or it fell at each of the last two check-ins. Silent: the two rounds before the open one
/// went unanswered and the open one is not answered yet.
pub fn member_risks(
    care: &CarePolicy,
    scores: &BTreeMap<u32, Score>,
    open: Option<u32>,
) -> Vec<Risk> {
    let mut out = Vec::new();
    let answered: Vec<u8> = scores.values().map(|it| it.get()).collect();
    if let Some(&latest) = answered.last() {
        if latest <= care.pulse_low_score {
            out.push(Risk::Low);
        }
        let falling = match answered.as_slice() {
            [.., before, previous, latest] => {
                *latest + 2 <= *previous || (latest < previous && previous < before)
            }
            [previous, latest] => *latest + 2 <= *previous,
            _ => false,
        };
        if falling {
            out.push(Risk::Falling);
        }
    }
    if let Some(open) = open
        && open >= 3
        && [open, open - 1, open - 2]
            .iter()
            .all(|round| !scores.contains_key(round))
    {
        out.push(Risk::Silent);
    }
    out
}

/// Why a relationship is at risk: what either member's check-ins say, each reason once.
pub fn relationship_risks(
    care: &CarePolicy,
    mentor: &BTreeMap<u32, Score>,
    mentee: &BTreeMap<u32, Score>,
    open: Option<u32>,
) -> Vec<Risk> {
    let mut out = member_risks(care, mentor, open);
    for risk in member_risks(care, mentee, open) {
        if !out.contains(&risk) {
            out.push(risk);
        }
    }
    out.sort_by_key(|it| Risk::ALL.iter().position(|all| all == it));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn scores(pairs: &[(u32, u8)]) -> BTreeMap<u32, Score> {
        pairs
            .iter()
            .map(|(round, score)| (*round, Score::new(*score).expect("a score")))
            .collect()
    }

    #[test]
    fn rounds_open_thirty_days_after_the_start_then_every_sixty() {
        let care = CarePolicy::default();
        let started = date!(2027 - 03 - 01);
        let open = |day: i64| open_round(&care, started, started + Duration::days(day));
        assert_eq!(open(0), None);
        assert_eq!(open(29), None);
        assert_eq!(open(30), Some(1));
        assert_eq!(open(89), Some(1));
        assert_eq!(open(90), Some(2));
        assert_eq!(open(150), Some(3));
        assert_eq!(round_opens(&care, started, 1), date!(2027 - 03 - 31));
        assert_eq!(round_opens(&care, started, 3), date!(2027 - 07 - 29));
        let off = CarePolicy {
            pulse_first_days: 0,
            ..care
        };
        assert_eq!(
            open_round(&off, started, started + Duration::days(400)),
            None
        );
    }

    #[test]
    fn the_reasons_a_relationship_is_at_risk() {
        let care = CarePolicy::default();
        /// A member's answers (round, score), the round open, and the reasons expected.
        type Case = (&'static [(u32, u8)], Option<u32>, &'static [Risk]);
        let cases: &[Case] = &[
            (&[], None, &[]),
            (&[(1, 4), (2, 4)], Some(2), &[]),
            (&[(1, 2)], Some(1), &[Risk::Low]),
            (&[(1, 3), (2, 2)], Some(3), &[Risk::Low]),
            (&[(1, 5), (2, 3)], Some(2), &[Risk::Falling]),
            (&[(1, 5), (2, 4), (3, 3)], Some(3), &[Risk::Falling]),
            (&[(1, 5), (2, 4), (3, 4)], Some(3), &[]),
            (&[(1, 5), (2, 4)], Some(2), &[]),
            // Two closed rounds without an answer, and none yet to the open one.
            (&[(1, 4)], Some(4), &[Risk::Silent]),
            (&[(1, 4)], Some(3), &[]),
            (&[(1, 4), (4, 4)], Some(4), &[]),
            (&[], Some(3), &[Risk::Silent]),
            (
                &[(1, 4), (2, 1)],
                Some(5),
                &[Risk::Low, Risk::Falling, Risk::Silent],
            ),
        ];
        for (answers, open, want) in cases {
            assert_eq!(
                member_risks(&care, &scores(answers), *open),
                *want,
                "answers {answers:?} with round {open:?} open"
            );
        }
    }

    #[test]
    fn either_member_puts_the_relationship_at_risk() {
        let care = CarePolicy::default();
        let fine = scores(&[(1, 4), (2, 5)]);
        let low = scores(&[(1, 4), (2, 1)]);
        assert_eq!(
            relationship_risks(&care, &fine, &low, Some(2)),
            [Risk::Low, Risk::Falling]
        );
        assert_eq!(relationship_risks(&care, &fine, &fine, Some(2)), []);
    }

    #[test]
    fn an_answer_is_parsed_with_every_problem_at_its_field() {
        let ok = parse_answer("4", "  Good progress  ", "").expect("a good answer");
        assert_eq!(ok.score.get(), 4);
        assert_eq!(ok.comment, "Good progress");
        assert!(!ok.shared);
        assert!(
            parse_answer("2", "Tell them", "yes")
                .expect("shared")
                .shared
        );
        let fields = |score: &str, comment: &str, share: &str| -> Vec<&'static str> {
            parse_answer(score, comment, share)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|it| it.field)
                .collect()
        };
        assert_eq!(fields("", "", ""), ["score"]);
        assert_eq!(fields("6", "", ""), ["score"]);
        assert_eq!(fields("0", "", "maybe"), ["score", "share"]);
        assert_eq!(fields("3", "", "yes"), ["comment"]);
        assert_eq!(fields("3", &"x".repeat(4001), ""), ["comment"]);
    }
}

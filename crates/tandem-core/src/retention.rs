//! Retention of records (R8.3): how long an organisation keeps each kind of record after the
//! event that ends its use, and the moment a record must be older than to be disposed of.
//!
//! Disposal takes the content and keeps the register: who took part in which scheme, in which
//! role, from when to when and how it ended, and the counts and scores the reports are made of.
//! So a relationship's meetings stay (when, how long, held or not) while what was said in them
//! goes; an evaluation keeps its scores and loses its words.

use crate::application::FormProblem;
use crate::codes::codes;
use crate::relationship::months_before;
use time::OffsetDateTime;

codes! {
    /// A kind of record with a retention schedule of its own.
    RecordKind {
        /// What a pair wrote (session notes, goals, actions, reviews, check-in comments, flag
        /// reasons) and where they met, once the relationship has closed or ended early.
        PairContent => "pair_content", "session notes, goals, actions and reviews";
        /// What an applicant wrote in an application that was declined or withdrawn.
        EndedApplications => "ended_applications", "applications declined or withdrawn";
        /// The words of evaluation answers (their scores stay for the reports).
        EvaluationText => "evaluation_text", "evaluation free-text answers";
        /// A person's diversity answers, kept while they are employed.
        Diversity => "diversity", "diversity answers";
    }
}

impl RecordKind {
    /// The months it is kept unless the organisation says otherwise; `None` for diversity
    /// answers, kept exactly while the person is employed.
    pub fn default_months(self) -> Option<Months> {
        match self {
            Self::PairContent => Some(Months(12)),
            Self::EndedApplications => Some(Months(6)),
            Self::EvaluationText => Some(Months(24)),
            Self::Diversity => None,
        }
    }

    /// What its months are counted from, in words.
    pub fn counted_from(self) -> &'static str {
        match self {
            Self::PairContent => "after the relationship closed or ended",
            Self::EndedApplications => "after the decision or the withdrawal",
            Self::EvaluationText => "after the answers were given",
            Self::Diversity => {
                "while the person is employed: disposed of once HR records them as having left"
            }
        }
    }

    /// The form field of its months on the settings page.
    pub fn field(self) -> &'static str {
        self.as_str()
    }

    /// The kinds whose months an organisation sets.
    pub fn with_months() -> impl Iterator<Item = Self> {
        Self::ALL
            .iter()
            .copied()
            .filter(|kind| kind.default_months().is_some())
    }
}

/// A whole number of months a record is kept, from 0 (disposed of at the next run) to
/// [`Months::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Months(u32);

impl Months {
    /// Ten years: longer than any mentoring record is needed.
    pub const MAX: u32 = 120;

    /// Months from their number, when it is from 0 to [`Self::MAX`].
    pub fn new(value: u32) -> Option<Self> {
        (value <= Self::MAX).then_some(Self(value))
    }

    /// Parses what an administrator typed.
    pub fn parse(raw: &str) -> Result<Self, String> {
        raw.trim()
            .parse::<u32>()
            .ok()
            .and_then(Self::new)
            .ok_or_else(|| format!("enter a whole number of months from 0 to {}", Self::MAX))
    }

    /// The number.
    pub fn get(self) -> u32 {
        self.0
    }
}

/// An organisation's retention schedule: the months each kind of record is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Session notes, goals, actions and reviews, after the relationship ended.
    pub pair_content: Months,
    /// Declined and withdrawn applications, after the decision.
    pub ended_applications: Months,
    /// Evaluation free text, after it was given.
    pub evaluation_text: Months,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            pair_content: Months(12),
            ended_applications: Months(6),
            evaluation_text: Months(24),
        }
    }
}

impl Retention {
    /// The months `kind` is kept; `None` for diversity answers (kept while employed).
    pub fn months(&self, kind: RecordKind) -> Option<Months> {
        match kind {
            RecordKind::PairContent => Some(self.pair_content),
            RecordKind::EndedApplications => Some(self.ended_applications),
            RecordKind::EvaluationText => Some(self.evaluation_text),
            RecordKind::Diversity => None,
        }
    }

    /// The schedule with `kind` kept for `months` (diversity answers cannot be changed).
    pub fn with(mut self, kind: RecordKind, months: Months) -> Self {
        match kind {
            RecordKind::PairContent => self.pair_content = months,
            RecordKind::EndedApplications => self.ended_applications = months,
            RecordKind::EvaluationText => self.evaluation_text = months,
            RecordKind::Diversity => {}
        }
        self
    }

    /// Records of `kind` whose event (a relationship's end, a decision, an answer) came before
    /// this moment are due for disposal at `now`; `None` for diversity answers, due as soon as
    /// the person has left.
    pub fn due_before(&self, kind: RecordKind, now: OffsetDateTime) -> Option<OffsetDateTime> {
        let months = self.months(kind)?;
        Some(now.replace_date(months_before(now.date(), months.get())))
    }

    /// Parses the settings form (a field per kind with months, named by [`RecordKind::field`]),
    /// every problem at its field.
    pub fn parse(raw: impl Fn(&str) -> String) -> Result<Self, Vec<FormProblem>> {
        let mut retention = Self::default();
        let mut problems = Vec::new();
        for kind in RecordKind::with_months() {
            match Months::parse(&raw(kind.field())) {
                Ok(months) => retention = retention.with(kind, months),
                Err(message) => problems.push(FormProblem::at(
                    kind.field(),
                    format!("{}: {message}", capitalised(kind.describe())),
                )),
            }
        }
        if problems.is_empty() {
            Ok(retention)
        } else {
            Err(problems)
        }
    }
}

fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect::<String>()
    })
}

/// How many records of a kind one disposal run took (or, in a dry run, would take).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disposed {
    /// The kind.
    pub kind: RecordKind,
    /// How many records (relationships, applications, evaluations, people).
    pub records: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn defaults_are_the_schedule_the_issue_names() {
        let retention = Retention::default();
        assert_eq!(retention.months(RecordKind::PairContent), Months::new(12));
        assert_eq!(
            retention.months(RecordKind::EndedApplications),
            Months::new(6)
        );
        assert_eq!(
            retention.months(RecordKind::EvaluationText),
            Months::new(24)
        );
        assert_eq!(retention.months(RecordKind::Diversity), None);
    }

    #[test]
    fn due_before_counts_calendar_months_back_from_now() {
        let now = datetime!(2026-08-31 10:00 UTC);
        let retention = Retention::default();
        assert_eq!(
            retention.due_before(RecordKind::PairContent, now),
            Some(datetime!(2025-08-31 10:00 UTC))
        );
        // Six months before the 31st of August is the last day of February.
        assert_eq!(
            retention.due_before(RecordKind::EndedApplications, now),
            Some(datetime!(2026-02-28 10:00 UTC))
        );
        assert_eq!(
            retention
                .with(RecordKind::PairContent, Months(0))
                .due_before(RecordKind::PairContent, now),
            Some(now)
        );
        assert_eq!(retention.due_before(RecordKind::Diversity, now), None);
    }

    #[test]
    fn the_settings_form_is_parsed_with_every_problem_at_its_field() {
        let parsed = Retention::parse(|field| match field {
            "pair_content" => "18".to_owned(),
            "ended_applications" => " 3 ".to_owned(),
            _ => "36".to_owned(),
        });
        assert_eq!(
            parsed,
            Ok(Retention {
                pair_content: Months(18),
                ended_applications: Months(3),
                evaluation_text: Months(36),
            })
        );
        let problems = Retention::parse(|field| match field {
            "pair_content" => "twelve".to_owned(),
            "ended_applications" => "121".to_owned(),
            _ => "-1".to_owned(),
        })
        .err()
        .unwrap_or_default();
        let fields: Vec<&str> = problems.iter().map(|problem| problem.field).collect();
        assert_eq!(
            fields,
            ["pair_content", "ended_applications", "evaluation_text"]
        );
        assert_eq!(
            problems[0].message,
            "Session notes, goals, actions and reviews: enter a whole number of months from 0 to 120"
        );
    }
}

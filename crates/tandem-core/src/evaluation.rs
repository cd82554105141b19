//! Evaluation results (R10.4): what the members of a scheme's relationships said in the
//! evaluation they answered at closing, as the programme team may read it: per score question
//! the spread of scores and their mean, the response rate, and the written answers, without a
//! name, grouped by the themes a coordinator tags them with.
//!
//! Nothing of a group smaller than the organisation's small-number threshold is shown: its
//! scores and words show only as "fewer than" the threshold answered, so a coordinator who
//! knows which two relationships closed cannot read what those four people said. Written
//! answers are shown only from members who answered under the notice that says their words may
//! be read without their name (`words_shared`), and only when at least the threshold of them
//! are in the group.
//!
//! The store reads the answers of the period's relationships; this module does the counting,
//! so the page, the download and the command line publish the same cells.

use crate::application::FormProblem;
use crate::relationship::{Answer, AnswerKind, Answers, EvaluationQuestion};
use crate::reports::{Cell, Column, ReportName, Table};
use crate::suppression::Threshold;
use std::collections::BTreeMap;

/// The most themes a scheme's list holds: beyond it a tagging form is too long to use.
pub const MOST_THEMES: usize = 30;
/// The longest theme label, in characters.
pub const LONGEST_LABEL: usize = 40;

/// A theme's key: lowercase letters, digits and `-`, 1 to 40 characters, unique in its scheme.
/// Made from the label when the theme is added, and sent back by a tagging form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ThemeKey(String);

impl ThemeKey {
    /// A key as a form or the store gives it.
    pub fn parse(raw: &str) -> Result<Self, FormProblem> {
        let raw = raw.trim();
        let good = !raw.is_empty()
            && raw.len() <= LONGEST_LABEL
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if good {
            Ok(Self(raw.to_owned()))
        } else {
            Err(FormProblem::at(
                "themes",
                format!(
                    "'{}' is not one of the scheme's themes; choose from the list",
                    raw.chars().take(LONGEST_LABEL).collect::<String>()
                ),
            ))
        }
    }

    /// The key made from a label: its letters and digits, lowercased, each run of anything
    /// else a single `-`; `None` when the label has no letter or digit.
    fn of_label(label: &str) -> Option<Self> {
        let mut key = String::new();
        for c in label.chars() {
            if c.is_ascii_alphanumeric() {
                key.push(c.to_ascii_lowercase());
            } else if !key.is_empty() && !key.ends_with('-') {
                key.push('-');
            }
        }
        let key = key.trim_end_matches('-');
        (!key.is_empty()).then(|| Self(key.chars().take(LONGEST_LABEL).collect()))
    }

    /// The key as stored and sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One theme of a scheme's list: what a coordinator tags written answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Its key.
    pub key: ThemeKey,
    /// Its label, as the coordinator wrote it.
    pub label: String,
}

impl Theme {
    /// A theme the store holds: its key and label as written when it was added.
    pub fn stored(key: ThemeKey, label: String) -> Self {
        Self { key, label }
    }

    /// A new theme for a scheme whose list is `themes`, from the label a coordinator typed:
    /// 1 to 40 characters with a letter or digit, not already on the list, and the list not
    /// full.
    pub fn add(themes: &[Self], raw: &str) -> Result<Self, FormProblem> {
        let label = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let problem = |message: String| Err(FormProblem::at("label", message));
        if themes.len() >= MOST_THEMES {
            return problem(format!(
                "the scheme has {MOST_THEMES} themes already; remove one before adding another"
            ));
        }
        if label.is_empty() || label.chars().count() > LONGEST_LABEL {
            return problem(format!(
                "write the theme in 1 to {LONGEST_LABEL} characters"
            ));
        }
        let Some(key) = ThemeKey::of_label(&label) else {
            return problem("give the theme a name with a letter or digit".to_owned());
        };
        if let Some(same) = themes.iter().find(|it| it.key == key) {
            return problem(format!(
                "the scheme already has the theme '{}'; give this one a different name",
                same.label
            ));
        }
        Ok(Self { key, label })
    }
}

/// The themes a coordinator ticked for one answer, each one of the scheme's (repeats once).
pub fn parse_tags(themes: &[Theme], raw: &[String]) -> Result<Vec<ThemeKey>, FormProblem> {
    let mut keys = Vec::new();
    for it in raw {
        let key = ThemeKey::parse(it)?;
        if !themes.iter().any(|theme| theme.key == key) {
            return Err(FormProblem::at(
                "themes",
                format!(
                    "'{}' is not one of the scheme's themes; choose from the list",
                    key.as_str()
                ),
            ));
        }
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    Ok(keys)
}

/// One member's answers as the store reads them for results: never their name or pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respondent {
    /// An opaque handle of this member's answers, stable, unrelated to when they answered or
    /// who they are; a written answer's handle is made from it and its question.
    pub handle: String,
    /// Whether they answered under the notice that their words may be read without a name.
    pub words_shared: bool,
    /// Their answers.
    pub answers: Answers,
    /// The themes their written answers are tagged with: (question key, theme).
    pub themes: Vec<(String, ThemeKey)>,
}

/// How many gave each score to a question, 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Distribution {
    /// `counts[0]` gave 1, … `counts[4]` gave 5.
    pub counts: [u64; 5],
}

impl Distribution {
    /// How many scored the question.
    pub fn answers(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The mean score; `None` when nobody scored it.
    #[allow(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
    pub fn mean(&self) -> Option<f64> {
        let answers = self.answers();
        let total: u64 = self
            .counts
            .iter()
            .zip(1u64..)
            .map(|(count, score)| count * score)
            .sum();
        (answers > 0).then(|| total as f64 / answers as f64)
    }
}

/// One written answer as the programme team reads it: its words and themes, nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenAnswer {
    /// The answer's handle, for the form that tags it.
    pub handle: String,
    /// The words.
    pub text: String,
    /// The themes it is tagged with.
    pub themes: Vec<ThemeKey>,
}

/// A group's results: what may be shown of it, and nothing more.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// Groups smaller than it show nothing of what was said.
    pub threshold: Threshold,
    /// Members of the relationships whose closing began in the period (two a relationship).
    pub members: u64,
    /// Those who answered.
    pub respondents: u64,
    /// The scheme's themes.
    pub themes: Vec<Theme>,
    /// Each score question with its distribution; `None` when too few answered.
    pub scores: Option<Vec<(EvaluationQuestion, Distribution)>>,
    /// Each text question with its written answers in handle order; `None` when too few
    /// answered under the notice that their words may be read.
    pub words: Option<Vec<(EvaluationQuestion, Vec<WrittenAnswer>)>>,
}

/// Whether a group of `count` people may be shown.
pub fn may_show(count: u64, threshold: Threshold) -> bool {
    count >= u64::from(threshold.get())
}

impl Results {
    /// The results of `respondents` to `questions`, `members` having been asked; scores
    /// outside 1 to 5 and answers to questions the scheme no longer asks are left out.
    /// `answer_handle` gives a written answer its handle from its member's and its question's
    /// key: one that does not give away which answers to two questions a member wrote.
    pub fn build(
        questions: &[EvaluationQuestion],
        themes: Vec<Theme>,
        members: u64,
        respondents: &[Respondent],
        threshold: Threshold,
        answer_handle: impl Fn(&str, &str) -> String,
    ) -> Self {
        let count = u64::try_from(respondents.len()).unwrap_or(u64::MAX);
        let scores = may_show(count, threshold).then(|| {
            questions
                .iter()
                .filter(|it| it.answer_kind() == AnswerKind::Score)
                .map(|question| {
                    let mut distribution = Distribution::default();
                    for it in respondents {
                        if let Some(Answer::Score(score @ 1..=5)) = answer(&it.answers, question) {
                            distribution.counts[usize::from(score - 1)] += 1;
                        }
                    }
                    (question.clone(), distribution)
                })
                .collect()
        });
        let sharing: Vec<&Respondent> = respondents.iter().filter(|it| it.words_shared).collect();
        let shared = u64::try_from(sharing.len()).unwrap_or(u64::MAX);
        let words = may_show(shared, threshold).then(|| {
            questions
                .iter()
                .filter(|it| it.answer_kind() == AnswerKind::Text)
                .map(|question| {
                    let mut answers: Vec<WrittenAnswer> = sharing
                        .iter()
                        .filter_map(|it| match answer(&it.answers, question) {
                            Some(Answer::Text(text)) if !text.trim().is_empty() => {
                                Some(WrittenAnswer {
                                    handle: answer_handle(&it.handle, &question.key),
                                    text: text.clone(),
                                    themes: it
                                        .themes
                                        .iter()
                                        .filter(|(key, _)| *key == question.key)
                                        .map(|(_, theme)| theme.clone())
                                        .collect(),
                                })
                            }
                            _ => None,
                        })
                        .collect();
                    // Handle order: stable from one look to the next, unrelated to who answered
                    // when, and different for each question.
                    answers.sort_by(|a, b| a.handle.cmp(&b.handle));
                    (question.clone(), answers)
                })
                .collect()
        });
        Self {
            threshold,
            members,
            respondents: count,
            themes,
            scores,
            words,
        }
    }

    /// The response rate in per cent; `None` when it may not be shown or nobody was asked.
    #[allow(clippy::cast_precision_loss, reason = "counts stay far below 2^53")]
    pub fn response_rate(&self) -> Option<f64> {
        (may_show(self.respondents, self.threshold) && self.members > 0)
            .then(|| self.respondents as f64 * 100.0 / self.members as f64)
    }

    /// "fewer than 5", for what a group too small shows instead of figures.
    pub fn fewer_than(&self) -> String {
        format!("fewer than {}", self.threshold.get())
    }

    /// How many were asked, how many answered and the rate.
    pub fn response_table(&self) -> Table {
        let answered = if may_show(self.respondents, self.threshold) {
            Cell::Count(self.respondents)
        } else {
            Cell::Text(self.fewer_than())
        };
        let summary = match self.response_rate() {
            Some(rate) => format!(
                "{} of the {} members of relationships whose closing began in the period answered the evaluation ({rate:.0}%).",
                self.respondents, self.members
            ),
            None if may_show(self.respondents, self.threshold) => {
                "No relationship began closing in the period.".to_owned()
            }
            None => format!(
                "{} members of relationships whose closing began in the period were asked; {} answered, too few to show what they said.",
                self.members,
                self.fewer_than()
            ),
        };
        Table {
            name: ReportName::EvaluationResponse,
            columns: vec![
                Column::text("Measure"),
                Column::value("Members asked"),
                Column::value("Answered"),
                Column::value("Response rate %"),
            ],
            rows: vec![vec![
                Cell::Text("Evaluation".to_owned()),
                Cell::Count(self.members),
                answered,
                Cell::Percent(self.response_rate()),
            ]],
            summary,
        }
    }

    /// A row per score question: how many gave each score, how many answered, the mean.
    pub fn scores_table(&self, questions: &[EvaluationQuestion]) -> Table {
        let mut columns = vec![Column::text("Question")];
        columns.extend((1..=5).map(|score| Column::value(&format!("Scored {score}"))));
        columns.push(Column::value("Answers"));
        columns.push(Column::value("Mean (1 to 5)"));
        let (rows, summary) = match &self.scores {
            Some(scores) => (
                scores
                    .iter()
                    .map(|(question, distribution)| {
                        let mut row = vec![Cell::Text(question.text.clone())];
                        row.extend(distribution.counts.iter().map(|it| Cell::Count(*it)));
                        row.push(Cell::Count(distribution.answers()));
                        row.push(Cell::Decimal(distribution.mean()));
                        row
                    })
                    .collect(),
                format!(
                    "How many of the {} who answered gave each score, from 1 (not at all) to 5 (very much), and the mean.",
                    self.respondents
                ),
            ),
            None => (
                questions
                    .iter()
                    .filter(|it| it.answer_kind() == AnswerKind::Score)
                    .map(|question| {
                        let mut row = vec![Cell::Text(question.text.clone())];
                        row.extend((0..5).map(|_| Cell::Text(String::new())));
                        row.push(Cell::Text(self.fewer_than()));
                        row.push(Cell::Decimal(None));
                        row
                    })
                    .collect(),
                format!(
                    "{} answered in the period: too few to show their scores without someone being picked out.",
                    capitalised(&self.fewer_than())
                ),
            ),
        };
        Table {
            name: ReportName::EvaluationScores,
            columns,
            rows,
            summary,
        }
    }

    /// A row per theme: how many written answers it is tagged on.
    pub fn themes_table(&self) -> Table {
        let columns = vec![Column::text("Theme"), Column::value("Answers tagged")];
        let Some(words) = &self.words else {
            return Table {
                name: ReportName::EvaluationThemes,
                columns,
                rows: self
                    .themes
                    .iter()
                    .map(|theme| {
                        vec![
                            Cell::Text(theme.label.clone()),
                            Cell::Text(self.fewer_than()),
                        ]
                    })
                    .collect(),
                summary: format!(
                    "{} shared their written answers in the period: too few to show them or count their themes.",
                    capitalised(&self.fewer_than())
                ),
            };
        };
        let mut counts: BTreeMap<&ThemeKey, u64> = BTreeMap::new();
        let mut written = 0;
        let mut untagged = 0;
        for answer in words.iter().flat_map(|(_, answers)| answers) {
            written += 1;
            if answer.themes.is_empty() {
                untagged += 1;
            }
            for theme in &answer.themes {
                *counts.entry(theme).or_default() += 1;
            }
        }
        let mut rows: Vec<Vec<Cell>> = self
            .themes
            .iter()
            .map(|theme| {
                vec![
                    Cell::Text(theme.label.clone()),
                    Cell::Count(counts.get(&theme.key).copied().unwrap_or(0)),
                ]
            })
            .collect();
        rows.push(vec![
            Cell::Text("Not tagged yet".to_owned()),
            Cell::Count(untagged),
        ]);
        Table {
            name: ReportName::EvaluationThemes,
            columns,
            rows,
            summary: format!(
                "{written} written answers, counted under each theme they are tagged with (an answer may have several)."
            ),
        }
    }
}

fn answer<'a>(answers: &'a Answers, question: &EvaluationQuestion) -> Option<&'a Answer> {
    answers
        .iter()
        .find(|(key, _)| *key == question.key)
        .map(|(_, it)| it)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relationship::default_questions;

    fn threshold(n: u32) -> Threshold {
        Threshold::new(n).expect("a threshold")
    }

    fn respondent(handle: &str, goals: u8, worked: &str, shared: bool) -> Respondent {
        Respondent {
            handle: handle.to_owned(),
            words_shared: shared,
            answers: vec![
                ("goals".to_owned(), Answer::Score(goals)),
                ("match".to_owned(), Answer::Score(3)),
                ("worked".to_owned(), Answer::Text(worked.to_owned())),
                ("better".to_owned(), Answer::Text(String::new())),
            ],
            themes: Vec::new(),
        }
    }

    /// A handle that sorts like the member's, to check the order.
    fn handle(member: &str, question: &str) -> String {
        format!("{member}-{question}")
    }

    fn five(shared: bool) -> Vec<Respondent> {
        [(1, "e"), (4, "b"), (5, "d"), (5, "a"), (2, "c")]
            .iter()
            .map(|(score, handle)| respondent(handle, *score, &format!("words {handle}"), shared))
            .collect()
    }

    #[test]
    fn each_score_is_counted_and_averaged() {
        let results = Results::build(
            &default_questions(),
            Vec::new(),
            12,
            &five(true),
            threshold(5),
            handle,
        );
        let scores = results.scores.as_ref().expect("five answered");
        let (question, goals) = &scores[0];
        assert_eq!(question.key, "goals");
        assert_eq!(goals.counts, [1, 1, 0, 1, 2]);
        assert_eq!(goals.mean(), Some(3.4));
        // A question nobody scored has no mean, rather than a mean of 0.
        let (_, preparation) = &scores[2];
        assert_eq!((preparation.answers(), preparation.mean()), (0, None));
        assert_eq!(scores.len(), 4, "score questions only");
        let rate = results.response_rate().expect("a rate");
        assert!((rate - 41.666).abs() < 0.01, "{rate}");
    }

    #[test]
    fn a_group_below_the_threshold_shows_no_figures_and_no_words() {
        let mut four = five(true);
        four.pop();
        let results = Results::build(
            &default_questions(),
            Vec::new(),
            8,
            &four,
            threshold(5),
            handle,
        );
        assert_eq!(
            (results.scores.is_none(), results.words.is_none()),
            (true, true)
        );
        assert_eq!(results.response_rate(), None);
        let table = results.scores_table(&default_questions());
        assert!(
            table.rows.iter().all(|row| row
                .iter()
                .all(|cell| !matches!(cell, Cell::Count(_) | Cell::Decimal(Some(_))))),
            "no figure: {table:?}"
        );
        assert_eq!(table.rows[0][6], Cell::Text("fewer than 5".to_owned()));
        let response = results.response_table();
        assert_eq!(response.rows[0][2], Cell::Text("fewer than 5".to_owned()));
        assert!(!response.csv("OFFICIAL", "x").contains(",4,"));
    }

    #[test]
    fn words_show_only_from_members_told_they_would_be_read_and_enough_of_them() {
        let mut mixed = five(true);
        mixed[0].words_shared = false;
        let results = Results::build(
            &default_questions(),
            Vec::new(),
            10,
            &mixed,
            threshold(5),
            handle,
        );
        assert!(results.scores.is_some(), "five scored");
        assert!(results.words.is_none(), "four shared their words");

        let results = Results::build(
            &default_questions(),
            Vec::new(),
            10,
            &five(true),
            threshold(5),
            handle,
        );
        let words = results.words.expect("five shared");
        let (question, answers) = &words[0];
        assert_eq!(question.key, "worked");
        // In handle order, not the order they were read; blank answers left out.
        let texts: Vec<&str> = answers.iter().map(|it| it.text.as_str()).collect();
        assert_eq!(
            texts,
            ["words a", "words b", "words c", "words d", "words e"]
        );
        assert_eq!(answers[0].handle, "a-worked");
        assert!(words[1].1.is_empty(), "nobody wrote what could be better");
    }

    #[test]
    fn themes_are_counted_on_the_answers_shown() {
        let themes = vec![
            Theme::add(&[], "Time to meet").expect("a theme"),
            Theme::add(&[], "Confidence").expect("a theme"),
        ];
        let mut five = five(true);
        five[0]
            .themes
            .push(("worked".to_owned(), themes[1].key.clone()));
        five[1]
            .themes
            .push(("worked".to_owned(), themes[1].key.clone()));
        five[1]
            .themes
            .push(("worked".to_owned(), themes[0].key.clone()));
        let results = Results::build(
            &default_questions(),
            themes,
            10,
            &five,
            threshold(5),
            handle,
        );
        let table = results.themes_table();
        let rows: Vec<(String, String)> = table
            .rows
            .iter()
            .map(|row| (row[0].shown(), row[1].shown()))
            .collect();
        assert_eq!(
            rows,
            [
                ("Time to meet".to_owned(), "1".to_owned()),
                ("Confidence".to_owned(), "2".to_owned()),
                ("Not tagged yet".to_owned(), "3".to_owned()),
            ]
        );
        let hidden = Results::build(
            &default_questions(),
            results.themes.clone(),
            10,
            &[],
            threshold(5),
            handle,
        )
        .themes_table();
        assert_eq!(hidden.rows[1][1], Cell::Text("fewer than 5".to_owned()));
    }

    #[test]
    fn a_theme_is_named_once_within_the_limits() {
        let first = Theme::add(&[], "  Time   to meet ").expect("a theme");
        assert_eq!(
            (first.key.as_str(), first.label.as_str()),
            ("time-to-meet", "Time to meet")
        );
        let list = vec![first];
        let cases = [
            ("", "write the theme in 1 to 40 characters"),
            (&"x".repeat(41), "write the theme in 1 to 40 characters"),
            ("!!", "give the theme a name with a letter or digit"),
            (
                "time to MEET",
                "the scheme already has the theme 'Time to meet'; give this one a different name",
            ),
        ];
        for (raw, message) in cases {
            let problem = Theme::add(&list, raw).expect_err(raw);
            assert_eq!(
                (problem.field, problem.message.as_str()),
                ("label", message)
            );
        }
        let full: Vec<Theme> = (0..MOST_THEMES)
            .map(|n| Theme::add(&[], &format!("theme {n}")).expect("a theme"))
            .collect();
        assert_eq!(
            Theme::add(&full, "one more").expect_err("full").message,
            "the scheme has 30 themes already; remove one before adding another"
        );
    }

    #[test]
    fn tags_must_be_the_schemes_themes() {
        let list = vec![Theme::add(&[], "Confidence").expect("a theme")];
        assert_eq!(
            parse_tags(&list, &["confidence".to_owned(), "confidence".to_owned()]),
            Ok(vec![list[0].key.clone()])
        );
        assert_eq!(parse_tags(&list, &[]), Ok(Vec::new()));
        for raw in ["time", "Bad Key"] {
            let problem = parse_tags(&list, &[raw.to_owned()]).expect_err(raw);
            assert_eq!(problem.field, "themes");
        }
    }
}

//! Closing a relationship (R6.6): each member's end-of-mentoring review, then the scheme's
//! confidential evaluation, and the relationship closes once both have done both.

use crate::application::{FormProblem, TextLimit, written};
use crate::codes::codes;
use crate::ids::PersonId;
use serde::{Deserialize, Serialize};

codes! {
    /// How a question of the evaluation is answered.
    AnswerKind {
        /// A score from 1 (not at all) to 5 (very much).
        Score => "score", "a score from 1 to 5";
        /// Words.
        Text => "text", "words";
    }
}

/// One question of a scheme's evaluation survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationQuestion {
    /// Its key (letters, digits and `_`), unique in the survey: answers are stored under it.
    pub key: String,
    /// The question as people read it.
    pub text: String,
    /// `score` or `text`.
    pub kind: String,
}

impl EvaluationQuestion {
    /// How it is answered; a question whose kind does not parse is refused by the policy's
    /// checks, so this falls back to words.
    pub fn answer_kind(&self) -> AnswerKind {
        AnswerKind::parse(&self.kind).unwrap_or(AnswerKind::Text)
    }
}

fn question(key: &str, text: &str, kind: AnswerKind) -> EvaluationQuestion {
    EvaluationQuestion {
        key: key.to_owned(),
        text: text.to_owned(),
        kind: kind.as_str().to_owned(),
    }
}

/// The evaluation a scheme asks unless its policy says otherwise: confidential feedback on the
/// process to inform future training (Police Scotland's guide), and on the relationship's
/// effectiveness (Cleveland's end-of-mentoring review).
pub fn default_questions() -> Vec<EvaluationQuestion> {
    vec![
        question(
            "goals",
            "How well did the mentoring help you towards your goals?",
            AnswerKind::Score,
        ),
        question(
            "match",
            "How well were you and your partner matched?",
            AnswerKind::Score,
        ),
        question(
            "preparation",
            "How well did the training and guidance prepare you?",
            AnswerKind::Score,
        ),
        question(
            "again",
            "How likely are you to take part in mentoring again?",
            AnswerKind::Score,
        ),
        question("worked", "What worked well?", AnswerKind::Text),
        question("better", "What could be better?", AnswerKind::Text),
    ]
}

/// Problems of a survey's questions, all at the policy field `evaluation`, each naming the
/// question by its place in the list.
pub fn question_problems(questions: &[EvaluationQuestion]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if questions.is_empty() || questions.len() > ANSWER_FIELDS.len() {
        out.push((
            "evaluation".to_owned(),
            "ask between 1 and 20 evaluation questions".to_owned(),
        ));
    }
    let mut keys = std::collections::BTreeSet::new();
    for (idx, it) in questions.iter().enumerate() {
        let field = "evaluation".to_owned();
        let which = format!("question {}", idx + 1);
        if it.key.is_empty()
            || it.key.len() > 40
            || !it
                .key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            out.push((
                field.clone(),
                format!("{which}: give it a key of 1 to 40 letters, digits or _"),
            ));
        } else if !keys.insert(it.key.clone()) {
            out.push((
                field.clone(),
                format!("{which}: {} is already the key of another question", it.key),
            ));
        }
        if it.text.trim().is_empty() || it.text.chars().count() > 200 {
            out.push((
                field.clone(),
                format!("{which}: write the question in 1 to 200 characters"),
            ));
        }
        if AnswerKind::parse(&it.kind).is_none() {
            out.push((
                field,
                format!("{which}: '{}' is not a kind; use score or text", it.kind),
            ));
        }
    }
    out
}

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    /// A score from 1 to 5.
    Score(u8),
    /// Words (possibly empty: a text question may be skipped).
    Text(String),
}

/// A member's answers, by question key, in the survey's order.
pub type Answers = Vec<(String, Answer)>;

/// Parses a member's answers to `questions` (`raw` gives the value submitted in each
/// question's field, `ANSWER_FIELDS` by position): every score must be given, 1 to 5; words
/// are optional.
pub fn parse_answers(
    questions: &[EvaluationQuestion],
    raw: impl Fn(&str) -> String,
) -> Result<Answers, Vec<FormProblem>> {
    let mut problems = Vec::new();
    let mut answers = Vec::new();
    for (it, field) in questions.iter().zip(ANSWER_FIELDS) {
        let value = raw(field);
        match it.answer_kind() {
            AnswerKind::Score => match value.trim().parse::<u8>() {
                Ok(score @ 1..=5) => answers.push((it.key.clone(), Answer::Score(score))),
                _ => problems.push(FormProblem::at(
                    field,
                    format!("choose a score from 1 to 5 for \"{}\"", it.text),
                )),
            },
            AnswerKind::Text => match written(field, &value, TextLimit::Note, None) {
                Ok(text) => answers.push((it.key.clone(), Answer::Text(text))),
                Err(problem) => problems.push(problem),
            },
        }
    }
    if problems.is_empty() {
        Ok(answers)
    } else {
        Err(problems)
    }
}

/// The form fields of the answers, by the question's position (a survey has at most 20).
pub const ANSWER_FIELDS: [&str; 20] = [
    "answer-1",
    "answer-2",
    "answer-3",
    "answer-4",
    "answer-5",
    "answer-6",
    "answer-7",
    "answer-8",
    "answer-9",
    "answer-10",
    "answer-11",
    "answer-12",
    "answer-13",
    "answer-14",
    "answer-15",
    "answer-16",
    "answer-17",
    "answer-18",
    "answer-19",
    "answer-20",
];

/// Whether both members have written their closing review and answered the evaluation.
pub fn closing_complete(
    mentor: PersonId,
    mentee: PersonId,
    reviewed: &[PersonId],
    evaluated: &[PersonId],
) -> bool {
    [mentor, mentee]
        .iter()
        .all(|person| reviewed.contains(person) && evaluated.contains(person))
}

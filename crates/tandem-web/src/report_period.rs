//! The days a report covers (the dashboard, equality monitoring, the evaluation results), asked
//! with GOV.UK's date boxes: `from-day`, `from-month`, `from-year` and the same for `to`. A link
//! or a script may still give `from=YYYY-MM-DD`; boxes with anything in them win over it.
//!
//! Rule: a report's handler folds the boxes into its query's `from` and `to` with
//! [`PeriodBoxes::fold`] before the use case reads them, and its page shows the boxes with
//! [`PeriodBoxes::inputs`] (template `report_period_fields.html`).

use crate::date_input::{self, DateInput, Read};
use crate::form::Pairs;
use crate::routes::sign_in::FieldError;
use serde::{Deserialize, Serialize};

/// The six boxes of a report's period, as its filter form sends them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct PeriodBoxes {
    #[serde(rename = "from-day", default, skip_serializing_if = "String::is_empty")]
    from_day: String,
    #[serde(
        rename = "from-month",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    from_month: String,
    #[serde(
        rename = "from-year",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    from_year: String,
    #[serde(rename = "to-day", default, skip_serializing_if = "String::is_empty")]
    to_day: String,
    #[serde(rename = "to-month", default, skip_serializing_if = "String::is_empty")]
    to_month: String,
    #[serde(rename = "to-year", default, skip_serializing_if = "String::is_empty")]
    to_year: String,
}

/// The two dates: (name, legend, what a message calls it).
const DATES: [(&str, &str, &str); 2] = [
    ("from", "From", "the first day of the period"),
    ("to", "To", "the last day of the period"),
];

impl PeriodBoxes {
    /// The boxes of `name` as form fields, none when all three are empty.
    fn boxes(&self, name: &str) -> Pairs {
        let [day, month, year] = if name == "from" {
            [&self.from_day, &self.from_month, &self.from_year]
        } else {
            [&self.to_day, &self.to_month, &self.to_year]
        };
        if [day, month, year].iter().all(|it| it.trim().is_empty()) {
            return Vec::new();
        }
        vec![
            (format!("{name}-day"), day.clone()),
            (format!("{name}-month"), month.clone()),
            (format!("{name}-year"), year.clone()),
        ]
    }

    /// Puts the dates the boxes hold into `from` and `to` as the `year-month-day` values the
    /// use case reads. Boxes that hold no real date leave their date to the use case's default
    /// and give their message, at the field.
    pub(crate) fn fold(&self, from: &mut String, to: &mut String) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for ((name, _, what), target) in DATES.into_iter().zip([from, to]) {
            let boxes = self.boxes(name);
            if boxes.is_empty() {
                continue;
            }
            match date_input::read(&boxes, name, what) {
                Read::Date(date) => *target = date.to_string(),
                Read::Blank => target.clear(),
                Read::Wrong(message) => {
                    target.clear();
                    errors.push(FieldError {
                        field: DateInput::first_box(name),
                        message,
                    });
                }
            }
        }
        errors
    }

    /// The two date fields as the page shows them: the boxes as typed, else the date of the
    /// period (`from`, `to` as `year-month-day`), each with its error from `errors`.
    pub(crate) fn inputs(&self, from: &str, to: &str, errors: &[FieldError]) -> Vec<DateInput> {
        DATES
            .into_iter()
            .zip([from, to])
            .map(|((name, legend, _), iso)| {
                let boxes = self.boxes(name);
                let input = DateInput::new(name, name, legend);
                let input = if boxes.is_empty() {
                    input.holding(iso)
                } else {
                    input.kept(&boxes)
                };
                let error = crate::routes::sign_in::error_for(errors, &DateInput::first_box(name))
                    .map(str::to_owned);
                input.with_error(error)
            })
            .collect()
    }
}

/// A use case's problems with the report's filters, a date's linked to its first box.
pub(crate) fn errors_of(problems: &[tandem_core::application::FormProblem]) -> Vec<FieldError> {
    let mut errors = FieldError::from_problems(problems);
    for error in &mut errors {
        if DATES.iter().any(|(name, _, _)| error.field == *name) {
            error.field = DateInput::first_box(&error.field);
        }
    }
    errors
}

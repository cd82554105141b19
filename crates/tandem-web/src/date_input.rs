//! GOV.UK's date input: a day, a month and a year in three boxes (`{name}-day`, `{name}-month`,
//! `{name}-year`), read back as one date. Native date pickers show a format of the browser's
//! own that disagrees with any hint; three numbers read the same everywhere and work without
//! JavaScript.
//!
//! Rule: a handler folds a date field's three boxes into the one `year-month-day` value its use
//! case reads with [`fold`], and a page shows the boxes with [`DateInput`] (template
//! `date_input.html`), kept as typed after a refusal.

use crate::form::{Pairs, value};

/// The three boxes of one date field, as a page shows them.
#[derive(Debug, Clone, Default)]
pub(crate) struct DateInput {
    /// The group's id; the boxes are `{id}-day`, `{id}-month` and `{id}-year`.
    pub(crate) id: String,
    /// The submitted name's stem.
    pub(crate) name: &'static str,
    /// The question, as the group's legend.
    pub(crate) legend: String,
    /// Whether the legend is read only by screen readers (a date in a table row).
    pub(crate) legend_hidden: bool,
    /// The example under the legend.
    pub(crate) hint: String,
    pub(crate) day: String,
    pub(crate) month: String,
    pub(crate) year: String,
    /// The error at the field.
    pub(crate) error: Option<String>,
}

impl DateInput {
    /// Empty boxes for `name`, the group's id `id`.
    pub(crate) fn new(
        id: impl Into<String>,
        name: &'static str,
        legend: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            name,
            legend: legend.into(),
            hint: "For example, 27 3 2026".to_owned(),
            ..Self::default()
        }
    }

    /// The boxes holding `iso` (`year-month-day`), as a date a page suggests or stored.
    pub(crate) fn holding(mut self, iso: &str) -> Self {
        let mut parts = iso.trim().splitn(3, '-');
        if let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) {
            self.year = year.to_owned();
            self.month = month.trim_start_matches('0').to_owned();
            self.day = day.trim_start_matches('0').to_owned();
        }
        self
    }

    /// The boxes as a refused submission sent them.
    pub(crate) fn kept(mut self, pairs: &Pairs) -> Self {
        if has_parts(pairs, self.name) {
            self.day = value(pairs, &part(self.name, "day")).to_owned();
            self.month = value(pairs, &part(self.name, "month")).to_owned();
            self.year = value(pairs, &part(self.name, "year")).to_owned();
            self
        } else {
            let iso = value(pairs, self.name).to_owned();
            self.holding(&iso)
        }
    }

    /// The example, then `more` (what happens next, a limit).
    pub(crate) fn hint_also(mut self, more: &str) -> Self {
        self.hint = format!("{}. {more}", self.hint);
        self
    }

    /// The error shown at the field.
    pub(crate) fn with_error(mut self, error: Option<String>) -> Self {
        self.error = error;
        self
    }

    /// A legend only screen readers read, where the row around it already says what it is.
    pub(crate) fn legend_hidden(mut self) -> Self {
        self.legend_hidden = true;
        self
    }

    /// The id an error summary links to: the first box.
    pub(crate) fn first_box(id: &str) -> String {
        format!("{id}-day")
    }
}

fn part(name: &str, which: &str) -> String {
    format!("{name}-{which}")
}

fn has_parts(pairs: &Pairs, name: &str) -> bool {
    ["day", "month", "year"]
        .iter()
        .any(|which| pairs.iter().any(|(key, _)| *key == part(name, which)))
}

/// What three boxes hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Read {
    /// All three empty.
    Blank,
    /// A real date.
    Date(time::Date),
    /// Something else; the message says what to put right (GOV.UK's wording), naming `what`.
    Wrong(String),
}

/// The date the boxes of `name` hold, `what` naming it in a message ("the date of the session").
/// A form that sends the one `year-month-day` value instead (an older page, a script) is read
/// the same way.
pub(crate) fn read(pairs: &Pairs, name: &str, what: &str) -> Read {
    if !has_parts(pairs, name) {
        let iso = value(pairs, name).trim();
        if iso.is_empty() {
            return Read::Blank;
        }
        return time::Date::parse(
            iso,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map_or_else(|_| Read::Wrong(real(what)), Read::Date);
    }
    let boxes = ["day", "month", "year"].map(|which| value(pairs, &part(name, which)).trim());
    let [day, month, year] = boxes;
    if boxes.iter().all(|it| it.is_empty()) {
        return Read::Blank;
    }
    let missing: Vec<&str> = ["day", "month", "year"]
        .into_iter()
        .zip(boxes)
        .filter(|(_, it)| it.is_empty())
        .map(|(which, _)| which)
        .collect();
    if !missing.is_empty() {
        return Read::Wrong(format!(
            "{} must include a {}",
            capital(what),
            missing.join(" and a ")
        ));
    }
    if year.len() != 4 || !year.chars().all(|it| it.is_ascii_digit()) {
        return Read::Wrong("Year must include 4 numbers".to_owned());
    }
    let number = |it: &str| {
        it.chars()
            .all(|c| c.is_ascii_digit())
            .then(|| it.parse::<u16>().ok())
            .flatten()
    };
    let date = match (number(day), number(month), number(year)) {
        (Some(day), Some(month), Some(year)) => u8::try_from(month)
            .ok()
            .and_then(|month| time::Month::try_from(month).ok())
            .zip(u8::try_from(day).ok())
            .and_then(|(month, day)| {
                time::Date::from_calendar_date(i32::from(year), month, day).ok()
            }),
        _ => None,
    };
    date.map_or_else(|| Read::Wrong(real(what)), Read::Date)
}

fn real(what: &str) -> String {
    format!("{} must be a real date", capital(what))
}

fn capital(what: &str) -> String {
    crate::routes::people::capitalise(what)
}

/// Puts the date the boxes of `name` hold into the form as the one `year-month-day` value its
/// use case reads, so the use case's own checks (required, not in the future) apply; boxes that
/// hold no real date give their message instead. The boxes stay in the form for the page to
/// show again.
pub(crate) fn fold(pairs: &mut Pairs, name: &str, what: &str) -> Result<(), String> {
    if !has_parts(pairs, name) {
        return match read(pairs, name, what) {
            Read::Wrong(message) => Err(message),
            _ => Ok(()),
        };
    }
    let iso = match read(pairs, name, what) {
        Read::Blank => String::new(),
        Read::Date(date) => date.to_string(),
        Read::Wrong(message) => return Err(message),
    };
    pairs.retain(|(key, _)| key != name);
    pairs.push((name.to_owned(), iso));
    Ok(())
}

/// The date fields of a form whose boxes held no real date, each with the boxes' message.
#[derive(Debug, Default)]
pub(crate) struct Folded(Vec<(&'static str, String)>);

impl Folded {
    /// Folds each of `fields` (name, what it is in a message: "the date") as [`fold`] does. A
    /// field whose boxes hold no real date is sent as written, so the use case refuses it along
    /// with every other problem of the form; [`Folded::apply`] then gives it the boxes' message.
    pub(crate) fn of(pairs: &mut Pairs, fields: &[(&'static str, &str)]) -> Self {
        let mut wrong = Vec::new();
        for &(name, what) in fields {
            if let Err(message) = fold(pairs, name, what) {
                wrong.push((name, message));
                if !has_parts(pairs, name) {
                    continue;
                }
                let written = ["day", "month", "year"]
                    .map(|which| value(pairs, &part(name, which)).trim().to_owned())
                    .join("/");
                pairs.retain(|(key, _)| key != name);
                pairs.push((name.to_owned(), written));
            }
        }
        Self(wrong)
    }

    /// The use case's answer, with the boxes' message in place of its own for a date it could
    /// not read.
    pub(crate) fn apply<T>(
        &self,
        outcome: Result<T, tandem_app::AppError>,
    ) -> Result<T, tandem_app::AppError> {
        outcome.map_err(|err| match err {
            tandem_app::AppError::Invalid(mut problems) => {
                for problem in &mut problems {
                    if let Some((_, message)) =
                        self.0.iter().find(|(name, _)| *name == problem.field)
                    {
                        problem.message.clone_from(message);
                    }
                }
                tandem_app::AppError::Invalid(problems)
            }
            other => other,
        })
    }
}

impl Folded {
    /// A page's errors, with the boxes' message in place of the use case's for each date it
    /// could not read (`prefix` is what the page puts before a field's name in its ids).
    pub(crate) fn fix(&self, errors: &mut [crate::routes::sign_in::FieldError], prefix: &str) {
        for error in errors {
            if let Some((_, message)) = self
                .0
                .iter()
                .find(|(name, _)| error.field == format!("{prefix}{name}"))
            {
                error.message.clone_from(message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxes(day: &str, month: &str, year: &str) -> Pairs {
        vec![
            ("on-day".to_owned(), day.to_owned()),
            ("on-month".to_owned(), month.to_owned()),
            ("on-year".to_owned(), year.to_owned()),
        ]
    }

    #[test]
    fn three_boxes_read_as_one_date_or_say_what_is_wrong() {
        let what = "the date completed";
        let date = |y, m, d| Read::Date(time::Date::from_calendar_date(y, m, d).unwrap());
        let cases = [
            (boxes("27", "3", "2026"), date(2026, time::Month::March, 27)),
            (boxes("07", "03", "2026"), date(2026, time::Month::March, 7)),
            (
                boxes(" 1 ", "12", "2025"),
                date(2025, time::Month::December, 1),
            ),
            (boxes("", "", ""), Read::Blank),
            (
                boxes("", "3", "2026"),
                Read::Wrong("The date completed must include a day".to_owned()),
            ),
            (
                boxes("", "", "2026"),
                Read::Wrong("The date completed must include a day and a month".to_owned()),
            ),
            (
                boxes("31", "2", "2026"),
                Read::Wrong("The date completed must be a real date".to_owned()),
            ),
            (
                boxes("1", "13", "2026"),
                Read::Wrong("The date completed must be a real date".to_owned()),
            ),
            (
                boxes("one", "3", "2026"),
                Read::Wrong("The date completed must be a real date".to_owned()),
            ),
            (
                boxes("1", "3", "26"),
                Read::Wrong("Year must include 4 numbers".to_owned()),
            ),
            (
                vec![("on".to_owned(), "2026-03-27".to_owned())],
                date(2026, time::Month::March, 27),
            ),
            (
                vec![("on".to_owned(), "27/03/2026".to_owned())],
                Read::Wrong("The date completed must be a real date".to_owned()),
            ),
        ];
        for (pairs, want) in cases {
            assert_eq!(read(&pairs, "on", what), want, "{pairs:?}");
        }
    }

    #[test]
    fn folding_gives_the_use_case_one_value_and_keeps_the_boxes() {
        let mut pairs = boxes("7", "3", "2026");
        fold(&mut pairs, "on", "the date").unwrap();
        assert_eq!(value(&pairs, "on"), "2026-03-07");
        let shown = DateInput::new("x", "on", "When").kept(&pairs);
        assert_eq!((shown.day.as_str(), shown.month.as_str()), ("7", "3"));
        let shown = DateInput::new("x", "on", "When").holding("2026-03-07");
        assert_eq!(
            (
                shown.day.as_str(),
                shown.month.as_str(),
                shown.year.as_str()
            ),
            ("7", "3", "2026")
        );
    }
}

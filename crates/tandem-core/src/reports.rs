//! Programme reports (R10.1, R10.5): the period a dashboard covers and the one before it, the
//! tables a dashboard shows (and `tandem export report` writes), and how a table becomes a CSV
//! file with the protective marking.
//!
//! The figures themselves are counted by the store, in SQL; this module only says what is
//! counted over which days, so the page, the download and the command line cannot disagree.

use crate::spreadsheet::{CsvWriter, Kind};
use time::{Date, Duration, Month};

/// The longest period a report covers: five years, so a monthly chart stays readable.
const LONGEST_DAYS: i64 = 5 * 366;

/// The days a report covers, both ends included, in the organisation's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first day.
    pub from: Date,
    /// The last day.
    pub to: Date,
}

/// Why a period given on a page or the command line cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodProblem {
    /// A date is not a date.
    #[error("{field} '{raw}' is not a date; give it as YYYY-MM-DD, e.g. 2026-01-31")]
    NotADate {
        /// `from` or `to`.
        field: &'static str,
        /// What was given.
        raw: String,
    },
    /// The end comes before the start.
    #[error("the period ends ({to}) before it starts ({from}); swap the two dates")]
    Backwards {
        /// The first day given.
        from: Date,
        /// The last day given.
        to: Date,
    },
    /// Longer than a chart can show.
    #[error("the period covers more than five years; choose a shorter one")]
    TooLong,
}

impl Period {
    /// The twelve months up to and including `today`.
    pub fn last_twelve_months(today: Date) -> Self {
        let from = today
            .replace_year(today.year() - 1)
            // 29 February has no anniversary: the year before starts on 1 March.
            .unwrap_or_else(|_| today - Duration::days(365))
            + Duration::days(1);
        Self { from, to: today }
    }

    /// The period from what a person typed: each end a `YYYY-MM-DD` date, either left out for
    /// the last twelve months' end.
    pub fn parse(from: Option<&str>, to: Option<&str>, today: Date) -> Result<Self, PeriodProblem> {
        let date =
            |field: &'static str, raw: Option<&str>| -> Result<Option<Date>, PeriodProblem> {
                let raw = raw.unwrap_or_default();
                crate::accessibility::parse_day(raw).map_err(|_| PeriodProblem::NotADate {
                    field,
                    raw: raw.trim().chars().take(40).collect(),
                })
            };
        let default = Self::last_twelve_months(today);
        let to_day = date("to", to)?.unwrap_or(default.to);
        let from_day = date("from", from)?.unwrap_or_else(|| Self::last_twelve_months(to_day).from);
        if to_day < from_day {
            return Err(PeriodProblem::Backwards {
                from: from_day,
                to: to_day,
            });
        }
        if (to_day - from_day).whole_days() >= LONGEST_DAYS {
            return Err(PeriodProblem::TooLong);
        }
        Ok(Self {
            from: from_day,
            to: to_day,
        })
    }

    /// How many days the period covers.
    pub fn days(self) -> i64 {
        (self.to - self.from).whole_days() + 1
    }

    /// The period of the same length that ends the day before this one starts: what each
    /// figure is compared with.
    pub fn previous(self) -> Self {
        let to = self.from - Duration::days(1);
        Self {
            from: to - Duration::days(self.days() - 1),
            to,
        }
    }

    /// The calendar months the period touches, each cut to the period, in order.
    pub fn months(self) -> Vec<Self> {
        let mut months = Vec::new();
        let mut from = self.from;
        while from <= self.to {
            let next = first_of_next_month(from);
            let to = (next - Duration::days(1)).min(self.to);
            months.push(Self { from, to });
            from = next;
        }
        months
    }

    /// The period in words, e.g. "1 Dec 2025 to 30 Nov 2026".
    pub fn words(self) -> String {
        format!("{} to {}", day_words(self.from), day_words(self.to))
    }

    /// The month a period of [`Period::months`] falls in, e.g. "Jan 2026".
    pub fn month_words(self) -> String {
        format!("{} {}", short_month(self.from.month()), self.from.year())
    }
}

fn first_of_next_month(day: Date) -> Date {
    let (year, month) = match day.month() {
        Month::December => (day.year() + 1, Month::January),
        month => (day.year(), month.next()),
    };
    Date::from_calendar_date(year, month, 1).unwrap_or(Date::MAX)
}

fn short_month(month: Month) -> &'static str {
    match month {
        Month::January => "Jan",
        Month::February => "Feb",
        Month::March => "Mar",
        Month::April => "Apr",
        Month::May => "May",
        Month::June => "Jun",
        Month::July => "Jul",
        Month::August => "Aug",
        Month::September => "Sep",
        Month::October => "Oct",
        Month::November => "Nov",
        Month::December => "Dec",
    }
}

/// A day in words, e.g. "1 Dec 2025".
pub fn day_words(day: Date) -> String {
    format!("{} {} {}", day.day(), short_month(day.month()), day.year())
}

/// The zero-based position, in `count` values sorted ascending, of the value at percentile
/// `percent` by the nearest-rank method (the median is the 50th): the value itself, never an
/// average of two, so a reported wait is one somebody actually had.
pub fn nearest_rank(count: u64, percent: u64) -> Option<u64> {
    if count == 0 {
        return None;
    }
    let rank = (count * percent.min(100)).div_ceil(100).max(1);
    Some(rank - 1)
}

/// The tables of a dashboard, by the name the download and the command line use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportName {
    /// Each measure this period, the period before, and the change.
    Headline,
    /// Where things stand today: mentees waiting, relationships by state.
    Now,
    /// Applications received, by role and where they stand now.
    Applications,
    /// Matches, completions, early endings and sessions, month by month.
    Monthly,
    /// The measures per scheme.
    Schemes,
    /// The measures per division (the mentee's, for pairs; the applicant's, for applications).
    Divisions,
    /// The measures per force the participants come from: the national body's cross-force view.
    Forces,
    /// How far matches got, by the score matching gave them (R11.3).
    Quality,
    /// Evaluation results (R10.4): how many were asked and answered.
    EvaluationResponse,
    /// Evaluation results: each score question's spread and mean.
    EvaluationScores,
    /// Evaluation results: written answers counted by theme.
    EvaluationThemes,
}

impl ReportName {
    /// Every table, in the order a dashboard shows them.
    pub const ALL: [Self; 8] = [
        Self::Headline,
        Self::Now,
        Self::Applications,
        Self::Monthly,
        Self::Schemes,
        Self::Divisions,
        Self::Forces,
        Self::Quality,
    ];

    /// The tables of the evaluation results page, in the order it shows them.
    pub const EVALUATION: [Self; 3] = [
        Self::EvaluationResponse,
        Self::EvaluationScores,
        Self::EvaluationThemes,
    ];

    /// The name on the command line and in a download's file name.
    pub fn code(self) -> &'static str {
        match self {
            Self::Headline => "dashboard-headline",
            Self::Now => "dashboard-now",
            Self::Applications => "dashboard-applications",
            Self::Monthly => "dashboard-monthly",
            Self::Schemes => "dashboard-schemes",
            Self::Divisions => "dashboard-divisions",
            Self::Forces => "dashboard-forces",
            Self::Quality => "dashboard-quality",
            Self::EvaluationResponse => "evaluation-response",
            Self::EvaluationScores => "evaluation-scores",
            Self::EvaluationThemes => "evaluation-themes",
        }
    }

    /// What the table holds, for `tandem export report --list`.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Headline => "each measure over the period, the period before, and the change",
            Self::Now => "mentees waiting and relationships by state, today",
            Self::Applications => "applications received in the period, by role and state now",
            Self::Monthly => "matches, completions, early endings and sessions by month",
            Self::Schemes => "the period's measures for each scheme",
            Self::Divisions => "the period's measures for each division",
            Self::Forces => "the period's measures for each force participants come from",
            Self::Quality => {
                "the period's matches by quarter of their matching score: first meeting, review, completion"
            }
            Self::EvaluationResponse => {
                "a scheme's evaluation: members asked and answered, small groups suppressed"
            }
            Self::EvaluationScores => {
                "a scheme's evaluation: each score question's spread and mean, small groups suppressed"
            }
            Self::EvaluationThemes => {
                "a scheme's evaluation: written answers counted by theme, small groups suppressed"
            }
        }
    }

    /// Reads a name given on the command line or in an address.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .chain(Self::EVALUATION)
            .find(|name| name.code() == raw.trim())
    }

    /// Whether the table is one of the evaluation results', not the dashboard's.
    pub fn is_evaluation(self) -> bool {
        Self::EVALUATION.contains(&self)
    }

    /// The table's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Headline => "The programme at a glance",
            Self::Now => "Where things stand today",
            Self::Applications => "Applications received, by role and where they stand now",
            Self::Monthly => "Month by month",
            Self::Schemes => "By scheme",
            Self::Divisions => "By division",
            Self::Forces => "By force",
            Self::Quality => "Match quality: how far matches got by the score matching gave them",
            Self::EvaluationResponse => "Who answered the evaluation",
            Self::EvaluationScores => "Evaluation scores",
            Self::EvaluationThemes => "Written answers by theme",
        }
    }
}

/// What a cell of a report holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Words: a measure's name, a scheme's name, a division (HR data: neutralised in CSV).
    Text(String),
    /// A count.
    Count(u64),
    /// A number of days; `None` when there was nothing to measure.
    Days(Option<f64>),
    /// A change from the period before, as a signed number; `None` when either is missing.
    Change(Option<f64>),
    /// A share, in per cent; `None` when there was nothing to share out.
    Percent(Option<f64>),
    /// A mean to one decimal place; `None` when there was nothing to average.
    Decimal(Option<f64>),
}

impl Cell {
    /// The cell as the page and the CSV file show it.
    pub fn shown(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Count(count) => count.to_string(),
            Self::Days(Some(days)) => format!("{days:.0}"),
            Self::Days(None) | Self::Change(None) | Self::Percent(None) | Self::Decimal(None) => {
                String::new()
            }
            Self::Percent(Some(share)) => format!("{share:.0}"),
            Self::Decimal(Some(mean)) => format!("{mean:.1}"),
            Self::Change(Some(change)) if *change > 0.0 => format!("+{change:.0}"),
            Self::Change(Some(change)) => format!("{change:.0}"),
        }
    }

    /// The number in the cell, for a chart.
    pub fn number(&self) -> Option<f64> {
        match self {
            // Counts in a report stay far below 2^53, so the conversion is exact.
            #[allow(clippy::cast_precision_loss)]
            Self::Count(count) => Some(*count as f64),
            Self::Days(value)
            | Self::Change(value)
            | Self::Percent(value)
            | Self::Decimal(value) => *value,
            Self::Text(_) => None,
        }
    }
}

/// A column of a report: its heading and whether it holds words people typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The heading.
    pub heading: String,
    /// Text (neutralised in CSV) or a value.
    pub kind: Kind,
}

impl Column {
    /// A column of words.
    pub fn text(heading: &str) -> Self {
        Self {
            heading: heading.to_owned(),
            kind: Kind::Text,
        }
    }

    /// A column of numbers.
    pub fn value(heading: &str) -> Self {
        Self {
            heading: heading.to_owned(),
            kind: Kind::Value,
        }
    }
}

/// One table of a report, as the page shows it and the CSV download writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Which table.
    pub name: ReportName,
    /// Its columns.
    pub columns: Vec<Column>,
    /// Its rows, a cell per column.
    pub rows: Vec<Vec<Cell>>,
    /// What the table shows, in a sentence or two, for the page beside its chart.
    pub summary: String,
}

impl Table {
    /// The table as a CSV file: the protective marking first, then a line naming what the
    /// figures cover, then the header and the rows.
    pub fn csv(&self, marking: &str, covers: &str) -> String {
        let mut file = CsvWriter::with_marking_and_note(
            marking,
            &format!("{}: {covers}", self.name.title()),
            self.columns
                .iter()
                .map(|column| (column.heading.as_str(), column.kind)),
        );
        for row in &self.rows {
            file.row(row.iter().map(Cell::shown));
        }
        file.finish_text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_default_period_is_the_twelve_months_to_today_and_the_previous_one_as_long() {
        let period = Period::parse(None, None, date!(2026 - 11 - 23)).expect("default");
        assert_eq!(
            (period.from, period.to),
            (date!(2025 - 11 - 24), date!(2026 - 11 - 23))
        );
        assert_eq!(period.days(), 365);
        let before = period.previous();
        assert_eq!(
            (before.from, before.to),
            (date!(2024 - 11 - 24), date!(2025 - 11 - 23))
        );
        assert_eq!(before.days(), period.days());
    }

    #[test]
    fn a_period_reads_both_dates_and_refuses_what_it_cannot_use() {
        let today = date!(2026 - 11 - 23);
        let period = Period::parse(Some("2026-01-01"), Some("2026-03-31"), today).expect("q1");
        assert_eq!(period.days(), 90);
        let cases = [
            (
                Some("2026-13-01"),
                None,
                "from '2026-13-01' is not a date; give it as YYYY-MM-DD, e.g. 2026-01-31",
            ),
            (
                Some("2026-03-01"),
                Some("2026-02-01"),
                "the period ends (2026-02-01) before it starts (2026-03-01); swap the two dates",
            ),
            (
                Some("2010-01-01"),
                Some("2026-01-01"),
                "the period covers more than five years; choose a shorter one",
            ),
        ];
        for (from, to, message) in cases {
            let problem = Period::parse(from, to, today).expect_err("refused");
            assert_eq!(problem.to_string(), message);
        }
    }

    #[test]
    fn months_cut_the_period_at_each_calendar_month() {
        let period = Period {
            from: date!(2025 - 12 - 15),
            to: date!(2026 - 02 - 10),
        };
        let months: Vec<(Date, Date, String)> = period
            .months()
            .into_iter()
            .map(|month| (month.from, month.to, month.month_words()))
            .collect();
        assert_eq!(
            months,
            vec![
                (
                    date!(2025 - 12 - 15),
                    date!(2025 - 12 - 31),
                    "Dec 2025".to_owned()
                ),
                (
                    date!(2026 - 01 - 01),
                    date!(2026 - 01 - 31),
                    "Jan 2026".to_owned()
                ),
                (
                    date!(2026 - 02 - 01),
                    date!(2026 - 02 - 10),
                    "Feb 2026".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn nearest_rank_picks_a_value_that_exists() {
        // (count, percent, zero-based position)
        let cases = [
            (0, 50, None),
            (1, 50, Some(0)),
            (2, 50, Some(0)),
            (3, 50, Some(1)),
        ];
        for (count, percent, position) in cases {
            assert_eq!(
                nearest_rank(count, percent),
                position,
                "{count} at {percent}"
            );
        }
        assert_eq!(nearest_rank(10, 90), Some(8));
        assert_eq!(nearest_rank(11, 90), Some(9));
    }

    #[test]
    fn a_table_downloads_with_the_marking_and_typed_words_neutralised() {
        let table = Table {
            name: ReportName::Divisions,
            columns: vec![Column::text("Division"), Column::value("Matches")],
            rows: vec![
                vec![Cell::Text("=HYPERLINK(\"x\")".to_owned()), Cell::Count(3)],
                vec![Cell::Text("Response".to_owned()), Cell::Count(0)],
            ],
            summary: String::new(),
        };
        expect_test::expect![[r#"
            # OFFICIAL-SENSITIVE
            # By division: 1 Dec 2025 to 30 Nov 2026
            Division,Matches
            "'=HYPERLINK(""x"")",3
            Response,0
        "#]]
        .assert_eq(&table.csv("OFFICIAL-SENSITIVE", "1 Dec 2025 to 30 Nov 2026"));
    }

    #[test]
    fn report_names_read_back() {
        for name in ReportName::ALL.into_iter().chain(ReportName::EVALUATION) {
            assert_eq!(ReportName::parse(name.code()), Some(name));
            assert_eq!(name.is_evaluation(), name.code().starts_with("evaluation-"));
        }
        assert_eq!(ReportName::parse("dashboard"), None);
    }
}

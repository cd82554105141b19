//! The accessibility statement (R8.6): what the Public Sector Bodies (Websites and Mobile
//! Applications) Accessibility Regulations 2018 ask every police force to publish for a service
//! it runs, in the model statement's structure. An organisation's administrator gives the
//! contact details, the dates and the known problems; whether the service complies follows from
//! those problems, never from a box someone ticks.

use crate::domain::ParseError;
use time::Date;

/// A WCAG 2.2 success criterion at level A or AA: the standard the regulations require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Criterion(&'static str, &'static str);

/// Every WCAG 2.2 success criterion at level A or AA, by number (4.1.1 Parsing left WCAG 2.2).
const CRITERIA: &[(&str, &str)] = &[
    ("1.1.1", "Non-text Content"),
    ("1.2.1", "Audio-only and Video-only (Prerecorded)"),
    ("1.2.2", "Captions (Prerecorded)"),
    (
        "1.2.3",
        "Audio Description or Media Alternative (Prerecorded)",
    ),
    ("1.2.4", "Captions (Live)"),
    ("1.2.5", "Audio Description (Prerecorded)"),
    ("1.3.1", "Info and Relationships"),
    ("1.3.2", "Meaningful Sequence"),
    ("1.3.3", "Sensory Characteristics"),
    ("1.3.4", "Orientation"),
    ("1.3.5", "Identify Input Purpose"),
    ("1.4.1", "Use of Color"),
    ("1.4.2", "Audio Control"),
    ("1.4.3", "Contrast (Minimum)"),
    ("1.4.4", "Resize Text"),
    ("1.4.5", "Images of Text"),
    ("1.4.10", "Reflow"),
    ("1.4.11", "Non-text Contrast"),
    ("1.4.12", "Text Spacing"),
    ("1.4.13", "Content on Hover or Focus"),
    ("2.1.1", "Keyboard"),
    ("2.1.2", "No Keyboard Trap"),
    ("2.1.4", "Character Key Shortcuts"),
    ("2.2.1", "Timing Adjustable"),
    ("2.2.2", "Pause, Stop, Hide"),
    ("2.3.1", "Three Flashes or Below Threshold"),
    ("2.4.1", "Bypass Blocks"),
    ("2.4.2", "Page Titled"),
    ("2.4.3", "Focus Order"),
    ("2.4.4", "Link Purpose (In Context)"),
    ("2.4.5", "Multiple Ways"),
    ("2.4.6", "Headings and Labels"),
    ("2.4.7", "Focus Visible"),
    ("2.4.11", "Focus Not Obscured (Minimum)"),
    ("2.5.1", "Pointer Gestures"),
    ("2.5.2", "Pointer Cancellation"),
    ("2.5.3", "Label in Name"),
    ("2.5.4", "Motion Actuation"),
    ("2.5.7", "Dragging Movements"),
    ("2.5.8", "Target Size (Minimum)"),
    ("3.1.1", "Language of Page"),
    ("3.1.2", "Language of Parts"),
    ("3.2.1", "On Focus"),
    ("3.2.2", "On Input"),
    ("3.2.3", "Consistent Navigation"),
    ("3.2.4", "Consistent Identification"),
    ("3.2.6", "Consistent Help"),
    ("3.3.1", "Error Identification"),
    ("3.3.2", "Labels or Instructions"),
    ("3.3.3", "Error Suggestion"),
    ("3.3.4", "Error Prevention (Legal, Financial, Data)"),
    ("3.3.7", "Redundant Entry"),
    ("3.3.8", "Accessible Authentication (Minimum)"),
    ("4.1.2", "Name, Role, Value"),
    ("4.1.3", "Status Messages"),
];

impl Criterion {
    /// Parses a success criterion's number, e.g. `1.4.3` (a leading "SC" or "WCAG" is allowed).
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let text = raw.trim();
        let number = text
            .strip_prefix("WCAG")
            .or_else(|| text.strip_prefix("SC"))
            .unwrap_or(text)
            .trim();
        let number = number.split_whitespace().next().unwrap_or_default();
        if number.is_empty() {
            return Err(ParseError::new(
                "is missing: give the number of the WCAG 2.2 success criterion it fails, e.g. 1.4.3",
            ));
        }
        CRITERIA
            .iter()
            .find(|(it, _)| *it == number)
            .map(|(number, name)| Self(number, name))
            .ok_or_else(|| {
                ParseError::new(format!(
                    "'{number}' is not a WCAG 2.2 success criterion at level A or AA; give its number, e.g. 1.4.3 for Contrast (Minimum)"
                ))
            })
    }

    /// Its number, e.g. `1.4.3`.
    pub fn number(&self) -> &'static str {
        self.0
    }

    /// Its name, e.g. `Contrast (Minimum)`.
    pub fn name(&self) -> &'static str {
        self.1
    }
}

/// Text an administrator writes for the statement: trimmed, at most `limit` characters, no
/// control characters but line breaks.
fn statement_text(raw: &str, limit: usize, what: &str) -> Result<Option<String>, ParseError> {
    let text = raw.trim().replace("\r\n", "\n");
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > limit {
        return Err(ParseError::new(format!(
            "is longer than {limit} characters; say {what} more briefly"
        )));
    }
    if text.chars().any(|it| it.is_control() && it != '\n') {
        return Err(ParseError::new("contains control characters"));
    }
    Ok(Some(text))
}

/// A part of the service known not to meet the standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownIssue {
    /// What does not work and for whom, in English.
    pub description: String,
    /// The same in Welsh, for a force that publishes in Welsh.
    pub description_cy: Option<String>,
    /// The success criterion it fails.
    pub criterion: Criterion,
    /// When it will be fixed, if that is planned.
    pub fix_by: Option<Date>,
}

impl KnownIssue {
    /// A known issue from what an administrator typed; every problem, by field.
    pub fn parse(
        description: &str,
        description_cy: &str,
        criterion: &str,
        fix_by: Option<Date>,
    ) -> Result<Self, Vec<(&'static str, ParseError)>> {
        let mut problems = Vec::new();
        let description = match statement_text(description, 1_000, "what does not work") {
            Ok(Some(it)) => Some(it),
            Ok(None) => {
                problems.push((
                    "description",
                    ParseError::new("is missing: say what does not work and for whom"),
                ));
                None
            }
            Err(err) => {
                problems.push(("description", err));
                None
            }
        };
        let description_cy = statement_text(description_cy, 1_000, "what does not work")
            .map_err(|err| problems.push(("description_cy", err)))
            .ok()
            .flatten();
        let criterion = Criterion::parse(criterion)
            .map_err(|err| problems.push(("criterion", err)))
            .ok();
        match (description, criterion) {
            (Some(description), Some(criterion)) if problems.is_empty() => Ok(Self {
                description,
                description_cy,
                criterion,
                fix_by,
            }),
            _ => Err(problems),
        }
    }
}

/// How far the service meets WCAG 2.2 AA, as the model statement words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compliance {
    /// No problem is known.
    Full,
    /// Some problems are known and listed.
    Partial,
}

impl Compliance {
    /// Partially compliant whenever a known issue is listed; fully compliant otherwise (every
    /// page passes the automated checks on every change, so nothing else is known to fail).
    pub fn of(issues: &[KnownIssue]) -> Self {
        if issues.is_empty() {
            Self::Full
        } else {
            Self::Partial
        }
    }

    /// The words the statement uses: "fully compliant" or "partially compliant".
    pub fn words(self) -> &'static str {
        match self {
            Self::Full => "fully compliant",
            Self::Partial => "partially compliant",
        }
    }
}

/// Who to contact about the service's accessibility, as an administrator sets it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatementContact {
    /// The address for problems, other formats and reasonable-adjustment requests.
    pub email: Option<String>,
    /// A telephone number, if the organisation offers one.
    pub phone: Option<String>,
    /// Working days within which a request is answered.
    pub reply_within_days: Option<u16>,
}

impl StatementContact {
    /// The contact details from what an administrator typed; every problem, by field.
    pub fn parse(
        email: &str,
        phone: &str,
        reply_within_days: &str,
    ) -> Result<Self, Vec<(&'static str, ParseError)>> {
        let mut problems = Vec::new();
        let email = email.trim();
        let email = if email.is_empty() {
            problems.push((
                "email",
                ParseError::new(
                    "is missing: people who cannot use part of the service need an address to write to",
                ),
            ));
            None
        } else {
            match crate::domain::Email::parse(email) {
                Ok(it) => Some(it.as_ref().to_owned()),
                Err(err) => {
                    problems.push(("email", err));
                    None
                }
            }
        };
        let phone = phone.trim();
        let phone = if phone.is_empty() {
            None
        } else if phone.chars().count() <= 40
            && phone
                .chars()
                .all(|it| it.is_ascii_digit() || " +()-".contains(it))
            && phone.chars().filter(char::is_ascii_digit).count() >= 5
        {
            Some(phone.to_owned())
        } else {
            problems.push((
                "phone",
                ParseError::new("is not a telephone number; give digits, spaces and +, ( ) or -"),
            ));
            None
        };
        let days = reply_within_days.trim();
        let reply_within_days = if days.is_empty() {
            None
        } else {
            match days.parse::<u16>() {
                Ok(it) if (1..=60).contains(&it) => Some(it),
                _ => {
                    problems.push((
                        "reply_within_days",
                        ParseError::new("must be a whole number of working days from 1 to 60"),
                    ));
                    None
                }
            }
        };
        if problems.is_empty() {
            Ok(Self {
                email,
                phone,
                reply_within_days,
            })
        } else {
            Err(problems)
        }
    }
}

/// The statement's dates as an administrator typed them (`YYYY-MM-DD`, blank for not yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatementDates {
    /// When the statement was first prepared.
    pub prepared_on: Option<Date>,
    /// When it was last reviewed: not before it was prepared.
    pub reviewed_on: Option<Date>,
    /// When a person last checked the service by hand.
    pub manually_checked_on: Option<Date>,
}

/// A day as `YYYY-MM-DD` (what a date field sends), blank for none.
pub fn parse_day(raw: &str) -> Result<Option<Date>, ParseError> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map(Some)
    .map_err(|_| ParseError::new(format!("'{text}' is not a date; give it as 2026-12-04")))
}

impl StatementDates {
    /// The dates from what was typed, as of `today`; every problem, by field.
    pub fn parse(
        prepared_on: &str,
        reviewed_on: &str,
        manually_checked_on: &str,
        today: Date,
    ) -> Result<Self, Vec<(&'static str, ParseError)>> {
        let mut problems = Vec::new();
        let mut day = |field: &'static str, raw: &str| match parse_day(raw) {
            Ok(Some(it)) if it > today => {
                problems.push((
                    field,
                    ParseError::new("is in the future; give the day it happened"),
                ));
                None
            }
            Ok(it) => it,
            Err(err) => {
                problems.push((field, err));
                None
            }
        };
        let dates = Self {
            prepared_on: day("prepared_on", prepared_on),
            reviewed_on: day("reviewed_on", reviewed_on),
            manually_checked_on: day("manually_checked_on", manually_checked_on),
        };
        if let (Some(prepared), Some(reviewed)) = (dates.prepared_on, dates.reviewed_on)
            && reviewed < prepared
        {
            problems.push((
                "reviewed_on",
                ParseError::new("is before the statement was prepared"),
            ));
        }
        if problems.is_empty() {
            Ok(dates)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_has_fifty_five_success_criteria_at_a_and_aa() {
        assert_eq!(CRITERIA.len(), 55);
        let mut numbers: Vec<&str> = CRITERIA.iter().map(|(it, _)| *it).collect();
        numbers.dedup();
        assert_eq!(numbers.len(), 55);
    }

    #[test]
    fn a_criterion_is_known_by_its_number() {
        for (raw, number, name) in [
            ("1.4.3", "1.4.3", "Contrast (Minimum)"),
            (" SC 2.4.11 ", "2.4.11", "Focus Not Obscured (Minimum)"),
            ("WCAG 3.3.8", "3.3.8", "Accessible Authentication (Minimum)"),
            ("1.4.10 Reflow", "1.4.10", "Reflow"),
        ] {
            let criterion = Criterion::parse(raw).expect(raw);
            assert_eq!((criterion.number(), criterion.name()), (number, name));
        }
        for raw in ["", "1.4", "4.1.1", "1.4.6", "2.4.12", "contrast"] {
            assert!(Criterion::parse(raw).is_err(), "{raw:?} was accepted");
        }
    }

    #[test]
    fn any_known_issue_makes_the_service_partially_compliant() {
        assert_eq!(Compliance::of(&[]).words(), "fully compliant");
        let issue = KnownIssue::parse(
            "The matching board's drag handles need a mouse",
            "",
            "2.5.7",
            None,
        )
        .expect("valid");
        assert_eq!(Compliance::of(&[issue]), Compliance::Partial);
    }

    #[test]
    fn a_known_issue_names_every_problem_with_what_was_typed() {
        let problems = KnownIssue::parse(" ", "ok", "9.9.9", None).expect_err("invalid");
        let fields: Vec<&str> = problems.iter().map(|(field, _)| *field).collect();
        assert_eq!(fields, ["description", "criterion"]);
        let issue = KnownIssue::parse(
            "Charts have no text alternative",
            "Nid oes gan siartiau ddewis testun arall",
            "1.1.1",
            None,
        )
        .expect("valid");
        assert_eq!(
            issue.description_cy.as_deref(),
            Some("Nid oes gan siartiau ddewis testun arall")
        );
    }

    #[test]
    fn the_dates_happened_and_a_review_follows_the_preparation() {
        let today = time::macros::date!(2026 - 12 - 04);
        let dates = StatementDates::parse("2026-01-15", "2026-11-30", "", today).expect("valid");
        assert_eq!(dates.prepared_on, Some(time::macros::date!(2026 - 01 - 15)));
        assert_eq!(dates.manually_checked_on, None);
        let problems =
            StatementDates::parse("2026-11-30", "2026-01-15", "2027-01-01", today).expect_err("x");
        let fields: Vec<&str> = problems.iter().map(|(field, _)| *field).collect();
        assert_eq!(fields, ["manually_checked_on", "reviewed_on"]);
        assert!(StatementDates::parse("15/01/2026", "", "", today).is_err());
    }

    #[test]
    fn contact_details_need_an_address_and_take_a_telephone_number_and_a_reply_time() {
        let contact =
            StatementContact::parse("accessibility@cleveland.police.uk", "01642 326326", "10")
                .expect("valid");
        assert_eq!(contact.phone.as_deref(), Some("01642 326326"));
        assert_eq!(contact.reply_within_days, Some(10));
        let problems = StatementContact::parse("", "call us", "0").expect_err("invalid");
        let fields: Vec<&str> = problems.iter().map(|(field, _)| *field).collect();
        assert_eq!(fields, ["email", "phone", "reply_within_days"]);
    }
}

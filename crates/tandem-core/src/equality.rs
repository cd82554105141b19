//! Equality monitoring (R10.3): who applies to a programme and how far they get, by protected
//! characteristic, published only as a table that no one can be picked out of.
//!
//! For each of eight characteristics, a funnel: a row per group (each answer people gave, then
//! "Prefer not to say" and "Not declared"), a column per stage an application reached at least
//! (applied, eligible, approved, matched, completed), then rates. The store counts; this module
//! names the characteristics, stages and groups, and turns the counts into a [`EqualityTable`]
//! through [`suppress`], so the page, the download and the command line publish the same cells.
//!
//! A suppressed count is written as [`Cell::Text`] ("fewer than 5", "hidden", "withheld"):
//! [`Cell`] has no variant for it, and a count the table must not show has no business in
//! [`Cell::Count`], whose number a chart would plot. A rate is a whole percentage in a
//! [`Cell::Count`] so that a chart can plot it too; [`Cell`] has no percentage variant either.

use crate::codes::codes;
use crate::domain::Declaration;
use crate::reports::{Cell, Column};
use crate::spreadsheet::CsvWriter;
use crate::suppression::{Funnel, FunnelError, Shown, SuppressedFunnel, Threshold, suppress};
use std::cmp::Ordering;
use std::collections::BTreeMap;

codes! {
    /// A protected characteristic (and caring responsibilities) asked about in the HR file;
    /// its token names the report (`equality-sex`) and the choice in an address.
    Characteristic {
        /// Sex.
        Sex => "sex", "Sex";
        /// Gender identity.
        GenderIdentity => "gender-identity", "Gender identity";
        /// Ethnicity.
        Ethnicity => "ethnicity", "Ethnicity";
        /// Disability.
        Disability => "disability", "Disability";
        /// Sexual orientation.
        SexualOrientation => "sexual-orientation", "Sexual orientation";
        /// Religion or belief.
        Religion => "religion", "Religion or belief";
        /// Age band.
        AgeBand => "age-band", "Age band";
        /// Caring responsibilities.
        CaringResponsibilities => "caring-responsibilities", "Caring responsibilities";
    }
}

impl Characteristic {
    /// The report's name on the command line and in a download's file name, e.g.
    /// `equality-sex`.
    pub fn report_name(self) -> &'static str {
        match self {
            Self::Sex => "equality-sex",
            Self::GenderIdentity => "equality-gender-identity",
            Self::Ethnicity => "equality-ethnicity",
            Self::Disability => "equality-disability",
            Self::SexualOrientation => "equality-sexual-orientation",
            Self::Religion => "equality-religion",
            Self::AgeBand => "equality-age-band",
            Self::CaringResponsibilities => "equality-caring-responsibilities",
        }
    }

    /// Reads a report name such as `equality-sex`.
    pub fn parse_report_name(raw: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|it| it.report_name() == raw.trim())
    }

    /// The table's title, e.g. "Equality monitoring: sex".
    pub fn title(self) -> String {
        format!(
            "Equality monitoring: {}",
            self.describe().to_ascii_lowercase()
        )
    }
}

codes! {
    /// How far an application got. Each stage counts the applications that reached it at
    /// least, so no stage has more than the one before (what [`Funnel`] requires).
    Stage {
        /// Submitted.
        Applied => "applied", "Applied";
        /// Through the line manager's authorisation, or needing none.
        Eligible => "eligible", "Eligible";
        /// Approved to take part: on the waiting list, available to mentees, or in a pair.
        Approved => "approved", "Approved";
        /// In a confirmed pair.
        Matched => "matched", "Matched";
        /// In a relationship that closed after its closing reviews.
        Completed => "completed", "Completed";
    }
}

/// How many stages a funnel has.
pub const STAGES: usize = 5;

/// The stages in funnel order.
pub const FUNNEL: [Stage; STAGES] = [
    Stage::Applied,
    Stage::Eligible,
    Stage::Approved,
    Stage::Matched,
    Stage::Completed,
];

/// The applications of one group that reached each stage, in [`FUNNEL`] order.
pub type StageCounts = [u64; STAGES];

/// A row of an equality table: the people who gave one answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Group {
    /// An answer given, in the words stored.
    Declared(String),
    /// Chose not to answer: a group of its own, never merged with those who were not asked.
    PreferNotToSay,
    /// No answer recorded.
    NotDeclared,
}

impl Group {
    /// The group of a stored answer (`None`: not declared).
    pub fn of(answer: Option<&Declaration>) -> Self {
        match answer {
            None => Self::NotDeclared,
            Some(Declaration::PreferNotToSay) => Self::PreferNotToSay,
            Some(Declaration::Declared(text)) => Self::Declared(text.as_ref().to_owned()),
        }
    }

    /// The row's label.
    pub fn label(&self) -> &str {
        match self {
            Self::Declared(text) => text,
            Self::PreferNotToSay => "Prefer not to say",
            Self::NotDeclared => "Not declared",
        }
    }

    /// Answers first, then "Prefer not to say", then "Not declared".
    fn rank(&self) -> u8 {
        match self {
            Self::Declared(_) => 0,
            Self::PreferNotToSay => 1,
            Self::NotDeclared => 2,
        }
    }
}

impl Ord for Group {
    /// Answers in alphabetical order whatever their case (then by case, so the order is
    /// total), before the two groups without an answer.
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank()
            .cmp(&other.rank())
            .then_with(|| {
                self.label()
                    .to_lowercase()
                    .cmp(&other.label().to_lowercase())
            })
            .then_with(|| self.label().cmp(other.label()))
    }
}

impl PartialOrd for Group {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// One characteristic's funnel as it may be published.
#[derive(Debug, Clone, PartialEq)]
pub struct EqualityTable {
    /// Which characteristic.
    pub characteristic: Characteristic,
    /// Counts below it are not shown.
    pub threshold: Threshold,
    /// The groups, in row order (the total row follows them).
    pub groups: Vec<Group>,
    /// How each count and total appears, for a page that marks suppressed cells.
    pub published: SuppressedFunnel,
    /// The columns: the group, a count per stage, then a rate per later stage.
    pub columns: Vec<Column>,
    /// A row per group, then the total row; a cell per column.
    pub rows: Vec<Vec<Cell>>,
    /// What the table shows and what its marks mean, for the page beside it.
    pub summary: String,
}

impl EqualityTable {
    /// The table for `counts` (a group may come more than once; its counts are added), with a
    /// row for every group in `groups` (answers people gave, so a row's presence says nothing
    /// about who applied) and always "Prefer not to say" and "Not declared"; counts below
    /// `threshold` suppressed, and enough others that none can be worked out.
    pub fn build(
        characteristic: Characteristic,
        groups: impl IntoIterator<Item = Group>,
        counts: impl IntoIterator<Item = (Group, StageCounts)>,
        threshold: Threshold,
    ) -> Result<Self, FunnelError> {
        let mut by_group: BTreeMap<Group, StageCounts> = groups
            .into_iter()
            .chain([Group::PreferNotToSay, Group::NotDeclared])
            .map(|group| (group, [0; STAGES]))
            .collect();
        for (group, stages) in counts {
            let row = by_group.entry(group).or_insert([0; STAGES]);
            for (total, count) in row.iter_mut().zip(stages) {
                *total = total.saturating_add(count);
            }
        }
        let (groups, rows): (Vec<Group>, Vec<StageCounts>) = by_group.into_iter().unzip();
        let funnel = Funnel::new(rows.iter().map(|row| row.to_vec()).collect())?;
        let published = suppress(&funnel, threshold);
        let mut table_rows: Vec<Vec<Cell>> = groups
            .iter()
            .zip(&published.cells)
            .map(|(group, shown)| row(group.label(), shown))
            .collect();
        table_rows.push(row("Total", &published.totals));
        let mut columns = vec![Column::text(characteristic.describe())];
        columns.extend(FUNNEL.iter().map(|stage| Column::value(stage.describe())));
        columns.extend(
            FUNNEL[1..]
                .iter()
                .map(|stage| Column::value(&format!("{} of applied %", stage.describe()))),
        );
        Ok(Self {
            characteristic,
            threshold,
            summary: summary(&published, threshold),
            groups,
            published,
            columns,
            rows: table_rows,
        })
    }

    /// The table's title.
    pub fn title(&self) -> String {
        self.characteristic.title()
    }

    /// The table as a CSV file: the protective marking, a line naming what the figures cover,
    /// then the header and the rows exactly as the page shows them, suppression included.
    pub fn csv(&self, marking: &str, covers: &str) -> String {
        let mut file = CsvWriter::with_marking_and_note(
            marking,
            &format!("{}: {covers}", self.title()),
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

/// How a published count reads.
pub fn shown_cell(shown: Shown) -> Cell {
    match shown {
        Shown::Count(count) => Cell::Count(count),
        Shown::FewerThan(below) => Cell::Text(format!("fewer than {below}")),
        Shown::Hidden => Cell::Text("hidden".to_owned()),
        Shown::Withheld => Cell::Text("withheld".to_owned()),
    }
}

/// A stage's share of the applications, as a whole percentage (halves up): only when both
/// counts are published, since a rate of a suppressed count would give it away.
fn rate(part: Shown, whole: Shown) -> Cell {
    match (part, whole) {
        (Shown::Count(part), Shown::Count(whole)) if whole > 0 => {
            let (part, whole) = (u128::from(part), u128::from(whole));
            let percent = (part * 200 + whole) / (whole * 2);
            Cell::Count(u64::try_from(percent).unwrap_or(u64::MAX))
        }
        _ => Cell::Text(String::new()),
    }
}

fn row(label: &str, shown: &[Shown]) -> Vec<Cell> {
    let mut cells = vec![Cell::Text(label.to_owned())];
    cells.extend(shown.iter().copied().map(shown_cell));
    let applied = shown.first().copied().unwrap_or(Shown::Withheld);
    cells.extend(shown.iter().skip(1).map(|&stage| rate(stage, applied)));
    cells
}

fn summary(published: &SuppressedFunnel, threshold: Threshold) -> String {
    let mut sentences = Vec::new();
    let totals: Vec<Option<u64>> = published
        .totals
        .iter()
        .map(|shown| match shown {
            Shown::Count(count) => Some(*count),
            _ => None,
        })
        .collect();
    if let (Some(Some(applied)), Some(Some(matched))) = (totals.first(), totals.get(3)) {
        sentences.push(format!(
            "{applied} applications were made in the period; {matched} of them led to a match."
        ));
    }
    let t = threshold.get();
    if t > 1 {
        sentences.push(format!(
            "To protect the people counted, a count below {t} shows as \"fewer than {t}\", and \
             \"hidden\" marks a count of {t} or more left out so that a smaller one cannot be \
             worked out from the others or the totals."
        ));
    }
    if published.totals.contains(&Shown::Withheld) {
        sentences.push(
            "\"withheld\" marks a total that is not published, because hiding counts alone \
             could not protect the table."
                .to_owned(),
        );
    }
    sentences.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::FreeText;
    use expect_test::expect;

    fn declared(text: &str) -> Group {
        Group::Declared(text.to_owned())
    }

    fn threshold(value: u32) -> Threshold {
        Threshold::new(value).expect("a threshold from 1 to 100")
    }

    /// The table as the CSV file gives it.
    fn file(table: &EqualityTable) -> String {
        table.csv(
            "OFFICIAL-SENSITIVE",
            "Police Scotland, 1 Dec 2025 to 30 Nov 2026",
        )
    }

    #[test]
    fn characteristics_and_stages_have_codes_and_words() {
        let codes: Vec<&str> = Characteristic::ALL.iter().map(|it| it.as_str()).collect();
        assert_eq!(
            codes,
            [
                "sex",
                "gender-identity",
                "ethnicity",
                "disability",
                "sexual-orientation",
                "religion",
                "age-band",
                "caring-responsibilities"
            ]
        );
        for characteristic in Characteristic::ALL {
            assert_eq!(
                Characteristic::parse(characteristic.as_str()),
                Some(*characteristic)
            );
            assert_eq!(
                Characteristic::parse_report_name(characteristic.report_name()),
                Some(*characteristic)
            );
            assert_eq!(
                characteristic.report_name(),
                format!("equality-{}", characteristic.as_str())
            );
        }
        assert_eq!(
            Characteristic::parse_report_name("dashboard-headline"),
            None
        );
        assert_eq!(
            Characteristic::Religion.title(),
            "Equality monitoring: religion or belief"
        );
        assert_eq!(Stage::ALL, FUNNEL);
        let words: Vec<&str> = FUNNEL.iter().map(|it| it.describe()).collect();
        assert_eq!(
            words,
            ["Applied", "Eligible", "Approved", "Matched", "Completed"]
        );
    }

    #[test]
    fn answers_sort_alphabetically_before_prefer_not_to_say_and_not_declared() {
        let answer = |raw: &str| Declaration::parse_optional(raw).expect("an answer");
        assert_eq!(Group::of(None), Group::NotDeclared);
        assert_eq!(
            Group::of(answer("Prefer not to say").as_ref()),
            Group::PreferNotToSay
        );
        assert_eq!(
            Group::of(Some(&Declaration::Declared(
                FreeText::parse_optional("Woman").unwrap().unwrap()
            ))),
            declared("Woman")
        );
        let mut groups = [
            Group::NotDeclared,
            declared("white"),
            Group::PreferNotToSay,
            declared("Asian"),
            declared("White"),
        ];
        groups.sort();
        let labels: Vec<&str> = groups.iter().map(Group::label).collect();
        assert_eq!(
            labels,
            [
                "Asian",
                "White",
                "white",
                "Prefer not to say",
                "Not declared"
            ]
        );
    }

    #[test]
    fn a_small_group_shows_as_fewer_than_and_covering_counts_are_hidden() {
        let table = EqualityTable::build(
            Characteristic::Sex,
            [declared("Female"), declared("Male")],
            [
                (declared("Male"), [20, 18, 15, 10, 4]),
                (declared("Female"), [24, 22, 20, 12, 6]),
                (Group::PreferNotToSay, [3, 3, 2, 1, 0]),
                (Group::NotDeclared, [12, 12, 10, 6, 5]),
            ],
            Threshold::default(),
        )
        .expect("a funnel");
        // Shown alone, each small count would be its column's total less the rest (or the
        // stage before less what left): a count beside it in its column is hidden as well.
        expect![[r##"
            # OFFICIAL-SENSITIVE
            "# Equality monitoring: sex: Police Scotland, 1 Dec 2025 to 30 Nov 2026"
            Sex,Applied,Eligible,Approved,Matched,Completed,Eligible of applied %,Approved of applied %,Matched of applied %,Completed of applied %
            Female,24,22,20,12,6,92,83,50,25
            Male,hidden,18,15,10,fewer than 5,,,,
            Prefer not to say,fewer than 5,fewer than 5,fewer than 5,fewer than 5,fewer than 5,,,,
            Not declared,12,hidden,hidden,hidden,5,,,,42
            Total,59,55,47,29,15,93,80,49,25
        "##]]
        .assert_eq(&file(&table));
        assert!(
            table
                .summary
                .contains("59 applications were made in the period; 29 of them led to a match.")
        );
        assert!(
            table.summary.contains("\"fewer than 5\""),
            "{}",
            table.summary
        );
        assert_eq!(table.groups.len(), 4);
        assert_eq!(table.rows.len(), 5);
    }

    #[test]
    fn threshold_one_shows_every_count_and_rates_of_nothing_are_blank() {
        let table = EqualityTable::build(
            Characteristic::AgeBand,
            [],
            [(declared("25-34"), [2, 1, 1, 0, 0])],
            threshold(1),
        )
        .expect("a funnel");
        expect![[r##"
            # OFFICIAL-SENSITIVE
            "# Equality monitoring: age band: Police Scotland, 1 Dec 2025 to 30 Nov 2026"
            Age band,Applied,Eligible,Approved,Matched,Completed,Eligible of applied %,Approved of applied %,Matched of applied %,Completed of applied %
            25-34,2,1,1,0,0,50,50,0,0
            Prefer not to say,0,0,0,0,0,,,,
            Not declared,0,0,0,0,0,,,,
            Total,2,1,1,0,0,50,50,0,0
        "##]]
        .assert_eq(&file(&table));
        assert!(!table.summary.contains("fewer than"), "{}", table.summary);
    }

    #[test]
    fn a_group_counted_twice_is_added_up_and_groups_without_applicants_still_have_a_row() {
        let table = EqualityTable::build(
            Characteristic::Disability,
            [declared("Yes"), declared("No")],
            [
                (declared("No"), [4, 4, 3, 2, 1]),
                (declared("No"), [3, 2, 2, 1, 1]),
            ],
            threshold(1),
        )
        .expect("a funnel");
        let shown: Vec<String> = table
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .take(6)
                    .map(Cell::shown)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(
            shown,
            [
                "No 7 6 5 3 2",
                "Yes 0 0 0 0 0",
                "Prefer not to say 0 0 0 0 0",
                "Not declared 0 0 0 0 0",
                "Total 7 6 5 3 2"
            ]
        );
    }

    #[test]
    fn counts_that_grow_along_the_funnel_are_refused() {
        let refused = EqualityTable::build(
            Characteristic::Sex,
            [],
            [(declared("Male"), [1, 2, 0, 0, 0])],
            Threshold::default(),
        );
        assert!(
            matches!(refused, Err(FunnelError::Grows { .. })),
            "{refused:?}"
        );
    }

    #[test]
    fn no_count_below_the_threshold_is_published_anywhere() {
        // Rows of 1 to 9 applicants thinning out along the funnel; whatever is suppressed,
        // every number in the file is a count of at least the threshold, a rate or zero rows.
        let counts: Vec<(Group, StageCounts)> = (1..=9_u64)
            .map(|first| {
                let row = [first, first, first.saturating_sub(1), first / 2, first / 3];
                (declared(&format!("Group {first}")), row)
            })
            .collect();
        let table = EqualityTable::build(Characteristic::Ethnicity, [], counts, threshold(5))
            .expect("a funnel");
        for (row, shown) in table.rows.iter().zip(
            table
                .published
                .cells
                .iter()
                .chain([&table.published.totals]),
        ) {
            for (cell, mark) in row[1..=STAGES].iter().zip(shown) {
                match (cell, mark) {
                    (Cell::Count(count), Shown::Count(_)) => assert!(*count >= 5, "{row:?}"),
                    (Cell::Text(_), Shown::Count(_)) | (Cell::Count(_), _) => {
                        panic!("{cell:?} for {mark:?}")
                    }
                    (Cell::Text(_), _) => {}
                    (other, _) => panic!("{other:?}"),
                }
            }
        }
    }
}

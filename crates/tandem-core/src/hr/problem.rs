//! What is wrong with an HR file: each problem located and given a kind, and the collection an
//! import reports, which keeps the first ones in full and counts the rest by kind.

use crate::spreadsheet::{CsvWriter, Kind};
use std::collections::BTreeMap;
use std::fmt;

/// How many problems an import shows one by one; the rest are counted by kind.
pub const SHOWN_PROBLEMS: usize = 200;

/// What kind of problem, as a code: the counts of a report are by kind, and a program reading
/// the problems file can group them without parsing words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProblemKind {
    /// The file has no header row.
    EmptyFile,
    /// The file is UTF-16 (or another encoding than UTF-8).
    WrongEncoding,
    /// The file is not text (a spreadsheet workbook, a zip, an image).
    NotText,
    /// The file's cells are separated by something other than commas.
    WrongSeparator,
    /// A header names a column the format does not have.
    UnknownColumn,
    /// A header names a column twice.
    DuplicateColumn,
    /// A required column is missing.
    MissingColumn,
    /// A row cannot be read as CSV.
    UnreadableRow,
    /// A row has more or fewer fields than the header.
    WrongFieldCount,
    /// A cell is not valid UTF-8.
    NotUtf8,
    /// A cell's value does not parse (a date, an email, an enumeration, …).
    InvalidValue,
    /// The organisation is not known.
    UnknownOrganisation,
    /// The rank or grade maps to no rank band.
    UnknownRank,
    /// A staff number appears twice in the file.
    DuplicateStaffNumber,
    /// An email appears twice in the file.
    DuplicateEmail,
    /// An email belongs to someone else already held.
    EmailTaken,
    /// The line manager is neither in the file nor held.
    UnknownLineManager,
    /// The line-management chain would loop.
    ManagementCycle,
}

impl ProblemKind {
    /// The code, as the problems file writes it.
    pub fn code(self) -> &'static str {
        match self {
            Self::EmptyFile => "empty_file",
            Self::WrongEncoding => "wrong_encoding",
            Self::NotText => "not_text",
            Self::WrongSeparator => "wrong_separator",
            Self::UnknownColumn => "unknown_column",
            Self::DuplicateColumn => "duplicate_column",
            Self::MissingColumn => "missing_column",
            Self::UnreadableRow => "unreadable_row",
            Self::WrongFieldCount => "wrong_field_count",
            Self::NotUtf8 => "not_utf8",
            Self::InvalidValue => "invalid_value",
            Self::UnknownOrganisation => "unknown_organisation",
            Self::UnknownRank => "unknown_rank",
            Self::DuplicateStaffNumber => "duplicate_staff_number",
            Self::DuplicateEmail => "duplicate_email",
            Self::EmailTaken => "email_taken",
            Self::UnknownLineManager => "unknown_line_manager",
            Self::ManagementCycle => "management_cycle",
        }
    }

    /// In words, for a count ("Values that do not parse: 12").
    pub fn label(self) -> &'static str {
        match self {
            Self::EmptyFile => "Empty file",
            Self::WrongEncoding => "File not saved as UTF-8",
            Self::NotText => "File is not text",
            Self::WrongSeparator => "Cells not separated by commas",
            Self::UnknownColumn => "Unknown columns",
            Self::DuplicateColumn => "Columns named twice",
            Self::MissingColumn => "Missing required columns",
            Self::UnreadableRow => "Rows that cannot be read",
            Self::WrongFieldCount => "Rows with the wrong number of fields",
            Self::NotUtf8 => "Cells not in UTF-8",
            Self::InvalidValue => "Values that do not parse",
            Self::UnknownOrganisation => "Unknown organisations",
            Self::UnknownRank => "Ranks or grades without a rank band",
            Self::DuplicateStaffNumber => "Staff numbers used twice",
            Self::DuplicateEmail => "Emails used twice in the file",
            Self::EmailTaken => "Emails that belong to someone else",
            Self::UnknownLineManager => "Unknown line managers",
            Self::ManagementCycle => "Line-management cycles",
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One thing wrong with an HR file, located so the person fixing the file can find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// The file's own 1-based line, as an editor or a spreadsheet shows it (the header is
    /// line 1); a row whose quoted cell holds line breaks is located by the line it starts on.
    pub line: u64,
    /// The column as the file's header names it, when the problem is in one cell.
    pub column: Option<String>,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// What is wrong and, where it helps, what to do; never with control characters.
    pub reason: String,
}

impl ImportProblem {
    pub(crate) fn cell(
        line: u64,
        column: impl AsRef<str>,
        kind: ProblemKind,
        reason: impl AsRef<str>,
    ) -> Self {
        Self {
            line,
            column: Some(printable(column.as_ref())),
            kind,
            reason: printable(reason.as_ref()),
        }
    }

    pub(crate) fn line(line: u64, kind: ProblemKind, reason: impl AsRef<str>) -> Self {
        Self {
            line,
            column: None,
            kind,
            reason: printable(reason.as_ref()),
        }
    }
}

/// `text` with every control character written as an escape (`\0`, `\u{1b}`): a message
/// quotes what the file held, and a terminal would otherwise run the escape sequences of a
/// hostile or binary file, or a page show nothing where a NUL is.
pub fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| match c {
            '\0' => "\\0".to_owned(),
            c if c.is_control() => c.escape_default().to_string(),
            c => c.to_string(),
        })
        .collect()
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, column {}: {}", self.line, column, self.reason),
            None => write!(f, "line {}: {}", self.line, self.reason),
        }
    }
}

/// Which problems an import keeps in full; all are counted whatever this says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Every problem (for a problems file an operator asked for).
    All,
    /// The first this many by line, so that what is kept does not grow with a bad file.
    First(usize),
}

/// Every problem of an import counted by kind, with the first ones (by line) kept in full.
///
/// A file of bad rows has several problems a row, each longer than the row, so keeping them
/// all would take a multiple of the upload's memory; keeping the first few bounds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblems {
    kept: Vec<ImportProblem>,
    keep: Keep,
    counts: BTreeMap<ProblemKind, u64>,
    total: u64,
}

impl Default for ImportProblems {
    fn default() -> Self {
        Self::new(Keep::All)
    }
}

impl ImportProblems {
    /// None yet, keeping `keep` of those to come.
    pub fn new(keep: Keep) -> Self {
        Self {
            kept: Vec::new(),
            keep,
            counts: BTreeMap::new(),
            total: 0,
        }
    }

    pub(crate) fn push(&mut self, problem: ImportProblem) {
        self.total += 1;
        *self.counts.entry(problem.kind).or_default() += 1;
        self.kept.push(problem);
        if let Keep::First(limit) = self.keep
            && self.kept.len() >= limit.max(1) * 2
        {
            self.settle();
        }
    }

    /// Sorts what is kept by line (stably, so a row's problems stay in column order) and
    /// drops what is past the limit.
    pub(crate) fn settle(&mut self) {
        self.kept.sort_by_key(|problem| problem.line);
        if let Keep::First(limit) = self.keep {
            self.kept.truncate(limit);
        }
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// How many problems there are, kept or not.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The problems kept in full, by line.
    pub fn iter(&self) -> std::slice::Iter<'_, ImportProblem> {
        self.kept.iter()
    }

    /// How many problems were counted but not kept.
    pub fn not_kept(&self) -> u64 {
        self.total - self.kept.len() as u64
    }

    /// How many of each kind, in the order of [`ProblemKind`].
    pub fn counts(&self) -> impl Iterator<Item = (ProblemKind, u64)> + '_ {
        self.counts.iter().map(|(kind, count)| (*kind, *count))
    }

    /// The problems kept as a CSV file (line, column, kind, problem), written by the one
    /// [`CsvWriter`], so a spreadsheet runs nothing a bad file put in a cell.
    pub fn csv(&self, marking: &str) -> Vec<u8> {
        let mut writer = CsvWriter::with_marking(
            marking,
            [
                ("line", Kind::Value),
                ("column", Kind::Text),
                ("kind", Kind::Value),
                ("problem", Kind::Text),
            ],
        );
        for problem in &self.kept {
            writer.row([
                problem.line.to_string().as_str(),
                problem.column.as_deref().unwrap_or_default(),
                problem.kind.code(),
                &problem.reason,
            ]);
        }
        writer.finish()
    }
}

impl<'a> IntoIterator for &'a ImportProblems {
    type Item = &'a ImportProblem;
    type IntoIter = std::slice::Iter<'a, ImportProblem>;

    fn into_iter(self) -> Self::IntoIter {
        self.kept.iter()
    }
}

//! Reading and writing the HR CSV: columns, cells and their domain types.

use super::{ImportProblem, ImportProblems, Keep, ProblemKind};
use crate::domain::{
    Declaration, Email, EmploymentStatus, FreeText, OrgCode, ParseError, PersonName, RankOrGrade,
    RoleType, StaffNumber,
};
use crate::person::{DiversityData, PersonRecord};
use crate::spreadsheet::{self, CsvWriter, Kind};
use time::Date;
use time::macros::format_description;

/// A column of the HR file. The header may list them in any order and any case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    /// `staff_number`*
    StaffNumber,
    /// `organisation`*
    Organisation,
    /// `first_name`*
    FirstName,
    /// `last_name`*
    LastName,
    /// `email`*
    Email,
    /// `department`
    Department,
    /// `location`
    Location,
    /// `rank_or_grade`*
    RankOrGrade,
    /// `role_type`*
    RoleType,
    /// `line_manager_staff_number`
    LineManagerStaffNumber,
    /// `start_date`*
    StartDate,
    /// `on_probation`
    OnProbation,
    /// `under_performance_management`
    UnderPerformanceManagement,
    /// `employment_status`*
    EmploymentStatus,
    /// One of the eight optional diversity columns, by index into [`DiversityData::COLUMNS`].
    Diversity(usize),
}

impl Column {
    /// Every column in the order [`write_file`] writes them.
    pub fn all() -> Vec<Self> {
        let mut columns = vec![
            Self::StaffNumber,
            Self::Organisation,
            Self::FirstName,
            Self::LastName,
            Self::Email,
            Self::Department,
            Self::Location,
            Self::RankOrGrade,
            Self::RoleType,
            Self::LineManagerStaffNumber,
            Self::StartDate,
            Self::OnProbation,
            Self::UnderPerformanceManagement,
            Self::EmploymentStatus,
        ];
        columns.extend((0..DiversityData::COLUMNS.len()).map(Self::Diversity));
        columns
    }

    /// The header name.
    pub fn name(self) -> &'static str {
        match self {
            Self::StaffNumber => "staff_number",
            Self::Organisation => "organisation",
            Self::FirstName => "first_name",
            Self::LastName => "last_name",
            Self::Email => "email",
            Self::Department => "department",
            Self::Location => "location",
            Self::RankOrGrade => "rank_or_grade",
            Self::RoleType => "role_type",
            Self::LineManagerStaffNumber => "line_manager_staff_number",
            Self::StartDate => "start_date",
            Self::OnProbation => "on_probation",
            Self::UnderPerformanceManagement => "under_performance_management",
            Self::EmploymentStatus => "employment_status",
            Self::Diversity(idx) => DiversityData::COLUMNS[idx],
        }
    }

    /// Whether the column holds text people typed (neutralised for spreadsheets on export, and
    /// restored on import) or a value with a closed form (a code, date, flag or enumeration).
    pub fn kind(self) -> Kind {
        match self {
            Self::Organisation
            | Self::RoleType
            | Self::StartDate
            | Self::OnProbation
            | Self::UnderPerformanceManagement
            | Self::EmploymentStatus => Kind::Value,
            Self::StaffNumber
            | Self::FirstName
            | Self::LastName
            | Self::Email
            | Self::Department
            | Self::Location
            | Self::RankOrGrade
            | Self::LineManagerStaffNumber
            | Self::Diversity(_) => Kind::Text,
        }
    }

    /// Whether every file must have this column.
    pub fn is_required(self) -> bool {
        matches!(
            self,
            Self::StaffNumber
                | Self::Organisation
                | Self::FirstName
                | Self::LastName
                | Self::Email
                | Self::RankOrGrade
                | Self::RoleType
                | Self::StartDate
                | Self::EmploymentStatus
        )
    }

    fn from_header(header: &str) -> Option<Self> {
        let header = header.trim().to_ascii_lowercase();
        Self::all()
            .into_iter()
            .find(|column| column.name() == header)
    }
}

/// One person's row, with the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HrRow {
    /// The 1-based line the row starts on.
    pub line: u64,
    /// The parsed record.
    pub record: PersonRecord,
}

/// An HR file as read: the rows that parsed, and the problems of those that did not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HrFile {
    /// Rows whose every cell parsed.
    pub rows: Vec<HrRow>,
    /// Every problem in the rows that did not parse (counted; kept as the reader was asked).
    pub problems: ImportProblems,
    /// People on rows that did not parse but whose organisation and staff number did: other
    /// rows may name them as line manager without that being reported as a second problem.
    pub unparsed_people: Vec<(OrgCode, StaffNumber)>,
}

/// Reads an HR file, keeping every problem. Fails only when the file as a whole cannot be read
/// (not UTF-8 text, no header, unknown or missing columns); a bad row is reported in
/// [`HrFile::problems`] and the other rows are still read, so that checking them against each
/// other and the directory can report their problems too.
pub fn read_file(bytes: &[u8]) -> Result<HrFile, ImportProblems> {
    read_file_keeping(bytes, Keep::All)
}

/// Reads an HR file like [`read_file`], keeping only `keep` of its problems in full.
pub fn read_file_keeping(bytes: &[u8], keep: Keep) -> Result<HrFile, ImportProblems> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut problems = ImportProblems::new(keep);
    if let Some(problem) = not_utf8_text(bytes) {
        problems.push(problem);
        return Err(problems);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let mut lines = LineNumbers::new(bytes);

    let header = match records.next() {
        None => {
            problems.push(ImportProblem::line(
                1,
                ProblemKind::EmptyFile,
                "the file is empty; it needs a header row and a row per person",
            ));
            return Err(problems);
        }
        Some(Err(err)) => {
            problems.push(ImportProblem::line(
                1,
                ProblemKind::UnreadableRow,
                format!("cannot read the header row: {err}"),
            ));
            return Err(problems);
        }
        Some(Ok(header)) => header,
    };
    let line = lines.of(header.position());
    if let Some(problem) = other_separator(line, &header) {
        problems.push(problem);
        return Err(problems);
    }
    let layout = match read_header(line, &header) {
        Ok(layout) => layout,
        Err(header_problems) => {
            for problem in header_problems {
                problems.push(problem);
            }
            return Err(problems);
        }
    };

    let mut rows = Vec::new();
    let mut unparsed_people = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = lines.of(err.position());
                problems.push(ImportProblem::line(
                    line,
                    ProblemKind::UnreadableRow,
                    format!("cannot read this row: {err}"),
                ));
                continue;
            }
        };
        let line = lines.of(record.position());
        if record
            .iter()
            .all(|field| field.iter().all(u8::is_ascii_whitespace))
        {
            continue;
        }
        if record.len() != layout.len() {
            problems.push(ImportProblem::line(
                line,
                ProblemKind::WrongFieldCount,
                format!(
                    "has {} fields but the header has {}; check for a stray comma or quote",
                    record.len(),
                    layout.len()
                ),
            ));
            continue;
        }
        match read_row(line, &layout, &record) {
            Ok(row) => rows.push(row),
            Err((row_problems, person)) => {
                for problem in row_problems {
                    problems.push(problem);
                }
                unparsed_people.extend(person);
            }
        }
    }
    problems.settle();
    Ok(HrFile {
        rows,
        problems,
        unparsed_people,
    })
}

/// How to save a file so that it reads; every refusal of a whole file ends with it.
const SAVE_AS_CSV: &str = "open it in the spreadsheet or HR system it came from and save it as \"CSV UTF-8 (comma delimited)\", then upload that";

/// Says what a file is when it is not UTF-8 text: UTF-16 (with or without its byte-order
/// mark), or not text at all. Without this, its header is read as one garbled column name.
fn not_utf8_text(bytes: &[u8]) -> Option<ImportProblem> {
    let wrong_encoding = |what: &str| {
        ImportProblem::line(
            1,
            ProblemKind::WrongEncoding,
            format!("the file is {what}, not UTF-8; {SAVE_AS_CSV}"),
        )
    };
    let not_text = |what: &str| {
        ImportProblem::line(
            1,
            ProblemKind::NotText,
            format!("the file is {what}, not a CSV file; {SAVE_AS_CSV}"),
        )
    };
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Some(wrong_encoding(
            "UTF-16 (it starts with a UTF-16 byte-order mark)",
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Some(not_text(
            "a spreadsheet workbook or zip archive (such as .xlsx)",
        ));
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Some(not_text("an older Excel workbook (.xls)"));
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let nuls = sample.iter().filter(|byte| **byte == 0).count();
    if nuls > 0 {
        // UTF-16 of text in Latin letters has a NUL in every other byte, all at even offsets
        // (big-endian) or all at odd ones (little-endian).
        let at_even = sample.iter().step_by(2).filter(|byte| **byte == 0).count();
        let half = sample.len() / 2;
        return Some(
            if half > 0 && (at_even == nuls || at_even == 0) && nuls * 3 >= half {
                wrong_encoding("UTF-16 (every other byte is zero)")
            } else {
                not_text("binary data")
            },
        );
    }
    let controls = sample
        .iter()
        .filter(|byte| byte.is_ascii_control() && !matches!(byte, b'\t' | b'\r' | b'\n'))
        .count();
    (controls * 10 > sample.len()).then(|| not_text("binary data"))
}

/// Says so when the header is one cell that semicolons or tabs would split into columns: the
/// file was saved with another separator, as spreadsheets in some languages do.
fn other_separator(line: u64, header: &csv::ByteRecord) -> Option<ImportProblem> {
    if header.len() != 1 {
        return None;
    }
    let cell = header.get(0)?;
    let (separator, name) = [(b';', "semicolons"), (b'\t', "tabs")]
        .into_iter()
        .find(|(separator, _)| cell.contains(separator))?;
    let known = cell
        .split(|byte| *byte == separator)
        .filter(|raw| Column::from_header(&String::from_utf8_lossy(raw)).is_some())
        .count();
    (known > 0).then(|| {
        ImportProblem::line(
            line,
            ProblemKind::WrongSeparator,
            format!("the file's cells are separated by {name}, not commas; {SAVE_AS_CSV}"),
        )
    })
}

/// The file's own line numbers, as an editor or a spreadsheet shows them, for the records the
/// reader hands back.
///
/// The reader's own `Position::line` is where it stood when it began the record: before the
/// `\n` of a CRLF that ended the row above, and before any blank lines it then skips, so it is
/// one (or more) too low for files saved on Windows. The record's byte offset has the same
/// start, so the line is counted from the first byte of the record itself.
struct LineNumbers<'a> {
    bytes: &'a [u8],
    /// How far the line breaks have been counted, and the line that offset is on.
    counted: usize,
    line: u64,
}

impl<'a> LineNumbers<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            counted: 0,
            line: 1,
        }
    }

    /// The line a record starts on; records come in file order, so each call counts on from the
    /// last. A line break is LF, CRLF, or a CR alone, as the CSV reader takes them.
    fn of(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(position) = position else {
            return self.line;
        };
        let mut start = usize::try_from(position.byte())
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start < self.counted {
            self.counted = 0;
            self.line = 1;
        }
        for (idx, &byte) in self.bytes[self.counted..start].iter().enumerate() {
            let at = self.counted + idx;
            let breaks = byte == b'\n' || (byte == b'\r' && self.bytes.get(at + 1) != Some(&b'\n'));
            self.line += u64::from(breaks);
        }
        self.counted = start;
        self.line
    }
}

fn read_header(line: u64, header: &csv::ByteRecord) -> Result<Vec<Column>, Vec<ImportProblem>> {
    let mut problems = Vec::new();
    let mut layout = Vec::with_capacity(header.len());
    let known = || {
        Column::all()
            .iter()
            .map(|column| column.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (idx, raw) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(raw);
        match Column::from_header(&name) {
            // An unnamed column (often a trailing comma) has no name to locate it by, so its
            // position does.
            None if name.trim().is_empty() => problems.push(ImportProblem::line(
                line,
                ProblemKind::UnknownColumn,
                format!(
                    "column {} of the header has no name; delete the column or name it one of {}",
                    idx + 1,
                    known()
                ),
            )),
            Some(column) if layout.contains(&column) => {
                problems.push(ImportProblem::cell(
                    line,
                    name.trim(),
                    ProblemKind::DuplicateColumn,
                    "this column appears twice",
                ));
            }
            Some(column) => layout.push(column),
            None => problems.push(ImportProblem::cell(
                line,
                name.trim(),
                ProblemKind::UnknownColumn,
                format!(
                    "unknown column '{}'; the columns are {}",
                    name.trim(),
                    known()
                ),
            )),
        }
    }
    for column in Column::all()
        .into_iter()
        .filter(|column| column.is_required())
    {
        if !layout.contains(&column) {
            problems.push(ImportProblem::line(
                line,
                ProblemKind::MissingColumn,
                format!("missing required column '{}'", column.name()),
            ));
        }
    }
    if problems.is_empty() {
        Ok(layout)
    } else {
        Err(problems)
    }
}

fn read_row(line: u64, layout: &[Column], record: &csv::ByteRecord) -> Result<HrRow, UnparsedRow> {
    let mut problems = Vec::new();
    let mut cells: Vec<(Column, &str)> = Vec::with_capacity(layout.len());
    for (&column, raw) in layout.iter().zip(record) {
        match std::str::from_utf8(raw) {
            // A text cell the export wrote as `'-Smith` (so a spreadsheet shows it as text) is
            // read back as `-Smith`: the import takes its own export unchanged.
            Ok(text) if column.kind() == Kind::Text => {
                cells.push((column, spreadsheet::restored(text)));
            }
            Ok(text) => cells.push((column, text)),
            Err(_) => problems.push(ImportProblem::cell(
                line,
                column.name(),
                ProblemKind::NotUtf8,
                "is not valid UTF-8; save the file as \"CSV UTF-8 (comma delimited)\"",
            )),
        }
    }
    let cell = |column: Column| {
        cells
            .iter()
            .find(|(it, _)| *it == column)
            .map_or("", |(_, text)| *text)
    };
    let mut parse = Cells {
        line,
        problems: &mut problems,
    };

    let staff_number = parse.take(
        Column::StaffNumber,
        StaffNumber::parse(cell(Column::StaffNumber)),
    );
    let organisation = parse.take(
        Column::Organisation,
        OrgCode::parse(cell(Column::Organisation)),
    );
    let first_name = parse.take(
        Column::FirstName,
        PersonName::parse(cell(Column::FirstName)),
    );
    let last_name = parse.take(Column::LastName, PersonName::parse(cell(Column::LastName)));
    let email = parse.take(Column::Email, Email::parse(cell(Column::Email)));
    let department = parse.take(
        Column::Department,
        FreeText::parse_optional(cell(Column::Department)),
    );
    let location = parse.take(
        Column::Location,
        FreeText::parse_optional(cell(Column::Location)),
    );
    let rank_or_grade = parse.take(
        Column::RankOrGrade,
        RankOrGrade::parse(cell(Column::RankOrGrade)),
    );
    let role_type = parse.take(Column::RoleType, RoleType::parse(cell(Column::RoleType)));
    let line_manager = parse.take(Column::LineManagerStaffNumber, {
        let raw = cell(Column::LineManagerStaffNumber);
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            StaffNumber::parse(raw).map(Some)
        }
    });
    let start_date = parse.take(Column::StartDate, parse_date(cell(Column::StartDate)));
    let on_probation = parse.take(Column::OnProbation, parse_flag(cell(Column::OnProbation)));
    let under_performance_management = parse.take(
        Column::UnderPerformanceManagement,
        parse_flag(cell(Column::UnderPerformanceManagement)),
    );
    let employment_status = parse.take(
        Column::EmploymentStatus,
        EmploymentStatus::parse(cell(Column::EmploymentStatus)),
    );
    let mut diversity = DiversityData::default();
    for (idx, answer) in diversity.answers_mut().into_iter().enumerate() {
        *answer = parse
            .take(
                Column::Diversity(idx),
                Declaration::parse_optional(cell(Column::Diversity(idx))),
            )
            .flatten();
    }

    let organisation_and_number = organisation.clone().zip(staff_number.clone());
    let record = (|| {
        Some(PersonRecord {
            organisation: organisation?,
            staff_number: staff_number?,
            first_name: first_name?,
            last_name: last_name?,
            email: email?,
            department: department?,
            location: location?,
            rank_or_grade: rank_or_grade?,
            role_type: role_type?,
            line_manager: line_manager?,
            start_date: start_date?,
            on_probation: on_probation?,
            under_performance_management: under_performance_management?,
            employment_status: employment_status?,
            diversity,
        })
    })();
    match record {
        Some(record) if problems.is_empty() => Ok(HrRow { line, record }),
        _ => Err((problems, organisation_and_number)),
    }
}

/// A row that did not parse: its problems, and who it is about when that much parsed.
type UnparsedRow = (Vec<ImportProblem>, Option<(OrgCode, StaffNumber)>);

/// Collects the problem of each cell that does not parse, so a row reports all of them.
struct Cells<'a> {
    line: u64,
    problems: &'a mut Vec<ImportProblem>,
}

impl Cells<'_> {
    fn take<T>(&mut self, column: Column, result: Result<T, ParseError>) -> Option<T> {
        result
            .map_err(|err| {
                self.problems.push(ImportProblem::cell(
                    self.line,
                    column.name(),
                    ProblemKind::InvalidValue,
                    err.to_string(),
                ))
            })
            .ok()
    }
}

fn parse_date(raw: &str) -> Result<Date, ParseError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(ParseError::new(
            "is empty; give the start of service as YYYY-MM-DD",
        ));
    }
    Date::parse(raw, format_description!("[year]-[month]-[day]")).map_err(|_| {
        ParseError::new(format!(
            "'{raw}' is not a date: use YYYY-MM-DD, e.g. 2019-04-01"
        ))
    })
}

fn parse_flag(raw: &str) -> Result<bool, ParseError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "" | "false" | "no" => Ok(false),
        "true" | "yes" => Ok(true),
        other => Err(ParseError::new(format!(
            "'{other}' is not true, false, yes, no or empty"
        ))),
    }
}

/// Writes people in the import format with every column, so an export can be re-imported
/// unchanged; text cells are neutralised for spreadsheets, and [`read_file`] restores them.
pub fn write_file<'a>(people: impl IntoIterator<Item = &'a PersonRecord>) -> Vec<u8> {
    let columns = Column::all();
    let mut writer = CsvWriter::new(columns.iter().map(|column| (column.name(), column.kind())));
    for person in people {
        writer.row(columns.iter().map(|&column| cell_text(person, column)));
    }
    writer.finish()
}

fn cell_text(person: &PersonRecord, column: Column) -> String {
    let optional =
        |text: &Option<FreeText>| text.as_ref().map_or(String::new(), ToString::to_string);
    match column {
        Column::StaffNumber => person.staff_number.to_string(),
        Column::Organisation => person.organisation.to_string(),
        Column::FirstName => person.first_name.to_string(),
        Column::LastName => person.last_name.to_string(),
        Column::Email => person.email.to_string(),
        Column::Department => optional(&person.department),
        Column::Location => optional(&person.location),
        Column::RankOrGrade => person.rank_or_grade.to_string(),
        Column::RoleType => person.role_type.to_string(),
        Column::LineManagerStaffNumber => person
            .line_manager
            .as_ref()
            .map_or(String::new(), ToString::to_string),
        Column::StartDate => person.start_date.to_string(),
        Column::OnProbation => person.on_probation.to_string(),
        Column::UnderPerformanceManagement => person.under_performance_management.to_string(),
        Column::EmploymentStatus => person.employment_status.to_string(),
        Column::Diversity(idx) => person.diversity.answers()[idx]
            .as_ref()
            .map_or(String::new(), |it| it.as_str().to_owned()),
    }
}

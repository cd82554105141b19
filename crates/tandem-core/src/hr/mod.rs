//! The HR directory file (REQUIREMENTS Appendix A): reading it, planning an import against what
//! the installation already holds, and writing it back out.
//!
//! An import is all-or-nothing: [`read_file`] and [`plan_import`] collect every problem, each with
//! its line and column, and only a plan without problems is handed to the store.

mod file;
mod plan;

pub use file::{Column, HrFile, HrRow, read_file, write_file};
pub use plan::{Directory, ExistingPerson, ImportOptions, ImportPlan, PersonChange, plan_import};

use std::fmt;

/// One thing wrong with an HR file, located so the person fixing the file can find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// The file's own 1-based line, as an editor or a spreadsheet shows it (the header is
    /// line 1); a row whose quoted cell holds line breaks is located by the line it starts on.
    pub line: u64,
    /// The column as the file's header names it, when the problem is in one cell.
    pub column: Option<String>,
    /// What is wrong and, where it helps, what to do.
    pub reason: String,
}

impl ImportProblem {
    pub(crate) fn cell(line: u64, column: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            line,
            column: Some(column.into()),
            reason: reason.into(),
        }
    }

    pub(crate) fn line(line: u64, reason: impl Into<String>) -> Self {
        Self {
            line,
            column: None,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, column {}: {}", self.line, column, self.reason),
            None => write!(f, "line {}: {}", self.line, self.reason),
        }
    }
}

/// Problems sorted by line, so the report reads top to bottom like the file.
pub(crate) fn sorted(mut problems: Vec<ImportProblem>) -> Vec<ImportProblem> {
    problems.sort_by_key(|problem| problem.line);
    problems
}

#[cfg(test)]
mod tests;

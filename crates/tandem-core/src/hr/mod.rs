//! The HR directory file (REQUIREMENTS Appendix A): reading it, planning an import against what
//! the installation already holds, and writing it back out.
//!
//! An import is all-or-nothing: [`read_file`] and [`plan_import`] collect every problem, each with
//! its line and column, and only a plan without problems is handed to the store.

mod file;
mod plan;
mod problem;

pub use file::{Column, HrFile, HrRow, read_file, read_file_keeping, write_file};
pub use plan::{Directory, ExistingPerson, ImportOptions, ImportPlan, PersonChange, plan_import};
pub use problem::{ImportProblem, ImportProblems, Keep, ProblemKind, SHOWN_PROBLEMS, printable};

#[cfg(test)]
mod problem_tests;
#[cfg(test)]
mod tests;

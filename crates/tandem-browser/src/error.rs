//! The suite's one error type.
//!
//! Rule: every harness function returns `Result<_, Error>`, and the message says what was being
//! done and, for a missing tool, exactly what to install. `journey` turns an error (or a panic)
//! into a failed test with the screenshot and HTML saved. Messages are lowercase, without a
//! trailing period.

use std::path::PathBuf;

/// What went wrong while setting up the browser suite or running a journey.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A program or file the suite needs is not on this machine.
    #[error("{what} is missing ({path}); {install}")]
    Missing {
        /// The tool, in words (`chromium`, `chromedriver`, `axe-core`…).
        what: &'static str,
        /// Where the suite looked.
        path: PathBuf,
        /// The command that installs it.
        install: &'static str,
    },
    /// A process the suite runs (tandem, chromedriver) failed or did not start.
    #[error("{0}")]
    Process(String),
    /// Reading or writing a file, or spawning a process, failed.
    #[error("{doing}: {source}")]
    Io {
        /// What the suite was doing.
        doing: String,
        /// The cause.
        source: std::io::Error,
    },
    /// chromedriver refused to start a chromium session.
    #[error("cannot start a headless chromium session through chromedriver: {0}")]
    Session(#[from] fantoccini::error::NewSessionError),
    /// A WebDriver command failed (no such element, navigation error, script error…).
    #[error("{doing}: {source}")]
    WebDriver {
        /// What the journey was doing, with the element or page it was looking for.
        doing: String,
        /// The cause.
        source: fantoccini::error::CmdError,
    },
    /// A check found a problem: the page is not what the journey expects, axe found
    /// violations, or the keyboard cannot reach something.
    #[error("{0}")]
    Check(String),
}

impl Error {
    /// An I/O error with what was being done.
    pub(crate) fn io(doing: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let doing = doing.into();
        move |source| Self::Io { doing, source }
    }

    /// A WebDriver error with what was being done.
    pub(crate) fn webdriver(
        doing: impl Into<String>,
    ) -> impl FnOnce(fantoccini::error::CmdError) -> Self {
        let doing = doing.into();
        move |source| Self::WebDriver { doing, source }
    }
}

/// Lets a journey use fantoccini's `Element` and `Client` directly with `?`.
impl From<fantoccini::error::CmdError> for Error {
    fn from(source: fantoccini::error::CmdError) -> Self {
        Self::WebDriver {
            doing: "a WebDriver command failed".to_owned(),
            source,
        }
    }
}

/// The result of every harness function.
pub type Result<T, E = Error> = std::result::Result<T, E>;

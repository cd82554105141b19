//! The real `tandem` binary serving the demo from a fresh SQLite database, one per journey.

use crate::error::{Error, Result};
use crate::tools;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// How long seeding and starting may take before the suite gives up; seeding the demo takes a
/// few seconds on two cores, so this only catches a hung process.
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// A running `tandem demo` with its own database; the process is killed when this is dropped,
/// so a failing or panicking journey never leaves a server behind.
#[derive(Debug)]
pub struct Server {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    base_url: String,
    /// The server's log (its standard error), kept for the artifacts of a failed journey.
    log: PathBuf,
    /// Killed on drop (`kill_on_drop`).
    _process: Child,
    /// The database and the log; removed on drop, after the process is killed.
    _dir: tempfile::TempDir,
}

impl Server {
    /// Seeds the demo into a fresh database (`demo --seed-only`) and serves it on a free port
    /// (`demo --listen 127.0.0.1:0`), reading the address the server prints.
    pub async fn start() -> Result<Self> {
        let binary = tools::tandem_binary()?;
        let dir = tempfile::Builder::new()
            .prefix("tandem-browser-")
            .tempdir()
            .map_err(Error::io("cannot make a temporary folder for the database"))?;
        let database = format!("sqlite://{}", dir.path().join("demo.db").display());
        let log = dir.path().join("server.log");

        let seed = tokio::time::timeout(
            START_TIMEOUT,
            Command::new(&binary)
                .args(["--database", &database, "demo", "--seed-only"])
                .env("RUST_LOG", "warn")
                .output(),
        )
        .await
        .map_err(|_| Error::Process("`tandem demo --seed-only` did not finish".to_owned()))?
        .map_err(Error::io(format!("cannot run {}", binary.display())))?;
        if !seed.status.success() {
            return Err(Error::Process(format!(
                "`tandem demo --seed-only` failed ({}): {}",
                seed.status,
                String::from_utf8_lossy(&seed.stderr)
            )));
        }

        let log_file =
            std::fs::File::create(&log).map_err(Error::io("cannot create the server log"))?;
        let mut process = Command::new(&binary)
            .args(["--database", &database, "demo", "--listen", "127.0.0.1:0"])
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .kill_on_drop(true)
            .spawn()
            .map_err(Error::io(format!("cannot start {}", binary.display())))?;
        let stdout = process
            .stdout
            .take()
            .ok_or_else(|| Error::Process("the server's output is not piped".to_owned()))?;
        let address = match tokio::time::timeout(START_TIMEOUT, read_address(stdout)).await {
            Ok(Ok(address)) => address,
            Ok(Err(err)) => return Err(with_log(&err.to_string(), &log)),
            Err(_) => return Err(with_log("`tandem demo` did not print its address", &log)),
        };
        Ok(Self {
            base_url: format!("http://{address}"),
            log,
            _process: process,
            _dir: dir,
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The server's log so far, for the artifacts of a failed journey.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// Reads `Tandem is running at http://ADDR/ …` and keeps draining the output afterwards, so the
/// server never blocks on a full pipe.
async fn read_address(stdout: tokio::process::ChildStdout) -> Result<String> {
    let mut lines = BufReader::new(stdout).lines();
    while let Some(line) = lines
        .next_line()
        .await
        .map_err(Error::io("cannot read the server's output"))?
    {
        if let Some(rest) = line.strip_prefix("Tandem is running at http://")
            && let Some(address) = rest.split('/').next()
        {
            let address = address.to_owned();
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return Ok(address);
        }
    }
    Err(Error::Process(
        "`tandem demo` exited before it printed its address".to_owned(),
    ))
}

/// The process error with the server's log, which goes with the temporary folder.
fn with_log(message: &str, log: &std::path::Path) -> Error {
    let log = std::fs::read_to_string(log).unwrap_or_default();
    Error::Process(format!("{message}; its log:\n{log}"))
}

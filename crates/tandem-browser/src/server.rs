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
    /// The database it serves, as `--database` takes it.
    database: String,
    /// Killed on drop (`kill_on_drop`).
    _process: Child,
    /// The database and the log; removed on drop, after the process is killed.
    _dir: tempfile::TempDir,
}

impl Server {
    /// Copies the seeded demo into a fresh database and serves it on a free port
    /// (`demo --listen 127.0.0.1:0`), reading the address the server prints.
    pub async fn start() -> Result<Self> {
        let binary = tools::tandem_binary()?;
        let dir = tempfile::Builder::new()
            .prefix("tandem-browser-")
            .tempdir()
            .map_err(Error::io("cannot make a temporary folder for the database"))?;
        let file = dir.path().join("demo.db");
        copy_database(&seeded_demo().await?, &file)?;
        let database = format!("sqlite://{}", file.display());
        let log = dir.path().join("server.log");

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
            database,
            _process: process,
            _dir: dir,
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Runs a `tandem` command against the database this server serves (as an operator would
    /// on the same machine) and returns what it printed; fails with its error output.
    pub async fn command(&self, args: &[&str]) -> Result<String> {
        let binary = tools::tandem_binary()?;
        let output = Command::new(&binary)
            .arg("--database")
            .arg(&self.database)
            .args(args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .output()
            .await
            .map_err(Error::io(format!("cannot run {}", binary.display())))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(Error::Process(format!(
                "`tandem {}` failed ({}): {}",
                args.join(" "),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            )))
        }
    }

    /// The server's log so far, for the artifacts of a failed journey.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// The demo seeded once for this test process (`tandem demo --seed-only`), which every journey
/// copies: seeding takes seconds, copying a few milliseconds, and every journey still starts
/// from the same fresh demo. The folder goes when the process has gone (see `sweep`).
async fn seeded_demo() -> Result<PathBuf> {
    static SEEDED: tokio::sync::OnceCell<std::result::Result<PathBuf, String>> =
        tokio::sync::OnceCell::const_new();
    SEEDED
        .get_or_init(|| async { seed().await.map_err(|err| err.to_string()) })
        .await
        .clone()
        .map_err(Error::Process)
}

async fn seed() -> Result<PathBuf> {
    let binary = tools::tandem_binary()?;
    let parent = tools::target_dir()?.join("browser-demo");
    sweep(&parent);
    let dir = parent.join(std::process::id().to_string());
    std::fs::create_dir_all(&dir).map_err(Error::io("cannot make a folder for the demo"))?;
    let file = dir.join("demo.db");
    let _ = std::fs::remove_file(&file);
    let database = format!("sqlite://{}", file.display());
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
    Ok(file)
}

/// Removes the seeded demos of test processes that have ended.
fn sweep(parent: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let alive = name
            .to_str()
            .and_then(|it| it.parse::<u32>().ok())
            .is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Copies a SQLite database with its write-ahead log, if one is left.
fn copy_database(from: &std::path::Path, to: &std::path::Path) -> Result<()> {
    std::fs::copy(from, to).map_err(Error::io("cannot copy the seeded demo"))?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", from.display()));
        if side.exists() {
            std::fs::copy(&side, format!("{}{suffix}", to.display()))
                .map_err(Error::io("cannot copy the seeded demo's log"))?;
        }
    }
    Ok(())
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

//! chromedriver on a free port and one headless chromium session through it.

use crate::error::{Error, Result};
use crate::tools;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

/// How long chromedriver may take to listen; it is ready in well under a second when healthy.
const READY_TIMEOUT: Duration = Duration::from_secs(20);

/// The window every journey sees, so screenshots and layout-dependent checks are repeatable.
const WINDOW_SIZE: &str = "--window-size=1280,1024";

/// Whether the page may run scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JavaScript {
    /// Scripts run, as for most people.
    Enabled,
    /// Scripts are off in the browser's settings, as for someone who blocks them: every page
    /// must still work (DESIGN §4).
    Disabled,
}

/// A chromedriver process and its private chromium profile; both go when this is dropped
/// (close the session first, so chromedriver can stop chromium cleanly).
#[derive(Debug)]
pub struct Driver {
    url: String,
    log: PathBuf,
    /// Killed on drop (`kill_on_drop`).
    _process: Child,
    /// chromedriver's log and chromium's fresh `--user-data-dir`, removed on drop.
    dir: tempfile::TempDir,
}

impl Driver {
    /// Starts `/usr/bin/chromedriver --port=<free port>` and waits until it listens.
    pub async fn start() -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("tandem-chromium-")
            .tempdir()
            .map_err(Error::io("cannot make a temporary folder for chromium"))?;
        let log = dir.path().join("chromedriver.log");
        // Another process can take the free port between our probe and chromedriver's bind;
        // a second port almost always works.
        let mut last_error = None;
        for _ in 0..3 {
            let port = free_port()?;
            let mut process = Command::new(tools::CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .map_err(Error::io(format!("cannot start {}", tools::CHROMEDRIVER)))?;
            match wait_until_listening(&mut process, port).await {
                Ok(()) => {
                    return Ok(Self {
                        url: format!("http://127.0.0.1:{port}"),
                        log,
                        _process: process,
                        dir,
                    });
                }
                Err(err) => last_error = Some(err),
            }
        }
        Err(last_error.unwrap_or_else(|| Error::Process("chromedriver did not start".to_owned())))
    }

    /// Opens a headless chromium session with the flags of DESIGN §11 and a fresh profile.
    pub async fn session(&self, javascript: JavaScript) -> Result<Client> {
        let profile = self.dir.path().join(match javascript {
            JavaScript::Enabled => "profile",
            JavaScript::Disabled => "profile-no-js",
        });
        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-quic".to_owned(),
            format!("--user-data-dir={}", profile.display()),
            WINDOW_SIZE.to_owned(),
        ];
        let mut chrome_options = json!({ "binary": tools::CHROMIUM });
        if javascript == JavaScript::Disabled {
            // The flag turns scripts off in Blink; the preference does the same through the
            // profile, so the page sees scripts off whichever chromium honours.
            args.push("--blink-settings=scriptEnabled=false".to_owned());
            chrome_options["prefs"] = json!({ "webkit.webprefs.javascript_enabled": false });
        }
        chrome_options["args"] = json!(args);
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".to_owned(), json!("chrome"));
        capabilities.insert("goog:chromeOptions".to_owned(), chrome_options);
        let client = ClientBuilder::rustls()
            .map_err(Error::io("cannot set up the WebDriver client"))?
            .capabilities(capabilities)
            .connect(&self.url)
            .await?;
        Ok(client)
    }

    /// chromedriver's log so far, for the artifacts of a failed journey.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Driver {
    /// chromium outlives a killed chromedriver, so whatever still runs on this driver's private
    /// folder is killed by process id. Normally nothing is left: closing the session stopped it.
    fn drop(&mut self) {
        let marker = self.dir.path().to_string_lossy().into_owned();
        let pids = processes_mentioning(&marker);
        if pids.is_empty() {
            return;
        }
        let _ = std::process::Command::new("kill")
            .arg("-KILL")
            .args(&pids)
            .stderr(Stdio::null())
            .status();
        // Wait for them to go, or the profile folder is removed while they still write to it.
        for _ in 0..50 {
            if processes_mentioning(&marker).is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The ids of the processes whose command line contains `marker` (Linux `/proc`).
fn processes_mentioning(marker: &str) -> Vec<String> {
    let own = std::process::id().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid = entry.file_name().to_str()?.to_owned();
            if pid == own || !pid.bytes().all(|it| it.is_ascii_digit()) {
                return None;
            }
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            String::from_utf8_lossy(&cmdline)
                .contains(marker)
                .then_some(pid)
        })
        .collect()
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(Error::io("cannot find a free local port"))?;
    let port = listener
        .local_addr()
        .map_err(Error::io("cannot read a free local port"))?
        .port();
    Ok(port)
}

async fn wait_until_listening(process: &mut Child, port: u16) -> Result<()> {
    let started = Instant::now();
    loop {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        if let Ok(Some(status)) = process.try_wait() {
            return Err(Error::Process(format!(
                "chromedriver exited ({status}) before listening on port {port}"
            )));
        }
        if started.elapsed() > READY_TIMEOUT {
            return Err(Error::Process(format!(
                "chromedriver did not listen on port {port} within {READY_TIMEOUT:?}"
            )));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[cfg(test)]
mod tests;

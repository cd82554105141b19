//! Real `tandem` processes for the tests that kill them or run several side by side: start one,
//! read what it prints as it goes, kill it (SIGKILL) or stop it (Ctrl-C); a real SMTP server.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tandem_store::Store;
use tokio::io::AsyncReadExt as _;
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

/// How often the tests look at the database while waiting.
pub(crate) const POLL: Duration = Duration::from_millis(50);

/// A `tandem` process left running, its standard output and error collected as it goes.
pub(crate) struct Running {
    name: String,
    child: Child,
    log: Arc<Mutex<String>>,
    readers: Vec<JoinHandle<()>>,
}

impl Running {
    pub(crate) fn start(name: &str, database: &str, args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tandem"))
            .arg("--database")
            .arg(database)
            .args(args)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let readers = vec![collect(stdout, log.clone()), collect(stderr, log.clone())];
        Self {
            name: name.to_owned(),
            child,
            log,
            readers,
        }
    }

    /// Starts `tandem serve` on a free local port with `args`, and waits until it listens.
    pub(crate) async fn serve(name: &str, database: &str, args: &[&str]) -> (Self, SocketAddr) {
        let mut all = vec!["serve", "--listen", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let mut server = Self::start(name, database, &all);
        let address = server.address().await;
        (server, address)
    }

    /// Where the server listens, once it says so.
    pub(crate) async fn address(&mut self) -> SocketAddr {
        const SAID: &str = "Tandem is running at http://";
        let started = Instant::now();
        loop {
            let log = self.log();
            if let Some(at) = log.find(SAID) {
                let rest = &log[at + SAID.len()..];
                let end = rest.find('/').unwrap_or(rest.len());
                return rest[..end].parse().unwrap();
            }
            self.assert_running();
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{} did not start listening:\n{log}",
                self.name
            );
            tokio::time::sleep(POLL).await;
        }
    }

    pub(crate) fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Panics, with what the process printed, if it has stopped by itself.
    pub(crate) fn assert_running(&mut self) {
        if let Some(status) = self.child.try_wait().unwrap() {
            panic!("{} stopped ({status}):\n{}", self.name, self.log());
        }
    }

    /// `kill -9`: the process gets no chance to finish anything.
    pub(crate) async fn kill(&mut self) -> ExitStatus {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap()
    }

    /// Ctrl-C (SIGINT), as an operator stops it; waits for it to finish what it was doing.
    pub(crate) async fn interrupt(&mut self) -> ExitStatus {
        let pid = self.child.id().unwrap().to_string();
        let sent = std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -INT {pid} failed");
        tokio::time::timeout(Duration::from_secs(60), self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("{} did not stop on Ctrl-C:\n{}", self.name, self.log()))
            .unwrap()
    }

    /// Everything the process printed, once it has stopped.
    pub(crate) async fn finish(mut self) -> String {
        for reader in std::mem::take(&mut self.readers) {
            reader.await.unwrap();
        }
        self.log()
    }
}

fn collect(
    mut from: impl tokio::io::AsyncRead + Unpin + Send + 'static,
    into: Arc<Mutex<String>>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut buffer = [0_u8; 4096];
        while let Ok(n) = from.read(&mut buffer).await {
            if n == 0 {
                break;
            }
            into.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    })
}

/// Runs the `tandem` binary on `database` with `args`; panics, with what it printed, unless it
/// succeeds. Its standard output.
pub(crate) async fn tandem_ok(database: &str, args: &[&str]) -> String {
    let output = crate::tandem(database, args).await;
    assert!(
        output.status.success(),
        "tandem {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    crate::text(&output.stdout)
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real SMTP server (aiosmtpd) on a free local port, printing every message it accepts.
pub(crate) struct Smtp {
    child: Child,
    port: u16,
    printed: JoinHandle<String>,
}

impl Smtp {
    pub(crate) async fn start() -> Self {
        let port = free_port();
        let mut child = Command::new("python3")
            .args(["-u", "-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("python3 runs (install aiosmtpd with `pip install aiosmtpd`)");
        // Read as it comes, so a long run cannot fill the pipe and stall the server.
        let mut stdout = child.stdout.take().unwrap();
        let printed = tokio::spawn(async move {
            let mut text = String::new();
            stdout.read_to_string(&mut text).await.unwrap();
            text
        });
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Self {
                    child,
                    port,
                    printed,
                };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("aiosmtpd exited ({status}); install it with `pip install aiosmtpd`");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not start on port {port}");
    }

    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Stops the server and counts what it received by Message-ID (the part before `@`). Called
    /// once every sender has finished: aiosmtpd prints a message before it answers `250`, so
    /// everything a worker recorded as sent is in its output by then.
    pub(crate) async fn received(mut self) -> BTreeMap<String, usize> {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
        let printed = (&mut self.printed).await.unwrap();
        let mut received = BTreeMap::new();
        let mut messages = 0;
        let mut in_headers = false;
        for line in printed.lines() {
            if line == "---------- MESSAGE FOLLOWS ----------" {
                messages += 1;
                in_headers = true;
            } else if line.is_empty() {
                in_headers = false;
            } else if in_headers && let Some(id) = line.strip_prefix("Message-ID: <") {
                let local = id.split('@').next().unwrap_or_default().to_owned();
                *received.entry(local).or_insert(0) += 1;
            }
        }
        assert_eq!(
            received.values().sum::<usize>(),
            messages,
            "every message received has one Message-ID"
        );
        received
    }
}

/// Rows in each of `tables`.
pub(crate) async fn rows(store: &Store, tables: &[&str]) -> Vec<i64> {
    let mut tx = store.begin_read().await.unwrap();
    let fingerprint = tx.fingerprint(&[]).await.unwrap();
    tx.rollback().await.unwrap();
    tables.iter().map(|table| fingerprint[*table].0).collect()
}

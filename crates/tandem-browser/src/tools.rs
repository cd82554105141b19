//! Where the suite finds what it drives: the `tandem` binary, Debian's chromium and
//! chromedriver, and axe-core from npm; a missing one is an error naming its install command.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::SystemTime;

/// Debian's chromium (DESIGN §11); chromedriver starts it, the suite only checks it is there.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Debian's chromedriver, matched to the chromium package of the same version.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

const APT_INSTALL: &str = "install Debian's browser and driver with `sudo apt-get install chromium chromium-driver` (CI's .ci/run does this)";
const NPM_CI: &str = "install axe-core with `npm ci --prefix crates/tandem-browser` (needs Node.js and npm; CI's .ci/run does this)";

/// This crate's folder, where `package.json` and `node_modules` live.
fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace root, two levels above this crate.
fn workspace_dir() -> PathBuf {
    crate_dir().join("../..")
}

/// axe-core's browser bundle, installed by npm from `package-lock.json`.
pub fn axe_script_path() -> PathBuf {
    crate_dir().join("node_modules/axe-core/axe.min.js")
}

/// Checks every external tool at once, so a developer learns all that is missing in one run.
pub fn check_installed() -> Result<()> {
    let mut missing = Vec::new();
    for (what, path, install) in [
        ("chromium", PathBuf::from(CHROMIUM), APT_INSTALL),
        ("chromedriver", PathBuf::from(CHROMEDRIVER), APT_INSTALL),
        ("axe-core", axe_script_path(), NPM_CI),
    ] {
        if !path.is_file() {
            missing.push(Error::Missing {
                what,
                path,
                install,
            });
        }
    }
    match missing.len() {
        0 => Ok(()),
        1 => Err(missing.remove(0)),
        _ => Err(Error::Process(format!(
            "the browser suite needs tools this machine lacks:\n{}",
            missing
                .iter()
                .map(|it| format!("  - {it}"))
                .collect::<Vec<_>>()
                .join("\n")
        ))),
    }
}

/// The cargo target folder this test binary was built into, e.g. `target/`.
///
/// The test executable is `<target>/<profile>/deps/it-<hash>`; reading its path follows
/// `CARGO_TARGET_DIR`, `--target-dir` and the profile without re-implementing cargo's rules.
pub fn target_dir() -> Result<PathBuf> {
    Ok(profile_dir()?
        .parent()
        .map_or_else(|| workspace_dir().join("target"), Path::to_path_buf))
}

/// `<target>/<profile>`: where cargo puts the binaries of the build this test belongs to.
fn profile_dir() -> Result<PathBuf> {
    let exe = std::env::current_exe().map_err(Error::io("cannot find the test executable"))?;
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            Error::Process(format!(
                "the test executable {} is not in a cargo target folder",
                exe.display()
            ))
        })
}

/// The `tandem` binary of this build, built first if it is missing or older than its sources.
///
/// `env!("CARGO_BIN_EXE_tandem")` exists only inside the `tandem` package, so we look beside
/// this test executable, where `cargo test --workspace` has just built it (the `tandem`
/// package's own tests need it). We do not always run `cargo build -p tandem`: that build
/// unifies features differently from a workspace test build (no dev-dependencies), so on a
/// fresh clone it compiles tokio, sqlx, axum and everything above them a second time (over a
/// minute on two cores) for the same program. We build only when the binary is missing or a
/// source it is made from is newer (for example with `cargo test -p tandem-browser` alone
/// after an edit), so a journey never tests stale code.
pub fn tandem_binary() -> Result<PathBuf> {
    static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BINARY
        .get_or_init(|| locate_or_build_tandem().map_err(|err| err.to_string()))
        .clone()
        .map_err(Error::Process)
}

fn locate_or_build_tandem() -> Result<PathBuf> {
    let profile_dir = profile_dir()?;
    let binary = profile_dir.join(format!("tandem{}", std::env::consts::EXE_SUFFIX));
    let built_at = std::fs::metadata(&binary).and_then(|it| it.modified()).ok();
    if let Some(built_at) = built_at
        && newest_source(&workspace_dir()).is_none_or(|newest| newest <= built_at)
    {
        return Ok(binary);
    }
    build_tandem(&profile_dir)?;
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(Error::Process(format!(
            "`cargo build -p tandem` did not produce {}; build it with the same profile and target folder as the tests",
            binary.display()
        )))
    }
}

fn build_tandem(profile_dir: &Path) -> Result<()> {
    // Cargo sets CARGO when it runs the tests; a plain `cargo` on PATH is the fallback.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let profile = match profile_dir.file_name().and_then(|it| it.to_str()) {
        Some("debug") | None => "dev".to_owned(),
        Some(other) => other.to_owned(),
    };
    let mut command = std::process::Command::new(cargo);
    command
        .args(["build", "--quiet", "-p", "tandem", "--profile", &profile])
        .arg("--manifest-path")
        .arg(workspace_dir().join("Cargo.toml"));
    if let Some(target_dir) = profile_dir.parent() {
        command.arg("--target-dir").arg(target_dir);
    }
    let status = command
        .status()
        .map_err(Error::io("cannot run `cargo build -p tandem`"))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Process(format!(
            "`cargo build -p tandem` failed ({status}); fix the build, then run the tests again"
        )))
    }
}

/// The newest modification time among the files the `tandem` binary is built from.
fn newest_source(workspace: &Path) -> Option<SystemTime> {
    let mut roots = vec![workspace.join("Cargo.lock"), workspace.join("presets")];
    if let Ok(crates) = std::fs::read_dir(workspace.join("crates")) {
        for krate in crates.flatten() {
            // This crate's own files change the tests, not the binary.
            if krate.file_name() == "tandem-browser" {
                continue;
            }
            for part in ["Cargo.toml", "src", "templates", "static", "migrations"] {
                roots.push(krate.path().join(part));
            }
        }
    }
    roots.iter().filter_map(|it| newest_in(it)).max()
}

fn newest_in(path: &Path) -> Option<SystemTime> {
    let metadata = std::fs::metadata(path).ok()?;
    if metadata.is_dir() {
        std::fs::read_dir(path)
            .ok()?
            .flatten()
            .filter_map(|entry| newest_in(&entry.path()))
            .max()
    } else {
        metadata.modified().ok()
    }
}

//! Checksums of merged migrations, so a test notices when one is edited (they are append-only).

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where the checksums are recorded.
pub(crate) fn file() -> PathBuf {
    crate::root().join("crates/tandem-store/migrations/checksums.txt")
}

/// FNV-1a: enough to notice an accidental edit; this is not a security boundary.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Every migration file (`backend/name.sql`) and its checksum, as the tree holds them now.
pub(crate) fn current() -> std::io::Result<BTreeMap<String, String>> {
    let dir = crate::root().join("crates/tandem-store/migrations");
    let mut sums = BTreeMap::new();
    for backend in ["sqlite", "postgres"] {
        for entry in std::fs::read_dir(dir.join(backend))? {
            let path = entry?.path();
            if path.extension().is_some_and(|ext| ext == "sql") {
                let name = format!(
                    "{backend}/{}",
                    path.file_name()
                        .map(|it| it.to_string_lossy())
                        .unwrap_or_default()
                );
                sums.insert(name, format!("{:016x}", fnv1a(&std::fs::read(&path)?)));
            }
        }
    }
    Ok(sums)
}

/// The recorded checksums.
pub(crate) fn recorded() -> std::io::Result<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(file())?;
    Ok(text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            line.split_once(' ')
                .map(|(sum, name)| (name.trim().to_owned(), sum.to_owned()))
        })
        .collect())
}

/// Records the checksums of migrations not yet recorded; never changes a recorded one.
pub(crate) fn write() -> std::io::Result<PathBuf> {
    let mut sums = recorded().unwrap_or_default();
    for (name, sum) in current()? {
        sums.entry(name).or_insert(sum);
    }
    let mut text = String::from(
        "# Checksums of merged migrations (FNV-1a). Never edit a merged migration: add a new one,\n# then run `cargo run -p xtask -- migration-checksums`.\n",
    );
    for (name, sum) in &sums {
        text.push_str(&format!("{sum} {name}\n"));
    }
    std::fs::write(file(), text)?;
    Ok(file())
}

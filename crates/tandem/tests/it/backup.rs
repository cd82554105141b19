//! `tandem backup` as an operator uses it: a backup taken while another process writes holds the
//! data as of one moment, passes SQLite's integrity check, and restores by copying it back.

use crate::{HEADER, tandem, text};
use std::process::Output;
use tandem_store::Store;

/// An HR file of `count` constables in Cleveland, staff numbers from `first`.
fn people(first: u32, count: u32) -> String {
    let mut file = format!("{HEADER}\n");
    for number in first..first + count {
        file += &format!(
            "{number},cleveland,Pat,Lee{number},pat.lee{number}@cleveland.police.uk,Response,Hartlepool,Constable,officer,,2020-01-01,no,no,serving\n"
        );
    }
    file
}

async fn export(database: &str) -> String {
    let output = tandem(database, &["export", "people", "--org", "cleveland"]).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout)
}

fn rows(export: &str) -> usize {
    export.lines().count() - 1
}

async fn import(database: &str, file: &std::path::Path) -> Output {
    let file = file.to_str().unwrap();
    tandem(
        database,
        &["import", "people", file, "--create-organisations"],
    )
    .await
}

#[tokio::test]
async fn a_backup_taken_during_writes_holds_one_moment_passes_its_check_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    let database_file = dir.path().join("tandem.db");
    let database = format!("sqlite://{}", database_file.display());
    let first = dir.path().join("first.csv");
    std::fs::write(&first, people(1000, 3)).unwrap();
    let output = import(&database, &first).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let before = export(&database).await;
    assert_eq!(rows(&before), 3);

    // A large import writes in another process while backups are taken; it commits whole, so
    // each backup holds it whole or not at all.
    let many = dir.path().join("many.csv");
    std::fs::write(&many, people(2000, 2000)).unwrap();
    let importing = {
        let database = database.clone();
        tokio::spawn(async move { import(&database, &many).await })
    };
    let mut backups = Vec::new();
    loop {
        let backup_file = dir.path().join(format!("backup-{}.db", backups.len()));
        let output = tandem(&database, &["backup", backup_file.to_str().unwrap()]).await;
        assert!(output.status.success(), "{}", text(&output.stderr));
        let stdout = text(&output.stdout);
        assert!(stdout.contains("integrity check ok"), "{stdout}");
        assert!(stdout.contains("to restore: stop Tandem"), "{stdout}");
        backups.push(backup_file);
        if importing.is_finished() {
            break;
        }
    }
    let output = importing.await.unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));

    let later = dir.path().join("later.csv");
    std::fs::write(&later, people(9000, 1)).unwrap();
    assert!(import(&database, &later).await.status.success());
    assert_eq!(rows(&export(&database).await), 2004);

    // Restoring each: with Tandem stopped, the database file (and its -wal and -shm files) are
    // moved aside and the backup copied in its place.
    for backup_file in &backups {
        for suffix in ["", "-wal", "-shm"] {
            let file = dir.path().join(format!("tandem.db{suffix}"));
            if file.exists() {
                std::fs::rename(&file, dir.path().join(format!("moved-aside.db{suffix}"))).unwrap();
            }
        }
        std::fs::copy(backup_file, &database_file).unwrap();
        let store = Store::connect_existing(&database).await.unwrap();
        assert_eq!(
            store.integrity_problems().await.unwrap(),
            Vec::<String>::new()
        );
        store.close().await;
        let held = export(&database).await;
        assert!(
            held == before || rows(&held) == 2003,
            "{} holds the large import whole or not at all, and not what came after: {} rows",
            backup_file.display(),
            rows(&held)
        );
        let output = import(&database, &later).await;
        assert!(
            output.status.success(),
            "the restored database takes writes: {}",
            text(&output.stderr)
        );
        assert_eq!(rows(&export(&database).await), rows(&held) + 1);
    }
}

#[tokio::test]
async fn a_backup_never_overwrites_a_file_and_needs_an_existing_database() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("tandem.db").display());
    let taken = dir.path().join("taken.db");
    std::fs::write(&taken, "yesterday's backup").unwrap();

    let output = tandem(&database, &["backup", taken.to_str().unwrap()]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("already exists; give the backup a new file name"));
    assert_eq!(
        std::fs::read_to_string(&taken).unwrap(),
        "yesterday's backup"
    );

    let output = tandem(
        &database,
        &["backup", dir.path().join("new.db").to_str().unwrap()],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("cannot open the database"),
        "{}",
        text(&output.stderr)
    );
    assert!(
        !dir.path().join("tandem.db").exists(),
        "no empty database is made"
    );
    assert!(!dir.path().join("new.db").exists());
}

#[tokio::test]
async fn on_postgresql_the_backup_points_to_its_own_tools() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("backup.db");
    let output = tandem(
        "postgres://tandem@localhost/tandem",
        &["backup", out.to_str().unwrap()],
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("pg_dump"), "{stderr}");
    assert!(stderr.contains("docs/operations.md"), "{stderr}");
    assert!(!out.exists());
}

//! `tandem records`: a person's zip written to a file, and erasure that only says what it would
//! do until told `--yes` (no terminal to confirm at under CI).

use crate::{tandem, text};
use tandem_store::testing::on_each_database;

const PEOPLE: &str = "\
staff_number,organisation,first_name,last_name,email,rank_or_grade,role_type,start_date,employment_status
100,cleveland,Ann,Hill,ann@cleveland.police.uk,Inspector,officer,2005-03-01,serving
101,cleveland,Bo,Khan,bo@cleveland.police.uk,Sergeant,officer,2012-09-10,serving
";

#[tokio::test]
async fn a_person_is_exported_to_a_zip_and_erased_only_with_yes() {
    on_each_database(|_store, url| async move {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("people.csv");
        std::fs::write(&file, PEOPLE).unwrap();
        let file = file.display().to_string();
        let output = tandem(&url, &["import", "people", &file, "--create-organisations"]).await;
        assert!(output.status.success(), "{}", text(&output.stderr));

        let zip = dir.path().join("bo.zip").display().to_string();
        let output = tandem(
            &url,
            &[
                "records",
                "export-person",
                "--org",
                "cleveland",
                "101",
                &zip,
            ],
        )
        .await;
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert!(
            text(&output.stdout).starts_with(&format!(
                "wrote everything held on cleveland staff number 101 to {zip} ("
            )),
            "{}",
            text(&output.stdout)
        );
        let bytes = std::fs::read(&zip).unwrap();
        assert!(bytes.starts_with(b"PK"), "a zip");

        let output = tandem(&url, &["records", "erase", "--org", "cleveland", "101"]).await;
        assert_eq!(output.status.code(), Some(1));
        assert!(text(&output.stdout).contains("would remove:"));
        assert!(text(&output.stderr).contains("add --yes to erase"));

        let output = tandem(
            &url,
            &["records", "erase", "--org", "cleveland", "101", "--yes"],
        )
        .await;
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert_eq!(
            text(&output.stdout),
            "erased cleveland staff number 101; they now show as \"Erased person\"\n"
        );
        let output = tandem(
            &url,
            &[
                "records",
                "export-person",
                "--org",
                "cleveland",
                "101",
                &zip,
            ],
        )
        .await;
        assert_eq!(output.status.code(), Some(1));
        assert!(text(&output.stderr).contains("nobody with staff number 101"));
    })
    .await;
}

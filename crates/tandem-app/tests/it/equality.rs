//! Equality monitoring (R10.3) on each backend: how far applications got by protected
//! characteristic, small groups suppressed on the page and in the CSV alike, the threshold as
//! an organisation setting, every view audited, and participants refused.

use crate::applications::{
    HEADER, PUBLIC_URL, apply, coordinator_of, mentee_form, mentor_form, person, programme_running,
};
use crate::relationships::{at, confirmed_pair, meeting};
use crate::{app, operator};
use tandem_app::applications::{self, Verdict};
use tandem_app::equality::{self, EqualityReport};
use tandem_app::people::{ImportRequest, ImportStage, import};
use tandem_app::relationships;
use tandem_app::reports::ReportRequest;
use tandem_app::{App, AppError, organisations};
use tandem_core::application::ApplicationForm;
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Actor, Grant, Scope, StaffRole};
use tandem_core::domain::OrgCode;
use tandem_core::eligibility::Role;
use tandem_core::equality::{Characteristic, EqualityTable};
use tandem_core::hr::ImportOptions;
use tandem_core::reports::Cell;
use tandem_core::{MatchId, OrganisationId, PersonId};
use tandem_store::testing::on_each_backend;
use time::macros::datetime;

/// Twenty Highland constables who may be mentored: six women, seven men, two who preferred
/// not to say and five who left the question blank.
fn applicants() -> String {
    let mut file = format!("{HEADER}\n");
    for number in 1..=20 {
        let sex = match number {
            1..=6 => "Female",
            7..=13 => "Male",
            14 | 15 => "Prefer not to say",
            _ => "",
        };
        file.push_str(&format!(
            "E{number:02},police-scotland,Ailsa,Munro{number},e{number}@scotland.police.uk,\
             Highland,Inverness,Constable,officer,,2015-04-01,no,no,serving,{sex}\n"
        ));
    }
    file
}

async fn import_applicants(app: &App) {
    let file = applicants();
    let request = ImportRequest {
        bytes: file.as_bytes(),
        options: ImportOptions::default(),
        dry_run: false,
        source: "equality.csv",
    };
    import(app, &operator(), request, &|_: ImportStage| {})
        .await
        .unwrap();
    for number in 1..=20 {
        let applicant = person(app, "police-scotland", &format!("E{number:02}")).await;
        apply(
            app,
            &applicant,
            "police-scotland",
            "mentoring",
            Role::Mentee,
            &mentee_form(),
        )
        .await
        .unwrap();
    }
}

async fn organisation(app: &App, code: &str) -> OrganisationId {
    organisations::by_code(app, &OrgCode::parse(code).unwrap())
        .await
        .unwrap()
        .id
}

fn admin_of(organisation: OrganisationId) -> Actor {
    Actor::Person {
        id: PersonId(uuid::Uuid::now_v7()),
        organisation,
        grants: vec![Grant {
            role: StaffRole::OrganisationAdmin,
            scope: Scope::Organisation(organisation),
        }],
    }
}

fn table(report: &EqualityReport, characteristic: Characteristic) -> &EqualityTable {
    report
        .tables
        .iter()
        .find(|it| it.characteristic == characteristic)
        .unwrap_or_else(|| panic!("a {} table", characteristic.as_str()))
}

/// A table's rows as the page shows them, a line per row.
fn shown(table: &EqualityTable) -> Vec<String> {
    table
        .rows
        .iter()
        .map(|row| row.iter().map(Cell::shown).collect::<Vec<_>>().join(" | "))
        .collect()
}

/// Every count of a table (its stage columns, totals included) with the row it is in.
fn stage_cells(table: &EqualityTable) -> Vec<(String, String)> {
    table
        .rows
        .iter()
        .flat_map(|row| {
            let label = row[0].shown();
            row[1..=5]
                .iter()
                .map(move |cell| (label.clone(), cell.shown()))
        })
        .collect()
}

async fn viewed(app: &App, organisation: OrganisationId) -> Vec<serde_json::Value> {
    let mut tx = app.store.begin_read().await.unwrap();
    let entries = tx.audit_of_subject(organisation.0).await.unwrap();
    tx.rollback().await.unwrap();
    entries
        .into_iter()
        .filter(|entry| entry.action == AuditAction::EqualityViewed)
        .map(|entry| entry.detail)
        .collect()
}

#[tokio::test]
async fn small_groups_are_suppressed_on_the_page_and_in_the_csv_and_every_view_is_audited() {
    on_each_backend(|store| async move {
        let app = app(store);
        programme_running(&app).await;
        import_applicants(&app).await;
        let scotland = organisation(&app, "police-scotland").await;
        let coordinator = coordinator_of(&app, "police-scotland", None).await;

        let report = equality::equality(
            &app,
            &coordinator,
            scotland,
            &ReportRequest::default(),
            None,
            None,
        )
        .await
        .unwrap();
        assert_eq!(report.threshold.get(), 5, "the default");
        let codes: Vec<Characteristic> = report.tables.iter().map(|it| it.characteristic).collect();
        assert_eq!(codes, Characteristic::ALL);
        let sex = table(&report, Characteristic::Sex);
        let rows = shown(sex);
        // Every answer an applicant gave has its row.
        let labels: Vec<String> = sex.rows.iter().map(|row| row[0].shown()).collect();
        assert_eq!(
            labels,
            [
                "Female",
                "Male",
                "Prefer not to say",
                "Not declared",
                "Total"
            ]
        );
        assert_eq!(
            rows[2],
            "Prefer not to say | fewer than 5 | fewer than 5 | fewer than 5 | fewer than 5 | \
             fewer than 5 |  |  |  | ",
            "the two who preferred not to say, and no rate of them"
        );
        // With 6, 7, 5 and the total of 20 all shown, the two would be 20 - 6 - 7 - 5: other
        // counts are hidden so that no small count can be worked out.
        let cells = stage_cells(sex);
        assert!(
            cells.iter().any(|(_, cell)| cell == "hidden"),
            "a covering count is hidden: {rows:#?}"
        );
        for (row, cell) in &cells {
            if let Ok(count) = cell.parse::<u64>() {
                assert!(count >= 5, "{row} shows {count}: {rows:#?}");
            }
        }
        assert!(
            !rows.iter().any(|row| row.contains("| 2 |")),
            "the two are nowhere: {rows:#?}"
        );

        // One view, one audit entry naming the scope and the characteristics, never a person.
        let entries = viewed(&app, scotland).await;
        assert_eq!(entries.len(), 1);
        let detail = &entries[0];
        assert_eq!(detail["characteristics"].as_array().unwrap().len(), 8);
        assert_eq!(detail["scheme"], serde_json::Value::Null);
        assert_eq!(detail["threshold"], 5);
        assert_eq!(detail["download"], false);
        let written = detail.to_string();
        for personal in ["Munro", "scotland.police.uk", "E01", "Female"] {
            assert!(!written.contains(personal), "{written}");
        }

        // The download: the marking, what it covers, and the same suppression.
        let csv = equality::export(
            &app,
            &coordinator,
            &OrgCode::parse("police-scotland").unwrap(),
            Characteristic::Sex,
            &ReportRequest {
                scheme: "mentoring".to_owned(),
                ..ReportRequest::default()
            },
            Some(Role::Mentee),
        )
        .await
        .unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "# OFFICIAL");
        assert_eq!(
            lines[1],
            "\"# Equality monitoring: sex: Police Scotland, Mentoring programme, applications to \
             be mentored, 24 Nov 2025 to 23 Nov 2026\""
        );
        assert!(lines[2].starts_with("Sex,Applied,Eligible,Approved,Matched,Completed,"));
        let page: Vec<String> = rows.iter().map(|row| row.replace(" | ", ",")).collect();
        assert_eq!(
            lines[3..],
            page,
            "the same applications, so the same cells as the page"
        );
        assert!(
            lines[5].starts_with("Prefer not to say,fewer than 5,"),
            "{csv}"
        );
        assert!(csv.contains("hidden"), "{csv}");
        for line in &lines[3..] {
            for cell in line.split(',').skip(1) {
                if let Ok(number) = cell.parse::<u64>() {
                    assert!(number >= 5, "{line} in {csv}");
                }
            }
        }
        let entries = viewed(&app, scotland).await;
        assert_eq!(entries.len(), 2, "the download is audited too");
        assert_eq!(entries[1]["characteristics"], serde_json::json!(["sex"]));
        assert_eq!(entries[1]["scheme"], "mentoring");
        assert_eq!(entries[1]["role"], "mentee");
        assert_eq!(entries[1]["download"], true);

        // At threshold 1 every count shows.
        let admin = admin_of(scotland);
        equality::save_threshold(&app, &admin, scotland, "1")
            .await
            .unwrap();
        let report = equality::equality(
            &app,
            &coordinator,
            scotland,
            &ReportRequest::default(),
            Some(Characteristic::Sex),
            None,
        )
        .await
        .unwrap();
        assert_eq!(report.threshold.get(), 1);
        assert_eq!(
            shown(table(&report, Characteristic::Sex)),
            [
                "Female | 6 | 6 | 6 | 0 | 0 | 100 | 100 | 0 | 0",
                "Male | 7 | 7 | 7 | 0 | 0 | 100 | 100 | 0 | 0",
                "Prefer not to say | 2 | 2 | 2 | 0 | 0 | 100 | 100 | 0 | 0",
                "Not declared | 5 | 5 | 5 | 0 | 0 | 100 | 100 | 0 | 0",
                "Total | 20 | 20 | 20 | 0 | 0 | 100 | 100 | 0 | 0",
            ]
        );
    })
    .await;
}

/// Takes a confirmed pair through its introductory meeting to closing.
async fn completed(app: &App, id: MatchId, mentor: &Actor, mentee: &Actor) {
    relationships::arrange_introduction(
        app,
        mentor,
        id,
        &meeting("2026-11-30", "10:00", "60", "in_person", "Inverness"),
        PUBLIC_URL,
    )
    .await
    .unwrap();
    let later = at(app, datetime!(2026-12-01 09:00 UTC));
    for member in [mentee, mentor] {
        relationships::go_on(&later, member, id, PUBLIC_URL)
            .await
            .unwrap();
    }
    relationships::start_closing(&later, mentor, id, PUBLIC_URL)
        .await
        .unwrap();
    let scores = |field: &str| match field {
        "answer-1" | "answer-2" | "answer-3" | "answer-4" => "4".to_owned(),
        _ => String::new(),
    };
    for member in [mentee, mentor] {
        relationships::write_closing_review(&later, member, id, "Grew", "Keep going", PUBLIC_URL)
            .await
            .unwrap();
        relationships::answer_evaluation(&later, member, id, scores, PUBLIC_URL)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn each_stage_counts_the_applications_that_reached_it_at_least() {
    on_each_backend(|store| async move {
        let app = app(store);
        // Police Scotland: Fraser mentors Morag, neither of whom answered; the pair completes.
        let (id, mentor, mentee, coordinator) = confirmed_pair(&app).await;
        let scotland = organisation(&app, "police-scotland").await;
        let cleveland = organisation(&app, "cleveland").await;
        for organisation in [scotland, cleveland] {
            equality::save_threshold(&app, &admin_of(organisation), organisation, "1")
                .await
                .unwrap();
        }
        let sex_table = |app: App, actor: Actor, organisation, request, role| async move {
            let report = equality::equality(
                &app,
                &actor,
                organisation,
                &request,
                Some(Characteristic::Sex),
                role,
            )
            .await
            .unwrap();
            shown(table(&report, Characteristic::Sex))
        };
        let later = at(&app, datetime!(2026-12-02 09:00 UTC));
        assert_eq!(
            sex_table(
                later.clone(),
                coordinator.clone(),
                scotland,
                ReportRequest::default(),
                None
            )
            .await,
            [
                "Prefer not to say | 0 | 0 | 0 | 0 | 0 |  |  |  | ",
                "Not declared | 2 | 2 | 2 | 2 | 0 | 100 | 100 | 100 | 0",
                "Total | 2 | 2 | 2 | 2 | 0 | 100 | 100 | 100 | 0",
            ],
            "confirmed, not yet completed; Iona, who never applied, gives no row of her own"
        );
        completed(&app, id, &mentor, &mentee).await;
        assert_eq!(
            sex_table(
                later.clone(),
                coordinator.clone(),
                scotland,
                ReportRequest::default(),
                Some(Role::Mentor)
            )
            .await[1],
            "Not declared | 1 | 1 | 1 | 1 | 1 | 100 | 100 | 100 | 100",
            "only the mentor's application"
        );

        // Cleveland asks line managers: Bo's manager declines him (not eligible); he applies
        // again in confidence and the coordinator approves; Ed and Ann, who have no manager on
        // record, wait for the coordinator (eligible, not yet approved).
        let bo = person(&app, "cleveland", "C2").await;
        let ann = person(&app, "cleveland", "C1").await;
        let ed = person(&app, "cleveland", "C4").await;
        let cleveland_coordinator = coordinator_of(&app, "cleveland", None).await;
        let first = apply(
            &app,
            &bo,
            "cleveland",
            "traditional",
            Role::Mentee,
            &mentee_form(),
        )
        .await
        .unwrap();
        applications::decide(
            &app,
            &ann,
            first.id,
            Verdict::Decline {
                reason: "Not while the team is short".to_owned(),
            },
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let confidential = ApplicationForm {
            confidential: true,
            ..mentee_form()
        };
        let second = apply(
            &app,
            &bo,
            "cleveland",
            "traditional",
            Role::Mentee,
            &confidential,
        )
        .await
        .unwrap();
        applications::decide(
            &app,
            &cleveland_coordinator,
            second.id,
            Verdict::Approve,
            PUBLIC_URL,
        )
        .await
        .unwrap();
        apply(
            &app,
            &ed,
            "cleveland",
            "traditional",
            Role::Mentee,
            &mentee_form(),
        )
        .await
        .unwrap();
        apply(
            &app,
            &ann,
            "cleveland",
            "traditional",
            Role::Mentor,
            &mentor_form("1"),
        )
        .await
        .unwrap();
        assert_eq!(
            sex_table(
                app.clone(),
                cleveland_coordinator.clone(),
                cleveland,
                ReportRequest {
                    scheme: "traditional".to_owned(),
                    ..ReportRequest::default()
                },
                None
            )
            .await,
            [
                "Female | 1 | 1 | 0 | 0 | 0 | 100 | 0 | 0 | 0",
                "Prefer not to say | 0 | 0 | 0 | 0 | 0 |  |  |  | ",
                "Not declared | 3 | 2 | 1 | 0 | 0 | 67 | 33 | 0 | 0",
                "Total | 4 | 3 | 1 | 0 | 0 | 75 | 25 | 0 | 0",
            ]
        );
        // A period before anyone applied counts nobody, and the Crime division only Ed.
        let before = ReportRequest {
            from: "2025-01-01".to_owned(),
            to: "2025-12-31".to_owned(),
            ..ReportRequest::default()
        };
        assert_eq!(
            sex_table(
                app.clone(),
                cleveland_coordinator.clone(),
                cleveland,
                before,
                None
            )
            .await[3],
            "Total | 0 | 0 | 0 | 0 | 0 |  |  |  | "
        );
        let crime = ReportRequest {
            division: "Crime".to_owned(),
            ..ReportRequest::default()
        };
        assert_eq!(
            sex_table(app.clone(), cleveland_coordinator, cleveland, crime, None).await[3],
            "Total | 1 | 1 | 0 | 0 | 0 | 100 | 0 | 0 | 0"
        );
    })
    .await;
}

#[tokio::test]
async fn participants_are_refused_and_only_administrators_set_the_threshold() {
    on_each_backend(|store| async move {
        let app = app(store);
        programme_running(&app).await;
        let scotland = organisation(&app, "police-scotland").await;
        let participant = person(&app, "police-scotland", "S5").await;
        let refused = equality::equality(
            &app,
            &participant,
            scotland,
            &ReportRequest::default(),
            None,
            None,
        )
        .await
        .unwrap_err();
        assert!(matches!(refused, AppError::Denied(_)), "{refused}");
        let champion = coordinator_of(&app, "police-scotland", Some("Tayside")).await;
        let theirs = equality::equality(
            &app,
            &champion,
            scotland,
            &ReportRequest::default(),
            Some(Characteristic::Ethnicity),
            None,
        )
        .await
        .unwrap();
        assert_eq!(
            theirs.division.as_deref(),
            Some("Tayside"),
            "their own division"
        );
        let highland = ReportRequest {
            division: "Highland".to_owned(),
            ..ReportRequest::default()
        };
        assert!(matches!(
            equality::equality(&app, &champion, scotland, &highland, None, None).await,
            Err(AppError::Denied(_))
        ));
        assert_eq!(
            viewed(&app, scotland).await.len(),
            1,
            "refusals see nothing"
        );

        let coordinator = coordinator_of(&app, "police-scotland", None).await;
        assert!(matches!(
            equality::save_threshold(&app, &coordinator, scotland, "3").await,
            Err(AppError::Denied(_))
        ));
        let admin = admin_of(scotland);
        assert_eq!(
            equality::threshold(&app, &admin, scotland)
                .await
                .unwrap()
                .get(),
            5
        );
        let invalid = equality::save_threshold(&app, &admin, scotland, "0")
            .await
            .unwrap_err();
        assert!(
            matches!(&invalid, AppError::Invalid(problems) if problems[0].field == "threshold"),
            "{invalid}"
        );
        equality::save_threshold(&app, &admin, scotland, " 10 ")
            .await
            .unwrap();
        assert_eq!(
            equality::threshold(&app, &admin, scotland)
                .await
                .unwrap()
                .get(),
            10
        );
        let mut tx = app.store.begin_read().await.unwrap();
        let saved: Vec<serde_json::Value> = tx
            .audit_of_subject(scotland.0)
            .await
            .unwrap()
            .into_iter()
            .filter(|entry| entry.action == AuditAction::EqualityThresholdSaved)
            .map(|entry| entry.detail)
            .collect();
        tx.rollback().await.unwrap();
        assert_eq!(saved, [serde_json::json!({ "from": 5, "to": 10 })]);
    })
    .await;
}

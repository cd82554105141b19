//! HR import: all or nothing, idempotent, full extracts, permissions and the audit trail.

use crate::{app, operator};
use tandem_app::people::{
    ImportReport, ImportRequest, ImportStage, export, import, line_management,
};
use tandem_app::{App, AppError, organisations};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Actor, Grant, Scope, StaffRole};
use tandem_core::domain::{OrgCode, StaffNumber};
use tandem_core::hr::ImportOptions;
use tandem_core::{OrganisationKind, PersonId};
use tandem_store::testing::on_each_backend;

const HEADER: &str = "staff_number,organisation,first_name,last_name,email,department,location,rank_or_grade,role_type,line_manager_staff_number,start_date,on_probation,under_performance_management,employment_status,sex";
const TEAM: &str = "\
100,cleveland,Ann,Hill,ann@cleveland.police.uk,Response,Middlesbrough,Inspector,officer,,2005-03-01,no,no,serving,Female
101,cleveland,Bo,Khan,bo@cleveland.police.uk,Response,Middlesbrough,Sergeant,officer,100,2012-09-10,no,no,serving,
102,cleveland,Cy,Reid,cy@cleveland.police.uk,Response,Hartlepool,Constable,officer,101,2024-01-15,yes,no,serving,prefer_not_to_say
103,cleveland,Di,Moss,di@cleveland.police.uk,Response,Hartlepool,Constable,officer,101,2019-01-15,no,yes,serving,
";

async fn with_cleveland(app: &App) {
    organisations::create(
        app,
        &operator(),
        OrgCode::parse("cleveland").unwrap(),
        "Cleveland Police".to_owned(),
        OrganisationKind::Force,
    )
    .await
    .unwrap();
}

async fn run(
    app: &App,
    actor: &Actor,
    rows: &str,
    options: ImportOptions,
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    let file = format!("{HEADER}\n{rows}");
    let request = ImportRequest {
        bytes: file.as_bytes(),
        options,
        dry_run,
        source: "test.csv",
    };
    import(app, actor, request, &|_: ImportStage| {}).await
}

fn counts(report: &ImportReport) -> (usize, usize, usize, usize) {
    (
        report.created,
        report.updated,
        report.unchanged,
        report.marked_leaver,
    )
}

#[tokio::test]
async fn a_file_imports_once_and_reimporting_it_changes_nothing() {
    on_each_backend(|store| async move {
        let app = app(store);
        with_cleveland(&app).await;
        let first = run(&app, &operator(), TEAM, ImportOptions::default(), false)
            .await
            .unwrap();
        assert_eq!(counts(&first), (4, 0, 0, 0));
        let again = run(
            &app,
            &operator(),
            TEAM,
            ImportOptions {
                full_extract: true,
                create_organisations: false,
            },
            false,
        )
        .await
        .unwrap();
        assert_eq!(counts(&again), (0, 0, 4, 0));
        let mut tx = app.store.begin_read().await.unwrap();
        assert_eq!(tx.count_audit(AuditAction::PersonCreated).await.unwrap(), 4);
        assert_eq!(
            tx.count_audit(AuditAction::PeopleImported).await.unwrap(),
            1,
            "a no-change import writes nothing, not even a summary"
        );
    })
    .await;
}

#[tokio::test]
async fn a_bad_file_writes_nothing_and_reports_every_problem() {
    on_each_backend(|store| async move {
        let app = app(store);
        with_cleveland(&app).await;
        let bad = format!("{TEAM}104,cleveland,Ed,Cole,ann@cleveland.police.uk,,,Constable,officer,999,2020-13-01,,,serving,\n");
        let Err(AppError::ImportRejected(problems)) = run(&app, &operator(), &bad, ImportOptions::default(), false).await else {
            panic!("the file should be refused");
        };
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems, ["line 6, column start_date: '2020-13-01' is not a date: use YYYY-MM-DD, e.g. 2019-04-01"]);

        let bad = format!("{TEAM}104,cleveland,Ed,Cole,ann@cleveland.police.uk,,,Constable,officer,999,2020-01-01,,,serving,\n");
        let Err(AppError::ImportRejected(problems)) = run(&app, &operator(), &bad, ImportOptions::default(), false).await else {
            panic!("the file should be refused");
        };
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "line 6, column email: ann@cleveland.police.uk is also on line 2",
                "line 6, column line_manager_staff_number: no person with staff number 999 in cleveland (neither in this file nor already known)",
            ]
        );
        let cleveland = organisations::by_code(&app, &OrgCode::parse("cleveland").unwrap()).await.unwrap();
        assert_eq!(app.store.begin_read().await.unwrap().count_people(cleveland.id).await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn a_dry_run_counts_the_changes_and_writes_nothing() {
    on_each_backend(|store| async move {
        let app = app(store);
        with_cleveland(&app).await;
        let report = run(&app, &operator(), TEAM, ImportOptions::default(), true)
            .await
            .unwrap();
        assert!(report.dry_run);
        assert_eq!(counts(&report), (4, 0, 0, 0));
        let cleveland = organisations::by_code(&app, &OrgCode::parse("cleveland").unwrap())
            .await
            .unwrap();
        assert_eq!(
            app.store
                .begin_read()
                .await
                .unwrap()
                .count_people(cleveland.id)
                .await
                .unwrap(),
            0
        );
    })
    .await;
}

#[tokio::test]
async fn a_full_extract_marks_absent_people_as_leavers_and_keeps_them() {
    on_each_backend(|store| async move {
        let app = app(store);
        with_cleveland(&app).await;
        run(&app, &operator(), TEAM, ImportOptions::default(), false)
            .await
            .unwrap();
        let without_di: String = TEAM
            .lines()
            .take(3)
            .map(|line| format!("{line}\n"))
            .collect();
        let changed = without_di.replace("Bo,Khan", "Bo,Khan-Reid");
        let report = run(
            &app,
            &operator(),
            &changed,
            ImportOptions {
                full_extract: true,
                create_organisations: false,
            },
            false,
        )
        .await
        .unwrap();
        assert_eq!(counts(&report), (0, 1, 2, 1));

        let cleveland = organisations::by_code(&app, &OrgCode::parse("cleveland").unwrap())
            .await
            .unwrap();
        let mut tx = app.store.begin_read().await.unwrap();
        let di = tx
            .person_by_staff_number(cleveland.id, &StaffNumber::parse("103").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(di.record.employment_status.as_str(), "leaver");
        let history: Vec<String> = tx
            .audit_of_subject(di.id.0)
            .await
            .unwrap()
            .into_iter()
            .map(|entry| entry.action.code().to_owned())
            .collect();
        assert_eq!(history, ["person.created", "person.marked_leaver"]);
        let bo = tx
            .person_by_staff_number(cleveland.id, &StaffNumber::parse("101").unwrap())
            .await
            .unwrap()
            .unwrap();
        let updates = tx.audit_of_subject(bo.id.0).await.unwrap();
        assert_eq!(
            updates[1].detail["fields"],
            serde_json::json!(["last_name"])
        );
        drop(tx);

        let again = run(
            &app,
            &operator(),
            &changed,
            ImportOptions {
                full_extract: true,
                create_organisations: false,
            },
            false,
        )
        .await
        .unwrap();
        assert_eq!(
            counts(&again),
            (0, 0, 3, 0),
            "a leaver stays a leaver without being marked again"
        );
    })
    .await;
}

#[tokio::test]
async fn unknown_organisations_are_created_only_when_asked() {
    on_each_backend(|store| async move {
        let app = app(store);
        let rows =
            "1,durham,Hal,Iqbal,hal@durham.police.uk,,,Constable,officer,,2015-06-01,,,serving,\n";
        assert!(matches!(
            run(&app, &operator(), rows, ImportOptions::default(), false).await,
            Err(AppError::ImportRejected(_))
        ));
        let report = run(
            &app,
            &operator(),
            rows,
            ImportOptions {
                full_extract: false,
                create_organisations: true,
            },
            false,
        )
        .await
        .unwrap();
        assert_eq!(
            report.organisations_created,
            [OrgCode::parse("durham").unwrap()]
        );
        assert!(
            organisations::by_code(&app, &OrgCode::parse("durham").unwrap())
                .await
                .is_ok()
        );
    })
    .await;
}

#[tokio::test]
async fn only_an_administrator_of_the_organisation_may_import() {
    on_each_backend(|store| async move {
        let app = app(store);
        with_cleveland(&app).await;
        run(&app, &operator(), TEAM, ImportOptions::default(), false)
            .await
            .unwrap();
        let cleveland = organisations::by_code(&app, &OrgCode::parse("cleveland").unwrap())
            .await
            .unwrap();
        let as_person = |grants: Vec<Grant>| Actor::Person {
            id: PersonId(uuid::Uuid::now_v7()),
            organisation: cleveland.id,
            grants,
        };
        let coordinator = as_person(vec![Grant {
            role: StaffRole::Coordinator,
            scope: Scope::Organisation(cleveland.id),
        }]);
        let outsider = as_person(vec![Grant {
            role: StaffRole::OrganisationAdmin,
            scope: Scope::Organisation(tandem_core::OrganisationId(uuid::Uuid::now_v7())),
        }]);
        let admin = as_person(vec![Grant {
            role: StaffRole::OrganisationAdmin,
            scope: Scope::Organisation(cleveland.id),
        }]);
        let changed = TEAM.replace("Bo,Khan", "Bo,Khan-Reid");
        for refused in [&coordinator, &outsider] {
            assert!(matches!(
                run(&app, refused, &changed, ImportOptions::default(), false).await,
                Err(AppError::Denied(_))
            ));
        }
        let report = run(&app, &admin, &changed, ImportOptions::default(), false)
            .await
            .unwrap();
        assert_eq!(counts(&report), (0, 1, 3, 0));
        let entries = app
            .store
            .begin_read()
            .await
            .unwrap()
            .recent_audit(1)
            .await
            .unwrap();
        assert_eq!(entries[0].action, AuditAction::PeopleImported);
        assert_eq!(entries[0].actor, admin.audit_label());
    })
    .await;
}

#[tokio::test]
async fn an_export_reimports_unchanged_and_is_audited() {
    on_each_backend(|store| async move {
        let app = app(store);
        with_cleveland(&app).await;
        run(&app, &operator(), TEAM, ImportOptions::default(), false)
            .await
            .unwrap();
        let code = OrgCode::parse("cleveland").unwrap();
        let exported = export(&app, &operator(), Some(&code)).await.unwrap();
        let request = ImportRequest {
            bytes: &exported,
            options: ImportOptions {
                full_extract: true,
                create_organisations: false,
            },
            dry_run: false,
            source: "export",
        };
        let report = import(&app, &operator(), request, &|_: ImportStage| {})
            .await
            .unwrap();
        assert_eq!(counts(&report), (0, 0, 4, 0));
        assert_eq!(
            app.store
                .begin_read()
                .await
                .unwrap()
                .count_audit(AuditAction::PeopleExported)
                .await
                .unwrap(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn the_line_management_tree_answers_reports_and_chains() {
    on_each_backend(|store| async move {
        let app = app(store);
        with_cleveland(&app).await;
        run(&app, &operator(), TEAM, ImportOptions::default(), false)
            .await
            .unwrap();
        let code = OrgCode::parse("cleveland").unwrap();
        let cleveland = organisations::by_code(&app, &code).await.unwrap();
        let mut tx = app.store.begin_read().await.unwrap();
        let mut ids = Vec::new();
        for number in ["100", "101", "102", "103"] {
            let number = StaffNumber::parse(number).unwrap();
            ids.push(
                tx.person_by_staff_number(cleveland.id, &number)
                    .await
                    .unwrap()
                    .unwrap()
                    .id,
            );
        }
        let [ann, bo, cy, di] = ids[..] else {
            panic!("four people")
        };
        let tree = line_management(&app, &operator(), &code).await.unwrap();
        assert_eq!(tree.chain_of(&cy), vec![&bo, &ann]);
        let mut direct = tree.direct_reports(&bo).to_vec();
        direct.sort();
        let mut expected = vec![cy, di];
        expected.sort();
        assert_eq!(direct, expected);
        assert_eq!(tree.all_reports(&ann).len(), 3);
        assert!(tree.is_above(&ann, &di));
    })
    .await;
}

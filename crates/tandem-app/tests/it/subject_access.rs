//! Subject access and erasure (R8.4) on each backend: the person's zip holds their own and
//! their pair's content and none of the partner's private records; only the person and their
//! organisation's administrators may have it; erasure waits for open relationships, then
//! removes the personal data and keeps the register and the partner's records.

use crate::applications::{HEADER, PUBLIC_URL, person};
use crate::relationships::{at, confirmed_pair, meeting};
use std::io::Read as _;
use tandem_app::people::{ImportRequest, ImportStage, import};
use tandem_app::relationships::ActionForm;
use tandem_app::{App, AppError, relationships, subject_access};
use tandem_core::authz::{Actor, Grant, Scope, StaffRole};
use tandem_core::erasure::ERASED_NAME;
use tandem_core::hr::ImportOptions;
use tandem_core::{MatchId, PersonId};
use tandem_store::testing::on_each_backend;
use time::macros::datetime;

fn id_of(actor: &Actor) -> PersonId {
    actor.person().unwrap()
}

/// The zip's files by name, as text.
fn unzip(bytes: Vec<u8>) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut files = Vec::new();
    for idx in 0..archive.len() {
        let mut file = archive.by_index(idx).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        files.push((file.name().unwrap().into_owned(), text));
    }
    files
}

async fn audited(app: &App, action: &str) -> usize {
    let mut tx = app.store.begin_read().await.unwrap();
    let n = tx
        .count_audit(tandem_core::audit::AuditAction::parse(action).unwrap())
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    usize::try_from(n).unwrap()
}

/// Fraser mentors Morag; she sets a goal, he agrees an action, both check in; both close with a review and an
/// evaluation, each with words only its author may read.
async fn closed_pair(app: &App) -> (MatchId, Actor, Actor, Actor) {
    let (id, mentor, mentee, coordinator) = confirmed_pair(app).await;
    relationships::arrange_introduction(
        app,
        &mentor,
        id,
        &meeting("2026-11-30", "10:00", "60", "in_person", "Inverness"),
        PUBLIC_URL,
    )
    .await
    .unwrap();
    let later = at(app, datetime!(2026-12-01 09:00 UTC));
    for member in [&mentee, &mentor] {
        relationships::go_on(&later, member, id, PUBLIC_URL)
            .await
            .unwrap();
    }
    relationships::add_goal(&later, &mentee, id, "MENTEE-GOAL")
        .await
        .unwrap();
    relationships::add_action(
        &later,
        &mentor,
        id,
        &ActionForm {
            text: "MENTOR-ACTION".to_owned(),
            owner: "mentor".to_owned(),
            ..ActionForm::default()
        },
    )
    .await
    .unwrap();
    let check_in = at(app, datetime!(2027-01-02 09:00 UTC));
    relationships::answer_pulse(&check_in, &mentor, id, "1", "4", "PARTNER-PULSE", "")
        .await
        .unwrap();
    relationships::answer_pulse(&check_in, &mentee, id, "1", "3", "MENTEE-PULSE", "")
        .await
        .unwrap();
    (id, mentor, mentee, coordinator)
}

async fn close(app: &App, id: MatchId, mentor: &Actor, mentee: &Actor) {
    relationships::start_closing(app, mentor, id, PUBLIC_URL)
        .await
        .unwrap();
    let answers = |text: &'static str| {
        move |field: &str| match field {
            "answer-1" | "answer-2" | "answer-3" | "answer-4" => "4".to_owned(),
            "answer-5" | "answer-6" => text.to_owned(),
            _ => String::new(),
        }
    };
    for (member, review, evaluation) in [
        (mentee, "MENTEE-REVIEW", "MENTEE-EVALUATION"),
        (mentor, "PARTNER-REVIEW", "PARTNER-EVALUATION"),
    ] {
        relationships::write_closing_review(app, member, id, review, "next", PUBLIC_URL)
            .await
            .unwrap();
        relationships::answer_evaluation(app, member, id, answers(evaluation), PUBLIC_URL)
            .await
            .unwrap();
    }
}

async fn administrator(app: &App) -> Actor {
    let Actor::Person {
        id, organisation, ..
    } = person(app, "police-scotland", "S1").await
    else {
        unreachable!("a person")
    };
    let grant = Grant {
        role: StaffRole::OrganisationAdmin,
        scope: Scope::Organisation(organisation),
    };
    tandem_app::roles::grant(app, &crate::operator(), id, grant.clone())
        .await
        .unwrap();
    Actor::Person {
        id,
        organisation,
        grants: vec![grant],
    }
}

#[tokio::test]
async fn a_person_downloads_their_own_and_their_pairs_records_and_none_of_their_partners() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee, coordinator) = closed_pair(&app).await;
        let later = at(&app, datetime!(2027-01-02 10:00 UTC));
        close(&later, id, &mentor, &mentee).await;

        let files = unzip(
            subject_access::export_person(&later, &mentee, id_of(&mentee))
                .await
                .unwrap(),
        );
        let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
        for expected in [
            "README.md",
            "person.json",
            "records.json",
            "csv/people.csv",
            "csv/matches.csv",
            "csv/relationship_goals.csv",
            "csv/relationship_actions.csv",
            "csv/audit_log.csv",
        ] {
            assert!(names.contains(&expected), "{expected} in {names:?}");
        }
        let text = |name: &str| {
            files
                .iter()
                .find(|(it, _)| it == name)
                .map(|(_, text)| text.clone())
                .unwrap()
        };
        let readme = text("README.md");
        assert!(readme.starts_with("OFFICIAL"), "{readme}");
        assert!(readme.contains("What is withheld, and why"));
        assert!(readme.contains("Concerns raised by someone else"));
        let records = text("records.json");
        for own in [
            "MENTEE-GOAL",
            "MENTOR-ACTION",
            "MENTEE-REVIEW",
            "MENTEE-EVALUATION",
            "MENTEE-PULSE",
            "morag@scotland.police.uk",
            "Fraser Doig",
        ] {
            assert!(records.contains(own), "{own} is the mentee's");
        }
        for partners in ["PARTNER-REVIEW", "PARTNER-EVALUATION", "PARTNER-PULSE"] {
            assert!(
                !records.contains(partners),
                "{partners} is the mentor's own"
            );
        }
        assert!(!records.contains("$argon2"), "no password hash");
        assert!(text("csv/relationship_goals.csv").starts_with("# OFFICIAL"));
        assert_eq!(audited(&later, "person.exported").await, 1);

        // Nobody else on the programme may have it, and a refusal writes nothing.
        let stranger = person(&app, "police-scotland", "S2").await;
        for other in [&stranger, &coordinator, &mentor] {
            assert!(matches!(
                subject_access::export_person(&later, other, id_of(&mentee)).await,
                Err(AppError::Denied(_))
            ));
        }
        assert_eq!(audited(&later, "person.exported").await, 1);
        // Their administrator answers for them without the pair's words or their own settings.
        let admin = administrator(&app).await;
        let files = unzip(
            subject_access::export_person(&later, &admin, id_of(&mentee))
                .await
                .unwrap(),
        );
        let everything: String = files.iter().map(|(_, text)| text.as_str()).collect();
        for confidential in [
            "MENTEE-GOAL",
            "MENTOR-ACTION",
            "MENTEE-REVIEW",
            "MENTEE-EVALUATION",
            "MENTEE-PULSE",
        ] {
            assert!(
                !everything.contains(confidential),
                "{confidential} is the pair's"
            );
        }
        assert!(everything.contains("morag@scotland.police.uk"));
        assert!(everything.contains(
            "| `relationship_goals` | the goals of your relationships | withheld: see below |"
        ));
        assert!(
            !files
                .iter()
                .any(|(name, _)| name == "csv/meeting_notes.csv")
        );
        assert_eq!(audited(&later, "person.exported").await, 2);
    })
    .await;
}

#[tokio::test]
async fn erasure_waits_for_open_relationships_then_keeps_only_the_register_and_the_partners_records()
 {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee, coordinator) = closed_pair(&app).await;
        let later = at(&app, datetime!(2027-01-02 10:00 UTC));
        let admin = administrator(&app).await;
        let morag = id_of(&mentee);

        for other in [&coordinator, &mentor, &mentee] {
            assert!(matches!(
                subject_access::erase_person(&later, other, morag).await,
                Err(AppError::Denied(_))
            ));
        }
        let check = subject_access::check_erasure(&later, &admin, morag)
            .await
            .unwrap();
        assert_eq!(check.refusals.len(), 1, "{:?}", check.refusals);
        match subject_access::erase_person(&later, &admin, morag).await {
            Err(AppError::ErasureRefused(reasons)) => {
                assert!(reasons[0].contains("ask the scheme's coordinator to close"));
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert_eq!(audited(&later, "person.erased").await, 0);

        close(&later, id, &mentor, &mentee).await;
        subject_access::erase_person(&later, &admin, morag)
            .await
            .unwrap();
        assert_eq!(audited(&later, "person.erased").await, 1);

        let mut tx = app.store.begin_read().await.unwrap();
        let records = tx.person_records(morag, true).await.unwrap();
        tx.rollback().await.unwrap();
        let record = &records.person.record;
        assert_eq!(record.full_name(), ERASED_NAME);
        assert!(record.is_erased());
        assert!(!record.email.as_ref().contains("morag"));
        assert_eq!(record.department, None);
        assert!(records.erased_at.is_some());
        let rows = |name: &str| {
            records
                .tables
                .iter()
                .find(|table| table.name == name)
                .map(|table| table.rows.len())
                .unwrap()
        };
        for gone in [
            "person_diversity",
            "accounts",
            "sessions",
            "pulses",
            "evaluation_answers",
            "notifications",
            "outbox",
        ] {
            assert_eq!(rows(gone), 0, "{gone} is erased");
        }
        assert_eq!(rows("matches"), 1, "the register stays");
        assert_eq!(rows("applications"), 1, "the register stays");
        let everything = format!("{:?}", records.tables);
        for gone in ["MENTEE-GOAL", "MENTEE-REVIEW", "MENTEE-EVALUATION", "MENTEE-PULSE", "Morag"] {
            assert!(!everything.contains(gone), "{gone} is erased");
        }

        // The partner keeps their own records and sees who they mentored as erased.
        let page = relationships::page(&later, &mentor, id).await.unwrap();
        assert_eq!(page.relationship.partner().record.full_name(), ERASED_NAME);
        assert!(page.actions.iter().any(|action| action.text == "MENTOR-ACTION"));
        assert!(!page.goals.iter().any(|goal| goal.text == "MENTEE-GOAL"));
        assert!(
            page.reviews
                .iter()
                .any(|review| review.achieved == "PARTNER-REVIEW")
        );
        assert!(
            relationships::own_evaluation(&later, &mentor, id)
                .await
                .unwrap()
                .is_some()
        );

        // Erasing again has nothing to do; the old staff number in an HR file is a new person.
        assert!(matches!(
            subject_access::erase_person(&later, &admin, morag).await,
            Err(AppError::ErasureRefused(_))
        ));
        let file = format!(
            "{HEADER}\nS5,police-scotland,Morag,Kerr,morag@scotland.police.uk,Highland,Inverness,Constable,officer,,2016-01-15,no,no,serving,\n"
        );
        let report = import(
            &later,
            &crate::operator(),
            ImportRequest {
                bytes: file.as_bytes(),
                options: ImportOptions::default(),
                dry_run: false,
                source: "test.csv",
            },
            &|_: ImportStage| {},
        )
        .await
        .unwrap();
        assert_eq!((report.created, report.updated), (1, 0));
        assert_ne!(id_of(&person(&app, "police-scotland", "S5").await), morag);
    })
    .await;
}

//! Matching (R5) end to end on each backend: eligibility and training checked again at
//! matching, hard rules on every path, pins and forbids, ethics before confirmation, capacity
//! under concurrent confirmations, the directory, and ending early to be matched again.

use crate::applications::{
    HEADER, PEOPLE, PUBLIC_URL, apply, coordinator_of, mentee_form, mentor_form, person,
    programme_running, unsent_to,
};
use crate::operator;
use tandem_app::applications::{self, Verdict};
use tandem_app::matching::{self, DirectorySearch};
use tandem_app::people::{ImportRequest, ImportStage, import};
use tandem_app::{App, AppError, organisations, training};
use tandem_core::application::{ApplicationForm, ApplicationStatus};
use tandem_core::authz::Actor;
use tandem_core::domain::{OrgCode, SchemeKey};
use tandem_core::eligibility::Role;
use tandem_core::hr::ImportOptions;
use tandem_core::pairing::{ConstraintKind, MatchStatus};
use tandem_core::{ApplicationId, OrganisationId};
use tandem_store::testing::on_each_backend;
use time::macros::date;

pub(crate) async fn scotland(app: &App) -> OrganisationId {
    organisations::by_code(app, &OrgCode::parse("police-scotland").unwrap())
        .await
        .unwrap()
        .id
}

pub(crate) fn mentoring() -> SchemeKey {
    SchemeKey::parse("mentoring").unwrap()
}

/// Police Scotland's mentoring scheme, as a request addresses it.
pub(crate) async fn in_mentoring(app: &App) -> matching::SchemeRef<'static> {
    static KEY: std::sync::LazyLock<SchemeKey> = std::sync::LazyLock::new(mentoring);
    matching::SchemeRef {
        organisation: scotland(app).await,
        key: &KEY,
    }
}

/// Applies, and returns the application's id.
pub(crate) async fn applied(app: &App, staff: &str, role: Role, capacity: &str) -> ApplicationId {
    let actor = person(app, "police-scotland", staff).await;
    let form = match role {
        Role::Mentor => mentor_form(capacity),
        Role::Mentee => mentee_form(),
    };
    apply(app, &actor, "police-scotland", "mentoring", role, &form)
        .await
        .unwrap()
        .id
}

pub(crate) async fn trained(app: &App, coordinator: &Actor, applications: &[ApplicationId]) {
    for id in applications {
        training::record_completion(app, coordinator, *id, date!(2026 - 11 - 01))
            .await
            .unwrap();
    }
}

/// The proposals on the board as (mentee staff number, mentor staff number).
pub(crate) async fn proposed(app: &App, actor: &Actor) -> Vec<(String, String)> {
    let board = matching::board(app, actor, scotland(app).await, &mentoring())
        .await
        .unwrap();
    let mut pairs: Vec<(String, String)> = board
        .proposed
        .iter()
        .map(|view| {
            (
                view.mentee.record.staff_number.to_string(),
                view.mentor.record.staff_number.to_string(),
            )
        })
        .collect();
    pairs.sort();
    pairs
}

#[tokio::test]
async fn a_champion_proposes_pins_forbids_re_runs_and_confirms() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        programme_running(&app).await;
        let coordinator = coordinator_of(&app, "police-scotland", None).await;
        let inspector = applied(&app, "S1", Role::Mentor, "2").await;
        let sergeant = applied(&app, "S6", Role::Mentor, "1").await;
        let callum = applied(&app, "S2", Role::Mentee, "").await;
        let morag = applied(&app, "S5", Role::Mentee, "").await;
        let scotland = scotland(&app).await;

        // Nobody has done the Moodle module: nothing can be proposed, and the board says why.
        let summary = matching::propose(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        assert_eq!(
            (summary.mentees, summary.mentors, summary.matched),
            (2, 2, 0)
        );
        let board = matching::board(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        let run = board.run.unwrap();
        assert!(
            run.unmatched
                .iter()
                .all(|(_, reason)| reason.contains("cannot be matched until the training is done")),
            "{:?}",
            run.unmatched
        );

        trained(&app, &coordinator, &[inspector, sergeant, callum, morag]).await;
        matching::propose(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        assert_eq!(
            proposed(&app, &coordinator).await,
            [
                ("S2".to_owned(), "S6".to_owned()),
                ("S5".to_owned(), "S1".to_owned())
            ],
            "the inspector manages Callum, so Callum gets the sergeant"
        );
        let board = matching::board(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        assert!(
            board
                .proposed
                .iter()
                .all(|view| view.pair.explanation.contains("topic fit")),
            "each pair is explained factor by factor: {:?}",
            board.proposed[0].pair.explanation
        );

        // A manual pick that breaks a rule is refused, naming the rule.
        let Err(AppError::RuleBroken(rules)) = matching::pick(
            &app,
            &coordinator,
            in_mentoring(&app).await,
            callum,
            inspector,
        )
        .await
        else {
            panic!("the inspector is Callum's line manager")
        };
        assert!(
            rules
                .iter()
                .any(|rule| rule.contains("line-management chain")),
            "{rules:?}"
        );

        // Pin Morag to the sergeant: Callum loses the only mentor he may have, and is told why.
        matching::set_constraint(
            &app,
            &coordinator,
            in_mentoring(&app).await,
            morag,
            sergeant,
            ConstraintKind::Pin,
            "",
        )
        .await
        .unwrap();
        matching::propose(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        assert_eq!(
            proposed(&app, &coordinator).await,
            [("S5".to_owned(), "S6".to_owned())]
        );
        let run = matching::board(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap()
            .run
            .unwrap();
        assert_eq!(run.unmatched.len(), 1);
        assert!(
            run.unmatched[0]
                .1
                .contains("the only mentor they may have, Fraser Doig, is taken"),
            "{}",
            run.unmatched[0].1
        );

        // Forbid that pair instead (a conflict of interest): back to the first answer.
        let Err(AppError::Invalid(_)) = matching::set_constraint(
            &app,
            &coordinator,
            in_mentoring(&app).await,
            morag,
            sergeant,
            ConstraintKind::Forbid,
            " ",
        )
        .await
        else {
            panic!("a forbid needs a reason")
        };
        let Err(AppError::Invalid(problems)) = matching::set_constraint(
            &app,
            &coordinator,
            in_mentoring(&app).await,
            morag,
            sergeant,
            ConstraintKind::Forbid,
            &"x".repeat(501),
        )
        .await
        else {
            panic!("a reason is at most 500 characters")
        };
        assert_eq!(
            (problems[0].field, problems[0].message.as_str()),
            ("reason", "shorten this to 500 characters or fewer")
        );
        matching::set_constraint(
            &app,
            &coordinator,
            in_mentoring(&app).await,
            morag,
            sergeant,
            ConstraintKind::Forbid,
            "conflict of interest: same team",
        )
        .await
        .unwrap();
        matching::propose(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        assert_eq!(
            proposed(&app, &coordinator).await,
            [
                ("S2".to_owned(), "S6".to_owned()),
                ("S5".to_owned(), "S1".to_owned())
            ]
        );

        // A Highland champion sees and matches only Highland mentees, with mentors from anywhere.
        let highland = coordinator_of(&app, "police-scotland", Some("Highland")).await;
        assert_eq!(
            proposed(&app, &highland).await,
            [("S5".to_owned(), "S1".to_owned())]
        );
        let (confirmed, refused) =
            matching::confirm_all(&app, &highland, scotland, &mentoring(), PUBLIC_URL)
                .await
                .unwrap();
        assert_eq!((confirmed, refused.len()), (1, 0));
        let mine = applications::mine(&app, &person(&app, "police-scotland", "S5").await)
            .await
            .unwrap();
        assert_eq!(mine[0].application.status, ApplicationStatus::Matched);
        assert!(
            unsent_to(&app)
                .await
                .iter()
                .any(|(to, subject, _)| to == "morag@scotland.police.uk"
                    && subject.contains("Your mentor")),
            "both are told"
        );
        // Callum's proposal is still there for the coordinator to confirm.
        assert_eq!(
            proposed(&app, &coordinator).await,
            [("S2".to_owned(), "S6".to_owned())]
        );
    })
    .await;
}

#[tokio::test]
async fn eligibility_and_ethics_are_checked_again_before_a_match_is_confirmed() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        programme_running(&app).await;
        let coordinator = coordinator_of(&app, "police-scotland", None).await;
        let sergeant = applied(&app, "S6", Role::Mentor, "1").await;
        let morag_actor = person(&app, "police-scotland", "S5").await;
        let unsigned = ApplicationForm { ethics_acknowledged: false, ..mentee_form() };
        let morag = apply(&app, &morag_actor, "police-scotland", "mentoring", Role::Mentee, &unsigned).await.unwrap().id;
        trained(&app, &coordinator, &[sergeant, morag]).await;
        let pair = matching::pick(&app, &coordinator, in_mentoring(&app).await, morag, sergeant).await.unwrap().pair;
        let Err(AppError::Conflict(message)) = matching::confirm(&app, &coordinator, pair.id, PUBLIC_URL).await else {
            panic!("the mentee has not accepted the ethics statement")
        };
        assert!(message.contains("Morag Kerr to accept the ethics statement"), "{message}");
        applications::acknowledge_ethics(&app, &morag_actor, morag).await.unwrap();

        // The sergeant retires before the match is confirmed: the HR record is checked again.
        let retired = PEOPLE.replace(
            "S6,police-scotland,Fraser,Doig,fraser@scotland.police.uk,Highland,Inverness,Sergeant,officer,,2009-05-01,no,no,serving,",
            "S6,police-scotland,Fraser,Doig,fraser@scotland.police.uk,Highland,Inverness,Sergeant,officer,,2009-05-01,no,no,retired,",
        );
        let file = format!("{HEADER}\n{retired}");
        import(&app, &operator(), ImportRequest { bytes: file.as_bytes(), options: ImportOptions::default(), dry_run: false, source: "t.csv" }, &|_: ImportStage| {})
            .await
            .unwrap();
        let Err(AppError::RuleBroken(reasons)) = matching::confirm(&app, &coordinator, pair.id, PUBLIC_URL).await else {
            panic!("a retired mentor cannot be matched")
        };
        assert!(reasons.iter().any(|it| it.contains("Fraser Doig") && it.contains("retired")), "{reasons:?}");
        let summary = matching::propose(&app, &coordinator, scotland(&app).await, &mentoring()).await.unwrap();
        assert_eq!(summary.excluded, 1, "the bulk run leaves him out, with the reason");
    })
    .await;
}

#[tokio::test]
async fn two_confirmations_for_a_mentors_last_place_cannot_both_succeed() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        programme_running(&app).await;
        let coordinator = coordinator_of(&app, "police-scotland", None).await;
        let sergeant = applied(&app, "S6", Role::Mentor, "1").await;
        let callum = applied(&app, "S2", Role::Mentee, "").await;
        let morag = applied(&app, "S5", Role::Mentee, "").await;
        trained(&app, &coordinator, &[sergeant, callum, morag]).await;
        let first = matching::pick(&app, &coordinator, in_mentoring(&app).await, callum, sergeant).await.unwrap().pair;
        let second = matching::pick(&app, &coordinator, in_mentoring(&app).await, morag, sergeant).await.unwrap().pair;
        let tayside = coordinator_of(&app, "police-scotland", Some("Tayside")).await;
        let highland = coordinator_of(&app, "police-scotland", Some("Highland")).await;
        let (a, b) = tokio::join!(
            matching::confirm(&app, &tayside, first.id, PUBLIC_URL),
            matching::confirm(&app, &highland, second.id, PUBLIC_URL),
        );
        assert_eq!(
            [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
            1,
            "one place, one confirmation: {a:?} {b:?}"
        );
        let refused = if a.is_err() { a } else { b };
        assert!(matches!(refused, Err(AppError::Conflict(ref message)) if message.contains("no free place")), "{refused:?}");
    })
    .await;
}

#[tokio::test]
async fn a_cleveland_mentee_chooses_from_the_directory_and_the_mentor_answers() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        programme_running(&app).await;
        let manager = person(&app, "cleveland", "C1").await;
        let mentee = person(&app, "cleveland", "C2").await;
        let mentor = person(&app, "cleveland", "C4").await;
        let coordinator = coordinator_of(&app, "cleveland", None).await;
        let mine = apply(
            &app,
            &mentee,
            "cleveland",
            "traditional",
            Role::Mentee,
            &mentee_form(),
        )
        .await
        .unwrap();
        let offer = apply(
            &app,
            &mentor,
            "cleveland",
            "traditional",
            Role::Mentor,
            &mentor_form("1"),
        )
        .await
        .unwrap();
        let code = OrgCode::parse("cleveland").unwrap();
        let key = SchemeKey::parse("traditional").unwrap();
        let search = DirectorySearch::default();
        let Err(AppError::Conflict(message)) =
            matching::directory(&app, &mentee, &code, &key, &search).await
        else {
            panic!("the directory waits for the manager's authorisation")
        };
        assert!(
            message.contains("once your application to be a mentee"),
            "{message}"
        );
        applications::decide(&app, &manager, mine.id, Verdict::Approve, PUBLIC_URL)
            .await
            .unwrap();
        // The sergeant has no manager, so the coordinator authorises them.
        applications::decide(&app, &coordinator, offer.id, Verdict::Approve, PUBLIC_URL)
            .await
            .unwrap();

        // The mentor has not done Cleveland's workshop: not offered, counted with the reason,
        // and a request to them anyway is refused with the same rule.
        let untrained = matching::directory(&app, &mentee, &code, &key, &search)
            .await
            .unwrap();
        assert!(untrained.entries.is_empty());
        assert_eq!(
            untrained.hidden,
            [("still to do the training the scheme requires".to_owned(), 1)]
        );
        let Err(AppError::RuleBroken(rules)) =
            matching::request(&app, &mentee, offer.id, PUBLIC_URL).await
        else {
            panic!("the mentor has not done the workshop")
        };
        assert!(
            rules.iter().any(|rule| rule.contains("training")),
            "{rules:?}"
        );
        training::record_completion(&app, &coordinator, offer.id, date!(2026 - 11 - 02))
            .await
            .unwrap();

        let listed = matching::directory(&app, &mentee, &code, &key, &search)
            .await
            .unwrap();
        assert_eq!(listed.entries.len(), 1);
        assert!(listed.hidden.is_empty());
        let by_topic = DirectorySearch {
            topic: "Academic study".to_owned(),
            ..DirectorySearch::default()
        };
        assert!(
            matching::directory(&app, &mentee, &code, &key, &by_topic)
                .await
                .unwrap()
                .entries
                .is_empty()
        );
        let remote = DirectorySearch {
            topic: "leadership".to_owned(),
            remote: true,
            ..DirectorySearch::default()
        };
        assert!(
            matching::directory(&app, &mentee, &code, &key, &remote)
                .await
                .unwrap()
                .entries
                .is_empty(),
            "the mentor did not offer remote meetings"
        );

        let request = matching::request(&app, &mentee, offer.id, PUBLIC_URL)
            .await
            .unwrap();
        assert!(
            matches!(
                matching::request(&app, &mentee, offer.id, PUBLIC_URL).await,
                Err(AppError::Conflict(_))
            ),
            "one request at a time"
        );
        let Err(AppError::Invalid(_)) =
            matching::answer_request(&app, &mentor, request.id, false, "", PUBLIC_URL).await
        else {
            panic!("declining needs a reason")
        };
        matching::answer_request(
            &app,
            &mentor,
            request.id,
            false,
            "I am moving to a new post next month",
            PUBLIC_URL,
        )
        .await
        .unwrap();
        assert!(
            unsent_to(&app)
                .await
                .iter()
                .any(|(to, _, body)| to == "bo@cleveland.police.uk"
                    && body.contains("moving to a new post"))
        );

        let again = matching::request(&app, &mentee, offer.id, PUBLIC_URL)
            .await
            .unwrap();
        assert!(
            matches!(
                matching::answer_request(&app, &mentee, again.id, true, "", PUBLIC_URL).await,
                Err(AppError::Denied(_))
            ),
            "a mentee cannot accept for the mentor"
        );
        matching::answer_request(&app, &mentor, again.id, true, "", PUBLIC_URL)
            .await
            .unwrap();
        let pairs = tandem_app::relationships::mine(&app, &mentee)
            .await
            .unwrap();
        assert!(
            pairs
                .iter()
                .any(|it| it.view.pair.status == MatchStatus::Introductory)
        );
        let Err(AppError::Conflict(_)) =
            matching::directory(&app, &mentee, &code, &key, &search).await
        else {
            panic!("a matched mentee no longer browses")
        };
    })
    .await;
}

#[tokio::test]
async fn ending_early_puts_the_mentee_back_on_the_list_with_their_history() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        programme_running(&app).await;
        let coordinator = coordinator_of(&app, "police-scotland", None).await;
        let inspector = applied(&app, "S1", Role::Mentor, "2").await;
        let sergeant = applied(&app, "S6", Role::Mentor, "1").await;
        let morag = applied(&app, "S5", Role::Mentee, "").await;
        trained(&app, &coordinator, &[inspector, sergeant, morag]).await;
        let pair = matching::pick(
            &app,
            &coordinator,
            in_mentoring(&app).await,
            morag,
            sergeant,
        )
        .await
        .unwrap()
        .pair;
        matching::confirm(&app, &coordinator, pair.id, PUBLIC_URL)
            .await
            .unwrap();
        let morag_actor = person(&app, "police-scotland", "S5").await;
        let Err(AppError::Invalid(_)) =
            tandem_app::relationships::withdraw(&app, &morag_actor, pair.id, "", true).await
        else {
            panic!("ending needs a reason")
        };
        tandem_app::relationships::withdraw(
            &app,
            &morag_actor,
            pair.id,
            "Our shifts never line up",
            true,
        )
        .await
        .unwrap();
        let mine = applications::mine(&app, &morag_actor).await.unwrap();
        assert_eq!(
            mine[0].application.status,
            ApplicationStatus::Approved,
            "back on the waiting list"
        );
        let history = tandem_app::relationships::mine(&app, &morag_actor)
            .await
            .unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].view.pair.status, MatchStatus::Withdrawn);
        assert_eq!(
            history[0].view.pair.reason.as_deref(),
            Some("Our shifts never line up")
        );
        matching::propose(&app, &coordinator, scotland(&app).await, &mentoring())
            .await
            .unwrap();
        assert_eq!(
            proposed(&app, &coordinator).await,
            [("S5".to_owned(), "S1".to_owned())],
            "the re-match does not offer the same mentor again"
        );
    })
    .await;
}

#[tokio::test]
async fn the_matches_export_is_safe_to_open_in_a_spreadsheet() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        programme_running(&app).await;
        let more = format!("{HEADER}\nS7,police-scotland,=Jones,-Smith,jones@scotland.police.uk,+ Ops,Leith,Constable,officer,,2015-01-15,no,no,serving,\n");
        let request = ImportRequest { bytes: more.as_bytes(), options: ImportOptions::default(), dry_run: false, source: "more.csv" };
        import(&app, &operator(), request, &|_: ImportStage| {}).await.unwrap();
        let coordinator = coordinator_of(&app, "police-scotland", None).await;
        let sergeant = applied(&app, "S6", Role::Mentor, "1").await;
        let jones = applied(&app, "S7", Role::Mentee, "").await;
        trained(&app, &coordinator, &[sergeant, jones]).await;
        let pair = matching::pick(&app, &coordinator, in_mentoring(&app).await, jones, sergeant).await.unwrap().pair;
        matching::confirm(&app, &coordinator, pair.id, PUBLIC_URL).await.unwrap();
        tandem_app::relationships::withdraw(&app, &coordinator, pair.id, "@SUM(1+1)*cmd|' /C calc'!A0", false).await.unwrap();

        let code = OrgCode::parse("police-scotland").unwrap();
        let exported = matching::export_csv(&app, &operator(), &code, None).await.unwrap();
        let (marking, table) = exported.split_once('\n').unwrap();
        assert_eq!(marking, "# OFFICIAL");
        let mut reader = csv::Reader::from_reader(table.as_bytes());
        let header = reader.headers().unwrap().clone();
        let row = reader.records().map(Result::unwrap).find(|row| row.get(3) == Some("S7")).unwrap();
        let cell = |name: &str| row.get(header.iter().position(|it| it == name).unwrap()).unwrap().to_owned();
        assert_eq!(cell("mentee_name"), "'=Jones -Smith");
        assert_eq!(cell("reason"), "'@SUM(1+1)*cmd|' /C calc'!A0");
        assert_eq!(cell("status"), "withdrawn");
        assert!(cell("score").parse::<i64>().is_ok(), "the score stays a number");
        for cell in &row {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?} in {row:?}");
        }
    })
    .await;
}

//! Retention and disposal (R8.3) on each backend: nothing goes before its months are up; then
//! a dry run counts, the run takes the content and keeps the register, the scores and the
//! meetings' dates, audits every record, and a second run finds nothing left.

use crate::applications::{PUBLIC_URL, coordinator_of, person};
use crate::relationships::at;
use tandem_app::relationships::{self, ActionForm};
use tandem_app::{App, AppError, applications, retention};
use tandem_core::audit::AuditAction;
use tandem_core::authz::Actor;
use tandem_core::eligibility::Role;
use tandem_core::relationship::{Answer, GrowNotes};
use tandem_core::retention::RecordKind;
use tandem_core::{MatchId, OrganisationId};
use tandem_store::testing::on_each_backend;
use time::OffsetDateTime;
use time::macros::datetime;

const SECRET: &str = "WORDS-ONLY-THE-PAIR-SEE";

/// A Police Scotland pair that met, wrote notes, a goal and an action, and closed with both
/// reviews and evaluations on 1 December 2026.
async fn closed_pair(app: &App) -> (MatchId, Actor, Actor) {
    let (id, mentor, mentee, later) = crate::relationship_care::active_pair(app).await;
    let page = relationships::page(&later, &mentee, id).await.unwrap();
    let introduction = page.meetings[0].id;
    relationships::save_notes(
        &later,
        &mentee,
        introduction,
        &GrowNotes {
            goal: SECRET.to_owned(),
            reality: SECRET.to_owned(),
            options: String::new(),
            way_ahead: String::new(),
        },
        None,
    )
    .await
    .unwrap();
    relationships::add_goal(&later, &mentee, id, SECRET)
        .await
        .unwrap();
    relationships::add_action(
        &later,
        &mentor,
        id,
        &ActionForm {
            text: SECRET.to_owned(),
            owner: "mentee".to_owned(),
            ..ActionForm::default()
        },
    )
    .await
    .unwrap();
    relationships::start_closing(&later, &mentor, id, PUBLIC_URL)
        .await
        .unwrap();
    for member in [&mentee, &mentor] {
        relationships::write_closing_review(&later, member, id, SECRET, SECRET, PUBLIC_URL)
            .await
            .unwrap();
        relationships::answer_evaluation(
            &later,
            member,
            id,
            |field: &str| match field {
                "answer-1" | "answer-2" | "answer-3" | "answer-4" => "4".to_owned(),
                _ => SECRET.to_owned(),
            },
            PUBLIC_URL,
        )
        .await
        .unwrap();
    }
    (id, mentor, mentee)
}

fn organisation_of(actor: &Actor) -> OrganisationId {
    match actor {
        Actor::Person { organisation, .. } => *organisation,
        _ => unreachable!("a person"),
    }
}

async fn dispose(app: &App, when: OffsetDateTime, dry_run: bool) -> Vec<(RecordKind, u64)> {
    retention::dispose_everywhere(app, &crate::operator(), when, dry_run)
        .await
        .unwrap()
        .into_iter()
        .flat_map(|it| it.disposed)
        .filter(|it| it.records > 0)
        .map(|it| (it.kind, it.records))
        .collect()
}

async fn disposals(app: &App, subject: uuid::Uuid) -> Vec<serde_json::Value> {
    let mut tx = app.store.begin_read().await.unwrap();
    let entries = tx.audit_of_subject(subject).await.unwrap();
    tx.rollback().await.unwrap();
    entries
        .into_iter()
        .filter(|entry| entry.action == AuditAction::RecordsDisposed)
        .map(|entry| entry.detail)
        .collect()
}

#[tokio::test]
async fn content_goes_when_its_months_are_up_and_the_register_scores_and_dates_stay() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee) = closed_pair(&app).await;
        // Callum applied to be mentored and withdrew on 23 November 2026.
        let callum = person(&app, "police-scotland", "S2").await;
        let withdrawn = crate::applications::apply(
            &app,
            &callum,
            "police-scotland",
            "mentoring",
            Role::Mentee,
            &crate::applications::mentee_form(),
        )
        .await
        .unwrap()
        .id;
        applications::withdraw(&app, &callum, withdrawn)
            .await
            .unwrap();

        // Five months on, nothing is due: the application has a month to go.
        assert_eq!(
            dispose(&app, datetime!(2027-04-23 09:00 UTC), true).await,
            []
        );
        // Six months on, the application is due; the pair's content is not yet.
        assert_eq!(
            dispose(&app, datetime!(2027-05-24 09:00 UTC), true).await,
            [(RecordKind::EndedApplications, 1)]
        );
        // A year and a day after the pair closed: the dry run counts and changes nothing.
        let year_on = datetime!(2027-12-02 09:00 UTC);
        assert_eq!(
            dispose(&app, year_on, true).await,
            [
                (RecordKind::PairContent, 1),
                (RecordKind::EndedApplications, 1)
            ]
        );
        let page = relationships::page(&app, &mentee, id).await.unwrap();
        assert_eq!(page.goals.len(), 1, "a dry run disposes of nothing");
        assert_eq!(page.content_disposed_at, None);

        let plan = retention::plan(
            &at(&app, year_on),
            &coordinator_admin(&app).await,
            organisation_of(&mentee),
        )
        .await
        .unwrap();
        assert_eq!(plan.total(RecordKind::PairContent), 1);
        assert_eq!(
            plan.due
                .iter()
                .find(|line| line.kind == RecordKind::PairContent)
                .and_then(|line| line.scheme.clone())
                .as_deref(),
            Some("Mentoring programme")
        );

        assert_eq!(
            dispose(&app, year_on, false).await,
            [
                (RecordKind::PairContent, 1),
                (RecordKind::EndedApplications, 1)
            ]
        );
        let page = relationships::page(&app, &mentee, id).await.unwrap();
        assert!(page.goals.is_empty() && page.actions.is_empty() && page.notes.is_empty());
        assert_eq!(page.content_disposed_at, Some(year_on));
        assert_eq!(page.reviews.len(), 2, "the reviews stay counted");
        assert!(page.reviews.iter().all(|review| review.achieved.is_empty()));
        assert_eq!(page.meetings.len(), 1, "the meeting's date stays");
        assert_eq!(page.meetings[0].place, None, "where they met goes");
        assert_eq!(
            page.relationship.pair.status,
            tandem_core::pairing::MatchStatus::Closed,
            "the register keeps the relationship and how it ended"
        );
        let own = relationships::own_evaluation(&app, &mentor, id)
            .await
            .unwrap()
            .unwrap();
        assert!(
            own.iter()
                .any(|(_, answer)| matches!(answer, Answer::Text(_))),
            "evaluation words are kept for 24 months"
        );
        let mine = applications::mine(&app, &callum).await.unwrap();
        let ended = mine
            .iter()
            .find(|it| it.application.id == withdrawn)
            .unwrap();
        assert_eq!(ended.application.answers.summary, "");
        assert_eq!(ended.application.role, Role::Mentee, "the register stays");
        assert_eq!(
            disposals(&app, id.0).await,
            [serde_json::json!({ "kind": "pair_content", "months": 12 })]
        );
        assert_eq!(
            dispose(&app, year_on, false).await,
            [],
            "nothing is disposed of twice"
        );

        // Two years on, the evaluations lose their words and keep their scores.
        assert_eq!(
            dispose(&app, datetime!(2028-12-02 09:00 UTC), false).await,
            [(RecordKind::EvaluationText, 2)]
        );
        let own = relationships::own_evaluation(&app, &mentor, id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(own.len(), 4);
        assert!(own.iter().all(|(_, answer)| *answer == Answer::Score(4)));
        assert_eq!(disposals(&app, id.0).await.len(), 3);
    })
    .await;
}

/// An administrator of Police Scotland.
async fn coordinator_admin(app: &App) -> Actor {
    let Actor::Person {
        id, organisation, ..
    } = person(app, "police-scotland", "S1").await
    else {
        unreachable!("a person")
    };
    let grant = tandem_core::authz::Grant {
        role: tandem_core::authz::StaffRole::OrganisationAdmin,
        scope: tandem_core::authz::Scope::Organisation(organisation),
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
async fn only_administrators_see_the_plan_and_set_the_schedule_and_bad_months_change_nothing() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        crate::applications::programme_running(&app).await;
        let admin = coordinator_admin(&app).await;
        let organisation = organisation_of(&admin);
        let coordinator = coordinator_of(&app, "police-scotland", None).await;
        let participant = person(&app, "police-scotland", "S5").await;
        for outsider in [&coordinator, &participant] {
            assert!(matches!(
                retention::plan(&app, outsider, organisation).await,
                Err(AppError::Denied(_))
            ));
            assert!(matches!(
                retention::save_schedule(&app, outsider, organisation, |_| "1".to_owned()).await,
                Err(AppError::Denied(_))
            ));
        }
        let refused = retention::save_schedule(&app, &admin, organisation, |field| match field {
            "pair_content" => "6".to_owned(),
            _ => "forever".to_owned(),
        })
        .await;
        assert_eq!(
            crate::relationships::fields(refused.unwrap_err()),
            ["ended_applications", "evaluation_text"]
        );
        let plan = retention::plan(&app, &admin, organisation).await.unwrap();
        assert_eq!(
            plan.retention,
            tandem_core::retention::Retention::default(),
            "a refused form changes nothing"
        );
        retention::save_schedule(&app, &admin, organisation, |field| match field {
            "pair_content" => "6".to_owned(),
            "ended_applications" => "0".to_owned(),
            _ => "36".to_owned(),
        })
        .await
        .unwrap();
        let plan = retention::plan(&app, &admin, organisation).await.unwrap();
        assert_eq!(plan.retention.pair_content.get(), 6);
        assert_eq!(plan.retention.ended_applications.get(), 0);
        assert_eq!(plan.retention.evaluation_text.get(), 36);
    })
    .await;
}

#[tokio::test]
async fn a_leavers_diversity_answers_go_at_the_next_run_and_a_serving_persons_stay() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        crate::applications::programme_running(&app).await;
        // Iona (S1) and Ann (C1) both declared their sex; HR now records Iona as a leaver.
        let leaver = crate::applications::PEOPLE
            .lines()
            .find(|line| line.starts_with("S1,"))
            .unwrap()
            .replace(",serving,", ",leaver,");
        let file = format!("{}\n{leaver}\n", crate::applications::HEADER);
        tandem_app::people::import(
            &app,
            &crate::operator(),
            tandem_app::people::ImportRequest {
                bytes: file.as_bytes(),
                options: tandem_core::hr::ImportOptions::default(),
                dry_run: false,
                source: "leavers.csv",
            },
            &|_: tandem_app::people::ImportStage| {},
        )
        .await
        .unwrap();
        let now = datetime!(2026-11-23 09:00 UTC);
        assert_eq!(dispose(&app, now, true).await, [(RecordKind::Diversity, 1)]);
        assert_eq!(
            dispose(&app, now, false).await,
            [(RecordKind::Diversity, 1)]
        );
        assert_eq!(dispose(&app, now, false).await, []);
        let Actor::Person { id: iona, .. } = person(&app, "police-scotland", "S1").await else {
            unreachable!("a person")
        };
        let Actor::Person { id: ann, .. } = person(&app, "cleveland", "C1").await else {
            unreachable!("a person")
        };
        assert_eq!(
            disposals(&app, iona.0).await,
            [serde_json::json!({ "kind": "diversity", "months": null })]
        );
        assert_eq!(
            disposals(&app, ann.0).await,
            Vec::<serde_json::Value>::new()
        );
    })
    .await;
}

//! Evaluation results (R10.4) on each backend: each score's spread and mean, the response rate,
//! nothing of a group below the threshold, the written answers without a name, tagged with a
//! scheme's themes by its coordinators only, counted per theme; and staff outside the scope
//! and participants refused.

use crate::app;
use crate::relationships::confirmed_pair;
use tandem_app::reports::ReportRequest;
use tandem_app::{App, AppError, equality, evaluation};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Actor, Grant, Scope, StaffRole};
use tandem_core::relationship::Answer;
use tandem_core::reports::{Cell, ReportName};
use tandem_core::{MatchId, OrganisationId, PersonId};
use tandem_store::testing::on_each_backend;
use time::Duration;

fn request() -> ReportRequest {
    ReportRequest {
        scheme: "mentoring".to_owned(),
        ..ReportRequest::default()
    }
}

/// The pair began closing a week ago.
async fn closing(app: &App, id: MatchId) {
    let mut tx = app.store.begin_write().await.unwrap();
    let mut pair = tx.match_by_id(id).await.unwrap().unwrap();
    pair.status = tandem_core::pairing::MatchStatus::Closing;
    pair.life.closing_started_at = Some(app.clock.now() - Duration::weeks(1));
    tx.update_match(&pair).await.unwrap();
    tx.commit().await.unwrap();
}

async fn answered(app: &App, id: MatchId, member: &Actor, scores: [u8; 4], worked: &str) {
    let mut answers: Vec<(String, Answer)> = ["goals", "match", "preparation", "again"]
        .iter()
        .zip(scores)
        .map(|(key, score)| ((*key).to_owned(), Answer::Score(score)))
        .collect();
    answers.push(("worked".to_owned(), Answer::Text(worked.to_owned())));
    answers.push(("better".to_owned(), Answer::Text(String::new())));
    let reference = format!("ref-{}", member.person().unwrap().0);
    let mut tx = app.store.begin_write().await.unwrap();
    tx.insert_evaluation(
        id,
        member.person().unwrap(),
        &serde_json::to_string(&answers).unwrap(),
        &reference,
        app.clock.now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn threshold(app: &App, organisation: OrganisationId, value: &str) {
    let admin = Actor::Person {
        id: PersonId(uuid::Uuid::now_v7()),
        organisation,
        grants: vec![Grant {
            role: StaffRole::OrganisationAdmin,
            scope: Scope::Organisation(organisation),
        }],
    };
    equality::save_threshold(app, &admin, organisation, value)
        .await
        .unwrap();
}

fn staff(organisation: OrganisationId, role: StaffRole, scope: Scope) -> Actor {
    Actor::Person {
        id: PersonId(uuid::Uuid::now_v7()),
        organisation,
        grants: vec![Grant { role, scope }],
    }
}

fn denied(result: Result<impl std::fmt::Debug, AppError>) {
    assert!(matches!(result, Err(AppError::Denied(_))), "{result:?}");
}

#[tokio::test]
async fn a_coordinator_reads_scores_and_the_response_rate_and_tags_written_answers() {
    on_each_backend(|store| async move {
        let app = app(store);
        let (id, mentor, mentee, coordinator) = confirmed_pair(&app).await;
        let Actor::Person { organisation, .. } = coordinator else {
            panic!("a person")
        };
        closing(&app, id).await;
        threshold(&app, organisation, "1").await;
        answered(&app, id, &mentor, [5, 4, 2, 5], "Honest talk").await;

        // One of the two members answered.
        let results = evaluation::results(&app, &coordinator, organisation, &request())
            .await
            .unwrap();
        assert_eq!((results.results.members, results.results.respondents), (2, 1));
        assert_eq!(results.results.response_rate(), Some(50.0));
        assert_eq!(
            results.covers(),
            "Police Scotland, Mentoring programme, relationships that began closing, 24 Nov 2025 to 23 Nov 2026"
        );

        answered(&app, id, &mentee, [3, 4, 4, 4], "Practice interviews").await;
        threshold(&app, organisation, "2").await;
        let results = evaluation::results(&app, &coordinator, organisation, &request())
            .await
            .unwrap();
        assert_eq!(results.results.response_rate(), Some(100.0));
        let scores = results.results.scores.as_ref().unwrap();
        let (question, goals) = &scores[0];
        assert_eq!(question.key, "goals");
        assert_eq!(goals.counts, [0, 0, 1, 0, 1]);
        assert_eq!(goals.mean(), Some(4.0));
        let csv = results.csv(ReportName::EvaluationScores).unwrap();
        assert!(
            csv.contains("How well did the mentoring help you towards your goals?,0,0,1,0,1,2,4.0"),
            "{csv}"
        );

        // Written answers without a name, in an order that is not the order they came in.
        let words = results.results.words.as_ref().unwrap();
        let (question, answers) = &words[0];
        assert_eq!(question.key, "worked");
        let mut texts: Vec<&str> = answers.iter().map(|it| it.text.as_str()).collect();
        texts.sort_unstable();
        assert_eq!(texts, ["Honest talk", "Practice interviews"]);
        for it in answers {
            assert!(!it.handle.contains("ref-"), "the handle is not the reference");
        }

        // The coordinator keeps a theme list and tags an answer; counts follow.
        let confidence =
            evaluation::add_theme(&app, &coordinator, organisation, "mentoring", "Confidence")
                .await
                .unwrap();
        evaluation::add_theme(&app, &coordinator, organisation, "mentoring", "Time to meet")
            .await
            .unwrap();
        let refused =
            evaluation::add_theme(&app, &coordinator, organisation, "mentoring", "confidence")
                .await;
        assert!(
            matches!(&refused, Err(AppError::Invalid(problems)) if problems[0].field == "label"),
            "{refused:?}"
        );
        let honest = answers
            .iter()
            .find(|it| it.text == "Honest talk")
            .unwrap()
            .handle
            .clone();
        let practice = answers
            .iter()
            .find(|it| it.text == "Practice interviews")
            .unwrap()
            .handle
            .clone();
        evaluation::save_themes(
            &app,
            &coordinator,
            organisation,
            &request(),
            &honest,
            &["confidence".to_owned(), "time-to-meet".to_owned()],
        )
        .await
        .unwrap();
        evaluation::save_themes(
            &app,
            &coordinator,
            organisation,
            &request(),
            &practice,
            &["confidence".to_owned()],
        )
        .await
        .unwrap();
        let unknown = evaluation::save_themes(
            &app,
            &coordinator,
            organisation,
            &request(),
            &practice,
            &["morale".to_owned()],
        )
        .await;
        assert!(matches!(unknown, Err(AppError::Invalid(_))), "{unknown:?}");
        let forged = evaluation::save_themes(
            &app,
            &coordinator,
            organisation,
            &request(),
            "ref-nobody",
            &[confidence.key.as_str().to_owned()],
        )
        .await;
        assert!(matches!(forged, Err(AppError::NotFound(_))), "{forged:?}");

        // Someone who may read the results but not run the scheme cannot tag, and changes
        // nothing by trying.
        let champion = staff(
            organisation,
            StaffRole::Champion,
            Scope::Division {
                organisation,
                division: "Highland".to_owned(),
            },
        );
        let highland = ReportRequest {
            division: "Highland".to_owned(),
            ..request()
        };
        assert!(
            evaluation::results(&app, &champion, organisation, &highland)
                .await
                .is_ok()
        );
        denied(
            evaluation::save_themes(&app, &champion, organisation, &highland, &honest, &[]).await,
        );
        denied(
            evaluation::add_theme(&app, &champion, organisation, "mentoring", "Morale").await,
        );
        denied(
            evaluation::remove_theme(&app, &champion, organisation, "mentoring", "confidence")
                .await,
        );

        let results = evaluation::results(&app, &coordinator, organisation, &request())
            .await
            .unwrap();
        let themes = results.csv(ReportName::EvaluationThemes).unwrap();
        assert!(
            themes.ends_with("Theme,Answers tagged\nConfidence,2\nTime to meet,1\nNot tagged yet,0\n"),
            "{themes}"
        );

        // Removing a theme takes it off the answers too.
        evaluation::remove_theme(&app, &coordinator, organisation, "mentoring", "time-to-meet")
            .await
            .unwrap();
        let results = evaluation::results(&app, &coordinator, organisation, &request())
            .await
            .unwrap();
        assert!(
            results
                .csv(ReportName::EvaluationThemes)
                .unwrap()
                .ends_with("Theme,Answers tagged\nConfidence,2\nNot tagged yet,0\n")
        );

        // Each look is audited, naming the scheme; tagging names the question and themes.
        let mut tx = app.store.begin_read().await.unwrap();
        assert!(tx.count_audit(AuditAction::EvaluationViewed).await.unwrap() >= 5);
        assert_eq!(tx.count_audit(AuditAction::EvaluationThemesSaved).await.unwrap(), 2);
    })
    .await;
}

#[tokio::test]
async fn a_group_below_the_threshold_shows_nothing_said_and_outsiders_are_refused() {
    on_each_backend(|store| async move {
        let app = app(store);
        let (id, mentor, mentee, coordinator) = confirmed_pair(&app).await;
        let Actor::Person { organisation, .. } = coordinator else {
            panic!("a person")
        };
        closing(&app, id).await;
        answered(&app, id, &mentor, [5, 4, 2, 5], "Honest talk").await;
        answered(&app, id, &mentee, [3, 4, 4, 4], "Practice interviews").await;

        // Two answered, under the default threshold of 5: no figure and no words.
        let results = evaluation::results(&app, &coordinator, organisation, &request())
            .await
            .unwrap();
        assert!(results.results.scores.is_none());
        assert!(results.results.words.is_none());
        assert_eq!(results.results.response_rate(), None);
        for table in &results.tables {
            for row in &table.rows {
                for cell in &row[1..] {
                    assert!(
                        matches!(
                            cell,
                            Cell::Text(_) | Cell::Percent(None) | Cell::Decimal(None)
                        ) || table.name == ReportName::EvaluationResponse,
                        "{:?} shows {cell:?}",
                        table.name
                    );
                }
            }
        }
        let response = results.csv(ReportName::EvaluationResponse).unwrap();
        assert!(
            response.ends_with("Evaluation,2,fewer than 5,\n"),
            "{response}"
        );
        let all: String = ReportName::EVALUATION
            .iter()
            .filter_map(|name| results.csv(*name))
            .collect();
        assert!(!all.contains("Honest talk"), "{all}");

        // Staff of another division or organisation, and participants, are refused.
        let tayside = staff(
            organisation,
            StaffRole::Champion,
            Scope::Division {
                organisation,
                division: "Tayside".to_owned(),
            },
        );
        let highland = ReportRequest {
            division: "Highland".to_owned(),
            ..request()
        };
        denied(evaluation::results(&app, &tayside, organisation, &highland).await);
        let elsewhere = OrganisationId(uuid::Uuid::now_v7());
        let other_coordinator = staff(
            elsewhere,
            StaffRole::Coordinator,
            Scope::Organisation(elsewhere),
        );
        denied(evaluation::results(&app, &other_coordinator, organisation, &request()).await);
        denied(evaluation::results(&app, &mentee, organisation, &request()).await);
        denied(
            evaluation::download(
                &app,
                &mentor,
                organisation,
                ReportName::EvaluationScores,
                &request(),
            )
            .await,
        );
        denied(evaluation::add_theme(&app, &mentee, organisation, "mentoring", "Morale").await);
    })
    .await;
}

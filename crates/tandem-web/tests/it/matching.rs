//! Matching in the browser: the board (propose, explain, confirm, a pick that breaks a rule is
//! refused with the rule), a champion's own division, the CSV, and the directory with a request
//! the mentor accepts.

use crate::{app, on_each_demo, signed_in};
use axum::http::StatusCode;
use tandem_app::demo;
use tandem_core::application::ApplicationStatus;
use tandem_core::authz::Actor;
use tandem_core::domain::OrgCode;
use tandem_core::eligibility::Role;
use tandem_core::pairing::MatchStatus;

fn staff(summary: &demo::DemoSummary, role: &str) -> String {
    summary
        .accounts
        .iter()
        .find(|account| account.role.starts_with(role))
        .unwrap()
        .email
        .clone()
}

#[tokio::test]
async fn a_coordinator_confirms_a_proposal_and_a_pick_that_breaks_a_rule_is_refused() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = crate::demo_summary(&app).await;
        let mut coordinator =
            signed_in(&app, &staff(&summary, "coordinator (police-scotland)")).await;
        let board = coordinator.get("/schemes/mentoring/matching").await;
        assert_eq!(board.status, StatusCode::OK);
        // Each pair's factors are on its own page, linked from its row.
        let details = crate::matching_board::details_links(&board.body);
        assert!(!details.is_empty(), "{}", board.body);
        let pair = coordinator.get(&details[0]).await;
        assert_eq!(pair.status, StatusCode::OK);
        assert!(
            pair.body
                .contains("Why this pair: the score factor by factor")
        );
        assert!(
            pair.body.contains("topic fit:"),
            "each pair's factors are shown"
        );
        assert!(
            board
                .body
                .contains("Topics: weight 50 of 100, so each point counts × 5 in a pair"),
            "the policy's weights are shown as the breakdowns use them"
        );
        assert!(
            pair.body.contains("promotion and career progression")
                && !pair.body.contains("_and_")
                && !pair.body.contains("_career"),
            "topics read as words, not engine tags"
        );

        let reply = coordinator
            .post("/schemes/mentoring/matching/run", &[])
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        let board = coordinator.get(reply.location()).await;
        assert!(
            board.body.contains("Nothing is final until you confirm"),
            "the run reports what it did"
        );
        assert!(
            board
                .body
                .contains("cannot be matched until the training is done"),
            "the demo leaves some untrained, with the reason"
        );

        // Confirm the first proposal that is ready; the others say why not, with a way back.
        let forms: Vec<String> = board
            .body
            .match_indices("action=\"/matches/")
            .map(|(at, _)| {
                board.body[at + "action=\"".len()..]
                    .split('"')
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        let mut confirmed = false;
        for form in &forms {
            let reply = coordinator.post(form, &[("scheme", "mentoring")]).await;
            if reply.status == StatusCode::SEE_OTHER {
                let board = coordinator.get(reply.location()).await;
                assert!(board.body.contains("The pair is confirmed"));
                confirmed = true;
                break;
            }
            assert!(
                matches!(reply.status, StatusCode::CONFLICT),
                "{}",
                reply.body
            );
            assert!(
                reply.body.contains("Sign out") && !reply.body.contains("rules.forbids"),
                "the reason in words, signed in: {}",
                reply.body
            );
        }
        assert!(confirmed, "some proposal is ready to confirm");

        // A waiting mentee whose training is not done cannot be picked for anyone.
        let untrained = {
            let scotland = tandem_app::organisations::by_code(
                &app,
                &OrgCode::parse("police-scotland").unwrap(),
            )
            .await
            .unwrap();
            let operator = Actor::Operator {
                name: "test".to_owned(),
            };
            let key = tandem_core::domain::SchemeKey::parse("mentoring").unwrap();
            let (_, rows) = tandem_app::applications::of_scheme(&app, &operator, scotland.id, &key)
                .await
                .unwrap();
            let mentee = rows
                .iter()
                .find(|row| {
                    row.application.role == Role::Mentee
                        && row.application.status == ApplicationStatus::Approved
                        && matches!(row.training, Some((_, None)))
                })
                .unwrap()
                .application
                .id;
            // A mentor the board offers to pick (one with room for a mentee).
            let board = coordinator.get("/schemes/mentoring/matching").await.body;
            let offered = &board[board.find("id=\"pick-mentor\"").unwrap()..];
            let mentor = offered
                .split("<option value=\"")
                .nth(1)
                .and_then(|it| it.split('"').next())
                .unwrap()
                .to_owned();
            assert!(
                rows.iter()
                    .any(|row| row.application.id.to_string() == mentor
                        && row.application.role == Role::Mentor),
                "the board offers mentors' applications"
            );
            (mentee.to_string(), mentor)
        };
        let reply = coordinator
            .post(
                "/schemes/mentoring/matching/pick",
                &[("mentee", &untrained.0), ("mentor", &untrained.1)],
            )
            .await;
        // The board again: the rule at the choice of mentor, the two people still chosen.
        assert_eq!(reply.status, StatusCode::CONFLICT);
        assert!(
            reply.body.contains("<title>Error: Matching")
                && reply.body.contains("<h1>Matching</h1>")
                && reply.body.contains("href=\"#pick-mentor\"")
                && reply.body.contains("id=\"pick-mentor-error\""),
            "{}",
            reply.body
        );
        assert!(
            reply
                .body
                .contains("The training must be done before matching"),
            "{}",
            reply.body
        );
        for chosen in [&untrained.0, &untrained.1] {
            assert!(
                reply.body.contains(&format!("value=\"{chosen}\" selected")),
                "{chosen} stays chosen"
            );
        }

        let csv = coordinator.get("/schemes/mentoring/matches.csv").await;
        assert!(csv.body.starts_with("# OFFICIAL"));
        assert!(csv.body.contains(",introductory,"));

        // A divisional champion sees only their division's mentees.
        let mut champion = signed_in(&app, &staff(&summary, "champion (police-scotland")).await;
        let board = champion.get("/schemes/mentoring/matching").await;
        assert_eq!(board.status, StatusCode::OK);
        assert!(board.body.contains("with mentors from every division"));
        let mut participant =
            signed_in(&app, &staff(&summary, "participant (police-scotland)")).await;
        assert_eq!(
            participant.get("/schemes/mentoring/matching").await.status,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}

#[tokio::test]
async fn a_cleveland_mentee_asks_a_mentor_from_the_directory_who_accepts() {
    on_each_demo(|store| async move {
        let app = app(store);
        crate::demo_summary(&app).await;
        // An approved mentee with nothing pending, who has accepted the ethics statement.
        let (mentee, scheme) = {
            let mut tx = app.store.begin_read().await.unwrap();
            let cleveland = tx
                .organisation_by_code(&OrgCode::parse("cleveland").unwrap())
                .await
                .unwrap()
                .unwrap();
            let scheme = tx
                .schemes_of(cleveland.id)
                .await
                .unwrap()
                .into_iter()
                .find(|it| it.definition.key.as_ref() == "traditional")
                .unwrap();
            let matches = tx.matches_of_scheme(scheme.id).await.unwrap();
            let mentee = tx
                .applications_to_scheme(scheme.id)
                .await
                .unwrap()
                .into_iter()
                .find(|it| {
                    it.role == Role::Mentee
                        && it.status == ApplicationStatus::Approved
                        && it.ethics_acknowledged_at.is_some()
                        && !matches.iter().any(|pair| pair.mentee_application == it.id)
                })
                .unwrap();
            (tx.person(mentee.person).await.unwrap(), scheme)
        };
        let mut browser = signed_in(&app, mentee.record.email.as_ref()).await;
        let mine = browser.get("/applications").await;
        assert!(mine.body.contains("Choose a mentor from the directory"));
        let directory = browser
            .get("/organisations/cleveland/schemes/traditional/directory")
            .await;
        assert_eq!(directory.status, StatusCode::OK, "{}", directory.body);
        assert!(directory.body.contains("with a free place"));
        // Every mentor listed may be asked: the first one is.
        let asked = {
            let start = directory.body.find("action=\"/mentors/").unwrap() + "action=\"".len();
            directory.body[start..]
                .split('"')
                .next()
                .unwrap()
                .to_owned()
        };
        let reply = browser.post(&asked, &[]).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        // While the request waits, the directory says so instead of offering buttons that fail.
        let waiting = browser
            .get("/organisations/cleveland/schemes/traditional/directory")
            .await;
        assert!(
            !waiting.body.contains("action=\"/mentors/"),
            "no Ask button while a request waits"
        );
        assert!(
            waiting.body.contains("and are waiting for their answer"),
            "{}",
            waiting.body
        );
        assert!(
            browser
                .get("/applications?requested=1")
                .await
                .body
                .contains("Waiting for")
        );

        let mentor_email = {
            let mut tx = app.store.begin_read().await.unwrap();
            let id = tandem_core::ApplicationId(
                uuid::Uuid::parse_str(
                    asked
                        .trim_start_matches("/mentors/")
                        .trim_end_matches("/request"),
                )
                .unwrap(),
            );
            let application = tx.application(id).await.unwrap().unwrap();
            tx.person(application.person)
                .await
                .unwrap()
                .record
                .email
                .to_string()
        };
        let mut mentor = signed_in(&app, &mentor_email).await;
        let page = mentor.get("/applications").await;
        assert!(page.body.contains("asks you to be their mentor"));
        // The mentor reads what the mentee wrote before answering.
        let answers = {
            let mut tx = app.store.begin_read().await.unwrap();
            tx.applications_to_scheme(scheme.id)
                .await
                .unwrap()
                .into_iter()
                .find(|it| it.person == mentee.id && it.role == Role::Mentee)
                .unwrap()
                .answers
        };
        let request = page.body.split("id=\"request-").nth(1).unwrap();
        let request = &request[..request.find("</dl>").unwrap()];
        assert!(
            request.contains(&format!("<dt>Their aims</dt><dd>{}</dd>", answers.summary)),
            "{request}"
        );
        assert!(request.contains(&answers.topics.join(", ")), "{request}");
        assert!(
            request.contains(&tandem_core::application::availability_words(
                &answers.availability
            )),
            "{request}"
        );
        assert!(
            !request.contains("-pm") && !request.contains("-am"),
            "availability in words"
        );
        let answer = {
            let start = page.body.find("action=\"/matches/").unwrap() + "action=\"".len();
            page.body[start..].split('"').next().unwrap().to_owned()
        };
        // Declining without a reason shows Your mentoring again, the message at the reason
        // box and the request still there to answer.
        let refused = mentor
            .post(&answer, &[("answer", "decline"), ("reason", "  ")])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let pair = answer
            .trim_start_matches("/matches/")
            .trim_end_matches("/answer");
        assert!(
            refused.body.contains("<title>Error: Your mentoring")
                && refused.body.contains(&format!("href=\"#decline-{pair}\""))
                && refused
                    .body
                    .contains(&format!("id=\"decline-{pair}-error\""))
                && refused
                    .body
                    .contains("so the mentee can choose well next time")
                && refused.body.contains("Sign out"),
            "{}",
            refused.body
        );
        assert!(refused.body.contains("asks you to be their mentor"));
        let reply = mentor.post(&answer, &[("answer", "accept")]).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let own = mentor.get("/applications").await;
        assert!(own.body.contains("Your mentee:"));
        // Their application says how many of their places are taken, and "Full" when all are.
        let (taken, offered) = {
            let mut tx = app.store.begin_read().await.unwrap();
            let application = tx
                .application(tandem_core::ApplicationId(
                    uuid::Uuid::parse_str(
                        asked
                            .trim_start_matches("/mentors/")
                            .trim_end_matches("/request"),
                    )
                    .unwrap(),
                ))
                .await
                .unwrap()
                .unwrap();
            let matches = tx.matches_of_person(application.person).await.unwrap();
            let taken = tandem_core::pairing::places_taken(&matches)
                .get(&application.id)
                .copied()
                .unwrap();
            (taken, application.answers.capacity.unwrap())
        };
        assert!(taken >= 1);
        let status = if taken >= offered {
            format!("Full ({taken} of {offered} places taken)")
        } else {
            format!("Approved: available to mentees ({taken} of {offered} places taken)")
        };
        assert!(own.body.contains(&status), "{status}: {}", own.body);
        assert!(
            browser
                .get("/applications")
                .await
                .body
                .contains("Your mentor:")
        );
        let mut tx = app.store.begin_read().await.unwrap();
        assert!(
            tx.matches_of_person(mentee.id)
                .await
                .unwrap()
                .iter()
                .any(|it| it.status == MatchStatus::Introductory && it.scheme == scheme.id)
        );
    })
    .await;
}

#[tokio::test]
async fn a_large_cohort_s_proposals_come_fifty_to_a_page() {
    use tandem_core::application::{Answers, Application};
    use tandem_core::training::TrainingRecord;
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = crate::demo_summary(&app).await;
        // Sixty more constables ask for a mentor and thirty sergeants and inspectors offer two
        // places each, all approved and trained, straight into the store.
        let now = time::macros::datetime!(2026-11-23 09:00 UTC);
        let mut tx = app.store.begin_write().await.unwrap();
        let scotland = tx
            .organisation_by_code(&OrgCode::parse("police-scotland").unwrap())
            .await
            .unwrap()
            .unwrap();
        let scheme = tx
            .scheme_by_key(
                scotland.id,
                &tandem_core::domain::SchemeKey::parse("mentoring").unwrap(),
            )
            .await
            .unwrap()
            .unwrap();
        let mut fresh = Vec::new();
        for person in tx.people_of(scotland.id).await.unwrap() {
            let record = &person.record;
            if record.employment_status == tandem_core::domain::EmploymentStatus::Serving
                && !record.on_probation
                && !record.under_performance_management
                && tx
                    .applications_of_person(person.id)
                    .await
                    .unwrap()
                    .is_empty()
            {
                fresh.push(person);
            }
        }
        let of_rank = |ranks: &[&str]| {
            fresh
                .iter()
                .filter(|it| ranks.contains(&it.record.rank_or_grade.as_ref()))
                .cloned()
                .collect::<Vec<_>>()
        };
        let constables = of_rank(&["Constable"]);
        let mentors = of_rank(&["Sergeant", "Inspector", "Chief Inspector"]);
        assert!(
            constables.len() >= 60 && mentors.len() >= 30,
            "the demo has enough people"
        );
        let people = constables
            .iter()
            .take(60)
            .map(|it| (it, Role::Mentee))
            .chain(mentors.iter().take(30).map(|it| (it, Role::Mentor)));
        for (person, role) in people {
            tx.insert_application(&Application {
                id: tandem_core::ApplicationId(uuid::Uuid::now_v7()),
                scheme: scheme.id,
                person: person.id,
                role,
                status: ApplicationStatus::Approved,
                answers: Answers {
                    summary: "Page test".to_owned(),
                    topics: vec!["Leadership".to_owned()],
                    capacity: (role == Role::Mentor).then_some(2),
                    location: None,
                    will_travel: true,
                    remote_ok: true,
                    availability: vec!["tue-pm".to_owned()],
                    preferred_mentor_email: None,
                },
                confidential: false,
                approver: None,
                decided_by: None,
                decision_reason: None,
                decided_at: None,
                statement_signed_at: Some(now),
                agreement_signed_at: Some(now),
                ethics_acknowledged_at: Some(now),
                priority: 0,
                submitted_at: now,
                version: 1,
            })
            .await
            .unwrap();
            tx.insert_training_record(
                &TrainingRecord {
                    person: person.id,
                    training: scheme.definition.policy.training.name.clone(),
                    completed_on: now.date(),
                    workshop: None,
                    recorded_by: "test".to_owned(),
                },
                now,
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();

        let mut coordinator =
            signed_in(&app, &staff(&summary, "coordinator (police-scotland)")).await;
        let reply = coordinator
            .post("/schemes/mentoring/matching/run", &[])
            .await;
        let first = coordinator.get(reply.location()).await;
        let total: usize = first
            .body
            .split("Proposed pairs (")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .and_then(|it| it.parse().ok())
            .unwrap();
        assert!(total > 60, "{total} proposals");
        assert_eq!(crate::matching_board::details_links(&first.body).len(), 50);
        assert!(first.body.contains(&format!("Showing 1 to 50 of {total}.")));
        assert!(
            first.body.contains(&format!("Confirm all {total}")),
            "confirming all still takes every page"
        );
        assert!(
            first
                .body
                .contains("href=\"/schemes/mentoring/matching?page=2#proposed\" rel=\"next\"")
        );
        let second = coordinator.get("/schemes/mentoring/matching?page=2").await;
        assert_eq!(
            crate::matching_board::details_links(&second.body).len(),
            total.min(100) - 50
        );
        assert!(second.body.contains("rel=\"prev\""));
        let beyond = coordinator.get("/schemes/mentoring/matching?page=99").await;
        assert_eq!(
            beyond.status,
            StatusCode::OK,
            "a page past the end shows the last"
        );
    })
    .await;
}

#[tokio::test]
async fn a_long_proposal_shows_its_progress_and_can_be_cancelled() {
    use tandem_core::proposal::{ProposalJob, ProposalStage, ProposalState};
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = crate::demo_summary(&app).await;
        let scotland =
            tandem_app::organisations::by_code(&app, &OrgCode::parse("police-scotland").unwrap())
                .await
                .unwrap();
        let now = app.clock.now();
        let mut tx = app.store.begin_write().await.unwrap();
        let scheme = tx
            .scheme_by_key(
                scotland.id,
                &tandem_core::domain::SchemeKey::parse("mentoring").unwrap(),
            )
            .await
            .unwrap()
            .unwrap();
        // A proposal another server is working out for the whole scheme.
        let job = ProposalJob {
            id: uuid::Uuid::now_v7(),
            scheme: scheme.id,
            division: None,
            requested_by: "person:elsewhere".to_owned(),
            requested_at: now,
            state: ProposalState::Running,
            stage: ProposalStage::Routing,
            done: 30,
            total: 120,
            cancel_requested: false,
            heartbeat_at: now,
            finished_at: None,
            failure: None,
        };
        tx.insert_proposal_job(&job).await.unwrap();
        tx.commit().await.unwrap();

        let mut coordinator =
            signed_in(&app, &staff(&summary, "coordinator (police-scotland)")).await;
        let board = coordinator.get("/schemes/mentoring/matching").await;
        assert!(
            board
                .body
                .contains("Working out the best pairs: placing mentees."),
            "the board says what the proposal is doing"
        );
        assert!(
            board
                .body
                .contains("data-proposal-progress=\"/schemes/mentoring/matching/progress\"")
        );
        assert!(board.body.contains("max=\"100\" value=\"25\""));
        assert!(board.body.contains("Cancel the proposal"));
        assert!(
            !board
                .body
                .contains("action=\"/schemes/mentoring/matching/run\""),
            "no second proposal is offered while one runs"
        );

        let progress = coordinator
            .get("/schemes/mentoring/matching/progress")
            .await;
        assert_eq!(progress.status, StatusCode::OK);
        let json: serde_json::Value = serde_json::from_str(&progress.body).unwrap();
        assert_eq!(json["state"], "running");
        assert_eq!(json["stage"], "routing");
        assert_eq!(json["percent"], 25);

        // Pressing "Propose pairs" again (from an old tab) shows the running one.
        let again = coordinator
            .post("/schemes/mentoring/matching/run", &[])
            .await;
        assert_eq!(again.location(), "/schemes/mentoring/matching#proposal");

        let cancelled = coordinator
            .post("/schemes/mentoring/matching/run/cancel", &[])
            .await;
        assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
        let page = coordinator.get(cancelled.location()).await;
        assert!(page.body.contains("The proposal is being stopped."));
        let mut tx = app.store.begin_write().await.unwrap();
        assert_eq!(
            tx.record_proposal_progress(job.id, ProposalStage::Routing, 40, 120, now)
                .await
                .unwrap(),
            Some(true),
            "the server working on it learns at its next report"
        );
        tx.finish_proposal_job(job.id, ProposalState::Cancelled, None, now)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let board = coordinator.get("/schemes/mentoring/matching").await;
        assert!(board.body.contains("The last proposal was cancelled."));
        assert!(
            board
                .body
                .contains("action=\"/schemes/mentoring/matching/run\"")
        );
        let progress = coordinator
            .get("/schemes/mentoring/matching/progress")
            .await;
        let json: serde_json::Value = serde_json::from_str(&progress.body).unwrap();
        assert_eq!(json["state"], "cancelled");
    })
    .await;
}

#[tokio::test]
async fn the_directory_lists_only_mentors_the_rules_allow_and_says_why_it_shows_fewer() {
    on_each_demo(|store| async move {
        let app = app(store);
        let operator = Actor::Operator {
            name: "test".to_owned(),
        };
        demo::seed(&app, &operator, "http://tandem.test")
            .await
            .unwrap();
        let (mentee, application) = {
            let mut tx = app.store.begin_read().await.unwrap();
            let cleveland = tx
                .organisation_by_code(&OrgCode::parse("cleveland").unwrap())
                .await
                .unwrap()
                .unwrap();
            let scheme = tx
                .scheme_by_key(
                    cleveland.id,
                    &tandem_core::domain::SchemeKey::parse("traditional").unwrap(),
                )
                .await
                .unwrap()
                .unwrap();
            let matches = tx.matches_of_scheme(scheme.id).await.unwrap();
            let application = tx
                .applications_to_scheme(scheme.id)
                .await
                .unwrap()
                .into_iter()
                .find(|it| {
                    it.role == Role::Mentee
                        && it.status == ApplicationStatus::Approved
                        && it.ethics_acknowledged_at.is_some()
                        && !matches.iter().any(|pair| pair.mentee_application == it.id)
                })
                .unwrap();
            (tx.person(application.person).await.unwrap(), application)
        };
        let mut browser = signed_in(&app, mentee.record.email.as_ref()).await;
        let path = "/organisations/cleveland/schemes/traditional/directory";
        let before = browser.get(path).await;
        assert!(
            before.body.contains("not shown")
                && before
                    .body
                    .contains("still to do the training the scheme requires"),
            "the demo's untrained mentors are counted, not offered: {}",
            before.body
        );
        let listed = |body: &str| -> Vec<String> {
            body.match_indices("action=\"/mentors/")
                .map(|(at, _)| {
                    body[at + "action=\"/mentors/".len()..]
                        .split('/')
                        .next()
                        .unwrap()
                        .to_owned()
                })
                .collect()
        };
        let mentors = listed(&before.body);
        assert!(!mentors.is_empty());

        // A coordinator rules the first one out for this mentee: the directory no longer offers
        // them, and says why it shows one fewer.
        let ruled_out = tandem_core::ApplicationId(uuid::Uuid::parse_str(&mentors[0]).unwrap());
        let cleveland =
            tandem_app::organisations::by_code(&app, &OrgCode::parse("cleveland").unwrap())
                .await
                .unwrap();
        let key = tandem_core::domain::SchemeKey::parse("traditional").unwrap();
        tandem_app::matching::set_constraint(
            &app,
            &operator,
            tandem_app::matching::SchemeRef {
                organisation: cleveland.id,
                key: &key,
            },
            application.id,
            ruled_out,
            tandem_core::pairing::ConstraintKind::Forbid,
            "they worked together on a case",
        )
        .await
        .unwrap();
        let after = browser.get(path).await;
        let now_listed = listed(&after.body);
        assert_eq!(now_listed.len(), mentors.len() - 1);
        assert!(!now_listed.contains(&mentors[0]));
        assert!(
            after
                .body
                .contains("1 is ruled out for you by a coordinator"),
            "{}",
            after.body
        );
        // Asked anyway (a stale page): refused in words, on the directory itself.
        let refused = browser
            .post(
                &format!("/mentors/{}/request", mentors[0]),
                &[("organisation", "cleveland"), ("scheme", "traditional")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(refused.body.contains("Choose a mentor"));
        assert!(
            refused
                .body
                .contains("A coordinator ruled this pair out (they worked together on a case)"),
            "{}",
            refused.body
        );
        assert!(!refused.body.contains("rules.forbids"));
    })
    .await;
}

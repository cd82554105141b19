//! Applying in the browser: the form with its problems beside their fields, the line manager's
//! authorisation with a reason, the applicant's page, and the coordinator's list and CSV.

use crate::{app, on_each_demo, signed_in};
use axum::http::StatusCode;
use tandem_app::{App, demo};
use tandem_core::authz::Actor;
use tandem_core::domain::{EmploymentStatus, OrgCode};

/// A serving Cleveland officer with a line manager who has not applied to anything, and the
/// manager's email.
async fn newcomer(app: &App) -> (String, String) {
    let mut tx = app.store.begin_read().await.unwrap();
    let cleveland = tx
        .organisation_by_code(&OrgCode::parse("cleveland").unwrap())
        .await
        .unwrap()
        .unwrap();
    let people = tx.people_of(cleveland.id).await.unwrap();
    for person in &people {
        let record = &person.record;
        if record.employment_status != EmploymentStatus::Serving
            || record.under_performance_management
            || record.rank_or_grade.as_ref() != "Constable"
            || !tx
                .applications_of_person(person.id)
                .await
                .unwrap()
                .is_empty()
        {
            continue;
        }
        let Some(manager) = &record.line_manager else {
            continue;
        };
        let manager = people
            .iter()
            .find(|it| &it.record.staff_number == manager)
            .unwrap();
        return (record.email.to_string(), manager.record.email.to_string());
    }
    panic!("the demo has a Cleveland constable who has not applied");
}

#[tokio::test]
async fn a_cleveland_mentee_applies_and_the_line_manager_declines_with_a_reason() {
    on_each_demo(|store| async move {
        let app = app(store);
        let operator = Actor::Operator {
            name: "test".to_owned(),
        };
        let summary = demo::seed(&app, &operator, "http://tandem.test")
            .await
            .unwrap();
        let (mentee_email, manager_email) = newcomer(&app).await;
        let mut mentee = signed_in(&app, &mentee_email).await;

        let scheme = mentee
            .get("/organisations/cleveland/schemes/traditional")
            .await;
        assert!(
            scheme
                .body
                .contains("/organisations/cleveland/schemes/traditional/apply/mentee"),
            "the scheme page offers to apply"
        );
        let form = mentee
            .get("/organisations/cleveland/schemes/traditional/apply/mentee")
            .await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.body
                .contains("send my application to the programme coordinator in confidence")
        );

        let reply = mentee
            .post(
                "/organisations/cleveland/schemes/traditional/apply/mentee",
                &[
                    ("summary", ""),
                    ("location", "Hartlepool"),
                    ("availability", "mon-am"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("There is a problem"));
        assert!(
            reply.body.contains("href=\"#summary\""),
            "the summary links to the field"
        );
        assert!(
            reply
                .body
                .contains("Choose at least one area you want to develop")
        );
        assert!(reply.body.contains("value=\"Hartlepool\""), "input is kept");
        assert!(
            reply.body.contains("value=\"mon-am\" checked"),
            "ticked slots stay ticked"
        );

        let reply = mentee
            .post(
                "/organisations/cleveland/schemes/traditional/apply/mentee",
                &[
                    ("summary", "Prepare for the sergeants' exam"),
                    ("topics", "Promotion and career progression"),
                    ("topics", "Confidence"),
                    ("remote_ok", "true"),
                    ("ethics_acknowledged", "true"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        assert!(
            reply.location().starts_with("/applications/")
                && reply.location().ends_with("/applied"),
            "applying ends on its confirmation: {}",
            reply.location()
        );
        // The confirmation says what happens next, step by step.
        let sent = mentee.get(reply.location()).await;
        assert_eq!(sent.status, StatusCode::OK);
        assert!(sent.body.contains("Application sent"), "{}", sent.body);
        assert!(sent.body.contains("What happens next"));
        assert!(sent.body.contains("Waiting for line manager"));
        let next = sent.body.split("What happens next").nth(1).unwrap();
        let manager_step = next
            .find("Your line manager authorises your application")
            .expect("the manager's authorisation is a step");
        let matched_step = next
            .find("Choose your mentor from the directory of mentors")
            .expect("choosing a mentor, where mentees choose, is the last step");
        assert!(manager_step < matched_step);
        assert!(next.contains("Waiting for your line manager"));
        assert!(
            next.contains("Cannot start yet"),
            "matching waits for the manager"
        );
        // Another person's confirmation is not found.
        let mut stranger = signed_in(&app, &manager_email).await;
        let theirs = stranger.get(reply.location()).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND);
        // Your mentoring keeps the same steps under the application.
        let mine = mentee.get("/applications").await;
        assert!(mine.body.contains("Your steps"));
        assert!(
            mine.body
                .contains("Your line manager authorises your application")
        );
        assert!(mine.body.contains("Waiting for line manager"));

        let mut manager = signed_in(&app, &manager_email).await;
        let approvals = manager.get("/approvals").await;
        assert!(
            approvals.body.contains("Prepare")
                || approvals.body.contains("Promotion and career progression")
        );
        let id = approvals
            .body
            .split("/applications/")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap()
            .to_owned();
        let reply = manager
            .post(
                &format!("/applications/{id}/decision"),
                &[("decision", "decline"), ("reason", " ")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("Give the reason for declining"));
        assert!(
            reply.body.contains(&format!("id=\"reason-{id}-error\""))
                && reply.body.contains(&format!("href=\"#reason-{id}\"")),
            "the message stands at the field and the summary links to it: {}",
            reply.body
        );
        let reply = manager
            .post(
                &format!("/applications/{id}/decision"),
                &[
                    ("decision", "decline"),
                    ("reason", "Not during the restructure; ask again in April"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert_eq!(reply.location(), "/approvals");

        let mine = mentee.get("/applications").await;
        assert!(mine.body.contains("Declined"));
        assert!(
            mine.body
                .contains("Not during the restructure; ask again in April")
        );
        assert!(
            !mine.body.contains("Withdraw this application"),
            "a declined application cannot be withdrawn"
        );

        // The coordinator sees the scheme's applications and downloads them with the marking.
        let coordinator_email = summary
            .accounts
            .iter()
            .find(|account| account.role == "coordinator (cleveland)")
            .unwrap()
            .email
            .clone();
        let mut coordinator = signed_in(&app, &coordinator_email).await;
        // The person's record says where they stand, not that they take part in nothing.
        let mentee_id = app
            .store
            .begin_read()
            .await
            .unwrap()
            .password_account_by_email(&tandem_core::domain::Email::parse(&mentee_email).unwrap())
            .await
            .unwrap()
            .unwrap()
            .person;
        let record = coordinator.get(&format!("/people/{mentee_id}")).await;
        assert!(
            record
                .body
                .contains("<dd>Traditional mentoring: mentee (declined)</dd>"),
            "{}",
            record.body
        );
        let list = coordinator.get("/schemes/traditional/applications").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("Waiting list"));
        assert!(
            list.body.contains("(sent in confidence)"),
            "the confidential application is there to decide"
        );
        // A decision refused on the scheme's page comes back to that page, the message at the
        // field; one made there returns there too.
        let confidential = list
            .body
            .split("action=\"/applications/")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap()
            .to_owned();
        let refused = coordinator
            .post(
                &format!("/applications/{confidential}/decision"),
                &[
                    ("decision", "decline"),
                    ("reason", ""),
                    ("from", "scheme:traditional"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("<h1>Applications</h1>"),
            "{}",
            refused.body
        );
        assert!(!refused.body.contains("Applications to authorise"));
        assert!(
            refused
                .body
                .contains(&format!("id=\"reason-{confidential}-error\""))
        );
        let decided = coordinator
            .post(
                &format!("/applications/{confidential}/decision"),
                &[
                    ("decision", "decline"),
                    ("reason", "The scheme is full this year"),
                    ("from", "scheme:traditional"),
                ],
            )
            .await;
        assert_eq!(decided.location(), "/schemes/traditional/applications");
        let csv = coordinator
            .get("/schemes/traditional/applications.csv")
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.starts_with("# OFFICIAL"), "{}", &csv.body[..40]);
        let header = csv.body.lines().nth(1).unwrap();
        assert!(header.starts_with("scheme,role,status,staff_number"));
        assert!(csv.body.contains(",declined,"));
        assert!(
            !csv.body.contains("Prepare for the sergeants' exam"),
            "what applicants wrote stays out of the export"
        );
    })
    .await;
}

#[tokio::test]
async fn a_police_scotland_probationer_is_told_why_they_cannot_apply() {
    on_each_demo(|store| async move {
        let app = app(store);
        let operator = Actor::Operator {
            name: "test".to_owned(),
        };
        demo::seed(&app, &operator, "http://tandem.test")
            .await
            .unwrap();
        let mut tx = app.store.begin_read().await.unwrap();
        let scotland = tx
            .organisation_by_code(&OrgCode::parse("police-scotland").unwrap())
            .await
            .unwrap()
            .unwrap();
        let probationer = tx
            .people_of(scotland.id)
            .await
            .unwrap()
            .into_iter()
            .find(|person| {
                person.record.on_probation
                    && person.record.employment_status == EmploymentStatus::Serving
            })
            .unwrap();
        tx.rollback().await.unwrap();
        let mut browser = signed_in(&app, probationer.record.email.as_ref()).await;
        let page = browser
            .get("/organisations/police-scotland/schemes/mentoring")
            .await;
        assert!(
            page.body
                .contains("People on probation cannot take part in this scheme"),
            "{}",
            page.body
        );
        let reply = browser
            .post(
                "/organisations/police-scotland/schemes/mentoring/apply/mentee",
                &[("summary", "Aims"), ("topics", "Confidence")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::CONFLICT);
        assert!(
            reply
                .body
                .contains("You cannot apply to be a mentee in this scheme")
        );
        let mut tx = app.store.begin_read().await.unwrap();
        assert!(
            tx.applications_of_person(probationer.id)
                .await
                .unwrap()
                .is_empty(),
            "nothing was stored"
        );
    })
    .await;
}

//! Every route against every kind of visitor: who may use it, who is refused, who must sign in.
//! The table is built from `tandem_web::ROUTES`, so a new route appears here before it ships.

use crate::{Browser, Reply, app, on_each_demo};
use axum::http::StatusCode;
use std::fmt::Write as _;
use tandem_app::{demo, roles};
use tandem_core::PersonId;
use tandem_core::authz::{Actor, Grant, Scope, StaffRole};
use tandem_web::WebConfig;

fn outcome(reply: &Reply) -> &'static str {
    match reply.status {
        StatusCode::SEE_OTHER if reply.location().starts_with("/sign-in") => "sign-in",
        StatusCode::FORBIDDEN => "denied",
        StatusCode::NOT_FOUND => "missing",
        StatusCode::CONFLICT => "conflict",
        status
            if status.is_success()
                || status.is_redirection()
                || status == StatusCode::UNPROCESSABLE_ENTITY =>
        {
            "allowed"
        }
        status => panic!("unexpected status {status}: {}", reply.body),
    }
}

/// Every table's digest but the sessions'.
async fn fingerprint(app: &tandem_app::App) -> std::collections::BTreeMap<String, (i64, u64)> {
    let mut tx = app.store.begin_read().await.unwrap();
    // Sessions and API tokens record when they were last used, whatever the answer.
    let digest = tx.fingerprint(&["sessions", "api_tokens"]).await.unwrap();
    tx.rollback().await.unwrap();
    digest
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_rules_say() {
    on_each_demo(|store| async move {
        let app = app(store);
        let operator = Actor::Operator { name: "test".to_owned() };
        let summary = demo::seed(&app, &operator, "http://tandem.test").await.unwrap();
        let email = |role: &str| summary.accounts.iter().find(|account| account.role.starts_with(role)).unwrap().email.clone();
        let visitors: Vec<(&str, Option<String>)> = vec![
            ("anonymous", None),
            ("participant", Some(email("participant (police-scotland)"))),
            ("line manager", Some(email("line manager (police-scotland)"))),
            ("champion", Some(email("champion (police-scotland"))),
            ("coordinator", Some(email("coordinator (police-scotland)"))),
            ("admin", Some(email("organisation_admin (police-scotland)"))),
            ("cleveland admin", Some(email("organisation_admin (cleveland)"))),
            ("national", Some(email("national_admin"))),
        ];
        // The person the person routes act on: someone in Police Scotland.
        let target = {
            let mut tx = app.store.begin_read().await.unwrap();
            let scotland = tx.organisation_by_code(&tandem_core::domain::OrgCode::parse("police-scotland").unwrap()).await.unwrap().unwrap();
            let (people, _) = tx
                .search_people(scotland.id, &tandem_app::PeopleSearch { text: String::new(), rank: "constable".to_owned(), department: String::new(), limit: 1, offset: 0 })
                .await
                .unwrap();
            (people[0].id, scotland.id)
        };
        let (person, scotland) = target;
        // The application the application routes act on: the demo participant's own.
        let application = {
            let participant = summary.accounts.iter().find(|account| account.role.starts_with("participant (police-scotland)")).unwrap();
            let mut tx = app.store.begin_read().await.unwrap();
            let id = tx.person_id_by_email(&tandem_core::domain::Email::parse(&participant.email).unwrap()).await.unwrap().unwrap();
            tx.applications_of_person(id).await.unwrap()[0].id
        };
        // A workshop of the participant's scheme, with the participant booked on it.
        let (workshop, booking) = {
            let form = tandem_app::training::WorkshopForm {
                title: "Matrix workshop".to_owned(),
                date: "2027-02-01".to_owned(),
                time: "10:00".to_owned(),
                location: "Tulliallan".to_owned(),
                capacity: "5".to_owned(),
                joint: false,
                support_group: false,
            };
            let key = tandem_core::domain::SchemeKey::parse("mentoring").unwrap();
            let workshop = tandem_app::training::schedule(&app, &operator, scotland, &key, &form, "https://tandem.test").await.unwrap();
            let mut tx = app.store.begin_read().await.unwrap();
            let participant = tx.application(application).await.unwrap().unwrap().person;
            tx.rollback().await.unwrap();
            let booked = tandem_app::training::book(&app, &operator, workshop.id, participant, None).await.unwrap();
            (workshop.id, booked[0].id)
        };
        // A proposal of the participant's scheme, from the demo's matching.
        let proposal = {
            let mut tx = app.store.begin_read().await.unwrap();
            let scheme = tx.application(application).await.unwrap().unwrap().scheme;
            tx.matches_of_scheme(scheme)
                .await
                .unwrap()
                .into_iter()
                .find(|it| it.status == tandem_core::pairing::MatchStatus::Proposed)
                .unwrap()
        };
        let (proposal_mentee, proposal_mentor) = (proposal.mentee_application.to_string(), proposal.mentor_application.to_string());
        // A relationship none of the visitors is in, with its introductory meeting arranged.
        let (relationship, meeting, member) = {
            let mut tx = app.store.begin_read().await.unwrap();
            let other = tx
                .matches_of_scheme(proposal.scheme)
                .await
                .unwrap()
                .into_iter()
                .find(|it| it.status == tandem_core::pairing::MatchStatus::Introductory && it.id != proposal.id)
                .unwrap();
            tx.rollback().await.unwrap();
            let mentor = Actor::Person { id: other.mentor, organisation: scotland, grants: Vec::new() };
            let form = tandem_core::relationship::MeetingForm {
                date: "2027-03-01".to_owned(),
                time: "10:00".to_owned(),
                minutes: "60".to_owned(),
                mode: "in_person".to_owned(),
                place: "Tulliallan".to_owned(),
            };
            let meeting = tandem_app::relationships::arrange_introduction(&app, &mentor, other.id, &form, "http://localhost").await.unwrap();
            (other.id, meeting.id, mentor)
        };
        // A concern and a flag on that relationship, raised by its mentor.
        let concern = tandem_app::relationships::raise_concern(&app, &member, relationship, "breach_of_policy", "Matrix concern", "http://localhost").await.unwrap().id;
        let flag = tandem_app::relationships::declare_interview_panel(&app, &member, relationship, "http://localhost").await.unwrap().id;
        let relationship_text = relationship.to_string();
        // A notification of that mentor's, which nobody else may open.
        let notification = tandem_app::notify::inbox(&app, &member, 1).await.unwrap().notices[0].id;
        let person_text = person.to_string();

        // Each visitor signs in once; a route that changes the session itself (signing in or
        // out, switching organisation) gets a session of its own.
        let sign_in = |email: Option<String>| {
            let app = app.clone();
            async move {
                let mut browser = Browser::new(&app, WebConfig::default());
                if let Some(email) = email {
                    let reply = browser.post("/sign-in", &[("email", &email), ("password", demo::DEMO_PASSWORD)]).await;
                    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{email} signs in");
                }
                browser
            }
        };
        let mut browsers = Vec::new();
        for (_, email) in &visitors {
            browsers.push(sign_in(email.clone()).await);
        }
        // The database's digest as last taken, while nothing has changed since.
        let mut known: Option<std::collections::BTreeMap<String, (i64, u64)>> = None;

        let mut table = String::new();
        for (method, path) in tandem_web::ROUTES {
            write!(table, "{} {path}:", method.to_uppercase()).unwrap();
            for (index, (name, email)) in visitors.iter().enumerate() {
                let mut own_session;
                let browser = if matches!(*path, "/sign-in" | "/sign-out" | "/organisation") {
                    own_session = sign_in(email.clone()).await;
                    known = None;
                    &mut own_session
                } else {
                    &mut browsers[index]
                };
                // A fresh role to take away, so each visitor's attempt meets one.
                let grant_id = if path.contains("{grant}") {
                    let grant = Grant { role: StaffRole::Champion, scope: Scope::Organisation(scotland) };
                    roles::grant(&app, &operator, person, grant.clone()).await.ok();
                    known = None;
                    app.store.begin_read().await.unwrap().held_grants_of(person).await.unwrap().last().map(|(id, _)| *id).unwrap().to_string()
                } else {
                    uuid::Uuid::nil().to_string()
                };
                let id = if path.starts_with("/applications/") {
                    application.to_string()
                } else if path.starts_with("/workshops/") {
                    workshop.to_string()
                } else if path.starts_with("/bookings/") {
                    booking.to_string()
                } else if path.starts_with("/matches/") {
                    proposal.id.to_string()
                } else if path.starts_with("/relationships/") || path.starts_with("/schemes/{key}/relationships/{id}") {
                    relationship.to_string()
                } else if path.starts_with("/flags/") {
                    flag.to_string()
                } else if path.starts_with("/concerns/") {
                    concern.to_string()
                } else if path.starts_with("/inbox/") {
                    notification.to_string()
                } else if path.starts_with("/meetings/") {
                    meeting.to_string()
                } else if path.starts_with("/mentors/") {
                    proposal.mentor_application.to_string()
                } else {
                    person.to_string()
                };
                let concrete = path
                    .replace("{role}", "mentee")
                    .replace("{code}", "police-scotland")
                    .replace("{key}", "mentoring")
                    .replace("{id}", &id)
                    .replace("{grant}", &grant_id)
                    .replace("{goal}", &uuid::Uuid::nil().to_string())
                    .replace("{extension}", &uuid::Uuid::nil().to_string())
                    .replace("{flag}", &flag.to_string())
                    .replace("{action}", &uuid::Uuid::nil().to_string());
                // A refused write changes nothing.
                let before = if *method == "get" {
                    None
                } else {
                    match known.take() {
                        Some(digest) => Some(digest),
                        None => Some(fingerprint(&app).await),
                    }
                };
                let reply = match (*method, *path) {
                    // The check page names whose invitation in its address.
                    ("get", "/schemes/{key}/invitations/withdraw") => browser.get(&format!("{concrete}?person={person_text}&role=mentee")).await,
                    ("get", _) => browser.get(&concrete).await,
                    ("post", "/people/import" | "/people/import/problems") => browser.post_file(&concrete, &[], "matrix.csv", b"staff_number\n").await,
                    _ => {
                        let pair_fields = [("mentee", proposal_mentee.as_str()), ("mentor", proposal_mentor.as_str())];
                        let forbid_fields = [("mentee", proposal_mentee.as_str()), ("mentor", proposal_mentor.as_str()), ("kind", "forbid"), ("reason", "")];
                        let fields: &[(&str, &str)] = match *path {
                            "/sign-in" => &[("email", ""), ("password", "")],
                            "/organisation" => &[("organisation", "police-scotland")],
                            "/people/{id}/roles" => &[("role", "coordinator"), ("scope", "organisation")],
                            "/schemes" => &[("preset", "police-scotland/mentoring"), ("key", "matrix")],
                            "/schemes/{key}/status" => &[("status", "open")],
                            "/applications/{id}/decision" => &[("decision", "decline"), ("reason", "")],
                            "/applications/{id}/priority" => &[("priority", "1"), ("scheme", "mentoring")],
                            "/applications/{id}/training" => &[("completed_on", "2026-11-20"), ("scheme", "mentoring")],
                            "/bookings/{id}/priority" => &[("priority", "1"), ("scheme", "mentoring")],
                            "/matches/{id}/confirm" => &[("scheme", "mentoring")],
                            "/matches/{id}/answer" => &[("answer", "decline"), ("reason", "")],
                            "/matches/{id}/end" => &[("reason", ""), ("scheme", "mentoring"), ("confirmed", "yes")],
                            "/schemes/{key}/matching/pick" | "/schemes/{key}/matching/constraints/delete" => &pair_fields,
                            "/schemes/{key}/matching/constraints" => &forbid_fields,
                            "/schemes/{key}/invitations" => &[("email", "nobody@example.org"), ("role", "mentee")],
                            "/schemes/{key}/invitations/withdraw" => &[("person", person_text.as_str()), ("role", "mentee"), ("confirmed", "yes")],
                            "/schemes/{key}/supply/appeal" => &[("band", "inspector"), ("message", "")],
                            "/flags/{id}/decision" => &[("outcome", ""), ("reason", ""), ("relationship", relationship_text.as_str()), ("scheme", "mentoring")],
                            "/schemes/{key}/relationships/{id}/keep-open" => &[("reason", "")],
                            "/schemes/{key}/relationships/{id}/end" | "/relationships/{id}/end" => &[("reason", ""), ("confirmed", "yes")],
                            "/applications/{id}/withdraw" | "/schemes/{key}/matching/confirm-all" => &[("confirmed", "yes")],
                            "/concerns/{id}/outcome" => &[("outcome", "")],
                            "/relationships/{id}/concerns" => &[("reason", "")],
                            "/reports/evaluation/theme-list" => &[("label", "Morale"), ("scheme", "mentoring")],
                            "/reports/evaluation/theme-list/remove" => &[("theme", "morale"), ("scheme", "mentoring")],
                            "/reports/evaluation/themes" => &[("handle", "none"), ("scheme", "mentoring")],
                            _ => &[],
                        };
                        browser.post(&concrete, fields).await
                    }
                };
                let answer = outcome(&reply);
                if let Some(before) = before
                    && answer != "allowed"
                {
                    let after = fingerprint(&app).await;
                    let changed: Vec<&String> = after.iter().filter(|(table, digest)| before.get(*table) != Some(digest)).map(|(table, _)| table).collect();
                    assert!(changed.is_empty(), "{} {path} refused for {name} ({answer}) but changed {changed:?}", method.to_uppercase());
                    known = Some(after);
                } else {
                    // A page read may be audited; anything allowed may have written.
                    known = None;
                }
                write!(table, " {name}={answer}").unwrap();
                // Leave the person as they were for the next visitor.
                if path.contains("{grant}") || path.starts_with("/people/{id}/roles") {
                    for (id, held) in app.store.begin_read().await.unwrap().held_grants_of(person).await.unwrap() {
                        let _ = held;
                        roles::revoke(&app, &operator, PersonId(person.0), id).await.ok();
                    }
                    known = None;
                }
            }
            table.push('\n');
        }
        expect_test::expect![[r#"
            GET /: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /healthz: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /assets/tandem.css: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /assets/tandem.js: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /sign-in: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /sign-in: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /sign-out: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /sign-in/code: anonymous=sign-in participant=sign-in line manager=sign-in champion=sign-in coordinator=sign-in admin=sign-in cleveland admin=sign-in national=sign-in
            POST /sign-in/code: anonymous=sign-in participant=sign-in line manager=sign-in champion=sign-in coordinator=sign-in admin=sign-in cleveland admin=sign-in national=sign-in
            GET /sign-in/set-up: anonymous=sign-in participant=sign-in line manager=sign-in champion=sign-in coordinator=sign-in admin=sign-in cleveland admin=sign-in national=sign-in
            POST /sign-in/set-up: anonymous=sign-in participant=sign-in line manager=sign-in champion=sign-in coordinator=sign-in admin=sign-in cleveland admin=sign-in national=sign-in
            GET /sign-in/sso: anonymous=missing participant=missing line manager=missing champion=missing coordinator=missing admin=missing cleveland admin=missing national=missing
            GET /sign-in/sso/callback: anonymous=missing participant=missing line manager=missing champion=missing coordinator=missing admin=missing cleveland admin=missing national=missing
            GET /demo/emails: anonymous=missing participant=missing line manager=missing champion=missing coordinator=missing admin=missing cleveland admin=missing national=missing
            GET /forgot-password: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /forgot-password: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /reset-password/{token}: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /reset-password/{token}: anonymous=missing participant=missing line manager=missing champion=missing coordinator=missing admin=missing cleveland admin=missing national=missing
            GET /account: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /account/adjustments: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /account/password: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /account/password: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /account/two-factor: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /account/two-factor/set-up: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /account/two-factor/set-up: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /account/two-factor/recovery-codes: anonymous=sign-in participant=conflict line manager=conflict champion=conflict coordinator=conflict admin=conflict cleveland admin=conflict national=conflict
            POST /account/two-factor/off: anonymous=sign-in participant=conflict line manager=conflict champion=conflict coordinator=conflict admin=conflict cleveland admin=conflict national=conflict
            GET /account/records.zip: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /account/notifications: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /account/notifications: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /inbox: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /inbox/{id}: anonymous=sign-in participant=missing line manager=missing champion=missing coordinator=missing admin=missing cleveland admin=missing national=missing
            POST /inbox/read: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /account/adjustments: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /organisation: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=denied national=allowed
            GET /organisations/{code}/schemes/{key}: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /organisations/{code}/schemes/{key}/apply/{role}: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /organisations/{code}/schemes/{key}/apply/{role}: anonymous=sign-in participant=conflict line manager=allowed champion=allowed coordinator=allowed admin=conflict cleveland admin=conflict national=allowed
            GET /applications: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /applications/{id}/applied: anonymous=sign-in participant=allowed line manager=missing champion=missing coordinator=missing admin=missing cleveland admin=missing national=missing
            POST /applications/{id}/ethics: anonymous=sign-in participant=allowed line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            GET /applications/{id}/withdraw: anonymous=sign-in participant=allowed line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /applications/{id}/withdraw: anonymous=sign-in participant=allowed line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /applications/{id}/decision: anonymous=sign-in participant=missing line manager=missing champion=conflict coordinator=conflict admin=conflict cleveland admin=missing national=conflict
            POST /applications/{id}/priority: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=denied national=allowed
            POST /applications/{id}/training: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=denied national=allowed
            GET /approvals: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /organisations/{code}/schemes/{key}/directory: anonymous=sign-in participant=conflict line manager=conflict champion=conflict coordinator=conflict admin=conflict cleveland admin=conflict national=conflict
            POST /mentors/{id}/request: anonymous=sign-in participant=conflict line manager=conflict champion=conflict coordinator=conflict admin=conflict cleveland admin=conflict national=conflict
            POST /matches/{id}/answer: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /matches/{id}/confirm: anonymous=sign-in participant=denied line manager=denied champion=conflict coordinator=conflict admin=conflict cleveland admin=denied national=conflict
            GET /matches/{id}/end: anonymous=sign-in participant=denied line manager=denied champion=conflict coordinator=conflict admin=conflict cleveland admin=denied national=conflict
            POST /matches/{id}/end: anonymous=sign-in participant=denied line manager=denied champion=conflict coordinator=conflict admin=conflict cleveland admin=denied national=conflict
            GET /relationships/{id}: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/introduction: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/go-on: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/stop: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/sessions: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/goals: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/goals/{goal}: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/actions: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/actions/{action}: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/reviews: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/extensions: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/extensions/{extension}: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/interview-panel: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/flags/{flag}/declaration: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/concerns: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/check-ins: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            GET /relationships/{id}/end: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=denied national=allowed
            POST /relationships/{id}/end: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=denied national=allowed
            POST /relationships/{id}/hold: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/resume: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/closing: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/closing-review: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /relationships/{id}/evaluation: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /meetings/{id}/held: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /meetings/{id}/cancel: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /meetings/{id}/notes: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            GET /meetings/{id}/calendar.ics: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=denied cleveland admin=denied national=denied
            POST /workshops/{id}/book: anonymous=sign-in participant=conflict line manager=conflict champion=conflict coordinator=conflict admin=allowed cleveland admin=conflict national=conflict
            POST /workshops/{id}/attendance: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=conflict admin=conflict cleveland admin=denied national=conflict
            POST /bookings/{id}/cancel: anonymous=sign-in participant=allowed line manager=denied champion=conflict coordinator=conflict admin=conflict cleveland admin=denied national=conflict
            POST /bookings/{id}/priority: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=denied national=allowed
            GET /people: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /people/import: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            POST /people/import: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            POST /people/import/problems: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            POST /people/import/{id}/confirm: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=missing cleveland admin=missing national=missing
            GET /people/import/{id}: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=missing cleveland admin=missing national=missing
            GET /people/{id}: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=denied national=allowed
            POST /people/{id}/roles: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=denied national=allowed
            POST /people/{id}/roles/{grant}/delete: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=denied national=allowed
            GET /people/{id}/records.zip: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=denied national=allowed
            GET /people/{id}/erase: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=denied national=allowed
            POST /people/{id}/erase: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=denied national=conflict
            POST /people/{id}/two-factor/reset: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=conflict cleveland admin=denied national=conflict
            GET /audit: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            GET /settings: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            GET /api-tokens: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            POST /api-tokens: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            POST /api-tokens/{id}/revoke: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=missing cleveland admin=missing national=missing
            POST /settings: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            GET /settings/two-factor: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            POST /settings/two-factor: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            GET /accessibility: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /settings/accessibility: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            POST /settings/accessibility: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            POST /settings/accessibility/issues: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            POST /settings/accessibility/issues/{id}/delete: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=missing cleveland admin=missing national=missing
            GET /settings/records: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            POST /settings/records: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            POST /settings/records/dispose: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            GET /schemes: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /schemes: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /schemes/{key}/edit: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=missing national=missing
            POST /schemes/{key}/edit: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=missing national=missing
            GET /schemes/{key}/close: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=missing national=missing
            POST /schemes/{key}/status: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=missing national=missing
            GET /schemes/{key}/applications: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=missing national=missing
            GET /schemes/{key}/applications.csv: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=missing national=missing
            GET /schemes/{key}/workshops: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=missing national=missing
            POST /schemes/{key}/workshops: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=missing national=missing
            GET /schemes/{key}/matching: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=missing national=missing
            POST /schemes/{key}/matching/run: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=missing national=missing
            POST /schemes/{key}/matching/run/cancel: anonymous=sign-in participant=denied line manager=denied champion=conflict coordinator=conflict admin=conflict cleveland admin=missing national=missing
            GET /schemes/{key}/matching/progress: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=missing national=missing
            GET /schemes/{key}/matching/pairs/{id}: anonymous=sign-in participant=denied line manager=denied champion=missing coordinator=missing admin=missing cleveland admin=missing national=missing
            GET /schemes/{key}/matching/confirm-all: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=missing national=missing
            POST /schemes/{key}/matching/confirm-all: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=missing national=missing
            POST /schemes/{key}/matching/pick: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=missing national=missing
            POST /schemes/{key}/matching/constraints: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=missing national=missing
            POST /schemes/{key}/matching/constraints/delete: anonymous=sign-in participant=denied line manager=denied champion=missing coordinator=missing admin=missing cleveland admin=missing national=missing
            GET /schemes/{key}/matches.csv: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=missing national=missing
            GET /schemes/{key}/relationships: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=missing national=missing
            GET /schemes/{key}/relationships.csv: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=missing national=missing
            GET /schemes/{key}/relationships/{id}: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=denied national=allowed
            POST /schemes/{key}/relationships/{id}/keep-open: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=denied national=allowed
            GET /schemes/{key}/relationships/{id}/end: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=denied national=allowed
            POST /schemes/{key}/relationships/{id}/end: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=denied national=allowed
            GET /schemes/{key}/attention: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=missing national=missing
            POST /flags/{id}/decision: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=denied national=allowed
            GET /schemes/{key}/concerns: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=denied cleveland admin=missing national=missing
            GET /concerns/{id}: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=denied cleveland admin=denied national=denied
            POST /concerns/{id}/outcome: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=denied cleveland admin=denied national=denied
            GET /schemes/{key}/invitations: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=missing national=missing
            POST /schemes/{key}/invitations: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=missing national=missing
            GET /schemes/{key}/invitations/withdraw: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=missing admin=missing cleveland admin=missing national=missing
            POST /schemes/{key}/invitations/withdraw: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=missing admin=missing cleveland admin=missing national=missing
            GET /reports: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /reports/equality: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /reports/equality/threshold: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            GET /reports/evaluation: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /reports/evaluation/themes: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=missing admin=missing cleveland admin=missing national=missing
            POST /reports/evaluation/theme-list: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=missing national=missing
            POST /reports/evaluation/theme-list/remove: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=missing cleveland admin=missing national=missing
            GET /reports/{file}: anonymous=sign-in participant=denied line manager=denied champion=missing coordinator=missing admin=missing cleveland admin=missing national=missing
            GET /schemes/{key}/supply: anonymous=sign-in participant=denied line manager=denied champion=allowed coordinator=allowed admin=allowed cleveland admin=missing national=missing
            POST /schemes/{key}/supply/appeal: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=missing national=missing
        "#]].assert_eq(&table);
    })
    .await;
}

#[tokio::test]
async fn every_api_route_answers_every_kind_of_token_as_the_rules_say() {
    use axum::body::Body;
    use axum::http::{Method, Request, header};
    use tower::ServiceExt;
    on_each_demo(|store| async move {
        let app = app(store);
        let operator = Actor::Operator { name: "test".to_owned() };
        demo::seed(&app, &operator, "http://tandem.test").await.unwrap();
        let organisation = |code: &'static str| {
            let app = app.clone();
            async move { tandem_app::organisations::by_code(&app, &tandem_core::domain::OrgCode::parse(code).unwrap()).await.unwrap().id }
        };
        let (scotland, cleveland) = (organisation("police-scotland").await, organisation("cleveland").await);
        let mut callers: Vec<(&str, Option<String>)> = vec![("no token", None)];
        for (name, scope, write) in [
            ("scotland read", Some(scotland), false),
            ("scotland write", Some(scotland), true),
            ("cleveland write", Some(cleveland), true),
            ("installation read", None, false),
        ] {
            callers.push((name, Some(tandem_app::tokens::issue(&app, &operator, scope, name, write).await.unwrap().1)));
        }
        let person = {
            let search = tandem_app::PeopleSearch { text: String::new(), rank: "constable".to_owned(), department: String::new(), limit: 1, offset: 0 };
            app.store.begin_read().await.unwrap().search_people(scotland, &search).await.unwrap().0[0].id
        };
        // A proposal from the demo's matching of Police Scotland's scheme.
        let proposal = {
            let mut tx = app.store.begin_read().await.unwrap();
            let scheme = tx.scheme_by_key(scotland, &tandem_core::domain::SchemeKey::parse("mentoring").unwrap()).await.unwrap().unwrap();
            tx.matches_of_scheme(scheme.id).await.unwrap().into_iter().find(|it| it.status == tandem_core::pairing::MatchStatus::Proposed).unwrap()
        };
        let mut table = String::new();
        for (method, path) in tandem_web::API_ROUTES {
            write!(table, "{} {path}:", method.to_uppercase()).unwrap();
            for (name, secret) in &callers {
                let grant = Grant { role: StaffRole::Champion, scope: Scope::Organisation(scotland) };
                roles::grant(&app, &operator, person, grant).await.ok();
                let grant_id = app.store.begin_read().await.unwrap().held_grants_of(person).await.unwrap().last().map(|(id, _)| *id).unwrap();
                let uri = path
                    .replace("{code}", "police-scotland")
                    .replace("{key}", "mentoring")
                    .replace("{id}", &if path.starts_with("/api/v1/matches/") { proposal.id.to_string() } else { person.to_string() })
                    .replace("{grant}", &grant_id.to_string());
                let body = match *path {
                    "/api/v1/organisations/{code}/schemes/{key}/matches" if *method == "post" => serde_json::json!({
                        "mentee_application": proposal.mentee_application.0,
                        "mentor_application": proposal.mentor_application.0,
                    })
                    .to_string(),
                    "/api/v1/organisations/{code}/schemes/{key}/status" => serde_json::json!({ "status": "open" }).to_string(),
                    "/api/v1/people/{id}/roles" => serde_json::json!({ "role": "coordinator", "scope": { "kind": "organisation" } }).to_string(),
                    _ => String::new(),
                };
                let mut request = Request::builder().method(method.to_uppercase().parse::<Method>().unwrap()).uri(uri);
                if let Some(secret) = secret {
                    request = request.header(header::AUTHORIZATION, format!("Bearer {secret}"));
                }
                if !body.is_empty() {
                    request = request.header(header::CONTENT_TYPE, "application/json");
                }
                let state = tandem_web::WebState::new(app.clone(), WebConfig::default());
                let before = if *method == "get" { None } else { Some(fingerprint(&app).await) };
                let response = tandem_web::router(state).oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
                let refused = !response.status().is_success();
                let outcome = match response.status() {
                    StatusCode::UNAUTHORIZED => "no-token",
                    StatusCode::FORBIDDEN => "denied",
                    StatusCode::NOT_FOUND => "missing",
                    status if status.is_success() || status == StatusCode::CONFLICT => "allowed",
                    status => panic!("unexpected status {status} for {name} on {path}"),
                };
                if let Some(before) = before
                    && refused
                {
                    let after = fingerprint(&app).await;
                    let changed: Vec<&String> = after.iter().filter(|(table, digest)| before.get(*table) != Some(digest)).map(|(table, _)| table).collect();
                    assert!(changed.is_empty(), "{} {path} refused for {name} ({outcome}) but changed {changed:?}", method.to_uppercase());
                }
                write!(table, " {name}={outcome}").unwrap();
                for (id, _) in app.store.begin_read().await.unwrap().held_grants_of(person).await.unwrap() {
                    roles::revoke(&app, &operator, person, id).await.ok();
                }
            }
            table.push('\n');
        }
        expect_test::expect![[r#"
            GET /api/v1/organisations: no token=no-token scotland read=allowed scotland write=allowed cleveland write=allowed installation read=allowed
            GET /api/v1/organisations/{code}/people: no token=no-token scotland read=allowed scotland write=allowed cleveland write=denied installation read=allowed
            GET /api/v1/people/{id}: no token=no-token scotland read=allowed scotland write=allowed cleveland write=denied installation read=allowed
            GET /api/v1/organisations/{code}/schemes: no token=no-token scotland read=allowed scotland write=allowed cleveland write=denied installation read=allowed
            GET /api/v1/organisations/{code}/schemes/{key}: no token=no-token scotland read=allowed scotland write=allowed cleveland write=denied installation read=allowed
            PUT /api/v1/organisations/{code}/schemes/{key}/status: no token=no-token scotland read=denied scotland write=allowed cleveland write=denied installation read=denied
            GET /api/v1/people/{id}/roles: no token=no-token scotland read=allowed scotland write=allowed cleveland write=denied installation read=allowed
            POST /api/v1/people/{id}/roles: no token=no-token scotland read=denied scotland write=allowed cleveland write=denied installation read=denied
            DELETE /api/v1/people/{id}/roles/{grant}: no token=no-token scotland read=denied scotland write=allowed cleveland write=denied installation read=denied
            GET /api/v1/organisations/{code}/schemes/{key}/applications: no token=no-token scotland read=allowed scotland write=allowed cleveland write=denied installation read=allowed
            GET /api/v1/organisations/{code}/schemes/{key}/matches: no token=no-token scotland read=allowed scotland write=allowed cleveland write=denied installation read=allowed
            POST /api/v1/matches/{id}/confirm: no token=no-token scotland read=denied scotland write=allowed cleveland write=denied installation read=denied
            POST /api/v1/organisations/{code}/schemes/{key}/matches: no token=no-token scotland read=denied scotland write=allowed cleveland write=denied installation read=denied
            GET /api/v1/organisations/{code}/schemes/{key}/relationships: no token=no-token scotland read=allowed scotland write=allowed cleveland write=denied installation read=allowed
        "#]].assert_eq(&table);
    })
    .await;
}

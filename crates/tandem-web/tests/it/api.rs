//! The JSON API: token authentication, scope, reads, changes, errors, and an OpenAPI document
//! that describes exactly the routes served.

use crate::app;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use std::collections::BTreeSet;
use tandem_app::{App, demo, tokens};
use tandem_core::audit::AuditAction;
use tandem_core::authz::Actor;
use tandem_core::domain::OrgCode;
use tandem_store::testing::on_each_backend;
use tandem_web::{WebConfig, WebState};
use tower::ServiceExt;

async fn call(
    app: &App,
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value, axum::http::HeaderMap) {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match body {
        Some(json) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let response = tandem_web::router(WebState::new(app.clone(), WebConfig::default()))
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let json = if bytes.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::String(
            String::from_utf8_lossy(&bytes).into_owned(),
        ))
    };
    (status, json, headers)
}

async fn token(app: &App, organisation: &str, write: bool) -> String {
    let operator = Actor::Operator {
        name: "test".to_owned(),
    };
    let id = tandem_app::organisations::by_code(app, &OrgCode::parse(organisation).unwrap())
        .await
        .unwrap()
        .id;
    tokens::issue(app, &operator, Some(id), "test integration", write)
        .await
        .unwrap()
        .1
}

async fn seeded(store: tandem_store::Store) -> App {
    let app = app(store);
    demo::seed(
        &app,
        &Actor::Operator {
            name: "test".to_owned(),
        },
    )
    .await
    .unwrap();
    app
}

#[tokio::test]
async fn requests_without_a_current_token_are_refused_with_401() {
    on_each_backend(|store| async move {
        let app = seeded(store).await;
        let (status, body, headers) =
            call(&app, Method::GET, "/api/v1/organisations", None, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .contains("Authorization: Bearer")
        );
        let (status, _, _) = call(
            &app,
            Method::GET,
            "/api/v1/organisations",
            Some("tandem_not-a-token"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        let secret = token(&app, "cleveland", false).await;
        assert_eq!(
            call(
                &app,
                Method::GET,
                "/api/v1/organisations",
                Some(&secret),
                None
            )
            .await
            .0,
            StatusCode::OK
        );
        let operator = Actor::Operator {
            name: "test".to_owned(),
        };
        let cleveland =
            tandem_app::organisations::by_code(&app, &OrgCode::parse("cleveland").unwrap())
                .await
                .unwrap()
                .id;
        let held = tokens::list(&app, &operator, Some(cleveland))
            .await
            .unwrap();
        assert!(held[0].last_used_at.is_some(), "use is recorded");
        tokens::revoke(&app, &operator, Some(cleveland), held[0].id)
            .await
            .unwrap();
        assert_eq!(
            call(
                &app,
                Method::GET,
                "/api/v1/organisations",
                Some(&secret),
                None
            )
            .await
            .0,
            StatusCode::UNAUTHORIZED
        );
    })
    .await;
}

#[tokio::test]
async fn a_read_token_reads_its_own_organisation_only() {
    on_each_backend(|store| async move {
        let app = seeded(store).await;
        let secret = token(&app, "cleveland", false).await;
        let (status, page, _) = call(
            &app,
            Method::GET,
            "/api/v1/organisations/cleveland/people?rank=Sergeant&limit=5",
            Some(&secret),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page["limit"], 5);
        assert!(page["total"].as_i64().unwrap() > 5);
        let people = page["people"].as_array().unwrap();
        assert_eq!(people.len(), 5);
        assert!(
            people
                .iter()
                .all(|person| person["rank_or_grade"] == "Sergeant")
        );
        assert!(
            people[0].get("sex").is_none() && people[0].get("diversity").is_none(),
            "no diversity data over the API"
        );

        let id = people[0]["id"].as_str().unwrap();
        let (status, detail, _) = call(
            &app,
            Method::GET,
            &format!("/api/v1/people/{id}"),
            Some(&secret),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(detail["person"]["id"], id);

        let (status, schemes, _) = call(
            &app,
            Method::GET,
            "/api/v1/organisations/cleveland/schemes",
            Some(&secret),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let keys: Vec<&str> = schemes
            .as_array()
            .unwrap()
            .iter()
            .map(|scheme| scheme["key"].as_str().unwrap())
            .collect();
        assert_eq!(keys, ["reverse", "traditional"]);
        let (_, reverse, _) = call(
            &app,
            Method::GET,
            "/api/v1/organisations/cleveland/schemes/reverse",
            Some(&secret),
            None,
        )
        .await;
        assert_eq!(reverse["policy"]["max_mentees_per_mentor"], 1);
        assert_eq!(reverse["policy"]["rank_direction"], "mentor_junior");

        let (status, body, _) = call(
            &app,
            Method::GET,
            "/api/v1/organisations/police-scotland/people",
            Some(&secret),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, _, _) = call(
            &app,
            Method::PUT,
            "/api/v1/organisations/cleveland/schemes/reverse/status",
            Some(&secret),
            Some(serde_json::json!({ "status": "closed" })),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "a read token changes nothing"
        );
        let (status, body, _) = call(
            &app,
            Method::GET,
            "/api/v1/organisations/cleveland/people?limit=0",
            Some(&secret),
            None,
        )
        .await;
        assert_eq!(
            (status, body["error"].as_str().unwrap()),
            (StatusCode::BAD_REQUEST, "limit must be from 1 to 500")
        );
        assert_eq!(
            app.store
                .begin_read()
                .await
                .unwrap()
                .count_audit(AuditAction::PeopleSearched)
                .await
                .unwrap(),
            1,
            "refused requests read nothing"
        );
        assert_eq!(
            app.store
                .begin_read()
                .await
                .unwrap()
                .count_audit(AuditAction::PersonViewed)
                .await
                .unwrap(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_write_token_opens_and_closes_schemes_and_gives_and_takes_away_roles() {
    on_each_backend(|store| async move {
        let app = seeded(store).await;
        let secret = token(&app, "police-scotland", true).await;
        let (status, _, _) = call(&app, Method::PUT, "/api/v1/organisations/police-scotland/schemes/mentoring/status", Some(&secret), Some(serde_json::json!({ "status": "closed" }))).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, scheme, _) = call(&app, Method::GET, "/api/v1/organisations/police-scotland/schemes/mentoring", Some(&secret), None).await;
        assert_eq!(scheme["status"], "closed");
        let (status, body, _) = call(&app, Method::PUT, "/api/v1/organisations/police-scotland/schemes/mentoring/status", Some(&secret), Some(serde_json::json!({ "status": "paused" }))).await;
        assert_eq!((status, body["error"].as_str().unwrap()), (StatusCode::BAD_REQUEST, "status must be open or closed"));

        let (_, page, _) = call(&app, Method::GET, "/api/v1/organisations/police-scotland/people?rank=Sergeant&limit=1", Some(&secret), None).await;
        let id = page["people"][0]["id"].as_str().unwrap().to_owned();
        let grant = serde_json::json!({ "role": "champion", "scope": { "kind": "scheme", "scheme": "mentoring" } });
        let (status, created, _) = call(&app, Method::POST, &format!("/api/v1/people/{id}/roles"), Some(&secret), Some(grant.clone())).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["role"], "champion");
        assert_eq!(created["scope"]["scheme"], "mentoring");
        let (status, _, _) = call(&app, Method::POST, &format!("/api/v1/people/{id}/roles"), Some(&secret), Some(grant)).await;
        assert_eq!(status, StatusCode::CONFLICT, "a person holds each role once");
        let national = serde_json::json!({ "role": "national_admin", "scope": { "kind": "installation" } });
        assert_eq!(call(&app, Method::POST, &format!("/api/v1/people/{id}/roles"), Some(&secret), Some(national)).await.0, StatusCode::FORBIDDEN);
        let (_, roles, _) = call(&app, Method::GET, &format!("/api/v1/people/{id}/roles"), Some(&secret), None).await;
        assert_eq!(roles.as_array().unwrap().len(), 1);
        let grant_id = created["id"].as_str().unwrap();
        let (status, _, _) = call(&app, Method::DELETE, &format!("/api/v1/people/{id}/roles/{grant_id}"), Some(&secret), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let entries = app.store.begin_read().await.unwrap().recent_audit(1).await.unwrap();
        assert_eq!(entries[0].action, AuditAction::RoleRevoked);
        assert!(entries[0].actor.starts_with("token:"), "the audit log names the token");
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_describes_exactly_the_routes_served() {
    on_each_backend(|store| async move {
        let app = app(store);
        let (status, document, _) = call(&app, Method::GET, "/api/openapi.json", None, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(document["info"]["title"], "Tandem API");
        assert_eq!(
            document["components"]["securitySchemes"]["token"]["scheme"],
            "bearer"
        );
        let described: BTreeSet<(String, String)> = document["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, operations)| {
                operations
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(move |method| (method.clone(), path.clone()))
            })
            .collect();
        let served: BTreeSet<(String, String)> = tandem_web::API_ROUTES
            .iter()
            .map(|(method, path)| ((*method).to_owned(), (*path).to_owned()))
            .collect();
        assert_eq!(described, served);
        let (status, body, _) = call(&app, Method::GET, "/api/v1/nothing-here", None, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .contains("/api/openapi.json")
        );
    })
    .await;
}

#[tokio::test]
async fn an_integration_reads_applications_and_proposes_and_confirms_pairs_by_the_same_rules() {
    on_each_backend(|store| async move {
        let app = seeded(store).await;
        let reader = token(&app, "police-scotland", false).await;
        let writer = token(&app, "police-scotland", true).await;
        let base = "/api/v1/organisations/police-scotland/schemes/mentoring";
        let (status, applications, _) =
            call(&app, Method::GET, &format!("{base}/applications"), Some(&reader), None).await;
        assert_eq!(status, StatusCode::OK);
        let rows = applications.as_array().unwrap();
        assert!(rows.iter().any(|row| row["role"] == "mentor" && row["status"] == "approved"));
        assert!(rows.iter().all(|row| row.get("summary").is_none()), "own words stay out");
        let (status, pairs, _) = call(&app, Method::GET, &format!("{base}/matches"), Some(&reader), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(pairs.as_array().unwrap().iter().any(|pair| pair["status"] == "proposed"));

        // A waiting mentee without the training cannot be paired, and the rule is named.
        let untrained = rows
            .iter()
            .find(|row| row["role"] == "mentee" && row["status"] == "approved" && row["training_done"] == false)
            .unwrap();
        let trained_mentee = rows
            .iter()
            .find(|row| row["role"] == "mentee" && row["status"] == "approved" && row["training_done"] == true && row["ethics_acknowledged"] == true)
            .unwrap();
        let mentors: Vec<&serde_json::Value> = rows
            .iter()
            .filter(|row| row["role"] == "mentor" && row["status"] == "approved" && row["training_done"] == true && row["ethics_acknowledged"] == true)
            .collect();
        let body = serde_json::json!({ "mentee_application": untrained["id"], "mentor_application": mentors[0]["id"] });
        let (status, refused, _) = call(&app, Method::POST, &format!("{base}/matches"), Some(&writer), Some(body.clone())).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(refused["problems"].to_string().contains("training must be done"), "{refused}");
        let (status, _, _) = call(&app, Method::POST, &format!("{base}/matches"), Some(&reader), Some(body)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a read-only token proposes nothing");

        // Some mentor with a free place may take the trained mentee; propose, then confirm.
        let mut confirmed = false;
        for mentor in mentors {
            let body = serde_json::json!({ "mentee_application": trained_mentee["id"], "mentor_application": mentor["id"] });
            let (status, pair, _) = call(&app, Method::POST, &format!("{base}/matches"), Some(&writer), Some(body)).await;
            if status != StatusCode::CREATED {
                assert_eq!(status, StatusCode::CONFLICT, "{pair}");
                continue;
            }
            assert_eq!(pair["status"], "proposed");
            assert!(pair["explanation"].as_array().is_some_and(|lines| !lines.is_empty()));
            let id = pair["id"].as_str().unwrap();
            let (status, answer, _) = call(&app, Method::POST, &format!("/api/v1/matches/{id}/confirm"), Some(&writer), None).await;
            if status == StatusCode::NO_CONTENT {
                confirmed = true;
                break;
            }
            assert_eq!(status, StatusCode::CONFLICT, "{answer}");
        }
        assert!(confirmed, "the trained mentee is confirmed with some mentor");
    })
    .await;
}

#[tokio::test]
async fn a_pair_proposed_under_the_wrong_scheme_is_refused_and_changes_nothing() {
    on_each_backend(|store| async move {
        let app = seeded(store).await;
        let writer = token(&app, "police-scotland", true).await;
        let base = "/api/v1/organisations/police-scotland/schemes/mentoring";
        let (_, pairs, _) = call(
            &app,
            Method::GET,
            &format!("{base}/matches"),
            Some(&writer),
            None,
        )
        .await;
        let proposal = pairs
            .as_array()
            .unwrap()
            .iter()
            .find(|pair| pair["status"] == "proposed")
            .unwrap()
            .clone();
        let body = serde_json::json!({
            "mentee_application": proposal["mentee_application"],
            "mentor_application": proposal["mentor_application"],
        });
        let digest = |app: App| async move {
            let mut tx = app.store.begin_read().await.unwrap();
            let digest = tx.fingerprint(&["sessions", "api_tokens"]).await.unwrap();
            tx.rollback().await.unwrap();
            digest
        };
        let before = digest(app.clone()).await;
        for wrong in [
            "/api/v1/organisations/police-scotland/schemes/no-such-scheme/matches",
            "/api/v1/organisations/cleveland/schemes/traditional/matches",
        ] {
            let (status, answer, _) =
                call(&app, Method::POST, wrong, Some(&writer), Some(body.clone())).await;
            assert!(
                matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{wrong}: {status} {answer}"
            );
            assert_eq!(digest(app.clone()).await, before, "{wrong} changed nothing");
        }
        let (_, after, _) = call(
            &app,
            Method::GET,
            &format!("{base}/matches"),
            Some(&writer),
            None,
        )
        .await;
        assert!(
            after
                .as_array()
                .unwrap()
                .iter()
                .any(|pair| pair["id"] == proposal["id"] && pair["status"] == "proposed"),
            "the earlier proposal is still there"
        );
    })
    .await;
}

#[tokio::test]
async fn a_schemes_relationships_come_as_metadata_with_their_open_flags_and_no_content() {
    on_each_backend(|store| async move {
        let app = seeded(store).await;
        let read = token(&app, "cleveland", false).await;
        let (status, json, _) = call(
            &app,
            Method::GET,
            "/api/v1/organisations/cleveland/schemes/traditional/relationships",
            Some(&read),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        let rows = json.as_array().unwrap();
        let active: Vec<&serde_json::Value> =
            rows.iter().filter(|it| it["state"] == "active").collect();
        assert_eq!(active.len(), 1, "{json}");
        assert_eq!(
            active[0]["flags_open"], 1,
            "the demo's HR change flagged it"
        );
        let keys: BTreeSet<&str> = active[0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for content in ["notes", "goals", "actions", "reviews", "place", "text"] {
            assert!(!keys.contains(content), "no {content} in {keys:?}");
        }
        let other = token(&app, "police-scotland", false).await;
        let (status, _, _) = call(
            &app,
            Method::GET,
            "/api/v1/organisations/cleveland/schemes/traditional/relationships",
            Some(&other),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "another force's token");
    })
    .await;
}

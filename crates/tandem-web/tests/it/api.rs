//! The JSON API: token authentication, scope, reads, changes, errors, and an OpenAPI document
//! that describes exactly the routes served.

use crate::{app, on_each_demo};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use std::collections::BTreeSet;
use tandem_app::{App, tokens};
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
    crate::demo_summary(&app).await;
    app
}

#[tokio::test]
async fn requests_without_a_current_token_are_refused_with_401() {
    on_each_demo(|store| async move {
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
    on_each_demo(|store| async move {
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
    on_each_demo(|store| async move {
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
    on_each_demo(|store| async move {
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
    on_each_demo(|store| async move {
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
    on_each_demo(|store| async move {
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

/// A reply to [`send`]: status, content type, body (JSON when it parses) and headers.
struct Answer {
    status: StatusCode,
    content_type: String,
    body: serde_json::Value,
    headers: axum::http::HeaderMap,
}

/// Sends any body with any content type (or none), as a careless integration might.
async fn send(
    app: &App,
    method: &str,
    uri: &str,
    token: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Answer {
    let mut request = Request::builder()
        .method(method.to_ascii_uppercase().as_str())
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(content_type) = content_type {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    let response = tandem_web::router(WebState::new(app.clone(), WebConfig::default()))
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|it| it.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    Answer {
        status,
        content_type,
        body,
        headers,
    }
}

/// A value the schema accepts: the first of an enum, a UUID for `format: uuid`, and so on.
fn example(schema: &serde_json::Value, document: &serde_json::Value) -> serde_json::Value {
    use serde_json::json;
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return example(&document["components"]["schemas"][name], document);
    }
    if let Some(first) = schema["oneOf"].get(0) {
        return example(first, document);
    }
    if let Some(first) = schema["enum"].get(0) {
        return first.clone();
    }
    let kind = match &schema["type"] {
        serde_json::Value::Array(kinds) => kinds
            .iter()
            .find(|kind| *kind != "null")
            .cloned()
            .unwrap_or_default(),
        kind => kind.clone(),
    };
    match kind.as_str().unwrap_or("object") {
        "object" => serde_json::Value::Object(
            schema["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(name, property)| (name.clone(), example(property, document)))
                .collect(),
        ),
        "string" if schema["format"] == "uuid" => json!("0192f0a0-0000-7000-8000-000000000000"),
        "string" => json!("x"),
        "integer" | "number" => json!(1),
        "boolean" => json!(true),
        _ => json!([]),
    }
}

/// The document's operations as (method, path template, operation).
fn operations(document: &serde_json::Value) -> Vec<(String, String, serde_json::Value)> {
    document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .iter()
                .map(move |(method, operation)| (method.clone(), path.clone(), operation.clone()))
        })
        .collect()
}

/// The path template with each parameter filled by `fill(name, schema)`.
fn address(
    path: &str,
    operation: &serde_json::Value,
    mut fill: impl FnMut(&str, &serde_json::Value) -> String,
) -> String {
    let mut address = path.to_owned();
    for parameter in operation["parameters"].as_array().into_iter().flatten() {
        if parameter["in"] == "path" {
            let name = parameter["name"].as_str().unwrap();
            address = address.replace(&format!("{{{name}}}"), &fill(name, &parameter["schema"]));
        }
    }
    address
}

/// Asserts `answer` is a JSON error whose status and content type the operation documents.
fn assert_documented_error(answer: &Answer, operation: &serde_json::Value, what: &str) {
    assert!(
        answer.content_type.starts_with("application/json"),
        "{what}: answered {} as {:?}, not JSON",
        answer.status,
        answer.content_type
    );
    assert!(
        answer.body["error"]
            .as_str()
            .is_some_and(|it| !it.is_empty()),
        "{what}: the error body has no `error`: {}",
        answer.body
    );
    let documented = &operation["responses"][answer.status.as_str()];
    assert!(
        documented["content"]["application/json"].is_object(),
        "{what}: answered {} with JSON, which the document does not list (it lists {:?})",
        answer.status,
        operation["responses"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn every_parameter_is_declared_where_it_is_sent() {
    on_each_backend(|store| async move {
        let app = app(store);
        let (_, document, _) = call(&app, Method::GET, "/api/openapi.json", None, None).await;
        for (method, path, operation) in operations(&document) {
            let in_template: BTreeSet<&str> = path
                .split('/')
                .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
                .collect();
            let parameters = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let declared_in_path: BTreeSet<&str> = parameters
                .iter()
                .filter(|it| it["in"] == "path")
                .map(|it| it["name"].as_str().unwrap())
                .collect();
            assert_eq!(
                declared_in_path, in_template,
                "{method} {path}: path parameters"
            );
            for parameter in &parameters {
                if parameter["in"] != "path" {
                    assert_eq!(parameter["in"], "query", "{method} {path}: {parameter}");
                }
            }
        }
        let people = &document["paths"]["/api/v1/organisations/{code}/people"]["get"];
        let query: BTreeSet<&str> = people["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|it| it["in"] == "query")
            .map(|it| it["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            query,
            BTreeSet::from(["q", "rank", "department", "limit", "offset"])
        );
    })
    .await;
}

#[tokio::test]
async fn every_refused_request_gets_a_json_error_the_document_lists() {
    on_each_demo(|store| async move {
        let app = seeded(store).await;
        let secret = token(&app, "cleveland", true).await;
        let (_, document, _) = call(&app, Method::GET, "/api/openapi.json", None, None).await;
        let valid = |name: &str, schema: &serde_json::Value| match (name, &schema["format"]) {
            ("code", _) => "cleveland".to_owned(),
            (_, format) if format == "uuid" => "0192f0a0-0000-7000-8000-000000000000".to_owned(),
            _ => "mentoring".to_owned(),
        };
        for (method, path, operation) in operations(&document) {
            let what = |case: &str| format!("{method} {path}, {case}");
            let body = operation["requestBody"]["content"]["application/json"]["schema"]
                .is_object()
                .then(|| {
                    example(
                        &operation["requestBody"]["content"]["application/json"]["schema"],
                        &document,
                    )
                    .to_string()
                    .into_bytes()
                });
            let json = body.as_ref().map(|_| "application/json");
            let uri = address(&path, &operation, valid);

            let answer = send(
                &app,
                &method,
                &uri,
                "tandem_not-a-token",
                json,
                body.clone().unwrap_or_default(),
            )
            .await;
            assert_eq!(
                answer.status,
                StatusCode::UNAUTHORIZED,
                "{}",
                what("no token")
            );
            assert_documented_error(&answer, &operation, &what("no token"));

            // A UUID that is not one, and a segment that is not UTF-8 once decoded.
            for (malformed, case) in [
                ("not-an-id", "an id that is not a UUID"),
                ("%FF", "a segment that is not UTF-8"),
            ] {
                let uri = address(&path, &operation, |name, schema| {
                    if schema["format"] == "uuid" || malformed == "%FF" {
                        malformed.to_owned()
                    } else {
                        valid(name, schema)
                    }
                });
                if uri == address(&path, &operation, valid) {
                    continue;
                }
                let answer = send(
                    &app,
                    &method,
                    &uri,
                    &secret,
                    json,
                    body.clone().unwrap_or_default(),
                )
                .await;
                assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", what(case));
                assert_documented_error(&answer, &operation, &what(case));
            }

            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if parameter["in"] == "query" && parameter["schema"]["type"] == "integer" {
                    let name = parameter["name"].as_str().unwrap();
                    let schema = &parameter["schema"];
                    let out_of_range = [
                        schema["minimum"].as_i64().map(|it| it - 1),
                        schema["maximum"].as_i64().map(|it| it + 1),
                    ];
                    let values = std::iter::once("many".to_owned())
                        .chain(out_of_range.into_iter().flatten().map(|it| it.to_string()));
                    for value in values {
                        let case = format!("?{name}={value}");
                        let answer = send(
                            &app,
                            &method,
                            &format!("{uri}?{name}={value}"),
                            &secret,
                            json,
                            body.clone().unwrap_or_default(),
                        )
                        .await;
                        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", what(&case));
                        assert_documented_error(&answer, &operation, &what(&case));
                    }
                }
            }

            if body.is_some() {
                let cases: [(&str, Option<&str>, Vec<u8>, StatusCode); 5] = [
                    (
                        "no content type",
                        None,
                        b"{}".to_vec(),
                        StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    ),
                    (
                        "a form instead of JSON",
                        Some("application/x-www-form-urlencoded"),
                        b"a=1".to_vec(),
                        StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    ),
                    (
                        "a body that is not JSON",
                        json,
                        b"{\"role\": ".to_vec(),
                        StatusCode::BAD_REQUEST,
                    ),
                    (
                        "JSON without the fields",
                        json,
                        b"{\"unrelated\": 1}".to_vec(),
                        StatusCode::UNPROCESSABLE_ENTITY,
                    ),
                    (
                        "a body over 2 MB",
                        json,
                        vec![b' '; 3 * 1024 * 1024],
                        StatusCode::PAYLOAD_TOO_LARGE,
                    ),
                ];
                for (case, content_type, bytes, expected) in cases {
                    let answer = send(&app, &method, &uri, &secret, content_type, bytes).await;
                    assert_eq!(answer.status, expected, "{}: {}", what(case), answer.body);
                    assert_documented_error(&answer, &operation, &what(case));
                }
            }

            let answer = send(&app, "PATCH", &uri, &secret, None, Vec::new()).await;
            assert_eq!(
                answer.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{}",
                what("PATCH")
            );
            assert!(
                answer.content_type.starts_with("application/json"),
                "{}",
                what("PATCH")
            );
            let allowed = answer.headers[header::ALLOW]
                .to_str()
                .unwrap()
                .to_ascii_lowercase();
            assert!(
                allowed.contains(&method),
                "{}: Allow is {allowed}",
                what("PATCH")
            );
            assert!(
                answer.body["error"].as_str().unwrap().contains("PATCH"),
                "{}",
                answer.body
            );
        }
        let answer = send(
            &app,
            "GET",
            "/api/v1/nothing/here",
            &secret,
            None,
            Vec::new(),
        )
        .await;
        assert_eq!(
            (answer.status, answer.content_type.as_str()),
            (StatusCode::NOT_FOUND, "application/json")
        );
    })
    .await;
}

#[tokio::test]
async fn a_role_for_someone_who_is_not_there_is_not_found() {
    on_each_demo(|store| async move {
        let app = seeded(store).await;
        let secret = token(&app, "cleveland", true).await;
        let (status, body, _) = call(
            &app,
            Method::POST,
            "/api/v1/people/0192f0a0-0000-7000-8000-000000000000/roles",
            Some(&secret),
            Some(serde_json::json!({"role": "champion", "scope": {"kind": "installation"}})),
        )
        .await;
        assert_eq!(
            (status, body["error"].as_str().unwrap()),
            (StatusCode::NOT_FOUND, "there is no such person")
        );
    })
    .await;
}

//! Single sign-on against a real OpenID Connect provider (the certified `oidc-provider` from
//! npm, started by the test on a free port): authorisation code with PKCE, the person found by
//! email the first time and by the provider's subject after, leavers refused.

use crate::{Browser, app, on_each_demo};
use axum::http::StatusCode;
use tandem_app::sso::{Sso, SsoConfig};
use tandem_app::{App, demo};
use tandem_core::audit::AuditAction;
use tandem_web::{WebConfig, WebState};
use tokio::io::AsyncBufReadExt;

const REDIRECT: &str = "http://tandem.test/sign-in/sso/callback";

/// The provider, killed when dropped.
struct Provider {
    child: tokio::process::Child,
    issuer: String,
}

impl Provider {
    async fn start() -> Self {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc");
        assert!(
            dir.join("node_modules/oidc-provider").exists(),
            "the test provider is not installed; run `npm ci --prefix crates/tandem-web/tests/oidc` (CI's .ci/run does)"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = tokio::process::Command::new("node")
            .arg(dir.join("provider.mjs"))
            .arg(port.to_string())
            .arg(REDIRECT)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs");
        let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        // Keep reading: a provider writing into a closed pipe would die of it.
        tokio::spawn(async move {
            let mut ready = Some(ready_tx);
            while let Ok(Some(line)) = lines.next_line().await {
                if line.contains("provider listening")
                    && let Some(ready) = ready.take()
                {
                    let _ = ready.send(());
                }
            }
        });
        let ready = tokio::time::timeout(std::time::Duration::from_secs(30), ready_rx).await;
        assert!(
            matches!(ready, Ok(Ok(()))),
            "the OpenID provider did not start"
        );
        Self {
            child,
            issuer: format!("http://127.0.0.1:{port}"),
        }
    }

    fn sso(&self) -> Sso {
        Sso::new(SsoConfig {
            issuer: self.issuer.clone(),
            client_id: "tandem".to_owned(),
            client_secret: "tandem-test-secret".to_owned(),
            redirect_url: REDIRECT.to_owned(),
            label: "Sign in with your force account".to_owned(),
        })
        .unwrap()
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

fn form_action(html: &str) -> String {
    let start = html
        .find("action=\"")
        .unwrap_or_else(|| panic!("no form in {html}"))
        + "action=\"".len();
    html[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// The hidden inputs of the page's form, as (name, value).
fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input")
        .skip(1)
        .filter(|tag| tag.contains("type=\"hidden\""))
        .filter_map(|tag| {
            let attribute = |name: &str| {
                let marker = format!("{name}=\"");
                tag.find(&marker).map(|start| {
                    tag[start + marker.len()..]
                        .split('"')
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                })
            };
            Some((attribute("name")?, attribute("value")?))
        })
        .collect()
}

/// Plays the person at the provider: from the authorisation URL through the login and consent
/// pages to the redirect back to Tandem; returns that redirect's query.
async fn sign_in_at_provider(provider: &Provider, authorisation_url: &str, login: &str) -> String {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let absolute = |location: &str| {
        if location.starts_with("http") {
            location.to_owned()
        } else {
            format!("{}{location}", provider.issuer)
        }
    };
    let mut response = client.get(authorisation_url).send().await.unwrap();
    for _ in 0..10 {
        if response.status().is_redirection() {
            let location = response.headers()["location"].to_str().unwrap().to_owned();
            if location.starts_with(REDIRECT) {
                return location.split_once('?').unwrap().1.to_owned();
            }
            response = client.get(absolute(&location)).send().await.unwrap();
            continue;
        }
        let html = response.text().await.unwrap();
        let action = absolute(&form_action(&html));
        let mut fields = hidden_fields(&html);
        if fields
            .iter()
            .any(|(name, value)| name == "prompt" && value == "login")
        {
            fields.push(("login".to_owned(), login.to_owned()));
            fields.push(("password".to_owned(), "anything".to_owned()));
        }
        response = client.post(action).form(&fields).send().await.unwrap();
    }
    panic!("the provider did not send the person back");
}

async fn seeded(store: tandem_store::Store) -> (App, Vec<demo::DemoAccount>) {
    let app = app(store);
    let accounts = crate::demo_summary(&app).await.accounts;
    (app, accounts)
}

#[tokio::test]
async fn a_person_signs_in_through_their_organisations_provider() {
    on_each_demo(|store| async move {
        let (app, accounts) = seeded(store).await;
        let provider = Provider::start().await;
        let email = accounts
            .iter()
            .find(|account| account.role.starts_with("coordinator (cleveland)"))
            .unwrap()
            .email
            .clone();
        let mut browser = Browser::new(&app, WebConfig::default());
        browser.state = WebState::new(app.clone(), WebConfig::default()).with_sso(provider.sso());

        let page = browser.get("/sign-in").await;
        assert!(page.body.contains("Sign in with your force account"));
        let start = browser.get("/sign-in/sso?next=/account").await;
        assert_eq!(start.status, StatusCode::SEE_OTHER);
        let authorisation = start.location().to_owned();
        assert!(
            authorisation.starts_with(&format!("{}/auth?", provider.issuer)),
            "{authorisation}"
        );
        assert!(
            authorisation.contains("code_challenge_method=S256"),
            "PKCE is used"
        );

        let back = sign_in_at_provider(&provider, &authorisation, &email).await;
        let signed_in = browser.get(&format!("/sign-in/sso/callback?{back}")).await;
        assert_eq!(
            signed_in.status,
            StatusCode::SEE_OTHER,
            "{}",
            signed_in.body
        );
        assert_eq!(signed_in.location(), "/account");
        let account = browser.get("/account").await;
        assert!(account.body.contains("Programme coordinator") && account.body.contains(&email));

        let replay = browser.get(&format!("/sign-in/sso/callback?{back}")).await;
        assert_eq!(
            replay.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a return from the provider is used once"
        );
        assert!(
            replay
                .body
                .contains("The sign-in took too long or did not start here")
        );

        // The second time the person is found by the provider's subject, whatever their email.
        let mut tx = app.store.begin_read().await.unwrap();
        let linked = tx
            .person_by_subject(&provider.issuer, &email)
            .await
            .unwrap();
        assert!(linked.is_some());
        drop(tx);
        let entries = app
            .store
            .begin_read()
            .await
            .unwrap()
            .recent_audit(1)
            .await
            .unwrap();
        assert_eq!(entries[0].action, AuditAction::AccountSignedIn);
        assert_eq!(entries[0].detail["method"], "single sign-on");
    })
    .await;
}

#[tokio::test]
async fn someone_the_directory_does_not_know_or_a_leaver_is_refused() {
    on_each_demo(|store| async move {
        let (app, _) = seeded(store).await;
        let provider = Provider::start().await;
        let leaver = app
            .store
            .begin_read()
            .await
            .unwrap()
            .all_people()
            .await
            .unwrap()
            .into_iter()
            .find(|person| person.record.employment_status.as_str() == "leaver")
            .unwrap();
        let mut browser = Browser::new(&app, WebConfig::default());
        browser.state = WebState::new(app.clone(), WebConfig::default()).with_sso(provider.sso());
        for (login, refusal) in [
            (
                "stranger@elsewhere.example",
                "Your organisation&#39;s account is not in Tandem&#39;s directory",
            ),
            (leaver.record.email.as_ref(), "This account is not active"),
        ] {
            let start = browser.get("/sign-in/sso").await;
            let back = sign_in_at_provider(&provider, start.location(), login).await;
            let reply = browser.get(&format!("/sign-in/sso/callback?{back}")).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(reply.body.contains(refusal), "{login}: {}", reply.body);
        }
        let cancelled = browser.get("/sign-in/sso").await;
        let state = cancelled
            .location()
            .split("state=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_owned();
        let reply = browser
            .get(&format!(
                "/sign-in/sso/callback?state={state}&error=access_denied"
            ))
            .await;
        assert!(reply.body.contains("did not sign you in (access_denied)"));
    })
    .await;
}

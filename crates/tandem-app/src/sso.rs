//! Single sign-on by OpenID Connect (authorisation code with PKCE): forces sign in with their
//! own identity provider (Microsoft Entra ID and the like). A person is found by the provider's
//! subject once linked, or the first time by their email.

use crate::accounts::{SessionToken, may_sign_in_with, start_session};
use crate::{App, AppError};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use tandem_core::authz::Actor;
use tandem_core::domain::Email;
use tandem_store::SsoLogin;
use time::Duration;
use tokio::sync::OnceCell;

/// How long someone has to sign in at their provider and come back.
const LOGIN_WINDOW: Duration = Duration::minutes(10);

/// The provider and this client's registration with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoConfig {
    /// The issuer, e.g. `https://login.microsoftonline.com/<tenant>/v2.0`.
    pub issuer: String,
    /// This client's id at the provider.
    pub client_id: String,
    /// This client's secret.
    pub client_secret: String,
    /// Where the provider sends people back: `<public address>/sign-in/sso/callback`.
    pub redirect_url: String,
    /// What the sign-in button says, e.g. "Sign in with your force account".
    pub label: String,
}

/// Why a single sign-on did not sign anyone in; safe to show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SsoRefused {
    /// The browser's return did not match a sign-in started here, or took too long.
    #[error("the sign-in took too long or did not start here; try again")]
    Stale,
    /// The provider said no (the person cancelled, say).
    #[error("your organisation's sign-in service did not sign you in ({0})")]
    Provider(String),
    /// Nobody in the directory matches the identity the provider gave.
    #[error("your organisation's account is not in Tandem's directory; ask your administrator")]
    Unknown,
    /// The HR record says the person has left, retired or is suspended.
    #[error("this account is not active; ask your organisation's administrator")]
    Inactive,
}

/// A client built from discovered metadata: authorisation endpoint known, token and userinfo
/// endpoints as the provider declared them.
type DiscoveredClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A configured provider, its metadata discovered on first use.
#[derive(Debug)]
pub struct Sso {
    config: SsoConfig,
    http: reqwest::Client,
    metadata: OnceCell<CoreProviderMetadata>,
}

fn setup(message: impl std::fmt::Display) -> AppError {
    AppError::Conflict(format!("single sign-on is not available: {message}"))
}

impl Sso {
    /// A provider; nothing is fetched until someone signs in.
    pub fn new(config: SsoConfig) -> Result<Self, AppError> {
        // reqwest takes TLS from the process's rustls provider; make it aws-lc-rs, the one the
        // rest of the binary uses, unless one is already chosen.
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let http = reqwest::ClientBuilder::new()
            // Following redirects from the provider's endpoints would open the server to SSRF.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(15))
            .build()
            .map_err(setup)?;
        Ok(Self {
            config,
            http,
            metadata: OnceCell::new(),
        })
    }

    /// What the sign-in button says.
    pub fn label(&self) -> &str {
        &self.config.label
    }

    async fn client(&self) -> Result<DiscoveredClient, AppError> {
        let metadata = self
            .metadata
            .get_or_try_init(|| async {
                let issuer = IssuerUrl::new(self.config.issuer.clone()).map_err(setup)?;
                CoreProviderMetadata::discover_async(issuer, &self.http)
                    .await
                    .map_err(setup)
            })
            .await?;
        let redirect = RedirectUrl::new(self.config.redirect_url.clone()).map_err(setup)?;
        Ok(CoreClient::from_provider_metadata(
            metadata.clone(),
            ClientId::new(self.config.client_id.clone()),
            Some(ClientSecret::new(self.config.client_secret.clone())),
        )
        .set_redirect_uri(redirect))
    }

    /// Starts a sign-in: returns the provider's address to send the browser to.
    pub async fn begin(&self, app: &App, next: &str) -> Result<String, AppError> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".to_owned()))
            .add_scope(Scope::new("profile".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        let now = app.clock.now();
        let login = SsoLogin {
            pkce_verifier: verifier.secret().clone(),
            nonce: nonce.secret().clone(),
            next: next.to_owned(),
            expires_at: now + LOGIN_WINDOW,
        };
        let mut tx = app.store.begin_write().await?;
        tx.insert_sso_login(state.secret(), &login, now).await?;
        tx.commit().await?;
        Ok(url.to_string())
    }

    /// Finishes a sign-in when the browser comes back with `code` and `state` (or the
    /// provider's `error`): checks the ID token, finds the person, starts a session.
    pub async fn finish(
        &self,
        app: &App,
        state: &str,
        code: Option<&str>,
        error: Option<&str>,
    ) -> Result<Result<(SessionToken, String), SsoRefused>, AppError> {
        let now = app.clock.now();
        let mut tx = app.store.begin_write().await?;
        let login = tx.take_sso_login(state).await?;
        tx.commit().await?;
        let Some(login) = login.filter(|login| login.expires_at > now) else {
            return Ok(Err(SsoRefused::Stale));
        };
        if let Some(error) = error {
            return Ok(Err(SsoRefused::Provider(error.chars().take(100).collect())));
        }
        let Some(code) = code else {
            return Ok(Err(SsoRefused::Provider("no code".to_owned())));
        };
        let client = self.client().await?;
        let token = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(setup)?
            .set_pkce_verifier(PkceCodeVerifier::new(login.pkce_verifier))
            .request_async(&self.http)
            .await;
        let token = match token {
            Ok(token) => token,
            Err(err) => {
                return Ok(Err(SsoRefused::Provider(format!(
                    "the code could not be exchanged: {err}"
                ))));
            }
        };
        let Some(id_token) = token.id_token() else {
            return Ok(Err(SsoRefused::Provider("no ID token".to_owned())));
        };
        let claims = match id_token.claims(&client.id_token_verifier(), &Nonce::new(login.nonce)) {
            Ok(claims) => claims,
            Err(err) => {
                return Ok(Err(SsoRefused::Provider(format!(
                    "the ID token is not valid: {err}"
                ))));
            }
        };
        let subject = claims.subject().as_str().to_owned();
        let email = claims
            .email()
            .filter(|_| claims.email_verified() != Some(false))
            .and_then(|email| Email::parse(email.as_str()).ok());
        let mut tx = app.store.begin_write().await?;
        let person = match tx.person_by_subject(&self.config.issuer, &subject).await? {
            Some(person) => Some(person),
            None => match &email {
                Some(email) => tx
                    .password_account_by_email(email)
                    .await?
                    .map(|account| account.person),
                None => None,
            },
        };
        let Some(person) = person else {
            return Ok(Err(SsoRefused::Unknown));
        };
        let held = tx.person(person).await?;
        if !may_sign_in_with(held.record.employment_status) {
            return Ok(Err(SsoRefused::Inactive));
        }
        let organisation = tx
            .organisation_by_code(&held.record.organisation)
            .await?
            .ok_or_else(|| {
                AppError::NotFound(format!("organisation {}", held.record.organisation))
            })?;
        tx.link_subject(person, &self.config.issuer, &subject, now)
            .await?;
        let actor = Actor::Person {
            id: person,
            organisation: organisation.id,
            grants: Vec::new(),
        };
        let session = start_session(
            &mut tx,
            &actor,
            person,
            organisation.id,
            "single sign-on",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok((session, login.next)))
    }
}

//! What every handler can reach: the application, the web settings and the sign-in limiter.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use tandem_app::App;

/// Settings of the web layer.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Cookies are `Secure` (and `__Host-` prefixed): set when the site is served over TLS.
    pub secure_cookies: bool,
    /// The site's address as people reach it (for links in emails), e.g.
    /// `https://tandem.force.police.uk`; worked out from each request when not set.
    pub public_url: Option<String>,
    /// The sign-in page lists these demo accounts and their password (only for `tandem demo`).
    pub demo: Option<DemoSignIns>,
}

/// Accounts a newcomer can try in the demo.
#[derive(Debug, Clone)]
pub struct DemoSignIns {
    /// The shared demo password.
    pub password: String,
    /// People to sign in as, with their role.
    pub accounts: Vec<tandem_app::demo::DemoAccount>,
}

/// The router's state.
#[derive(Clone)]
pub struct WebState {
    /// Use cases.
    pub app: App,
    /// Settings.
    pub config: Arc<WebConfig>,
    /// Sign-in attempts per client address: a burst of 10, then one every 6 seconds.
    pub(crate) sign_in_limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// Single sign-on, when a provider is configured.
    pub(crate) sso: Option<Arc<tandem_app::sso::Sso>>,
}

impl WebState {
    /// State for `app` with `config`.
    pub fn new(app: App, config: WebConfig) -> Self {
        let per_minute = NonZeroU32::new(10).unwrap_or(NonZeroU32::MIN);
        Self {
            app,
            config: Arc::new(config),
            sign_in_limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
            sso: None,
        }
    }
}

impl WebState {
    /// The same state with single sign-on through `sso`.
    pub fn with_sso(mut self, sso: tandem_app::sso::Sso) -> Self {
        self.sso = Some(Arc::new(sso));
        self
    }
}

impl std::fmt::Debug for WebState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebState")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

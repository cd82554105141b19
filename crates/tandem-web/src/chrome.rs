//! What every page shows around its content: the protective marking, who is signed in and with
//! which roles, and the navigation they may use.

use crate::visitor::Visitor;
use tandem_app::accounts::Session;
use tandem_core::authz::{Action, Grant, Scope, authorize};

/// The marking shown where no organisation's own setting applies (the installation default).
pub(crate) const DEFAULT_MARKING: &str = "OFFICIAL";

/// The page frame's model (see `layout.html`).
#[derive(Debug, Clone)]
pub(crate) struct Chrome {
    pub(crate) marking: String,
    pub(crate) user: Option<UserView>,
    pub(crate) nav: Vec<NavLink>,
    pub(crate) csrf: String,
    /// Organisations the person may switch to (code, name), when there is more than one.
    pub(crate) switch_to: Vec<(String, String)>,
    /// The code of the organisation being worked in.
    pub(crate) current_organisation: String,
}

/// The signed-in person, as the header shows them.
#[derive(Debug, Clone)]
pub(crate) struct UserView {
    pub(crate) name: String,
    pub(crate) organisation: String,
    pub(crate) roles: Vec<String>,
}

/// One navigation link; `current` marks the page being shown.
#[derive(Debug, Clone)]
pub(crate) struct NavLink {
    pub(crate) href: &'static str,
    pub(crate) label: &'static str,
    pub(crate) current: bool,
    /// A count beside the label, e.g. unread notifications.
    pub(crate) badge: Option<String>,
}

/// The roles a person holds, in words.
pub(crate) fn role_names(session: &Session) -> Vec<String> {
    let grants = match &session.actor {
        tandem_core::authz::Actor::Person { grants, .. } => grants.as_slice(),
        _ => &[],
    };
    let mut names: Vec<String> = grants.iter().map(role_name).collect();
    if names.is_empty() {
        names.push("Participant".to_owned());
    }
    names
}

pub(crate) fn role_name(grant: &Grant) -> String {
    let role = grant.role.words();
    match &grant.scope {
        Scope::Division { division, .. } => format!("{role}: {division}"),
        Scope::Scheme { .. } => format!("{role} (one scheme)"),
        Scope::Installation | Scope::Organisation(_) => role.to_owned(),
    }
}

impl Chrome {
    /// The frame for a page at `path` seen by `visitor` (whose session may have been taken out).
    pub(crate) fn new(visitor: &Visitor, session: Option<&Session>, path: &str) -> Self {
        let session = session.or(visitor.session.as_ref());
        let marking = session.map_or_else(
            || DEFAULT_MARKING.to_owned(),
            |it| it.organisation.protective_marking.to_string(),
        );
        // Signed in, the home page is the person's tasks, with the schemes below them.
        let mut nav = vec![NavLink {
            href: "/",
            label: if session.is_some() { "Home" } else { "Schemes" },
            current: path == "/",
            badge: None,
        }];
        if let Some(session) = session {
            let organisation = session.organisation.id;
            if authorize(&session.actor, &Action::ViewPeople(organisation)).is_ok() {
                nav.push(NavLink {
                    href: "/people",
                    label: "People",
                    current: path == "/people",
                    badge: None,
                });
            }
            if authorize(&session.actor, &Action::ManageSchemes(organisation)).is_ok() {
                nav.push(NavLink {
                    href: "/schemes",
                    label: "Manage schemes",
                    current: path == "/schemes",
                    badge: None,
                });
            }
            if tandem_app::reports::may_see_reports(&session.actor, organisation) {
                nav.push(NavLink {
                    href: "/reports",
                    label: "Reports",
                    current: path == "/reports",
                    badge: None,
                });
            }
            if authorize(&session.actor, &Action::ManageOrganisation(organisation)).is_ok() {
                nav.push(NavLink {
                    href: "/settings",
                    label: "Settings",
                    current: path == "/settings",
                    badge: None,
                });
            }
            if authorize(&session.actor, &Action::ManageApiTokens(Some(organisation))).is_ok() {
                nav.push(NavLink {
                    href: "/api-tokens",
                    label: "API tokens",
                    current: path == "/api-tokens",
                    badge: None,
                });
            }
            if authorize(&session.actor, &Action::ViewAudit(Some(organisation))).is_ok() {
                nav.push(NavLink {
                    href: "/audit",
                    label: "Audit log",
                    current: path == "/audit",
                    badge: None,
                });
            }
            nav.push(NavLink {
                href: "/applications",
                label: "Your mentoring",
                current: path == "/applications",
                badge: None,
            });
            nav.push(NavLink {
                href: "/inbox",
                label: "Inbox",
                current: path == "/inbox",
                badge: (session.unread > 0).then(|| format!("{} unread", session.unread)),
            });
            nav.push(NavLink {
                href: "/account",
                label: "Your account",
                current: path == "/account",
                badge: None,
            });
        }
        let switch_to = match session {
            Some(session) if session.organisations.len() > 1 => session
                .organisations
                .iter()
                .map(|it| (it.code.to_string(), it.name.clone()))
                .collect(),
            _ => Vec::new(),
        };
        Self {
            marking,
            user: session.map(|session| UserView {
                name: session.record.full_name(),
                organisation: session.organisation.name.clone(),
                roles: role_names(session),
            }),
            nav,
            csrf: visitor.csrf.clone(),
            switch_to,
            current_organisation: session
                .map(|it| it.organisation.code.to_string())
                .unwrap_or_default(),
        }
    }

    /// Whether the navigation offers `href`: a page links to another staff page (a breadcrumb)
    /// only when the visitor may open it, as `authorize` decided for the navigation.
    pub(crate) fn links_to(&self, href: &str) -> bool {
        self.nav.iter().any(|link| link.href == href)
    }

    /// The frame for a page shown without any request context (error pages).
    pub(crate) fn plain() -> Self {
        Self {
            marking: DEFAULT_MARKING.to_owned(),
            user: None,
            nav: vec![NavLink {
                href: "/",
                label: "Schemes",
                current: false,
                badge: None,
            }],
            csrf: String::new(),
            switch_to: Vec::new(),
            current_organisation: String::new(),
        }
    }
}

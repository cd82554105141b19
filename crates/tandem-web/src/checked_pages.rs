//! The pages the accessibility statement says were checked (R8.6). Every `get` route that
//! answers with a page is here with the name the statement gives it; the others are in
//! [`NOT_PAGES`]. Two tests keep the statement true: `tandem-web`'s holds these lists to the
//! router's routes (a new page route fails it until listed), and the browser suite's
//! `every_page_the_accessibility_statement_names_passes_axe` opens an example of each listed
//! page and checks it with axe (a listed page without an example fails it).

/// Every page, as (route, what the statement calls it), in the order the statement lists them.
pub const PAGES: &[(&str, &str)] = &[
    (
        "/",
        "the home page: your tasks and the list of mentoring schemes",
    ),
    (
        "/organisations/{code}/schemes/{key}",
        "a scheme's page and policy",
    ),
    ("/accessibility", "this accessibility statement"),
    ("/sign-in", "signing in"),
    ("/sign-in/code", "the code asked after the password"),
    (
        "/sign-in/set-up",
        "setting up two-factor sign-in when it is required",
    ),
    ("/forgot-password", "asking for a password reset"),
    ("/demo/emails", "in the demo, the emails it would have sent"),
    ("/reset-password/{token}", "choosing a new password"),
    (
        "/organisations/{code}/schemes/{key}/apply/{role}",
        "applying to a scheme",
    ),
    (
        "/applications",
        "your mentoring: applications, training and relationships",
    ),
    (
        "/applications/{id}/applied",
        "the confirmation after applying, with what happens next",
    ),
    (
        "/applications/{id}/withdraw",
        "withdrawing an application: the check page",
    ),
    (
        "/matches/{id}/end",
        "ending a pair from your mentoring: the check page",
    ),
    ("/account", "your account"),
    ("/account/adjustments", "your reasonable adjustments"),
    ("/account/notifications", "your email and digest settings"),
    ("/account/password", "changing your password"),
    ("/account/two-factor", "your two-factor sign-in"),
    (
        "/account/two-factor/set-up",
        "setting up an authenticator app",
    ),
    ("/inbox", "your inbox"),
    ("/approvals", "applications for a line manager to authorise"),
    (
        "/organisations/{code}/schemes/{key}/directory",
        "the mentor directory",
    ),
    ("/relationships/{id}", "a relationship as its pair sees it"),
    (
        "/relationships/{id}/end",
        "ending a relationship early: the check page",
    ),
    ("/schemes", "managing schemes"),
    ("/schemes/{key}/edit", "changing a scheme's policy"),
    (
        "/schemes/{key}/close",
        "closing a scheme for applications: the check page",
    ),
    ("/schemes/{key}/applications", "a scheme's applications"),
    (
        "/schemes/{key}/workshops",
        "training workshops and support groups",
    ),
    ("/schemes/{key}/matching", "matching"),
    (
        "/schemes/{key}/matching/pairs/{id}",
        "a proposed pair: its score factor by factor, to confirm, pin or rule out",
    ),
    (
        "/schemes/{key}/matching/confirm-all",
        "confirming every proposal: the check page",
    ),
    ("/schemes/{key}/relationships", "a scheme's relationships"),
    (
        "/schemes/{key}/relationships/{id}",
        "a relationship as staff see it",
    ),
    (
        "/schemes/{key}/relationships/{id}/end",
        "a coordinator ending a relationship: the check page",
    ),
    (
        "/schemes/{key}/attention",
        "what needs attention in a scheme",
    ),
    ("/schemes/{key}/concerns", "a scheme's concerns"),
    ("/concerns/{id}", "a concern"),
    ("/schemes/{key}/invitations", "invitations to a scheme"),
    (
        "/schemes/{key}/invitations/withdraw",
        "withdrawing an invitation: the check page",
    ),
    ("/schemes/{key}/supply", "supply and demand across schemes"),
    ("/reports", "programme reports and their charts"),
    ("/reports/equality", "equality monitoring"),
    ("/reports/evaluation", "evaluation results and their themes"),
    ("/people", "people"),
    ("/people/{id}", "a person's record and roles"),
    ("/people/{id}/erase", "erasing a person"),
    ("/people/import", "importing the HR directory"),
    ("/people/import/{id}", "an import's result"),
    ("/audit", "the audit log"),
    ("/settings", "organisation settings"),
    (
        "/settings/accessibility",
        "accessibility statement settings",
    ),
    ("/settings/records", "records and retention"),
    (
        "/settings/two-factor",
        "the roles that must use two-factor sign-in",
    ),
    ("/api-tokens", "API tokens"),
];

/// The `get` routes that answer with no page of their own: files, redirects, data for a page's
/// script and the health check.
pub const NOT_PAGES: &[&str] = &[
    "/healthz",
    "/assets/tandem.css",
    "/assets/tandem.js",
    "/sign-in/sso",
    "/sign-in/sso/callback",
    "/inbox/{id}",
    "/meetings/{id}/calendar.ics",
    "/schemes/{key}/applications.csv",
    "/schemes/{key}/matching/progress",
    "/schemes/{key}/matches.csv",
    "/schemes/{key}/relationships.csv",
    "/reports/{file}",
    "/account/records.zip",
    "/people/{id}/records.zip",
];

//! Every page the accessibility statement names (`tandem_web::PAGES`), opened as someone who
//! would see it and checked with axe: the statement's list of checked pages is this test's list,
//! so a page listed without an example here fails it, and `tandem-web`'s test fails a page route
//! that is not listed.

use crate::helpers::*;
use tandem_browser::{Browser, Error, Result, journey};

/// An example of a page: who opens it (signed out, or the demo account whose role starts with
/// this) and where: a path, or, for a route with an id in it, the first link on a page (itself
/// an example's route) whose path fits the route.
pub(crate) struct Example {
    pub(crate) route: &'static str,
    pub(crate) who: Option<&'static str>,
    at: At,
}

enum At {
    Path(&'static str),
    LinkOn(&'static str),
}

const ADMIN: Option<&str> = Some("organisation_admin (police-scotland)");
const COORDINATOR: Option<&str> = Some("coordinator (police-scotland)");
const MENTEE: Option<&str> = Some("mentee in an active relationship (cleveland)");

pub(crate) const EXAMPLES: &[Example] = &[
    Example {
        route: "/",
        who: None,
        at: At::Path("/"),
    },
    Example {
        route: "/organisations/{code}/schemes/{key}",
        who: None,
        at: At::LinkOn("/"),
    },
    Example {
        route: "/accessibility",
        who: None,
        at: At::Path("/accessibility?organisation=cleveland"),
    },
    Example {
        route: "/sign-in",
        who: None,
        at: At::Path("/sign-in"),
    },
    Example {
        route: "/forgot-password",
        who: None,
        at: At::Path("/forgot-password"),
    },
    Example {
        route: "/demo/emails",
        who: None,
        at: At::Path("/demo/emails"),
    },
    // The page as a link that has expired shows it; the working form is checked by the
    // sign-in journeys, which follow a reset email.
    Example {
        route: "/reset-password/{token}",
        who: None,
        at: At::Path("/reset-password/not-a-current-link"),
    },
    Example {
        route: "/organisations/{code}/schemes/{key}/apply/{role}",
        who: Some("constable who has not applied (police-scotland"),
        at: At::Path("/organisations/police-scotland/schemes/mentoring/apply/mentee"),
    },
    // Applies first (`apply_as_mentee`), as the constable of the example before.
    Example {
        route: "/applications/{id}/applied",
        who: Some("constable who has not applied (police-scotland"),
        at: At::Path(""),
    },
    Example {
        route: "/applications",
        who: MENTEE,
        at: At::Path("/applications"),
    },
    // The check pages are reached by their forms' buttons as well as by links: the first link
    // or form on the page that leads to one.
    Example {
        route: "/matches/{id}/end",
        who: MENTEE,
        at: At::LinkOn("/applications"),
    },
    Example {
        route: "/applications/{id}/withdraw",
        who: Some("mentor in an active relationship (cleveland)"),
        at: At::LinkOn("/applications"),
    },
    Example {
        route: "/account",
        who: MENTEE,
        at: At::Path("/account"),
    },
    Example {
        route: "/account/adjustments",
        who: MENTEE,
        at: At::Path("/account/adjustments"),
    },
    Example {
        route: "/account/notifications",
        who: MENTEE,
        at: At::Path("/account/notifications"),
    },
    Example {
        route: "/account/password",
        who: MENTEE,
        at: At::Path("/account/password"),
    },
    Example {
        route: "/account/two-factor",
        who: MENTEE,
        at: At::Path("/account/two-factor"),
    },
    Example {
        route: "/account/two-factor/set-up",
        who: MENTEE,
        at: At::Path("/account/two-factor/set-up"),
    },
    Example {
        route: "/inbox",
        who: MENTEE,
        at: At::Path("/inbox"),
    },
    Example {
        route: "/relationships/{id}",
        who: MENTEE,
        at: At::LinkOn("/applications"),
    },
    Example {
        route: "/relationships/{id}/end",
        who: MENTEE,
        at: At::LinkOn("/relationships/{id}"),
    },
    Example {
        route: "/approvals",
        who: Some("line manager (police-scotland)"),
        at: At::Path("/approvals"),
    },
    Example {
        route: "/organisations/{code}/schemes/{key}/directory",
        who: Some("mentee choosing a mentor from the directory (cleveland)"),
        at: At::Path("/organisations/cleveland/schemes/traditional/directory"),
    },
    Example {
        route: "/schemes",
        who: COORDINATOR,
        at: At::Path("/schemes"),
    },
    Example {
        route: "/schemes/{key}/close",
        who: COORDINATOR,
        at: At::LinkOn("/schemes"),
    },
    Example {
        route: "/schemes/{key}/edit",
        who: COORDINATOR,
        at: At::Path("/schemes/mentoring/edit"),
    },
    Example {
        route: "/schemes/{key}/applications",
        who: COORDINATOR,
        at: At::Path("/schemes/mentoring/applications"),
    },
    Example {
        route: "/schemes/{key}/workshops",
        who: COORDINATOR,
        at: At::Path("/schemes/mentoring/workshops"),
    },
    Example {
        route: "/schemes/{key}/matching",
        who: COORDINATOR,
        at: At::Path("/schemes/mentoring/matching"),
    },
    Example {
        route: "/schemes/{key}/matching/pairs/{id}",
        who: COORDINATOR,
        at: At::LinkOn("/schemes/{key}/matching"),
    },
    Example {
        route: "/schemes/{key}/matching/confirm-all",
        who: COORDINATOR,
        at: At::LinkOn("/schemes/{key}/matching"),
    },
    Example {
        route: "/schemes/{key}/relationships",
        who: COORDINATOR,
        at: At::Path("/schemes/mentoring/relationships"),
    },
    Example {
        route: "/schemes/{key}/relationships/{id}",
        who: COORDINATOR,
        at: At::LinkOn("/schemes/{key}/relationships"),
    },
    // Reached from an active relationship's staff page (see `active_relationship_end`): the
    // first relationship listed may have ended already.
    Example {
        route: "/schemes/{key}/relationships/{id}/end",
        who: COORDINATOR,
        at: At::Path(""),
    },
    Example {
        route: "/schemes/{key}/attention",
        who: COORDINATOR,
        at: At::Path("/schemes/mentoring/attention"),
    },
    Example {
        route: "/schemes/{key}/concerns",
        who: Some("coordinator (cleveland)"),
        at: At::Path("/schemes/traditional/concerns"),
    },
    Example {
        route: "/concerns/{id}",
        who: Some("coordinator (cleveland)"),
        at: At::LinkOn("/schemes/{key}/concerns"),
    },
    Example {
        route: "/schemes/{key}/invitations",
        who: Some("coordinator (college)"),
        at: At::Path("/schemes/stage5-buddy/invitations"),
    },
    Example {
        route: "/schemes/{key}/invitations/withdraw",
        who: Some("coordinator (college)"),
        at: At::LinkOn("/schemes/{key}/invitations"),
    },
    Example {
        route: "/schemes/{key}/supply",
        who: Some("coordinator (college)"),
        at: At::Path("/schemes/peer-acc-aco/supply"),
    },
    // The College's figures have a table by force, and so every kind of chart.
    Example {
        route: "/reports",
        who: Some("coordinator (college)"),
        at: At::Path("/reports"),
    },
    // As an administrator, who also sees the threshold's form.
    Example {
        route: "/reports/equality",
        who: ADMIN,
        at: At::Path("/reports/equality"),
    },
    // Police Scotland's mentoring has enough answers to show, and a theme list to tag with.
    Example {
        route: "/reports/evaluation",
        who: ADMIN,
        at: At::Path("/reports/evaluation?scheme=mentoring"),
    },
    Example {
        route: "/people",
        who: ADMIN,
        at: At::Path("/people"),
    },
    Example {
        route: "/people/{id}",
        who: ADMIN,
        at: At::LinkOn("/people"),
    },
    // Whoever comes first in the directory: the page shows why they cannot be erased yet, if
    // they cannot.
    Example {
        route: "/people/{id}/erase",
        who: ADMIN,
        at: At::LinkOn("/people/{id}"),
    },
    Example {
        route: "/people/import",
        who: ADMIN,
        at: At::Path("/people/import"),
    },
    // Reached by importing the directory as it stands (see `import_unchanged`).
    Example {
        route: "/people/import/{id}",
        who: ADMIN,
        at: At::Path(""),
    },
    Example {
        route: "/audit",
        who: ADMIN,
        at: At::Path("/audit"),
    },
    Example {
        route: "/settings",
        who: ADMIN,
        at: At::Path("/settings"),
    },
    Example {
        route: "/settings/accessibility",
        who: ADMIN,
        at: At::Path("/settings/accessibility"),
    },
    Example {
        route: "/settings/records",
        who: ADMIN,
        at: At::Path("/settings/records"),
    },
    Example {
        route: "/api-tokens",
        who: ADMIN,
        at: At::Path("/api-tokens"),
    },
    Example {
        route: "/settings/two-factor",
        who: ADMIN,
        at: At::Path("/settings/two-factor"),
    },
    // Reached by the administrator requiring two-factor sign-in of champions and a champion
    // signing in (see `two_factor_set_up` and `two_factor_code`); last, as they change how
    // champions sign in.
    Example {
        route: "/sign-in/set-up",
        who: ADMIN,
        at: At::Path(""),
    },
    Example {
        route: "/sign-in/code",
        who: ADMIN,
        at: At::Path(""),
    },
];

/// Whether a path (without query) fits a route, each `{…}` standing for one segment.
fn fits(route: &str, path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let (routes, paths): (Vec<&str>, Vec<&str>) =
        (route.split('/').collect(), path.split('/').collect());
    routes.len() == paths.len()
        && routes
            .iter()
            .zip(&paths)
            .all(|(route, path)| (route.starts_with('{') && !path.is_empty()) || route == path)
}

/// The `get` route a path belongs to: of those it fits, the one with the fewest `{…}`
/// (`/people/import` is not a person's record).
pub(crate) fn route_of(path: &str) -> Option<&'static str> {
    tandem_web::ROUTES
        .iter()
        .filter(|(method, route)| *method == "get" && fits(route, path))
        .map(|(_, route)| *route)
        .min_by_key(|route| route.matches('{').count())
}

/// Titles of the error pages: an example that lands on one has not shown its page.
pub(crate) const ERROR_TITLES: &[&str] = &[
    "Page not found",
    "You cannot see this page",
    "That could not be done",
    "There is a problem with what was sent",
    "You cannot take part in this way",
    "That pair cannot be matched",
];

/// The path of the first link on the current page whose path fits `route`, or else of the
/// first form that posts to one (a check page answers its form's address too).
async fn first_link(browser: &Browser, route: &str) -> Result<String> {
    for (selector, attribute) in [("a[href]", "href"), ("form[action]", "action")] {
        for link in browser.find_all(selector).await? {
            if let Some(href) = link.attr(attribute).await?
                && route_of(&href) == Some(route)
            {
                return Ok(href);
            }
        }
    }
    Err(Error::Check(format!(
        "no link to a page of {route} on {}",
        browser.path().await?
    )))
}

/// Where an example is: its path, or the first fitting link on its page's own example.
async fn path_of(browser: &Browser, example: &Example) -> Result<String> {
    match example.at {
        At::Path(path) => Ok(path.to_owned()),
        At::LinkOn(page) => {
            let on = EXAMPLES
                .iter()
                .find(|it| it.route == page)
                .ok_or_else(|| Error::Check(format!("no example of {page}")))?;
            let from = Box::pin(path_of(browser, on)).await?;
            browser.goto(&from).await?;
            first_link(browser, example.route).await
        }
    }
}

/// A concern raised by the Cleveland mentee, for the coordinator's concern page.
async fn raise_concern(browser: &Browser) -> Result<()> {
    browser.goto("/applications").await?;
    let href = first_link(browser, "/relationships/{id}").await?;
    browser.goto(&href).await?;
    browser
        .click("Raise a concern with the coordinator")
        .await?;
    browser
        .choose("A breach of policy or of the Code of Ethics")
        .await?;
    browser
        .fill(
            "What the coordinator needs to know",
            "Every page is checked",
        )
        .await?;
    browser.submit("Send the concern to the coordinator").await
}

/// The check page before ending one of Police Scotland's active relationships, from its staff
/// page; left open.
async fn active_relationship_end(browser: &Browser) -> Result<String> {
    browser
        .goto("/schemes/mentoring/relationships?state=active")
        .await?;
    let page = first_link(browser, "/schemes/{key}/relationships/{id}").await?;
    browser.goto(&page).await?;
    let end = first_link(browser, "/schemes/{key}/relationships/{id}/end").await?;
    browser.goto(&end).await?;
    Ok(end)
}

/// Imports the Police Scotland directory as it stands; the result page is left open.
async fn import_unchanged(browser: &Browser) -> Result<String> {
    let export = browser
        .tandem(&["export", "people", "--org", "police-scotland"])
        .await?;
    let dir = tempfile::tempdir().map_err(check)?;
    let path = dir.path().join("unchanged.csv");
    std::fs::write(&path, export).map_err(check)?;
    browser.goto("/people/import").await?;
    browser
        .field("CSV file")
        .await?
        .send_keys(&path.display().to_string())
        .await
        .map_err(check)?;
    browser.submit("Check the file").await?;
    browser.submit("Import unchanged.csv").await?;
    browser.path().await
}

/// Applies to Police Scotland's scheme as a mentee; the confirmation is left open.
async fn apply_as_mentee(browser: &Browser) -> Result<String> {
    browser
        .goto("/organisations/police-scotland/schemes/mentoring/apply/mentee")
        .await?;
    let summary_label = xpath_one(browser, "//label[@for='summary']")
        .await?
        .text()
        .await
        .map_err(check)?;
    browser
        .fill(&summary_label, "I want to prepare for the sergeants' exam.")
        .await?;
    browser.choose("Promotion and career progression").await?;
    tick(browser, "I will meet by video or phone").await?;
    browser.submit("Send application").await?;
    browser.path().await
}

const CHAMPION: &str = "champion (police-scotland";

/// As the administrator, requires two-factor sign-in of champions; then a champion signs in
/// with their password and is left on the set-up page.
async fn two_factor_set_up(browser: &Browser) -> Result<String> {
    browser.goto("/settings/two-factor").await?;
    browser.choose("Divisional champions").await?;
    browser.submit("Save").await?;
    browser.click("Sign out").await?;
    let champion = account(browser, CHAMPION).await?;
    submit_sign_in(browser, &champion.email).await?;
    browser.path().await
}

/// From the set-up page: the app's code turns it on (the recovery codes' page is checked on
/// the way); then the champion signs in again and is left on the code page.
async fn two_factor_code(browser: &Browser) -> Result<String> {
    let key = browser
        .find("#manual-key")
        .await?
        .text()
        .await
        .map_err(check)?;
    browser.fill("Code from the app", &totp_now(&key)?).await?;
    browser.submit("Turn on two-factor sign-in").await?;
    if browser.h1().await? != "Your recovery codes" {
        return Err(Error::Check(format!(
            "setting up did not show the recovery codes: {}",
            browser.text().await?
        )));
    }
    browser.assert_accessible().await?;
    browser
        .click("I have kept my recovery codes: continue")
        .await?;
    browser.click("Sign out").await?;
    let champion = account(browser, CHAMPION).await?;
    submit_sign_in(browser, &champion.email).await?;
    browser.path().await
}

#[tokio::test]
async fn every_page_the_accessibility_statement_names_passes_axe() {
    let listed: std::collections::BTreeSet<&str> =
        tandem_web::PAGES.iter().map(|(route, _)| *route).collect();
    let examples: std::collections::BTreeSet<&str> = EXAMPLES.iter().map(|it| it.route).collect();
    assert_eq!(examples.len(), EXAMPLES.len(), "a page has two examples");
    let missing: Vec<&&str> = listed.difference(&examples).collect();
    let extra: Vec<&&str> = examples.difference(&listed).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "each page tandem_web::PAGES names needs one example here; without one: {missing:?}; not named: {extra:?}"
    );
    journey(async |browser| {
        // The demo accounts, read off the sign-in page while signed out.
        let mut accounts = std::collections::HashMap::new();
        for role in EXAMPLES.iter().filter_map(|it| it.who) {
            if !accounts.contains_key(role) {
                accounts.insert(role, account(browser, role).await?);
            }
        }
        // A concern for the coordinator's concern page.
        sign_in(browser, &accounts[MENTEE.unwrap_or_default()]).await?;
        raise_concern(browser).await?;
        browser.click("Sign out").await?;
        let mut signed_in: Option<&str> = None;
        for example in EXAMPLES {
            if example.who != signed_in {
                match example.who {
                    Some(role) => sign_in(browser, &accounts[role]).await?,
                    None => {
                        browser.goto("/").await?;
                        browser.click("Sign out").await?;
                    }
                }
                signed_in = example.who;
            }
            let path = if example.route == "/people/import/{id}" {
                import_unchanged(browser).await?
            } else if example.route == "/schemes/{key}/relationships/{id}/end" {
                active_relationship_end(browser).await?
            } else if example.route == "/sign-in/set-up" {
                two_factor_set_up(browser).await?
            } else if example.route == "/sign-in/code" {
                two_factor_code(browser).await?
            } else if example.route == "/applications/{id}/applied" {
                apply_as_mentee(browser).await?
            } else {
                let path = path_of(browser, example).await?;
                browser.goto(&path).await?;
                path
            };
            if route_of(&path) != Some(example.route) {
                return Err(Error::Check(format!(
                    "{path} is not a page of {}",
                    example.route
                )));
            }
            let h1 = browser.h1().await?;
            if ERROR_TITLES.contains(&h1.as_str()) {
                return Err(Error::Check(format!(
                    "{path} ({}) shows the error page {h1:?}: {}",
                    example.route,
                    browser.text().await?
                )));
            }
            browser.assert_accessible().await?;
        }
        Ok(())
    })
    .await;
}

/// Pages a home page links to that the crawl opens per person at most: each task list's
/// places to act, not every page of the site.
const LINKS_PER_HOME: usize = 12;

/// The home page is each signed-in person's task list: it, and every page of this site it links
/// to (GET only, one of each route per person, bounded), is checked with axe as every kind of
/// person the demo has, with that person's own data (the signed-out catalogue is the `/`
/// example above). No link may lead to an error page.
#[tokio::test]
async fn the_home_page_of_each_role_and_the_pages_it_links_to_pass_axe() {
    journey(async |browser| {
        let base = browser.url("");
        for role in [
            "coordinator (police-scotland)",
            CHAMPION,
            "organisation_admin (police-scotland)",
            "national_admin (",
            "line manager (",
            "applicant waiting for their manager",
            "mentee in an active relationship (cleveland)",
        ] {
            let person = account(browser, role).await?;
            sign_in(browser, &person).await?;
            browser.goto("/").await?;
            if browser.h1().await? != "Home" {
                return Err(Error::Check(format!(
                    "{role} lands on {:?}, not their home page",
                    browser.h1().await?
                )));
            }
            browser.assert_accessible().await?;
            let mut routes = std::collections::BTreeSet::new();
            let mut pages = Vec::new();
            for href in browser.attributes("main a[href]", "href").await? {
                let path = href
                    .strip_prefix(base.trim_end_matches('/'))
                    .unwrap_or(&href);
                let followed = path.starts_with('/')
                    && !path.starts_with("//")
                    && ![
                        "/sign-out",
                        "/api/",
                        "/static/",
                        ".csv",
                        ".zip",
                        ".ics",
                        "download",
                    ]
                    .iter()
                    .any(|skip| path.contains(skip));
                if let Some(route) = route_of(path).filter(|_| followed)
                    && routes.insert(route)
                    && pages.len() < LINKS_PER_HOME
                {
                    pages.push(path.to_owned());
                }
            }
            for path in pages {
                browser.goto(&path).await?;
                let h1 = browser.h1().await?;
                if ERROR_TITLES.contains(&h1.as_str()) {
                    return Err(Error::Check(format!(
                        "{role}'s home links to {path}, which shows the error page {h1:?}"
                    )));
                }
                browser.assert_accessible().await?;
            }
            browser.click("Sign out").await?;
        }
        Ok(())
    })
    .await;
}

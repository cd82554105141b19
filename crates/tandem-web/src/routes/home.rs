//! The home page. Signed in: what waits for the visitor in each role they hold (their own
//! mentoring and next step; applications from their team to authorise; in each scheme they look
//! after, what to decide, record, confirm and answer, with what waits on someone else shown
//! apart), then the schemes they can apply to. Signed out: every organisation and its schemes.

use crate::WebError;
use crate::WebState;
use crate::chrome::Chrome;
use crate::routes::next_steps::{self, StepView};
use crate::visitor::Visitor;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use tandem_app::accounts::Session;
use tandem_app::organisations;
use tandem_app::tasks::SchemeTasks;
use tandem_core::authz::Actor;
use tandem_core::eligibility::Role;
use tandem_core::pairing::MatchStatus;
use tandem_core::programme::SchemeStatus;

struct OrganisationView {
    name: String,
    code: String,
    schemes: Vec<SchemeSummary>,
}

struct SchemeSummary {
    key: String,
    name: String,
    description: String,
    open: bool,
}

/// One row of a task list: what waits, how many, and where to act on it.
pub(crate) struct TaskRow {
    /// Unique on the page, for the status's id.
    id: String,
    name: String,
    href: String,
    /// How many, in words ("3 to decide"), or `None` when nothing waits.
    count: Option<String>,
}

/// One scheme's rows, under its name.
struct SchemeGroup {
    name: String,
    rows: Vec<TaskRow>,
}

/// One of the visitor's own applications with its next step.
struct OwnLine {
    scheme: String,
    role: &'static str,
    status: &'static str,
    next: Option<StepView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub(crate) struct HomePage {
    chrome: Chrome,
    organisations: Vec<OrganisationView>,
    signed_in: bool,
    /// The visitor holds no staff role: their own mentoring comes first.
    own_first: bool,
    own: Vec<OwnLine>,
    /// Pairs: (link, words).
    pairs: Vec<(String, String)>,
    /// What waits for the visitor beyond their own mentoring: the line manager's and each
    /// scheme's.
    mine: Vec<SchemeGroup>,
    /// What waits on someone else, by scheme.
    others: Vec<SchemeGroup>,
    /// Staff who look after at least one scheme (so "nothing waits" can be said).
    staff: bool,
}

impl HomePage {
    fn has_own(&self) -> bool {
        !self.own.is_empty() || !self.pairs.is_empty()
    }
}

fn count(n: i64, what: &str) -> Option<String> {
    (n > 0).then(|| format!("{n} {what}"))
}

fn row(id: String, name: &str, href: String, count: Option<String>) -> TaskRow {
    TaskRow {
        id,
        name: name.to_owned(),
        href,
        count,
    }
}

/// A scheme's rows for the visitor, and those waiting on someone else.
fn scheme_rows(tasks: &SchemeTasks) -> (Vec<TaskRow>, Vec<TaskRow>) {
    let key = tasks.scheme.definition.key.to_string();
    let applications = format!("/schemes/{key}/applications");
    let matching = format!("/schemes/{key}/matching");
    let mut mine = vec![row(
        format!("{key}-decide"),
        "Applications to decide",
        format!("{applications}#to-decide"),
        count(tasks.to_decide, "to decide"),
    )];
    if let Some(n) = tasks.training_to_record {
        mine.push(row(
            format!("{key}-training"),
            "Training to record",
            format!("{applications}#mentors"),
            count(n, "to record"),
        ));
    }
    if let Some(n) = tasks.proposals_to_confirm {
        mine.push(row(
            format!("{key}-proposals"),
            "Proposed pairs to confirm",
            format!("{matching}#proposed"),
            count(n, "to confirm"),
        ));
    }
    if let Some(n) = tasks.concerns_to_answer {
        mine.push(row(
            format!("{key}-concerns"),
            "Concerns to answer",
            format!("/schemes/{key}/concerns"),
            count(n, "to answer"),
        ));
    }
    let mut others = vec![row(
        format!("{key}-managers"),
        "Applications waiting for a line manager",
        format!("{applications}#waiting-for-managers"),
        count(tasks.waiting_for_managers, "waiting"),
    )];
    if let Some(n) = tasks.waiting_for_mentors {
        others.push(row(
            format!("{key}-requests"),
            "Requests waiting for a mentor's answer",
            matching.clone(),
            count(n, "waiting"),
        ));
    }
    (mine, others)
}

/// `GET /`: the signed-in visitor's tasks and the schemes they may apply to, or, signed out,
/// the catalogue of organisations and their schemes.
pub(crate) async fn get(
    State(state): State<WebState>,
    visitor: Visitor,
) -> Result<HomePage, WebError> {
    let actor = visitor
        .session
        .as_ref()
        .map_or(Actor::Anonymous, |session| session.actor.clone());
    let catalogue = organisations::catalogue(&state.app, &actor).await?;
    let organisations = catalogue
        .into_iter()
        .map(|(organisation, schemes)| OrganisationView {
            name: organisation.name,
            code: organisation.code.to_string(),
            schemes: schemes
                .into_iter()
                .map(|scheme| SchemeSummary {
                    key: scheme.definition.key.to_string(),
                    name: scheme.definition.name,
                    description: scheme.definition.description,
                    open: scheme.status == SchemeStatus::Open,
                })
                .collect(),
        })
        .collect();
    let mut page = HomePage {
        chrome: Chrome::new(&visitor, None, "/"),
        organisations,
        signed_in: false,
        own_first: true,
        own: Vec::new(),
        pairs: Vec::new(),
        mine: Vec::new(),
        others: Vec::new(),
        staff: false,
    };
    if let Some(session) = &visitor.session {
        tasks_of(&state, session, &mut page).await?;
    }
    Ok(page)
}

/// Fills in what waits for the signed-in person.
async fn tasks_of(
    state: &WebState,
    session: &Session,
    page: &mut HomePage,
) -> Result<(), WebError> {
    let actor = &session.actor;
    let app = &state.app;
    page.signed_in = true;
    page.own_first = matches!(actor, Actor::Person { grants, .. } if grants.is_empty());
    let applications = tandem_app::applications::mine(app, actor).await?;
    let training = tandem_app::training::mine(app, actor).await?;
    let pairs = tandem_app::relationships::mine(app, actor).await?;
    let today = app.clock.now().date();
    page.own = applications
        .iter()
        .filter(|own| own.application.status.is_open())
        .map(|own| {
            let steps = next_steps::of(own, &training.records, &pairs, today);
            OwnLine {
                scheme: own.scheme.definition.name.clone(),
                role: if own.application.role == Role::Mentor {
                    "Mentor"
                } else {
                    "Mentee"
                },
                status: own.application.status.describe(own.application.role),
                next: next_steps::next(&steps).cloned(),
            }
        })
        .collect();
    page.pairs = pairs
        .iter()
        .filter_map(|pair| {
            let view = &pair.view;
            let (other, role) = match pair.role {
                Role::Mentor => (&view.mentee, "mentee"),
                Role::Mentee => (&view.mentor, "mentor"),
            };
            let name = other.record.full_name();
            if view.pair.status == MatchStatus::Requested && pair.role == Role::Mentor {
                Some((
                    format!("/applications#request-{}", view.pair.id),
                    format!(
                        "Answer {name}'s request to be your mentee ({})",
                        pair.scheme
                    ),
                ))
            } else if view.pair.status.holds_place() {
                Some((
                    format!("/relationships/{}", view.pair.id),
                    format!(
                        "Your relationship with your {role}, {name} ({})",
                        pair.scheme
                    ),
                ))
            } else {
                None
            }
        })
        .collect();
    let to_authorise = tandem_app::tasks::to_authorise(app, actor).await?;
    if to_authorise > 0 {
        page.mine.push(SchemeGroup {
            name: "Your team".to_owned(),
            rows: vec![row(
                "team-authorise".to_owned(),
                "Applications from your team to authorise",
                "/approvals".to_owned(),
                count(to_authorise, "to authorise"),
            )],
        });
    }
    let schemes = tandem_app::tasks::staff(app, actor, session.organisation.id).await?;
    page.staff = !schemes.is_empty();
    for tasks in &schemes {
        let (mine, others) = scheme_rows(tasks);
        let name = tasks.scheme.definition.name.clone();
        page.mine.push(SchemeGroup {
            name: name.clone(),
            rows: mine,
        });
        page.others.push(SchemeGroup { name, rows: others });
    }
    Ok(())
}

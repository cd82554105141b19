//! A scheme's public page: what it is for and how its policy runs it.

use crate::chrome::Chrome;
use crate::routes::people::capitalise;
use crate::visitor::Visitor;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use tandem_app::applications;
use tandem_app::schemes;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::domain::{OrgCode, SchemeKey};
use tandem_core::eligibility::Role;
use tandem_core::policy::{Bounds, MatchingMode, RankDirection, SchemePolicy};

#[derive(Template, WebTemplate)]
#[template(path = "scheme.html")]
pub(crate) struct SchemePage {
    chrome: Chrome,
    organisation: String,
    organisation_code: String,
    name: String,
    description: String,
    organisational_need: Option<String>,
    open: bool,
    rows: Vec<(&'static str, String)>,
    signed_in: bool,
    key: String,
    /// For each role: its token, and the reasons the visitor cannot take it (empty: they may apply).
    roles: Vec<(&'static str, Vec<String>)>,
    by_invitation: bool,
    /// The visitor may open the scheme's applications (it is in the organisation they work in).
    applications_link: bool,
}

/// `GET /organisations/{code}/schemes/{key}`: one scheme and its policy in words.
pub(crate) async fn get(
    State(state): State<WebState>,
    visitor: Visitor,
    Path((code, key)): Path<(String, String)>,
) -> Result<SchemePage, WebError> {
    let code = OrgCode::parse(&code).map_err(|_| WebError::NotFound)?;
    let key = SchemeKey::parse(&key).map_err(|_| WebError::NotFound)?;
    let (organisation, scheme) =
        schemes::catalogue_entry(&state.app, &Actor::Anonymous, &code, &key).await?;
    let mut roles = Vec::new();
    let mut applications_link = false;
    if let Some(session) = &visitor.session {
        for role in [Role::Mentee, Role::Mentor] {
            let refusals = applications::check(&state.app, &session.actor, &scheme, role)
                .await?
                .iter()
                .map(|refusal| capitalise(&refusal.to_string()))
                .collect();
            roles.push((role.as_str(), refusals));
        }
        applications_link = session.organisation.id == organisation.id
            && authorize(
                &session.actor,
                &Action::ViewApplicationList {
                    organisation: organisation.id,
                    scheme: scheme.id,
                },
            )
            .is_ok();
    }
    Ok(SchemePage {
        signed_in: visitor.session.is_some(),
        key: key.to_string(),
        roles,
        by_invitation: scheme.definition.policy.eligibility.mentee.invitation_only,
        applications_link,
        chrome: {
            let mut chrome = Chrome::new(&visitor, None, "");
            chrome.marking = organisation.protective_marking.to_string();
            chrome
        },
        organisation: organisation.name,
        organisation_code: organisation.code.to_string(),
        name: scheme.definition.name,
        description: scheme.definition.description,
        organisational_need: scheme.definition.organisational_need,
        open: scheme.status == tandem_core::programme::SchemeStatus::Open,
        rows: policy_rows(&scheme.definition.policy),
    })
}

/// A policy's range in words; `unset` says plainly what a scheme without one leaves to the pair.
fn bounds(bounds: Bounds, unit: &str, unset: &str) -> String {
    match (bounds.min, bounds.max) {
        (Some(min), Some(max)) if min == max => format!("{min} {unit}"),
        (Some(min), Some(max)) => format!("{min} to {max} {unit}"),
        (Some(min), None) => format!("at least {min} {unit}"),
        (None, Some(max)) => format!("up to {max} {unit}"),
        (None, None) => unset.to_owned(),
    }
}

fn yes_no(value: bool) -> String {
    if value { "Yes" } else { "No" }.to_owned()
}

fn policy_rows(policy: &SchemePolicy) -> Vec<(&'static str, String)> {
    let matching = match policy.matching {
        MatchingMode::SelfSelect => "Mentees choose a mentor from the directory",
        MatchingMode::Champion => "Divisional champions match",
        MatchingMode::Coordinator => "The programme coordinator matches",
        MatchingMode::Invitation => "By invitation: the coordinator offers a mentor",
    };
    let direction = match policy.rank_direction {
        RankDirection::MentorSenior => "Mentor more senior than mentee",
        RankDirection::MentorJunior => "Mentor more junior than mentee (reverse)",
        RankDirection::Peer => "Same rank band",
        RankDirection::Any => "Any",
    };
    let training = &policy.training;
    let training_text = match (training.mentor_required, training.mentee_required) {
        (false, false) => "None required".to_owned(),
        (mentor, mentee) => {
            let who = match (mentor, mentee) {
                (true, true) if training.joint => "mentor and mentee, together",
                (true, true) => "mentor and mentee",
                (true, false) => "mentor",
                _ => "mentee",
            };
            let when = if training.before_matching {
                ", before matching"
            } else {
                ""
            };
            format!("{} for the {who}{when}", training.name)
        }
    };
    vec![
        ("Matching", matching.to_owned()),
        (
            "Mentees per mentor",
            format!("up to {}", policy.max_mentees_per_mentor),
        ),
        ("Mentors per mentee", policy.mentors_per_mentee.to_string()),
        ("Rank direction", direction.to_owned()),
        ("Open across forces", yes_no(policy.cross_force)),
        (
            "Duration",
            bounds(policy.duration_months, "months", "No fixed length"),
        ),
        (
            "Sessions",
            bounds(policy.sessions, "sessions", "As many as the pair agree"),
        ),
        (
            "Meet every",
            bounds(policy.cadence_weeks, "weeks", "As often as the pair agree"),
        ),
        (
            "Session length",
            bounds(
                policy.session_minutes,
                "minutes",
                "As long as the pair agree",
            ),
        ),
        (
            "Progress review",
            match (
                policy.review_every_nth_meeting,
                policy.review_at_final_meeting,
            ) {
                (Some(every), true) => format!("Every {every} meetings and at the final meeting"),
                (Some(every), false) => format!("Every {every} meetings"),
                (None, true) => "At the final meeting".to_owned(),
                (None, false) => "None asked for".to_owned(),
            },
        ),
        ("Training", training_text),
        (
            "Line manager authorisation",
            yes_no(policy.line_manager_approval),
        ),
        (
            "Mentor and mentee at once",
            if policy.dual_roles_allowed {
                "Allowed"
            } else {
                "Not allowed"
            }
            .to_owned(),
        ),
        (
            "Mentor signs",
            match (
                policy.mentor_statement_of_suitability,
                policy.mentor_agreement,
            ) {
                (true, true) => "Statement of suitability and mentor's agreement".to_owned(),
                (true, false) => "Statement of suitability".to_owned(),
                (false, true) => "Mentor's agreement".to_owned(),
                (false, false) => "Nothing extra".to_owned(),
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::policy_rows;
    use tandem_core::policy::Bounds;

    #[test]
    fn a_policy_says_plainly_what_it_leaves_to_the_pair() {
        let programme = tandem_core::programme::presets::load("cleveland")
            .expect("the preset exists")
            .expect("the preset is valid");
        let mut policy = programme.schemes[0].policy.clone();
        policy.sessions = Bounds::default();
        policy.cadence_weeks = Bounds::default();
        policy.review_every_nth_meeting = None;
        policy.review_at_final_meeting = false;
        let rows = policy_rows(&policy);
        let value = |name: &str| {
            rows.iter()
                .find(|(label, _)| *label == name)
                .map(|(_, value)| value.as_str())
        };
        assert_eq!(value("Sessions"), Some("As many as the pair agree"));
        assert_eq!(value("Meet every"), Some("As often as the pair agree"));
        assert_eq!(value("Progress review"), Some("None asked for"));
        for (label, value) in &rows {
            assert!(
                !value.to_lowercase().contains("not set"),
                "{label} reads {value:?}"
            );
        }
    }
}

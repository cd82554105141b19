//! Supply and demand of mentors for one scheme (R10.2), counted from the same cohort matching
//! solves, and appeals for mentors of a rank band where the scheme is short of them.

use super::cohort::{self, Filter};
use super::{cohort_division, scheme_and_owner};
use crate::{App, AppError, audit};
use tandem_core::application::{FormProblem, MentorAppeal};
use tandem_core::audit::AuditAction;
use tandem_core::authz::Actor;
use tandem_core::domain::{RankBand, SchemeKey};
use tandem_core::eligibility::Role;
use tandem_core::hr::ExistingPerson;
use tandem_core::programme::Scheme;
use tandem_core::supply::{self, Balance, Band, Demand, Offer};
use tandem_core::{Organisation, OrganisationId};
use tandem_store::OutboxMessage;
use uuid::Uuid;

/// What the supply page shows.
#[derive(Debug, Clone)]
pub struct SupplyView {
    /// The scheme.
    pub scheme: Scheme,
    /// Mentees waiting against free mentor places.
    pub balance: Balance,
    /// The bands an appeal may ask for: the bands the scheme's mentors may come from.
    pub appeal_bands: Vec<RankBand>,
    /// Whether mentors join by invitation only (then there is nobody to appeal to).
    pub mentors_by_invitation: bool,
    /// How many people of each of those bands (by code) could still volunteer: the people an
    /// appeal for the band would go to.
    pub left_to_ask: std::collections::BTreeMap<String, u32>,
    /// Appeals sent so far, the latest first, each with who sent it in words.
    pub appeals: Vec<(MentorAppeal, String)>,
}

fn band_of(owner: &Organisation, rank: &tandem_core::domain::RankOrGrade) -> Option<Band> {
    owner.rank_bands.band_of(rank).map(|band| Band {
        level: band.level,
        code: band.code.clone(),
        name: band.name.clone(),
    })
}

/// The bands mentors of `scheme` may come from, in the owner's order.
fn mentor_bands(scheme: &Scheme, owner: &Organisation) -> Vec<RankBand> {
    let allowed = &scheme.definition.policy.eligibility.mentor.rank_bands;
    owner
        .rank_bands
        .bands()
        .iter()
        .filter(|band| allowed.is_empty() || allowed.contains(&band.code))
        .cloned()
        .collect()
}

/// Mentees waiting and the mentor places free, by rank band, topic and location, for the
/// scheme's coordinators and champions.
pub async fn supply(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<SupplyView, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let (scheme, owner) = scheme_and_owner(&mut tx, organisation, key).await?;
    let division = cohort_division(actor, &scheme, false)?;
    let cohort = cohort::build(
        &mut tx,
        &scheme,
        &owner,
        &Filter {
            division,
            people_only: true,
            ..Filter::default()
        },
        now,
    )
    .await?;
    let location = |entrant: &cohort::Entrant| {
        entrant
            .application
            .answers
            .location
            .clone()
            .or_else(|| {
                entrant
                    .person
                    .record
                    .location
                    .as_ref()
                    .map(ToString::to_string)
            })
            .unwrap_or_default()
    };
    let mentees: Vec<Demand> = cohort
        .mentees
        .iter()
        .map(|entrant| Demand {
            band: band_of(&owner, &entrant.person.record.rank_or_grade),
            topics: entrant.application.answers.topics.clone(),
            location: location(entrant),
        })
        .collect();
    let mentors: Vec<Offer> = cohort
        .mentors
        .iter()
        .zip(&cohort.spec.mentors)
        .map(|(entrant, mentor)| Offer {
            band: band_of(&owner, &entrant.person.record.rank_or_grade),
            topics: entrant.application.answers.topics.clone(),
            location: location(entrant),
            places: mentor.capacity,
        })
        .collect();
    let balance = supply::balance(scheme.definition.policy.rank_direction, &mentees, &mentors);
    let mentors_by_invitation = scheme.definition.policy.eligibility.mentor.invitation_only;
    let left_to_ask = if mentors_by_invitation {
        std::collections::BTreeMap::new()
    } else {
        left_to_ask(&mut tx, &scheme, &owner)
            .await?
            .into_iter()
            .map(|(band, people)| (band, u32::try_from(people.len()).unwrap_or(u32::MAX)))
            .collect()
    };
    let mut names = std::collections::HashMap::new();
    let mut appeals = Vec::new();
    for appeal in tx.mentor_appeals_of_scheme(scheme.id).await? {
        let by = crate::audit_log::who(&mut tx, &mut names, &appeal.sent_by).await?;
        appeals.push((appeal, by));
    }
    tx.commit().await?;
    Ok(SupplyView {
        appeal_bands: mentor_bands(&scheme, &owner),
        mentors_by_invitation,
        left_to_ask,
        scheme,
        balance,
        appeals,
    })
}

/// Everyone who could still volunteer to mentor in `scheme`, by the code of their rank band:
/// in a band the scheme's mentors come from, in a force it is open to, and nothing in the rules
/// against them (applied already included). The one rule both the supply page's "left to ask"
/// and an appeal's recipients follow.
async fn left_to_ask(
    tx: &mut tandem_store::Tx,
    scheme: &Scheme,
    owner: &Organisation,
) -> Result<std::collections::BTreeMap<String, Vec<ExistingPerson>>, AppError> {
    let bands = mentor_bands(scheme, owner);
    let policy = &scheme.definition.policy;
    let open_to_all = policy.cross_force || owner.kind == tandem_core::OrganisationKind::National;
    let organisations: Vec<Organisation> = tx
        .organisations()
        .await?
        .into_iter()
        .filter(|it| open_to_all || it.id == owner.id)
        .collect();
    let mut left: std::collections::BTreeMap<String, Vec<ExistingPerson>> = bands
        .iter()
        .map(|band| (band.code.clone(), Vec::new()))
        .collect();
    for home in &organisations {
        for person in tx.people_of(home.id).await? {
            let Some(band) = owner
                .rank_bands
                .band_of(&person.record.rank_or_grade)
                .filter(|it| bands.iter().any(|band| band.code == it.code))
            else {
                continue;
            };
            let code = band.code.clone();
            let refusals =
                crate::applications::refusals(tx, &person, home, scheme, owner, Role::Mentor, None)
                    .await?;
            if refusals.is_empty() {
                left.entry(code).or_default().push(person);
            }
        }
    }
    Ok(left)
}

/// Emails an appeal for mentors to everyone of `band` who could mentor in the scheme and has not
/// applied to, across every force the scheme is open to. Returns how many it went to. Refused when
/// mentors join by invitation, the band is not one the scheme's mentors come from, the message is
/// empty or too long, or nobody is left to ask.
pub async fn appeal(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
    band: &str,
    message: &str,
    public_url: &str,
) -> Result<u32, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let scheme = crate::invitations::managed_scheme(&mut tx, actor, organisation, key).await?;
    let owner = crate::applications::organisation_of_scheme(&mut tx, &scheme).await?;
    let policy = &scheme.definition.policy;
    if policy.eligibility.mentor.invitation_only {
        return Err(AppError::Conflict(format!(
            "mentors join {} by invitation: invite them from the invitation list instead",
            scheme.definition.name
        )));
    }
    let mut problems = Vec::new();
    let chosen = mentor_bands(&scheme, &owner)
        .into_iter()
        .find(|it| it.code == band);
    if chosen.is_none() {
        problems.push(FormProblem {
            field: "band",
            message: "choose a rank band this scheme's mentors come from".to_owned(),
        });
    }
    let message = message.trim();
    if message.is_empty() {
        problems.push(FormProblem {
            field: "message",
            message: "write what you are asking for: who is needed, and why".to_owned(),
        });
    } else if message.chars().count() > 2000 {
        problems.push(FormProblem {
            field: "message",
            message: "keep the message to 2,000 characters".to_owned(),
        });
    }
    let Some(chosen) = chosen.filter(|_| problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };

    let link_base = public_url.trim_end_matches('/');
    let appeal_id = Uuid::now_v7();
    let mut recipients = 0_u32;
    let people = left_to_ask(&mut tx, &scheme, &owner)
        .await?
        .remove(&chosen.code)
        .unwrap_or_default();
    for person in people {
        tx.enqueue(&OutboxMessage {
            id: Uuid::now_v7(),
            key: format!("appeal.{appeal_id}.{}", person.id),
            person: Some(person.id),
            recipient: person.record.email.to_string(),
            subject: format!("{}: mentors needed", scheme.definition.name),
            body: format!(
                "Dear {},\n\n{message}\n\nIf you could mentor in {}, volunteer here:\n\
                 {link_base}/organisations/{}/schemes/{key}/apply/mentor\n\n\
                 Tandem mentoring",
                person.record.first_name, scheme.definition.name, owner.code,
            ),
            created_at: now,
            attempts: 0,
            attachment: None,
        })
        .await?;
        recipients += 1;
    }
    if recipients == 0 {
        return Err(AppError::Conflict(format!(
            "nobody else in the {} band can volunteer: everyone eligible has already applied",
            chosen.name
        )));
    }
    tx.insert_mentor_appeal(&MentorAppeal {
        scheme: scheme.id,
        rank_band: chosen.name.clone(),
        message: message.to_owned(),
        recipients,
        sent_by: actor.audit_label(),
        sent_at: now,
    })
    .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::SupplyAppealSent,
        Some(scheme.organisation),
        "scheme",
        Some(scheme.id.0),
        serde_json::json!({ "scheme": key.as_ref(), "band": chosen.code, "recipients": recipients }),
    )])
    .await?;
    tx.commit().await?;
    Ok(recipients)
}

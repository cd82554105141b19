//! The demo installation: three organisations, a realistic workforce each, the three presets,
//! and staff roles for a few people, seeded through the same use cases a real installation uses.

use crate::people::{ImportRequest, ImportStage};
use crate::workforce::{DesignatedRole, WorkforceSpec, generate};
use crate::{App, AppError, organisations, people, schemes};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Actor, Grant, Scope, StaffRole};
use tandem_core::domain::{NewPassword, OrgCode};
use tandem_core::hr::{ImportOptions, write_file};
use tandem_core::programme::presets;
use tandem_core::{OrganisationKind, PersonRecord};
use uuid::Uuid;

pub use accounts::{DemoAccount, Journey};
pub use emails::newest_emails;

/// What the demo seeding did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// False when the database was already seeded and was reused as it was.
    pub seeded: bool,
    /// People per organisation.
    pub people: Vec<(String, i64)>,
    /// Schemes per organisation.
    pub schemes: Vec<(String, usize)>,
    /// People with staff roles.
    pub accounts: Vec<DemoAccount>,
}

struct DemoOrganisation {
    code: &'static str,
    name: &'static str,
    kind: OrganisationKind,
    preset: &'static str,
    people: usize,
    domain: &'static str,
    first_staff_number: u32,
    divisions: &'static [&'static str],
    /// The programme has divisional champions (Police Scotland does; the others match centrally).
    champions: bool,
    locations: &'static [&'static str],
}

const DEMO: [DemoOrganisation; 3] = [
    DemoOrganisation {
        code: "college",
        name: "College of Policing",
        kind: OrganisationKind::National,
        preset: "college-national",
        people: 90,
        domain: "college.police.uk",
        first_staff_number: 700_001,
        divisions: &[],
        champions: false,
        locations: &["Ryton", "Harrogate", "London"],
    },
    DemoOrganisation {
        code: "police-scotland",
        name: "Police Scotland",
        kind: OrganisationKind::Force,
        preset: "police-scotland",
        people: 720,
        domain: "scotland.police.uk",
        first_staff_number: 100_001,
        divisions: &[
            "E Division (Edinburgh)",
            "G Division (Greater Glasgow)",
            "N Division (Highlands and Islands)",
            "P Division (Fife)",
        ],
        champions: true,
        locations: &[
            "Edinburgh",
            "Glasgow",
            "Inverness",
            "Kirkcaldy",
            "Dundee",
            "Aberdeen",
            "Tulliallan",
        ],
    },
    DemoOrganisation {
        code: "cleveland",
        name: "Cleveland Police",
        kind: OrganisationKind::Force,
        preset: "cleveland",
        people: 420,
        domain: "cleveland.police.uk",
        first_staff_number: 300_001,
        divisions: &[
            "Middlesbrough",
            "Stockton and Hartlepool",
            "Redcar and Cleveland",
        ],
        champions: false,
        locations: &[
            "Middlesbrough",
            "Hartlepool",
            "Stockton-on-Tees",
            "Redcar",
            "Guisborough",
            "Billingham",
        ],
    },
];

/// Seeds the demo into an empty database; on a database that already has organisations it
/// changes nothing and reports what is there. `site` is the address the demo serves on: the
/// links in the emails seeding queues point there.
pub async fn seed(app: &App, actor: &Actor, site: &str) -> Result<DemoSummary, AppError> {
    let seeded = app
        .store
        .begin_read()
        .await?
        .organisations()
        .await?
        .is_empty();
    if seeded {
        let today = app.clock.now().date();
        let mut all_people: Vec<PersonRecord> = Vec::new();
        let mut designated = Vec::new();
        for (idx, demo) in DEMO.iter().enumerate() {
            let code =
                OrgCode::parse(demo.code).map_err(|err| AppError::Conflict(err.to_string()))?;
            organisations::create(app, actor, code.clone(), demo.name.to_owned(), demo.kind)
                .await?;
            let spec = WorkforceSpec {
                organisation: code.clone(),
                people: demo.people,
                email_domain: demo.domain.to_owned(),
                first_staff_number: demo.first_staff_number,
                divisions: demo.divisions.iter().map(|it| (*it).to_owned()).collect(),
                locations: demo.locations.iter().map(|it| (*it).to_owned()).collect(),
                national_body: demo.kind == OrganisationKind::National,
                today,
            };
            let workforce = generate(&spec, 2026 + idx as u64);
            designated.extend(
                workforce
                    .designated
                    .into_iter()
                    .filter(|(_, role, _)| demo.champions || *role != DesignatedRole::Champion)
                    .map(|(number, role, division)| (code.clone(), number, role, division)),
            );
            all_people.extend(workforce.people);
        }
        let file = write_file(&all_people);
        let request = ImportRequest {
            bytes: &file,
            options: ImportOptions::default(),
            dry_run: false,
            source: "demo workforce",
        };
        people::import(app, actor, request, &|_: ImportStage| {}).await?;
        for demo in &DEMO {
            let programme = presets::load(demo.preset)
                .ok_or_else(|| AppError::NotFound(format!("preset {}", demo.preset)))?
                .map_err(AppError::PolicyRejected)?;
            let code =
                OrgCode::parse(demo.code).map_err(|err| AppError::Conflict(err.to_string()))?;
            schemes::apply_programme(app, actor, &programme, &code, Some(demo.preset)).await?;
        }
        grant_designated(app, actor, &designated).await?;
        let password =
            NewPassword::parse(DEMO_PASSWORD).map_err(|err| AppError::Conflict(err.to_string()))?;
        // One hash for everyone: hashing each of a thousand demo people would take minutes.
        let hash = crate::accounts::hash_password(&password).await?;
        let mut tx = app.store.begin_write().await?;
        tx.set_password_hash_for_all(&hash, app.clock.now()).await?;
        tx.commit().await?;
        seed_applications(app, false, site).await?;
        seed_invitations(app, actor, site).await?;
        seed_applications(app, true, site).await?;
        seed_matching(app, actor, site).await?;
        relationships::seed(app).await?;
        support_groups::seed(app).await?;
    }
    summary(app, seeded).await
}

mod accounts;
mod emails;
mod relationships;
mod support_groups;

use accounts::summary;

async fn grant_designated(
    app: &App,
    actor: &Actor,
    designated: &[(
        OrgCode,
        tandem_core::domain::StaffNumber,
        DesignatedRole,
        String,
    )],
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    for (code, number, role, division) in designated {
        let Some(organisation) = tx.organisation_by_code(code).await? else {
            continue;
        };
        let Some(person) = tx.person_by_staff_number(organisation.id, number).await? else {
            continue;
        };
        let grant = match role {
            DesignatedRole::Administrator if organisation.kind == OrganisationKind::National => {
                Grant {
                    role: StaffRole::NationalAdmin,
                    scope: Scope::Installation,
                }
            }
            DesignatedRole::Administrator => Grant {
                role: StaffRole::OrganisationAdmin,
                scope: Scope::Organisation(organisation.id),
            },
            DesignatedRole::Coordinator => Grant {
                role: StaffRole::Coordinator,
                scope: Scope::Organisation(organisation.id),
            },
            DesignatedRole::Champion => Grant {
                role: StaffRole::Champion,
                scope: Scope::Division {
                    organisation: organisation.id,
                    division: division.clone(),
                },
            },
        };
        tx.insert_grant(Uuid::now_v7(), person.id, &grant, &actor.audit_label(), now)
            .await?;
        tx.insert_audit(&[crate::audit::entry(
            actor,
            now,
            AuditAction::RoleGranted,
            Some(organisation.id),
            "person",
            Some(person.id.0),
            serde_json::json!({ "role": grant.role.as_str() }),
        )])
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The app as it was `days` ago: what the demo does through it carries that date, so waiting
/// times, authorisations and training read as they would in a scheme running for months.
fn days_ago(app: &App, days: i64) -> App {
    App::new(
        app.store.clone(),
        std::sync::Arc::new(tandem_core::FixedClock::at(
            app.clock.now() - time::Duration::days(days.max(0)),
        )),
    )
}

/// How long ago the demo's invitations went out, before anyone invited applied.
const INVITED_DAYS_AGO: i64 = 30;

/// How many of each a scheme gets in the demo, by how it runs.
fn demo_numbers(policy: &tandem_core::policy::SchemePolicy) -> (usize, usize) {
    use tandem_core::policy::SchemeKind;
    match policy.kind {
        SchemeKind::Traditional
            if policy.matching == tandem_core::policy::MatchingMode::Champion =>
        {
            (14, 36)
        }
        SchemeKind::Traditional => (8, 16),
        SchemeKind::Reverse => (3, 3),
        _ => (2, 2),
    }
}

/// A deterministic pick of `count` topics for the person at `index`.
fn demo_topics(topics: &[String], index: usize, count: usize) -> Vec<String> {
    (0..count)
        .filter_map(|k| {
            topics
                .get((index * 7 + k * 3) % topics.len().max(1))
                .cloned()
        })
        .collect()
}

/// Applications in every state, made through the same use cases people use: mentors available,
/// mentees on waiting lists, applications waiting for a line manager, one sent in confidence to
/// the coordinator, and one declined with its reason.
/// For each scheme by invitation, the coordinator's list of people who take part nowhere else
/// yet: one more person than will apply, so the list shows someone who has not answered.
async fn seed_invitations(app: &App, actor: &Actor, site: &str) -> Result<(), AppError> {
    use tandem_core::eligibility::{self, Role};

    let mut tx = app.store.begin_read().await?;
    let organisations = tx.organisations().await?;
    let everyone = tx.all_people().await?;
    let mut schemes = Vec::new();
    for organisation in &organisations {
        for scheme in tx.schemes_of(organisation.id).await? {
            schemes.push((organisation.clone(), scheme));
        }
    }
    // Staff who run the schemes, and people already taking part, are not invited.
    let mut busy: std::collections::HashSet<tandem_core::PersonId> = tx
        .all_grants()
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    for (_, scheme) in &schemes {
        for application in tx.applications_to_scheme(scheme.id).await? {
            busy.insert(application.person);
        }
    }
    tx.rollback().await?;
    let mut invited: std::collections::HashSet<tandem_core::PersonId> =
        std::collections::HashSet::new();
    for (owner, scheme) in &schemes {
        let policy = &scheme.definition.policy;
        let (mentors_wanted, mentees_wanted) = demo_numbers(policy);
        // Mentees first: there are fewer people who fit them.
        for role in crate::invitations::roles_by_invitation(scheme)
            .into_iter()
            .rev()
        {
            let (rules, wanted) = match role {
                Role::Mentor => (&policy.eligibility.mentor, mentors_wanted + 1),
                Role::Mentee => (&policy.eligibility.mentee, mentees_wanted + 1),
            };
            let level = |person: &tandem_core::hr::ExistingPerson| {
                owner
                    .rank_bands
                    .band_of(&person.record.rank_or_grade)
                    .map_or(0, |band| band.level)
            };
            // Where mentors must be senior, a mentee below every mentor band can be matched.
            let below = (role == Role::Mentee
                && policy.rank_direction == tandem_core::policy::RankDirection::MentorSenior)
                .then(|| {
                    owner
                        .rank_bands
                        .bands()
                        .iter()
                        .filter(|band| policy.eligibility.mentor.rank_bands.contains(&band.code))
                        .map(|band| band.level)
                        .min()
                })
                .flatten();
            let mut found: Vec<&tandem_core::hr::ExistingPerson> = everyone
                .iter()
                .filter(|person| !invited.contains(&person.id) && !busy.contains(&person.id))
                .filter(|person| below.is_none_or(|cap| level(person) < cap))
                // Stage 5 candidates, and those who passed recently, are senior officers below
                // the chief officer ranks.
                .filter(|person| (4..=6).contains(&level(person)))
                .filter(|person| {
                    let band = owner.rank_bands.band_of(&person.record.rank_or_grade);
                    eligibility::assess(rules, &person.record, band, true).is_empty()
                })
                .collect();
            // The most senior first: stage 5 candidates are chief officers in waiting.
            found.sort_by_key(|person| {
                // From the end of the staff list: the open schemes take from its start.
                (
                    std::cmp::Reverse(level(person)),
                    std::cmp::Reverse(person.record.staff_number.to_string()),
                )
            });
            let mut made = 0;
            for person in found {
                if made == wanted {
                    break;
                }
                match crate::invitations::invite(
                    &days_ago(app, INVITED_DAYS_AGO),
                    actor,
                    owner.id,
                    &scheme.definition.key,
                    crate::invitations::NewInvitation {
                        email: person.record.email.as_ref(),
                        role,
                        note: "Stage 5 assessment, spring cohort",
                    },
                    site,
                )
                .await
                {
                    Ok(_) => {
                        invited.insert(person.id);
                        made += 1;
                    }
                    Err(AppError::Ineligible(_) | AppError::Conflict(_)) => {}
                    Err(other) => return Err(other),
                }
            }
        }
    }
    Ok(())
}

/// Applications in every state: to the roles open to all eligible people, or (`invited`) to the
/// roles taken by invitation, once the lists exist.
async fn seed_applications(app: &App, invited: bool, site: &str) -> Result<(), AppError> {
    use crate::applications::{self, Verdict};
    use tandem_core::application::{ApplicationForm, ApplicationStatus};
    use tandem_core::eligibility::{self, Role};
    use tandem_core::policy::RankDirection;

    let mut tx = app.store.begin_read().await?;
    let organisations = tx.organisations().await?;
    let everyone = tx.all_people().await?;
    let mut schemes = Vec::new();
    for organisation in &organisations {
        for scheme in tx.schemes_of(organisation.id).await? {
            schemes.push((organisation.clone(), scheme));
        }
    }
    tx.rollback().await?;
    let mut invitations = std::collections::HashSet::new();
    {
        let mut tx = app.store.begin_read().await?;
        for (_, scheme) in &schemes {
            for it in tx.invitations_of_scheme(scheme.id).await? {
                invitations.insert((scheme.id, it.person, it.role));
            }
        }
        tx.rollback().await?;
    }
    let organisation_of = |code: &OrgCode| organisations.iter().find(|it| &it.code == code);
    let mut taken: std::collections::HashSet<tandem_core::PersonId> =
        std::collections::HashSet::new();
    let mut national_mentors: std::collections::HashSet<tandem_core::PersonId> =
        std::collections::HashSet::new();
    // The demo's participant, so signing in as them shows a waiting place.
    let participant = summary(app, true)
        .await?
        .accounts
        .into_iter()
        .find(|it| it.role.starts_with("participant"));

    for (owner, scheme) in &schemes {
        let policy = &scheme.definition.policy;
        let (mentors_wanted, mentees_wanted) = demo_numbers(policy);
        let open_to_all = policy.cross_force || owner.kind == OrganisationKind::National;
        let level = |person: &tandem_core::hr::ExistingPerson| {
            owner
                .rank_bands
                .band_of(&person.record.rank_or_grade)
                .map_or(0, |band| band.level)
        };
        let candidates = |role: Role| {
            let rules = match role {
                Role::Mentor => &policy.eligibility.mentor,
                Role::Mentee => &policy.eligibility.mentee,
            };
            let mut found: Vec<&tandem_core::hr::ExistingPerson> = everyone
                .iter()
                .filter(|person| {
                    organisation_of(&person.record.organisation).is_some_and(|home| {
                        home.id == owner.id || (open_to_all && home.kind == OrganisationKind::Force)
                    })
                })
                .filter(|person| {
                    let band = owner.rank_bands.band_of(&person.record.rank_or_grade);
                    let invited = invitations.contains(&(scheme.id, person.id, role));
                    eligibility::assess(rules, &person.record, band, invited).is_empty()
                })
                .collect();
            // The scheme's own people first: a force's cross-force scheme is mostly its own.
            found.sort_by_key(|person| {
                (
                    person.record.organisation != owner.code,
                    person.record.organisation.to_string(),
                    person.record.staff_number.to_string(),
                )
            });
            let senior_mentors = !matches!(policy.rank_direction, RankDirection::MentorJunior);
            // People with a line manager first: the demo shows authorisations.
            let unmanaged =
                |person: &tandem_core::hr::ExistingPerson| person.record.line_manager.is_none();
            match (role, senior_mentors) {
                (Role::Mentor, true) | (Role::Mentee, false) => found
                    .sort_by_key(|person| (unmanaged(person), std::cmp::Reverse(level(person)))),
                _ => found.sort_by_key(|person| (unmanaged(person), level(person))),
            }
            found
        };
        let topics = organisation_of(&owner.code)
            .map(|it| it.topics.clone())
            .unwrap_or_default();
        let mut made = 0;
        let by_invitation = crate::invitations::roles_by_invitation(scheme);
        for (role, wanted) in [
            (Role::Mentor, mentors_wanted),
            (Role::Mentee, mentees_wanted),
        ] {
            if by_invitation.contains(&role) != invited {
                made += wanted;
                continue;
            }
            let mut chosen: Vec<&tandem_core::hr::ExistingPerson> = Vec::new();
            let mut requests = 0;
            if role == Role::Mentee
                && let Some(participant) = &participant
                && let Some(person) = everyone
                    .iter()
                    .find(|it| it.record.email.as_ref() == participant.email)
                && person.record.organisation == owner.code
                && !taken.contains(&person.id)
            {
                chosen.push(person);
            }
            for person in candidates(role) {
                if chosen.len() >= wanted {
                    break;
                }
                // A chief officer may mentor in several national schemes at once.
                let free = !taken.contains(&person.id)
                    || (role == Role::Mentor
                        && owner.kind == OrganisationKind::National
                        && national_mentors.contains(&person.id));
                if free && !chosen.iter().any(|it| it.id == person.id) {
                    chosen.push(person);
                }
            }
            for (index, person) in chosen.into_iter().enumerate() {
                let Some(home) = organisation_of(&person.record.organisation) else {
                    continue;
                };
                let actor = Actor::Person {
                    id: person.id,
                    organisation: home.id,
                    grants: Vec::new(),
                };
                let form = ApplicationForm {
                    summary: match role {
                        Role::Mentor => format!(
                            "{} with experience across {}; happy to help with career steps and leadership.",
                            person.record.rank_or_grade,
                            person
                                .record
                                .department
                                .as_ref()
                                .map_or("the organisation", |it| it.as_ref())
                        ),
                        Role::Mentee => {
                            "I want to build my confidence and prepare for my next role.".to_owned()
                        }
                    },
                    topics: demo_topics(
                        &topics,
                        made + index,
                        if role == Role::Mentor { 3 } else { 2 },
                    ),
                    capacity: policy.max_mentees_per_mentor.min(2).to_string(),
                    location: person
                        .record
                        .location
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    will_travel: index % 2 == 0,
                    remote_ok: open_to_all || index % 3 != 0,
                    availability: vec!["tue-pm".to_owned(), "thu-am".to_owned()],
                    statement_of_suitability: true,
                    mentor_agreement: true,
                    ethics_acknowledged: index % 5 != 4,
                    confidential: policy.line_manager_approval
                        && role == Role::Mentee
                        && index == 1,
                    ..ApplicationForm::default()
                };
                // Open roles applied weeks or months ago; invited people since their invitation.
                let age = if invited {
                    5 + i64::try_from((made + index) * 4 % 20).unwrap_or(0)
                } else {
                    21 + i64::try_from((made + index) * 37 % 170).unwrap_or(0)
                };
                let applied = match applications::apply(
                    &days_ago(app, age),
                    &actor,
                    &owner.code,
                    &scheme.definition.key,
                    role,
                    &form,
                    site,
                )
                .await
                {
                    Ok(applied) => applied,
                    Err(AppError::Ineligible(_) | AppError::Invalid(_)) => continue,
                    Err(other) => return Err(other),
                };
                taken.insert(person.id);
                if role == Role::Mentor && owner.kind == OrganisationKind::National {
                    national_mentors.insert(person.id);
                }
                if applied.status == ApplicationStatus::AwaitingManager
                    && let Some(manager) = applied.approver
                {
                    // Most managers have answered; a few have not yet, and one said no.
                    requests += 1;
                    let verdict = match requests % 4 {
                        2 => None,
                        0 if requests == 4 => Some(Verdict::Decline {
                            reason: "Not while the team is short-staffed over the winter; please apply again in the spring.".to_owned(),
                        }),
                        _ => Some(Verdict::Approve),
                    };
                    if let Some(verdict) = verdict {
                        let manager_org = everyone
                            .iter()
                            .find(|it| it.id == manager)
                            .and_then(|it| organisation_of(&it.record.organisation))
                            .map_or(home.id, |it| it.id);
                        let manager = Actor::Person {
                            id: manager,
                            organisation: manager_org,
                            grants: Vec::new(),
                        };
                        // The manager answers within a week of the application.
                        let answered = age - 2 - i64::try_from(index % 5).unwrap_or(0);
                        applications::decide(
                            &days_ago(app, answered),
                            &manager,
                            applied.id,
                            verdict,
                            site,
                        )
                        .await?;
                    }
                }
            }
            made += wanted;
        }
    }
    Ok(())
}

/// Training done for most applicants, a proposal for every scheme the coordinators match, some
/// pairs confirmed, and in a scheme where mentees choose, a request answered and one waiting.
async fn seed_matching(app: &App, actor: &Actor, site: &str) -> Result<(), AppError> {
    use crate::matching;
    use tandem_core::application::ApplicationStatus;
    use tandem_core::eligibility::Role;
    use tandem_core::policy::MatchingMode;

    let today = app.clock.now().date();
    let mut tx = app.store.begin_read().await?;
    let mut schemes = Vec::new();
    for organisation in tx.organisations().await? {
        for scheme in tx.schemes_of(organisation.id).await? {
            let applications = tx.applications_to_scheme(scheme.id).await?;
            schemes.push((organisation.clone(), scheme, applications));
        }
    }
    tx.rollback().await?;
    for (organisation, scheme, applications) in schemes {
        let policy = &scheme.definition.policy;
        // Three in four of each role have done their training; the rest show the block on
        // matching and can be booked on a workshop.
        let mut seen = [0_usize; 2];
        for application in &applications {
            let needs =
                tandem_core::training::required_training(policy, application.role).is_some();
            if !needs || !application.status.is_open() {
                continue;
            }
            let count = &mut seen[usize::from(application.role == Role::Mentee)];
            *count += 1;
            if *count % 4 != 0 {
                // A workshop within a fortnight or so of applying.
                let on = (application.submitted_at.date()
                    + time::Duration::days(3 + i64::try_from(*count % 12).unwrap_or(0)))
                .min(today);
                crate::training::record_completion(app, actor, application.id, on).await?;
            }
        }
        let approved = |role: Role| {
            applications
                .iter()
                .filter(move |it| it.role == role && it.status == ApplicationStatus::Approved)
        };
        if policy.matching == MatchingMode::SelfSelect {
            // Mentees choose: one request accepted, one waiting for the mentor.
            let mentors: Vec<_> = approved(Role::Mentor).collect();
            let (mut accepted, mut waiting) = (false, false);
            for mentee in approved(Role::Mentee) {
                if accepted && waiting {
                    break;
                }
                let asker = Actor::Person {
                    id: mentee.person,
                    organisation: organisation.id,
                    grants: Vec::new(),
                };
                for mentor in &mentors {
                    let Ok(request) = matching::request(app, &asker, mentor.id, site).await else {
                        continue;
                    };
                    if accepted {
                        waiting = true;
                        break;
                    }
                    let answerer = Actor::Person {
                        id: mentor.person,
                        organisation: organisation.id,
                        grants: Vec::new(),
                    };
                    if matching::answer_request(app, &answerer, request.id, true, "", site)
                        .await
                        .is_ok()
                    {
                        accepted = true;
                        break;
                    }
                    // Not ready to be confirmed yet (say, an ethics statement not accepted).
                    matching::answer_request(app, &asker, request.id, false, "", site).await?;
                }
            }
            continue;
        }
        if approved(Role::Mentee).next().is_none() || approved(Role::Mentor).next().is_none() {
            continue;
        }
        matching::propose(app, actor, organisation.id, &scheme.definition.key).await?;
        // Confirm about a third of the proposals (passing over those not ready to be
        // confirmed); the rest wait on the board for a newcomer.
        let board = matching::board(app, actor, organisation.id, &scheme.definition.key).await?;
        let take = board.proposed.len().div_ceil(3);
        let mut confirmed = 0;
        for view in &board.proposed {
            if confirmed == take {
                break;
            }
            match matching::confirm(app, actor, view.pair.id, site).await {
                Ok(()) => confirmed += 1,
                Err(AppError::Conflict(_) | AppError::RuleBroken(_)) => {}
                Err(other) => return Err(other),
            }
        }
    }
    Ok(())
}

/// The password every demo person signs in with.
pub const DEMO_PASSWORD: &str = "mentoring-demo";

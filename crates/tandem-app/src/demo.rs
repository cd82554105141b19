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

/// A person the demo gave a staff role, to show to a newcomer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    /// Organisation code.
    pub organisation: String,
    /// Full name.
    pub name: String,
    /// Email (their sign-in).
    pub email: String,
    /// Role and scope, in words.
    pub role: String,
}

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
/// changes nothing and reports what is there.
pub async fn seed(app: &App, actor: &Actor) -> Result<DemoSummary, AppError> {
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
        seed_applications(app, false).await?;
        seed_invitations(app, actor).await?;
        seed_applications(app, true).await?;
        seed_matching(app, actor).await?;
        relationships::seed(app).await?;
        support_groups::seed(app).await?;
    }
    summary(app, seeded).await
}

mod relationships;
mod support_groups;

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

/// The demo's links in emails point here until an operator sets `--public-url`.
const DEMO_URL: &str = "http://127.0.0.1:8080";

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
async fn seed_invitations(app: &App, actor: &Actor) -> Result<(), AppError> {
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
                    app,
                    actor,
                    owner.id,
                    &scheme.definition.key,
                    crate::invitations::NewInvitation {
                        email: person.record.email.as_ref(),
                        role,
                        note: "Stage 5 assessment, spring cohort",
                    },
                    DEMO_URL,
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
async fn seed_applications(app: &App, invited: bool) -> Result<(), AppError> {
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
                let applied = match applications::apply(
                    app,
                    &actor,
                    &owner.code,
                    &scheme.definition.key,
                    role,
                    &form,
                    DEMO_URL,
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
                        applications::decide(app, &manager, applied.id, verdict, DEMO_URL).await?;
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
async fn seed_matching(app: &App, actor: &Actor) -> Result<(), AppError> {
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
                let on = today - time::Duration::days(7 + i64::try_from(*count).unwrap_or(0));
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
                    let Ok(request) = matching::request(app, &asker, mentor.id, DEMO_URL).await
                    else {
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
                    if matching::answer_request(app, &answerer, request.id, true, "", DEMO_URL)
                        .await
                        .is_ok()
                    {
                        accepted = true;
                        break;
                    }
                    // Not ready to be confirmed yet (say, an ethics statement not accepted).
                    matching::answer_request(app, &asker, request.id, false, "", DEMO_URL).await?;
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
            match matching::confirm(app, actor, view.pair.id, DEMO_URL).await {
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

async fn summary(app: &App, seeded: bool) -> Result<DemoSummary, AppError> {
    let mut tx = app.store.begin_read().await?;
    let mut summary = DemoSummary {
        seeded,
        people: Vec::new(),
        schemes: Vec::new(),
        accounts: Vec::new(),
    };
    let organisations = tx.organisations().await?;
    for organisation in &organisations {
        summary.people.push((
            organisation.code.to_string(),
            tx.count_people(organisation.id).await?,
        ));
        summary.schemes.push((
            organisation.code.to_string(),
            tx.schemes_of(organisation.id).await?.len(),
        ));
    }
    for (person, grant) in tx.all_grants().await? {
        let person = tx.person(person).await?;
        let scope = match &grant.scope {
            Scope::Installation => "installation".to_owned(),
            Scope::Organisation(_) => person.record.organisation.to_string(),
            Scope::Division { division, .. } => {
                format!("{} / {division}", person.record.organisation)
            }
            Scope::Scheme { .. } => format!("{} scheme", person.record.organisation),
        };
        summary.accounts.push(DemoAccount {
            organisation: person.record.organisation.to_string(),
            name: person.record.full_name(),
            email: person.record.email.to_string(),
            role: format!("{} ({scope})", grant.role),
        });
    }
    // A line manager and a member of staff to look around as, from the largest force.
    if let Some(force) = organisations
        .iter()
        .find(|it| it.code.as_ref() == "police-scotland")
    {
        let people = tx.people_of(force.id).await?;
        let managers: std::collections::HashSet<&tandem_core::domain::StaffNumber> = people
            .iter()
            .filter_map(|person| person.record.line_manager.as_ref())
            .collect();
        let serving = |person: &&tandem_core::hr::ExistingPerson| {
            person.record.employment_status == tandem_core::domain::EmploymentStatus::Serving
                && !person.record.on_probation
        };
        let sergeant = people.iter().filter(serving).find(|person| {
            person.record.rank_or_grade.as_ref() == "Sergeant"
                && managers.contains(&person.record.staff_number)
        });
        let constable = people.iter().filter(serving).find(|person| {
            person.record.rank_or_grade.as_ref() == "Constable"
                && !managers.contains(&person.record.staff_number)
        });
        for (person, role) in [
            (sergeant, "line manager (police-scotland)"),
            (constable, "participant (police-scotland)"),
        ] {
            if let Some(person) = person {
                summary.accounts.push(DemoAccount {
                    organisation: person.record.organisation.to_string(),
                    name: person.record.full_name(),
                    email: person.record.email.to_string(),
                    role: role.to_owned(),
                });
            }
        }
    }
    // A line manager with a request waiting, and the person who asked, from a force whose
    // schemes need the manager's authorisation.
    for organisation in &organisations {
        let mut pending = None;
        for scheme in tx.schemes_of(organisation.id).await? {
            pending = tx
                .applications_to_scheme(scheme.id)
                .await?
                .into_iter()
                .find(|it| {
                    it.status == tandem_core::application::ApplicationStatus::AwaitingManager
                });
            if pending.is_some() {
                break;
            }
        }
        let Some(pending) = pending else { continue };
        let Some(manager) = pending.approver else {
            continue;
        };
        for (id, role) in [
            (manager, "line manager"),
            (pending.person, "applicant waiting for their manager"),
        ] {
            let person = tx.person(id).await?;
            summary.accounts.push(DemoAccount {
                organisation: person.record.organisation.to_string(),
                name: person.record.full_name(),
                email: person.record.email.to_string(),
                role: format!("{role} ({})", organisation.code),
            });
        }
    }
    // The two members of a pair who met yesterday for their introductory meeting, to go on as.
    if let Some(force) = organisations
        .iter()
        .find(|it| it.code.as_ref() == "police-scotland")
    {
        let now = app.clock.now();
        'schemes: for scheme in tx.schemes_of(force.id).await? {
            for pair in tx.matches_of_scheme(scheme.id).await? {
                if pair.status != tandem_core::pairing::MatchStatus::Introductory {
                    continue;
                }
                let met = tx.meetings_of(pair.id).await?.iter().any(|it| {
                    it.kind == tandem_core::relationship::MeetingKind::Introductory
                        && it.starts_at <= now
                });
                if !met {
                    continue;
                }
                for (id, role) in [
                    (pair.mentor, "mentor after the introductory meeting"),
                    (pair.mentee, "mentee after the introductory meeting"),
                ] {
                    let person = tx.person(id).await?;
                    summary.accounts.push(DemoAccount {
                        organisation: person.record.organisation.to_string(),
                        name: person.record.full_name(),
                        email: person.record.email.to_string(),
                        role: format!("{role} ({})", force.code),
                    });
                }
                break 'schemes;
            }
        }
    }
    // The two members of an active relationship in each programme, to look at its page as.
    for organisation in &organisations {
        let mut active = None;
        for scheme in tx.schemes_of(organisation.id).await? {
            active = tx
                .matches_of_scheme(scheme.id)
                .await?
                .into_iter()
                .find(|it| it.status == tandem_core::pairing::MatchStatus::Active);
            if active.is_some() {
                break;
            }
        }
        let Some(pair) = active else { continue };
        for (id, role) in [
            (pair.mentor, "mentor in an active relationship"),
            (pair.mentee, "mentee in an active relationship"),
        ] {
            let person = tx.person(id).await?;
            summary.accounts.push(DemoAccount {
                organisation: person.record.organisation.to_string(),
                name: person.record.full_name(),
                email: person.record.email.to_string(),
                role: format!("{role} ({})", organisation.code),
            });
        }
    }
    // The two members of a pair just confirmed, before the introductory meeting is arranged.
    for organisation in &organisations {
        let mut fresh = None;
        'schemes: for scheme in tx.schemes_of(organisation.id).await? {
            for pair in tx.matches_of_scheme(scheme.id).await? {
                if pair.status == tandem_core::pairing::MatchStatus::Introductory
                    && tx.meetings_of(pair.id).await?.is_empty()
                {
                    fresh = Some(pair);
                    break 'schemes;
                }
            }
        }
        let Some(pair) = fresh else { continue };
        for (id, role) in [
            (pair.mentor, "mentor before the introductory meeting"),
            (pair.mentee, "mentee before the introductory meeting"),
        ] {
            let person = tx.person(id).await?;
            summary.accounts.push(DemoAccount {
                organisation: person.record.organisation.to_string(),
                name: person.record.full_name(),
                email: person.record.email.to_string(),
                role: format!("{role} ({})", organisation.code),
            });
        }
    }
    // A mentee approved where mentees choose their own mentor, to open the directory as.
    'found: for organisation in &organisations {
        for scheme in tx.schemes_of(organisation.id).await? {
            if scheme.definition.policy.matching != tandem_core::policy::MatchingMode::SelfSelect {
                continue;
            }
            for application in tx.applications_to_scheme(scheme.id).await? {
                if application.role != tandem_core::eligibility::Role::Mentee
                    || application.status != tandem_core::application::ApplicationStatus::Approved
                {
                    continue;
                }
                let person = tx.person(application.person).await?;
                if person.record.employment_status != tandem_core::domain::EmploymentStatus::Serving
                {
                    continue;
                }
                summary.accounts.push(DemoAccount {
                    organisation: person.record.organisation.to_string(),
                    name: person.record.full_name(),
                    email: person.record.email.to_string(),
                    role: format!(
                        "mentee choosing a mentor from the directory ({})",
                        organisation.code
                    ),
                });
                break 'found;
            }
        }
    }
    summary
        .accounts
        .extend(newcomers::accounts(&mut tx, &organisations).await?);
    Ok(summary)
}

/// People to try the application and matching journeys as.
mod newcomers {
    use super::DemoAccount;
    use crate::AppError;
    use std::collections::{HashMap, HashSet};
    use tandem_core::authz::{Scope, StaffRole};
    use tandem_core::domain::EmploymentStatus;
    use tandem_core::eligibility::Role;
    use tandem_core::hr::ExistingPerson;
    use tandem_core::{OrganisationKind, PersonId};

    /// What the demo knows of everyone, to pick newcomers from: who has applied to what, who holds
    /// a staff role, and each organisation's people by staff number.
    struct Directory {
        people: HashMap<String, Vec<ExistingPerson>>,
        applications: HashMap<PersonId, Vec<(String, Role, bool)>>,
        staff: HashSet<PersonId>,
    }

    impl Directory {
        fn of(&self, code: &str) -> &[ExistingPerson] {
            self.people.get(code).map_or(&[], Vec::as_slice)
        }

        /// Serving, not on probation nor under performance management, no staff role and no
        /// application anywhere: someone a journey can start from scratch.
        fn fresh(&self, person: &ExistingPerson) -> bool {
            let record = &person.record;
            record.employment_status == EmploymentStatus::Serving
                && !record.on_probation
                && !record.under_performance_management
                && !self.staff.contains(&person.id)
                && !self.applications.contains_key(&person.id)
        }

        /// The person's line managers, up the chain.
        fn chain(&self, person: &ExistingPerson) -> Vec<PersonId> {
            let colleagues = self.of(person.record.organisation.as_ref());
            let mut chain = Vec::new();
            let mut next = person.record.line_manager.clone();
            while let Some(number) = next {
                let Some(manager) = colleagues
                    .iter()
                    .find(|it| it.record.staff_number == number)
                else {
                    break;
                };
                if chain.contains(&manager.id) {
                    break;
                }
                chain.push(manager.id);
                next = manager.record.line_manager.clone();
            }
            chain
        }

        fn manager(&self, person: &ExistingPerson) -> Option<&ExistingPerson> {
            let number = person.record.line_manager.as_ref()?;
            self.of(person.record.organisation.as_ref())
                .iter()
                .find(|it| &it.record.staff_number == number)
        }
    }

    fn account(person: &ExistingPerson, role: String) -> DemoAccount {
        DemoAccount {
            organisation: person.record.organisation.to_string(),
            name: person.record.full_name(),
            email: person.record.email.to_string(),
            role,
        }
    }

    /// People who have not applied to anything, to try applying, being refused and being matched
    /// as: picked deterministically (lowest staff number first) from the seeded workforce.
    pub(super) async fn accounts(
        tx: &mut tandem_store::Tx,
        organisations: &[tandem_core::Organisation],
    ) -> Result<Vec<DemoAccount>, AppError> {
        let mut directory = Directory {
            people: HashMap::new(),
            applications: HashMap::new(),
            staff: tx
                .all_grants()
                .await?
                .into_iter()
                .map(|(id, _)| id)
                .collect(),
        };
        for organisation in organisations {
            directory.people.insert(
                organisation.code.to_string(),
                tx.people_of(organisation.id).await?,
            );
            for scheme in tx.schemes_of(organisation.id).await? {
                for application in tx.applications_to_scheme(scheme.id).await? {
                    directory
                        .applications
                        .entry(application.person)
                        .or_default()
                        .push((
                            scheme.definition.key.to_string(),
                            application.role,
                            application.status.is_open(),
                        ));
                }
            }
        }
        let mut accounts = Vec::new();
        let rank =
            |person: &ExistingPerson, rank: &str| person.record.rank_or_grade.as_ref() == rank;

        // Police Scotland: two constables and an inspector of the first champion's division (the
        // inspector outside the constables' line-management chains), a probationer and someone on
        // a career break.
        let scotland = directory.of("police-scotland");
        let division =
            tx.all_grants()
                .await?
                .into_iter()
                .find_map(|(_, grant)| match grant.scope {
                    Scope::Division { division, .. } if grant.role == StaffRole::Champion => {
                        Some(division)
                    }
                    _ => None,
                });
        if let Some(division) = division {
            let in_division = |person: &&ExistingPerson| {
                person.record.department.as_ref().map(AsRef::as_ref) == Some(division.as_str())
            };
            let constables: Vec<&ExistingPerson> = scotland
                .iter()
                .filter(in_division)
                .filter(|it| directory.fresh(it) && rank(it, "Constable"))
                .take(2)
                .collect();
            let chains: Vec<PersonId> = constables
                .iter()
                .flat_map(|it| directory.chain(it))
                .collect();
            let inspector = scotland.iter().filter(in_division).find(|it| {
                directory.fresh(it) && rank(it, "Inspector") && !chains.contains(&it.id)
            });
            for (person, role) in [
                (constables.first().copied(), "constable who has not applied"),
                (
                    constables.get(1).copied(),
                    "second constable who has not applied",
                ),
                (inspector, "inspector who has not applied"),
            ] {
                if let Some(person) = person {
                    accounts.push(account(
                        person,
                        format!("{role} (police-scotland / {division})"),
                    ));
                }
            }
        }
        let probationer = scotland.iter().find(|it| {
            it.record.on_probation
                && it.record.employment_status == EmploymentStatus::Serving
                && rank(it, "Constable")
                && !directory.applications.contains_key(&it.id)
        });
        let career_break = scotland.iter().find(|it| {
            it.record.employment_status == EmploymentStatus::CareerBreak
                && it.record.role_type != tandem_core::domain::RoleType::External
        });
        for (person, role) in [
            (probationer, "probationary constable (police-scotland)"),
            (career_break, "on a career break (police-scotland)"),
        ] {
            if let Some(person) = person {
                accounts.push(account(person, role.to_owned()));
            }
        }

        // Cleveland: a constable with a serving line manager, to apply as a mentee; a sergeant
        // outside that chain, to apply as a mentor; another constable and an inspector for the
        // reverse scheme; and someone under performance management.
        let cleveland = directory.of("cleveland");
        let mentee = cleveland.iter().find(|it| {
            directory.fresh(it)
                && rank(it, "Constable")
                && directory.manager(it).is_some_and(|manager| {
                    manager.record.employment_status == EmploymentStatus::Serving
                        && !directory.staff.contains(&manager.id)
                })
        });
        if let Some(mentee) = mentee {
            let chain = directory.chain(mentee);
            let mentor = cleveland
                .iter()
                .find(|it| directory.fresh(it) && rank(it, "Sergeant") && !chain.contains(&it.id));
            let frontline = cleveland
                .iter()
                .find(|it| directory.fresh(it) && rank(it, "Constable") && it.id != mentee.id);
            let senior = cleveland
                .iter()
                .find(|it| directory.fresh(it) && rank(it, "Inspector"));
            let under_review = cleveland.iter().find(|it| {
                it.record.under_performance_management
                    && it.record.employment_status == EmploymentStatus::Serving
                    && !directory.applications.contains_key(&it.id)
            });
            for (person, role) in [
                (Some(mentee), "mentee who has not applied (cleveland)"),
                (
                    directory.manager(mentee),
                    "manager of the mentee who has not applied (cleveland)",
                ),
                (mentor, "mentor who has not applied (cleveland)"),
                (
                    frontline,
                    "frontline constable who has not applied (cleveland)",
                ),
                (senior, "senior officer who has not applied (cleveland)"),
                (under_review, "under performance management (cleveland)"),
            ] {
                if let Some(person) = person {
                    accounts.push(account(person, role.to_owned()));
                }
            }
        }

        // The College's peer scheme for assistant chief officers: a chief officer of a force who
        // has not volunteered, and an assistant chief constable who has not asked for a peer.
        if let Some(college) = organisations
            .iter()
            .find(|it| it.code.as_ref() == "college")
        {
            let peer = "peer-acc-aco";
            let in_band = |person: &ExistingPerson| {
                college
                    .rank_bands
                    .band_of(&person.record.rank_or_grade)
                    .is_some_and(|band| band.code == "acc")
            };
            let open_as = |person: &ExistingPerson, role: Role| {
                directory
                    .applications
                    .get(&person.id)
                    .is_some_and(|list| list.iter().any(|(_, it, open)| *it == role && *open))
            };
            let applied_to_peer = |person: &ExistingPerson| {
                directory
                    .applications
                    .get(&person.id)
                    .is_some_and(|list| list.iter().any(|(key, _, _)| key == peer))
            };
            let forces: Vec<&ExistingPerson> = organisations
                .iter()
                .filter(|it| it.kind == OrganisationKind::Force)
                .flat_map(|it| directory.of(it.code.as_ref()))
                .filter(|it| {
                    it.record.employment_status == EmploymentStatus::Serving
                        && in_band(it)
                        && !applied_to_peer(it)
                })
                .collect();
            let volunteer = forces
                .iter()
                .find(|it| !open_as(it, Role::Mentee) && !rank(it, "Assistant Chief Constable"));
            let asker = forces
                .iter()
                .find(|it| !open_as(it, Role::Mentor) && rank(it, "Assistant Chief Constable"));
            // The women's network and the buddy scheme: a woman below the chief officer ranks,
            // and someone to be her buddy, neither invited nor taking part anywhere yet.
            let mut invited = HashSet::new();
            for key in ["womens-network", "stage5-buddy"] {
                let key = tandem_core::domain::SchemeKey::parse(key)
                    .map_err(|err| AppError::Conflict(err.to_string()))?;
                if let Some(scheme) = tx.scheme_by_key(college.id, &key).await? {
                    for invitation in tx.invitations_of_scheme(scheme.id).await? {
                        invited.insert(invitation.person);
                    }
                }
            }
            let senior = |person: &ExistingPerson| {
                college
                    .rank_bands
                    .band_of(&person.record.rank_or_grade)
                    .is_some_and(|band| (4..=6).contains(&band.level))
            };
            let woman = |person: &ExistingPerson| {
                let diversity = &person.record.diversity;
                [&diversity.sex, &diversity.gender_identity]
                    .into_iter()
                    .flatten()
                    .any(|it| it.as_str().eq_ignore_ascii_case("female"))
            };
            let uninvited: Vec<&ExistingPerson> = organisations
                .iter()
                .filter(|it| it.kind == OrganisationKind::Force)
                .flat_map(|it| directory.of(it.code.as_ref()))
                .filter(|it| directory.fresh(it) && senior(it) && !invited.contains(&it.id))
                .collect();
            // From another force than the volunteer, so the volunteer can be her mentor (not in
            // her line-management chain).
            let candidate = uninvited.iter().find(|it| {
                woman(it)
                    && volunteer.is_none_or(|volunteer| {
                        volunteer.record.organisation != it.record.organisation
                    })
            });
            let buddy = uninvited
                .iter()
                .find(|it| candidate.is_none_or(|candidate| candidate.id != it.id));
            for (person, role) in [
                (
                    volunteer,
                    "chief officer who has not volunteered as a peer mentor (college)",
                ),
                (
                    asker,
                    "assistant chief constable without a peer mentor (college)",
                ),
                (
                    candidate,
                    "stage 5 candidate who has not been invited (college)",
                ),
                (buddy, "buddy who has not been invited (college)"),
            ] {
                if let Some(person) = person {
                    accounts.push(account(person, role.to_owned()));
                }
            }
        }
        Ok(accounts)
    }
}

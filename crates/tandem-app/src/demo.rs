//! The demo installation: three organisations, a realistic workforce each, the three presets,
//! and staff roles for a few people, seeded through the same use cases a real installation uses.

use crate::people::{ImportRequest, ImportStage};
use crate::workforce::{DesignatedRole, WorkforceSpec, generate};
use crate::{App, AppError, organisations, people, schemes};
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
    }
    summary(app, seeded).await
}

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
            "role.granted",
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
    Ok(summary)
}

//! The demo's accounts as a tour: the people to sign in as, grouped by the journey they show,
//! each with who they are in words and what to look at; and how they are picked from what the
//! seeding made.

use super::DemoSummary;
use crate::{App, AppError};
use tandem_core::Organisation;
use tandem_core::authz::{Scope, StaffRole};
use tandem_core::hr::ExistingPerson;

/// A person to sign in as, to show a newcomer one journey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    /// Organisation code.
    pub organisation: String,
    /// Full name.
    pub name: String,
    /// Email (their sign-in).
    pub email: String,
    /// What the person is and where, as a key tools and tests find the account by:
    /// `coordinator (cleveland)`, `mentor in an active relationship (police-scotland)`.
    pub role: String,
    /// The journey the account shows.
    pub journey: Journey,
    /// Who the person is, in words: "Programme coordinator, Cleveland Police".
    pub title: String,
    /// What to look at signed in as them.
    pub shows: &'static str,
}

/// The journeys the demo's accounts show, in the order the sign-in page lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Journey {
    /// Applying, being authorised or refused, and authorising as a line manager.
    Applying,
    /// Being matched and the relationship's months.
    Mentoring,
    /// Deciding applications, matching and reporting on a programme.
    Coordinating,
    /// Settings, people and records.
    Administering,
}

impl Journey {
    /// Every journey, in the order shown.
    pub const ALL: [Self; 4] = [
        Self::Applying,
        Self::Mentoring,
        Self::Coordinating,
        Self::Administering,
    ];

    /// The journey's heading.
    pub fn heading(self) -> &'static str {
        match self {
            Self::Applying => "Applying to a scheme",
            Self::Mentoring => "Being matched and mentoring",
            Self::Coordinating => "Running a scheme",
            Self::Administering => "Administering the organisation",
        }
    }

    /// What the journey covers, in a sentence.
    pub fn summary(self) -> &'static str {
        match self {
            Self::Applying => {
                "Staff who have not applied yet, people the rules turn away, and line managers who authorise."
            }
            Self::Mentoring => {
                "Mentors and mentees at each stage: just matched, after the first meeting, and months in."
            }
            Self::Coordinating => {
                "Coordinators and champions: applications to decide, training, matching and reports."
            }
            Self::Administering => {
                "Administrators: settings, people and HR imports, schemes' rules and the audit log."
            }
        }
    }
}

/// What each kind of account shows: the part of its key before the organisation, its journey,
/// and what to look at. Every account the demo picks has a line here (a test checks).
const GUIDE: [(&str, Journey, &str); 29] = [
    (
        "national_admin",
        Journey::Administering,
        "Every force and the national body: people, the national schemes, settings and the audit log.",
    ),
    (
        "organisation_admin",
        Journey::Administering,
        "The organisation's settings, people and HR import, schemes' rules, two-factor sign-in and the audit log.",
    ),
    (
        "coordinator",
        Journey::Coordinating,
        "Applications to decide, training to record, pairs to propose and confirm, relationships and reports.",
    ),
    (
        "champion",
        Journey::Coordinating,
        "Their division's applications, pairs and figures.",
    ),
    (
        "line manager",
        Journey::Applying,
        "Applications from their team waiting for their authorisation.",
    ),
    (
        "participant",
        Journey::Applying,
        "A member of staff with an application waiting for a match.",
    ),
    (
        "applicant waiting for their manager",
        Journey::Applying,
        "An application waiting for the line manager's authorisation.",
    ),
    (
        "constable who has not applied",
        Journey::Applying,
        "Apply to be mentored from the start.",
    ),
    (
        "second constable who has not applied",
        Journey::Applying,
        "Apply to be mentored, alongside the first constable.",
    ),
    (
        "inspector who has not applied",
        Journey::Applying,
        "Apply to mentor from the start.",
    ),
    (
        "probationary constable",
        Journey::Applying,
        "Why the rules do not let someone on probation apply yet.",
    ),
    (
        "on a career break",
        Journey::Applying,
        "Why the rules do not let someone on a career break apply.",
    ),
    (
        "mentee who has not applied",
        Journey::Applying,
        "Apply to be mentored where the line manager authorises first.",
    ),
    (
        "manager of the mentee who has not applied",
        Journey::Applying,
        "Authorise, or not, that mentee's application.",
    ),
    (
        "mentor who has not applied",
        Journey::Applying,
        "Apply to mentor where the line manager authorises first.",
    ),
    (
        "frontline constable who has not applied",
        Journey::Applying,
        "Apply to mentor a senior officer in reverse mentoring.",
    ),
    (
        "senior officer who has not applied",
        Journey::Applying,
        "Apply to be mentored by a frontline officer in reverse mentoring.",
    ),
    (
        "under performance management",
        Journey::Applying,
        "Why the rules do not let someone under performance management apply.",
    ),
    (
        "chief officer who has not volunteered as a peer mentor",
        Journey::Applying,
        "Volunteer as a peer mentor in the national scheme for chief officers.",
    ),
    (
        "assistant chief constable without a peer mentor",
        Journey::Applying,
        "Ask for a peer mentor in the national scheme.",
    ),
    (
        "stage 5 candidate who has not been invited",
        Journey::Applying,
        "A scheme by invitation only: not open until the coordinator invites them.",
    ),
    (
        "buddy who has not been invited",
        Journey::Applying,
        "A scheme by invitation only, from the buddy's side.",
    ),
    (
        "mentor before the introductory meeting",
        Journey::Mentoring,
        "A pair just confirmed: arrange the first, getting-to-know-you meeting.",
    ),
    (
        "mentee before the introductory meeting",
        Journey::Mentoring,
        "A pair just confirmed, from the mentee's side.",
    ),
    (
        "mentor after the introductory meeting",
        Journey::Mentoring,
        "Decide whether to go on after the first meeting.",
    ),
    (
        "mentee after the introductory meeting",
        Journey::Mentoring,
        "Decide whether to go on, from the mentee's side.",
    ),
    (
        "mentor in an active relationship",
        Journey::Mentoring,
        "Sessions, goals, actions and reviews, kept between the pair.",
    ),
    (
        "mentee in an active relationship",
        Journey::Mentoring,
        "The same relationship from the mentee's side.",
    ),
    (
        "mentee choosing a mentor from the directory",
        Journey::Mentoring,
        "Choose a mentor from the directory and ask them.",
    ),
];

impl DemoAccount {
    /// The account of `person`, whose key is `role` (what they are, then their organisation's
    /// code and perhaps a division in brackets).
    pub(super) fn of(
        person: &ExistingPerson,
        role: String,
        organisations: &[Organisation],
    ) -> Self {
        let (what, place) = role.split_once(" (").unwrap_or((role.as_str(), ""));
        // One bracket closes the key; a division may have its own: `(… / E Division (Edinburgh))`.
        let place = place.strip_suffix(')').unwrap_or(place);
        let division = place.split_once(" / ").map(|(_, division)| division);
        let organisation = organisations
            .iter()
            .find(|it| it.code == person.record.organisation)
            .map_or_else(
                || person.record.organisation.to_string(),
                |it| it.name.clone(),
            );
        let guide = GUIDE.iter().find(|(key, _, _)| *key == what);
        let who = StaffRole::parse(what).map_or_else(
            || capitalised(what),
            |staff| {
                let scope = if place == "installation" {
                    " for the whole installation"
                } else if place.ends_with(" scheme") {
                    " of one scheme"
                } else {
                    ""
                };
                format!("{}{scope}", staff.words())
            },
        );
        let title = match division {
            Some(division) => format!("{who}, {division}, {organisation}"),
            None => format!("{who}, {organisation}"),
        };
        Self {
            organisation: person.record.organisation.to_string(),
            name: person.record.full_name(),
            email: person.record.email.to_string(),
            journey: guide.map_or(Journey::Applying, |it| it.1),
            shows: guide.map_or("", |it| it.2),
            title,
            role,
        }
    }
}

fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

pub(super) async fn summary(app: &App, seeded: bool) -> Result<DemoSummary, AppError> {
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
        summary.accounts.push(DemoAccount::of(
            &person,
            format!("{} ({scope})", grant.role),
            &organisations,
        ));
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
        let serving = |person: &&ExistingPerson| {
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
                summary
                    .accounts
                    .push(DemoAccount::of(person, role.to_owned(), &organisations));
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
            summary.accounts.push(DemoAccount::of(
                &person,
                format!("{role} ({})", organisation.code),
                &organisations,
            ));
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
                    summary.accounts.push(DemoAccount::of(
                        &person,
                        format!("{role} ({})", force.code),
                        &organisations,
                    ));
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
            summary.accounts.push(DemoAccount::of(
                &person,
                format!("{role} ({})", organisation.code),
                &organisations,
            ));
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
            summary.accounts.push(DemoAccount::of(
                &person,
                format!("{role} ({})", organisation.code),
                &organisations,
            ));
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
                summary.accounts.push(DemoAccount::of(
                    &person,
                    format!(
                        "mentee choosing a mentor from the directory ({})",
                        organisation.code
                    ),
                    &organisations,
                ));
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

    fn account(
        organisations: &[tandem_core::Organisation],
        person: &ExistingPerson,
        role: String,
    ) -> DemoAccount {
        DemoAccount::of(person, role, organisations)
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
                        organisations,
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
                accounts.push(account(organisations, person, role.to_owned()));
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
                    accounts.push(account(organisations, person, role.to_owned()));
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
                    accounts.push(account(organisations, person, role.to_owned()));
                }
            }
        }
        Ok(accounts)
    }
}

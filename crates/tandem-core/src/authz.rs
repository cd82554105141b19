//! Authorisation: the one function that decides whether an actor may take an action (DESIGN §5).
//!
//! Roles are grants of a staff role over a scope (installation, organisation, division, scheme).
//! Participant and line-manager rights come from the person's own records, not from grants.
//! Use cases call [`authorize`] before they touch anything; there is no other check to forget.

use crate::ids::{OrganisationId, PersonId, SchemeId};
use std::fmt;

/// A staff role that can be granted (R1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StaffRole {
    /// Runs the installation and every organisation in it.
    NationalAdmin,
    /// Runs one organisation: people, settings, schemes.
    OrganisationAdmin,
    /// Runs the programme (OD, Leadership and Talent team): schemes, matching, reports.
    Coordinator,
    /// Matches and supports participants in their division or scheme.
    Champion,
}

impl StaffRole {
    /// Every role, most powerful first.
    pub const ALL: [Self; 4] = [
        Self::NationalAdmin,
        Self::OrganisationAdmin,
        Self::Coordinator,
        Self::Champion,
    ];

    /// The stored token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NationalAdmin => "national_admin",
            Self::OrganisationAdmin => "organisation_admin",
            Self::Coordinator => "coordinator",
            Self::Champion => "champion",
        }
    }

    /// Parses the stored token.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == raw)
    }

    /// The role as people call it.
    pub fn words(self) -> &'static str {
        match self {
            Self::NationalAdmin => "National administrator",
            Self::OrganisationAdmin => "Organisation administrator",
            Self::Coordinator => "Programme coordinator",
            Self::Champion => "Divisional champion",
        }
    }
}

impl fmt::Display for StaffRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Where a grant applies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Everywhere.
    Installation,
    /// One organisation.
    Organisation(OrganisationId),
    /// One division (department) of an organisation.
    Division {
        /// The organisation.
        organisation: OrganisationId,
        /// The division, as the HR file names the department.
        division: String,
    },
    /// One scheme.
    Scheme {
        /// The scheme's organisation.
        organisation: OrganisationId,
        /// The scheme.
        scheme: SchemeId,
    },
}

impl Scope {
    fn organisation(&self) -> Option<OrganisationId> {
        match self {
            Self::Installation => None,
            Self::Organisation(organisation)
            | Self::Division { organisation, .. }
            | Self::Scheme { organisation, .. } => Some(*organisation),
        }
    }

    /// Whether this scope contains the whole of `organisation`.
    fn covers_organisation(&self, organisation: OrganisationId) -> bool {
        match self {
            Self::Installation => true,
            Self::Organisation(it) => *it == organisation,
            Self::Division { .. } | Self::Scheme { .. } => false,
        }
    }
}

/// A role over a scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Grant {
    /// The role.
    pub role: StaffRole,
    /// Where it applies.
    pub scope: Scope,
}

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Someone not signed in.
    Anonymous,
    /// Someone at the command line with direct access to the database; named for the audit log.
    Operator {
        /// Who, as the operating system knows them.
        name: String,
    },
    /// An integration calling the JSON API with a token an administrator issued.
    Token {
        /// The token's id (never its secret).
        id: uuid::Uuid,
        /// The organisation it is limited to; `None` for an installation-wide token.
        organisation: Option<OrganisationId>,
        /// It may change things, not only read them.
        write: bool,
    },
    /// The product itself, doing what nobody asked for at the time (the reminder sweep, a
    /// background job's bookkeeping). It reads metadata it needs and never reads a pair's
    /// content.
    System,
    /// A signed-in person.
    Person {
        /// Who.
        id: PersonId,
        /// Their organisation.
        organisation: OrganisationId,
        /// Their staff roles.
        grants: Vec<Grant>,
    },
}

impl Actor {
    /// The label written to the audit log.
    pub fn audit_label(&self) -> String {
        match self {
            Self::Anonymous => "anonymous".to_owned(),
            Self::System => "system".to_owned(),
            Self::Operator { name } => format!("operator:{name}"),
            Self::Token { id, .. } => format!("token:{id}"),
            Self::Person { id, .. } => format!("person:{id}"),
        }
    }

    /// The person an audit label (from [`Actor::audit_label`]) names, if it names a person.
    pub fn person_in_label(label: &str) -> Option<PersonId> {
        label
            .strip_prefix("person:")
            .and_then(|id| uuid::Uuid::parse_str(id).ok())
            .map(PersonId)
    }

    /// Who an audit label names, in words, when it is not a person (a person's name is in the
    /// directory, not in the label): "an operator at the command line", "an API token".
    pub fn label_words(label: &str) -> Option<String> {
        if let Some(name) = label.strip_prefix("operator:") {
            let name = name.trim();
            return Some(if name.is_empty() || name == "unknown" {
                "an operator at the command line".to_owned()
            } else {
                format!("{name}, an operator at the command line")
            });
        }
        if label.starts_with("token:") {
            return Some("an integration using an API token".to_owned());
        }
        match label {
            "system" => Some("Tandem, automatically".to_owned()),
            "anonymous" => Some("someone not signed in".to_owned()),
            _ => None,
        }
    }

    /// The person acting, if a person is.
    pub fn person(&self) -> Option<PersonId> {
        match self {
            Self::Anonymous | Self::System | Self::Operator { .. } | Self::Token { .. } => None,
            Self::Person { id, .. } => Some(*id),
        }
    }
}

/// Something an actor wants to do, with the resource it touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// See the public catalogue: organisations and the names, descriptions and status of their schemes.
    ViewCatalogue,
    /// Create an organisation (including by an import that names a new one).
    CreateOrganisation,
    /// Import HR data into an organisation.
    ImportPeople(OrganisationId),
    /// Export an organisation's HR data.
    ExportPeople(OrganisationId),
    /// Read an organisation's people directory.
    ViewPeople(OrganisationId),
    /// Create, change, open or close an organisation's schemes.
    ManageSchemes(OrganisationId),
    /// Change an organisation's settings (name, marking, rank bands, topics, time zone).
    ManageOrganisation(OrganisationId),
    /// See an organisation's schemes (names, policies, status).
    ViewSchemes(OrganisationId),
    /// Give or take away a staff role over a scope within `organisation` (`None`: installation).
    ManageRoles {
        /// The organisation the grant's scope lies in; `None` for the installation.
        organisation: Option<OrganisationId>,
        /// The role given or taken away.
        role: StaffRole,
    },
    /// Read the audit log of an organisation (`None`: the whole installation).
    ViewAudit(Option<OrganisationId>),
    /// Issue or revoke API tokens for an organisation (`None`: installation-wide tokens).
    ManageApiTokens(Option<OrganisationId>),
    /// Apply to a scheme, for oneself.
    Apply,
    /// Withdraw one's own application, or acknowledge the ethics statement on it.
    ActOnOwnApplication {
        /// The applicant.
        applicant: PersonId,
    },
    /// Authorise or decline an application as the applicant's line manager (R3.4).
    DecideAsLineManager {
        /// The manager the application was sent to.
        manager: PersonId,
    },
    /// Open a scheme's list of applications (each row is then checked with `ViewApplications`).
    ViewApplicationList {
        /// The organisation running the scheme.
        organisation: OrganisationId,
        /// The scheme.
        scheme: SchemeId,
    },
    /// See the applications to a scheme from one applicant's division.
    ViewApplications(ApplicationScope),
    /// Decide applications that came to the coordinator, set waiting-list priority.
    ManageApplications(ApplicationScope),
    /// Read or write what a pair keeps in confidence (R8.1): meetings' details, goals, notes,
    /// actions, reviews, evaluations. Only the two of them, whoever else asks: no staff role,
    /// operator, token or the product itself.
    PairContent(PairMembers),
    /// Make a move in one's own relationship (arrange a meeting, go on, hold, close, withdraw).
    ActInPair(PairMembers),
    /// See relationships' state, dates and counts (never content) for one mentee's division
    /// of a scheme.
    ViewRelationships(ApplicationScope),
    /// Act on relationships as their coordinator or champion (end one early, decide a flag).
    ManageRelationships(ApplicationScope),
    /// Read and answer the concerns raised in a scheme's relationships (R8.2): its
    /// coordinators only, as people; no champion, administrator, operator or token.
    HandleConcerns(ApplicationScope),
    /// Keep one's own settings: reasonable adjustments (R8.5), the inbox and how one is emailed
    /// (R9).
    OwnSettings {
        /// Whose.
        person: PersonId,
    },
    /// See a programme's dashboards (R10.1): counts, never a person or a pair.
    ViewReports(ReportScope),
    /// Dispose of an organisation's records past their retention (R8.3): the sweep, an
    /// operator, or its administrators. Content goes unread; the register stays.
    DisposeRecords(OrganisationId),
    /// Download everything held on a person (R8.4 subject access): the person themself, or an
    /// administrator of their organisation, who answers the request on their behalf.
    ExportPersonData {
        /// Whose data.
        person: PersonId,
        /// Their organisation.
        organisation: OrganisationId,
    },
    /// Erase a person of this organisation (R8.4): their personal data and content go, the
    /// register stays. Administrators only; nobody erases themselves by accident.
    ErasePerson(OrganisationId),
    /// Reset a person's two-factor sign-in (a lost phone and no recovery code) in this
    /// organisation: administrators only; a person turns off their own with a code.
    ResetTwoFactor(OrganisationId),
    /// Set a person's password (their own, or as an administrator of their organisation).
    SetPassword {
        /// Whose password.
        person: PersonId,
        /// Their organisation.
        organisation: OrganisationId,
    },
}

/// Where an application sits, for deciding who may see or decide it: the scheme and the
/// applicant's division. Champions see their division's applicants and their scheme's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationScope {
    /// The organisation running the scheme.
    pub organisation: OrganisationId,
    /// The scheme.
    pub scheme: SchemeId,
    /// The applicant's division (department), if the HR record has one.
    pub division: Option<String>,
}

impl ApplicationScope {
    /// Whether a grant's scope reaches this application.
    fn reached_by(&self, scope: &Scope) -> bool {
        match scope {
            Scope::Installation => true,
            Scope::Organisation(organisation) => *organisation == self.organisation,
            Scope::Division {
                organisation,
                division,
            } => {
                *organisation == self.organisation
                    && self.division.as_deref() == Some(division.as_str())
            }
            Scope::Scheme {
                organisation,
                scheme,
            } => *organisation == self.organisation && *scheme == self.scheme,
        }
    }
}

/// What a report covers: an organisation's schemes, perhaps narrowed to one scheme or to one
/// division's people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportScope {
    /// The organisation running the schemes.
    pub organisation: OrganisationId,
    /// Only this scheme.
    pub scheme: Option<SchemeId>,
    /// Only people of this division (department).
    pub division: Option<String>,
}

impl ReportScope {
    /// Whether a grant's scope reaches everything the report counts: a champion of a division
    /// sees their division's figures, a scheme's coordinator that scheme's, never the whole.
    fn reached_by(&self, scope: &Scope) -> bool {
        match scope {
            Scope::Installation => true,
            Scope::Organisation(organisation) => *organisation == self.organisation,
            Scope::Division {
                organisation,
                division,
            } => {
                *organisation == self.organisation
                    && self.division.as_deref() == Some(division.as_str())
            }
            Scope::Scheme {
                organisation,
                scheme,
            } => *organisation == self.organisation && self.scheme == Some(*scheme),
        }
    }
}

/// The two people of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairMembers {
    /// The mentor.
    pub mentor: PersonId,
    /// The mentee.
    pub mentee: PersonId,
}

impl PairMembers {
    /// Whether `person` is one of the two.
    pub fn includes(self, person: Option<PersonId>) -> bool {
        person.is_some_and(|it| it == self.mentor || it == self.mentee)
    }
}

/// What of a scheme's applications and relationships an actor may reach: the store applies it
/// as a filter, so a list never holds a row the actor may not see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Every applicant and pair of the scheme.
    Scheme,
    /// Those whose mentee works in one of these divisions (a divisional champion's cohort).
    Divisions(Vec<String>),
    /// None of them.
    Nothing,
}

impl Reach {
    /// The divisions to filter by, or `None` for the whole scheme.
    pub fn divisions(&self) -> Option<&[String]> {
        match self {
            Self::Scheme => None,
            Self::Divisions(divisions) => Some(divisions),
            Self::Nothing => Some(&[]),
        }
    }
}

/// What of `scheme` (run by `organisation`) `actor` may reach, to view (`manage` false) or to
/// act on (`manage` true): the same rule as `ViewApplications`/`ManageApplications`, answered
/// for a whole list at once.
pub fn reach(actor: &Actor, organisation: OrganisationId, scheme: SchemeId, manage: bool) -> Reach {
    let scope = |division: Option<String>| ApplicationScope {
        organisation,
        scheme,
        division,
    };
    let action = |scope: ApplicationScope| {
        if manage {
            Action::ManageApplications(scope)
        } else {
            Action::ViewApplications(scope)
        }
    };
    if authorize(actor, &action(scope(None))).is_ok() {
        return Reach::Scheme;
    }
    let mut divisions: Vec<String> = match actor {
        Actor::Person { grants, .. } => grants
            .iter()
            .filter_map(|grant| match &grant.scope {
                Scope::Division {
                    organisation: it,
                    division,
                } if *it == organisation => Some(division.clone()),
                _ => None,
            })
            .filter(|division| authorize(actor, &action(scope(Some(division.clone())))).is_ok())
            .collect(),
        _ => Vec::new(),
    };
    divisions.sort();
    divisions.dedup();
    if divisions.is_empty() {
        Reach::Nothing
    } else {
        Reach::Divisions(divisions)
    }
}

/// The actor may not take the action; the reason is safe to show them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not allowed: {reason}")]
pub struct Denied {
    /// Why, in words the actor can act on.
    pub reason: String,
}

/// Decides whether `actor` may take `action`. The only place such a decision is made.
pub fn authorize(actor: &Actor, action: &Action) -> Result<(), Denied> {
    if *action == Action::ViewCatalogue {
        return Ok(());
    }
    // A pair's own business is decided before anything else: no kind of actor gets past it
    // without being one of the two, operators and the product itself included.
    if let Action::PairContent(pair) | Action::ActInPair(pair) = action {
        return if pair.includes(actor.person()) {
            Ok(())
        } else {
            Err(Denied {
                reason: denial_reason(action),
            })
        };
    }
    // What a member raised beyond the pair goes to the scheme's coordinators, and to no one
    // else whatever their other powers.
    if let Action::HandleConcerns(scope) = action {
        let coordinates = matches!(actor, Actor::Person { grants, .. } if grants
            .iter()
            .any(|grant| grant.role == Coordinator && scope.reached_by(&grant.scope)));
        return if coordinates {
            Ok(())
        } else {
            Err(Denied {
                reason: denial_reason(action),
            })
        };
    }
    let grants = match actor {
        Actor::System => {
            return match action {
                Action::ViewRelationships(_)
                | Action::ViewApplications(_)
                | Action::DisposeRecords(_) => Ok(()),
                _ => Err(Denied {
                    reason: "the product does this only when a person asks".to_owned(),
                }),
            };
        }
        Actor::Operator { .. } => return Ok(()),
        Actor::Anonymous => {
            return Err(Denied {
                reason: "sign in first".to_owned(),
            });
        }
        Actor::Token {
            organisation,
            write,
            ..
        } => return token_may(*organisation, *write, action),
        Actor::Person { grants, .. } => grants,
    };
    let holds = |roles: &[StaffRole], organisation: Option<OrganisationId>| {
        grants.iter().any(|grant| {
            roles.contains(&grant.role)
                && match organisation {
                    None => grant.scope == Scope::Installation,
                    Some(organisation) => grant.scope.covers_organisation(organisation),
                }
        })
    };
    use StaffRole::{Champion, Coordinator, NationalAdmin, OrganisationAdmin};
    let reaches = |roles: &[StaffRole], scope: &ApplicationScope| {
        grants
            .iter()
            .any(|grant| roles.contains(&grant.role) && scope.reached_by(&grant.scope))
    };
    let allowed = match action {
        Action::Apply => true,
        Action::ActOnOwnApplication { applicant } => actor.person() == Some(*applicant),
        Action::DecideAsLineManager { manager } => actor.person() == Some(*manager),
        Action::ViewApplicationList {
            organisation,
            scheme,
        } => grants.iter().any(|grant| match &grant.scope {
            Scope::Installation => grant.role == NationalAdmin,
            Scope::Organisation(it)
            | Scope::Division {
                organisation: it, ..
            } => it == organisation,
            Scope::Scheme {
                organisation: it,
                scheme: its,
            } => it == organisation && its == scheme,
        }),
        Action::ViewApplications(scope)
        | Action::ManageApplications(scope)
        | Action::ViewRelationships(scope)
        | Action::ManageRelationships(scope) => reaches(
            &[NationalAdmin, OrganisationAdmin, Coordinator, Champion],
            scope,
        ),
        // Decided above, before the actor's kind.
        Action::PairContent(_) | Action::ActInPair(_) | Action::HandleConcerns(_) => false,
        Action::OwnSettings { person } => actor.person() == Some(*person),
        Action::ViewReports(scope) => grants.iter().any(|grant| scope.reached_by(&grant.scope)),
        Action::ViewCatalogue => true,
        Action::CreateOrganisation => holds(&[NationalAdmin], None),
        Action::ImportPeople(organisation)
        | Action::ExportPeople(organisation)
        | Action::ErasePerson(organisation)
        | Action::ResetTwoFactor(organisation)
        | Action::ManageOrganisation(organisation)
        | Action::DisposeRecords(organisation) => {
            holds(&[NationalAdmin, OrganisationAdmin], Some(*organisation))
        }
        Action::ViewPeople(organisation) | Action::ManageSchemes(organisation) => holds(
            &[NationalAdmin, OrganisationAdmin, Coordinator],
            Some(*organisation),
        ),
        Action::SetPassword {
            person,
            organisation,
        }
        | Action::ExportPersonData {
            person,
            organisation,
        } => {
            actor.person() == Some(*person)
                || holds(&[NationalAdmin, OrganisationAdmin], Some(*organisation))
        }
        Action::ManageRoles { organisation, role } => match (organisation, role) {
            (None, _) | (_, NationalAdmin) => holds(&[NationalAdmin], None),
            (Some(organisation), _) => {
                holds(&[NationalAdmin, OrganisationAdmin], Some(*organisation))
            }
        },
        Action::ManageApiTokens(organisation) => match organisation {
            None => holds(&[NationalAdmin], None),
            Some(organisation) => holds(&[NationalAdmin, OrganisationAdmin], Some(*organisation)),
        },
        Action::ViewAudit(organisation) => match organisation {
            None => holds(&[NationalAdmin], None),
            Some(organisation) => holds(&[NationalAdmin, OrganisationAdmin], Some(*organisation)),
        },
        Action::ViewSchemes(organisation) => {
            holds(
                &[NationalAdmin, OrganisationAdmin, Coordinator],
                Some(*organisation),
            ) || grants
                .iter()
                .any(|grant| grant.scope.organisation() == Some(*organisation))
                || matches!(actor, Actor::Person { organisation: own, .. } if own == organisation)
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied {
            reason: denial_reason(action),
        })
    }
}

/// What an API token may do: read within its organisation (or everywhere), and with `write`
/// also what that organisation's administrator may do, except anything about accounts, tokens
/// or the installation-wide administrator role unless it is an installation-wide token.
fn token_may(scope: Option<OrganisationId>, write: bool, action: &Action) -> Result<(), Denied> {
    let covers = |organisation: &OrganisationId| scope.is_none_or(|scope| scope == *organisation);
    let allowed = match action {
        Action::ViewCatalogue => true,
        Action::ViewPeople(organisation)
        | Action::ViewSchemes(organisation)
        | Action::ExportPeople(organisation) => covers(organisation),
        Action::ViewAudit(organisation) => organisation.as_ref().map_or(scope.is_none(), covers),
        Action::ImportPeople(organisation)
        | Action::ManageSchemes(organisation)
        | Action::ManageOrganisation(organisation) => write && covers(organisation),
        Action::ManageRoles { organisation, role } => {
            write
                && match organisation {
                    Some(organisation) => {
                        covers(organisation)
                            && (*role != StaffRole::NationalAdmin || scope.is_none())
                    }
                    None => scope.is_none(),
                }
        }
        Action::CreateOrganisation => write && scope.is_none(),
        Action::ViewApplications(application) | Action::ViewRelationships(application) => {
            covers(&application.organisation)
        }
        Action::ViewApplicationList { organisation, .. } => covers(organisation),
        Action::ViewReports(report) => covers(&report.organisation),
        Action::ManageApplications(application) => write && covers(&application.organisation),
        // A person's whole record is answered to a person, never to an integration.
        Action::SetPassword { .. }
        | Action::ResetTwoFactor(_)
        | Action::DisposeRecords(_)
        | Action::ExportPersonData { .. }
        | Action::ErasePerson(_)
        | Action::ManageRelationships(_)
        | Action::PairContent(_)
        | Action::ActInPair(_)
        | Action::HandleConcerns(_)
        | Action::OwnSettings { .. }
        | Action::ManageApiTokens(_)
        | Action::Apply
        | Action::ActOnOwnApplication { .. }
        | Action::DecideAsLineManager { .. } => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied {
            reason: format!("this API token may not do that: {}", denial_reason(action)),
        })
    }
}

fn denial_reason(action: &Action) -> String {
    match action {
        Action::ManageRoles { organisation: None, .. } | Action::ManageRoles { role: StaffRole::NationalAdmin, .. } => {
            "only a national administrator can give installation-wide roles".to_owned()
        }
        Action::ManageRoles { .. } => "only an administrator of this organisation can give or take away its roles".to_owned(),
        Action::ViewAudit(None) => "only a national administrator can read the whole audit log".to_owned(),
        Action::ManageOrganisation(_) => "only an administrator of this organisation can change its settings".to_owned(),
        Action::ManageApiTokens(None) => "only a national administrator can issue installation-wide API tokens".to_owned(),
        Action::ManageApiTokens(Some(_)) => "only an administrator of this organisation can issue its API tokens".to_owned(),
        Action::ViewAudit(Some(_)) => "only an administrator of this organisation can read its audit log".to_owned(),
        Action::ViewCatalogue => "the catalogue is public".to_owned(),
        Action::CreateOrganisation => "only a national administrator can create organisations".to_owned(),
        Action::ImportPeople(_) => "only an administrator of this organisation can import people".to_owned(),
        Action::ExportPeople(_) => "only an administrator of this organisation can export people".to_owned(),
        Action::ViewPeople(_) => "only administrators and programme coordinators of this organisation can see its people".to_owned(),
        Action::ManageSchemes(_) => "only administrators and programme coordinators of this organisation can manage its schemes".to_owned(),
        Action::ViewSchemes(_) => "this organisation's schemes are visible to its own people and staff only".to_owned(),
        Action::SetPassword { .. } => "only the person or an administrator of their organisation can set a password".to_owned(),
        Action::ExportPersonData { .. } => "only the person or an administrator of their organisation can download everything held on them".to_owned(),
        Action::ErasePerson(_) => "only an administrator of this organisation can erase a person".to_owned(),
        Action::ResetTwoFactor(_) => "only an administrator of this organisation can reset someone's two-factor sign-in".to_owned(),
        Action::Apply => "sign in as yourself to apply".to_owned(),
        Action::ActOnOwnApplication { .. } => "only the applicant can do that to their application".to_owned(),
        Action::DecideAsLineManager { .. } => "only the line manager the application was sent to can decide it".to_owned(),
        Action::ViewApplicationList { .. } => "only the scheme's coordinators and champions can see its applications".to_owned(),
        Action::ViewApplications(_) => "only the scheme's coordinators, and champions for the applicant's division or scheme, can see applications".to_owned(),
        Action::ManageApplications(_) => "only the scheme's coordinators, and champions for the applicant's division or scheme, can decide applications".to_owned(),
        Action::PairContent(_) => "what a pair writes is for the mentor and the mentee only".to_owned(),
        Action::ActInPair(_) => "only the mentor and the mentee act in their relationship".to_owned(),
        Action::ViewRelationships(_) => "only the scheme's coordinators, and champions for the mentee's division or scheme, can see its relationships".to_owned(),
        Action::ManageRelationships(_) => "only the scheme's coordinators, and champions for the mentee's division or scheme, can act on its relationships".to_owned(),
        Action::HandleConcerns(_) => "only the scheme's coordinators read the concerns raised in it".to_owned(),
        Action::OwnSettings { .. } => "only the person reads and changes their own settings, adjustments and inbox".to_owned(),
        Action::DisposeRecords(_) => "only an administrator of this organisation can dispose of its records".to_owned(),
        Action::ViewReports(_) => "only the programme's staff see its reports, each for the schemes and divisions they look after".to_owned(),
    }
}

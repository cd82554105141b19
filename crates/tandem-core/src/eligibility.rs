//! Whether a person may take part in a scheme in a role, with the reason for every refusal (R3.3).
//!
//! This covers what the HR record and the scheme's audience decide. What depends on a person's
//! current participation (already mentoring, already has a mentor) is added by the application
//! workflow on top of these reasons.

use crate::domain::RankBand;
use crate::person::PersonRecord;
use crate::policy::Eligibility;
use std::fmt;

/// The two roles in a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// The person giving mentoring.
    Mentor,
    /// The person receiving it.
    Mentee,
}

impl Role {
    /// Both roles.
    pub const ALL: [Self; 2] = [Self::Mentor, Self::Mentee];

    /// Parses "mentor" or "mentee".
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == raw)
    }

    /// The other role of the pair.
    pub fn other(self) -> Self {
        match self {
            Self::Mentor => Self::Mentee,
            Self::Mentee => Self::Mentor,
        }
    }

    /// "mentor" or "mentee".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mentor => "mentor",
            Self::Mentee => "mentee",
        }
    }
}

/// Why a person may not take part; shown to them and to the coordinator as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// On probation, and the scheme excludes probationers.
    OnProbation,
    /// Their employment status is not admitted (e.g. retired, leaver).
    EmploymentStatus(crate::domain::EmploymentStatus),
    /// Under performance management, and the scheme excludes it.
    UnderPerformanceManagement,
    /// Their kind of worker is not admitted.
    RoleType(crate::domain::RoleType),
    /// Their rank band is outside the scheme's audience.
    RankBand {
        /// The person's band, if their rank maps to one.
        band: Option<String>,
    },
    /// The scheme is by invitation and they are not on the list.
    NotInvited,
    /// The scheme is for people of a self-declared sex or gender identity they have not declared.
    GenderAudience,
    /// The scheme belongs to another organisation and is not open across forces.
    OutsideOrganisation {
        /// The organisation running the scheme.
        organisation: String,
    },
    /// The scheme is closed for applications.
    SchemeClosed,
    /// They already have an open application in this role in the scheme.
    AlreadyApplied {
        /// The role applied for.
        role: Role,
        /// The scheme's name.
        scheme: String,
    },
    /// They are a mentee with a mentor already.
    AlreadyHasMentor {
        /// The scheme's name.
        scheme: String,
    },
    /// They are active in the other role, and a scheme involved does not allow both at once.
    ActiveInOtherRole {
        /// The role they are active in.
        role: Role,
        /// The scheme they are active in.
        scheme: String,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OnProbation => f.write_str("people on probation cannot take part in this scheme"),
            Self::EmploymentStatus(status) => {
                write!(f, "this scheme is only for serving officers and staff; the HR record says {}", status.words())
            }
            Self::UnderPerformanceManagement => {
                f.write_str("this scheme is not open to people under performance management")
            }
            Self::RoleType(role_type) => write!(f, "this scheme is not open to people whose role type is {role_type}"),
            Self::RankBand { band: Some(band) } => write!(f, "this scheme is not open to the {band} rank band"),
            Self::RankBand { band: None } => {
                f.write_str("the person's rank or grade is not mapped to a rank band, and this scheme is for particular bands")
            }
            Self::NotInvited => f.write_str("this scheme is by invitation and the person has not been invited"),
            Self::GenderAudience => f.write_str("this scheme is for people of a self-declared sex or gender the person has not declared"),
            Self::OutsideOrganisation { organisation } => {
                write!(f, "this scheme is for people of {organisation} only")
            }
            Self::SchemeClosed => f.write_str("this scheme is closed for applications"),
            Self::AlreadyApplied { role, scheme } => {
                write!(f, "there is already an application to be a {role} in {scheme}; withdraw it first to apply again", role = role.as_str())
            }
            Self::AlreadyHasMentor { scheme } => write!(f, "the person already has a mentor in {scheme}"),
            Self::ActiveInOtherRole { role, scheme } => write!(
                f,
                "the person is already taking part as a {role} in {scheme}, and cannot be a mentor and a mentee at the same time",
                role = role.as_str()
            ),
        }
    }
}

/// Every reason the person may not take the role; empty when they may.
pub fn assess(
    eligibility: &Eligibility,
    person: &PersonRecord,
    band: Option<&RankBand>,
    invited: bool,
) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    if eligibility.exclude_probation && person.on_probation {
        refusals.push(Refusal::OnProbation);
    }
    if !eligibility
        .employment_statuses
        .contains(&person.employment_status)
    {
        refusals.push(Refusal::EmploymentStatus(person.employment_status));
    }
    if eligibility.exclude_performance_management && person.under_performance_management {
        refusals.push(Refusal::UnderPerformanceManagement);
    }
    if !eligibility.role_types.contains(&person.role_type) {
        refusals.push(Refusal::RoleType(person.role_type));
    }
    if !eligibility.rank_bands.is_empty()
        && !band.is_some_and(|band| eligibility.rank_bands.contains(&band.code))
    {
        refusals.push(Refusal::RankBand {
            band: band.map(|band| band.code.clone()),
        });
    }
    if eligibility.invitation_only && !invited {
        refusals.push(Refusal::NotInvited);
    }
    if !eligibility.self_declared_gender.is_empty() {
        let declared = [&person.diversity.sex, &person.diversity.gender_identity]
            .into_iter()
            .flatten()
            .any(|answer| {
                eligibility
                    .self_declared_gender
                    .iter()
                    .any(|admitted| admitted.eq_ignore_ascii_case(answer.as_str()))
            });
        if !declared {
            refusals.push(Refusal::GenderAudience);
        }
    }
    refusals
}

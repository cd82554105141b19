//! The API's wire types, converted by hand from domain values (domain types know nothing of JSON).

use serde::{Deserialize, Serialize};
use tandem_core::authz::{Grant, Scope};
use tandem_core::hr::ExistingPerson;
use tandem_core::programme::{Scheme, SchemeStatus};
use tandem_core::{Organisation, OrganisationKind};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, OneOfBuilder, Schema, Type};
use uuid::Uuid;

/// An error: what went wrong and, for refused input, each problem.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorJson {
    /// What went wrong, and what to do.
    pub(crate) error: String,
    /// Each problem with the input, when it was refused.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) problems: Vec<ProblemJson>,
}

/// One problem with the input.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProblemJson {
    /// The field (or column) it is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) field: Option<String>,
    /// The line of a file it is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) line: Option<u64>,
    /// What is wrong.
    pub(crate) message: String,
}

/// An organisation.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OrganisationJson {
    /// Short code, e.g. `cleveland`.
    code: String,
    /// Name.
    name: String,
    /// `force` or `national`.
    kind: String,
}

impl From<&Organisation> for OrganisationJson {
    fn from(organisation: &Organisation) -> Self {
        Self {
            code: organisation.code.to_string(),
            name: organisation.name.clone(),
            kind: match organisation.kind {
                OrganisationKind::Force => "force",
                OrganisationKind::National => "national",
            }
            .to_owned(),
        }
    }
}

/// A person's HR record (diversity answers are never part of the API).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PersonJson {
    id: Uuid,
    organisation: String,
    staff_number: String,
    first_name: String,
    last_name: String,
    email: String,
    department: Option<String>,
    location: Option<String>,
    rank_or_grade: String,
    /// `officer`, `staff`, `special`, `volunteer` or `external`.
    role_type: String,
    line_manager_staff_number: Option<String>,
    /// `YYYY-MM-DD`.
    start_date: String,
    on_probation: bool,
    under_performance_management: bool,
    /// `serving`, `leaver`, `retired`, `career_break` or `suspended`.
    employment_status: String,
}

impl From<&ExistingPerson> for PersonJson {
    fn from(person: &ExistingPerson) -> Self {
        let record = &person.record;
        Self {
            id: person.id.0,
            organisation: record.organisation.to_string(),
            staff_number: record.staff_number.to_string(),
            first_name: record.first_name.to_string(),
            last_name: record.last_name.to_string(),
            email: record.email.to_string(),
            department: record.department.as_ref().map(ToString::to_string),
            location: record.location.as_ref().map(ToString::to_string),
            rank_or_grade: record.rank_or_grade.to_string(),
            role_type: record.role_type.to_string(),
            line_manager_staff_number: record.line_manager.as_ref().map(ToString::to_string),
            start_date: record.start_date.to_string(),
            on_probation: record.on_probation,
            under_performance_management: record.under_performance_management,
            employment_status: record.employment_status.to_string(),
        }
    }
}

/// A page of the people directory.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PeoplePageJson {
    /// How many people match in all.
    pub(crate) total: i64,
    /// Rows skipped.
    pub(crate) offset: i64,
    /// Rows asked for.
    pub(crate) limit: i64,
    /// This page.
    pub(crate) people: Vec<PersonJson>,
}

/// A person with their roles.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PersonDetailJson {
    pub(crate) person: PersonJson,
    pub(crate) roles: Vec<GrantJson>,
    /// How many people report to them directly.
    pub(crate) direct_reports: usize,
}

/// Where a role applies.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct ScopeJson {
    /// `installation`, `organisation`, `division` or `scheme`.
    #[schema(schema_with = scope_kinds)]
    pub(crate) kind: String,
    /// The division, for `division`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) division: Option<String>,
    /// The scheme's key, for `scheme` (in the person's organisation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) scheme: Option<String>,
}

/// A role a person holds.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct GrantJson {
    /// The id that takes it away.
    pub(crate) id: Uuid,
    /// `national_admin`, `organisation_admin`, `coordinator` or `champion`.
    pub(crate) role: String,
    pub(crate) scope: ScopeJson,
}

impl GrantJson {
    pub(crate) fn new(
        id: Uuid,
        grant: &Grant,
        scheme_keys: &[(tandem_core::SchemeId, String)],
    ) -> Self {
        let scope = match &grant.scope {
            Scope::Installation => ScopeJson {
                kind: "installation".to_owned(),
                division: None,
                scheme: None,
            },
            Scope::Organisation(_) => ScopeJson {
                kind: "organisation".to_owned(),
                division: None,
                scheme: None,
            },
            Scope::Division { division, .. } => ScopeJson {
                kind: "division".to_owned(),
                division: Some(division.clone()),
                scheme: None,
            },
            Scope::Scheme { scheme, .. } => ScopeJson {
                kind: "scheme".to_owned(),
                division: None,
                scheme: scheme_keys
                    .iter()
                    .find(|(id, _)| id == scheme)
                    .map(|(_, key)| key.clone()),
            },
        };
        Self {
            id,
            role: grant.role.as_str().to_owned(),
            scope,
        }
    }
}

/// A role to give.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct NewGrantJson {
    /// `national_admin`, `organisation_admin`, `coordinator` or `champion`.
    #[schema(schema_with = roles)]
    pub(crate) role: String,
    #[schema(schema_with = scope_choices)]
    pub(crate) scope: ScopeJson,
}

/// A role's scope as it may be asked for: a division or scheme kind names the one it means.
fn scope_choices() -> Schema {
    let choice = |kind: &str, named: Option<(&str, &str)>| {
        let mut object = ObjectBuilder::new()
            .property("kind", one_of("Where it applies.", &[kind]))
            .required("kind");
        if let Some((field, description)) = named {
            object = object
                .property(
                    field,
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .min_length(Some(1))
                        .description(Some(description)),
                )
                .required(field);
        }
        object.build()
    };
    Schema::OneOf(
        OneOfBuilder::new()
            .item(choice("installation", None))
            .item(choice("organisation", None))
            .item(choice(
                "division",
                Some(("division", "A division the HR directory knows.")),
            ))
            .item(choice(
                "scheme",
                Some((
                    "scheme",
                    "The key of a scheme of the person's organisation.",
                )),
            ))
            .description(Some("Where the role applies."))
            .build(),
    )
}

/// A string that is one of `values`.
fn one_of(description: &str, values: &[&str]) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values.iter().copied()))
        .build()
}

fn roles() -> Object {
    one_of(
        "The role.",
        &[
            "national_admin",
            "organisation_admin",
            "coordinator",
            "champion",
        ],
    )
}

fn scope_kinds() -> Object {
    one_of(
        "Where it applies: `division` needs `division`, `scheme` needs `scheme`.",
        &["installation", "organisation", "division", "scheme"],
    )
}

fn scheme_statuses() -> Object {
    one_of("Open or closed for applications.", &["open", "closed"])
}

/// A scheme and its policy.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SchemeJson {
    key: String,
    name: String,
    description: String,
    organisational_need: Option<String>,
    /// `open` or `closed` for applications.
    status: String,
    /// Bumped by every change.
    version: i64,
    /// The preset it was created from.
    preset: Option<String>,
    /// Every policy field, as in a programme file (see `tandem preset show`).
    #[schema(value_type = Object)]
    policy: serde_json::Value,
}

impl From<&Scheme> for SchemeJson {
    fn from(scheme: &Scheme) -> Self {
        let definition = &scheme.definition;
        Self {
            key: definition.key.to_string(),
            name: definition.name.clone(),
            description: definition.description.clone(),
            organisational_need: definition.organisational_need.clone(),
            status: scheme.status.as_str().to_owned(),
            version: scheme.version,
            preset: scheme.preset.clone(),
            policy: serde_json::to_value(&definition.policy).unwrap_or_default(),
        }
    }
}

/// A scheme's status.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct StatusJson {
    /// `open` or `closed`.
    #[schema(schema_with = scheme_statuses)]
    pub(crate) status: String,
}

impl StatusJson {
    pub(crate) fn parse(&self) -> Option<SchemeStatus> {
        SchemeStatus::parse(&self.status)
    }
}

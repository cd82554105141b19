//! A programme file: a set of schemes with their policies, as the presets ship them and as a
//! coordinator writes a new one. A new programme is a new file, not new code (DESIGN §2).

use crate::domain::SchemeKey;
use crate::policy::{PolicyProblem, SchemePolicy, toml_problem};
use serde::{Deserialize, Serialize};

/// A scheme as a programme defines it, before it belongs to an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeDefinition {
    /// Key, unique within the programme and later within the organisation.
    pub key: SchemeKey,
    /// Name shown to people.
    pub name: String,
    /// What the scheme is for, shown to applicants.
    pub description: String,
    /// The organisational development need a reverse scheme serves (R2.3).
    pub organisational_need: Option<String>,
    /// The scheme's policy.
    pub policy: SchemePolicy,
}

/// Whether a scheme takes applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemeStatus {
    /// Taking applications.
    Open,
    /// Not taking applications; running relationships carry on.
    Closed,
}

impl SchemeStatus {
    /// The stored token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    /// Parses the stored token.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }
}

/// A scheme an organisation runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    /// Its id.
    pub id: crate::SchemeId,
    /// The organisation running it.
    pub organisation: crate::OrganisationId,
    /// Key, name, description, need and policy.
    pub definition: SchemeDefinition,
    /// The preset it was created from, if any (it may have been changed since).
    pub preset: Option<String>,
    /// Open or closed for applications.
    pub status: SchemeStatus,
    /// Optimistic-concurrency version: bumped on every change.
    pub version: i64,
}

/// A validated programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programme {
    /// Programme name (`cleveland`).
    pub name: String,
    /// Title shown to people.
    pub title: String,
    /// Where its rules come from.
    pub source: String,
    /// The organisation it is usually applied to.
    pub suggested_organisation: Option<String>,
    /// Its schemes.
    pub schemes: Vec<SchemeDefinition>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgrammeFile {
    name: String,
    title: String,
    #[serde(default)]
    source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    suggested_organisation: Option<String>,
    schemes: Vec<SchemeFile>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemeFile {
    key: String,
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    organisational_need: Option<String>,
    policy: SchemePolicy,
}

impl Programme {
    /// Parses and checks a programme file; every problem names its scheme and field.
    pub fn from_toml(text: &str) -> Result<Self, Vec<PolicyProblem>> {
        let file: ProgrammeFile =
            toml::from_str(text).map_err(|err| vec![toml_problem(text, &err)])?;
        let mut problems = Vec::new();
        if file.name.trim().is_empty() {
            problems.push(PolicyProblem {
                field: "name".to_owned(),
                message: "is empty".to_owned(),
            });
        }
        if file.schemes.is_empty() {
            problems.push(PolicyProblem {
                field: "schemes".to_owned(),
                message: "a programme needs at least one scheme".to_owned(),
            });
        }
        let mut schemes = Vec::with_capacity(file.schemes.len());
        for (idx, scheme) in file.schemes.into_iter().enumerate() {
            let at = format!("schemes[{idx}] ({})", scheme.key);
            let mut fail = |field: &str, message: String| {
                problems.push(PolicyProblem {
                    field: format!("{at}.{field}"),
                    message,
                });
            };
            let key = SchemeKey::parse(&scheme.key)
                .map_err(|err| fail("key", err.to_string()))
                .ok();
            if scheme.name.trim().is_empty() {
                fail(
                    "name",
                    "is empty; give the scheme a name people will recognise".to_owned(),
                );
            }
            let organisational_need = scheme
                .organisational_need
                .filter(|need| !need.trim().is_empty());
            if scheme.policy.organisational_need_required && organisational_need.is_none() {
                fail(
                    "organisational_need",
                    "this scheme must record the organisational development need it serves"
                        .to_owned(),
                );
            }
            for problem in scheme.policy.problems() {
                fail(&format!("policy.{}", problem.field), problem.message);
            }
            if let Some(key) = key {
                if schemes.iter().any(|it: &SchemeDefinition| it.key == key) {
                    fail(
                        "key",
                        format!("'{key}' is used by another scheme in this programme"),
                    );
                }
                schemes.push(SchemeDefinition {
                    key,
                    name: scheme.name.trim().to_owned(),
                    description: scheme.description.trim().to_owned(),
                    organisational_need,
                    policy: scheme.policy,
                });
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self {
            name: file.name,
            title: file.title,
            source: file.source,
            suggested_organisation: file.suggested_organisation,
            schemes,
        })
    }

    /// The programme as TOML with every policy field written out;
    /// [`Programme::from_toml`] reads it back unchanged.
    pub fn to_toml(&self) -> String {
        let file = ProgrammeFile {
            name: self.name.clone(),
            title: self.title.clone(),
            source: self.source.clone(),
            suggested_organisation: self.suggested_organisation.clone(),
            schemes: self
                .schemes
                .iter()
                .map(|scheme| SchemeFile {
                    key: scheme.key.to_string(),
                    name: scheme.name.clone(),
                    description: scheme.description.clone(),
                    organisational_need: scheme.organisational_need.clone(),
                    policy: scheme.policy.clone(),
                })
                .collect(),
        };
        toml::to_string(&file).expect("a programme is plain tables and always serialises")
    }
}

/// The programmes shipped with Tandem (REQUIREMENTS R2.2), by name.
pub mod presets {
    use super::Programme;
    use crate::policy::PolicyProblem;

    /// Name and source text of every shipped preset.
    pub const ALL: [(&str, &str); 3] = [
        (
            "college-national",
            include_str!("../../../presets/college-national.toml"),
        ),
        (
            "police-scotland",
            include_str!("../../../presets/police-scotland.toml"),
        ),
        ("cleveland", include_str!("../../../presets/cleveland.toml")),
    ];

    /// The names of the shipped presets.
    pub fn names() -> impl Iterator<Item = &'static str> {
        ALL.iter().map(|(name, _)| *name)
    }

    /// A shipped preset's source text, comments included.
    pub fn source(name: &str) -> Option<&'static str> {
        ALL.iter()
            .find(|(it, _)| *it == name)
            .map(|(_, text)| *text)
    }

    /// A shipped preset, parsed and checked.
    pub fn load(name: &str) -> Option<Result<Programme, Vec<PolicyProblem>>> {
        source(name).map(Programme::from_toml)
    }
}

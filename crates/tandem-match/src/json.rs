//! The problem file format (JSON) in both directions, documented in `docs/matching.md`.
//!
//! The wire shapes here are private: they take raw values (numbers as `i64`, strings as
//! written) so that a wrong value gets our message naming the person and the field, not a
//! bare type error, and they refuse unknown fields so a typo is never silently ignored.

use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use crate::problem::{
    Adjustment, Direction, Forbid, ForbidRule, MAX_RANK_LEVEL, Mentee, Mentor, Pin, Problem,
    ProblemError, ProblemErrors, ProblemSpec, RankGapPoints, Rules, Scheme,
};
use crate::values::{Availability, PersonId, Tag, ValueError, Weight, Weights};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProblem {
    #[serde(default, deserialize_with = "object")]
    scheme: RawScheme,
    #[serde(default, deserialize_with = "object")]
    rules: RawRules,
    #[serde(deserialize_with = "objects")]
    mentors: Vec<RawMentor>,
    #[serde(deserialize_with = "objects")]
    mentees: Vec<RawMentee>,
}

/// Reads a value of the format's object-shaped types only from a JSON object.
///
/// A derived struct also accepts its fields as an array in declaration order, so
/// `"rules": [true, true, true]` would switch three rules on; the format has no such form, and
/// a file that has one is wrong, so it is refused where it stands.
fn object<'de, D: Deserializer<'de>, T: DeserializeOwned>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectOnly(PhantomData))
}

/// [`object`] for each element of an array.
fn objects<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    let all: Vec<Object<T>> = Vec::deserialize(deserializer)?;
    Ok(all.into_iter().map(|it| it.0).collect())
}

/// A `T` read by [`object`].
struct Object<T>(T);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        object(deserializer).map(Object)
    }
}

struct ObjectOnly<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for ObjectOnly<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object ({ \"name\": value, … })")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map))
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScheme {
    #[serde(default = "default_direction")]
    direction: String,
    #[serde(default = "default_true")]
    maximise_matched: bool,
    #[serde(default, deserialize_with = "object")]
    weights: RawWeights,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rank_gap_points: Option<BTreeMap<String, i64>>,
}

impl Default for RawScheme {
    fn default() -> RawScheme {
        RawScheme {
            direction: default_direction(),
            maximise_matched: true,
            weights: RawWeights::default(),
            rank_gap_points: None,
        }
    }
}

fn default_direction() -> String {
    "traditional".to_owned()
}

fn default_true() -> bool {
    true
}

fn is_false(value: &bool) -> bool {
    !value
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeights {
    topic_fit: Option<i64>,
    location_fit: Option<i64>,
    rank_gap: Option<i64>,
    experience: Option<i64>,
    availability: Option<i64>,
    preference: Option<i64>,
    diversity: Option<i64>,
}

impl Default for RawWeights {
    fn default() -> RawWeights {
        RawWeights::from(&Weights::default())
    }
}

impl From<&Weights> for RawWeights {
    fn from(weights: &Weights) -> RawWeights {
        let get = |w: Weight| Some(i64::from(w.get()));
        RawWeights {
            topic_fit: get(weights.topic_fit),
            location_fit: get(weights.location_fit),
            rank_gap: get(weights.rank_gap),
            experience: get(weights.experience),
            availability: get(weights.availability),
            preference: get(weights.preference),
            diversity: get(weights.diversity),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    cross_force: bool,
    #[serde(default)]
    training_required: bool,
    #[serde(default)]
    enforce_direction: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_levels_apart: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_levels_apart: Option<i64>,
    #[serde(default, skip_serializing_if = "is_false")]
    different_organisation: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    different_department: bool,
    #[serde(default, deserialize_with = "objects")]
    forbids: Vec<RawForbid>,
    #[serde(default, deserialize_with = "objects")]
    pins: Vec<RawPin>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForbid {
    mentee: String,
    mentor: String,
    #[serde(default = "default_forbid_rule")]
    rule: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    reason: String,
}

fn default_forbid_rule() -> String {
    ForbidRule::Forbidden.as_str().to_owned()
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPin {
    mentee: String,
    mentor: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMentor {
    id: String,
    capacity: i64,
    organisation: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    remote_ok: bool,
    #[serde(default)]
    rank_level: i64,
    #[serde(default)]
    years_of_service: i64,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    availability: Vec<String>,
    #[serde(default = "default_true")]
    training_done: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    characteristics: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMentee {
    id: String,
    organisation: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    remote_ok: bool,
    #[serde(default)]
    rank_level: i64,
    #[serde(default)]
    development_areas: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    preferred_mentor: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    adjustments: Vec<String>,
    #[serde(default)]
    availability: Vec<String>,
    #[serde(default = "default_true")]
    training_done: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    diversity_preference: Vec<String>,
    #[serde(default = "default_mentors", skip_serializing_if = "is_one")]
    mentors: i64,
}

fn default_mentors() -> i64 {
    1
}

fn is_one(value: &i64) -> bool {
    *value == 1
}

/// Collects field errors while converting raw values.
struct Collector {
    errors: Vec<ProblemError>,
}

impl Collector {
    fn take<T>(&mut self, at: &str, field: &str, result: Result<T, ValueError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.errors.push(ProblemError {
                    at: format!("{at}.{field}"),
                    message: error.0,
                });
                None
            }
        }
    }

    /// As [`Collector::id`], working out where the id is only when it is wrong.
    fn id_at(&mut self, at: impl Fn() -> String, field: &str, raw: &str) -> PersonId {
        match PersonId::parse(raw) {
            Ok(id) => id,
            Err(_) => self.id(&at(), field, raw),
        }
    }

    fn id(&mut self, at: &str, field: &str, raw: &str) -> PersonId {
        // A bad id still needs a placeholder so that later checks can go on and report more.
        self.take(at, field, PersonId::parse(raw))
            .unwrap_or_else(PersonId::placeholder)
    }

    fn tags(&mut self, at: &str, field: &str, raw: &[String]) -> Vec<Tag> {
        let mut tags = Vec::with_capacity(raw.len());
        for (k, value) in raw.iter().enumerate() {
            if let Some(tag) = self.take(at, &format!("{field}[{k}]"), Tag::parse(value)) {
                tags.push(tag);
            }
        }
        tags.sort();
        tags.dedup();
        tags
    }

    fn availability(&mut self, at: &str, raw: &[String]) -> Availability {
        self.take(
            at,
            "availability",
            Availability::parse(raw.iter().map(String::as_str)),
        )
        .unwrap_or_default()
    }

    fn ranged(&mut self, at: &str, field: &str, raw: i64, max: u32) -> u32 {
        let checked = u32::try_from(raw).ok().filter(|v| *v <= max);
        self.take(
            at,
            field,
            checked.ok_or_else(|| {
                ValueError(format!("must be an integer from 0 to {max}, got {raw}"))
            }),
        )
        .unwrap_or(0)
    }

    fn mentors(&mut self, at: &str, raw: i64) -> u8 {
        let max = crate::problem::MAX_MENTORS_PER_MENTEE;
        let checked = u8::try_from(raw).ok().filter(|v| (1..=max).contains(v));
        self.take(
            at,
            "mentors",
            checked.ok_or_else(|| {
                ValueError(format!("must be an integer from 1 to {max}, got {raw}"))
            }),
        )
        .unwrap_or(1)
    }

    fn weight(&mut self, field: &str, raw: Option<i64>, default: Weight) -> Weight {
        match raw {
            None => default,
            Some(raw) => self
                .take("scheme.weights", field, Weight::parse(raw))
                .unwrap_or(default),
        }
    }
}

/// Reads a problem file: JSON → validated `Problem`, with every error found.
pub fn parse_problem(json: &str) -> Result<Problem, ProblemErrors> {
    let spec = parse_problem_spec(json)?;
    Problem::new(spec)
}

/// Reads a problem file into a `ProblemSpec` without the cross-checks of `Problem::new`.
pub fn parse_problem_spec(json: &str) -> Result<ProblemSpec, ProblemErrors> {
    let raw = serde_json::from_str::<Object<RawProblem>>(json)
        .map(|it| it.0)
        .map_err(|error| {
            ProblemErrors(vec![ProblemError {
                at: "problem JSON".to_owned(),
                message: error.to_string(),
            }])
        })?;
    let mut collect = Collector { errors: Vec::new() };
    let direction = match raw.scheme.direction.as_str() {
        "traditional" => Direction::Traditional,
        "reverse" => Direction::Reverse,
        "peer" => Direction::Peer,
        other => {
            collect.errors.push(ProblemError {
                at: "scheme.direction".to_owned(),
                message: format!("must be traditional, reverse or peer, got {other:?}"),
            });
            Direction::Traditional
        }
    };
    let defaults = Weights::default();
    let w = &raw.scheme.weights;
    let weights = Weights {
        topic_fit: collect.weight("topic_fit", w.topic_fit, defaults.topic_fit),
        location_fit: collect.weight("location_fit", w.location_fit, defaults.location_fit),
        rank_gap: collect.weight("rank_gap", w.rank_gap, defaults.rank_gap),
        experience: collect.weight("experience", w.experience, defaults.experience),
        availability: collect.weight("availability", w.availability, defaults.availability),
        preference: collect.weight("preference", w.preference, defaults.preference),
        diversity: collect.weight("diversity", w.diversity, defaults.diversity),
    };
    let rank_gap_points = raw.scheme.rank_gap_points.as_ref().map(|table| {
        let mut entries = Vec::with_capacity(table.len());
        for (gap, points) in table {
            let at = "scheme.rank_gap_points";
            let gap_value = gap.parse::<u8>().ok().filter(|gap| *gap <= MAX_RANK_LEVEL);
            let Some(gap_value) = gap_value else {
                collect.errors.push(ProblemError {
                    at: format!("{at}.{gap}"),
                    message: format!(
                        "a gap is a whole number of levels from 0 to {MAX_RANK_LEVEL}, got {gap:?}"
                    ),
                });
                continue;
            };
            let points =
                collect.ranged(at, gap, *points, u32::from(crate::score::MAX_POINTS)) as u8;
            entries.push((gap_value, points));
        }
        RankGapPoints::from_entries(entries)
    });
    let scheme = Scheme {
        direction,
        weights,
        maximise_matched: raw.scheme.maximise_matched,
        rank_gap_points,
    };
    let levels = |collect: &mut Collector, field: &str, raw: Option<i64>| {
        raw.map(|raw| collect.ranged("rules", field, raw, u32::from(MAX_RANK_LEVEL)) as u8)
    };
    let min_levels_apart = levels(&mut collect, "min_levels_apart", raw.rules.min_levels_apart);
    let max_levels_apart = levels(&mut collect, "max_levels_apart", raw.rules.max_levels_apart);

    let mentors = raw
        .mentors
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let at = format!("mentors[{k}] ({})", m.id);
            Mentor {
                id: collect.id(&at, "id", &m.id),
                capacity: collect.ranged(&at, "capacity", m.capacity, crate::problem::MAX_CAPACITY),
                organisation: m.organisation.clone(),
                department: m.department.clone(),
                location: m.location.clone(),
                remote_ok: m.remote_ok,
                rank_level: collect.ranged(
                    &at,
                    "rank_level",
                    m.rank_level,
                    u32::from(MAX_RANK_LEVEL),
                ) as u8,
                years_of_service: collect.ranged(
                    &at,
                    "years_of_service",
                    m.years_of_service,
                    u32::from(crate::problem::MAX_YEARS_OF_SERVICE),
                ) as u8,
                topics: collect.tags(&at, "topics", &m.topics),
                availability: collect.availability(&at, &m.availability),
                training_done: m.training_done,
                characteristics: collect.tags(&at, "characteristics", &m.characteristics),
            }
        })
        .collect();
    let mentees = raw
        .mentees
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let at = format!("mentees[{k}] ({})", m.id);
            let mut adjustments = Vec::new();
            for (a, name) in m.adjustments.iter().enumerate() {
                match name.as_str() {
                    "remote_meetings" => adjustments.push(Adjustment::RemoteMeetings),
                    "no_travel" => adjustments.push(Adjustment::NoTravel),
                    other => collect.errors.push(ProblemError {
                        at: format!("{at}.adjustments[{a}]"),
                        message: format!("must be remote_meetings or no_travel, got {other:?}"),
                    }),
                }
            }
            adjustments.sort();
            adjustments.dedup();
            Mentee {
                id: collect.id(&at, "id", &m.id),
                organisation: m.organisation.clone(),
                department: m.department.clone(),
                location: m.location.clone(),
                remote_ok: m.remote_ok,
                rank_level: collect.ranged(
                    &at,
                    "rank_level",
                    m.rank_level,
                    u32::from(MAX_RANK_LEVEL),
                ) as u8,
                development_areas: collect.tags(&at, "development_areas", &m.development_areas),
                preferred_mentor: m
                    .preferred_mentor
                    .as_deref()
                    .map(|id| collect.id(&at, "preferred_mentor", id)),
                adjustments,
                availability: collect.availability(&at, &m.availability),
                training_done: m.training_done,
                diversity_preference: collect.tags(
                    &at,
                    "diversity_preference",
                    &m.diversity_preference,
                ),
                mentors: collect.mentors(&at, m.mentors),
            }
        })
        .collect();
    let forbids = raw
        .rules
        .forbids
        .iter()
        .enumerate()
        .map(|(k, f)| {
            // Where a forbid is, in words, only for one that is wrong: a file may hold a
            // million.
            let at = || format!("rules.forbids[{k}]");
            let rule = match f.rule.as_str() {
                "line_management" => ForbidRule::LineManagement,
                "conflict_of_interest" => ForbidRule::ConflictOfInterest,
                "current_mentor" => ForbidRule::CurrentMentor,
                "forbidden" => ForbidRule::Forbidden,
                other => {
                    collect.errors.push(ProblemError {
                        at: format!("{}.rule", at()),
                        message: format!(
                            "must be line_management, conflict_of_interest, current_mentor or forbidden, got {other:?}"
                        ),
                    });
                    ForbidRule::Forbidden
                }
            };
            Forbid {
                mentee: collect.id_at(at, "mentee", &f.mentee),
                mentor: collect.id_at(at, "mentor", &f.mentor),
                rule,
                reason: f.reason.clone(),
            }
        })
        .collect();
    let pins = raw
        .rules
        .pins
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let at = format!("rules.pins[{k}]");
            Pin {
                mentee: collect.id(&at, "mentee", &p.mentee),
                mentor: collect.id(&at, "mentor", &p.mentor),
            }
        })
        .collect();
    if !collect.errors.is_empty() {
        return Err(ProblemErrors(collect.errors));
    }
    Ok(ProblemSpec {
        scheme,
        rules: Rules {
            cross_force: raw.rules.cross_force,
            training_required: raw.rules.training_required,
            enforce_direction: raw.rules.enforce_direction,
            min_levels_apart,
            max_levels_apart,
            different_organisation: raw.rules.different_organisation,
            different_department: raw.rules.different_department,
            forbids,
            pins,
        },
        mentors,
        mentees,
    })
}

fn strings(tags: &[Tag]) -> Vec<String> {
    tags.iter().map(|t| t.as_str().to_owned()).collect()
}

fn slots(availability: Availability) -> Vec<String> {
    availability.names().map(str::to_owned).collect()
}

/// Writes a problem as a pretty-printed problem file that `parse_problem` reads back.
pub fn problem_to_json(spec: &ProblemSpec) -> String {
    let raw = RawProblem {
        scheme: RawScheme {
            direction: spec.scheme.direction.as_str().to_owned(),
            maximise_matched: spec.scheme.maximise_matched,
            weights: RawWeights::from(&spec.scheme.weights),
            rank_gap_points: spec.scheme.rank_gap_points.map(|table| {
                table
                    .entries()
                    .map(|(gap, points)| (gap.to_string(), i64::from(points)))
                    .collect()
            }),
        },
        rules: RawRules {
            cross_force: spec.rules.cross_force,
            training_required: spec.rules.training_required,
            enforce_direction: spec.rules.enforce_direction,
            min_levels_apart: spec.rules.min_levels_apart.map(i64::from),
            max_levels_apart: spec.rules.max_levels_apart.map(i64::from),
            different_organisation: spec.rules.different_organisation,
            different_department: spec.rules.different_department,
            forbids: spec
                .rules
                .forbids
                .iter()
                .map(|f| RawForbid {
                    mentee: f.mentee.to_string(),
                    mentor: f.mentor.to_string(),
                    rule: f.rule.as_str().to_owned(),
                    reason: f.reason.clone(),
                })
                .collect(),
            pins: spec
                .rules
                .pins
                .iter()
                .map(|p| RawPin {
                    mentee: p.mentee.to_string(),
                    mentor: p.mentor.to_string(),
                })
                .collect(),
        },
        mentors: spec
            .mentors
            .iter()
            .map(|m| RawMentor {
                id: m.id.to_string(),
                capacity: i64::from(m.capacity),
                organisation: m.organisation.clone(),
                department: m.department.clone(),
                location: m.location.clone(),
                remote_ok: m.remote_ok,
                rank_level: i64::from(m.rank_level),
                years_of_service: i64::from(m.years_of_service),
                topics: strings(&m.topics),
                availability: slots(m.availability),
                training_done: m.training_done,
                characteristics: strings(&m.characteristics),
            })
            .collect(),
        mentees: spec
            .mentees
            .iter()
            .map(|m| RawMentee {
                id: m.id.to_string(),
                organisation: m.organisation.clone(),
                department: m.department.clone(),
                location: m.location.clone(),
                remote_ok: m.remote_ok,
                rank_level: i64::from(m.rank_level),
                development_areas: strings(&m.development_areas),
                preferred_mentor: m.preferred_mentor.as_ref().map(ToString::to_string),
                adjustments: m
                    .adjustments
                    .iter()
                    .map(|a| a.as_str().to_owned())
                    .collect(),
                availability: slots(m.availability),
                training_done: m.training_done,
                diversity_preference: strings(&m.diversity_preference),
                mentors: i64::from(m.mentors),
            })
            .collect(),
    };
    // Serialising plain strings, numbers and booleans cannot fail; an empty string would
    // only be a sign of a broken serde_json.
    let mut out = serde_json::to_string_pretty(&raw).unwrap_or_default();
    out.push('\n');
    out
}

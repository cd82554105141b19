//! A compact text format for cohorts, so that tests read like the situation they test.
//!
//! ```text
//! scheme reverse score_only topic_fit=10 location_fit=0
//! rules cross_force training_required enforce_direction min_apart=1 max_apart=2 different_organisation different_department
//! gap_points 1=75 2=100
//! mentor MR1 cap=2 org=ps dept=cid loc=glasgow rank=4 years=10 topics=leadership,promotion avail=mon-am remote untrained chars=woman
//! mentee ME1 org=ps rank=2 wants=leadership prefers=MR1 adjust=remote_meetings avail=mon-am remote untrained diversity=woman mentors=2
//! forbid ME1 MR2 line_management reason words
//! pin ME2 MR1
//! ```
//!
//! Unstated fields default to: organisation `ps`, capacity 1, rank 0, no years, trained,
//! not remote, one mentor wanted; the scheme to traditional, maximise matched, default weights. A weight named
//! on the `scheme` line replaces its default; `only_weights` first sets every weight to 0.

use tandem_match::{
    Adjustment, Availability, Direction, Forbid, ForbidRule, Mentee, Mentor, PersonId, Pin,
    ProblemSpec, RankGapPoints, Tag, Weight, Weights,
};

fn tags(list: &str) -> Vec<Tag> {
    list.split(',')
        .filter(|t| !t.is_empty())
        .map(|t| Tag::parse(t).unwrap())
        .collect()
}

fn slots(list: &str) -> Availability {
    Availability::parse(list.split(',').filter(|t| !t.is_empty())).unwrap()
}

fn id(raw: &str) -> PersonId {
    PersonId::parse(raw).unwrap()
}

/// Parses a fixture into a spec; panics (failing the test) on a malformed line.
pub fn parse(fixture: &str) -> ProblemSpec {
    let mut spec = ProblemSpec::default();
    spec.scheme.maximise_matched = true;
    for line in fixture
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let mut words = line.split_whitespace();
        let kind = words.next().unwrap();
        match kind {
            "scheme" => {
                for word in words {
                    let (key, value) = word.split_once('=').unwrap_or((word, ""));
                    let weight = || Weight::parse(value.parse().unwrap()).unwrap();
                    let weights = &mut spec.scheme.weights;
                    match key {
                        "traditional" => spec.scheme.direction = Direction::Traditional,
                        "reverse" => spec.scheme.direction = Direction::Reverse,
                        "peer" => spec.scheme.direction = Direction::Peer,
                        "score_only" => spec.scheme.maximise_matched = false,
                        "only_weights" => {
                            let zero = Weight::parse(0).unwrap();
                            *weights = Weights {
                                topic_fit: zero,
                                location_fit: zero,
                                rank_gap: zero,
                                experience: zero,
                                availability: zero,
                                preference: zero,
                                diversity: zero,
                            };
                        }
                        "topic_fit" => weights.topic_fit = weight(),
                        "location_fit" => weights.location_fit = weight(),
                        "rank_gap" => weights.rank_gap = weight(),
                        "experience" => weights.experience = weight(),
                        "availability" => weights.availability = weight(),
                        "preference" => weights.preference = weight(),
                        "diversity" => weights.diversity = weight(),
                        other => panic!("unknown scheme word {other:?}"),
                    }
                }
            }
            "rules" => {
                for word in words {
                    let (key, value) = word.split_once('=').unwrap_or((word, ""));
                    match key {
                        "cross_force" => spec.rules.cross_force = true,
                        "training_required" => spec.rules.training_required = true,
                        "enforce_direction" => spec.rules.enforce_direction = true,
                        "min_apart" => spec.rules.min_levels_apart = Some(value.parse().unwrap()),
                        "max_apart" => spec.rules.max_levels_apart = Some(value.parse().unwrap()),
                        "different_organisation" => spec.rules.different_organisation = true,
                        "different_department" => spec.rules.different_department = true,
                        other => panic!("unknown rules word {other:?}"),
                    }
                }
            }
            "gap_points" => {
                spec.scheme.rank_gap_points =
                    Some(RankGapPoints::from_entries(words.map(|word| {
                        let (gap, points) = word.split_once('=').unwrap();
                        (gap.parse().unwrap(), points.parse().unwrap())
                    })));
            }
            "mentor" => {
                let mut mentor = Mentor {
                    id: id(words.next().unwrap()),
                    capacity: 1,
                    organisation: "ps".to_owned(),
                    department: String::new(),
                    location: String::new(),
                    remote_ok: false,
                    rank_level: 0,
                    years_of_service: 0,
                    topics: Vec::new(),
                    availability: Availability::default(),
                    training_done: true,
                    characteristics: Vec::new(),
                };
                for word in words {
                    let (key, value) = word.split_once('=').unwrap_or((word, ""));
                    match key {
                        "cap" => mentor.capacity = value.parse().unwrap(),
                        "org" => mentor.organisation = value.to_owned(),
                        "dept" => mentor.department = value.to_owned(),
                        "loc" => mentor.location = value.to_owned(),
                        "rank" => mentor.rank_level = value.parse().unwrap(),
                        "years" => mentor.years_of_service = value.parse().unwrap(),
                        "topics" => mentor.topics = tags(value),
                        "avail" => mentor.availability = slots(value),
                        "remote" => mentor.remote_ok = true,
                        "untrained" => mentor.training_done = false,
                        "chars" => mentor.characteristics = tags(value),
                        other => panic!("unknown mentor field {other:?}"),
                    }
                }
                spec.mentors.push(mentor);
            }
            "mentee" => {
                let mut mentee = Mentee {
                    id: id(words.next().unwrap()),
                    organisation: "ps".to_owned(),
                    department: String::new(),
                    location: String::new(),
                    remote_ok: false,
                    rank_level: 0,
                    development_areas: Vec::new(),
                    preferred_mentor: None,
                    adjustments: Vec::new(),
                    availability: Availability::default(),
                    training_done: true,
                    diversity_preference: Vec::new(),
                    mentors: 1,
                };
                for word in words {
                    let (key, value) = word.split_once('=').unwrap_or((word, ""));
                    match key {
                        "org" => mentee.organisation = value.to_owned(),
                        "dept" => mentee.department = value.to_owned(),
                        "loc" => mentee.location = value.to_owned(),
                        "rank" => mentee.rank_level = value.parse().unwrap(),
                        "wants" => mentee.development_areas = tags(value),
                        "prefers" => mentee.preferred_mentor = Some(id(value)),
                        "mentors" => mentee.mentors = value.parse().unwrap(),
                        "adjust" => {
                            mentee.adjustments = value
                                .split(',')
                                .map(|a| match a {
                                    "remote_meetings" => Adjustment::RemoteMeetings,
                                    "no_travel" => Adjustment::NoTravel,
                                    other => panic!("unknown adjustment {other:?}"),
                                })
                                .collect();
                        }
                        "avail" => mentee.availability = slots(value),
                        "remote" => mentee.remote_ok = true,
                        "untrained" => mentee.training_done = false,
                        "diversity" => mentee.diversity_preference = tags(value),
                        other => panic!("unknown mentee field {other:?}"),
                    }
                }
                spec.mentees.push(mentee);
            }
            "forbid" => {
                let mentee = id(words.next().unwrap());
                let mentor = id(words.next().unwrap());
                let rule = match words.next().unwrap_or("forbidden") {
                    "line_management" => ForbidRule::LineManagement,
                    "conflict_of_interest" => ForbidRule::ConflictOfInterest,
                    "forbidden" => ForbidRule::Forbidden,
                    other => panic!("unknown forbid rule {other:?}"),
                };
                let reason = words.collect::<Vec<_>>().join(" ");
                spec.rules.forbids.push(Forbid {
                    mentee,
                    mentor,
                    rule,
                    reason,
                });
            }
            "pin" => {
                let mentee = id(words.next().unwrap());
                let mentor = id(words.next().unwrap());
                spec.rules.pins.push(Pin { mentee, mentor });
            }
            other => panic!("unknown fixture line kind {other:?}"),
        }
    }
    spec
}

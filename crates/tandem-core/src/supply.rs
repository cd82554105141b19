//! Supply and demand of mentors (R10.2): mentees waiting against the free places of mentors who
//! could take them, by rank band, topic and location, so a coordinator sees where the scheme is
//! short of mentors ("we need ACO mentors") before appealing for them.

use crate::policy::RankDirection;
use std::collections::BTreeMap;

/// A rank band as the supply page counts it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Band {
    /// Seniority (the organisation's level).
    pub level: u8,
    /// Its code (`acc`, `inspector`, …).
    pub code: String,
    /// Its name.
    pub name: String,
}

/// A mentee waiting for a mentor.
#[derive(Debug, Clone)]
pub struct Demand {
    /// Their rank band, if their organisation maps their rank.
    pub band: Option<Band>,
    /// The topics they want help with.
    pub topics: Vec<String>,
    /// Where they work.
    pub location: String,
}

/// A mentor with free places.
#[derive(Debug, Clone)]
pub struct Offer {
    /// Their rank band.
    pub band: Option<Band>,
    /// The topics they offer.
    pub topics: Vec<String>,
    /// Where they work.
    pub location: String,
    /// Places they have free.
    pub places: u32,
}

/// One line of the supply page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// What it counts (a band's name, a topic, a place).
    pub label: String,
    /// The band's code, for an appeal (band lines only).
    pub band: Option<String>,
    /// Mentees waiting.
    pub mentees: u32,
    /// Free places of the mentors who could take them.
    pub places: u32,
}

impl Line {
    /// Mentees who would still wait if every place were filled.
    pub fn shortfall(&self) -> u32 {
        self.mentees.saturating_sub(self.places)
    }
}

/// The whole picture for one scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    /// Every mentee waiting against every free place.
    pub total: Line,
    /// By the mentees' rank band, against the places of mentors whose band the scheme's rank
    /// direction allows for them; the shortest first.
    pub bands: Vec<Line>,
    /// By topic wanted, against places of mentors offering it; the shortest first.
    pub topics: Vec<Line>,
    /// By the mentees' location, against places of mentors at the same location; the shortest
    /// first.
    pub locations: Vec<Line>,
}

impl Balance {
    /// The lines where mentees would wait however the places were filled, the whole scheme
    /// first.
    pub fn short(&self) -> impl Iterator<Item = &Line> {
        std::iter::once(&self.total)
            .chain(&self.bands)
            .chain(&self.topics)
            .chain(&self.locations)
            .filter(|line| line.shortfall() > 0)
    }
}

/// Whether a mentor of band `mentor` may take a mentee of band `mentee` under `direction`; a
/// person with no band fits anyone, as the matching rules treat them.
fn fits(direction: RankDirection, mentor: Option<&Band>, mentee: Option<&Band>) -> bool {
    let (Some(mentor), Some(mentee)) = (mentor, mentee) else {
        return true;
    };
    match direction {
        RankDirection::MentorSenior => mentor.level > mentee.level,
        RankDirection::MentorJunior => mentor.level < mentee.level,
        RankDirection::Peer => mentor.level == mentee.level,
        RankDirection::Any => true,
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn sorted(mut lines: Vec<Line>) -> Vec<Line> {
    lines.sort_by(|a, b| {
        b.shortfall()
            .cmp(&a.shortfall())
            .then(b.mentees.cmp(&a.mentees))
            .then_with(|| a.label.cmp(&b.label))
    });
    lines
}

/// Counts `mentees` against `mentors` for a scheme whose rank direction is `direction`.
pub fn balance(direction: RankDirection, mentees: &[Demand], mentors: &[Offer]) -> Balance {
    let total = Line {
        label: "All mentees".to_owned(),
        band: None,
        mentees: to_u32(mentees.len()),
        places: mentors.iter().map(|it| it.places).sum(),
    };

    let mut bands: BTreeMap<Option<Band>, u32> = BTreeMap::new();
    for mentee in mentees {
        *bands.entry(mentee.band.clone()).or_default() += 1;
    }
    let bands = bands
        .into_iter()
        .map(|(band, count)| Line {
            label: band
                .as_ref()
                .map_or_else(|| "No rank band".to_owned(), |it| it.name.clone()),
            band: band.as_ref().map(|it| it.code.clone()),
            mentees: count,
            places: mentors
                .iter()
                .filter(|mentor| fits(direction, mentor.band.as_ref(), band.as_ref()))
                .map(|it| it.places)
                .sum(),
        })
        .collect();

    let mut topics: BTreeMap<&str, u32> = BTreeMap::new();
    for mentee in mentees {
        for topic in &mentee.topics {
            *topics.entry(topic.as_str()).or_default() += 1;
        }
    }
    let topics = topics
        .into_iter()
        .map(|(topic, count)| Line {
            label: topic.to_owned(),
            band: None,
            mentees: count,
            places: mentors
                .iter()
                .filter(|mentor| mentor.topics.iter().any(|it| it == topic))
                .map(|it| it.places)
                .sum(),
        })
        .collect();

    let mut locations: BTreeMap<&str, u32> = BTreeMap::new();
    for mentee in mentees {
        *locations.entry(mentee.location.as_str()).or_default() += 1;
    }
    let locations = locations
        .into_iter()
        .map(|(location, count)| Line {
            label: if location.is_empty() {
                "No location given".to_owned()
            } else {
                location.to_owned()
            },
            band: None,
            mentees: count,
            places: mentors
                .iter()
                .filter(|mentor| mentor.location == location)
                .map(|it| it.places)
                .sum(),
        })
        .collect();

    Balance {
        total,
        bands: sorted(bands),
        topics: sorted(topics),
        locations: sorted(locations),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(level: u8, code: &str) -> Option<Band> {
        Some(Band {
            level,
            code: code.to_owned(),
            name: code.to_uppercase(),
        })
    }

    fn mentee(band: Option<Band>, topics: &[&str], location: &str) -> Demand {
        Demand {
            band,
            topics: topics.iter().map(|it| (*it).to_owned()).collect(),
            location: location.to_owned(),
        }
    }

    fn mentor(band: Option<Band>, topics: &[&str], location: &str, places: u32) -> Offer {
        Offer {
            band,
            topics: topics.iter().map(|it| (*it).to_owned()).collect(),
            location: location.to_owned(),
            places,
        }
    }

    #[test]
    fn a_peer_scheme_is_short_of_the_band_whose_mentees_outnumber_its_places() {
        let mentees = [
            mentee(band(7, "acc"), &["Leadership"], "London"),
            mentee(band(7, "acc"), &["Leadership"], "Leeds"),
            mentee(band(7, "acc"), &["Managing change"], "London"),
            mentee(band(8, "dcc"), &["Leadership"], "London"),
        ];
        let mentors = [
            mentor(band(7, "acc"), &["Leadership"], "London", 1),
            mentor(band(8, "dcc"), &["Leadership"], "Leeds", 2),
        ];
        let balance = balance(RankDirection::Peer, &mentees, &mentors);
        assert_eq!((balance.total.mentees, balance.total.places), (4, 3));
        let first = &balance.bands[0];
        assert_eq!(
            (first.band.as_deref(), first.mentees, first.places),
            (Some("acc"), 3, 1)
        );
        assert_eq!(first.shortfall(), 2);
        assert_eq!(balance.bands[1].shortfall(), 0, "DCC mentors have room");
        let short: Vec<&str> = balance.short().map(|it| it.label.as_str()).collect();
        assert_eq!(short, ["All mentees", "ACC", "Managing change", "London"]);
    }

    #[test]
    fn the_rank_direction_decides_which_mentors_count_for_a_band() {
        let mentees = [mentee(band(2, "constable"), &[], "Here")];
        let mentors = [
            mentor(band(2, "constable"), &[], "Here", 1),
            mentor(band(4, "inspector"), &[], "Here", 2),
        ];
        let places = |direction| balance(direction, &mentees, &mentors).bands[0].places;
        assert_eq!(places(RankDirection::MentorSenior), 2);
        assert_eq!(places(RankDirection::MentorJunior), 0);
        assert_eq!(places(RankDirection::Peer), 1);
        assert_eq!(places(RankDirection::Any), 3);
    }

    #[test]
    fn people_without_a_band_fit_any_band_as_matching_treats_them() {
        let mentees = [mentee(None, &[], "Here")];
        let mentors = [mentor(band(9, "chief-constable"), &[], "There", 1)];
        let balance = balance(RankDirection::Peer, &mentees, &mentors);
        assert_eq!(balance.bands[0].label, "No rank band");
        assert_eq!(balance.bands[0].places, 1);
        assert_eq!(balance.locations[0].places, 0, "the mentor works elsewhere");
    }
}

//! Ranks and grades, and the organisation's mapping of each to a rank band.
//!
//! Schemes target bands (peer mentoring for ACCs and ACOs, reverse mentoring from frontline
//! to chief officers), so every rank or grade a person holds must map to exactly one band.
//! The mapping belongs to the organisation and is editable; [`RankBands::uk_policing`] is the
//! default a new organisation starts from.

use super::{ParseError, has_control_chars};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A rank (officers, specials) or grade (staff) as the HR file writes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RankOrGrade(String);

impl RankOrGrade {
    /// Parses a rank or grade, trimming surrounding spaces and collapsing inner runs of spaces.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let rank = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if rank.is_empty() {
            return Err(ParseError::new(
                "is empty; give the person's rank or grade, e.g. Sergeant or Grade 5",
            ));
        }
        if rank.chars().count() > 60 || has_control_chars(&rank) {
            return Err(ParseError::new(
                "is not a rank or grade: use at most 60 characters",
            ));
        }
        Ok(Self(rank))
    }

    fn lookup_key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl AsRef<str> for RankOrGrade {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RankOrGrade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// One band of comparable seniority, e.g. `acc` for Assistant Chief Constables and Assistant
/// Chief Officers. `level` orders bands: higher is more senior.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankBand {
    /// Short code used by scheme policies (`constable`, `acc`, …).
    pub code: String,
    /// Name shown to people.
    pub name: String,
    /// Seniority: 0 for community members, rising with rank.
    pub level: u8,
    /// The ranks and grades in this band, as HR files write them (matched ignoring case).
    pub ranks: Vec<String>,
}

/// An organisation's bands and the rank-to-band lookup built from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankBands {
    bands: Vec<RankBand>,
    by_rank: BTreeMap<String, usize>,
}

/// What is wrong with a rank-band mapping.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RankBandsError {
    /// The text is not valid TOML of the expected shape.
    #[error("rank-band mapping is not valid: {0}")]
    Syntax(String),
    /// Two bands share a code.
    #[error("rank band code '{0}' is used twice")]
    DuplicateCode(String),
    /// A band code is not a lowercase slug.
    #[error("rank band code '{0}' must be lowercase letters, digits and hyphens")]
    BadCode(String),
    /// A rank appears in two bands, so a person's band would be ambiguous.
    #[error("rank '{rank}' is in both band '{first}' and band '{second}'")]
    AmbiguousRank {
        /// The rank text.
        rank: String,
        /// The first band it was found in.
        first: String,
        /// The second band it was found in.
        second: String,
    },
    /// There are no bands at all.
    #[error("rank-band mapping has no bands")]
    Empty,
}

/// The part of a band's row a [`BandProblem`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BandPart {
    /// The band's name.
    Name,
    /// The band's seniority.
    Level,
    /// The ranks and grades it holds.
    Ranks,
}

/// A band as an administrator edits it: the seniority as typed, and no code for a new band.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BandEdit {
    /// The saved band's code, kept so schemes naming it still find it; empty for a new band.
    pub code: String,
    /// Name shown to people.
    pub name: String,
    /// Seniority as typed: a whole number, 0 for community members.
    pub level: String,
    /// The ranks and grades in this band.
    pub ranks: Vec<String>,
}

impl From<&RankBand> for BandEdit {
    fn from(band: &RankBand) -> Self {
        Self {
            code: band.code.clone(),
            name: band.name.clone(),
            level: band.level.to_string(),
            ranks: band.ranks.clone(),
        }
    }
}

/// One thing wrong with a mapping an administrator edits, in words, located at a band's part
/// (`at` is `None` for the mapping as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandProblem {
    /// The band's place in the list (from 0) and the part to fix.
    pub at: Option<(usize, BandPart)>,
    /// What is wrong and what to do, naming bands and ranks as people write them.
    pub message: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RankBandsFile {
    band: Vec<RankBand>,
}

impl RankBands {
    /// Builds the lookup, refusing duplicate codes and ranks mapped to two bands.
    pub fn new(bands: Vec<RankBand>) -> Result<Self, RankBandsError> {
        if bands.is_empty() {
            return Err(RankBandsError::Empty);
        }
        let mut by_rank = BTreeMap::new();
        for (idx, band) in bands.iter().enumerate() {
            let code_ok = !band.code.is_empty()
                && band
                    .code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !code_ok {
                return Err(RankBandsError::BadCode(band.code.clone()));
            }
            if bands[..idx].iter().any(|other| other.code == band.code) {
                return Err(RankBandsError::DuplicateCode(band.code.clone()));
            }
            for rank in &band.ranks {
                let key = RankOrGrade::parse(rank)
                    .map_err(|err| {
                        RankBandsError::Syntax(format!("band '{}': rank {err}", band.code))
                    })?
                    .lookup_key();
                if let Some(&first) = by_rank.get(&key) {
                    let first: &RankBand = &bands[first];
                    return Err(RankBandsError::AmbiguousRank {
                        rank: rank.clone(),
                        first: first.code.clone(),
                        second: band.code.clone(),
                    });
                }
                by_rank.insert(key, idx);
            }
        }
        Ok(Self { bands, by_rank })
    }

    /// Checks bands as an administrator edits them, giving a band without a code one made from
    /// its name, and reports every problem at the band and part to fix, in words.
    pub fn check(edits: Vec<BandEdit>) -> Result<Self, Vec<BandProblem>> {
        let mut problems = Vec::new();
        let mut fail = |idx: usize, part: BandPart, message: String| {
            problems.push(BandProblem {
                at: Some((idx, part)),
                message,
            });
        };
        let mut bands = Vec::with_capacity(edits.len());
        for (idx, edit) in edits.into_iter().enumerate() {
            let raw = edit.level.trim();
            let level = if raw.is_empty() {
                fail(
                    idx,
                    BandPart::Level,
                    "enter the band's seniority, 0 for community members and higher for more senior ranks".to_owned(),
                );
                0
            } else {
                raw.parse::<u8>().unwrap_or_else(|_| {
                    fail(
                        idx,
                        BandPart::Level,
                        format!("enter the seniority as a whole number from 0 to 255, not '{raw}'"),
                    );
                    0
                })
            };
            bands.push(RankBand {
                code: edit.code.trim().to_owned(),
                name: edit.name,
                level,
                ranks: edit.ranks,
            });
        }
        if bands.is_empty() {
            return Err(vec![BandProblem {
                at: None,
                message: "add at least one rank band".to_owned(),
            }]);
        }
        for idx in 0..bands.len() {
            if bands[idx].code.trim().is_empty() {
                let code = {
                    let taken: Vec<&str> = bands.iter().map(|band| band.code.as_str()).collect();
                    Self::code_for(&bands[idx].name, &taken)
                };
                bands[idx].code = code;
            }
        }
        let mut by_rank: BTreeMap<String, usize> = BTreeMap::new();
        for (idx, band) in bands.iter().enumerate() {
            let name = band.name.trim();
            if name.is_empty() {
                fail(idx, BandPart::Name, "enter the band's name".to_owned());
            } else if name.chars().count() > 100 || has_control_chars(name) {
                fail(
                    idx,
                    BandPart::Name,
                    "write the band's name in at most 100 characters".to_owned(),
                );
            } else if bands[..idx]
                .iter()
                .any(|other| other.name.trim().eq_ignore_ascii_case(name))
            {
                fail(
                    idx,
                    BandPart::Name,
                    format!("another band is called {name}; give each band its own name"),
                );
            }
            let code_ok = band
                .code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !code_ok || bands[..idx].iter().any(|other| other.code == band.code) {
                // Codes come from the page's own rows; a changed one is a sent form, not a typo.
                fail(
                    idx,
                    BandPart::Name,
                    "this band could not be told apart from another; open the settings again and redo the change".to_owned(),
                );
            }
            let mut own = std::collections::BTreeSet::new();
            for rank in &band.ranks {
                let parsed = match RankOrGrade::parse(rank) {
                    Ok(parsed) => parsed,
                    Err(err) => {
                        fail(idx, BandPart::Ranks, format!("'{rank}' {err}"));
                        continue;
                    }
                };
                let key = parsed.lookup_key();
                if !own.insert(key.clone()) {
                    fail(
                        idx,
                        BandPart::Ranks,
                        format!("{parsed} is listed twice; list each rank or grade once"),
                    );
                } else if let Some(&first) = by_rank.get(&key) {
                    fail(
                        idx,
                        BandPart::Ranks,
                        format!(
                            "{parsed} is also in the band {}; a rank or grade belongs to one band only",
                            bands[first].name.trim()
                        ),
                    );
                } else {
                    by_rank.insert(key, idx);
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        for band in &mut bands {
            band.name = band.name.trim().to_owned();
        }
        Self::new(bands).map_err(|err| {
            vec![BandProblem {
                at: None,
                message: err.to_string(),
            }]
        })
    }

    /// The code a new band named `name` gets: its name in lowercase letters, digits and hyphens,
    /// numbered if a band in `taken` already has it.
    pub fn code_for(name: &str, taken: &[&str]) -> String {
        let mut slug = String::new();
        for c in name.trim().chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let stem = match slug.trim_end_matches('-') {
            "" => "band".to_owned(),
            it => it.chars().take(40).collect::<String>(),
        };
        let stem = stem.trim_end_matches('-').to_owned();
        let mut code = stem.clone();
        let mut n = 2;
        while taken.contains(&code.as_str()) {
            code = format!("{stem}-{n}");
            n += 1;
        }
        code
    }

    /// Parses the stored TOML form (`[[band]]` tables).
    pub fn from_toml(text: &str) -> Result<Self, RankBandsError> {
        let file: RankBandsFile =
            toml::from_str(text).map_err(|err| RankBandsError::Syntax(err.message().to_owned()))?;
        Self::new(file.band)
    }

    /// The stored TOML form; [`RankBands::from_toml`] reads it back unchanged.
    pub fn to_toml(&self) -> String {
        toml::to_string(&RankBandsFile {
            band: self.bands.clone(),
        })
        .expect("rank bands are plain tables and always serialise")
    }

    /// The band a rank or grade belongs to, if the organisation maps it.
    pub fn band_of(&self, rank: &RankOrGrade) -> Option<&RankBand> {
        self.by_rank
            .get(&rank.lookup_key())
            .map(|&idx| &self.bands[idx])
    }

    /// The band with this code.
    pub fn band(&self, code: &str) -> Option<&RankBand> {
        self.bands.iter().find(|band| band.code == code)
    }

    /// All bands in the order the organisation lists them.
    pub fn bands(&self) -> &[RankBand] {
        &self.bands
    }

    /// The default mapping for a UK police organisation: officer ranks, special constabulary
    /// ranks, common police staff grades and community roles.
    pub fn uk_policing() -> Self {
        fn band(code: &str, name: &str, level: u8, ranks: &[&str]) -> RankBand {
            RankBand {
                code: code.to_owned(),
                name: name.to_owned(),
                level,
                ranks: ranks.iter().map(|&rank| rank.to_owned()).collect(),
            }
        }
        let bands = vec![
            band(
                "community",
                "Volunteers and community members",
                0,
                &[
                    "Volunteer",
                    "Police Support Volunteer",
                    "Community Member",
                    "External",
                    "Student",
                    "Cadet Leader",
                ],
            ),
            band(
                "constable",
                "Constables and equivalent staff",
                1,
                &[
                    "Constable",
                    "Police Constable",
                    "Detective Constable",
                    "Special Constable",
                    "PCSO",
                    "Police Community Support Officer",
                    "Grade 1",
                    "Grade 2",
                    "Grade 3",
                    "Grade 4",
                    "AO",
                ],
            ),
            band(
                "sergeant",
                "Sergeants and equivalent staff",
                2,
                &[
                    "Sergeant",
                    "Detective Sergeant",
                    "Special Sergeant",
                    "Grade 5",
                    "Grade 6",
                    "EO",
                ],
            ),
            band(
                "inspector",
                "Inspectors and equivalent staff",
                3,
                &[
                    "Inspector",
                    "Detective Inspector",
                    "Special Inspector",
                    "Grade 7",
                    "HEO",
                ],
            ),
            band(
                "chief-inspector",
                "Chief Inspectors and equivalent staff",
                4,
                &[
                    "Chief Inspector",
                    "Detective Chief Inspector",
                    "Special Chief Inspector",
                    "Grade 8",
                    "SEO",
                ],
            ),
            band(
                "superintendent",
                "Superintendents and equivalent staff",
                5,
                &[
                    "Superintendent",
                    "Detective Superintendent",
                    "Special Superintendent",
                    "Grade 9",
                    "Grade 10",
                ],
            ),
            band(
                "chief-superintendent",
                "Chief Superintendents and equivalent staff",
                6,
                &[
                    "Chief Superintendent",
                    "Detective Chief Superintendent",
                    "Special Chief Officer",
                    "Grade 11",
                    "Grade 12",
                ],
            ),
            band(
                "acc",
                "Assistant Chief Constables and Assistant Chief Officers",
                7,
                &[
                    "Assistant Chief Constable",
                    "Assistant Chief Officer",
                    "Commander",
                    "Director",
                ],
            ),
            band(
                "dcc",
                "Deputy Chief Constables and Deputy Chief Officers",
                8,
                &[
                    "Deputy Chief Constable",
                    "Deputy Chief Officer",
                    "Deputy Chief Executive",
                ],
            ),
            band(
                "chief-constable",
                "Chief Constables and Chief Executives",
                9,
                &["Chief Constable", "Chief Executive"],
            ),
        ];
        // The table above is fixed and checked by a test; it cannot be ambiguous.
        Self::new(bands).unwrap_or_else(|err| panic!("built-in rank bands are invalid: {err}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_matched_ignoring_case_and_spacing() {
        let bands = RankBands::uk_policing();
        let rank = RankOrGrade::parse("  assistant   chief officer ").unwrap();
        assert_eq!(bands.band_of(&rank).unwrap().code, "acc");
        assert_eq!(
            bands
                .band_of(&RankOrGrade::parse("GRADE 5").unwrap())
                .unwrap()
                .code,
            "sergeant"
        );
    }

    #[test]
    fn unmapped_ranks_have_no_band() {
        let bands = RankBands::uk_policing();
        assert!(
            bands
                .band_of(&RankOrGrade::parse("Grade 13").unwrap())
                .is_none()
        );
    }

    #[test]
    fn bands_are_ordered_by_seniority() {
        let bands = RankBands::uk_policing();
        let levels: Vec<u8> = bands.bands().iter().map(|band| band.level).collect();
        assert!(levels.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn the_stored_form_round_trips() {
        let bands = RankBands::uk_policing();
        assert_eq!(RankBands::from_toml(&bands.to_toml()).unwrap(), bands);
    }

    #[test]
    fn a_rank_in_two_bands_is_refused() {
        let text = r#"
            [[band]]
            code = "a"
            name = "A"
            level = 1
            ranks = ["Sergeant"]
            [[band]]
            code = "b"
            name = "B"
            level = 2
            ranks = ["sergeant"]
        "#;
        assert_eq!(
            RankBands::from_toml(text).unwrap_err().to_string(),
            "rank 'sergeant' is in both band 'a' and band 'b'"
        );
    }

    fn band(code: &str, name: &str, level: &str, ranks: &[&str]) -> BandEdit {
        BandEdit {
            code: code.to_owned(),
            name: name.to_owned(),
            level: level.to_owned(),
            ranks: ranks.iter().map(|&it| it.to_owned()).collect(),
        }
    }

    #[test]
    fn an_edited_mapping_reports_every_problem_at_its_band_in_words() {
        let problems = RankBands::check(vec![
            band("a", "Sergeants", "1", &["Sergeant", "sergeant"]),
            band("", " ", "", &["Inspector"]),
            band("", "Inspectors", "high", &["SERGEANT", &"x".repeat(61)]),
            band("", "sergeants", "4", &[]),
        ])
        .unwrap_err();
        let found: Vec<(Option<(usize, BandPart)>, &str)> = problems
            .iter()
            .map(|it| (it.at, it.message.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    Some((1, BandPart::Level)),
                    "enter the band's seniority, 0 for community members and higher for more senior ranks"
                ),
                (
                    Some((2, BandPart::Level)),
                    "enter the seniority as a whole number from 0 to 255, not 'high'"
                ),
                (
                    Some((0, BandPart::Ranks)),
                    "sergeant is listed twice; list each rank or grade once"
                ),
                (Some((1, BandPart::Name)), "enter the band's name"),
                (
                    Some((2, BandPart::Ranks)),
                    "SERGEANT is also in the band Sergeants; a rank or grade belongs to one band only"
                ),
                (
                    Some((2, BandPart::Ranks)),
                    &*format!(
                        "'{}' is not a rank or grade: use at most 60 characters",
                        "x".repeat(61)
                    )
                ),
                (
                    Some((3, BandPart::Name)),
                    "another band is called sergeants; give each band its own name"
                ),
            ]
        );
    }

    #[test]
    fn a_new_band_gets_a_code_from_its_name_kept_apart_from_the_others() {
        let bands = RankBands::check(vec![
            band(
                "chief-inspector",
                "Chief Inspectors",
                "4",
                &["Chief Inspector"],
            ),
            band("", "Chief  Inspector's team!", "5", &["DCI"]),
            band("", "Chief Inspector's team", "6", &["Grade 8"]),
            band("", "***", "7", &[]),
        ])
        .unwrap();
        let codes: Vec<&str> = bands.bands().iter().map(|it| it.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "chief-inspector",
                "chief-inspector-s-team",
                "chief-inspector-s-team-2",
                "band"
            ]
        );
        assert_eq!(
            RankBands::check(Vec::new()).unwrap_err()[0].message,
            "add at least one rank band"
        );
    }

    #[test]
    fn a_misspelt_key_is_refused() {
        let text = "[[band]]\ncode = \"a\"\nname = \"A\"\nlevle = 1\nranks = []\n";
        assert!(RankBands::from_toml(text).is_err());
    }
}

//! A compact, index-based copy of a problem for the hot loops: feasibility and scoring.
//!
//! Strings become small integers and tag lists become bit sets, so one pair costs a few
//! integer operations. This is the only implementation of the hard rules' pair test and of
//! the score: `rules` and `score` explain what it computes, they do not compute it again.

use std::collections::HashMap;

use crate::problem::{
    Adjustment, Direction, ForbidRule, MAX_RANK_LEVEL, MenteeIdx, MentorIdx, ProblemSpec,
};
use crate::score::{self, FACTOR_COUNT};
use crate::values::{PersonId, Tag};

/// Position of the experience factor in `Factor::ALL`.
const EXPERIENCE: usize = 3;

/// Topic counts below this are looked up in `Compiled::topic_table`.
const TOPIC_TABLE_SIDE: u32 = 65;

/// Marks "none" in `u32` index arrays.
pub(crate) const NONE: u32 = u32::MAX;

/// Interns strings to dense ids in order of first appearance (so ids are deterministic).
#[derive(Debug, Default)]
struct Interner(HashMap<String, u32>);

impl Interner {
    fn id(&mut self, key: String) -> u32 {
        let next = self.0.len() as u32;
        *self.0.entry(key).or_insert(next)
    }
}

/// A set of tags as bits over the problem's own tag vocabulary, stored flat.
#[derive(Debug, Clone, Default)]
struct TagSets {
    words: usize,
    bits: Vec<u64>,
}

impl TagSets {
    fn of(&self, k: usize) -> &[u64] {
        &self.bits[k * self.words..(k + 1) * self.words]
    }
}

fn shared_count(a: &[u64], b: &[u64]) -> u32 {
    a.iter().zip(b).map(|(x, y)| (x & y).count_ones()).sum()
}

fn tag_sets<'a>(
    lists: impl Iterator<Item = &'a [Tag]> + Clone,
    vocabulary: &HashMap<&'a str, usize>,
) -> TagSets {
    let words = vocabulary.len().div_ceil(64).max(1);
    let mut bits = Vec::new();
    for list in lists {
        let start = bits.len();
        bits.resize(start + words, 0u64);
        for tag in list {
            if let Some(&k) = vocabulary.get(tag.as_str()) {
                bits[start + k / 64] |= 1 << (k % 64);
            }
        }
    }
    TagSets { words, bits }
}

fn vocabulary<'a>(lists: impl Iterator<Item = &'a [Tag]>) -> HashMap<&'a str, usize> {
    let mut vocabulary = HashMap::new();
    for tag in lists.flatten() {
        let next = vocabulary.len();
        vocabulary.entry(tag.as_str()).or_insert(next);
    }
    vocabulary
}

/// Place of a person as interned ids; `NONE` where unknown so it never equals anything.
#[derive(Debug, Clone, Copy)]
struct Place {
    organisation: u32,
    department: u32,
    location: u32,
}

fn place(
    interner: &mut [Interner; 3],
    organisation: &str,
    department: &str,
    location: &str,
) -> Place {
    let organisation_key = organisation.trim().to_lowercase();
    let department_key = department.trim().to_lowercase();
    let location_key = location.trim().to_lowercase();
    let [organisations, departments, locations] = interner;
    let organisation = organisations.id(organisation_key.clone());
    Place {
        organisation,
        // A department is only "the same" inside one organisation.
        department: if department_key.is_empty() {
            NONE
        } else {
            departments.id(format!("{organisation}\u{0}{department_key}"))
        },
        location: if location_key.is_empty() {
            NONE
        } else {
            locations.id(location_key)
        },
    }
}

/// Everything the hot loops need, in struct-of-arrays form.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub(crate) direction: Direction,
    pub(crate) weights: [i32; FACTOR_COUNT],
    pub(crate) cross_force: bool,
    pub(crate) training_required: bool,
    pub(crate) enforce_direction: bool,
    pub(crate) different_organisation: bool,
    pub(crate) different_department: bool,

    mentor_place: Vec<Place>,
    mentor_remote_ok: Vec<bool>,
    mentor_rank: Vec<u8>,
    mentor_trained: Vec<bool>,
    mentor_availability: Vec<u32>,
    mentor_experience_points: Vec<u8>,
    mentor_topics: TagSets,
    mentor_characteristics: TagSets,
    /// Capacity left once pins are placed.
    pub(crate) residual_capacity: Vec<u32>,

    mentee_place: Vec<Place>,
    mentee_remote_ok: Vec<bool>,
    mentee_no_travel: Vec<bool>,
    mentee_rank: Vec<u8>,
    mentee_trained: Vec<bool>,
    mentee_availability: Vec<u32>,
    mentee_wants: TagSets,
    mentee_wants_count: Vec<u32>,
    mentee_diversity: TagSets,
    mentee_has_diversity: Vec<bool>,
    mentee_preferred: Vec<u32>,
    /// The mentor who is the same person as this mentee, if any.
    mentee_self: Vec<u32>,
    /// The mentors each mentee still wants once its pins are placed (0: outside the solve).
    pub(crate) mentee_supply: Vec<u8>,
    /// Each mentee's pinned mentors, sorted, as a CSR list (never an arc of the solve).
    pin_start: Vec<u32>,
    pin_mentor: Vec<u32>,

    /// Forbidden mentors per mentee, sorted, as a CSR list.
    forbid_start: Vec<u32>,
    forbid_mentor: Vec<u32>,
    forbid_rule: Vec<ForbidRule>,
    forbid_reason: Vec<u32>,

    /// `topic_fit_points(wanted, shared)` for small counts, to spare a division per pair.
    topic_table: Vec<u8>,
    /// `rank_gap_points` by `gap + MAX_RANK_LEVEL` for the scheme's direction.
    rank_table: [u8; 2 * MAX_RANK_LEVEL as usize + 1],
    /// Whether the levels-apart bounds allow a pair, by `mentor rank - mentee rank + MAX_RANK_LEVEL`.
    levels_allowed: [bool; 2 * MAX_RANK_LEVEL as usize + 1],
    /// `availability_points(true, shared)` by the number of shared slots.
    availability_table: [u8; 22],

    /// Mentors per organisation, in input order, as a CSR list.
    organisation_start: Vec<u32>,
    organisation_mentors: Vec<u32>,
    /// Every mentor index in order, for cross-force schemes.
    all_mentors: Vec<u32>,
    /// Each mentor's position in its group of `mentor_groups`.
    mentor_group_position: Vec<u32>,
}

impl Compiled {
    pub(crate) fn new(
        spec: &ProblemSpec,
        mentor_by_id: &HashMap<PersonId, MentorIdx>,
        mentee_by_id: &HashMap<PersonId, MenteeIdx>,
    ) -> Compiled {
        let mut interner: [Interner; 3] = Default::default();
        let weights = score::weight_array(&spec.scheme.weights);
        let mentor_place: Vec<Place> = spec
            .mentors
            .iter()
            .map(|m| place(&mut interner, &m.organisation, &m.department, &m.location))
            .collect();
        let mentee_place: Vec<Place> = spec
            .mentees
            .iter()
            .map(|m| place(&mut interner, &m.organisation, &m.department, &m.location))
            .collect();

        let topics = vocabulary(
            spec.mentors
                .iter()
                .map(|m| m.topics.as_slice())
                .chain(spec.mentees.iter().map(|m| m.development_areas.as_slice())),
        );
        let characteristics = vocabulary(
            spec.mentors
                .iter()
                .map(|m| m.characteristics.as_slice())
                .chain(
                    spec.mentees
                        .iter()
                        .map(|m| m.diversity_preference.as_slice()),
                ),
        );

        let n = spec.mentees.len();
        let mut forbids: Vec<(u32, u32, ForbidRule, u32)> = spec
            .rules
            .forbids
            .iter()
            .enumerate()
            .filter_map(|(k, forbid)| {
                let mentee = mentee_by_id.get(&forbid.mentee)?;
                let mentor = mentor_by_id.get(&forbid.mentor)?;
                Some((mentee.0, mentor.0, forbid.rule, k as u32))
            })
            .collect();
        forbids.sort_unstable();
        let mut forbid_start = vec![0u32; n + 1];
        for forbid in &forbids {
            forbid_start[forbid.0 as usize + 1] += 1;
        }
        for k in 0..n {
            forbid_start[k + 1] += forbid_start[k];
        }

        let organisation_count = interner[0].0.len();
        let mut organisation_start = vec![0u32; organisation_count + 1];
        for p in &mentor_place {
            organisation_start[p.organisation as usize + 1] += 1;
        }
        for k in 0..organisation_count {
            organisation_start[k + 1] += organisation_start[k];
        }
        let mut fill = organisation_start.clone();
        let mut organisation_mentors = vec![0u32; mentor_place.len()];
        let mut mentor_group_position: Vec<u32> = (0..mentor_place.len() as u32).collect();
        for (j, p) in mentor_place.iter().enumerate() {
            let slot = &mut fill[p.organisation as usize];
            organisation_mentors[*slot as usize] = j as u32;
            if !spec.rules.cross_force {
                mentor_group_position[j] = *slot - organisation_start[p.organisation as usize];
            }
            *slot += 1;
        }

        Compiled {
            direction: spec.scheme.direction,
            weights,
            cross_force: spec.rules.cross_force,
            training_required: spec.rules.training_required,
            enforce_direction: spec.rules.enforce_direction,
            different_organisation: spec.rules.different_organisation,
            different_department: spec.rules.different_department,
            mentor_place,
            mentor_remote_ok: spec.mentors.iter().map(|m| m.remote_ok).collect(),
            mentor_rank: spec.mentors.iter().map(|m| m.rank_level).collect(),
            mentor_trained: spec.mentors.iter().map(|m| m.training_done).collect(),
            mentor_availability: spec.mentors.iter().map(|m| m.availability.bits()).collect(),
            mentor_experience_points: spec
                .mentors
                .iter()
                .map(|m| score::experience_points(m.years_of_service))
                .collect(),
            mentor_topics: tag_sets(spec.mentors.iter().map(|m| m.topics.as_slice()), &topics),
            mentor_characteristics: tag_sets(
                spec.mentors.iter().map(|m| m.characteristics.as_slice()),
                &characteristics,
            ),
            residual_capacity: spec.mentors.iter().map(|m| m.capacity).collect(),
            mentee_place,
            mentee_remote_ok: spec
                .mentees
                .iter()
                .map(|m| m.remote_ok || m.adjustments.contains(&Adjustment::RemoteMeetings))
                .collect(),
            mentee_no_travel: spec
                .mentees
                .iter()
                .map(|m| m.adjustments.contains(&Adjustment::NoTravel))
                .collect(),
            mentee_rank: spec.mentees.iter().map(|m| m.rank_level).collect(),
            mentee_trained: spec.mentees.iter().map(|m| m.training_done).collect(),
            mentee_availability: spec.mentees.iter().map(|m| m.availability.bits()).collect(),
            mentee_wants: tag_sets(
                spec.mentees.iter().map(|m| m.development_areas.as_slice()),
                &topics,
            ),
            mentee_wants_count: Vec::new(),
            mentee_diversity: tag_sets(
                spec.mentees
                    .iter()
                    .map(|m| m.diversity_preference.as_slice()),
                &characteristics,
            ),
            mentee_has_diversity: spec
                .mentees
                .iter()
                .map(|m| !m.diversity_preference.is_empty())
                .collect(),
            mentee_preferred: spec
                .mentees
                .iter()
                .map(|m| {
                    m.preferred_mentor
                        .as_ref()
                        .and_then(|id| mentor_by_id.get(id))
                        .map_or(NONE, |j| j.0)
                })
                .collect(),
            mentee_self: spec
                .mentees
                .iter()
                .map(|m| mentor_by_id.get(&m.id).map_or(NONE, |j| j.0))
                .collect(),
            mentee_supply: spec.mentees.iter().map(|m| m.mentors).collect(),
            pin_start: vec![0; n + 1],
            pin_mentor: Vec::new(),
            forbid_start,
            forbid_mentor: forbids.iter().map(|f| f.1).collect(),
            forbid_rule: forbids.iter().map(|f| f.2).collect(),
            forbid_reason: forbids.iter().map(|f| f.3).collect(),
            organisation_start,
            organisation_mentors,
            all_mentors: (0..spec.mentors.len() as u32).collect(),
            mentor_group_position,
            topic_table: (0..TOPIC_TABLE_SIDE * TOPIC_TABLE_SIDE)
                .map(|k| score::topic_fit_points(k / TOPIC_TABLE_SIDE, k % TOPIC_TABLE_SIDE))
                .collect(),
            rank_table: std::array::from_fn(|k| {
                let gap = k as i32 - i32::from(MAX_RANK_LEVEL);
                score::rank_gap_points_of(&spec.scheme, gap.max(0) as u8, (-gap).max(0) as u8)
            }),
            levels_allowed: std::array::from_fn(|k| {
                let gap = k as i32 - i32::from(MAX_RANK_LEVEL);
                let apart = score::levels_apart(
                    spec.scheme.direction,
                    gap.max(0) as u8,
                    (-gap).max(0) as u8,
                );
                spec.rules
                    .min_levels_apart
                    .is_none_or(|min| apart >= i32::from(min))
                    && spec
                        .rules
                        .max_levels_apart
                        .is_none_or(|max| apart <= i32::from(max))
            }),
            availability_table: std::array::from_fn(|k| score::availability_points(true, k as u32)),
        }
        .with_wants_count()
    }

    fn with_wants_count(mut self) -> Compiled {
        let words = self.mentee_wants.words;
        self.mentee_wants_count = self
            .mentee_wants
            .bits
            .chunks(words)
            .map(|set| set.iter().map(|w| w.count_ones()).sum())
            .collect();
        self
    }

    /// Records the pins: each uses up one of its mentee's wanted mentors and one place of its
    /// mentor, and its pair leaves the solve.
    pub(crate) fn set_pins(&mut self, pinned_mentors: &[Vec<MentorIdx>]) {
        self.pin_start = Vec::with_capacity(pinned_mentors.len() + 1);
        self.pin_start.push(0);
        self.pin_mentor.clear();
        for (i, pins) in pinned_mentors.iter().enumerate() {
            let supply = &mut self.mentee_supply[i];
            *supply = supply.saturating_sub(pins.len() as u8);
            let mut sorted: Vec<u32> = pins.iter().map(|j| j.0).collect();
            sorted.sort_unstable();
            for &j in &sorted {
                let capacity = &mut self.residual_capacity[j as usize];
                *capacity = capacity.saturating_sub(1);
            }
            self.pin_mentor.extend(sorted);
            self.pin_start.push(self.pin_mentor.len() as u32);
        }
    }

    /// Whether the mentee is outside the solve (it wants no more mentors than its pins).
    #[inline]
    pub(crate) fn is_settled_by_pins(&self, i: usize) -> bool {
        self.mentee_supply[i] == 0
    }

    /// Whether the pair is pinned (so it is no arc of the solve).
    #[inline]
    pub(crate) fn is_pinned_pair(&self, i: usize, j: usize) -> bool {
        let pins = &self.pin_mentor[self.pin_start[i] as usize..self.pin_start[i + 1] as usize];
        pins.contains(&(j as u32))
    }

    /// `for_each_allowed` without the mentee's pinned mentors: the pairs the solve may add.
    #[inline]
    pub(crate) fn for_each_open(&self, i: usize, skip_full: bool, mut f: impl FnMut(usize)) {
        let pinned = self.pin_start[i] != self.pin_start[i + 1];
        self.for_each_allowed(i, skip_full, |j| {
            if !pinned || !self.is_pinned_pair(i, j) {
                f(j);
            }
        });
    }

    pub(crate) fn n_mentees(&self) -> usize {
        self.mentee_place.len()
    }

    pub(crate) fn n_mentors(&self) -> usize {
        self.mentor_place.len()
    }

    /// The mentors a mentee could be paired with by organisation alone, in index order
    /// (the forbid merge in `for_each_allowed` relies on that order).
    pub(crate) fn candidate_mentors(&self, i: usize) -> &[u32] {
        if self.cross_force {
            &self.all_mentors
        } else {
            let organisation = self.mentee_place[i].organisation as usize;
            match self.organisation_start.get(organisation..organisation + 2) {
                Some(&[start, end]) => &self.organisation_mentors[start as usize..end as usize],
                _ => &[],
            }
        }
    }

    /// Mentor lists by organisation (one list of all mentors when cross-force): every
    /// mentee's candidate mentors are exactly one of these groups.
    pub(crate) fn mentor_groups(&self) -> (Vec<std::ops::Range<usize>>, &[u32]) {
        if self.cross_force {
            (
                std::iter::once(0..self.all_mentors.len()).collect(),
                &self.all_mentors,
            )
        } else {
            let ranges = self
                .organisation_start
                .windows(2)
                .map(|w| w[0] as usize..w[1] as usize)
                .collect();
            (ranges, &self.organisation_mentors)
        }
    }

    /// A mentor's position in its group of `mentor_groups` (its index when cross-force).
    #[inline]
    pub(crate) fn group_position(&self, j: usize) -> u32 {
        self.mentor_group_position[j]
    }

    /// The group of `mentor_groups` holding a mentee's candidate mentors.
    pub(crate) fn group_of(&self, i: usize) -> usize {
        if self.cross_force {
            0
        } else {
            self.mentee_place[i].organisation as usize
        }
    }

    /// Whether a mentor is forbidden to a mentee by an explicit forbid.
    #[inline]
    pub(crate) fn is_forbidden(&self, i: usize, j: usize) -> bool {
        let forbidden = self.forbidden_mentors(i);
        !forbidden.is_empty() && forbidden.binary_search(&(j as u32)).is_ok()
    }

    /// The experience factor's contribution for a mentor: the one factor that depends on
    /// the mentor alone.
    #[inline]
    pub(crate) fn experience_contribution(&self, j: usize) -> i32 {
        i32::from(self.mentor_experience_points[j]) * self.weights[EXPERIENCE]
    }

    /// An upper bound of every other factor's contribution for a mentee, whoever the mentor:
    /// `score(i, j) <= score_bound(i) + experience_contribution(j)`.
    pub(crate) fn score_bound(&self, i: usize) -> i32 {
        let full = i32::from(score::MAX_POINTS);
        let neutral = i32::from(score::topic_fit_points(0, 0));
        let points: [i32; FACTOR_COUNT] = [
            if self.mentee_wants_count[i] == 0 {
                neutral
            } else {
                full
            },
            full,
            self.rank_table
                .iter()
                .copied()
                .max()
                .map_or(full, i32::from),
            0,
            if self.mentee_availability[i] == 0 {
                i32::from(score::availability_points(false, 0))
            } else {
                full
            },
            if self.mentee_preferred[i] == NONE {
                0
            } else {
                full
            },
            if self.mentee_has_diversity[i] {
                full
            } else {
                0
            },
        ];
        points.iter().zip(&self.weights).map(|(p, w)| p * w).sum()
    }

    /// The forbidden mentors of a mentee, sorted by index, with the forbid's rule and its
    /// position in `rules.forbids`.
    pub(crate) fn forbids_of(&self, i: usize) -> impl Iterator<Item = (u32, ForbidRule, u32)> + '_ {
        let range = self.forbid_start[i] as usize..self.forbid_start[i + 1] as usize;
        range.map(|k| {
            (
                self.forbid_mentor[k],
                self.forbid_rule[k],
                self.forbid_reason[k],
            )
        })
    }

    /// The forbidden mentors of a mentee, sorted by index.
    pub(crate) fn forbidden_mentors(&self, i: usize) -> &[u32] {
        &self.forbid_mentor[self.forbid_start[i] as usize..self.forbid_start[i + 1] as usize]
    }

    /// Every hard rule but the explicit forbids, which loops check by merging sorted lists.
    #[inline]
    pub(crate) fn allowed_ignoring_forbids(&self, i: usize, j: usize) -> bool {
        (self.cross_force || self.same_organisation(i, j))
            && (!self.training_required || self.both_trained(i, j))
            && !self.same_person(i, j)
            && (!self.enforce_direction || self.direction_allows(i, j))
            && self.levels_allow(i, j)
            && (!self.different_organisation || !self.same_organisation(i, j))
            && (!self.different_department || !self.same_department(i, j))
    }

    /// Whether the rank gap is within the scheme's levels-apart bounds (true without bounds).
    #[inline]
    pub(crate) fn levels_allow(&self, i: usize, j: usize) -> bool {
        let gap = i32::from(self.mentor_rank[j]) - i32::from(self.mentee_rank[i]);
        self.levels_allowed[(gap + i32::from(MAX_RANK_LEVEL)) as usize]
    }

    /// Whether both are known to be in the same department of the same organisation.
    #[inline]
    pub(crate) fn same_department(&self, i: usize, j: usize) -> bool {
        let department = self.mentee_place[i].department;
        department != NONE && department == self.mentor_place[j].department
    }

    /// Whether both belong to the same organisation (names compared without case).
    #[inline]
    pub(crate) fn same_organisation(&self, i: usize, j: usize) -> bool {
        self.mentee_place[i].organisation == self.mentor_place[j].organisation
    }

    /// Whether both finished the scheme's training.
    #[inline]
    pub(crate) fn both_trained(&self, i: usize, j: usize) -> bool {
        self.mentor_trained[j] && self.mentee_trained[i]
    }

    /// Whether the mentee and the mentor are one person (same id in both lists).
    #[inline]
    pub(crate) fn same_person(&self, i: usize, j: usize) -> bool {
        self.mentee_self[i] == j as u32
    }

    /// Calls `f` with every mentor the mentee may be paired with, in input order.
    ///
    /// Mentors of other organisations are never visited when the scheme is not cross-force,
    /// and forbids are merged as sorted lists, so a sparse rule set costs what it allows.
    /// With `skip_full`, mentors with no capacity left after pins are left out too.
    #[inline]
    pub(crate) fn for_each_allowed(&self, i: usize, skip_full: bool, mut f: impl FnMut(usize)) {
        let forbidden = self.forbidden_mentors(i);
        let mut next_forbidden = 0;
        for &j in self.candidate_mentors(i) {
            while next_forbidden < forbidden.len() && forbidden[next_forbidden] < j {
                next_forbidden += 1;
            }
            if forbidden.get(next_forbidden) == Some(&j) {
                continue;
            }
            let j = j as usize;
            if skip_full && self.residual_capacity[j] == 0 {
                continue;
            }
            if self.allowed_ignoring_forbids(i, j) {
                f(j);
            }
        }
    }

    /// Whether the rank gap points the way the scheme requires.
    pub(crate) fn direction_allows(&self, i: usize, j: usize) -> bool {
        let gap = i32::from(self.mentor_rank[j]) - i32::from(self.mentee_rank[i]);
        match self.direction {
            Direction::Traditional => gap > 0,
            Direction::Reverse => gap < 0,
            Direction::Peer => gap.abs() <= 1,
        }
    }

    /// Whether a pair breaks no hard rule.
    pub(crate) fn feasible_pair(&self, i: usize, j: usize) -> bool {
        self.allowed_ignoring_forbids(i, j)
            && self
                .forbidden_mentors(i)
                .binary_search(&(j as u32))
                .is_err()
    }

    /// The points (0..=100) of every factor for a pair, in `Factor::ALL` order.
    #[inline]
    pub(crate) fn points(&self, i: usize, j: usize) -> [u8; FACTOR_COUNT] {
        let mentee_place = self.mentee_place[i];
        let mentor_place = self.mentor_place[j];
        let mentee_availability = self.mentee_availability[i];
        let mentor_availability = self.mentor_availability[j];
        let wanted = self.mentee_wants_count[i];
        let shared_topics = if self.mentee_wants.words == 1 {
            (self.mentee_wants.bits[i] & self.mentor_topics.bits[j]).count_ones()
        } else {
            shared_count(self.mentee_wants.of(i), self.mentor_topics.of(j))
        };
        let topic_fit = match self
            .topic_table
            .get((wanted * TOPIC_TABLE_SIDE + shared_topics) as usize)
        {
            Some(&points) if wanted < TOPIC_TABLE_SIDE => points,
            _ => score::topic_fit_points(wanted, shared_topics),
        };
        let shares_characteristic = self.mentee_has_diversity[i]
            && if self.mentee_diversity.words == 1 {
                self.mentee_diversity.bits[i] & self.mentor_characteristics.bits[j] != 0
            } else {
                shared_count(
                    self.mentee_diversity.of(i),
                    self.mentor_characteristics.of(j),
                ) > 0
            };
        let gap = i32::from(self.mentor_rank[j]) - i32::from(self.mentee_rank[i]);
        [
            topic_fit,
            score::location_fit_points(score::PlaceMatch {
                same_location: mentee_place.location != NONE
                    && mentee_place.location == mentor_place.location,
                same_department: mentee_place.department != NONE
                    && mentee_place.department == mentor_place.department,
                same_organisation: mentee_place.organisation == mentor_place.organisation,
                remote_both: self.mentor_remote_ok[j] && self.mentee_remote_ok[i],
                mentee_no_travel: self.mentee_no_travel[i],
            }),
            self.rank_table[(gap + i32::from(MAX_RANK_LEVEL)) as usize],
            self.mentor_experience_points[j],
            if mentee_availability != 0 && mentor_availability != 0 {
                self.availability_table
                    [(mentee_availability & mentor_availability).count_ones() as usize]
            } else {
                score::availability_points(false, 0)
            },
            score::preference_points(self.mentee_preferred[i] == j as u32),
            score::diversity_points(self.mentee_has_diversity[i], shares_characteristic),
        ]
    }

    /// The pair's score: the weighted sum of its factor points.
    #[inline]
    /// How many mentors mentee `i` still wants after its pins (at least 1, for sizing).
    pub(crate) fn supply_of(&self, i: usize) -> usize {
        usize::from(self.mentee_supply.get(i).copied().unwrap_or(1)).max(1)
    }

    pub(crate) fn score(&self, i: usize, j: usize) -> i32 {
        let points = self.points(i, j);
        let mut total = 0;
        for (p, w) in points.iter().zip(&self.weights) {
            total += i32::from(*p) * w;
        }
        total
    }
}

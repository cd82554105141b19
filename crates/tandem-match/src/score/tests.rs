//! Unit tests of each factor: its range and typical values.

use super::*;

#[test]
fn topic_fit_is_the_share_of_areas_offered() {
    assert_eq!(topic_fit_points(0, 0), 50, "no area named is neutral");
    assert_eq!(topic_fit_points(3, 0), 0);
    assert_eq!(topic_fit_points(3, 1), 33);
    assert_eq!(topic_fit_points(3, 2), 66);
    assert_eq!(topic_fit_points(3, 3), 100);
    assert_eq!(topic_fit_points(2, 5), 100, "never above 100");
}

fn place(
    same_location: bool,
    same_department: bool,
    same_organisation: bool,
    remote_both: bool,
) -> PlaceMatch {
    PlaceMatch {
        same_location,
        same_department,
        same_organisation,
        remote_both,
        mentee_no_travel: false,
    }
}

#[test]
fn location_fit_prefers_site_then_department_then_remote_then_travel() {
    assert_eq!(location_fit_points(place(true, false, false, false)), 100);
    assert_eq!(location_fit_points(place(false, true, true, false)), 80);
    assert_eq!(location_fit_points(place(false, false, true, true)), 60);
    assert_eq!(location_fit_points(place(false, false, true, false)), 30);
    assert_eq!(location_fit_points(place(false, false, false, false)), 0);
}

#[test]
fn location_fit_gives_nothing_for_travel_when_the_mentee_cannot_travel() {
    let no_travel = |p: PlaceMatch| PlaceMatch {
        mentee_no_travel: true,
        ..p
    };
    assert_eq!(
        location_fit_points(no_travel(place(true, true, true, false))),
        100
    );
    assert_eq!(
        location_fit_points(no_travel(place(false, true, true, false))),
        0
    );
    assert_eq!(
        location_fit_points(no_travel(place(false, true, true, true))),
        60
    );
    assert_eq!(
        location_fit_points(no_travel(place(false, false, true, false))),
        0
    );
}

#[test]
fn traditional_rank_gap_wants_the_mentor_one_or_two_levels_above() {
    let points = |mentor, mentee| rank_gap_points(Direction::Traditional, mentor, mentee);
    assert_eq!(points(3, 5), 0, "mentor below");
    assert_eq!(points(4, 4), 0, "same level");
    assert_eq!(points(5, 4), 100);
    assert_eq!(points(6, 4), 100);
    assert_eq!(points(7, 4), 80);
    assert_eq!(points(12, 4), 60);
}

#[test]
fn reverse_rank_gap_wants_the_mentor_below_and_prefers_a_wide_gap() {
    let points = |mentor, mentee| rank_gap_points(Direction::Reverse, mentor, mentee);
    assert_eq!(points(6, 4), 0, "mentor above is the wrong way");
    assert_eq!(points(4, 4), 0);
    assert_eq!(points(3, 4), 60);
    assert_eq!(points(2, 4), 80);
    assert_eq!(points(1, 9), 100);
}

#[test]
fn peer_rank_gap_wants_the_same_level() {
    let points = |mentor, mentee| rank_gap_points(Direction::Peer, mentor, mentee);
    assert_eq!(points(7, 7), 100);
    assert_eq!(points(8, 7), 50);
    assert_eq!(points(6, 7), 50);
    assert_eq!(points(9, 7), 0);
}

#[test]
fn experience_gives_five_points_a_year_up_to_twenty_years() {
    assert_eq!(experience_points(0), 0);
    assert_eq!(experience_points(7), 35);
    assert_eq!(experience_points(20), 100);
    assert_eq!(experience_points(60), 100);
}

#[test]
fn availability_counts_up_to_three_shared_slots() {
    assert_eq!(availability_points(false, 0), 50, "not stated is neutral");
    assert_eq!(availability_points(true, 0), 0);
    assert_eq!(availability_points(true, 1), 33);
    assert_eq!(availability_points(true, 2), 66);
    assert_eq!(availability_points(true, 3), 100);
    assert_eq!(availability_points(true, 9), 100);
}

#[test]
fn preference_and_diversity_are_all_or_nothing() {
    assert_eq!(preference_points(true), 100);
    assert_eq!(preference_points(false), 0);
    assert_eq!(diversity_points(true, true), 100);
    assert_eq!(diversity_points(true, false), 0);
    assert_eq!(
        diversity_points(false, true),
        0,
        "only counts when asked for"
    );
}

#[test]
fn every_factor_stays_within_zero_to_one_hundred() {
    for wanted in 0..8 {
        for shared in 0..10 {
            assert!(topic_fit_points(wanted, shared) <= MAX_POINTS);
            assert!(availability_points(wanted % 2 == 0, shared) <= MAX_POINTS);
        }
    }
    for direction in [Direction::Traditional, Direction::Reverse, Direction::Peer] {
        for mentor in 0..=20 {
            for mentee in 0..=20 {
                assert!(rank_gap_points(direction, mentor, mentee) <= MAX_POINTS);
            }
        }
    }
    for years in 0..=60 {
        assert!(experience_points(years) <= MAX_POINTS);
    }
}

#[test]
fn max_pair_score_is_one_hundred_per_unit_of_weight() {
    assert_eq!(max_pair_score(&Weights::default()), 1600);
}

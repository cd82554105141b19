//! Unit and property tests of the value types.

use proptest::prelude::*;

use super::*;

#[test]
fn person_id_accepts_staff_numbers_and_uuids() {
    assert_eq!(PersonId::parse("PS-10234").unwrap().as_str(), "PS-10234");
    assert!(PersonId::parse("0190a6e4-7c1b-7b3e-9f0a-2b1c3d4e5f60").is_ok());
}

#[test]
fn person_id_refuses_empty_spaces_and_commas() {
    assert!(PersonId::parse("").is_err());
    assert!(PersonId::parse("a b").is_err());
    assert!(PersonId::parse("a,b").is_err());
    assert!(PersonId::parse(&"x".repeat(129)).is_err());
}

#[test]
fn tag_spellings_collapse_to_one() {
    for raw in [
        "Career Transition",
        "career-transition",
        " career__transition ",
    ] {
        assert_eq!(Tag::parse(raw).unwrap().as_str(), "career_transition");
    }
    assert!(Tag::parse("  ").is_err());
    assert!(Tag::parse("a/b").is_err());
}

#[test]
fn availability_parses_slots_and_refuses_unknown_ones() {
    let availability = Availability::parse(["mon-am", "TUE-PM", "mon-am"]).unwrap();
    assert_eq!(availability.len(), 2);
    assert_eq!(availability.to_string(), "mon-am,tue-pm");
    assert!(Availability::parse(["noon"]).is_err());
    assert!(Availability::parse([]).unwrap().is_empty());
}

#[test]
fn weight_range_is_zero_to_ten() {
    assert_eq!(Weight::parse(0).unwrap().get(), 0);
    assert_eq!(Weight::parse(10).unwrap().get(), 10);
    assert!(Weight::parse(11).is_err());
    assert!(Weight::parse(-1).is_err());
}

proptest! {
    #[test]
    fn tag_parse_is_idempotent(raw in "[A-Za-z0-9 _-]{0,20}") {
        if let Ok(tag) = Tag::parse(&raw) {
            prop_assert_eq!(Tag::parse(tag.as_str()).unwrap(), tag);
        }
    }

    #[test]
    fn person_id_round_trips(raw in "[A-Za-z0-9._:@/-]{1,40}") {
        let id = PersonId::parse(&raw).unwrap();
        prop_assert_eq!(id.as_str(), raw.as_str());
    }

    #[test]
    fn availability_display_round_trips(bits in 0u32..(1 << 21)) {
        let names: Vec<&str> = SLOT_NAMES.iter().enumerate().filter(|(k, _)| bits & (1 << k) != 0).map(|(_, n)| *n).collect();
        let availability = Availability::parse(names.iter().copied()).unwrap();
        prop_assert_eq!(availability.bits(), bits);
        let shown = availability.to_string();
        let again = Availability::parse(shown.split(',').filter(|s| !s.is_empty())).unwrap();
        prop_assert_eq!(again, availability);
    }
}

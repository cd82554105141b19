//! Eligibility as the presets define it (R3.3): each refusal carries its reason.

use tandem_core::PersonRecord;
use tandem_core::domain::{
    Declaration, Email, EmploymentStatus, FreeText, OrgCode, PersonName, RankBands, RankOrGrade,
    RoleType, StaffNumber,
};
use tandem_core::eligibility::{Refusal, Role, assess};
use tandem_core::programme::presets;

fn person(rank: &str, role_type: RoleType) -> PersonRecord {
    PersonRecord {
        organisation: OrgCode::parse("cleveland").unwrap(),
        staff_number: StaffNumber::parse("1").unwrap(),
        first_name: PersonName::parse("Sam").unwrap(),
        last_name: PersonName::parse("Lee").unwrap(),
        email: Email::parse("sam@example.police.uk").unwrap(),
        department: None,
        location: None,
        rank_or_grade: RankOrGrade::parse(rank).unwrap(),
        role_type,
        line_manager: None,
        start_date: time::macros::date!(2015 - 01 - 01),
        on_probation: false,
        under_performance_management: false,
        employment_status: EmploymentStatus::Serving,
        diversity: Default::default(),
    }
}

fn refusals(
    preset: &str,
    scheme: &str,
    role: Role,
    person: &PersonRecord,
    invited: bool,
) -> Vec<Refusal> {
    let programme = presets::load(preset).unwrap().unwrap();
    let policy = &programme
        .schemes
        .iter()
        .find(|it| it.key.as_ref() == scheme)
        .unwrap()
        .policy;
    let eligibility = match role {
        Role::Mentor => &policy.eligibility.mentor,
        Role::Mentee => &policy.eligibility.mentee,
    };
    let bands = RankBands::uk_policing();
    assess(
        eligibility,
        person,
        bands.band_of(&person.rank_or_grade),
        invited,
    )
}

#[test]
fn police_scotland_refuses_probationers_and_retired_people_with_the_reason() {
    let mut probationer = person("Constable", RoleType::Officer);
    probationer.on_probation = true;
    let refused = refusals(
        "police-scotland",
        "mentoring",
        Role::Mentee,
        &probationer,
        false,
    );
    assert_eq!(refused, [Refusal::OnProbation]);
    assert_eq!(
        refused[0].to_string(),
        "people on probation cannot take part in this scheme"
    );

    let mut retired = person("Inspector", RoleType::Officer);
    retired.employment_status = EmploymentStatus::Retired;
    let refused = refusals(
        "police-scotland",
        "mentoring",
        Role::Mentor,
        &retired,
        false,
    );
    assert_eq!(
        refused,
        [Refusal::EmploymentStatus(EmploymentStatus::Retired)]
    );
    assert_eq!(
        refused[0].to_string(),
        "this scheme is only for serving officers and staff; the HR record says retired"
    );
    assert_eq!(
        Refusal::EmploymentStatus(EmploymentStatus::CareerBreak).to_string(),
        "this scheme is only for serving officers and staff; the HR record says career break",
        "a person reads words, not the HR file's token"
    );

    assert_eq!(
        refusals(
            "police-scotland",
            "mentoring",
            Role::Mentor,
            &person("Inspector", RoleType::Officer),
            false
        ),
        []
    );
    assert_eq!(
        refusals(
            "police-scotland",
            "mentoring",
            Role::Mentee,
            &person("Special Constable", RoleType::Special),
            false
        ),
        []
    );
    assert_eq!(
        refusals(
            "police-scotland",
            "mentoring",
            Role::Mentee,
            &person("Community Member", RoleType::External),
            false
        ),
        [Refusal::RoleType(RoleType::External)]
    );
}

#[test]
fn cleveland_refuses_mentees_under_performance_management_but_welcomes_the_community() {
    let mut managed = person("Constable", RoleType::Officer);
    managed.under_performance_management = true;
    assert_eq!(
        refusals("cleveland", "traditional", Role::Mentee, &managed, false),
        [Refusal::UnderPerformanceManagement]
    );
    assert_eq!(
        refusals("cleveland", "traditional", Role::Mentor, &managed, false),
        []
    );
    assert_eq!(
        refusals(
            "cleveland",
            "traditional",
            Role::Mentee,
            &person("Community Member", RoleType::External),
            false
        ),
        []
    );
}

#[test]
fn college_peer_schemes_admit_only_their_rank_band() {
    assert_eq!(
        refusals(
            "college-national",
            "peer-acc-aco",
            Role::Mentor,
            &person("Assistant Chief Officer", RoleType::Staff),
            false
        ),
        []
    );
    assert_eq!(
        refusals(
            "college-national",
            "peer-acc-aco",
            Role::Mentee,
            &person("Chief Superintendent", RoleType::Officer),
            false
        ),
        [Refusal::RankBand {
            band: Some("chief-superintendent".to_owned())
        }]
    );
}

#[test]
fn the_womens_network_is_by_invitation_for_self_declared_women() {
    let mut candidate = person("Chief Superintendent", RoleType::Officer);
    assert_eq!(
        refusals(
            "college-national",
            "womens-network",
            Role::Mentee,
            &candidate,
            false
        ),
        [Refusal::NotInvited, Refusal::GenderAudience]
    );
    candidate.diversity.sex = Some(Declaration::Declared(
        FreeText::parse_optional("Female").unwrap().unwrap(),
    ));
    assert_eq!(
        refusals(
            "college-national",
            "womens-network",
            Role::Mentee,
            &candidate,
            true
        ),
        []
    );
    candidate.diversity.sex = Some(Declaration::PreferNotToSay);
    assert_eq!(
        refusals(
            "college-national",
            "womens-network",
            Role::Mentee,
            &candidate,
            true
        ),
        [Refusal::GenderAudience]
    );
}

//! The authorisation rules for the foundation's actions, as a table of role, scope and answer.

use tandem_core::authz::{
    Action, Actor, ApplicationScope, Grant, ReportScope, Scope, StaffRole, authorize,
};
use tandem_core::{OrganisationId, PersonId, SchemeId};
use uuid::Uuid;

const CLEVELAND: OrganisationId = OrganisationId(Uuid::from_u128(1));
const SCOTLAND: OrganisationId = OrganisationId(Uuid::from_u128(2));

fn person_with(grants: Vec<Grant>) -> Actor {
    Actor::Person {
        id: PersonId(Uuid::from_u128(99)),
        organisation: CLEVELAND,
        grants,
    }
}

fn applicant_in(
    organisation: OrganisationId,
    scheme: u128,
    division: Option<&str>,
) -> ApplicationScope {
    ApplicationScope {
        organisation,
        scheme: SchemeId(Uuid::from_u128(scheme)),
        division: division.map(str::to_owned),
    }
}

fn report_on(organisation: OrganisationId, scheme: Option<u128>, division: Option<&str>) -> Action {
    Action::ViewReports(ReportScope {
        organisation,
        scheme: scheme.map(|scheme| SchemeId(Uuid::from_u128(scheme))),
        division: division.map(str::to_owned),
    })
}

fn grant(role: StaffRole, scope: Scope) -> Vec<Grant> {
    vec![Grant { role, scope }]
}

#[test]
fn each_role_may_do_what_its_scope_allows_and_nothing_more() {
    let actions = [
        ("catalogue", Action::ViewCatalogue),
        ("create organisation", Action::CreateOrganisation),
        ("import cleveland", Action::ImportPeople(CLEVELAND)),
        ("export cleveland", Action::ExportPeople(CLEVELAND)),
        ("import scotland", Action::ImportPeople(SCOTLAND)),
        ("view people cleveland", Action::ViewPeople(CLEVELAND)),
        ("manage schemes cleveland", Action::ManageSchemes(CLEVELAND)),
        ("manage schemes scotland", Action::ManageSchemes(SCOTLAND)),
        ("view schemes cleveland", Action::ViewSchemes(CLEVELAND)),
        ("view schemes scotland", Action::ViewSchemes(SCOTLAND)),
        (
            "grant coordinator cleveland",
            Action::ManageRoles {
                organisation: Some(CLEVELAND),
                role: StaffRole::Coordinator,
            },
        ),
        (
            "grant national admin",
            Action::ManageRoles {
                organisation: None,
                role: StaffRole::NationalAdmin,
            },
        ),
        ("audit cleveland", Action::ViewAudit(Some(CLEVELAND))),
        ("audit everything", Action::ViewAudit(None)),
        ("apply", Action::Apply),
        (
            "open scheme 8 list",
            Action::ViewApplicationList {
                organisation: CLEVELAND,
                scheme: SchemeId(Uuid::from_u128(8)),
            },
        ),
        (
            "withdraw own",
            Action::ActOnOwnApplication {
                applicant: PersonId(Uuid::from_u128(99)),
            },
        ),
        (
            "withdraw another's",
            Action::ActOnOwnApplication {
                applicant: PersonId(Uuid::from_u128(98)),
            },
        ),
        (
            "decide as manager",
            Action::DecideAsLineManager {
                manager: PersonId(Uuid::from_u128(99)),
            },
        ),
        (
            "view response applicant",
            Action::ViewApplications(applicant_in(CLEVELAND, 8, Some("Response"))),
        ),
        (
            "view scheme 7 applicant",
            Action::ViewApplications(applicant_in(CLEVELAND, 7, Some("Crime"))),
        ),
        (
            "decide response applicant",
            Action::ManageApplications(applicant_in(CLEVELAND, 8, Some("Response"))),
        ),
        (
            "view scotland applicant",
            Action::ViewApplications(applicant_in(SCOTLAND, 9, None)),
        ),
        (
            "concerns of scheme 7",
            Action::HandleConcerns(applicant_in(CLEVELAND, 7, Some("Response"))),
        ),
        ("reports cleveland", report_on(CLEVELAND, None, None)),
        ("reports scheme 7", report_on(CLEVELAND, Some(7), None)),
        (
            "reports response",
            report_on(CLEVELAND, None, Some("Response")),
        ),
        ("reports scotland", report_on(SCOTLAND, None, None)),
        ("dispose cleveland", Action::DisposeRecords(CLEVELAND)),
        (
            "own adjustments",
            Action::OwnSettings {
                person: PersonId(Uuid::from_u128(99)),
            },
        ),
        (
            "another's adjustments",
            Action::OwnSettings {
                person: PersonId(Uuid::from_u128(98)),
            },
        ),
        (
            "export own data",
            Action::ExportPersonData {
                person: PersonId(Uuid::from_u128(99)),
                organisation: CLEVELAND,
            },
        ),
        (
            "export another's data",
            Action::ExportPersonData {
                person: PersonId(Uuid::from_u128(98)),
                organisation: CLEVELAND,
            },
        ),
        ("erase cleveland person", Action::ErasePerson(CLEVELAND)),
        (
            "reset cleveland two-factor",
            Action::ResetTwoFactor(CLEVELAND),
        ),
    ];
    let actors = [
        (
            "operator",
            Actor::Operator {
                name: "root".to_owned(),
            },
        ),
        (
            "national admin",
            person_with(grant(StaffRole::NationalAdmin, Scope::Installation)),
        ),
        (
            "cleveland admin",
            person_with(grant(
                StaffRole::OrganisationAdmin,
                Scope::Organisation(CLEVELAND),
            )),
        ),
        (
            "cleveland coordinator",
            person_with(grant(
                StaffRole::Coordinator,
                Scope::Organisation(CLEVELAND),
            )),
        ),
        (
            "cleveland champion",
            person_with(grant(
                StaffRole::Champion,
                Scope::Division {
                    organisation: CLEVELAND,
                    division: "Response".to_owned(),
                },
            )),
        ),
        (
            "scheme coordinator",
            person_with(grant(
                StaffRole::Coordinator,
                Scope::Scheme {
                    organisation: CLEVELAND,
                    scheme: SchemeId(Uuid::from_u128(7)),
                },
            )),
        ),
        ("participant", person_with(vec![])),
        ("anonymous", Actor::Anonymous),
        (
            "cleveland read token",
            Actor::Token {
                id: Uuid::from_u128(5),
                organisation: Some(CLEVELAND),
                write: false,
            },
        ),
        (
            "cleveland write token",
            Actor::Token {
                id: Uuid::from_u128(6),
                organisation: Some(CLEVELAND),
                write: true,
            },
        ),
        (
            "installation write token",
            Actor::Token {
                id: Uuid::from_u128(7),
                organisation: None,
                write: true,
            },
        ),
    ];
    let mut table = String::new();
    for (actor_name, actor) in &actors {
        let allowed: Vec<&str> = actions
            .iter()
            .filter(|(_, action)| authorize(actor, action).is_ok())
            .map(|(name, _)| *name)
            .collect();
        table += &format!("{actor_name}: {}\n", allowed.join(", "));
    }
    expect_test::expect![[r#"
        operator: catalogue, create organisation, import cleveland, export cleveland, import scotland, view people cleveland, manage schemes cleveland, manage schemes scotland, view schemes cleveland, view schemes scotland, grant coordinator cleveland, grant national admin, audit cleveland, audit everything, apply, open scheme 8 list, withdraw own, withdraw another's, decide as manager, view response applicant, view scheme 7 applicant, decide response applicant, view scotland applicant, reports cleveland, reports scheme 7, reports response, reports scotland, dispose cleveland, own adjustments, another's adjustments, export own data, export another's data, erase cleveland person, reset cleveland two-factor
        national admin: catalogue, create organisation, import cleveland, export cleveland, import scotland, view people cleveland, manage schemes cleveland, manage schemes scotland, view schemes cleveland, view schemes scotland, grant coordinator cleveland, grant national admin, audit cleveland, audit everything, apply, open scheme 8 list, withdraw own, decide as manager, view response applicant, view scheme 7 applicant, decide response applicant, view scotland applicant, reports cleveland, reports scheme 7, reports response, reports scotland, dispose cleveland, own adjustments, export own data, export another's data, erase cleveland person, reset cleveland two-factor
        cleveland admin: catalogue, import cleveland, export cleveland, view people cleveland, manage schemes cleveland, view schemes cleveland, grant coordinator cleveland, audit cleveland, apply, open scheme 8 list, withdraw own, decide as manager, view response applicant, view scheme 7 applicant, decide response applicant, reports cleveland, reports scheme 7, reports response, dispose cleveland, own adjustments, export own data, export another's data, erase cleveland person, reset cleveland two-factor
        cleveland coordinator: catalogue, view people cleveland, manage schemes cleveland, view schemes cleveland, apply, open scheme 8 list, withdraw own, decide as manager, view response applicant, view scheme 7 applicant, decide response applicant, concerns of scheme 7, reports cleveland, reports scheme 7, reports response, own adjustments, export own data
        cleveland champion: catalogue, view schemes cleveland, apply, open scheme 8 list, withdraw own, decide as manager, view response applicant, decide response applicant, reports response, own adjustments, export own data
        scheme coordinator: catalogue, view schemes cleveland, apply, withdraw own, decide as manager, view scheme 7 applicant, concerns of scheme 7, reports scheme 7, own adjustments, export own data
        participant: catalogue, view schemes cleveland, apply, withdraw own, decide as manager, own adjustments, export own data
        anonymous: catalogue
        cleveland read token: catalogue, export cleveland, view people cleveland, view schemes cleveland, audit cleveland, open scheme 8 list, view response applicant, view scheme 7 applicant, reports cleveland, reports scheme 7, reports response
        cleveland write token: catalogue, import cleveland, export cleveland, view people cleveland, manage schemes cleveland, view schemes cleveland, grant coordinator cleveland, audit cleveland, open scheme 8 list, view response applicant, view scheme 7 applicant, decide response applicant, reports cleveland, reports scheme 7, reports response
        installation write token: catalogue, create organisation, import cleveland, export cleveland, import scotland, view people cleveland, manage schemes cleveland, manage schemes scotland, view schemes cleveland, view schemes scotland, grant coordinator cleveland, grant national admin, audit cleveland, audit everything, open scheme 8 list, view response applicant, view scheme 7 applicant, decide response applicant, view scotland applicant, reports cleveland, reports scheme 7, reports response, reports scotland
    "#]]
    .assert_eq(&table);
}

#[test]
fn a_denial_says_who_may_act() {
    let err = authorize(&person_with(vec![]), &Action::ImportPeople(CLEVELAND)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not allowed: only an administrator of this organisation can import people"
    );
}

#[test]
fn an_audit_label_reads_in_words_and_a_persons_names_the_person() {
    let unknown = Actor::Operator {
        name: "unknown".to_owned(),
    };
    assert_eq!(
        Actor::label_words(&unknown.audit_label()).as_deref(),
        Some("an operator at the command line")
    );
    let root = Actor::Operator {
        name: "root".to_owned(),
    };
    assert_eq!(
        Actor::label_words(&root.audit_label()).as_deref(),
        Some("root, an operator at the command line")
    );
    assert_eq!(
        Actor::label_words(&Actor::System.audit_label()).as_deref(),
        Some("Tandem, automatically")
    );
    let id = PersonId(Uuid::nil());
    let label = format!("person:{}", id.0);
    assert_eq!(Actor::person_in_label(&label), Some(id));
    assert_eq!(
        Actor::label_words(&label),
        None,
        "a person is named by the directory"
    );
}

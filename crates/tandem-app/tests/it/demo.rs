//! The demo: a realistic workforce for three organisations, seeded once and reused after.

use crate::{app, operator};
use tandem_app::demo;
use tandem_app::workforce::{WorkforceSpec, generate};
use tandem_core::domain::{EmploymentStatus, OrgCode, RankBands, RoleType};
use tandem_core::hr::{Directory, ImportOptions, plan_import, read_file, write_file};
use tandem_store::testing::on_each_backend;
use time::macros::date;

fn spec(people: usize) -> WorkforceSpec {
    WorkforceSpec {
        organisation: OrgCode::parse("cleveland").unwrap(),
        people,
        email_domain: "cleveland.police.uk".to_owned(),
        first_staff_number: 1,
        divisions: vec!["Middlesbrough".to_owned()],
        locations: vec!["Middlesbrough".to_owned(), "Hartlepool".to_owned()],
        national_body: false,
        today: date!(2026 - 11 - 23),
    }
}

#[test]
fn a_generated_workforce_is_a_valid_import_with_every_kind_of_person() {
    let workforce = generate(&spec(2_000), 7);
    assert_eq!(workforce.people.len(), 2_000);
    let rows = read_file(&write_file(&workforce.people)).unwrap();
    let mut directory = Directory::default();
    directory.organisations.insert(
        OrgCode::parse("cleveland").unwrap(),
        RankBands::uk_policing(),
    );
    let plan = plan_import(rows, &directory, ImportOptions::default()).unwrap();
    assert_eq!(plan.creates.len(), 2_000);

    let people = &workforce.people;
    for role_type in RoleType::ALL {
        assert!(
            people.iter().any(|person| person.role_type == role_type),
            "no {role_type}"
        );
    }
    for rank in [
        "Chief Constable",
        "Assistant Chief Constable",
        "Chief Superintendent",
        "Inspector",
        "Sergeant",
        "Grade 10",
    ] {
        assert!(
            people
                .iter()
                .any(|person| person.rank_or_grade.as_ref() == rank),
            "no {rank}"
        );
    }
    assert!(people.iter().any(|person| person.on_probation));
    assert!(
        people
            .iter()
            .any(|person| person.under_performance_management)
    );
    assert!(
        people
            .iter()
            .any(|person| person.employment_status == EmploymentStatus::Leaver)
    );
    assert!(people.iter().any(|person| person.diversity.sex.is_some()));
    assert!(
        people
            .iter()
            .any(|person| person.diversity.is_empty() || person.diversity.ethnicity.is_none())
    );
    assert_eq!(
        people
            .iter()
            .filter(|person| person.line_manager.is_none())
            .count(),
        1 + people
            .iter()
            .filter(|it| it.role_type == RoleType::External)
            .count()
    );
}

#[test]
fn the_same_seed_gives_the_same_people() {
    assert_eq!(
        generate(&spec(300), 1).people,
        generate(&spec(300), 1).people
    );
    assert_ne!(
        generate(&spec(300), 1).people,
        generate(&spec(300), 2).people
    );
}

fn roles_after(summary: &demo::DemoSummary) -> Vec<String> {
    summary
        .accounts
        .iter()
        .map(|account| account.role.clone())
        .collect()
}

#[tokio::test]
async fn the_demo_seeds_three_organisations_once() {
    on_each_backend(|store| async move {
        let app = app(store);
        let first = demo::seed(&app, &operator(), "http://tandem.test")
            .await
            .unwrap();
        assert!(first.seeded);
        let codes: Vec<&str> = first.people.iter().map(|(code, _)| code.as_str()).collect();
        assert_eq!(codes, ["cleveland", "college", "police-scotland"]);
        assert!(first.people.iter().all(|(_, count)| *count > 50));
        assert_eq!(
            first.schemes,
            [
                ("cleveland".to_owned(), 2),
                ("college".to_owned(), 6),
                ("police-scotland".to_owned(), 1)
            ]
        );
        let roles: Vec<&str> = first
            .accounts
            .iter()
            .map(|account| account.role.as_str())
            .collect();
        assert!(
            roles.contains(&"national_admin (installation)"),
            "{roles:?}"
        );
        assert!(
            roles.contains(&"organisation_admin (cleveland)"),
            "{roles:?}"
        );
        assert!(
            roles.contains(&"coordinator (police-scotland)"),
            "{roles:?}"
        );
        assert!(
            roles
                .iter()
                .any(|role| role.starts_with("champion (police-scotland / ")),
            "{roles:?}"
        );

        // The sign-in page's tour: every account says, in words, who it is and what it shows.
        for account in &first.accounts {
            assert!(
                !account.shows.is_empty(),
                "{} has no line in the demo's guide",
                account.role
            );
            assert!(
                !account.title.contains('_') && !account.title.contains(&account.organisation),
                "{} reads {:?}: codes, not words",
                account.role,
                account.title
            );
        }
        let titles: Vec<&str> = first.accounts.iter().map(|it| it.title.as_str()).collect();
        for title in [
            "National administrator for the whole installation, College of Policing",
            "Organisation administrator, Cleveland Police",
            "Programme coordinator, Police Scotland",
            "Mentor in an active relationship, Police Scotland",
            "Constable who has not applied, E Division (Edinburgh), Police Scotland",
        ] {
            assert!(titles.contains(&title), "{title} in {titles:#?}");
        }
        let journeys: std::collections::BTreeSet<demo::Journey> =
            first.accounts.iter().map(|it| it.journey).collect();
        assert_eq!(
            journeys.len(),
            demo::Journey::ALL.len(),
            "every journey has people to try it"
        );

        // Every scheme anyone may apply to has people in it, in every state a newcomer should see.
        let mut states = std::collections::BTreeMap::new();
        let mut tx = app.store.begin_read().await.unwrap();
        for organisation in tx.organisations().await.unwrap() {
            for scheme in tx.schemes_of(organisation.id).await.unwrap() {
                for application in tx.applications_to_scheme(scheme.id).await.unwrap() {
                    *states
                        .entry(format!(
                            "{}/{} {} {}",
                            organisation.code,
                            scheme.definition.key,
                            application.role.as_str(),
                            application.status
                        ))
                        .or_insert(0) += 1;
                }
            }
        }
        tx.rollback().await.unwrap();
        let has = |key: &str| states.get(key).copied().unwrap_or(0) > 0;
        for key in [
            "police-scotland/mentoring mentor approved",
            "police-scotland/mentoring mentee approved",
            "cleveland/traditional mentor approved",
            "cleveland/traditional mentee approved",
            "cleveland/traditional mentee awaiting_manager",
            "cleveland/traditional mentee awaiting_coordinator",
            "cleveland/traditional mentee declined",
            "cleveland/reverse mentor approved",
            "college/peer-acc-aco mentor approved",
            "college/peer-acc-aco mentee approved",
            "police-scotland/mentoring mentee matched",
        ] {
            assert!(has(key), "no {key} in {states:#?}");
        }
        assert!(
            has("cleveland/reverse mentee approved") || has("cleveland/reverse mentee matched"),
            "a reverse mentee is waiting or matched: {states:#?}"
        );
        assert!(
            roles_after(&first).contains(&"line manager (cleveland)".to_owned()),
            "a Cleveland line manager with a request waiting is listed"
        );

        // Pairs in every state a newcomer should see.
        let mut pairs = std::collections::BTreeSet::new();
        let mut tx = app.store.begin_read().await.unwrap();
        for organisation in tx.organisations().await.unwrap() {
            for scheme in tx.schemes_of(organisation.id).await.unwrap() {
                for pair in tx.matches_of_scheme(scheme.id).await.unwrap() {
                    pairs.insert(format!(
                        "{}/{} {}",
                        organisation.code, scheme.definition.key, pair.status
                    ));
                }
            }
        }
        tx.rollback().await.unwrap();
        // Every state of a relationship can be looked at in the demo.
        for key in [
            "police-scotland/mentoring proposed",
            "police-scotland/mentoring introductory",
            "police-scotland/mentoring active",
            "police-scotland/mentoring on_hold",
            "police-scotland/mentoring closing",
            "police-scotland/mentoring closed",
            "cleveland/traditional active",
            "cleveland/traditional requested",
        ] {
            assert!(pairs.contains(key), "no {key} in {pairs:#?}");
        }

        // One relationship is flagged after an HR change put the mentee under their mentor.
        let mut flagged = Vec::new();
        let mut tx = app.store.begin_read().await.unwrap();
        for organisation in tx.organisations().await.unwrap() {
            for scheme in tx.schemes_of(organisation.id).await.unwrap() {
                for pair in tx.matches_of_scheme(scheme.id).await.unwrap() {
                    let flags = tx.flags_of(pair.id).await.unwrap();
                    if flags.iter().any(tandem_core::relationship::Flag::is_open) {
                        let mentee = tx.person(pair.mentee).await.unwrap();
                        let mentor = tx.person(pair.mentor).await.unwrap();
                        assert_eq!(mentee.record.line_manager, Some(mentor.record.staff_number));
                        flagged.push(pair.id);
                    }
                }
            }
        }
        tx.rollback().await.unwrap();
        assert!(!flagged.is_empty(), "a flagged relationship");

        // Each programme offers the two members of an active relationship to sign in as, and the
        // relationship has a history: meetings over months, notes, goals, actions and a review.
        for code in ["police-scotland", "cleveland", "college"] {
            for role in [
                "mentor in an active relationship",
                "mentee in an active relationship",
            ] {
                assert!(
                    roles_after(&first).contains(&format!("{role} ({code})")),
                    "{role} ({code}) is offered"
                );
            }
        }
        for role in [
            "mentor after the introductory meeting (police-scotland)",
            "mentee after the introductory meeting (police-scotland)",
            "mentor before the introductory meeting (cleveland)",
            "mentee before the introductory meeting (college)",
        ] {
            assert!(
                roles_after(&first).contains(&role.to_owned()),
                "{role} is offered"
            );
        }
        let mentee = first
            .accounts
            .iter()
            .find(|it| it.role == "mentee in an active relationship (police-scotland)")
            .unwrap();
        let mut tx = app.store.begin_read().await.unwrap();
        let person = tx
            .person_id_by_email(&tandem_core::domain::Email::parse(&mentee.email).unwrap())
            .await
            .unwrap()
            .unwrap();
        let organisation = tx
            .organisation_by_code(&OrgCode::parse("police-scotland").unwrap())
            .await
            .unwrap()
            .unwrap();
        tx.rollback().await.unwrap();
        let actor = tandem_core::authz::Actor::Person {
            id: person,
            organisation: organisation.id,
            grants: Vec::new(),
        };
        let own = tandem_app::relationships::mine(&app, &actor).await.unwrap();
        let active = own
            .iter()
            .find(|it| it.view.pair.status == tandem_core::pairing::MatchStatus::Active)
            .unwrap();
        let page = tandem_app::relationships::page(&app, &actor, active.view.pair.id)
            .await
            .unwrap();
        assert_eq!(page.held, 4, "the introductory meeting and three sessions");
        assert_eq!(page.notes.len(), 4);
        assert_eq!(
            (page.goals.len(), page.actions.len(), page.reviews.len()),
            (2, 3, 1)
        );

        let second = demo::seed(&app, &operator(), "http://tandem.test")
            .await
            .unwrap();
        assert!(!second.seeded);
        assert_eq!(second.people, first.people);
        assert_eq!(second.accounts, first.accounts);
    })
    .await;
}

#[tokio::test]
async fn the_demo_reads_as_a_scheme_running_for_months() {
    on_each_backend(|store| async move {
        let app = app(store);
        demo::seed(&app, &operator(), "http://demo.example:9000")
            .await
            .unwrap();
        let now = app.clock.now();
        let mut tx = app.store.begin_read().await.unwrap();
        let mut ages = Vec::new();
        let mut first_applied = std::collections::HashMap::new();
        for organisation in tx.organisations().await.unwrap() {
            for scheme in tx.schemes_of(organisation.id).await.unwrap() {
                for application in tx.applications_to_scheme(scheme.id).await.unwrap() {
                    let applied = application.submitted_at;
                    ages.push((now - applied).whole_days());
                    if let Some(decided) = application.decided_at {
                        assert!(decided >= applied, "decided after applying");
                    }
                    let first = first_applied.entry(application.person).or_insert(applied);
                    *first = (*first).min(applied);
                }
            }
        }
        for (person, applied) in &first_applied {
            for record in tx.training_records_of(*person).await.unwrap() {
                assert!(
                    record.completed_on >= applied.date(),
                    "trained after applying"
                );
            }
        }
        let today = ages.iter().filter(|age| **age == 0).count();
        assert_eq!(today, 0, "nobody applied today: {ages:?}");
        assert!(ages.iter().any(|age| *age >= 90), "some applied months ago");
        assert!(ages.iter().any(|age| *age <= 30), "some applied this month");

        // Emails carry the address the demo serves on.
        let unsent = tx.unsent().await.unwrap();
        assert!(!unsent.is_empty());
        assert!(
            unsent
                .iter()
                .any(|(email, _, _)| email.body.contains("http://demo.example:9000/"))
        );
        assert!(
            unsent
                .iter()
                .all(|(email, _, _)| !email.body.contains("127.0.0.1")),
            "no placeholder address"
        );
    })
    .await;
}

//! A scheme's own pairing rules (R5.7) on every path that pairs people: ranks apart in the
//! scheme's direction and a mentor from another organisation, in the bulk proposal and in a
//! pick by hand, on each backend.

use crate::applications::{
    HEADER, apply, coordinator_of, mentee_form, mentor_form, person, programme_running,
};
use crate::matching::{in_mentoring, mentoring, proposed, scotland, trained};
use crate::operator;
use tandem_app::people::{ImportRequest, ImportStage, import};
use tandem_app::schemes::{self, SchemeChanges};
use tandem_app::{App, AppError, matching};
use tandem_core::ApplicationId;
use tandem_core::eligibility::Role;
use tandem_core::hr::ImportOptions;
use tandem_core::policy::RankDirection;
use tandem_store::testing::on_each_backend;

/// Applies to Police Scotland's mentoring scheme (open across forces).
async fn joined(app: &App, organisation: &str, staff: &str, role: Role) -> ApplicationId {
    let actor = person(app, organisation, staff).await;
    let form = match role {
        Role::Mentor => mentor_form("2"),
        Role::Mentee => mentee_form(),
    };
    apply(app, &actor, "police-scotland", "mentoring", role, &form)
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn ranks_apart_and_another_organisation_hold_in_the_proposal_and_in_a_pick() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        programme_running(&app).await;
        // A chief inspector: three ranks above a constable.
        let more = format!(
            "{HEADER}\nC9,cleveland,Jo,Park,jo@cleveland.police.uk,Crime,Middlesbrough,Chief Inspector,officer,,1995-01-15,no,no,serving,\n"
        );
        let request = ImportRequest {
            bytes: more.as_bytes(),
            options: ImportOptions::default(),
            dry_run: false,
            source: "more.csv",
        };
        import(&app, &operator(), request, &|_: ImportStage| {})
            .await
            .unwrap();
        let coordinator = coordinator_of(&app, "police-scotland", None).await;
        let scotland = scotland(&app).await;
        let scheme = schemes::managed(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        let mut policy = scheme.definition.policy.clone();
        policy.rank_direction = RankDirection::MentorSenior;
        policy.min_levels_apart = Some(1);
        policy.max_levels_apart = Some(2);
        policy.different_organisation = true;
        let changes = SchemeChanges {
            name: scheme.definition.name.clone(),
            description: scheme.definition.description.clone(),
            organisational_need: scheme.definition.organisational_need.clone(),
            policy,
        };
        schemes::update(
            &app,
            &coordinator,
            scotland,
            &mentoring(),
            scheme.version,
            changes,
        )
        .await
        .unwrap();

        let iona = joined(&app, "police-scotland", "S1", Role::Mentor).await; // inspector
        let ed = joined(&app, "cleveland", "C4", Role::Mentor).await; // sergeant
        let jo = joined(&app, "cleveland", "C9", Role::Mentor).await; // chief inspector
        let morag = joined(&app, "police-scotland", "S5", Role::Mentee).await; // constable
        let bo = joined(&app, "cleveland", "C2", Role::Mentee).await; // constable
        trained(&app, &coordinator, &[iona, ed, jo, morag, bo]).await;

        // Each mentee may only have a mentor of the other force one or two ranks up.
        matching::propose(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        assert_eq!(
            proposed(&app, &coordinator).await,
            [
                ("C2".to_owned(), "S1".to_owned()),
                ("S5".to_owned(), "C4".to_owned())
            ]
        );

        let Err(AppError::RuleBroken(rules)) =
            matching::pick(&app, &coordinator, in_mentoring(&app).await, morag, jo).await
        else {
            panic!("a chief inspector is three ranks above a constable")
        };
        assert_eq!(
            rules,
            ["the mentor is 3 ranks above the mentee; this scheme allows 1 to 2 above"]
        );
        let Err(AppError::RuleBroken(rules)) =
            matching::pick(&app, &coordinator, in_mentoring(&app).await, morag, iona).await
        else {
            panic!("Iona is in Morag's own force")
        };
        assert_eq!(
            rules,
            ["the mentor is in the mentee's own organisation, and this scheme's mentors come from another"]
        );
    })
    .await;
}

//! Several mentors per mentee (R5.8) on each backend: the bulk proposal gives a mentee as many
//! different mentors as the scheme allows, less those it has; confirmation stops at the number.

use crate::applications::programme_running;
use crate::applications::{PUBLIC_URL, apply, coordinator_of, mentee_form, mentor_form, person};
use crate::matching::{in_mentoring, mentoring, proposed, scotland, trained};
use tandem_app::schemes::{self, SchemeChanges};
use tandem_app::{App, AppError, matching};
use tandem_core::ApplicationId;
use tandem_core::authz::Actor;
use tandem_core::eligibility::Role;
use tandem_store::testing::on_each_backend;

/// Applies to Police Scotland's mentoring scheme (open across forces).
async fn joined(
    app: &App,
    organisation: &str,
    staff: &str,
    role: Role,
    capacity: &str,
) -> ApplicationId {
    let actor = person(app, organisation, staff).await;
    let form = match role {
        Role::Mentor => mentor_form(capacity),
        Role::Mentee => mentee_form(),
    };
    apply(app, &actor, "police-scotland", "mentoring", role, &form)
        .await
        .unwrap()
        .id
}

/// Lets each mentee of the scheme have two mentors.
async fn two_mentors_each(app: &App, coordinator: &Actor) {
    let scotland = scotland(app).await;
    let scheme = schemes::managed(app, coordinator, scotland, &mentoring())
        .await
        .unwrap();
    let mut policy = scheme.definition.policy.clone();
    policy.mentors_per_mentee = 2;
    let changes = SchemeChanges {
        name: scheme.definition.name.clone(),
        description: scheme.definition.description.clone(),
        organisational_need: scheme.definition.organisational_need.clone(),
        policy,
    };
    schemes::update(
        app,
        coordinator,
        scotland,
        &mentoring(),
        scheme.version,
        changes,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn a_mentee_gets_two_different_mentors_and_a_third_is_refused() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        programme_running(&app).await;
        let coordinator = coordinator_of(&app, "police-scotland", None).await;
        two_mentors_each(&app, &coordinator).await;
        let iona = joined(&app, "police-scotland", "S1", Role::Mentor, "1").await;
        let fraser = joined(&app, "police-scotland", "S6", Role::Mentor, "1").await;
        let ed = joined(&app, "cleveland", "C4", Role::Mentor, "1").await;
        let morag = joined(&app, "police-scotland", "S5", Role::Mentee, "").await;
        trained(&app, &coordinator, &[iona, fraser, ed, morag]).await;
        let scotland = scotland(&app).await;

        let summary = matching::propose(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        assert_eq!((summary.mentees, summary.matched), (1, 2));
        let pairs = proposed(&app, &coordinator).await;
        assert_eq!(pairs.len(), 2, "{pairs:?}");
        assert!(pairs.iter().all(|(mentee, _)| mentee == "S5"), "{pairs:?}");
        assert_ne!(pairs[0].1, pairs[1].1, "two different mentors: {pairs:?}");

        let (confirmed, refused) =
            matching::confirm_all(&app, &coordinator, scotland, &mentoring(), PUBLIC_URL)
                .await
                .unwrap();
        assert_eq!((confirmed, refused.len()), (2, 0), "{refused:?}");

        // The one mentor left cannot be a third: the pick is refused in words.
        let third = [("S1", iona), ("S6", fraser), ("C4", ed)]
            .into_iter()
            .find(|(staff, _)| pairs.iter().all(|(_, mentor)| mentor != staff))
            .map(|(_, id)| id)
            .unwrap();
        let refused =
            matching::pick(&app, &coordinator, in_mentoring(&app).await, morag, third).await;
        let message = match refused {
            Err(AppError::RuleBroken(reasons)) => reasons.join("; "),
            Err(AppError::Conflict(message)) => message,
            other => panic!("a third mentor is refused: {other:?}"),
        };
        assert!(message.contains("waiting to be matched"), "{message}");
        let summary = matching::propose(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        assert_eq!(
            (summary.mentees, summary.matched),
            (0, 0),
            "Morag has her two mentors"
        );
    })
    .await;
}

/// Picks `mentor` for `mentee` by hand and confirms the pair.
async fn confirmed_by_hand(
    app: &App,
    coordinator: &Actor,
    mentee: ApplicationId,
    mentor: ApplicationId,
) {
    let pair = matching::pick(app, coordinator, in_mentoring(app).await, mentee, mentor)
        .await
        .unwrap()
        .pair;
    matching::confirm(app, coordinator, pair.id, PUBLIC_URL)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_mentee_with_one_mentor_is_given_one_more_and_never_the_same_again() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        programme_running(&app).await;
        let coordinator = coordinator_of(&app, "police-scotland", None).await;
        two_mentors_each(&app, &coordinator).await;
        // Fraser works where Morag does and has room for two: without the rule he would be
        // the best second mentor too.
        let fraser = joined(&app, "police-scotland", "S6", Role::Mentor, "2").await;
        let ed = joined(&app, "cleveland", "C4", Role::Mentor, "1").await;
        let morag = joined(&app, "police-scotland", "S5", Role::Mentee, "").await;
        trained(&app, &coordinator, &[fraser, ed, morag]).await;
        let scotland = scotland(&app).await;

        confirmed_by_hand(&app, &coordinator, morag, fraser).await;

        let summary = matching::propose(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        assert_eq!((summary.mentees, summary.matched), (1, 1));
        assert_eq!(
            proposed(&app, &coordinator).await,
            [("S5".to_owned(), "C4".to_owned())]
        );

        // Asking for Fraser again by hand is refused, saying why.
        let Err(AppError::RuleBroken(reasons)) =
            matching::pick(&app, &coordinator, in_mentoring(&app).await, morag, fraser).await
        else {
            panic!("Fraser is already Morag's mentor")
        };
        assert_eq!(
            reasons,
            ["the mentor is already this mentee's mentor; a pair is made once"]
        );
    })
    .await;
}

#[tokio::test]
async fn a_mentee_whose_only_mentor_left_is_her_own_is_told_so_not_that_a_coordinator_ruled_him_out()
 {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        programme_running(&app).await;
        let coordinator = coordinator_of(&app, "police-scotland", None).await;
        two_mentors_each(&app, &coordinator).await;
        let fraser = joined(&app, "police-scotland", "S6", Role::Mentor, "2").await;
        let morag = joined(&app, "police-scotland", "S5", Role::Mentee, "").await;
        trained(&app, &coordinator, &[fraser, morag]).await;
        let scotland = scotland(&app).await;
        confirmed_by_hand(&app, &coordinator, morag, fraser).await;

        let summary = matching::propose(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        assert_eq!((summary.mentees, summary.matched), (1, 0));
        let board = matching::board(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        let run = board.run.unwrap();
        let reasons: Vec<&str> = run.unmatched.iter().map(|(_, it)| it.as_str()).collect();
        assert_eq!(reasons.len(), 1, "{reasons:?}");
        assert!(
            reasons[0].contains("already this mentee's mentors")
                && !reasons[0].contains("coordinator"),
            "{reasons:?}"
        );
    })
    .await;
}

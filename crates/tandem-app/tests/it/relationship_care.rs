//! Looking after a relationship, on each backend: extensions agreed by both (R6.4), concerns
//! raised with the coordinator alone (R8.2), role changes flagged by an HR import or declared,
//! then settled (R6.5), reasonable adjustments respected and shared only by choice (R8.5), the
//! review at the final meeting (R7.3) and calendar files attached to the emails (R7.4).

use crate::applications::{HEADER, PEOPLE, PUBLIC_URL, person, unsent_to};
use crate::operator;
use crate::relationships::{at, confirmed_pair, conflict, fields, meeting};
use tandem_app::people::{ImportRequest, ImportStage, import};
use tandem_app::relationships::{self, ExtensionAnswer};
use tandem_app::{App, AppError, adjustments, roles};
use tandem_core::MatchId;
use tandem_core::adjustment::AdjustmentsForm;
use tandem_core::application::ApplicationStatus;
use tandem_core::authz::{Actor, Grant, Scope, StaffRole};
use tandem_core::hr::ImportOptions;
use tandem_core::pairing::MatchStatus;
use tandem_core::relationship::{ExtensionStatus, FlagKind, FlagOutcome};
use tandem_store::testing::on_each_backend;
use time::macros::{date, datetime};

/// Police Scotland's Fraser and Morag, met on 30 November and both going on: active from
/// 1 December 2026 to 1 December 2027. Returns the app as of 1 December.
pub(crate) async fn active_pair(app: &App) -> (MatchId, Actor, Actor, App) {
    let (id, mentor, mentee, _) = confirmed_pair(app).await;
    relationships::arrange_introduction(
        app,
        &mentor,
        id,
        &meeting("2026-11-30", "10:00", "60", "in_person", "Inverness"),
        PUBLIC_URL,
    )
    .await
    .unwrap();
    let later = at(app, datetime!(2026-12-01 09:00 UTC));
    for member in [&mentee, &mentor] {
        relationships::go_on(&later, member, id, PUBLIC_URL)
            .await
            .unwrap();
    }
    (id, mentor, mentee, later)
}

/// Iona (S1) as Police Scotland's programme coordinator, with the grant stored so she is told
/// of concerns and flags.
pub(crate) async fn stored_coordinator(app: &App) -> Actor {
    let Actor::Person {
        id, organisation, ..
    } = person(app, "police-scotland", "S1").await
    else {
        unreachable!("a person")
    };
    let grant = Grant {
        role: StaffRole::Coordinator,
        scope: Scope::Organisation(organisation),
    };
    roles::grant(app, &operator(), id, grant.clone())
        .await
        .unwrap();
    Actor::Person {
        id,
        organisation,
        grants: vec![grant],
    }
}

fn denied(error: AppError) {
    assert!(
        matches!(error, AppError::Denied(_)),
        "expected a refusal, got {error}"
    );
}

#[tokio::test]
async fn an_extension_moves_the_end_date_only_when_the_partner_agrees() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee, later) = active_pair(&app).await;
        // Bad dates are refused at the field, and nothing is proposed.
        for bad in ["2027-11-30", "1 March 2028", "2029-01-01"] {
            assert_eq!(
                fields(
                    relationships::propose_extension(&later, &mentee, id, bad, PUBLIC_URL)
                        .await
                        .unwrap_err()
                ),
                ["ends_on"],
                "{bad}"
            );
        }
        let proposal =
            relationships::propose_extension(&later, &mentee, id, "2028-03-31", PUBLIC_URL)
                .await
                .unwrap();
        assert!(
            unsent_to(&later)
                .await
                .iter()
                .any(|(to, subject, body)| to == "fraser@scotland.police.uk"
                    && subject == "Morag Kerr proposes to extend your mentoring relationship"
                    && body.contains("until 2028-03-31 instead of 2027-12-01")),
            "the mentor is asked"
        );
        assert!(
            conflict(
                relationships::propose_extension(&later, &mentor, id, "2028-06-30", PUBLIC_URL)
                    .await
                    .unwrap_err()
            )
            .contains("already waiting for an answer")
        );
        assert!(
            conflict(
                relationships::answer_extension(
                    &later,
                    &mentee,
                    id,
                    proposal.id,
                    ExtensionAnswer::Agree,
                    PUBLIC_URL
                )
                .await
                .unwrap_err()
            )
            .contains("your partner agrees or declines")
        );
        let page = relationships::page(&later, &mentor, id).await.unwrap();
        assert_eq!(
            page.relationship.pair.life.ends_on,
            Some(date!(2027 - 12 - 01)),
            "nothing moves until the partner agrees"
        );
        assert_eq!(
            relationships::answer_extension(
                &later,
                &mentor,
                id,
                proposal.id,
                ExtensionAnswer::Agree,
                PUBLIC_URL
            )
            .await
            .unwrap(),
            ExtensionStatus::Agreed
        );
        let page = relationships::page(&later, &mentee, id).await.unwrap();
        assert_eq!(
            page.relationship.pair.life.ends_on,
            Some(date!(2028 - 03 - 31))
        );
        assert_eq!(page.extensions.len(), 1);
        assert_eq!(page.extensions[0].previous_ends_on, date!(2027 - 12 - 01));
        assert!(
            relationships::answer_extension(
                &later,
                &mentor,
                id,
                proposal.id,
                ExtensionAnswer::Decline,
                PUBLIC_URL
            )
            .await
            .is_err(),
            "answered once"
        );

        // A second proposal, declined: the end date stays; a third taken back by its proposer.
        let second =
            relationships::propose_extension(&later, &mentor, id, "2028-06-30", PUBLIC_URL)
                .await
                .unwrap();
        relationships::answer_extension(
            &later,
            &mentee,
            id,
            second.id,
            ExtensionAnswer::Decline,
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let third = relationships::propose_extension(&later, &mentor, id, "2028-05-31", PUBLIC_URL)
            .await
            .unwrap();
        assert!(
            conflict(
                relationships::answer_extension(
                    &later,
                    &mentee,
                    id,
                    third.id,
                    ExtensionAnswer::TakeBack,
                    PUBLIC_URL
                )
                .await
                .unwrap_err()
            )
            .contains("only the member who proposed")
        );
        relationships::answer_extension(
            &later,
            &mentor,
            id,
            third.id,
            ExtensionAnswer::TakeBack,
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let page = relationships::page(&later, &mentee, id).await.unwrap();
        assert_eq!(
            page.relationship.pair.life.ends_on,
            Some(date!(2028 - 03 - 31))
        );
        let statuses: Vec<ExtensionStatus> = page.extensions.iter().map(|it| it.status).collect();
        assert_eq!(
            statuses,
            [
                ExtensionStatus::Agreed,
                ExtensionStatus::Declined,
                ExtensionStatus::Withdrawn
            ]
        );
        // Nobody outside the pair proposes or answers.
        denied(
            relationships::propose_extension(&later, &operator(), id, "2028-06-30", PUBLIC_URL)
                .await
                .unwrap_err(),
        );
    })
    .await;
}

#[tokio::test]
async fn a_concern_reaches_the_coordinators_alone_who_record_what_was_done() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee, later) = active_pair(&app).await;
        let coordinator = stored_coordinator(&later).await;
        let problems = fields(
            relationships::raise_concern(&later, &mentee, id, "", "", PUBLIC_URL)
                .await
                .unwrap_err(),
        );
        assert_eq!(problems, ["kind", "text"]);
        let concern = relationships::raise_concern(
            &later,
            &mentee,
            id,
            "risk_of_harm",
            "He mentioned a colleague who spoke of harming herself.",
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let mail = unsent_to(&later).await;
        let told: Vec<&(String, String, String)> = mail
            .iter()
            .filter(|(_, subject, _)| subject.starts_with("A concern has been raised"))
            .collect();
        assert_eq!(told.len(), 1, "{mail:#?}");
        assert_eq!(told[0].0, "iona@scotland.police.uk");
        assert!(told[0].2.contains(&format!("/concerns/{}", concern.id)));
        assert!(
            mail.iter().all(|(_, _, body)| !body.contains("harming")),
            "no email carries what was written"
        );
        // The reporter sees their concern; the partner does not.
        assert_eq!(
            relationships::page(&later, &mentee, id)
                .await
                .unwrap()
                .own_concerns
                .len(),
            1
        );
        assert!(
            relationships::page(&later, &mentor, id)
                .await
                .unwrap()
                .own_concerns
                .is_empty()
        );
        // Only the scheme's coordinators read it: not the partner, a champion, an
        // administrator or an operator.
        let champion =
            crate::applications::coordinator_of(&later, "police-scotland", Some("Highland")).await;
        let admin = {
            let Actor::Person { organisation, .. } = coordinator.clone() else {
                unreachable!()
            };
            Actor::Person {
                id: tandem_core::PersonId(uuid::Uuid::now_v7()),
                organisation,
                grants: vec![Grant {
                    role: StaffRole::OrganisationAdmin,
                    scope: Scope::Organisation(organisation),
                }],
            }
        };
        for outsider in [&mentor, &champion, &admin, &operator()] {
            denied(
                relationships::concern(&later, outsider, concern.id)
                    .await
                    .unwrap_err(),
            );
        }
        let view = relationships::concern(&later, &coordinator, concern.id)
            .await
            .unwrap();
        assert_eq!(
            view.concern.text,
            "He mentioned a colleague who spoke of harming herself."
        );
        assert_eq!(view.reporter.record.first_name.as_ref(), "Morag");
        assert_eq!(
            fields(
                relationships::record_outcome(&later, &coordinator, concern.id, " ", PUBLIC_URL)
                    .await
                    .unwrap_err()
            ),
            ["outcome"]
        );
        relationships::record_outcome(
            &later,
            &coordinator,
            concern.id,
            "Referred to occupational health the same day.",
            PUBLIC_URL,
        )
        .await
        .unwrap();
        assert!(
            conflict(
                relationships::record_outcome(
                    &later,
                    &coordinator,
                    concern.id,
                    "Again",
                    PUBLIC_URL
                )
                .await
                .unwrap_err()
            )
            .contains("already recorded")
        );
        assert!(
            unsent_to(&later)
                .await
                .iter()
                .any(|(to, subject, body)| to == "morag@scotland.police.uk"
                    && subject == "The coordinator has dealt with your concern"
                    && !body.contains("occupational health"))
        );
        // Every step is in the audit log, with no words of the concern.
        let mut tx = later.store.begin_read().await.unwrap();
        let (audit, _) = tx
            .search_audit(&tandem_store::AuditSearch {
                limit: 1000,
                ..tandem_store::AuditSearch::default()
            })
            .await
            .unwrap();
        tx.rollback().await.unwrap();
        let actions: Vec<&str> = audit
            .iter()
            .filter(|it| it.subject == Some(concern.id))
            .map(|it| it.action.code())
            .collect();
        for step in ["concern.raised", "concern.read", "concern.outcome_recorded"] {
            assert!(actions.contains(&step), "{step} in {actions:?}");
        }
        assert!(
            audit
                .iter()
                .all(|it| !it.detail.to_string().contains("harming"))
        );
        let (_, list) = relationships::concerns_of_scheme(
            &later,
            &coordinator,
            crate::matching::scotland(&later).await,
            &crate::matching::mentoring(),
        )
        .await
        .unwrap();
        assert_eq!(list.len(), 1);
        assert!(list[0].concern.outcome.is_some());
    })
    .await;
}

#[tokio::test]
async fn an_import_that_makes_the_mentor_the_mentees_manager_flags_the_relationship() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee, later) = active_pair(&app).await;
        let coordinator = stored_coordinator(&later).await;
        // Morag (S5) now reports to Fraser (S6).
        let people = PEOPLE.replace(
            "S5,police-scotland,Morag,Kerr,morag@scotland.police.uk,Highland,Inverness,Constable,officer,,",
            "S5,police-scotland,Morag,Kerr,morag@scotland.police.uk,Highland,Inverness,Constable,officer,S6,",
        );
        let file = format!("{HEADER}\n{people}");
        let request = || ImportRequest {
            bytes: file.as_bytes(),
            options: ImportOptions::default(),
            dry_run: false,
            source: "restructure.csv",
        };
        let report = import(&later, &operator(), request(), &|_: ImportStage| {})
            .await
            .unwrap();
        assert_eq!(report.relationships_flagged, 1);
        let again = import(&later, &operator(), request(), &|_: ImportStage| {})
            .await
            .unwrap();
        assert_eq!(again.relationships_flagged, 0, "an open flag is not raised twice");
        let page = relationships::page(&later, &mentee, id).await.unwrap();
        assert_eq!(page.flags.len(), 1);
        assert_eq!(page.flags[0].kind, FlagKind::LineManagement);
        assert!(page.flags[0].is_open());
        let mail = unsent_to(&later).await;
        for to in [
            "fraser@scotland.police.uk",
            "morag@scotland.police.uk",
            "iona@scotland.police.uk",
        ] {
            assert!(
                mail.iter()
                    .any(|(recipient, subject, _)| recipient == to && subject.contains("decision")),
                "{to} is told: {mail:#?}"
            );
        }
        // The staff list counts the open flag.
        let list = relationships::of_scheme(
            &later,
            &coordinator,
            crate::matching::scotland(&later).await,
            &crate::matching::mentoring(),
            &relationships::RelationshipFilter::default(),
            1,
        )
        .await
        .unwrap();
        assert_eq!(list.rows[0].open_flags, 1);

        // The coordinator decides: a decision needs its reason; the pair cannot decide for them.
        let flag = page.flags[0].id;
        assert_eq!(
            fields(
                relationships::decide_flag(&later, &coordinator, flag, "continue", "", PUBLIC_URL)
                    .await
                    .unwrap_err()
            ),
            ["reason"]
        );
        denied(
            relationships::decide_flag(&later, &mentor, flag, "continue", "Fine", PUBLIC_URL)
                .await
                .unwrap_err(),
        );
        relationships::decide_flag(
            &later,
            &coordinator,
            flag,
            "end",
            "A manager cannot mentor their own report",
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let page = relationships::page(&later, &mentee, id).await.unwrap();
        assert_eq!(page.relationship.pair.status, MatchStatus::Withdrawn);
        let settled = page.flags[0].settled.as_ref().unwrap();
        assert_eq!(settled.outcome, FlagOutcome::End);
        let mut tx = later.store.begin_read().await.unwrap();
        let application = tx
            .application(page.relationship.pair.mentee_application)
            .await
            .unwrap()
            .unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(
            application.status,
            ApplicationStatus::Approved,
            "the mentee is back on the waiting list"
        );
    })
    .await;
}

#[tokio::test]
async fn an_interview_panel_is_declared_by_the_pair_and_settled_by_their_declaration() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee, later) = active_pair(&app).await;
        let flag = relationships::declare_interview_panel(&later, &mentor, id, PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(flag.kind, FlagKind::InterviewPanel);
        assert!(
            conflict(
                relationships::declare_interview_panel(&later, &mentee, id, PUBLIC_URL)
                    .await
                    .unwrap_err()
            )
            .contains("already flagged")
        );
        assert_eq!(
            fields(
                relationships::declare_conflict(&later, &mentee, id, flag.id, "", PUBLIC_URL)
                    .await
                    .unwrap_err()
            ),
            ["declaration"]
        );
        relationships::declare_conflict(
            &later,
            &mentee,
            id,
            flag.id,
            "Fraser sits on my board in March; we will not discuss it and he will declare it to the chair.",
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let page = relationships::page(&later, &mentor, id).await.unwrap();
        assert_eq!(page.relationship.pair.status, MatchStatus::Active);
        assert_eq!(
            page.flags[0].settled.as_ref().unwrap().outcome,
            FlagOutcome::Declared
        );
        assert!(
            conflict(
                relationships::declare_conflict(&later, &mentor, id, flag.id, "Again", PUBLIC_URL)
                    .await
                    .unwrap_err()
            )
            .contains("already been settled")
        );
    })
    .await;
}

#[tokio::test]
async fn an_adjustment_lets_the_first_meeting_be_remote_and_is_shared_only_by_choice() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee, _) = confirmed_pair(&app).await;
        let video = meeting("2026-11-30", "10:00", "60", "video", "");
        assert_eq!(
            fields(
                relationships::arrange_introduction(&app, &mentor, id, &video, PUBLIC_URL)
                    .await
                    .unwrap_err()
            ),
            ["mode"],
            "face to face in Police Scotland"
        );
        let form = AdjustmentsForm {
            remote_meetings: true,
            no_travel: false,
            other: "Hearing loop in rooms, please".to_owned(),
            shared_with_partner: false,
        };
        let saved = adjustments::save(&app, &mentee, &form, None).await.unwrap();
        assert!(
            conflict(
                adjustments::save(&app, &mentee, &form, None)
                    .await
                    .unwrap_err()
            )
            .contains("changed in another window"),
            "a stale first save does not overwrite"
        );
        assert!(
            relationships::page(&app, &mentor, id)
                .await
                .unwrap()
                .partner_adjustments
                .is_none(),
            "not shared"
        );
        relationships::arrange_introduction(&app, &mentor, id, &video, PUBLIC_URL)
            .await
            .unwrap();
        adjustments::save(
            &app,
            &mentee,
            &AdjustmentsForm {
                shared_with_partner: true,
                ..form
            },
            Some(saved.version),
        )
        .await
        .unwrap();
        let shared = relationships::page(&app, &mentor, id)
            .await
            .unwrap()
            .partner_adjustments
            .unwrap();
        assert_eq!(shared.other, "Hearing loop in rooms, please");
        assert!(
            adjustments::own(&app, &operator()).await.is_err(),
            "only a person has adjustments of their own"
        );
    })
    .await;
}

#[tokio::test]
async fn a_booked_session_is_emailed_with_its_calendar_file_and_the_final_meeting_asks_for_a_review()
 {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, _mentor, mentee, later) = active_pair(&app).await;
        let booked = relationships::book_session(
            &later,
            &mentee,
            id,
            &meeting("2027-01-14", "10:00", "90", "video", ""),
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let mut tx = later.store.begin_read().await.unwrap();
        let unsent = tx.unsent().await.unwrap();
        tx.rollback().await.unwrap();
        let invitations: Vec<&tandem_store::MailAttachment> = unsent
            .iter()
            .filter(|(message, _, _)| message.subject.starts_with("Booked"))
            .filter_map(|(message, _, _)| message.attachment.as_ref())
            .collect();
        assert_eq!(invitations.len(), 2, "one each");
        for file in invitations {
            assert!(file.content_type.starts_with("text/calendar"));
            assert!(file.name.ends_with(".ics"));
            assert!(file.content.contains(&format!("UID:{}@tandem", booked.id)));
        }

        // Near the end date (within the eight-week gap), the meeting held is the final one.
        let near_end = at(&app, datetime!(2027-10-20 09:00 UTC));
        relationships::log_session(
            &near_end,
            &mentee,
            id,
            &meeting("2027-10-19", "10:00", "60", "video", ""),
        )
        .await
        .unwrap();
        let page = relationships::page(&near_end, &mentee, id).await.unwrap();
        assert!(
            page.review_due,
            "a review is due at the final meeting (held {})",
            page.held
        );
    })
    .await;
}

#[tokio::test]
async fn an_import_that_records_a_member_as_a_leaver_tells_the_coordinator_once() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, _, _, later) = active_pair(&app).await;
        let coordinator = stored_coordinator(&later).await;
        // Morag (S5), the mentee, leaves the force.
        let people = PEOPLE.replace(
            "S5,police-scotland,Morag,Kerr,morag@scotland.police.uk,Highland,Inverness,Constable,officer,,2016-01-15,no,no,serving,",
            "S5,police-scotland,Morag,Kerr,morag@scotland.police.uk,Highland,Inverness,Constable,officer,,2016-01-15,no,no,leaver,",
        );
        assert_ne!(people, PEOPLE);
        let file = format!("{HEADER}\n{people}");
        let request = || ImportRequest {
            bytes: file.as_bytes(),
            options: ImportOptions::default(),
            dry_run: false,
            source: "leavers.csv",
        };
        let report = import(&later, &operator(), request(), &|_: ImportStage| {})
            .await
            .unwrap();
        assert_eq!(report.relationships_of_leavers, 1);
        let again = import(&later, &operator(), request(), &|_: ImportStage| {})
            .await
            .unwrap();
        assert_eq!(again.relationships_of_leavers, 0, "nothing changed: nothing said");
        let told: Vec<String> = unsent_to(&later)
            .await
            .into_iter()
            .filter(|(_, subject, _)| subject.contains("is no longer serving"))
            .map(|(to, subject, body)| {
                assert!(body.contains("as having left"), "{body}");
                format!("{to}: {subject}")
            })
            .collect();
        assert_eq!(
            told,
            ["iona@scotland.police.uk: Morag Kerr is no longer serving: a relationship in Mentoring programme needs you"]
        );
        let (_, listed) = tandem_app::reminders::needs_attention(
            &later,
            &coordinator,
            crate::matching::scotland(&later).await,
            &crate::matching::mentoring(),
        )
        .await
        .unwrap();
        let row = listed.iter().find(|it| it.pair.id == id).expect("listed");
        assert_eq!(row.departed, [tandem_core::relationship::Party::Mentee]);
    })
    .await;
}

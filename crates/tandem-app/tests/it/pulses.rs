//! Pulse check-ins (R11.1) on each backend: the sweep asks both members when a round opens;
//! each answers the open round once; the coordinators see the scores and the "at risk" reasons,
//! and a comment only when its author shared it; the partner never sees it.

use crate::applications::{PUBLIC_URL, unsent_to};
use crate::relationship_care::{active_pair, stored_coordinator};
use crate::relationships::{at, conflict, fields};
use tandem_app::{AppError, relationships, reminders};
use tandem_core::pulse::Risk;
use tandem_store::testing::on_each_backend;
use time::macros::datetime;

#[tokio::test]
async fn members_answer_each_check_in_once_and_coordinators_see_scores_not_private_comments() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        // Active from 1 December 2026: the first check-in opens on 31 December, the second on
        // 1 March 2027 (30 days, then every 60).
        let (id, mentor, mentee, _) = active_pair(&app).await;
        let coordinator = stored_coordinator(&app).await;

        let early = at(&app, datetime!(2026-12-20 09:00 UTC));
        let page = relationships::page(&early, &mentor, id).await.unwrap();
        assert_eq!(page.check_in, None);
        assert!(
            conflict(
                relationships::answer_pulse(&early, &mentor, id, "1", "4", "", "")
                    .await
                    .unwrap_err()
            )
            .contains("no check-in open")
        );

        let first = at(&app, datetime!(2027-01-02 09:00 UTC));
        let report = reminders::sweep(&first, first.clock.now(), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(report.sent.get("pulse"), Some(&1), "{report:?}");
        let mut asked: Vec<String> = unsent_to(&first)
            .await
            .into_iter()
            .filter(|(_, subject, _)| subject == "How is your mentoring going?")
            .map(|(to, _, body)| {
                assert!(
                    body.contains(&format!("/relationships/{id}#check-in")),
                    "{body}"
                );
                to
            })
            .collect();
        asked.sort();
        assert_eq!(
            asked,
            ["fraser@scotland.police.uk", "morag@scotland.police.uk"]
        );
        let again = reminders::sweep(&first, first.clock.now(), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(again.total(), 0);

        let page = relationships::page(&first, &mentor, id).await.unwrap();
        let open = page.check_in.clone().expect("the first check-in is open");
        assert_eq!((open.round, open.answered), (1, None));
        // Bad input is refused at its fields and nothing is recorded.
        assert_eq!(
            fields(
                relationships::answer_pulse(&first, &mentor, id, "1", "7", "", "yes")
                    .await
                    .unwrap_err()
            ),
            ["score", "comment"]
        );
        assert!(
            conflict(
                relationships::answer_pulse(&first, &mentor, id, "2", "4", "", "")
                    .await
                    .unwrap_err()
            )
            .contains("closed")
        );
        assert!(matches!(
            relationships::answer_pulse(&first, &coordinator, id, "1", "4", "", "").await,
            Err(AppError::Denied(_))
        ));
        relationships::answer_pulse(&first, &mentor, id, "1", "4", "Good start", "")
            .await
            .unwrap();
        relationships::answer_pulse(&first, &mentee, id, "1", "2", "Hard to find time", "no")
            .await
            .unwrap();
        assert!(
            conflict(
                relationships::answer_pulse(&first, &mentor, id, "1", "5", "", "")
                    .await
                    .unwrap_err()
            )
            .contains("answered this check-in already")
        );
        let page = relationships::page(&first, &mentor, id).await.unwrap();
        let answered = page.check_in.unwrap().answered.expect("answered");
        assert_eq!(answered.score.get(), 4);
        assert_eq!(answered.comment, "Good start");
        assert_eq!(page.own_pulses.len(), 1, "the mentee's answer is theirs");

        let seen = relationships::staff_view(&first, &coordinator, id)
            .await
            .unwrap();
        let round = &seen.pulses.rounds[0];
        assert_eq!(
            (
                round.round,
                round.mentor.map(|it| it.get()),
                round.mentee.map(|it| it.get())
            ),
            (1, Some(4), Some(2))
        );
        assert_eq!(seen.pulses.risks, [Risk::Low]);
        assert!(seen.pulses.shared.is_empty(), "{:?}", seen.pulses.shared);

        // The second check-in: the mentee scores lower and shares a comment.
        let second = at(&app, datetime!(2027-03-02 09:00 UTC));
        relationships::answer_pulse(&second, &mentee, id, "2", "1", "Please call me", "yes")
            .await
            .unwrap();
        let seen = relationships::staff_view(&second, &coordinator, id)
            .await
            .unwrap();
        assert_eq!(seen.pulses.rounds.len(), 2);
        assert_eq!(seen.pulses.rounds[1].mentor, None);
        assert_eq!(seen.pulses.risks, [Risk::Low]);
        let shared: Vec<&str> = seen
            .pulses
            .shared
            .iter()
            .map(|it| it.text.as_str())
            .collect();
        assert_eq!(shared, ["Please call me"], "never the private comment");
        let partner = relationships::page(&second, &mentor, id).await.unwrap();
        assert!(
            partner
                .own_pulses
                .iter()
                .all(|it| it.comment != "Please call me"),
            "the partner never reads it"
        );
        let scotland = crate::matching::scotland(&second).await;
        let (_, listed) = reminders::needs_attention(
            &second,
            &coordinator,
            scotland,
            &crate::matching::mentoring(),
        )
        .await
        .unwrap();
        let listed: Vec<_> = listed.iter().filter(|it| it.pair.id == id).collect();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].risks, [Risk::Low]);
    })
    .await;
}

#[tokio::test]
async fn a_member_who_leaves_two_check_ins_unanswered_puts_the_relationship_at_risk() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, _, _) = active_pair(&app).await;
        let coordinator = stored_coordinator(&app).await;
        let first = at(&app, datetime!(2027-01-02 09:00 UTC));
        relationships::answer_pulse(&first, &mentor, id, "1", "4", "", "")
            .await
            .unwrap();
        // Rounds 2 (1 March) and 3 (30 April) pass; round 4 opens on 29 June.
        let third = at(&app, datetime!(2027-05-02 09:00 UTC));
        let seen = relationships::staff_view(&third, &coordinator, id)
            .await
            .unwrap();
        assert_eq!(seen.pulses.rounds.len(), 3);
        assert_eq!(
            seen.pulses.risks,
            [Risk::Silent],
            "the mentee has answered none of three"
        );
        let fourth = at(&app, datetime!(2027-06-30 09:00 UTC));
        relationships::answer_pulse(&fourth, &mentor, id, "4", "4", "", "")
            .await
            .unwrap();
        let seen = relationships::staff_view(&fourth, &coordinator, id)
            .await
            .unwrap();
        assert_eq!(
            seen.pulses.risks,
            [Risk::Silent],
            "the mentee is still silent"
        );
    })
    .await;
}

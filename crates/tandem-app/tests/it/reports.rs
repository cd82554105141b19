//! Programme dashboards (R10.1, R10.5) on each backend: what a period counts and what the one
//! before it counted, month by month and by division, for the staff whose scope it is.

use crate::applications::{PUBLIC_URL, coordinator_of};
use crate::relationships::{at, confirmed_pair, fields, meeting};
use tandem_app::relationships;
use tandem_app::reports::{self, Dashboard, ReportRequest};
use tandem_app::{App, AppError};
use tandem_core::authz::Actor;
use tandem_core::domain::OrgCode;
use tandem_core::reports::ReportName;
use tandem_store::testing::on_each_backend;
use time::macros::datetime;

fn period(from: &str, to: &str) -> ReportRequest {
    ReportRequest {
        from: from.to_owned(),
        to: to.to_owned(),
        ..ReportRequest::default()
    }
}

/// A table's rows as the page shows them, a line per row.
fn shown(dashboard: &Dashboard, name: ReportName) -> Vec<String> {
    dashboard
        .tables
        .iter()
        .find(|table| table.name == name)
        .unwrap_or_else(|| panic!("the dashboard has a {} table", name.code()))
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| cell.shown())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

async fn scotland_dashboard(app: &App, actor: &Actor, request: &ReportRequest) -> Dashboard {
    let organisation =
        tandem_app::organisations::by_code(app, &OrgCode::parse("police-scotland").unwrap())
            .await
            .unwrap();
    reports::dashboard(app, actor, organisation.id, request)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_period_counts_its_matches_sessions_and_endings_against_the_period_before() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee, coordinator) = confirmed_pair(&app).await;
        relationships::arrange_introduction(
            &app,
            &mentor,
            id,
            &meeting("2026-11-26", "10:00", "60", "in_person", "Inverness"),
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let december = at(&app, datetime!(2026-12-01 09:00 UTC));
        relationships::go_on(&december, &mentee, id, PUBLIC_URL)
            .await
            .unwrap();
        relationships::go_on(&december, &mentor, id, PUBLIC_URL)
            .await
            .unwrap();
        for day in ["2026-11-28", "2026-11-29"] {
            relationships::log_session(
                &december,
                &mentor,
                id,
                &meeting(day, "15:00", "60", "phone", ""),
            )
            .await
            .unwrap();
        }

        let november =
            scotland_dashboard(&december, &coordinator, &period("2026-11-01", "2026-11-30")).await;
        assert_eq!(
            (
                november.previous.from.to_string(),
                november.previous.to.to_string()
            ),
            ("2026-10-02".to_owned(), "2026-10-31".to_owned())
        );
        let headline = shown(&november, ReportName::Headline);
        for line in [
            "Applications received | 2 | 0 | +2",
            "Matches made | 1 | 0 | +1",
            "Relationships running | 1 | 0 | +1",
            "Relationships completed | 0 | 0 | 0",
            "Relationships ended early | 0 | 0 | 0",
            "Sessions held | 2 | 0 | +2",
            // Approved and matched the same morning; nothing to compare with before.
            "Median wait for a match after approval (days) | 0 |  | ",
        ] {
            assert!(
                headline.contains(&line.to_owned()),
                "{line} in {headline:#?}"
            );
        }
        assert_eq!(
            shown(&november, ReportName::Monthly),
            ["Nov 2026 | 1 | 0 | 0 | 2"]
        );
        assert_eq!(
            shown(&november, ReportName::Divisions),
            ["Highland | 2 | 1 | 1 | 0 | 0 | 2"],
            "pairs count in the mentee's division, applications in the applicant's"
        );
        assert!(shown(&november, ReportName::Now).contains(&"Relationships active | 1".to_owned()));
        assert_eq!(
            shown(&november, ReportName::Applications),
            // A mentor with room for more stays approved; the mentee is matched.
            [
                "To mentor | 0 | 0 | 1 | 0 | 0 | 0 | 1",
                "To be mentored | 0 | 0 | 0 | 1 | 0 | 0 | 1"
            ]
        );

        // Match quality: the one scored match reached its first meeting, not yet a review.
        let quality = shown(&november, ReportName::Quality);
        assert_eq!(quality.len(), 1, "{quality:?}");
        assert!(
            quality[0].starts_with("Lowest quarter | ")
                && quality[0].ends_with(" | 1 | 100 | 0 | 0 | "),
            "{quality:?}"
        );

        // The mentor withdraws in December: an early ending then, still running in November.
        relationships::withdraw(&december, &mentor, id, "Posted to another division", false)
            .await
            .unwrap();
        let month =
            scotland_dashboard(&december, &coordinator, &period("2026-12-01", "2026-12-31")).await;
        let headline = shown(&month, ReportName::Headline);
        for line in [
            "Matches made | 0 | 1 | -1",
            "Relationships running | 1 | 1 | 0",
            "Relationships ended early | 1 | 0 | +1",
        ] {
            assert!(
                headline.contains(&line.to_owned()),
                "{line} in {headline:#?}"
            );
        }
        let october =
            scotland_dashboard(&december, &coordinator, &period("2026-10-01", "2026-10-31")).await;
        assert!(
            shown(&october, ReportName::Headline)
                .contains(&"Relationships running | 0 | 0 | 0".to_owned())
        );
    })
    .await;
}

#[tokio::test]
async fn a_dashboard_is_for_the_staff_of_its_scope_and_refuses_a_period_it_cannot_read() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (_, _, mentee, coordinator) = confirmed_pair(&app).await;
        let organisation =
            tandem_app::organisations::by_code(&app, &OrgCode::parse("police-scotland").unwrap())
                .await
                .unwrap();
        let denied = reports::dashboard(&app, &mentee, organisation.id, &ReportRequest::default())
            .await
            .unwrap_err();
        assert!(matches!(denied, AppError::Denied(_)), "{denied}");

        // A champion sees their own division's figures without asking, and no other's.
        let champion = coordinator_of(&app, "police-scotland", Some("Tayside")).await;
        let theirs = scotland_dashboard(&app, &champion, &ReportRequest::default()).await;
        assert_eq!(theirs.division.as_deref(), Some("Tayside"));
        assert!(
            shown(&theirs, ReportName::Headline).contains(&"Matches made | 0 | 0 | 0".to_owned())
        );
        let highland = ReportRequest {
            division: "Highland".to_owned(),
            ..ReportRequest::default()
        };
        assert!(matches!(
            reports::dashboard(&app, &champion, organisation.id, &highland).await,
            Err(AppError::Denied(_))
        ));
        let whole = scotland_dashboard(&app, &coordinator, &ReportRequest::default()).await;
        assert_eq!(whole.period.to.to_string(), "2026-11-23");
        assert_eq!(whole.period.from.to_string(), "2025-11-24");
        assert!(
            whole
                .covers()
                .starts_with("Police Scotland, 24 Nov 2025 to 23 Nov 2026")
        );

        for (request, field) in [
            (period("2026-13-01", ""), "from"),
            (period("2026-01-01", "yesterday"), "to"),
            (period("2026-11-01", "2026-10-01"), "from"),
        ] {
            let refused = reports::dashboard(&app, &coordinator, organisation.id, &request)
                .await
                .unwrap_err();
            assert_eq!(fields(refused), [field]);
        }

        // The download carries the marking and what the figures cover.
        let csv = reports::export(
            &app,
            &coordinator,
            &OrgCode::parse("police-scotland").unwrap(),
            ReportName::Headline,
            &period("2026-11-01", "2026-11-30"),
        )
        .await
        .unwrap();
        let lines: Vec<&str> = csv.lines().take(4).collect();
        assert_eq!(
            lines,
            [
                "# OFFICIAL",
                "\"# The programme at a glance: Police Scotland, 1 Nov 2026 to 30 Nov 2026\"",
                "Measure,This period,Previous period,Change",
                "Applications received,2,0,+2",
            ]
        );
        let scheme = ReportRequest {
            scheme: "mentoring".to_owned(),
            ..ReportRequest::default()
        };
        let refused = reports::export(
            &app,
            &coordinator,
            &OrgCode::parse("police-scotland").unwrap(),
            ReportName::Schemes,
            &scheme,
        )
        .await
        .unwrap_err();
        assert!(
            refused.to_string().contains("leave out --scheme"),
            "{refused}"
        );
    })
    .await;
}

/// The line of `table` about `group`, if it has one.
fn row_of(dashboard: &Dashboard, name: ReportName, group: &str) -> Option<String> {
    shown(dashboard, name)
        .into_iter()
        .find(|row| row.starts_with(&format!("{group} | ")))
}

#[tokio::test]
async fn sessions_count_on_their_local_day_and_follow_the_mentee_to_another_division() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee, coordinator) = confirmed_pair(&app).await;
        relationships::arrange_introduction(
            &app,
            &mentor,
            id,
            &meeting("2026-11-26", "10:00", "60", "in_person", "Inverness"),
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let december = at(&app, datetime!(2026-12-01 09:00 UTC));
        relationships::go_on(&december, &mentee, id, PUBLIC_URL)
            .await
            .unwrap();
        relationships::go_on(&december, &mentor, id, PUBLIC_URL)
            .await
            .unwrap();
        // British Summer Time: local midnight is 23:00 UTC the day before, so each of these
        // falls on a different local day than its UTC one, either side of a month's end.
        let july = at(&app, datetime!(2027-07-20 09:00 UTC));
        let booked = relationships::book_session(
            &july,
            &mentor,
            id,
            &meeting("2027-07-31", "23:45", "60", "phone", ""),
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let august = at(&app, datetime!(2027-08-20 09:00 UTC));
        for (day, time) in [
            ("2027-06-30", "23:30"),
            ("2027-07-01", "00:30"),
            ("2027-08-01", "00:15"),
        ] {
            relationships::log_session(
                &august,
                &mentor,
                id,
                &meeting(day, time, "60", "phone", ""),
            )
            .await
            .unwrap();
        }
        relationships::mark_held(&august, &mentor, booked.id)
            .await
            .unwrap();

        let month = scotland_dashboard(&august, &coordinator, &period("2027-07-01", "2027-07-31")).await;
        assert!(
            shown(&month, ReportName::Headline).contains(&"Sessions held | 2 | 1 | +1".to_owned()),
            "July 1st 00:30 and July 31st 23:45 are July's; June 30th 23:30 the month before's: {:#?}",
            shown(&month, ReportName::Headline)
        );
        assert_eq!(
            shown(&month, ReportName::Monthly),
            ["Jul 2027 | 0 | 0 | 0 | 2"]
        );
        let summer = scotland_dashboard(&august, &coordinator, &period("2027-06-01", "2027-08-31")).await;
        assert_eq!(
            shown(&summer, ReportName::Monthly),
            [
                "Jun 2027 | 0 | 0 | 0 | 1",
                "Jul 2027 | 0 | 0 | 0 | 2",
                "Aug 2027 | 0 | 0 | 0 | 1"
            ]
        );
        assert!(
            row_of(&summer, ReportName::Divisions, "Highland").is_some_and(|it| it.ends_with(" | 4")),
            "{:#?}",
            shown(&summer, ReportName::Divisions)
        );
        // A period that starts and ends inside months: July is read whole, the days either
        // side of it one by one.
        let across = scotland_dashboard(&august, &coordinator, &period("2027-06-15", "2027-08-10")).await;
        assert_eq!(
            shown(&across, ReportName::Monthly),
            [
                "Jun 2027 | 0 | 0 | 0 | 1",
                "Jul 2027 | 0 | 0 | 0 | 2",
                "Aug 2027 | 0 | 0 | 0 | 1"
            ]
        );
        assert!(
            shown(&across, ReportName::Headline).contains(&"Sessions held | 4 | 0 | +4".to_owned()),
            "{:#?}",
            shown(&across, ReportName::Headline)
        );
        let late_june = scotland_dashboard(&august, &coordinator, &period("2027-06-20", "2027-06-30")).await;
        assert!(
            shown(&late_june, ReportName::Headline).contains(&"Sessions held | 1 | 0 | +1".to_owned()),
            "June 30th 23:30 is June's, July 1st 00:30 is not: {:#?}",
            shown(&late_june, ReportName::Headline)
        );

        // HR moves the mentee to Moray: their pair's sessions count there from now on.
        let exported = tandem_app::people::export(
            &august,
            &crate::operator(),
            Some(&OrgCode::parse("police-scotland").unwrap()),
        )
        .await
        .unwrap();
        let exported = String::from_utf8(exported).unwrap();
        let mut lines = exported.lines();
        let header = lines.next().unwrap();
        let department = header.split(',').position(|it| it == "department").unwrap();
        let moved = lines
            .find(|line| line.starts_with("S5,"))
            .unwrap()
            .split(',')
            .enumerate()
            .map(|(column, value)| if column == department { "Moray" } else { value })
            .collect::<Vec<_>>()
            .join(",");
        let file = format!("{header}\n{moved}\n");
        let report = tandem_app::people::import(
            &august,
            &crate::operator(),
            tandem_app::people::ImportRequest {
                bytes: file.as_bytes(),
                options: tandem_core::hr::ImportOptions::default(),
                dry_run: false,
                source: "move.csv",
            },
            &|_| {},
        )
        .await
        .unwrap();
        assert_eq!(report.updated, 1, "{report:?}");
        let summer = scotland_dashboard(&august, &coordinator, &period("2027-06-01", "2027-08-31")).await;
        assert!(
            row_of(&summer, ReportName::Divisions, "Moray").is_some_and(|it| it.ends_with(" | 4")),
            "{:#?}",
            shown(&summer, ReportName::Divisions)
        );
        assert!(
            row_of(&summer, ReportName::Divisions, "Highland").is_none_or(|it| it.ends_with(" | 0")),
            "{:#?}",
            shown(&summer, ReportName::Divisions)
        );
        let moray = ReportRequest {
            division: "Moray".to_owned(),
            ..period("2027-06-01", "2027-08-31")
        };
        assert!(
            shown(&scotland_dashboard(&august, &coordinator, &moray).await, ReportName::Headline)
                .contains(&"Sessions held | 4 | 0 | +4".to_owned())
        );
    })
    .await;
}

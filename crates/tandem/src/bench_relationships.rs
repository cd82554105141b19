//! `tandem bench relationships`: a relationship's page, a scheme's relationships page and its CSV
//! in an installation with 20,000 relationships and 400,000 meetings (issue targets: 50 ms,
//! 300 ms, 2 s).
//!
//! History cannot be made through the use cases (a booking must be in the future, and one pair
//! at a time would take hours), so the seeding writes it with the store in batches, as the demo
//! does pair by pair; the people, the scheme, the sign-ins and every timed read go through the
//! application as a browser or an operator would.

use crate::bench::{
    FigureRow, bench_force, cookie, format_memory, machine, median, median_get, ms,
    on_each_backend, peak_memory_bytes, print_figures, reset_peak_memory, serve, signed_in,
};
use anyhow::Context;
use clap::Args;
use std::process::ExitCode;
use std::time::Instant;
use tandem_app::App;
use tandem_app::relationships::{self, RelationshipFilter};
use tandem_core::application::{Answers, Application, ApplicationStatus};
use tandem_core::authz::{Actor, Grant, Scope, StaffRole};
use tandem_core::eligibility::Role;
use tandem_core::hr::ExistingPerson;
use tandem_core::pairing::{Hold, Lifecycle, Match, MatchSource, MatchStatus};
use tandem_core::policy::SchemePolicy;
use tandem_core::relationship::{
    ActionOwner, AgreedAction, Goal, GoalStatus, GrowNotes, HoldReason, Meeting, MeetingKind,
    MeetingMode, MeetingStatus, Review, ReviewKind, planned_end,
};
use tandem_core::{ApplicationId, Clock, MatchId, PersonId, SystemClock};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// Meetings of the one pair whose page is timed.
const BIG_PAIR_MEETINGS: usize = 60;
/// Targets from the issue, in ms.
const PAGE_TARGET_MS: f64 = 50.0;
const LIST_TARGET_MS: f64 = 300.0;
const CSV_TARGET_MS: f64 = 2_000.0;
/// Pairs whose meetings and reviews are written per transaction.
const PAIRS_PER_TRANSACTION: usize = 5_000;

/// `tandem bench relationships`.
#[derive(Debug, Args)]
pub struct RelationshipsBenchArgs {
    /// Relationships in the scheme (besides the one pair with 60 sessions).
    #[arg(long, default_value_t = 20_000)]
    pub(crate) relationships: usize,
    /// Meetings each relationship has had or booked, its introductory meeting included.
    #[arg(long, default_value_t = 20)]
    pub(crate) sessions_per_relationship: usize,
    /// Seed of the generated workforce.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// People in the workforce at least (other benchmarks want a whole force's).
    #[arg(skip)]
    pub(crate) workforce: usize,
}

/// What one backend measured (times in ms, sizes in bytes).
struct Figures {
    page_app: f64,
    page_http: f64,
    page_size: usize,
    list_app: f64,
    list_http: f64,
    list_size: usize,
    csv_app: f64,
    csv_http: f64,
    csv_size: usize,
    peak: Option<u64>,
}

/// Seeds a fresh database (SQLite, and PostgreSQL when `TANDEM_BENCH_POSTGRES_URL` names a
/// server) with a scheme of `relationships` pairs (active, on hold, closing, closed) and their
/// meetings and reviews, plus one pair with 60 meetings and everything they wrote; then times
/// that pair's page (the use case, and over HTTP as its mentee), the scheme's relationships
/// (the use case, and its page over HTTP as a coordinator) and its CSV (both ways).
pub async fn relationships(args: RelationshipsBenchArgs) -> anyhow::Result<ExitCode> {
    let meetings = args.relationships * args.sessions_per_relationship.max(1);
    println!(
        "tandem bench relationships: {} relationships with {} meetings each ({meetings}), plus one pair with {BIG_PAIR_MEETINGS} (Police Scotland's policy)",
        args.relationships,
        args.sessions_per_relationship.max(1)
    );
    println!("machine: {}", machine());
    let args = &args;
    let measured =
        on_each_backend(|app, name| async move { relationships_on(&app, args, name).await })
            .await?;
    print_table(&measured);
    Ok(ExitCode::SUCCESS)
}

fn print_table(measured: &[(&str, Figures)]) {
    let kib = |bytes: usize| format!("{} KiB", bytes / 1024);
    let rows: Vec<FigureRow<'_, Figures>> = vec![
        (
            "relationship page, 60 sessions (use case)",
            "50 ms",
            Box::new(|it| ms(it.page_app, Some(PAGE_TARGET_MS))),
        ),
        (
            "relationship page, 60 sessions (HTTP, member)",
            "50 ms",
            Box::new(|it| ms(it.page_http, Some(PAGE_TARGET_MS))),
        ),
        ("  its size", "", Box::new(|it| kib(it.page_size))),
        (
            "scheme relationships (use case of_scheme)",
            "",
            Box::new(|it| ms(it.list_app, None)),
        ),
        (
            "scheme relationships page (HTTP, coordinator)",
            "300 ms",
            Box::new(|it| ms(it.list_http, Some(LIST_TARGET_MS))),
        ),
        ("  its size", "", Box::new(|it| kib(it.list_size))),
        (
            "relationships CSV (use case export_csv)",
            "2 s",
            Box::new(|it| ms(it.csv_app, Some(CSV_TARGET_MS))),
        ),
        (
            "relationships CSV (HTTP, coordinator)",
            "2 s",
            Box::new(|it| ms(it.csv_http, Some(CSV_TARGET_MS))),
        ),
        ("  its size", "", Box::new(|it| kib(it.csv_size))),
        (
            "peak memory while measuring",
            "",
            Box::new(|it| format_memory(it.peak)),
        ),
    ];
    print_figures(&rows, measured);
}

/// What the seeding left for the measurements.
pub(crate) struct Seeded {
    pub(crate) scheme_key: tandem_core::domain::SchemeKey,
    pub(crate) organisation: tandem_core::Organisation,
    big_pair: MatchId,
    member: ExistingPerson,
    pub(crate) coordinator: ExistingPerson,
}

async fn relationships_on(
    app: &App,
    args: &RelationshipsBenchArgs,
    name: &str,
) -> anyhow::Result<Figures> {
    let started = Instant::now();
    let (seeded, counts) = seed(app, args).await?;
    println!(
        "{name}: seeded in {:.1} s: {} applications, {} relationships, {} meetings, {} reviews",
        started.elapsed().as_secs_f64(),
        counts.applications,
        counts.relationships,
        counts.meetings,
        counts.reviews
    );
    let member_token = signed_in(app, &seeded.member.record.email).await?;
    let coordinator_token = signed_in(app, &seeded.coordinator.record.email).await?;
    let member = actor_of(app, &member_token).await?;
    let coordinator = actor_of(app, &coordinator_token).await?;

    reset_peak_memory();
    let mut timings = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let page = relationships::page(app, &member, seeded.big_pair).await?;
        timings.push(started.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(
            page.meetings.len() == BIG_PAIR_MEETINGS,
            "the big pair has {} meetings, not {BIG_PAIR_MEETINGS}",
            page.meetings.len()
        );
    }
    let page_app = median(timings);

    let mut timings = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let list = relationships::of_scheme(
            app,
            &coordinator,
            seeded.organisation.id,
            &seeded.scheme_key,
            &RelationshipFilter::default(),
            1,
        )
        .await?;
        timings.push(started.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(
            usize::try_from(list.total).ok() == Some(args.relationships + 1)
                && list.rows.len()
                    == (args.relationships + 1).min(relationships::PAGE_ROWS as usize),
            "the coordinator sees {} relationships in all and {} on the first page, not {}",
            list.total,
            list.rows.len(),
            args.relationships + 1
        );
    }
    let list_app = median(timings);

    let mut timings = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let csv = relationships::export_csv(
            app,
            &coordinator,
            &seeded.organisation.code,
            Some(&seeded.scheme_key),
        )
        .await?;
        timings.push(started.elapsed().as_secs_f64() * 1000.0);
        // The marking line, the header, then one line a relationship.
        anyhow::ensure!(
            csv.lines().count() == args.relationships + 3,
            "the CSV has {} lines for {} relationships",
            csv.lines().count(),
            args.relationships + 1
        );
    }
    let csv_app = median(timings);

    let (address, server) = serve(app).await?;
    let over_http = async {
        let member = cookie(&member_token);
        let coordinator = cookie(&coordinator_token);
        let page = median_get(
            address,
            &format!("/relationships/{}", seeded.big_pair),
            &member,
            5,
        )
        .await?;
        let list = median_get(
            address,
            &format!("/schemes/{}/relationships", seeded.scheme_key),
            &coordinator,
            5,
        )
        .await?;
        let csv = median_get(
            address,
            &format!("/schemes/{}/relationships.csv", seeded.scheme_key),
            &coordinator,
            3,
        )
        .await?;
        anyhow::Ok((page, list, csv))
    }
    .await;
    server.abort();
    let ((page_http, page_size), (list_http, list_size), (csv_http, csv_size)) = over_http?;
    Ok(Figures {
        page_app,
        page_http,
        page_size,
        list_app,
        list_http,
        list_size,
        csv_app,
        csv_http,
        csv_size,
        peak: peak_memory_bytes(),
    })
}

/// The actor a session's cookie stands for, as the web app finds it.
async fn actor_of(app: &App, token: &tandem_app::accounts::SessionToken) -> anyhow::Result<Actor> {
    Ok(tandem_app::accounts::session(app, token)
        .await?
        .context("the session just started has gone")?
        .actor)
}

/// How many rows the seeding wrote.
#[derive(Default)]
pub(crate) struct Counts {
    pub(crate) applications: usize,
    pub(crate) relationships: usize,
    pub(crate) meetings: usize,
    pub(crate) reviews: usize,
}

/// A force, the scheme, its applicants and coordinator, then the pairs and their history.
pub(crate) async fn seed(
    app: &App,
    args: &RelationshipsBenchArgs,
) -> anyhow::Result<(Seeded, Counts)> {
    let now = SystemClock.now();
    let pairs = args.relationships + 1;
    // A mentor has two mentees (the policy's most); the big pair's mentor only theirs.
    let mentors = args.relationships.div_ceil(2) + 1;
    let (organisation, scheme) = bench_force(
        app,
        ((pairs + mentors) * 3 / 2 + 500).max(args.workforce),
        args.seed,
    )
    .await?;
    let policy = &scheme.definition.policy;
    let mut tx = app.store.begin_write().await?;
    let mut people = tx.people_of(organisation.id).await?;
    people.retain(|person| {
        let band = organisation
            .rank_bands
            .band_of(&person.record.rank_or_grade);
        tandem_core::eligibility::assess(&policy.eligibility.mentee, &person.record, band, false)
            .is_empty()
    });
    let level = |person: &ExistingPerson| {
        organisation
            .rank_bands
            .band_of(&person.record.rank_or_grade)
            .map_or(0, |band| band.level)
    };
    // The most senior eligible people mentor, the next ones are mentees.
    people.sort_by_key(|person| std::cmp::Reverse(level(person)));
    anyhow::ensure!(
        people.len() > pairs + mentors,
        "the generated workforce has only {} eligible people",
        people.len()
    );
    let coordinator = people
        .pop()
        .context("someone to coordinate the bench scheme")?;
    let mentor_people = &people[..mentors];
    let mentee_people = &people[mentors..mentors + pairs];
    let topics = &organisation.topics;
    let slots = tandem_core::application::AVAILABILITY_SLOTS;
    let mut counts = Counts::default();
    let mut application_of = |person: &ExistingPerson, role: Role, index: usize| {
        let pick = |k: usize| topics[(index * 7 + k * 5) % topics.len()].clone();
        let submitted_at = now - Duration::days(450);
        counts.applications += 1;
        Application {
            id: ApplicationId(Uuid::now_v7()),
            scheme: scheme.id,
            person: person.id,
            role,
            status: if role == Role::Mentor {
                ApplicationStatus::Approved
            } else {
                ApplicationStatus::Matched
            },
            answers: Answers {
                summary: "Bench applicant".to_owned(),
                topics: (0..1 + index % 3).map(pick).collect(),
                capacity: (role == Role::Mentor).then_some(2),
                location: person.record.location.as_ref().map(ToString::to_string),
                will_travel: index.is_multiple_of(2),
                remote_ok: !index.is_multiple_of(3),
                availability: (0..3)
                    .map(|k| slots[(index * 3 + k * 7) % slots.len()].to_owned())
                    .collect(),
                preferred_mentor_email: None,
            },
            confidential: false,
            approver: None,
            decided_by: Some("operator:bench".to_owned()),
            decision_reason: None,
            decided_at: Some(submitted_at),
            statement_signed_at: None,
            agreement_signed_at: None,
            ethics_acknowledged_at: Some(submitted_at),
            priority: 0,
            submitted_at,
            version: 1,
        }
    };
    let mut mentor_applications = Vec::with_capacity(mentors);
    for (index, person) in mentor_people.iter().enumerate() {
        let application = application_of(person, Role::Mentor, index);
        tx.insert_application(&application).await?;
        mentor_applications.push(application.id);
    }
    let mut mentee_applications = Vec::with_capacity(pairs);
    for (index, person) in mentee_people.iter().enumerate() {
        let application = application_of(person, Role::Mentee, index);
        tx.insert_application(&application).await?;
        mentee_applications.push(application.id);
    }
    tx.insert_grant(
        Uuid::now_v7(),
        coordinator.id,
        &Grant {
            role: StaffRole::Coordinator,
            scope: Scope::Organisation(organisation.id),
        },
        "bench",
        now,
    )
    .await?;
    tx.commit().await?;

    // The big pair is the last mentee with the last mentor; the others two mentees a mentor.
    let mut big_pair = None;
    let indexes: Vec<usize> = (0..pairs).collect();
    for chunk in indexes.chunks(PAIRS_PER_TRANSACTION) {
        let mut tx = app.store.begin_write().await?;
        let mut matches = Vec::with_capacity(chunk.len());
        let mut meetings = Vec::new();
        let mut reviews = Vec::new();
        for &index in chunk {
            let big = index == args.relationships;
            let mentor = if big { mentors - 1 } else { index / 2 };
            let ids = PairIds {
                mentor: (mentor_people[mentor].id, mentor_applications[mentor]),
                mentee: (mentee_people[index].id, mentee_applications[index]),
            };
            let story = if big {
                Story::big()
            } else {
                Story::of(index, args.sessions_per_relationship.max(1))
            };
            let pair = story.pair(&scheme, policy, ids, now);
            let (past, booked) = story.meetings(&pair, now);
            reviews.extend(story.reviews(&pair, policy, &past));
            if big {
                big_pair = Some((pair.clone(), past.clone()));
            }
            meetings.extend(past);
            meetings.extend(booked);
            matches.push(pair);
        }
        tx.insert_matches(&matches).await?;
        tx.insert_meetings(&meetings).await?;
        tx.insert_reviews(&reviews).await?;
        if let Some((pair, past)) = &big_pair
            && chunk.contains(&args.relationships)
        {
            content(&mut tx, pair, past).await?;
        }
        tx.commit().await?;
        counts.relationships += matches.len();
        counts.meetings += meetings.len();
        counts.reviews += reviews.len();
    }
    let mut tx = app.store.begin_write().await?;
    tx.refresh_statistics().await?;
    tx.commit().await?;
    Ok((
        Seeded {
            scheme_key: scheme.definition.key.clone(),
            big_pair: big_pair.context("the big pair was seeded")?.0.id,
            member: mentee_people[args.relationships].clone(),
            coordinator,
            organisation,
        },
        counts,
    ))
}

/// The two people of a pair and their applications.
struct PairIds {
    mentor: (PersonId, ApplicationId),
    mentee: (PersonId, ApplicationId),
}

/// Where a seeded relationship has got to, and its meetings' shape.
struct Story {
    status: MatchStatus,
    /// Days since the introductory meeting.
    started_days_ago: i64,
    /// Meetings in all (held, cancelled and booked).
    meetings: usize,
    /// Of which booked ahead.
    booked: usize,
    /// Days ago that the pair stopped meeting (put on hold, started closing, closed); 0 if still
    /// meeting.
    stopped_days_ago: i64,
    /// Leave the latest progress review unwritten, so the list shows it due.
    review_missing: bool,
    /// Pick for varying details.
    index: usize,
}

impl Story {
    /// Mostly active; a tenth each on hold, closing and closed; started two to fourteen months
    /// ago.
    fn of(index: usize, meetings: usize) -> Self {
        let spread = i64::try_from(index % 61).unwrap_or(0);
        let (status, started_days_ago, stopped_days_ago) = match index % 20 {
            0..=13 => (
                MatchStatus::Active,
                60 + i64::try_from(index % 10).unwrap_or(0) * 24 + spread,
                0,
            ),
            14 | 15 => (
                MatchStatus::OnHold,
                120 + i64::try_from(index % 6).unwrap_or(0) * 30 + spread,
                7 + spread,
            ),
            16 | 17 => (MatchStatus::Closing, 330 + spread, 3 + spread / 4),
            _ => (MatchStatus::Closed, 360 + spread, 7 + spread),
        };
        let booked = if status == MatchStatus::Active && index.is_multiple_of(2) && meetings > 1 {
            1
        } else {
            0
        };
        Self {
            status,
            started_days_ago,
            meetings,
            booked,
            stopped_days_ago,
            review_missing: index.is_multiple_of(5),
            index,
        }
    }

    /// The pair whose page is timed: active for eleven months, met about weekly, two sessions
    /// booked.
    fn big() -> Self {
        Self {
            status: MatchStatus::Active,
            started_days_ago: 330,
            meetings: BIG_PAIR_MEETINGS,
            booked: 2,
            stopped_days_ago: 0,
            review_missing: false,
            index: 1,
        }
    }

    fn start(&self, now: OffsetDateTime) -> OffsetDateTime {
        now - Duration::days(self.started_days_ago)
    }

    fn pair(
        &self,
        scheme: &tandem_core::programme::Scheme,
        policy: &SchemePolicy,
        ids: PairIds,
        now: OffsetDateTime,
    ) -> Match {
        let start = self.start(now);
        let confirmed = start - Duration::days(14);
        let stopped = now - Duration::days(self.stopped_days_ago);
        let started_on = start.date();
        let mut life = Lifecycle {
            confirmed_at: Some(confirmed),
            mentor_went_on_at: Some(start),
            mentee_went_on_at: Some(start),
            started_on: Some(started_on),
            ends_on: planned_end(policy, started_on),
            ..Lifecycle::default()
        };
        match self.status {
            MatchStatus::OnHold => {
                let reasons = [
                    HoldReason::ParentalLeave,
                    HoldReason::Sickness,
                    HoldReason::Secondment,
                    HoldReason::CareerBreak,
                    HoldReason::Other,
                ];
                life.hold = Some(Hold {
                    reason: reasons[self.index % reasons.len()],
                    since: stopped,
                });
            }
            MatchStatus::Closing => life.closing_started_at = Some(stopped),
            MatchStatus::Closed => {
                life.closing_started_at = Some(stopped - Duration::days(14));
                life.closed_at = Some(stopped);
            }
            _ => {}
        }
        Match {
            id: MatchId(Uuid::now_v7()),
            scheme: scheme.id,
            mentor_application: ids.mentor.1,
            mentee_application: ids.mentee.1,
            mentor: ids.mentor.0,
            mentee: ids.mentee.0,
            status: self.status,
            source: MatchSource::Bulk,
            score: Some(700 + i32::try_from(self.index % 300).unwrap_or(0)),
            explanation: "topics 40\nlocation 25\nrank 5\nexperience 10\navailability 5".to_owned(),
            proposed_by: "operator:bench".to_owned(),
            proposed_at: confirmed - Duration::days(7),
            decided_by: Some("operator:bench".to_owned()),
            decided_at: Some(confirmed),
            reason: None,
            version: 3,
            life,
        }
    }

    /// The meetings so far (introductory first, evenly spread until the pair stopped meeting,
    /// one in eleven cancelled), and those booked ahead.
    fn meetings(&self, pair: &Match, now: OffsetDateTime) -> (Vec<Meeting>, Vec<Meeting>) {
        let start = self.start(now);
        let until = now - Duration::days(self.stopped_days_ago.max(1));
        let past = self.meetings - self.booked;
        let step = (until - start) / i32::try_from(past.max(1)).unwrap_or(1);
        let meeting = |sequence: usize, status: MeetingStatus, at: OffsetDateTime| {
            let kind = if sequence == 0 {
                MeetingKind::Introductory
            } else {
                MeetingKind::Session
            };
            let mode = match (kind, (self.index + sequence) % 3) {
                (MeetingKind::Introductory, _) | (_, 0) => MeetingMode::InPerson,
                (_, 1) => MeetingMode::Video,
                _ => MeetingMode::Phone,
            };
            let by = if sequence == 0 {
                pair.mentor
            } else {
                pair.mentee
            };
            Meeting {
                id: Uuid::now_v7(),
                pair: pair.id,
                kind,
                status,
                starts_at: at,
                minutes: if sequence % 4 == 3 { 90 } else { 60 },
                mode,
                place: (mode == MeetingMode::InPerson)
                    .then(|| format!("Station {}, meeting room 2", 1 + self.index % 40)),
                arranged_by: format!("person:{by}"),
                sequence: 0,
                created_at: at.min(now) - Duration::days(10),
                updated_at: at.min(now),
                version: 1,
            }
        };
        let before = (0..past)
            .map(|sequence| {
                let status = if sequence > 0 && (self.index + sequence).is_multiple_of(11) {
                    MeetingStatus::Cancelled
                } else {
                    MeetingStatus::Held
                };
                let at = start + step * i32::try_from(sequence).unwrap_or(0);
                meeting(sequence, status, at)
            })
            .collect();
        let booked = (0..self.booked)
            .map(|ahead| {
                let days = 7
                    + 14 * i64::try_from(ahead).unwrap_or(0)
                    + i64::try_from(self.index % 7).unwrap_or(0);
                meeting(
                    past + ahead,
                    MeetingStatus::Booked,
                    now + Duration::days(days),
                )
            })
            .collect();
        (before, booked)
    }

    /// A progress review at every Nth meeting held (the latest sometimes still to write), and
    /// the closing reviews of pairs closing (the mentee's) or closed (both).
    fn reviews(&self, pair: &Match, policy: &SchemePolicy, meetings: &[Meeting]) -> Vec<Review> {
        let held: Vec<&Meeting> = meetings
            .iter()
            .filter(|it| it.status == MeetingStatus::Held)
            .collect();
        let every = policy
            .review_every_nth_meeting
            .filter(|it| *it > 0)
            .map_or(usize::MAX, |it| usize::try_from(it).unwrap_or(usize::MAX));
        let mut due: Vec<usize> = (1..=held.len()).filter(|n| n % every == 0).collect();
        if self.review_missing {
            due.pop();
        }
        let review = |kind, author, at_meeting: usize, at| Review {
            id: Uuid::now_v7(),
            pair: pair.id,
            kind,
            author,
            at_meeting: u32::try_from(at_meeting).unwrap_or(u32::MAX),
            achieved: "More confident chairing briefings; the exam passed".to_owned(),
            next_steps: "Apply for an acting role and keep the study group going".to_owned(),
            created_at: at,
        };
        let mut out: Vec<Review> = due
            .into_iter()
            .map(|n| {
                let author = if (self.index + n).is_multiple_of(2) {
                    pair.mentee
                } else {
                    pair.mentor
                };
                review(ReviewKind::Progress, author, n, held[n - 1].starts_at)
            })
            .collect();
        if let Some(closing) = pair.life.closing_started_at {
            let authors: &[PersonId] = if self.status == MatchStatus::Closed {
                &[pair.mentee, pair.mentor]
            } else {
                &[pair.mentee]
            };
            for author in authors {
                out.push(review(
                    ReviewKind::Closing,
                    *author,
                    held.len(),
                    closing + Duration::days(2),
                ));
            }
        }
        out
    }
}

/// What the timed pair wrote: GROW notes of every meeting held, goals and agreed actions (the
/// page reads them all).
async fn content(
    tx: &mut tandem_store::Tx,
    pair: &Match,
    meetings: &[Meeting],
) -> anyhow::Result<()> {
    let by = format!("person:{}", pair.mentee);
    for (n, meeting) in meetings
        .iter()
        .filter(|it| it.status == MeetingStatus::Held)
        .enumerate()
    {
        tx.save_meeting_notes(
            pair.id,
            meeting.id,
            &GrowNotes {
                goal: format!("Session {}: prepare for the sergeants' board", n + 1),
                reality: "Strong on operational examples, weaker on the competency framework"
                    .to_owned(),
                options: "Mock interview; shadow a shift sergeant; read the framework".to_owned(),
                way_ahead: "One mock interview and two framework examples before next time"
                    .to_owned(),
            },
            None,
            &by,
            meeting.starts_at,
        )
        .await?;
    }
    let start = meetings.first().map_or(pair.proposed_at, |it| it.starts_at);
    for (n, text) in [
        "Pass the sergeants' exam",
        "Lead a team briefing with confidence",
        "Understand the competency framework",
        "Build a network outside the division",
    ]
    .iter()
    .enumerate()
    {
        tx.insert_goal(&Goal {
            id: Uuid::now_v7(),
            pair: pair.id,
            text: (*text).to_owned(),
            status: if n < 2 {
                GoalStatus::Achieved
            } else {
                GoalStatus::Open
            },
            created_by: by.clone(),
            created_at: start,
            updated_at: start,
            version: 1,
        })
        .await?;
    }
    for (n, meeting) in meetings.iter().step_by(4).enumerate() {
        tx.insert_action(&AgreedAction {
            id: Uuid::now_v7(),
            pair: pair.id,
            meeting: Some(meeting.id),
            text: format!("Action {}: two past papers before the next session", n + 1),
            owner: if n % 2 == 0 {
                ActionOwner::Mentee
            } else {
                ActionOwner::Mentor
            },
            due_on: Some((meeting.starts_at + Duration::weeks(2)).date()),
            done: n + 2 < meetings.len() / 4,
            created_by: by.clone(),
            created_at: meeting.starts_at,
            updated_at: meeting.starts_at,
            version: 1,
        })
        .await?;
    }
    Ok(())
}

//! The sweep (R6.4, R7.3, R11.2): the product noticing time passing. It reads every live
//! relationship a page at a time, asks `reminder::due_now` what is due, and for each reminder
//! not yet sent records it and writes its emails in the same transaction. A reminder's key
//! names its occasion, and the database refuses a second record of the same key, so sweeping
//! twice, or on two servers at once against one database, sends nothing twice.
//!
//! The sweep acts as `Actor::System`: it reads state and dates, never what a pair wrote, and
//! never moves a relationship on; people decide. The coordinators' "needs attention" page shows
//! what the same rules find now, with the decision to keep a relationship proposed for closure.

use crate::matching::scope_of;
use crate::relationships::{coordinators_of, link};
use crate::{App, AppError, audit};
use tandem_core::audit::AuditAction;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::domain::{EmploymentStatus, SchemeKey};
use tandem_core::hr::ExistingPerson;
use tandem_core::pairing::Match;
use tandem_core::programme::Scheme;
use tandem_core::reminder::{Audience, Due, Nudge, Snapshot, due_now};
use tandem_core::{MatchId, OrganisationId, PersonId, SchemeId, local_time};
use tandem_store::{SweepRow, Tx};
use time::OffsetDateTime;

/// Relationships read at a time.
const PAGE: i64 = 500;

/// What one sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Live relationships looked at.
    pub relationships: usize,
    /// Reminders sent now, by kind (each to one or more people).
    pub sent: BTreeMap<&'static str, usize>,
    /// Digests emailed (to people who chose a daily or weekly digest).
    pub digests: usize,
    /// Line managers' monthly digests sent (R11.4).
    pub line_manager_digests: usize,
    /// People asked to refresh their training, or told it has run out (R4.3).
    pub refreshers: usize,
    /// Waiting mentees told they have moved up the list (R9.1).
    pub moved_up: usize,
    /// Mentors invited to a support group, and coordinators asked to schedule one (R4.3).
    pub support_groups: crate::support_groups::Sent,
    /// Records disposed of past their retention (R8.3).
    pub disposed: u64,
}

impl SweepReport {
    /// Reminders sent in all.
    pub fn total(&self) -> usize {
        self.sent.values().sum()
    }
}

/// A relationship's facts as the rules read them.
fn snapshot(row: &SweepRow) -> Snapshot {
    Snapshot {
        status: row.pair.status,
        confirmed_at: row.pair.life.confirmed_at,
        started_on: row.pair.life.started_on,
        ends_on: row.pair.life.ends_on,
        introduction_arranged: row.introduction_arranged,
        last_held: row.last_held,
        booked_ahead: row.booked_ahead,
        held: u32::try_from(row.held).unwrap_or(u32::MAX),
        last_review_at: row.last_review_at.and_then(|it| u32::try_from(it).ok()),
        kept_open_at: row.kept_open_at,
    }
}

/// What the rules find for a relationship's coordinators now.
pub(crate) fn coordinator_nudges(
    scheme: &Scheme,
    row: &SweepRow,
    now: OffsetDateTime,
    today: time::Date,
) -> Vec<Nudge> {
    due_now(&scheme.definition.policy, &snapshot(row), now, today)
        .into_iter()
        .filter(|it| it.to == Audience::Coordinators)
        .map(|it| it.nudge)
        .collect()
}

/// Schemes, their organisations' time zones and coordinators, read once per sweep.
#[derive(Default)]
struct Schemes {
    schemes: HashMap<SchemeId, Arc<Scheme>>,
    zones: HashMap<OrganisationId, String>,
    coordinators: HashMap<SchemeId, Arc<Vec<ExistingPerson>>>,
}

impl Schemes {
    /// Reads the scheme once; false when it is gone.
    async fn load(&mut self, tx: &mut Tx, id: SchemeId) -> Result<bool, AppError> {
        if !self.schemes.contains_key(&id) {
            let Some(scheme) = tx.scheme(id).await? else {
                return Ok(false);
            };
            if !self.zones.contains_key(&scheme.organisation) {
                for organisation in tx.organisations().await? {
                    self.zones.insert(organisation.id, organisation.time_zone);
                }
            }
            self.schemes.insert(id, Arc::new(scheme));
        }
        Ok(true)
    }

    fn today(&self, scheme: &Scheme, now: OffsetDateTime) -> time::Date {
        let zone = self
            .zones
            .get(&scheme.organisation)
            .map_or("Europe/London", String::as_str);
        local_time::to_local(now, zone).date()
    }
}

/// What is due now for one page of rows, per relationship.
async fn due_for(
    tx: &mut Tx,
    schemes: &mut Schemes,
    rows: &[SweepRow],
    now: OffsetDateTime,
) -> Result<Vec<(usize, Vec<Due>)>, AppError> {
    let mut out = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        if !schemes.load(tx, row.pair.scheme).await? {
            continue;
        }
        let scheme = &schemes.schemes[&row.pair.scheme];
        let today = schemes.today(scheme, now);
        let due = due_now(&scheme.definition.policy, &snapshot(row), now, today);
        if !due.is_empty() {
            out.push((index, due));
        }
    }
    Ok(out)
}

/// Sweeps every live relationship as of `now`: records and sends each reminder due and not
/// sent before. Links in the emails start with `public_url`.
///
/// The relationships are read a page at a time, the next page while this one's reminders are
/// written, and the sweep's other passes (refreshers, waiting lists, support groups, line
/// managers' digests) run alongside them on their own connections; the digests go last, so they
/// carry what this sweep sent.
pub async fn sweep(
    app: &App,
    now: OffsetDateTime,
    public_url: &str,
) -> Result<SweepReport, AppError> {
    let (mut report, others) = tokio::try_join!(
        sweep_relationships(app, now, public_url),
        other_passes(app, now, public_url)
    )?;
    report.refreshers = others.refreshers;
    report.moved_up = others.moved_up;
    report.support_groups = others.support_groups;
    report.line_manager_digests = others.line_manager_digests;
    report.disposed = others.disposed;
    report.digests = crate::notify::send_digests(app, now, public_url).await?;
    Ok(report)
}

/// The passes that do not read relationships, one after another.
async fn other_passes(
    app: &App,
    now: OffsetDateTime,
    public_url: &str,
) -> Result<SweepReport, AppError> {
    Ok(SweepReport {
        refreshers: crate::refreshers::send(app, now, public_url).await?,
        moved_up: crate::waiting_list::send(app, now, public_url).await?,
        support_groups: crate::support_groups::send(app, now, public_url).await?,
        line_manager_digests: crate::line_manager_digest::send(app, now, public_url).await?,
        disposed: crate::retention::sweep(app, now).await?,
        ..SweepReport::default()
    })
}

/// The relationships' reminders in two halves side by side (each database connection reads
/// and counts on its own), each half page by page, reading its next page while writing this
/// one.
async fn sweep_relationships(
    app: &App,
    now: OffsetDateTime,
    public_url: &str,
) -> Result<SweepReport, AppError> {
    let mut tx = app.store.begin_read().await?;
    // Halves of less than a page each would only add a transaction; SQLite, with one writer
    // and its reading bound by the processor, sweeps no faster in two.
    let middle = match tx.backend() {
        tandem_store::Backend::Postgres => tx.middle_live_relationship(PAGE).await?,
        tandem_store::Backend::Sqlite => None,
    };
    tx.rollback().await?;
    let Some(middle) = middle else {
        return sweep_range(app, None, None, now, public_url).await;
    };
    let (mut first, second) = tokio::try_join!(
        sweep_range(app, None, Some(middle), now, public_url),
        sweep_range(app, Some(middle), None, now, public_url)
    )?;
    first.relationships += second.relationships;
    for (nudge, count) in second.sent {
        *first.sent.entry(nudge).or_default() += count;
    }
    Ok(first)
}

/// The live relationships after `after` and up to `until`.
async fn sweep_range(
    app: &App,
    after: Option<MatchId>,
    until: Option<MatchId>,
    now: OffsetDateTime,
    public_url: &str,
) -> Result<SweepReport, AppError> {
    let mut report = SweepReport::default();
    let mut schemes = Schemes::default();
    let mut page = read_page(app, &mut schemes, after, until, now).await?;
    while let Some(last) = page.rows.last() {
        let after = last.pair.id;
        report.relationships += page.rows.len();
        let (next, ()) = tokio::try_join!(
            read_page(app, &mut schemes, Some(after), until, now),
            send_page(app, &mut report, &page, now, public_url)
        )?;
        page = next;
    }
    Ok(report)
}

/// A page of live relationships with the reminders due on it and not sent before, and
/// everything their notices need: all that can be read before the write.
#[derive(Default)]
struct Page {
    rows: Vec<SweepRow>,
    /// What is due and new, by the index of its relationship in `rows`.
    fresh: Vec<(usize, Due)>,
    /// The members of the relationships with something new.
    people: HashMap<PersonId, ExistingPerson>,
    /// Their schemes and the schemes' coordinators.
    schemes: HashMap<SchemeId, (Arc<Scheme>, Arc<Vec<ExistingPerson>>)>,
}

/// The page of live relationships after `after` and up to `until`, read in one read
/// transaction.
async fn read_page(
    app: &App,
    schemes: &mut Schemes,
    after: Option<MatchId>,
    until: Option<MatchId>,
    now: OffsetDateTime,
) -> Result<Page, AppError> {
    let mut tx = app.store.begin_read().await?;
    let rows = tx
        .live_relationships_after(None, after, until, now, PAGE)
        .await?;
    let due = due_for(&mut tx, schemes, &rows, now).await?;
    // What was sent before is left out here, so a sweep that finds nothing new writes
    // nothing; the write still refuses a reminder another sweep recorded meanwhile.
    let due_ids: Vec<MatchId> = due.iter().map(|(index, _)| rows[*index].pair.id).collect();
    let sent_before = tx.reminders_sent_among(&due_ids).await?;
    let fresh: Vec<(usize, Due)> = due
        .into_iter()
        .flat_map(|(index, items)| items.into_iter().map(move |item| (index, item)))
        .filter(|(index, item)| !sent_before.contains(&(rows[*index].pair.id, item.key.clone())))
        .collect();
    let mut members: Vec<PersonId> = fresh
        .iter()
        .flat_map(|(index, _)| [rows[*index].pair.mentor, rows[*index].pair.mentee])
        .collect();
    members.sort_unstable();
    members.dedup();
    let people = tx.people_map(&members).await?;
    let mut page_schemes = HashMap::new();
    for (index, _) in &fresh {
        let scheme_id = rows[*index].pair.scheme;
        if page_schemes.contains_key(&scheme_id) {
            continue;
        }
        let Some(scheme) = schemes.schemes.get(&scheme_id).cloned() else {
            continue;
        };
        let coordinators = match schemes.coordinators.get(&scheme_id) {
            Some(found) => Arc::clone(found),
            None => {
                let found = Arc::new(coordinators_of(&mut tx, &scheme).await?);
                schemes.coordinators.insert(scheme_id, Arc::clone(&found));
                found
            }
        };
        page_schemes.insert(scheme_id, (scheme, coordinators));
    }
    tx.rollback().await?;
    Ok(Page {
        rows,
        fresh,
        people,
        schemes: page_schemes,
    })
}

/// Records and sends what is due on a page and was not sent before, in one write transaction
/// (none when nothing is new).
async fn send_page(
    app: &App,
    report: &mut SweepReport,
    page: &Page,
    now: OffsetDateTime,
    public_url: &str,
) -> Result<(), AppError> {
    if page.fresh.is_empty() {
        return Ok(());
    }
    let actor = Actor::System;
    let rows = &page.rows;
    let mut tx = app.store.begin_write().await?;
    let marks: Vec<(MatchId, String, &'static str)> = page
        .fresh
        .iter()
        .map(|(index, item)| (rows[*index].pair.id, item.key.clone(), item.nudge.as_str()))
        .collect();
    let marked = tx.mark_reminders(&marks, now).await?;
    let mut notices = Vec::new();
    for (index, item) in &page.fresh {
        let pair = &rows[*index].pair;
        if !marked.contains(&(pair.id, item.key.clone())) {
            continue;
        }
        let Some((scheme, coordinators)) = page.schemes.get(&pair.scheme) else {
            continue;
        };
        let (Some(mentor), Some(mentee)) =
            (page.people.get(&pair.mentor), page.people.get(&pair.mentee))
        else {
            continue;
        };
        authorize(&actor, &Action::ViewRelationships(scope_of(scheme, mentee)))?;
        let about = About {
            pair,
            scheme,
            mentor,
            mentee,
            held: rows[*index].held,
            public_url,
        };
        let to: Vec<&ExistingPerson> = match item.to {
            Audience::Mentor => vec![mentor],
            Audience::Pair => vec![mentor, mentee],
            Audience::Coordinators => coordinators.iter().collect(),
        };
        for person in to {
            // Leavers, retired people and people on a career break get nothing more.
            if person.record.employment_status != EmploymentStatus::Serving {
                continue;
            }
            let (subject, body) = about.words(item.nudge, item.to);
            let notice = crate::notify::Notice::of(
                person,
                format!("reminder.{}.{}.{}", pair.id, item.key, person.id),
                format!("reminder.{}", item.nudge.as_str()),
                subject,
                body,
            );
            // What reaches the coordinators is an escalation: at once, whatever they chose.
            notices.push(if item.to == Audience::Coordinators {
                notice.urgent()
            } else {
                notice
            });
        }
        *report.sent.entry(item.nudge.as_str()).or_default() += 1;
    }
    crate::notify::send_all(&mut tx, notices, now).await?;
    tx.commit().await?;
    Ok(())
}

/// What a reminder is about, for its words.
struct About<'a> {
    pair: &'a Match,
    scheme: &'a Scheme,
    mentor: &'a ExistingPerson,
    mentee: &'a ExistingPerson,
    held: i64,
    public_url: &'a str,
}

impl About<'_> {
    /// The email's subject and body: what happened, what to do next, where.
    fn words(&self, nudge: Nudge, to: Audience) -> (String, String) {
        let scheme = &self.scheme.definition.name;
        let mentor = self.mentor.record.full_name();
        let mentee = self.mentee.record.full_name();
        let page = link(self.public_url, self.pair.id);
        let attention = format!(
            "{}/schemes/{}/attention",
            self.public_url.trim_end_matches('/'),
            self.scheme.definition.key
        );
        let life = &self.pair.life;
        let ends = life
            .ends_on
            .map(|it| it.to_string())
            .unwrap_or_else(|| "its end date".to_owned());
        let policy = &self.scheme.definition.policy;
        let gap = policy
            .cadence_weeks
            .max
            .unwrap_or(tandem_core::reminder::DEFAULT_GAP_WEEKS);
        match (nudge, to) {
            (Nudge::ArrangeFirstMeeting, _) => (
                format!("Please arrange your first meeting with {mentee}"),
                format!(
                    "You were matched with {mentee} in {scheme}. Please arrange your introductory, getting-to-know-you meeting: choose a date, time and place on your relationship's page.\n{page}"
                ),
            ),
            (Nudge::FirstMeetingOverdue, _) => (
                format!("No first meeting yet for {mentor} and {mentee}"),
                format!(
                    "{mentor} (mentor) and {mentee} (mentee) were matched in {scheme} some weeks ago and no introductory meeting has been arranged. The mentor has been reminded. You may want to check in with them.\n{attention}"
                ),
            ),
            (Nudge::PulseCheckIn, _) => (
                "How is your mentoring going?".to_owned(),
                format!(
                    "A short check-in for your relationship in {scheme}: score how it is going from 1 to 5 and, if you like, add a comment. The coordinators see your score; your comment stays private unless you choose to share it.\n{page}#check-in"
                ),
            ),
            (Nudge::BookNextSession, _) => (
                "Time to book your next mentoring session".to_owned(),
                format!(
                    "Sessions in {scheme} are held at least every {gap} weeks, and nothing is booked. Book your next session, or log one you have held, on your relationship's page.\n{page}"
                ),
            ),
            (Nudge::ReviewDue, _) => (
                "A progress review is due".to_owned(),
                format!(
                    "After {} meetings in {scheme}, take a moment together to record what has been achieved and what comes next, on your relationship's page.\n{page}",
                    self.held
                ),
            ),
            (Nudge::EndApproaching, _) => (
                format!("Your mentoring relationship ends on {ends}"),
                format!(
                    "Your relationship in {scheme} is planned to end on {ends}. Plan your last session and close it with your end-of-mentoring reviews{}, on its page.\n{page}",
                    if policy.extension_allowed {
                        ", or agree an extension together"
                    } else {
                        ""
                    }
                ),
            ),
            (Nudge::EndReached, Audience::Coordinators) => (
                format!("{mentor} and {mentee} have reached their end date"),
                format!(
                    "The relationship of {mentor} (mentor) and {mentee} (mentee) in {scheme} reached its end date, {ends}, and is still open. They have been asked to close it{}; nothing closes by itself.\n{attention}",
                    if policy.extension_allowed {
                        " or agree an extension"
                    } else {
                        ""
                    }
                ),
            ),
            (Nudge::EndReached, _) => (
                "Your mentoring relationship has reached its end date".to_owned(),
                format!(
                    "Your relationship in {scheme} was planned to end on {ends}. Start closing it on its page: each of you writes an end-of-mentoring review and answers a short evaluation{}. It does not close by itself.\n{page}",
                    if policy.extension_allowed {
                        "; or agree an extension together"
                    } else {
                        ""
                    }
                ),
            ),
            (Nudge::Inactive, _) => (
                "No mentoring session logged for a while".to_owned(),
                format!(
                    "No session of your relationship in {scheme} has been logged for more than {} weeks. If you have met, log the session; if not, book one, or put the relationship on hold if now is not the time.\n{page}",
                    gap + policy.care.inactivity_margin_weeks
                ),
            ),
            (Nudge::InactiveToCoordinators, _) => (
                format!("{mentor} and {mentee} have not met for a while"),
                format!(
                    "No session of {mentor} (mentor) and {mentee} (mentee) in {scheme} has been logged for more than {} weeks, and they have been reminded. You may want to check in with them.\n{attention}",
                    gap + 2 * policy.care.inactivity_margin_weeks
                ),
            ),
            (Nudge::ProposeClosure, _) => (
                format!("Proposed for closure: {mentor} and {mentee}"),
                format!(
                    "The relationship of {mentor} (mentor) and {mentee} (mentee) in {scheme} has had no session for {} weeks. Close it, or keep it open with a reason, on the scheme's needs-attention page; it is never closed by itself.\n{attention}",
                    policy.care.closure_after_weeks
                ),
            ),
        }
    }
}

/// A relationship that needs one of the scheme's coordinators, and why.
#[derive(Debug, Clone)]
pub struct Attention {
    /// The pair: state and dates.
    pub pair: Match,
    /// The mentor.
    pub mentor: ExistingPerson,
    /// The mentee.
    pub mentee: ExistingPerson,
    /// What the rules find for the coordinators now (first meeting overdue, not met for a
    /// long time, proposed for closure, end date reached).
    pub nudges: Vec<Nudge>,
    /// Flags waiting for a suitability decision.
    pub open_flags: i64,
    /// When the pair last met.
    pub last_held: Option<OffsetDateTime>,
    /// Why its pulse check-ins put it at risk (R11.1).
    pub risks: Vec<tandem_core::pulse::Risk>,
    /// Members the HR directory records as no longer serving.
    pub departed: Vec<tandem_core::relationship::Party>,
}

/// A scheme's relationships that need a coordinator now, as the actor may see them (a
/// champion: their divisions' mentees). Worked out by the sweep's own rules; the read is
/// audited.
pub async fn needs_attention(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<(Scheme, Vec<Attention>), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let scheme = tx
        .scheme_by_key(organisation, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no scheme called {key}")))?;
    let reach = tandem_core::authz::reach(actor, scheme.organisation, scheme.id, false);
    if reach == tandem_core::authz::Reach::Nothing {
        return Err(AppError::Denied(tandem_core::authz::Denied {
            reason: "only the scheme's coordinators and champions can see what needs attention"
                .to_owned(),
        }));
    }
    let mut schemes = Schemes::default();
    schemes.load(&mut tx, scheme.id).await?;
    let today = schemes.today(&scheme, now);
    let mut answers: HashMap<MatchId, Vec<tandem_core::pulse::Pulse>> = HashMap::new();
    for pulse in tx.pulses_in_scheme(scheme.id).await? {
        answers.entry(pulse.pair).or_default().push(pulse);
    }
    let mut departed: HashMap<MatchId, Vec<PersonId>> = HashMap::new();
    for (pair, person) in tx.departed_members_in_scheme(scheme.id).await? {
        departed.entry(pair).or_default().push(person);
    }
    let mut found: Vec<(SweepRow, Vec<Nudge>, Vec<tandem_core::pulse::Risk>)> = Vec::new();
    let mut after = None;
    loop {
        let rows = tx
            .live_relationships_after(Some(scheme.id), after, None, now, PAGE)
            .await?;
        let Some(last) = rows.last() else { break };
        after = Some(last.pair.id);
        for row in rows {
            let nudges = coordinator_nudges(&scheme, &row, now, today);
            let risks = crate::relationships::pulse_trend(
                &scheme.definition.policy.care,
                &row.pair,
                answers.get(&row.pair.id).map_or(&[][..], Vec::as_slice),
                today,
            )
            .risks;
            if !nudges.is_empty()
                || row.open_flags > 0
                || !risks.is_empty()
                || departed.contains_key(&row.pair.id)
            {
                found.push((row, nudges, risks));
            }
        }
    }
    let ids: Vec<PersonId> = found
        .iter()
        .flat_map(|(row, _, _)| [row.pair.mentor, row.pair.mentee])
        .collect();
    let people = tx.people_map(&ids).await?;
    tx.rollback().await?;
    let mut out = Vec::new();
    for (row, nudges, risks) in found {
        let (Some(mentor), Some(mentee)) =
            (people.get(&row.pair.mentor), people.get(&row.pair.mentee))
        else {
            continue;
        };
        if authorize(actor, &Action::ViewRelationships(scope_of(&scheme, mentee))).is_err() {
            continue;
        }
        out.push(Attention {
            mentor: mentor.clone(),
            mentee: mentee.clone(),
            nudges,
            open_flags: row.open_flags,
            last_held: row.last_held,
            risks,
            departed: departed
                .get(&row.pair.id)
                .into_iter()
                .flatten()
                .filter_map(|person| tandem_core::relationship::Party::of(&row.pair, *person))
                .collect(),
            pair: row.pair,
        });
    }
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::RelationshipsAttentionViewed,
            Some(scheme.organisation),
            "scheme",
            Some(scheme.id.0),
            serde_json::json!({ "rows": out.len() }),
        )],
    )
    .await?;
    Ok((scheme, out))
}

/// A coordinator or champion keeps open a relationship proposed for closure, with the reason
/// (R11.2): the sweep counts its quiet time again from now.
pub async fn keep_open(
    app: &App,
    actor: &Actor,
    id: MatchId,
    reason: &str,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let missing = || AppError::NotFound("there is no such relationship".to_owned());
    let pair = tx.match_by_id(id).await?.ok_or_else(missing)?;
    let scheme = tx.scheme(pair.scheme).await?.ok_or_else(missing)?;
    let mentee = tx.person(pair.mentee).await?;
    authorize(
        actor,
        &Action::ManageRelationships(scope_of(&scheme, &mentee)),
    )?;
    let reason = tandem_core::application::written(
        "reason",
        reason,
        tandem_core::application::TextLimit::Reason,
        Some("say why the relationship stays open; it is kept with the decision"),
    )
    .map_err(|problem| AppError::Invalid(vec![problem]))?;
    if pair.status != tandem_core::pairing::MatchStatus::Active {
        return Err(AppError::Conflict(
            "only an active relationship is kept open; this one has moved on".to_owned(),
        ));
    }
    tx.insert_closure_decision(id, &reason, &actor.audit_label(), now)
        .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::RelationshipKeptOpen,
        Some(scheme.organisation),
        "match",
        Some(id.0),
        serde_json::json!({}),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// How often `serve` and `tandem worker` sweep.
pub const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Sweeps every `every` until `stop` says so (inside `serve` and `tandem worker`); a failed
/// sweep is logged and tried again at the next round, and sends nothing twice.
pub async fn run_sweeper(
    app: App,
    public_url: String,
    every: std::time::Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        match sweep(&app, app.clock.now(), &public_url).await {
            Ok(report) if report.total() > 0 => tracing::info!(
                relationships = report.relationships,
                reminders = report.total(),
                "reminders swept"
            ),
            Ok(_) => {}
            Err(err) => {
                tracing::error!(error = %err, "the reminder sweep failed; it runs again later")
            }
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    return;
                }
            }
        }
    }
}

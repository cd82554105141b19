//! Refresher training (R4.3), sent by the sweep: where a scheme asks for its training to be
//! refreshed (`training.refresher_months`), each approved or matched person who needs it is asked
//! a month before it falls due to book a workshop, and once it has run out they are told and the
//! scheme's coordinators hear, in one notice for everyone whose training ran out since the last
//! sweep (a scheme that starts asking for refreshers may find hundreds at once). Each person's
//! message is keyed by the person, the scheme and the due date, so it is sent once however often
//! the sweep runs, and a new completion is a new occasion.

use crate::notify::Notice;
use crate::relationships::coordinators_of;
use crate::{App, AppError};
use tandem_core::PersonId;
use tandem_core::audit::AuditAction;
use tandem_core::eligibility::Role;
use tandem_core::hr::ExistingPerson;
use tandem_core::programme::Scheme;
use tandem_core::training::{Refresher, refresher_state, required_training};
use time::{Date, OffsetDateTime};

/// People whose notices are written per batch (their records read in one statement).
const BATCH: usize = 500;

/// Names a coordinator's notice lists before it says how many more there are.
const LISTED: usize = 30;

/// One person's refresher that needs saying now.
struct Due<'a> {
    person: PersonId,
    role: Role,
    training: &'a str,
    state: Refresher,
    completed: Date,
    due: Date,
}

impl Due<'_> {
    fn key(&self, scheme: &Scheme) -> String {
        format!(
            "{}.{}.{}.{}.{}",
            self.state.as_str(),
            scheme.id,
            self.person,
            self.due,
            self.person
        )
    }
}

/// Sends what is due about refreshers at `now`; returns how many people were told.
pub async fn send(app: &App, now: OffsetDateTime, public_url: &str) -> Result<usize, AppError> {
    let site = public_url.trim_end_matches('/');
    let mut tx = app.store.begin_write().await?;
    let mut sent = 0;
    for organisation in tx.organisations().await? {
        let today = tandem_core::local_time::to_local(now, &organisation.time_zone).date();
        for scheme in tx.schemes_of(organisation.id).await? {
            let policy = &scheme.definition.policy;
            if policy.training.refresher_months.is_none() {
                continue;
            }
            let mut due = Vec::new();
            for role in [Role::Mentor, Role::Mentee] {
                let Some(training) = required_training(policy, role) else {
                    continue;
                };
                for (person, completed) in tx
                    .last_completions_in_scheme(scheme.id, role.as_str(), training)
                    .await?
                {
                    if let Some((state, on)) = refresher_state(policy, completed, today) {
                        due.push(Due {
                            person,
                            role,
                            training,
                            state,
                            completed,
                            due: on,
                        });
                    }
                }
            }
            let mut run_out = Vec::new();
            for batch in due.chunks(BATCH) {
                // What was said before is left out first, so a sweep with nothing new reads
                // nobody's record.
                let keys: Vec<String> = batch.iter().map(|it| it.key(&scheme)).collect();
                let said = tx.notification_keys_among(&keys).await?;
                let batch: Vec<&Due<'_>> = batch
                    .iter()
                    .filter(|it| !said.contains(&it.key(&scheme)))
                    .collect();
                if batch.is_empty() {
                    continue;
                }
                let ids: Vec<PersonId> = batch.iter().map(|it| it.person).collect();
                let people = tx.people_map(&ids).await?;
                let notices: Vec<Notice<'_>> = batch
                    .iter()
                    .filter_map(|item| {
                        let who = people.get(&item.person)?;
                        Some(person_notice(&scheme, item, who, site))
                    })
                    .collect();
                let added = crate::notify::send_all(&mut tx, notices, now).await?;
                sent += added.len();
                for item in batch {
                    if item.state == Refresher::RunOut
                        && added.contains(&item.key(&scheme))
                        && let Some(who) = people.get(&item.person)
                    {
                        run_out.push((item, who.record.full_name()));
                    }
                }
            }
            if !run_out.is_empty() {
                tell_coordinators(&mut tx, &scheme, &run_out, site, now).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(sent)
}

fn person_notice<'a>(
    scheme: &Scheme,
    item: &Due<'_>,
    who: &'a ExistingPerson,
    site: &str,
) -> Notice<'a> {
    let name = &scheme.definition.name;
    let training = item.training;
    let months = scheme
        .definition
        .policy
        .training
        .refresher_months
        .unwrap_or_default();
    let (completed, due) = (item.completed, item.due);
    let (subject, body) = match item.state {
        Refresher::DueSoon => (
            format!("Your {training} refresher is due by {due}"),
            format!(
                "{name} asks for its {training} to be refreshed every {months} months. You completed it on {completed}, so a refresher is due by {due}. Book a place at a workshop from Your mentoring.\n{site}/applications"
            ),
        ),
        Refresher::RunOut => (
            format!("Your {training} has run out"),
            format!(
                "{name} asks for its {training} to be refreshed every {months} months. You completed it on {completed} and the refresher was due on {due}. Book a place at a workshop from Your mentoring; the coordinators have been told.\n{site}/applications"
            ),
        ),
    };
    Notice::of(
        who,
        item.key(scheme),
        format!("training.{}", item.state.as_str()),
        subject,
        body,
    )
}

/// One notice to each of the scheme's coordinators naming everyone whose training ran out
/// in this sweep: an escalation, so emailed at once.
async fn tell_coordinators(
    tx: &mut tandem_store::Tx,
    scheme: &Scheme,
    run_out: &[(&Due<'_>, String)],
    site: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let Some((first, first_name)) = run_out.first() else {
        return Ok(());
    };
    let name = &scheme.definition.name;
    let training = first.training;
    let subject = match run_out.len() {
        1 => format!("{first_name}'s {training} has run out"),
        many => format!("{many} people's {training} has run out"),
    };
    let mut body = String::new();
    for (item, who) in run_out.iter().take(LISTED) {
        body.push_str(&format!(
            "{who} ({}) in {name} completed the {} on {}; the refresher was due on {}.\n",
            item.role.as_str(),
            item.training,
            item.completed,
            item.due
        ));
    }
    if run_out.len() > LISTED {
        body.push_str(&format!(
            "And {} more; the scheme's applications show each person's training.\n",
            run_out.len() - LISTED
        ));
    }
    body.push_str(&format!(
        "{} been asked to book a workshop.\n{site}/schemes/{}/workshops",
        if run_out.len() == 1 {
            "They have"
        } else {
            "Each has"
        },
        scheme.definition.key
    ));
    let coordinators = coordinators_of(tx, scheme).await?;
    let notices: Vec<Notice<'_>> = coordinators
        .iter()
        .map(|coordinator| {
            Notice::of(
                coordinator,
                format!("{}.{}", first.key(scheme), coordinator.id),
                format!("training.{}", Refresher::RunOut.as_str()),
                subject.clone(),
                body.clone(),
            )
            .urgent()
        })
        .collect();
    crate::notify::send_all(tx, notices, now).await?;
    Ok(())
}

/// Someone in a scheme whose training has run out (R4.3), as its staff see them.
#[derive(Debug, Clone)]
pub struct RunOut {
    /// Who.
    pub person: ExistingPerson,
    /// Their role in the scheme.
    pub role: Role,
    /// When they last completed the training.
    pub completed: Date,
    /// When the refresher was due.
    pub due: Date,
}

/// Everyone approved or matched in a scheme whose training has run out, as the actor may see
/// them (a champion: those in their divisions), longest run out first; for the scheme's
/// needs-attention page. The read is audited.
pub async fn run_out(
    app: &App,
    actor: &tandem_core::authz::Actor,
    organisation: tandem_core::OrganisationId,
    key: &tandem_core::domain::SchemeKey,
) -> Result<Vec<RunOut>, AppError> {
    use tandem_core::authz::{Reach, reach};
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let scheme = tx
        .scheme_by_key(organisation, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no scheme called {key}")))?;
    let reach = reach(actor, scheme.organisation, scheme.id, false);
    if reach == Reach::Nothing {
        return Err(AppError::Denied(tandem_core::authz::Denied {
            reason:
                "only the scheme's coordinators and champions can see whose training has run out"
                    .to_owned(),
        }));
    }
    let zone = crate::training::time_zone_of(&mut tx, organisation).await?;
    let today = tandem_core::local_time::to_local(now, &zone).date();
    let policy = &scheme.definition.policy;
    let mut found = Vec::new();
    for role in [Role::Mentor, Role::Mentee] {
        let Some(training) = required_training(policy, role) else {
            continue;
        };
        for (person, completed) in tx
            .last_completions_in_scheme(scheme.id, role.as_str(), training)
            .await?
        {
            if let Some((Refresher::RunOut, due)) = refresher_state(policy, completed, today) {
                found.push((person, role, completed, due));
            }
        }
    }
    let mut out = Vec::new();
    for batch in found.chunks(BATCH) {
        let ids: Vec<PersonId> = batch.iter().map(|it| it.0).collect();
        let people = tx.people_map(&ids).await?;
        for (person, role, completed, due) in batch {
            let Some(person) = people.get(person) else {
                continue;
            };
            let seen = reach.divisions().is_none_or(|divisions| {
                person
                    .record
                    .department
                    .as_ref()
                    .is_some_and(|it| divisions.iter().any(|d| d == it.as_ref()))
            });
            if seen {
                out.push(RunOut {
                    person: person.clone(),
                    role: *role,
                    completed: *completed,
                    due: *due,
                });
            }
        }
    }
    tx.rollback().await?;
    out.sort_by(|a, b| {
        a.due.cmp(&b.due).then_with(|| {
            a.person
                .record
                .full_name()
                .cmp(&b.person.record.full_name())
        })
    });
    crate::audit::record_read(
        app,
        [crate::audit::entry(
            actor,
            now,
            AuditAction::TrainingRunOutViewed,
            Some(scheme.organisation),
            "scheme",
            Some(scheme.id.0),
            serde_json::json!({ "scheme": key.as_ref(), "people": out.len() }),
        )],
    )
    .await?;
    Ok(out)
}

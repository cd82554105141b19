//! Refresher training (R4.3), sent by the sweep: where a scheme asks for its training to be
//! refreshed (`training.refresher_months`), each approved or matched person who needs it is asked
//! a month before it falls due to book a workshop, and once it has run out both they and the
//! scheme's coordinators are told. Each message is keyed by the person, the scheme and the due
//! date, so it is sent once however often the sweep runs, and a new completion is a new occasion.

use crate::notify::{Notice, Notify as _};
use crate::relationships::coordinators_of;
use crate::{App, AppError};
use tandem_core::eligibility::Role;
use tandem_core::training::{Refresher, refresher_state, required_training};
use time::OffsetDateTime;

/// Sends what is due about refreshers at `now`; returns how many people were told.
pub async fn send(app: &App, now: OffsetDateTime, public_url: &str) -> Result<usize, AppError> {
    let site = public_url.trim_end_matches('/');
    let mut tx = app.store.begin_write().await?;
    let mut sent = 0;
    for organisation in tx.organisations().await? {
        let today = tandem_core::local_time::to_local(now, &organisation.time_zone).date();
        for scheme in tx.schemes_of(organisation.id).await? {
            let policy = &scheme.definition.policy;
            let Some(months) = policy.training.refresher_months else {
                continue;
            };
            let name = &scheme.definition.name;
            let mut coordinators = None;
            for role in [Role::Mentor, Role::Mentee] {
                let Some(training) = required_training(policy, role) else {
                    continue;
                };
                for (person, completed) in tx
                    .last_completions_in_scheme(scheme.id, role.as_str(), training)
                    .await?
                {
                    let Some((state, due)) = refresher_state(policy, completed, today) else {
                        continue;
                    };
                    let who = tx.person(person).await?;
                    let key = format!("{}.{}.{person}.{due}", state.as_str(), scheme.id);
                    let (subject, body) = match state {
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
                    if tx
                        .notify(
                            Notice::of(
                                &who,
                                format!("{key}.{person}"),
                                format!("training.{}", state.as_str()),
                                subject,
                                body,
                            ),
                            now,
                        )
                        .await?
                    {
                        sent += 1;
                    }
                    if state == Refresher::RunOut {
                        if coordinators.is_none() {
                            coordinators = Some(coordinators_of(&mut tx, &scheme).await?);
                        }
                        for coordinator in coordinators.iter().flatten() {
                            tx.notify(
                                Notice::of(
                                    coordinator,
                                    format!("{key}.{}", coordinator.id),
                                    format!("training.{}", state.as_str()),
                                    format!("{}'s {training} has run out", who.record.full_name()),
                                    format!(
                                        "{} ({}) in {name} completed the {training} on {completed}; the refresher was due on {due}. They have been asked to book a workshop.\n{site}/schemes/{}/workshops",
                                        who.record.full_name(),
                                        role.as_str(),
                                        scheme.definition.key
                                    ),
                                )
                                .urgent(),
                                now,
                            )
                            .await?;
                        }
                    }
                }
            }
        }
    }
    tx.commit().await?;
    Ok(sent)
}

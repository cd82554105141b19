//! Telling mentees on a waiting list that they have moved up (R9.1), sent by the sweep. Being
//! added to the list is said when the application is approved, and a mentor found when the
//! match is confirmed; between the two, a mentee hears when they have moved up, at most once a
//! day, with where they now stand. Where each was last told they stand is kept, so a mentee who
//! slips back (someone with a higher priority joins) is not told they moved up until they pass
//! that place again.

use crate::notify::{Notice, Notify as _};
use crate::{App, AppError};
use std::collections::HashMap;
use tandem_core::ApplicationId;
use time::OffsetDateTime;

/// Tells each waiting mentee who has moved up since they were last told; returns how many.
pub async fn send(app: &App, now: OffsetDateTime, public_url: &str) -> Result<usize, AppError> {
    let site = public_url.trim_end_matches('/');
    let mut tx = app.store.begin_write().await?;
    let mut sent = 0;
    for organisation in tx.organisations().await? {
        let today = tandem_core::local_time::to_local(now, &organisation.time_zone).date();
        for scheme in tx.schemes_of(organisation.id).await? {
            let applications = tx.waiting_mentees(scheme.id).await?;
            let places = crate::applications::waiting_places(&applications, now);
            if places.is_empty() {
                continue;
            }
            let told: HashMap<ApplicationId, i64> =
                tx.waiting_positions(scheme.id).await?.into_iter().collect();
            for application in &applications {
                let Some(place) = places.get(&application.id) else {
                    continue;
                };
                let position = i64::try_from(place.position).unwrap_or(i64::MAX);
                match told.get(&application.id) {
                    // New on the list: the approval said so; this is where they start.
                    None => {
                        tx.set_waiting_position(application.id, position, now)
                            .await?;
                    }
                    Some(before) if position < *before => {
                        let person = tx.person(application.person).await?;
                        let notified = tx
                            .notify(
                                Notice::of(
                                    &person,
                                    format!("waiting.moved_up.{}.{today}", application.id),
                                    "waiting.moved_up".to_owned(),
                                    format!(
                                        "You have moved up the waiting list for {}",
                                        scheme.definition.name
                                    ),
                                    format!(
                                        "You are now number {} of {} waiting for a mentor in {} (you were number {before}). You will hear as soon as a mentor is found.\n{site}/applications",
                                        place.position,
                                        place.of,
                                        scheme.definition.name
                                    ),
                                ),
                                now,
                            )
                            .await?;
                        // Told today already: the next day's notice says where they stand then.
                        if notified {
                            tx.set_waiting_position(application.id, position, now)
                                .await?;
                            sent += 1;
                        }
                    }
                    // Level with, or behind, where they were last told they stand.
                    Some(_) => {}
                }
            }
        }
    }
    tx.commit().await?;
    Ok(sent)
}

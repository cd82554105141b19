//! The line manager's monthly digest (R11.4), where the organisation turns it on: which of
//! their reports take part in mentoring and in which role, never with whom or what was
//! discussed, and never a mentee who applied through the confidential route. Sent by the
//! sweep, once a month per manager (keyed by the month in the organisation's time zone).

use crate::notify::{Notice, Notify as _};
use crate::{App, AppError};
use std::collections::{BTreeMap, HashMap};
use tandem_core::{PersonId, SchemeId};
use time::OffsetDateTime;

/// Sends each line manager this month's digest, where their organisation asks for it and it
/// has not gone yet. Returns how many were sent.
pub async fn send(app: &App, now: OffsetDateTime, public_url: &str) -> Result<usize, AppError> {
    let mut tx = app.store.begin_write().await?;
    let mut sent = 0;
    for organisation in tx.organisations().await? {
        if !organisation.line_manager_digest {
            continue;
        }
        let today = tandem_core::local_time::to_local(now, &organisation.time_zone).date();
        let month = format!("{} {}", today.month(), today.year());
        let mut reports: BTreeMap<PersonId, Vec<(PersonId, SchemeId, bool)>> = BTreeMap::new();
        for (manager, report, scheme, mentor) in
            tx.participants_by_line_manager(organisation.id).await?
        {
            reports
                .entry(manager)
                .or_default()
                .push((report, scheme, mentor));
        }
        if reports.is_empty() {
            continue;
        }
        let ids: Vec<PersonId> = reports
            .iter()
            .flat_map(|(manager, rows)| {
                std::iter::once(*manager).chain(rows.iter().map(|(report, _, _)| *report))
            })
            .collect();
        let people = tx.people_map(&ids).await?;
        let mut scheme_names: HashMap<SchemeId, String> = HashMap::new();
        for (manager, rows) in reports {
            let Some(manager) = people.get(&manager) else {
                continue;
            };
            let mut lines = Vec::new();
            for (report, scheme, mentor) in rows {
                let Some(report) = people.get(&report) else {
                    continue;
                };
                if !scheme_names.contains_key(&scheme)
                    && let Some(found) = tx.scheme(scheme).await?
                {
                    scheme_names.insert(scheme, found.definition.name.clone());
                }
                let scheme = scheme_names.get(&scheme).map_or("a scheme", String::as_str);
                let role = if mentor { "a mentor" } else { "a mentee" };
                lines.push(format!(
                    "- {} is {role} in {scheme}",
                    report.record.full_name()
                ));
            }
            lines.sort();
            lines.dedup();
            let body = format!(
                "Members of your team taking part in mentoring this month:\n\n{}\n\nMentoring conversations are confidential: Tandem does not say who they are paired with or what they discuss. Please support them with the time they need.\n{}/",
                lines.join("\n"),
                public_url.trim_end_matches('/')
            );
            let key = format!(
                "line_manager_digest.{}.{}-{:02}",
                manager.id,
                today.year(),
                u8::from(today.month())
            );
            if tx
                .notify(
                    Notice::of(
                        manager,
                        key,
                        "line_manager_digest".to_owned(),
                        format!("Your team's mentoring: {month}"),
                        body,
                    ),
                    now,
                )
                .await?
            {
                sent += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(sent)
}

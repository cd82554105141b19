//! Reading the audit log (R8.4): who did what to which record, and when.

use crate::{App, AppError};
use std::collections::HashMap;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::{OrganisationId, PersonId};
use tandem_store::{AuditRecord, AuditSearch};

/// An entry with the people it names resolved to names.
#[derive(Debug, Clone)]
pub struct AuditLine {
    /// The entry.
    pub record: AuditRecord,
    /// Who acted, in words ("Ann Hill", "an operator at the command line").
    pub actor: String,
    /// The person the entry is about, when it is about a person.
    pub subject_person: Option<(PersonId, String)>,
}

/// A page of the audit log of `organisation` (`None`: the whole installation), newest first.
pub async fn search(
    app: &App,
    actor: &Actor,
    organisation: Option<OrganisationId>,
    mut search: AuditSearch,
) -> Result<(Vec<AuditLine>, i64), AppError> {
    authorize(actor, &Action::ViewAudit(organisation))?;
    search.organisation = organisation;
    let mut tx = app.store.begin_read().await?;
    let (records, total) = tx.search_audit(&search).await?;
    let mut names: HashMap<PersonId, String> = HashMap::new();
    let mut lines = Vec::with_capacity(records.len());
    for record in records {
        let actor = who(&mut tx, &mut names, &record.actor).await?;
        let subject_person = match (record.subject_kind.as_str(), record.subject) {
            ("person", Some(id)) => name_of(&mut tx, &mut names, PersonId(id))
                .await?
                .map(|name| (PersonId(id), name)),
            _ => None,
        };
        lines.push(AuditLine {
            record,
            actor,
            subject_person,
        });
    }
    Ok((lines, total))
}

/// Who an audit label (`person:ID`, `operator:NAME`, `system`) names, in words: a person's
/// name, or what kind of actor it was.
pub(crate) async fn who(
    tx: &mut tandem_store::Tx,
    names: &mut HashMap<PersonId, String>,
    label: &str,
) -> Result<String, AppError> {
    Ok(match Actor::person_in_label(label) {
        Some(id) => name_of(tx, names, id)
            .await?
            .unwrap_or_else(|| "someone no longer in the directory".to_owned()),
        None => Actor::label_words(label).unwrap_or_else(|| "someone unknown".to_owned()),
    })
}

async fn name_of(
    tx: &mut tandem_store::Tx,
    names: &mut HashMap<PersonId, String>,
    id: PersonId,
) -> Result<Option<String>, AppError> {
    if let Some(name) = names.get(&id) {
        return Ok(Some(name.clone()));
    }
    match tx.person(id).await {
        Ok(person) => {
            let name = person.record.full_name();
            names.insert(id, name.clone());
            Ok(Some(name))
        }
        Err(tandem_store::StoreError::NotFound(_)) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// The audit label of the person with `staff_number` in `organisation` (for "done by" filters),
/// or `None` when nobody there has that number. Only for those who may read the organisation's
/// audit log: for anyone else, whether a staff number exists is nobody's business.
pub async fn actor_label(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    staff_number: &tandem_core::domain::StaffNumber,
) -> Result<Option<String>, AppError> {
    authorize(actor, &Action::ViewAudit(Some(organisation)))?;
    let mut tx = app.store.begin_read().await?;
    Ok(tx
        .person_by_staff_number(organisation, staff_number)
        .await?
        .map(|person| format!("person:{}", person.id)))
}

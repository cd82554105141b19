//! Building audit entries: who acted, on what, with which fields (never values).

use tandem_core::audit::AuditAction;
use tandem_core::authz::Actor;
use tandem_core::{AuditId, OrganisationId};
use tandem_store::AuditEntry;
use time::OffsetDateTime;
use uuid::Uuid;

/// An entry for `actor` doing `action` to a record of `subject_kind`.
pub(crate) fn entry(
    actor: &Actor,
    at: OffsetDateTime,
    action: AuditAction,
    organisation: Option<OrganisationId>,
    subject_kind: &str,
    subject: Option<Uuid>,
    detail: serde_json::Value,
) -> AuditEntry {
    AuditEntry {
        id: AuditId(Uuid::now_v7()),
        at,
        actor: actor.audit_label(),
        action,
        organisation,
        subject_kind: subject_kind.to_owned(),
        subject,
        detail,
    }
}

/// Records a read of personal data (a page, a list, a download): the one way a read is audited.
/// The read's own transaction has ended by now, so reading never holds the database's single
/// writer; the entry is committed together with other reads' (group commit,
/// [`Store::append_audit`](tandem_store::Store::append_audit)), and the caller goes on to answer
/// only once it is, or fails with the error that kept it out.
pub(crate) async fn record_read(
    app: &crate::App,
    entries: impl IntoIterator<Item = AuditEntry>,
) -> Result<(), crate::AppError> {
    app.store
        .append_audit(entries.into_iter().collect())
        .await?;
    Ok(())
}

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

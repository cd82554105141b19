//! Retention and disposal of records (R8.3): an organisation's schedule, what the next run
//! would dispose of, and the run itself, in the sweep, at the command line or from the
//! records page. Every record disposed of gets an audit entry naming its kind and id, never
//! its content; content goes unread.
//!
//! What each kind's disposal takes and keeps is defined once, in `tandem_store::retention`.

use crate::{App, AppError, audit};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::programme::Scheme;
use tandem_core::retention::{Disposed, RecordKind, Retention};
use tandem_core::{Organisation, OrganisationId};
use tandem_store::Tx;
use tandem_store::retention::{Due, DueRecord};
use time::OffsetDateTime;

/// Records of one kind that the next run would dispose of, in one scheme.
#[derive(Debug, Clone)]
pub struct DueLine {
    /// The kind.
    pub kind: RecordKind,
    /// The scheme's name; `None` for diversity answers, which belong to no scheme.
    pub scheme: Option<String>,
    /// How many records.
    pub records: u64,
    /// When the oldest one's months started counting.
    pub oldest: Option<OffsetDateTime>,
}

/// An organisation's records page: its schedule and what a run now would take.
#[derive(Debug, Clone)]
pub struct RecordsPlan {
    /// The organisation.
    pub organisation: Organisation,
    /// Its schedule.
    pub retention: Retention,
    /// What is due now, kind by kind in [`RecordKind::ALL`] order.
    pub due: Vec<DueLine>,
}

impl RecordsPlan {
    /// Records due of `kind`, in all.
    pub fn total(&self, kind: RecordKind) -> u64 {
        self.due
            .iter()
            .filter(|line| line.kind == kind)
            .map(|line| line.records)
            .sum()
    }
}

/// One organisation's result of a run (or, in a dry run, what it would do).
#[derive(Debug, Clone)]
pub struct OrganisationDisposal {
    /// The organisation.
    pub organisation: Organisation,
    /// Records of each kind, in [`RecordKind::ALL`] order.
    pub disposed: Vec<Disposed>,
}

/// The organisation's schedule and what the next run would dispose of, for its administrators.
pub async fn plan(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
) -> Result<RecordsPlan, AppError> {
    authorize(actor, &Action::DisposeRecords(organisation))?;
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let held = organisation_of(&mut tx, organisation).await?;
    let retention = tx.retention(organisation).await?;
    let schemes = tx.schemes_of(organisation).await?;
    let mut due = Vec::new();
    for kind in RecordKind::ALL.iter().copied() {
        for Due {
            kind,
            scheme,
            records,
            oldest,
        } in tx
            .records_due(organisation, kind, retention.due_before(kind, now))
            .await?
        {
            due.push(DueLine {
                kind,
                scheme: scheme.map(|id| scheme_name(&schemes, id)),
                records,
                oldest,
            });
        }
    }
    tx.rollback().await?;
    Ok(RecordsPlan {
        organisation: held,
        retention,
        due,
    })
}

fn scheme_name(schemes: &[Scheme], id: tandem_core::SchemeId) -> String {
    schemes.iter().find(|scheme| scheme.id == id).map_or_else(
        || "A scheme no longer listed".to_owned(),
        |scheme| scheme.definition.name.clone(),
    )
}

async fn organisation_of(
    tx: &mut Tx,
    organisation: OrganisationId,
) -> Result<Organisation, AppError> {
    tx.organisations()
        .await?
        .into_iter()
        .find(|it| it.id == organisation)
        .ok_or_else(|| AppError::NotFound("there is no such organisation".to_owned()))
}

/// Sets the organisation's schedule from the settings form, every problem at its field;
/// audited with the months before and after, which are settings, not anyone's data.
pub async fn save_schedule(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    raw: impl Fn(&str) -> String,
) -> Result<Retention, AppError> {
    authorize(actor, &Action::ManageOrganisation(organisation))?;
    let retention = Retention::parse(raw).map_err(AppError::Invalid)?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let before = tx.retention(organisation).await?;
    tx.save_retention(organisation, &retention, now).await?;
    let months = |schedule: &Retention| {
        RecordKind::with_months()
            .map(|kind| {
                (
                    kind.as_str().to_owned(),
                    serde_json::json!(schedule.months(kind).map(|it| it.get())),
                )
            })
            .collect::<serde_json::Map<_, _>>()
    };
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::RetentionSaved,
        Some(organisation),
        "organisation",
        Some(organisation.0),
        serde_json::json!({ "from": months(&before), "to": months(&retention) }),
    )])
    .await?;
    tx.commit().await?;
    Ok(retention)
}

/// Disposes of the organisation's records past their retention, a batch per short write
/// transaction, each record audited; with `dry_run`, only counts what it would take.
pub async fn dispose(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    now: OffsetDateTime,
    dry_run: bool,
) -> Result<Vec<Disposed>, AppError> {
    authorize(actor, &Action::DisposeRecords(organisation))?;
    let mut tx = app.store.begin_read().await?;
    let retention = tx.retention(organisation).await?;
    tx.rollback().await?;
    let mut out = Vec::new();
    for kind in RecordKind::ALL.iter().copied() {
        let before = retention.due_before(kind, now);
        let records = if dry_run {
            let mut tx = app.store.begin_read().await?;
            let due = tx.records_due(organisation, kind, before).await?;
            tx.rollback().await?;
            due.iter().map(|line| line.records).sum()
        } else {
            dispose_kind(app, actor, organisation, &retention, kind, now).await?
        };
        out.push(Disposed { kind, records });
    }
    Ok(out)
}

async fn dispose_kind(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    retention: &Retention,
    kind: RecordKind,
    now: OffsetDateTime,
) -> Result<u64, AppError> {
    let before = retention.due_before(kind, now);
    let months = retention.months(kind).map(|it| it.get());
    let mut disposed = 0_u64;
    loop {
        let mut tx = app.store.begin_write().await?;
        let batch = tx.due_batch(organisation, kind, before).await?;
        if batch.is_empty() {
            tx.rollback().await?;
            return Ok(disposed);
        }
        tx.dispose(kind, &batch, now).await?;
        let entries: Vec<_> = batch
            .iter()
            .map(|record| disposal_entry(actor, now, organisation, kind, months, *record))
            .collect();
        tx.insert_audit(&entries).await?;
        tx.commit().await?;
        disposed += u64::try_from(batch.len()).unwrap_or(u64::MAX);
    }
}

fn disposal_entry(
    actor: &Actor,
    now: OffsetDateTime,
    organisation: OrganisationId,
    kind: RecordKind,
    months: Option<u32>,
    record: DueRecord,
) -> tandem_store::AuditEntry {
    let subject_kind = match kind {
        RecordKind::PairContent => "relationship",
        RecordKind::EndedApplications => "application",
        RecordKind::EvaluationText => "relationship",
        RecordKind::Diversity => "person",
    };
    let mut detail = serde_json::json!({ "kind": kind.as_str(), "months": months });
    if let Some(author) = record.author {
        detail["author"] = serde_json::json!(author.to_string());
    }
    audit::entry(
        actor,
        now,
        AuditAction::RecordsDisposed,
        Some(organisation),
        subject_kind,
        Some(record.id),
        detail,
    )
}

/// Every organisation's disposal (or dry run), for the sweep and `tandem records dispose`.
pub async fn dispose_everywhere(
    app: &App,
    actor: &Actor,
    now: OffsetDateTime,
    dry_run: bool,
) -> Result<Vec<OrganisationDisposal>, AppError> {
    let mut tx = app.store.begin_read().await?;
    let organisations = tx.organisations().await?;
    tx.rollback().await?;
    let mut out = Vec::new();
    for organisation in organisations {
        let disposed = dispose(app, actor, organisation.id, now, dry_run).await?;
        out.push(OrganisationDisposal {
            organisation,
            disposed,
        });
    }
    Ok(out)
}

/// The sweep's pass: disposes of what is due everywhere, as the product itself; the number of
/// records disposed of.
pub async fn sweep(app: &App, now: OffsetDateTime) -> Result<u64, AppError> {
    let done = dispose_everywhere(app, &Actor::System, now, false).await?;
    Ok(done
        .iter()
        .flat_map(|it| &it.disposed)
        .map(|it| it.records)
        .sum())
}

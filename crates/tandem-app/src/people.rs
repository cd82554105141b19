//! People: importing the HR directory, exporting it, and the line-management tree (R1.2, R1.4).

use crate::{App, AppError, audit, organisations};
use std::collections::{BTreeSet, HashMap};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::domain::{EmploymentStatus, OrgCode, StaffNumber};
use tandem_core::hr::{
    Directory, ImportOptions, ImportPlan, Keep, SHOWN_PROBLEMS, plan_import, read_file_keeping,
    write_file,
};
use tandem_core::line_management::LineManagementTree;
use tandem_core::{OrganisationId, OrganisationKind, PersonId, PersonRecord};
use tandem_store::{NewPerson, Tx};
use uuid::Uuid;

/// An HR file to import.
#[derive(Debug, Clone, Copy)]
pub struct ImportRequest<'a> {
    /// The file's bytes (UTF-8 CSV, a byte-order mark tolerated).
    pub bytes: &'a [u8],
    /// Full extract, organisation creation.
    pub options: ImportOptions,
    /// Check and count only; write nothing.
    pub dry_run: bool,
    /// Where the file came from, for the audit log (a file name, "upload", …).
    pub source: &'a str,
}

/// What an import did (or, on a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// People rows read.
    pub rows: usize,
    /// Organisations created.
    pub organisations_created: Vec<OrgCode>,
    /// People added.
    pub created: usize,
    /// People whose record changed.
    pub updated: usize,
    /// Rows identical to what was held.
    pub unchanged: usize,
    /// People a full extract no longer lists, marked as leavers.
    pub marked_leaver: usize,
    /// Live relationships flagged because the import put a mentor above their mentee in the
    /// line-management chain (R6.5).
    pub relationships_flagged: usize,
    /// Open relationships of people the import records as no longer serving, reported to
    /// their coordinators.
    pub relationships_of_leavers: usize,
    /// Nothing was written.
    pub dry_run: bool,
    /// The first [`PREVIEW_LINES`] changes, person by person, for a preview.
    pub changes: Vec<ChangeLine>,
}

/// How many changes an import report lists one by one.
pub const PREVIEW_LINES: usize = 500;

/// What an import does to one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Added to the directory.
    Created,
    /// Their record changes.
    Updated,
    /// Marked as a leaver (a full extract no longer lists them).
    Leaver,
}

impl ChangeKind {
    /// In words.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "added",
            Self::Updated => "changed",
            Self::Leaver => "marked as a leaver",
        }
    }
}

/// One person's change in an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLine {
    /// What happens.
    pub kind: ChangeKind,
    /// Their organisation's code.
    pub organisation: String,
    /// Their staff number.
    pub staff_number: String,
    /// Their name.
    pub name: String,
    /// The fields that change (for updates).
    pub fields: Vec<&'static str>,
}

fn preview(plan: &ImportPlan) -> Vec<ChangeLine> {
    let line = |kind: ChangeKind, record: &PersonRecord, fields: &[&'static str]| ChangeLine {
        kind,
        organisation: record.organisation.to_string(),
        staff_number: record.staff_number.to_string(),
        name: record.full_name(),
        fields: fields.to_vec(),
    };
    plan.creates
        .iter()
        .map(|record| line(ChangeKind::Created, record, &[]))
        .chain(
            plan.updates
                .iter()
                .map(|change| line(ChangeKind::Updated, &change.record, &change.changed)),
        )
        .chain(
            plan.leavers
                .iter()
                .map(|change| line(ChangeKind::Leaver, &change.record, &change.changed)),
        )
        .take(PREVIEW_LINES)
        .collect()
}

/// Where a long import has got to, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStage {
    /// Reading the file and checking it against the directory.
    Checking,
    /// Writing: `done` of `total` changes written.
    Writing {
        /// Changes written so far.
        done: usize,
        /// Changes to write.
        total: usize,
    },
}

/// People written per step, so progress moves while a large import runs.
const WRITE_STEP: usize = 5_000;

/// Imports an HR file: all or nothing. Every bad row is reported, with its line and column,
/// and nothing is written unless the whole file is good. Re-importing a file changes nothing.
/// Of a bad file's problems, the first [`SHOWN_PROBLEMS`] are kept in full and all counted.
pub async fn import(
    app: &App,
    actor: &Actor,
    request: ImportRequest<'_>,
    progress: &(dyn Fn(ImportStage) + Sync),
) -> Result<ImportReport, AppError> {
    import_keeping(app, actor, request, Keep::First(SHOWN_PROBLEMS), progress).await
}

/// [`import`], keeping `keep` of a bad file's problems in full (all of them for a problems
/// file an operator asked for).
pub async fn import_keeping(
    app: &App,
    actor: &Actor,
    request: ImportRequest<'_>,
    keep: Keep,
    progress: &(dyn Fn(ImportStage) + Sync),
) -> Result<ImportReport, AppError> {
    progress(ImportStage::Checking);
    let file = read_file_keeping(request.bytes, keep).map_err(AppError::ImportRejected)?;
    let mut tx = if request.dry_run {
        app.store.begin_read().await?
    } else {
        app.store.begin_write().await?
    };

    let organisations = tx.organisations().await?;
    let organisation_ids: HashMap<OrgCode, OrganisationId> = organisations
        .iter()
        .map(|organisation| (organisation.code.clone(), organisation.id))
        .collect();
    // Permission is checked before the file is compared with anything held, so a refused
    // actor learns nothing about other organisations' people.
    let named: BTreeSet<&OrgCode> = file
        .rows
        .iter()
        .map(|row| &row.record.organisation)
        .chain(
            file.unparsed_people
                .iter()
                .map(|(organisation, _)| organisation),
        )
        .collect();
    for code in &named {
        match organisation_ids.get(*code) {
            Some(id) => authorize(actor, &Action::ImportPeople(*id))?,
            None if request.options.create_organisations => {
                authorize(actor, &Action::CreateOrganisation)?
            }
            None => {}
        }
    }

    let directory = Directory {
        organisations: organisations
            .into_iter()
            .map(|organisation| (organisation.code, organisation.rank_bands))
            .collect(),
        people: tx.all_people().await?,
    };
    let plan = plan_import(file, &directory, request.options).map_err(AppError::ImportRejected)?;
    let report = ImportReport {
        rows: plan.rows_read,
        organisations_created: plan.new_organisations.clone(),
        created: plan.creates.len(),
        updated: plan.updates.len(),
        unchanged: plan.unchanged,
        marked_leaver: plan.leavers.len(),
        relationships_flagged: 0,
        relationships_of_leavers: 0,
        dry_run: request.dry_run,
        changes: preview(&plan),
    };
    if request.dry_run || plan.is_empty() {
        return Ok(report);
    }
    let changed: BTreeSet<OrgCode> = plan
        .updates
        .iter()
        .chain(plan.leavers.iter())
        .map(|change| change.record.organisation.clone())
        .chain(
            plan.creates
                .iter()
                .map(|record| record.organisation.clone()),
        )
        .collect();
    // Who the import records as no longer serving: their coordinators hear of their open
    // relationships.
    let departed: Vec<PersonId> = plan
        .leavers
        .iter()
        .chain(plan.updates.iter().filter(|change| {
            change.changed.contains(&"employment_status")
                && change.record.employment_status != EmploymentStatus::Serving
        }))
        .map(|change| change.id)
        .collect();
    write_plan(
        app,
        actor,
        &mut tx,
        &directory,
        organisation_ids,
        plan,
        &request,
        progress,
    )
    .await?;
    let mut report = report;
    let now = app.clock.now();
    for code in &changed {
        if let Some(organisation) = tx.organisation_by_code(code).await? {
            report.relationships_flagged += crate::relationships::flag_line_management_changes(
                &mut tx,
                actor,
                organisation.id,
                now,
            )
            .await?;
        }
    }
    report.relationships_of_leavers =
        crate::relationships::report_departures(&mut tx, actor, &departed, now).await?;
    tx.commit().await?;
    Ok(report)
}

#[expect(
    clippy::too_many_arguments,
    reason = "the steps of one import share its state; splitting it would hide the order"
)]
async fn write_plan(
    app: &App,
    actor: &Actor,
    tx: &mut Tx,
    directory: &Directory,
    mut organisation_ids: HashMap<OrgCode, OrganisationId>,
    plan: ImportPlan,
    request: &ImportRequest<'_>,
    progress: &(dyn Fn(ImportStage) + Sync),
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut entries =
        Vec::with_capacity(plan.creates.len() + plan.updates.len() + plan.leavers.len() + 1);

    for code in &plan.new_organisations {
        let organisation =
            organisations::with_defaults(code.clone(), code.to_string(), OrganisationKind::Force);
        organisations::insert(tx, actor, now, &organisation, Some("people import")).await?;
        organisation_ids.insert(code.clone(), organisation.id);
    }
    let organisation_of = |code: &OrgCode| {
        organisation_ids.get(code).copied().ok_or_else(|| {
            AppError::NotFound(format!("organisation {code} vanished during the import"))
        })
    };

    let mut person_ids: HashMap<(&OrgCode, &StaffNumber), PersonId> = directory
        .people
        .iter()
        .map(|person| {
            (
                (&person.record.organisation, &person.record.staff_number),
                person.id,
            )
        })
        .collect();
    for record in &plan.creates {
        person_ids.insert(
            (&record.organisation, &record.staff_number),
            PersonId(Uuid::now_v7()),
        );
    }
    let manager_of = |record: &PersonRecord| {
        record
            .line_manager
            .as_ref()
            .and_then(|manager| person_ids.get(&(&record.organisation, manager)).copied())
    };
    let id_of = |record: &PersonRecord| {
        person_ids
            .get(&(&record.organisation, &record.staff_number))
            .copied()
            .ok_or_else(|| {
                AppError::NotFound(format!(
                    "staff number {} vanished during the import",
                    record.staff_number
                ))
            })
    };

    let total = plan.creates.len() + plan.updates.len() + plan.leavers.len();
    let mut done = 0;
    progress(ImportStage::Writing { done, total });
    for step in plan.creates.chunks(WRITE_STEP) {
        let mut new_people = Vec::with_capacity(step.len());
        for record in step {
            let organisation = organisation_of(&record.organisation)?;
            let id = id_of(record)?;
            new_people.push(NewPerson {
                id,
                organisation,
                record,
                line_manager: manager_of(record),
            });
            entries.push(audit::entry(
                actor,
                now,
                AuditAction::PersonCreated,
                Some(organisation),
                "person",
                Some(id.0),
                serde_json::json!({ "via": "people import", "source": request.source }),
            ));
        }
        tx.insert_people(&new_people, now).await?;
        done += step.len();
        progress(ImportStage::Writing { done, total });
    }
    for (change, action) in plan
        .updates
        .iter()
        .map(|change| (change, AuditAction::PersonUpdated))
        .chain(
            plan.leavers
                .iter()
                .map(|change| (change, AuditAction::PersonMarkedLeaver)),
        )
    {
        let organisation = organisation_of(&change.record.organisation)?;
        tx.update_person(change.id, &change.record, manager_of(&change.record), now)
            .await?;
        entries.push(audit::entry(
            actor,
            now,
            action,
            Some(organisation),
            "person",
            Some(change.id.0),
            serde_json::json!({ "fields": change.changed, "via": "people import", "source": request.source }),
        ));
        done += 1;
        if done % WRITE_STEP == 0 {
            progress(ImportStage::Writing { done, total });
        }
    }
    entries.push(audit::entry(
        actor,
        now,
        AuditAction::PeopleImported,
        None,
        "import",
        None,
        serde_json::json!({
            "source": request.source,
            "rows": plan.rows_read,
            "created": plan.creates.len(),
            "updated": plan.updates.len(),
            "unchanged": plan.unchanged,
            "marked_leaver": plan.leavers.len(),
            "organisations_created": plan.new_organisations.iter().map(AsRef::as_ref).collect::<Vec<&str>>(),
            "full_extract": request.options.full_extract,
        }),
    ));
    tx.insert_audit(&entries).await?;
    progress(ImportStage::Writing { done: total, total });
    Ok(())
}

/// Writes people in the import format: one organisation, or every organisation the actor may
/// export. The export is a read of personal data, so it is audited.
pub async fn export(
    app: &App,
    actor: &Actor,
    organisation: Option<&OrgCode>,
) -> Result<Vec<u8>, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let organisations = match organisation {
        Some(code) => {
            let organisation = tx
                .organisation_by_code(code)
                .await?
                .ok_or_else(|| organisations::not_found(code))?;
            authorize(actor, &Action::ExportPeople(organisation.id))?;
            vec![organisation]
        }
        None => {
            let all = tx.organisations().await?;
            let nothing_held = all.is_empty();
            let allowed: Vec<_> = all
                .into_iter()
                .filter(|it| authorize(actor, &Action::ExportPeople(it.id)).is_ok())
                .collect();
            if allowed.is_empty() && !nothing_held {
                return Err(AppError::Denied(tandem_core::authz::Denied {
                    reason: "you may not export any organisation's people".to_owned(),
                }));
            }
            allowed
        }
    };
    let mut people = Vec::new();
    let mut entries = Vec::new();
    for organisation in &organisations {
        let held = tx.people_of(organisation.id).await?;
        entries.push(audit::entry(
            actor,
            now,
            AuditAction::PeopleExported,
            Some(organisation.id),
            "organisation",
            Some(organisation.id.0),
            serde_json::json!({ "people": held.len() }),
        ));
        people.extend(held.into_iter().map(|person| person.record));
    }
    tx.rollback().await?;
    audit::record_read(app, entries).await?;
    Ok(write_file(&people))
}

/// The line-management tree of an organisation: direct and indirect reports, chains of managers.
pub async fn line_management(
    app: &App,
    actor: &Actor,
    organisation: &OrgCode,
) -> Result<LineManagementTree<PersonId>, AppError> {
    let mut tx = app.store.begin_read().await?;
    let organisation = tx
        .organisation_by_code(organisation)
        .await?
        .ok_or_else(|| organisations::not_found(organisation))?;
    authorize(actor, &Action::ViewPeople(organisation.id))?;
    let links = tx.line_management_links(organisation.id).await?;
    LineManagementTree::new(links).map_err(|err| {
        AppError::Conflict(format!(
            "the stored line-management chain of {} has a cycle: {err}",
            organisation.code
        ))
    })
}

/// One page of an organisation's people directory, with the values its filters offer.
#[derive(Debug, Clone)]
pub struct DirectoryPage {
    /// The people on this page.
    pub people: Vec<tandem_core::hr::ExistingPerson>,
    /// How many people match in all.
    pub total: i64,
    /// Ranks and grades held in the organisation.
    pub ranks: Vec<String>,
    /// Its departments.
    pub departments: Vec<String>,
}

/// Searches an organisation's people (a staff read of personal data: audited).
pub async fn directory(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    search: &tandem_store::PeopleSearch,
) -> Result<DirectoryPage, AppError> {
    authorize(actor, &Action::ViewPeople(organisation))?;
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let (people, total) = tx.search_people(organisation, search).await?;
    let (ranks, departments) = tx.directory_facets(organisation).await?;
    let detail = serde_json::json!({
        "text": search.text, "rank": search.rank, "department": search.department,
        "offset": search.offset, "shown": people.len(),
    });
    tx.rollback().await?;
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::PeopleSearched,
            Some(organisation),
            "organisation",
            Some(organisation.0),
            detail,
        )],
    )
    .await?;
    Ok(DirectoryPage {
        people,
        total,
        ranks,
        departments,
    })
}

/// A person as an administrator or coordinator sees them: the HR record and their roles.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The person.
    pub person: tandem_core::hr::ExistingPerson,
    /// Their organisation.
    pub organisation: tandem_core::Organisation,
    /// Their roles, each with the id that takes it away.
    pub grants: Vec<(Uuid, tandem_core::authz::Grant)>,
    /// Their line manager, if any, by name.
    pub line_manager: Option<(PersonId, String)>,
    /// How many people report to them directly.
    pub direct_reports: usize,
    /// Whether they answered any diversity question (the answers are never shown here).
    pub diversity_declared: bool,
    /// The organisation's divisions (departments), for role scopes.
    pub departments: Vec<String>,
    /// The organisation's schemes, for role scopes.
    pub schemes: Vec<tandem_core::programme::Scheme>,
    /// Where they take part: each application's scheme (by name), role and status, newest first.
    pub applications: Vec<(
        String,
        tandem_core::eligibility::Role,
        tandem_core::application::ApplicationStatus,
    )>,
}

/// One person's page (a staff read of personal data: audited).
pub async fn profile(app: &App, actor: &Actor, person: PersonId) -> Result<Profile, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let held = match tx.person(person).await {
        Ok(held) => held,
        Err(tandem_store::StoreError::NotFound(_)) => {
            return Err(AppError::NotFound("there is no such person".to_owned()));
        }
        Err(err) => return Err(err.into()),
    };
    let organisation = tx
        .organisation_by_code(&held.record.organisation)
        .await?
        .ok_or_else(|| organisations::not_found(&held.record.organisation))?;
    authorize(actor, &Action::ViewPeople(organisation.id))?;
    let line_manager = match &held.record.line_manager {
        Some(number) => tx
            .person_by_staff_number(organisation.id, number)
            .await?
            .map(|manager| (manager.id, manager.record.full_name())),
        None => None,
    };
    let direct_reports = tx
        .line_management_links(organisation.id)
        .await?
        .into_iter()
        .filter(|(_, manager)| *manager == Some(person))
        .count();
    let grants = tx.held_grants_of(person).await?;
    let (_, departments) = tx.directory_facets(organisation.id).await?;
    let schemes = tx.schemes_of(organisation.id).await?;
    let mut applications = Vec::new();
    for application in tx.applications_of_person(person).await? {
        // A cross-force scheme is another organisation's: read it by id.
        let name = match schemes.iter().find(|it| it.id == application.scheme) {
            Some(scheme) => scheme.definition.name.clone(),
            None => tx
                .scheme(application.scheme)
                .await?
                .map(|scheme| scheme.definition.name)
                .unwrap_or_default(),
        };
        applications.push((name, application.role, application.status));
    }
    tx.rollback().await?;
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::PersonViewed,
            Some(organisation.id),
            "person",
            Some(person.0),
            serde_json::json!({}),
        )],
    )
    .await?;
    let diversity_declared = !held.record.diversity.is_empty();
    Ok(Profile {
        person: held,
        organisation,
        grants,
        line_manager,
        direct_reports,
        diversity_declared,
        departments,
        schemes,
        applications,
    })
}

/// An uploaded HR file that passed its dry run, waiting for the uploader to confirm.
#[derive(Debug, Clone)]
pub struct Staged {
    /// The upload's id, for the confirmation.
    pub upload: Uuid,
    /// What the import would do.
    pub report: ImportReport,
}

/// Checks an uploaded HR file (a dry run: nothing changes) and, when it is good, keeps it for
/// the uploader to confirm. Every bad row is reported; a bad file is not kept.
pub async fn stage_upload(
    app: &App,
    actor: &Actor,
    file_name: &str,
    bytes: Vec<u8>,
    options: ImportOptions,
) -> Result<Staged, AppError> {
    let Some(person) = actor.person() else {
        return Err(AppError::Denied(tandem_core::authz::Denied {
            reason: "sign in to upload a file".to_owned(),
        }));
    };
    let request = ImportRequest {
        bytes: &bytes,
        options,
        dry_run: true,
        source: file_name,
    };
    let report = import(app, actor, request, &|_: ImportStage| {}).await?;
    let upload = tandem_store::Upload {
        id: Uuid::now_v7(),
        person,
        file_name: file_name.to_owned(),
        content: bytes,
        full_extract: options.full_extract,
        create_organisations: options.create_organisations,
        created_at: app.clock.now(),
        imported_at: None,
        report: None,
    };
    let mut tx = app.store.begin_write().await?;
    tx.insert_upload(&upload).await?;
    tx.commit().await?;
    Ok(Staged {
        upload: upload.id,
        report,
    })
}

fn report_json(report: &ImportReport) -> String {
    serde_json::json!({
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "marked_leaver": report.marked_leaver,
        "relationships_flagged": report.relationships_flagged,
        "relationships_of_leavers": report.relationships_of_leavers,
        "organisations_created": report.organisations_created.iter().map(AsRef::as_ref).collect::<Vec<&str>>(),
    })
    .to_string()
}

async fn own_upload(app: &App, actor: &Actor, id: Uuid) -> Result<tandem_store::Upload, AppError> {
    let upload = app.store.begin_read().await?.upload(id).await?;
    // Someone else's upload is reported as missing: its existence is not theirs to know.
    upload
        .filter(|upload| actor.person() == Some(upload.person))
        .ok_or_else(|| AppError::NotFound("there is no such upload".to_owned()))
}

/// Imports a staged upload for real (checking it again against the directory as it is now).
pub async fn confirm_upload(app: &App, actor: &Actor, id: Uuid) -> Result<ImportReport, AppError> {
    let upload = own_upload(app, actor, id).await?;
    if upload.imported_at.is_some() {
        return Err(AppError::Conflict(
            "this file has already been imported".to_owned(),
        ));
    }
    let options = ImportOptions {
        full_extract: upload.full_extract,
        create_organisations: upload.create_organisations,
    };
    let request = ImportRequest {
        bytes: &upload.content,
        options,
        dry_run: false,
        source: &upload.file_name,
    };
    let report = import(app, actor, request, &|_: ImportStage| {}).await?;
    let mut tx = app.store.begin_write().await?;
    tx.finish_upload(id, &report_json(&report), app.clock.now())
        .await?;
    tx.commit().await?;
    Ok(report)
}

/// An upload's name and, once imported, its outcome as (what, how many) pairs.
#[derive(Debug, Clone)]
pub struct UploadOutcome {
    /// The file's name.
    pub file_name: String,
    /// Whether it has been imported.
    pub imported: bool,
    /// The counts of the import.
    pub counts: Vec<(String, u64)>,
}

/// What became of one of the actor's uploads.
pub async fn upload_outcome(app: &App, actor: &Actor, id: Uuid) -> Result<UploadOutcome, AppError> {
    let upload = own_upload(app, actor, id).await?;
    let report: serde_json::Value = upload
        .report
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default();
    let counts = [
        "rows",
        "created",
        "updated",
        "unchanged",
        "marked_leaver",
        "relationships_flagged",
        "relationships_of_leavers",
    ]
    .iter()
    .filter_map(|key| {
        report
            .get(*key)
            .and_then(serde_json::Value::as_u64)
            .map(|count| ((*key).replace('_', " "), count))
    })
    .collect();
    Ok(UploadOutcome {
        file_name: upload.file_name,
        imported: upload.imported_at.is_some(),
        counts,
    })
}

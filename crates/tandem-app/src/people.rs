//! People: importing the HR directory, exporting it, and the line-management tree (R1.2, R1.4).

use crate::{App, AppError, audit, organisations};
use std::collections::{BTreeSet, HashMap};
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::domain::{OrgCode, StaffNumber};
use tandem_core::hr::{Directory, ImportOptions, ImportPlan, plan_import, read_file, write_file};
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
    /// Nothing was written.
    pub dry_run: bool,
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
pub async fn import(
    app: &App,
    actor: &Actor,
    request: ImportRequest<'_>,
    progress: &(dyn Fn(ImportStage) + Sync),
) -> Result<ImportReport, AppError> {
    progress(ImportStage::Checking);
    let file = read_file(request.bytes).map_err(AppError::ImportRejected)?;
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
        dry_run: request.dry_run,
    };
    if request.dry_run || plan.is_empty() {
        return Ok(report);
    }
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
                "person.created",
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
        .map(|change| (change, "person.updated"))
        .chain(
            plan.leavers
                .iter()
                .map(|change| (change, "person.marked_leaver")),
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
        "people.imported",
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
    let mut tx = app.store.begin_write().await?;
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
            "people.exported",
            Some(organisation.id),
            "organisation",
            Some(organisation.id.0),
            serde_json::json!({ "people": held.len() }),
        ));
        people.extend(held.into_iter().map(|person| person.record));
    }
    tx.insert_audit(&entries).await?;
    tx.commit().await?;
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
    let mut tx = app.store.begin_write().await?;
    let (people, total) = tx.search_people(organisation, search).await?;
    let (ranks, departments) = tx.directory_facets(organisation).await?;
    let detail = serde_json::json!({
        "text": search.text, "rank": search.rank, "department": search.department,
        "offset": search.offset, "shown": people.len(),
    });
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        "people.searched",
        Some(organisation),
        "organisation",
        Some(organisation.0),
        detail,
    )])
    .await?;
    tx.commit().await?;
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
}

/// One person's page (a staff read of personal data: audited).
pub async fn profile(app: &App, actor: &Actor, person: PersonId) -> Result<Profile, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
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
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        "person.viewed",
        Some(organisation.id),
        "person",
        Some(person.0),
        serde_json::json!({}),
    )])
    .await?;
    tx.commit().await?;
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
    })
}

//! Subject access and erasure (R8.4): a person's records as a zip for them or their
//! organisation's administrator, and an administrator's erasure of a person who asks for it.
//!
//! What is read and what erasure removes is decided in `tandem_store::subject_access` (its
//! module doc says why for each table); this module authorises, audits and writes the archive.
//! The archive's entries are stored, not compressed: the files are small, and a reader needs
//! nothing but an unzip tool.

use crate::{App, AppError, audit, organisations};
use std::io::Write as _;
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::domain::{OrgCode, StaffNumber};
use tandem_core::erasure::{ErasedIdentity, refusals};
use tandem_core::hr::ExistingPerson;
use tandem_core::spreadsheet::{CsvWriter, Kind};
use tandem_core::{Organisation, PersonId};
use tandem_store::subject_access::{Cell, PersonRecords, RecordTable};
use tandem_store::{StoreError, Tx};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;
use zip::write::SimpleFileOptions;

/// What is held but not in the export, and why; the README lists these.
const WITHHELD: &[(&str, &str)] = &[
    (
        "Password hashes, the two-factor secret and recovery codes, and the secrets of sessions, \
         reset links and API tokens",
        "they would let someone sign in as you or act for your organisation; the export says \
         whether they exist and when they were used",
    ),
    (
        "The contents of HR files you uploaded",
        "they are other people's records",
    ),
    (
        "Your partner's closing review, evaluation answers, pulse check-ins and adjustments",
        "they are your partner's own records, kept from you as yours are kept from them",
    ),
    (
        "Concerns raised by someone else about a relationship of yours",
        "a concern beyond the limits of confidentiality (risk of harm, breach of policy, illegal \
         activity) is a safeguarding record: telling you of it could put someone at risk or \
         prejudice an investigation. Ask your organisation's data protection officer, who decides \
         with the scheme's coordinators whether it can be disclosed",
    ),
    (
        "The matching engine's scores for other candidates, and other people's applications",
        "they are other people's records; your own matches keep their score",
    ),
];

/// What erasure removes, in words for the confirmation page and the command line.
pub const WHAT_GOES: &[&str] = &[
    "their names, email and staff number (replaced by stand-ins), department, location and line manager",
    "their diversity answers",
    "their roles, sign-in account, two-factor sign-in, sessions and password reset links",
    "their reasonable adjustments, inbox, notification settings and email to them",
    "their pulse check-ins, evaluation answers and the reviews they wrote",
    "the goals and actions they created",
    "what they wrote in their applications (open applications are withdrawn, future workshop places cancelled)",
];

/// What erasure keeps, in the same words.
pub const WHAT_STAYS: &[&str] = &[
    "the register: the schemes they applied to, in which role, and their pairs' status and dates, shown as \"Erased person\"",
    "their partners' own records, and the meeting notes each pair kept together",
    "concerns they raised beyond the limits of confidentiality (a safeguarding record)",
    "their training record",
    "the audit log, which names them by id only",
];

/// Finds a person by their organisation's code and staff number, as the command line names
/// them; only those who may see the organisation's people may look.
pub async fn find_person(
    app: &App,
    actor: &Actor,
    organisation: &OrgCode,
    staff_number: &StaffNumber,
) -> Result<PersonId, AppError> {
    let mut tx = app.store.begin_read().await?;
    let held = tx
        .organisation_by_code(organisation)
        .await?
        .ok_or_else(|| organisations::not_found(organisation))?;
    authorize(actor, &Action::ViewPeople(held.id))?;
    let person = tx
        .person_by_staff_number(held.id, staff_number)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "{organisation} holds nobody with staff number {staff_number}; check the number \
                 in the HR file or the people directory"
            ))
        })?;
    tx.rollback().await?;
    Ok(person.id)
}

/// The person and their organisation, or not found.
async fn person_and_organisation(
    tx: &mut Tx,
    person: PersonId,
) -> Result<(ExistingPerson, Organisation), AppError> {
    let held = match tx.person(person).await {
        Ok(held) => held,
        Err(StoreError::NotFound(_)) => {
            return Err(AppError::NotFound("there is no such person".to_owned()));
        }
        Err(err) => return Err(err.into()),
    };
    let organisation = tx
        .organisation_by_code(&held.record.organisation)
        .await?
        .ok_or_else(|| organisations::not_found(&held.record.organisation))?;
    Ok((held, organisation))
}

/// Everything held on `person` as a zip (R8.4): a README, the person as JSON, every table as
/// JSON and as CSV. The person themself or an administrator of their organisation may download
/// it; each download is audited.
pub async fn export_person(
    app: &App,
    actor: &Actor,
    person: PersonId,
) -> Result<Vec<u8>, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let (_, organisation) = person_and_organisation(&mut tx, person).await?;
    authorize(
        actor,
        &Action::ExportPersonData {
            person,
            organisation: organisation.id,
        },
    )?;
    // What only the person may read (what the pair wrote, R8.1; their words to the
    // coordinators, R8.2; their own settings and inbox) goes in their own download only: an
    // administrator answering for them, or an operator, gets the rest and a README that says
    // how the person downloads it all.
    let confidential = authorize(actor, &Action::OwnSettings { person }).is_ok();
    let records = tx.person_records(person, confidential).await?;
    let rows: usize = records.tables.iter().map(|table| table.rows.len()).sum();
    tx.rollback().await?;
    audit::record_read(app, [audit::entry(
        actor,
        now,
        AuditAction::PersonExported,
        Some(organisation.id),
        "person",
        Some(person.0),
        serde_json::json!({ "tables": records.tables.len(), "rows": rows, "confidential": confidential }),
    )])
    .await?;
    archive(&records, &organisation, now)
}

/// The zip's bytes. Writing to memory fails only if the zip writer is misused, which is a bug,
/// so it is reported as a conflict the operator can quote rather than a panic.
fn archive(
    records: &PersonRecords,
    organisation: &Organisation,
    now: OffsetDateTime,
) -> Result<Vec<u8>, AppError> {
    let broken = |err: &dyn std::fmt::Display| {
        AppError::Conflict(format!(
            "the export could not be written ({err}); try again, and report it if it keeps happening"
        ))
    };
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip_time(now));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut add = |name: &str, bytes: &[u8]| -> Result<(), AppError> {
        zip.start_file(name, options).map_err(|err| broken(&err))?;
        zip.write_all(bytes).map_err(|err| broken(&err))
    };
    let marking = organisation.protective_marking.as_ref();
    add("README.md", readme(records, organisation, now).as_bytes())?;
    add(
        "person.json",
        &pretty(&person_json(records, organisation)).map_err(|err| broken(&err))?,
    )?;
    let everything: serde_json::Map<String, serde_json::Value> = records
        .tables
        .iter()
        .filter(|table| !table.withheld)
        .map(|table| (table.name.to_owned(), table_json(table)))
        .collect();
    add(
        "records.json",
        &pretty(&serde_json::json!({
            "protective_marking": marking,
            "exported_at": stamp(now),
            "tables": everything,
        }))
        .map_err(|err| broken(&err))?,
    )?;
    for table in records.tables.iter().filter(|table| !table.withheld) {
        add(
            &format!("csv/{}.csv", table.name),
            &table_csv(table, marking),
        )?;
    }
    let cursor = zip.finish().map_err(|err| broken(&err))?;
    Ok(cursor.into_inner())
}

fn pretty(value: &serde_json::Value) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec_pretty(value)
}

/// A zip entry's time: the export's, or the format's first moment if the export's cannot be
/// written (zip times start in 1980).
fn zip_time(now: OffsetDateTime) -> zip::DateTime {
    u16::try_from(now.year())
        .ok()
        .and_then(|year| {
            zip::DateTime::from_date_and_time(
                year,
                u8::from(now.month()),
                now.day(),
                now.hour(),
                now.minute(),
                now.second(),
            )
            .ok()
        })
        .unwrap_or_default()
}

fn stamp(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_else(|_| at.to_string())
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Null => String::new(),
        Cell::Id(id) => id.to_string(),
        Cell::Text(text) => text.clone(),
        Cell::Integer(n) => n.to_string(),
        Cell::Bool(yes) => yes.to_string(),
        Cell::Time(at) => stamp(*at),
        Cell::Date(on) => on.to_string(),
    }
}

fn cell_json(cell: &Cell) -> serde_json::Value {
    match cell {
        Cell::Null => serde_json::Value::Null,
        Cell::Integer(n) => serde_json::Value::from(*n),
        Cell::Bool(yes) => serde_json::Value::from(*yes),
        other => serde_json::Value::from(cell_text(other)),
    }
}

fn table_json(table: &RecordTable) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = table
        .rows
        .iter()
        .map(|row| {
            let object: serde_json::Map<String, serde_json::Value> = table
                .columns
                .iter()
                .zip(row)
                .map(|(column, cell)| ((*column).to_owned(), cell_json(cell)))
                .collect();
            serde_json::Value::Object(object)
        })
        .collect();
    serde_json::Value::Array(rows)
}

/// A table as CSV through the product's one writer: every column is treated as text a person
/// may have typed, so any cell that would run as a formula is neutralised.
fn table_csv(table: &RecordTable, marking: &str) -> Vec<u8> {
    let mut writer = CsvWriter::with_marking(
        marking,
        table.columns.iter().map(|column| (*column, Kind::Text)),
    );
    for row in &table.rows {
        writer.row(row.iter().map(cell_text));
    }
    writer.finish()
}

fn person_json(records: &PersonRecords, organisation: &Organisation) -> serde_json::Value {
    let record = &records.person.record;
    let text = |value: &Option<tandem_core::domain::FreeText>| {
        value.as_ref().map(|it| it.as_ref().to_owned())
    };
    serde_json::json!({
        "protective_marking": organisation.protective_marking.as_ref(),
        "id": records.person.id.to_string(),
        "organisation": { "code": organisation.code.to_string(), "name": organisation.name },
        "staff_number": record.staff_number.to_string(),
        "first_name": record.first_name.to_string(),
        "last_name": record.last_name.to_string(),
        "email": record.email.to_string(),
        "department": text(&record.department),
        "location": text(&record.location),
        "rank_or_grade": record.rank_or_grade.to_string(),
        "role_type": record.role_type.as_str(),
        "line_manager_staff_number": record.line_manager.as_ref().map(ToString::to_string),
        "start_date": record.start_date.to_string(),
        "on_probation": record.on_probation,
        "under_performance_management": record.under_performance_management,
        "employment_status": record.employment_status.as_str(),
        "erased_at": records.erased_at.map(stamp),
        "records": records.tables.iter().map(|table| serde_json::json!({
            "table": table.name,
            "rows": if table.withheld { serde_json::Value::Null } else { table.rows.len().into() },
            "withheld": table.withheld,
        })).collect::<Vec<_>>(),
    })
}

fn readme(records: &PersonRecords, organisation: &Organisation, now: OffsetDateTime) -> String {
    let marking = organisation.protective_marking.as_ref();
    let mut out = format!(
        "{marking}\n\n# Everything Tandem holds on {name}\n\n\
         Exported {at} from {org} ({code}) under the subject access right (person id {id}).\n\n\
         ## Files\n\n\
         - `README.md`: this file.\n\
         - `person.json`: your HR record and how many rows each table holds on you.\n\
         - `records.json`: every table below, as JSON (one object per row).\n\
         - `csv/TABLE.csv`: every table below, as CSV for a spreadsheet. The first line is the \
         protective marking; a cell a spreadsheet would run as a formula starts with `'`.\n\n\
         ## Tables\n\n| table | what it is | rows |\n|---|---|---|\n",
        name = records.person.record.full_name(),
        at = stamp(now),
        org = organisation.name,
        code = organisation.code,
        id = records.person.id,
    );
    for table in &records.tables {
        let rows = if table.withheld {
            "withheld: see below".to_owned()
        } else {
            table.rows.len().to_string()
        };
        out += &format!("| `{}` | {} | {rows} |\n", table.name, table.about);
    }
    out += "\nIds join the tables: `match_id` is a row of `matches`, `application_id` a row of \
            `applications`; `person:ID` in an author or actor column is a person by id.\n\n\
            ## What is withheld, and why\n\n";
    if records.tables.iter().any(|table| table.withheld) {
        out += "- **The tables marked withheld above**: what a pair writes is for the mentor and \
                the mentee only, a concern for the scheme's coordinators, and adjustments, check-ins \
                and the inbox for the person, so an export made by anyone else leaves them out. The \
                person downloads everything, these included, signed in to Tandem: Your account, \
                Download your data.\n";
    }
    for (what, why) in WITHHELD {
        out += &format!("- **{what}**: {why}.\n");
    }
    out += "\nWhat you and your partner keep together (meetings, notes, goals, actions, progress \
            reviews, extensions) is included: it is yours as much as theirs.\n";
    out
}

/// What erasing a person would do, for the confirmation page: who, and every reason it would
/// be refused now.
#[derive(Debug, Clone)]
pub struct ErasureCheck {
    /// The person.
    pub person: ExistingPerson,
    /// Their organisation.
    pub organisation: Organisation,
    /// Why it cannot be done yet, each with the way out; empty when it can.
    pub refusals: Vec<String>,
}

/// Checks whether `person` can be erased now (R8.4), for an administrator of their
/// organisation. Not audited: it shows only the name, which the audited person page that leads
/// here showed already, so a refused erasure that shows it again writes nothing.
pub async fn check_erasure(
    app: &App,
    actor: &Actor,
    person: PersonId,
) -> Result<ErasureCheck, AppError> {
    let mut tx = app.store.begin_read().await?;
    let (held, organisation) = person_and_organisation(&mut tx, person).await?;
    authorize(actor, &Action::ErasePerson(organisation.id))?;
    let reasons = erasure_refusals(&mut tx, person).await?;
    tx.rollback().await?;
    Ok(ErasureCheck {
        person: held,
        organisation,
        refusals: reasons,
    })
}

async fn erasure_refusals(tx: &mut Tx, person: PersonId) -> Result<Vec<String>, AppError> {
    let pairs = tx.pair_statuses_of(person).await?;
    let awaiting = usize::try_from(tx.count_awaiting_manager(person).await?).unwrap_or(usize::MAX);
    let erased_on = tx.erased_at(person).await?.map(OffsetDateTime::date);
    Ok(refusals(&pairs, awaiting, erased_on)
        .iter()
        .map(ToString::to_string)
        .collect())
}

/// Erases `person` (R8.4): their personal data and content go, the register and the other
/// member's records stay with them shown as "Erased person". An administrator of their
/// organisation only; refused with every reason while something open still needs them.
/// Audited with counts, never values.
pub async fn erase_person(app: &App, actor: &Actor, person: PersonId) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let (_, organisation) = person_and_organisation(&mut tx, person).await?;
    authorize(actor, &Action::ErasePerson(organisation.id))?;
    let reasons = erasure_refusals(&mut tx, person).await?;
    if !reasons.is_empty() {
        return Err(AppError::ErasureRefused(reasons));
    }
    let counts = tx
        .erase_person(person, &ErasedIdentity::new(Uuid::now_v7()), now)
        .await?;
    let detail: serde_json::Map<String, serde_json::Value> = counts
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(table, n)| (table.to_owned(), serde_json::Value::from(n)))
        .collect();
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::PersonErased,
        Some(organisation.id),
        "person",
        Some(person.0),
        serde_json::Value::Object(detail),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

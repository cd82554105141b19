//! Planning an import: checking a file against the directory and working out what would change.
//!
//! The plan is pure: the caller loads the directory, and writes the plan in one transaction.
//! Running the same file twice yields an empty second plan (the import is idempotent).

use super::{HrFile, HrRow, ImportProblem, ImportProblems, ProblemKind};
use crate::domain::{Email, EmploymentStatus, OrgCode, RankBands, StaffNumber};
use crate::ids::PersonId;
use crate::line_management::find_cycles;
use crate::person::PersonRecord;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What the installation already holds, as far as an import is concerned.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// Known organisations and their rank-band mappings.
    pub organisations: BTreeMap<OrgCode, RankBands>,
    /// Everyone already in the directory (in any organisation, for email uniqueness).
    pub people: Vec<ExistingPerson>,
}

/// A person the store already holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingPerson {
    /// Their id.
    pub id: PersonId,
    /// Their current record.
    pub record: PersonRecord,
}

/// How to read the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The file is a full extract of every organisation it mentions: anyone on strength in those
    /// organisations but missing from the file has left.
    pub full_extract: bool,
    /// Create organisations the file names but the installation does not know yet.
    pub create_organisations: bool,
}

/// One existing person whose record the import changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonChange {
    /// Who.
    pub id: PersonId,
    /// Their record after the import.
    pub record: PersonRecord,
    /// Which fields change (names only, for the audit log).
    pub changed: Vec<&'static str>,
}

/// Everything an import would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan {
    /// People rows read from the file.
    pub rows_read: usize,
    /// Organisations to create first, with the default rank-band mapping.
    pub new_organisations: Vec<OrgCode>,
    /// New people, every manager before the people they manage.
    pub creates: Vec<PersonRecord>,
    /// Existing people whose record changes.
    pub updates: Vec<PersonChange>,
    /// Rows identical to what is held.
    pub unchanged: usize,
    /// People a full extract no longer lists, now marked as leavers (never deleted).
    pub leavers: Vec<PersonChange>,
}

impl ImportPlan {
    /// Whether applying the plan would write nothing.
    pub fn is_empty(&self) -> bool {
        self.new_organisations.is_empty()
            && self.creates.is_empty()
            && self.updates.is_empty()
            && self.leavers.is_empty()
    }
}

type Key = (OrgCode, StaffNumber);

/// A person's key, borrowed: a large import compares hundreds of thousands of these, and
/// copying them would double the memory the directory already takes.
type KeyRef<'a> = (&'a OrgCode, &'a StaffNumber);

fn key_ref(record: &PersonRecord) -> KeyRef<'_> {
    (&record.organisation, &record.staff_number)
}

/// Checks the rows against the directory and each other, and works out the changes.
/// Returns every problem (not only the first) when anything is wrong.
pub fn plan_import(
    file: HrFile,
    directory: &Directory,
    options: ImportOptions,
) -> Result<ImportPlan, ImportProblems> {
    let HrFile {
        rows,
        mut problems,
        unparsed_people,
    } = file;
    let (existing_of_row, in_file, extracted, new_organisations) =
        check(&rows, &unparsed_people, directory, options, &mut problems);
    if !problems.is_empty() {
        problems.settle();
        return Err(problems);
    }

    let mut plan = ImportPlan {
        rows_read: rows.len(),
        new_organisations,
        ..ImportPlan::default()
    };
    let mut creates = Vec::new();
    for (row, existing) in rows.into_iter().zip(existing_of_row) {
        match existing {
            Some(idx) => {
                let existing = &directory.people[idx];
                let changed = existing.record.changed_fields(&row.record);
                if changed.is_empty() {
                    plan.unchanged += 1;
                } else {
                    plan.updates.push(PersonChange {
                        id: existing.id,
                        record: row.record,
                        changed,
                    });
                }
            }
            None => creates.push(row.record),
        }
    }
    plan.creates = managers_first(creates);

    if options.full_extract {
        for (person, listed) in directory.people.iter().zip(in_file) {
            let record = &person.record;
            if !listed
                && extracted.contains(&record.organisation)
                && record.employment_status.is_on_strength()
            {
                let mut record = record.clone();
                record.employment_status = EmploymentStatus::Leaver;
                plan.leavers.push(PersonChange {
                    id: person.id,
                    record,
                    changed: vec!["employment_status"],
                });
            }
        }
    }
    Ok(plan)
}

/// What checking the rows finds out besides problems: each row's existing person, which
/// existing people the file lists, the organisations it covers and those it would create.
type Checked = (
    Vec<Option<usize>>,
    Vec<bool>,
    BTreeSet<OrgCode>,
    Vec<OrgCode>,
);

/// Every check of the rows against each other and the directory; problems go to `problems`.
fn check(
    rows: &[HrRow],
    unparsed_people: &[Key],
    directory: &Directory,
    options: ImportOptions,
    problems: &mut ImportProblems,
) -> Checked {
    let unparsed: HashSet<KeyRef<'_>> = unparsed_people
        .iter()
        .map(|(organisation, number)| (organisation, number))
        .collect();
    let existing_by_key: HashMap<KeyRef<'_>, usize> = directory
        .people
        .iter()
        .enumerate()
        .map(|(idx, person)| (key_ref(&person.record), idx))
        .collect();
    let existing_by_email: HashMap<&Email, usize> = directory
        .people
        .iter()
        .enumerate()
        .map(|(idx, person)| (&person.record.email, idx))
        .collect();

    let default_bands = RankBands::uk_policing();
    let mut new_organisations = BTreeSet::new();
    let mut line_of_key: HashMap<KeyRef<'_>, u64> = HashMap::with_capacity(rows.len());
    let mut line_of_email: HashMap<&Email, u64> = HashMap::with_capacity(rows.len());

    for row in rows {
        let record = &row.record;
        let bands = match directory.organisations.get(&record.organisation) {
            Some(bands) => Some(bands),
            None if options.create_organisations => {
                new_organisations.insert(record.organisation.clone());
                Some(&default_bands)
            }
            None => {
                problems.push(ImportProblem::cell(
                    row.line,
                    "organisation",
                    ProblemKind::UnknownOrganisation,
                    format!(
                        "'{}' is not a known organisation; correct the code, or allow the import to create organisations",
                        record.organisation
                    ),
                ));
                None
            }
        };
        if let Some(bands) = bands
            && bands.band_of(&record.rank_or_grade).is_none()
        {
            problems.push(ImportProblem::cell(
                row.line,
                "rank_or_grade",
                ProblemKind::UnknownRank,
                format!(
                    "'{}' is not a rank or grade {} maps to a rank band; correct it, or add it to the organisation's rank bands",
                    record.rank_or_grade, record.organisation
                ),
            ));
        }
        if let Some(&first_line) = line_of_key.get(&key_ref(record)) {
            problems.push(ImportProblem::cell(
                row.line,
                "staff_number",
                ProblemKind::DuplicateStaffNumber,
                format!(
                    "staff number {} of {} is also on line {first_line}",
                    record.staff_number, record.organisation
                ),
            ));
        } else {
            line_of_key.insert(key_ref(record), row.line);
        }
        if let Some(&first_line) = line_of_email.get(&record.email) {
            problems.push(ImportProblem::cell(
                row.line,
                "email",
                ProblemKind::DuplicateEmail,
                format!("{} is also on line {first_line}", record.email),
            ));
        } else {
            line_of_email.insert(&record.email, row.line);
        }
    }

    // An address may move between people in one file, so uniqueness is checked against the
    // people the file leaves as they are.
    for row in rows {
        if let Some(&holder) = existing_by_email.get(&row.record.email) {
            let holder = &directory.people[holder].record;
            if key_ref(holder) != key_ref(&row.record)
                && !line_of_key.contains_key(&key_ref(holder))
            {
                // Naming someone from another organisation would leak that organisation's data.
                let holder_text = if holder.organisation == row.record.organisation {
                    format!(
                        "staff number {} ({})",
                        holder.staff_number,
                        holder.full_name()
                    )
                } else {
                    "a person in another organisation".to_owned()
                };
                problems.push(ImportProblem::cell(
                    row.line,
                    "email",
                    ProblemKind::EmailTaken,
                    format!(
                        "{} already belongs to {holder_text}; each person needs their own address",
                        row.record.email
                    ),
                ));
            }
        }
    }

    for row in rows {
        if let Some(manager) = &row.record.line_manager {
            let manager_key = (&row.record.organisation, manager);
            if !line_of_key.contains_key(&manager_key)
                && !existing_by_key.contains_key(&manager_key)
                && !unparsed.contains(&manager_key)
            {
                problems.push(ImportProblem::cell(
                    row.line,
                    "line_manager_staff_number",
                    ProblemKind::UnknownLineManager,
                    format!(
                        "no person with staff number {manager} in {} (neither in this file nor already known)",
                        row.record.organisation
                    ),
                ));
            }
        }
    }

    for problem in cycle_problems(rows, directory, &line_of_key) {
        problems.push(problem);
    }

    let existing_of_row = rows
        .iter()
        .map(|row| existing_by_key.get(&key_ref(&row.record)).copied())
        .collect();
    let mut in_file = vec![false; directory.people.len()];
    for (person, listed) in directory.people.iter().zip(in_file.iter_mut()) {
        *listed = line_of_key.contains_key(&key_ref(&person.record));
    }
    let extracted = rows
        .iter()
        .map(|row| row.record.organisation.clone())
        .collect();
    (
        existing_of_row,
        in_file,
        extracted,
        new_organisations.into_iter().collect(),
    )
}

/// Cycles in the line-management chain the directory would have after the import. The held
/// directory has none (imports refuse them), so every cycle runs through a row of the file.
fn cycle_problems(
    rows: &[HrRow],
    directory: &Directory,
    line_of_key: &HashMap<KeyRef<'_>, u64>,
) -> Vec<ImportProblem> {
    let mut manager_of: HashMap<KeyRef<'_>, KeyRef<'_>> =
        HashMap::with_capacity(directory.people.len() + rows.len());
    for person in &directory.people {
        let key = key_ref(&person.record);
        if line_of_key.contains_key(&key) {
            continue;
        }
        if let Some(manager) = &person.record.line_manager {
            manager_of.insert(key, (&person.record.organisation, manager));
        }
    }
    for row in rows {
        if let Some(manager) = &row.record.line_manager {
            manager_of.insert(key_ref(&row.record), (&row.record.organisation, manager));
        }
    }
    let cycles = find_cycles(&manager_of);
    if cycles.is_empty() {
        return Vec::new();
    }
    let mut name_of: HashMap<KeyRef<'_>, String> = HashMap::new();
    for record in directory
        .people
        .iter()
        .map(|person| &person.record)
        .chain(rows.iter().map(|row| &row.record))
    {
        name_of.insert(key_ref(record), record.full_name());
    }
    cycles
        .into_iter()
        .map(|cycle| {
            let line = cycle.iter().filter_map(|key| line_of_key.get(key)).min().copied().unwrap_or(1);
            let describe = |key: &KeyRef<'_>| {
                format!("{} ({})", key.1, name_of.get(key).map_or("unknown", String::as_str))
            };
            let mut path: Vec<String> = cycle.iter().map(describe).collect();
            path.push(describe(&cycle[0]));
            ImportProblem::cell(
                line,
                "line_manager_staff_number",
                ProblemKind::ManagementCycle,
                format!(
                    "line-management cycle in {}: {}; one of these people needs a different line manager",
                    cycle[0].0,
                    path.join(" → ")
                ),
            )
        })
        .collect()
}

/// Orders new people so that each is written after their line manager when both are new,
/// keeping file order otherwise.
fn managers_first(creates: Vec<PersonRecord>) -> Vec<PersonRecord> {
    let manager_idx: Vec<Option<usize>> = {
        let position: HashMap<KeyRef<'_>, usize> = creates
            .iter()
            .enumerate()
            .map(|(idx, record)| (key_ref(record), idx))
            .collect();
        creates
            .iter()
            .map(|record| {
                record
                    .line_manager
                    .as_ref()
                    .and_then(|manager| position.get(&(&record.organisation, manager)).copied())
            })
            .collect()
    };
    // Depth within the new people; the links are acyclic (checked above), so this terminates.
    let mut depth: Vec<Option<usize>> = vec![None; creates.len()];
    for start in 0..creates.len() {
        let mut path = Vec::new();
        let mut current = Some(start);
        while let Some(idx) = current {
            if depth[idx].is_some() {
                break;
            }
            path.push(idx);
            current = manager_idx[idx];
        }
        let top = current.and_then(|idx| depth[idx]).map_or(0, |d| d + 1);
        for (below, &idx) in (top..).zip(path.iter().rev()) {
            depth[idx] = Some(below);
        }
    }
    let mut order: Vec<usize> = (0..creates.len()).collect();
    order.sort_by_key(|&idx| depth[idx]);
    let mut slots: Vec<Option<PersonRecord>> = creates.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|idx| slots[idx].take())
        .collect()
}

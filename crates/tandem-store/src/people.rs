//! People: the HR record, line management and self-declared diversity answers.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use sqlx::QueryBuilder;
use tandem_core::domain::{
    Declaration, Email, EmploymentStatus, FreeText, OrgCode, PersonName, RankOrGrade, RoleType,
    StaffNumber,
};
use tandem_core::hr::ExistingPerson;
use tandem_core::{DiversityData, OrganisationId, PersonId, PersonRecord};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A person to add, with their manager already resolved to an id.
#[derive(Debug, Clone, Copy)]
pub struct NewPerson<'a> {
    /// The id to give them.
    pub id: PersonId,
    /// Their organisation's id (the record carries its code).
    pub organisation: OrganisationId,
    /// Their HR record.
    pub record: &'a PersonRecord,
    /// Their line manager, who must already exist or come earlier in the same batch.
    pub line_manager: Option<PersonId>,
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: Uuid,
    organisation: String,
    staff_number: String,
    first_name: String,
    last_name: String,
    email: String,
    department: Option<String>,
    location: Option<String>,
    rank_or_grade: String,
    role_type: String,
    line_manager_staff_number: Option<String>,
    start_date: Date,
    on_probation: bool,
    under_performance_management: bool,
    employment_status: String,
    sex: Option<String>,
    gender_identity: Option<String>,
    ethnicity: Option<String>,
    disability: Option<String>,
    sexual_orientation: Option<String>,
    religion: Option<String>,
    age_band: Option<String>,
    caring_responsibilities: Option<String>,
}

impl PersonRow {
    fn into_domain(self) -> Result<ExistingPerson, StoreError> {
        let text = |column: &str, value: Option<String>| {
            value
                .map(|value| FreeText::parse_optional(&value).map_err(|err| corrupt(column, err)))
                .transpose()
                .map(Option::flatten)
        };
        let answer = |column: &str, value: Option<String>| {
            value
                .map(|value| {
                    Declaration::parse_optional(&value).map_err(|err| corrupt(column, err))
                })
                .transpose()
                .map(Option::flatten)
        };
        let record = PersonRecord {
            organisation: OrgCode::parse(&self.organisation)
                .map_err(|err| corrupt("organisations.code", err))?,
            staff_number: StaffNumber::parse(&self.staff_number)
                .map_err(|err| corrupt("people.staff_number", err))?,
            first_name: PersonName::parse(&self.first_name)
                .map_err(|err| corrupt("people.first_name", err))?,
            last_name: PersonName::parse(&self.last_name)
                .map_err(|err| corrupt("people.last_name", err))?,
            email: Email::parse(&self.email).map_err(|err| corrupt("people.email", err))?,
            department: text("people.department", self.department)?,
            location: text("people.location", self.location)?,
            rank_or_grade: RankOrGrade::parse(&self.rank_or_grade)
                .map_err(|err| corrupt("people.rank_or_grade", err))?,
            role_type: RoleType::parse(&self.role_type)
                .map_err(|err| corrupt("people.role_type", err))?,
            line_manager: self
                .line_manager_staff_number
                .map(|number| {
                    StaffNumber::parse(&number).map_err(|err| corrupt("people.line_manager", err))
                })
                .transpose()?,
            start_date: self.start_date,
            on_probation: self.on_probation,
            under_performance_management: self.under_performance_management,
            employment_status: EmploymentStatus::parse(&self.employment_status)
                .map_err(|err| corrupt("people.employment_status", err))?,
            diversity: DiversityData {
                sex: answer("person_diversity.sex", self.sex)?,
                gender_identity: answer("person_diversity.gender_identity", self.gender_identity)?,
                ethnicity: answer("person_diversity.ethnicity", self.ethnicity)?,
                disability: answer("person_diversity.disability", self.disability)?,
                sexual_orientation: answer(
                    "person_diversity.sexual_orientation",
                    self.sexual_orientation,
                )?,
                religion: answer("person_diversity.religion", self.religion)?,
                age_band: answer("person_diversity.age_band", self.age_band)?,
                caring_responsibilities: answer(
                    "person_diversity.caring_responsibilities",
                    self.caring_responsibilities,
                )?,
            },
        };
        Ok(ExistingPerson {
            id: PersonId(self.id),
            record,
        })
    }
}

/// The person columns, in [`PersonRow`] order, with the joins they need.
macro_rules! select_people {
    () => {
        "SELECT p.id, o.code AS organisation, p.staff_number, p.first_name, p.last_name, p.email, \
         p.department, p.location, p.rank_or_grade, p.role_type, m.staff_number AS line_manager_staff_number, \
         p.start_date, p.on_probation, p.under_performance_management, p.employment_status, \
         d.sex, d.gender_identity, d.ethnicity, d.disability, d.sexual_orientation, d.religion, d.age_band, \
         d.caring_responsibilities \
         FROM people p \
         JOIN organisations o ON o.id = p.organisation_id \
         LEFT JOIN people m ON m.id = p.line_manager_id \
         LEFT JOIN person_diversity d ON d.person_id = p.id"
    };
}

/// Rows per multi-row INSERT: 16 columns each stays well under SQLite's 32,766 bound parameters.
const INSERT_BATCH: usize = 1_000;

fn optional_text(text: &Option<FreeText>) -> Option<&str> {
    text.as_ref().map(AsRef::as_ref)
}

fn answers(diversity: &DiversityData) -> [Option<&str>; 8] {
    diversity
        .answers()
        .map(|answer| answer.as_ref().map(Declaration::as_str))
}

impl Tx {
    /// Everyone in the installation (in no particular order), with their manager's staff number
    /// and diversity answers. Rows become domain values as they stream in, so a large
    /// directory is never held twice.
    pub async fn all_people(&mut self) -> Result<Vec<ExistingPerson>, StoreError> {
        use futures_util::TryStreamExt as _;
        let sql = select_people!();
        let mut people = Vec::new();
        on_backend!(self, |conn| {
            let mut rows = sqlx::query_as::<_, PersonRow>(sql).fetch(conn);
            while let Some(row) = rows.try_next().await? {
                people.push(row.into_domain()?);
            }
            Ok::<(), StoreError>(())
        })?;
        Ok(people)
    }

    /// Everyone in one organisation, by staff number.
    pub async fn people_of(
        &mut self,
        organisation: OrganisationId,
    ) -> Result<Vec<ExistingPerson>, StoreError> {
        let sql = concat!(
            select_people!(),
            " WHERE p.organisation_id = $1 ORDER BY p.staff_number"
        );
        let rows: Vec<PersonRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(organisation.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(PersonRow::into_domain).collect()
    }

    /// One person by id.
    pub async fn person(&mut self, id: PersonId) -> Result<ExistingPerson, StoreError> {
        let sql = concat!(select_people!(), " WHERE p.id = $1");
        let row: Option<PersonRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(id.0)
            .fetch_optional(conn)
            .await)?;
        row.ok_or_else(|| StoreError::NotFound(format!("person {id}")))?
            .into_domain()
    }

    /// The people with these ids (those that exist), in no particular order.
    pub async fn people_by_ids(
        &mut self,
        ids: &[PersonId],
    ) -> Result<Vec<ExistingPerson>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        if let Tx::Postgres(tx) = self {
            // One array parameter: PostgreSQL plans a list of thousands of parameters as a
            // scan of everyone, an array as a lookup of each.
            let ids: Vec<Uuid> = ids.iter().map(|it| it.0).collect();
            let sql = concat!(select_people!(), " WHERE p.id = ANY($1)");
            let rows: Vec<PersonRow> = sqlx::query_as(sql).bind(ids).fetch_all(&mut **tx).await?;
            return rows.into_iter().map(PersonRow::into_domain).collect();
        }
        // SQLite takes at most 32,766 parameters a statement.
        let mut out = Vec::with_capacity(ids.len());
        for batch in ids.chunks(INSERT_BATCH) {
            let rows: Vec<PersonRow> = on_backend!(self, |conn| {
                let mut query = QueryBuilder::new(concat!(select_people!(), " WHERE p.id IN ("));
                let mut list = query.separated(", ");
                for id in batch {
                    list.push_bind(id.0);
                }
                query.push(")");
                query.build_query_as().fetch_all(conn).await
            })?;
            for row in rows {
                out.push(row.into_domain()?);
            }
        }
        Ok(out)
    }

    /// `people_by_ids` keyed by id, as the passes that notify many people look them up.
    pub async fn people_map(
        &mut self,
        ids: &[PersonId],
    ) -> Result<std::collections::HashMap<PersonId, ExistingPerson>, StoreError> {
        Ok(self
            .people_by_ids(ids)
            .await?
            .into_iter()
            .map(|it| (it.id, it))
            .collect())
    }

    /// Everyone who applied to a scheme, in any role and state.
    pub async fn applicants_to_scheme(
        &mut self,
        scheme: tandem_core::SchemeId,
    ) -> Result<Vec<ExistingPerson>, StoreError> {
        let sql = concat!(
            select_people!(),
            " WHERE p.id IN (SELECT person_id FROM applications WHERE scheme_id = $1)"
        );
        let rows: Vec<PersonRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(PersonRow::into_domain).collect()
    }

    /// A person's line manager, if the HR record names one.
    pub async fn line_manager_of(
        &mut self,
        person: PersonId,
    ) -> Result<Option<PersonId>, StoreError> {
        let sql = "SELECT line_manager_id FROM people WHERE id = $1";
        let manager: Option<Option<Uuid>> = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(person.0)
            .fetch_optional(conn)
            .await)?;
        Ok(manager.flatten().map(PersonId))
    }

    /// The person with this work email, if any.
    pub async fn person_id_by_email(
        &mut self,
        email: &Email,
    ) -> Result<Option<PersonId>, StoreError> {
        let sql = "SELECT id FROM people WHERE email = $1";
        let id: Option<Uuid> = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(email.as_ref())
            .fetch_optional(conn)
            .await)?;
        Ok(id.map(PersonId))
    }

    /// One person by organisation and staff number.
    pub async fn person_by_staff_number(
        &mut self,
        organisation: OrganisationId,
        staff_number: &StaffNumber,
    ) -> Result<Option<ExistingPerson>, StoreError> {
        let sql = concat!(
            select_people!(),
            " WHERE p.organisation_id = $1 AND p.staff_number = $2"
        );
        let row: Option<PersonRow> = on_backend!(self, |conn| {
            sqlx::query_as(sql)
                .bind(organisation.0)
                .bind(staff_number.as_ref())
                .fetch_optional(conn)
                .await
        })?;
        row.map(PersonRow::into_domain).transpose()
    }

    /// How many people an organisation holds (all statuses).
    pub async fn count_people(&mut self, organisation: OrganisationId) -> Result<i64, StoreError> {
        let sql = "SELECT COUNT(*) FROM people WHERE organisation_id = $1";
        let (count,): (i64,) = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(organisation.0)
            .fetch_one(conn)
            .await)?;
        Ok(count)
    }

    /// The `(person, line manager)` links of an organisation, for the line-management tree.
    pub async fn line_management_links(
        &mut self,
        organisation: OrganisationId,
    ) -> Result<Vec<(PersonId, Option<PersonId>)>, StoreError> {
        let sql = "SELECT id, line_manager_id FROM people WHERE organisation_id = $1";
        let rows: Vec<(Uuid, Option<Uuid>)> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(organisation.0)
            .fetch_all(conn)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(person, manager)| (PersonId(person), manager.map(PersonId)))
            .collect())
    }

    /// Adds people in batches. Managers must exist already or come earlier in `people`.
    pub async fn insert_people(
        &mut self,
        people: &[NewPerson<'_>],
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        for batch in people.chunks(INSERT_BATCH) {
            on_backend!(self, |conn| {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO people (id, organisation_id, staff_number, first_name, last_name, email, department, \
                     location, rank_or_grade, role_type, line_manager_id, start_date, on_probation, \
                     under_performance_management, employment_status, created_at, updated_at, version) ",
                );
                insert.push_values(batch, |mut row, person| {
                    let record = person.record;
                    row.push_bind(person.id.0)
                        .push_bind(person.organisation.0)
                        .push_bind(record.staff_number.as_ref())
                        .push_bind(record.first_name.as_ref())
                        .push_bind(record.last_name.as_ref())
                        .push_bind(record.email.as_ref())
                        .push_bind(optional_text(&record.department))
                        .push_bind(optional_text(&record.location))
                        .push_bind(record.rank_or_grade.as_ref())
                        .push_bind(record.role_type.as_str())
                        .push_bind(person.line_manager.map(|id| id.0))
                        .push_bind(record.start_date)
                        .push_bind(record.on_probation)
                        .push_bind(record.under_performance_management)
                        .push_bind(record.employment_status.as_str())
                        .push_bind(now)
                        .push_bind(now)
                        .push_bind(1_i64);
                });
                insert.build().execute(&mut *conn).await?;

                let declared: Vec<&NewPerson<'_>> = batch
                    .iter()
                    .filter(|person| !person.record.diversity.is_empty())
                    .collect();
                if !declared.is_empty() {
                    let mut insert = QueryBuilder::new(
                        "INSERT INTO person_diversity (person_id, sex, gender_identity, ethnicity, disability, \
                         sexual_orientation, religion, age_band, caring_responsibilities) ",
                    );
                    insert.push_values(declared, |mut row, person| {
                        row.push_bind(person.id.0);
                        for answer in answers(&person.record.diversity) {
                            row.push_bind(answer);
                        }
                    });
                    insert.build().execute(&mut *conn).await?;
                }
                Ok::<(), sqlx::Error>(())
            })?;
        }
        Ok(())
    }

    /// Replaces a person's HR record (and diversity answers) and bumps their version.
    pub async fn update_person(
        &mut self,
        id: PersonId,
        record: &PersonRecord,
        line_manager: Option<PersonId>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let update = "UPDATE people SET staff_number = $2, first_name = $3, last_name = $4, email = $5, \
                      department = $6, location = $7, rank_or_grade = $8, role_type = $9, line_manager_id = $10, \
                      start_date = $11, on_probation = $12, under_performance_management = $13, \
                      employment_status = $14, updated_at = $15, version = version + 1 WHERE id = $1";
        let clear = "DELETE FROM person_diversity WHERE person_id = $1";
        let upsert = "INSERT INTO person_diversity (person_id, sex, gender_identity, ethnicity, disability, \
                      sexual_orientation, religion, age_band, caring_responsibilities) \
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                      ON CONFLICT (person_id) DO UPDATE SET sex = excluded.sex, gender_identity = excluded.gender_identity, \
                      ethnicity = excluded.ethnicity, disability = excluded.disability, \
                      sexual_orientation = excluded.sexual_orientation, religion = excluded.religion, \
                      age_band = excluded.age_band, caring_responsibilities = excluded.caring_responsibilities";
        let updated = on_backend!(self, |conn| {
            let result = sqlx::query(update)
                .bind(id.0)
                .bind(record.staff_number.as_ref())
                .bind(record.first_name.as_ref())
                .bind(record.last_name.as_ref())
                .bind(record.email.as_ref())
                .bind(optional_text(&record.department))
                .bind(optional_text(&record.location))
                .bind(record.rank_or_grade.as_ref())
                .bind(record.role_type.as_str())
                .bind(line_manager.map(|id| id.0))
                .bind(record.start_date)
                .bind(record.on_probation)
                .bind(record.under_performance_management)
                .bind(record.employment_status.as_str())
                .bind(now)
                .execute(&mut *conn)
                .await?;
            if result.rows_affected() == 0 {
                // No such person: nothing to attach answers to.
            } else if record.diversity.is_empty() {
                sqlx::query(clear).bind(id.0).execute(&mut *conn).await?;
            } else {
                let mut query = sqlx::query(upsert).bind(id.0);
                for answer in answers(&record.diversity) {
                    query = query.bind(answer);
                }
                query.execute(&mut *conn).await?;
            }
            Ok::<u64, sqlx::Error>(result.rows_affected())
        })?;
        if updated == 0 {
            return Err(StoreError::NotFound(format!("person {id}")));
        }
        Ok(())
    }
}

/// A page of the people directory: who matches, and how many match in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeopleSearch {
    /// Part of a name, staff number or email (any case); empty matches everyone.
    pub text: String,
    /// A rank or grade exactly (any case); empty matches every rank.
    pub rank: String,
    /// Part of a department (any case); empty matches every department.
    pub department: String,
    /// Rows per page.
    pub limit: i64,
    /// Rows to skip.
    pub offset: i64,
}

/// `%text%` for LIKE, with LIKE's own wildcards escaped so they match themselves.
fn contains_pattern(text: &str) -> String {
    let escaped = text
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    if escaped.is_empty() {
        String::new()
    } else {
        format!("%{escaped}%")
    }
}

/// The directory filters, shared by the page and the count so they always agree.
macro_rules! directory_filter {
    () => {
        " WHERE p.organisation_id = $1 \
          AND ($2 = '' OR lower(p.first_name || ' ' || p.last_name) LIKE $2 ESCAPE '\\' \
               OR lower(p.staff_number) LIKE $2 ESCAPE '\\' OR lower(p.email) LIKE $2 ESCAPE '\\') \
          AND ($3 = '' OR lower(p.rank_or_grade) = $3) \
          AND ($4 = '' OR lower(COALESCE(p.department, '')) LIKE $4 ESCAPE '\\')"
    };
}

impl Tx {
    /// A page of an organisation's people matching `search`, by last then first name, and the
    /// number of matches in all.
    pub async fn search_people(
        &mut self,
        organisation: OrganisationId,
        search: &PeopleSearch,
    ) -> Result<(Vec<ExistingPerson>, i64), StoreError> {
        let text = contains_pattern(&search.text);
        let rank = search.rank.trim().to_lowercase();
        let department = contains_pattern(&search.department);
        let page_sql = concat!(
            select_people!(),
            directory_filter!(),
            " ORDER BY p.last_name, p.first_name, p.staff_number LIMIT $5 OFFSET $6"
        );
        let count_sql = concat!("SELECT COUNT(*) FROM people p", directory_filter!());
        let (rows, total) = on_backend!(self, |conn| {
            let rows: Vec<PersonRow> = sqlx::query_as(page_sql)
                .bind(organisation.0)
                .bind(&text)
                .bind(&rank)
                .bind(&department)
                .bind(search.limit)
                .bind(search.offset)
                .fetch_all(&mut *conn)
                .await?;
            let (total,): (i64,) = sqlx::query_as(count_sql)
                .bind(organisation.0)
                .bind(&text)
                .bind(&rank)
                .bind(&department)
                .fetch_one(&mut *conn)
                .await?;
            Ok::<_, sqlx::Error>((rows, total))
        })?;
        let people = rows
            .into_iter()
            .map(PersonRow::into_domain)
            .collect::<Result<_, _>>()?;
        Ok((people, total))
    }

    /// The ranks and grades held in an organisation, and its departments, for filter lists.
    pub async fn directory_facets(
        &mut self,
        organisation: OrganisationId,
    ) -> Result<(Vec<String>, Vec<String>), StoreError> {
        let ranks_sql = "SELECT DISTINCT rank_or_grade FROM people WHERE organisation_id = $1 ORDER BY rank_or_grade";
        let departments_sql = "SELECT DISTINCT department FROM people WHERE organisation_id = $1 AND department IS NOT NULL ORDER BY department";
        let (ranks, departments) = on_backend!(self, |conn| {
            let ranks: Vec<(String,)> = sqlx::query_as(ranks_sql)
                .bind(organisation.0)
                .fetch_all(&mut *conn)
                .await?;
            let departments: Vec<(String,)> = sqlx::query_as(departments_sql)
                .bind(organisation.0)
                .fetch_all(&mut *conn)
                .await?;
            Ok::<_, sqlx::Error>((ranks, departments))
        })?;
        Ok((
            ranks.into_iter().map(|(it,)| it).collect(),
            departments.into_iter().map(|(it,)| it).collect(),
        ))
    }
}

/// An HR file uploaded in the browser, waiting for (or done with) its import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// Its id.
    pub id: Uuid,
    /// Who uploaded it (only they may confirm it).
    pub person: PersonId,
    /// The file's name as uploaded.
    pub file_name: String,
    /// The bytes.
    pub content: Vec<u8>,
    /// Import it as a full extract.
    pub full_extract: bool,
    /// Create organisations it names that do not exist.
    pub create_organisations: bool,
    /// When it was uploaded.
    pub created_at: OffsetDateTime,
    /// When it was imported, if it has been.
    pub imported_at: Option<OffsetDateTime>,
    /// The import's outcome (JSON), once imported.
    pub report: Option<String>,
}

#[derive(sqlx::FromRow)]
struct UploadRow {
    id: Uuid,
    person_id: Uuid,
    file_name: String,
    content: Vec<u8>,
    full_extract: bool,
    create_organisations: bool,
    created_at: OffsetDateTime,
    imported_at: Option<OffsetDateTime>,
    report: Option<String>,
}

impl Tx {
    /// Keeps an uploaded file until its import is confirmed.
    pub async fn insert_upload(&mut self, upload: &Upload) -> Result<(), StoreError> {
        let sql = "INSERT INTO uploads (id, person_id, file_name, content, full_extract, create_organisations, created_at, imported_at, report) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL)";
        on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(upload.id)
                .bind(upload.person.0)
                .bind(&upload.file_name)
                .bind(upload.content.as_slice())
                .bind(upload.full_extract)
                .bind(upload.create_organisations)
                .bind(upload.created_at)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// An upload by id.
    pub async fn upload(&mut self, id: Uuid) -> Result<Option<Upload>, StoreError> {
        let sql = "SELECT id, person_id, file_name, content, full_extract, create_organisations, created_at, imported_at, report \
                   FROM uploads WHERE id = $1";
        let row: Option<UploadRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(conn)
            .await)?;
        Ok(row.map(|row| Upload {
            id: row.id,
            person: PersonId(row.person_id),
            file_name: row.file_name,
            content: row.content,
            full_extract: row.full_extract,
            create_organisations: row.create_organisations,
            created_at: row.created_at,
            imported_at: row.imported_at,
            report: row.report,
        }))
    }

    /// Records that an upload was imported, with the outcome; forgets its content (the people
    /// table now holds it). False if it had already been imported.
    pub async fn finish_upload(
        &mut self,
        id: Uuid,
        report: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE uploads SET imported_at = $2, report = $3, content = $4 WHERE id = $1 AND imported_at IS NULL";
        let empty: &[u8] = &[];
        let done = on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(id)
                .bind(now)
                .bind(report)
                .bind(empty)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(done > 0)
    }
}

//! Role grants: a staff role over a scope, held by a person.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use tandem_core::authz::{Grant, Scope, StaffRole};
use tandem_core::{OrganisationId, PersonId, SchemeId};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct GrantRow {
    role: String,
    organisation_id: Option<Uuid>,
    division: Option<String>,
    scheme_id: Option<Uuid>,
}

impl GrantRow {
    fn into_domain(self) -> Result<Grant, StoreError> {
        let role =
            StaffRole::parse(&self.role).ok_or_else(|| corrupt("role_grants.role", &self.role))?;
        let scope = match (self.organisation_id, self.division, self.scheme_id) {
            (None, None, None) => Scope::Installation,
            (Some(organisation), None, None) => Scope::Organisation(OrganisationId(organisation)),
            (Some(organisation), Some(division), None) => Scope::Division {
                organisation: OrganisationId(organisation),
                division,
            },
            (Some(organisation), None, Some(scheme)) => Scope::Scheme {
                organisation: OrganisationId(organisation),
                scheme: SchemeId(scheme),
            },
            _ => {
                return Err(corrupt(
                    "role_grants",
                    "a grant's scope must be installation, organisation, division or scheme",
                ));
            }
        };
        Ok(Grant { role, scope })
    }
}

fn scope_columns(scope: &Scope) -> (Option<Uuid>, Option<&str>, Option<Uuid>) {
    match scope {
        Scope::Installation => (None, None, None),
        Scope::Organisation(organisation) => (Some(organisation.0), None, None),
        Scope::Division {
            organisation,
            division,
        } => (Some(organisation.0), Some(division.as_str()), None),
        Scope::Scheme {
            organisation,
            scheme,
        } => (Some(organisation.0), None, Some(scheme.0)),
    }
}

impl Tx {
    /// Gives a person a role over a scope.
    pub async fn insert_grant(
        &mut self,
        id: Uuid,
        person: PersonId,
        grant: &Grant,
        granted_by: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let (organisation, division, scheme) = scope_columns(&grant.scope);
        let sql = "INSERT INTO role_grants (id, person_id, role, organisation_id, division, scheme_id, granted_by, granted_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(id)
                .bind(person.0)
                .bind(grant.role.as_str())
                .bind(organisation)
                .bind(division)
                .bind(scheme)
                .bind(granted_by)
                .bind(now)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// The roles a person holds.
    pub async fn grants_of(&mut self, person: PersonId) -> Result<Vec<Grant>, StoreError> {
        let sql = "SELECT role, organisation_id, division, scheme_id FROM role_grants WHERE person_id = $1 ORDER BY granted_at, id";
        let rows: Vec<GrantRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(person.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(GrantRow::into_domain).collect()
    }
}

impl Tx {
    /// The roles a person holds, each with the id that revokes it.
    pub async fn held_grants_of(
        &mut self,
        person: PersonId,
    ) -> Result<Vec<(Uuid, Grant)>, StoreError> {
        let sql = "SELECT id, role, organisation_id, division, scheme_id FROM role_grants WHERE person_id = $1 ORDER BY granted_at, id";
        let rows: Vec<IdentifiedGrantRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(person.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter()
            .map(|row| row.grant.into_domain().map(|grant| (row.id, grant)))
            .collect()
    }

    /// Takes a role away; false when the person held no grant with that id.
    pub async fn delete_grant(&mut self, person: PersonId, id: Uuid) -> Result<bool, StoreError> {
        let sql = "DELETE FROM role_grants WHERE id = $1 AND person_id = $2";
        let done = on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(id)
                .bind(person.0)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(done > 0)
    }

    /// Every grant in the installation with its holder, for the demo's list of accounts.
    pub async fn all_grants(&mut self) -> Result<Vec<(PersonId, Grant)>, StoreError> {
        let sql = "SELECT person_id, role, organisation_id, division, scheme_id FROM role_grants ORDER BY granted_at, id";
        let rows: Vec<HeldGrantRow> =
            on_backend!(self, |conn| sqlx::query_as(sql).fetch_all(conn).await)?;
        rows.into_iter()
            .map(|row| {
                row.grant
                    .into_domain()
                    .map(|grant| (PersonId(row.person_id), grant))
            })
            .collect()
    }
}

#[derive(sqlx::FromRow)]
struct IdentifiedGrantRow {
    id: Uuid,
    #[sqlx(flatten)]
    grant: GrantRow,
}

#[derive(sqlx::FromRow)]
struct HeldGrantRow {
    person_id: Uuid,
    #[sqlx(flatten)]
    grant: GrantRow,
}

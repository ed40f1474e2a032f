//! The registry of organisations that sign their calls: the organisations, their public keys,
//! and an audit trail in which every change is recorded in the same transaction as the change.
//!
//! [`RegistryStore`] is a supertrait of [`crate::Store`], so every store has it; its SQL is the
//! same on both backends (the `registry_store!` macro below). Validating a record is the caller's job
//! ([`Organisation::field_problems`]); the store keeps what it is given, refuses duplicates
//! with [`StoreError::Conflict`], and never un-revokes an organisation or a key.

use crate::StoreError;
use async_trait::async_trait;
use scamguard_core::passport::{FieldProblem, OrgKey, OrgStatus, Organisation};
use serde::Serialize;

/// Who made a change, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor<'a> {
    /// The API key id, or `cli` for the command line.
    pub who: &'a str,
    /// When (Unix ms).
    pub at: i64,
}

/// An organisation as stored: the record and when it was created and last changed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganisationRecord {
    /// The organisation, with its keys (revoked ones included) and status.
    #[serde(flatten)]
    pub organisation: Organisation,
    /// When it was enrolled (Unix ms).
    pub created: i64,
    /// When it last changed, keys included (Unix ms).
    pub updated: i64,
}

/// One change to the registry.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistryAuditRecord {
    /// Assigned by the database, increasing.
    pub id: i64,
    /// When (Unix ms).
    pub at: i64,
    /// The API key id, or `cli`.
    pub who: String,
    /// `add_organisation`, `update_organisation`, `set_status`, `add_key`, `revoke_key`,
    /// `import_add` or `import_update`.
    pub action: String,
    /// The organisation concerned.
    pub org_id: Option<String>,
    /// The key concerned.
    pub kid: Option<String>,
    /// What changed, as JSON.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub detail: serde_json::Value,
}

/// What a status change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    /// The status changed from `from`.
    Changed {
        /// The status before.
        from: OrgStatus,
    },
    /// The organisation already had that status; nothing was recorded.
    Unchanged,
    /// No organisation has that id.
    NotFound,
    /// The organisation is revoked, which is final.
    Refused,
}

/// What revoking a key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRevocation {
    /// Revoked; it belongs to this organisation.
    Revoked {
        /// The organisation's id.
        org_id: String,
    },
    /// It was revoked before.
    AlreadyRevoked,
    /// No key has that id.
    NotFound,
}

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Organisations that were new.
    pub added: Vec<String>,
    /// Organisations that existed and were updated.
    pub updated: Vec<String>,
    /// Keys that were new.
    pub keys_added: usize,
    /// Keys the document revokes that were not revoked here.
    pub keys_revoked: usize,
}

/// Why an enrolment or a new key was refused: the rules both the command line and the API
/// apply, in one place ([`enrol`], [`add_key`]).
#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    /// The record or key is invalid; every problem with its field.
    #[error("{} problem(s): {}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldProblem>),
    /// An organisation with this id is enrolled.
    #[error("organisation {0:?} is already enrolled")]
    IdTaken(String),
    /// A key id is taken (by this or another organisation); `field` is where the key was
    /// given (`keys` in an enrolment, `kid` for one new key).
    #[error("key id {kid:?} is already enrolled")]
    KidTaken {
        /// The request's field.
        field: &'static str,
        /// The key id (for an enrolment, its first key's).
        kid: String,
    },
    /// No organisation has this id.
    #[error("no organisation with id {0:?} is enrolled")]
    NotFound(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Enrols `org` after checking it: every field problem at once, then duplicates.
pub async fn enrol(
    store: &(impl RegistryStore + ?Sized),
    org: &Organisation,
    by: Actor<'_>,
) -> Result<(), EnrolError> {
    let problems = org.field_problems();
    if !problems.is_empty() {
        return Err(EnrolError::Invalid(problems));
    }
    if store.registry_get(&org.id).await?.is_some() {
        return Err(EnrolError::IdTaken(org.id.clone()));
    }
    match store.registry_add(org, by).await {
        Ok(()) => Ok(()),
        // The id was free a moment ago: the clash is a key id, or a concurrent enrolment.
        Err(StoreError::Conflict(_)) => match store.registry_get(&org.id).await? {
            Some(_) => Err(EnrolError::IdTaken(org.id.clone())),
            None => Err(EnrolError::KidTaken {
                field: "keys",
                kid: org.keys.first().map(|k| k.kid.clone()).unwrap_or_default(),
            }),
        },
        Err(e) => Err(e.into()),
    }
}

/// Adds `key` to organisation `org_id` after checking it as part of the organisation.
pub async fn add_key(
    store: &(impl RegistryStore + ?Sized),
    org_id: &str,
    key: &OrgKey,
    by: Actor<'_>,
) -> Result<(), EnrolError> {
    let Some(record) = store.registry_get(org_id).await? else {
        return Err(EnrolError::NotFound(org_id.to_string()));
    };
    if record.organisation.keys.iter().any(|k| k.kid == key.kid) {
        return Err(EnrolError::KidTaken {
            field: "kid",
            kid: key.kid.clone(),
        });
    }
    let problems = record.organisation.new_key_problems(key);
    if !problems.is_empty() {
        return Err(EnrolError::Invalid(problems));
    }
    match store.registry_add_key(org_id, key, by).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(EnrolError::NotFound(org_id.to_string())),
        Err(StoreError::Conflict(_)) => Err(EnrolError::KidTaken {
            field: "kid",
            kid: key.kid.clone(),
        }),
        Err(e) => Err(e.into()),
    }
}

/// Persistence of the registry. Every change writes a [`RegistryAuditRecord`] in the same
/// transaction.
#[async_trait]
pub trait RegistryStore: Send + Sync {
    /// Enrols an organisation with its keys. [`StoreError::Conflict`] when its id or one of
    /// its key ids exists.
    async fn registry_add(&self, org: &Organisation, by: Actor<'_>) -> Result<(), StoreError>;

    /// Replaces an organisation's descriptive fields (legal name, category, names, handles,
    /// call-back numbers, domains); its keys and status are left alone. False when no
    /// organisation has its id.
    async fn registry_update(&self, org: &Organisation, by: Actor<'_>) -> Result<bool, StoreError>;

    /// Every organisation with its keys, by id.
    async fn registry_list(&self) -> Result<Vec<OrganisationRecord>, StoreError>;

    /// One organisation with its keys.
    async fn registry_get(&self, id: &str) -> Result<Option<OrganisationRecord>, StoreError>;

    /// Sets an organisation's status; `reason` is kept in the audit trail.
    async fn registry_set_status(
        &self,
        id: &str,
        status: OrgStatus,
        reason: Option<&str>,
        by: Actor<'_>,
    ) -> Result<StatusChange, StoreError>;

    /// Adds a key to an organisation. False when the organisation does not exist;
    /// [`StoreError::Conflict`] when the key id is taken.
    async fn registry_add_key(
        &self,
        org_id: &str,
        key: &OrgKey,
        by: Actor<'_>,
    ) -> Result<bool, StoreError>;

    /// Revokes a key.
    async fn registry_revoke_key(
        &self,
        kid: &str,
        by: Actor<'_>,
    ) -> Result<KeyRevocation, StoreError>;

    /// Merges organisations from a (verified) registry document in one transaction: new ones
    /// are added, existing ones updated (a revoked one stays revoked), new keys added, keys the
    /// document revokes revoked. A key id that belongs to another organisation here, or to
    /// another public key, is a [`StoreError::Conflict`] and nothing is imported.
    async fn registry_import(
        &self,
        orgs: &[Organisation],
        source: &str,
        by: Actor<'_>,
    ) -> Result<ImportSummary, StoreError>;

    /// The audit trail, newest first: of one organisation, or of all.
    async fn registry_audit(
        &self,
        org_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<RegistryAuditRecord>, StoreError>;

    /// A number that grows with every change (the last audit id): a server compares it to
    /// notice changes made by another process or node.
    async fn registry_revision(&self) -> Result<i64, StoreError>;
}

pub(crate) fn json_list(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn parse_list(col: &str, text: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Corrupt(format!("registry_organisations.{col}: {e}")))
}

pub(crate) fn parse_status(text: &str) -> Result<OrgStatus, StoreError> {
    OrgStatus::parse(text).ok_or_else(|| {
        StoreError::Corrupt(format!(
            "registry_organisations.status: unknown status {text:?}"
        ))
    })
}

/// The audit detail of an organisation's descriptive fields.
pub(crate) fn describe(org: &Organisation) -> serde_json::Value {
    serde_json::json!({
        "legal_name": org.legal_name,
        "category": org.category,
        "names": org.names,
        "handles": org.handles,
        "callback_numbers": org.callback_numbers,
        "domains": org.domains,
        "status": org.status.as_str(),
        "keys": org.keys.iter().map(|k| k.kid.as_str()).collect::<Vec<_>>(),
    })
}

/// Whether two PEM public keys are the same key.
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    match (
        scamguard_core::passport::public_point(a),
        scamguard_core::passport::public_point(b),
    ) {
        (Some(x), Some(y)) => x == y,
        _ => a.trim() == b.trim(),
    }
}

/// Implements [`RegistryStore`] for `$store`, whose field `pool` is a `sqlx::Pool<$db>`,
/// with the SQL both backends share.
macro_rules! registry_store {
    ($store:ty, $db:ty) => {
        impl $store {
            async fn reg_audit(
                tx: &mut sqlx::Transaction<'static, $db>,
                by: $crate::registry::Actor<'_>,
                action: &str,
                org_id: Option<&str>,
                kid: Option<&str>,
                detail: serde_json::Value,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query::<$db>(
                    "INSERT INTO registry_audit (at, who, action, org_id, kid, detail) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(by.at)
                .bind(by.who)
                .bind(action)
                .bind(org_id)
                .bind(kid)
                .bind(detail.to_string())
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            /// Binds an organisation's columns, id to domains, as `$1` to `$9`.
            fn bind_org<'q>(
                q: sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments>,
                org: &'q scamguard_core::passport::Organisation,
            ) -> sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments> {
                use $crate::registry::json_list;
                q.bind(org.id.as_str())
                    .bind(org.legal_name.as_str())
                    .bind(org.category.as_str())
                    .bind(json_list(&org.names.zh_hans))
                    .bind(json_list(&org.names.zh_hant))
                    .bind(json_list(&org.names.en))
                    .bind(json_list(&org.handles))
                    .bind(json_list(&org.callback_numbers))
                    .bind(json_list(&org.domains))
            }

            async fn reg_insert_org(
                tx: &mut sqlx::Transaction<'static, $db>,
                org: &scamguard_core::passport::Organisation,
                at: i64,
            ) -> Result<(), $crate::StoreError> {
                Self::bind_org(sqlx::query::<$db>(
                    "INSERT INTO registry_organisations (id, legal_name, category, names_zh_hans, \
                     names_zh_hant, names_en, handles, callback_numbers, domains, status, created, \
                     updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
                ), org)
                .bind(org.status.as_str())
                .bind(at)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            async fn reg_update_org(
                tx: &mut sqlx::Transaction<'static, $db>,
                org: &scamguard_core::passport::Organisation,
                at: i64,
            ) -> Result<bool, $crate::StoreError> {
                let r = Self::bind_org(sqlx::query::<$db>(
                    "UPDATE registry_organisations SET legal_name = $2, category = $3, \
                     names_zh_hans = $4, names_zh_hant = $5, names_en = $6, handles = $7, \
                     callback_numbers = $8, domains = $9, updated = $10 WHERE id = $1",
                ), org)
                .bind(at)
                .execute(&mut **tx)
                .await?;
                Ok(r.rows_affected() > 0)
            }

            async fn reg_insert_key(
                tx: &mut sqlx::Transaction<'static, $db>,
                org_id: &str,
                key: &scamguard_core::passport::OrgKey,
                at: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query::<$db>(
                    "INSERT INTO registry_keys (kid, org_id, public_key_pem, not_before, \
                     not_after, revoked, created) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(key.kid.as_str())
                .bind(org_id)
                .bind(key.public_key_pem.as_str())
                .bind(key.not_before)
                .bind(key.not_after)
                .bind(key.revoked.then_some(at))
                .bind(at)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            async fn reg_touch(
                tx: &mut sqlx::Transaction<'static, $db>,
                org_id: &str,
                at: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query::<$db>("UPDATE registry_organisations SET updated = $2 WHERE id = $1")
                    .bind(org_id)
                    .bind(at)
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }

            async fn reg_status(
                tx: &mut sqlx::Transaction<'static, $db>,
                org_id: &str,
            ) -> Result<Option<scamguard_core::passport::OrgStatus>, $crate::StoreError> {
                use sqlx::Row as _;
                let row = sqlx::query::<$db>(
                    "SELECT status FROM registry_organisations WHERE id = $1",
                )
                .bind(org_id)
                .fetch_optional(&mut **tx)
                .await?;
                match row {
                    Some(r) => Ok(Some($crate::registry::parse_status(
                        &r.try_get::<String, _>("status")?,
                    )?)),
                    None => Ok(None),
                }
            }

            async fn reg_load(
                &self,
                id: Option<&str>,
            ) -> Result<Vec<$crate::registry::OrganisationRecord>, $crate::StoreError> {
                use $crate::registry::{parse_list, parse_status};
                use sqlx::Row as _;
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT id, legal_name, category, names_zh_hans, names_zh_hant, names_en, \
                     handles, callback_numbers, domains, status, created, updated \
                     FROM registry_organisations",
                );
                if let Some(id) = id {
                    q.push(" WHERE id = ").push_bind(id);
                }
                q.push(" ORDER BY id");
                let rows = q.build().fetch_all(&self.pool).await?;
                let mut k = sqlx::QueryBuilder::<$db>::new(
                    "SELECT kid, org_id, public_key_pem, not_before, not_after, revoked \
                     FROM registry_keys",
                );
                if let Some(id) = id {
                    k.push(" WHERE org_id = ").push_bind(id);
                }
                k.push(" ORDER BY org_id, created, kid");
                let key_rows = k.build().fetch_all(&self.pool).await?;
                let mut keys: std::collections::HashMap<String, Vec<scamguard_core::passport::OrgKey>> =
                    std::collections::HashMap::new();
                for r in &key_rows {
                    let revoked: Option<i64> = r.try_get("revoked")?;
                    keys.entry(r.try_get("org_id")?)
                        .or_default()
                        .push(scamguard_core::passport::OrgKey {
                            kid: r.try_get("kid")?,
                            public_key_pem: r.try_get("public_key_pem")?,
                            not_before: r.try_get("not_before")?,
                            not_after: r.try_get("not_after")?,
                            revoked: revoked.is_some(),
                        });
                }
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    let text = |col: &str| -> Result<String, $crate::StoreError> {
                        Ok(r.try_get::<String, _>(col)?)
                    };
                    let list = |col: &str| parse_list(col, &text(col)?);
                    let id: String = text("id")?;
                    out.push($crate::registry::OrganisationRecord {
                        organisation: scamguard_core::passport::Organisation {
                            keys: keys.remove(&id).unwrap_or_default(),
                            legal_name: text("legal_name")?,
                            category: text("category")?,
                            names: scamguard_core::passport::Names {
                                zh_hans: list("names_zh_hans")?,
                                zh_hant: list("names_zh_hant")?,
                                en: list("names_en")?,
                            },
                            handles: list("handles")?,
                            callback_numbers: list("callback_numbers")?,
                            domains: list("domains")?,
                            status: parse_status(&text("status")?)?,
                            id,
                        },
                        created: r.try_get("created")?,
                        updated: r.try_get("updated")?,
                    });
                }
                Ok(out)
            }
        }

        #[async_trait::async_trait]
        impl $crate::registry::RegistryStore for $store {
            async fn registry_add(
                &self,
                org: &scamguard_core::passport::Organisation,
                by: $crate::registry::Actor<'_>,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                Self::reg_insert_org(&mut tx, org, by.at).await?;
                for k in &org.keys {
                    Self::reg_insert_key(&mut tx, &org.id, k, by.at).await?;
                }
                Self::reg_audit(
                    &mut tx,
                    by,
                    "add_organisation",
                    Some(&org.id),
                    None,
                    $crate::registry::describe(org),
                )
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn registry_update(
                &self,
                org: &scamguard_core::passport::Organisation,
                by: $crate::registry::Actor<'_>,
            ) -> Result<bool, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                if !Self::reg_update_org(&mut tx, org, by.at).await? {
                    return Ok(false);
                }
                let mut detail = $crate::registry::describe(org);
                if let Some(o) = detail.as_object_mut() {
                    o.remove("status");
                    o.remove("keys");
                }
                Self::reg_audit(&mut tx, by, "update_organisation", Some(&org.id), None, detail)
                    .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn registry_list(
                &self,
            ) -> Result<Vec<$crate::registry::OrganisationRecord>, $crate::StoreError> {
                self.reg_load(None).await
            }

            async fn registry_get(
                &self,
                id: &str,
            ) -> Result<Option<$crate::registry::OrganisationRecord>, $crate::StoreError> {
                Ok(self.reg_load(Some(id)).await?.into_iter().next())
            }

            async fn registry_set_status(
                &self,
                id: &str,
                status: scamguard_core::passport::OrgStatus,
                reason: Option<&str>,
                by: $crate::registry::Actor<'_>,
            ) -> Result<$crate::registry::StatusChange, $crate::StoreError> {
                use $crate::registry::StatusChange;
                let mut tx = self.begin_write().await?;
                let Some(from) = Self::reg_status(&mut tx, id).await? else {
                    return Ok(StatusChange::NotFound);
                };
                if !from.may_become(status) {
                    return Ok(StatusChange::Refused);
                }
                if from == status {
                    return Ok(StatusChange::Unchanged);
                }
                sqlx::query::<$db>(
                    "UPDATE registry_organisations SET status = $2, updated = $3 WHERE id = $1",
                )
                .bind(id)
                .bind(status.as_str())
                .bind(by.at)
                .execute(&mut *tx)
                .await?;
                Self::reg_audit(
                    &mut tx,
                    by,
                    "set_status",
                    Some(id),
                    None,
                    serde_json::json!({"from": from.as_str(), "to": status.as_str(), "reason": reason}),
                )
                .await?;
                tx.commit().await?;
                Ok(StatusChange::Changed { from })
            }

            async fn registry_add_key(
                &self,
                org_id: &str,
                key: &scamguard_core::passport::OrgKey,
                by: $crate::registry::Actor<'_>,
            ) -> Result<bool, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                if Self::reg_status(&mut tx, org_id).await?.is_none() {
                    return Ok(false);
                }
                Self::reg_insert_key(&mut tx, org_id, key, by.at).await?;
                Self::reg_touch(&mut tx, org_id, by.at).await?;
                Self::reg_audit(
                    &mut tx,
                    by,
                    "add_key",
                    Some(org_id),
                    Some(&key.kid),
                    serde_json::json!({"not_before": key.not_before, "not_after": key.not_after}),
                )
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn registry_revoke_key(
                &self,
                kid: &str,
                by: $crate::registry::Actor<'_>,
            ) -> Result<$crate::registry::KeyRevocation, $crate::StoreError> {
                use sqlx::Row as _;
                use $crate::registry::KeyRevocation;
                let mut tx = self.begin_write().await?;
                let row = sqlx::query::<$db>(
                    "SELECT org_id, revoked FROM registry_keys WHERE kid = $1",
                )
                .bind(kid)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else {
                    return Ok(KeyRevocation::NotFound);
                };
                let org_id: String = row.try_get("org_id")?;
                if row.try_get::<Option<i64>, _>("revoked")?.is_some() {
                    return Ok(KeyRevocation::AlreadyRevoked);
                }
                sqlx::query::<$db>("UPDATE registry_keys SET revoked = $2 WHERE kid = $1")
                    .bind(kid)
                    .bind(by.at)
                    .execute(&mut *tx)
                    .await?;
                Self::reg_touch(&mut tx, &org_id, by.at).await?;
                Self::reg_audit(
                    &mut tx,
                    by,
                    "revoke_key",
                    Some(&org_id),
                    Some(kid),
                    serde_json::json!({}),
                )
                .await?;
                tx.commit().await?;
                Ok(KeyRevocation::Revoked { org_id })
            }

            async fn registry_import(
                &self,
                orgs: &[scamguard_core::passport::Organisation],
                source: &str,
                by: $crate::registry::Actor<'_>,
            ) -> Result<$crate::registry::ImportSummary, $crate::StoreError> {
                use sqlx::Row as _;
                use scamguard_core::passport::OrgStatus;
                let mut summary = $crate::registry::ImportSummary::default();
                let mut tx = self.begin_write().await?;
                for org in orgs {
                    let mut detail = $crate::registry::describe(org);
                    detail["source"] = serde_json::Value::from(source);
                    match Self::reg_status(&mut tx, &org.id).await? {
                        None => {
                            Self::reg_insert_org(&mut tx, org, by.at).await?;
                            Self::reg_audit(&mut tx, by, "import_add", Some(&org.id), None, detail)
                                .await?;
                            summary.added.push(org.id.clone());
                        }
                        Some(current) => {
                            Self::reg_update_org(&mut tx, org, by.at).await?;
                            let status = if current.may_become(org.status) {
                                org.status
                            } else {
                                OrgStatus::Revoked
                            };
                            sqlx::query::<$db>(
                                "UPDATE registry_organisations SET status = $2 WHERE id = $1",
                            )
                            .bind(org.id.as_str())
                            .bind(status.as_str())
                            .execute(&mut *tx)
                            .await?;
                            detail["status"] = serde_json::Value::from(status.as_str());
                            Self::reg_audit(
                                &mut tx,
                                by,
                                "import_update",
                                Some(&org.id),
                                None,
                                detail,
                            )
                            .await?;
                            summary.updated.push(org.id.clone());
                        }
                    }
                    for key in &org.keys {
                        let row = sqlx::query::<$db>(
                            "SELECT org_id, public_key_pem, revoked FROM registry_keys WHERE kid = $1",
                        )
                        .bind(key.kid.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                        match row {
                            None => {
                                Self::reg_insert_key(&mut tx, &org.id, key, by.at).await?;
                                summary.keys_added += 1;
                            }
                            Some(row) => {
                                let owner: String = row.try_get("org_id")?;
                                let pem: String = row.try_get("public_key_pem")?;
                                if owner != org.id {
                                    return Err($crate::StoreError::Conflict(format!(
                                        "key {:?} of organisation {:?} belongs to organisation {owner:?} here",
                                        key.kid, org.id
                                    )));
                                }
                                if !$crate::registry::same_key(&pem, &key.public_key_pem) {
                                    return Err($crate::StoreError::Conflict(format!(
                                        "key {:?} of organisation {:?} is enrolled here with a different public key",
                                        key.kid, org.id
                                    )));
                                }
                                let was_revoked =
                                    row.try_get::<Option<i64>, _>("revoked")?.is_some();
                                let revoke = key.revoked && !was_revoked;
                                sqlx::query::<$db>(
                                    "UPDATE registry_keys SET not_before = $2, not_after = $3, \
                                     revoked = COALESCE(revoked, $4) WHERE kid = $1",
                                )
                                .bind(key.kid.as_str())
                                .bind(key.not_before)
                                .bind(key.not_after)
                                .bind(revoke.then_some(by.at))
                                .execute(&mut *tx)
                                .await?;
                                summary.keys_revoked += usize::from(revoke);
                            }
                        }
                    }
                }
                tx.commit().await?;
                Ok(summary)
            }

            async fn registry_audit(
                &self,
                org_id: Option<&str>,
                limit: i64,
            ) -> Result<Vec<$crate::registry::RegistryAuditRecord>, $crate::StoreError> {
                use sqlx::Row as _;
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT id, at, who, action, org_id, kid, detail FROM registry_audit",
                );
                if let Some(id) = org_id {
                    q.push(" WHERE org_id = ").push_bind(id);
                }
                q.push(" ORDER BY id DESC LIMIT ").push_bind(limit.max(0));
                let rows = q.build().fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|r| {
                        let detail: String = r.try_get("detail")?;
                        Ok($crate::registry::RegistryAuditRecord {
                            id: r.try_get("id")?,
                            at: r.try_get("at")?,
                            who: r.try_get("who")?,
                            action: r.try_get("action")?,
                            org_id: r.try_get("org_id")?,
                            kid: r.try_get("kid")?,
                            detail: serde_json::from_str(&detail).map_err(|e| {
                                $crate::StoreError::Corrupt(format!("registry_audit.detail: {e}"))
                            })?,
                        })
                    })
                    .collect()
            }

            async fn registry_revision(&self) -> Result<i64, $crate::StoreError> {
                use sqlx::Row as _;
                let row = sqlx::query::<$db>(
                    "SELECT COALESCE(MAX(id), 0) AS v FROM registry_audit",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(row.try_get("v")?)
            }
        }
    };
}

registry_store!(crate::SqliteStore, sqlx::Sqlite);
registry_store!(crate::PgStore, sqlx::Postgres);

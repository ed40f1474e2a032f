//! Logins to the analyst console: one row per login, found by the SHA-256 of the random id
//! the browser holds in its cookie.
//!
//! The cookie carries only that random id, never an API key; the row names the admin key
//! that logged in, so revoking the key ends its logins at once (a lookup joins the key and
//! ignores revoked ones). Only the hash is stored, so a copy of the database cannot be
//! turned back into a working cookie. A logout deletes the row; expired rows are deleted by
//! retention ([`crate::retention`]).
//!
//! [`ConsoleStore`] is a supertrait of [`crate::Store`]; its SQL is the same on both backends.

use crate::{Scope, StoreError};
use async_trait::async_trait;

/// A console login as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleLogin {
    /// SHA-256 of the cookie's random id, hex.
    pub id_hash: String,
    /// The admin API key that logged in (its id, never the key).
    pub key_id: String,
    /// When (Unix ms).
    pub created: i64,
    /// When it stops working (Unix ms).
    pub expires: i64,
}

/// Who a live login belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleCaller {
    /// The API key's id.
    pub key_id: String,
    /// The key's scopes now.
    pub scopes: Vec<Scope>,
    /// When the login expires (Unix ms).
    pub expires: i64,
}

/// Console logins.
#[async_trait]
pub trait ConsoleStore {
    /// Records a new login. Its `id_hash` must be new.
    async fn console_login_insert(&self, login: &ConsoleLogin) -> Result<(), StoreError>;

    /// The key behind the login whose id hashes to `id_hash`, when that login has not
    /// expired at `now` and its key is not revoked.
    async fn console_login(
        &self,
        id_hash: &str,
        now: i64,
    ) -> Result<Option<ConsoleCaller>, StoreError>;

    /// Ends the login whose id hashes to `id_hash`; false when there was none.
    async fn console_logout(&self, id_hash: &str) -> Result<bool, StoreError>;
}

/// Implements [`ConsoleStore`] for `$store`, whose field `pool` is a `sqlx::Pool<$db>`.
macro_rules! console_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::console::ConsoleStore for $store {
            async fn console_login_insert(
                &self,
                login: &$crate::console::ConsoleLogin,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query::<$db>(
                    "INSERT INTO console_logins (id_hash, key_id, created, expires) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(login.id_hash.as_str())
                .bind(login.key_id.as_str())
                .bind(login.created)
                .bind(login.expires)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn console_login(
                &self,
                id_hash: &str,
                now: i64,
            ) -> Result<Option<$crate::console::ConsoleCaller>, $crate::StoreError> {
                use sqlx::Row as _;
                let row = sqlx::query::<$db>(
                    "SELECT c.key_id, c.expires, k.scopes FROM console_logins c \
                     JOIN api_keys k ON k.id = c.key_id \
                     WHERE c.id_hash = $1 AND c.expires > $2 AND k.revoked IS NULL",
                )
                .bind(id_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
                let Some(row) = row else { return Ok(None) };
                let scopes: String = row.try_get("scopes")?;
                Ok(Some($crate::console::ConsoleCaller {
                    key_id: row.try_get("key_id")?,
                    expires: row.try_get("expires")?,
                    // An unknown scope grants nothing; it cannot make a login fail.
                    scopes: scopes.split(',').filter_map($crate::Scope::parse).collect(),
                }))
            }

            async fn console_logout(&self, id_hash: &str) -> Result<bool, $crate::StoreError> {
                let r = sqlx::query::<$db>("DELETE FROM console_logins WHERE id_hash = $1")
                    .bind(id_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(r.rows_affected() > 0)
            }
        }
    };
}

console_store!(crate::SqliteStore, sqlx::Sqlite);
console_store!(crate::PgStore, sqlx::Postgres);

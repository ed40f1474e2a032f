//! The bank's side: which sessions a user is on, the audit of every risk lookup, and the
//! guardians users named.
//!
//! [`RiskStore`] is a supertrait of [`crate::Store`], so every store has it; its SQL is the
//! same on both backends (the `risk_store!` macro below). A user is known here only by the
//! keyed hash of their handle ([`crate::HandleHasher`]), as a caller is.

use crate::{SessionRecord, StoreError};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// Most sessions of one user a lookup considers: more than anyone is on at once.
pub const USER_SESSIONS_MAX: i64 = 20;

/// An open session of a user, with the times of its call.
#[derive(Debug, Clone, PartialEq)]
pub struct UserSession {
    /// The session as of its last committed event.
    pub session: SessionRecord,
    /// When its call was offered (its first `call_offer` event), Unix ms.
    pub call_started: Option<i64>,
    /// When its call ended (its last `call_ended` event), Unix ms.
    pub call_ended: Option<i64>,
}

/// One risk lookup and what it answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskLookupRecord {
    /// Assigned by the database; ignored on insert.
    pub id: i64,
    /// When (Unix ms).
    pub at: i64,
    /// The bank's API key id (the assertion's `aud`).
    pub key_id: String,
    /// Keyed hash of the user's handle.
    pub user_hash: String,
    /// The assertion's `jti`.
    pub jti: String,
    /// The session the answer was about, if any counted.
    pub session_id: Option<String>,
    /// Whether it said a call is on.
    pub active: bool,
    /// The action it reported.
    pub action: String,
    /// The assertion's `risk` object as JSON.
    pub risk: String,
}

/// Which risk lookups to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RiskLookupQuery {
    /// Only those about this session.
    pub session_id: Option<String>,
    /// Only those about this user.
    pub user_hash: Option<String>,
    /// At most this many, newest first.
    pub limit: i64,
}

/// A guardian a user named: a relative the platform notifies when a session of the user
/// blocks at a dangerous moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuardianRecord {
    /// Random id, given to the platform and carried by every alert.
    pub id: String,
    /// Keyed hash of the user's handle.
    pub user_hash: String,
    /// Keyed hash of the guardian's handle: the platform, which knows its own users, finds
    /// the guardian by it (or by the id it was given).
    pub guardian_hash: String,
    /// The platform key that registered it.
    pub key_id: String,
    /// When (Unix ms).
    pub created: i64,
    /// When it was withdrawn (Unix ms).
    pub revoked: Option<i64>,
}

/// Persistence for risk lookups and guardians.
#[async_trait]
pub trait RiskStore {
    /// The user's sessions that have not expired at `now` (an ended call's session is
    /// included, for its grace period), newest first, at most [`USER_SESSIONS_MAX`], each with
    /// its call's times.
    async fn user_sessions(
        &self,
        user_hash: &str,
        now: i64,
    ) -> Result<Vec<UserSession>, StoreError>;

    /// The keyed hash of a session's user (its opening's `to.handle`), if it named one.
    async fn session_user(&self, session_id: &str) -> Result<Option<String>, StoreError>;

    /// Records a lookup.
    async fn record_risk_lookup(&self, lookup: &RiskLookupRecord) -> Result<(), StoreError>;

    /// Lookups matching `query`, newest first.
    async fn risk_lookups(
        &self,
        query: &RiskLookupQuery,
    ) -> Result<Vec<RiskLookupRecord>, StoreError>;

    /// Stores a guardian; its id must be new.
    async fn add_guardian(&self, guardian: &GuardianRecord) -> Result<(), StoreError>;

    /// The user's guardians that are not withdrawn, oldest first.
    async fn guardians(&self, user_hash: &str) -> Result<Vec<GuardianRecord>, StoreError>;

    /// One guardian by id, withdrawn or not.
    async fn guardian(&self, id: &str) -> Result<Option<GuardianRecord>, StoreError>;

    /// Withdraws a guardian at `at`; false when no guardian with that id is in force.
    async fn withdraw_guardian(&self, id: &str, at: i64) -> Result<bool, StoreError>;
}

/// Implements [`RiskStore`] for `$store`, whose field `pool` is a `sqlx::Pool<$db>`.
macro_rules! risk_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::risk::RiskStore for $store {
            async fn user_sessions(
                &self,
                user_hash: &str,
                now: i64,
            ) -> Result<Vec<$crate::risk::UserSession>, $crate::StoreError> {
                use sqlx::Row as _;
                self.settled().await?;
                let ids = sqlx::query::<$db>(
                    "SELECT id FROM sessions WHERE user_hash = $1 \
                     AND (expires > $2 OR EXISTS (SELECT 1 FROM events e \
                     WHERE e.session_id = sessions.id AND e.session_expires > $2)) \
                     ORDER BY created DESC LIMIT $3",
                )
                .bind(user_hash)
                .bind(now)
                .bind($crate::risk::USER_SESSIONS_MAX)
                .fetch_all(&self.pool)
                .await?;
                let mut out = Vec::with_capacity(ids.len());
                for row in &ids {
                    let id: String = row.try_get("id")?;
                    let Some(session) = $crate::Store::session(self, &id).await? else {
                        continue;
                    };
                    let times = sqlx::query::<$db>(
                        "SELECT type, MIN(at) AS first, MAX(at) AS last FROM events \
                         WHERE session_id = $1 AND type IN ('call_offer', 'call_ended') \
                         GROUP BY type",
                    )
                    .bind(&id)
                    .fetch_all(&self.pool)
                    .await?;
                    let mut started = None;
                    let mut ended = None;
                    for t in &times {
                        let kind: String = t.try_get("type")?;
                        if kind == "call_offer" {
                            started = t.try_get::<Option<i64>, _>("first")?;
                        } else {
                            ended = t.try_get::<Option<i64>, _>("last")?;
                        }
                    }
                    out.push($crate::risk::UserSession {
                        session,
                        call_started: started,
                        call_ended: ended,
                    });
                }
                Ok(out)
            }

            async fn session_user(
                &self,
                session_id: &str,
            ) -> Result<Option<String>, $crate::StoreError> {
                use sqlx::Row as _;
                self.settled().await?;
                let row = sqlx::query::<$db>("SELECT user_hash FROM sessions WHERE id = $1")
                    .bind(session_id)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(match row {
                    Some(r) => r.try_get::<Option<String>, _>("user_hash")?,
                    None => None,
                })
            }

            async fn record_risk_lookup(
                &self,
                l: &$crate::risk::RiskLookupRecord,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query::<$db>(
                    "INSERT INTO risk_lookups (at, key_id, user_hash, jti, session_id, active, \
                     action, risk) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(l.at)
                .bind(l.key_id.as_str())
                .bind(l.user_hash.as_str())
                .bind(l.jti.as_str())
                .bind(l.session_id.as_deref())
                .bind(i64::from(l.active))
                .bind(l.action.as_str())
                .bind(l.risk.as_str())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn risk_lookups(
                &self,
                query: &$crate::risk::RiskLookupQuery,
            ) -> Result<Vec<$crate::risk::RiskLookupRecord>, $crate::StoreError> {
                use sqlx::Row as _;
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT id, at, key_id, user_hash, jti, session_id, active, action, risk \
                     FROM risk_lookups WHERE 1 = 1",
                );
                if let Some(s) = &query.session_id {
                    q.push(" AND session_id = ").push_bind(s.as_str());
                }
                if let Some(u) = &query.user_hash {
                    q.push(" AND user_hash = ").push_bind(u.as_str());
                }
                q.push(" ORDER BY at DESC, id DESC LIMIT ")
                    .push_bind(query.limit.max(0));
                let rows = q.build().fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|r| {
                        Ok($crate::risk::RiskLookupRecord {
                            id: r.try_get("id")?,
                            at: r.try_get("at")?,
                            key_id: r.try_get("key_id")?,
                            user_hash: r.try_get("user_hash")?,
                            jti: r.try_get("jti")?,
                            session_id: r.try_get("session_id")?,
                            active: r.try_get::<i64, _>("active")? != 0,
                            action: r.try_get("action")?,
                            risk: r.try_get("risk")?,
                        })
                    })
                    .collect()
            }

            async fn add_guardian(
                &self,
                g: &$crate::risk::GuardianRecord,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query::<$db>(
                    "INSERT INTO guardians (id, user_hash, guardian_hash, key_id, created, \
                     revoked) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(g.id.as_str())
                .bind(g.user_hash.as_str())
                .bind(g.guardian_hash.as_str())
                .bind(g.key_id.as_str())
                .bind(g.created)
                .bind(g.revoked)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn guardians(
                &self,
                user_hash: &str,
            ) -> Result<Vec<$crate::risk::GuardianRecord>, $crate::StoreError> {
                use sqlx::Row as _;
                let rows = sqlx::query::<$db>(
                    "SELECT id, user_hash, guardian_hash, key_id, created, revoked \
                     FROM guardians WHERE user_hash = $1 AND revoked IS NULL \
                     ORDER BY created, id",
                )
                .bind(user_hash)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(|r| guardian_row!(r)).collect()
            }

            async fn guardian(
                &self,
                id: &str,
            ) -> Result<Option<$crate::risk::GuardianRecord>, $crate::StoreError> {
                use sqlx::Row as _;
                let row = sqlx::query::<$db>(
                    "SELECT id, user_hash, guardian_hash, key_id, created, revoked \
                     FROM guardians WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                row.as_ref().map(|r| guardian_row!(r)).transpose()
            }

            async fn withdraw_guardian(
                &self,
                id: &str,
                at: i64,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query::<$db>(
                    "UPDATE guardians SET revoked = $2 WHERE id = $1 AND revoked IS NULL",
                )
                .bind(id)
                .bind(at)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

/// A guardian from its row (`r`), on either backend.
macro_rules! guardian_row {
    ($r:expr) => {{
        let r = $r;
        Ok::<_, $crate::StoreError>($crate::risk::GuardianRecord {
            id: r.try_get("id")?,
            user_hash: r.try_get("user_hash")?,
            guardian_hash: r.try_get("guardian_hash")?,
            key_id: r.try_get("key_id")?,
            created: r.try_get("created")?,
            revoked: r.try_get("revoked")?,
        })
    }};
}

risk_store!(crate::SqliteStore, sqlx::Sqlite);
risk_store!(crate::PgStore, sqlx::Postgres);

//! The webhook outbox: notifications waiting for the operator's receiver, kept in the
//! service's own database so that a restart loses none.
//!
//! A row is written by [`WebhookStore::enqueue_webhook`] and sent by the server's sender task,
//! which claims due rows with a lease ([`WebhookStore::claim_webhooks`]): one `UPDATE` that
//! takes only rows whose lease has expired, so that several nodes sharing a PostgreSQL
//! database never hold one row at the same time (PostgreSQL re-checks the lease condition on
//! a row another transaction just claimed; SQLite runs one writer at a time). The sender then
//! marks the row delivered, schedules another attempt, or gives up; each of those only
//! applies while the sender still holds its lease. The SQL is the same on both backends (the
//! `webhook_store!` macro below).

use crate::StoreError;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// One notification in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxRow {
    /// Random id, sent with every attempt so that the receiver can drop repeats.
    pub id: String,
    /// What it is about (`guardian_alert`, `campaign_warning`, …).
    pub kind: String,
    /// The notification's data as JSON: no message text, no handle.
    pub payload: String,
    /// When it was enqueued (Unix ms).
    pub created: i64,
    /// Attempts made so far, counting the one a claim starts.
    pub attempts: i64,
}

/// A claim of due rows for one sender.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim<'a> {
    /// The sender's id: only it may settle the rows it claims.
    pub owner: &'a str,
    /// Now (Unix ms): rows due by then, whose lease has expired, are taken.
    pub now: i64,
    /// When the lease ends (Unix ms); past it another sender may take the row.
    pub lease_until: i64,
    /// Most rows taken.
    pub limit: i64,
}

/// How many rows the outbox holds, by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutboxCounts {
    /// Waiting to be sent or retried.
    pub pending: u64,
    /// Accepted by the receiver.
    pub delivered: u64,
    /// Given up after the maximum age.
    pub failed: u64,
}

/// Persistence for the webhook outbox.
#[async_trait]
pub trait WebhookStore {
    /// Adds a notification due at once; its id must be new.
    async fn enqueue_webhook(
        &self,
        id: &str,
        kind: &str,
        payload: &str,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Takes up to `claim.limit` pending rows that are due and not held by a live lease,
    /// oldest due first, leasing them to `claim.owner` and counting an attempt for each.
    async fn claim_webhooks(&self, claim: &Claim<'_>) -> Result<Vec<OutboxRow>, StoreError>;

    /// Marks a row delivered at `at`; false when `owner` no longer holds it.
    async fn webhook_delivered(&self, id: &str, owner: &str, at: i64) -> Result<bool, StoreError>;

    /// Frees a row for another attempt at `next_attempt`, noting why this one failed; false
    /// when `owner` no longer holds it.
    async fn webhook_retry(
        &self,
        id: &str,
        owner: &str,
        next_attempt: i64,
        error: &str,
    ) -> Result<bool, StoreError>;

    /// Gives up on a row at `at`, noting why; false when `owner` no longer holds it.
    async fn webhook_failed(
        &self,
        id: &str,
        owner: &str,
        at: i64,
        error: &str,
    ) -> Result<bool, StoreError>;

    /// How many rows there are, by status.
    async fn webhook_counts(&self) -> Result<OutboxCounts, StoreError>;

    /// Deletes delivered and failed rows finished before `before` (Unix ms); returns how many.
    async fn forget_webhooks(&self, before: i64) -> Result<u64, StoreError>;
}

/// Releases a lease for a later attempt: `$3` when, `$4` why the last one failed.
const RETRY_LATER: &str = "UPDATE webhook_outbox SET next_attempt = $3, last_error = $4, \
     lease_owner = NULL, lease_until = 0 \
     WHERE id = $1 AND lease_owner = $2 AND status = 'pending'";

/// Marks a delivery failed for good: `$3` when, `$4` why.
const GIVE_UP: &str = "UPDATE webhook_outbox SET status = 'failed', finished = $3, \
     last_error = $4, lease_owner = NULL, lease_until = 0 \
     WHERE id = $1 AND lease_owner = $2 AND status = 'pending'";

/// Implements [`WebhookStore`] for `$store`, whose field `pool` is a `sqlx::Pool<$db>`.
macro_rules! webhook_store {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Gives up `owner`'s lease on delivery `id` with `error`, by `sql` (which binds
            /// `$1` id, `$2` owner, `$3` a time, `$4` the error); false when the lease was lost.
            async fn webhook_release(
                &self,
                sql: &'static str,
                id: &str,
                owner: &str,
                time: i64,
                error: &str,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query::<$db>(sql)
                    .bind(id)
                    .bind(owner)
                    .bind(time)
                    .bind(error)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }
        }

        #[async_trait::async_trait]
        impl $crate::webhook::WebhookStore for $store {
            async fn enqueue_webhook(
                &self,
                id: &str,
                kind: &str,
                payload: &str,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query::<$db>(
                    "INSERT INTO webhook_outbox (id, kind, payload, created, next_attempt) \
                     VALUES ($1, $2, $3, $4, $4)",
                )
                .bind(id)
                .bind(kind)
                .bind(payload)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn claim_webhooks(
                &self,
                c: &$crate::webhook::Claim<'_>,
            ) -> Result<Vec<$crate::webhook::OutboxRow>, $crate::StoreError> {
                use sqlx::Row as _;
                // A read first: an idle outbox then costs no write lock, which on SQLite
                // would queue behind the journal's large transactions every poll.
                let due = sqlx::query::<$db>(
                    "SELECT id FROM webhook_outbox WHERE status = 'pending' \
                     AND next_attempt <= $1 AND lease_until <= $1 LIMIT 1",
                )
                .bind(c.now)
                .fetch_optional(&self.pool)
                .await?;
                if due.is_none() {
                    return Ok(Vec::new());
                }
                // The lease condition is repeated outside the sub-select: on PostgreSQL a row
                // claimed by a concurrent sender is re-checked against it after that sender
                // commits, and skipped.
                let rows = sqlx::query::<$db>(
                    "UPDATE webhook_outbox SET lease_owner = $1, lease_until = $2, \
                     attempts = attempts + 1 \
                     WHERE id IN (SELECT id FROM webhook_outbox WHERE status = 'pending' \
                     AND next_attempt <= $3 AND lease_until <= $3 \
                     ORDER BY next_attempt, id LIMIT $4) \
                     AND status = 'pending' AND lease_until <= $3 \
                     RETURNING id, kind, payload, created, attempts",
                )
                .bind(c.owner)
                .bind(c.lease_until)
                .bind(c.now)
                .bind(c.limit.max(0))
                .fetch_all(&self.pool)
                .await?;
                let mut out = rows
                    .iter()
                    .map(|r| {
                        Ok($crate::webhook::OutboxRow {
                            id: r.try_get("id")?,
                            kind: r.try_get("kind")?,
                            payload: r.try_get("payload")?,
                            created: r.try_get("created")?,
                            attempts: r.try_get("attempts")?,
                        })
                    })
                    .collect::<Result<Vec<_>, $crate::StoreError>>()?;
                // RETURNING keeps no order.
                out.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
                Ok(out)
            }

            async fn webhook_delivered(
                &self,
                id: &str,
                owner: &str,
                at: i64,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query::<$db>(
                    "UPDATE webhook_outbox SET status = 'delivered', finished = $3, \
                     lease_owner = NULL, lease_until = 0, last_error = NULL \
                     WHERE id = $1 AND lease_owner = $2 AND status = 'pending'",
                )
                .bind(id)
                .bind(owner)
                .bind(at)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn webhook_retry(
                &self,
                id: &str,
                owner: &str,
                next_attempt: i64,
                error: &str,
            ) -> Result<bool, $crate::StoreError> {
                let sql = $crate::webhook::RETRY_LATER;
                self.webhook_release(sql, id, owner, next_attempt, error)
                    .await
            }

            async fn webhook_failed(
                &self,
                id: &str,
                owner: &str,
                at: i64,
                error: &str,
            ) -> Result<bool, $crate::StoreError> {
                let sql = $crate::webhook::GIVE_UP;
                self.webhook_release(sql, id, owner, at, error).await
            }

            async fn webhook_counts(
                &self,
            ) -> Result<$crate::webhook::OutboxCounts, $crate::StoreError> {
                use sqlx::Row as _;
                let rows = sqlx::query::<$db>(
                    "SELECT status, COUNT(*) AS n FROM webhook_outbox GROUP BY status",
                )
                .fetch_all(&self.pool)
                .await?;
                let mut counts = $crate::webhook::OutboxCounts::default();
                for r in &rows {
                    let status: String = r.try_get("status")?;
                    let n = u64::try_from(r.try_get::<i64, _>("n")?).unwrap_or(0);
                    match status.as_str() {
                        "pending" => counts.pending = n,
                        "delivered" => counts.delivered = n,
                        _ => counts.failed += n,
                    }
                }
                Ok(counts)
            }

            async fn forget_webhooks(&self, before: i64) -> Result<u64, $crate::StoreError> {
                let done = sqlx::query::<$db>(
                    "DELETE FROM webhook_outbox WHERE status <> 'pending' AND finished < $1",
                )
                .bind(before)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected())
            }
        }
    };
}

webhook_store!(crate::SqliteStore, sqlx::Sqlite);
webhook_store!(crate::PgStore, sqlx::Postgres);

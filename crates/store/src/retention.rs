//! How long the store keeps things, and the deletion of what is older.
//!
//! [`Retention`] holds one period per kind of record that people's data ends up in; the
//! server's housekeeping calls [`prune`] with a small budget on every sweep, and
//! `scamguard prune` calls it with none. Deletion goes in batches of [`BATCH`], each its own
//! short transaction, so that a large backlog never holds the write lock for long.
//!
//! What counts as old, per kind ([`Prune`]):
//! - a session, with its events, once it is closed and its expiry (its last event plus the
//!   idle time) is older than the period: an open session is never removed;
//! - an audit record (a scan's verdict, a bank's risk lookup) by its time;
//! - a console login once it expires, whatever the periods.
//!
//! Reports get their own period, [`Retention::reports`], counted from when they were filed,
//! and go with the note and message text they carry. Campaigns, their indicators and
//! analysts' decisions stay: they hold no one's words, and they are what the next victim
//! is protected by.
//! The registry's change history is never pruned: it is small, and its newest id is how
//! nodes notice registry changes. Used identity tokens are forgotten by the store as they
//! expire, by their own rule.

use crate::StoreError;
use async_trait::async_trait;
use serde::Serialize;
use std::time::Duration;

/// Records deleted per transaction; sessions go a fifth as many at a time, since their
/// events go with them.
pub const BATCH: u32 = 500;

/// How long each kind of record is kept; `None` keeps it for ever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Sessions and their events, counted from the session's expiry.
    pub sessions: Option<Duration>,
    /// Audit records: scans' verdicts and banks' risk lookups.
    pub audit: Option<Duration>,
    /// Reports of scam calls and messages.
    pub reports: Option<Duration>,
}

impl Default for Retention {
    /// Sessions and events 90 days, audit records and reports 365 days.
    fn default() -> Self {
        const DAY: u64 = 86_400;
        Retention {
            sessions: Some(Duration::from_secs(90 * DAY)),
            audit: Some(Duration::from_secs(365 * DAY)),
            reports: Some(Duration::from_secs(365 * DAY)),
        }
    }
}

impl Retention {
    /// The same period for every kind: what `scamguard prune --older-than` asks for.
    pub fn all(period: Duration) -> Retention {
        Retention {
            sessions: Some(period),
            audit: Some(period),
            reports: Some(period),
        }
    }

    /// Records of `what` ending before this time (Unix ms) are removed at `now`; `None` when
    /// `what` is kept for ever.
    pub fn cutoff(&self, what: Prune, now: i64) -> Option<i64> {
        let period = match what {
            Prune::Sessions => self.sessions,
            Prune::Audit => self.audit,
            Prune::Reports => self.reports,
            Prune::ConsoleLogins => Some(Duration::ZERO),
        }?;
        let ms = i64::try_from(period.as_millis()).unwrap_or(i64::MAX);
        Some(now.saturating_sub(ms))
    }
}

/// A retention period as people type it: a duration (`90d`, `12h`, `0s`), or `forever`.
pub fn parse_period(text: &str) -> Result<Option<Duration>, String> {
    match text.trim() {
        "forever" => Ok(None),
        t => crate::parse_duration(t)
            .map(Some)
            .map_err(|e| format!("{e}, or forever")),
    }
}

/// A kind of record that is removed when old.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prune {
    /// Closed sessions and their events.
    Sessions,
    /// Audit records: scans' verdicts and banks' risk lookups.
    Audit,
    /// Reports of scam calls and messages, by when they were filed.
    Reports,
    /// Expired console logins.
    ConsoleLogins,
}

impl Prune {
    /// How many are deleted per transaction.
    pub fn batch(self) -> u32 {
        match self {
            Prune::Sessions => BATCH / 5,
            _ => BATCH,
        }
    }

    /// For the kinds removed by age alone: the statements deleting the oldest `$2` rows older
    /// than `$1`, each in the same transaction. Sessions, which take their events along, have
    /// none.
    fn oldest_first_deletes(self) -> &'static [&'static str] {
        match self {
            Prune::Sessions => &[],
            Prune::Audit => &[
                "DELETE FROM audit WHERE id IN \
                 (SELECT id FROM audit WHERE at < $1 ORDER BY at LIMIT $2)",
                "DELETE FROM risk_lookups WHERE id IN \
                 (SELECT id FROM risk_lookups WHERE at < $1 ORDER BY at LIMIT $2)",
            ],
            Prune::Reports => &["DELETE FROM reports WHERE id IN \
                 (SELECT id FROM reports WHERE created < $1 ORDER BY created LIMIT $2)"],
            Prune::ConsoleLogins => &["DELETE FROM console_logins WHERE id_hash IN \
                 (SELECT id_hash FROM console_logins WHERE expires < $1 \
                 ORDER BY expires LIMIT $2)"],
        }
    }

    /// Every kind, in the order a pass prunes them.
    pub const ALL: [Prune; 4] = [
        Prune::Sessions,
        Prune::Audit,
        Prune::Reports,
        Prune::ConsoleLogins,
    ];
}

/// What was removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Pruned {
    /// Sessions.
    pub sessions: u64,
    /// Events of those sessions.
    pub events: u64,
    /// Audit records (risk lookups included).
    pub audit: u64,
    /// Reports.
    pub reports: u64,
    /// Console logins.
    pub console_logins: u64,
}

impl Pruned {
    /// Adds `other`'s counts.
    pub fn add(&mut self, other: Pruned) {
        self.sessions += other.sessions;
        self.events += other.events;
        self.audit += other.audit;
        self.reports += other.reports;
        self.console_logins += other.console_logins;
    }

    /// Records removed in all, events included.
    pub fn total(&self) -> u64 {
        self.sessions + self.events + self.audit + self.reports + self.console_logins
    }

    /// `removed` records of `what`, none of any other kind.
    fn only(what: Prune, removed: u64) -> Pruned {
        let mut pruned = Pruned::default();
        *match what {
            Prune::Sessions => &mut pruned.sessions,
            Prune::Audit => &mut pruned.audit,
            Prune::Reports => &mut pruned.reports,
            Prune::ConsoleLogins => &mut pruned.console_logins,
        } = removed;
        pruned
    }

    /// How many of `what` (its main records: sessions without their events).
    fn count(&self, what: Prune) -> u64 {
        match what {
            Prune::Sessions => self.sessions,
            Prune::Audit => self.audit,
            Prune::Reports => self.reports,
            Prune::ConsoleLogins => self.console_logins,
        }
    }
}

/// Deleting old records, one batch at a time.
#[async_trait]
pub trait RetentionStore {
    /// Deletes up to `limit` of the oldest records of `what` that ended before `before`
    /// (Unix ms), with what belongs to them, in one transaction; says what went.
    async fn prune_batch(&self, what: Prune, before: i64, limit: u32)
        -> Result<Pruned, StoreError>;
}

/// Removes what `retention` no longer keeps at `now`, in batches ([`Prune::batch`]): at most
/// `max_batches` per kind (the server's housekeeping keeps each pass short), or until
/// nothing old is left when `None`.
pub async fn prune<S: RetentionStore + ?Sized>(
    store: &S,
    retention: &Retention,
    now: i64,
    max_batches: Option<u32>,
) -> Result<Pruned, StoreError> {
    let mut total = Pruned::default();
    for what in Prune::ALL {
        let Some(before) = retention.cutoff(what, now) else {
            continue;
        };
        let mut batches = 0;
        while max_batches.is_none_or(|m| batches < m) {
            let got = store.prune_batch(what, before, what.batch()).await?;
            batches += 1;
            total.add(got);
            if got.count(what) < u64::from(what.batch()) {
                break;
            }
        }
    }
    Ok(total)
}

/// Implements [`RetentionStore`] for `$store`, whose field `pool` is a `sqlx::Pool<$db>` and
/// which has `begin_write()` and `settled()` (see `sql_store!`).
macro_rules! retention_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::retention::RetentionStore for $store {
            async fn prune_batch(
                &self,
                what: $crate::retention::Prune,
                before: i64,
                limit: u32,
            ) -> Result<$crate::retention::Pruned, $crate::StoreError> {
                use $crate::retention::{Prune, Pruned};
                // Writes acknowledged by the journal but not yet applied could belong to a
                // session about to be deleted: let them land first.
                self.settled().await?;
                let limit = i64::from(limit);
                let mut tx = self.begin_write().await?;
                let pruned = match what {
                    Prune::Sessions => {
                        use sqlx::Row as _;
                        // Closed, expired before the cutoff, and no event kept it open longer.
                        let rows = sqlx::query::<$db>(
                            "SELECT id FROM sessions WHERE closed = 1 AND expires < $1 \
                             AND NOT EXISTS (SELECT 1 FROM events e \
                             WHERE e.session_id = sessions.id AND e.session_expires >= $1) \
                             ORDER BY expires LIMIT $2",
                        )
                        .bind(before)
                        .bind(limit)
                        .fetch_all(&mut *tx)
                        .await?;
                        let ids = rows
                            .iter()
                            .map(|r| r.try_get::<String, _>("id"))
                            .collect::<Result<Vec<_>, _>>()?;
                        if ids.is_empty() {
                            Pruned::default()
                        } else {
                            let delete = |table: &str, column: &str| {
                                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                                    "DELETE FROM {table} WHERE {column} IN ("
                                ));
                                let mut list = q.separated(", ");
                                for id in &ids {
                                    list.push_bind(id.as_str());
                                }
                                q.push(")");
                                q
                            };
                            let events = delete("events", "session_id")
                                .build()
                                .execute(&mut *tx)
                                .await?
                                .rows_affected();
                            let sessions = delete("sessions", "id")
                                .build()
                                .execute(&mut *tx)
                                .await?
                                .rows_affected();
                            Pruned {
                                sessions,
                                events,
                                ..Pruned::default()
                            }
                        }
                    }
                    other => {
                        let mut removed = 0;
                        for &sql in other.oldest_first_deletes() {
                            removed += sqlx::query::<$db>(sql)
                                .bind(before)
                                .bind(limit)
                                .execute(&mut *tx)
                                .await?
                                .rows_affected();
                        }
                        Pruned::only(other, removed)
                    }
                };
                tx.commit().await?;
                Ok(pruned)
            }
        }
    };
}

retention_store!(crate::SqliteStore, sqlx::Sqlite);
retention_store!(crate::PgStore, sqlx::Postgres);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_as_typed() {
        assert_eq!(
            parse_period("90d"),
            Ok(Some(Duration::from_secs(90 * 86_400)))
        );
        assert_eq!(parse_period("0s"), Ok(Some(Duration::ZERO)));
        assert_eq!(parse_period(" forever "), Ok(None));
        assert!(parse_period("for ever").unwrap_err().contains("or forever"));
    }

    #[test]
    fn cutoffs_follow_the_periods() {
        let r = Retention::default();
        let now = 1_000_000_000_000;
        assert_eq!(r.cutoff(Prune::Sessions, now), Some(now - 90 * 86_400_000));
        assert_eq!(r.cutoff(Prune::Audit, now), Some(now - 365 * 86_400_000));
        assert_eq!(r.cutoff(Prune::ConsoleLogins, now), Some(now));
        let forever = Retention {
            sessions: None,
            ..Retention::all(Duration::ZERO)
        };
        assert_eq!(forever.cutoff(Prune::Sessions, now), None);
        assert_eq!(forever.cutoff(Prune::Audit, now), Some(now));
        let huge = Retention::all(Duration::from_secs(u64::MAX));
        assert_eq!(huge.cutoff(Prune::Audit, 5), Some(5 - i64::MAX));
    }
}

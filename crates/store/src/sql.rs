//! The SQL both backends share.
//!
//! sqlx's `query!` macros check against one database type, and writing the code generic over
//! `sqlx::Database` buries it under trait bounds; instead this macro writes the same runtime
//! queries for a concrete database type. The SQL uses only what SQLite and PostgreSQL share:
//! `$n` parameters (or `QueryBuilder`, which numbers them per backend), `ON CONFLICT`, text
//! for JSON and `BIGINT` milliseconds for time.

/// Rows per multi-row `INSERT`, well under both databases' parameter limits.
pub(crate) const CHUNK: usize = 200;

/// Columns of `sessions`, in the order `session_from_row` reads them.
pub(crate) const SESSION_COLUMNS: &str =
    "id, created, updated, expires, channel, locale, handle_hash, state, max_action, closed, owner";

/// A `SELECT` of the columns `event_from_row` reads, from `events`, then `$rest`: a literal,
/// so that the query stays a static string.
macro_rules! select_events {
    ($rest:literal) => {
        concat!(
            "SELECT session_id, seq, event_id, type, at, action, payload, verdict, \
             session_state, session_updated, session_expires FROM events ",
            $rest
        )
    };
}
pub(crate) use select_events;

/// Columns of `audit`.
pub(crate) const AUDIT_COLUMNS: &str =
    "id, at, source, session_id, seq, handle_hash, action, score, rules, signals, reason";

/// Implements [`crate::Store`] for `$store`, whose field `pool` is a `sqlx::Pool<$db>`, and
/// which provides: `write_pool()`, the pool direct commits write through; `commit_writes`,
/// what a commit does (directly, or through the SQLite journal); `settled`, what a read of
/// sessions, events or audit waits for first; `close_writes`, what finishes before the pools
/// close; `journaled()`; and `PACKED`, whether events' large JSON columns are stored packed.
macro_rules! sql_store {
    ($store:ty, $db:ty, $backend:expr, $migrations:expr, $legacy_table_exists:expr) => {
        impl $store {
            /// Applies the migrations not yet recorded as applied. A database from before the
            /// migrator first has its recorded versions marked as applied (see `migrate`).
            async fn migrate(pool: &sqlx::Pool<$db>) -> Result<(), $crate::StoreError> {
                let legacy = $crate::migrate::legacy_versions!(pool, $db, $legacy_table_exists);
                if let Some(version) = legacy {
                    $migrations.skip(pool, Some(version)).await?;
                    tracing::info!(version, "recorded migrations applied before the migrator");
                }
                $migrations.run(pool).await?;
                Ok(())
            }

            fn session_from_row(
                row: &<$db as sqlx::Database>::Row,
            ) -> Result<$crate::SessionRecord, $crate::StoreError> {
                use sqlx::Row as _;
                Ok($crate::SessionRecord {
                    id: row.try_get("id")?,
                    created: row.try_get("created")?,
                    updated: row.try_get("updated")?,
                    expires: row.try_get("expires")?,
                    channel: row.try_get("channel")?,
                    locale: row.try_get("locale")?,
                    handle_hash: row.try_get("handle_hash")?,
                    state: row.try_get("state")?,
                    max_action: row.try_get("max_action")?,
                    closed: row.try_get::<i64, _>("closed")? != 0,
                    owner: row.try_get("owner")?,
                })
            }

            fn event_from_row(
                row: &<$db as sqlx::Database>::Row,
            ) -> Result<$crate::EventRecord, $crate::StoreError> {
                use sqlx::Row as _;
                Ok($crate::EventRecord {
                    session_id: row.try_get("session_id")?,
                    seq: row.try_get("seq")?,
                    event_id: row.try_get("event_id")?,
                    kind: row.try_get("type")?,
                    at: row.try_get("at")?,
                    action: row.try_get("action")?,
                    payload: row.try_get("payload")?,
                    verdict: Self::text_column(row, "verdict")?,
                    progress: Self::progress_from_row(row)?,
                })
            }

            /// Commits `writes` straight to the database, in one transaction.
            async fn commit_direct(&self, writes: &[$crate::Write]) -> Result<(), $crate::StoreError> {
                use $crate::sql::CHUNK;
                if writes.is_empty() {
                    return Ok(());
                }
                let (sessions, events, audit) = Self::rows(writes);
                let statements = sessions.len().div_ceil(CHUNK)
                    + events.len().div_ceil(CHUNK)
                    + audit.len().div_ceil(CHUNK);
                let mut conn = self.write_pool().acquire().await?;
                // A single statement is atomic on its own: the usual batch of events alone
                // then costs one round trip to the database instead of BEGIN, INSERT, COMMIT.
                if statements <= 1 {
                    Self::insert_rows(&mut conn, &sessions, &events, &audit).await?;
                } else {
                    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
                    Self::insert_rows(&mut tx, &sessions, &events, &audit).await?;
                    tx.commit().await?;
                }
                Ok(())
            }

            /// The rows of `writes` per table. A session appears once: ON CONFLICT cannot
            /// touch a row twice in one statement, and the last state written is the one that
            /// counts.
            fn rows(
                writes: &[$crate::Write],
            ) -> (
                Vec<(&$crate::SessionRecord, Option<&str>, Option<&str>)>,
                Vec<&$crate::EventRecord>,
                Vec<&$crate::AuditRecord>,
            ) {
                let mut sessions: Vec<(&$crate::SessionRecord, Option<&str>, Option<&str>)> =
                    Vec::new();
                for s in writes.iter().rev().filter_map(|w| w.session.as_ref()) {
                    if !sessions.iter().any(|(k, _, _)| k.id == s.id) {
                        // The user hash and the owner come with the session's first write only.
                        let first = writes
                            .iter()
                            .filter(|w| w.session.as_ref().is_some_and(|x| x.id == s.id));
                        let user = first.clone().find_map(|w| w.user_hash.as_deref());
                        let owner = first.clone().find_map(|w| w.owner.as_deref());
                        sessions.push((s, user, owner));
                    }
                }
                sessions.reverse();
                let events = writes.iter().flat_map(|w| &w.events).collect();
                let audit = writes.iter().flat_map(|w| &w.audit).collect();
                (sessions, events, audit)
            }

            /// The INSERTs of one commit, on `conn` (a connection or a transaction).
            async fn insert_rows(
                conn: &mut <$db as sqlx::Database>::Connection,
                sessions: &[(&$crate::SessionRecord, Option<&str>, Option<&str>)],
                events: &[&$crate::EventRecord],
                audit: &[&$crate::AuditRecord],
            ) -> Result<(), $crate::StoreError> {
                use $crate::sql::CHUNK;
                for chunk in sessions.chunks(CHUNK) {
                    let mut q = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO sessions (id, created, updated, expires, channel, locale, \
                         handle_hash, state, max_action, closed, user_hash, owner) ",
                    );
                    q.push_values(chunk, |mut b, (s, user, owner)| {
                        b.push_bind(s.id.as_str())
                            .push_bind(s.created)
                            .push_bind(s.updated)
                            .push_bind(s.expires)
                            .push_bind(s.channel.as_str())
                            .push_bind(s.locale.as_str())
                            .push_bind(s.handle_hash.as_str())
                            .push_bind(s.state.as_str())
                            .push_bind(s.max_action.as_str())
                            .push_bind(i64::from(s.closed))
                            .push_bind(*user)
                            .push_bind(*owner);
                    });
                    q.push(
                        " ON CONFLICT (id) DO UPDATE SET updated = excluded.updated, \
                         expires = excluded.expires, state = excluded.state, \
                         max_action = excluded.max_action, closed = excluded.closed, \
                         user_hash = COALESCE(excluded.user_hash, sessions.user_hash), \
                         owner = COALESCE(excluded.owner, sessions.owner)",
                    );
                    q.build().execute(&mut *conn).await?;
                }
                for chunk in events.chunks(CHUNK) {
                    let mut q = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO events (session_id, seq, event_id, type, at, action, payload, \
                         verdict, session_state, session_updated, session_expires) ",
                    );
                    q.push_values(chunk, |mut b, e| {
                        let p = e.progress.as_ref();
                        b.push_bind(e.session_id.as_str())
                            .push_bind(e.seq)
                            .push_bind(e.event_id.as_deref())
                            .push_bind(e.kind.as_str())
                            .push_bind(e.at)
                            .push_bind(e.action.as_str())
                            .push_bind(e.payload.as_str());
                        if Self::PACKED {
                            b.push_bind($crate::packed::pack(&e.verdict))
                                .push_bind(p.map(|p| $crate::packed::pack(&p.state)));
                        } else {
                            b.push_bind(e.verdict.as_str())
                                .push_bind(p.map(|p| p.state.as_str()));
                        }
                        b.push_bind(p.map(|p| p.updated))
                            .push_bind(p.map(|p| p.expires));
                    });
                    q.build().execute(&mut *conn).await?;
                }
                for chunk in audit.chunks(CHUNK) {
                    let mut lists = Vec::with_capacity(chunk.len());
                    for a in chunk {
                        lists.push((
                            serde_json::to_string(&a.rules).unwrap_or_else(|_| "[]".into()),
                            serde_json::to_string(&a.signals).unwrap_or_else(|_| "[]".into()),
                        ));
                    }
                    let mut q = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO audit (at, source, session_id, seq, handle_hash, action, \
                         score, rules, signals, reason) ",
                    );
                    q.push_values(chunk.iter().zip(&lists), |mut b, (a, (rules, signals))| {
                        b.push_bind(a.at)
                            .push_bind(a.source.as_str())
                            .push_bind(a.session_id.as_deref())
                            .push_bind(a.seq)
                            .push_bind(a.handle_hash.as_deref())
                            .push_bind(a.action.as_str())
                            .push_bind(a.score)
                            .push_bind(rules.as_str())
                            .push_bind(signals.as_str())
                            .push_bind(a.reason.as_str());
                    });
                    q.build().execute(&mut *conn).await?;
                }
                Ok(())
            }

            /// Session verdicts that warn or block, from the events that carry them
            /// (see `audit.rs`), newest first.
            async fn session_audit(
                &self,
                query: &$crate::AuditQuery,
            ) -> Result<Vec<$crate::AuditRecord>, $crate::StoreError> {
                use sqlx::Row as _;
                // The predicate repeats the partial index `events_flagged` so that a query by
                // time can use it.
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT e.session_id, e.seq, e.session_updated, e.verdict, s.handle_hash \
                     FROM events e JOIN sessions s ON s.id = e.session_id \
                     WHERE e.action <> 'allow' AND e.session_updated IS NOT NULL",
                );
                Self::push_audit_filters(
                    &mut q,
                    query,
                    ["e.session_id", "s.handle_hash", "e.session_updated"],
                );
                q.push(" ORDER BY e.session_updated DESC, e.seq DESC LIMIT ")
                    .push_bind(query.limit.max(0));
                let rows = q.build().fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|r| {
                        let session_id: String = r.try_get("session_id")?;
                        let handle_hash: String = r.try_get("handle_hash")?;
                        let verdict = Self::text_column(r, "verdict")?;
                        $crate::audit::from_event(
                            &session_id,
                            r.try_get("seq")?,
                            r.try_get("session_updated")?,
                            &handle_hash,
                            &verdict,
                        )
                    })
                    .collect()
            }

            /// Adds an audit query's filters to `q`, naming the columns that hold the session
            /// id, the handle hash and the time.
            fn push_audit_filters(
                q: &mut sqlx::QueryBuilder<$db>,
                query: &$crate::AuditQuery,
                [session, handle, time]: [&str; 3],
            ) {
                if let Some(s) = &query.session_id {
                    q.push(format!(" AND {session} = ")).push_bind(s.as_str());
                }
                if let Some(h) = &query.handle_hash {
                    q.push(format!(" AND {handle} = ")).push_bind(h.as_str());
                }
                if let Some(t) = query.since {
                    q.push(format!(" AND {time} >= ")).push_bind(t);
                }
                if let Some(t) = query.until {
                    q.push(format!(" AND {time} < ")).push_bind(t);
                }
            }

            /// A column of text that [`Self::PACKED`] stores packed (see `packed.rs`).
            fn text_column(
                row: &<$db as sqlx::Database>::Row,
                column: &str,
            ) -> Result<String, $crate::StoreError> {
                Self::optional_text_column(row, column)?.ok_or_else(|| {
                    $crate::StoreError::Corrupt(format!("events.{column} is NULL"))
                })
            }

            /// [`Self::text_column`], for a column that may be NULL.
            fn optional_text_column(
                row: &<$db as sqlx::Database>::Row,
                column: &str,
            ) -> Result<Option<String>, $crate::StoreError> {
                use sqlx::Row as _;
                if !Self::PACKED {
                    return Ok(row.try_get(column)?);
                }
                // Unchecked: a packed value is a BLOB, an older row's value TEXT; both read
                // as bytes.
                let stored: Option<Vec<u8>> = row.try_get_unchecked(column)?;
                stored
                    .map(|b| $crate::packed::unpack(b, &|| format!("events.{column}")))
                    .transpose()
            }

            fn progress_from_row(
                row: &<$db as sqlx::Database>::Row,
            ) -> Result<Option<$crate::SessionProgress>, $crate::StoreError> {
                use sqlx::Row as _;
                let state = Self::optional_text_column(row, "session_state")?;
                let updated: Option<i64> = row.try_get("session_updated")?;
                let expires: Option<i64> = row.try_get("session_expires")?;
                Ok(match (state, updated, expires) {
                    (Some(state), Some(updated), Some(expires)) => {
                        Some($crate::SessionProgress { state, updated, expires })
                    }
                    _ => None,
                })
            }

            fn audit_from_row(
                row: &<$db as sqlx::Database>::Row,
            ) -> Result<$crate::AuditRecord, $crate::StoreError> {
                use sqlx::Row as _;
                let list = |col: &str| -> Result<Vec<String>, $crate::StoreError> {
                    let text: String = row.try_get(col)?;
                    serde_json::from_str(&text)
                        .map_err(|e| $crate::StoreError::Corrupt(format!("audit.{col}: {e}")))
                };
                Ok($crate::AuditRecord {
                    id: row.try_get("id")?,
                    at: row.try_get("at")?,
                    source: row.try_get("source")?,
                    session_id: row.try_get("session_id")?,
                    seq: row.try_get("seq")?,
                    handle_hash: row.try_get("handle_hash")?,
                    action: row.try_get("action")?,
                    score: row.try_get("score")?,
                    rules: list("rules")?,
                    signals: list("signals")?,
                    reason: row.try_get("reason")?,
                })
            }

            fn key_from_row(
                row: &<$db as sqlx::Database>::Row,
            ) -> Result<$crate::ApiKeyRecord, $crate::StoreError> {
                use sqlx::Row as _;
                let scopes: String = row.try_get("scopes")?;
                let scopes = scopes
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        $crate::Scope::parse(s).ok_or_else(|| {
                            $crate::StoreError::Corrupt(format!("api_keys.scopes: unknown scope {s:?}"))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok($crate::ApiKeyRecord {
                    id: row.try_get("id")?,
                    prefix: row.try_get("prefix")?,
                    hash: row.try_get("hash")?,
                    scopes,
                    label: row.try_get("label")?,
                    created: row.try_get("created")?,
                    revoked: row.try_get("revoked")?,
                })
            }
        }

        #[async_trait::async_trait]
        impl $crate::Store for $store {
            fn backend(&self) -> $crate::Backend {
                $backend
            }

            fn commits_by_appending(&self) -> bool {
                self.journaled()
            }

            async fn ping(&self) -> Result<(), $crate::StoreError> {
                sqlx::query::<$db>("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn commit(&self, writes: &[$crate::Write]) -> Result<(), $crate::StoreError> {
                self.commit_writes(writes).await
            }

            async fn session(
                &self,
                id: &str,
            ) -> Result<Option<$crate::SessionRecord>, $crate::StoreError> {
                self.settled().await?;
                let row = sqlx::query::<$db>(
                    "SELECT id, created, updated, expires, channel, locale, handle_hash, state, \
                     max_action, closed, owner FROM sessions WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                let Some(mut session) = row.as_ref().map(Self::session_from_row).transpose()? else {
                    return Ok(None);
                };
                // The session row is not rewritten for every event: the newest progress
                // stored with an event, when newer, is the session's.
                let last = sqlx::query::<$db>(
                    "SELECT session_state, session_updated, session_expires FROM events \
                     WHERE session_id = $1 ORDER BY seq DESC LIMIT 1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                if let Some(p) = last.as_ref().map(Self::progress_from_row).transpose()?.flatten() {
                    if p.updated >= session.updated {
                        session.state = p.state;
                        session.updated = p.updated;
                        session.expires = session.expires.max(p.expires);
                    }
                }
                Ok(Some(session))
            }

            async fn sessions(
                &self,
                query: &$crate::SessionQuery,
            ) -> Result<Vec<$crate::SessionRecord>, $crate::StoreError> {
                self.settled().await?;
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM sessions WHERE 1 = 1",
                    $crate::sql::SESSION_COLUMNS
                ));
                if let Some(t) = query.open_at {
                    // Open by its row, or kept open by an event newer than the row.
                    q.push(" AND closed = 0 AND (expires > ")
                        .push_bind(t)
                        .push(
                            " OR EXISTS (SELECT 1 FROM events e WHERE e.session_id = sessions.id \
                             AND e.session_expires > ",
                        )
                        .push_bind(t)
                        .push("))");
                }
                if let Some(t) = query.expires_before {
                    q.push(" AND expires < ").push_bind(t);
                }
                // Expiry is the last event plus the idle time, so this is "most recently
                // active first", and it can use the one index that events keep up to date.
                q.push(" ORDER BY expires DESC, id LIMIT ")
                    .push_bind(query.limit.max(0));
                let rows = q.build().fetch_all(&self.pool).await?;
                rows.iter().map(Self::session_from_row).collect()
            }

            async fn events(
                &self,
                session_id: &str,
            ) -> Result<Vec<$crate::EventRecord>, $crate::StoreError> {
                self.settled().await?;
                let rows = sqlx::query::<$db>($crate::sql::select_events!(
                    "WHERE session_id = $1 ORDER BY seq"
                ))
                .bind(session_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::event_from_row).collect()
            }

            async fn event_ids(
                &self,
                session_id: &str,
            ) -> Result<Vec<(String, i64)>, $crate::StoreError> {
                self.settled().await?;
                use sqlx::Row as _;
                let rows = sqlx::query::<$db>(
                    "SELECT event_id, seq FROM events \
                     WHERE session_id = $1 AND event_id IS NOT NULL",
                )
                .bind(session_id)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r| Ok((r.try_get("event_id")?, r.try_get("seq")?)))
                    .collect()
            }

            async fn event_by_id(
                &self,
                session_id: &str,
                event_id: &str,
            ) -> Result<Option<$crate::EventRecord>, $crate::StoreError> {
                self.settled().await?;
                let row = sqlx::query::<$db>($crate::sql::select_events!(
                    "WHERE session_id = $1 AND event_id = $2"
                ))
                .bind(session_id)
                .bind(event_id)
                .fetch_optional(&self.pool)
                .await?;
                row.as_ref().map(Self::event_from_row).transpose()
            }

            async fn close_expired(&self, now: i64) -> Result<u64, $crate::StoreError> {
                self.settled().await?;
                let r = sqlx::query::<$db>(
                    "UPDATE sessions SET closed = 1 WHERE closed = 0 AND expires <= $1 \
                     AND NOT EXISTS (SELECT 1 FROM events e WHERE e.session_id = sessions.id \
                     AND e.session_expires > $1)",
                )
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(r.rows_affected())
            }

            async fn count_open(&self, now: i64) -> Result<u64, $crate::StoreError> {
                self.settled().await?;
                use sqlx::Row as _;
                let row = sqlx::query::<$db>(
                    "SELECT COUNT(*) AS n FROM sessions WHERE closed = 0 AND (expires > $1 \
                     OR EXISTS (SELECT 1 FROM events e WHERE e.session_id = sessions.id \
                     AND e.session_expires > $1))",
                )
                .bind(now)
                .fetch_one(&self.pool)
                .await?;
                let n: i64 = row.try_get("n")?;
                Ok(n.max(0) as u64)
            }

            async fn audit(
                &self,
                query: &$crate::AuditQuery,
            ) -> Result<Vec<$crate::AuditRecord>, $crate::StoreError> {
                self.settled().await?;
                // Built per query so that each filter present can use its index.
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM audit WHERE 1 = 1",
                    $crate::sql::AUDIT_COLUMNS
                ));
                Self::push_audit_filters(&mut q, query, ["session_id", "handle_hash", "at"]);
                q.push(" ORDER BY at DESC, id DESC LIMIT ")
                    .push_bind(query.limit.max(0));
                let rows = q.build().fetch_all(&self.pool).await?;
                let mut records = rows
                    .iter()
                    .map(Self::audit_from_row)
                    .collect::<Result<Vec<_>, _>>()?;
                records.extend(self.session_audit(query).await?);
                // Newest first across both sources; the two lists are each newest first and
                // limited, so the merged head is exact.
                records.sort_by(|a, b| {
                    b.at.cmp(&a.at)
                        .then(b.id.cmp(&a.id))
                        .then(b.seq.cmp(&a.seq))
                });
                records.truncate(query.limit.max(0) as usize);
                Ok(records)
            }

            async fn insert_key(&self, key: &$crate::ApiKeyRecord) -> Result<(), $crate::StoreError> {
                let scopes: Vec<&str> = key.scopes.iter().map(|s| s.as_str()).collect();
                sqlx::query::<$db>(
                    "INSERT INTO api_keys (id, prefix, hash, scopes, label, created, revoked) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(key.id.as_str())
                .bind(key.prefix.as_str())
                .bind(key.hash.as_str())
                .bind(scopes.join(","))
                .bind(key.label.as_deref())
                .bind(key.created)
                .bind(key.revoked)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn keys_by_prefix(
                &self,
                prefix: &str,
            ) -> Result<Vec<$crate::ApiKeyRecord>, $crate::StoreError> {
                let rows = sqlx::query::<$db>(
                    "SELECT id, prefix, hash, scopes, label, created, revoked FROM api_keys \
                     WHERE prefix = $1",
                )
                .bind(prefix)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::key_from_row).collect()
            }

            async fn keys(&self) -> Result<Vec<$crate::ApiKeyRecord>, $crate::StoreError> {
                let rows = sqlx::query::<$db>(
                    "SELECT id, prefix, hash, scopes, label, created, revoked FROM api_keys \
                     ORDER BY created, id",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::key_from_row).collect()
            }

            async fn revoke_key(&self, id: &str, at: i64) -> Result<bool, $crate::StoreError> {
                let r = sqlx::query::<$db>(
                    "UPDATE api_keys SET revoked = $2 WHERE id = $1 AND revoked IS NULL",
                )
                .bind(id)
                .bind(at)
                .execute(&self.pool)
                .await?;
                Ok(r.rows_affected() > 0)
            }

            async fn first_use_of_token(
                &self,
                id: &str,
                until: i64,
            ) -> Result<bool, $crate::StoreError> {
                let r = sqlx::query::<$db>(
                    "INSERT INTO used_tokens (id, until) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
                )
                .bind(id)
                .bind(until)
                .execute(&self.pool)
                .await?;
                Ok(r.rows_affected() == 1)
            }

            async fn forget_used_tokens(&self, before: i64) -> Result<u64, $crate::StoreError> {
                let r = sqlx::query::<$db>("DELETE FROM used_tokens WHERE until < $1")
                    .bind(before)
                    .execute(&self.pool)
                    .await?;
                Ok(r.rows_affected())
            }

            async fn close(&self) {
                self.close_writes().await;
                self.write_pool().close().await;
                self.pool.close().await;
            }
        }
    };
}

pub(crate) use sql_store;

--@sqlite -- scamguard schema, SQLite. Applied migrations are never edited: add a new numbered file.
--@postgres -- scamguard schema, PostgreSQL. Applied migrations are never edited: add a new numbered file.
--@sqlite -- Times are Unix milliseconds; JSON is stored as text so that the same SQL runs on PostgreSQL.
--@postgres -- Times are Unix milliseconds; JSON is stored as text so that the same SQL runs on SQLite.

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    expires     INTEGER NOT NULL,
    channel     TEXT NOT NULL,
    locale      TEXT NOT NULL,
    handle_hash TEXT NOT NULL,
    state       TEXT NOT NULL,
    max_action  TEXT NOT NULL,
    closed      INTEGER NOT NULL DEFAULT 0
);
-- The only index that changes with every event: sweeping and listing open sessions need it.
-- Listing "most recent first" orders by expires, which is updated + the idle time.
CREATE INDEX sessions_open ON sessions (closed, expires);
CREATE INDEX sessions_handle ON sessions (handle_hash);

CREATE TABLE events (
    session_id TEXT NOT NULL REFERENCES sessions (id),
    seq        INTEGER NOT NULL,
    event_id   TEXT,
    type       TEXT NOT NULL,
    at         INTEGER NOT NULL,
    action     TEXT NOT NULL,
    payload    TEXT NOT NULL,
    verdict    TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
);
-- Only events that carry a platform id take part in idempotency; most do not.
CREATE UNIQUE INDEX events_event_id ON events (session_id, event_id) WHERE event_id IS NOT NULL;

CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    source      TEXT NOT NULL,
    session_id  TEXT,
    seq         INTEGER,
    handle_hash TEXT,
    action      TEXT NOT NULL,
    score       REAL NOT NULL,
    rules       TEXT NOT NULL,
    signals     TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_session ON audit (session_id, at);
CREATE INDEX audit_handle ON audit (handle_hash, at);

CREATE TABLE api_keys (
    id      TEXT PRIMARY KEY,
    prefix  TEXT NOT NULL,
    hash    TEXT NOT NULL UNIQUE,
    scopes  TEXT NOT NULL,
    label   TEXT,
    created INTEGER NOT NULL,
    revoked INTEGER
);
CREATE INDEX api_keys_prefix ON api_keys (prefix);

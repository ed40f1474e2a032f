-- The anti-fraud loop (issue 13): victims' reports, analysts' decisions on callers, and
-- campaigns of flagged sessions joined by what a ring reuses. Times are Unix milliseconds.
-- People appear only as keyed hashes of their handles; a report's note and message text are
-- kept only when the user chose to send them, and go with the report under retention.

CREATE TABLE reports (
    id            TEXT PRIMARY KEY,
    created       INTEGER NOT NULL,
    session_id    TEXT NOT NULL,
    reporter_hash TEXT NOT NULL,
    caller_hash   TEXT NOT NULL,
    category      TEXT NOT NULL,
    counted       INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    note          TEXT,
    text          TEXT,
    key_id        TEXT NOT NULL
);
CREATE INDEX reports_caller ON reports (caller_hash, created);
CREATE INDEX reports_session ON reports (session_id);
CREATE INDEX reports_created ON reports (created);
CREATE INDEX reports_counted ON reports (reporter_hash, caller_hash) WHERE counted = 1;

-- Analysts' decisions on a caller's handle (legitimate: an appeal upheld; fraud: confirmed);
-- the latest stands. Never pruned: it is the audit trail of who decided what, and why.
CREATE TABLE reputation_decisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    handle_hash TEXT NOT NULL,
    decision    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    key_id      TEXT NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX reputation_decisions_handle ON reputation_decisions (handle_hash, at);

-- How many allowed and flagged sessions named an indicator (`kind:value`): what genuine
-- traffic also carries stops joining sessions.
CREATE TABLE indicator_counts (
    key     TEXT PRIMARY KEY,
    allowed INTEGER NOT NULL DEFAULT 0,
    flagged INTEGER NOT NULL DEFAULT 0
);

-- Campaigns; one merged into another keeps its row, pointing at the one it joined.
CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    status      TEXT NOT NULL,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    sessions    INTEGER NOT NULL,
    merged_into INTEGER
);
CREATE INDEX campaigns_size ON campaigns (sessions, last_seen) WHERE merged_into IS NULL;

-- Which campaign a flagged session is in, with what an analyst reads about it.
CREATE TABLE campaign_sessions (
    session_id  TEXT PRIMARY KEY,
    campaign_id INTEGER NOT NULL,
    handle_hash TEXT NOT NULL,
    joined      INTEGER NOT NULL,
    action      TEXT NOT NULL,
    scripts     TEXT NOT NULL,
    claim       TEXT
);
CREATE INDEX campaign_sessions_campaign ON campaign_sessions (campaign_id, joined);
CREATE INDEX campaign_sessions_handle ON campaign_sessions (handle_hash);

-- The index a new session is joined by: each joinable indicator's campaign. A text band that
-- sessions of two campaigns carry is contested and joins nothing more.
CREATE TABLE campaign_indicators (
    key         TEXT PRIMARY KEY,
    campaign_id INTEGER NOT NULL,
    contested   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX campaign_indicators_campaign ON campaign_indicators (campaign_id);

-- The indicators each flagged session named; `joins` is 0 for those genuine traffic carries.
CREATE TABLE session_indicators (
    session_id TEXT NOT NULL,
    key        TEXT NOT NULL,
    at         INTEGER NOT NULL,
    joins      INTEGER NOT NULL,
    PRIMARY KEY (session_id, key)
);
CREATE INDEX session_indicators_key ON session_indicators (key);

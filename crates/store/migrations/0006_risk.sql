-- The bank's side (risk assertions) and guardians. Times are Unix milliseconds.

-- Keyed hash of a session's user (the opening's to.handle), set when the session opens: the
-- risk lookup finds a user's sessions by it. NULL for sessions whose platform named no user.
ALTER TABLE sessions ADD COLUMN user_hash TEXT;
CREATE INDEX sessions_user ON sessions (user_hash) WHERE user_hash IS NOT NULL;

-- Every risk lookup a bank made, for the user's and the law's sake: which key asked, when,
-- about whom (keyed hash), and what it was told (the assertion's risk object; no handle).
CREATE TABLE risk_lookups (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL,
    key_id     TEXT NOT NULL,
    user_hash  TEXT NOT NULL,
    jti        TEXT NOT NULL,
    session_id TEXT,
    active     INTEGER NOT NULL,
    action     TEXT NOT NULL,
    risk       TEXT NOT NULL
);
CREATE INDEX risk_lookups_at ON risk_lookups (at);
CREATE INDEX risk_lookups_user ON risk_lookups (user_hash, at);
CREATE INDEX risk_lookups_session ON risk_lookups (session_id, at) WHERE session_id IS NOT NULL;

-- Guardians a user named, with the guardian's consent: the guardian's handle is kept (it is
-- who the platform notifies, and they agreed to it); the user's only as a keyed hash.
CREATE TABLE guardians (
    id        TEXT PRIMARY KEY,
    user_hash TEXT NOT NULL,
    guardian  TEXT NOT NULL,
    key_id    TEXT NOT NULL,
    created   INTEGER NOT NULL,
    revoked   INTEGER
);
CREATE INDEX guardians_user ON guardians (user_hash);
